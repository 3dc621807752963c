//! `--demo`: the demo accounts and catalog go into an empty database once, sign in with the
//! printed password, and the binary prints the sign-ins at start-up.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use offerdesk_server::demo::{seed_accounts, sign_in_text, DEMO_PASSWORD, DEMO_SIGN_INS};
use offerdesk_server::{app, AppState, AuthSettings, SqliteStore, TestClock};
use serde_json::{json, Value};
use tower::ServiceExt;

fn state() -> AppState {
    let clock = Arc::new(TestClock::new("2026-11-23T18:00:00Z".parse().unwrap()));
    AppState::new(SqliteStore::open_in_memory().unwrap(), "/nonexistent")
        .with_clock(clock)
        .with_auth(AuthSettings::for_tests())
}

async fn call(
    router: &Router,
    method: Method,
    path: &str,
    body: Option<Value>,
    cookie: Option<&str>,
) -> (StatusCode, Option<String>, Value) {
    let mut request = Request::builder().method(method).uri(path);
    if let Some(cookie) = cookie {
        request = request.header(header::COOKIE, cookie);
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = router.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let cookie = response.headers().get(header::SET_COOKIE).map(|value| {
        value
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_owned()
    });
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let json = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    (status, cookie, json)
}

async fn sign_in(router: &Router, email: &str) -> String {
    let (status, cookie, body) = call(
        router,
        Method::POST,
        "/api/v1/session",
        Some(json!({ "email": email, "password": DEMO_PASSWORD })),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{email}: {body}");
    cookie.unwrap()
}

#[tokio::test]
async fn the_demo_goes_into_an_empty_database_once() {
    let state = state();
    let ids = seed_accounts(&state)
        .await
        .unwrap()
        .expect("an empty database is seeded");
    assert_ne!(ids.contoso, ids.fabrikam);
    assert_ne!(ids.tailspin_billing_account, ids.tailspin_aws_account);
    assert_eq!(seed_accounts(&state).await.unwrap(), None);

    let router = app(state);
    for (email, _) in DEMO_SIGN_INS {
        sign_in(&router, email).await;
    }
    let isv = sign_in(&router, "isv@contoso.example").await;
    let (_, _, catalog) = call(&router, Method::GET, "/api/v1/catalog", None, Some(&isv)).await;
    let offers = catalog["offers"].as_array().unwrap();
    assert_eq!(offers.len(), 2);
    assert_eq!(offers[0]["cloud_reseller"], true);
    let models: Vec<&str> = offers[0]["plans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|plan| plan["pricing"]["model"].as_str().unwrap())
        .collect();
    assert_eq!(models, ["flat_rate", "per_user", "flat_rate"]);
    assert!(!offers[0]["plans"][0]["meters"]
        .as_array()
        .unwrap()
        .is_empty());
    assert_eq!(offers[0]["plans"][2]["trial"], true);
    assert_eq!(offers[1]["offer_type"], "azure_virtual_machines");
    let points = offers[1]["plans"][0]["price_points"].as_array().unwrap();
    assert!(points
        .iter()
        .any(|point| point["id"] == "reservation:4 vCPU:one_year"));
    assert!(points
        .iter()
        .any(|point| point["id"] == "reservation:4 vCPU:three_years"));

    let (_, _, partners) = call(&router, Method::GET, "/api/v1/partners", None, Some(&isv)).await;
    assert_eq!(partners["total"], 2);
    assert_eq!(partners["partners"][0]["name"], "Fabrikam Resellers");
    assert_eq!(partners["partners"][1]["name"], "Northwind Partners");

    for email in ["partner@fabrikam.example", "partner@northwind.example"] {
        let cookie = sign_in(&router, email).await;
        let (_, _, organization) = call(
            &router,
            Method::GET,
            "/api/v1/organization",
            None,
            Some(&cookie),
        )
        .await;
        assert_eq!(
            organization["multiparty"]["submit"]["status"], "eligible",
            "{email}"
        );
    }
    let (_, _, northwind) = call(
        &router,
        Method::GET,
        "/api/v1/organization",
        None,
        Some(&sign_in(&router, "partner@northwind.example").await),
    )
    .await;
    assert_eq!(
        northwind["partner"]["uk_treaty_claim_expires_on"],
        "2027-11-23"
    );

    let reader = sign_in(&router, "reader@tailspin.example").await;
    let (_, _, session) = call(&router, Method::GET, "/api/v1/session", None, Some(&reader)).await;
    let roles: Vec<&str> = session["billing_accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|grant| grant["role"].as_str().unwrap())
        .collect();
    assert_eq!(roles, ["reader", "reader"]);
    assert_eq!(
        session["billing_accounts"][1]["account"]["marketplace"],
        "aws_account"
    );
}

#[test]
fn the_sign_in_text_names_every_demo_user_and_the_password() {
    let text = sign_in_text("http://127.0.0.1:8080/");
    assert!(text.contains("http://127.0.0.1:8080/"));
    assert!(text.contains(DEMO_PASSWORD));
    for (email, _) in DEMO_SIGN_INS {
        assert!(text.contains(email), "{email}");
    }
}

/// Kills the server if a test fails before it is stopped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with `--demo` on `database` and answers the lines it prints up to and
/// including the demo sign-ins.
fn start_demo(database: &std::path::Path) -> (Server, Vec<String>) {
    let child = Command::new(env!("CARGO_BIN_EXE_offerdesk"))
        .args(["--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(database)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut lines = Vec::new();
    let mut reader = BufReader::new(server.0.stdout.take().unwrap());
    for _ in 0..(2 + DEMO_SIGN_INS.len()) {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        lines.push(line.trim_end().to_owned());
    }
    (server, lines)
}

#[test]
fn the_binary_prints_the_url_and_the_demo_sign_ins_and_seeds_once() {
    let dir = std::env::temp_dir().join(format!("offerdesk-demo-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let database = dir.join("demo.db");
    for run in 0..2 {
        let (server, lines) = start_demo(&database);
        assert!(
            lines[0].starts_with("Offer Desk is listening on http://127.0.0.1:"),
            "{lines:?}"
        );
        assert!(lines[1].contains(DEMO_PASSWORD), "{lines:?}");
        assert!(lines[2].contains("isv@contoso.example"), "{lines:?}");
        drop(server);
        let connection = rusqlite::Connection::open(&database).unwrap();
        let organizations: i64 = connection
            .query_row("SELECT COUNT(*) FROM organizations", [], |row| row.get(0))
            .unwrap();
        assert_eq!(organizations, 4, "run {run}");
    }
    let _ = std::fs::remove_dir_all(dir);
}
