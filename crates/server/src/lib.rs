//! Offer Desk's JSON API server: the authority over prices and offers. [`app`] builds the whole
//! HTTP surface from an [`AppState`], so tests drive it with `oneshot`, without a socket.

use std::any::Any;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue};
use axum::middleware::map_response;
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::trace::{DefaultMakeSpan, DefaultOnResponse, TraceLayer};

pub mod auth;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod demo;
pub mod directory;
pub mod error;
pub mod extract;
pub mod offers;
pub mod reply;
pub mod routes;
pub mod store;
pub mod worker;

pub use auth::{AuthSettings, Caller};
pub use clock::{Clock, StartedClock, SystemClock, TestClock};
pub use error::AppError;
pub use extract::{JsonBody, MAX_BODY_BYTES};
pub use store::{AccountStore, SqliteStore, Store, StoreError};

/// What every request can reach.
#[derive(Clone)]
pub struct AppState {
    /// The database.
    pub store: Arc<dyn Store>,
    /// The built page, served for every path outside `/api`.
    pub static_dir: PathBuf,
    /// The time, as sessions and the offer lifecycle see it.
    pub clock: Arc<dyn Clock>,
    /// Passwords, failed sign-in limits, cookie flags.
    pub auth: Arc<AuthSettings>,
    /// How long publishing takes an In Progress offer (SPEC: a configurable delay).
    pub publish_delay: std::time::Duration,
}

impl AppState {
    /// State over `store`, serving the page from `static_dir`, on the system clock, with
    /// standard password hashing.
    pub fn new(store: impl Store, static_dir: impl Into<PathBuf>) -> AppState {
        AppState {
            store: Arc::new(store),
            static_dir: static_dir.into(),
            clock: Arc::new(SystemClock),
            auth: Arc::new(AuthSettings::default()),
            publish_delay: std::time::Duration::from_secs(config::DEFAULT_PUBLISH_DELAY_SECONDS),
        }
    }

    /// The same state on another clock (tests set the time).
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> AppState {
        self.clock = clock;
        self
    }

    /// The same state with other sign-in settings.
    pub fn with_auth(mut self, auth: AuthSettings) -> AppState {
        self.auth = Arc::new(auth);
        self
    }

    /// The same state publishing after `delay`.
    pub fn with_publish_delay(mut self, delay: std::time::Duration) -> AppState {
        self.publish_delay = delay;
        self
    }
}

/// The whole server: `/api/...` answers JSON only; every other path serves the page.
pub fn app(state: AppState) -> Router {
    let page = routes::page::service(&state.static_dir);
    Router::new()
        .nest("/api", routes::api())
        .fallback(move |request| routes::fallback(page.clone(), request))
        .with_state(state)
        // JsonBody enforces the limit itself; this holds any other body extractor to it too.
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        // A panic is a bug, but it still answers our JSON 500 rather than a dropped connection.
        .layer(CatchPanicLayer::custom(panic_response))
        .layer(map_response(set_headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(DefaultMakeSpan::new().level(tracing::Level::INFO))
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
}

/// HTML is revalidated on every load, so a new build shows at once; no response is sniffed.
async fn set_headers(mut response: Response) -> Response {
    let headers = response.headers_mut();
    let is_html = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/html"));
    if is_html {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("a panic without a message");
    AppError::Internal(format!("handler panicked: {detail}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_answers_json_500_without_its_message() {
        let response = panic_response(Box::new("boom at secret.rs:1"));
        assert_eq!(
            response.status(),
            axum::http::StatusCode::INTERNAL_SERVER_ERROR
        );
        assert_eq!(
            response.headers()[header::CONTENT_TYPE],
            HeaderValue::from_static("application/json")
        );
    }
}
