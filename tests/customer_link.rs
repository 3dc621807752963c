//! The customer's link in the browser: the ISV and the partner send a multiparty offer through
//! the real API, the customer opens the link signed out, a reader is refused, the owner accepts,
//! and nothing the customer's browser receives carries a partner price, discount, adjustment %
//! or sales note.

mod customer_flow;
mod support;

use customer_flow::{
    call, send_offer, sign_in_by_api, sign_in_through_accept, table_rows, wait_until, ISV, OFFERS,
    OFFER_NAME, OWNER, PARTNER, READER,
};
use serde_json::{json, Value};
use support::{with_browser, Browser};

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

/// The partner replaces the customer link of the offer `id` once; answers the new token (the
/// old one is then withdrawn).
async fn replace_link(browser: &Browser, id: &str) -> String {
    sign_in_by_api(browser, PARTNER).await;
    let offer = format!("{OFFERS}/{id}");
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
    browser.fetch("DELETE", "/api/v1/session", None).await;
    replaced["customer_link"]["token"]
        .as_str()
        .expect("a replaced link answers its token")
        .to_owned()
}

/// The ISV records a purchase event (`activate`, or a simulated marketplace event) on the plan
/// `plan_id` of the accepted offer `id`.
async fn purchase_event(browser: &Browser, id: &str, plan_id: &str, event: &str) {
    sign_in_by_api(browser, ISV).await;
    let offer = format!("{OFFERS}/{id}");
    let current = call(browser, "GET", &offer, None, 200).await;
    call(
        browser,
        "POST",
        &format!("{offer}/purchases"),
        Some(
            json!({ "version": current["version"], "offer_id": "contoso-analytics",
                     "plan_id": plan_id, "event": event }),
        ),
        200,
    )
    .await;
}

/// Opens the link page and waits until the plan `plan_id` shows the purchase status `status`.
async fn link_shows_purchase(browser: &Browser, token: &str, plan_id: &str, status: &str) {
    browser.goto(&format!("/links/{token}")).await;
    browser
        .wait_for_text("main #accept-title", "Accepted")
        .await;
    browser
        .wait_for_text(
            &format!("main .purchases li[data-plan-id='{plan_id}'] .purchase-status"),
            status,
        )
        .await;
}

