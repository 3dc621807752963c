//! The customer's link in the browser: the ISV and the partner send a multiparty offer through
//! the real API, the customer opens the link signed out, a reader is refused, the owner accepts,
//! and nothing the customer's browser receives carries a partner price, discount, adjustment %
//! or sales note.

mod support;

use std::time::{Duration, Instant};

use serde_json::{json, Value};
use support::{with_browser, Browser};

const PASSWORD: &str = "demo-password";
const ISV: &str = "isv@contoso.example";
const PARTNER: &str = "partner@fabrikam.example";
const OWNER: &str = "customer@tailspin.example";
const READER: &str = "reader@tailspin.example";
const OFFERS: &str = "/api/v1/multiparty-offers";
const OFFER_NAME: &str = "Tailspin analytics rollout";

/// What only the ISV or the partner entered or sees; none of it may reach the customer.
/// Pro lists at $100.00 a month and $1,100.00 a year, less 12.5%: partner $87.50 and $962.50;
/// its meters $0.0015 and $0.12 per unit: partner $0.0013125 and $0.105. Team's absolute partner
/// prices are $9.87 and $111.11. The adjustment is 6.125%.
const HIDDEN_JSON: [&str; 14] = [
    "\"87.5\"",
    "\"962.5\"",
    "\"0.0013125\"",
    "\"0.105\"",
    "\"9.87\"",
    "\"111.11\"",
    "\"12.5\"",
    "\"6.125\"",
    "\"partner_price\"",
    "\"customer_adjustment_percent\"",
    "\"discount_percent\"",
    "ISV-SECRET-NOTE",
    "PARTNER-SECRET-NOTE",
    "ISV-SECRET-DESCRIPTION",
];
const HIDDEN_TEXT: [&str; 11] = [
    "87.50",
    "962.50",
    "0.0013125",
    "9.87",
    "111.11",
    "12.5%",
    "6.125",
    "ISV-SECRET-NOTE",
    "PARTNER-SECRET-NOTE",
    "ISV-SECRET-DESCRIPTION",
    "ops@fabrikam.example",
];

