//! The demo ISV authorizes a consulting partner to resell (AWS CPPO, seed 004): the wholesale
//! price follows the discount, a partner account ID that is not 12 digits is refused next to its
//! field until fixed, and the active authorization shows on the dashboard. A draft opens from the
//! dashboard pre-filled, is changed, saved (its own address, resumed after a reload) and
//! submitted; an active one opens read-only.

mod support;

use fantoccini::Locator;
use support::{with_browser, Browser, DEMO_ISV, KEPT_IN_THIS_BROWSER};

#[tokio::test]
async fn the_isv_authorizes_a_consulting_partner() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers?tab=cppo", DEMO_ISV).await;
        browser
            .wait_for("[role='tab']#tab-cppo")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("main a.button", "+ New resale authorization")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers/cppo/new").await;
        browser.wait_enabled("Review and submit", false).await;

        browser
            .input_by_label("Contoso Analytics: Team (per user)")
            .await
            .click()
            .await
            .unwrap();
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "25").await;
        browser
            .wait_for_text(".price-preview .wholesale", "$9.00")
            .await;

        let account = browser.input_by_label("Partner AWS account ID").await;
        browser.type_text(&account, "44445555666").await;
        browser.wait_for("#cppo-account-error:not([hidden])").await;
        assert_eq!(
            browser.aria_invalid(&account).await.as_deref(),
            Some("true")
        );
        browser.wait_enabled("Review and submit", false).await;
        browser.type_text(&account, "6").await;
        browser.wait_for("#cppo-account-error[hidden]").await;
        browser
            .wait_for_text("main .hint", "Consulting partner: Northwind Partners")
            .await;

        browser.wait_enabled("Review and submit", true).await;
        browser
            .wait_for_text("main button", "Review and submit")
            .await
            .click()
            .await
            .unwrap();
        let review = browser.text("main .review").await;
        for shown in [
            "contoso-analytics / team",
            "25%",
            "444455556666",
            "Recurring, indefinitely",
        ] {
            assert!(review.contains(shown), "review lacks {shown:?}: {review}");
        }
        // The valid draft saved itself meanwhile; then it is submitted.
        browser.wait_for_text("#cppo-save-state", "Saved").await;
        browser
            .wait_for_text("main button", "Submit")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers").await;
        let name = "25% off list: contoso-analytics / team";
        wait_for_status(&browser, name, "Active").await;
        // The row names the consulting partner by company, as the server answers it.
        let shown = browser
            .client()
            .find(Locator::XPath(&row_xpath(name)))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            shown.contains("Northwind Partners (444455556666)"),
            "the row shows {shown:?}"
        );
    })
    .await;
}

/// The dashboard row of the authorization named `name`.
fn row_xpath(name: &str) -> String {
    format!("//tr[th[contains(normalize-space(.), '{name}')]]")
}

/// Waits until the dashboard row of the authorization named `name` shows `expected`.
async fn wait_for_status(browser: &Browser, name: &str, expected: &str) {
    let row = format!("{}//td[@class='status-cell']", row_xpath(name));
    let mut status = String::new();
    for _ in 0..100 {
        if let Ok(cell) = browser.client().find(Locator::XPath(&row)).await {
            status = cell.text().await.unwrap_or_default();
            if status == expected {
                return;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("e2e: {name:?} shows {status:?}, not {expected:?}");
}

async fn open_cppo_tab(browser: &Browser) {
    browser
        .wait_for("[role='tab']#tab-cppo")
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn the_isv_edits_a_draft_authorization_then_submits_it_and_reads_an_active_one() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers?tab=cppo", DEMO_ISV).await;
        open_cppo_tab(&browser).await;

        // The demo's draft opens in the form with its terms.
        browser
            .wait_for_text("main a.offer-name", "25% off list: contoso-analytics / pro")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("main h1", "Resale authorization")
            .await;
        let discount = browser.input_by_label("Discount %").await;
        for _ in 0..100 {
            if browser.value(&discount).await == "25" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&discount).await, "25");
        let buyer = browser.input_by_label("Buyer AWS account ID").await;
        assert_eq!(browser.value(&buyer).await.len(), 12);
        let pro = browser
            .input_by_label("Contoso Analytics: Pro (flat rate)")
            .await;
        assert_eq!(pro.prop("checked").await.unwrap().as_deref(), Some("true"));

        // Changed, it saves itself as a new version of the same draft, at its own address.
        browser.clear_by_keys(&discount).await;
        browser.type_text(&discount, "30").await;
        browser
            .wait_for_text(".price-preview .wholesale", "$70.00")
            .await;
        browser.wait_for_text("#cppo-save-state", "Saved").await;
        let path = browser.current_path().await;
        assert!(path.starts_with("/offers/cppo/ra"), "{path}");
        browser.client().refresh().await.unwrap();
        let discount = browser.input_by_label("Discount %").await;
        for _ in 0..100 {
            if browser.value(&discount).await == "30" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&discount).await, "30");

        // Submitted, it becomes active.
        browser.wait_enabled("Review and submit", true).await;
        browser
            .wait_for_text("main button", "Review and submit")
            .await
            .click()
            .await
            .unwrap();
        let review = browser.text("main .review").await;
        for shown in ["30%", "Non-recurring, for Tailspin Toys"] {
            assert!(review.contains(shown), "review lacks {shown:?}: {review}");
        }
        assert_eq!(
            browser.text("#cppo-save-state").await,
            "",
            "a reloaded draft has nothing unsaved"
        );
        browser
            .wait_for_text("main button", "Submit")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers").await;
        open_cppo_tab(&browser).await;
        wait_for_status(&browser, "30% off list: contoso-analytics / pro", "Active").await;

        // An active authorization opens read-only.
        browser
            .wait_for_text("main a.offer-name", "30% off list: contoso-analytics / pro")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text(
                ".notice-info",
                "This resale authorization is Active: it can't be modified.",
            )
            .await;
        assert!(browser
            .client()
            .find(Locator::XPath("//main//button[normalize-space()='Submit']"))
            .await
            .is_err());
    })
    .await;
}

