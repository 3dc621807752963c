//! End-to-end test support: the real server binary serving the built page, driven by headless
//! Chromium through chromedriver.
//!
//! ```ignore
//! mod support;
//!
//! #[tokio::test]
//! async fn a_person_can_do_something() {
//!     support::with_browser(|browser| async move {
//!         browser.goto("/calculator").await;
//!         let list_price = browser.input_by_label("List price").await;
//!         browser.type_text(&list_price, "100.00").await;
//!         assert_eq!(browser.read_output("Customer price").await, "105.00");
//!     })
//!     .await;
//! }
//! ```
//!
//! Every helper panics with a message that says what it waited for and where, so a failing test
//! reads like a bug report. Nothing here is skipped: a missing page, server or chromedriver fails
//! the test and says how to build it (`bash scripts/test.sh`).

// Each test binary compiles this module and uses only some of the helpers.
#![allow(dead_code)]

use std::fs::{self, File};
use std::future::Future;
use std::net::{SocketAddr, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use fantoccini::elements::Element;
use fantoccini::key::Key;
use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator};

/// The password of every demo sign-in (scripts/run.sh prints them).
pub const DEMO_PASSWORD: &str = "demo-password";
/// The demo ISV's user.
pub const DEMO_ISV: &str = "isv@contoso.example";

/// What an ISV form's save line says while its draft does not read yet and waits in the browser.
pub const KEPT_IN_THIS_BROWSER: &str =
    "Not saved yet: your changes are kept in this browser until the problems marked are fixed.";

/// How long a helper waits for the page to show something.
pub const WAIT: Duration = Duration::from_secs(10);
/// How long the server and chromedriver get to start answering.
const STARTUP: Duration = Duration::from_secs(30);
const POLL: Duration = Duration::from_millis(50);
const HOW_TO_BUILD: &str =
    "build the page and the server and install Chromium with `bash scripts/test.sh`";

/// Starts the server on a free port with a fresh database, chromedriver and a fresh headless
/// Chromium, runs `test` with a [`Browser`] on the app, then closes the browser session and stops
/// every process, also when `test` panics (the panic is then re-raised, and the temporary
/// directory with the screenshot, page HTML and logs is kept and named on stderr).
pub async fn with_browser<F, Fut>(test: F)
where
    F: FnOnce(Browser) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    let mut workdir = TempDir::new();
    let server = Server::start(&workdir);
    let base_url = server.base_url.clone();
    let server = Arc::new(Mutex::new(server));
    let driver = Chromedriver::start(&workdir);
    let client = driver.new_session(&workdir).await;
    let browser = Browser {
        client: client.clone(),
        base_url,
        server: server.clone(),
    };

    // A spawned task turns a panic in the test body into a value, so cleanup still runs.
    let outcome = tokio::spawn(test(browser.clone())).await;
    if outcome.is_err() {
        workdir.keep = true;
        browser.save_evidence(&workdir.path).await;
        eprintln!(
            "e2e: test failed at {}; screenshot, page HTML, server and chromedriver logs kept in {}",
            browser.current_url().await,
            workdir.path.display()
        );
    }
    if let Err(error) = client.close().await {
        eprintln!("e2e: closing the browser session failed: {error}");
    }
    drop(driver);
    drop(browser);
    drop(server);
    if workdir.keep {
        // The browser profile is large and tells nothing about the failure.
        let _ = fs::remove_dir_all(workdir.path.join("chromium-profile"));
    }
    drop(workdir);

    if let Err(error) = outcome {
        match error.try_into_panic() {
            Ok(panic) => std::panic::resume_unwind(panic),
            Err(error) => panic!("e2e: the test task did not finish: {error}"),
        }
    }
}

/// A headless Chromium session on the app under test. Cheap to clone.
#[derive(Clone)]
pub struct Browser {
    client: Client,
    base_url: String,
    server: Arc<Mutex<Server>>,
}

impl Browser {
    /// Stops the server and starts it again on the same address and database with `arguments`
    /// added to its command line, e.g. `["--clock-start", "2027-03-01T00:00:00Z"]`. The page
    /// stays open; its next request reaches the new server.
    pub async fn restart_server(&self, arguments: &[&str]) {
        self.server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .restart(arguments);
    }

