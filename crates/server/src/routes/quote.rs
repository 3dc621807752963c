//! SPEC "Quote API": price an offer, or solve the adjustment for a target price, without saving
//! anything. The core validates and prices; this file only carries JSON in and out.

use axum::routing::post;
use axum::Router;
use offerdesk_core::quote::{quote_json, solve_json, QuoteResponse, SolveResponse};
use offerdesk_core::FieldError;
use serde_json::Value;

use crate::error::AppError;
use crate::extract::JsonBody;
use crate::reply::Json;
use crate::AppState;

/// `/v1/quote` and `/v1/quote/solve`, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/quote", post(quote))
        .route("/v1/quote/solve", post(solve))
}

/// `POST /api/v1/quote`: 200 with the priced quote, or 422 with every problem.
async fn quote(JsonBody(body): JsonBody<Value>) -> Result<Json<QuoteResponse>, AppError> {
    Ok(Json(off_the_workers(move || quote_json(&body)).await?))
}

/// `POST /api/v1/quote/solve`: 200 with the adjustment, or 422 with every problem.
async fn solve(JsonBody(body): JsonBody<Value>) -> Result<Json<SolveResponse>, AppError> {
    Ok(Json(off_the_workers(move || solve_json(&body)).await?))
}

/// Runs the core on a blocking thread: the largest quote takes milliseconds of CPU, which an
/// async worker must not spend.
async fn off_the_workers<T, F>(work: F) -> Result<T, AppError>
where
    T: Send + 'static,
    F: FnOnce() -> Result<T, Vec<FieldError>> + Send + 'static,
{
    let answer = tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| AppError::Internal(format!("the pricing core failed: {error}")))?;
    answer.map_err(AppError::Invalid)
}
