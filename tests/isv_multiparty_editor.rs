//! The multiparty form beyond existing plans (seed 001): the new SaaS plan editor (per user with
//! minimum and maximum users, flat rate with included quantities), the VM software reservation
//! table with its subtotals and total, each submitted; drafts saved to the server as the ISV
//! types (resumed after a reload, edited again), drafts kept in the browser while they cannot be
//! saved or while the server cannot be reached (saved once it is back), what is typed taken
//! along between "Offer setup" and "Product offers" (pages of their own), terms PDFs, and the
//! prompt before leaving unsaved changes by an in-app link or the browser's Back button.

mod support;

use std::time::Duration;

use chrono::{Datelike, Months, NaiveDate, Utc};
use fantoccini::Locator;
use support::{with_browser, Browser, KEPT_IN_THIS_BROWSER};

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

/// Opens a new multiparty offer as the demo ISV.
async fn open_new_offer(browser: &Browser) {
    browser.goto("/offers/multiparty/new").await;
    browser.sign_in_with_form(support::DEMO_ISV).await;
    browser.wait_for_path("/offers/multiparty/new").await;
    browser
        .wait_for_text("main h1", "New multiparty private offer")
        .await;
}

async fn type_into(browser: &Browser, label: &str, text: &str) {
    let field = browser.input_by_label(label).await;
    browser.clear_by_keys(&field).await;
    browser.type_text(&field, text).await;
}

async fn choose(browser: &Browser, label: &str, value: &str) {
    browser
        .input_by_label(label)
        .await
        .find(Locator::XPath(&format!(".//option[@value='{value}']")))
        .await
        .unwrap_or_else(|error| panic!("e2e: {label:?} has no option {value:?}: {error}"))
        .click()
        .await
        .unwrap();
}

/// Chooses the offer's type on "Offer setup" (seed 001: the pricing type of all its products).
async fn choose_pricing_type(browser: &Browser, value: &str) {
    choose(browser, "Type of multiparty private offer", value).await;
}

/// The error shown next to the field labelled `label` (its `aria-describedby` target).
async fn wait_for_error(browser: &Browser, label: &str, message: &str) {
    let field = browser.input_by_label(label).await;
    let id = field.attr("id").await.unwrap().unwrap();
    browser
        .wait_for_text(&format!("#{id}-error"), message)
        .await;
    assert_eq!(browser.aria_invalid(&field).await.as_deref(), Some("true"));
}

async fn wait_for_no_error(browser: &Browser, label: &str) {
    let field = browser.input_by_label(label).await;
    let id = field.attr("id").await.unwrap().unwrap();
    browser.wait_for(&format!("#{id}-error[hidden]")).await;
}

/// Fills every field but the products with valid values: those of "Offer setup", then those of
/// "Customer terms", and comes back to "Offer setup".
async fn fill_offer_details(browser: &Browser, name: &str) {
    type_into(browser, "Private offer name", name).await;
    type_into(
        browser,
        "Customer billing account ID",
        TAILSPIN_BILLING_ACCOUNT_ID,
    )
    .await;
    type_into(browser, "Selling partner seller ID", "10000001").await;
    browser
        .wait_for_text(".partner-found", "Selling partner: Fabrikam Resellers")
        .await;
    edit_customer_terms(browser).await;
    let today = Utc::now().date_naive();
    let end = last_of_month(today.checked_add_months(Months::new(6)).unwrap());
    let accept_by = today.checked_add_months(Months::new(1)).unwrap();
    let end_field = browser.input_by_label("Customer end date").await;
    browser.choose_date(&end_field, &end.to_string()).await;
    let accept_field = browser.input_by_label("Accept by").await;
    browser
        .choose_date(&accept_field, &accept_by.to_string())
        .await;
    back_to_setup(browser).await;
    browser
        .wait_for_text_containing(
            "main .terms-summary",
            &[
                &format!("Customer end date: {}", end.format("%-d %B %Y")),
                &format!("Accept by: {}", accept_by.format("%-d %B %Y")),
            ],
        )
        .await;
}

/// Moves from "Offer setup" to "Customer terms", a page of its own.
async fn edit_customer_terms(browser: &Browser) {
    browser.click_button("Edit customer terms").await;
    browser.wait_for_step("Customer terms").await;
}

/// Moves back to "Offer setup" from another step's page.
async fn back_to_setup(browser: &Browser) {
    browser.click_button("Back to offer setup").await;
    browser.wait_for_step("Offer setup").await;
}

