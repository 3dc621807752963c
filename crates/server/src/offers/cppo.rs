//! CPPO (seeds 003, 004): the ISV's resale authorizations (recurring or non-recurring) and the
//! consulting partner's buyer offers made from an active one, published to the buyer through a
//! link. A non-recurring authorization is used by its one published offer.

use axum::http::StatusCode;
use chrono::NaiveDate;
use offerdesk_core::catalog::Catalog;
use offerdesk_core::cppo::lifecycle::{
    self, AuthorizationAction, BuyerOfferAction, BuyerOfferFacts,
};
use offerdesk_core::cppo::validate::{
    default_schedule, unknown_consulting_partner, validate_authorization, validate_buyer_offer,
};
use offerdesk_core::cppo::view::buyer_offer_view_for;
use offerdesk_core::cppo::{
    authorized_catalog, AuthorizationKind, AuthorizationStatus, AuthorizationTerms, BuyerOffer,
    BuyerOfferForm, BuyerOfferStatus, ResaleAuthorization, ScheduleSignatures,
};
use offerdesk_core::party::{Companies, CustomerAccount, PartnerProfile};
use offerdesk_core::{Actor, FieldError, Viewer};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    check_version, company_name, document, new_id, new_link_token, parse, refused, refused_because,
    to_document, to_json, today, unavailable, wire_name, Around, Computed,
};
use crate::auth::Caller;
use crate::error::AppError;
use crate::store::accounts::PartnerKey;
use crate::store::offers::{Change, LinkChange, OfferKind, OfferRow, Page, Write};
use crate::AppState;

const NO_AUTHORIZATION: AppError = AppError::NoSuch("resale authorization");
const NO_BUYER_OFFER: AppError = AppError::NoSuch("buyer offer");

fn blank_row(id: &str, kind: OfferKind, now: chrono::DateTime<chrono::Utc>) -> OfferRow {
    OfferRow {
        id: id.to_owned(),
        kind,
        owner_org_id: 0,
        partner_org_id: None,
        customer_account: None,
        parent_id: None,
        status: String::new(),
        name: String::new(),
        start_date: None,
        end_date: None,
        accept_by: None,
        document: String::new(),
        version: 1,
        status_since: now,
        created_at: now,
        updated_at: now,
    }
}

// ----- Resale authorizations -----

