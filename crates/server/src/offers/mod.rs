//! The offers API's workings shared by the three programs: who the caller is to an offer, bodies
//! parsed with their field paths, refusals as 409 with the allowed actions, idempotent answers,
//! customer link tokens and the writes of one change.

pub mod cppo;
pub mod csp;
pub mod demo;
pub mod documents;
pub mod links;
pub mod multiparty;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use crate::reply::Json;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use chrono::NaiveDate;
use offerdesk_core::catalog::Catalog;
use offerdesk_core::{FieldError, Refusal};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::error::AppError;
use crate::store::accounts::{OrganizationRecord, PartnerKey};
use crate::store::offers::{
    page_key, Applied, Change, IdempotentAnswer, OfferKind, OfferRow, Page, Scope, Write,
};
use crate::store::StoreError;
use crate::AppState;

/// The header that makes a create or submit safe to repeat.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
/// The longest idempotency key accepted.
const MAX_KEY_CHARS: usize = 200;

/// The day the state machines and validations run on.
pub fn today(state: &AppState) -> NaiveDate {
    state.clock.now().date_naive()
}

/// A database failure answers 503.
pub fn unavailable(error: StoreError) -> AppError {
    AppError::Unavailable(error)
}

/// A new random identifier such as `mpo_3f9a...` (64 bits: identifiers are not secrets).
pub fn new_id(prefix: &str) -> Result<String, AppError> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness: {error}")))?;
    let hex: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
    Ok(format!("{prefix}_{hex}"))
}

/// A new customer link token (256 random bits, base64url) and the SHA-256 stored for it.
pub fn new_link_token() -> Result<(String, [u8; 32]), AppError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|error| AppError::Internal(format!("no randomness: {error}")))?;
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_token(&token);
    Ok((token, hash))
}

/// The SHA-256 of a link token, as stored.
pub fn hash_token(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

/// Parses `value` into `T`, naming the JSON path of the first misfit (422).
pub fn parse<T: DeserializeOwned>(value: Value) -> Result<T, AppError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = if path == "." { String::new() } else { path };
        AppError::Invalid(vec![FieldError::new(field, format!("{}.", error.inner()))])
    })
}

/// Takes the `version` a write names out of its body (422 when it has none).
pub fn take_version(body: &mut Value) -> Result<i64, AppError> {
    let missing = || {
        AppError::Invalid(vec![FieldError::new(
            "version",
            "Name the version of the offer you read (an integer).",
        )])
    };
    let Value::Object(map) = body else {
        return Err(AppError::Invalid(vec![FieldError::new(
            "",
            "The body must be a JSON object.",
        )]));
    };
    map.remove("version")
        .and_then(|value| value.as_i64())
        .ok_or_else(missing)
}

/// 409 unless the caller read the current version.
pub fn check_version(named: i64, current: i64) -> Result<(), AppError> {
    if named == current {
        Ok(())
    } else {
        Err(AppError::Stale { current })
    }
}

/// The snake_case name of an action or status, as serde writes it.
pub fn wire_name<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(Value::String(name)) => name,
        _ => String::new(),
    }
}

/// A core refusal answers 409 with the allowed actions.
pub fn refused<A: Serialize>(refusal: Refusal<A>) -> AppError {
    AppError::Refused {
        reason: refusal.reason,
        allowed_actions: refusal.allowed_actions.iter().map(wire_name).collect(),
    }
}

/// A refusal that is not the state machine's (the wrong party's form, an unknown file): 409.
pub fn refused_because(reason: impl Into<String>, allowed_actions: Vec<String>) -> AppError {
    AppError::Refused {
        reason: reason.into(),
        allowed_actions,
    }
}

/// A stored document (its JSON text) the core cannot read back is our fault.
pub fn document<T: DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text)
        .map_err(|error| AppError::Internal(format!("stored offer does not parse: {error}")))
}

/// A document to store, as JSON text.
pub fn to_document<T: Serialize>(value: &T) -> Result<String, AppError> {
    serde_json::to_string(value)
        .map_err(|error| AppError::Internal(format!("offer does not serialize: {error}")))
}

