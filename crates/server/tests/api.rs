//! The HTTP contract of SPEC "Quote API" and the server's error paths, driven through `app()`
//! with `oneshot`: no socket, no browser.

use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Body;
use axum::http::{header, HeaderMap, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use offerdesk_server::config::{Command, Config};
use offerdesk_server::{app, AppState, SqliteStore, MAX_BODY_BYTES};
use rust_decimal::Decimal;
use serde_json::{json, Value};
use tower::ServiceExt;

const INDEX_HTML: &str = "<!doctype html><title>Offer Desk</title><div id=app></div>";

/// A fresh directory under the system temp dir, removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "offerdesk-api-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The app over a fresh database file, serving a page with an index and one asset.
struct TestApp {
    router: Router,
    dir: TempDir,
}

impl TestApp {
    fn new() -> TestApp {
        let dir = TempDir::new();
        let page = dir.path().join("dist");
        std::fs::create_dir_all(&page).unwrap();
        std::fs::write(page.join("index.html"), INDEX_HTML).unwrap();
        std::fs::write(page.join("style.css"), "body { margin: 0 }").unwrap();
        let store = SqliteStore::open(&dir.path().join("offerdesk.db")).unwrap();
        TestApp {
            router: app(AppState::new(store, page)),
            dir,
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
        assert_eq!(
            self.headers
                .get(header::CONTENT_TYPE)
                .map(|value| value.to_str().unwrap()),
            Some("application/json"),
            "status {}",
            self.status
        );
        serde_json::from_slice(&self.body).expect("a JSON body")
    }

    fn text(&self) -> String {
        String::from_utf8(self.body.clone()).unwrap()
    }

    /// The fields of an error answer, after checking it has exactly our error shape.
    fn error_fields(&self) -> Vec<String> {
        let body = self.json();
        let object = body.as_object().expect("an object");
        assert_eq!(object.keys().collect::<Vec<_>>(), ["errors"], "{body}");
        let errors = body["errors"].as_array().expect("errors is an array");
        assert!(!errors.is_empty(), "{body}");
        errors
            .iter()
            .map(|error| {
                let error = error.as_object().expect("each error is an object");
                assert_eq!(error.len(), 2, "{error:?}");
                let message = error["message"].as_str().expect("message is a string");
                assert!(!message.trim().is_empty());
                error["field"]
                    .as_str()
                    .expect("field is a string")
                    .to_owned()
            })
            .collect()
    }
}

async fn send(router: &Router, request: Request<Body>) -> Answer {
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

async fn get(router: &Router, uri: &str) -> Answer {
    send(router, Request::get(uri).body(Body::empty()).unwrap()).await
}

async fn post_json(router: &Router, uri: &str, body: &Value) -> Answer {
    post_raw(router, uri, Some("application/json"), body.to_string()).await
}

async fn post_raw(
    router: &Router,
    uri: &str,
    content_type: Option<&str>,
    body: impl Into<Body>,
) -> Answer {
    let mut request = Request::post(uri);
    if let Some(content_type) = content_type {
        request = request.header(header::CONTENT_TYPE, content_type);
    }
    send(router, request.body(body.into()).unwrap()).await
}

/// The value of a decimal string field; a JSON number or anything else fails the test.
fn dec(value: &Value) -> Decimal {
    let text = value
        .as_str()
        .unwrap_or_else(|| panic!("{value} is not a string"));
    Decimal::from_str(text).unwrap_or_else(|_| panic!("{text} is not a decimal"))
}

fn assert_dec(value: &Value, expected: &str) {
    assert_eq!(dec(value), Decimal::from_str(expected).unwrap(), "{value}");
}

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    keys
}

fn spec_example() -> Value {
    json!({ "program": "multiparty",
            "currency": "USD",
            "customer_adjustment_percent": "5",
            "lines": [ { "id": "pro", "kind": "flat", "list_price": "100.00", "quantity": "1",
                         "partner_pricing": { "discount_percent": "10" } },
                       { "id": "api-calls", "kind": "usage", "list_price": "0.0015",
                         "partner_pricing": { "absolute_price": "0.0012" } } ] })
}

fn one_line(pricing: Value) -> Value {
    json!({ "lines": [ { "id": "a", "list_price": "100.00", "partner_pricing": pricing } ] })
}

const QUOTE: &str = "/api/v1/quote";
const SOLVE: &str = "/api/v1/quote/solve";

// ---------------------------------------------------------------------------------------------
// The contract's happy paths.

#[tokio::test]
async fn the_spec_example_answers_exactly_the_documented_quote() {
    let app = TestApp::new();
    let answer = post_json(&app.router, QUOTE, &spec_example()).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(
        keys(&body),
        [
            "currency",
            "customer_adjustment_percent",
            "lines",
            "max_customer_adjustment_percent",
            "totals"
        ]
    );
    assert_eq!(body["currency"], "USD");
    assert_dec(&body["customer_adjustment_percent"], "5");
    assert_dec(&body["max_customer_adjustment_percent"], "10");

    let lines = body["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    let line_keys = [
        "customer_price",
        "customer_total",
        "id",
        "list_price",
        "net_discount_percent",
        "partner_price",
        "partner_total",
        "quantity",
    ];
    let pro = &lines[0];
    assert_eq!(keys(pro), line_keys);
    assert_eq!(pro["id"], "pro");
    assert_dec(&pro["list_price"], "100.00");
    assert_dec(&pro["partner_price"], "90.00");
    assert_dec(&pro["customer_price"], "94.50");
    assert_dec(&pro["net_discount_percent"], "5.5");
    assert_dec(&pro["quantity"], "1");
    assert_dec(&pro["partner_total"], "90.00");
    assert_dec(&pro["customer_total"], "94.50");

    let calls = &lines[1];
    assert_eq!(keys(calls), line_keys);
    assert_eq!(calls["id"], "api-calls");
    assert_dec(&calls["list_price"], "0.0015");
    assert_dec(&calls["partner_price"], "0.0012");
    assert_dec(&calls["customer_price"], "0.00126");
    assert_dec(&calls["net_discount_percent"], "16");
    assert_dec(&calls["quantity"], "1");
    assert_dec(&calls["partner_total"], "0.00");
    assert_dec(&calls["customer_total"], "0.00");

    let totals = &body["totals"];
    assert_eq!(keys(totals), ["customer", "list", "partner"]);
    assert_dec(&totals["list"], "100.00");
    assert_dec(&totals["partner"], "90.00");
    assert_dec(&totals["customer"], "94.50");
}

#[tokio::test]
async fn defaults_and_csp_nulls() {
    let app = TestApp::new();
    // program, currency, adjustment, kind and quantity all default.
    let answer = post_json(
        &app.router,
        QUOTE,
        &one_line(json!({ "discount_percent": "10" })),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["currency"], "USD");
    assert_dec(&body["customer_adjustment_percent"], "0");
    assert_dec(&body["lines"][0]["customer_price"], "90.00");

    let csp = json!({ "program": "csp", "lines": [ { "id": "a", "list_price": "200",
        "quantity": "3", "partner_pricing": { "margin_percent": "20" } } ] });
    let answer = post_json(&app.router, QUOTE, &csp).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(body["customer_adjustment_percent"], Value::Null);
    assert_eq!(body["max_customer_adjustment_percent"], Value::Null);
    assert_eq!(body["lines"][0]["customer_price"], Value::Null);
    assert_eq!(body["lines"][0]["customer_total"], Value::Null);
    assert_eq!(body["lines"][0]["net_discount_percent"], Value::Null);
    assert_dec(&body["lines"][0]["partner_total"], "480.00");
    assert_eq!(body["totals"]["customer"], Value::Null);
}

#[tokio::test]
async fn the_seed_solve_example() {
    let app = TestApp::new();
    let answer = post_json(
        &app.router,
        SOLVE,
        &json!({ "partner_price": "95.00", "target_customer_price": "105.00" }),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.text());
    let body = answer.json();
    assert_eq!(
        keys(&body),
        ["customer_adjustment_percent", "customer_price", "exact"]
    );
    assert_dec(&body["customer_adjustment_percent"], "10.52631579");
    assert_dec(&body["customer_price"], "105.00");
    assert_eq!(body["exact"], true);
}

#[tokio::test]
async fn health_answers_ok() {
    let app = TestApp::new();
    let answer = get(&app.router, "/api/health").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.json(), json!({ "status": "ok" }));
}

#[tokio::test]
async fn json_content_types_with_parameters_are_accepted() {
    let app = TestApp::new();
    for content_type in [
        "application/json; charset=utf-8",
        "Application/JSON",
        "application/vnd.offerdesk+json",
    ] {
        let answer = post_raw(
            &app.router,
            QUOTE,
            Some(content_type),
            spec_example().to_string(),
        )
        .await;
        assert_eq!(answer.status, StatusCode::OK, "{content_type}");
    }
}

// ---------------------------------------------------------------------------------------------
// Bodies that are not JSON, not JSON-typed, or too large.

#[tokio::test]
async fn malformed_json_is_400_in_our_shape() {
    let app = TestApp::new();
    for body in [
        "{\"lines\": [",
        "{} trailing",
        "",
        "{'program': 'csp'}",
        "\u{feff}{}",
    ] {
        for uri in [QUOTE, SOLVE] {
            let answer = post_raw(&app.router, uri, Some("application/json"), body).await;
            assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri} {body:?}");
            assert_eq!(answer.error_fields(), [""], "{body:?}");
        }
    }
    let deep = "[".repeat(100_000);
    let answer = post_raw(&app.router, QUOTE, Some("application/json"), deep).await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.error_fields(), [""]);
}

