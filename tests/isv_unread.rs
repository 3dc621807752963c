//! When what an ISV's form reads from the server can't be read, the form says so and reads it
//! again on "Try again" (the catalog, the partner directory's search, seller ID check and AWS
//! account ID check), or
//! stays closed to edits (a saved offer's partners): nothing goes missing or is misread without a
//! word, and no save drops it.

mod support;

use chrono::{Datelike, Utc};
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

/// Lets the page's requests through again and presses "Try again".
async fn try_again(browser: &Browser) {
    browser.block_requests(&[]).await;
    browser
        .wait_for_text("main button", "Try again")
        .await
        .click()
        .await
        .unwrap();
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
        try_again(&browser).await;
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
            "/offers/multiparty/new/products/existing-plans",
        ] {
            browser.goto(path).await;
            browser
                .wait_for_text_containing("main [role='alert']", &[UNREAD])
                .await;
        }
    })
    .await;
}

#[tokio::test]
async fn the_csp_form_says_when_the_partner_directory_cannot_be_searched() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/csp/new", DEMO_ISV).await;
        let search = browser
            .input_by_label("Search partners by name or tenant ID")
            .await;
        browser.type_text(&search, "no such partner").await;
        browser
            .wait_for_text(
                ".csp-form [role='status']",
                "No CSP partner matches your search.",
            )
            .await;

        browser.block_requests(&["*/api/v1/partners?*"]).await;
        browser.clear_by_keys(&search).await;
        browser.type_text(&search, "Fabrikam").await;
        browser
            .wait_for_text_containing(
                ".csp-form .notice-error",
                &["The partner directory could not be searched."],
            )
            .await;

        try_again(&browser).await;
        browser
            .wait_for_text_containing("ul.partner-results", &["Fabrikam"])
            .await;
        assert!(!browser
            .text(".csp-form")
            .await
            .contains("could not be searched"));
    })
    .await;
}

#[tokio::test]
async fn a_saved_csp_offer_whose_partners_cannot_be_read_stays_closed_to_edits() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/csp/new", DEMO_ISV).await;
        let setup = serde_json::json!({
            "internal_name": "Partners unread",
            "start": { "start": "as_soon_as_possible" },
            "end": format!("{}-06-30", Utc::now().year() + 1),
            "notification_contacts": ["channel@contoso.example"],
            "lines": [ { "offer_id": "contoso-analytics", "plan_id": null, "margin_percent": "10" } ],
            // Fabrikam's and Northwind's tenants (the demo data's).
            "partners": [
                { "tenant_id": "2d7f1c8e-4b6a-4f3e-9a51-6c0e8b7d1f20", "customer_tenant_ids": [] },
                { "tenant_id": "8a3b5c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d", "customer_tenant_ids": [] }
            ]
        });
        let (status, body) = browser
            .fetch("POST", "/api/v1/csp-offers", Some(setup))
            .await;
        assert_eq!(status, 201, "{body}");
        let created: serde_json::Value = serde_json::from_str(&body).unwrap();
        let path = format!("/offers/csp/{}", created["id"].as_str().unwrap());

        // The directory does not answer: the form says so and stays closed, so no save can
        // drop the partners it could not show.
        browser.block_requests(&["*/api/v1/partners?*"]).await;
        browser.goto(&path).await;
        browser
            .wait_for_text_containing(
                ".csp-form .notice-error",
                &["The offer's CSP partners could not be read."],
            )
            .await;
        browser.wait_for(".csp-form .draft[inert]").await;

        // Once it answers, the offer opens with both partners.
        browser.block_requests(&[]).await;
        browser.goto(&path).await;
        browser
            .wait_for_text_containing(".csp-form h3", &["Selected partners (2 of"])
            .await;
        browser
            .wait_for_value("Internal name", "Partners unread")
            .await;
        let closed = browser
            .client()
            .find_all(Locator::Css(".csp-form .draft[inert]"))
            .await
            .unwrap();
        assert!(closed.is_empty(), "the form opens for edits");
    })
    .await;
}

#[tokio::test]
async fn the_multiparty_form_says_when_it_cannot_check_the_seller_id() {
    with_browser(|browser| async move {
        browser.block_requests(&["*/api/v1/partners?*"]).await;
        browser
            .open_signed_in("/offers/multiparty/new", DEMO_ISV)
            .await;
        let seller_id = browser.input_by_label("Selling partner seller ID").await;
        browser.type_text(&seller_id, "10000001").await;
        browser
            .wait_for_text_containing(
                ".multiparty-form",
                &[
                    "The partner directory could not be read to check this seller ID.",
                    "The partner directory could not be read. Offer Desk could not reach its server",
                ],
            )
            .await;
        assert!(
            !browser
                .text(".multiparty-form")
                .await
                .contains("No partner has this marketplace seller ID"),
            "an unread directory is not taken for one without the partner"
        );

        try_again(&browser).await;
        browser
            .wait_for_text_containing(".partner-found", &["Selling partner: Fabrikam"])
            .await;
        assert!(!browser
            .text(".multiparty-form")
            .await
            .contains("could not be read"));
    })
    .await;
}

#[tokio::test]
async fn the_cppo_form_checks_the_partner_aws_account_id_in_the_directory() {
    with_browser(|browser| async move {
        const UNKNOWN: &str = "No consulting partner on Offer Desk has this AWS account ID.";
        const UNCHECKED: &str =
            "The partner directory could not be read to check this AWS account ID.";
        browser.open_signed_in("/offers/cppo/new", DEMO_ISV).await;
        let account = browser.input_by_label("Partner AWS account ID").await;

        // An ID no consulting partner has: the server's own words, before any save.
        browser.type_text(&account, "999988887777").await;
        browser
            .wait_for_text_containing("#cppo-account-error", &[UNKNOWN])
            .await;

        // The directory does not answer: the form says it could not check the ID, and does not
        // take that for a partner that isn't there.
        browser.block_requests(&["*/api/v1/partners?*"]).await;
        browser.clear_by_keys(&account).await;
        browser.type_text(&account, "111122223333").await;
        browser
            .wait_for_text_containing("#cppo-account-error", &[UNCHECKED])
            .await;
        browser
            .wait_for_text_containing(
                ".cppo-form .notice-error",
                &["The partner directory could not be read. Offer Desk could not reach its server"],
            )
            .await;
        assert!(!browser.text(".cppo-form").await.contains(UNKNOWN));

        try_again(&browser).await;
        browser
            .wait_for_text("main .hint", "Consulting partner: Fabrikam Resellers")
            .await;
        let shown = browser.text(".cppo-form").await;
        assert!(!shown.contains("could not be read"), "{shown}");
        assert!(!shown.contains(UNKNOWN), "{shown}");
    })
    .await;
}
