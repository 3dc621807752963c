//! The offers API: multiparty offers, customer links and notifications. Handlers only carry
//! JSON in and out; `crate::offers` runs the core and builds each caller's projection.

use std::future::Future;

use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use offerdesk_core::FieldError;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::offers::{
    self, answer_once, cppo, csp, documents, idempotency_key, links, multiparty, Computed,
};
use crate::reply::Json;
use crate::AppState;

/// The offers endpoints, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/multiparty-offers",
            get(multiparty_list).post(multiparty_create),
        )
        .route(
            "/v1/multiparty-offers/{id}",
            get(multiparty_get)
                .put(multiparty_edit)
                .delete(multiparty_delete),
        )
        .route(
            "/v1/multiparty-offers/{id}/partner",
            put(multiparty_edit_partner),
        )
        .route("/v1/multiparty-offers/{id}/submit", post(multiparty_submit))
        .route(
            "/v1/multiparty-offers/{id}/withdraw",
            post(multiparty_withdraw),
        )
        .route("/v1/multiparty-offers/{id}/clone", post(multiparty_clone))
        .route(
            "/v1/multiparty-offers/{id}/customer-link",
            post(multiparty_rotate_link),
        )
        .route(
            "/v1/buyer-offers/{id}/customer-link",
            post(buyer_offer_rotate_link),
        )
        .route(
            "/v1/multiparty-offers/{id}/upgrade",
            post(multiparty_upgrade),
        )
        .route(
            "/v1/multiparty-offers/{id}/cancellation",
            post(multiparty_request_cancellation),
        )
        .route(
            "/v1/multiparty-offers/{id}/cancellation/confirm",
            post(multiparty_confirm_cancellation),
        )
        .route("/v1/multiparty-offers/{id}/cancel", post(multiparty_cancel))
        .route(
            "/v1/multiparty-offers/{id}/purchases",
            post(multiparty_purchase),
        )
        .route("/v1/csp-offers", get(csp_list).post(csp_create))
        .route(
            "/v1/csp-offers/{id}",
            get(csp_get).put(csp_edit).delete(csp_delete),
        )
        .route("/v1/csp-offers/{id}/submit", post(csp_submit))
        .route("/v1/csp-offers/{id}/withdraw", post(csp_withdraw))
        .route("/v1/csp-offers/{id}/clone", post(csp_clone))
        .route("/v1/csp-offers/{id}/sales", post(csp_sale))
        .route("/v1/csp-margins", get(csp_margins))
        .route(
            "/v1/resale-authorizations",
            get(authorization_list).post(authorization_create),
        )
        .route(
            "/v1/resale-authorizations/{id}",
            get(authorization_get).put(authorization_edit),
        )
        .route(
            "/v1/resale-authorizations/{id}/activate",
            post(authorization_activate),
        )
        .route(
            "/v1/resale-authorizations/{id}/end",
            post(authorization_end),
        )
        .route(
            "/v1/resale-authorizations/{id}/delete",
            post(authorization_delete),
        )
        .route(
            "/v1/buyer-offers",
            get(buyer_offer_list).post(buyer_offer_create),
        )
        .route(
            "/v1/buyer-offers/{id}",
            get(buyer_offer_get).put(buyer_offer_edit),
        )
        .route(
            "/v1/buyer-offers/{id}/sign-schedule",
            post(buyer_offer_sign),
        )
        .route("/v1/buyer-offers/{id}/publish", post(buyer_offer_publish))
        .route(
            "/v1/multiparty-offers/{id}/terms",
            post(multiparty_terms_upload),
        )
        .route(
            "/v1/multiparty-offers/{id}/terms/{file_id}",
            get(multiparty_terms_download).delete(multiparty_terms_remove),
        )
        .route(
            "/v1/multiparty-offers/{id}/pricing-sheet.csv",
            get(multiparty_pricing_sheet),
        )
        .route(
            "/v1/exchange-rates",
            get(exchange_rates).put(exchange_rates_set),
        )
        .route("/v1/links/{token}/terms/{index}", get(link_terms))
        .route("/v1/links/{token}", get(link_show))
        .route("/v1/links/{token}/accept", post(link_accept))
        .route("/v1/notifications", get(notifications))
}

