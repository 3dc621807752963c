//! Terms documents at the customer's link, in the browser: the ISV and the partner each add a
//! PDF under a customer-facing name, and the customer, signed out, finds both by those names
//! and downloads each: the PDF that was uploaded, named for the customer.

mod customer_flow;
mod support;

use customer_flow::send_offer;
use serde_json::json;
use support::with_browser;

const ISV_PDF: &str =
    "%PDF-1.4\n% Contoso EULA for Tailspin\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n";
const PARTNER_PDF: &str =
    "%PDF-1.4\n% Fabrikam services terms\n1 0 obj << /Net 45 >> endobj\ntrailer << >>\n%%EOF\n";

#[tokio::test]
async fn the_customer_downloads_each_terms_document_by_its_customer_facing_name() {
    with_browser(|browser| async move {
        browser.goto("/").await;
        let accept_by = chrono::Local::now().date_naive() + chrono::Days::new(10);
        let (_, token) = send_offer(
            &browser,
            &accept_by.to_string(),
            Some(("Contoso EULA", ISV_PDF)),
            Some(("Fabrikam services terms", PARTNER_PDF)),
        )
        .await;

        browser.goto(&format!("/links/{token}")).await;
        browser
            .wait_for_text("main #terms-title", "Terms and conditions")
            .await;
        let listed = browser.text("main ul.terms").await;
        assert_eq!(
            listed, "Contoso EULA (PDF)\nFabrikam services terms (PDF)",
            "the customer sees the ISV's, then the partner's document"
        );
        for (name, content) in [
            ("Fabrikam services terms", PARTNER_PDF),
            ("Contoso EULA", ISV_PDF),
        ] {
            let link = browser.wait_for_text("main ul.terms a", name).await;
            assert!(
                link.attr("download").await.unwrap().is_some(),
                "{name} is offered as a download"
            );
            let href = link
                .attr("href")
                .await
                .unwrap()
                .expect("a terms link has an href");
            assert!(
                !href.contains("file"),
                "the link names no stored file: {href}"
            );
            // The same request the browser makes for the download, read back in the page.
            let answer = browser
                .client()
                .execute_async(
                    r#"const [href, done] = arguments;
                       fetch(href).then(async (response) => done([
                           response.status,
                           response.headers.get("content-type"),
                           response.headers.get("content-disposition"),
                           await response.text()]));"#,
                    vec![json!(href)],
                )
                .await
                .unwrap();
            assert_eq!(answer[0], 200, "{name}: {answer}");
            assert_eq!(answer[1], "application/pdf", "{name}: {answer}");
            assert_eq!(
                answer[2],
                format!("attachment; filename=\"{name}.pdf\""),
                "{name}: {answer}"
            );
            assert_eq!(answer[3], content, "{name} is the PDF that was uploaded");
        }
    })
    .await;
}
