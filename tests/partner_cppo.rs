//! The consulting partner's CPPO pages end to end: the resale authorizations Fabrikam received,
//! and a private offer created from one as a person types it: a refused markup, a buyer price
//! below wholesale and a short buyer account ID fixed on their fields, live prices and payouts,
//! a payment schedule split evenly then mis-edited and mended; published, then "Copy link".

mod partner_common;
mod support;

use fantoccini::Locator;
use partner_common::{
    api, api_sign_in, api_sign_out, click, expect_contains, expect_text, find, shot,
    sign_in_as_fabrikam,
};
use serde_json::{json, Value};
use support::with_browser;

/// The ISV (signed in) activates its draft `authorization` (an answer of the API: `id`,
/// `version`).
async fn activate(browser: &support::Browser, authorization: &Value) {
    let id = authorization["id"].as_str().unwrap();
    let (status, active) = api(
        browser,
        "POST",
        &format!("/api/v1/resale-authorizations/{id}/activate"),
        json!({ "version": authorization["version"] }),
        "",
    )
    .await;
    assert_eq!(status, 200, "{active}");
}

#[tokio::test]
async fn a_partner_creates_and_publishes_a_private_offer_from_a_resale_authorization() {
    with_browser(|browser| async move {
        sign_in_as_fabrikam(&browser, "/partner/offers").await;
        click(&browser, "//nav//a[normalize-space()='Resale authorizations']").await;
        browser.wait_for_path("/partner/cppo").await;
        // The demo's recurring authorization: 20% off Contoso Analytics Pro and Team.
        let row = "//table[@id='authorizations']//tr[th[normalize-space()='Contoso Software']]";
        let shown = expect_contains(&browser, row, "Recurring discount").await;
        for expected in [
            "contoso-analytics / pro, contoso-analytics / team",
            "20%",
            "Indefinitely, until you or the ISV end it",
            "Active",
        ] {
            assert!(shown.contains(expected), "{expected} in {shown}");
        }
        click(&browser, &format!("{row}//a[normalize-space()='Create offer']")).await;
        browser
            .wait_for_text("#buyer-offer-title", "Create a private offer for a buyer")
            .await;

        // Contoso Analytics Pro, 1 year: $1,100.00 list, $880.00 wholesale; 2 years of it.
        let price = browser.input_by_label("Product and price").await;
        let option = price
            .find(Locator::XPath(
                "option[contains(., 'Contoso Analytics, Pro (flat rate): Flat rate, 1 year')]",
            ))
            .await
            .unwrap();
        option.click().await.unwrap();
        expect_text(&browser, "//*[@id='wholesale-0']", "$880.00").await;
        let quantity = browser.input_by_label("Quantity").await;
        browser.clear_by_keys(&quantity).await;
        browser.type_text(&quantity, "2").await;

        // A markup has at most 9 decimal places.
        let markup = browser.input_by_label("Markup %").await;
        browser.type_text(&markup, "12.5000000001").await;
        browser
            .wait_for_text(
                "#line-0-amount-error",
                "Markup % may have at most 9 decimal places.",
            )
            .await;
        assert_eq!(browser.aria_invalid(&markup).await.as_deref(), Some("true"));
        expect_text(&browser, "//*[@id='buyer-price-0']", "—").await;
        browser.clear_by_keys(&markup).await;
        browser.type_text(&markup, "12.5").await;
        assert_eq!(browser.aria_invalid(&markup).await.as_deref(), Some("false"));
        expect_text(&browser, "//*[@id='buyer-price-0']", "$990.00").await;
        expect_text(&browser, "//*[@id='buyer-total-0']", "$1,980.00").await;

        // Or an absolute buyer price, never below wholesale.
        let by = browser.input_by_label("Set the buyer price by").await;
        by.select_by_value("buyer_price").await.unwrap();
        let buyer_price = browser.input_by_label("Buyer price").await;
        browser.type_text(&buyer_price, "800").await;
        browser
            .wait_for_text(
                "#line-0-amount-error",
                "The buyer price can't be below your wholesale price of $880.00.",
            )
            .await;
        assert_eq!(
            browser.aria_invalid(&buyer_price).await.as_deref(),
            Some("true")
        );
        browser.clear_by_keys(&buyer_price).await;
        browser.type_text(&buyer_price, "990.00").await;
        expect_text(&browser, "//*[@id='buyer-price-0']", "$990.00").await;

        // The contract value and each party's payout after the AWS fees: the ISV's $1,760.00
        // wholesale less 3%; the partner's $220.00 markup less 3% and 0.5%.
        assert_eq!(browser.wait_for_output("Contract value", "$1,980.00").await, "$1,980.00");
        assert_eq!(browser.wait_for_output("ISV payout", "$1,707.20").await, "$1,707.20");
        assert_eq!(browser.wait_for_output("Your payout", "$212.30").await, "$212.30");

        // A payment schedule of 7: an even split, the remaining cents on the first.
        click(&browser, "//label[contains(., 'Add a payment schedule')]/input").await;
        let count = browser.input_by_label("Number of installments").await;
        browser.type_text(&count, "7").await;
        let first = browser.input_by_label("Installment 1").await;
        assert_eq!(browser.value(&first).await, "282.90");
        let second = browser.input_by_label("Installment 2").await;
        assert_eq!(browser.value(&second).await, "282.85");
        browser.clear_by_keys(&second).await;
        browser.type_text(&second, "300.00").await;
        browser
            .wait_for_text(
                "#payment-schedule-error",
                "The installments add up to $1,997.15, not the contract value $1,980.00 ($17.15 too much).",
            )
            .await;
        shot(&browser, "partner-cppo-schedule").await;
        browser.clear_by_keys(&second).await;
        browser.type_text(&second, "282.85").await;
        let schedule_error = find(&browser, "//*[@id='payment-schedule-error']").await;
        assert_eq!(
            schedule_error.attr("hidden").await.unwrap().as_deref(),
            Some("true"),
            "the schedule adds up again"
        );

        // Publishing with a short buyer account ID is refused on that field.
        let buyer = browser.input_by_label("Buyer account ID").await;
        browser.type_text(&buyer, "21098765432").await;
        click(&browser, "//button[normalize-space()='Publish offer']").await;
        browser
            .wait_for_text(
                "#buyer-account-id-error",
                "The buyer's account ID must be a 12-digit AWS account ID.",
            )
            .await;
        assert_eq!(browser.aria_invalid(&buyer).await.as_deref(), Some("true"));
        browser.type_text(&buyer, "1").await;
        assert_eq!(browser.aria_invalid(&buyer).await.as_deref(), Some("false"));
        click(&browser, "//button[normalize-space()='Publish offer']").await;

        browser.wait_for_text("#published-title", "Published").await;
        let link = browser.input_by_label("Customer link").await;
        let url = browser.value(&link).await;
        assert!(url.starts_with(&browser.url("/links/")), "{url}");
        click(&browser, "//button[normalize-space()='Copy link']").await;
        expect_contains(&browser, "//div[@class='customer-link']/p", "Link copied.").await;
        shot(&browser, "partner-cppo-published").await;

        // The offer is listed with the demo's, Published.
        click(&browser, "//section[@class='published']//a[normalize-space()='Back to resale authorizations']").await;
        let made = "//table[@id='buyer-offers']//tr[td[normalize-space()='$1,980.00']]";
        let shown = expect_contains(&browser, made, "Published").await;
        assert!(shown.contains("210987654321"), "{shown}");
    })
    .await;
}