/// Stores a computed answer and sends it.
async fn respond(state: &AppState, computed: Computed) -> Result<Response, AppError> {
    offers::apply(state, computed.change).await?;
    if computed.status == StatusCode::NO_CONTENT {
        return Ok(StatusCode::NO_CONTENT.into_response());
    }
    Ok((computed.status, Json(computed.body)).into_response())
}

fn request_text(method: &Method, path: &str, body: &Value) -> String {
    format!("{method} {path}\n{body}")
}

/// Answers a `POST` of `body` to `path` with `compute`, once per idempotency key: a retry with
/// the key gets the first answer (see [`answer_once`]).
async fn post_once<C, F>(
    state: &AppState,
    caller: &Caller,
    headers: &HeaderMap,
    path: &str,
    body: Value,
    compute: C,
) -> Result<Response, AppError>
where
    C: FnOnce(Value) -> F,
    F: Future<Output = Result<Computed, AppError>>,
{
    let key = idempotency_key(headers)?;
    let request = request_text(&Method::POST, path, &body);
    answer_once(state, caller, key, &request, compute(body)).await
}

async fn multiparty_list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<multiparty::ListPage>, AppError> {
    let page = offers::list_page(query.as_deref())?;
    Ok(Json(multiparty::list(&state, &caller, page).await?))
}

async fn multiparty_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(
        &state,
        &caller,
        &headers,
        "/v1/multiparty-offers",
        body,
        |body| multiparty::create(&state, &caller, body),
    )
    .await
}

async fn multiparty_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(multiparty::get(&state, &caller, &id).await?))
}

async fn multiparty_edit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    let computed = multiparty::edit_isv(&state, &caller, &id, body).await?;
    respond(&state, computed).await
}

async fn multiparty_edit_partner(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    let computed = multiparty::edit_partner(&state, &caller, &id, body).await?;
    respond(&state, computed).await
}

/// The `version` query parameter of a DELETE.
fn version_query(query: Option<String>) -> Result<i64, AppError> {
    query
        .unwrap_or_default()
        .split('&')
        .find_map(|pair| pair.strip_prefix("version="))
        .and_then(|value| value.parse().ok())
        .ok_or_else(|| {
            AppError::Invalid(vec![FieldError::new(
                "version",
                "Name the version of the offer you read: ?version=N.",
            )])
        })
}

async fn multiparty_delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<StatusCode, AppError> {
    let version = version_query(query)?;
    multiparty::delete(&state, &caller, &id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn multiparty_submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(
        &state,
        &caller,
        &headers,
        &format!("/v1/multiparty-offers/{id}/submit"),
        body,
        |body| multiparty::submit(&state, &caller, &id, body),
    )
    .await
}

macro_rules! action_handler {
    ($name:ident, $call:path) => {
        async fn $name(
            State(state): State<AppState>,
            caller: Caller,
            Path(id): Path<String>,
            JsonBody(body): JsonBody<Value>,
        ) -> Result<Response, AppError> {
            let computed = $call(&state, &caller, &id, body).await?;
            respond(&state, computed).await
        }
    };
}

action_handler!(multiparty_withdraw, multiparty::withdraw);
action_handler!(multiparty_clone, multiparty::clone);
action_handler!(multiparty_rotate_link, multiparty::rotate_link);
action_handler!(buyer_offer_rotate_link, cppo::rotate_link);
action_handler!(multiparty_upgrade, multiparty::upgrade);
action_handler!(
    multiparty_request_cancellation,
    multiparty::request_cancellation
);
action_handler!(
    multiparty_confirm_cancellation,
    multiparty::confirm_cancellation
);
action_handler!(multiparty_cancel, multiparty::cancel);
action_handler!(multiparty_purchase, multiparty::purchase_event);

action_handler!(csp_edit, csp::edit);
action_handler!(csp_withdraw, csp::withdraw);
action_handler!(csp_clone, csp::clone);

async fn csp_list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let page = offers::list_page(query.as_deref())?;
    Ok(Json(csp::list(&state, &caller, page).await?))
}

async fn csp_margins(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, AppError> {
    Ok(Json(csp::live_margins(&state, &caller).await?))
}

async fn csp_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(csp::get(&state, &caller, &id).await?))
}

async fn csp_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(&state, &caller, &headers, "/v1/csp-offers", body, |body| {
        csp::create(&state, &caller, body)
    })
    .await
}

