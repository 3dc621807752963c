//! Signing in and out in the browser, as the demo ISV.

mod support;

use support::with_browser;

#[tokio::test]
async fn a_person_signs_in_sees_the_organization_and_signs_out() {
    with_browser(|browser| async move {
        browser.goto("/calculator").await;
        let sign_in = browser.wait_for("header a[href='/sign-in']").await;
        sign_in.click().await.unwrap();
        browser.wait_for_text("main h1", "Sign in").await;

        // Submitting an empty form explains what is missing, next to each field.
        let submit = browser.wait_for("main button[type='submit']").await;
        assert_eq!(submit.text().await.unwrap(), "Sign in");
        submit.click().await.unwrap();
        let email = browser.input_by_label("Email").await;
        browser
            .wait_for_text("#email-error", "Enter the email address you sign in with.")
            .await;
        assert_eq!(browser.aria_invalid(&email).await.as_deref(), Some("true"));
        assert_eq!(
            email.attr("aria-describedby").await.unwrap().as_deref(),
            Some("email-error")
        );

        // A wrong password is refused without saying which part was wrong.
        browser.type_text(&email, "isv@contoso.example").await;
        let password = browser.input_by_label("Password").await;
        browser.type_text(&password, "not-the-password").await;
        submit.click().await.unwrap();
        browser
            .wait_for_text(
                "main .form-error",
                "The email address or password is not right.",
            )
            .await;

        browser.clear_by_keys(&password).await;
        browser.type_text(&password, "demo-password").await;
        submit.click().await.unwrap();
        browser.wait_for_path("/").await;
        browser
            .wait_for_text("header .organization", "Contoso Software")
            .await;
        browser
            .wait_for_text("header .email", "isv@contoso.example")
            .await;

        // The session survives a reload: the server holds it, the page asks.
        browser.goto("/calculator").await;
        browser
            .wait_for_text("header .organization", "Contoso Software")
            .await;

        let sign_out = browser.wait_for("header button.link-button").await;
        assert_eq!(sign_out.text().await.unwrap(), "Sign out");
        sign_out.click().await.unwrap();
        browser.wait_for("header a[href='/sign-in']").await;
        browser.goto("/").await;
        browser.wait_for("header a[href='/sign-in']").await;
    })
    .await;
}
