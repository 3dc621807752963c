//! What the customer-link tests share: the demo sign-ins, a multiparty offer the ISV and the
//! partner send through the real API, and calls to that API from inside the page.

// Each test binary uses only some of these.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use serde_json::{json, Value};

use crate::support::Browser;

pub const PASSWORD: &str = "demo-password";
pub const ISV: &str = "isv@contoso.example";
pub const PARTNER: &str = "partner@fabrikam.example";
pub const OWNER: &str = "customer@tailspin.example";
pub const READER: &str = "reader@tailspin.example";
pub const OFFERS: &str = "/api/v1/multiparty-offers";
pub const OFFER_NAME: &str = "Tailspin analytics rollout";

/// The ISV's part: Contoso Analytics Pro less 12.5% and Team at absolute partner prices, for
/// Tailspin's billing account through Fabrikam, prices from acceptance to the end of 2027.
pub fn isv_part(accept_by: &str) -> Value {
    json!({
        "name": OFFER_NAME,
        "description": "ISV-SECRET-DESCRIPTION of the rollout",
        "customer": {
            "billing_account_id":
                "5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31",
            "country": "US"
        },
        "selling_partner_seller_id": "10000001",
        "products": [
            { "pricing_type": "existing_plan", "offer_id": "contoso-analytics", "plan_id": "pro",
              "partner_pricing": { "discount_percent": "12.5" } },
            { "pricing_type": "existing_plan", "offer_id": "contoso-analytics", "plan_id": "team",
              "partner_pricing": { "absolute_prices": [
                  { "price_point_id": "user:one_month", "price": "9.87" },
                  { "price_point_id": "user:one_year", "price": "111.11" } ] } }
        ],
        "customer_start": { "start": "on_acceptance" },
        "customer_end": "2027-12-31",
        "accept_by": accept_by,
        "terms": [],
        "notification_contacts": ["deals@contoso.example"],
        "sales_note": "ISV-SECRET-NOTE",
        "renewal": false
    })
}

/// The partner's part: a 6.125% customer adjustment.
pub fn partner_part(version: &Value) -> Value {
    json!({
        "version": version,
        "customer_adjustment_percent": "6.125",
        "prepared_by": "rep@fabrikam.example",
        "terms": [],
        "notification_contacts": ["ops@fabrikam.example"],
        "sales_note": "PARTNER-SECRET-NOTE"
    })
}

/// Calls the API from the page and decodes its JSON answer, failing unless the status is `want`.
pub async fn call(
    browser: &Browser,
    method: &str,
    path: &str,
    body: Option<Value>,
    want: u16,
) -> Value {
    let (status, text) = browser.fetch(method, path, body).await;
    assert_eq!(status, want, "{method} {path} answered {status}: {text}");
    serde_json::from_str(&text).unwrap_or(Value::Null)
}

/// Signs in through the API (the cookie lands in the browser).
pub async fn sign_in_by_api(browser: &Browser, email: &str) {
    browser.fetch("DELETE", "/api/v1/session", None).await;
    call(
        browser,
        "POST",
        "/api/v1/session",
        Some(json!({ "email": email, "password": PASSWORD })),
        200,
    )
    .await;
}

