//! The `offerdesk` binary itself: its flags, and a real start, request and graceful stop.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_offerdesk");

/// Kills the server if a test fails before stopping it.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!("offerdesk-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&path);
    std::fs::create_dir_all(&path).unwrap();
    path
}

#[test]
fn help_prints_usage_and_succeeds() {
    let output = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    for flag in [
        "--listen",
        "--database",
        "--static-dir",
        "--demo",
        "--clock-start",
    ] {
        assert!(stdout.contains(flag), "{stdout}");
    }
}

#[test]
fn a_bad_flag_prints_usage_and_exits_2() {
    for arguments in [&["--bogus"][..], &["--listen", "nowhere"], &["--database"]] {
        let output = Command::new(BINARY).args(arguments).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{arguments:?}");
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("Usage: offerdesk"), "{stderr}");
    }
}

#[test]
fn a_database_that_cannot_be_opened_exits_1_with_the_reason() {
    let dir = temp_dir("unopenable");
    let output = Command::new(BINARY)
        .arg("--database")
        .arg(dir.join("missing-dir").join("x.db"))
        .args(["--listen", "127.0.0.1:0"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("cannot open the database"), "{stderr}");
    let _ = std::fs::remove_dir_all(dir);
}

#[cfg(unix)]
#[test]
fn serves_over_tcp_and_stops_on_sigterm() {
    let dir = temp_dir("serve");
    let database = dir.join("served.db");
    let child = Command::new(BINARY)
        .args(["--listen", "127.0.0.1:0", "--database"])
        .arg(&database)
        .arg("--static-dir")
        .arg(dir.join("no-page"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut server = Server(child);
    let mut line = String::new();
    BufReader::new(server.0.stdout.as_mut().unwrap())
        .read_line(&mut line)
        .unwrap();
    let address = line
        .trim()
        .strip_prefix("Offer Desk is listening on http://")
        .and_then(|rest| rest.strip_suffix('/'))
        .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
        .to_owned();
    assert!(database.is_file());

    let mut stream = TcpStream::connect(&address).unwrap();
    write!(
        stream,
        "GET /api/health HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("{\"status\":\"ok\"}"), "{response}");

    let status = Command::new("kill")
        .args(["-TERM", &server.0.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = server.0.wait().unwrap();
    assert!(exit.success(), "a graceful stop exits 0, got {exit}");
    let _ = std::fs::remove_dir_all(dir);
}
