//! Customer links: `GET /links/{token}` shows the customer projection without sign-in; `POST
//! /links/{token}/accept` accepts as a signed-in customer user. Only the token's SHA-256 is
//! stored; an unknown token answers 404 and reveals nothing.

use serde_json::{json, Value};

use super::{hash_token, multiparty, today, unavailable, Computed};
use crate::auth::Caller;
use crate::error::AppError;
use crate::store::offers::{LinkTarget, OfferKind};
use crate::AppState;

const UNKNOWN: AppError = AppError::NoSuch("offer at this link");

async fn target(state: &AppState, token: &str) -> Result<LinkTarget, AppError> {
    // A token is 43 base64url characters; anything far from that is not one of ours.
    if token.is_empty() || token.len() > 128 {
        return Err(UNKNOWN);
    }
    state
        .store
        .link(hash_token(token))
        .await
        .map_err(unavailable)?
        .ok_or(UNKNOWN)
}

/// `GET /links/{token}`: the customer's projection (no sign-in).
pub async fn show(state: &AppState, token: &str) -> Result<Value, AppError> {
    let LinkTarget { offer, revoked } = target(state, token).await?;
    let today = today(state);
    match offer.kind {
        OfferKind::Multiparty => {
            let loaded = multiparty::load(state, &offer.id).await?;
            let view = multiparty::link_view(&loaded, revoked, today)?;
            Ok(json!({ "program": "multiparty", "offer": view }))
        }
        OfferKind::CppoBuyerOffer => super::cppo::link_view(state, &offer, revoked).await,
        _ => Err(UNKNOWN),
    }
}

/// `GET /links/{token}/terms/{index}`: a terms document of the offer at the link.
pub async fn terms(
    state: &AppState,
    token: &str,
    index: usize,
) -> Result<axum::response::Response, AppError> {
    let LinkTarget { offer, revoked } = target(state, token).await?;
    if offer.kind != OfferKind::Multiparty {
        return Err(AppError::NoSuch("terms document"));
    }
    let loaded = multiparty::load(state, &offer.id).await?;
    super::documents::link_terms(state, &loaded, revoked, index).await
}

/// `POST /links/{token}/accept`: the signed-in customer accepts.
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    token: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let LinkTarget { offer, revoked } = target(state, token).await?;
    let today = today(state);
    match offer.kind {
        OfferKind::Multiparty => {
            let loaded = multiparty::load(state, &offer.id).await?;
            multiparty::accept(loaded, caller, revoked, today)
        }
        OfferKind::CppoBuyerOffer => {
            super::cppo::accept(state, caller, &offer, revoked, body).await
        }
        _ => Err(UNKNOWN),
    }
}
