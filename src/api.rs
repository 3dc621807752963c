//! The page's JSON client for `/api`: typed bodies in and out, and every failure as an
//! [`ApiError`] that forms can place next to their fields.

use gloo_net::http::{Request, RequestBuilder};
use offerdesk_core::catalog::Catalog;
use offerdesk_core::FieldError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A refused or failed request, as the server described it.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    /// The HTTP status; 0 when the server could not be reached, 422 for a problem the page found
    /// before sending anything ([`ApiError::local`]), as the server would have answered it.
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

    /// Whether the server could not be reached (as opposed to refusing): worth trying again.
    pub fn is_offline(&self) -> bool {
        self.status == 0
    }

    /// The problem of `field`, if the server named one.
    pub fn field(&self, field: &str) -> Option<String> {
        self.errors
            .iter()
            .find(|error| error.field == field)
            .map(|error| error.message.clone())
    }
}

/// Sends the request and reads its whole answer as text. Every call goes through this one
/// non-generic path; only [`decode`] depends on the answer's type, which keeps one copy of the
/// transport and error handling in the page instead of one per answer type.
async fn send_text(request: Result<Request, gloo_net::Error>) -> Result<(u16, String), ApiError> {
    let response = request
        .map_err(ApiError::unreachable)?
        .send()
        .await
        .map_err(ApiError::unreachable)?;
    let status = response.status();
    let text = response.text().await.map_err(ApiError::unreachable)?;
    if response.ok() {
        return Ok((status, text));
    }
    let mut error = crate::json::from_str::<ApiError>(&text).unwrap_or(ApiError {
        status,
        errors: Vec::new(),
        allowed_actions: Vec::new(),
        link_status: None,
    });
    error.status = status;
    Err(error)
}

/// Decodes a successful answer; 204 and other empty answers decode from `null` (as `()` or an
/// `Option`). Always [`crate::json::from_str`], so each type has one deserializer in the page.
fn decode<T: DeserializeOwned>(status: u16, text: &str) -> Result<T, ApiError> {
    let text = if text.trim().is_empty() { "null" } else { text };
    crate::json::from_str(text).map_err(|error| ApiError::not_understood(status, &error))
}

async fn send<T: DeserializeOwned>(
    request: Result<Request, gloo_net::Error>,
) -> Result<T, ApiError> {
    let (status, text) = send_text(request).await?;
    decode(status, &text)
}

impl ApiError {
    fn not_understood(status: u16, error: &crate::json::Error) -> ApiError {
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
}

fn with_json<B: Serialize>(builder: RequestBuilder, body: &B) -> Result<Request, gloo_net::Error> {
    builder.json(body)
}

/// `GET path`.
pub async fn get<T: DeserializeOwned>(path: &str) -> Result<T, ApiError> {
    send(Request::get(path).build()).await
}

/// The marketplace catalog the ISV's forms choose and price from
/// ([`crate::components::catalog_source`]).
pub async fn catalog() -> Result<Catalog, ApiError> {
    get("/api/v1/catalog").await
}

/// The partner directory's entry that `filter` picks (a query such as `seller_id=…`, its value
/// encoded), read as `T`: as much of the entry as the page shows, for its weight. `None` when no
/// partner matches.
pub async fn directory_entry<T: DeserializeOwned>(filter: &str) -> Result<Option<T>, ApiError> {
    /// As much of a directory page as its entries.
    #[derive(Deserialize)]
    struct Entries<T> {
        partners: Vec<T>,
    }
    let page: Entries<T> = get(&format!("/api/v1/partners?{filter}&limit=1")).await?;
    Ok(page.partners.into_iter().next())
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
        let page: std::collections::BTreeMap<String, Raw> = get(&url).await?;
        let cursor = page
            .get("next_cursor")
            .and_then(Raw::read::<Option<String>>);
        if let Some(cursor) = cursor.flatten() {
            next = Some(format!("{path}?limit=200&cursor={}", encode_query(&cursor)));
        }
        if let Some(raw) = page.get(key) {
            let list: Vec<T> = crate::json::from_str(raw.get())
                .map_err(|error| ApiError::not_understood(200, &error))?;
            items.extend(list);
        }
    }
    Ok(items)
}

