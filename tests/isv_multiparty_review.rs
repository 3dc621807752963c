//! The multiparty form's "Review and submit" when the server refuses the submit: time passed
//! the saved draft's accept-by date (the server restarts on the same database with its clock
//! later, `--clock-start`), and the review names the problem with a link to the page that
//! fixes it.

mod customer_flow;
mod support;

use customer_flow::{call, isv_part, sign_in_by_api, ISV, OFFERS, OFFER_NAME};
use support::with_browser;

#[tokio::test]
async fn a_refused_submit_names_each_problem_and_the_page_that_fixes_it() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        // The evening of the last day to accept: the draft saves.
        browser.restart_server_at("2027-03-01T20:00:00Z").await;
        sign_in_by_api(&browser, ISV).await;
        let created = call(&browser, "POST", OFFERS, Some(isv_part("2027-03-01")), 201).await;
        let id = created["id"].as_str().expect("an offer ID").to_owned();

        let review = format!("/offers/multiparty/{id}/review");
        browser.goto(&review).await;
        browser
            .wait_for_text_containing(
                "main .review",
                &[OFFER_NAME, "Fabrikam Resellers (10000001)", "2027-03-01"],
            )
            .await;

        // Six hours later the accept-by date has passed: the server refuses the submit.
        browser.restart_server_at("2027-03-02T02:00:00Z").await;
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
            .wait_for_text("main .review .notice-error a", "Fix it in Offer setup")
            .await;
        assert_eq!(
            fix.attr("href").await.unwrap().as_deref(),
            Some(format!("/offers/multiparty/{id}").as_str())
        );

        // Nothing was submitted: the offer is still a draft the ISV can edit.
        let offer = call(&browser, "GET", &format!("{OFFERS}/{id}"), None, 200).await;
        assert_eq!(offer["offer"]["status"], "Draft", "{offer}");
        assert_eq!(browser.current_path().await, review);
    })
    .await;
}
