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
    store: SqliteStore,
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
            store,
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

fn catalog_file() -> Value {
    json!({ "offers": [
        { "id": "analytics", "name": "Analytics", "offer_type": "saas", "cloud_reseller": true,
          "plans": [
            { "id": "pro", "name": "Pro", "trial": false,
              "pricing": { "model": "flat_rate",
                           "prices": [ { "billing_term": "one_month", "price": "100.00" } ],
                           "included_quantities": [] },
              "meters": [ { "id": "api-calls", "unit": "API call", "price_per_unit": "0.0015" } ] },
            { "id": "team", "name": "Team", "trial": true,
              "pricing": { "model": "per_user",
                           "prices": [ { "billing_term": "one_year", "price": "120" } ] },
              "meters": [] } ] },
        { "id": "firewall", "name": "Firewall VM", "offer_type": "azure_virtual_machines",
          "cloud_reseller": false,
          "plans": [
            { "id": "fw", "name": "Firewall", "trial": false,
              "pricing": { "model": "virtual_machine", "reservation_prices": [
                  { "vcpu_size": "4 vCPU", "term": "one_year", "price": "1200.00" },
                  { "vcpu_size": "4 vCPU", "term": "three_years", "price": "3000.00" } ] },
              "meters": [] } ] } ] })
}

#[tokio::test]
async fn an_isv_imports_its_catalog_and_reads_it_back_with_price_points() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "isv@one.example").await;
    let empty = send(
        &test.router,
        Method::GET,
        "/api/v1/catalog",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(empty.status, StatusCode::OK);
    assert_eq!(empty.json(), json!({ "currency": "USD", "offers": [] }));

    let imported = send(
        &test.router,
        Method::POST,
        "/api/v1/catalog/import",
        Some(catalog_file()),
        Some(&cookie),
    )
    .await;
    assert_eq!(imported.status, StatusCode::OK, "{}", imported.json());
    assert_eq!(imported.json()["imported"], 2);

    let read = send(
        &test.router,
        Method::GET,
        "/api/v1/catalog",
        None,
        Some(&cookie),
    )
    .await;
    let body = read.json();
    assert_eq!(body, imported.json()["catalog"]);
    let pro = &body["offers"][0]["plans"][0];
    assert_eq!(pro["pricing"]["prices"][0]["price"], "100");
    assert_eq!(
        pro["price_points"],
        json!([
            { "id": "flat:one_month", "kind": "flat", "list_price": "100" },
            { "id": "meter:api-calls", "kind": "usage", "list_price": "0.0015" }
        ])
    );
    assert_eq!(
        body["offers"][1]["plans"][0]["price_points"][1]["id"],
        "reservation:4 vCPU:three_years"
    );
}

#[tokio::test]
async fn an_import_upserts_offers_by_id_and_keeps_the_others() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "isv@one.example").await;
    let import = |body: Value| {
        let router = test.router.clone();
        let cookie = cookie.clone();
        async move {
            send(
                &router,
                Method::POST,
                "/api/v1/catalog/import",
                Some(body),
                Some(&cookie),
            )
            .await
        }
    };
    assert_eq!(import(catalog_file()).await.status, StatusCode::OK);
    let mut changed = catalog_file();
    changed["offers"] = json!([changed["offers"][0].clone()]);
    changed["offers"][0]["name"] = json!("Analytics 2");
    changed["offers"][0]["plans"] = json!([changed["offers"][0]["plans"][1].clone()]);
    let answer = import(changed).await;
    assert_eq!(answer.status, StatusCode::OK);
    let offers = &answer.json()["catalog"]["offers"];
    assert_eq!(offers.as_array().unwrap().len(), 2);
    assert_eq!(offers[0]["name"], "Analytics 2");
    assert_eq!(offers[0]["plans"].as_array().unwrap().len(), 1);
    assert_eq!(offers[1]["id"], "firewall");
}

