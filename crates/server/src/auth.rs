//! Who is calling: passwords (argon2id), session cookies, the [`Caller`] extractor and the
//! in-memory limit on failed sign-ins.
//!
//! A session is a random 256-bit token in the `offerdesk_session` cookie (HttpOnly,
//! SameSite=Strict, Path=/, Secure over https); the store keeps only its SHA-256. Sessions expire
//! a fixed [`SESSION_HOURS`] after sign-in (not sliding: no write per request, and a stolen
//! cookie dies on schedule).

use std::collections::{HashMap, VecDeque};
use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use axum::extract::{ConnectInfo, FromRef, FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use offerdesk_core::party::{BillingAccountRole, PartnerProfile};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::store::accounts::PartyKind;
use crate::AppState;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "offerdesk_session";
/// How long a session lasts after sign-in.
pub const SESSION_HOURS: i64 = 12;
/// Failed sign-ins allowed per account and per client address within [`FAILURE_WINDOW_MINUTES`].
pub const MAX_FAILED_SIGN_INS: usize = 5;
/// The window over which failed sign-ins are counted.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

/// The signed-in person behind a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    /// The user.
    pub user_id: i64,
    /// The user's sign-in email.
    pub email: String,
    /// The user's name.
    pub user_name: String,
    /// The organization the user acts for.
    pub organization_id: i64,
    /// Its company name.
    pub organization_name: String,
    /// ISV, partner, both, or customer (core's `OrganizationKind` has no customer).
    pub organization_kind: PartyKind,
    /// The organization's partner attributes, for a partner ([`offerdesk_core::Viewer::Partner`]).
    pub partner: Option<PartnerProfile>,
    /// For a customer user: the billing accounts it has a role on, by account ID.
    pub billing_roles: Vec<(String, BillingAccountRole)>,
    /// The same roles with the marketplace of each account ([`offerdesk_core::Viewer::Customer`]).
    pub billing_accounts: Vec<BillingAccountGrant>,
}

pub use offerdesk_core::account::BillingAccountGrant;

impl Caller {
    /// The caller's role on the billing account with `account_id`, if any.
    pub fn role_on(&self, account_id: &str) -> Option<BillingAccountRole> {
        self.billing_roles
            .iter()
            .find(|(id, _)| id == account_id)
            .map(|(_, role)| *role)
    }
}

impl<S> FromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        <Caller as OptionalFromRequestParts<S>>::from_request_parts(parts, state)
            .await?
            .ok_or(AppError::Unauthorized)
    }
}

impl<S> OptionalFromRequestParts<S> for Caller
where
    AppState: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        if let Some(known) = parts.extensions.get::<Option<Caller>>() {
            return Ok(known.clone());
        }
        let state = AppState::from_ref(state);
        let caller = match session_token(&parts.headers) {
            Some(token) => state
                .store
                .session_caller(token_hash(&token), state.clock.now())
                .await
                .map_err(AppError::from)?,
            None => None,
        };
        parts.extensions.insert(caller.clone());
        Ok(caller)
    }
}

/// The session token in the request's cookies, if it has one of the right shape.
pub fn session_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, token)| token.trim().to_owned())
        .filter(|token| token.len() == 43 && URL_SAFE_NO_PAD.decode(token).is_ok())
}

/// A new session token: 256 random bits, base64url without padding (43 characters).
pub fn new_session_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness for a token: {error}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

/// What the store keeps of a token.
pub fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// The `Set-Cookie` value that starts a session.
pub fn session_cookie(token: &str, secure: bool) -> String {
    let max_age = SESSION_HOURS * 3600;
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/; Max-Age={max_age}{secure}"
    )
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn cleared_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}")
}

/// Whether the request reached us over https: directly configured, or as a proxy reports it.
pub fn came_over_https(headers: &HeaderMap, configured: bool) -> bool {
    configured
        || headers
            .get("x-forwarded-proto")
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.trim().eq_ignore_ascii_case("https"))
}

