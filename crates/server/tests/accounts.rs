//! Accounts through HTTP: sign-in, sessions, failed sign-in limits, sign-out and expiry, driven
//! through `app()` with `oneshot`; cookies carried by hand.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use offerdesk_core::party::{
    BillingAccountRole, CustomerAccount, PartnerProfile, TaxProfileCountry,
};
use offerdesk_server::auth::Passwords;
use offerdesk_server::store::accounts::{NewCustomerAccount, NewOrganization, NewUser, PartyKind};
use offerdesk_server::{app, AccountStore, AppState, AuthSettings, SqliteStore, TestClock};
use serde_json::{json, Value};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";

/// The app over a fresh in-memory database with one ISV, one partner and one customer, on a
/// clock the test sets.
struct TestApp {
    router: Router,
    clock: Arc<TestClock>,
}

fn user(email: &str, roles: Vec<(String, BillingAccountRole)>) -> NewUser {
    NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        password_hash: Passwords::fast_for_tests().hash(PASSWORD).unwrap(),
        billing_roles: roles,
    }
}

fn partner_profile(seller_id: &str, tenant_id: &str) -> PartnerProfile {
    PartnerProfile {
        seller_id: seller_id.into(),
        tenant_id: tenant_id.into(),
        aws_account_id: None,
        csp_member: true,
        regions: vec!["North America".into()],
        tax_profile_country: Some(TaxProfileCountry::Us),
        us_resale_certificates_on_file: true,
        uk_treaty_claim_expires_on: None,
    }
}

impl TestApp {
    async fn new() -> TestApp {
        let store = SqliteStore::open_in_memory().unwrap();
        let organizations = vec![
            NewOrganization {
                name: "Vendor One".into(),
                kind: PartyKind::Isv,
                partner: None,
                customer_accounts: vec![],
                users: vec![user("isv@one.example", vec![])],
                catalog: Default::default(),
            },
            NewOrganization {
                name: "Reseller Two".into(),
                kind: PartyKind::Partner,
                partner: Some(partner_profile(
                    "seller-two",
                    "0f8fad5b-d9cb-469f-a165-70867728950e",
                )),
                customer_accounts: vec![],
                users: vec![user("Partner@Two.example", vec![])],
                catalog: Default::default(),
            },
            NewOrganization {
                name: "Buyer Three".into(),
                kind: PartyKind::Customer,
                partner: None,
                customer_accounts: vec![NewCustomerAccount {
                    account: CustomerAccount::AwsAccount("123456789012".into()),
                    country: "US".into(),
                }],
                users: vec![user(
                    "buyer@three.example",
                    vec![("123456789012".into(), BillingAccountRole::Signatory)],
                )],
                catalog: Default::default(),
            },
        ];
        store
            .create_organizations(organizations, false)
            .await
            .unwrap()
            .unwrap();
        let clock = Arc::new(TestClock::new("2026-11-23T18:00:00Z".parse().unwrap()));
        let state = AppState::new(store.clone(), "/nonexistent")
            .with_clock(clock.clone())
            .with_auth(AuthSettings::for_tests());
        TestApp {
            router: app(state),
            clock,
        }
    }
}

/// One answer, its body read whole.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|error| panic!("{error}: {}", String::from_utf8_lossy(&self.body)))
    }

    fn first_message(&self) -> String {
        self.json()["errors"][0]["message"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// `name=value` of the session cookie this answer sets.
    fn session_cookie(&self) -> String {
        let set = self.headers[header::SET_COOKIE].to_str().unwrap();
        set.split(';').next().unwrap().to_owned()
    }
}

/// A request as a browser at `address` would send it, with `cookie` if given.
async fn send(
    router: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
    cookie: Option<&str>,
) -> Answer {
    send_from(router, method, path, body, cookie, [127, 0, 0, 1]).await
}

async fn send_from(
    router: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
    cookie: Option<&str>,
    address: [u8; 4],
) -> Answer {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let mut request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    request
        .extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((address, 40000))));
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.into_body().collect().await.unwrap().to_bytes();
    Answer {
        status,
        headers,
        body: body.to_vec(),
    }
}

async fn sign_in(router: &Router, email: &str, password: &str) -> Answer {
    send(
        router,
        Method::POST,
        "/api/v1/session",
        Some(json!({ "email": email, "password": password })),
        None,
    )
    .await
}

/// Signs in and answers the cookie to send back.
async fn cookie_of(router: &Router, email: &str) -> String {
    let answer = sign_in(router, email, PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", email);
    answer.session_cookie()
}

#[tokio::test]
async fn signing_in_sets_a_strict_http_only_cookie_and_answers_the_caller() {
    let test = TestApp::new().await;
    let answer = sign_in(&test.router, "ISV@one.example", PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK);
    let set = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("offerdesk_session="), "{set}");
    assert!(set.contains("; HttpOnly; SameSite=Strict; Path=/"), "{set}");
    assert!(!set.contains("Secure"), "{set}");
    let token = answer.session_cookie()["offerdesk_session=".len()..].to_owned();
    assert_eq!(token.len(), 43);
    let body = answer.json();
    assert_eq!(body["user"]["email"], "isv@one.example");
    assert_eq!(body["organization"]["name"], "Vendor One");
    assert_eq!(body["organization"]["kind"], "isv");

    let cookie = answer.session_cookie();
    let me = send(
        &test.router,
        Method::GET,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.json()["user"]["email"], "isv@one.example");
}