async fn wait_for_save_state(browser: &Browser, text: &str) {
    browser.wait_for_text("#mp-save-state", text).await;
}

async fn text_of(browser: &Browser, css: &str) -> String {
    browser.text(css).await.trim().to_owned()
}

/// Waits until the element `css` shows `expected`.
async fn wait_for_shown(browser: &Browser, css: &str, expected: &str) {
    for _ in 0..100 {
        if let Ok(element) = browser.client().find(Locator::Css(css)).await {
            if element.text().await.unwrap_or_default().trim() == expected {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!(
        "e2e: {css} never showed {expected:?}; it shows {:?}",
        text_of(browser, css).await
    );
}

/// Moves from "Offer setup" to "Product offers", a page of its own.
async fn edit_products(browser: &Browser) {
    browser.click_button("Edit product offers").await;
    browser.wait_for_step("Product offers").await;
}

/// Moves from "Product offers" to "Review and submit" and waits until the review shows each of
/// `shown` and can be submitted (once the page has found the selling partner again).
async fn review_shows(browser: &Browser, shown: &[&str]) {
    browser.click_button("Review and submit").await;
    browser.wait_for_step("Review and submit").await;
    browser
        .wait_for_text_containing("main .review", shown)
        .await;
    for _ in 0..100 {
        let submit = browser.wait_for_text("main button", "Submit").await;
        if submit.attr("disabled").await.unwrap().is_none() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("e2e: the reviewed offer never became ready to submit");
}

#[tokio::test]
async fn the_isv_prices_a_new_per_user_saas_plan() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Tailspin team plan").await;
        choose_pricing_type(&browser, "new_saas_plan").await;
        edit_products(&browser).await;
        choose(
            &browser,
            "Template plan (product 1)",
            "contoso-analytics/team",
        )
        .await;
        type_into(&browser, "New plan name (product 1)", "Team for Tailspin").await;
        type_into(
            &browser,
            "New plan description (product 1)",
            "Seats for the pilot",
        )
        .await;

        // The partner price of each billing term follows what is typed, beside the list price.
        type_into(&browser, "Price per user for 1 month (product 1)", "10.00").await;
        wait_for_shown(
            &browser,
            "tr[data-price-point='user:one_month'] .partner-price",
            "$10.00",
        )
        .await;
        type_into(&browser, "Price per user for 1 year (product 1)", "110.5").await;
        wait_for_shown(
            &browser,
            "tr[data-price-point='user:one_year'] .partner-price",
            "$110.50",
        )
        .await;
        let row = text_of(&browser, "tr[data-price-point='user:one_year']").await;
        assert!(row.contains("$132.00"), "the list price shows: {row}");

        // More places than cents are refused, not rounded.
        type_into(&browser, "Price per user for 1 year (product 1)", "110.555").await;
        wait_for_error(
            &browser,
            "Price per user for 1 year (product 1)",
            "Price may have at most 2 decimal places.",
        )
        .await;
        type_into(&browser, "Price per user for 1 year (product 1)", "110.50").await;
        wait_for_no_error(&browser, "Price per user for 1 year (product 1)").await;

        // Users: a maximum below the minimum is an error until fixed.
        type_into(&browser, "Minimum users (product 1)", "50").await;
        type_into(&browser, "Maximum users (product 1)", "20").await;
        wait_for_error(
            &browser,
            "Maximum users (product 1)",
            "The maximum number of users can't be below the minimum.",
        )
        .await;
        type_into(&browser, "Maximum users (product 1)", "100").await;
        wait_for_no_error(&browser, "Maximum users (product 1)").await;

        wait_for_save_state(&browser, "Saved").await;
        review_shows(
            &browser,
            &[
                "new plan Team for Tailspin",
                "50 to 100 users",
                "$10.00",
                "$9.70",
                "$110.50",
            ],
        )
        .await;
        browser.click_button("Submit").await;
        browser.wait_for_path("/offers").await;
        wait_for_dashboard_status(&browser, "Tailspin team plan").await;
    })
    .await;
}

/// Waits for the dashboard row of the submitted offer `name` to show it submitted.
async fn wait_for_dashboard_status(browser: &Browser, name: &str) {
    let row = format!("//tr[th[contains(normalize-space(.), '{name}')]]//td[@class='status-cell']");
    let mut status = String::new();
    for _ in 0..100 {
        if let Ok(cell) = browser.client().find(Locator::XPath(&row)).await {
            status = cell.text().await.unwrap_or_default();
            if status == "In progress" || status == "Pending partner action" {
                return;
            }
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("e2e: the submitted offer {name:?} shows {status:?} on the dashboard");
}

#[tokio::test]
async fn the_isv_prices_a_new_flat_rate_saas_plan_with_included_quantities() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Tailspin analytics bundle").await;
        choose_pricing_type(&browser, "new_saas_plan").await;
        edit_products(&browser).await;
        choose(
            &browser,
            "Template plan (product 1)",
            "contoso-analytics/pro",
        )
        .await;
        type_into(&browser, "New plan name (product 1)", "Pro for Tailspin").await;
        type_into(
            &browser,
            "New plan description (product 1)",
            "More calls included",
        )
        .await;

        // The template's included quantities are the start; the ISV includes more.
        let calls = browser
            .input_by_label("Included api-calls per 1 month (product 1)")
            .await;
        assert_eq!(browser.value(&calls).await, "10000");
        type_into(
            &browser,
            "Included api-calls per 1 month (product 1)",
            "ten",
        )
        .await;
        let calls_id = calls.attr("id").await.unwrap().unwrap();
        browser
            .wait_for(&format!("#{calls_id}-error:not([hidden])"))
            .await;
        assert_eq!(browser.aria_invalid(&calls).await.as_deref(), Some("true"));
        type_into(
            &browser,
            "Included api-calls per 1 month (product 1)",
            "25000",
        )
        .await;
        wait_for_no_error(&browser, "Included api-calls per 1 month (product 1)").await;
        type_into(
            &browser,
            "Included storage-gb per 1 month (product 1)",
            "100",
        )
        .await;

        // Flat prices per billing term and meter prices, each beside its list price.
        type_into(&browser, "Price for 1 month (product 1)", "90.00").await;
        type_into(&browser, "Price for 1 year (product 1)", "990.00").await;
        type_into(
            &browser,
            "Price per unit of api-calls (product 1)",
            "0.0012",
        )
        .await;
        type_into(&browser, "Price per unit of storage-gb (product 1)", "0.10").await;
        wait_for_shown(
            &browser,
            "tr[data-price-point='flat:one_year'] .partner-price",
            "$990.00",
        )
        .await;
        wait_for_shown(
            &browser,
            "tr[data-price-point='meter:api-calls'] .partner-price",
            "$0.0012",
        )
        .await;
        let row = text_of(&browser, "tr[data-price-point='flat:one_month']").await;
        assert!(row.contains("$100.00"), "the list price shows: {row}");
        assert!(
            row.starts_with("Flat rate, 1 month"),
            "the price point reads as words: {row}"
        );

        wait_for_save_state(&browser, "Saved").await;
        review_shows(
            &browser,
            &[
                "new plan Pro for Tailspin",
                "including 25000 api-calls per 1 month, 100 storage-gb per 1 month",
                "$90.00",
                "$990.00",
            ],
        )
        .await;
        browser.click_button("Submit").await;
        browser.wait_for_path("/offers").await;
        wait_for_dashboard_status(&browser, "Tailspin analytics bundle").await;
    })
    .await;
}