#[tokio::test]
async fn a_body_that_is_not_json_typed_is_415() {
    let app = TestApp::new();
    let body = spec_example().to_string();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("text/json"),
        None,
    ] {
        for uri in [QUOTE, SOLVE] {
            let answer = post_raw(&app.router, uri, content_type, body.clone()).await;
            assert_eq!(
                answer.status,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "{uri} {content_type:?}"
            );
            assert_eq!(answer.error_fields(), [""]);
        }
    }
}

/// A valid quote padded with spaces to exactly `size` bytes.
fn padded_quote(size: usize) -> String {
    let mut body = spec_example().to_string();
    assert!(body.len() <= size);
    body.push_str(&" ".repeat(size - body.len()));
    body
}

#[tokio::test]
async fn a_body_over_one_mebibyte_is_413_in_our_shape() {
    let app = TestApp::new();
    assert_eq!(MAX_BODY_BYTES, 1024 * 1024);

    let answer = post_raw(
        &app.router,
        QUOTE,
        Some("application/json"),
        padded_quote(MAX_BODY_BYTES),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK, "exactly 1 MiB is allowed");

    // Without a Content-Length header: refused while reading.
    let answer = post_raw(
        &app.router,
        QUOTE,
        Some("application/json"),
        padded_quote(MAX_BODY_BYTES + 1),
    )
    .await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_fields(), [""]);

    // With a declared length: refused before reading.
    let body = padded_quote(2 * MAX_BODY_BYTES);
    let request = Request::post(SOLVE)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, body.len())
        .body(Body::from(body))
        .unwrap();
    let answer = send(&app.router, request).await;
    assert_eq!(answer.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(answer.error_fields(), [""]);
}