#[tokio::test]
async fn a_non_recurring_discount_serves_its_one_buyer_once() {
    with_browser(|browser| async move {
        // The ISV signs the demo's draft non-recurring authorization (25% off Pro, Tailspin).
        api_sign_in(&browser, "isv@contoso.example").await;
        let (_, list) = api(
            &browser,
            "GET",
            "/api/v1/resale-authorizations",
            Value::Null,
            "",
        )
        .await;
        let draft = list["authorizations"]
            .as_array()
            .unwrap()
            .iter()
            .find(|item| item["authorization"]["status"] == "Draft")
            .unwrap_or_else(|| panic!("the demo's draft authorization: {list}"))
            .clone();
        activate(&browser, &draft).await;
        api_sign_out(&browser).await;

        sign_in_as_fabrikam(&browser, "/partner/cppo").await;
        let row = "//table[@id='authorizations']//tr[td[contains(., 'Non-recurring discount')]]";
        let shown = expect_contains(&browser, row, "Once, for Tailspin Toys (210987654321)").await;
        assert!(shown.contains("25%") && shown.contains("Active"), "{shown}");
        click(
            &browser,
            &format!("{row}//a[normalize-space()='Create offer']"),
        )
        .await;

        // The named buyer is filled in; another buyer is refused.
        let buyer = browser.input_by_label("Buyer account ID").await;
        assert_eq!(browser.value(&buyer).await, "210987654321");
        browser.clear_by_keys(&buyer).await;
        browser.type_text(&buyer, "444455556666").await;
        browser
            .wait_for_text(
                "#buyer-account-id-error",
                "This non-recurring authorization is for one buyer only: account 210987654321.",
            )
            .await;
        browser.clear_by_keys(&buyer).await;
        browser.type_text(&buyer, "210987654321").await;
        assert_eq!(browser.aria_invalid(&buyer).await.as_deref(), Some("false"));

        // Pro, 1 month: $100.00 less 25% is $75.00; 12 months at 20% markup, $90.00 each.
        let markup = browser.input_by_label("Markup %").await;
        expect_text(&browser, "//*[@id='wholesale-0']", "$75.00").await;
        let quantity = browser.input_by_label("Quantity").await;
        browser.clear_by_keys(&quantity).await;
        browser.type_text(&quantity, "12").await;
        browser.type_text(&markup, "20").await;
        assert_eq!(
            browser.wait_for_output("Contract value", "$1,080.00").await,
            "$1,080.00"
        );
        // The accept-by date can't be in the past.
        let accept_by = browser.input_by_label("Accept by").await;
        browser.clear_by_keys(&accept_by).await;
        browser.type_text(&accept_by, "2020-01-31").await;
        browser
            .wait_for_text(
                "#accept-by-error",
                "The accept-by date can't be in the past.",
            )
            .await;
        browser.clear_by_keys(&accept_by).await;
        let later = chrono::Utc::now().date_naive() + chrono::Days::new(14);
        browser.type_text(&accept_by, &later.to_string()).await;
        assert_eq!(
            browser.aria_invalid(&accept_by).await.as_deref(),
            Some("false")
        );
        click(&browser, "//button[normalize-space()='Publish offer']").await;
        browser.wait_for_text("#published-title", "Published").await;

        // Used once: no other offer can be made under it.
        click(
            &browser,
            "//section[@class='published']//a[normalize-space()='Back to resale authorizations']",
        )
        .await;
        let shown = expect_contains(&browser, row, "Used for its one buyer").await;
        assert!(shown.contains("Used"), "{shown}");
        let create = browser
            .client()
            .find_all(Locator::XPath(&format!(
                "{row}//a[normalize-space()='Create offer']"
            )))
            .await
            .unwrap();
        assert!(create.is_empty(), "no Create offer once used");
    })
    .await;
}