/// The draft this browser keeps for the offer at `path` (`/offers/multiparty/{id}`, its setup).
async fn kept_in_browser(browser: &Browser, path: &str) -> String {
    let id = path.rsplit('/').next().unwrap();
    browser
        .client()
        .execute(
            "return localStorage.getItem(arguments[0]) || '';",
            vec![serde_json::json!(format!("offerdesk.multiparty.{id}"))],
        )
        .await
        .unwrap()
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[tokio::test]
async fn while_the_server_is_unreachable_the_draft_waits_in_the_browser_then_saves() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Offline draft").await;
        edit_products(&browser).await;
        choose(&browser, "Plan (product 1)", "contoso-analytics/pro").await;
        type_into(&browser, "Discount % (product 1)", "12").await;
        wait_for_save_state(&browser, "Saved").await;
        // Saved: back to its setup, nothing to take along.
        browser.click_button("Back to offer setup").await;
        browser.wait_for_step("Offer setup").await;
        browser
            .wait_for_text(".partner-found", "Selling partner: Fabrikam Resellers")
            .await;
        let path = browser.current_path().await;

        // The server goes away: the change stays in this browser and the form says so.
        browser.stop_server().await;
        type_into(
            &browser,
            "Private offer name",
            "Offline draft, typed offline",
        )
        .await;
        wait_for_save_state(
            &browser,
            "Offline: your changes are kept in this browser and saved when the server answers.",
        )
        .await;
        assert!(
            kept_in_browser(&browser, &path)
                .await
                .contains("Offline draft, typed offline"),
            "the browser does not keep the offline change"
        );

        // Back again: the form retries by itself and the draft is saved to the server.
        browser.start_server().await;
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        while text_of(&browser, "#mp-save-state").await != "Saved" {
            assert!(
                std::time::Instant::now() < deadline,
                "e2e: the draft was not saved after the server came back; the form says {:?}",
                text_of(&browser, "#mp-save-state").await
            );
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        assert_eq!(kept_in_browser(&browser, &path).await, "");
        browser.client().refresh().await.unwrap();
        browser
            .wait_for_value("Private offer name", "Offline draft, typed offline")
            .await;
    })
    .await;
}

