//! The selling partner's multiparty pages end to end: the inbox, the live preview typed key by
//! key, the seed's target example, the cap, review and submit, the customer link and withdraw.

mod support;

use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::Locator;
use serde_json::{json, Value};
use support::{with_browser, Browser};

const PASSWORD: &str = "demo-password";
const FABRIKAM_SELLER_ID: &str = "10000001";
const TAILSPIN_BILLING_ACCOUNT_ID: &str =
    "5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31";

/// Calls the API from inside the page with `fetch`, so the session cookie rides along.
async fn api(browser: &Browser, method: &str, path: &str, body: Value, key: &str) -> (u16, Value) {
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

/// As the ISV (through the API), creates and submits an offer to Fabrikam with absolute partner
/// prices of $95.00 (per user, 1 month) and $1,000.00 (per user, 1 year), and waits until it is
/// Pending partner action. Signs out again.
async fn isv_sends_seed_offer(browser: &Browser, name: &str) {
    browser.goto("/").await;
    let (status, _) = api(
        browser,
        "POST",
        "/api/v1/session",
        json!({ "email": "isv@contoso.example", "password": PASSWORD }),
        "",
    )
    .await;
    assert!((200..300).contains(&status), "the ISV signs in");
    let today = chrono::Utc::now().date_naive();
    let accept_by = today + chrono::Days::new(20);
    let end = offerdesk_core::field::last_of_month(today + chrono::Months::new(12));
    let (status, created) = api(
        browser,
        "POST",
        "/api/v1/multiparty-offers",
        json!({
            "name": name,
            "description": "Seed 002, example 2.",
            "customer": { "billing_account_id": TAILSPIN_BILLING_ACCOUNT_ID, "country": "US" },
            "selling_partner_seller_id": FABRIKAM_SELLER_ID,
            "products": [
                { "pricing_type": "existing_plan", "offer_id": "contoso-analytics", "plan_id": "team",
                  "partner_pricing": { "absolute_prices": [
                      { "price_point_id": "user:one_month", "price": "95.00" },
                      { "price_point_id": "user:one_year", "price": "1000.00" } ] } }
            ],
            "customer_start": { "start": "on_acceptance" },
            "customer_end": end,
            "accept_by": accept_by,
            "terms": [],
            "notification_contacts": [],
            "sales_note": "",
            "renewal": false
        }),
        "",
    )
    .await;
    assert!(
        (200..300).contains(&status),
        "the ISV creates the offer: {created}"
    );
    let id = created["id"].as_str().unwrap().to_owned();
    let (status, submitted) = api(
        browser,
        "POST",
        &format!("/api/v1/multiparty-offers/{id}/submit"),
        json!({ "version": created["version"] }),
        &format!("e2e-isv-submit-{id}"),
    )
    .await;
    assert!((200..300).contains(&status), "the ISV submits: {submitted}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let (_, offer) = api(
            browser,
            "GET",
            &format!("/api/v1/multiparty-offers/{id}"),
            Value::Null,
            "",
        )
        .await;
        if offer["offer"]["status"] == "PendingPartnerAction" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the offer was not published to the partner: {offer}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let (status, _) = api(browser, "DELETE", "/api/v1/session", Value::Null, "").await;
    assert!(status < 300, "the ISV signs out");
}

/// Signs in through the sign-in form as a person does and lands on the partner inbox.
async fn sign_in_as_fabrikam(browser: &Browser) {
    browser.goto("/sign-in?next=/partner/offers").await;
    let email = browser.input_by_label("Email").await;
    browser.type_text(&email, "partner@fabrikam.example").await;
    let password = browser.input_by_label("Password").await;
    browser.type_text(&password, PASSWORD).await;
    click(browser, "//button[normalize-space()='Sign in']").await;
    browser.wait_for_path("/partner/offers").await;
    browser.wait_for("table.offer-table").await;
}

async fn find(browser: &Browser, xpath: &str) -> Element {
    browser
        .client()
        .wait()
        .at_most(support::WAIT)
        .for_element(Locator::XPath(xpath))
        .await
        .unwrap_or_else(|error| panic!("e2e: nothing matches {xpath}: {error}"))
}

async fn click(browser: &Browser, xpath: &str) {
    find(browser, xpath)
        .await
        .click()
        .await
        .unwrap_or_else(|error| panic!("e2e: could not click {xpath}: {error}"));
}

/// Opens the inbox's offer called `name`.
async fn open_offer(browser: &Browser, name: &str) {
    click(browser, &format!("//table//a[normalize-space()='{name}']")).await;
    browser.wait_for_text("h1", name).await;
}

/// The row of the price table (setup step) whose header contains `price`.
fn row(price: &str) -> String {
    format!("//section[@class='prices']//tr[th[contains(., '{price}')]]")
}

/// Saves a screenshot as `<OFFERDESK_SHOTS>/<name>.png` when that variable names a directory,
/// for a person to look at the page.
async fn shot(browser: &Browser, name: &str) {
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
async fn expect_text(browser: &Browser, xpath: &str, expected: &str) {
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

async fn expect_status(browser: &Browser, status: &str, within: Duration) {
    let deadline = Instant::now() + within;
    loop {
        let shown = find(browser, "//*[@id='offer-status']")
            .await
            .text()
            .await
            .unwrap_or_default();
        if shown.trim() == status {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the offer status is {shown:?}, not {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

#[tokio::test]
async fn the_seed_target_fills_the_adjustment_that_gives_it() {
    with_browser(|browser| async move {
        isv_sends_seed_offer(&browser, "Tailspin seed example").await;
        sign_in_as_fabrikam(&browser).await;
        open_offer(&browser, "Tailspin seed example").await;

        let line = row("Per user, 1 month");
        expect_text(&browser, &format!("{line}/td[2]"), "$95.00").await;
        let target = find(&browser, &format!("{line}//input")).await;
        // Seed 002, example 2: $95.00 to $105.00 takes 10.52631579%.
        browser.type_text(&target, "105.00").await;
        let adjustment = browser.input_by_label("Customer adjustment %").await;
        assert_eq!(browser.value(&adjustment).await, "10.52631579");
        assert_eq!(
            browser.value(&target).await,
            "105.00",
            "the target is not rewritten"
        );
        expect_text(
            &browser,
            &format!("{line}//output[starts-with(@id, 'customer-price')]"),
            "$105.00",
        )
        .await;
        let note = find(
            &browser,
            &format!("{line}//p[contains(@class, 'target-note')]"),
        )
        .await;
        let note = note.text().await.unwrap();
        assert!(note.contains("gives exactly $105.00"), "{note}");
        // The other line follows the same adjustment: $1,000.00 x 1.1052631579 = $1,105.26.
        expect_text(
            &browser,
            &format!(
                "{}//output[starts-with(@id, 'customer-price')]",
                row("Per user, 1 year")
            ),
            "$1,105.26",
        )
        .await;
        // Absolute prices carry no cap.
        assert_eq!(
            browser.aria_invalid(&adjustment).await.as_deref(),
            Some("false")
        );
        shot(&browser, "partner-seed-target").await;
    })
    .await;
}

#[tokio::test]
async fn a_partner_previews_key_by_key_submits_copies_the_link_and_withdraws() {
    with_browser(|browser| async move {
        sign_in_as_fabrikam(&browser).await;
        // Pending partner action comes first in the inbox.
        expect_text(
            &browser,
            "//table[@class='offer-table']/tbody/tr[1]/td[@class='offer-status']",
            "Pending partner action",
        )
        .await;
        open_offer(&browser, "Tailspin analytics expansion").await;

        // Terms: a file that is not a PDF is refused on the file field, a PDF is added.
        let dir = std::env::temp_dir();
        let not_pdf = dir.join(format!("partner-terms-{}.txt", std::process::id()));
        std::fs::write(&not_pdf, "plain text").unwrap();
        let pdf = dir.join(format!("partner-terms-{}.pdf", std::process::id()));
        std::fs::write(&pdf, "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").unwrap();
        let file = browser.input_by_label("Terms and conditions PDF").await;
        file.send_keys(not_pdf.to_str().unwrap()).await.unwrap();
        let name = browser
            .input_by_label("Customer-facing document name")
            .await;
        browser.type_text(&name, "Fabrikam terms").await;
        click(
            &browser,
            "//button[normalize-space()='Add terms and conditions']",
        )
        .await;
        browser
            .wait_for_text(
                "#terms-file-error",
                "Terms and conditions must be a PDF file.",
            )
            .await;
        let file = browser.input_by_label("Terms and conditions PDF").await;
        file.clear().await.unwrap();
        file.send_keys(pdf.to_str().unwrap()).await.unwrap();
        click(
            &browser,
            "//button[normalize-space()='Add terms and conditions']",
        )
        .await;
        browser
            .wait_for_text("#partner-terms", "Fabrikam terms")
            .await;
        let _ = std::fs::remove_file(&not_pdf);
        let _ = std::fs::remove_file(&pdf);

        let adjustment = browser.input_by_label("Customer adjustment %").await;
        let hint = browser.text("#customer-adjustment-percent-hint").await;
        assert!(
            hint.contains("at most 10%"),
            "the cap is shown by the field: {hint}"
        );
        browser.clear_by_keys(&adjustment).await;
        let monthly = format!(
            "{}//output[starts-with(@id, 'customer-price')]",
            row("Flat rate, 1 month")
        );
        let monthly_net = format!(
            "{}//output[starts-with(@id, 'net-discount')]",
            row("Flat rate, 1 month")
        );
        // Partner price $90.00 (10% off $100.00), previewed on every key.
        browser.type_text(&adjustment, "4").await;
        expect_text(&browser, &monthly, "$93.60").await;
        browser.type_text(&adjustment, ".").await;
        assert_eq!(
            browser.value(&adjustment).await,
            "4.",
            "the typed text is kept"
        );
        browser.type_text(&adjustment, "5").await;
        expect_text(&browser, &monthly, "$94.05").await;
        expect_text(&browser, &monthly_net, "5.95%").await;

        // Above the ISV's 10% discount: refused on the field, with the reason.
        browser.clear_by_keys(&adjustment).await;
        browser.type_text(&adjustment, "12").await;
        assert_eq!(
            browser.aria_invalid(&adjustment).await.as_deref(),
            Some("true")
        );
        let error = browser.text("#customer-adjustment-percent-error").await;
        assert!(error.contains("can't exceed the 10% discount"), "{error}");
        shot(&browser, "partner-cap-exceeded").await;
        browser.clear_by_keys(&adjustment).await;
        browser.type_text(&adjustment, "5").await;
        assert_eq!(
            browser.aria_invalid(&adjustment).await.as_deref(),
            Some("false")
        );
        expect_text(&browser, &monthly, "$94.50").await;

        // A missing prepared-by email is refused on its field.
        click(&browser, "//button[normalize-space()='Review and submit']").await;
        let prepared_by = browser.input_by_label("Prepared by").await;
        assert_eq!(
            browser.aria_invalid(&prepared_by).await.as_deref(),
            Some("true")
        );
        browser
            .type_text(&prepared_by, "partner@fabrikam.example")
            .await;
        let note = browser.input_by_label("Sales note").await;
        browser.type_text(&note, "Q4 push").await;
        assert!(browser.text("#sales-note-hint").await.starts_with("7/60"));
        click(&browser, "//button[normalize-space()='Review and submit']").await;

        // Review: $90.00 + $990.00 + $10.50 + $115.00 at +5% = $1,265.78 (per line rounded).
        browser
            .wait_for_text("#review-title", "Review and submit")
            .await;
        assert_eq!(
            browser.wait_for_output("Your payout", "$60.28").await,
            "$60.28"
        );
        let review_monthly =
            "//section[@class='review']//tr[th[contains(., 'Flat rate, 1 month')]]//output";
        expect_text(&browser, review_monthly, "$94.50").await;
        click(&browser, "//label[contains(., 'Net discount')]/input").await;
        expect_text(&browser, review_monthly, "5.5%").await;
        shot(&browser, "partner-review").await;

        click(&browser, "//button[normalize-space()='Submit']").await;
        let link = browser.input_by_label("Customer link").await;
        let url = browser.value(&link).await;
        assert!(url.starts_with(&browser.url("/links/")), "{url}");
        assert!(url.len() > browser.url("/links/").len() + 20, "{url}");
        click(&browser, "//button[normalize-space()='Copy link']").await;
        shot(&browser, "partner-link").await;
        expect_status(&browser, "Pending acceptance", Duration::from_secs(30)).await;

        click(&browser, "//button[normalize-space()='Withdraw']").await;
        expect_status(&browser, "Pending partner action", support::WAIT).await;
        let adjustment = browser.input_by_label("Customer adjustment %").await;
        assert_eq!(browser.value(&adjustment).await, "5");
    })
    .await;
}
