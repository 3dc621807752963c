//! The partner's Profile page end to end: the tax profile and the multiparty eligibility, with
//! the reason once the resale certificates are no longer on file.

mod support;

use fantoccini::Locator;
use serde_json::{json, Value};
use support::with_browser;

#[tokio::test]
async fn a_partner_sees_its_tax_profile_and_why_it_may_not_submit() {
    with_browser(|browser| async move {
        browser.goto("/sign-in?next=/partner/profile").await;
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
        browser.wait_for_path("/partner/profile").await;
        browser
            .wait_for_text("#multiparty-submit", "Eligible")
            .await;
        let facts = browser.text("section dl").await;
        assert!(facts.contains("United States"), "{facts}");
        assert!(facts.contains("10000001"), "{facts}");

        // The certificates leave the file (through the API, as the partner itself).
        const SCRIPT: &str = r#"
            const [body, done] = arguments;
            fetch('/api/v1/organization', { method: 'PUT', credentials: 'same-origin',
                headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
              .then(async (response) => done([response.status, await response.text()]));
        "#;
        let body = json!({
            "name": "Fabrikam Resellers",
            "partner": {
                "seller_id": "10000001",
                "tenant_id": "2d7f1c8e-4b6a-4f3e-9a51-6c0e8b7d1f20",
                "aws_account_id": "111122223333",
                "csp_member": true,
                "regions": ["North America"],
                "tax_profile_country": "us",
                "us_resale_certificates_on_file": false,
                "uk_treaty_claim_expires_on": null
            }
        });
        let answer: Value = browser
            .client()
            .execute_async(SCRIPT, vec![body])
            .await
            .unwrap();
        assert_eq!(answer[0], 200, "{answer}");

        browser.goto("/partner/profile").await;
        browser.wait_for("#multiparty-submit").await;
        let submit = browser.text("#multiparty-submit").await;
        assert!(submit.starts_with("Not eligible: "), "{submit}");
        assert!(
            submit.to_lowercase().contains("resale certificate"),
            "{submit}"
        );
        browser
            .wait_for_text("#multiparty-selection", "Eligible")
            .await;
    })
    .await;
}

/// A partner's header has the most links. In the tests' 1200-pixel window the product name, the
/// links and who is signed in share one row (they wrapped onto two before the header was widened).
#[tokio::test]
async fn a_partners_header_fits_on_one_row() {
    with_browser(|browser| async move {
        browser.goto("/sign-in?next=/partner/profile").await;
        browser.sign_in_with_form("partner@northwind.example").await;
        browser.wait_for_path("/partner/profile").await;
        browser
            .wait_for_text(".site-header .account .email", "partner@northwind.example")
            .await;
        const SCRIPT: &str = r#"
            const parts = ['.brand', '.site-header nav', '.site-header .account'];
            return [window.innerWidth].concat(parts.map((css) => {
              const box = document.querySelector(css).getBoundingClientRect();
              return Math.round(box.top + box.height / 2);
            }));
        "#;
        let measured: Value = browser.client().execute(SCRIPT, vec![]).await.unwrap();
        let middles = &measured.as_array().unwrap()[1..];
        assert!(
            middles.iter().all(|middle| middle == &middles[0]),
            "the window's width, then the vertical middles of the name, the links and the \
             account: {measured}"
        );
    })
    .await;
}