/// Goes Back in the browser's history (a traversal within this page, as its Back button makes)
/// and answers the leave prompt it brings up.
async fn back_and_answer(browser: &Browser, leave: bool) {
    browser
        .client()
        .execute("history.back();", vec![])
        .await
        .unwrap();
    let mut question = None;
    for _ in 0..100 {
        if let Ok(text) = browser.client().get_alert_text().await {
            question = Some(text);
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let question = question.expect("e2e: Back with unsaved changes did not ask first");
    assert!(question.contains("unsaved changes"), "{question}");
    if leave {
        browser.client().accept_alert().await.unwrap();
    } else {
        browser.client().dismiss_alert().await.unwrap();
    }
}

async fn location_hash(browser: &Browser) -> String {
    let hash = browser
        .client()
        .execute("return location.hash;", vec![])
        .await
        .unwrap();
    hash.as_str().unwrap_or_default().to_owned()
}

/// The form is its own bundle, so the dashboard's entry before it is another page: leaving for
/// it asks through `beforeunload`, which headless Chromium does not show for a Back. This test
/// covers the guard of a Back within the page (the Navigation API's `navigate` event), from an
/// entry the page adds to the history.
#[tokio::test]
async fn the_back_button_asks_before_leaving_unsaved_changes() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        type_into(&browser, "Private offer name", "Not yet saved").await;
        browser
            .client()
            .execute("history.pushState(null, '', '#typed');", vec![])
            .await
            .unwrap();

        // Staying keeps the form, its address and what was typed.
        back_and_answer(&browser, false).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(browser.current_path().await, "/offers/multiparty/new");
        assert_eq!(location_hash(&browser).await, "#typed");
        let name = browser.input_by_label("Private offer name").await;
        assert_eq!(browser.value(&name).await, "Not yet saved");

        // Leaving moves back.
        back_and_answer(&browser, true).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(location_hash(&browser).await, "");
    })
    .await;
}