// ---------------------------------------------------------------------------------------------
// 422: every problem, named by its JSON path.

async fn fields_of_422(router: &Router, uri: &str, body: &Value) -> Vec<String> {
    let answer = post_json(router, uri, body).await;
    assert_eq!(
        answer.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{body}: {}",
        answer.text()
    );
    answer.error_fields()
}

#[tokio::test]
async fn invalid_quotes_answer_422_on_each_field() {
    let app = TestApp::new();
    let line = |id: usize| json!({ "id": id.to_string(), "list_price": "1", "partner_pricing": { "absolute_price": "1" } });
    let with = |key: &str, value: Value| {
        let mut body = spec_example();
        body[key] = value;
        body
    };
    let with_line = |pointer: &str, value: Value| {
        let mut body = spec_example();
        *body.pointer_mut(pointer).unwrap() = value;
        body
    };
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "bad program",
            with("program", json!("reseller")),
            vec!["program"],
        ),
        (
            "bad currency",
            with("currency", json!("XYZ")),
            vec!["currency"],
        ),
        (
            "adjustment as a JSON number",
            with("customer_adjustment_percent", json!(5)),
            vec!["customer_adjustment_percent"],
        ),
        (
            "list price as a JSON number",
            with_line("/lines/0/list_price", json!(100.0)),
            vec!["lines[0].list_price"],
        ),
        (
            "quantity as a JSON number",
            with_line("/lines/0/quantity", json!(1)),
            vec!["lines[0].quantity"],
        ),
        (
            "discount as a JSON number",
            with_line("/lines/0/partner_pricing/discount_percent", json!(10)),
            vec!["lines[0].partner_pricing.discount_percent"],
        ),
        (
            "absolute price as a JSON number",
            with_line("/lines/1/partner_pricing/absolute_price", json!(0.0012)),
            vec!["lines[1].partner_pricing.absolute_price"],
        ),
        (
            "missing lines",
            json!({ "program": "multiparty" }),
            vec!["lines"],
        ),
        ("empty lines", json!({ "lines": [] }), vec!["lines"]),
        (
            "1,001 lines",
            json!({ "lines": (0..1001).map(line).collect::<Vec<_>>() }),
            vec!["lines"],
        ),
        (
            "duplicate ids",
            with_line("/lines/1/id", json!("pro")),
            vec!["lines[1].id"],
        ),
        (
            "no partner pricing",
            one_line(json!({})),
            vec!["lines[0].partner_pricing"],
        ),
        (
            "two partner pricings",
            one_line(json!({ "discount_percent": "10", "absolute_price": "90.00" })),
            vec!["lines[0].partner_pricing"],
        ),
        (
            "csp with an adjustment",
            json!({ "program": "csp", "customer_adjustment_percent": "5",
                    "lines": [ { "id": "a", "list_price": "10", "partner_pricing": { "margin_percent": "12" } } ] }),
            vec!["customer_adjustment_percent"],
        ),
        (
            "cap exceeded",
            with("customer_adjustment_percent", json!("10.00000001")),
            vec!["customer_adjustment_percent"],
        ),
        (
            "adjustment with 9 places",
            with("customer_adjustment_percent", json!("1.123456789")),
            vec!["customer_adjustment_percent"],
        ),
        (
            "flat price with 3 places",
            with_line("/lines/0/list_price", json!("100.001")),
            vec!["lines[0].list_price"],
        ),
        (
            "discount of 100",
            with_line("/lines/0/partner_pricing/discount_percent", json!("100")),
            vec!["lines[0].partner_pricing.discount_percent"],
        ),
        ("a body that is not an object", json!([]), vec![""]),
        (
            "several problems at once",
            json!({ "program": "nope", "currency": 1, "lines": [ { "id": "a", "list_price": "0",
                    "partner_pricing": { "discount_percent": "5" } }, "x" ] }),
            vec!["currency", "lines[1]", "program", "lines[0].list_price"],
        ),
    ];
    for (name, body, expected) in cases {
        assert_eq!(
            fields_of_422(&app.router, QUOTE, &body).await,
            expected,
            "{name}"
        );
    }
    // The cap itself is allowed.
    let answer = post_json(
        &app.router,
        QUOTE,
        &with("customer_adjustment_percent", json!("10")),
    )
    .await;
    assert_eq!(answer.status, StatusCode::OK);
}