    /// Stops the server, so the page's requests fail as they do offline, until
    /// [`Browser::start_server`].
    pub async fn stop_server(&self) {
        self.server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .stop();
    }

    /// Starts the stopped server again on the same address and database.
    pub async fn start_server(&self) {
        self.server
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .start_again(&[]);
    }

    /// Restarts the server (see [`Browser::restart_server`]) with its clock starting at
    /// `instant` (RFC 3339) and running on from there.
    pub async fn restart_server_at(&self, instant: &str) {
        self.restart_server(&["--clock-start", instant]).await;
    }

    /// Makes the page's requests to URLs that match any of `patterns` (`*` for any text) fail
    /// as a network error would, until called again with other patterns (none: nothing fails).
    pub async fn block_requests(&self, patterns: &[&str]) {
        self.dev_tools("Network.enable", serde_json::json!({}))
            .await;
        self.dev_tools(
            "Network.setBlockedURLs",
            serde_json::json!({ "urls": patterns }),
        )
        .await;
    }

    /// Sends a Chrome DevTools Protocol command to the page through chromedriver.
    async fn dev_tools(&self, command: &'static str, params: serde_json::Value) {
        self.client
            .issue_cmd(DevTools { command, params })
            .await
            .unwrap_or_else(|error| panic!("e2e: DevTools {command} failed: {error}"));
    }

    /// The underlying WebDriver client, for anything the helpers do not cover.
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// The absolute URL of `path` on the server under test, e.g. `url("/calculator")`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// Loads `path` (e.g. `"/"`, `"/calculator"`) as if typed into the address bar.
    pub async fn goto(&self, path: &str) {
        let url = self.url(path);
        self.client
            .goto(&url)
            .await
            .unwrap_or_else(|error| panic!("e2e: could not open {url}: {error}"));
    }

    /// The URL the browser is on now.
    pub async fn current_url(&self) -> String {
        self.client
            .current_url()
            .await
            .map(|url| url.to_string())
            .unwrap_or_else(|error| format!("<unknown: {error}>"))
    }

    /// Calls the JSON API from inside the page with `fetch`, so the browser's session cookie
    /// rides along (open a page of the app first). Answers the status and the body text.
    pub async fn fetch(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, String) {
        const SCRIPT: &str = r#"
            const [method, path, body, done] = arguments;
            const init = { method, headers: {} };
            if (body !== null) {
                init.headers["content-type"] = "application/json";
                init.body = JSON.stringify(body);
            }
            fetch(path, init)
                .then(async (response) => done([response.status, await response.text()]))
                .catch((error) => done([0, String(error)]));
        "#;
        let args = vec![
            serde_json::json!(method),
            serde_json::json!(path),
            body.unwrap_or(serde_json::Value::Null),
        ];
        let answer = self
            .client
            .execute_async(SCRIPT, args)
            .await
            .unwrap_or_else(|error| panic!("e2e: fetch {method} {path} failed: {error}"));
        let status = answer[0].as_u64().unwrap_or(0) as u16;
        let text = answer[1].as_str().unwrap_or_default().to_owned();
        (status, text)
    }

    /// The path part of the current URL, e.g. `"/calculator"`.
    pub async fn current_path(&self) -> String {
        let url = self
            .client
            .current_url()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not read the current URL: {error}"));
        url.path().to_owned()
    }

