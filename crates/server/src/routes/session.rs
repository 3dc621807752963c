//! `/api/v1/session`: sign in (POST), who am I (GET), sign out (DELETE).

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::auth::{
    came_over_https, cleared_cookie, new_session_token, session_cookie, session_token, token_hash,
    AttemptKey, Caller, ClientAddress, SESSION_HOURS,
};
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::reply::Json;
use crate::store::accounts::NewSession;
use crate::AppState;

/// Longest password checked; a longer one only costs hashing time, so it is simply wrong.
const MAX_PASSWORD_CHARS: usize = 1024;

/// `/v1/session`, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/session", get(current).post(sign_in).delete(sign_out))
}

pub use offerdesk_core::account::{OrganizationSummary, SessionView, SignIn, UserView};

impl From<Caller> for SessionView {
    fn from(caller: Caller) -> Self {
        SessionView {
            user: UserView {
                id: caller.user_id,
                email: caller.email,
                name: caller.user_name,
            },
            organization: OrganizationSummary {
                id: caller.organization_id,
                name: caller.organization_name,
                kind: caller.organization_kind,
            },
            billing_accounts: caller.billing_accounts,
        }
    }
}

/// `GET /api/v1/session`: the caller, or 401.
async fn current(caller: Caller) -> Json<SessionView> {
    Json(caller.into())
}

/// `POST /api/v1/session`: 200 and a session cookie, 401 for a wrong email or password (the
/// same answer for both), 429 after too many failures for the account or the address.
async fn sign_in(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    JsonBody(body): JsonBody<SignIn>,
) -> Result<Response, AppError> {
    body.validate().map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let mut keys = vec![AttemptKey::Account(body.email.trim().to_lowercase())];
    keys.extend(address.map(AttemptKey::Address));
    if let Some(seconds) = state.auth.limiter.retry_after(&keys, now) {
        return Err(AppError::TooManyAttempts(seconds));
    }
    let credentials = state
        .store
        .user_credentials(body.email.trim().to_owned())
        .await?;
    let passwords = state.auth.passwords.clone();
    let stored = credentials
        .as_ref()
        .map(|found| found.password_hash.clone());
    let password = body.password;
    let matches = tokio::task::spawn_blocking(move || {
        password.chars().count() <= MAX_PASSWORD_CHARS
            && passwords.verify(&password, stored.as_deref())
    })
    .await
    .map_err(|error| AppError::Internal(format!("password check failed: {error}")))?;
    let user_id = match credentials {
        Some(found) if matches => found.user_id,
        _ => {
            state.auth.limiter.record_failure(&keys, now);
            return Err(AppError::WrongCredentials);
        }
    };
    state.auth.limiter.forget(&keys[0]);
    let token = new_session_token()?;
    state
        .store
        .create_session(NewSession {
            token_hash: token_hash(&token),
            user_id,
            created_at: now,
            expires_at: now + chrono::Duration::hours(SESSION_HOURS),
        })
        .await?;
    let caller = state
        .store
        .caller(user_id)
        .await?
        .ok_or_else(|| AppError::Internal("a user vanished while signing in".into()))?;
    let secure = came_over_https(&headers, state.auth.secure_cookies);
    Ok(with_cookie(
        Json(SessionView::from(caller)).into_response(),
        &session_cookie(&token, secure),
    ))
}

/// `DELETE /api/v1/session`: ends the session, if any, and clears the cookie; 204 either way.
/// It takes no body; one of another type than JSON answers 415.
async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    if headers.contains_key(header::CONTENT_TYPE) && !crate::extract::is_json(&headers) {
        return Err(AppError::UnsupportedMediaType);
    }
    if let Some(token) = session_token(&headers) {
        state.store.delete_session(token_hash(&token)).await?;
    }
    let secure = came_over_https(&headers, state.auth.secure_cookies);
    Ok(with_cookie(
        StatusCode::NO_CONTENT.into_response(),
        &cleared_cookie(secure),
    ))
}

fn with_cookie(mut response: Response, cookie: &str) -> Response {
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(cookie) {
        headers.insert(header::SET_COOKIE, value);
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}