#[tokio::test]
async fn invalid_solves_answer_422_on_each_field() {
    let app = TestApp::new();
    let cases: Vec<(&str, Value, Vec<&str>)> = vec![
        (
            "target below the partner price",
            json!({ "partner_price": "95.00", "target_customer_price": "94.99" }),
            vec!["target_customer_price"],
        ),
        (
            "partner price 0",
            json!({ "partner_price": "0", "target_customer_price": "1.00" }),
            vec!["partner_price"],
        ),
        (
            "prices as JSON numbers",
            json!({ "partner_price": 95, "target_customer_price": 105.0 }),
            vec!["partner_price", "target_customer_price"],
        ),
        (
            "csp has nothing to solve",
            json!({ "program": "csp", "partner_price": "95", "target_customer_price": "105" }),
            vec!["program"],
        ),
        (
            "missing target",
            json!({ "partner_price": "95" }),
            vec!["target_customer_price"],
        ),
        (
            "bad currency and kind",
            json!({ "currency": "BTC", "kind": "hourly", "partner_price": "95", "target_customer_price": "105" }),
            vec!["currency", "kind"],
        ),
    ];
    for (name, body, expected) in cases {
        assert_eq!(
            fields_of_422(&app.router, SOLVE, &body).await,
            expected,
            "{name}"
        );
    }
}

