//! The selling partner's multiparty pages end to end: the inbox, the live preview typed key by
//! key, the seed's target example, the cap, review and submit, the customer link and withdraw.

mod partner_common;
mod support;

use std::time::{Duration, Instant};

use partner_common::{
    api, api_sign_in, api_sign_out, click, expect_contains, expect_text, find, shot,
    wait_for_api_status,
};
use serde_json::{json, Value};
use support::{with_browser, Browser};

const FABRIKAM_SELLER_ID: &str = "10000001";
const TAILSPIN_BILLING_ACCOUNT_ID: &str =
    "5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31";

/// The ISV's part of an offer to Fabrikam for Tailspin with absolute partner prices of $95.00
/// (per user, 1 month) and $1,000.00 (per user, 1 year), from `start` to `end`, to accept by
/// `accept_by`.
fn seed_offer(
    name: &str,
    start: Value,
    end: chrono::NaiveDate,
    accept_by: chrono::NaiveDate,
) -> Value {
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
        "customer_start": start,
        "customer_end": end,
        "accept_by": accept_by,
        "terms": [],
        "notification_contacts": [],
        "sales_note": "",
        "renewal": false
    })
}

/// As the signed-in ISV, submits the draft answered as `created` and waits until it is Pending
/// partner action; answers its ID.
async fn isv_submits(browser: &Browser, created: Value) -> String {
    let id = created["id"]
        .as_str()
        .unwrap_or_else(|| panic!("a draft: {created}"))
        .to_owned();
    let (status, submitted) = api(
        browser,
        "POST",
        &format!("/api/v1/multiparty-offers/{id}/submit"),
        json!({ "version": created["version"] }),
        &format!("e2e-isv-submit-{id}"),
    )
    .await;
    assert!((200..300).contains(&status), "the ISV submits: {submitted}");
    let path = format!("/api/v1/multiparty-offers/{id}");
    wait_for_api_status(browser, &path, "PendingPartnerAction").await;
    id
}

/// As the ISV (through the API), creates and submits the seed offer ending in a year, and waits
/// until it is Pending partner action. Signs out again; answers its ID.
async fn isv_sends_seed_offer(browser: &Browser, name: &str) -> String {
    api_sign_in(browser, "isv@contoso.example").await;
    let today = chrono::Utc::now().date_naive();
    let end = offerdesk_core::field::last_of_month(today + chrono::Months::new(12));
    let accept_by = today + chrono::Days::new(20);
    let body = seed_offer(name, json!({ "start": "on_acceptance" }), end, accept_by);
    let (status, created) = api(browser, "POST", "/api/v1/multiparty-offers", body, "").await;
    assert!(
        (200..300).contains(&status),
        "the ISV creates the offer: {created}"
    );
    let id = isv_submits(browser, created).await;
    api_sign_out(browser).await;
    id
}