#[tokio::test]
async fn a_new_authorization_asks_before_leaving_saves_itself_and_resumes_after_a_reload() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/cppo/new", DEMO_ISV).await;
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "15").await;
        browser
            .wait_for_text("#cppo-save-state", KEPT_IN_THIS_BROWSER)
            .await;

        // Leaving by a link of the page asks first while nothing is saved; staying keeps it.
        browser
            .wait_for_text("header a", "Private offers")
            .await
            .click()
            .await
            .unwrap();
        let question = browser.client().get_alert_text().await.unwrap();
        assert!(question.contains("unsaved changes"), "{question}");
        browser.client().dismiss_alert().await.unwrap();
        assert_eq!(browser.current_path().await, "/offers/cppo/new");
        assert_eq!(browser.value(&discount).await, "15");

        // Completed, the draft saves itself and takes its own address.
        browser
            .input_by_label("Contoso Analytics: Team (per user)")
            .await
            .click()
            .await
            .unwrap();
        let account = browser.input_by_label("Partner AWS account ID").await;
        browser.type_text(&account, "444455556666").await;
        browser.wait_for_text("#cppo-save-state", "Saved").await;
        let path = browser.current_path().await;
        assert!(path.starts_with("/offers/cppo/ra"), "{path}");

        // A reload opens the saved draft at that address.
        browser.client().refresh().await.unwrap();
        browser
            .wait_for_text("main h1", "Resale authorization")
            .await;
        let discount = browser.input_by_label("Discount %").await;
        for _ in 0..100 {
            if browser.value(&discount).await == "15" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&discount).await, "15");
        let account = browser.input_by_label("Partner AWS account ID").await;
        assert_eq!(browser.value(&account).await, "444455556666");
        let team = browser
            .input_by_label("Contoso Analytics: Team (per user)")
            .await;
        assert_eq!(team.prop("checked").await.unwrap().as_deref(), Some("true"));

        // Saved: the same link leaves without asking.
        browser
            .wait_for_text("header a", "Private offers")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers").await;
    })
    .await;
}

#[tokio::test]
async fn an_unfinished_authorization_waits_in_the_browser_and_resumes_after_a_reload() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/cppo/new", DEMO_ISV).await;
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "12.5").await;
        browser
            .wait_for_text("#cppo-save-state", KEPT_IN_THIS_BROWSER)
            .await;

        // A reload (confirmed) leaves the typed terms in this browser, offered back.
        browser.reload_and_resume().await;
        let discount = browser.input_by_label("Discount %").await;
        assert_eq!(browser.value(&discount).await, "12.5");
        browser
            .wait_for_text("#cppo-save-state", KEPT_IN_THIS_BROWSER)
            .await;
    })
    .await;
}

#[tokio::test]
async fn a_draft_whose_discount_does_not_read_yet_is_kept_in_the_browser_too() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/cppo/new", DEMO_ISV).await;
        let account = browser.input_by_label("Partner AWS account ID").await;
        browser.type_text(&account, "111122223333").await;
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "12,5").await;
        browser
            .wait_for_text("#cppo-save-state", KEPT_IN_THIS_BROWSER)
            .await;

        // Everything typed comes back after a reload, the discount as it was typed.
        browser.reload_and_resume().await;
        let discount = browser.input_by_label("Discount %").await;
        assert_eq!(browser.value(&discount).await, "12,5");
        let account = browser.input_by_label("Partner AWS account ID").await;
        assert_eq!(browser.value(&account).await, "111122223333");
    })
    .await;
}

/// What only the server knows lands on the field it names: its clock is past the "Until" date
/// the page, on this machine's clock, finds still to come, so its 422 (`kind.until`) shows next
/// to "Until" until it is fixed. (An AWS account ID no consulting partner has, the page finds in
/// the directory itself: tests/isv_unread.rs.)
#[tokio::test]
async fn the_servers_refusal_lands_on_its_field() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        browser.restart_server_at("2040-01-02T12:00:00Z").await;
        browser.open_signed_in("/offers/cppo/new", DEMO_ISV).await;
        browser
            .input_by_label("Contoso Analytics: Team (per user)")
            .await
            .click()
            .await
            .unwrap();
        let discount = browser.input_by_label("Discount %").await;
        browser.type_text(&discount, "20").await;
        let account = browser.input_by_label("Partner AWS account ID").await;
        browser.type_text(&account, "444455556666").await;
        let until = browser.input_by_label("Until").await;
        browser.choose_date(&until, "2039-12-31").await;

        browser
            .wait_for_text(
                "#cppo-until-error:not([hidden])",
                "The authorization can't end in the past; leave the date empty to authorize indefinitely.",
            )
            .await;
        assert_eq!(browser.aria_invalid(&until).await.as_deref(), Some("true"));
        let described = until.attr("aria-describedby").await.unwrap();
        assert!(
            described
                .as_deref()
                .is_some_and(|ids| ids.split(' ').any(|id| id == "cppo-until-error")),
            "{described:?}"
        );
        assert_eq!(browser.current_path().await, "/offers/cppo/new");

        // Fixed (no end date: indefinitely), the error goes and the draft saves itself.
        browser.choose_date(&until, "").await;
        browser.wait_for("#cppo-until-error[hidden]").await;
        browser.wait_for_text("#cppo-save-state", "Saved").await;
        assert!(browser.current_path().await.starts_with("/offers/cppo/ra"));
    })
    .await;
}