#[tokio::test]
async fn no_client_body_causes_a_server_error() {
    let app = TestApp::new();
    let bodies = [
        "null",
        "0",
        "1e999",
        "\"text\"",
        "true",
        "[]",
        "{\"lines\":\"x\"}",
        "{\"lines\":[null, 1, [], {}]}",
        "{\"lines\":[{\"partner_pricing\":[]}]}",
        "{\"lines\":[{\"id\":{},\"list_price\":[1],\"partner_pricing\":{\"discount_percent\":null}}]}",
        "{\"customer_adjustment_percent\":\"1e5\",\"lines\":[{\"id\":\"a\",\"list_price\":\"NaN\",\"partner_pricing\":{\"absolute_price\":\"-0\"}}]}",
        "{\"lines\":[{\"id\":\"a\",\"list_price\":\"79228162514264337593543950335\",\"quantity\":\"79228162514264337593543950335\",\"partner_pricing\":{\"discount_percent\":\"0.00000001\"}}]}",
        "{\"partner_price\":\"0.00000001\",\"target_customer_price\":\"79228162514264337593543950335\",\"kind\":\"usage\"}",
        "{\"currency\":\"JPY\",\"partner_price\":\"1\",\"target_customer_price\":\"1\"}",
    ];
    for body in bodies {
        for uri in [QUOTE, SOLVE] {
            let answer = post_raw(&app.router, uri, Some("application/json"), body).await;
            assert!(
                answer.status.is_success() || answer.status.is_client_error(),
                "{uri} {body}: {}",
                answer.status
            );
            answer.json();
        }
    }
}

