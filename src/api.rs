//! The page's JSON client for `/api`: typed bodies in and out, and every failure as an
//! [`ApiError`] that forms can place next to their fields.

use gloo_net::http::{Request, RequestBuilder, Response};
use offerdesk_core::FieldError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A refused or failed request, as the server described it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// The HTTP status; 0 when the server could not be reached.
    #[serde(skip)]
    pub status: u16,
    /// One entry per problem, named by the JSON path of its field (`""` for the whole request).
    #[serde(default)]
    pub errors: Vec<FieldError>,
    /// For a refused action (409): what may be done instead.
    #[serde(default)]
    pub allowed_actions: Vec<String>,
    /// For a customer link that no longer shows an offer (410): `expired`, `withdrawn` or
    /// `cancelled`.
    #[serde(default)]
    pub link_status: Option<String>,
}

impl ApiError {
    fn unreachable(detail: impl std::fmt::Display) -> ApiError {
        ApiError {
            status: 0,
            errors: vec![FieldError::new(
                "",
                format!("Offer Desk could not reach its server ({detail}). Check your connection and try again."),
            )],
            allowed_actions: Vec::new(),
            link_status: None,
        }
    }

    /// The problem of `field`, if the server named one.
    pub fn field(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.clone())
    }
}

async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let response = request
        .map_err(ApiError::unreachable)?
        .send()
        .await
        .map_err(ApiError::unreachable)?;
    read(response).await
}

async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    if response.ok() {
        // 204 and other empty answers decode from `null` (as `()` or an `Option`).
        let text = response.text().await.map_err(ApiError::unreachable)?;
        let text = if text.trim().is_empty() {
            "null"
        } else {
            text.as_str()
        };
        return serde_json::from_str(text).map_err(|error| not_understood(status, error));
    }
    let mut error = response.json::<ApiError>().await.unwrap_or(ApiError {
        status,
        errors: Vec::new(),
        allowed_actions: Vec::new(),
        link_status: None,
    });
    error.status = status;
    Err(error)
}

fn not_understood(status: u16, error: serde_json::Error) -> ApiError {
    ApiError {
        status,
        errors: vec![FieldError::new(
            "",
            format!("The server's answer was not understood: {error}."),
        )],
        allowed_actions: Vec::new(),
        link_status: None,
    }
}

fn with_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

/// `GET path`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(Request::get(path).build()).await
}

/// Every page of the list at `path` (a path without a query): the items under `key` of each
/// page, following its `next_cursor` until the last page.
pub async fn get_every_page<T: DeserializeOwned>(
    path: &str,
    key: &str,
) -> Result<Vec<T>, ApiError> {
    let mut items = Vec::new();
    let mut next = Some(format!("{path}?limit=200"));
    while let Some(url) = next.take() {
        let mut page: serde_json::Value = get(&url).await?;
        if let Some(cursor) = page["next_cursor"].as_str() {
            next = Some(format!("{path}?limit=200&cursor={cursor}"));
        }
        let list = page.get_mut(key).map(serde_json::Value::take);
        let list: Vec<T> = serde_json::from_value(list.unwrap_or_default())
            .map_err(|error| not_understood(200, error))?;
        items.extend(list);
    }
    Ok(items)
}

/// `POST path` with a JSON body.
pub async fn post<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(with_json(Request::post(path), body)).await
}

/// `DELETE path`, without a body.
pub async fn delete<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(Request::delete(path).build()).await
}

/// `PUT path` with a JSON body.
pub async fn put<B: Serialize, T: DeserializeOwned>(path: &str, body: &B) -> Result<T, ApiError> {
    send(with_json(Request::put(path), body)).await
}

/// `POST path` with a JSON body and an `Idempotency-Key` header: the server answers a repeat
/// under the same key with the first answer instead of acting twice.
pub async fn post_once<B: Serialize, T: DeserializeOwned>(
    path: &str,
    idempotency_key: &str,
    body: &B,
) -> Result<T, ApiError> {
    send(with_json(
        Request::post(path).header("Idempotency-Key", idempotency_key),
        body,
    ))
    .await
}

impl ApiError {
    /// A problem the page finds before sending anything, shaped like the server's.
    pub fn local(field: &str, message: &str) -> ApiError {
        ApiError {
            status: 0,
            errors: vec![FieldError::new(field, message)],
            allowed_actions: Vec::new(),
            link_status: None,
        }
    }

    /// The message for the whole request (field `""`), or every message joined when the server
    /// named only fields.
    pub fn general(&self) -> String {
        let whole: Vec<&str> = self
            .errors
            .iter()
            .filter(|error| error.field.is_empty())
            .map(|error| error.message.as_str())
            .collect();
        if !whole.is_empty() {
            return whole.join(" ");
        }
        if self.errors.is_empty() {
            return format!("The server refused the request ({}).", self.status);
        }
        self.errors
            .iter()
            .map(|error| error.message.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `POST path` with a file as the raw body of type `content_type` (a terms PDF).
pub async fn post_file<T: DeserializeOwned>(
    path: &str,
    content_type: &str,
    file: web_sys::File,
) -> Result<T, ApiError> {
    send(
        Request::post(path)
            .header("Content-Type", content_type)
            .body(file),
    )
    .await
}

/// Percent-encodes `text` for a query string value.
pub fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
