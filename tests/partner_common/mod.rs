//! Helpers the partner end-to-end tests share: API calls from inside the page, elements found
//! by XPath, waiting for a text, screenshots, and signing in as Fabrikam.

// Each test binary compiles this module and uses only some of the helpers.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::{json, Value};

use crate::support::{self, Browser};

/// The demo users' password.
pub const PASSWORD: &str = "demo-password";

/// Calls the API from inside the page with `fetch`, so the session cookie rides along.
pub async fn api(
    browser: &Browser,
    method: &str,
    path: &str,
    body: Value,
    key: &str,
) -> (u16, Value) {
    const SCRIPT: &str = r#"
        const [method, path, body, key, done] = arguments;
        const headers = { 'Content-Type': 'application/json' };
        if (key) { headers['Idempotency-Key'] = key; }
        fetch(path, { method, headers, credentials: 'same-origin',
                      body: body === null ? undefined : JSON.stringify(body) })
          .then(async (response) => done([response.status, await response.text()]))
          .catch((error) => done([0, String(error)]));
    "#;
    let answer = browser
        .client()
        .execute_async(SCRIPT, vec![json!(method), json!(path), body, json!(key)])
        .await
        .unwrap_or_else(|error| panic!("e2e: {method} {path} from the page failed: {error}"));
    let status = answer[0].as_u64().unwrap_or_default() as u16;
    let text = answer[1].as_str().unwrap_or_default();
    (status, serde_json::from_str(text).unwrap_or(Value::Null))
}

/// Signs `email` in through the API (for setting up what another party does), from the home
/// page.
pub async fn api_sign_in(browser: &Browser, email: &str) {
    browser.goto("/").await;
    let (status, answer) = api(
        browser,
        "POST",
        "/api/v1/session",
        json!({ "email": email, "password": PASSWORD }),
        "",
    )
    .await;
    assert!((200..300).contains(&status), "{email} signs in: {answer}");
}

/// Signs out through the API.
pub async fn api_sign_out(browser: &Browser) {
    let (status, _) = api(browser, "DELETE", "/api/v1/session", Value::Null, "").await;
    assert!(status < 300, "signed out");
}

/// Signs in through the sign-in form as a person does and lands on `next`.
pub async fn sign_in_as_fabrikam(browser: &Browser, next: &str) {
    browser.goto(&format!("/sign-in?next={next}")).await;
    let email = browser.input_by_label("Email").await;
    browser.type_text(&email, "partner@fabrikam.example").await;
    let password = browser.input_by_label("Password").await;
    browser.type_text(&password, PASSWORD).await;
    click(browser, "//button[normalize-space()='Sign in']").await;
    browser.wait_for_path(next).await;
}

pub async fn find(browser: &Browser, xpath: &str) -> Element {
    browser
        .client()
        .wait()
        .at_most(support::WAIT)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|error| panic!("e2e: nothing matches {xpath}: {error}"))
}

pub async fn click(browser: &Browser, xpath: &str) {
    find(browser, xpath)
        .await
        .click()
        .await
        .unwrap_or_else(|error| panic!("e2e: could not click {xpath}: {error}"));
}

/// Saves a screenshot as `<OFFERDESK_SHOTS>/<name>.png` when that variable names a directory,
/// for a person to look at the page.
pub async fn shot(browser: &Browser, name: &str) {
    if let Some(dir) = std::env::var_os("OFFERDESK_SHOTS") {
        let png = browser
            .client()
            .screenshot()
            .await
            .expect("e2e: a screenshot");
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png)
            .expect("e2e: the screenshot is written");
    }
}

/// Waits until the element at `xpath` shows `expected`; fails with what it showed.
pub async fn expect_text(browser: &Browser, xpath: &str, expected: &str) {
    let deadline = Instant::now() + support::WAIT;
    loop {
        let shown = find(browser, xpath).await.text().await.unwrap_or_default();
        if shown.trim() == expected {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "{xpath} shows {shown:?}, not {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Waits until the element at `xpath` contains `expected`; fails with what it showed.
pub async fn expect_contains(browser: &Browser, xpath: &str, expected: &str) -> String {
    let deadline = Instant::now() + support::WAIT;
    loop {
        let shown = find(browser, xpath).await.text().await.unwrap_or_default();
        if shown.contains(expected) {
            return shown;
        }
        assert!(
            Instant::now() < deadline,
            "{xpath} shows {shown:?}, without {expected:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Polls `GET path` until its `offer.status` is `status` (the worker publishes offers).
pub async fn wait_for_api_status(browser: &Browser, path: &str, status: &str) -> Value {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, offer) = api(browser, "GET", path, Value::Null, "").await;
        if offer["offer"]["status"] == status {
            return offer;
        }
        assert!(
            Instant::now() < deadline,
            "{path} did not become {status}: {offer}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