/// A projection to send.
pub fn to_json<T: Serialize>(value: &T) -> Result<Value, AppError> {
    serde_json::to_value(value)
        .map_err(|error| AppError::Internal(format!("offer does not serialize: {error}")))
}

/// Stores `change`; a version changed meanwhile answers 409.
pub async fn apply(state: &AppState, change: Change) -> Result<(), AppError> {
    match state
        .store
        .apply(change, state.clock.now())
        .await
        .map_err(unavailable)?
    {
        Applied::Done => Ok(()),
        Applied::Stale { current, .. } => Err(AppError::Stale { current }),
        Applied::KeyTaken => Err(AppError::Internal(
            "an idempotency key was taken by a change that named none".into(),
        )),
    }
}

/// The catalogs and organizations an answer has read already, each read once: the offers of
/// one list page mostly share an ISV and a few partners.
#[derive(Default)]
pub struct Around {
    catalogs: HashMap<i64, Arc<Catalog>>,
    organizations: HashMap<i64, Option<Arc<OrganizationRecord>>>,
    /// Partners' company names by tenant ID ("" for one no longer in the directory).
    partner_names: HashMap<String, String>,
}

impl Around {
    pub async fn catalog(&mut self, state: &AppState, id: i64) -> Result<Arc<Catalog>, AppError> {
        if let Some(catalog) = self.catalogs.get(&id) {
            return Ok(Arc::clone(catalog));
        }
        let catalog = Arc::new(state.store.catalog(id).await.map_err(unavailable)?);
        self.catalogs.insert(id, Arc::clone(&catalog));
        Ok(catalog)
    }

    pub async fn organization(
        &mut self,
        state: &AppState,
        id: i64,
    ) -> Result<Option<Arc<OrganizationRecord>>, AppError> {
        if let Some(organization) = self.organizations.get(&id) {
            return Ok(organization.clone());
        }
        let organization = state
            .store
            .organization(id)
            .await
            .map_err(unavailable)?
            .map(Arc::new);
        self.organizations.insert(id, organization.clone());
        Ok(organization)
    }

    /// The company name of the partner with `tenant_id` ("" when it is no longer in the
    /// directory).
    pub async fn partner_name(
        &mut self,
        state: &AppState,
        tenant_id: &str,
    ) -> Result<String, AppError> {
        if let Some(name) = self.partner_names.get(tenant_id) {
            return Ok(name.clone());
        }
        let name = state
            .store
            .partner(PartnerKey::TenantId(tenant_id.to_owned()))
            .await
            .map_err(unavailable)?
            .map(|listing| listing.name)
            .unwrap_or_default();
        self.partner_names
            .insert(tenant_id.to_owned(), name.clone());
        Ok(name)
    }
}

/// The stored row with `id` of `kind`; `missing` (a 404) when there is none of that kind.
pub async fn stored_row(
    state: &AppState,
    id: &str,
    kind: OfferKind,
    missing: AppError,
) -> Result<OfferRow, AppError> {
    state
        .store
        .offer(id)
        .await
        .map_err(unavailable)?
        .filter(|row| row.kind == kind)
        .ok_or(missing)
}

/// A company name for the projections ("" when the organization is gone).
pub async fn company_name(state: &AppState, id: Option<i64>) -> Result<String, AppError> {
    let Some(id) = id else {
        return Ok(String::new());
    };
    Ok(state
        .store
        .organization(id)
        .await
        .map_err(unavailable)?
        .map(|organization| organization.name)
        .unwrap_or_default())
}

/// What a computed answer is: its status, its body and the change that makes it true.
pub struct Computed {
    /// The HTTP status.
    pub status: StatusCode,
    /// The JSON body.
    pub body: Value,
    /// What to store.
    pub change: Change,
}

impl Computed {
    /// The answer with the new customer link `token` in its body (`customer_link`): the one
    /// time the server tells it, since it keeps only the token's hash.
    pub fn with_customer_link(mut self, token: &str) -> Computed {
        if let Value::Object(map) = &mut self.body {
            map.insert(
                "customer_link".into(),
                json!({ "token": token, "path": format!("/api/v1/links/{token}") }),
            );
        }
        self
    }
}

