//! `GET /api/health`: the server is up and its database answers.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use serde::Serialize;

use crate::error::AppError;
use crate::reply::Json;
use crate::AppState;

/// The body of a healthy answer.
#[derive(Debug, Serialize)]
pub struct Health {
    /// Always `"ok"`; an unhealthy server answers 503 instead.
    pub status: &'static str,
}

/// `/health`, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/health", get(health))
}

async fn health(State(state): State<AppState>) -> Result<Json<Health>, AppError> {
    state.store.health().await.map_err(AppError::Unavailable)?;
    Ok(Json(Health { status: "ok" }))
}
