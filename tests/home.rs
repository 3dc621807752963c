//! The page shell end to end: the home page, its way into the calculator, and the fallback page.

mod support;

use support::with_browser;

#[tokio::test]
async fn home_page_says_what_offer_desk_is_and_links_to_the_calculator() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        browser.wait_for_text("main h1", "Offer Desk").await;
        let lead = browser.text("main .lead").await;
        assert!(
            lead.contains("private offers sold through a partner"),
            "the home page should say what Offer Desk is for; it says {lead:?}"
        );

        let link = browser.wait_for("main a[href='/calculator']").await;
        assert_eq!(link.text().await.unwrap(), "Open the price calculator");
        link.click().await.unwrap();

        browser.wait_for_path("/calculator").await;
        browser.wait_for_text("main h1", "Price calculator").await;
    })
    .await;
}

#[tokio::test]
async fn an_unknown_path_shows_page_not_found() {
    with_browser(|browser| async move {
        browser.goto("/no-such-page").await;
        browser.wait_for_text("main h1", "Page not found").await;
        let home = browser.wait_for("main a[href='/']").await;
        home.click().await.unwrap();
        browser.wait_for_text("main h1", "Offer Desk").await;
    })
    .await;
}