#[tokio::test]
async fn a_customer_session_names_its_billing_roles() {
    let test = TestApp::new().await;
    let answer = sign_in(&test.router, "buyer@three.example", PASSWORD).await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["organization"]["kind"], "customer");
    assert_eq!(
        body["billing_accounts"],
        json!([{ "account": { "marketplace": "aws_account", "id": "123456789012" },
                 "role": "signatory" }])
    );
}

#[tokio::test]
async fn the_cookie_is_secure_behind_https() {
    let test = TestApp::new().await;
    let request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(
            json!({ "email": "isv@one.example", "password": PASSWORD }).to_string(),
        ))
        .unwrap();
    let response = test.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(set.ends_with("; Secure"), "{set}");
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_answer_the_same_401() {
    let test = TestApp::new().await;
    let wrong = sign_in(&test.router, "isv@one.example", "not it").await;
    let unknown = sign_in(&test.router, "nobody@one.example", PASSWORD).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(unknown.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert!(!wrong.headers.contains_key(header::SET_COOKIE));
}

#[tokio::test]
async fn without_a_valid_session_the_api_answers_401() {
    let test = TestApp::new().await;
    let cookies = [
        None,
        Some("offerdesk_session=short"),
        Some("offerdesk_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
    ];
    for cookie in cookies {
        let answer = send(&test.router, Method::GET, "/api/v1/session", None, cookie).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{cookie:?}");
        assert_eq!(
            answer.json(),
            json!({ "errors": [ { "field": "", "message": "Sign in to continue." } ] })
        );
    }
}

#[tokio::test]
async fn sign_in_takes_json_only() {
    let test = TestApp::new().await;
    let request = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("email=isv%40one.example&password=x"))
        .unwrap();
    let response = test.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let missing = send(
        &test.router,
        Method::POST,
        "/api/v1/session",
        Some(json!({ "email": "isv@one.example" })),
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_sixth_failure_for_an_account_waits_even_with_the_right_password() {
    let test = TestApp::new().await;
    for attempt in 0..5 {
        // Each from another address: the account's own count trips.
        let answer = send_from(
            &test.router,
            Method::POST,
            "/api/v1/session",
            Some(json!({ "email": "isv@one.example", "password": "guess" })),
            None,
            [10, 0, 0, attempt],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "attempt {attempt}");
    }
    let refused = sign_in(&test.router, "ISV@one.example", PASSWORD).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(refused.headers[header::RETRY_AFTER], "900");
    assert!(refused.first_message().contains("15 minute"));
    // Another account is not held back.
    assert_eq!(
        sign_in(&test.router, "partner@two.example", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
    // After the window, the right password works again.
    test.clock.advance(chrono::Duration::minutes(15));
    assert_eq!(
        sign_in(&test.router, "isv@one.example", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn the_sixth_failure_from_an_address_waits() {
    let test = TestApp::new().await;
    for attempt in 0..5 {
        let answer = send_from(
            &test.router,
            Method::POST,
            "/api/v1/session",
            Some(json!({ "email": format!("guess{attempt}@one.example"), "password": "x" })),
            None,
            [10, 9, 9, 9],
        )
        .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED);
    }
    let refused = send_from(
        &test.router,
        Method::POST,
        "/api/v1/session",
        Some(json!({ "email": "isv@one.example", "password": PASSWORD })),
        None,
        [10, 9, 9, 9],
    )
    .await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.headers.contains_key(header::RETRY_AFTER));
    // The same account from its usual address is fine.
    assert_eq!(
        sign_in(&test.router, "isv@one.example", PASSWORD)
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "partner@two.example").await;
    let out = send(
        &test.router,
        Method::DELETE,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let set = out.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.starts_with("offerdesk_session=;"), "{set}");
    assert!(set.contains("Max-Age=0"), "{set}");
    let me = send(
        &test.router,
        Method::GET,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
    // Signing out twice, or without a session, is not an error.
    let again = send(
        &test.router,
        Method::DELETE,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_session_expires_twelve_hours_after_sign_in() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "isv@one.example").await;
    test.clock
        .advance(chrono::Duration::hours(12) - chrono::Duration::seconds(1));
    let me = send(
        &test.router,
        Method::GET,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(me.status, StatusCode::OK);
    test.clock.advance(chrono::Duration::seconds(1));
    let me = send(
        &test.router,
        Method::GET,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(me.status, StatusCode::UNAUTHORIZED);
}
