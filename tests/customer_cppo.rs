//! A CPPO buyer offer at its link, in the browser: the ISV authorizes Fabrikam to resell
//! Contoso Analytics Pro to Tailspin, Fabrikam makes a buyer offer with a seven-installment
//! payment schedule and publishes it, and Tailspin's owner sees the schedule, signs it and
//! accepts; nothing the buyer receives carries the wholesale price, the discount or the markup.

mod customer_flow;
mod support;

use customer_flow::{
    call, sign_in_by_api, sign_in_through_accept, table_rows, ISV, OWNER, PARTNER,
};
use serde_json::json;
use support::with_browser;

const AUTHORIZATIONS: &str = "/api/v1/resale-authorizations";
const BUYER_OFFERS: &str = "/api/v1/buyer-offers";
const TAILSPIN_AWS_ACCOUNT: &str = "210987654321";

#[tokio::test]
async fn a_cppo_link_shows_its_payment_schedule_and_the_owner_accepts_it() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        let accept_by = chrono::Local::now().date_naive() + chrono::Days::new(20);

        sign_in_by_api(&browser, ISV).await;
        let authorization = call(
            &browser,
            "POST",
            AUTHORIZATIONS,
            Some(json!({
                "products": [ { "offer_id": "contoso-analytics", "plan_id": "pro" } ],
                "discount_percent": "20",
                "partner_aws_account_id": "111122223333",
                "kind": { "discount": "non_recurring", "buyer_account_id": TAILSPIN_AWS_ACCOUNT,
                          "buyer_name": "Tailspin Toys" }
            })),
            201,
        )
        .await;
        let authorization_id = authorization["id"].as_str().unwrap().to_owned();
        call(
            &browser,
            "POST",
            &format!("{AUTHORIZATIONS}/{authorization_id}/activate"),
            Some(json!({ "version": authorization["version"] })),
            200,
        )
        .await;

        // $100.00 a month less 20% is $80.00 wholesale; 12.5% markup is $90.00; 12 months make
        // $1,080.00 in 7 installments: $154.28 each, the 4 remainder cents on the first.
        sign_in_by_api(&browser, PARTNER).await;
        let created = call(
            &browser,
            "POST",
            BUYER_OFFERS,
            Some(json!({
                "authorization_id": authorization_id,
                "buyer_account_id": TAILSPIN_AWS_ACCOUNT,
                "lines": [ { "offer_id": "contoso-analytics", "plan_id": "pro",
                             "price_point_id": "flat:one_month", "quantity": "12",
                             "pricing": { "markup_percent": "12.5" } } ],
                "custom_terms": "Net 45 between Fabrikam and Tailspin",
                "accept_by": accept_by.to_string(),
                "payment_schedule": null,
                "installments": 7
            })),
            201,
        )
        .await;
        let id = created["id"].as_str().unwrap().to_owned();
        let offer = format!("{BUYER_OFFERS}/{id}");
        let signed = call(
            &browser,
            "POST",
            &format!("{offer}/sign-schedule"),
            Some(json!({ "version": created["version"] })),
            200,
        )
        .await;
        let published = call(
            &browser,
            "POST",
            &format!("{offer}/publish"),
            Some(json!({ "version": signed["version"] })),
            200,
        )
        .await;
        let token = published["customer_link"]["token"]
            .as_str()
            .unwrap()
            .to_owned();
        browser.fetch("DELETE", "/api/v1/session", None).await;

        // Signed out, the buyer sees its prices and the schedule it signs by accepting.
        let (status, answer) = browser
            .fetch("GET", &format!("/api/v1/links/{token}"), None)
            .await;
        assert_eq!(status, 200, "{answer}");
        for hidden in [
            "\"80\"",
            "\"12.5\"",
            "\"20\"",
            "wholesale",
            "markup",
            "\"discount_percent\"",
        ] {
            assert!(
                !answer.contains(hidden),
                "the buyer's link carries {hidden}: {answer}"
            );
        }
        browser.goto(&format!("/links/{token}")).await;
        browser
            .wait_for_text("main .isv-company", "Contoso Software")
            .await;
        browser
            .wait_for_text("main .partner-company", "Fabrikam Resellers")
            .await;
        browser
            .wait_for_text("main .status-badge", "Pending acceptance")
            .await;
        let prices = table_rows(&browser, "main table.prices tbody tr").await;
        assert_eq!(
            prices,
            "Contoso Analytics · Pro (flat rate) Flat rate, per month 12 $100.00 $90.00 10% $1,080.00"
        );
        assert_eq!(
            table_rows(&browser, "main table.prices tfoot tr").await,
            "Contract value $1,080.00"
        );
        browser
            .wait_for_text(
                "main table.schedule caption",
                "Installments in USD; accepting signs this schedule",
            )
            .await;
        let mut expected = vec!["Installment 1 $154.32".to_owned()];
        expected.extend((2..=7).map(|n| format!("Installment {n} $154.28")));
        assert_eq!(
            table_rows(&browser, "main table.schedule tbody tr").await,
            expected.join("\n")
        );
        browser
            .wait_for_text("main .custom-terms", "Net 45 between Fabrikam and Tailspin")
            .await;
        let page = browser.text("main").await;
        for hidden in ["$80.00", "12.5%", "20%"] {
            assert!(
                !page.contains(hidden),
                "the buyer's page shows {hidden}: {page}"
            );
        }

        // The owner signs in from "Accept", then accepts and signs the schedule.
        sign_in_through_accept(&browser, &token, OWNER).await;
        browser
            .wait_for_text(
                "main button.accept-button",
                "Accept and sign the payment schedule",
            )
            .await
            .click()
            .await
            .unwrap();
        browser
            .wait_for_text("main #accept-title", "Accepted")
            .await;
        browser
            .wait_for_text("main .status-badge", "Accepted")
            .await;
        // The schedule stays in view once signed.
        assert_eq!(
            table_rows(&browser, "main table.schedule tbody tr").await,
            expected.join("\n")
        );

        // The partner and the ISV see the buyer offer Accepted.
        for party in [PARTNER, ISV] {
            sign_in_by_api(&browser, party).await;
            let view = call(&browser, "GET", &offer, None, 200).await;
            assert_eq!(view["offer"]["status"], "Accepted", "{party}: {view}");
        }
    })
    .await;
}
