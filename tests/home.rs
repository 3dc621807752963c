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

/// Whether the document is the one marked by `mark_document` (no page load since).
async fn same_document(browser: &support::Browser) -> bool {
    let marked = browser
        .client()
        .execute("return window.__sameDocument === true;", vec![])
        .await
        .unwrap();
    marked.as_bool() == Some(true)
}

async fn mark_document(browser: &support::Browser) {
    browser
        .client()
        .execute("window.__sameDocument = true;", vec![])
        .await
        .unwrap();
}

#[tokio::test]
async fn links_within_a_bundle_move_without_a_page_load_and_back_and_forward_follow() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        browser.wait_for_text("main h1", "Offer Desk").await;
        browser
            .wait_for_text("header nav a[aria-current='page']", "Home")
            .await;
        mark_document(&browser).await;

        // Home and the calculator are one bundle: the page moves without loading again, and
        // the navigation marks the page shown.
        browser
            .wait_for("header nav a[href='/calculator']")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/calculator").await;
        browser.wait_for_text("main h1", "Price calculator").await;
        browser
            .wait_for_text("header nav a[aria-current='page']", "Price calculator")
            .await;
        assert!(
            same_document(&browser).await,
            "the calculator loaded the page again"
        );

        browser.client().back().await.unwrap();
        browser.wait_for_path("/").await;
        browser.wait_for_text("main h1", "Offer Desk").await;
        browser.client().forward().await.unwrap();
        browser.wait_for_path("/calculator").await;
        browser.wait_for_text("main h1", "Price calculator").await;
        assert!(
            same_document(&browser).await,
            "Back or Forward loaded the page again"
        );

        // The ISV's dashboard is another bundle: its link loads it from the server.
        browser.goto("/sign-in?next=/offers").await;
        mark_document(&browser).await;
        browser.sign_in_with_form(support::DEMO_ISV).await;
        browser.wait_for_path("/offers").await;
        browser
            .wait_for_text("header nav a[aria-current='page']", "Private offers")
            .await;
        assert!(
            !same_document(&browser).await,
            "the dashboard came without its bundle"
        );
    })
    .await;
}