/// Hashes and checks passwords with argon2id.
#[derive(Clone)]
pub struct Passwords {
    params: Params,
    // A hash of nothing, checked when the email is unknown so that the answer takes as long.
    dummy: Arc<OnceLock<String>>,
}

impl std::fmt::Debug for Passwords {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Passwords")
            .field("params", &self.params)
            .finish_non_exhaustive()
    }
}

impl Default for Passwords {
    fn default() -> Self {
        Passwords::standard()
    }
}

impl Passwords {
    /// argon2id with the crate's defaults (19 MiB, 2 passes, 1 lane: OWASP's minimum).
    pub fn standard() -> Passwords {
        Passwords::with_params(Params::default())
    }

    /// argon2id at its cheapest (8 KiB, 1 pass): for tests only, never for real passwords.
    pub fn fast_for_tests() -> Passwords {
        let params = Params::new(Params::MIN_M_COST, Params::MIN_T_COST, 1, None)
            .expect("the minimum argon2 parameters are valid");
        Passwords::with_params(params)
    }

    fn with_params(params: Params) -> Passwords {
        Passwords {
            params,
            dummy: Arc::new(OnceLock::new()),
        }
    }

    fn argon2(&self) -> Argon2<'static> {
        Argon2::new(Algorithm::Argon2id, Version::V0x13, self.params.clone())
    }

    /// The PHC string of `password` with a fresh random salt. CPU-heavy: call it off the async
    /// workers.
    pub fn hash(&self, password: &str) -> Result<String, AppError> {
        let mut salt = [0u8; 16];
        getrandom::fill(&mut salt)
            .map_err(|error| AppError::Internal(format!("no randomness for a salt: {error}")))?;
        let salt = SaltString::encode_b64(&salt)
            .map_err(|error| AppError::Internal(format!("salt: {error}")))?;
        self.argon2()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
            .map_err(|error| AppError::Internal(format!("password hash: {error}")))
    }

    /// Computes the dummy hash now, so that the first sign-in with an unknown email takes no
    /// longer than any other. CPU-heavy: call it before serving.
    pub fn warm(&self) {
        self.dummy();
    }

    fn dummy(&self) -> &str {
        self.dummy.get_or_init(|| self.hash("").unwrap_or_default())
    }

    /// Whether `password` matches `stored` (its own parameters apply). With no stored hash
    /// (unknown email) it checks a dummy hash anyway, and answers false.
    pub fn verify(&self, password: &str, stored: Option<&str>) -> bool {
        let hash = stored.unwrap_or_else(|| self.dummy());
        let matches = PasswordHash::new(hash).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        });
        matches && stored.is_some()
    }
}

/// Who failed to sign in: an account (its email, lowercased) or a client address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AttemptKey {
    /// Attempts at one email address.
    Account(String),
    /// Attempts from one client address.
    Address(IpAddr),
}

/// Counts failed sign-ins per account and per address in memory: a restart forgets them, and
/// several server processes would count separately (one process serves a database).
#[derive(Debug, Default)]
pub struct SignInLimiter {
    failures: Mutex<HashMap<AttemptKey, VecDeque<DateTime<Utc>>>>,
}

impl SignInLimiter {
    /// Seconds until any of `keys` may try again, when one has [`MAX_FAILED_SIGN_INS`] failures
    /// within the window ending `now`.
    pub fn retry_after(&self, keys: &[AttemptKey], now: DateTime<Utc>) -> Option<u64> {
        let window = chrono::Duration::minutes(FAILURE_WINDOW_MINUTES);
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        keys.iter()
            .filter_map(|key| {
                let times = failures.get_mut(key)?;
                while times.front().is_some_and(|time| *time + window <= now) {
                    times.pop_front();
                }
                if times.len() < MAX_FAILED_SIGN_INS {
                    return None;
                }
                // The attempts free up as the oldest counted failure leaves the window.
                let oldest = times[times.len() - MAX_FAILED_SIGN_INS];
                let wait = (oldest + window - now).num_seconds().max(1);
                Some(wait as u64)
            })
            .max()
    }

