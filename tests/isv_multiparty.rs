//! The demo ISV creates a multiparty private offer in the browser as seed 001 orders it ("Offer
//! setup", its "Product offers", then "Review and submit", each a page of its own): the partner
//! price previews live as the discount is typed, core's validation errors sit next to their
//! fields and block submitting until fixed, what is typed goes along from one page to the next,
//! a draft saves, and the submitted offer shows on the dashboard.

mod support;

use chrono::{Datelike, Months, NaiveDate, Utc};
use fantoccini::Locator;
use support::{with_browser, Browser, DEMO_ISV};

const TAILSPIN_BILLING_ACCOUNT_ID: &str =
    "5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31";

fn last_of_month(date: NaiveDate) -> NaiveDate {
    let first = NaiveDate::from_ymd_opt(date.year(), date.month(), 1).unwrap();
    first
        .checked_add_months(Months::new(1))
        .unwrap()
        .pred_opt()
        .unwrap()
}

async fn partner_price_of(browser: &Browser, point: &str) -> String {
    browser
        .wait_for(&format!("tr[data-price-point='{point}'] .partner-price"))
        .await
        .text()
        .await
        .unwrap()
}

async fn wait_for_partner_price(browser: &Browser, point: &str, expected: &str) {
    for _ in 0..100 {
        if partner_price_of(browser, point).await == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "e2e: the partner price of {point} never showed {expected:?}; it shows {:?}",
        partner_price_of(browser, point).await
    );
}