fn isv_part(accept_by: &str) -> Value {
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

fn partner_part(version: &Value) -> Value {
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
async fn call(
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
async fn sign_in_by_api(browser: &Browser, email: &str) {
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
async fn wait_until(browser: &Browser, path: &str, ready: impl Fn(u16, &str) -> bool) -> String {
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

/// The ISV creates and submits, the partner finalizes and submits, then replaces the link once
/// (so the first link is withdrawn). Answers the offer ID, the live token and the withdrawn one.
async fn offer_sent_to_the_customer(
    browser: &Browser,
    accept_by: &str,
) -> (String, String, String) {
    sign_in_by_api(browser, ISV).await;
    let created = call(browser, "POST", OFFERS, Some(isv_part(accept_by)), 201).await;
    let id = created["id"].as_str().expect("an offer ID").to_owned();
    let offer = format!("{OFFERS}/{id}");
    call(
        browser,
        "POST",
        &format!("{offer}/submit"),
        Some(json!({ "version": created["version"] })),
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
    let submitted = call(
        browser,
        "POST",
        &format!("{offer}/submit"),
        Some(json!({ "version": edited["version"] })),
        200,
    )
    .await;
    let withdrawn = submitted["customer_link"]["token"]
        .as_str()
        .expect("the partner's submit answers the customer link")
        .to_owned();
    wait_until(
        browser,
        &format!("/api/v1/links/{withdrawn}"),
        |status, _| status == 200,
    )
    .await;
    let current: Value =
        serde_json::from_str(&wait_until(browser, &offer, |s, _| s == 200).await).unwrap();
    let replaced = call(
        browser,
        "POST",
        &format!("{offer}/customer-link"),
        Some(json!({ "version": current["version"] })),
        200,
    )
    .await;
    let token = replaced["customer_link"]["token"]
        .as_str()
        .expect("a replaced link answers its token")
        .to_owned();
    browser.fetch("DELETE", "/api/v1/session", None).await;
    (id, token, withdrawn)
}

fn assert_hides_partner_side(what: &str, text: &str, hidden: &[&str]) {
    for secret in hidden {
        assert!(
            !text.contains(secret),
            "{what} reveals {secret:?} to the customer:\n{text}"
        );
    }
}

/// Clicks "Accept" signed out, signs in as `email` on the sign-in page and comes back.
async fn sign_in_through_accept(browser: &Browser, token: &str, email: &str) {
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

/// From now until the next full page load, keeps the text of every answer the page's `fetch`
/// receives in `window.__answers` (the sign-in and the acceptance run without a reload).
async fn record_answers(browser: &Browser) {
    browser
        .client()
        .execute(
            r#"window.__answers = [];
               const original = window.fetch.bind(window);
               window.fetch = async (...args) => {
                   const response = await original(...args);
                   window.__answers.push(await response.clone().text());
                   return response;
               };"#,
            vec![],
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn the_customer_opens_the_link_a_reader_is_refused_and_the_owner_accepts() {
    with_browser(|browser| async move {
        let today = chrono::Local::now().date_naive();
        let accept_by = today + chrono::Days::new(10);
        browser.goto("/").await;
        let (id, token, withdrawn) =
            offer_sent_to_the_customer(&browser, &accept_by.to_string()).await;

        // Signed out, the link shows the customer's projection and nothing of the partner side.
        let link = format!("/api/v1/links/{token}");
        let (status, json_text) = browser.fetch("GET", &link, None).await;
        assert_eq!(status, 200, "{json_text}");
        assert_hides_partner_side("GET /api/v1/links/{token}", &json_text, &HIDDEN_JSON);

        browser.goto(&format!("/links/{token}")).await;
        browser.wait_for_text("main h1", OFFER_NAME).await;
        browser.wait_for_text("main .isv-company", "Contoso Software").await;
        browser.wait_for_text("main .partner-company", "Fabrikam Resellers").await;
        browser.wait_for_text("main .prepared-by", "rep@fabrikam.example").await;
        browser.wait_for_text("main .start", "When you accept").await;
        browser.wait_for_text("main .end", "31 December 2027").await;
        browser
            .wait_for_text(
                "main .accept-by",
                &format!("{} (10 days left)", accept_by.format("%-d %B %Y")),
            )
            .await;
        browser
            .wait_for_text(
                "main table.prices caption",
                "Your price for each plan, in USD, with the list price and your net discount off list",
            )
            .await;
        // $100.00 less 12.5% is $87.50; plus 6.125% is $92.86 (7.14% off list).
        let mut rows = Vec::new();
        for row in browser
            .client()
            .find_all(fantoccini::Locator::Css("main table.prices tbody tr"))
            .await
            .unwrap()
        {
            let text = row.text().await.unwrap();
            rows.push(text.split_whitespace().collect::<Vec<_>>().join(" "));
        }
        let rows = rows.join("\n");
        for expected in [
            "Pro (flat rate) Flat rate, per month $100.00 $92.86 7.14%",
            "Pro (flat rate) Flat rate, per year $1,100.00 $1,021.45",
            "Team (per user) Per user, per month $12.00 $10.47 12.75%",
            "Team (per user) Per user, per year $132.00 $117.92",
        ] {
            assert!(rows.contains(expected), "no row {expected:?} in:\n{rows}");
        }
        let headers = browser.client().find_all(fantoccini::Locator::Css("main table.prices th[scope='col']")).await.unwrap();
        assert_eq!(headers.len(), 5);
        let page_text = browser.text("main").await;
        assert_hides_partner_side("the page text", &page_text, &HIDDEN_TEXT);
        let source = browser.client().source().await.unwrap();
        assert_hides_partner_side("the page source", &source, &HIDDEN_TEXT);

        // A reader may look but is told why it may not accept.
        sign_in_through_accept(&browser, &token, READER).await;
        browser.wait_for("main button.accept-button").await.click().await.unwrap();
        browser
            .wait_for_text(
                "main .accept-refused",
                "Only an owner, contributor or signatory on the billing account can accept the offer; a reader may only look at it.",
            )
            .await;
        browser.wait_for_text("main .status-badge", "Pending acceptance").await;

        // The owner accepts.
        browser.wait_for("header button.link-button").await.click().await.unwrap();
        browser.wait_for("header a[href='/sign-in']").await;
        // Signing out leads home; the owner opens the link again.
        browser.goto(&format!("/links/{token}")).await;
        record_answers(&browser).await;
        sign_in_through_accept(&browser, &token, OWNER).await;
        let accept = browser.wait_for("main button.accept-button").await;
        accept.click().await.unwrap();
        browser.wait_for_text("main #accept-title", "Accepted").await;
        browser.wait_for_text("main .status-badge", "Accepted").await;
        let purchases = browser.text("main .purchase-statuses").await;
        for status in ["PendingFulfillmentStart", "Subscribed", "Suspended", "Unsubscribed"] {
            assert!(purchases.contains(status), "{status} is explained: {purchases}");
        }
        let answers = browser
            .client()
            .execute("return window.__answers;", vec![])
            .await
            .unwrap();
        let answers: Vec<String> = serde_json::from_value(answers).unwrap();
        assert!(
            answers.iter().any(|answer| answer.contains("\"Accepted\"")),
            "the acceptance's answer was recorded: {answers:?}"
        );
        for answer in &answers {
            assert_hides_partner_side("an answer to the customer's page", answer, &HIDDEN_JSON);
        }
        let page_text = browser.text("main").await;
        assert_hides_partner_side("the accepted page", &page_text, &HIDDEN_TEXT);

        // The ISV and the partner see it Accepted.
        for party in [ISV, PARTNER] {
            sign_in_by_api(&browser, party).await;
            let view = call(&browser, "GET", &format!("{OFFERS}/{id}"), None, 200).await;
            assert_eq!(view["offer"]["status"], "Accepted", "{party}: {view}");
        }
        browser.fetch("DELETE", "/api/v1/session", None).await;

        // The replaced link says it was withdrawn, and reveals nothing else.
        let (status, text) = browser.fetch("GET", &format!("/api/v1/links/{withdrawn}"), None).await;
        assert_eq!(status, 410, "{text}");
        assert!(text.contains("\"withdrawn\""), "{text}");
        browser.goto(&format!("/links/{withdrawn}")).await;
        browser.wait_for_text("main h1", "This offer link was withdrawn").await;
        let shown = browser.text("main").await;
        assert_hides_partner_side("the withdrawn page", &shown, &HIDDEN_TEXT);
        assert!(!shown.contains(OFFER_NAME), "{shown}");
        browser.wait_for("main [data-link-status='withdrawn']").await;

        // An unknown link says so.
        browser.goto("/links/no-such-link-token").await;
        browser.wait_for_text("main h1", "No offer at this link").await;
        browser.wait_for("main [data-link-status='unknown']").await;
    })
    .await;
}
