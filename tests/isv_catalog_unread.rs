//! When the ISV's catalog can't be read, the offer forms say so (their offers and plans would be
//! missing without a word) and read it again on "Try again".

mod support;

use fantoccini::Locator;
use support::{with_browser, Browser, DEMO_ISV};

/// The catalog request of every form.
const CATALOG: &str = "*/api/v1/catalog";
const UNREAD: &str = "Your catalog could not be read, so its offers and plans are missing here.";

/// The values of the options of the select labelled `label`.
async fn options(browser: &Browser, label: &str) -> Vec<String> {
    let select = browser.input_by_label(label).await;
    let mut values = Vec::new();
    for option in select.find_all(Locator::Css("option")).await.unwrap() {
        values.push(option.attr("value").await.unwrap().unwrap_or_default());
    }
    values
}

#[tokio::test]
async fn the_forms_say_when_the_catalog_cannot_be_read_and_read_it_again() {
    with_browser(|browser| async move {
        browser.block_requests(&[CATALOG]).await;
        browser.open_signed_in("/offers/csp/new", DEMO_ISV).await;
        let notice = browser
            .wait_for_text_containing(".csp-form [role='alert']", &[UNREAD])
            .await;
        assert!(
            notice.contains("could not reach its server"),
            "the notice says why: {notice:?}"
        );
        assert!(
            !options(&browser, "Offer or plan (line 1)")
                .await
                .iter()
                .any(|value| value.starts_with("contoso-analytics/")),
            "no offer to choose while the catalog is unread"
        );

        // Read again once the catalog answers: the notice goes, the offers and plans come.
        browser.block_requests(&[]).await;
        browser
            .wait_for_text("main button", "Try again")
            .await
            .click()
            .await
            .unwrap();
        let mut values = Vec::new();
        for _ in 0..100 {
            values = options(&browser, "Offer or plan (line 1)").await;
            if values.iter().any(|value| value == "contoso-analytics/pro") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            values.iter().any(|value| value == "contoso-analytics/pro"),
            "the offers and plans come once the catalog is read: {values:?}"
        );
        assert!(
            !browser.text(".csp-form").await.contains(UNREAD),
            "the notice is gone once the catalog is read"
        );

        // The CPPO form and the multiparty form's pages say the same.
        browser.block_requests(&[CATALOG]).await;
        for path in [
            "/offers/cppo/new",
            "/offers/multiparty/new",
            "/offers/multiparty/new/products",
        ] {
            browser.goto(path).await;
            browser
                .wait_for_text_containing("main [role='alert']", &[UNREAD])
                .await;
        }
    })
    .await;
}