#[tokio::test]
async fn a_bad_catalog_answers_422_with_paths_and_stores_nothing() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "isv@one.example").await;
    let mut bad = catalog_file();
    bad["offers"][0]["plans"][0]["pricing"]["prices"][0]["price"] = json!("100.001");
    bad["offers"][1]["plans"][0]["meters"] =
        json!([{ "id": "x", "unit": "x", "price_per_unit": "1" }]);
    bad["offers"][1]["id"] = json!("analytics");
    let answer = send(
        &test.router,
        Method::POST,
        "/api/v1/catalog/import",
        Some(bad),
        Some(&cookie),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = answer.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_owned())
        .collect();
    for expected in [
        "offers[0].plans[0].pricing.prices[0].price",
        "offers[1].id",
        "offers[1].plans[0].meters",
    ] {
        assert!(
            fields.iter().any(|field| field == expected),
            "{expected}: {fields:?}"
        );
    }
    let mut shape = catalog_file();
    shape["offers"][0]["plans"][1]["pricing"]["prices"][0]["billing_term"] = json!("weekly");
    let answer = send(
        &test.router,
        Method::POST,
        "/api/v1/catalog/import",
        Some(shape),
        Some(&cookie),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.json()["errors"][0]["field"],
        "offers[0].plans[1].pricing.prices[0].billing_term"
    );
    let read = send(
        &test.router,
        Method::GET,
        "/api/v1/catalog",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(read.json()["offers"], json!([]));
}

#[tokio::test]
async fn partners_and_customers_have_no_catalog_and_no_partner_directory() {
    let test = TestApp::new().await;
    for email in ["partner@two.example", "buyer@three.example"] {
        let cookie = cookie_of(&test.router, email).await;
        for (method, path, body) in [
            (Method::GET, "/api/v1/catalog", None),
            (Method::POST, "/api/v1/catalog/import", Some(catalog_file())),
            (Method::GET, "/api/v1/partners", None),
        ] {
            let answer = send(&test.router, method, path, body, Some(&cookie)).await;
            assert_eq!(answer.status, StatusCode::NOT_FOUND, "{email} {path}");
            assert!(answer.first_message().contains("not yours to see"));
        }
    }
    for (method, path, body) in [
        (Method::GET, "/api/v1/catalog", None),
        (Method::POST, "/api/v1/catalog/import", Some(catalog_file())),
        (Method::GET, "/api/v1/partners", None),
        (Method::GET, "/api/v1/organization", None),
    ] {
        let answer = send(&test.router, method, path, body, None).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{path}");
    }
}

#[tokio::test]
async fn one_isv_never_sees_another_isvs_catalog() {
    let test = TestApp::new().await;
    test.store
        .create_organizations(
            vec![NewOrganization {
                name: "Vendor Four".into(),
                kind: PartyKind::IsvAndPartner,
                partner: Some(partner_profile(
                    "seller-four",
                    "11111111-2222-3333-4444-555555555555",
                )),
                customer_accounts: vec![],
                users: vec![user("isv@four.example", vec![])],
                catalog: Default::default(),
            }],
            false,
        )
        .await
        .unwrap();
    let one = cookie_of(&test.router, "isv@one.example").await;
    let four = cookie_of(&test.router, "isv@four.example").await;
    let answer = send(
        &test.router,
        Method::POST,
        "/api/v1/catalog/import",
        Some(catalog_file()),
        Some(&one),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let theirs = send(
        &test.router,
        Method::GET,
        "/api/v1/catalog",
        None,
        Some(&four),
    )
    .await;
    assert_eq!(theirs.status, StatusCode::OK);
    assert_eq!(theirs.json()["offers"], json!([]));
}

#[tokio::test]
async fn the_organization_shows_a_partner_its_multiparty_eligibility() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "partner@two.example").await;
    let answer = send(
        &test.router,
        Method::GET,
        "/api/v1/organization",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    let body = answer.json();
    assert_eq!(body["name"], "Reseller Two");
    assert_eq!(body["kind"], "partner");
    assert_eq!(body["partner"]["seller_id"], "seller-two");
    assert_eq!(
        body["multiparty"]["selection"],
        json!({ "status": "eligible" })
    );
    assert_eq!(
        body["multiparty"]["submit"],
        json!({ "status": "eligible" })
    );

    let cookie = cookie_of(&test.router, "buyer@three.example").await;
    let body = send(
        &test.router,
        Method::GET,
        "/api/v1/organization",
        None,
        Some(&cookie),
    )
    .await
    .json();
    assert_eq!(body["kind"], "customer");
    assert_eq!(body["partner"], Value::Null);
    assert_eq!(body["multiparty"], Value::Null);
    assert_eq!(body["customer_accounts"][0]["role"], "signatory");
    assert_eq!(body["customer_accounts"][0]["country"], "US");
}