/// Whether `answer` (one of a list's offers) is the view of `viewer` (`"partner"`): an
/// organization that is both ISV and partner gets both sides' views in one list.
pub fn seen_as(answer: &Raw, viewer: &str) -> bool {
    #[derive(Deserialize)]
    struct Seen {
        viewer: String,
    }
    answer
        .read::<Seen>()
        .is_some_and(|seen| seen.viewer == viewer)
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

/// Saves a draft of `collection` (`/api/v1/csp-offers`, ...): creates it by `POST collection`
/// (under `idempotency_key` when given, so a retried create does not make two drafts), or, once
/// it is saved as `(id, version)`, replaces it by `PUT collection/{id}` naming the version read.
pub async fn save_draft<B: Serialize, T: DeserializeOwned>(
    collection: &str,
    saved: Option<(&str, i64)>,
    idempotency_key: Option<&str>,
    body: &B,
) -> Result<T, ApiError> {
    match (saved, idempotency_key) {
        (Some((id, version)), _) => {
            put_json(&format!("{collection}/{id}"), versioned(body, version)).await
        }
        (None, Some(key)) => post_once(collection, key, body).await,
        (None, None) => post(collection, body).await,
    }
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
    /// A problem the page finds before sending anything, shaped like the server's 422.
    pub fn local(field: &str, message: &str) -> ApiError {
        ApiError {
            status: 422,
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

/// JSON kept as text inside an answer (an offer whose shape depends on the viewer), to be read
/// with [`Raw::read`] once the page knows which type it is. Like every answer it goes through
/// [`crate::json::from_str`]: reading via `serde_json::Value` or serde's `flatten` would add
/// another copy of each type's deserializer (offer views are large) to the page.
pub use crate::json::Raw;

/// `PUT path` with a body that is already JSON text ([`versioned`]).
pub async fn put_json<T: DeserializeOwned>(path: &str, json: String) -> Result<T, ApiError> {
    send(json_text(Request::put(path), json)).await
}

/// `POST path` with a body that is already JSON text (a file checked with
/// [`crate::json::check`]).
pub async fn post_json<T: DeserializeOwned>(path: &str, json: String) -> Result<T, ApiError> {
    send(json_text(Request::post(path), json)).await
}

fn json_text(builder: RequestBuilder, json: String) -> Result<Request, gloo_net::Error> {
    builder
        .header("Content-Type", "application/json")
        .body(json)
}

/// The body of an edit: `value`'s JSON object with the `version` it read added first. Spliced
/// as text, so that `value` is serialized the one way every body is (no `serde_json::Value`, no
/// `flatten`, each of which would add another serializer of the type to the page).
pub fn versioned<T: Serialize>(value: &T, version: i64) -> String {
    let json = serde_json::to_string(value).unwrap_or_default();
    match json.strip_prefix('{').map(str::trim_start) {
        Some(fields) if !fields.starts_with('}') => format!("{{\"version\":{version},{fields}"),
        _ => format!("{{\"version\":{version}}}"),
    }
}

/// `{"version": N}`: the body of an action on an offer, which names the version it read.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Version {
    /// The version the page read.
    pub version: i64,
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

#[cfg(test)]
mod tests {
    use super::ApiError;

    #[test]
    fn only_an_unreachable_server_is_offline() {
        assert!(ApiError::unreachable("connection refused").is_offline());
        assert!(!ApiError::local("file", "Choose a PDF file.").is_offline());
        let refused = ApiError::local("", "Fix the offer's problems to save it.");
        assert_eq!(refused.status, 422);
        assert_eq!(refused.general(), "Fix the offer's problems to save it.");
    }
}
