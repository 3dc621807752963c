//! Our JSON body extractor: a bad body answers our 400, 413 or 415 JSON shapes, never axum's
//! plain-text rejections.

use axum::body::Body;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use serde::de::DeserializeOwned;

use crate::error::AppError;

/// The largest JSON body the API reads: 1 MiB (SPEC "Quote API").
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// A JSON request body, read within [`MAX_BODY_BYTES`] and parsed into `T`.
///
/// Rejections: 415 unless `Content-Type` is `application/json` or `application/*+json`
/// (parameters such as `charset` allowed); 413 past the limit; 400 for bytes that are not JSON;
/// 422 for JSON that does not fit `T` (never for `serde_json::Value`).
#[derive(Debug, Clone)]
pub struct JsonBody<T>(pub T);

impl<T, S> FromRequest<S> for JsonBody<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = AppError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(request.headers()) {
            return Err(AppError::UnsupportedMediaType);
        }
        // A declared length over the limit is refused before a byte is read.
        if declared_length(request.headers()).is_some_and(|length| length > MAX_BODY_BYTES as u64) {
            return Err(AppError::PayloadTooLarge);
        }
        let bytes = read_limited(request.into_body()).await?;
        serde_json::from_slice(&bytes)
            .map(JsonBody)
            .map_err(json_error)
    }
}

async fn read_limited(body: Body) -> Result<axum::body::Bytes, AppError> {
    match Limited::new(body, MAX_BODY_BYTES).collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(error) if error.is::<LengthLimitError>() => Err(AppError::PayloadTooLarge),
        Err(error) => Err(AppError::MalformedJson(format!(
            "the body could not be read ({error})"
        ))),
    }
}

fn json_error(error: serde_json::Error) -> AppError {
    match error.classify() {
        serde_json::error::Category::Data => {
            AppError::Invalid(vec![offerdesk_core::FieldError::new(
                "",
                format!("The request body does not have the expected shape: {error}."),
            )])
        }
        _ => AppError::MalformedJson(error.to_string()),
    }
}

fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers
        .get(header::CONTENT_LENGTH)?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

/// Whether the request says its body is JSON: `application/json` or `application/<x>+json`.
pub(crate) fn is_json(headers: &HeaderMap) -> bool {
    let Some(value) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
    else {
        return false;
    };
    let essence = value.split(';').next().unwrap_or_default().trim();
    let Some((kind, subtype)) = essence.split_once('/') else {
        return false;
    };
    let subtype = subtype.to_ascii_lowercase();
    kind.eq_ignore_ascii_case("application") && (subtype == "json" || subtype.ends_with("+json"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn with_type(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn json_content_types() {
        for value in [
            "application/json",
            "Application/JSON",
            "application/json; charset=utf-8",
            "application/problem+json",
        ] {
            assert!(is_json(&with_type(value)), "{value}");
        }
        for value in [
            "text/plain",
            "text/json",
            "application/jsonx",
            "application/x-www-form-urlencoded",
            "multipart/form-data; boundary=x",
            "json",
            "",
        ] {
            assert!(!is_json(&with_type(value)), "{value}");
        }
        assert!(!is_json(&HeaderMap::new()));
    }
}