#[tokio::test]
async fn the_partner_directory_searches_filters_and_pages() {
    let test = TestApp::new().await;
    let more: Vec<NewOrganization> = (0..3)
        .map(|index| NewOrganization {
            name: format!("Adatum {index}"),
            kind: PartyKind::Partner,
            partner: Some(PartnerProfile {
                regions: vec!["Europe".into()],
                tax_profile_country: Some(TaxProfileCountry::Other),
                us_resale_certificates_on_file: false,
                csp_member: index != 2,
                ..partner_profile(
                    &format!("adatum-{index}"),
                    &format!("aaaaaaaa-0000-0000-0000-00000000000{index}"),
                )
            }),
            customer_accounts: vec![],
            users: vec![],
            catalog: Default::default(),
        })
        .collect();
    test.store.create_organizations(more, false).await.unwrap();
    let cookie = cookie_of(&test.router, "isv@one.example").await;
    let search = |query: &str| {
        let router = test.router.clone();
        let cookie = cookie.clone();
        let path = format!("/api/v1/partners{query}");
        async move { send(&router, Method::GET, &path, None, Some(&cookie)).await }
    };
    let names = |answer: &Answer| -> Vec<String> {
        answer.json()["partners"]
            .as_array()
            .unwrap()
            .iter()
            .map(|partner| partner["name"].as_str().unwrap().to_owned())
            .collect()
    };
    let all = search("").await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(
        names(&all),
        ["Adatum 0", "Adatum 1", "Adatum 2", "Reseller Two"]
    );
    assert_eq!(all.json()["total"], 4);
    assert_eq!(
        all.json()["partners"][0]["multiparty_selection"]["status"],
        "not_eligible"
    );
    assert_eq!(
        names(&search("?query=ADATUM&limit=2").await),
        ["Adatum 0", "Adatum 1"]
    );
    let second = search("?query=adatum&limit=2&offset=2").await;
    assert_eq!(names(&second), ["Adatum 2"]);
    assert_eq!(second.json()["total"], 3);
    assert_eq!(
        names(&search("?region=europe&csp_member=true").await),
        ["Adatum 0", "Adatum 1"]
    );
    assert_eq!(
        names(&search("?query=0F8FAD5B-D9CB-469F-A165-70867728950E").await),
        ["Reseller Two"]
    );
    assert_eq!(names(&search("?query=seller-two").await), ["Reseller Two"]);
    assert_eq!(names(&search("?query=%25").await), Vec::<String>::new());
    let bad = search("?limit=1000&csp_member=maybe").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = bad.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(fields, ["limit", "csp_member"]);
}

#[tokio::test]
async fn an_optional_caller_is_none_without_a_session_and_some_with_one() {
    use axum::routing::get;
    use offerdesk_server::Caller;

    async fn who(caller: Option<Caller>) -> String {
        caller.map_or_else(|| "nobody".to_owned(), |caller| caller.email)
    }

    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "buyer@three.example").await;
    let state = AppState::new(test.store.clone(), "/nonexistent")
        .with_clock(test.clock.clone())
        .with_auth(AuthSettings::for_tests());
    let router: Router = Router::new().route("/who", get(who)).with_state(state);
    let anonymous = send(&router, Method::GET, "/who", None, None).await;
    assert_eq!(anonymous.body, b"nobody");
    let signed_in = send(&router, Method::GET, "/who", None, Some(&cookie)).await;
    assert_eq!(signed_in.body, b"buyer@three.example");
}

#[tokio::test]
async fn a_server_configured_for_https_always_marks_cookies_secure() {
    let test = TestApp::new().await;
    let state = AppState::new(test.store.clone(), "/nonexistent").with_auth(AuthSettings {
        secure_cookies: true,
        ..AuthSettings::for_tests()
    });
    let router = app(state);
    let answer = sign_in(&router, "isv@one.example", PASSWORD).await;
    let set = answer.headers[header::SET_COOKIE].to_str().unwrap();
    assert!(set.ends_with("; Secure"), "{set}");
    let cookie = answer.session_cookie();
    let out = send(
        &router,
        Method::DELETE,
        "/api/v1/session",
        None,
        Some(&cookie),
    )
    .await;
    assert!(out.headers[header::SET_COOKIE]
        .to_str()
        .unwrap()
        .ends_with("; Secure"));
}