async fn csp_submit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(
        &state,
        &caller,
        &headers,
        &format!("/v1/csp-offers/{id}/submit"),
        body,
        |body| csp::submit(&state, &caller, &id, body),
    )
    .await
}

async fn csp_delete(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<StatusCode, AppError> {
    let version = version_query(query)?;
    csp::delete(&state, &caller, &id, version).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn csp_sale(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    csp::record_sale(&state, &caller, &id, body).await
}

action_handler!(authorization_edit, cppo::edit_authorization);
action_handler!(authorization_activate, cppo::activate_authorization);
action_handler!(authorization_end, cppo::end_authorization);
action_handler!(authorization_delete, cppo::delete_authorization);
action_handler!(buyer_offer_edit, cppo::edit_buyer_offer);
action_handler!(buyer_offer_sign, cppo::sign_schedule);

async fn authorization_list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let page = offers::list_page(query.as_deref())?;
    Ok(Json(
        cppo::list_authorizations(&state, &caller, page).await?,
    ))
}

async fn authorization_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(cppo::get_authorization(&state, &caller, &id).await?))
}

async fn authorization_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(
        &state,
        &caller,
        &headers,
        "/v1/resale-authorizations",
        body,
        |body| cppo::create_authorization(&state, &caller, body),
    )
    .await
}

async fn buyer_offer_list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> Result<Json<Value>, AppError> {
    let page = offers::list_page(query.as_deref())?;
    Ok(Json(cppo::list_buyer_offers(&state, &caller, page).await?))
}

async fn buyer_offer_get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(cppo::get_buyer_offer(&state, &caller, &id).await?))
}

async fn buyer_offer_create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(
        &state,
        &caller,
        &headers,
        "/v1/buyer-offers",
        body,
        |body| cppo::create_buyer_offer(&state, &caller, body),
    )
    .await
}

async fn buyer_offer_publish(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    post_once(
        &state,
        &caller,
        &headers,
        &format!("/v1/buyer-offers/{id}/publish"),
        body,
        |body| cppo::publish(&state, &caller, &id, body),
    )
    .await
}

async fn multiparty_terms_upload(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    query: Result<Query<documents::UploadQuery>, QueryRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|rejection| {
        AppError::Invalid(vec![FieldError::new(
            "",
            format!(
                "Name the version read and the customer-facing name: ?version=N&name=... ({})",
                rejection.body_text()
            ),
        )])
    })?;
    let computed = documents::upload_terms(&state, &caller, &id, query, &headers, body).await?;
    respond(&state, computed).await
}

async fn multiparty_terms_download(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file_id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    documents::download_terms(&state, &caller, &id, &file_id).await
}

async fn multiparty_terms_remove(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, file_id)): Path<(String, String)>,
    query: Result<Query<documents::RemoveQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(query) = query.map_err(|rejection| {
        AppError::Invalid(vec![FieldError::new(
            "version",
            format!(
                "Name the version read: ?version=N ({})",
                rejection.body_text()
            ),
        )])
    })?;
    let computed = documents::remove_terms(&state, &caller, &id, &file_id, query).await?;
    respond(&state, computed).await
}

async fn multiparty_pricing_sheet(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    documents::pricing_sheet(&state, &caller, &id).await
}

async fn exchange_rates(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<Value>, AppError> {
    Ok(Json(documents::exchange_rates(&state).await?))
}

async fn exchange_rates_set(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(
        documents::set_exchange_rates(&state, &caller, body).await?,
    ))
}

async fn link_terms(
    State(state): State<AppState>,
    Path((token, index)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let index: usize = index
        .parse()
        .map_err(|_| AppError::NoSuch("terms document"))?;
    links::terms(&state, &token, index).await
}

async fn link_show(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<Value>, AppError> {
    Ok(Json(links::show(&state, &token).await?))
}

async fn link_accept(
    State(state): State<AppState>,
    caller: Caller,
    Path(token): Path<String>,
    JsonBody(body): JsonBody<Value>,
) -> Result<Response, AppError> {
    let computed = links::accept(&state, &caller, &token, body).await?;
    respond(&state, computed).await
}

async fn notifications(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<Value>, AppError> {
    let rows = state
        .store
        .notifications(caller.organization_id, 200)
        .await
        .map_err(offers::unavailable)?;
    Ok(Json(json!({ "notifications": rows })))
}