#[tokio::test]
async fn the_isv_reserves_vm_software_with_subtotals_and_a_total() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Tailspin firewall").await;

        // A specific start month: the picker moves a chosen day to the month's 1st.
        edit_customer_terms(&browser).await;
        browser
            .wait_for("input[name='mp-start'][value='month']")
            .await
            .click()
            .await
            .unwrap();
        let today = Utc::now().date_naive();
        let next_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
            .unwrap()
            .checked_add_months(Months::new(1))
            .unwrap();
        let start = browser.input_by_label("Start month").await;
        browser
            .choose_date(&start, &(next_month + chrono::Days::new(14)).to_string())
            .await;
        browser
            .wait_for_text(
                "#mp-start-month-hint",
                &format!("Moved to {next_month}. A specific month always starts on its 1st."),
            )
            .await;
        assert_eq!(browser.value(&start).await, next_month.to_string());
        back_to_setup(&browser).await;
        browser
            .wait_for_text_containing(
                "main .terms-summary",
                &[&format!(
                    "Customer start date: {}",
                    next_month.format("%B %Y")
                )],
            )
            .await;
        choose_pricing_type(&browser, "vm_reservation").await;
        edit_products(&browser).await;
        choose(&browser, "Plan (product 1)", "contoso-firewall-vm/firewall").await;
        choose(&browser, "Reservation term (product 1)", "one_year").await;
        choose(&browser, "Payment (product 1)", "upfront").await;

        // Upfront: subtotal = unit price x quantity.
        choose(&browser, "vCPU size (product 1, reservation 1)", "4 vCPU").await;
        type_into(&browser, "Quantity (product 1, reservation 1)", "2").await;
        type_into(&browser, "Unit price (product 1, reservation 1)", "1000.00").await;
        wait_for_shown(
            &browser,
            "tbody tr:nth-child(1) .reservation-subtotal",
            "$2,000.00",
        )
        .await;
        let first = text_of(&browser, "tbody tr:nth-child(1)").await;
        assert!(
            first.contains("$1,200.00"),
            "the upfront list price shows: {first}"
        );

        browser.click_button("+ Add reservation (product 1)").await;
        choose(&browser, "vCPU size (product 1, reservation 2)", "8 vCPU").await;
        type_into(&browser, "Quantity (product 1, reservation 2)", "1").await;
        type_into(&browser, "Unit price (product 1, reservation 2)", "2000.00").await;
        wait_for_shown(&browser, ".reservation-total", "$4,000.00").await;
        wait_for_shown(&browser, ".reservation-payout", "$3,880.00").await;

        // A size reserved twice is refused next to the second row's size.
        choose(&browser, "vCPU size (product 1, reservation 2)", "4 vCPU").await;
        wait_for_error(
            &browser,
            "vCPU size (product 1, reservation 2)",
            "This vCPU size is already reserved.",
        )
        .await;
        choose(&browser, "vCPU size (product 1, reservation 2)", "8 vCPU").await;
        wait_for_no_error(&browser, "vCPU size (product 1, reservation 2)").await;

        // Monthly over 3 years: subtotal = monthly unit price x 36 months x quantity.
        choose(&browser, "Payment (product 1)", "monthly").await;
        choose(&browser, "Reservation term (product 1)", "three_years").await;
        type_into(&browser, "Unit price (product 1, reservation 1)", "80.00").await;
        type_into(&browser, "Unit price (product 1, reservation 2)", "150.00").await;
        wait_for_shown(
            &browser,
            "tbody tr:nth-child(1) .reservation-subtotal",
            "$5,760.00",
        )
        .await;
        wait_for_shown(
            &browser,
            "tbody tr:nth-child(2) .reservation-subtotal",
            "$5,400.00",
        )
        .await;
        wait_for_shown(&browser, ".reservation-total", "$11,160.00").await;

        wait_for_save_state(&browser, "Saved").await;
        review_shows(
            &browser,
            &[
                "Reservations total: $11,160.00",
                "$80.00",
                "$150.00",
                "three years",
                &next_month.format("%B %Y").to_string(),
            ],
        )
        .await;
        browser.click_button("Submit").await;
        browser.wait_for_path("/offers").await;
        wait_for_dashboard_status(&browser, "Tailspin firewall").await;
    })
    .await;
}

/// Waits until `count` elements match `css`.
async fn wait_for_count(browser: &Browser, css: &str, count: usize) {
    let mut seen = 0;
    for _ in 0..100 {
        seen = browser
            .client()
            .find_all(Locator::Css(css))
            .await
            .unwrap()
            .len();
        if seen == count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("e2e: {count} elements never matched {css}; {seen} do");
}

/// Waits until the focused element matches `css`.
async fn wait_for_focus(browser: &Browser, css: &str) {
    for _ in 0..50 {
        let focused = browser
            .client()
            .execute(
                "return document.activeElement !== null && document.activeElement.matches(arguments[0]);",
                vec![serde_json::json!(css)],
            )
            .await
            .unwrap();
        if focused == serde_json::json!(true) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("e2e: focus never moved to {css}");
}

/// Waits until "Offer setup" shows the pricing type `value` chosen.
async fn wait_for_pricing_type(browser: &Browser, value: &str) {
    browser
        .wait_for_value("Type of multiparty private offer", value)
        .await;
}

#[tokio::test]
async fn another_pricing_type_asks_before_it_removes_the_products_entered() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        edit_products(&browser).await;
        browser
            .wait_for_path("/offers/multiparty/new/products/existing-plans")
            .await;
        choose(&browser, "Plan (product 1)", "contoso-analytics/pro").await;
        type_into(&browser, "Discount % (product 1)", "12").await;
        back_to_setup(&browser).await;

        // Kept: the product stays as entered, and the offer's pricing type shows again.
        choose_pricing_type(&browser, "new_saas_plan").await;
        let question = browser.client().get_alert_text().await.unwrap();
        assert!(
            question.contains("Change the pricing type? The product entered will be removed"),
            "{question}"
        );
        browser.client().dismiss_alert().await.unwrap();
        wait_for_pricing_type(&browser, "existing_plan").await;
        edit_products(&browser).await;
        browser
            .wait_for_value("Plan (product 1)", "contoso-analytics/pro")
            .await;
        browser.wait_for_value("Discount % (product 1)", "12").await;
        back_to_setup(&browser).await;

        // Changed: the new pricing type starts from one empty product, on its own page.
        choose_pricing_type(&browser, "new_saas_plan").await;
        browser.client().accept_alert().await.unwrap();
        wait_for_pricing_type(&browser, "new_saas_plan").await;
        edit_products(&browser).await;
        browser
            .wait_for_path("/offers/multiparty/new/products/new-saas-plans")
            .await;
        browser
            .wait_for_value("Template plan (product 1)", "")
            .await;
        assert!(
            browser
                .client()
                .find(Locator::Css("input[id$='-discount']"))
                .await
                .is_err(),
            "the existing plan's discount field stayed"
        );
    })
    .await;
}

