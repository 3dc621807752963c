//! `/api/v1/catalog`: the signed-in ISV's public offers, plans and list prices, and their import
//! from a JSON file in the shape of core's `Catalog`.

use axum::extract::State;
use axum::routing::{get, post};
use axum::Router;
use offerdesk_core::catalog::{Catalog, PricePoint, CATALOG_CURRENCY};
use serde::Serialize;
use serde_json::Value;

use crate::auth::Caller;
use crate::catalog::parse_catalog;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::reply::Json;
use crate::AppState;

/// `/v1/catalog` and `/v1/catalog/import`, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/catalog", get(catalog))
        .route("/v1/catalog/import", post(import))
}

/// The catalog as the API shows it: core's offers and plans, each plan with its price points.
#[derive(Debug, Serialize)]
pub struct CatalogView {
    /// The currency of every list price (USD).
    pub currency: &'static str,
    /// The offers, in import order.
    pub offers: Vec<Value>,
}

/// The answer of an import.
#[derive(Debug, Serialize)]
pub struct Imported {
    /// How many offers the file added or replaced.
    pub imported: usize,
    /// The whole catalog after the import.
    pub catalog: CatalogView,
}

impl CatalogView {
    fn of(catalog: &Catalog) -> Result<CatalogView, AppError> {
        let offers = catalog
            .offers
            .iter()
            .map(|offer| {
                let mut json = serde_json::to_value(offer)
                    .map_err(|error| AppError::Internal(format!("catalog JSON: {error}")))?;
                for (plan, shown) in offer.plans.iter().zip(
                    json["plans"]
                        .as_array_mut()
                        .map(|plans| plans.iter_mut())
                        .into_iter()
                        .flatten(),
                ) {
                    let points: Vec<PricePoint> = plan.price_points();
                    shown["price_points"] = serde_json::to_value(points)
                        .map_err(|error| AppError::Internal(format!("catalog JSON: {error}")))?;
                }
                Ok(json)
            })
            .collect::<Result<_, AppError>>()?;
        Ok(CatalogView {
            currency: CATALOG_CURRENCY.code(),
            offers,
        })
    }
}

/// Only an ISV has a catalog; anyone else is told there is none (404, never 403).
fn isv_only(caller: &Caller) -> Result<(), AppError> {
    if caller.organization_kind.is_isv() {
        Ok(())
    } else {
        Err(AppError::NoSuch("catalog"))
    }
}

/// `GET /api/v1/catalog`: the caller ISV's catalog (empty before its first import).
async fn catalog(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<CatalogView>, AppError> {
    isv_only(&caller)?;
    let catalog = state.store.catalog(caller.organization_id).await?;
    Ok(Json(CatalogView::of(&catalog)?))
}

/// `POST /api/v1/catalog/import`: checks the whole file (422 with every problem's path), then
/// upserts its offers by ID in one transaction: an offer in the file replaces the stored offer
/// with its ID, plans and prices whole; offers not in the file stay, as private offers may
/// refer to them.
async fn import(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<Imported>, AppError> {
    isv_only(&caller)?;
    let catalog = tokio::task::spawn_blocking(move || parse_catalog(body))
        .await
        .map_err(|error| AppError::Internal(format!("catalog check failed: {error}")))??;
    let imported = catalog.offers.len();
    state
        .store
        .import_catalog(caller.organization_id, catalog)
        .await?;
    let catalog = state.store.catalog(caller.organization_id).await?;
    Ok(Json(Imported {
        imported,
        catalog: CatalogView::of(&catalog)?,
    }))
}
