//! The HTTP surface: the JSON API under `/api` and the page for every other path.

use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use axum::Router;

use crate::error::AppError;
use crate::AppState;

pub mod catalog;
pub mod directory;
pub mod health;
pub mod offers;
pub mod offers_doc;
pub mod openapi;
pub mod page;
pub mod quote;
pub mod session;

/// Every `/api` endpoint, to be nested at `/api`. A wrong method answers a JSON 405 (with
/// `Allow`); an unknown path falls through to [`fallback`].
pub fn api() -> Router<AppState> {
    Router::new()
        .merge(health::routes())
        .merge(quote::routes())
        .merge(session::routes())
        .merge(offers::routes())
        .merge(catalog::routes())
        .merge(directory::routes())
        .merge(openapi::routes())
        // Applies to the routes above, so it must come after them.
        .method_not_allowed_fallback(method_not_allowed)
}

/// Whatever no route matched: a JSON 404 anywhere under `/api` (including `/api` and `/api/`),
/// the page everywhere else.
pub async fn fallback(page: page::Page, request: Request) -> Response {
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        return AppError::NotFound(format!("{} {path}", request.method())).into_response();
    }
    page.answer(request).await
}

async fn method_not_allowed() -> AppError {
    AppError::MethodNotAllowed
}