#[tokio::test]
async fn the_isv_creates_and_submits_a_multiparty_offer() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers", DEMO_ISV).await;
        browser
            .wait_for_text("[role='tab']#tab-multiparty", "Multiparty")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("main a.button", "+ New private offer")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers/multiparty/new").await;
        browser
            .wait_for_text("main h1", "New multiparty private offer")
            .await;
        browser.wait_for_step("Offer setup").await;

        // Nothing typed yet: submitting is not possible.
        browser.wait_enabled("Review and submit", false).await;

        let name = browser.input_by_label("Private offer name").await;
        browser.type_text(&name, "Tailspin pilot").await;
        let description = browser.input_by_label("Description").await;
        browser
            .type_text(&description, "Pilot for the analytics team.")
            .await;
        let account = browser.input_by_label("Customer billing account ID").await;
        browser.type_text(&account, TAILSPIN_BILLING_ACCOUNT_ID).await;

        // A seller ID nobody has is refused next to the field; the right one names the partner.
        let seller = browser.input_by_label("Selling partner seller ID").await;
        browser.type_text(&seller, "99999999").await;
        browser
            .wait_for("#mp-seller-id-error:not([hidden])")
            .await;
        assert_eq!(browser.aria_invalid(&seller).await.as_deref(), Some("true"));
        browser.clear_by_keys(&seller).await;
        browser.type_text(&seller, "10000001").await;
        browser
            .wait_for_text(".partner-found", "Selling partner: Fabrikam Resellers")
            .await;
        browser.wait_for("#mp-seller-id-error[hidden]").await;

        // Dates, on "Customer terms" (a page of its own: what is typed goes along): an accept-by
        // after the end date is an error until fixed.
        browser.click_button("Edit customer terms").await;
        browser.wait_for_step("Customer terms").await;
        browser.wait_for_path("/offers/multiparty/new/terms").await;
        let today = Utc::now().date_naive();
        let end = last_of_month(today.checked_add_months(Months::new(6)).unwrap());
        let too_late = end.checked_add_months(Months::new(1)).unwrap();
        let accept_by = today.checked_add_months(Months::new(1)).unwrap();
        let end_field = browser.input_by_label("Customer end date").await;
        browser.choose_date(&end_field, &end.to_string()).await;
        let accept_field = browser.input_by_label("Accept by").await;
        browser.choose_date(&accept_field, &too_late.to_string()).await;
        browser
            .wait_for_text(
                "#mp-accept-by-error",
                "The customer accept-by date must not be after the customer end date.",
            )
            .await;
        assert_eq!(
            browser.aria_invalid(&accept_field).await.as_deref(),
            Some("true")
        );
        browser.wait_enabled("Review and submit", false).await;
        browser
            .choose_date(&accept_field, &accept_by.to_string())
            .await;
        browser.wait_for("#mp-accept-by-error[hidden]").await;
        browser.click_button("Back to offer setup").await;
        browser.wait_for_step("Offer setup").await;
        browser
            .wait_for_text_containing(
                "main .terms-summary",
                &[&format!("Accept by: {}", accept_by.format("%-d %B %Y"))],
            )
            .await;
        let name = browser.input_by_label("Private offer name").await;
        assert_eq!(browser.value(&name).await, "Tailspin pilot");

        let contacts = browser.input_by_label("Notification contacts").await;
        browser.type_text(&contacts, "deals@contoso.example").await;

        // The sales note counts to 60 and refuses personal data such as an email address.
        let note = browser.input_by_label("Sales note").await;
        browser.type_text(&note, "ask bob@contoso.example").await;
        browser
            .wait_for_text("#mp-sales-note-count", "23 of 60 characters")
            .await;
        browser
            .wait_for_text(
                "#mp-sales-note-error",
                "Don't include any personal data in a sales note, such as names or email addresses.",
            )
            .await;
        browser.wait_enabled("Review and submit", false).await;
        browser.clear_by_keys(&note).await;
        browser.type_text(&note, "Pilot push").await;
        browser
            .wait_for_text("#mp-sales-note-count", "10 of 60 characters")
            .await;
        // Every detail is right, but the product has no plan yet.
        browser.wait_enabled("Review and submit", false).await;
        browser
            .wait_for_text_containing(
                "main .product-summary",
                &["Product 1: not complete yet"],
            )
            .await;

        // "Product offers" is a page of its own: the details typed go along, unsaved.
        browser.click_button("Edit product offers").await;
        browser.wait_for_step("Product offers").await;
        browser
            .wait_for_path("/offers/multiparty/new/products/existing-plans")
            .await;
        browser.wait_enabled("Review and submit", false).await;

        // The plan, then a discount typed key by key: the partner price follows each key.
        let plan = browser.input_by_label("Plan (product 1)").await;
        plan.find(Locator::XPath(
            ".//option[@value='contoso-analytics/pro']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
        let discount = browser.input_by_label("Discount % (product 1)").await;
        browser.type_text(&discount, "1").await;
        wait_for_partner_price(&browser, "flat:one_month", "$99.00").await;
        browser.type_text(&discount, "5").await;
        wait_for_partner_price(&browser, "flat:one_month", "$85.00").await;
        wait_for_partner_price(&browser, "flat:one_year", "$935.00").await;
        assert_eq!(browser.value(&discount).await, "15");
        browser.wait_enabled("Review and submit", true).await;

        // Valid now, with the details from "Offer setup": the draft saves itself to the server.
        browser.wait_for_text("#mp-save-state", "Saved").await;
        let path = browser.current_path().await;
        assert!(
            path.starts_with("/offers/multiparty/mpo") && path.ends_with("/products/existing-plans"),
            "{path}"
        );

        // A change, then straight to the review: it saves what is typed first, so the review
        // (the offer as the server holds it) shows the change, with the ISV's payout after
        // Microsoft's 3% fee.
        browser.clear_by_keys(&discount).await;
        browser.type_text(&discount, "20").await;
        wait_for_partner_price(&browser, "flat:one_month", "$80.00").await;
        browser.wait_enabled("Review and submit", true).await;
        browser.click_button("Review and submit").await;
        browser.wait_for_step("Review and submit").await;
        let setup = path
            .strip_suffix("/products/existing-plans")
            .unwrap()
            .to_owned();
        browser.wait_for_path(&format!("{setup}/review")).await;
        browser
            .wait_for_text_containing(
                "main .review",
                &[
                    "Tailspin pilot",
                    "Fabrikam Resellers (10000001)",
                    "$80.00",
                    "$77.60",
                    "Pilot push",
                    "deals@contoso.example",
                ],
            )
            .await;

        assert!(browser
            .client()
            .find(Locator::Css("main .review input"))
            .await
            .is_err());

        browser.wait_enabled("Submit", true).await;
        browser.click_button("Submit").await;
        browser.wait_for_path("/offers").await;
        browser
            .wait_for_text("[role='tab'][aria-selected='true']", "Multiparty")
            .await;
        let row = "//tr[th[contains(normalize-space(.), 'Tailspin pilot')]]//td[@class='status-cell']";
        let mut status = String::new();
        for _ in 0..100 {
            if let Ok(cell) = browser.client().find(Locator::XPath(row)).await {
                status = cell.text().await.unwrap_or_default();
                if status == "In progress" || status == "Pending partner action" {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            status == "In progress" || status == "Pending partner action",
            "the submitted offer shows {status:?}"
        );

        // Submitted, the offer is locked: its setup and products pages show its review instead,
        // read-only.
        let review = format!("{setup}/review");
        for page in [setup.as_str(), path.as_str()] {
            browser.goto(page).await;
            browser.wait_for_path(&review).await;
            browser
                .wait_for_text_containing(
                    "main .review .notice-info",
                    &["it is locked for edits."],
                )
                .await;
            browser
                .wait_for_text("main .review a", "Back to private offers")
                .await;
            for control in ["main .review input", "main .review button"] {
                assert!(
                    browser.client().find(Locator::Css(control)).await.is_err(),
                    "{page}: the locked review has {control}"
                );
            }
        }

        // Nothing saved, nothing to review: a new offer's review says so and leads back.
        browser.goto("/offers/multiparty/new/review").await;
        browser
            .wait_for_text_containing("main .review .notice-info", &["Nothing to review yet"])
            .await;
        let back = browser
            .wait_for_text("main .review a", "Back to offer setup")
            .await;
        assert_eq!(
            back.attr("href").await.unwrap().as_deref(),
            Some("/offers/multiparty/new")
        );
    })
    .await;
}