#[tokio::test]
async fn removing_a_product_or_a_reservation_keeps_the_others_as_typed() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        edit_products(&browser).await;

        // Three products; the second removed: the third becomes "product 2", as it was typed.
        for (number, plan, discount) in [
            (1, "contoso-analytics/pro", "10"),
            (2, "contoso-analytics/team", "20"),
            (3, "contoso-firewall-vm/firewall", "30"),
        ] {
            if number > 1 {
                browser.click_button("+ Add offer").await;
            }
            choose(&browser, &format!("Plan (product {number})"), plan).await;
            type_into(
                &browser,
                &format!("Discount % (product {number})"),
                discount,
            )
            .await;
        }
        browser.click_button("Remove product 2").await;
        wait_for_count(&browser, "main fieldset.product-line", 2).await;
        // Focus leaves the removed line's place for "+ Add offer": a second key press does not
        // remove the line that moved up.
        wait_for_focus(&browser, "#mp-add-product").await;
        browser
            .wait_for_value("Plan (product 2)", "contoso-firewall-vm/firewall")
            .await;
        browser.wait_for_value("Discount % (product 2)", "30").await;
        browser
            .wait_for_value("Plan (product 1)", "contoso-analytics/pro")
            .await;
        browser.wait_for_value("Discount % (product 1)", "10").await;
        // Its partner prices follow it: 30% off the firewall plan's list prices.
        wait_for_shown(
            &browser,
            "main fieldset.product-line:nth-of-type(2) caption",
            "Partner prices (product 2)",
        )
        .await;

        // Three reservations; the first removed: the others move up, as they were typed. Another
        // pricing type, chosen on "Offer setup", removes the products entered once the ISV
        // agrees, and has its own page.
        back_to_setup(&browser).await;
        choose_pricing_type(&browser, "vm_reservation").await;
        browser.client().accept_alert().await.unwrap();
        wait_for_pricing_type(&browser, "vm_reservation").await;
        edit_products(&browser).await;
        browser
            .wait_for_path("/offers/multiparty/new/products/vm-reservations")
            .await;
        choose(&browser, "Plan (product 1)", "contoso-firewall-vm/firewall").await;
        for (number, size, quantity, price) in [
            (1, "2 vCPU", "1", "100.00"),
            (2, "4 vCPU", "2", "200.00"),
            (3, "8 vCPU", "3", "300.00"),
        ] {
            if number > 1 {
                browser.click_button("+ Add reservation (product 1)").await;
            }
            let row = format!("(product 1, reservation {number})");
            choose(&browser, &format!("vCPU size {row}"), size).await;
            type_into(&browser, &format!("Quantity {row}"), quantity).await;
            type_into(&browser, &format!("Unit price {row}"), price).await;
        }
        wait_for_shown(&browser, ".reservation-total", "$1,400.00").await;
        browser.click_button("Remove reservation 1").await;
        wait_for_count(&browser, "main tbody tr", 2).await;
        wait_for_focus(&browser, "button[id$='-add-reservation']").await;
        for (number, size, quantity, price) in
            [(1, "4 vCPU", "2", "200.00"), (2, "8 vCPU", "3", "300.00")]
        {
            let row = format!("(product 1, reservation {number})");
            browser
                .wait_for_value(&format!("vCPU size {row}"), size)
                .await;
            browser
                .wait_for_value(&format!("Quantity {row}"), quantity)
                .await;
            browser
                .wait_for_value(&format!("Unit price {row}"), price)
                .await;
        }
        wait_for_shown(
            &browser,
            "tbody tr:nth-child(1) .reservation-subtotal",
            "$400.00",
        )
        .await;
        wait_for_shown(&browser, ".reservation-total", "$1,300.00").await;
    })
    .await;
}