    /// Counts a failure against each of `keys`.
    pub fn record_failure(&self, keys: &[AttemptKey], now: DateTime<Utc>) {
        let window = chrono::Duration::minutes(FAILURE_WINDOW_MINUTES);
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        // Forget keys whose failures all left the window, so the map cannot grow without bound.
        if failures.len() > 10_000 {
            failures.retain(|_, times| times.back().is_some_and(|time| *time + window > now));
        }
        for key in keys {
            let times = failures.entry(key.clone()).or_default();
            times.push_back(now);
            while times.len() > MAX_FAILED_SIGN_INS {
                times.pop_front();
            }
        }
    }

    /// Forgets the failures of `key` (an account, after its right password).
    pub fn forget(&self, key: &AttemptKey) {
        self.failures
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(key);
    }
}

/// How the server signs people in.
#[derive(Debug, Default)]
pub struct AuthSettings {
    /// Password hashing.
    pub passwords: Passwords,
    /// Failed sign-in counts.
    pub limiter: SignInLimiter,
    /// Mark cookies `Secure` on every response (the server is behind https), not only when a
    /// proxy says `X-Forwarded-Proto: https`.
    pub secure_cookies: bool,
}

impl AuthSettings {
    /// Settings with cheap password hashing, for tests.
    pub fn for_tests() -> AuthSettings {
        AuthSettings {
            passwords: Passwords::fast_for_tests(),
            ..AuthSettings::default()
        }
    }
}

/// The client's address: the TCP peer when the server was started with connect info.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddress(
            parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(address)| address.ip()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_are_256_bits_and_only_their_hash_is_kept() {
        let token = new_session_token().unwrap();
        assert_eq!(URL_SAFE_NO_PAD.decode(&token).unwrap().len(), 32);
        assert_ne!(token, new_session_token().unwrap());
        assert_eq!(token_hash(&token), token_hash(&token));
        let mut headers = HeaderMap::new();
        headers.insert(
            header::COOKIE,
            HeaderValue::from_str(&format!("theme=dark; {SESSION_COOKIE}={token}")).unwrap(),
        );
        assert_eq!(session_token(&headers), Some(token));
        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("offerdesk_session=short"),
        );
        assert_eq!(session_token(&headers), None);
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let passwords = Passwords::fast_for_tests();
        let hash = passwords.hash("demo-password").unwrap();
        assert!(hash.starts_with("$argon2id$"));
        assert!(passwords.verify("demo-password", Some(&hash)));
        assert!(!passwords.verify("demo-passwort", Some(&hash)));
        assert!(!passwords.verify("", None));
        assert!(!passwords.verify("demo-password", Some("not a hash")));
    }

    #[test]
    fn the_sixth_failure_in_the_window_waits() {
        let limiter = SignInLimiter::default();
        let start: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().unwrap();
        let keys = [AttemptKey::Account("a@b.example".into())];
        for minute in 0..5 {
            assert_eq!(limiter.retry_after(&keys, start), None);
            limiter.record_failure(&keys, start + chrono::Duration::minutes(minute));
        }
        let now = start + chrono::Duration::minutes(5);
        assert_eq!(limiter.retry_after(&keys, now), Some(600));
        let later = start + chrono::Duration::minutes(15);
        assert_eq!(limiter.retry_after(&keys, later), None);
        let other = [AttemptKey::Account("c@d.example".into())];
        assert_eq!(limiter.retry_after(&other, now), None);
        limiter.forget(&keys[0]);
        assert_eq!(limiter.retry_after(&keys, now), None);
    }

    #[test]
    fn cookies_carry_the_flags() {
        let cookie = session_cookie("t", false);
        assert!(cookie.contains("HttpOnly; SameSite=Strict; Path=/"));
        assert!(!cookie.contains("Secure"));
        assert!(session_cookie("t", true).ends_with("; Secure"));
        let mut headers = HeaderMap::new();
        assert!(!came_over_https(&headers, false));
        headers.insert("x-forwarded-proto", HeaderValue::from_static("https"));
        assert!(came_over_https(&headers, false));
    }
}