struct Authorization {
    row: OfferRow,
    doc: ResaleAuthorization,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AuthorizationParty {
    Isv,
    Partner,
}

async fn load_authorization(state: &AppState, id: &str) -> Result<Authorization, AppError> {
    let row = super::stored_row(state, id, OfferKind::CppoAuthorization, NO_AUTHORIZATION).await?;
    let doc = document(&row.document)?;
    Ok(Authorization { row, doc })
}

/// The ISV that granted it, or the partner it names once it is no longer a draft.
fn authorization_party(
    authorization: &Authorization,
    caller: &Caller,
) -> Result<AuthorizationParty, AppError> {
    if caller.organization_id == authorization.row.owner_org_id && caller.organization_kind.is_isv()
    {
        return Ok(AuthorizationParty::Isv);
    }
    if Some(caller.organization_id) == authorization.row.partner_org_id
        && caller.organization_kind.is_partner()
        && authorization.doc.status != AuthorizationStatus::Draft
    {
        return Ok(AuthorizationParty::Partner);
    }
    Err(NO_AUTHORIZATION)
}

fn authorization_actor(party: AuthorizationParty) -> Actor {
    match party {
        AuthorizationParty::Isv => Actor::Isv,
        AuthorizationParty::Partner => Actor::Partner,
    }
}

/// What `party` may do to the authorization on `today`, by wire name.
fn allowed_actions(
    authorization: &Authorization,
    party: AuthorizationParty,
    today: NaiveDate,
) -> Vec<String> {
    AuthorizationAction::ALL
        .into_iter()
        .filter(|action| {
            lifecycle::authorization_transition(
                authorization.doc.status,
                authorization_actor(party),
                *action,
                authorization.doc.facts(),
                today,
            )
            .is_ok()
        })
        .map(|action| wire_name(&action))
        .chain(
            (party == AuthorizationParty::Isv && authorization.doc.status.editable())
                .then(|| "edit".to_owned()),
        )
        .collect()
}

/// The ISV and the partner share the authorization's terms (it is their agreement); a buyer
/// never sees it.
fn authorization_body(
    authorization: &Authorization,
    party: AuthorizationParty,
    today: NaiveDate,
) -> Result<Value, AppError> {
    let allowed = allowed_actions(authorization, party, today);
    Ok(json!({
        "id": authorization.row.id,
        "version": authorization.row.version,
        "viewer": match party { AuthorizationParty::Isv => "isv", AuthorizationParty::Partner => "partner" },
        "authorization": to_json(&authorization.doc)?,
        "allowed_actions": allowed,
    }))
}

fn authorization_row(doc: &ResaleAuthorization, base: &OfferRow) -> Result<OfferRow, AppError> {
    let (customer, end) = match &doc.terms.kind {
        AuthorizationKind::Recurring { until } => (None, *until),
        AuthorizationKind::NonRecurring {
            buyer_account_id, ..
        } => (Some(buyer_account_id.clone()), None),
    };
    Ok(OfferRow {
        customer_account: customer,
        status: wire_name(&doc.status),
        name: format!(
            "{}% resale authorization",
            doc.terms.discount_percent.value()
        ),
        end_date: end,
        document: to_document(doc)?,
        ..base.clone()
    })
}

/// `POST /resale-authorizations`: the ISV authorizes the partner with the AWS account ID of the
/// terms (a draft until activated).
pub async fn create_authorization(
    state: &AppState,
    caller: &Caller,
    body: Value,
) -> Result<Computed, AppError> {
    if !caller.organization_kind.is_isv() {
        return Err(AppError::Forbidden(
            "Only an ISV authorizes partners to resell.".into(),
        ));
    }
    let terms: AuthorizationTerms = parse(body)?;
    let today = today(state);
    let catalog = state
        .store
        .catalog(caller.organization_id)
        .await
        .map_err(unavailable)?;
    validate_authorization(&terms, &catalog, today)?;
    let partner = consulting_partner(state, &terms).await?;
    let doc = ResaleAuthorization {
        id: new_id("ra")?,
        isv_organization_id: caller.organization_id.to_string(),
        partner_organization_id: partner.to_string(),
        status: AuthorizationStatus::Draft,
        terms,
    };
    let mut base = blank_row(&doc.id, OfferKind::CppoAuthorization, state.clock.now());
    base.owner_org_id = caller.organization_id;
    base.partner_org_id = Some(partner);
    let row = authorization_row(&doc, &base)?;
    let loaded = Authorization {
        row: row.clone(),
        doc,
    };
    Ok(Computed {
        status: StatusCode::CREATED,
        body: authorization_body(&loaded, AuthorizationParty::Isv, today)?,
        change: Change {
            writes: vec![Write::Insert(row)],
            ..Change::default()
        },
    })
}

/// The organization of the consulting partner the terms name by its AWS account ID.
async fn consulting_partner(state: &AppState, terms: &AuthorizationTerms) -> Result<i64, AppError> {
    state
        .store
        .partner(PartnerKey::AwsAccountId(
            terms.partner_aws_account_id.clone(),
        ))
        .await
        .map_err(unavailable)?
        .map(|partner| partner.organization_id)
        .ok_or_else(|| AppError::Invalid(vec![unknown_consulting_partner()]))
}

/// `PUT /resale-authorizations/{id}`: the ISV replaces the terms of its draft (the version it
/// read named in the body), checked by core as on creation.
pub async fn edit_authorization(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut body: Value,
) -> Result<Computed, AppError> {
    let version = super::take_version(&mut body)?;
    let terms: AuthorizationTerms = parse(body)?;
    let authorization = load_authorization(state, id).await?;
    let party = authorization_party(&authorization, caller)?;
    check_version(version, authorization.row.version)?;
    let today = today(state);
    if party != AuthorizationParty::Isv || !authorization.doc.status.editable() {
        return Err(refused_because(
            format!(
                "Only the ISV changes the terms, and only while the authorization is a Draft; it is {}.",
                authorization.doc.status.label()
            ),
            allowed_actions(&authorization, party, today),
        ));
    }
    let catalog = state
        .store
        .catalog(caller.organization_id)
        .await
        .map_err(unavailable)?;
    validate_authorization(&terms, &catalog, today)?;
    let partner = consulting_partner(state, &terms).await?;
    let mut doc = authorization.doc.clone();
    doc.terms = terms;
    doc.partner_organization_id = partner.to_string();
    let mut base = authorization.row.clone();
    base.partner_org_id = Some(partner);
    authorization_saved(doc, &base, party, today, false)
}

/// `GET /resale-authorizations`: the ISV's granted ones, or the partner's received ones.
pub async fn list_authorizations(
    state: &AppState,
    caller: &Caller,
    page: Page,
) -> Result<Value, AppError> {
    let scopes = super::scopes_of(caller, false);
    let (rows, next_cursor) =
        super::page_of(state, OfferKind::CppoAuthorization, scopes, page).await?;
    let today = today(state);
    let mut seen = std::collections::HashSet::new();
    let mut around = Around::default();
    let mut list = Vec::new();
    for row in rows {
        if !seen.insert(row.id.clone()) {
            continue;
        }
        let doc = document(&row.document)?;
        let authorization = Authorization { row, doc };
        if let Ok(party) = authorization_party(&authorization, caller) {
            list.push(read_authorization(state, &authorization, party, today, &mut around).await?);
        }
    }
    Ok(json!({ "authorizations": list, "next_cursor": next_cursor }))
}

/// The authorization as read (list and get), with both companies' names: `isv_company` and
/// `partner_company` ("" for an organization that is gone). `around` keeps the organizations
/// read already for this answer.
async fn read_authorization(
    state: &AppState,
    authorization: &Authorization,
    party: AuthorizationParty,
    today: NaiveDate,
    around: &mut Around,
) -> Result<Value, AppError> {
    let mut body = authorization_body(authorization, party, today)?;
    let named = [
        ("isv_company", Some(authorization.row.owner_org_id)),
        ("partner_company", authorization.row.partner_org_id),
    ];
    for (field, organization) in named {
        let organization = match organization {
            Some(id) => around.organization(state, id).await?,
            None => None,
        };
        body[field] = json!(organization.map(|o| o.name.clone()).unwrap_or_default());
    }
    Ok(body)
}

/// `GET /resale-authorizations/{id}`: the authorization, its ISV's company name and the
/// authorized part of the ISV's catalog.
pub async fn get_authorization(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Value, AppError> {
    let authorization = load_authorization(state, id).await?;
    let party = authorization_party(&authorization, caller)?;
    let mut body = read_authorization(
        state,
        &authorization,
        party,
        today(state),
        &mut Around::default(),
    )
    .await?;
    let isv = authorization.row.owner_org_id;
    // The authorized plans with their list prices, so that the partner's page prices and
    // checks a buyer offer with the core before sending it.
    let catalog = state.store.catalog(isv).await.map_err(unavailable)?;
    body["catalog"] = to_json(&authorized_catalog(&authorization.doc.terms, &catalog))?;
    Ok(body)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionBody {
    version: i64,
}

async fn authorization_action(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
    action: AuthorizationAction,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let authorization = load_authorization(state, id).await?;
    let party = authorization_party(&authorization, caller)?;
    check_version(version, authorization.row.version)?;
    let today = today(state);
    let outcome = lifecycle::authorization_transition(
        authorization.doc.status,
        authorization_actor(party),
        action,
        authorization.doc.facts(),
        today,
    )
    .map_err(refused)?;
    let Some(status) = outcome.status() else {
        return Ok(Computed {
            status: StatusCode::NO_CONTENT,
            body: Value::Null,
            change: Change {
                writes: vec![Write::Delete {
                    id: authorization.row.id.clone(),
                    version,
                }],
                ..Change::default()
            },
        });
    };
    let mut doc = authorization.doc.clone();
    doc.status = status;
    authorization_saved(doc, &authorization.row, party, today, true)
}

/// The answer for `doc` stored over `base` (its version read), and the change that stores it.
fn authorization_saved(
    doc: ResaleAuthorization,
    base: &OfferRow,
    party: AuthorizationParty,
    today: NaiveDate,
    status_changed: bool,
) -> Result<Computed, AppError> {
    let mut row = authorization_row(&doc, base)?;
    let change = Change {
        writes: vec![Write::Update {
            row: row.clone(),
            status_changed,
        }],
        ..Change::default()
    };
    row.version += 1;
    Ok(Computed {
        status: StatusCode::OK,
        body: authorization_body(&Authorization { row, doc }, party, today)?,
        change,
    })
}

/// `POST /resale-authorizations/{id}/activate`: the ISV makes its draft usable.
pub async fn activate_authorization(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    authorization_action(state, caller, id, body, AuthorizationAction::Activate).await
}

/// `POST /resale-authorizations/{id}/end`: either party ends an active authorization.
pub async fn end_authorization(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    authorization_action(state, caller, id, body, AuthorizationAction::End).await
}

/// `POST /resale-authorizations/{id}/delete`: the ISV deletes a draft.
pub async fn delete_authorization(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    authorization_action(state, caller, id, body, AuthorizationAction::Delete).await
}

// ----- Buyer offers -----

struct Buyer {
    row: OfferRow,
    offer: BuyerOffer,
    authorization: Authorization,
    catalog: Catalog,
    companies: Companies,
}

#[derive(Debug, Clone)]
enum BuyerParty {
    Isv,
    Partner(PartnerProfile),
    Customer(offerdesk_core::BillingAccountRole),
}

async fn load_buyer(state: &AppState, id: &str) -> Result<Buyer, AppError> {
    let row = super::stored_row(state, id, OfferKind::CppoBuyerOffer, NO_BUYER_OFFER).await?;
    let offer: BuyerOffer = document(&row.document)?;
    let authorization = load_authorization(state, &offer.authorization_id).await?;
    let catalog = state
        .store
        .catalog(authorization.row.owner_org_id)
        .await
        .map_err(unavailable)?;
    let companies = Companies {
        isv: company_name(state, Some(authorization.row.owner_org_id)).await?,
        partner: company_name(state, authorization.row.partner_org_id).await?,
    };
    Ok(Buyer {
        row,
        offer,
        authorization,
        catalog,
        companies,
    })
}

fn buyer_party(buyer: &Buyer, caller: &Caller) -> Result<BuyerParty, AppError> {
    if caller.organization_id == buyer.row.owner_org_id && caller.organization_kind.is_isv() {
        return Ok(BuyerParty::Isv);
    }
    if Some(caller.organization_id) == buyer.row.partner_org_id {
        if let Some(profile) = &caller.partner {
            return Ok(BuyerParty::Partner(profile.clone()));
        }
    }
    caller
        .role_on(&buyer.offer.form.buyer_account_id)
        .map(BuyerParty::Customer)
        .ok_or(NO_BUYER_OFFER)
}

fn buyer_facts(buyer: &Buyer) -> BuyerOfferFacts {
    BuyerOfferFacts {
        accept_by: buyer.offer.form.accept_by,
        authorization: buyer.authorization.doc.status,
        authorization_recurring: buyer.authorization.doc.facts().recurring,
        has_schedule: buyer.offer.form.payment_schedule.is_some(),
        partner_signed: buyer.offer.schedule_signatures.partner,
        buyer_signed: buyer.offer.schedule_signatures.buyer,
    }
}

fn buyer_actor(party: &BuyerParty) -> Actor {
    match party {
        BuyerParty::Isv => Actor::Isv,
        BuyerParty::Partner(_) => Actor::Partner,
        BuyerParty::Customer(role) => Actor::Customer(*role),
    }
}

fn buyer_body(buyer: &Buyer, party: &BuyerParty, today: NaiveDate) -> Result<Value, AppError> {
    let account;
    let organization_id = buyer.authorization.doc.isv_organization_id.clone();
    let viewer = match party {
        BuyerParty::Isv => Viewer::Isv {
            organization_id: &organization_id,
        },
        BuyerParty::Partner(profile) => Viewer::Partner(profile),
        BuyerParty::Customer(_) => {
            account = CustomerAccount::AwsAccount(buyer.offer.form.buyer_account_id.clone());
            Viewer::Customer(&account)
        }
    };
    let view = buyer_offer_view_for(
        &buyer.offer,
        &buyer.authorization.doc,
        viewer,
        &buyer.catalog,
        &buyer.companies,
    )
    .map_err(|error| {
        // The ISV's catalog may have dropped a price the offer names since it was made.
        tracing::warn!(offer = %buyer.row.id, %error, "a buyer offer does not price");
        refused_because(
            "This offer names a price the ISV's catalog no longer has; it can be shown again once the catalog has it.",
            Vec::new(),
        )
    })?
    .ok_or(NO_BUYER_OFFER)?;
    let facts = buyer_facts(buyer);
    let allowed: Vec<String> = BuyerOfferAction::ALL
        .into_iter()
        .filter(|action| {
            lifecycle::buyer_offer_transition(
                buyer.offer.status,
                buyer_actor(party),
                *action,
                facts,
                today,
            )
            .is_ok()
        })
        .map(|action| wire_name(&action))
        .collect();
    let mut body = to_json(&view)?;
    if let Value::Object(map) = &mut body {
        map.insert("id".into(), json!(buyer.row.id));
        map.insert("version".into(), json!(buyer.row.version));
        map.insert("allowed_actions".into(), json!(allowed));
    }
    Ok(body)
}

fn buyer_row(offer: &BuyerOffer, base: &OfferRow) -> Result<OfferRow, AppError> {
    Ok(OfferRow {
        customer_account: Some(offer.form.buyer_account_id.clone()),
        parent_id: Some(offer.authorization_id.clone()),
        status: wire_name(&offer.status),
        name: format!("Private offer for {}", offer.form.buyer_account_id),
        accept_by: Some(offer.form.accept_by),
        document: to_document(offer)?,
        ..base.clone()
    })
}

/// The body of a new buyer offer: the authorization, the form, and optionally a number of
/// installments to split the contract value evenly into (instead of `payment_schedule`).
#[derive(Debug, Deserialize)]
struct NewBuyerOffer {
    authorization_id: String,
    #[serde(flatten)]
    form: Value,
    #[serde(default)]
    installments: Option<usize>,
}

fn with_default_schedule(
    mut form: BuyerOfferForm,
    installments: Option<usize>,
    terms: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<BuyerOfferForm, AppError> {
    if let Some(count) = installments {
        let schedule = default_schedule(&form, terms, catalog, count).map_err(|error| {
            AppError::Invalid(vec![FieldError::new(
                "installments",
                format!("The payment schedule could not be split: {error}."),
            )])
        })?;
        form.payment_schedule = Some(schedule);
    }
    Ok(form)
}

/// `POST /buyer-offers`: the partner's draft from an active authorization.
pub async fn create_buyer_offer(
    state: &AppState,
    caller: &Caller,
    body: Value,
) -> Result<Computed, AppError> {
    let NewBuyerOffer {
        authorization_id,
        form,
        installments,
    } = parse(body)?;
    let form: BuyerOfferForm = parse(form)?;
    let authorization = load_authorization(state, &authorization_id).await?;
    if authorization_party(&authorization, caller)? != AuthorizationParty::Partner {
        return Err(AppError::Forbidden(
            "The authorized partner makes buyer offers from its authorization.".into(),
        ));
    }
    lifecycle::may_make_buyer_offer(authorization.doc.status)
        .map_err(|reason| refused_because(reason, Vec::new()))?;
    let today = today(state);
    let catalog = state
        .store
        .catalog(authorization.row.owner_org_id)
        .await
        .map_err(unavailable)?;
    let form = with_default_schedule(form, installments, &authorization.doc.terms, &catalog)?;
    validate_buyer_offer(&form, &authorization.doc.terms, &catalog, today)?;
    let offer = BuyerOffer {
        id: new_id("bo")?,
        authorization_id: authorization.row.id.clone(),
        status: BuyerOfferStatus::Draft,
        form,
        schedule_signatures: ScheduleSignatures::default(),
    };
    let mut base = blank_row(&offer.id, OfferKind::CppoBuyerOffer, state.clock.now());
    base.owner_org_id = authorization.row.owner_org_id;
    base.partner_org_id = authorization.row.partner_org_id;
    let row = buyer_row(&offer, &base)?;
    let companies = Companies {
        isv: company_name(state, Some(authorization.row.owner_org_id)).await?,
        partner: caller.organization_name.clone(),
    };
    let buyer = Buyer {
        row: row.clone(),
        offer,
        authorization,
        catalog,
        companies,
    };
    let party = buyer_party(&buyer, caller)?;
    Ok(Computed {
        status: StatusCode::CREATED,
        body: buyer_body(&buyer, &party, today)?,
        change: Change {
            writes: vec![Write::Insert(row)],
            ..Change::default()
        },
    })
}

/// `GET /buyer-offers`: the ISV's (wholesale side), the partner's, or the buyer's offers.
pub async fn list_buyer_offers(
    state: &AppState,
    caller: &Caller,
    page: Page,
) -> Result<Value, AppError> {
    let scopes = super::scopes_of(caller, true);
    let (rows, next_cursor) =
        super::page_of(state, OfferKind::CppoBuyerOffer, scopes, page).await?;
    let today = today(state);
    let mut seen = std::collections::HashSet::new();
    let mut list = Vec::new();
    for row in rows {
        if !seen.insert(row.id.clone()) {
            continue;
        }
        let buyer = load_buyer(state, &row.id).await?;
        let Ok(party) = buyer_party(&buyer, caller) else {
            continue;
        };
        match buyer_body(&buyer, &party, today) {
            Ok(body) => list.push(body),
            Err(AppError::NoSuch(_) | AppError::Refused { .. }) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(json!({ "offers": list, "next_cursor": next_cursor }))
}

async fn load_buyer_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    version: Option<i64>,
) -> Result<(Buyer, BuyerParty), AppError> {
    let buyer = load_buyer(state, id).await?;
    let party = buyer_party(&buyer, caller)?;
    buyer_body(&buyer, &party, today(state))?;
    if let Some(version) = version {
        check_version(version, buyer.row.version)?;
    }
    Ok((buyer, party))
}

/// `GET /buyer-offers/{id}`.
pub async fn get_buyer_offer(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Value, AppError> {
    let (buyer, party) = load_buyer_for(state, caller, id, None).await?;
    buyer_body(&buyer, &party, today(state))
}

fn store_buyer(
    buyer: Buyer,
    offer: BuyerOffer,
    party: &BuyerParty,
    today: NaiveDate,
    mut change: Change,
) -> Result<Computed, AppError> {
    let status_changed = offer.status != buyer.offer.status;
    let mut row = buyer_row(&offer, &buyer.row)?;
    change.writes.push(Write::Update {
        row: row.clone(),
        status_changed,
    });
    row.version += 1;
    let after = Buyer {
        row,
        offer,
        ..buyer
    };
    Ok(Computed {
        status: StatusCode::OK,
        body: buyer_body(&after, party, today)?,
        change,
    })
}

/// `PUT /buyer-offers/{id}`: the partner edits its draft (`version`, the form, optionally
/// `installments`).
pub async fn edit_buyer_offer(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut body: Value,
) -> Result<Computed, AppError> {
    let version = super::take_version(&mut body)?;
    let installments = match &mut body {
        Value::Object(map) => map.remove("installments"),
        _ => None,
    };
    let installments: Option<usize> = match installments {
        Some(value) => Some(parse(value).map_err(|_| {
            AppError::Invalid(vec![FieldError::new(
                "installments",
                "The number of installments is a whole number from 1 to 60.",
            )])
        })?),
        None => None,
    };
    let form: BuyerOfferForm = parse(body)?;
    let (buyer, party) = load_buyer_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    if !matches!(party, BuyerParty::Partner(_)) || !buyer.offer.status.editable() {
        return Err(refused_because(
            "Only the partner edits its buyer offer, and only while it is a draft.",
            Vec::new(),
        ));
    }
    let form = with_default_schedule(
        form,
        installments,
        &buyer.authorization.doc.terms,
        &buyer.catalog,
    )?;
    validate_buyer_offer(&form, &buyer.authorization.doc.terms, &buyer.catalog, today)?;
    let mut offer = buyer.offer.clone();
    offer.form = form;
    // A changed schedule needs signing again.
    offer.schedule_signatures = ScheduleSignatures::default();
    store_buyer(buyer, offer, &party, today, Change::default())
}

/// `POST /buyer-offers/{id}/sign-schedule`: the partner signs its draft's payment schedule.
pub async fn sign_schedule(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (buyer, party) = load_buyer_for(state, caller, id, Some(version)).await?;
    if !matches!(party, BuyerParty::Partner(_))
        || buyer.offer.form.payment_schedule.is_none()
        || !buyer.offer.status.editable()
    {
        return Err(refused_because(
            "The partner signs the payment schedule of its draft buyer offer.",
            Vec::new(),
        ));
    }
    let mut offer = buyer.offer.clone();
    offer.schedule_signatures.partner = true;
    store_buyer(buyer, offer, &party, today(state), Change::default())
}

/// `POST /buyer-offers/{id}/publish`: the partner publishes; the buyer gets a link (answered
/// once) and a non-recurring authorization is used up, in the same transaction.
pub async fn publish(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (buyer, party) = load_buyer_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let status = lifecycle::buyer_offer_transition(
        buyer.offer.status,
        buyer_actor(&party),
        BuyerOfferAction::Publish,
        buyer_facts(&buyer),
        today,
    )
    .map_err(refused)?
    .status()
    .ok_or(NO_BUYER_OFFER)?;
    validate_buyer_offer(
        &buyer.offer.form,
        &buyer.authorization.doc.terms,
        &buyer.catalog,
        today,
    )?;
    let used = lifecycle::authorization_transition(
        buyer.authorization.doc.status,
        Actor::System,
        AuthorizationAction::Use,
        buyer.authorization.doc.facts(),
        today,
    )
    .map_err(refused)?
    .status()
    .ok_or(NO_AUTHORIZATION)?;
    let mut change = Change::default();
    if used != buyer.authorization.doc.status {
        let mut doc = buyer.authorization.doc.clone();
        doc.status = used;
        change.writes.push(Write::Update {
            row: authorization_row(&doc, &buyer.authorization.row)?,
            status_changed: true,
        });
    }
    let (token, hash) = new_link_token()?;
    change.links.push(LinkChange::Create {
        token_hash: hash,
        offer_id: buyer.row.id.clone(),
    });
    let mut offer = buyer.offer.clone();
    offer.status = status;
    Ok(store_buyer(buyer, offer, &party, today, change)?.with_customer_link(&token))
}

/// `POST /buyer-offers/{id}/customer-link`: the partner replaces the link of a published offer
/// (the old one stops working); the server keeps only hashes.
pub async fn rotate_link(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (buyer, party) = load_buyer_for(state, caller, id, Some(version)).await?;
    if !matches!(party, BuyerParty::Partner(_)) || buyer.offer.status != BuyerOfferStatus::Published
    {
        return Err(refused_because(
            "The partner replaces the link of a published buyer offer.",
            Vec::new(),
        ));
    }
    let (token, hash) = new_link_token()?;
    let change = Change {
        links: vec![
            LinkChange::RevokeAll {
                offer_id: buyer.row.id.clone(),
            },
            LinkChange::Create {
                token_hash: hash,
                offer_id: buyer.row.id.clone(),
            },
        ],
        ..Change::default()
    };
    let offer = buyer.offer.clone();
    Ok(store_buyer(buyer, offer, &party, today(state), change)?.with_customer_link(&token))
}

/// What the buyer sees through a link.
pub async fn link_view(state: &AppState, row: &OfferRow, revoked: bool) -> Result<Value, AppError> {
    let buyer = load_buyer(state, &row.id).await?;
    if revoked {
        return Err(AppError::LinkGone("withdrawn"));
    }
    if buyer.offer.status == BuyerOfferStatus::Expired {
        return Err(AppError::LinkGone("expired"));
    }
    let view = offerdesk_core::cppo::view::buyer_offer_buyer_view(
        &buyer.offer,
        &buyer.authorization.doc.terms,
        &buyer.catalog,
        &buyer.companies,
    )
    .map_err(|error| AppError::Internal(format!("a stored offer does not price: {error}")))?
    .ok_or(AppError::NoSuch("offer at this link"))?;
    Ok(json!({ "program": "cppo", "offer": view }))
}

/// The body of a buyer's acceptance.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct AcceptBody {
    /// The buyer signs the payment schedule with its acceptance.
    #[serde(default)]
    sign_schedule: bool,
}

/// Accepts a buyer offer through its link (owner, contributor or signatory on the buyer's AWS
/// account; a reader is refused with 403).
pub async fn accept(
    state: &AppState,
    caller: &Caller,
    row: &OfferRow,
    revoked: bool,
    body: Value,
) -> Result<Computed, AppError> {
    let AcceptBody { sign_schedule } = parse(body)?;
    link_view(state, row, revoked).await?;
    let buyer = load_buyer(state, &row.id).await?;
    let Some(role) = caller.role_on(&buyer.offer.form.buyer_account_id) else {
        return Err(AppError::Forbidden(
            "You hold no role on the AWS account this offer is made to.".into(),
        ));
    };
    if !role.may_accept() {
        return Err(AppError::Forbidden(
            "Only an owner, contributor or signatory on the buyer's account can accept the offer; a reader may only look at it."
                .into(),
        ));
    }
    let party = BuyerParty::Customer(role);
    let today = today(state);
    let mut offer = buyer.offer.clone();
    if sign_schedule && offer.form.payment_schedule.is_some() {
        offer.schedule_signatures.buyer = true;
    }
    let mut facts = buyer_facts(&buyer);
    facts.buyer_signed = offer.schedule_signatures.buyer;
    offer.status = lifecycle::buyer_offer_transition(
        offer.status,
        buyer_actor(&party),
        BuyerOfferAction::Accept,
        facts,
        today,
    )
    .map_err(refused)?
    .status()
    .ok_or(NO_BUYER_OFFER)?;
    store_buyer(buyer, offer, &party, today, Change::default())
}

/// One worker step: a published offer past its accept-by date expires; an active authorization
/// past its end date ends.
pub async fn worker_step(
    state: &AppState,
    row: &OfferRow,
    today: NaiveDate,
) -> Result<Option<Change>, AppError> {
    match row.kind {
        OfferKind::CppoBuyerOffer => {
            let buyer = load_buyer(state, &row.id).await?;
            let facts = buyer_facts(&buyer);
            if lifecycle::buyer_offer_due(buyer.offer.status, facts, today).is_none() {
                return Ok(None);
            }
            let mut offer = buyer.offer.clone();
            offer.status = BuyerOfferStatus::Expired;
            Ok(Some(Change {
                writes: vec![Write::Update {
                    row: buyer_row(&offer, &buyer.row)?,
                    status_changed: true,
                }],
                ..Change::default()
            }))
        }
        OfferKind::CppoAuthorization => {
            let authorization = load_authorization(state, &row.id).await?;
            let doc = &authorization.doc;
            if lifecycle::authorization_due(doc.status, doc.facts(), today).is_none() {
                return Ok(None);
            }
            let mut doc = doc.clone();
            doc.status = AuthorizationStatus::Ended;
            Ok(Some(Change {
                writes: vec![Write::Update {
                    row: authorization_row(&doc, &authorization.row)?,
                    status_changed: true,
                }],
                ..Change::default()
            }))
        }
        _ => Ok(None),
    }
}
