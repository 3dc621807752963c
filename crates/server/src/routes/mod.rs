//! The HTTP surface: the JSON API under `/api` and the page for every other path.

use axum::extract::OriginalUri;
use axum::http::Method;
use axum::Router;

use crate::error::AppError;
use crate::AppState;

pub mod health;
pub mod page;
pub mod quote;

/// Every `/api` endpoint, to be nested at `/api`. Unknown paths and methods answer JSON 404 and
/// 405, never the page.
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(health::routes())
        .merge(quote::routes())
        // Applies to the routes above, so it must come after them.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}

async fn not_found(method: Method, OriginalUri(uri): OriginalUri) -> AppError {
    AppError::NotFound(format!("{method} {}", uri.path()))
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