fn assert_hides_partner_side(what: &str, text: &str, hidden: &[&str]) {
    for secret in hidden {
        assert!(
            !text.contains(secret),
            "{what} reveals {secret:?} to the customer:\n{text}"
        );
    }
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
        let (id, withdrawn) = send_offer(&browser, &accept_by.to_string(), None, None).await;
        let token = replace_link(&browser, &id).await;

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
        let rows = table_rows(&browser, "main table.prices tbody tr").await;
        for expected in [
            "Contoso Analytics · Pro (flat rate) Flat rate, per month $100.00 $92.86 7.14%",
            "Contoso Analytics · Pro (flat rate) Flat rate, per year $1,100.00 $1,021.45",
            "Contoso Analytics · Team (per user) Per user, per month $12.00 $10.47 12.75%",
            "Contoso Analytics · Team (per user) Per user, per year $132.00 $117.92",
        ] {
            assert!(rows.contains(expected), "no row {expected:?} in:\n{rows}");
        }
        let headers = browser.client().find_all(fantoccini::Locator::Css("main table.prices th[scope='col']")).await.unwrap();
        assert_eq!(headers.len(), 5);
        // The totals add the four flat-rate and per-user prices, not the meters:
        // $92.86 + $1,021.45 + $10.47 + $117.92 against a list of $1,344.00, 101.30 / 1,344 off.
        assert_eq!(
            table_rows(&browser, "main table.prices tfoot tr").await,
            "Total $1,344.00 $1,242.70 7.53720238%"
        );
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
        // Each SaaS product is a purchase, pending until the customer configures it and the
        // ISV activates it.
        for plan in ["pro", "team"] {
            browser
                .wait_for_text(
                    &format!("main .purchases li[data-plan-id='{plan}'] .purchase-status"),
                    "PendingFulfillmentStart",
                )
                .await;
        }
        let purchases = browser.text("main .purchases").await;
        assert!(purchases.contains("Pro (flat rate): PendingFulfillmentStart since"), "{purchases}");
        assert!(purchases.contains("not yet activated by the vendor"), "{purchases}");
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

        // The purchases move on; the link page shows each status as it stands.
        purchase_event(&browser, &id, "pro", "activate").await;
        link_shows_purchase(&browser, &token, "pro", "Subscribed").await;
        link_shows_purchase(&browser, &token, "team", "PendingFulfillmentStart").await;
        purchase_event(&browser, &id, "pro", "payment_missed").await;
        link_shows_purchase(&browser, &token, "pro", "Suspended").await;
        purchase_event(&browser, &id, "team", "cancel").await;
        link_shows_purchase(&browser, &token, "team", "Unsubscribed").await;
        let (_, json_text) = browser.fetch("GET", &link, None).await;
        assert_hides_partner_side("the link after purchases", &json_text, &HIDDEN_JSON);

        // The ISV's dashboard and the partner's offer page show the same purchases.
        let row = format!("main tr[data-offer-id='{id}']");
        browser.goto("/offers?tab=multiparty").await;
        browser.wait_for_text(&format!("{row} .status-cell li[data-plan-id='pro'] .purchase-status"), "Suspended").await;
        browser.wait_for_text(&format!("{row} .status-cell li[data-plan-id='team'] .purchase-status"), "Unsubscribed").await;
        sign_in_by_api(&browser, PARTNER).await;
        browser.goto("/partner/offers").await;
        let listed = format!("//tr[th[normalize-space(.)='{OFFER_NAME}']]//td[@class='offer-status']");
        let cell = browser.client().wait().at_most(support::WAIT).for_element(fantoccini::Locator::XPath(&listed)).await.unwrap();
        let listed = cell.text().await.unwrap();
        assert!(listed.starts_with("Accepted"), "{listed}");
        assert!(listed.contains("Pro (flat rate): Suspended since"), "{listed}");
        assert!(listed.contains("Team (per user): Unsubscribed since"), "{listed}");
        browser.goto(&format!("/partner/offers/{id}")).await;
        browser.wait_for_text("main #offer-status", "Accepted").await;
        browser.wait_for_text("main .purchases li[data-plan-id='pro'] .purchase-status", "Suspended").await;
        browser.wait_for_text("main .purchases li[data-plan-id='team'] .purchase-status", "Unsubscribed").await;
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

        // Once nothing purchased is subscribed, the ISV cancels with both confirmations, and
        // the customer's link then says the offer was cancelled.
        purchase_event(&browser, &id, "pro", "cancel").await;
        offer_action(&browser, ISV, &id, "cancellation", json!({ "reason": "Wrong plan" })).await;
        offer_action(&browser, PARTNER, &id, "cancellation/confirm", json!({})).await;
        offer_action(&browser, OWNER, &id, "cancellation/confirm", json!({})).await;
        offer_action(&browser, ISV, &id, "cancel", json!({})).await;
        browser.goto(&format!("/links/{token}")).await;
        browser.wait_for_text("main h1", "This offer was cancelled").await;
        browser.wait_for("main [data-link-status='cancelled']").await;
        let shown = browser.text("main").await;
        assert!(!shown.contains(OFFER_NAME), "{shown}");
        assert_hides_partner_side("the cancelled page", &shown, &HIDDEN_TEXT);
    })
    .await;
}

/// `who` posts `action` (with `body` and the version it reads) on the offer `id`.
async fn offer_action(browser: &Browser, who: &str, id: &str, action: &str, mut body: Value) {
    sign_in_by_api(browser, who).await;
    let offer = format!("{OFFERS}/{id}");
    let current = call(browser, "GET", &offer, None, 200).await;
    body["version"] = current["version"].clone();
    call(
        browser,
        "POST",
        &format!("{offer}/{action}"),
        Some(body),
        200,
    )
    .await;
}