#[tokio::test]
async fn product_offers_leaves_the_seller_id_to_offer_setup_and_the_server() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Offer for nobody").await;
        type_into(&browser, "Selling partner seller ID", "99999999").await;
        browser.wait_for("#mp-seller-id-error:not([hidden])").await;
        edit_products(&browser).await;
        choose(&browser, "Plan (product 1)", "contoso-analytics/pro").await;
        type_into(&browser, "Discount % (product 1)", "10").await;

        // "Product offers" does not look the partner up: the server refuses the offer, and the
        // page says why with the way to the field.
        browser
            .wait_for_text_containing(
                "main .multiparty-form",
                &[
                    "The offer was not saved:",
                    "No partner has this marketplace seller ID",
                ],
            )
            .await;
        wait_for_save_state(
            &browser,
            "Not saved: the server refused the draft; see the marked fields.",
        )
        .await;
        browser.click_button("Fix it in Offer setup").await;
        browser.wait_for_step("Offer setup").await;
        browser
            .wait_for_value("Selling partner seller ID", "99999999")
            .await;
        browser
            .wait_for_text_containing(
                "main .multiparty-form",
                &[
                    "No partner has this marketplace seller ID",
                    "Product 1: Contoso Analytics — Pro",
                ],
            )
            .await;
    })
    .await;
}

#[tokio::test]
async fn offer_setup_leaves_the_product_lines_to_product_offers_and_the_server() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Twice the same plan").await;
        edit_products(&browser).await;
        choose(&browser, "Plan (product 1)", "contoso-analytics/pro").await;
        type_into(&browser, "Discount % (product 1)", "10").await;
        browser.click_button("+ Add offer").await;
        choose(&browser, "Plan (product 2)", "contoso-analytics/pro").await;
        type_into(&browser, "Discount % (product 2)", "20").await;

        // "Product offers" checks its lines: the second is refused, and nothing is sent.
        browser
            .wait_for_text_containing(
                "main .multiparty-form",
                &["This plan is already in the offer."],
            )
            .await;
        wait_for_save_state(
            &browser,
            "Not saved yet: your changes are kept in this browser until the problems marked are fixed.",
        )
        .await;

        // "Offer setup" checks its own fields only: the server checks the lines and refuses,
        // and the page says why with the way back to them.
        browser.click_button("Back to offer setup").await;
        browser.wait_for_step("Offer setup").await;
        browser
            .wait_for_text_containing(
                "main .multiparty-form",
                &[
                    "The offer was not saved:",
                    "This plan is already in the offer.",
                ],
            )
            .await;
        browser.click_button("Fix it in Product offers").await;
        browser.wait_for_step("Product offers").await;
        browser.wait_for_value("Discount % (product 2)", "20").await;
        browser
            .wait_for_text_containing(
                "main .multiparty-form",
                &["This plan is already in the offer."],
            )
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_draft_saves_itself_resumes_after_a_reload_and_takes_terms() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        fill_offer_details(&browser, "Drafted offer").await;
        // The details are not saved yet (no product): "Product offers" takes them along.
        wait_for_save_state(&browser, KEPT_IN_THIS_BROWSER).await;
        edit_products(&browser).await;
        choose(&browser, "Plan (product 1)", "contoso-analytics/pro").await;
        // Until the form is valid the server cannot keep it: the browser does.
        wait_for_save_state(&browser, KEPT_IN_THIS_BROWSER).await;
        type_into(&browser, "Discount % (product 1)", "12").await;
        wait_for_save_state(&browser, "Saved").await;

        // The saved draft has its own address; a reload brings it back from the server.
        let path = browser.current_path().await;
        let id = path
            .strip_prefix("/offers/multiparty/")
            .and_then(|rest| rest.strip_suffix("/products/existing-plans"))
            .unwrap_or_else(|| panic!("{path}"));
        assert_ne!(id, "new");
        browser.client().refresh().await.unwrap();
        browser
            .wait_for_text("main h1", "Multiparty private offer")
            .await;
        browser.wait_for_value("Discount % (product 1)", "12").await;

        // Another pricing type's page gives way to the offer's own, in place in the history.
        browser
            .goto(&format!("/offers/multiparty/{id}/products/vm-reservations"))
            .await;
        browser
            .wait_for_path(&format!("/offers/multiparty/{id}/products/existing-plans"))
            .await;
        browser.wait_for_value("Discount % (product 1)", "12").await;

        // A change not saved yet goes back to "Offer setup" with the ISV, without asking.
        type_into(&browser, "Discount % (product 1)", "12.5").await;
        browser.click_button("Back to offer setup").await;
        browser.wait_for_step("Offer setup").await;
        assert_eq!(
            browser.current_path().await,
            format!("/offers/multiparty/{id}")
        );
        browser
            .wait_for_text_containing(
                "main .product-summary",
                &["Product 1: Contoso Analytics — Pro"],
            )
            .await;
        browser
            .wait_for_value("Private offer name", "Drafted offer")
            .await;
        wait_for_save_state(&browser, "Saved").await;
        edit_products(&browser).await;
        browser
            .wait_for_value("Discount % (product 1)", "12.5")
            .await;
        browser.click_button("Back to offer setup").await;
        browser.wait_for_step("Offer setup").await;

        // Editing the saved draft saves again.
        type_into(&browser, "Private offer name", "Drafted offer, edited").await;
        wait_for_save_state(&browser, "Saved").await;

        // A terms PDF under its customer-facing name, on "Customer terms".
        edit_customer_terms(&browser).await;
        assert_eq!(
            browser.current_path().await,
            format!("/offers/multiparty/{id}/terms")
        );
        let pdf = std::env::temp_dir().join(format!("isv-terms-{}.pdf", std::process::id()));
        std::fs::write(&pdf, "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n").unwrap();
        let file = browser.input_by_label("Terms and conditions PDF").await;
        file.send_keys(pdf.to_str().unwrap()).await.unwrap();
        type_into(&browser, "Customer-facing document name", "Contoso EULA").await;
        browser.click_button("Add terms and conditions").await;
        browser
            .wait_for_text("#isv-terms .terms-name", "Contoso EULA")
            .await;

        browser.client().refresh().await.unwrap();
        browser
            .wait_for_text("#isv-terms .terms-name", "Contoso EULA")
            .await;

        // A second document, then the first removed: the second stays, and so it is saved.
        let file = browser.input_by_label("Terms and conditions PDF").await;
        file.send_keys(pdf.to_str().unwrap()).await.unwrap();
        type_into(&browser, "Customer-facing document name", "Contoso DPA").await;
        browser.click_button("Add terms and conditions").await;
        wait_for_count(&browser, "#isv-terms .terms-name", 2).await;
        browser.click_button("Remove Contoso EULA").await;
        wait_for_count(&browser, "#isv-terms .terms-name", 1).await;
        wait_for_focus(&browser, "#terms-file").await;
        browser
            .wait_for_text("#isv-terms .terms-name", "Contoso DPA")
            .await;
        wait_for_save_state(&browser, "Saved").await;
        browser.client().refresh().await.unwrap();
        browser
            .wait_for_text("#isv-terms .terms-name", "Contoso DPA")
            .await;
        wait_for_count(&browser, "#isv-terms .terms-name", 1).await;
        let _ = std::fs::remove_file(&pdf);

        // Back on "Offer setup", the name edited before the uploads and the one document.
        back_to_setup(&browser).await;
        browser
            .wait_for_value("Private offer name", "Drafted offer, edited")
            .await;
        browser
            .wait_for_text_containing("main .terms-summary", &["Terms and conditions: 1 document"])
            .await;
    })
    .await;
}

