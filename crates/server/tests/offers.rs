//! The offers API through HTTP (`app()` + `oneshot`, real sessions): every program's path, each
//! refusal (401, 404 unseen, 409 stale and illegal with the allowed actions, 413, 422 with
//! paths), one test per visibility rule, idempotent submit, concurrent edits and the publishing
//! worker on a test clock.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use offerdesk_core::catalog::Catalog;
use offerdesk_core::party::{
    BillingAccountRole, CustomerAccount, PartnerProfile, TaxProfileCountry,
};
use offerdesk_server::auth::Passwords;
use offerdesk_server::store::accounts::{NewCustomerAccount, NewOrganization, NewUser, PartyKind};
use offerdesk_server::{app, AccountStore, AppState, AuthSettings, SqliteStore, TestClock};
use serde_json::{json, Value};
use tower::ServiceExt;

const PASSWORD: &str = "correct horse battery staple";
const ISV: &str = "isv@contoso.example";
const OTHER_ISV: &str = "isv@litware.example";
const PARTNER: &str = "partner@fabrikam.example";
const OTHER_PARTNER: &str = "partner@northwind.example";
const OWNER: &str = "owner@tailspin.example";
const READER: &str = "reader@tailspin.example";
const STRANGER: &str = "owner@wingtip.example";
const UNCERTIFIED: &str = "partner@adatum.example";
const BILLING_ACCOUNT: &str = "tailspin-billing-1";

struct Test {
    router: Router,
    state: AppState,
    clock: Arc<TestClock>,
    cookies: Mutex<HashMap<String, String>>,
}

struct Answer {
    status: StatusCode,
    body: Value,
    text: String,
}

impl Answer {
    /// The answer, once its status is `status` (else the test fails showing the body).
    #[track_caller]
    fn expect(self, status: StatusCode) -> Answer {
        assert_eq!(self.status, status, "{}", self.text);
        self
    }
}

fn user(email: &str, roles: Vec<(String, BillingAccountRole)>) -> NewUser {
    NewUser {
        email: email.into(),
        name: email.split('@').next().unwrap().into(),
        password_hash: Passwords::fast_for_tests().hash(PASSWORD).unwrap(),
        billing_roles: roles,
    }
}

fn partner_profile(seller_id: &str, tenant_id: &str, aws: &str) -> PartnerProfile {
    PartnerProfile {
        seller_id: seller_id.into(),
        tenant_id: tenant_id.into(),
        aws_account_id: Some(aws.into()),
        csp_member: true,
        regions: vec!["North America".into()],
        tax_profile_country: Some(TaxProfileCountry::Us),
        us_resale_certificates_on_file: true,
        uk_treaty_claim_expires_on: None,
    }
}

fn catalog() -> Catalog {
    serde_json::from_value(json!({ "offers": [
        { "id": "contoso-saas", "name": "Contoso SaaS", "offer_type": "saas",
          "cloud_reseller": true,
          "plans": [
            { "id": "pro", "name": "Pro", "trial": false,
              "pricing": { "model": "flat_rate",
                           "prices": [ { "billing_term": "one_month", "price": "100.00" } ],
                           "included_quantities": [] },
              "meters": [ { "id": "api-calls", "unit": "API call", "price_per_unit": "0.0015" } ] },
            { "id": "team", "name": "Team", "trial": true,
              "pricing": { "model": "per_user",
                           "prices": [ { "billing_term": "one_month", "price": "12.00" } ] },
              "meters": [] } ] } ] }))
    .unwrap()
}

fn organization(name: &str, kind: PartyKind) -> NewOrganization {
    NewOrganization {
        name: name.into(),
        kind,
        partner: None,
        customer_accounts: vec![],
        users: vec![],
        catalog: Catalog::default(),
    }
}

impl Test {
    async fn new() -> Test {
        let store = SqliteStore::open_in_memory().unwrap();
        let organizations = vec![
            NewOrganization {
                users: vec![user(ISV, vec![])],
                catalog: catalog(),
                ..organization("Contoso Software", PartyKind::Isv)
            },
            NewOrganization {
                users: vec![user(OTHER_ISV, vec![])],
                catalog: catalog(),
                ..organization("Litware", PartyKind::Isv)
            },
            NewOrganization {
                partner: Some(partner_profile(
                    "seller-fab",
                    "0f8fad5b-d9cb-469f-a165-70867728950e",
                    "111122223333",
                )),
                users: vec![user(PARTNER, vec![])],
                ..organization("Fabrikam Resellers", PartyKind::Partner)
            },
            NewOrganization {
                partner: Some(partner_profile(
                    "seller-north",
                    "7c9e6679-7425-40de-944b-e07fc1f90ae7",
                    "444455556666",
                )),
                users: vec![user(OTHER_PARTNER, vec![])],
                ..organization("Northwind Partners", PartyKind::Partner)
            },
            NewOrganization {
                partner: Some(PartnerProfile {
                    us_resale_certificates_on_file: false,
                    ..partner_profile(
                        "seller-adatum",
                        "3f2504e0-4f89-41d3-9a0c-0305e82c3301",
                        "121212121212",
                    )
                }),
                users: vec![user(UNCERTIFIED, vec![])],
                ..organization("Adatum", PartyKind::Partner)
            },
            NewOrganization {
                customer_accounts: vec![
                    NewCustomerAccount {
                        account: CustomerAccount::MicrosoftBillingAccount(BILLING_ACCOUNT.into()),
                        country: "US".into(),
                    },
                    NewCustomerAccount {
                        account: CustomerAccount::AwsAccount("777788889999".into()),
                        country: "US".into(),
                    },
                ],
                users: vec![
                    user(
                        OWNER,
                        vec![
                            (BILLING_ACCOUNT.into(), BillingAccountRole::Owner),
                            ("777788889999".into(), BillingAccountRole::Owner),
                        ],
                    ),
                    user(
                        READER,
                        vec![
                            (BILLING_ACCOUNT.into(), BillingAccountRole::Reader),
                            ("777788889999".into(), BillingAccountRole::Reader),
                        ],
                    ),
                ],
                ..organization("Tailspin Toys", PartyKind::Customer)
            },
            NewOrganization {
                customer_accounts: vec![NewCustomerAccount {
                    account: CustomerAccount::MicrosoftBillingAccount("wingtip-billing".into()),
                    country: "US".into(),
                }],
                users: vec![user(
                    STRANGER,
                    vec![("wingtip-billing".into(), BillingAccountRole::Owner)],
                )],
                ..organization("Wingtip", PartyKind::Customer)
            },
        ];
        store
            .create_organizations(organizations, false)
            .await
            .unwrap()
            .unwrap();
        let clock = Arc::new(TestClock::new("2026-11-23T18:00:00Z".parse().unwrap()));
        let state = AppState::new(store, "/nonexistent")
            .with_clock(clock.clone())
            .with_auth(AuthSettings::for_tests())
            .with_publish_delay(Duration::from_secs(5));
        Test {
            router: app(state.clone()),
            state,
            clock,
            cookies: Mutex::new(HashMap::new()),
        }
    }

    async fn raw(
        &self,
        method: Method,
        path: &str,
        body: Option<Body>,
        content_type: &str,
        who: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let cookie = match who {
            Some(email) => Some(self.cookie(email).await),
            None => None,
        };
        let mut request = Request::builder().method(method).uri(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let mut request = match body {
            Some(body) => request
                .header(header::CONTENT_TYPE, content_type)
                .body(body),
            None => request.body(Body::empty()),
        }
        .unwrap();
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        Answer {
            status,
            body: serde_json::from_slice(&bytes).unwrap_or(Value::Null),
            text,
        }
    }

    async fn send(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        who: Option<&str>,
    ) -> Answer {
        self.send_with(method, path, body, who, &[]).await
    }

    /// `GET path` as `who`.
    async fn get(&self, path: &str, who: &str) -> Answer {
        self.send(Method::GET, path, None, Some(who)).await
    }

    /// `POST path` with `body` as `who`.
    async fn post(&self, path: &str, body: Value, who: &str) -> Answer {
        self.send(Method::POST, path, Some(body), Some(who)).await
    }

    /// `PUT path` with `body` as `who`.
    async fn put(&self, path: &str, body: Value, who: &str) -> Answer {
        self.send(Method::PUT, path, Some(body), Some(who)).await
    }

    async fn send_with(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
        who: Option<&str>,
        headers: &[(&str, &str)],
    ) -> Answer {
        let body = body.map(|body| Body::from(body.to_string()));
        self.raw(method, path, body, "application/json", who, headers)
            .await
    }

    async fn cookie(&self, email: &str) -> String {
        if let Some(cookie) = self.cookies.lock().unwrap().get(email) {
            return cookie.clone();
        }
        let request = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/session")
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(
                json!({ "email": email, "password": PASSWORD }).to_string(),
            ))
            .unwrap();
        let mut request = request;
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::from(([127, 0, 0, 1], 40000))));
        let response = self.router.clone().oneshot(request).await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "sign-in of {email}");
        let set = response.headers()[header::SET_COOKIE].to_str().unwrap();
        let cookie = set.split(';').next().unwrap().to_owned();
        self.cookies
            .lock()
            .unwrap()
            .insert(email.to_owned(), cookie.clone());
        cookie
    }

    /// Sets the clock; sessions last hours, so every later request signs in again.
    fn set_clock(&self, now: &str) {
        self.clock.set(now.parse().unwrap());
        self.cookies.lock().unwrap().clear();
    }

    async fn advance(&self, seconds: i64) {
        self.clock.advance(chrono::Duration::seconds(seconds));
    }

    async fn tick(&self) -> usize {
        offerdesk_server::worker::tick(&self.state).await.unwrap()
    }
}

fn isv_part() -> Value {
    json!({
        "name": "Contoso for Tailspin",
        "description": "Secret ISV description",
        "customer": { "billing_account_id": BILLING_ACCOUNT, "country": "US" },
        "selling_partner_seller_id": "seller-fab",
        "products": [ { "pricing_type": "existing_plan", "offer_id": "contoso-saas",
                        "plan_id": "pro", "partner_pricing": { "discount_percent": "10" } } ],
        "customer_start": { "start": "on_acceptance" },
        "customer_end": "2027-12-31",
        "accept_by": "2026-12-15",
        "terms": [],
        "notification_contacts": ["deals@contoso.example"],
        "sales_note": "ISV private note",
        "renewal": false
    })
}

