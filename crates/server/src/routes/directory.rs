//! `/api/v1/organization` (the caller's own organization) and `/api/v1/partners` (the partner
//! directory the ISV's forms search).

use std::collections::HashMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::Router;
use offerdesk_core::party::{
    validate_organization, BillingAccountRole, CustomerAccount, DirectoryPage, DirectoryPartner,
    Eligibility, Organization, PartnerProfile,
};
use offerdesk_core::{field, FieldError, Problems};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::auth::Caller;
use crate::catalog::deserialize_at;
use crate::error::AppError;
use crate::extract::JsonBody;
use crate::reply::Json;
use crate::store::accounts::{OrganizationUpdate, PartnerQuery, PartyKind};
use crate::AppState;

/// Partners on one page unless `limit` says otherwise.
pub const DEFAULT_PAGE: u32 = 25;
/// Most partners on one page.
pub const MAX_PAGE: u32 = 100;

/// `/v1/organization` and `/v1/partners`, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/v1/organization",
            get(organization).put(update_organization),
        )
        .route("/v1/partners", get(partners))
}

/// The caller's organization as it sees itself.
#[derive(Debug, Serialize)]
pub struct OrganizationView {
    /// Offer Desk's ID.
    pub id: i64,
    /// The company name.
    pub name: String,
    /// ISV, partner, both or customer.
    pub kind: PartyKind,
    /// Its partner attributes, for a partner.
    pub partner: Option<PartnerProfile>,
    /// Whether it can sell multiparty private offers, for a partner.
    pub multiparty: Option<MultipartyEligibility>,
    /// A customer's marketplace accounts, with the caller's role on each.
    pub customer_accounts: Vec<CustomerAccountView>,
}

/// A partner's multiparty eligibility, computed by core on the server's date.
#[derive(Debug, Serialize)]
pub struct MultipartyEligibility {
    /// Whether an ISV may add it to a multiparty offer (a US or UK tax profile).
    pub selection: Eligibility,
    /// Whether it may submit one to a customer today (certificates, treaty claim).
    pub submit: Eligibility,
}

/// One of a customer's marketplace accounts.
#[derive(Debug, Serialize)]
pub struct CustomerAccountView {
    /// Offer Desk's ID of the account.
    pub id: i64,
    /// The Microsoft billing account or AWS account.
    pub account: CustomerAccount,
    /// ISO 3166 alpha-2 country.
    pub country: String,
    /// The caller's role on it, if any.
    pub role: Option<BillingAccountRole>,
}

