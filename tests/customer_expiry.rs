//! A customer link past its accept-by date, in the browser: the server restarts on the same
//! database with its clock past the date (`--clock-start`), the worker marks the offer Expired,
//! an acceptance from a page opened before is refused, and the link says the offer expired.

mod customer_flow;
mod support;

use customer_flow::{call, send_offer, sign_in_by_api, wait_until, ISV, OFFERS, OFFER_NAME, OWNER};
use serde_json::json;
use support::with_browser;

#[tokio::test]
async fn a_link_past_its_accept_by_date_shows_expired_and_refuses_acceptance() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        // The evening of the last day to accept.
        browser.restart_server_at("2027-03-01T20:00:00Z").await;
        let (id, token) = send_offer(&browser, "2027-03-01", None, None).await;

        // The owner opens the link while it may still be accepted, and leaves the page open.
        sign_in_by_api(&browser, OWNER).await;
        browser.goto(&format!("/links/{token}")).await;
        browser.wait_for_text("main h1", OFFER_NAME).await;
        browser
            .wait_for_text("main .status-badge", "Pending acceptance")
            .await;
        let accept = browser.wait_for("main button.accept-button").await;

        // Six hours later the accept-by date has passed: the worker marks the offer Expired.
        browser.restart_server_at("2027-03-02T02:00:00Z").await;
        let link = format!("/api/v1/links/{token}");
        let gone = wait_until(&browser, &link, |status, _| status == 410).await;
        assert!(gone.contains("\"expired\""), "{gone}");
        assert!(
            !gone.contains(OFFER_NAME),
            "an expired link reveals nothing: {gone}"
        );

        // Accepting from the page opened before is refused, and the page says why.
        accept.click().await.unwrap();
        browser
            .wait_for_text("main h1", "This offer has expired")
            .await;
        browser.wait_for("main [data-link-status='expired']").await;
        let refused = call(
            &browser,
            "POST",
            &format!("{link}/accept"),
            Some(json!({})),
            410,
        )
        .await;
        assert_eq!(refused["link_status"], "expired", "{refused}");

        // Opened afresh, the link shows the expired page and nothing of the offer.
        browser.goto(&format!("/links/{token}")).await;
        browser
            .wait_for_text("main h1", "This offer has expired")
            .await;
        let shown = browser.text("main").await;
        assert!(!shown.contains(OFFER_NAME), "{shown}");
        assert!(shown.contains("accept-by date passed"), "{shown}");

        // The ISV sees it Expired, not Accepted.
        sign_in_by_api(&browser, ISV).await;
        let view = call(&browser, "GET", &format!("{OFFERS}/{id}"), None, 200).await;
        assert_eq!(view["offer"]["status"], "Expired", "{view}");
    })
    .await;
}