/// The offers a list shows `caller`: those of its organization as the ISV and as the partner,
/// and, with `as_customer`, those made to the billing accounts the caller has a role on.
pub fn scopes_of(caller: &Caller, as_customer: bool) -> Vec<Scope> {
    let mut scopes = Vec::new();
    if caller.organization_kind.is_isv() {
        scopes.push(Scope::Owner(caller.organization_id));
    }
    if caller.organization_kind.is_partner() {
        scopes.push(Scope::Partner(caller.organization_id));
    }
    if as_customer && !caller.billing_roles.is_empty() {
        let accounts = caller
            .billing_roles
            .iter()
            .map(|(id, _)| id.clone())
            .collect();
        scopes.push(Scope::Customers(accounts));
    }
    scopes
}

/// Deletes the stored offer `row` as read (a version changed meanwhile answers 409).
pub async fn delete_row(state: &AppState, row: &OfferRow) -> Result<(), AppError> {
    apply(
        state,
        Change {
            writes: vec![Write::Delete {
                id: row.id.clone(),
                version: row.version,
            }],
            ..Change::default()
        },
    )
    .await
}

/// The `Idempotency-Key` of a request, if it has one.
pub fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, AppError> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or_default().trim();
    if key.is_empty() || key.chars().count() > MAX_KEY_CHARS {
        return Err(AppError::Invalid(vec![FieldError::new(
            "Idempotency-Key",
            format!("The Idempotency-Key header is 1 to {MAX_KEY_CHARS} visible characters."),
        )]));
    }
    Ok(Some(key.to_owned()))
}

/// Answers once per idempotency key: a repeat of the same request gets the first answer (and
/// `compute` does not run), a different request under the same key a 422. Without a key, it
/// computes and stores the answer as usual.
pub async fn answer_once<F>(
    state: &AppState,
    caller: &Caller,
    key: Option<String>,
    request: &str,
    compute: F,
) -> Result<Response, AppError>
where
    F: Future<Output = Result<Computed, AppError>>,
{
    let Some(key) = key else {
        let computed = compute.await?;
        apply(state, computed.change).await?;
        return Ok((computed.status, Json(computed.body)).into_response());
    };
    let request_hash: [u8; 32] = Sha256::digest(request.as_bytes()).into();
    if let Some(answer) = stored_answer(state, caller, &key, request_hash).await? {
        return Ok(answer);
    }
    let mut computed = compute.await?;
    computed.change.idempotency = Some(IdempotentAnswer {
        organization_id: caller.organization_id,
        key: key.clone(),
        request_hash,
        status: computed.status.as_u16(),
        body: stored_body(&computed.body),
    });
    match state
        .store
        .apply(computed.change, state.clock.now())
        .await
        .map_err(unavailable)?
    {
        Applied::Done => Ok((computed.status, Json(computed.body)).into_response()),
        Applied::Stale { current, .. } => Err(AppError::Stale { current }),
        Applied::KeyTaken => stored_answer(state, caller, &key, request_hash)
            .await?
            .ok_or_else(|| AppError::Internal("idempotency key vanished".into())),
    }
}

/// The stored copy of an answer leaves out a customer link's token: the server keeps only its
/// hash. A repeat answers `"token": null`; the partner rotates the link to get a new one.
fn stored_body(body: &Value) -> Value {
    let mut body = body.clone();
    if let Some(link) = body.get_mut("customer_link").and_then(Value::as_object_mut) {
        link.insert("token".into(), Value::Null);
        link.insert("path".into(), Value::Null);
    }
    body
}