    /// Waits up to [`WAIT`] until `path` is the current path (after a click on a link).
    pub async fn wait_for_path(&self, path: &str) {
        let deadline = Instant::now() + WAIT;
        loop {
            let current = self.current_path().await;
            if current == path {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "e2e: timed out after {WAIT:?} waiting for path {path:?}; still on {current:?}"
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits up to [`WAIT`] for an element matching the CSS selector `css`.
    pub async fn wait_for(&self, css: &str) -> Element {
        self.wait_for_within(css, WAIT).await
    }

    /// Waits up to `timeout` for an element matching the CSS selector `css`.
    pub async fn wait_for_within(&self, css: &str, timeout: Duration) -> Element {
        match self
            .client
            .wait()
            .at_most(timeout)
            .every(POLL)
            .for_element(Locator::Css(css))
            .await
        {
            Ok(element) => element,
            Err(error) => panic!(
                "e2e: no element matches `{css}` after {timeout:?} on {}: {error}",
                self.current_url().await
            ),
        }
    }

    /// Waits up to [`WAIT`] until an element matching `css` shows exactly `text` (whitespace
    /// trimmed), e.g. the `<h1>` of the page a link leads to. Returns that element.
    pub async fn wait_for_text(&self, css: &str, text: &str) -> Element {
        let deadline = Instant::now() + WAIT;
        loop {
            let mut seen = Vec::new();
            for element in self.find_all(css).await {
                // The element may be replaced between finding and reading it: look again.
                let Ok(shown) = element.text().await else {
                    continue;
                };
                if normalize(&shown) == normalize(text) {
                    return element;
                }
                seen.push(shown);
            }
            if Instant::now() > deadline {
                panic!(
                    "e2e: timed out after {WAIT:?} waiting for `{css}` to show {text:?} on {}; it shows {seen:?}",
                    self.current_url().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Waits up to [`WAIT`] until the first element matching `css` shows each of `parts`
    /// somewhere in its text (a part of a page that fills in as its data arrives), and returns
    /// that text.
    pub async fn wait_for_text_containing(&self, css: &str, parts: &[&str]) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let shown = match self.client.find(Locator::Css(css)).await {
                Ok(element) => element.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            if parts.iter().all(|part| shown.contains(part)) {
                return shown;
            }
            if Instant::now() > deadline {
                let missing: Vec<&&str> = parts.iter().filter(|p| !shown.contains(**p)).collect();
                panic!("e2e: timed out after {WAIT:?} waiting for `{css}` to show {missing:?}; it shows {shown:?}");
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// The visible text of the first element matching `css`, waiting up to [`WAIT`] for it.
    pub async fn text(&self, css: &str) -> String {
        let element = self.wait_for(css).await;
        element
            .text()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not read the text of `{css}`: {error}"))
    }

    /// The form control (input, select, textarea, output) that the `<label>` showing `label`
    /// names with its `for` attribute, waiting up to [`WAIT`] for it. The label text is compared
    /// exactly after collapsing whitespace.
    pub async fn by_label(&self, label: &str) -> Element {
        let wanted = normalize(label);
        let deadline = Instant::now() + WAIT;
        loop {
            let mut seen = Vec::new();
            for candidate in self.find_all("label").await {
                let Ok(shown) = candidate.text().await else {
                    continue;
                };
                if normalize(&shown) != wanted {
                    seen.push(normalize(&shown));
                    continue;
                }
                let target = candidate
                    .attr("for")
                    .await
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| {
                        panic!("e2e: the label {label:?} has no `for` attribute naming its control")
                    });
                match self.client.find(Locator::Id(&target)).await {
                    Ok(control) => return control,
                    Err(error) => panic!(
                        "e2e: the label {label:?} points at id {target:?}, which is not on the page: {error}"
                    ),
                }
            }
            if Instant::now() > deadline {
                panic!(
                    "e2e: no <label> showing {label:?} after {WAIT:?} on {}; labels seen: {seen:?}",
                    self.current_url().await
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Signs in as the demo user `email` (password [`DEMO_PASSWORD`]) through the sign-in form
    /// the page shows, as a person would: types both fields and presses "Sign in".
    pub async fn sign_in_with_form(&self, email: &str) {
        let email_field = self.input_by_label("Email").await;
        self.type_text(&email_field, email).await;
        let password = self.input_by_label("Password").await;
        self.type_text(&password, DEMO_PASSWORD).await;
        self.wait_for("main button[type='submit']")
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not press Sign in: {error}"));
    }

    /// Opens `path` (which asks for a session), signs in there through the form as `email`,
    /// and waits until the page is back at `path`.
    pub async fn open_signed_in(&self, path: &str, email: &str) {
        self.goto(path).await;
        self.sign_in_with_form(email).await;
        self.wait_for_path(path.split('?').next().unwrap_or(path))
            .await;
    }

    /// Reloads the page, confirming the prompt about unsaved changes, and resumes the draft the
    /// form kept in this browser ("Resume unsaved draft").
    pub async fn reload_and_resume(&self) {
        let _ = self.client.execute("location.reload()", vec![]).await;
        let _ = self.client.accept_alert().await;
        self.wait_for_text("main button", "Resume unsaved draft")
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not press Resume unsaved draft: {error}"));
    }

    /// The input (or select, textarea) labelled `label`; see [`Browser::by_label`].
    pub async fn input_by_label(&self, label: &str) -> Element {
        self.by_label(label).await
    }

    /// The text shown now in the `<output>` labelled `label` (trimmed).
    pub async fn read_output(&self, label: &str) -> String {
        let output = self.by_label(label).await;
        let tag = output.tag_name().await.unwrap_or_default();
        assert_eq!(
            tag.to_ascii_lowercase(),
            "output",
            "e2e: the label {label:?} names a <{tag}>, not an <output>"
        );
        let text = output
            .text()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not read the output {label:?}: {error}"));
        text.trim().to_owned()
    }

    /// Waits up to [`WAIT`] until the `<output>` labelled `label` shows `expected` (results
    /// update as the page computes them). Returns what it showed last.
    pub async fn wait_for_output(&self, label: &str, expected: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            let shown = self.read_output(label).await;
            if shown == expected || Instant::now() > deadline {
                return shown;
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// Types `text` into `element` one key at a time, as a person does, so the page sees every
    /// intermediate value ("-", "-1", "-12", "-12.", ...). Clicks the element first for focus.
    pub async fn type_text(&self, element: &Element, text: &str) {
        element.click().await.unwrap_or_else(|error| {
            panic!("e2e: could not focus the field to type {text:?}: {error}")
        });
        for key in text.chars() {
            element
                .send_keys(&key.to_string())
                .await
                .unwrap_or_else(|error| panic!("e2e: typing {key:?} of {text:?} failed: {error}"));
        }
    }

    /// Chooses `date` (`YYYY-MM-DD`) in the `<input type="date">` `element` as its calendar
    /// does: the value changes and the page hears `input` and `change`.
    pub async fn choose_date(&self, element: &Element, date: &str) {
        const SCRIPT: &str = r#"
            const [field, date] = arguments;
            field.focus();
            field.value = date;
            field.dispatchEvent(new Event("input", { bubbles: true }));
            field.dispatchEvent(new Event("change", { bubbles: true }));
        "#;
        let field = serde_json::to_value(element)
            .unwrap_or_else(|error| panic!("e2e: a date field is not addressable: {error}"));
        self.client
            .execute(SCRIPT, vec![field, serde_json::json!(date)])
            .await
            .unwrap_or_else(|error| panic!("e2e: choosing the date {date} failed: {error}"));
    }

    /// Empties a text field with Backspace key presses, as a person does.
    pub async fn clear_by_keys(&self, element: &Element) {
        let value = self.value(element).await;
        element
            .click()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not focus the field to clear it: {error}"));
        element
            .send_keys(&Key::End)
            .await
            .unwrap_or_else(|error| panic!("e2e: pressing End failed: {error}"));
        for _ in value.chars() {
            element
                .send_keys(&Key::Backspace)
                .await
                .unwrap_or_else(|error| panic!("e2e: pressing Backspace failed: {error}"));
        }
    }

    /// The current `value` of an input (what a person sees in the field).
    pub async fn value(&self, element: &Element) -> String {
        element
            .prop("value")
            .await
            .unwrap_or_else(|error| panic!("e2e: could not read a field's value: {error}"))
            .unwrap_or_default()
    }

    /// Waits until the field labelled `label` shows `expected`, for a value the page fills after
    /// it starts (a saved draft read from the server, or one handed over by another page).
    pub async fn wait_for_value(&self, label: &str, expected: &str) {
        let field = self.input_by_label(label).await;
        let deadline = Instant::now() + WAIT;
        while self.value(&field).await != expected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(self.value(&field).await, expected, "{label}");
    }

    /// The button in the page's main content that shows `text`, once there is one.
    pub async fn button(&self, text: &str) -> Element {
        self.wait_for_text("main button", text).await
    }

    /// Clicks the button in the page's main content that shows `text`.
    pub async fn click_button(&self, text: &str) {
        self.button(text)
            .await
            .click()
            .await
            .unwrap_or_else(|error| panic!("e2e: could not click {text:?}: {error}"));
    }

    /// Waits until the button showing `text` is enabled (`true`) or disabled (`false`).
    pub async fn wait_enabled(&self, text: &str, enabled: bool) {
        let deadline = Instant::now() + WAIT;
        loop {
            let disabled = self.button(text).await.attr("disabled").await.unwrap();
            if disabled.is_none() == enabled {
                return;
            }
            if Instant::now() >= deadline {
                panic!("e2e: the {text:?} button never became enabled={enabled}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until an offer form's list of steps marks `step` ("Offer setup", "Product
    /// offers"...) as the page shown.
    pub async fn wait_for_step(&self, step: &str) {
        self.wait_for_text("main .steps li[aria-current='step']", step)
            .await;
    }

    /// The element's `aria-invalid` attribute: `Some("true")` while the page marks it invalid,
    /// `None` when the attribute is absent.
    pub async fn aria_invalid(&self, element: &Element) -> Option<String> {
        element
            .attr("aria-invalid")
            .await
            .unwrap_or_else(|error| panic!("e2e: could not read aria-invalid: {error}"))
    }

    async fn find_all(&self, css: &str) -> Vec<Element> {
        self.client
            .find_all(Locator::Css(css))
            .await
            .unwrap_or_else(|error| panic!("e2e: looking for `{css}` failed: {error}"))
    }

    /// Writes what the browser showed into `dir`, for a failed test.
    async fn save_evidence(&self, dir: &Path) {
        if let Ok(png) = self.client.screenshot().await {
            let _ = fs::write(dir.join("screenshot.png"), png);
        }
        if let Ok(html) = self.client.source().await {
            let _ = fs::write(dir.join("page.html"), html);
        }
    }
}

/// A Chrome DevTools Protocol command, sent through chromedriver's `goog/cdp/execute`.
#[derive(Debug)]
struct DevTools {
    command: &'static str,
    params: serde_json::Value,
}

impl WebDriverCompatibleCommand for DevTools {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = serde_json::json!({ "cmd": self.command, "params": self.params });
        (http::Method::POST, Some(body.to_string()))
    }
}

fn normalize(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The repository root (the root package's manifest directory): as `cargo test` names it when it
/// runs the test, else where the test was compiled. A test binary that cargo reuses for another
/// checkout of the same sources (one `CARGO_TARGET_DIR` for both) then reads that checkout's page.
pub fn repo_root() -> PathBuf {
    std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")))
}

/// Cargo's target directory: `CARGO_TARGET_DIR` (relative to the repo root) or `<repo>/target`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => repo_root().join(dir),
        None => repo_root().join("target"),
    }
}

/// The server binary: `OFFERDESK_BIN`, else `<target>/debug/offerdesk`, else
/// `<target>/release/offerdesk`.
pub fn server_binary() -> PathBuf {
    if let Some(bin) = std::env::var_os("OFFERDESK_BIN") {
        let bin = PathBuf::from(bin);
        assert!(
            bin.is_file(),
            "e2e: OFFERDESK_BIN is {}, which is not a file",
            bin.display()
        );
        return bin;
    }
    let candidates = [
        target_dir().join("debug/offerdesk"),
        target_dir().join("release/offerdesk"),
    ];
    candidates
        .iter()
        .find(|path| path.is_file())
        .cloned()
        .unwrap_or_else(|| {
            panic!(
                "e2e: the server binary is missing (looked for OFFERDESK_BIN, {} and {}); {HOW_TO_BUILD}",
                candidates[0].display(),
                candidates[1].display()
            )
        })
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("e2e: no free local port")
}

/// A directory of its own for one test: database, browser profile, logs. Removed on drop unless
/// `keep` is set (a failed test keeps it for a look).
struct TempDir {
    path: PathBuf,
    keep: bool,
}

impl TempDir {
    fn new() -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|elapsed| elapsed.subsec_nanos())
            .unwrap_or_default();
        let path = std::env::temp_dir().join(format!(
            "offerdesk-e2e-{}-{}-{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        fs::create_dir_all(&path)
            .unwrap_or_else(|error| panic!("e2e: cannot create {}: {error}", path.display()));
        TempDir { path, keep: false }
    }

    fn log_file(&self, name: &str) -> (File, PathBuf) {
        let path = self.path.join(name);
        let file = File::create(&path)
            .unwrap_or_else(|error| panic!("e2e: cannot create {}: {error}", path.display()));
        (file, path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if !self.keep {
            let _ = fs::remove_dir_all(&self.path);
        }
    }
}

/// The server under test; killed on drop.
struct Server {
    child: Child,
    base_url: String,
    address: SocketAddr,
    database: PathBuf,
    log_path: PathBuf,
}

impl Server {
    fn start(workdir: &TempDir) -> Self {
        let address = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let (_, log_path) = workdir.log_file("server.log");
        let database = workdir.path.join("e2e.db");
        let child = Server::spawn(address, &database, &log_path, &[]);
        let mut server = Server {
            child,
            base_url: format!("http://{address}"),
            address,
            database,
            log_path,
        };
        server.wait_until_healthy();
        server
    }

    /// Stops the server and starts it again on the same address and database with `arguments`
    /// added; its log goes on in the same file.
    fn restart(&mut self, arguments: &[&str]) {
        self.stop();
        self.start_again(arguments);
    }

    fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn start_again(&mut self, arguments: &[&str]) {
        self.child = Server::spawn(self.address, &self.database, &self.log_path, arguments);
        self.wait_until_healthy();
    }

    fn spawn(address: SocketAddr, database: &Path, log_path: &Path, arguments: &[&str]) -> Child {
        let bin = server_binary();
        let dist = repo_root().join("dist");
        assert!(
            dist.join("index.html").is_file(),
            "e2e: the page is not built ({} is missing); {HOW_TO_BUILD}",
            dist.join("index.html").display()
        );
        let log = fs::OpenOptions::new()
            .append(true)
            .open(log_path)
            .unwrap_or_else(|error| panic!("e2e: cannot open {}: {error}", log_path.display()));
        let log_for_stderr = log.try_clone().expect("e2e: cannot share the server log");
        Command::new(&bin)
            .arg("--listen")
            .arg(address.to_string())
            .arg("--database")
            .arg(database)
            .arg("--static-dir")
            .arg(&dist)
            // Every test starts from the demo organizations, people and catalog.
            .arg("--demo")
            // Submitted offers publish at the worker's next pass, so a test waits a moment only.
            .arg("--publish-delay-seconds")
            .arg("0")
            .arg("--worker-interval-ms")
            .arg("100")
            .args(arguments)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_for_stderr)
            .spawn()
            .unwrap_or_else(|error| panic!("e2e: cannot start {}: {error}", bin.display()))
    }

    fn wait_until_healthy(&mut self) {
        let (address, bin, log_path) = (self.address, server_binary(), self.log_path.clone());
        let log_path = log_path.as_path();
        let deadline = Instant::now() + STARTUP;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!(
                    "e2e: the server {} exited ({status}) before answering /api/health; its log:\n{}",
                    bin.display(),
                    tail(log_path)
                );
            }
            if http_status_blocking(address, "/api/health") == Some(200) {
                return;
            }
            if Instant::now() > deadline {
                panic!(
                    "e2e: the server {} did not answer 200 on http://{address}/api/health within {STARTUP:?}; its log:\n{}",
                    bin.display(),
                    tail(log_path)
                );
            }
            std::thread::sleep(POLL);
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver in a process group of its own, so that dropping it also stops every Chromium
/// process it started, even when the session was never closed.
struct Chromedriver {
    child: Child,
    url: String,
    log_path: PathBuf,
}

impl Chromedriver {
    fn start(workdir: &TempDir) -> Self {
        let bin = chromedriver_binary();
        let port = free_port();
        let (log, log_path) = workdir.log_file("chromedriver.log");
        let log_for_stderr = log
            .try_clone()
            .expect("e2e: cannot share the chromedriver log");
        let child = Command::new(&bin)
            .arg(format!("--port={port}"))
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(log_for_stderr)
            .process_group(0)
            .spawn()
            .unwrap_or_else(|error| panic!("e2e: cannot start {}: {error}", bin.display()));
        let mut driver = Chromedriver {
            child,
            url: format!("http://127.0.0.1:{port}"),
            log_path,
        };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + STARTUP;
        while http_status_blocking(address, "/status") != Some(200) {
            if let Ok(Some(status)) = driver.child.try_wait() {
                panic!(
                    "e2e: chromedriver exited ({status}) before it was ready; its log:\n{}",
                    tail(&driver.log_path)
                );
            }
            if Instant::now() > deadline {
                panic!("e2e: chromedriver was not ready within {STARTUP:?}");
            }
            std::thread::sleep(POLL);
        }
        driver
    }

    async fn new_session(&self, workdir: &TempDir) -> Client {
        let chromium = chromium_binary();
        let profile = workdir.path.join("chromium-profile");
        let capabilities = serde_json::json!({
            "goog:chromeOptions": {
                "binary": chromium,
                "args": [
                    "--headless=new",
                    "--no-sandbox",
                    "--disable-gpu",
                    "--disable-dev-shm-usage",
                    "--window-size=1200,800",
                    "--disable-background-networking",
                    "--disable-component-update",
                    "--disable-sync",
                    "--no-first-run",
                    "--disable-quic",
                    format!("--user-data-dir={}", profile.display()),
                ],
            }
        });
        let serde_json::Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal is an object")
        };
        ClientBuilder::rustls()
            .expect("e2e: cannot set up the WebDriver HTTP client")
            .capabilities(capabilities)
            .connect(&self.url)
            .await
            .unwrap_or_else(|error| {
                panic!(
                    "e2e: chromedriver could not start Chromium ({chromium}): {error}; chromedriver log:\n{}",
                    tail(&self.log_path)
                )
            })
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The negative pid names the whole process group: chromedriver and its Chromium.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// chromedriver from `CHROMEDRIVER`, else PATH, else `/usr/bin/chromedriver`.
fn chromedriver_binary() -> PathBuf {
    let bin = std::env::var_os("CHROMEDRIVER")
        .map(PathBuf::from)
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .map(|dir| dir.join("chromedriver"))
                .find(|candidate| candidate.is_file())
        })
        .unwrap_or_else(|| PathBuf::from("/usr/bin/chromedriver"));
    assert!(
        bin.is_file(),
        "e2e: chromedriver is not installed (looked for CHROMEDRIVER, PATH and {}); {HOW_TO_BUILD}",
        bin.display()
    );
    bin
}

/// Chromium from `CHROMIUM`, else `/usr/bin/chromium`.
fn chromium_binary() -> String {
    let bin = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".to_owned());
    assert!(
        Path::new(&bin).is_file(),
        "e2e: Chromium is not installed at {bin}; {HOW_TO_BUILD}"
    );
    bin
}

/// The HTTP status of `GET path` on `address`, or `None` while nothing answers. Blocking, with
/// short timeouts: it only polls during startup.
fn http_status_blocking(address: SocketAddr, path: &str) -> Option<u16> {
    use std::io::{Read, Write};
    let mut stream =
        std::net::TcpStream::connect_timeout(&address, Duration::from_millis(500)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(2))).ok()?;
    stream
        .set_write_timeout(Some(Duration::from_secs(2)))
        .ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut head = [0u8; 64];
    let read = stream.read(&mut head).ok()?;
    parse_status(&head[..read])
}

fn parse_status(head: &[u8]) -> Option<u16> {
    let line = std::str::from_utf8(head).ok()?;
    let mut parts = line.split_whitespace();
    parts
        .next()
        .filter(|version| version.starts_with("HTTP/"))?;
    parts.next()?.parse().ok()
}

/// The last lines of a log file, for failure messages.
fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(40);
    if lines.is_empty() {
        "(nothing logged)".to_owned()
    } else {
        lines[start..].join("\n")
    }
}