#[tokio::test]
async fn a_mebibyte_of_empty_lines_is_refused_quickly() {
    let app = TestApp::new();
    let count = (MAX_BODY_BYTES - 20) / 3;
    let body = format!("{{\"lines\":[{}]}}", vec!["{}"; count].join(","));
    assert!(body.len() <= MAX_BODY_BYTES);
    let started = std::time::Instant::now();
    let answer = post_raw(&app.router, QUOTE, Some("application/json"), body).await;
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.error_fields(), ["lines"]);
    assert!(
        answer.text().contains(&count.to_string()),
        "{}",
        answer.text()
    );
    assert!(
        started.elapsed().as_secs() < 10,
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn the_largest_invalid_quote_answers_in_bounded_time() {
    let app = TestApp::new();
    // 1,000 lines, every leaf of the wrong type: the most problems a quote can report.
    let line = json!({ "id": 1, "kind": 1, "list_price": 1, "quantity": 1,
        "partner_pricing": { "discount_percent": 1, "margin_percent": 1, "absolute_price": 1 } });
    let body = json!({ "program": 1, "currency": 1, "customer_adjustment_percent": 1,
        "lines": vec![line; 1000] });
    let started = std::time::Instant::now();
    let answer = post_json(&app.router, QUOTE, &body).await;
    let elapsed = started.elapsed();
    assert_eq!(answer.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer.error_fields().len(), 3 + 7 * 1000);
    assert!(elapsed.as_secs() < 10, "took {elapsed:?}");
    eprintln!("1,000 invalid lines answered in {elapsed:?}");
}

// ---------------------------------------------------------------------------------------------
// Routing: the API never answers the page, the page answers every other path.

#[tokio::test]
async fn unknown_api_paths_and_methods_answer_json() {
    let app = TestApp::new();
    for uri in [
        "/api",
        "/api/",
        "/api/nope",
        "/api/v1/quote/extra",
        "/api/v2/quote",
    ] {
        let answer = get(&app.router, uri).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(answer.error_fields(), [""], "{uri}");
    }
    let answer = post_json(&app.router, "/api/v1/offers", &json!({})).await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(
        answer.text().contains("/api/v1/offers"),
        "{}",
        answer.text()
    );

    let answer = get(&app.router, QUOTE).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.headers[header::ALLOW], "POST");
    assert_eq!(answer.error_fields(), [""]);

    let request = Request::builder()
        .method(Method::DELETE)
        .uri("/api/health")
        .body(Body::empty())
        .unwrap();
    let answer = send(&app.router, request).await;
    assert_eq!(answer.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(answer.error_fields(), [""]);
}

#[tokio::test]
async fn each_client_route_gets_the_index_of_its_page_bundle() {
    let app = TestApp::new();
    let page = app.dir.path().join("dist");
    for bundle in [
        "customer",
        "partner",
        "partner-offer",
        "isv",
        "catalog",
        "csp-form",
        "csp-review",
        "cppo-form",
        "multiparty-form",
        "multiparty-terms",
        "multiparty-existing-plans",
        "multiparty-new-saas-plans",
        "multiparty-vm-reservations",
        "multiparty-review",
    ] {
        let dir = page.join("bundles").join(bundle);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("index.html"),
            format!("<!DOCTYPE html><title>{bundle}</title>"),
        )
        .unwrap();
        std::fs::write(dir.join("app.js"), format!("// {bundle}")).unwrap();
    }
    for (uri, bundle) in [
        ("/", None),
        ("/calculator", None),
        ("/sign-in?next=/partner/offers", None),
        ("/links/abc123", Some("customer")),
        ("/partner/offers", Some("partner")),
        ("/partner/offers/7", Some("partner-offer")),
        ("/offers", Some("isv")),
        ("/offers/multiparty/new", Some("multiparty-form")),
        ("/offers/multiparty/7/review", Some("multiparty-review")),
        (
            "/offers/multiparty/7/products/existing-plans",
            Some("multiparty-existing-plans"),
        ),
        (
            "/offers/multiparty/7/products/new-saas-plans",
            Some("multiparty-new-saas-plans"),
        ),
        (
            "/offers/multiparty/7/products/vm-reservations",
            Some("multiparty-vm-reservations"),
        ),
        ("/offers/multiparty/7/terms", Some("multiparty-terms")),
        ("/offers/csp/7", Some("csp-form")),
        ("/offers/csp/7/review", Some("csp-review")),
        ("/offers/cppo/new", Some("cppo-form")),
        ("/notifications", Some("isv")),
        ("/catalog", Some("catalog")),
        ("/offersx", None),
    ] {
        let answer = get(&app.router, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        let expected = bundle.map_or_else(
            || INDEX_HTML.to_owned(),
            |bundle| format!("<!DOCTYPE html><title>{bundle}</title>"),
        );
        assert_eq!(answer.text(), expected, "{uri}");
    }
    let answer = get(&app.router, "/bundles/partner/app.js").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.text(), "// partner");

    // The one "Product offers" page of before each pricing type had its own: a kept address
    // opens the offer's "Offer setup".
    let answer = get(&app.router, "/offers/multiparty/mpo_7/products").await;
    assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(
        answer.headers.get(header::LOCATION).unwrap(),
        "/offers/multiparty/mpo_7"
    );
}

