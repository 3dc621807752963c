//! The ISV's "Private offers" dashboard, as the demo ISV uses it: tabs per program, search and
//! status filter, and Clone, Withdraw and Delete only where the lifecycle allows, each confirmed
//! in a dialog, with the server's refusal shown when the offer moved on meanwhile.

mod support;

use fantoccini::key::Key;
use serde_json::json;
use support::{with_browser, Browser, DEMO_ISV};

/// The row of the offer named `name` in the current tab (waiting for it).
fn row_css(name: &str) -> String {
    format!("//tr[th[contains(normalize-space(.), {name:?})]]")
}

async fn row(browser: &Browser, name: &str) -> fantoccini::elements::Element {
    let xpath = row_css(name);
    for _ in 0..100 {
        if let Ok(found) = browser
            .client()
            .find(fantoccini::Locator::XPath(&xpath))
            .await
        {
            return found;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("e2e: no dashboard row for {name:?}");
}

/// Where the name of the offer `name` in the current tab links to.
async fn offer_link(browser: &Browser, name: &str) -> String {
    row(browser, name)
        .await
        .find(fantoccini::Locator::Css("a.offer-name"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn row_button(browser: &Browser, name: &str, action: &str) -> fantoccini::elements::Element {
    row(browser, name)
        .await
        .find(fantoccini::Locator::XPath(&format!(
            ".//button[normalize-space(.)={action:?}]"
        )))
        .await
        .unwrap_or_else(|error| panic!("e2e: no {action:?} button on {name:?}: {error}"))
}

async fn is_enabled(button: &fantoccini::elements::Element) -> bool {
    button.attr("disabled").await.unwrap().is_none()
}

async fn active_id(browser: &Browser) -> String {
    browser
        .client()
        .active_element()
        .await
        .unwrap()
        .attr("id")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn row_status(browser: &Browser, name: &str) -> String {
    row(browser, name)
        .await
        .find(fantoccini::Locator::Css(".status-cell"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

async fn wait_for_row_status(browser: &Browser, name: &str, status: &str) {
    for _ in 0..100 {
        if row_status(browser, name).await == status {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "e2e: {name:?} never showed status {status:?}; it shows {:?}",
        row_status(browser, name).await
    );
}

async fn visible_row_count(browser: &Browser) -> usize {
    browser
        .client()
        .find_all(fantoccini::Locator::Css(".offers-table tbody tr"))
        .await
        .unwrap()
        .len()
}

/// Waits up to five seconds for the table to show `count` rows, and asserts that it does.
async fn assert_row_count(browser: &Browser, count: usize) {
    for _ in 0..50 {
        if visible_row_count(browser).await == count {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(visible_row_count(browser).await, count);
}

/// Calls the API from inside the page (same session cookie), as another tab of the ISV would.
async fn api_in_page(browser: &Browser, method: &str, path: &str, body: serde_json::Value) -> u16 {
    let answer = browser
        .client()
        .execute_async(
            "const [method, path, body, done] = arguments;
             fetch(path, { method, headers: { 'content-type': 'application/json' },
                           body: body === null ? undefined : JSON.stringify(body) })
               .then(r => done(r.status), e => done(0));",
            vec![json!(method), json!(path), body],
        )
        .await
        .unwrap();
    answer.as_u64().unwrap_or_default() as u16
}

async fn api_get_in_page(browser: &Browser, path: &str) -> serde_json::Value {
    browser
        .client()
        .execute_async(
            "const [path, done] = arguments;
             fetch(path).then(r => r.json()).then(done, e => done(null));",
            vec![json!(path)],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn the_isv_manages_private_offers_from_the_dashboard() {
    with_browser(|browser| async move {
        // Signed out, the dashboard asks for a sign-in first and comes back.
        browser.goto("/offers").await;
        browser.wait_for_text("main h1", "Sign in").await;
        browser.sign_in_with_form(DEMO_ISV).await;
        browser.wait_for_path("/offers").await;
        browser.wait_for_text("main h1", "Private offers").await;
        browser
            .wait_for_text("header nav a[href='/offers']", "Private offers")
            .await;

        // CSP partners is the first tab: the live offer can be cloned but not deleted.
        browser
            .wait_for_text("[role='tab'][aria-selected='true']", "CSP partners")
            .await;
        wait_for_row_status(&browser, "FY27 CSP push", "Live").await;
        let live = row(&browser, "FY27 CSP push").await;
        assert!(live.text().await.unwrap().contains("Fabrikam"));
        assert!(!is_enabled(&row_button(&browser, "FY27 CSP push", "Delete").await).await);
        assert!(is_enabled(&row_button(&browser, "FY27 CSP push", "Clone").await).await);
        assert!(
            is_enabled(&row_button(&browser, "FY27 H2 CSP push (draft)", "Delete").await).await
        );
        // Every cell spans its whole row (the actions cell too, whose buttons once made it a
        // flex box that stopped short of the row's border), and the new-offer link reads as a
        // button, not underlined.
        let layout = browser
            .client()
            .execute(
                "const rows = [...document.querySelectorAll('.offers-table tbody tr')];
                 const misfits = rows.flatMap(tr => {
                   const row = tr.getBoundingClientRect();
                   return [...tr.cells]
                     .filter(cell => {
                       const box = cell.getBoundingClientRect();
                       return Math.abs(box.top - row.top) > 1 || Math.abs(box.bottom - row.bottom) > 1;
                     })
                     .map(cell => cell.className || cell.textContent.trim());
                 });
                 const link = document.querySelector('a.button');
                 return [rows.length, misfits, getComputedStyle(link).textDecorationLine];",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(layout, json!([2, [], "none"]));

        // Multiparty: search and the status filter narrow the list.
        browser
            .wait_for_text("[role='tab']#tab-multiparty", "Multiparty")
            .await
            .click()
            .await
            .unwrap();
        wait_for_row_status(&browser, "Tailspin UK expansion", "Pending partner action").await;
        assert_eq!(visible_row_count(&browser).await, 4);
        // A draft opens in its form; a submitted offer read-only, on its review page.
        let draft = offer_link(&browser, "Tailspin analytics renewal (draft)").await;
        assert!(draft.starts_with("/offers/multiparty/"), "{draft}");
        assert!(!draft.ends_with("/review"), "{draft}");
        let submitted = offer_link(&browser, "Tailspin UK expansion").await;
        assert!(submitted.starts_with("/offers/multiparty/"), "{submitted}");
        assert!(submitted.ends_with("/review"), "{submitted}");
        let search = browser.input_by_label("Search").await;
        browser.type_text(&search, "uk exp").await;
        row(&browser, "Tailspin UK expansion").await;
        assert_row_count(&browser, 1).await;
        browser.clear_by_keys(&search).await;
        let status = browser.input_by_label("Status").await;
        status
            .find(fantoccini::Locator::XPath(".//option[.='Draft']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        assert_row_count(&browser, 1).await;
        row(&browser, "Tailspin analytics renewal (draft)").await;
        status
            .find(fantoccini::Locator::XPath(".//option[.='All statuses']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();

        // Only Draft offers delete; a pending-acceptance offer neither withdraws nor deletes.
        let accepted_row = "Tailspin analytics 2027";
        wait_for_row_status(&browser, accepted_row, "Pending acceptance").await;
        assert!(!is_enabled(&row_button(&browser, accepted_row, "Withdraw").await).await);
        assert!(!is_enabled(&row_button(&browser, accepted_row, "Delete").await).await);

        // A dialog takes focus; Escape cancels and focus returns to the button.
        let draft = "Tailspin analytics renewal (draft)";
        let delete = row_button(&browser, draft, "Delete").await;
        assert!(is_enabled(&delete).await);
        let delete_id = delete.attr("id").await.unwrap().unwrap();
        delete.click().await.unwrap();
        browser
            .wait_for_text("[role='dialog'] h2", "Delete private offer")
            .await;
        assert_eq!(
            browser
                .client()
                .active_element()
                .await
                .unwrap()
                .text()
                .await
                .unwrap(),
            "Confirm"
        );
        browser
            .client()
            .active_element()
            .await
            .unwrap()
            .send_keys(&Key::Escape)
            .await
            .unwrap();
        for _ in 0..50 {
            if active_id(&browser).await == delete_id {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(active_id(&browser).await, delete_id);
        assert!(browser
            .client()
            .find(fantoccini::Locator::Css("[role='dialog']"))
            .await
            .is_err());

        // Delete the draft for real.
        row_button(&browser, draft, "Delete")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("[role='dialog'] button.primary", "Confirm")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text(".notice-success", &format!("“{draft}” was deleted."))
            .await;
        assert_row_count(&browser, 3).await;

        // Withdraw an offer pending partner action: it goes back to Draft.
        let uk = "Tailspin UK expansion";
        row_button(&browser, uk, "Withdraw")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("[role='dialog'] button.primary", "Request withdraw")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text(".notice-success", &format!("“{uk}” was withdrawn."))
            .await;
        wait_for_row_status(&browser, uk, "Draft").await;
        assert!(is_enabled(&row_button(&browser, uk, "Delete").await).await);

        // Clone from any status, under a new name typed into the dialog.
        row_button(&browser, accepted_row, "Clone")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("[role='dialog'] h2", "Clone private offer")
            .await;
        let name = browser.input_by_label("New private offer name").await;
        assert_eq!(active_id(&browser).await, "clone-name");
        // Focus stays in the dialog: Shift+Tab from its first control goes to its last, and Tab
        // from there comes back.
        name.send_keys("\u{E008}\u{E004}").await.unwrap();
        let last = browser.client().active_element().await.unwrap();
        assert_eq!(last.text().await.unwrap().trim(), "Cancel");
        last.send_keys("\u{E004}").await.unwrap();
        assert_eq!(active_id(&browser).await, "clone-name");
        assert_eq!(
            browser.value(&name).await,
            format!("Copy of {accepted_row}")
        );
        browser.clear_by_keys(&name).await;
        browser.type_text(&name, "Tailspin Ökonomie 2028").await;
        browser
            .wait_for_text("[role='dialog'] button.primary", "Clone")
            .await
            .click()
            .await
            .unwrap();
        // The clone opens as a draft in the form, ready to edit.
        browser
            .wait_for_text("main h1", "Multiparty private offer")
            .await;
        let path = browser.current_path().await;
        assert!(path.starts_with("/offers/multiparty/mpo"), "{path}");
        let cloned = browser.input_by_label("Private offer name").await;
        for _ in 0..100 {
            if browser.value(&cloned).await == "Tailspin Ökonomie 2028" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&cloned).await, "Tailspin Ökonomie 2028");
        browser.goto("/offers?tab=multiparty").await;
        wait_for_row_status(&browser, "Tailspin Ökonomie 2028", "Draft").await;
        // Search ignores case beyond ASCII too: "ökonomie" finds "Ökonomie".
        let search = browser.input_by_label("Search").await;
        browser.type_text(&search, "ökonomie").await;
        assert_row_count(&browser, 1).await;
        row(&browser, "Tailspin Ökonomie 2028").await;
        browser.clear_by_keys(&search).await;

        // The offer moves on behind the page's back: the server refuses and says why.
        let fabrikam = "Tailspin analytics expansion";
        let withdraw = row_button(&browser, fabrikam, "Withdraw").await;
        assert!(is_enabled(&withdraw).await);
        withdraw.click().await.unwrap();
        browser
            .wait_for_text("[role='dialog'] button.primary", "Request withdraw")
            .await;
        let list = api_get_in_page(&browser, "/api/v1/multiparty-offers").await;
        let offer = list["offers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|offer| offer["offer"]["isv"]["name"] == fabrikam)
            .unwrap()
            .clone();
        let path = format!(
            "/api/v1/multiparty-offers/{}/withdraw",
            offer["id"].as_str().unwrap()
        );
        assert_eq!(
            api_in_page(
                &browser,
                "POST",
                &path,
                json!({ "version": offer["version"] })
            )
            .await,
            200
        );
        browser
            .wait_for("[role='dialog'] button.primary")
            .await
            .click()
            .await
            .unwrap();
        let refusal = browser.wait_for(".notice-error").await;
        let text = refusal.text().await.unwrap();
        assert!(
            text.starts_with(&format!("Withdraw “{fabrikam}” was refused:")),
            "refusal shown: {text}"
        );
        wait_for_row_status(&browser, fabrikam, "Draft").await;

        // CPPO: the active authorization ends but does not delete; the draft deletes.
        browser
            .wait_for("[role='tab']#tab-cppo")
            .await
            .click()
            .await
            .unwrap();
        wait_for_row_status(&browser, "20% off list", "Active").await;
        assert!(is_enabled(&row_button(&browser, "20% off list", "End").await).await);
        assert!(!is_enabled(&row_button(&browser, "20% off list", "Delete").await).await);
        wait_for_row_status(&browser, "25% off list", "Draft").await;
        row_button(&browser, "25% off list", "Delete")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("[role='dialog'] button.primary", "Confirm")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for(".notice-success").await;
        assert_row_count(&browser, 1).await;

        // A CSP offer just submitted is In Progress: its per-partner publishing shows.
        let csp = api_get_in_page(&browser, "/api/v1/csp-offers").await;
        let draft = csp["offers"]
            .as_array()
            .unwrap()
            .iter()
            .find(|offer| offer["offer"]["status"] == "Draft")
            .unwrap()
            .clone();
        let path = format!(
            "/api/v1/csp-offers/{}/submit",
            draft["id"].as_str().unwrap()
        );
        assert_eq!(
            api_in_page(
                &browser,
                "POST",
                &path,
                json!({ "version": draft["version"] })
            )
            .await,
            200
        );
        // Publishing takes the server seconds: switch tabs in the page (which reloads the list
        // at once) rather than reloading the whole page.
        browser
            .wait_for("[role='tab']#tab-csp")
            .await
            .click()
            .await
            .unwrap();
        let draft_name = "FY27 H2 CSP push (draft)";
        // Publishing takes the server 5 seconds, so the offer may already be Live here; either
        // way each partner's step shows.
        let mut status = String::new();
        for _ in 0..100 {
            status = row_status(&browser, draft_name).await;
            if status == "In progress" || status == "Live" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            status == "In progress" || status == "Live",
            "the submitted CSP offer shows {status:?}"
        );
        let summary = row(&browser, draft_name)
            .await
            .find(fantoccini::Locator::Css("details summary"))
            .await
            .unwrap();
        summary.click().await.unwrap();
        let details = row(&browser, draft_name)
            .await
            .find(fantoccini::Locator::Css("details ul"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            details.contains("Fabrikam"),
            "publishing details: {details}"
        );
        assert!(
            details.contains("authorization in progress")
                || details.contains("publish in progress")
                || details.contains("Live"),
            "publishing details: {details}"
        );
    })
    .await;
}