#[tokio::test]
async fn unsaved_changes_are_kept_in_the_browser_and_guarded() {
    with_browser(|browser| async move {
        open_new_offer(&browser).await;
        type_into(&browser, "Private offer name", "Half-typed idea").await;

        // An in-app link asks first; staying keeps the form.
        browser
            .wait_for_text("header a", "Private offers")
            .await
            .click()
            .await
            .unwrap();
        let question = browser.client().get_alert_text().await.unwrap();
        assert!(question.contains("unsaved changes"), "{question}");
        browser.client().dismiss_alert().await.unwrap();
        assert_eq!(browser.current_path().await, "/offers/multiparty/new");

        // A reload leaves the typed offer in this browser, offered back.
        browser.reload_and_resume().await;
        let name = browser.input_by_label("Private offer name").await;
        assert_eq!(browser.value(&name).await, "Half-typed idea");
        // As typed: dates nobody typed stay empty.
        browser
            .wait_for_text_containing("main .terms-summary", &["Accept by: not set"])
            .await;

        // Leaving by the link once confirmed.
        browser
            .wait_for_text("header a", "Private offers")
            .await
            .click()
            .await
            .unwrap();
        browser.client().accept_alert().await.unwrap();
        browser.wait_for_path("/offers").await;
    })
    .await;
}
