//! The price calculator end to end: the release page in headless Chromium, typed into key by key
//! as a person does, against the real server.

mod support;

use support::{with_browser, Browser};

/// Waits for the `<output>` labelled `label` to show `expected`, failing with what it showed.
async fn expect_output(browser: &Browser, label: &str, expected: &str) {
    let shown = browser.wait_for_output(label, expected).await;
    assert_eq!(shown, expected, "the output {label:?}");
}

/// The text of the element an input's `aria-describedby` names first (its error, when invalid).
async fn described_by_text(browser: &Browser, label: &str) -> String {
    let input = browser.input_by_label(label).await;
    let ids = input
        .attr("aria-describedby")
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{label:?} has no aria-describedby"));
    let first = ids.split_whitespace().next().unwrap().to_owned();
    browser.text(&format!("#{first}")).await
}

#[tokio::test]
async fn the_seed_target_solves_to_the_seed_adjustment() {
    with_browser(|browser| async move {
        browser.goto("/calculator").await;
        let list = browser.input_by_label("List price").await;
        browser.type_text(&list, "100.00").await;
        let absolute = browser.input_by_label("Absolute partner price").await;
        browser.type_text(&absolute, "95.00").await;
        expect_output(&browser, "Partner price", "$95.00").await;

        // Seed 002, example 2: $95.00 to $105.00 takes 10.52631579%.
        let target = browser.input_by_label("Target customer price").await;
        browser.type_text(&target, "105.00").await;
        expect_output(&browser, "Customer price", "$105.00").await;
        let adjustment = browser.input_by_label("Customer adjustment %").await;
        assert_eq!(browser.value(&adjustment).await, "10.52631579");
        assert_eq!(
            browser.value(&target).await,
            "105.00",
            "the target was not rewritten"
        );
        let note = browser.text("#target-customer-price-hint").await;
        assert!(note.contains("gives exactly $105.00"), "{note}");
        expect_output(&browser, "Net discount %", "-5%").await;
    })
    .await;
}

#[tokio::test]
async fn typing_an_adjustment_recomputes_the_customer_price() {
    with_browser(|browser| async move {
        browser.goto("/calculator").await;
        let list = browser.input_by_label("List price").await;
        browser.type_text(&list, "100").await;
        let absolute = browser.input_by_label("Absolute partner price").await;
        browser.type_text(&absolute, "100.00").await;
        // Seed 002, example 1: $100.00 + 10% = $110.00.
        let adjustment = browser.input_by_label("Customer adjustment %").await;
        browser.type_text(&adjustment, "10").await;
        expect_output(&browser, "Customer price", "$110.00").await;
        expect_output(&browser, "Net discount %", "-10%").await;
        browser.type_text(&adjustment, ".5").await;
        assert_eq!(browser.value(&adjustment).await, "10.5");
        expect_output(&browser, "Customer price", "$110.50").await;
    })
    .await;
}

#[tokio::test]
async fn an_adjustment_above_the_discount_is_refused_next_to_its_field() {
    with_browser(|browser| async move {
        browser.goto("/calculator").await;
        let list = browser.input_by_label("List price").await;
        browser.type_text(&list, "100").await;
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "10").await;
        expect_output(&browser, "Partner price", "$90.00").await;

        let adjustment = browser.input_by_label("Customer adjustment %").await;
        browser.type_text(&adjustment, "10.5").await;
        expect_output(&browser, "Customer price", "—").await;
        assert_eq!(
            browser.aria_invalid(&adjustment).await.as_deref(),
            Some("true")
        );
        let message = described_by_text(&browser, "Customer adjustment %").await;
        assert!(message.contains("may not exceed 10%"), "{message}");

        // Back to the cap itself: valid again, and priced.
        browser.clear_by_keys(&adjustment).await;
        browser.type_text(&adjustment, "10").await;
        expect_output(&browser, "Customer price", "$99.00").await;
        assert_eq!(
            browser.aria_invalid(&adjustment).await.as_deref(),
            Some("false")
        );
        expect_output(&browser, "Net discount %", "1%").await;
    })
    .await;
}

#[tokio::test]
async fn partial_input_is_never_rewritten_and_bad_input_is_explained() {
    with_browser(|browser| async move {
        browser.goto("/calculator").await;
        let list = browser.input_by_label("List price").await;
        browser.type_text(&list, "-12.5").await;
        assert_eq!(browser.value(&list).await, "-12.5");
        assert_eq!(browser.aria_invalid(&list).await.as_deref(), Some("true"));
        let message = described_by_text(&browser, "List price").await;
        assert!(message.contains("List price must be above 0"), "{message}");

        let adjustment = browser.input_by_label("Customer adjustment %").await;
        browser.type_text(&adjustment, "1.123456789").await;
        assert_eq!(browser.value(&adjustment).await, "1.123456789");
        // The list price is still invalid, so nothing is priced; fix it and the places show.
        browser.clear_by_keys(&list).await;
        browser.type_text(&list, "20").await;
        let absolute = browser.input_by_label("Absolute partner price").await;
        browser.type_text(&absolute, "20").await;
        assert_eq!(browser.aria_invalid(&list).await.as_deref(), Some("false"));
        let message = described_by_text(&browser, "Customer adjustment %").await;
        assert!(message.contains("at most 8 decimal places"), "{message}");
    })
    .await;
}

#[tokio::test]
async fn programs_and_currencies_set_the_rules() {
    with_browser(|browser| async move {
        browser.goto("/calculator").await;
        let list = browser.input_by_label("List price").await;
        browser.type_text(&list, "1005").await;
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "10").await;
        expect_output(&browser, "Partner price", "$904.50").await;

        // Yen has no minor unit: 904.5 rounds half away from zero.
        let currency = browser.input_by_label("Currency").await;
        currency.select_by_value("JPY").await.unwrap();
        expect_output(&browser, "Partner price", "¥905").await;

        // CPPO takes a 9-place markup and has no cap.
        let program = browser.input_by_label("Program").await;
        program.select_by_value("cppo").await.unwrap();
        let adjustment = browser.input_by_label("Customer adjustment %").await;
        browser.type_text(&adjustment, "25.123456789").await;
        expect_output(&browser, "Customer price", "¥1,132").await;

        // A CSP margin offer has no customer side at all.
        program.select_by_value("csp").await.unwrap();
        expect_output(&browser, "Customer price", "—").await;
        expect_output(&browser, "Partner price", "¥905").await;
        let disabled = adjustment.prop("disabled").await.unwrap();
        assert_eq!(disabled.as_deref(), Some("true"));
    })
    .await;
}
