//! The demo ISV creates a CSP margin offer in the browser (seed 000): wholesale prices follow
//! the margin as it is typed, a margin of 100% or more is refused next to its line until fixed,
//! the start and end date pickers snap to the 1st and to the month's last day, partners are found
//! by name and region, "Review and submit" (a page of its own) shows the offer as saved and
//! submits it, the submitted offer shows on the dashboard and opens read-only on its review, and
//! a new draft gets its own address once saved, so a reload resumes it.

mod support;

use chrono::{Datelike, Days, Months, NaiveDate, Utc};
use fantoccini::Locator;
use support::{with_browser, Browser, DEMO_ISV, KEPT_IN_THIS_BROWSER};

async fn first_wholesale(browser: &Browser) -> String {
    browser
        .wait_for(".price-preview .wholesale")
        .await
        .text()
        .await
        .unwrap()
}

async fn wait_for_wholesale(browser: &Browser, expected: &str) {
    for _ in 0..100 {
        if first_wholesale(browser).await == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "e2e: the wholesale price never showed {expected:?}; it shows {:?}",
        first_wholesale(browser).await
    );
}

/// Waits until the address is the review page of a saved CSP offer, and answers the offer's ID.
async fn wait_for_review_page(browser: &Browser) -> String {
    for _ in 0..100 {
        let path = browser.current_path().await;
        let id = (path.strip_prefix("/offers/csp/"))
            .and_then(|rest| rest.strip_suffix("/review"))
            .filter(|id| !id.is_empty() && *id != "new" && !id.contains('/'));
        if let Some(id) = id {
            return id.to_owned();
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!(
        "e2e: the CSP review page never opened; the address is {}",
        browser.current_path().await
    );
}

/// The review page shows the submitted offer `name` locked: no way to change or submit it.
async fn shows_read_only(browser: &Browser, name: &str) {
    let locked = browser.text(".notice-info").await;
    assert!(
        locked.starts_with("This offer is ") && locked.ends_with(": it can't be modified."),
        "{locked}"
    );
    // Its partners by their names in the directory.
    browser
        .wait_for_text_containing(
            "main .review-list",
            &[name, "Fabrikam Resellers (all customers)"],
        )
        .await;
    for button in ["Submit", "Back to offer setup"] {
        let xpath = format!("//main//button[normalize-space()='{button}']");
        assert!(browser.client().find(Locator::XPath(&xpath)).await.is_err());
    }
}

async fn results_text(browser: &Browser) -> String {
    browser
        .wait_for("ul.partner-results")
        .await
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_isv_creates_and_submits_a_csp_margin_offer() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers", DEMO_ISV).await;
        browser
            .wait_for_text("main a.button", "+ New CSP margin offer")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers/csp/new").await;
        browser
            .wait_for_text("main h1", "New CSP margin offer")
            .await;
        browser.wait_enabled("Review and submit", false).await;

        let name = browser.input_by_label("Internal name").await;
        browser.type_text(&name, "FY28 CSP pilot").await;

        // The date pickers snap as core's rule says: a specific start month to its 1st, the
        // end date to its month's last day.
        let today = Utc::now().date_naive();
        let next_month = NaiveDate::from_ymd_opt(today.year(), today.month(), 1)
            .unwrap()
            .checked_add_months(Months::new(1))
            .unwrap();
        browser
            .client()
            .find(Locator::XPath(
                "//label[normalize-space()='Specific month']/input",
            ))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let start = browser.input_by_label("Start month").await;
        browser
            .choose_date(&start, &(next_month + Days::new(9)).to_string())
            .await;
        browser
            .wait_for_text(
                "#csp-start-month-hint",
                &format!("Moved to {next_month}. A specific month always starts on its 1st."),
            )
            .await;
        assert_eq!(browser.value(&start).await, next_month.to_string());
        let first = next_month.checked_add_months(Months::new(5)).unwrap();
        let last = first
            .checked_add_months(Months::new(1))
            .unwrap()
            .pred_opt()
            .unwrap();
        let end = browser.input_by_label("End date").await;
        browser
            .choose_date(&end, &(first + Days::new(3)).to_string())
            .await;
        browser
            .wait_for_text(
                "#csp-end-month-hint",
                &format!("Moved to {last}. An end month always ends on its last day."),
            )
            .await;
        assert_eq!(browser.value(&end).await, last.to_string());
        assert_eq!(browser.aria_invalid(&end).await.as_deref(), Some("false"));

        // Offer level or plan level; the wholesale price follows each key of the margin.
        let target = browser.input_by_label("Offer or plan (line 1)").await;
        target
            .find(Locator::XPath(".//option[@value='contoso-analytics/pro']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let margin = browser.input_by_label("Margin % (line 1)").await;
        browser.type_text(&margin, "1").await;
        wait_for_wholesale(&browser, "$99.00").await;
        browser.type_text(&margin, "50").await;
        // 150% is no margin: core refuses it next to the line, and nothing can be submitted.
        let error = browser
            .wait_for(".product-line .field-error:not([hidden])")
            .await;
        assert!(!error.text().await.unwrap().is_empty());
        assert_eq!(browser.aria_invalid(&margin).await.as_deref(), Some("true"));
        browser.clear_by_keys(&margin).await;
        browser.type_text(&margin, "10").await;
        wait_for_wholesale(&browser, "$90.00").await;
        browser.wait_for(".product-line .field-error[hidden]").await;

        let contacts = browser.input_by_label("Notification contacts").await;
        browser
            .type_text(&contacts, "channel@contoso.example")
            .await;

        // Partners: the region filter narrows the directory; search finds by name.
        let region = browser.input_by_label("Region").await;
        region
            .find(Locator::XPath(".//option[@value='Europe']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        for _ in 0..100 {
            let shown = results_text(&browser).await;
            if shown.contains("Northwind") && !shown.contains("Fabrikam") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        let shown = results_text(&browser).await;
        assert!(
            shown.contains("Northwind") && !shown.contains("Fabrikam"),
            "Europe shows: {shown}"
        );
        region
            .find(Locator::XPath(".//option[@value='']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let search = browser
            .input_by_label("Search partners by name or tenant ID")
            .await;
        browser.type_text(&search, "Fabrikam").await;
        browser
            .wait_for("button[aria-label='Add Fabrikam Resellers']:not([disabled])")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("main h3", "Selected partners (1 of 400)")
            .await;
        // The directory is asked once the typing pauses, not once per keystroke: of the seven
        // prefixes typed on the way to "Fabrikam", at most a few were ever asked for.
        let mut asked = Vec::new();
        for _ in 0..50 {
            asked = serde_json::from_value::<Vec<String>>(
                browser
                    .client()
                    .execute(
                        "return performance.getEntriesByType('resource').map(e => e.name)
                           .filter(name => name.includes('/api/v1/partners?csp_member=true'));",
                        vec![],
                    )
                    .await
                    .unwrap(),
            )
            .unwrap();
            if asked.iter().any(|url| url.contains("query=Fabrikam&")) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            asked.iter().any(|url| url.contains("query=Fabrikam&")),
            "{asked:#?}"
        );
        let partial = (1..8)
            .map(|end| format!("query={}&", &"Fabrikam"[..end]))
            .filter(|prefix| asked.iter().any(|url| url.contains(prefix.as_str())))
            .count();
        assert!(partial < 7, "{asked:#?}");
        let customers = browser
            .input_by_label("Customer tenant IDs for Fabrikam Resellers")
            .await;
        browser
            .type_text(&customers, "4f2c8a1e-9b3d-4e5f-8a7b-6c5d4e3f2a1b")
            .await;

        // "Review and submit" saves what is typed and opens the review, a page of its own,
        // showing the offer as the server holds it.
        browser.wait_enabled("Review and submit", true).await;
        browser
            .wait_for_text("main button", "Review and submit")
            .await
            .click()
            .await
            .unwrap();
        let id = wait_for_review_page(&browser).await;
        let shown = [
            "FY28 CSP pilot",
            // Dates with the month by name: "January 2027", "31 December 2027".
            &next_month.format("%B %Y").to_string(),
            &last.format("%-d %B %Y").to_string(),
            "Contoso Analytics: Pro (flat rate) (plan level), 10% margin",
            "Fabrikam Resellers (customers: 4f2c8a1e-9b3d-4e5f-8a7b-6c5d4e3f2a1b)",
        ];
        browser
            .wait_for_text_containing("main .review-list", &shown)
            .await;
        let prices = browser.text("main .review .price-preview").await;
        assert!(
            prices.contains("Contoso Analytics: Pro (flat rate) (plan level)"),
            "{prices}"
        );
        assert!(
            prices.contains("Contoso Analytics, Pro (flat rate): Flat rate, 1 month"),
            "each price point reads as words: {prices}"
        );

        // Back to the setup, the offer is there as saved; reviewed again, it is submitted.
        browser
            .wait_for_text("main button", "Back to offer setup")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path(&format!("/offers/csp/{id}")).await;
        let name = browser.input_by_label("Internal name").await;
        for _ in 0..100 {
            if browser.value(&name).await == "FY28 CSP pilot" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&name).await, "FY28 CSP pilot");
        browser.wait_enabled("Review and submit", true).await;
        browser
            .wait_for_text("main button", "Review and submit")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_path(&format!("/offers/csp/{id}/review"))
            .await;
        browser
            .wait_for_text_containing("main .review-list", &["FY28 CSP pilot"])
            .await;
        browser
            .wait_for_text("main button", "Submit")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_path("/offers").await;
        let row =
            "//tr[th[contains(normalize-space(.), 'FY28 CSP pilot')]]//td[@class='status-cell']";
        let mut status = String::new();
        for _ in 0..100 {
            if let Ok(cell) = browser.client().find(Locator::XPath(row)).await {
                status = cell.text().await.unwrap_or_default();
                if status == "In progress" || status == "Live" {
                    break;
                }
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert!(
            status == "In progress" || status == "Live",
            "the submitted CSP offer shows {status:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn the_isv_edits_a_saved_csp_draft_and_reads_a_live_offer() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers?tab=csp", DEMO_ISV).await;

        // The demo's draft opens in the form with everything it saved.
        browser
            .wait_for_text("main a.offer-name", "FY27 H2 CSP push (draft)")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_text("main h1", "CSP margin offer").await;
        let name = browser.input_by_label("Internal name").await;
        for _ in 0..100 {
            if browser.value(&name).await == "FY27 H2 CSP push (draft)" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&name).await, "FY27 H2 CSP push (draft)");
        let end = browser.input_by_label("End date").await;
        let end_date = browser.value(&end).await.parse::<NaiveDate>().unwrap();
        assert_eq!(
            end_date.checked_add_days(Days::new(1)).unwrap().day(),
            1,
            "the saved end date {end_date} is its month's last day"
        );
        let margin = browser.input_by_label("Margin % (line 1)").await;
        assert!(!browser.value(&margin).await.is_empty());
        browser.wait_for(".selected-partner textarea").await;

        // Renamed, it saves itself as a new version of the same draft.
        browser.clear_by_keys(&name).await;
        browser.type_text(&name, "FY27 H2 CSP push, revised").await;
        browser.wait_for_text("#csp-save-state", "Saved").await;
        browser.goto("/offers?tab=csp").await;
        browser
            .wait_for_text("main a.offer-name", "FY27 H2 CSP push, revised")
            .await;

        // A live offer opens read-only on its review page: it cannot be modified.
        browser
            .wait_for_text("main a.offer-name", "FY27 CSP push")
            .await
            .click()
            .await
            .unwrap();
        let id = wait_for_review_page(&browser).await;
        shows_read_only(&browser, "FY27 CSP push").await;
        // Its form's address opens the same review in its place.
        browser.goto(&format!("/offers/csp/{id}")).await;
        browser
            .wait_for_path(&format!("/offers/csp/{id}/review"))
            .await;
        shows_read_only(&browser, "FY27 CSP push").await;
    })
    .await;
}

#[tokio::test]
async fn the_csp_review_names_unread_partners_by_tenant_id_and_says_why_a_submit_was_refused() {
    with_browser(|browser| async move {
        // Before the offer is saved there is nothing to review.
        browser
            .open_signed_in("/offers/csp/new/review", DEMO_ISV)
            .await;
        browser
            .wait_for_text_containing("main .review .notice-info", &["Nothing to review yet"])
            .await;

        let setup = serde_json::json!({
            "internal_name": "Reviewed while it changes",
            "start": { "start": "as_soon_as_possible" },
            "end": format!("{}-06-30", Utc::now().year() + 1),
            "notification_contacts": ["channel@contoso.example"],
            "lines": [ { "offer_id": "contoso-analytics", "plan_id": null, "margin_percent": "10" } ],
            // Fabrikam's tenant (the demo data's), for two of its customers.
            "partners": [ {
                "tenant_id": "2d7f1c8e-4b6a-4f3e-9a51-6c0e8b7d1f20",
                "customer_tenant_ids": ["c1c1c1c1-0000-4000-8000-000000000001", "c2c2c2c2-0000-4000-8000-000000000002"]
            } ]
        });
        let (status, body) = browser
            .fetch("POST", "/api/v1/csp-offers", Some(setup.clone()))
            .await;
        assert_eq!(status, 201, "{body}");
        let created: serde_json::Value = serde_json::from_str(&body).unwrap();
        let id = created["id"].as_str().unwrap().to_owned();

        // The directory does not answer: the review names the partner by its tenant ID.
        browser.block_requests(&["*/api/v1/partners?*"]).await;
        browser.goto(&format!("/offers/csp/{id}/review")).await;
        browser
            .wait_for_text_containing(
                "main .review-list",
                &[
                    "Reviewed while it changes",
                    "Contoso Analytics: all current and future plans (offer level), 10% margin",
                    "2d7f1c8e-4b6a-4f3e-9a51-6c0e8b7d1f20 (customers: c1c1c1c1-0000-4000-8000-000000000001, c2c2c2c2-0000-4000-8000-000000000002)",
                ],
            )
            .await;

        // Saved again elsewhere meanwhile, the version reviewed is stale: the submit is refused
        // with the server's reason, and the offer stays a draft.
        let mut renamed = setup;
        renamed["version"] = created["version"].clone();
        renamed["internal_name"] = "Renamed elsewhere".into();
        let path = format!("/api/v1/csp-offers/{id}");
        let (status, body) = browser.fetch("PUT", &path, Some(renamed)).await;
        assert_eq!(status, 200, "{body}");
        browser
            .wait_for_text("main .review button", "Submit")
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text_containing(
                "main .review .notice-error[role='alert']",
                &["The offer was not submitted."],
            )
            .await;
        let (status, body) = browser.fetch("GET", &path, None).await;
        assert_eq!(status, 200, "{body}");
        let offer: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(offer["offer"]["status_label"], "Draft", "{offer}");
        assert_eq!(offer["offer"]["setup"]["internal_name"], "Renamed elsewhere", "{offer}");
        assert!(browser.current_path().await.ends_with("/review"));
    })
    .await;
}

#[tokio::test]
async fn a_new_csp_draft_asks_before_leaving_saves_itself_at_its_own_address_and_resumes_after_a_reload(
) {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/csp/new", DEMO_ISV).await;
        let name = browser.input_by_label("Internal name").await;
        browser.type_text(&name, "Reloaded CSP draft").await;
        browser
            .wait_for_text("#csp-save-state", KEPT_IN_THIS_BROWSER)
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
        assert_eq!(browser.current_path().await, "/offers/csp/new");

        // Completed, the draft saves itself and takes its own address.
        let end = browser.input_by_label("End date").await;
        let last = NaiveDate::from_ymd_opt(Utc::now().year() + 1, 3, 31).unwrap();
        browser.choose_date(&end, &last.to_string()).await;
        let target = browser.input_by_label("Offer or plan (line 1)").await;
        target
            .find(Locator::XPath(".//option[@value='contoso-analytics/']"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let margin = browser.input_by_label("Margin % (line 1)").await;
        browser.type_text(&margin, "7.5").await;
        let search = browser
            .input_by_label("Search partners by name or tenant ID")
            .await;
        browser.type_text(&search, "Fabrikam").await;
        browser
            .wait_for("button[aria-label='Add Fabrikam Resellers']:not([disabled])")
            .await
            .click()
            .await
            .unwrap();
        browser.wait_for_text("#csp-save-state", "Saved").await;
        let path = browser.current_path().await;
        assert!(
            path.starts_with("/offers/csp/") && !path.ends_with("/new"),
            "the saved draft's address is {path}"
        );

        browser.client().refresh().await.unwrap();
        browser.wait_for_text("main h1", "CSP margin offer").await;
        let name = browser.input_by_label("Internal name").await;
        for _ in 0..100 {
            if browser.value(&name).await == "Reloaded CSP draft" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&name).await, "Reloaded CSP draft");
        let end = browser.input_by_label("End date").await;
        assert_eq!(browser.value(&end).await, last.to_string());
        let margin = browser.input_by_label("Margin % (line 1)").await;
        assert_eq!(browser.value(&margin).await, "7.5");
        browser
            .wait_for_text(
                ".selected-partner label",
                "Customer tenant IDs for Fabrikam Resellers",
            )
            .await;

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
async fn an_unfinished_csp_draft_waits_in_the_browser_and_resumes_after_a_reload() {
    with_browser(|browser| async move {
        browser.open_signed_in("/offers/csp/new", DEMO_ISV).await;
        let name = browser.input_by_label("Internal name").await;
        browser.type_text(&name, "Half-typed CSP idea").await;
        let margin = browser.input_by_label("Margin % (line 1)").await;
        browser.type_text(&margin, "4,25").await;
        browser
            .wait_for_text("#csp-save-state", KEPT_IN_THIS_BROWSER)
            .await;

        // A reload (confirmed) leaves the setup in this browser as typed (a margin that does
        // not read yet, no end date), offered back.
        browser.reload_and_resume().await;
        let name = browser.input_by_label("Internal name").await;
        for _ in 0..100 {
            if browser.value(&name).await == "Half-typed CSP idea" {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        assert_eq!(browser.value(&name).await, "Half-typed CSP idea");
        let margin = browser.input_by_label("Margin % (line 1)").await;
        assert_eq!(browser.value(&margin).await, "4,25");
        let end = browser.input_by_label("End date").await;
        assert_eq!(
            browser.value(&end).await,
            "",
            "an end date nobody typed came back"
        );
    })
    .await;
}

#[tokio::test]
async fn a_saved_draft_that_cannot_be_read_leaves_the_form_closed_to_typing() {
    with_browser(|browser| async move {
        browser
            .goto("/sign-in?next=/offers/csp/no-such-offer")
            .await;
        browser.sign_in_with_form(DEMO_ISV).await;
        browser.wait_for_path("/offers/csp/no-such-offer").await;

        // The server's refusal shows, and the form stays inert: typing into the empty form would
        // otherwise be saved as a new draft (there is no version to save the missing one with).
        browser.wait_for("main .notice-error").await;
        browser
            .wait_for("main .draft[inert][aria-busy='true']")
            .await;
        let name = browser.input_by_label("Internal name").await;
        let _ = name.send_keys("Typed into a missing draft").await;
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        assert_eq!(browser.value(&name).await, "", "an inert field took text");
        assert_eq!(browser.text("#csp-save-state").await, "");
    })
    .await;
}