/// Signs in through the sign-in form as a person does and lands on the partner inbox.
async fn sign_in_as_fabrikam(browser: &Browser) {
    partner_common::sign_in_as_fabrikam(browser, "/partner/offers").await;
    browser.wait_for("table.offer-table").await;
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
        expect_contains(&browser, "//*[@id='partner-terms']", "Fabrikam terms").await;
        // A second document, added by mistake, is removed again.
        let file = browser.input_by_label("Terms and conditions PDF").await;
        file.send_keys(pdf.to_str().unwrap()).await.unwrap();
        let name = browser
            .input_by_label("Customer-facing document name")
            .await;
        browser.type_text(&name, "Old terms").await;
        click(
            &browser,
            "//button[normalize-space()='Add terms and conditions']",
        )
        .await;
        click(&browser, "//button[@aria-label='Remove Old terms']").await;
        expect_text(
            &browser,
            "//*[@id='partner-terms']",
            "Fabrikam terms Remove",
        )
        .await;
        let _ = std::fs::remove_file(&not_pdf);
        let _ = std::fs::remove_file(&pdf);

        let adjustment = browser.input_by_label("Customer adjustment %").await;
        let hint = browser.text("#customer-adjustment-percent-hint").await;
        assert!(
            hint.contains("at most 10%"),
            "the cap is shown by the field: {hint}"
        );
        // Lines are named by their offer and plan.
        find(
            &browser,
            &row("Contoso Analytics, Pro (flat rate): Flat rate, 1 month"),
        )
        .await;
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

#[tokio::test]
async fn an_upgrade_at_renewal_opens_only_the_partners_part() {
    with_browser(|browser| async move {
        // The seed offer goes to the customer at +5% and is accepted.
        let id = isv_sends_seed_offer(&browser, "Tailspin renewal").await;
        let path = format!("/api/v1/multiparty-offers/{id}");
        api_sign_in(&browser, "partner@fabrikam.example").await;
        let (_, offer) = api(&browser, "GET", &path, Value::Null, "").await;
        let (status, edited) = api(
            &browser,
            "PUT",
            &format!("{path}/partner"),
            json!({ "version": offer["version"], "customer_adjustment_percent": "5",
                    "prepared_by": "partner@fabrikam.example", "terms": [],
                    "notification_contacts": [], "sales_note": "" }),
            "",
        )
        .await;
        assert_eq!(status, 200, "{edited}");
        let (status, submitted) = api(
            &browser,
            "POST",
            &format!("{path}/submit"),
            json!({ "version": edited["version"] }),
            &format!("e2e-partner-submit-{id}"),
        )
        .await;
        assert_eq!(status, 200, "{submitted}");
        let token = submitted["customer_link"]["token"].as_str().unwrap().to_owned();
        wait_for_api_status(&browser, &path, "PendingAcceptance").await;
        api_sign_in(&browser, "customer@tailspin.example").await;
        let (status, accepted) = api(
            &browser,
            "POST",
            &format!("/api/v1/links/{token}/accept"),
            json!({}),
            "",
        )
        .await;
        assert_eq!(status, 200, "{accepted}");

        // The ISV upgrades it at renewal: the month after it ends, for another year.
        api_sign_in(&browser, "isv@contoso.example").await;
        let (_, old) = api(&browser, "GET", &path, Value::Null, "").await;
        let old_end: chrono::NaiveDate =
            serde_json::from_value(old["offer"]["isv"]["customer_end"].clone()).unwrap();
        let start = old_end + chrono::Days::new(1);
        let end = offerdesk_core::field::last_of_month(start + chrono::Months::new(11));
        // The customer sees it from its start month: it is accepted in that month.
        let accept_by = start + chrono::Days::new(10);
        let body = seed_offer(
            "Tailspin renewal",
            json!({ "start": "month", "month": start }),
            end,
            accept_by,
        );
        let (status, upgrade) = api(&browser, "POST", &format!("{path}/upgrade"), body, "").await;
        assert_eq!(status, 201, "{upgrade}");
        isv_submits(&browser, upgrade).await;
        api_sign_out(&browser).await;

        sign_in_as_fabrikam(&browser).await;
        // The offer it renews can't be read at first: the note says so, and reads it again.
        browser.block_requests(&[&format!("*{path}")]).await;
        click(
            &browser,
            "//table//tr[td[@class='offer-status'][normalize-space()='Pending partner action']]//a[normalize-space()='Tailspin renewal']",
        )
        .await;
        browser.wait_for_text("#upgrade-title", "Upgrade at renewal").await;
        browser
            .wait_for_text_containing(
                ".upgrade-note .notice-error",
                &["The current offer could not be read."],
            )
            .await;
        browser.block_requests(&[]).await;
        click(&browser, "//section[@class='upgrade-note']//button[normalize-space()='Try again']").await;
        expect_text(&browser, "//*[@id='previous-adjustment']", "5%").await;
        // Only the partner's fields take input; what the ISV set is read-only.
        let inputs = browser
            .client()
            .find_all(fantoccini::Locator::Css("section.isv-setup input, section.isv-setup textarea"))
            .await
            .unwrap();
        assert!(inputs.is_empty(), "the ISV's setup is read-only");
        let adjustment = browser.input_by_label("Customer adjustment %").await;
        assert_eq!(browser.value(&adjustment).await, "5", "carried over");
        browser.clear_by_keys(&adjustment).await;
        browser.type_text(&adjustment, "6.123456789").await;
        let error = browser.text("#customer-adjustment-percent-error").await;
        assert!(error.contains("at most 8 decimal places"), "{error}");
        assert_eq!(browser.aria_invalid(&adjustment).await.as_deref(), Some("true"));
        browser.clear_by_keys(&adjustment).await;
        browser.type_text(&adjustment, "6").await;
        assert_eq!(browser.aria_invalid(&adjustment).await.as_deref(), Some("false"));
        expect_text(
            &browser,
            &format!("{}//output[starts-with(@id, 'customer-price')]", row("Per user, 1 month")),
            "$100.70",
        )
        .await;
        shot(&browser, "partner-upgrade").await;
        click(&browser, "//button[normalize-space()='Review and submit']").await;
        browser.wait_for_text("#review-title", "Review and submit").await;
        click(&browser, "//button[normalize-space()='Submit']").await;
        let link = browser.input_by_label("Customer link").await;
        assert!(browser.value(&link).await.starts_with(&browser.url("/links/")));
    })
    .await;
}