fn partner_part(version: i64) -> Value {
    json!({
        "version": version,
        "customer_adjustment_percent": "5",
        "prepared_by": "rep@fabrikam.example",
        "terms": [],
        "notification_contacts": ["ops@fabrikam.example"],
        "sales_note": "Partner private note"
    })
}

const OFFERS: &str = "/api/v1/multiparty-offers";

fn with_version(mut body: Value, version: i64) -> Value {
    body["version"] = json!(version);
    body
}

fn actions(answer: &Answer) -> Vec<String> {
    serde_json::from_value(answer.body["allowed_actions"].clone()).unwrap_or_default()
}

/// Creates a draft as the ISV; answers its ID.
async fn draft(test: &Test) -> String {
    let created = test
        .post(OFFERS, isv_part(), ISV)
        .await
        .expect(StatusCode::CREATED);
    created.body["id"].as_str().unwrap().to_owned()
}

/// Drives a new offer to Pending partner action.
async fn with_partner(test: &Test) -> String {
    let id = draft(test).await;
    test.post(
        &format!("{OFFERS}/{id}/submit"),
        json!({ "version": 1 }),
        ISV,
    )
    .await
    .expect(StatusCode::OK);
    test.advance(10).await;
    assert_eq!(test.tick().await, 1);
    id
}

/// Drives a new offer to Pending acceptance; answers its ID and the customer link token.
async fn with_customer(test: &Test) -> (String, String) {
    let id = with_partner(test).await;
    test.put(&format!("{OFFERS}/{id}/partner"), partner_part(3), PARTNER)
        .await
        .expect(StatusCode::OK);
    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 4 }),
            PARTNER,
        )
        .await
        .expect(StatusCode::OK);
    let token = submitted.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    test.advance(10).await;
    assert_eq!(test.tick().await, 1);
    (id, token)
}

#[tokio::test]
async fn a_multiparty_offer_goes_from_draft_to_accepted() {
    let test = Test::new().await;
    let created = test
        .post(OFFERS, isv_part(), ISV)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(created.body["viewer"], "isv");
    assert_eq!(created.body["version"], 1);
    assert_eq!(created.body["offer"]["status"], "Draft");
    let id = created.body["id"].as_str().unwrap().to_owned();
    for action in ["submit", "delete", "clone", "edit"] {
        assert!(actions(&created).contains(&action.to_owned()), "{action}");
    }
    // The partner sees nothing of a draft.
    let unseen = test.get(&format!("{OFFERS}/{id}"), PARTNER).await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND);

    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 1 }),
            ISV,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(submitted.body["offer"]["status"], "InProgressForPartner");

    // Publishing waits for its delay, then moves the offer on and tells both parties.
    assert_eq!(test.tick().await, 0);
    test.advance(10).await;
    assert_eq!(test.tick().await, 1);
    let inbox = test
        .get(&format!("{OFFERS}?status=PendingPartnerAction"), PARTNER)
        .await;
    assert_eq!(inbox.status, StatusCode::OK);
    let none = test
        .get(&format!("{OFFERS}?status=Accepted"), PARTNER)
        .await;
    assert_eq!(none.body["offers"], json!([]));
    assert_eq!(inbox.body["offers"].as_array().unwrap().len(), 1);
    assert_eq!(inbox.body["offers"][0]["viewer"], "partner");
    assert_eq!(
        inbox.body["offers"][0]["offer"]["status"],
        "PendingPartnerAction"
    );
    let told = test.get("/api/v1/notifications", ISV).await;
    assert_eq!(
        told.body["notifications"][0]["status"],
        "Pending partner action"
    );
    assert_eq!(
        told.body["notifications"][0]["recipients"],
        json!(["deals@contoso.example"])
    );

    let edited = test
        .put(&format!("{OFFERS}/{id}/partner"), partner_part(3), PARTNER)
        .await
        .expect(StatusCode::OK);
    assert_eq!(edited.body["version"], 4);
    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 4 }),
            PARTNER,
        )
        .await
        .expect(StatusCode::OK);
    let token = submitted.body["customer_link"]["token"].as_str().unwrap();
    assert!(token.len() >= 22, "at least 128 bits: {token}");
    let link = format!("/api/v1/links/{token}");
    // Until published, the customer sees nothing at the link.
    assert_eq!(
        test.send(Method::GET, &link, None, None).await.status,
        StatusCode::NOT_FOUND
    );
    test.advance(10).await;
    assert_eq!(test.tick().await, 1);

    let shown = test
        .send(Method::GET, &link, None, None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(shown.body["offer"]["status"], "PendingAcceptance");
    assert_eq!(shown.body["offer"]["prepared_by"], "rep@fabrikam.example");
    // 100.00 less 10% is 90.00, plus 5% is 94.50.
    assert_eq!(shown.body["offer"]["prices"][0]["price"], "94.5");

    test.post(&format!("{link}/accept"), json!({}), READER)
        .await
        .expect(StatusCode::FORBIDDEN);
    let accepted = test
        .post(&format!("{link}/accept"), json!({}), OWNER)
        .await
        .expect(StatusCode::OK);
    assert_eq!(accepted.body["viewer"], "customer");
    assert_eq!(accepted.body["offer"]["status"], "Accepted");

    let isv_view = test.get(&format!("{OFFERS}/{id}"), ISV).await;
    assert_eq!(isv_view.body["offer"]["status"], "Accepted");
    assert_eq!(
        isv_view.body["offer"]["purchases"][0]["status"],
        "PendingFulfillmentStart"
    );
    let told = test.get("/api/v1/notifications", PARTNER).await;
    let statuses: Vec<&str> = told.body["notifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        ["Accepted", "Pending acceptance", "Pending partner action"]
    );
}