/// Polls `GET path` (as whoever is signed in) until `ready` holds for the answer.
pub async fn wait_until(
    browser: &Browser,
    path: &str,
    ready: impl Fn(u16, &str) -> bool,
) -> String {
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let (status, text) = browser.fetch("GET", path, None).await;
        if ready(status, &text) {
            return text;
        }
        assert!(
            Instant::now() < deadline,
            "e2e: {path} never became ready; last answer {status}: {text}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Uploads `content` as a terms PDF named `name` to the offer at `offer` (the API path), as
/// whoever is signed in; answers the offer's new version.
pub async fn upload_terms(
    browser: &Browser,
    offer: &str,
    version: &Value,
    name: &str,
    content: &str,
) -> Value {
    const SCRIPT: &str = r#"
        const [path, content, done] = arguments;
        fetch(path, { method: "POST", headers: { "content-type": "application/pdf" },
                      body: new Blob([content], { type: "application/pdf" }) })
            .then(async (response) => done([response.status, await response.text()]))
            .catch((error) => done([0, String(error)]));
    "#;
    let path = format!(
        "{offer}/terms?version={version}&name={}",
        name.replace(' ', "%20")
    );
    let answer = browser
        .client()
        .execute_async(SCRIPT, vec![json!(path), json!(content)])
        .await
        .unwrap_or_else(|error| panic!("e2e: uploading {name:?} failed: {error}"));
    let status = answer[0].as_u64().unwrap_or(0);
    let text = answer[1].as_str().unwrap_or_default();
    assert_eq!(status, 201, "uploading {name:?} answered {status}: {text}");
    let body: Value = serde_json::from_str(text).unwrap();
    body["version"].clone()
}

/// A terms document one side adds before it submits: (customer-facing name, PDF text).
pub type Terms<'a> = Option<(&'a str, &'a str)>;

/// The ISV creates the offer (with its terms) and submits; the partner sets its part (with its
/// terms) and submits. Answers the offer ID and the customer link's token, signed out.
pub async fn send_offer(
    browser: &Browser,
    accept_by: &str,
    isv_terms: Terms<'_>,
    partner_terms: Terms<'_>,
) -> (String, String) {
    sign_in_by_api(browser, ISV).await;
    let created = call(browser, "POST", OFFERS, Some(isv_part(accept_by)), 201).await;
    let id = created["id"].as_str().expect("an offer ID").to_owned();
    let offer = format!("{OFFERS}/{id}");
    let mut version = created["version"].clone();
    if let Some((name, content)) = isv_terms {
        version = upload_terms(browser, &offer, &version, name, content).await;
    }
    call(
        browser,
        "POST",
        &format!("{offer}/submit"),
        Some(json!({ "version": version })),
        200,
    )
    .await;

    sign_in_by_api(browser, PARTNER).await;
    let inbox = wait_until(browser, &offer, |status, text| {
        status == 200 && text.contains("\"PendingPartnerAction\"")
    })
    .await;
    let inbox: Value = serde_json::from_str(&inbox).unwrap();
    let edited = call(
        browser,
        "PUT",
        &format!("{offer}/partner"),
        Some(partner_part(&inbox["version"])),
        200,
    )
    .await;
    let mut version = edited["version"].clone();
    if let Some((name, content)) = partner_terms {
        version = upload_terms(browser, &offer, &version, name, content).await;
    }
    let submitted = call(
        browser,
        "POST",
        &format!("{offer}/submit"),
        Some(json!({ "version": version })),
        200,
    )
    .await;
    let token = submitted["customer_link"]["token"]
        .as_str()
        .expect("the partner's submit answers the customer link")
        .to_owned();
    wait_until(browser, &format!("/api/v1/links/{token}"), |status, _| {
        status == 200
    })
    .await;
    browser.fetch("DELETE", "/api/v1/session", None).await;
    (id, token)
}

/// Clicks "Accept" signed out, signs in as `email` on the sign-in page and comes back.
pub async fn sign_in_through_accept(browser: &Browser, token: &str, email: &str) {
    let accept = browser.wait_for("main button.accept-button").await;
    accept.click().await.unwrap();
    browser.wait_for_text("main h1", "Sign in").await;
    let url = browser.current_url().await;
    assert!(
        url.ends_with(&format!("/sign-in?next=/links/{token}")),
        "Accept sends a signed-out customer to sign in and back: {url}"
    );
    let field = browser.input_by_label("Email").await;
    browser.type_text(&field, email).await;
    let password = browser.input_by_label("Password").await;
    browser.type_text(&password, PASSWORD).await;
    browser
        .wait_for("main button[type='submit']")
        .await
        .click()
        .await
        .unwrap();
    browser.wait_for_path(&format!("/links/{token}")).await;
    browser.wait_for_text("header .email", email).await;
}

/// Every row of the table matching `css`, its cells' text joined by single spaces.
pub async fn table_rows(browser: &Browser, css: &str) -> String {
    browser.wait_for(css).await;
    let mut rows = Vec::new();
    for row in browser
        .client()
        .find_all(fantoccini::Locator::Css(css))
        .await
        .unwrap()
    {
        let text = row.text().await.unwrap();
        rows.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
    }
    rows.join("\n")
}