/// `GET /api/v1/organization`: the caller's organization, its partner attributes and
/// multiparty eligibility, or its customer accounts.
async fn organization(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<OrganizationView>, AppError> {
    Ok(Json(view(&state, &caller).await?))
}

async fn view(state: &AppState, caller: &Caller) -> Result<OrganizationView, AppError> {
    let record = state
        .store
        .organization(caller.organization_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let today = state.clock.now().date_naive();
    let multiparty = record
        .partner
        .as_ref()
        .map(|partner| MultipartyEligibility {
            selection: partner.multiparty_selection(),
            submit: partner.multiparty_submit(today),
        });
    let customer_accounts = record
        .customer_accounts
        .into_iter()
        .map(|account| CustomerAccountView {
            role: caller
                .billing_accounts
                .iter()
                .find(|grant| grant.account == account.account)
                .map(|grant| grant.role),
            id: account.id,
            account: account.account,
            country: account.country,
        })
        .collect();
    Ok(OrganizationView {
        id: record.id,
        name: record.name,
        kind: record.kind,
        partner: record.partner,
        multiparty,
        customer_accounts,
    })
}

/// The body of `PUT /api/v1/organization`: the whole profile form.
#[derive(Debug, Deserialize)]
pub struct OrganizationEdit {
    /// The company name.
    pub name: String,
    /// The partner attributes: required for a partner, absent otherwise.
    #[serde(default)]
    pub partner: Option<PartnerProfile>,
}

/// `PUT /api/v1/organization`: replaces the caller's company name and partner attributes (tax
/// profile, certificates, treaty claim, regions, CSP membership), checked by core. The kind
/// stays; the seller and tenant IDs, by which offers name a partner, stay once set, and an AWS
/// account ID may be added but not changed.
async fn update_organization(
    State(state): State<AppState>,
    caller: Caller,
    JsonBody(body): JsonBody<Value>,
) -> Result<Json<OrganizationView>, AppError> {
    let edit: OrganizationEdit = deserialize_at("", &body).map_err(|error| vec![error])?;
    let current = state
        .store
        .organization(caller.organization_id)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let mut errors = match current.kind.organization_kind() {
        Some(kind) => validate_organization(&Organization {
            id: current.id.to_string(),
            name: edit.name.clone(),
            kind,
            partner: edit.partner.clone(),
        })
        .err()
        .unwrap_or_default(),
        None => {
            let mut problems = Problems::new();
            field::check_text(
                &mut problems,
                "name",
                "company name",
                &edit.name,
                field::MAX_NAME_CHARS,
            );
            if edit.partner.is_some() {
                problems.add(
                    "partner",
                    "Only a partner organization has partner attributes.",
                );
            }
            problems.into_vec()
        }
    };
    if let (Some(before), Some(after)) = (&current.partner, &edit.partner) {
        let fixed = [
            (
                "partner.seller_id",
                "seller ID",
                Some(&before.seller_id),
                Some(&after.seller_id),
            ),
            (
                "partner.tenant_id",
                "tenant ID",
                Some(&before.tenant_id),
                Some(&after.tenant_id),
            ),
            (
                "partner.aws_account_id",
                "AWS account ID",
                before.aws_account_id.as_ref(),
                after.aws_account_id.as_ref(),
            ),
        ];
        for (field, label, was, now) in fixed {
            if was.is_some() && !same_text(was, now) {
                errors.push(FieldError::new(
                    field,
                    format!("The {label} names your organization on its offers; it cannot change."),
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let outcome = state
        .store
        .update_organization(
            caller.organization_id,
            edit.name.trim().to_owned(),
            edit.partner,
        )
        .await?;
    match outcome {
        OrganizationUpdate::Updated => Ok(Json(view(&state, &caller).await?)),
        OrganizationUpdate::Missing => Err(AppError::Unauthorized),
        OrganizationUpdate::Taken(field) => Err(AppError::Invalid(vec![FieldError::new(
            field,
            "Another organization has this identifier.",
        )])),
    }
}

/// Whether two optional texts are equal in any case (tenant IDs are GUIDs in any case).
fn same_text(a: Option<&String>, b: Option<&String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
        (None, None) => true,
        _ => false,
    }
}

/// `GET /api/v1/partners?query=&region=&csp_member=&seller_id=&aws_account_id=&tenant_id=`
/// `&limit=&offset=`: partners whose name or seller ID contains `query`, or whose tenant ID or
/// AWS account ID is `query`, in `region`, by name; `seller_id`, `aws_account_id` and
/// `tenant_id` each match a whole ID. For an ISV; anyone else is told there is no such directory
/// (404).
async fn partners(
    State(state): State<AppState>,
    caller: Caller,
    query: Result<Query<HashMap<String, String>>, QueryRejection>,
) -> Result<Json<DirectoryPage>, AppError> {
    if !caller.organization_kind.is_isv() {
        return Err(AppError::NoSuch("partner directory"));
    }
    let Query(parameters) = query.map_err(|rejection| {
        AppError::Invalid(vec![FieldError::new(
            "",
            format!("The query string cannot be read: {rejection}."),
        )])
    })?;
    let mut errors = Vec::new();
    let mut number = |name: &str, default: u32, max: u32| -> u32 {
        match parameters.get(name).map(|text| text.trim().parse::<u32>()) {
            None => default,
            Some(Ok(value)) if value <= max => value,
            Some(_) => {
                errors.push(FieldError::new(
                    name,
                    format!("Give {name} as a whole number from 0 to {max}."),
                ));
                default
            }
        }
    };
    let limit = number("limit", DEFAULT_PAGE, MAX_PAGE);
    let offset = number("offset", 0, u32::MAX / 2);
    let csp_member = match parameters.get("csp_member").map(String::as_str) {
        None | Some("") => None,
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some(_) => {
            errors.push(FieldError::new(
                "csp_member",
                "Give csp_member as true or false.",
            ));
            None
        }
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let page = state
        .store
        .search_partners(PartnerQuery {
            text: parameters.get("query").cloned(),
            region: parameters.get("region").cloned(),
            csp_member,
            seller_id: parameters.get("seller_id").cloned(),
            aws_account_id: parameters.get("aws_account_id").cloned(),
            tenant_id: parameters.get("tenant_id").cloned(),
            limit,
            offset,
        })
        .await?;
    Ok(Json(DirectoryPage {
        partners: page
            .partners
            .into_iter()
            .map(|listing| {
                DirectoryPartner::listing(listing.organization_id, listing.name, listing.partner)
            })
            .collect(),
        total: page.total,
        limit,
        offset,
    }))
}