#[tokio::test]
async fn a_list_answers_pages_newest_first_until_next_cursor_is_null() {
    let test = Test::new().await;
    let mut created = Vec::new();
    for _ in 0..7 {
        created.push(draft(&test).await);
        // Distinct creation times, so "newest first" is one order.
        test.advance(1).await;
    }
    let mut listed = Vec::new();
    let mut path = format!("{OFFERS}?limit=3");
    let mut pages = 0;
    loop {
        let page = test.get(&path, ISV).await.expect(StatusCode::OK);
        let offers = page.body["offers"].as_array().unwrap();
        assert!(offers.len() <= 3);
        listed.extend(
            offers
                .iter()
                .map(|offer| offer["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match page.body["next_cursor"].as_str() {
            Some(cursor) => path = format!("{OFFERS}?limit=3&cursor={cursor}"),
            None => break,
        }
    }
    created.reverse();
    assert_eq!(listed, created);
    assert_eq!(pages, 3);
    // Without a limit, one page of at most 50 holds them all, and says it is the last.
    let all = test.get(OFFERS, ISV).await;
    assert_eq!(all.body["offers"].as_array().unwrap().len(), 7);
    assert_eq!(all.body["next_cursor"], Value::Null);
    for (query, field) in [
        ("limit=0", "limit"),
        ("limit=201", "limit"),
        ("cursor=abc", "cursor"),
    ] {
        let refused = test.get(&format!("{OFFERS}?{query}"), ISV).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(refused.body["errors"][0]["field"], field, "{query}");
    }
}

#[tokio::test]
async fn without_a_session_every_offer_endpoint_answers_401() {
    let test = Test::new().await;
    let id = draft(&test).await;
    for (method, path) in [
        (Method::GET, OFFERS.to_owned()),
        (Method::POST, OFFERS.to_owned()),
        (Method::GET, format!("{OFFERS}/{id}")),
        (Method::PUT, format!("{OFFERS}/{id}")),
        (Method::POST, format!("{OFFERS}/{id}/submit")),
        (Method::GET, "/api/v1/notifications".to_owned()),
        (Method::POST, "/api/v1/links/whatever/accept".to_owned()),
    ] {
        let answer = test
            .send(method.clone(), &path, Some(json!({ "version": 1 })), None)
            .await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert!(answer.body["errors"][0]["message"].is_string());
    }
}

#[tokio::test]
async fn what_a_caller_may_not_see_answers_404() {
    let test = Test::new().await;
    let (id, _) = with_customer(&test).await;
    let path = format!("{OFFERS}/{id}");
    for who in [OTHER_ISV, OTHER_PARTNER, STRANGER] {
        let answer = test.get(&path, who).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{who}");
        let listed = test.get(OFFERS, who).await;
        assert_eq!(listed.body["offers"], json!([]), "{who}");
        let submit = test
            .post(&format!("{path}/withdraw"), json!({ "version": 6 }), who)
            .await;
        assert_eq!(submit.status, StatusCode::NOT_FOUND, "{who}");
    }
    let unknown = test.get(&format!("{OFFERS}/mpo_nope"), ISV).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    let link = test
        .send(
            Method::GET,
            "/api/v1/links/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            None,
            None,
        )
        .await;
    assert_eq!(link.status, StatusCode::NOT_FOUND);
    assert_eq!(link.body["errors"].as_array().unwrap().len(), 1);
    // The customer of the offer sees its own projection when signed in.
    let own = test.get(&path, OWNER).await;
    assert_eq!(own.status, StatusCode::OK);
    assert_eq!(own.body["viewer"], "customer");
}

#[tokio::test]
async fn a_stale_version_answers_409_and_changes_nothing() {
    let test = Test::new().await;
    let id = draft(&test).await;
    let path = format!("{OFFERS}/{id}");
    let mut renamed = isv_part();
    renamed["name"] = json!("Renamed");
    let first = test
        .put(&path, with_version(renamed.clone(), 1), ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(first.body["version"], 2);
    renamed["name"] = json!("Lost update");
    let stale = test.put(&path, with_version(renamed, 1), ISV).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let now = test.get(&path, ISV).await;
    assert_eq!(now.body["offer"]["isv"]["name"], "Renamed");
    let missing = test.put(&path, isv_part(), ISV).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(missing.body["errors"][0]["field"], "version");
}

#[tokio::test]
async fn two_concurrent_edits_of_one_draft_one_wins_the_other_gets_409() {
    let test = Test::new().await;
    let id = draft(&test).await;
    let path = format!("{OFFERS}/{id}");
    // Sign in first so both edits race on the write only.
    test.cookie(ISV).await;
    let mut a = isv_part();
    a["name"] = json!("Edit A");
    let mut b = isv_part();
    b["name"] = json!("Edit B");
    let (first, second) = tokio::join!(
        test.put(&path, with_version(a, 1), ISV),
        test.put(&path, with_version(b, 1), ISV),
    );
    let mut statuses = [first.status, second.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let now = test.get(&path, ISV).await;
    assert_eq!(now.body["version"], 2);
}

#[tokio::test]
async fn an_illegal_transition_answers_409_with_the_allowed_actions() {
    let test = Test::new().await;
    let id = draft(&test).await;
    let withdraw = test
        .post(
            &format!("{OFFERS}/{id}/withdraw"),
            json!({ "version": 1 }),
            ISV,
        )
        .await;
    assert_eq!(withdraw.status, StatusCode::CONFLICT);
    let allowed = actions(&withdraw);
    assert!(allowed.contains(&"submit".to_owned()), "{allowed:?}");
    assert!(allowed.contains(&"delete".to_owned()), "{allowed:?}");
    assert!(!allowed.contains(&"withdraw".to_owned()));

    let id = with_partner(&test).await;
    // The ISV's part is locked once submitted.
    let edit = test
        .put(&format!("{OFFERS}/{id}"), with_version(isv_part(), 3), ISV)
        .await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
    assert_eq!(actions(&edit), ["withdraw", "clone"]);
    let delete = test
        .send(
            Method::DELETE,
            &format!("{OFFERS}/{id}?version=3"),
            None,
            Some(ISV),
        )
        .await;
    assert_eq!(delete.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn bad_input_answers_422_with_field_paths_and_big_bodies_413() {
    let test = Test::new().await;
    let mut part = isv_part();
    part["products"][0]["partner_pricing"]["discount_percent"] = json!("abc");
    let answer = test.post(OFFERS, part, ISV).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answer.body["errors"][0]["field"]
        .as_str()
        .unwrap()
        .starts_with("products[0]"));
    // Core reads a product line field by field, so the path names the field itself.
    assert_eq!(
        answer.body["errors"][0]["field"],
        "products[0].partner_pricing.discount_percent"
    );

    let mut part = isv_part();
    part["sales_note"] = json!("call jane@tailspin.example");
    part["accept_by"] = json!("2028-01-01");
    part["selling_partner_seller_id"] = json!("nobody");
    let answer = test.post(OFFERS, part, ISV).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    let fields: Vec<&str> = answer.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    for field in ["sales_note", "accept_by", "selling_partner_seller_id"] {
        assert!(fields.contains(&field), "{fields:?}");
    }

    // The partner's adjustment is capped by the ISV's 10% discount.
    let id = with_partner(&test).await;
    let mut part = partner_part(3);
    part["customer_adjustment_percent"] = json!("10.5");
    let answer = test
        .put(&format!("{OFFERS}/{id}/partner"), part, PARTNER)
        .await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer.body["errors"][0]["field"],
        "customer_adjustment_percent"
    );

    let big = Body::from(vec![b' '; 2 * 1024 * 1024]);
    let answer = test
        .raw(
            Method::POST,
            OFFERS,
            Some(big),
            "application/json",
            Some(ISV),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    let answer = test
        .raw(
            Method::POST,
            OFFERS,
            Some(Body::from("{not json")),
            "application/json",
            Some(ISV),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn submitting_twice_with_one_idempotency_key_stores_one_offer() {
    let test = Test::new().await;
    let key = [("Idempotency-Key", "create-1")];
    let first = test
        .send_with(Method::POST, OFFERS, Some(isv_part()), Some(ISV), &key)
        .await;
    let second = test
        .send_with(Method::POST, OFFERS, Some(isv_part()), Some(ISV), &key)
        .await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(second.status, StatusCode::CREATED);
    assert_eq!(first.body, second.body);
    let listed = test.get(OFFERS, ISV).await;
    assert_eq!(listed.body["offers"].as_array().unwrap().len(), 1);
    // The same key with another body is refused.
    let mut other = isv_part();
    other["name"] = json!("Other");
    let reused = test
        .send_with(Method::POST, OFFERS, Some(other), Some(ISV), &key)
        .await;
    assert_eq!(reused.status, StatusCode::UNPROCESSABLE_ENTITY);

    let id = first.body["id"].as_str().unwrap();
    let submit_key = [("Idempotency-Key", "submit-1")];
    let path = format!("{OFFERS}/{id}/submit");
    let once = test
        .send_with(
            Method::POST,
            &path,
            Some(json!({"version": 1})),
            Some(ISV),
            &submit_key,
        )
        .await;
    let twice = test
        .send_with(
            Method::POST,
            &path,
            Some(json!({"version": 1})),
            Some(ISV),
            &submit_key,
        )
        .await;
    assert_eq!(once.status, StatusCode::OK, "{}", once.text);
    assert_eq!(once.body, twice.body);
    let now = test.get(&format!("{OFFERS}/{id}"), ISV).await;
    assert_eq!(now.body["version"], 2);
}

#[tokio::test]
async fn the_customer_link_shows_no_partner_price_discount_adjustment_note_or_contacts() {
    let test = Test::new().await;
    let (_, token) = with_customer(&test).await;
    let shown = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(shown.status, StatusCode::OK);
    for secret in [
        "partner_price",
        "\"discount_percent\"",
        "adjustment",
        "sales_note",
        "description",
        "notification_contacts",
        "Partner private note",
        "ISV private note",
        "Secret ISV description",
        "deals@contoso.example",
        "ops@fabrikam.example",
        "\"90",
    ] {
        assert!(!shown.text.contains(secret), "{secret} in {}", shown.text);
    }
    assert!(shown.text.contains("Contoso Software"));
    assert!(shown.text.contains("Fabrikam Resellers"));
}

#[tokio::test]
async fn the_isv_never_sees_the_partners_adjustment_or_sales_note() {
    let test = Test::new().await;
    let (id, _) = with_customer(&test).await;
    let seen = test.get(&format!("{OFFERS}/{id}"), ISV).await;
    assert_eq!(seen.status, StatusCode::OK);
    for secret in [
        "customer_adjustment_percent",
        "Partner private note",
        "ops@fabrikam.example",
        "94.5",
    ] {
        assert!(!seen.text.contains(secret), "{secret}");
    }
    assert!(seen.text.contains("ISV private note"));
}

#[tokio::test]
async fn the_partner_never_sees_the_isvs_sales_note() {
    let test = Test::new().await;
    let (id, _) = with_customer(&test).await;
    let seen = test.get(&format!("{OFFERS}/{id}"), PARTNER).await;
    assert_eq!(seen.status, StatusCode::OK);
    assert!(!seen.text.contains("ISV private note"));
    assert!(seen.text.contains("Partner private note"));
    assert!(seen.text.contains("Secret ISV description"));
}

#[tokio::test]
async fn past_the_accept_by_date_the_offer_expires_and_its_link_says_so() {
    let test = Test::new().await;
    let (id, token) = with_customer(&test).await;
    let (accepted_id, accepted_token) = with_customer(&test).await;
    let accepted = test
        .post(
            &format!("/api/v1/links/{accepted_token}/accept"),
            json!({}),
            OWNER,
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK);
    test.set_clock("2026-12-16T00:00:01Z");
    assert_eq!(test.tick().await, 1);
    let seen = test.get(&format!("{OFFERS}/{id}"), ISV).await;
    assert_eq!(seen.body["offer"]["status"], "Expired");
    let link = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(link.status, StatusCode::GONE);
    assert_eq!(link.body["link_status"], "expired");
    let accept = test
        .post(&format!("/api/v1/links/{token}/accept"), json!({}), OWNER)
        .await;
    assert_eq!(accept.status, StatusCode::GONE);
    // The partner withdraws the expired offer back to itself; the old link stays dead.
    let withdrawn = test
        .post(
            &format!("{OFFERS}/{id}/withdraw"),
            json!({ "version": 7 }),
            PARTNER,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(withdrawn.body["offer"]["status"], "PendingPartnerAction");
    let link = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(link.body["link_status"], "withdrawn");
    // Past the end date an accepted offer ends.
    test.set_clock("2028-01-01T00:00:00Z");
    assert_eq!(test.tick().await, 1);
    let seen = test.get(&format!("{OFFERS}/{accepted_id}"), ISV).await;
    assert_eq!(seen.body["offer"]["status"], "Ended");
}

#[tokio::test]
async fn drafts_are_deleted_cloned_and_withdrawn_by_the_isv() {
    let test = Test::new().await;
    let id = draft(&test).await;
    let clone = test
        .post(
            &format!("{OFFERS}/{id}/clone"),
            json!({ "name": "Second deal" }),
            ISV,
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(clone.body["offer"]["isv"]["name"], "Second deal");
    let stale = test
        .send(
            Method::DELETE,
            &format!("{OFFERS}/{id}?version=9"),
            None,
            Some(ISV),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let deleted = test
        .send(
            Method::DELETE,
            &format!("{OFFERS}/{id}?version=1"),
            None,
            Some(ISV),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = test.get(&format!("{OFFERS}/{id}"), ISV).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);

    let id = with_partner(&test).await;
    let withdrawn = test
        .post(
            &format!("{OFFERS}/{id}/withdraw"),
            json!({ "version": 3 }),
            ISV,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(withdrawn.body["offer"]["status"], "Draft");
    // The partner no longer sees it.
    let unseen = test.get(&format!("{OFFERS}/{id}"), PARTNER).await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_accepted_offer_is_cancelled_only_with_both_confirmations_and_no_live_purchase() {
    let test = Test::new().await;
    let (id, token) = with_customer(&test).await;
    test.post(&format!("/api/v1/links/{token}/accept"), json!({}), OWNER)
        .await
        .expect(StatusCode::OK);
    let path = format!("{OFFERS}/{id}");
    let post = |suffix: &str, version: i64, who: &'static str, extra: Value| {
        let mut body = json!({ "version": version });
        if let (Value::Object(body), Value::Object(extra)) = (&mut body, extra) {
            body.extend(extra);
        }
        let path = format!("{path}/{suffix}");
        let test = &test;
        async move { test.post(&path, body, who).await }
    };
    let early = post("cancel", 7, ISV, json!({})).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    post("cancellation", 7, ISV, json!({ "reason": "Wrong plan" }))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        post("cancellation/confirm", 8, PARTNER, json!({}))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        post("cancellation/confirm", 9, OWNER, json!({}))
            .await
            .status,
        StatusCode::OK
    );
    // The customer still holds a purchase pending fulfillment.
    post("cancel", 10, ISV, json!({}))
        .await
        .expect(StatusCode::CONFLICT);
    let cancelled_purchase = post(
        "purchases",
        10,
        ISV,
        json!({ "offer_id": "contoso-saas", "plan_id": "pro", "event": "cancel" }),
    )
    .await;
    assert_eq!(
        cancelled_purchase.status,
        StatusCode::OK,
        "{}",
        cancelled_purchase.text
    );
    assert_eq!(
        cancelled_purchase.body["offer"]["purchases"][0]["status"],
        "Unsubscribed"
    );
    let cancelled = post("cancel", 11, ISV, json!({}))
        .await
        .expect(StatusCode::OK);
    assert_eq!(cancelled.body["offer"]["status"], "Cancelled");
    let link = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(link.body["link_status"], "cancelled");
}

const CSP: &str = "/api/v1/csp-offers";
const FABRIKAM_TENANT: &str = "0f8fad5b-d9cb-469f-a165-70867728950e";
const NORTHWIND_TENANT: &str = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const CUSTOMER_TENANT: &str = "9b2e2a3c-1d4f-4a5b-8c6d-7e8f90a1b2c3";

fn csp_setup() -> Value {
    json!({
        "internal_name": "FY27 CSP push",
        "start": { "start": "as_soon_as_possible" },
        "end": "2027-06-30",
        "notification_contacts": ["channel@contoso.example"],
        "lines": [ { "offer_id": "contoso-saas", "plan_id": null, "margin_percent": "12.5" } ],
        "partners": [
            { "tenant_id": FABRIKAM_TENANT, "customer_tenant_ids": [CUSTOMER_TENANT] },
            { "tenant_id": NORTHWIND_TENANT, "customer_tenant_ids": [] }
        ]
    })
}

/// A CSP margin offer made Live: submitted, then two publishing steps.
async fn live_csp(test: &Test) -> String {
    let created = test
        .post(CSP, csp_setup(), ISV)
        .await
        .expect(StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let submitted = test
        .post(&format!("{CSP}/{id}/submit"), json!({ "version": 1 }), ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        submitted.body["offer"]["partner_states"],
        json!(["AuthorizationInProgress", "AuthorizationInProgress"])
    );
    for _ in 0..2 {
        test.advance(10).await;
        assert_eq!(test.tick().await, 1);
    }
    id
}

#[tokio::test]
async fn a_csp_margin_offer_is_published_per_partner_and_sold_at_the_margin() {
    let test = Test::new().await;
    let created = test.post(CSP, csp_setup(), ISV).await;
    let draft_id = created.body["id"].as_str().unwrap().to_owned();
    // A partner sees nothing of a draft.
    let unseen = test.get(&format!("{CSP}/{draft_id}"), PARTNER).await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND);
    let deleted = test
        .send(
            Method::DELETE,
            &format!("{CSP}/{draft_id}?version=1"),
            None,
            Some(ISV),
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);

    let id = live_csp(&test).await;
    let isv = test.get(&format!("{CSP}/{id}"), ISV).await;
    assert_eq!(isv.body["offer"]["status"], "Live");
    let told = test.get("/api/v1/notifications", ISV).await;
    assert_eq!(told.body["notifications"][0]["status"], "Live");
    assert_eq!(
        told.body["notifications"][0]["recipients"],
        json!(["channel@contoso.example"])
    );

    let margins = test.get("/api/v1/csp-margins", PARTNER).await;
    assert_eq!(margins.status, StatusCode::OK);
    let list = margins.body["margins"].as_array().unwrap();
    assert_eq!(list.len(), 1);
    // 100.00 less a 12.5% margin.
    assert_eq!(
        list[0]["margins"][0]["prices"][0]["wholesale_price"],
        "87.5"
    );

    // A sale outside the partner's restricted customers is refused; inside it is recorded.
    let sales = format!("{CSP}/{id}/sales");
    let sale = |customer: &str| json!({ "customer_tenant_id": customer, "offer_id": "contoso-saas", "plan_id": "pro" });
    let refused = test.post(&sales, sale(NORTHWIND_TENANT), PARTNER).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let sold = test
        .post(&sales, sale(CUSTOMER_TENANT), PARTNER)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(sold.body["offer"]["sales"].as_array().unwrap().len(), 1);

    // Once sold it cannot be withdrawn; a clone can still be made.
    let withdraw = test
        .post(
            &format!("{CSP}/{id}/withdraw"),
            json!({ "version": 5 }),
            ISV,
        )
        .await
        .expect(StatusCode::CONFLICT);
    assert_eq!(actions(&withdraw), ["clone"]);
    let clone = test
        .post(&format!("{CSP}/{id}/clone"), json!({}), ISV)
        .await;
    assert_eq!(clone.status, StatusCode::CREATED);
    assert_eq!(clone.body["offer"]["status"], "Draft");

    // Past the end month the offer ends.
    test.set_clock("2027-07-01T00:00:00Z");
    assert_eq!(test.tick().await, 1);
    let ended = test.get(&format!("{CSP}/{id}"), ISV).await;
    assert_eq!(ended.body["offer"]["status"], "Ended");
    let margins = test.get("/api/v1/csp-margins", PARTNER).await;
    assert_eq!(margins.body["margins"], json!([]));
}

#[tokio::test]
async fn a_csp_partner_sees_only_its_own_entry_never_the_other_partners() {
    let test = Test::new().await;
    let id = live_csp(&test).await;
    let seen = test
        .get(&format!("{CSP}/{id}"), PARTNER)
        .await
        .expect(StatusCode::OK);
    assert_eq!(seen.body["viewer"], "partner");
    for secret in [NORTHWIND_TENANT, "FY27 CSP push", "channel@contoso.example"] {
        assert!(!seen.text.contains(secret), "{secret}");
    }
    assert!(seen.text.contains(CUSTOMER_TENANT));
    let listed = test.get(CSP, OTHER_PARTNER).await;
    assert_eq!(listed.body["offers"].as_array().unwrap().len(), 1);
    assert!(!listed.text.contains(FABRIKAM_TENANT));
    assert!(!listed.text.contains(CUSTOMER_TENANT));
    // Customers and other ISVs see nothing.
    for who in [OWNER, OTHER_ISV] {
        let answer = test.get(&format!("{CSP}/{id}"), who).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{who}");
    }
    // A submitted offer cannot be modified.
    let edit = test
        .put(&format!("{CSP}/{id}"), with_version(csp_setup(), 4), ISV)
        .await;
    assert_eq!(edit.status, StatusCode::CONFLICT);
}

const AUTHORIZATIONS: &str = "/api/v1/resale-authorizations";
const BUYER_OFFERS: &str = "/api/v1/buyer-offers";
const BUYER_ACCOUNT: &str = "777788889999";

fn authorization_terms() -> Value {
    json!({
        "products": [ { "offer_id": "contoso-saas", "plan_id": "pro" } ],
        "discount_percent": "20",
        "partner_aws_account_id": "111122223333",
        "kind": { "discount": "non_recurring", "buyer_account_id": BUYER_ACCOUNT,
                  "buyer_name": "Tailspin Toys" }
    })
}

fn buyer_offer(authorization_id: &str) -> Value {
    json!({
        "authorization_id": authorization_id,
        "buyer_account_id": BUYER_ACCOUNT,
        "lines": [ { "offer_id": "contoso-saas", "plan_id": "pro",
                     "price_point_id": "flat:one_month", "quantity": "12",
                     "pricing": { "markup_percent": "12.5" } } ],
        "custom_terms": "Net 45 between partner and buyer",
        "accept_by": "2026-12-31",
        "payment_schedule": null,
        "installments": 3
    })
}

#[tokio::test]
async fn a_cppo_buyer_offer_is_made_from_an_active_authorization_and_accepted_by_link() {
    let test = Test::new().await;
    let created = test
        .post(AUTHORIZATIONS, authorization_terms(), ISV)
        .await
        .expect(StatusCode::CREATED);
    let authorization = created.body["id"].as_str().unwrap().to_owned();
    let unseen = test
        .get(&format!("{AUTHORIZATIONS}/{authorization}"), PARTNER)
        .await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND);
    let early = test
        .post(BUYER_OFFERS, buyer_offer(&authorization), PARTNER)
        .await;
    assert_eq!(early.status, StatusCode::NOT_FOUND);
    test.post(
        &format!("{AUTHORIZATIONS}/{authorization}/activate"),
        json!({ "version": 1 }),
        ISV,
    )
    .await
    .expect(StatusCode::OK);
    let received = test.get(AUTHORIZATIONS, PARTNER).await;
    assert_eq!(received.body["authorizations"].as_array().unwrap().len(), 1);
    let other = test.get(AUTHORIZATIONS, OTHER_PARTNER).await;
    assert_eq!(other.body["authorizations"], json!([]));
    assert_eq!(
        received.body["authorizations"][0]["isv_company"],
        seen_isv_company(&test).await
    );
    // The partner gets the authorized plans of the ISV's catalog, and only those, to price
    // its offer with the core.
    let one = test
        .get(&format!("{AUTHORIZATIONS}/{authorization}"), PARTNER)
        .await
        .expect(StatusCode::OK);
    let offers = one.body["catalog"]["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 1);
    assert_eq!(offers[0]["id"], "contoso-saas");
    let plans: Vec<&str> = offers[0]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|plan| plan["id"].as_str().unwrap())
        .collect();
    assert_eq!(plans, ["pro"]);

    let offer = test
        .post(BUYER_OFFERS, buyer_offer(&authorization), PARTNER)
        .await
        .expect(StatusCode::CREATED);
    let id = offer.body["id"].as_str().unwrap().to_owned();
    // 100 less 20% is 80, plus 12.5% is 90, for 12 months 1080, in three installments.
    assert_eq!(offer.body["offer"]["contract_value"], "1080");
    assert_eq!(
        offer.body["offer"]["form"]["payment_schedule"],
        json!(["360", "360", "360"])
    );
    let path = format!("{BUYER_OFFERS}/{id}");
    test.post(&format!("{path}/publish"), json!({ "version": 1 }), PARTNER)
        .await
        .expect(StatusCode::CONFLICT);
    test.post(
        &format!("{path}/sign-schedule"),
        json!({ "version": 1 }),
        PARTNER,
    )
    .await
    .expect(StatusCode::OK);
    let published = test
        .post(&format!("{path}/publish"), json!({ "version": 2 }), PARTNER)
        .await
        .expect(StatusCode::OK);
    let token = published.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();

    // The non-recurring authorization is used once.
    let used = test
        .get(&format!("{AUTHORIZATIONS}/{authorization}"), ISV)
        .await;
    assert_eq!(used.body["authorization"]["status"], "Used");
    let again = test
        .post(BUYER_OFFERS, buyer_offer(&authorization), PARTNER)
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);

    // The buyer sees its prices, never the wholesale price, discount or markup.
    let link = format!("/api/v1/links/{token}");
    let shown = test
        .send(Method::GET, &link, None, None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(shown.body["program"], "cppo");
    for secret in ["wholesale", "markup", "\"discount_percent\"", "\"80"] {
        assert!(!shown.text.contains(secret), "{secret} in {}", shown.text);
    }
    // The ISV sees the wholesale side only: no markup, buyer price or custom terms.
    let isv = test.get(&path, ISV).await;
    assert_eq!(isv.body["viewer"], "isv");
    for secret in ["markup", "buyer_price", "Net 45", "1080"] {
        assert!(!isv.text.contains(secret), "{secret} in {}", isv.text);
    }
    assert_eq!(isv.body["offer"]["buyer"]["buyer"], "end_customer");

    let reader = test
        .post(
            &format!("{link}/accept"),
            json!({ "sign_schedule": true }),
            READER,
        )
        .await;
    assert_eq!(reader.status, StatusCode::FORBIDDEN);
    test.post(&format!("{link}/accept"), json!({}), OWNER)
        .await
        .expect(StatusCode::CONFLICT);
    let accepted = test
        .post(
            &format!("{link}/accept"),
            json!({ "sign_schedule": true }),
            OWNER,
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(accepted.body["offer"]["status"], "Accepted");
}

#[tokio::test]
async fn the_isvs_csp_offers_and_authorizations_name_partners_past_the_directorys_first_page() {
    let test = Test::new().await;
    // 120 partners whose names come before the named ones: a page reading only the directory's
    // first 100 entries would not find Fabrikam or Northwind.
    let before: Vec<NewOrganization> = (0..120)
        .map(|index| NewOrganization {
            partner: Some(partner_profile(
                &format!("seller-aaron-{index}"),
                &format!("aaaaaaaa-0000-4000-8000-{index:012}"),
                &format!("9{index:011}"),
            )),
            ..organization(&format!("Aaron Partner {index:03}"), PartyKind::Partner)
        })
        .collect();
    test.state
        .store
        .create_organizations(before, false)
        .await
        .unwrap()
        .unwrap();
    let first_page = test.get("/api/v1/partners?limit=100", ISV).await;
    assert!(!first_page.text.contains("Fabrikam") && !first_page.text.contains("Northwind"));

    // CSP: the ISV's answers name each partner of the setup by company, in its order.
    let created = test
        .post(CSP, csp_setup(), ISV)
        .await
        .expect(StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    let names = json!(["Fabrikam Resellers", "Northwind Partners"]);
    let listed = test.get(CSP, ISV).await.expect(StatusCode::OK);
    assert_eq!(listed.body["offers"][0]["partner_companies"], names);
    let one = test
        .get(&format!("{CSP}/{id}"), ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(one.body["partner_companies"], names);
    // A partner's answer names no other partner.
    test.post(&format!("{CSP}/{id}/submit"), json!({ "version": 1 }), ISV)
        .await
        .expect(StatusCode::OK);
    let seen = test
        .get(&format!("{CSP}/{id}"), PARTNER)
        .await
        .expect(StatusCode::OK);
    assert!(
        seen.body.get("partner_companies").is_none(),
        "{}",
        seen.text
    );
    assert!(!seen.text.contains("Northwind"), "{}", seen.text);

    // CPPO: the authorization names the consulting partner and the ISV.
    let granted = test
        .post(AUTHORIZATIONS, authorization_terms(), ISV)
        .await
        .expect(StatusCode::CREATED);
    let authorization = granted.body["id"].as_str().unwrap().to_owned();
    let listed = test.get(AUTHORIZATIONS, ISV).await.expect(StatusCode::OK);
    assert_eq!(
        listed.body["authorizations"][0]["partner_company"],
        "Fabrikam Resellers"
    );
    assert_eq!(
        listed.body["authorizations"][0]["isv_company"],
        "Contoso Software"
    );
    let one = test
        .get(&format!("{AUTHORIZATIONS}/{authorization}"), ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(one.body["partner_company"], "Fabrikam Resellers");
    assert_eq!(one.body["isv_company"], "Contoso Software");

    // The directory finds a partner by its whole AWS account ID too.
    let found = test
        .get("/api/v1/partners?query=444455556666", ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(found.body["total"], 1);
    assert_eq!(found.body["partners"][0]["name"], "Northwind Partners");
    // A search for "seller" matches all 123 seller IDs, Northwind's past the first page; the
    // exact keys find one partner whatever else matches.
    let searched = test
        .get("/api/v1/partners?query=seller&limit=100", ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(searched.body["total"], 123);
    assert!(!searched.text.contains("Northwind"));
    for exact in [
        "seller_id=seller-north",
        "aws_account_id=444455556666",
        "tenant_id=7C9E6679-7425-40DE-944B-E07FC1F90AE7",
    ] {
        let found = test
            .get(&format!("/api/v1/partners?{exact}&limit=1"), ISV)
            .await
            .expect(StatusCode::OK);
        assert_eq!(found.body["total"], 1, "{exact}");
        assert_eq!(found.body["partners"][0]["name"], "Northwind Partners");
    }
    let none = test
        .get("/api/v1/partners?seller_id=seller-nor", ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(none.body["total"], 0);
}

#[tokio::test]
async fn the_isv_edits_its_draft_authorization_until_it_is_active() {
    let test = Test::new().await;
    let created = test
        .post(AUTHORIZATIONS, authorization_terms(), ISV)
        .await
        .expect(StatusCode::CREATED);
    assert!(actions(&created).contains(&"edit".to_owned()));
    let id = created.body["id"].as_str().unwrap().to_owned();
    let path = format!("{AUTHORIZATIONS}/{id}");
    let recurring = json!({
        "products": [ { "offer_id": "contoso-saas", "plan_id": "pro" },
                      { "offer_id": "contoso-saas", "plan_id": "team" } ],
        "discount_percent": "25",
        "partner_aws_account_id": "444455556666",
        "kind": { "discount": "recurring", "until": "2027-06-30" }
    });

    // Only its ISV sees the draft: anyone else is told it does not exist.
    for who in [OTHER_ISV, PARTNER, OTHER_PARTNER] {
        let unseen = test
            .put(&path, with_version(recurring.clone(), 1), who)
            .await;
        assert_eq!(
            unseen.status,
            StatusCode::NOT_FOUND,
            "{who}: {}",
            unseen.text
        );
    }
    let nowhere = test
        .put(
            &format!("{AUTHORIZATIONS}/ra-none"),
            with_version(recurring.clone(), 1),
            ISV,
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::NOT_FOUND);

    // Core's checks, every problem at once by field path; no version is a 422 too.
    let invalid = test
        .put(
            &path,
            with_version(
                json!({
                    "products": [],
                    "discount_percent": "25",
                    "partner_aws_account_id": "4444",
                    "kind": { "discount": "recurring", "until": null }
                }),
                1,
            ),
            ISV,
        )
        .await;
    assert_eq!(
        invalid.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        invalid.text
    );
    let fields: Vec<&str> = invalid.body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|error| error["field"].as_str().unwrap())
        .collect();
    for field in ["products", "partner_aws_account_id"] {
        assert!(fields.contains(&field), "{field} missing from {fields:?}");
    }
    let mut no_discount = with_version(recurring.clone(), 1);
    no_discount["discount_percent"] = json!("100");
    let no_discount = test.put(&path, no_discount, ISV).await;
    assert_eq!(no_discount.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(no_discount.body["errors"][0]["field"], "discount_percent");
    let mut stranger = with_version(recurring.clone(), 1);
    stranger["partner_aws_account_id"] = json!("999988887777");
    let unknown_partner = test.put(&path, stranger, ISV).await;
    assert_eq!(unknown_partner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        unknown_partner.body["errors"][0]["field"],
        "partner_aws_account_id"
    );
    let unversioned = test.put(&path, recurring.clone(), ISV).await;
    assert_eq!(unversioned.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unversioned.body["errors"][0]["field"], "version");

    // The edit replaces the terms, partner included, as a new version.
    let edited = test
        .put(&path, with_version(recurring.clone(), 1), ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(edited.body["version"], 2);
    assert_eq!(
        edited.body["authorization"]["terms"], recurring,
        "the stored terms are the ones sent"
    );
    test.put(&path, with_version(authorization_terms(), 1), ISV)
        .await
        .expect(StatusCode::CONFLICT);
    let read = test.get(&path, ISV).await;
    assert_eq!(read.body["authorization"]["terms"], recurring);

    // Activated, it goes to the newly named partner, and its terms no longer change.
    let active = test
        .post(&format!("{path}/activate"), json!({ "version": 2 }), ISV)
        .await
        .expect(StatusCode::OK);
    assert!(!actions(&active).contains(&"edit".to_owned()));
    let northwind = test.get(AUTHORIZATIONS, OTHER_PARTNER).await;
    assert_eq!(northwind.body["authorizations"][0]["id"], id.as_str());
    let fabrikam = test.get(AUTHORIZATIONS, PARTNER).await;
    assert_eq!(fabrikam.body["authorizations"], json!([]));
    for who in [ISV, OTHER_PARTNER] {
        let refused = test
            .put(&path, with_version(recurring.clone(), 3), who)
            .await;
        assert_eq!(
            refused.status,
            StatusCode::CONFLICT,
            "{who}: {}",
            refused.text
        );
        assert_eq!(refused.body["allowed_actions"], json!(["end"]), "{who}");
    }
}

#[tokio::test]
async fn a_published_buyer_offer_expires_after_its_accept_by_date() {
    let test = Test::new().await;
    let mut terms = authorization_terms();
    terms["kind"] = json!({ "discount": "recurring", "until": null });
    let created = test.post(AUTHORIZATIONS, terms, ISV).await;
    let authorization = created.body["id"].as_str().unwrap().to_owned();
    test.post(
        &format!("{AUTHORIZATIONS}/{authorization}/activate"),
        json!({ "version": 1 }),
        ISV,
    )
    .await;
    let mut body = buyer_offer(&authorization);
    body["installments"] = Value::Null;
    let offer = test
        .post(BUYER_OFFERS, body, PARTNER)
        .await
        .expect(StatusCode::CREATED);
    let id = offer.body["id"].as_str().unwrap().to_owned();
    let published = test
        .post(
            &format!("{BUYER_OFFERS}/{id}/publish"),
            json!({ "version": 1 }),
            PARTNER,
        )
        .await
        .expect(StatusCode::OK);
    let token = published.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    // A recurring authorization stays active for more buyers.
    let still = test
        .get(&format!("{AUTHORIZATIONS}/{authorization}"), PARTNER)
        .await;
    assert_eq!(still.body["authorization"]["status"], "Active");
    assert_eq!(still.body["viewer"], "partner");
    test.set_clock("2027-01-01T00:00:00Z");
    assert_eq!(test.tick().await, 1);
    let link = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(link.status, StatusCode::GONE);
    assert_eq!(link.body["link_status"], "expired");
}

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer\n%%EOF\n";

async fn upload(
    test: &Test,
    id: &str,
    query: &str,
    bytes: Vec<u8>,
    kind: &str,
    who: &str,
) -> Answer {
    test.raw(
        Method::POST,
        &format!("{OFFERS}/{id}/terms?{query}"),
        Some(Body::from(bytes)),
        kind,
        Some(who),
        &[],
    )
    .await
}

#[tokio::test]
async fn terms_pdfs_are_checked_by_content_limited_to_10_mib_and_shown_by_party() {
    let test = Test::new().await;
    let id = draft(&test).await;
    let not_pdf = upload(
        &test,
        &id,
        "version=1&name=EULA",
        b"<html>".to_vec(),
        "application/pdf",
        ISV,
    )
    .await;
    assert_eq!(not_pdf.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong_type = upload(
        &test,
        &id,
        "version=1&name=EULA",
        PDF.to_vec(),
        "text/plain",
        ISV,
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let mut big = PDF.to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let too_big = upload(
        &test,
        &id,
        "version=1&name=EULA",
        big,
        "application/pdf",
        ISV,
    )
    .await;
    assert_eq!(too_big.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Over 1 MiB but under 10 MiB is fine: uploads have their own limit.
    let mut large = b"%PDF-1.4\n".to_vec();
    large.resize(2 * 1024 * 1024, b' ');
    large.extend_from_slice(b"\n%%EOF\n");
    let stored = upload(
        &test,
        &id,
        "version=1&name=Contoso%20EULA",
        large,
        "application/pdf",
        ISV,
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(stored.body["version"], 2);
    let isv_file = stored.body["offer"]["isv"]["terms"][0]["file_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let duplicate = upload(
        &test,
        &id,
        "version=2&name=Contoso%20EULA",
        PDF.to_vec(),
        "application/pdf",
        ISV,
    )
    .await;
    assert_eq!(
        duplicate.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        duplicate.text
    );

    // To the partner's part, once the offer is with the partner.
    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 2 }),
            ISV,
        )
        .await;
    assert_eq!(submitted.status, StatusCode::OK);
    test.advance(10).await;
    test.tick().await;
    let late = upload(
        &test,
        &id,
        "version=4&name=Late",
        PDF.to_vec(),
        "application/pdf",
        ISV,
    )
    .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    let partner = upload(
        &test,
        &id,
        "version=4&name=Fabrikam%20services",
        PDF.to_vec(),
        "application/pdf",
        PARTNER,
    )
    .await
    .expect(StatusCode::CREATED);
    let partner_file = partner.body["offer"]["partner"]["terms"][0]["file_id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The ISV never gets the partner's document; the partner gets both.
    let hidden = test
        .get(&format!("{OFFERS}/{id}/terms/{partner_file}"), ISV)
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
    let own = test
        .get(&format!("{OFFERS}/{id}/terms/{isv_file}"), ISV)
        .await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(own.text.starts_with("%PDF-"));
    let both = test
        .get(&format!("{OFFERS}/{id}/terms/{partner_file}"), PARTNER)
        .await;
    assert_eq!(both.status, StatusCode::OK);

    let mut part = partner_part(5);
    part["terms"] = partner.body["offer"]["partner"]["terms"].clone();
    test.put(&format!("{OFFERS}/{id}/partner"), part, PARTNER)
        .await
        .expect(StatusCode::OK);
    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 6 }),
            PARTNER,
        )
        .await;
    let token = submitted.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    test.advance(10).await;
    test.tick().await;
    let shown = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(
        shown.body["offer"]["terms"],
        json!(["Contoso EULA", "Fabrikam services"])
    );
    assert!(!shown.text.contains(&isv_file), "file IDs stay internal");
    let second = test
        .send(
            Method::GET,
            &format!("/api/v1/links/{token}/terms/1"),
            None,
            None,
        )
        .await;
    assert_eq!(second.status, StatusCode::OK);
    assert!(second.text.starts_with("%PDF-"));
    let none = test
        .send(
            Method::GET,
            &format!("/api/v1/links/{token}/terms/2"),
            None,
            None,
        )
        .await;
    assert_eq!(none.status, StatusCode::NOT_FOUND);
}

/// The ISV's company name as its own session shows it.
async fn seen_isv_company(test: &Test) -> Value {
    let session = test.get("/api/v1/session", ISV).await;
    session.body["organization"]["name"].clone()
}

#[tokio::test]
async fn each_side_removes_only_its_own_terms_while_its_part_is_open() {
    let test = Test::new().await;
    let id = with_partner(&test).await;
    upload(
        &test,
        &id,
        "version=3&name=Services",
        PDF.to_vec(),
        "application/pdf",
        PARTNER,
    )
    .await
    .expect(StatusCode::CREATED);
    let second = upload(
        &test,
        &id,
        "version=4&name=Support",
        PDF.to_vec(),
        "application/pdf",
        PARTNER,
    )
    .await
    .expect(StatusCode::CREATED);
    let file = |answer: &Answer, index: usize| {
        answer.body["offer"]["partner"]["terms"][index]["file_id"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (services, support) = (file(&second, 0), file(&second, 1));
    let remove = |file: String, version: i64, who: &'static str| {
        let path = format!("{OFFERS}/{id}/terms/{file}?version={version}");
        let test = &test;
        async move { test.send(Method::DELETE, &path, None, Some(who)).await }
    };
    // Not the ISV: its part is closed while the partner's is open.
    assert_eq!(
        remove(services.clone(), 5, ISV).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        remove(services.clone(), 4, PARTNER).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        remove("pdf-none".into(), 5, PARTNER).await.status,
        StatusCode::NOT_FOUND
    );
    let removed = remove(services.clone(), 5, PARTNER)
        .await
        .expect(StatusCode::OK);
    assert_eq!(removed.body["version"], 6);
    assert_eq!(
        removed.body["offer"]["partner"]["terms"],
        json!([{ "customer_facing_name": "Support", "file_id": support }])
    );
    let gone = test
        .get(&format!("{OFFERS}/{id}/terms/{services}"), PARTNER)
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    // Once sent to the customer the partner's part is closed.
    let edited = test
        .put(
            &format!("{OFFERS}/{id}/partner"),
            {
                let mut part = partner_part(6);
                part["terms"] = removed.body["offer"]["partner"]["terms"].clone();
                part
            },
            PARTNER,
        )
        .await;
    assert_eq!(edited.status, StatusCode::OK, "{}", edited.text);
    test.post(
        &format!("{OFFERS}/{id}/submit"),
        json!({ "version": 7 }),
        PARTNER,
    )
    .await
    .expect(StatusCode::OK);
    assert_eq!(
        remove(support, 8, PARTNER).await.status,
        StatusCode::CONFLICT
    );
}

/// The `file_id` of the `index`th terms document of `side` in a projection.
fn file_of(answer: &Answer, side: &str, index: usize) -> String {
    answer.body["offer"][side]["terms"][index]["file_id"]
        .as_str()
        .unwrap_or_else(|| panic!("no {side} terms[{index}] in {}", answer.text))
        .to_owned()
}

#[tokio::test]
async fn a_clone_has_its_own_terms_pdfs_and_a_removed_pdf_is_deleted() {
    let test = Test::new().await;
    let id = draft(&test).await;
    let pdf = b"%PDF-1.7\n% Contoso EULA\n%%EOF\n".to_vec();
    let uploaded = upload(
        &test,
        &id,
        "version=1&name=EULA",
        pdf.clone(),
        "application/pdf",
        ISV,
    )
    .await
    .expect(StatusCode::CREATED);
    let original_file = file_of(&uploaded, "isv", 0);
    let clone = test
        .post(&format!("{OFFERS}/{id}/clone"), json!({}), ISV)
        .await
        .expect(StatusCode::CREATED);
    let clone_id = clone.body["id"].as_str().unwrap().to_owned();
    let clone_file = file_of(&clone, "isv", 0);
    assert_eq!(
        clone.body["offer"]["isv"]["terms"][0]["customer_facing_name"],
        "EULA"
    );
    // Deleting the original draft takes its PDFs with it, never the clone's.
    test.send(
        Method::DELETE,
        &format!("{OFFERS}/{id}?version=2"),
        None,
        Some(ISV),
    )
    .await
    .expect(StatusCode::NO_CONTENT);
    let download = test
        .get(&format!("{OFFERS}/{clone_id}/terms/{clone_file}"), ISV)
        .await
        .expect(StatusCode::OK);
    assert_eq!(download.text.as_bytes(), pdf.as_slice());
    assert_ne!(clone_file, original_file);
    // A removed PDF is deleted with the change that stops listing it.
    let removed = test
        .send(
            Method::DELETE,
            &format!("{OFFERS}/{clone_id}/terms/{clone_file}?version=1"),
            None,
            Some(ISV),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(removed.body["offer"]["isv"]["terms"], json!([]));
    let stored = test
        .state
        .store
        .terms_file(&clone_id, &clone_file)
        .await
        .unwrap();
    assert_eq!(stored, None, "the removed PDF's bytes are still stored");
}

#[tokio::test]
async fn the_pricing_sheet_converts_every_price_with_the_exchange_rate_table() {
    let test = Test::new().await;
    let (id, _) = with_customer(&test).await;
    let path = format!("{OFFERS}/{id}/pricing-sheet.csv");
    let isv = test.get(&path, ISV).await;
    assert_eq!(isv.status, StatusCode::OK);
    let lines: Vec<&str> = isv.text.lines().collect();
    assert_eq!(
        lines[0],
        "product_index,price_point_id,currency,exchange_rate,rate_date,list_price,partner_price"
    );
    assert!(
        lines.contains(&"0,flat:one_month,USD,1,2026-11-23,100.00,90.00"),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"0,flat:one_month,EUR,0.92,2026-11-01,92.00,82.80"),
        "{lines:?}"
    );
    assert!(
        lines.contains(&"0,flat:one_month,JPY,150,2026-11-01,15000,13500"),
        "{lines:?}"
    );
    // Per-unit meter prices keep 8 places.
    assert!(
        lines.contains(&"0,meter:api-calls,EUR,0.92,2026-11-01,0.00138000,0.00124200"),
        "{lines:?}"
    );
    let partner = test.get(&path, PARTNER).await;
    assert!(partner
        .text
        .lines()
        .next()
        .unwrap()
        .ends_with(",customer_price"));
    assert!(partner
        .text
        .contains("0,flat:one_month,USD,1,2026-11-23,100.00,90.00,94.50"));
    let customer = test.get(&path, OWNER).await;
    assert_eq!(customer.status, StatusCode::NOT_FOUND);

    // The rates are data: an ISV updates them and the sheet follows.
    test.put(
        "/api/v1/exchange-rates",
        json!({ "rates": [ { "currency": "EUR", "rate": "0.5", "as_of": "2026-11-20" } ] }),
        ISV,
    )
    .await
    .expect(StatusCode::OK);
    let refused = test
        .put(
            "/api/v1/exchange-rates",
            json!({ "rates": [ { "currency": "EUR", "rate": "0.5", "as_of": "2026-11-20" } ] }),
            PARTNER,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A rate is above zero, written as plain decimal text like every amount of the API (no
    // scientific notation).
    for (rate, says) in [("-1", "above 0"), ("5e-1", "decimal number as text")] {
        let bad = test
            .put(
                "/api/v1/exchange-rates",
                json!({ "rates": [ { "currency": "EUR", "rate": rate, "as_of": "2026-11-20" } ] }),
                ISV,
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{rate}");
        assert_eq!(bad.body["errors"][0]["field"], "rates[0].rate");
        let message = bad.body["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains(says), "{rate}: {message}");
    }
    let isv = test.get(&path, ISV).await;
    assert!(
        isv.text
            .contains("0,flat:one_month,EUR,0.5,2026-11-20,50.00,45.00"),
        "{}",
        isv.text
    );
}

#[tokio::test]
async fn the_demo_offers_are_made_through_the_same_paths_in_several_statuses() {
    let store = SqliteStore::open_in_memory().unwrap();
    let clock = Arc::new(TestClock::new("2026-11-23T18:00:00Z".parse().unwrap()));
    let state = AppState::new(store, "/nonexistent")
        .with_clock(clock)
        .with_auth(AuthSettings::for_tests());
    let ids = offerdesk_server::demo::seed_accounts(&state)
        .await
        .unwrap()
        .unwrap();
    let demo = offerdesk_server::demo::seed_offers(&state, &ids)
        .await
        .unwrap();
    let statuses: Vec<(&str, &str)> = demo
        .offers
        .iter()
        .map(|(program, _, status)| (program.as_str(), status.as_str()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("multiparty", "Draft"),
            ("multiparty", "PendingPartnerAction"),
            ("multiparty", "PendingPartnerAction"),
            ("multiparty", "PendingAcceptance"),
            ("csp", "Live"),
            ("csp", "Draft"),
            ("cppo_authorization", "Active"),
            ("cppo_authorization", "Draft"),
            ("cppo_buyer_offer", "Published"),
        ]
    );
    assert_eq!(demo.customer_links.len(), 2);
    // The links show the customer's projections without sign-in.
    let router = app(state.clone());
    for path in &demo.customer_links {
        let response = router
            .clone()
            .oneshot(Request::get(path.as_str()).body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{path}");
    }
}

#[tokio::test]
async fn a_us_partner_without_resale_certificates_is_refused_at_submit_with_the_reason() {
    let test = Test::new().await;
    let mut part = isv_part();
    part["selling_partner_seller_id"] = json!("seller-adatum");
    let created = test
        .post(OFFERS, part, ISV)
        .await
        .expect(StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    test.post(
        &format!("{OFFERS}/{id}/submit"),
        json!({ "version": 1 }),
        ISV,
    )
    .await;
    test.advance(10).await;
    test.tick().await;
    let edited = test
        .put(
            &format!("{OFFERS}/{id}/partner"),
            partner_part(3),
            UNCERTIFIED,
        )
        .await
        .expect(StatusCode::OK);
    assert!(!actions(&edited).contains(&"submit".to_owned()));
    let refused = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 4 }),
            UNCERTIFIED,
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["errors"][0]["field"], "selling_partner");
    assert!(refused.body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("resale certificates"));
}

#[tokio::test]
async fn an_accepted_offer_is_upgraded_by_a_linked_offer_that_changes_only_what_may_change() {
    let test = Test::new().await;
    let (id, token) = with_customer(&test).await;
    let early = test
        .post(&format!("{OFFERS}/{id}/upgrade"), isv_part(), ISV)
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert!(actions(&early).contains(&"clone".to_owned()));
    test.post(&format!("/api/v1/links/{token}/accept"), json!({}), OWNER)
        .await;
    let mut renewal = isv_part();
    renewal["customer_start"] = json!({ "start": "month", "month": "2028-01-01" });
    renewal["customer_end"] = json!("2028-12-31");
    renewal["accept_by"] = json!("2028-01-15");
    renewal["products"][0]["partner_pricing"] = json!({ "discount_percent": "12" });
    let mut renamed = renewal.clone();
    renamed["name"] = json!("Another name");
    let refused = test
        .post(&format!("{OFFERS}/{id}/upgrade"), renamed, ISV)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.body["errors"][0]["field"], "name");
    let mut overlapping = renewal.clone();
    overlapping["customer_start"] = json!({ "start": "on_acceptance" });
    let refused = test
        .post(&format!("{OFFERS}/{id}/upgrade"), overlapping, ISV)
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let upgrade = test
        .post(&format!("{OFFERS}/{id}/upgrade"), renewal.clone(), ISV)
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(upgrade.body["offer"]["upgrade_of"], json!(id));
    assert_eq!(upgrade.body["offer"]["status"], "Draft");
    // Edits of the upgrade draft are held to the same rules.
    let new_id = upgrade.body["id"].as_str().unwrap();
    let mut edit = with_version(renewal, 1);
    edit["customer"]["billing_account_id"] = json!("someone-else");
    let refused = test.put(&format!("{OFFERS}/{new_id}"), edit, ISV).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The purchase made under the accepted offer is activated by the ISV.
    let activated = test
        .post(&format!("{OFFERS}/{id}/purchases"), json!({ "version": 7, "offer_id": "contoso-saas", "plan_id": "pro", "event": "activate" }), ISV)
        .await.expect(StatusCode::OK);
    assert_eq!(
        activated.body["offer"]["purchases"][0]["status"],
        "Subscribed"
    );
    let by_partner = test
        .post(&format!("{OFFERS}/{id}/purchases"), json!({ "version": 8, "offer_id": "contoso-saas", "plan_id": "pro", "event": "activate" }), PARTNER)
        .await;
    assert_eq!(by_partner.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn offer_writes_take_json_only() {
    let test = Test::new().await;
    let answer = test
        .raw(
            Method::POST,
            OFFERS,
            Some(Body::from(isv_part().to_string())),
            "text/plain",
            Some(ISV),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn a_repeated_partner_submit_answers_no_token_and_the_partner_replaces_the_link() {
    let test = Test::new().await;
    let id = with_partner(&test).await;
    test.put(&format!("{OFFERS}/{id}/partner"), partner_part(3), PARTNER)
        .await
        .expect(StatusCode::OK);
    let key = [("Idempotency-Key", "partner-submit")];
    let path = format!("{OFFERS}/{id}/submit");
    let first = test
        .send_with(
            Method::POST,
            &path,
            Some(json!({ "version": 4 })),
            Some(PARTNER),
            &key,
        )
        .await;
    let token = first.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    let repeat = test
        .send_with(
            Method::POST,
            &path,
            Some(json!({ "version": 4 })),
            Some(PARTNER),
            &key,
        )
        .await;
    assert_eq!(repeat.status, StatusCode::OK);
    assert_eq!(repeat.body["customer_link"]["token"], Value::Null);
    assert_eq!(repeat.body["version"], first.body["version"]);
    // The stored answer holds no token: only its hash is kept.
    assert!(!repeat.text.contains(&token));
    let rotated = test
        .post(
            &format!("{OFFERS}/{id}/customer-link"),
            json!({ "version": 5 }),
            PARTNER,
        )
        .await
        .expect(StatusCode::OK);
    let new_token = rotated.body["customer_link"]["token"].as_str().unwrap();
    assert_ne!(new_token, token);
    test.advance(10).await;
    test.tick().await;
    let old = test
        .send(Method::GET, &format!("/api/v1/links/{token}"), None, None)
        .await;
    assert_eq!(old.status, StatusCode::GONE);
    let new = test
        .send(
            Method::GET,
            &format!("/api/v1/links/{new_token}"),
            None,
            None,
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
    let by_isv = test
        .post(
            &format!("{OFFERS}/{id}/customer-link"),
            json!({ "version": 7 }),
            ISV,
        )
        .await;
    assert_eq!(by_isv.status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_customer_does_not_see_an_offer_before_its_start_month() {
    let test = Test::new().await;
    let mut part = isv_part();
    part["customer_start"] = json!({ "start": "month", "month": "2027-01-01" });
    part["accept_by"] = json!("2027-01-15");
    let created = test
        .post(OFFERS, part, ISV)
        .await
        .expect(StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_owned();
    test.post(
        &format!("{OFFERS}/{id}/submit"),
        json!({ "version": 1 }),
        ISV,
    )
    .await;
    test.advance(10).await;
    test.tick().await;
    test.put(&format!("{OFFERS}/{id}/partner"), partner_part(3), PARTNER)
        .await;
    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 4 }),
            PARTNER,
        )
        .await;
    let token = submitted.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    test.advance(10).await;
    test.tick().await;
    let link = format!("/api/v1/links/{token}");
    assert_eq!(
        test.send(Method::GET, &link, None, None).await.status,
        StatusCode::NOT_FOUND
    );
    let signed_in = test.get(&format!("{OFFERS}/{id}"), OWNER).await;
    assert_eq!(signed_in.status, StatusCode::NOT_FOUND);
    test.set_clock("2027-01-02T09:00:00Z");
    let shown = test
        .send(Method::GET, &link, None, None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(shown.body["offer"]["status"], "PendingAcceptance");
}

#[tokio::test]
async fn odd_bodies_never_answer_500() {
    let test = Test::new().await;
    let (id, token) = with_customer(&test).await;
    let csp = live_csp(&test).await;
    let bodies = [
        json!([]),
        json!("text"),
        json!(null),
        json!({}),
        json!({ "version": "one" }),
        json!({ "version": 1e300 }),
        json!({ "version": -1, "name": 5 }),
        json!({ "products": [ { "pricing_type": "nope" } ] }),
        json!({ "lines": [ { "quantity": "1e30" } ], "authorization_id": "x" }),
    ];
    let writes = [
        (Method::POST, OFFERS.to_owned()),
        (Method::PUT, format!("{OFFERS}/{id}")),
        (Method::PUT, format!("{OFFERS}/{id}/partner")),
        (Method::POST, format!("{OFFERS}/{id}/submit")),
        (Method::POST, format!("{OFFERS}/{id}/withdraw")),
        (Method::POST, format!("{OFFERS}/{id}/clone")),
        (Method::POST, format!("{OFFERS}/{id}/upgrade")),
        (Method::POST, format!("{OFFERS}/{id}/cancellation")),
        (Method::POST, format!("{OFFERS}/{id}/cancellation/confirm")),
        (Method::POST, format!("{OFFERS}/{id}/cancel")),
        (Method::POST, format!("{OFFERS}/{id}/purchases")),
        (Method::POST, format!("{OFFERS}/{id}/customer-link")),
        (Method::POST, CSP.to_owned()),
        (Method::PUT, format!("{CSP}/{csp}")),
        (Method::POST, format!("{CSP}/{csp}/sales")),
        (Method::POST, AUTHORIZATIONS.to_owned()),
        (Method::POST, BUYER_OFFERS.to_owned()),
        (Method::PUT, "/api/v1/exchange-rates".to_owned()),
        (Method::POST, format!("/api/v1/links/{token}/accept")),
    ];
    for who in [ISV, PARTNER, OWNER] {
        for (method, path) in &writes {
            for body in &bodies {
                let answer = test
                    .send(method.clone(), path, Some(body.clone()), Some(who))
                    .await;
                assert!(
                    answer.status.is_client_error() || answer.status.is_success(),
                    "{who} {method} {path} {body}: {} {}",
                    answer.status,
                    answer.text
                );
                assert!(answer.body["errors"].is_array() || answer.status.is_success());
            }
        }
    }
    for path in [
        format!("{OFFERS}/{id}/terms?version=x"),
        format!("{OFFERS}/{id}/terms"),
        format!("{OFFERS}/{id}/terms?version=6&name="),
    ] {
        let answer = test
            .raw(
                Method::POST,
                &path,
                Some(Body::from(PDF)),
                "application/pdf",
                Some(ISV),
                &[],
            )
            .await;
        assert!(answer.status.is_client_error(), "{path}: {}", answer.status);
    }
    for path in [
        format!("{OFFERS}/{id}/terms/..%2F..%2Fetc"),
        "/api/v1/links/%00/terms/x".to_owned(),
        format!("/api/v1/links/{}", "A".repeat(5000)),
    ] {
        let answer = test.get(&path, ISV).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn a_buyer_offer_whose_price_left_the_catalog_answers_409_not_500() {
    let test = Test::new().await;
    let mut terms = authorization_terms();
    terms["kind"] = json!({ "discount": "recurring", "until": null });
    let created = test.post(AUTHORIZATIONS, terms, ISV).await;
    let authorization = created.body["id"].as_str().unwrap().to_owned();
    test.post(
        &format!("{AUTHORIZATIONS}/{authorization}/activate"),
        json!({ "version": 1 }),
        ISV,
    )
    .await;
    let mut body = buyer_offer(&authorization);
    body["installments"] = Value::Null;
    let offer = test.post(BUYER_OFFERS, body, PARTNER).await;
    let id = offer.body["id"].as_str().unwrap().to_owned();
    // The ISV imports a catalog without the plan the offer sells.
    let mut smaller = serde_json::to_value(catalog()).unwrap();
    smaller["offers"][0]["plans"]
        .as_array_mut()
        .unwrap()
        .retain(|plan| plan["id"] != "pro");
    let imported = test.post("/api/v1/catalog/import", smaller, ISV).await;
    assert!(imported.status.is_success(), "{}", imported.text);
    test.get(&format!("{BUYER_OFFERS}/{id}"), PARTNER)
        .await
        .expect(StatusCode::CONFLICT);
    let listed = test.get(BUYER_OFFERS, PARTNER).await;
    assert_eq!(listed.status, StatusCode::OK);
}

#[tokio::test]
async fn an_upgrade_has_its_own_copies_of_the_old_offers_terms_pdfs() {
    let test = Test::new().await;
    let id = with_partner(&test).await;
    let pdf = b"%PDF-1.7\n% Fabrikam services\n%%EOF\n".to_vec();
    let uploaded = upload(
        &test,
        &id,
        "version=3&name=Services",
        pdf.clone(),
        "application/pdf",
        PARTNER,
    )
    .await
    .expect(StatusCode::CREATED);
    let old_file = file_of(&uploaded, "partner", 0);
    let mut part = partner_part(4);
    part["terms"] = uploaded.body["offer"]["partner"]["terms"].clone();
    test.put(&format!("{OFFERS}/{id}/partner"), part, PARTNER)
        .await
        .expect(StatusCode::OK);
    let submitted = test
        .post(
            &format!("{OFFERS}/{id}/submit"),
            json!({ "version": 5 }),
            PARTNER,
        )
        .await
        .expect(StatusCode::OK);
    let token = submitted.body["customer_link"]["token"]
        .as_str()
        .unwrap()
        .to_owned();
    test.advance(10).await;
    assert_eq!(test.tick().await, 1);
    test.post(&format!("/api/v1/links/{token}/accept"), json!({}), OWNER)
        .await
        .expect(StatusCode::OK);
    let mut renewal = isv_part();
    renewal["customer_start"] = json!({ "start": "month", "month": "2028-01-01" });
    renewal["customer_end"] = json!("2028-12-31");
    renewal["accept_by"] = json!("2028-01-15");
    // The ISV's terms of an upgrade are the old offer's: a file it never had is refused.
    let mut foreign = renewal.clone();
    foreign["terms"] = json!([{ "customer_facing_name": "Services", "file_id": old_file }]);
    let refused = test
        .post(&format!("{OFFERS}/{id}/upgrade"), foreign, ISV)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(refused.body["errors"][0]["field"], "terms[0].file_id");
    let upgrade = test
        .post(&format!("{OFFERS}/{id}/upgrade"), renewal, ISV)
        .await
        .expect(StatusCode::CREATED);
    let new_id = upgrade.body["id"].as_str().unwrap();
    // The ISV never sees the partner's terms: read the stored upgrade.
    let row = test.state.store.offer(new_id).await.unwrap().unwrap();
    let document: Value = serde_json::from_str(&row.document).unwrap();
    let new_file = document["partner"]["terms"][0]["file_id"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_ne!(new_file, old_file, "the upgrade shares the old offer's PDF");
    let copy = test
        .state
        .store
        .terms_file(new_id, &new_file)
        .await
        .unwrap();
    assert_eq!(copy, Some(pdf));
}

#[tokio::test]
async fn a_part_saved_without_a_pdf_deletes_it_and_lists_only_its_own_pdfs() {
    let test = Test::new().await;
    let mut with_terms = isv_part();
    with_terms["terms"] = json!([{ "customer_facing_name": "EULA", "file_id": "pdf_1" }]);
    let refused = test.post(OFFERS, with_terms, ISV).await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.text
    );
    assert_eq!(refused.body["errors"][0]["field"], "terms[0].file_id");
    let id = draft(&test).await;
    for (version, name) in [(1, "EULA"), (2, "Support")] {
        let query = format!("version={version}&name={name}");
        upload(&test, &id, &query, PDF.to_vec(), "application/pdf", ISV)
            .await
            .expect(StatusCode::CREATED);
    }
    let stored = test.get(&format!("{OFFERS}/{id}"), ISV).await;
    let (eula, support) = (file_of(&stored, "isv", 0), file_of(&stored, "isv", 1));
    let save = |terms: Value| {
        let mut part = with_version(isv_part(), 3);
        part["terms"] = terms;
        let (test, path) = (&test, format!("{OFFERS}/{id}"));
        async move { test.put(&path, part, ISV).await }
    };
    let foreign =
        save(json!([{ "customer_facing_name": "EULA", "file_id": "pdf_elsewhere" }])).await;
    assert_eq!(
        foreign.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        foreign.text
    );
    assert_eq!(foreign.body["errors"][0]["field"], "terms[0].file_id");
    let saved = save(json!([stored.body["offer"]["isv"]["terms"][1].clone()]))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        saved.body["offer"]["isv"]["terms"][0]["file_id"],
        json!(support)
    );
    let store = &test.state.store;
    assert_eq!(store.terms_file(&id, &eula).await.unwrap(), None);
    assert_eq!(
        store.terms_file(&id, &support).await.unwrap(),
        Some(PDF.to_vec())
    );
}
