//! The multiparty form when the server refuses what the page found valid: time passed the saved
//! draft's accept-by date (the server restarts on the same database with its clock later,
//! `--clock-start`). The review's submit, and the save that "Review and submit" makes first on
//! another page, name each problem with the way to the page that fixes it.

mod customer_flow;
mod support;

use std::time::Duration;

use customer_flow::{call, isv_part, sign_in_by_api, ISV, OFFERS, OFFER_NAME};
use support::{with_browser, Browser};

/// A draft saved through the API the evening of its accept-by date (2027-03-01); then the
/// server's clock moves on six hours, past that date. Answers the draft's ID.
async fn draft_past_its_accept_by_date(browser: &Browser) -> String {
    browser.goto("/").await;
    browser.restart_server_at("2027-03-01T20:00:00Z").await;
    sign_in_by_api(browser, ISV).await;
    let created = call(browser, "POST", OFFERS, Some(isv_part("2027-03-01")), 201).await;
    browser.restart_server_at("2027-03-02T02:00:00Z").await;
    created["id"].as_str().expect("an offer ID").to_owned()
}

#[tokio::test]
async fn a_refused_submit_names_each_problem_and_the_page_that_fixes_it() {
    with_browser(|browser| async move {
        let id = draft_past_its_accept_by_date(&browser).await;
        let review = format!("/offers/multiparty/{id}/review");
        browser.goto(&review).await;
        browser
            .wait_for_text_containing(
                "main .review",
                &[OFFER_NAME, "Fabrikam Resellers (10000001)", "1 March 2027"],
            )
            .await;

        // The accept-by date has passed on the server: it refuses the submit.
        browser
            .wait_for_text("main .review button", "Submit")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text_containing(
                "main .review .notice-error[role='alert']",
                &[
                    "The offer was not submitted:",
                    "The accept-by date can't be in the past.",
                ],
            )
            .await;
        let fix = browser
            .wait_for_text("main .review .notice-error a", "Fix it in Customer terms")
            .await;
        assert_eq!(
            fix.attr("href").await.unwrap().as_deref(),
            Some(format!("/offers/multiparty/{id}/terms").as_str())
        );

        // Nothing was submitted: the offer is still a draft the ISV can edit.
        let offer = call(&browser, "GET", &format!("{OFFERS}/{id}"), None, 200).await;
        assert_eq!(offer["offer"]["status"], "Draft", "{offer}");
        assert_eq!(browser.current_path().await, review);
    })
    .await;
}

#[tokio::test]
async fn a_refused_save_before_the_review_names_each_problem_beside_the_button() {
    with_browser(|browser| async move {
        let id = draft_past_its_accept_by_date(&browser).await;
        let products = format!("/offers/multiparty/{id}/products/existing-plans");
        browser.goto(&products).await;
        browser
            .wait_for_value("Discount % (product 1)", "12.5")
            .await;
        let discount = browser.input_by_label("Discount % (product 1)").await;

        // A change the page finds valid (its own clock is today's); the server, past the
        // accept-by date, refuses to save it, so "Review and submit" stays on this page and
        // says why, with the way to "Customer terms" where the date is.
        browser.clear_by_keys(&discount).await;
        browser.type_text(&discount, "10").await;
        let review = browser
            .wait_for_text("main button", "Review and submit")
            .await;
        for _ in 0..100 {
            if review.attr("disabled").await.unwrap().is_none() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        review.click().await.unwrap();
        browser
            .wait_for_text_containing(
                "main .form-actions .notice-error[role='alert']",
                &[
                    "The offer was not saved:",
                    "The accept-by date can't be in the past.",
                ],
            )
            .await;
        let fix = browser
            .wait_for_text(
                "main .form-actions .notice-error button",
                "Fix it in Customer terms",
            )
            .await;
        assert_eq!(browser.current_path().await, products);
        // Focus moved to the problems (the button may be below the fold).
        let mut focused = None;
        for _ in 0..50 {
            let active = browser.client().active_element().await.unwrap();
            focused = active.attr("id").await.unwrap();
            if focused.as_deref() == Some("mp-save-problems") {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(focused.as_deref(), Some("mp-save-problems"));
        let offer = call(&browser, "GET", &format!("{OFFERS}/{id}"), None, 200).await;
        assert_eq!(offer["version"], 1, "nothing was saved: {offer}");

        // The button takes what is typed along to "Customer terms" (no leave prompt), where the
        // date shows with the server's message; by "Offer setup", back on "Product offers", the
        // change is still there, unsaved.
        fix.click().await.unwrap();
        browser
            .wait_for_path(&format!("/offers/multiparty/{id}/terms"))
            .await;
        browser.wait_for_step("Customer terms").await;
        browser.wait_for_value("Accept by", "2027-03-01").await;
        browser
            .wait_for_text("main button", "Back to offer setup")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_step("Offer setup").await;
        browser
            .wait_for_text("main button", "Edit product offers")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_step("Product offers").await;
        browser.wait_for_value("Discount % (product 1)", "10").await;
    })
    .await;
}