#[tokio::test]
async fn client_routes_fall_back_to_the_page() {
    let app = TestApp::new();
    for uri in ["/", "/calculator", "/offers/42", "/index.html", "/apix"] {
        let answer = get(&app.router, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}");
        assert_eq!(answer.text(), INDEX_HTML, "{uri}");
        assert!(answer.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/html"));
        assert_eq!(answer.headers[header::CACHE_CONTROL], "no-cache", "{uri}");
    }
    let answer = get(&app.router, "/style.css").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.text(), "body { margin: 0 }");
    assert!(answer.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");

    // The database sits next to the page, never inside it: no path reaches it.
    for uri in [
        "/../offerdesk.db",
        "/%2e%2e/offerdesk.db",
        "/..%2fofferdesk.db",
    ] {
        let answer = get(&app.router, uri).await;
        assert!(!answer.body.starts_with(b"SQLite format"), "{uri}");
    }
}

/// `uri` asked for by a browser that takes `accept_encoding`.
async fn get_encoded(router: &Router, uri: &str, accept_encoding: &str) -> Answer {
    let request = Request::get(uri)
        .header(header::ACCEPT_ENCODING, accept_encoding)
        .body(Body::empty())
        .unwrap();
    send(router, request).await
}

#[tokio::test]
async fn the_page_goes_out_in_the_compressed_copy_the_browser_takes() {
    let app = TestApp::new();
    let page = app.dir.path().join("dist");
    let bundle = page.join("bundles").join("isv");
    std::fs::create_dir_all(&bundle).unwrap();
    let wasm = bundle.join("isv-1f2e3d4c5b6a7988_bg.wasm");
    std::fs::write(&wasm, b"\0asm as built").unwrap();
    std::fs::write(bundle.join("isv-1f2e3d4c5b6a7988_bg.wasm.gz"), b"gzip copy").unwrap();
    std::fs::write(
        bundle.join("isv-1f2e3d4c5b6a7988_bg.wasm.br"),
        b"brotli copy",
    )
    .unwrap();
    std::fs::write(page.join("index.html.gz"), b"gzip copy of the index").unwrap();

    let uri = "/bundles/isv/isv-1f2e3d4c5b6a7988_bg.wasm";
    for (accepts, encoding, body) in [
        ("gzip, deflate, br, zstd", Some("br"), &b"brotli copy"[..]),
        ("gzip", Some("gzip"), b"gzip copy"),
        ("br;q=0, gzip", Some("gzip"), b"gzip copy"),
        ("identity", None, b"\0asm as built"),
        ("zstd", None, b"\0asm as built"),
    ] {
        let answer = get_encoded(&app.router, uri, accepts).await;
        assert_eq!(answer.status, StatusCode::OK, "{accepts}");
        assert_eq!(answer.body, body, "{accepts}");
        assert_eq!(
            answer
                .headers
                .get(header::CONTENT_ENCODING)
                .map(|value| value.to_str().unwrap()),
            encoding,
            "{accepts}"
        );
        assert_eq!(answer.headers[header::CONTENT_TYPE], "application/wasm");
        assert_eq!(answer.headers[header::VARY], "accept-encoding", "{accepts}");
        // Named by its content's hash: the browser keeps it without asking again.
        assert_eq!(
            answer.headers[header::CACHE_CONTROL],
            "public, max-age=31536000, immutable"
        );
    }
    let answer = get(&app.router, uri).await;
    assert_eq!(answer.body, b"\0asm as built");
    assert!(!answer.headers.contains_key(header::CONTENT_ENCODING));

    // A client route answers with the index's compressed copy, still HTML and revalidated.
    let answer = get_encoded(&app.router, "/calculator", "gzip, br").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert_eq!(answer.body, b"gzip copy of the index");
    assert_eq!(answer.headers[header::CONTENT_ENCODING], "gzip");
    assert!(answer.headers[header::CONTENT_TYPE]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(answer.headers[header::CACHE_CONTROL], "no-cache");

    // A file without compressed copies goes out as it is; not named by a hash, it is not kept.
    let answer = get_encoded(&app.router, "/style.css", "gzip, br").await;
    assert_eq!(answer.text(), "body { margin: 0 }");
    assert!(!answer.headers.contains_key(header::CONTENT_ENCODING));
    assert!(!answer.headers.contains_key(header::CACHE_CONTROL));

    // A hashed name that is not in the build is the index (a client route), never kept.
    let answer = get(&app.router, "/bundles/isv/isv-0000ffff_bg.wasm").await;
    assert_eq!(answer.headers[header::CACHE_CONTROL], "no-cache");

    // The API's answers are not the page's files.
    let answer = get_encoded(&app.router, "/api/health", "gzip, br").await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(!answer.headers.contains_key(header::CONTENT_ENCODING));
    assert!(!answer.headers.contains_key(header::VARY));
}

#[tokio::test]
async fn a_missing_page_leaves_the_api_working() {
    let dir = TempDir::new();
    let store = SqliteStore::open(&dir.path().join("offerdesk.db")).unwrap();
    let router = app(AppState::new(store, dir.path().join("no-such-dist")));
    assert_eq!(get(&router, "/api/health").await.status, StatusCode::OK);
    assert_eq!(
        post_json(&router, QUOTE, &spec_example()).await.status,
        StatusCode::OK
    );
    assert_eq!(
        get(&router, "/calculator").await.status,
        StatusCode::NOT_FOUND
    );
}

// ---------------------------------------------------------------------------------------------
// The database file.

#[tokio::test]
async fn the_database_file_is_created_at_the_database_path() {
    let dir = TempDir::new();
    let path = dir.path().join("nested-name.db");
    assert!(!path.exists());
    let Ok(Command::Run(Config { database, .. })) =
        Command::parse(["--database".to_owned(), path.display().to_string()])
    else {
        panic!("--database should parse");
    };
    assert_eq!(database, path);

    let store = SqliteStore::open(&database).unwrap();
    assert!(path.is_file());
    let router = app(AppState::new(store, dir.path()));
    assert_eq!(get(&router, "/api/health").await.status, StatusCode::OK);
    drop(router);

    let connection = rusqlite::Connection::open(&path).unwrap();
    let mode: String = connection
        .query_row("PRAGMA journal_mode", [], |row| row.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let versions: Vec<i64> = connection
        .prepare("SELECT version FROM schema_migrations ORDER BY version")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    // Every migration, in order, once.
    let known: Vec<i64> = (1..=offerdesk_server::store::SCHEMA_VERSION).collect();
    assert_eq!(versions, known);
    drop(connection);

    // Opening again applies nothing twice.
    SqliteStore::open(&path).unwrap();
    let again = TestApp::new();
    assert!(again.dir.path().join("offerdesk.db").is_file());
}

#[test]
fn a_database_in_a_missing_directory_is_an_error_not_a_panic() {
    let dir = TempDir::new();
    let result = SqliteStore::open(&dir.path().join("missing").join("x.db"));
    assert!(result.is_err());
}
