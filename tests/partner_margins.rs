//! The CSP partner's Margins page end to end: the live margins offered to Fabrikam and a sale
//! recorded against one, with a bad tenant ID refused on its field first.

mod support;

use fantoccini::Locator;
use support::{with_browser, Browser};

async fn sign_in_as_fabrikam(browser: &Browser) {
    browser.goto("/sign-in?next=/partner/margins").await;
    let email = browser.input_by_label("Email").await;
    browser.type_text(&email, "partner@fabrikam.example").await;
    let password = browser.input_by_label("Password").await;
    browser.type_text(&password, "demo-password").await;
    browser
        .client()
        .find(Locator::XPath("//button[normalize-space()='Sign in']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_path("/partner/margins").await;
}

#[tokio::test]
async fn a_csp_partner_sees_its_live_margins_and_records_a_sale() {
    with_browser(|browser| async move {
        sign_in_as_fabrikam(&browser).await;
        browser.wait_for("article.margin-offer").await;
        let table = browser.text("article.margin-offer table").await;
        // 12.5% off Contoso Analytics Pro's $100.00 a month: $87.50 wholesale.
        assert!(table.contains("12.5%"), "{table}");
        assert!(table.contains("$100.00 $87.50"), "{table}");
        // 8% off the firewall plan.
        assert!(table.contains("8%"), "{table}");
        let customers = browser.text("article.margin-offer dl").await;
        assert!(customers.contains("Any of your customers"), "{customers}");

        let tenant = browser.input_by_label("Customer tenant ID").await;
        browser.type_text(&tenant, "not-a-tenant").await;
        browser
            .client()
            .find(Locator::XPath("//button[normalize-space()='Record sale']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text(
                "#sale-customer-error",
                "A tenant ID is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.",
            )
            .await;
        assert_eq!(browser.aria_invalid(&tenant).await.as_deref(), Some("true"));

        browser.clear_by_keys(&tenant).await;
        browser
            .type_text(&tenant, "0f8fad5b-d9cb-469f-a165-70867728950e")
            .await;
        browser
            .client()
            .find(Locator::XPath("//button[normalize-space()='Record sale']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("article.margin-offer > p", "Your sales under this offer: 1")
            .await;
    })
    .await;
}