#[tokio::test]
async fn sign_out_refuses_a_body_that_is_not_json() {
    let test = TestApp::new().await;
    let request = Request::delete("/api/v1/session")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("bye"))
        .unwrap();
    let response = test.router.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_partner_updates_its_profile_and_its_eligibility_follows() {
    let test = TestApp::new().await;
    let cookie = cookie_of(&test.router, "partner@two.example").await;
    let put = |body: Value| {
        let router = test.router.clone();
        let cookie = cookie.clone();
        async move {
            send(
                &router,
                Method::PUT,
                "/api/v1/organization",
                Some(body),
                Some(&cookie),
            )
            .await
        }
    };
    let mut profile = serde_json::to_value(partner_profile(
        "seller-two",
        "0F8FAD5B-D9CB-469F-A165-70867728950E",
    ))
    .unwrap();
    profile["us_resale_certificates_on_file"] = json!(false);
    profile["aws_account_id"] = json!("999988887777");
    let answer = put(json!({ "name": "Reseller Two Ltd", "partner": profile })).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.json());
    let body = answer.json();
    assert_eq!(body["name"], "Reseller Two Ltd");
    assert_eq!(body["multiparty"]["submit"]["status"], "not_eligible");
    assert!(body["multiparty"]["submit"]["reason"]
        .as_str()
        .unwrap()
        .contains("resale certificates"));

    let mut uk = profile.clone();
    uk["tax_profile_country"] = json!("uk");
    uk["uk_treaty_claim_expires_on"] = json!("2026-11-23");
    let answer = put(json!({ "name": "Reseller Two Ltd", "partner": uk })).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.json()["multiparty"]["submit"]["reason"]
        .as_str()
        .unwrap()
        .contains("expired"));

    let mut moved = profile.clone();
    moved["seller_id"] = json!("seller-elsewhere");
    moved["aws_account_id"] = json!("111111111111");
    moved["uk_treaty_claim_expires_on"] = json!("2027-01-01");
    let refused = put(json!({ "name": "", "partner": moved })).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<String> = refused.json()["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        fields,
        [
            "name",
            "partner.uk_treaty_claim_expires_on",
            "partner.seller_id",
            "partner.aws_account_id"
        ]
    );
    let shape = put(json!({ "name": "X", "partner": { "seller_id": 5 } })).await;
    assert_eq!(shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(shape.json()["errors"][0]["field"], "partner.seller_id");
    let stored = send(
        &test.router,
        Method::GET,
        "/api/v1/organization",
        None,
        Some(&cookie),
    )
    .await;
    assert_eq!(stored.json()["partner"]["tax_profile_country"], "uk");
}

#[tokio::test]
async fn an_aws_account_id_another_partner_has_is_refused_on_its_field() {
    let test = TestApp::new().await;
    let mut other = partner_profile("seller-five", "55555555-5555-5555-5555-555555555555");
    other.aws_account_id = Some("555555555555".into());
    test.store
        .create_organizations(
            vec![NewOrganization {
                name: "Reseller Five".into(),
                kind: PartyKind::Partner,
                partner: Some(other),
                customer_accounts: vec![],
                users: vec![],
                catalog: Default::default(),
            }],
            false,
        )
        .await
        .unwrap();
    let cookie = cookie_of(&test.router, "partner@two.example").await;
    let mut mine = partner_profile("seller-two", "0f8fad5b-d9cb-469f-a165-70867728950e");
    mine.aws_account_id = Some("555555555555".into());
    let answer = send(
        &test.router,
        Method::PUT,
        "/api/v1/organization",
        Some(json!({ "name": "Reseller Two", "partner": mine })),
        Some(&cookie),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.json()["errors"][0]["field"],
        "partner.aws_account_id"
    );

    let customer = cookie_of(&test.router, "buyer@three.example").await;
    let answer = send(
        &test.router,
        Method::PUT,
        "/api/v1/organization",
        Some(json!({ "name": "Buyer Three Inc", "partner": mine })),
        Some(&customer),
    )
    .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.json()["errors"][0]["field"], "partner");
    let answer = send(
        &test.router,
        Method::PUT,
        "/api/v1/organization",
        Some(json!({ "name": "Buyer Three Inc" })),
        Some(&customer),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json()["name"], "Buyer Three Inc");
}