/// The list of received authorizations reads every page of the API's answer (50 to a page):
/// 50 newer authorizations push the demo's onto the second page, and it still shows.
#[tokio::test]
async fn every_received_authorization_shows_past_the_first_page_of_the_list() {
    with_browser(|browser| async move {
        api_sign_in(&browser, "isv@contoso.example").await;
        for _ in 0..50 {
            let (status, made) = api(
                &browser,
                "POST",
                "/api/v1/resale-authorizations",
                json!({
                    "products": [ { "offer_id": "contoso-analytics", "plan_id": "team" } ],
                    "discount_percent": "5",
                    "partner_aws_account_id": "111122223333",
                    "kind": { "discount": "recurring", "until": null }
                }),
                "",
            )
            .await;
            assert_eq!(status, 201, "{made}");
            activate(&browser, &made).await;
        }
        api_sign_out(&browser).await;

        sign_in_as_fabrikam(&browser, "/partner/cppo").await;
        let demo = "//table[@id='authorizations']//tr[td[normalize-space()='20%']]";
        expect_contains(
            &browser,
            demo,
            "contoso-analytics / pro, contoso-analytics / team",
        )
        .await;
        let rows = browser
            .client()
            .find_all(Locator::XPath(
                "//table[@id='authorizations']/tbody/tr[td[normalize-space()='5%']]",
            ))
            .await
            .unwrap();
        assert_eq!(rows.len(), 50, "every new authorization is listed");
    })
    .await;
}
