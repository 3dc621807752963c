//! The ISV's other pages: the catalog (view its public offers and list prices, import more, see
//! an import refused at its field), the Notifications outbox, and a multiparty offer's pricing
//! sheet CSV from the dashboard.

mod support;

use std::time::Duration;

use fantoccini::Locator;
use support::{with_browser, Browser};

async fn sign_in_as_isv(browser: &Browser, path: &str) {
    browser.goto(path).await;
    browser.sign_in_with_form(support::DEMO_ISV).await;
    browser.wait_for_path(path).await;
}

async fn follow_header_link(browser: &Browser, text: &str) {
    browser
        .wait_for_text("header a", text)
        .await
        .click()
        .await
        .unwrap();
}

/// Replaces the catalog file's text with `text` (one send: the JSON is long) and presses Import.
async fn import_file(browser: &Browser, text: &str) {
    let field = browser.input_by_label("Catalog file (JSON)").await;
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
    browser
        .wait_for_text("main button", "Import")
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_isv_views_and_imports_its_catalog() {
    with_browser(|browser| async move {
        sign_in_as_isv(&browser, "/offers").await;
        follow_header_link(&browser, "Catalog").await;
        browser.wait_for_path("/catalog").await;
        browser.wait_for_text("main h1", "Catalog").await;
        browser.wait_for_text("main h2", "Contoso Analytics").await;
        let pro = browser
            .text("tr[data-price-point='pro/flat:one_month']")
            .await;
        assert!(pro.contains("Pro (flat rate)") && pro.contains("$100.00"), "{pro}");
        let trial = browser
            .text("tr[data-price-point='starter/flat:one_month']")
            .await;
        assert!(trial.contains("Free trial"), "{trial}");
        let vm = browser
            .text("tr[data-price-point='firewall/reservation:4 vCPU:three_years']")
            .await;
        assert!(vm.contains("$3,000.00"), "{vm}");

        // A refused import names the field and marks the file.
        let offer = |price: &str| {
            format!(
                r#"{{"offers":[{{"id":"contoso-backup","name":"Contoso Backup","offer_type":"saas","cloud_reseller":true,"plans":[{{"id":"basic","name":"Basic","trial":false,"pricing":{{"model":"flat_rate","prices":[{{"billing_term":"one_month","price":"{price}"}}],"included_quantities":[]}},"meters":[]}}]}}]}}"#
            )
        };
        import_file(&browser, &offer("-5.00")).await;
        let error = browser.wait_for("#catalog-file-error .field-error").await;
        let message = error.text().await.unwrap();
        assert!(
            message.starts_with("offers[0].plans[0].pricing.prices[0].price"),
            "the refusal names the field: {message}"
        );
        let field = browser.input_by_label("Catalog file (JSON)").await;
        assert_eq!(browser.aria_invalid(&field).await.as_deref(), Some("true"));

        import_file(&browser, &offer("45.00")).await;
        browser
            .wait_for_text("main .catalog-import .status", "Imported 1 offer.")
            .await;
        browser.wait_for_text("main h2", "Contoso Backup").await;
        let basic = browser
            .text("tr[data-price-point='basic/flat:one_month']")
            .await;
        assert!(basic.contains("$45.00"), "{basic}");
        // The offers not in the file stay.
        browser.wait_for_text("main h2", "Contoso Analytics").await;

        // A file that is not JSON is refused in the page, saying where it stops.
        import_file(&browser, r#"{"offers": ["#).await;
        let error = browser.wait_for("#catalog-file-error .field-error").await;
        assert_eq!(
            error.text().await.unwrap(),
            "The file is not JSON: EOF while parsing a value at byte 12."
        );
    })
    .await;
}

#[tokio::test]
async fn the_isv_reads_its_notifications_and_downloads_a_pricing_sheet() {
    with_browser(|browser| async move {
        sign_in_as_isv(&browser, "/offers").await;
        follow_header_link(&browser, "Notifications").await;
        browser.wait_for_path("/notifications").await;
        browser.wait_for_text("main h1", "Notifications").await;
        // The demo's submitted multiparty offers told the ISV's contacts they await the partner.
        let mut table = String::new();
        for _ in 0..100 {
            if let Ok(found) = browser
                .client()
                .find(Locator::Css("main table.notifications-table"))
                .await
            {
                table = found.text().await.unwrap_or_default();
                if table.contains("Pending partner action") {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(table.contains("Pending partner action"), "{table}");
        assert!(table.contains("deals@contoso.example"), "{table}");

        // The pricing sheet of a multiparty offer: list and partner prices, one row per price.
        follow_header_link(&browser, "Private offers").await;
        browser
            .wait_for_text("[role='tab']#tab-multiparty", "Multiparty")
            .await
            .click()
            .await
            .unwrap();
        let link = browser.wait_for("main a.pricing-sheet").await;
        let href = link.attr("href").await.unwrap().unwrap();
        assert!(href.ends_with("/pricing-sheet.csv"), "{href}");
        let (status, csv) = browser.fetch("GET", &href, None).await;
        assert_eq!(status, 200, "{csv}");
        let mut lines = csv.lines();
        assert_eq!(
            lines.next(),
            Some("product_index,price_point_id,currency,exchange_rate,rate_date,list_price,partner_price")
        );
        let usd = lines
            .find(|line| line.starts_with("0,flat:one_month,USD,"))
            .unwrap_or_else(|| panic!("no USD row of the first product: {csv}"));
        assert!(usd.contains(",100.00,"), "the list price of Pro monthly: {usd}");
    })
    .await;
}
