//! SPEC "A crash at any moment loses no acknowledged write": the real binary is killed with
//! SIGKILL in the middle of a burst of 10,000 offer writes, started again on the same file, and
//! every write it acknowledged is there, whole; no offer is there half-written.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use offerdesk_core::multiparty::MultipartyOffer;
use offerdesk_server::demo::{DEMO_PASSWORD, FABRIKAM_SELLER_ID, TAILSPIN_BILLING_ACCOUNT_ID};
use serde_json::{json, Value};

const BINARY: &str = env!("CARGO_BIN_EXE_offerdesk");
/// The writes the burst sends, at most.
const BURST: usize = 10_000;
/// The server is killed once this many writes are acknowledged, mid-burst.
const KILL_AFTER: usize = 4_000;
/// Concurrent writers: enough that the server commits writes in groups.
const WRITERS: usize = 16;

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the binary with the demo data on `database`; answers it and its address.
fn start(database: &Path) -> (Server, String) {
    let child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(database)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut reader = BufReader::new(server.0.stdout.take().unwrap());
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let address = line
        .trim()
        .strip_prefix("Offer Desk is listening on http://")
        .unwrap_or_else(|| panic!("{line}"))
        .trim_end_matches('/')
        .to_owned();
    // Keep reading stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || {
        let mut sink = String::new();
        let _ = reader.read_to_string(&mut sink);
    });
    (server, address)
}

/// One HTTP/1.1 exchange; answers the status, the Set-Cookie value and the body, or `None`
/// when the connection fails (the server died).
fn http(
    address: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&Value>,
) -> Option<(u16, Option<String>, String)> {
    let mut stream = TcpStream::connect(address).ok()?;
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .ok()?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(&body);
    stream.write_all(request.as_bytes()).ok()?;
    let mut answer = String::new();
    stream.read_to_string(&mut answer).ok()?;
    let (head, body) = answer.split_once("\r\n\r\n")?;
    let status = head.split(' ').nth(1)?.parse().ok()?;
    let cookie = head
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .map(|value| value.split(';').next().unwrap_or_default().to_owned());
    Some((status, cookie, body.to_owned()))
}

fn sign_in(address: &str) -> String {
    let (status, cookie, body) = http(
        address,
        "POST",
        "/api/v1/session",
        None,
        Some(&json!({ "email": "isv@contoso.example", "password": DEMO_PASSWORD })),
    )
    .unwrap();
    assert_eq!(status, 200, "{body}");
    cookie.unwrap()
}

fn draft(name: &str) -> Value {
    json!({
        "name": name,
        "description": "",
        "customer": { "billing_account_id": TAILSPIN_BILLING_ACCOUNT_ID, "country": "US" },
        "selling_partner_seller_id": FABRIKAM_SELLER_ID,
        "products": [ { "pricing_type": "existing_plan", "offer_id": "contoso-analytics",
                        "plan_id": "pro", "partner_pricing": { "discount_percent": "10" } } ],
        "customer_start": { "start": "on_acceptance" },
        "customer_end": "2099-12-31",
        "accept_by": "2099-12-01",
        "terms": [],
        "notification_contacts": [],
        "sales_note": "",
        "renewal": false
    })
}

fn temp_dir() -> PathBuf {
    let path = std::env::temp_dir().join(format!("offerdesk-crash-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).unwrap();
    path
}

#[test]
fn sigkill_during_a_burst_of_writes_loses_no_acknowledged_write() {
    let dir = temp_dir();
    let database = dir.join("crash.db");
    let (mut server, address) = start(&database);
    let cookie = sign_in(&address);

    let acknowledged: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let sent = Arc::new(AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let writers: Vec<_> = (0..WRITERS)
        .map(|writer| {
            let (address, cookie) = (address.clone(), cookie.clone());
            let (acknowledged, sent, stop) = (acknowledged.clone(), sent.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let n = sent.fetch_add(1, Ordering::Relaxed);
                    if n >= BURST {
                        break;
                    }
                    let name = format!("Burst {writer}-{n}");
                    let Some((status, _, body)) = http(
                        &address,
                        "POST",
                        "/api/v1/multiparty-offers",
                        Some(&cookie),
                        Some(&draft(&name)),
                    ) else {
                        break;
                    };
                    if status == 201 {
                        let body: Value = serde_json::from_str(&body).unwrap();
                        let id = body["id"].as_str().unwrap().to_owned();
                        acknowledged.lock().unwrap().push((id, name));
                    }
                }
            })
        })
        .collect();
    // Kill the server mid-burst, with writes in flight.
    while acknowledged.lock().unwrap().len() < KILL_AFTER {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.0.kill().unwrap();
    let sent_at_kill = sent.load(Ordering::Relaxed);
    server.0.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= KILL_AFTER);
    assert!(
        sent_at_kill < BURST,
        "the burst ended before the kill ({sent_at_kill} sent)"
    );
    eprintln!(
        "killed after {} acknowledged of {sent_at_kill} sent (burst of {BURST})",
        acknowledged.len()
    );

    // Started again on the same file, every acknowledged offer is there as it was answered.
    let (server, address) = start(&database);
    let cookie = sign_in(&address);
    for (id, name) in &acknowledged {
        let (status, _, body) = http(
            &address,
            "GET",
            &format!("/api/v1/multiparty-offers/{id}"),
            Some(&cookie),
            None,
        )
        .unwrap();
        assert_eq!(status, 200, "{id}: {body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["offer"]["isv"]["name"], json!(name));
        assert_eq!(body["version"], 1);
    }
    drop(server);

    // No offer is half-written: every stored document reads back whole and matches its columns.
    let connection = rusqlite::Connection::open(&database).unwrap();
    let mut statement = connection
        .prepare("SELECT id, name, document, version FROM offers WHERE kind = 'multiparty'")
        .unwrap();
    let rows: Vec<(String, String, String, i64)> = statement
        .query_map([], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(rows.len() >= acknowledged.len());
    let integrity: String = connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .unwrap();
    assert_eq!(integrity, "ok");
    for (id, name, document, version) in rows {
        let offer: MultipartyOffer = serde_json::from_str(&document).unwrap();
        assert_eq!(offer.id, id);
        assert_eq!(offer.isv.name, name);
        assert!(version >= 1);
    }
    let _ = std::fs::remove_dir_all(dir);
}
