//! The one error type of the API. Every failure answers a status and a JSON body of one shape,
//! `{ "errors": [ { "field", "message" } ] }`: `field` is the JSON path of the input at fault,
//! or `""` when the fault is the request as a whole. Internal detail is logged, never sent.

use crate::reply::Json;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use offerdesk_core::FieldError;
use serde::Serialize;

use crate::extract::MAX_BODY_BYTES;
use crate::store::StoreError;

/// Why a request failed, and so which status it answers.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The body is not JSON, or could not be read: 400.
    #[error("malformed JSON body: {0}")]
    MalformedJson(String),
    /// The body is larger than [`MAX_BODY_BYTES`]: 413.
    #[error("request body over {MAX_BODY_BYTES} bytes")]
    PayloadTooLarge,
    /// A JSON endpoint got another content type, or none: 415.
    #[error("content type is not JSON")]
    UnsupportedMediaType,
    /// JSON that breaks the contract: 422, one entry per problem.
    #[error("{} invalid field(s)", .0.len())]
    Invalid(Vec<FieldError>),
    /// No API endpoint at this path: 404.
    #[error("no API endpoint at {0}")]
    NotFound(String),
    /// No signed-in session (or an expired one): 401.
    #[error("not signed in")]
    Unauthorized,
    /// Sign-in with an email or password that does not match: 401, the same for both.
    #[error("wrong email or password")]
    WrongCredentials,
    /// Too many failed sign-ins: 429 with `Retry-After` in seconds.
    #[error("too many failed sign-ins; retry after {0} s")]
    TooManyAttempts(u64),
    /// A resource that does not exist or that the caller may not see (SPEC: 404, never 403);
    /// the text names the kind of thing ("catalog").
    #[error("no such {0}")]
    NoSuch(&'static str),
    /// The write names a version that is no longer the current one: 409.
    #[error("stale version")]
    Stale {
        /// The version the resource has now.
        current: i64,
    },
    /// An action the resource's state machine refuses now: 409 with the actions allowed instead.
    #[error("refused: {reason}")]
    Refused {
        /// Why, for a person.
        reason: String,
        /// What the caller may do now (snake_case action names).
        allowed_actions: Vec<String>,
    },
    /// The caller sees the resource but may not do this: 403 with the reason.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A customer link that no longer shows an offer: 410 with its state.
    #[error("link {0}")]
    LinkGone(&'static str),
    /// An upload over its own limit: 413.
    #[error("upload over {0} bytes")]
    UploadTooLarge(usize),
    /// The endpoint exists, but not for this method: 405.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// The database does not answer or is read-only: 503; its disk is full: 507. Detail logged.
    #[error("store unavailable: {0}")]
    Unavailable(#[source] StoreError),
    /// A fault of ours: 500, detail logged.
    #[error("internal error: {0}")]
    Internal(String),
}

/// The body of every error answer.
#[derive(Debug, Serialize)]
struct ErrorBody {
    errors: Vec<FieldError>,
    /// With a refused action: what the caller may do instead.
    #[serde(skip_serializing_if = "Option::is_none")]
    allowed_actions: Option<Vec<String>>,
    /// With a link that no longer shows an offer: `expired`, `withdrawn` or `cancelled`.
    #[serde(skip_serializing_if = "Option::is_none")]
    link_status: Option<&'static str>,
}

impl AppError {
    /// The status this error answers.
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::MalformedJson(_) => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::NotFound(_) | AppError::NoSuch(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized | AppError::WrongCredentials => StatusCode::UNAUTHORIZED,
            AppError::TooManyAttempts(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::Stale { .. } | AppError::Refused { .. } => StatusCode::CONFLICT,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::LinkGone(_) => StatusCode::GONE,
            AppError::UploadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            AppError::Unavailable(error) if error.is_disk_full() => {
                StatusCode::INSUFFICIENT_STORAGE
            }
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn into_errors(self) -> Vec<FieldError> {
        let whole = |message: String| vec![FieldError::new("", message)];
        match self {
            AppError::MalformedJson(reason) => {
                whole(format!("The request body is not valid JSON: {reason}."))
            }
            AppError::PayloadTooLarge => whole(format!(
                "The request body is larger than 1 MiB ({MAX_BODY_BYTES} bytes)."
            )),
            AppError::UnsupportedMediaType => whole(
                "Send the body as JSON, with the header Content-Type: application/json.".into(),
            ),
            AppError::Invalid(errors) => errors,
            AppError::NotFound(path) => whole(format!("There is no API endpoint at {path}.")),
            AppError::Unauthorized => whole("Sign in to continue.".into()),
            AppError::WrongCredentials => {
                whole("The email address or password is not right.".into())
            }
            AppError::TooManyAttempts(seconds) => whole(format!(
                "Too many failed sign-ins; try again in {} minute(s).",
                seconds.div_ceil(60)
            )),
            AppError::NoSuch(what) => whole(format!(
                "There is no such {what}, or it is not yours to see."
            )),
            AppError::Stale { current } => whole(format!(
                "Someone changed this since you read it; it is now at version {current}. Reload it and apply your change again."
            )),
            AppError::Refused { reason, .. } => whole(reason),
            AppError::Forbidden(reason) => whole(reason),
            AppError::LinkGone(state) => whole(format!("This offer link is {state}.")),
            AppError::UploadTooLarge(limit) => whole(format!(
                "The file is larger than {} MiB ({limit} bytes).",
                limit / (1024 * 1024)
            )),
            AppError::MethodNotAllowed => whole(
                "This endpoint does not answer this method; the Allow header lists those it does."
                    .into(),
            ),
            AppError::Unavailable(error) if error.is_disk_full() => whole(
                "The server's disk is full, so nothing was stored; try again once an operator has freed space."
                    .into(),
            ),
            AppError::Unavailable(error) if error.is_read_only() => whole(
                "The database is read-only just now, so nothing was stored; try again shortly."
                    .into(),
            ),
            AppError::Unavailable(_) => {
                whole("The database does not answer; try again shortly.".into())
            }
            AppError::Internal(_) => {
                whole("Something went wrong on our side; it has been logged.".into())
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let retry_after = match self {
            AppError::TooManyAttempts(seconds) => Some(seconds),
            _ => None,
        };
        let allowed_actions = match &self {
            AppError::Refused {
                allowed_actions, ..
            } => Some(allowed_actions.clone()),
            _ => None,
        };
        let link_status = match &self {
            AppError::LinkGone(state) => Some(*state),
            _ => None,
        };
        let body = ErrorBody {
            errors: self.into_errors(),
            allowed_actions,
            link_status,
        };
        let mut response = (status, Json(body)).into_response();
        if let Some(seconds) = retry_after {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<StoreError> for AppError {
    /// A database that does not answer is 503; a row it cannot read back is our fault, 500.
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::Corrupt(_) | StoreError::Taken(_) => AppError::Internal(error.to_string()),
            other => AppError::Unavailable(other),
        }
    }
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_detail_is_not_sent() {
        let response = AppError::Internal("secret table name".into()).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = AppError::Internal("secret table name".into()).into_errors();
        assert!(!body[0].message.contains("secret"));
    }

    #[test]
    fn every_error_names_a_field_and_a_message() {
        let errors = [
            AppError::MalformedJson("expected value at line 1 column 1".into()),
            AppError::PayloadTooLarge,
            AppError::UnsupportedMediaType,
            AppError::NotFound("/api/nope".into()),
            AppError::MethodNotAllowed,
            AppError::Unauthorized,
            AppError::WrongCredentials,
            AppError::TooManyAttempts(61),
            AppError::NoSuch("catalog"),
            AppError::Internal("x".into()),
        ];
        for error in errors {
            let status = error.status();
            let body = error.into_errors();
            assert_eq!(body.len(), 1, "{status}");
            assert_eq!(body[0].field, "");
            assert!(body[0].message.ends_with('.'), "{}", body[0].message);
        }
    }
}