async fn stored_answer(
    state: &AppState,
    caller: &Caller,
    key: &str,
    request_hash: [u8; 32],
) -> Result<Option<Response>, AppError> {
    let Some((hash, status, body)) = state
        .store
        .idempotent_answer(caller.organization_id, key)
        .await
        .map_err(unavailable)?
    else {
        return Ok(None);
    };
    if hash != request_hash {
        return Err(AppError::Invalid(vec![FieldError::new(
            "Idempotency-Key",
            "This Idempotency-Key was already used for a different request; use a new key.",
        )]));
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    Ok(Some((status, Json(body)).into_response()))
}

/// How many offers a list answers when `?limit=` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 50;
/// The most offers one list page answers.
pub const MAX_PAGE_SIZE: u32 = 200;

/// Reads a list's query: `?limit=` (1 to [`MAX_PAGE_SIZE`], default [`DEFAULT_PAGE_SIZE`]),
/// `?cursor=` (the `next_cursor` of the page before) and `?status=` (the core's status name).
pub fn list_page(query: Option<&str>) -> Result<Page, AppError> {
    let mut page = Page {
        status: None,
        after: None,
        limit: DEFAULT_PAGE_SIZE,
    };
    for pair in query.unwrap_or_default().split('&') {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        match name {
            "status" if !value.is_empty() => page.status = Some(value.to_owned()),
            "limit" => {
                page.limit = value
                    .parse()
                    .ok()
                    .filter(|limit| (1..=MAX_PAGE_SIZE).contains(limit))
                    .ok_or_else(|| {
                        AppError::Invalid(vec![FieldError::new(
                            "limit",
                            format!("The page size is a whole number from 1 to {MAX_PAGE_SIZE}."),
                        )])
                    })?;
            }
            "cursor" if !value.is_empty() => page.after = Some(read_cursor(value)?),
            _ => {}
        }
    }
    Ok(page)
}

/// The cursor of the page after `rows`: where the last one stands, when the page is full.
fn write_cursor(rows: &[OfferRow], limit: u32) -> Option<String> {
    let last = rows.last().filter(|_| rows.len() >= limit as usize)?;
    let (created_at, id) = page_key(last);
    Some(base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{created_at} {id}")))
}

fn read_cursor(text: &str) -> Result<(String, String), AppError> {
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(text)
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (created_at, id) = text.split_once(' ')?;
            chrono::DateTime::parse_from_rfc3339(created_at).ok()?;
            (!id.is_empty()).then(|| (created_at.to_owned(), id.to_owned()))
        })
        .ok_or_else(|| {
            AppError::Invalid(vec![FieldError::new(
                "cursor",
                "This cursor is not one a list answered; start again without it.",
            )])
        })
}

/// One page of the offers of `kind` in any of `scopes`, and the cursor of the next page
/// (`null` on the last).
pub async fn page_of(
    state: &AppState,
    kind: OfferKind,
    scopes: Vec<Scope>,
    page: Page,
) -> Result<(Vec<OfferRow>, Value), AppError> {
    let limit = page.limit;
    let rows = state
        .store
        .offer_page(kind, scopes, page)
        .await
        .map_err(unavailable)?;
    let next = write_cursor(&rows, limit).map_or(Value::Null, Value::String);
    Ok((rows, next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_query_reads_its_page_and_refuses_what_it_cannot() {
        let page = list_page(None).unwrap();
        assert_eq!((page.limit, page.status, page.after), (50, None, None));
        let page = list_page(Some("status=Draft&limit=200")).unwrap();
        assert_eq!((page.limit, page.status.as_deref()), (200, Some("Draft")));
        for bad in [
            "limit=0",
            "limit=201",
            "limit=x",
            "cursor=%%%",
            "cursor=bm9wZQ",
        ] {
            assert!(
                matches!(list_page(Some(bad)), Err(AppError::Invalid(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_full_page_answers_the_cursor_of_its_last_offer() {
        let row = |id: &str| OfferRow {
            id: id.into(),
            kind: OfferKind::Multiparty,
            owner_org_id: 1,
            partner_org_id: None,
            customer_account: None,
            parent_id: None,
            status: "Draft".into(),
            name: String::new(),
            start_date: None,
            end_date: None,
            accept_by: None,
            document: String::new(),
            version: 1,
            status_since: chrono::DateTime::UNIX_EPOCH,
            created_at: chrono::DateTime::UNIX_EPOCH,
            updated_at: chrono::DateTime::UNIX_EPOCH,
        };
        let rows = [row("b"), row("a")];
        assert_eq!(write_cursor(&rows, 3), None);
        let cursor = write_cursor(&rows, 2).unwrap();
        let query = format!("cursor={cursor}");
        assert_eq!(
            list_page(Some(&query)).unwrap().after,
            Some(page_key(&rows[1]))
        );
    }
}
