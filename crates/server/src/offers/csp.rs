//! CSP margin offers (seed 000): the ISV's drafts, submit (no change afterwards), clone, withdraw
//! (only while no partner sold) and delete (Draft only); each named partner's live margins and
//! its sales. A partner sees only the offers that name it and only its own entry.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::NaiveDate;
use offerdesk_core::catalog::Catalog;
use offerdesk_core::csp::lifecycle::{self, CspFacts};
use offerdesk_core::csp::validate::validate_csp_setup;
use offerdesk_core::csp::view::{csp_view_for, live_margins_for};
use offerdesk_core::csp::{
    validate_sale, CspAction, CspMarginOffer, CspOfferSetup, CspSale, CspStart, CspStatus, SaleForm,
};
use offerdesk_core::party::PartnerProfile;
use offerdesk_core::{Actor, Problems, Viewer};
use serde::Deserialize;
use serde_json::{json, Value};

use super::{
    check_version, document, new_id, parse, refused, refused_because, to_document, to_json, today,
    unavailable, wire_name, Around, Computed,
};
use crate::auth::Caller;
use crate::error::AppError;
use crate::store::accounts::PartnerQuery;
use crate::store::offers::{
    Applied, Change, NewNotification, OfferKind, OfferRow, Page, Scope, Write,
};
use crate::AppState;

const UNSEEN: AppError = AppError::NoSuch("CSP margin offer");
/// Statuses a partner may see an offer in (it sees nothing of a draft).
const SUBMITTED: [&str; 4] = ["InProgress", "Live", "Ended", "Withdrawn"];

/// Who the caller is to a CSP offer.
#[derive(Debug, Clone)]
enum Party {
    Isv,
    Partner(PartnerProfile),
}

struct Loaded {
    row: OfferRow,
    offer: CspMarginOffer,
    catalog: Arc<Catalog>,
}

async fn load(state: &AppState, id: &str) -> Result<Loaded, AppError> {
    let row = super::stored_row(state, id, OfferKind::Csp, UNSEEN).await?;
    loaded_from(state, row, &mut Around::default()).await
}

/// The offer of a stored row with its ISV's catalog; `around` keeps the catalogs read already,
/// so that a list reads each ISV's catalog once and no row twice.
async fn loaded_from(
    state: &AppState,
    row: OfferRow,
    around: &mut Around,
) -> Result<Loaded, AppError> {
    let offer = document(&row.document)?;
    let catalog = around.catalog(state, row.owner_org_id).await?;
    Ok(Loaded {
        row,
        offer,
        catalog,
    })
}

fn party_of(loaded: &Loaded, caller: &Caller) -> Result<Party, AppError> {
    if caller.organization_id == loaded.row.owner_org_id && caller.organization_kind.is_isv() {
        return Ok(Party::Isv);
    }
    match (&caller.partner, caller.organization_kind.is_partner()) {
        (Some(profile), true) => Ok(Party::Partner(profile.clone())),
        _ => Err(UNSEEN),
    }
}

fn actor(party: &Party) -> Actor {
    match party {
        Party::Isv => Actor::Isv,
        Party::Partner(_) => Actor::Partner,
    }
}

fn allowed_actions(loaded: &Loaded, party: &Party, today: NaiveDate) -> Vec<String> {
    let facts = loaded.offer.facts();
    let mut actions: Vec<String> = CspAction::ALL
        .into_iter()
        .filter(|action| {
            lifecycle::transition(&loaded.offer.progress, actor(party), *action, &facts, today)
                .is_ok()
        })
        .map(|action| wire_name(&action))
        .collect();
    if matches!(party, Party::Isv) && loaded.offer.progress.status.editable() {
        actions.push("edit".into());
    }
    actions
}

/// The caller's answer: `{ id, version, viewer, offer, allowed_actions }`; 404 when the core
/// shows this party nothing (a partner the offer does not name, or a draft).
fn projection(loaded: &Loaded, party: &Party, today: NaiveDate) -> Result<Value, AppError> {
    let organization_id = loaded.offer.isv_organization_id.clone();
    let viewer = match party {
        Party::Isv => Viewer::Isv {
            organization_id: &organization_id,
        },
        Party::Partner(profile) => Viewer::Partner(profile),
    };
    let view = csp_view_for(&loaded.offer, viewer, &loaded.catalog, today)
        .map_err(|error| AppError::Internal(format!("a stored offer does not price: {error}")))?
        .ok_or(UNSEEN)?;
    let mut body = to_json(&view)?;
    if let Value::Object(map) = &mut body {
        map.insert("id".into(), json!(loaded.row.id));
        map.insert("version".into(), json!(loaded.row.version));
        map.insert(
            "allowed_actions".into(),
            json!(allowed_actions(loaded, party, today)),
        );
    }
    Ok(body)
}

fn row_for(offer: &CspMarginOffer, base: &OfferRow) -> Result<OfferRow, AppError> {
    Ok(OfferRow {
        status: wire_name(&offer.progress.status),
        name: offer.setup.internal_name.clone(),
        start_date: match offer.setup.start {
            CspStart::Month(month) => Some(month),
            CspStart::AsSoonAsPossible => None,
        },
        end_date: Some(offer.setup.end),
        document: to_document(offer)?,
        ..base.clone()
    })
}

/// Live, Ended and Withdrawn tell the ISV's notification contacts.
fn notifications(row: &OfferRow, offer: &CspMarginOffer) -> Vec<NewNotification> {
    let status = offer.progress.status;
    if !status.notifies_contacts() {
        return Vec::new();
    }
    vec![NewNotification {
        organization_id: row.owner_org_id,
        offer_id: offer.id.clone(),
        program: "csp".into(),
        status: status.label().into(),
        message: format!(
            "The CSP margin offer \"{}\" is now {}.",
            offer.setup.internal_name,
            status.label()
        ),
        recipients: offer.setup.notification_contacts.clone(),
    }]
}

async fn known_partners(state: &AppState) -> Result<Vec<PartnerProfile>, AppError> {
    let page = state
        .store
        .search_partners(PartnerQuery {
            limit: 100_000,
            ..PartnerQuery::default()
        })
        .await
        .map_err(unavailable)?;
    Ok(page
        .partners
        .into_iter()
        .map(|listing| listing.partner)
        .collect())
}

async fn validate(
    state: &AppState,
    setup: &CspOfferSetup,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<(), AppError> {
    let partners = known_partners(state).await?;
    validate_csp_setup(setup, catalog, &partners, today)?;
    Ok(())
}

fn require_isv(caller: &Caller) -> Result<(), AppError> {
    if caller.organization_kind.is_isv() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only an ISV creates CSP margin offers.".into(),
        ))
    }
}

async fn insert(
    state: &AppState,
    caller: &Caller,
    offer: CspMarginOffer,
    catalog: Arc<Catalog>,
) -> Result<Computed, AppError> {
    let now = state.clock.now();
    let base = OfferRow {
        id: offer.id.clone(),
        kind: OfferKind::Csp,
        owner_org_id: caller.organization_id,
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
    };
    let row = row_for(&offer, &base)?;
    let loaded = Loaded {
        row: row.clone(),
        offer,
        catalog,
    };
    Ok(Computed {
        status: StatusCode::CREATED,
        body: projection(&loaded, &Party::Isv, today(state))?,
        change: Change {
            writes: vec![Write::Insert(row)],
            ..Change::default()
        },
    })
}

fn update(
    loaded: Loaded,
    offer: CspMarginOffer,
    party: &Party,
    today: NaiveDate,
) -> Result<Computed, AppError> {
    let status_changed = offer.progress != loaded.offer.progress;
    let mut row = row_for(&offer, &loaded.row)?;
    let mut change = Change::default();
    if offer.progress.status != loaded.offer.progress.status {
        change.notifications = notifications(&row, &offer);
    }
    change.writes.push(Write::Update {
        row: row.clone(),
        status_changed,
    });
    row.version += 1;
    let after = Loaded {
        row,
        offer,
        ..loaded
    };
    Ok(Computed {
        status: StatusCode::OK,
        body: projection(&after, party, today)?,
        change,
    })
}

async fn load_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    version: Option<i64>,
) -> Result<(Loaded, Party), AppError> {
    let loaded = load(state, id).await?;
    let party = party_of(&loaded, caller)?;
    projection(&loaded, &party, today(state))?;
    if let Some(version) = version {
        check_version(version, loaded.row.version)?;
    }
    Ok((loaded, party))
}

fn decide(
    loaded: &Loaded,
    party: &Party,
    action: CspAction,
    today: NaiveDate,
) -> Result<offerdesk_core::Outcome<offerdesk_core::csp::CspProgress>, AppError> {
    lifecycle::transition(
        &loaded.offer.progress,
        actor(party),
        action,
        &loaded.offer.facts(),
        today,
    )
    .map_err(refused)
}

/// `POST /csp-offers`: the ISV's new draft.
pub async fn create(state: &AppState, caller: &Caller, body: Value) -> Result<Computed, AppError> {
    require_isv(caller)?;
    let setup: CspOfferSetup = parse(body)?;
    let catalog = state
        .store
        .catalog(caller.organization_id)
        .await
        .map_err(unavailable)?;
    validate(state, &setup, &catalog, today(state)).await?;
    let offer = CspMarginOffer::draft(new_id("csp")?, caller.organization_id.to_string(), setup);
    insert(state, caller, offer, Arc::new(catalog)).await
}

/// The company name of each partner `setup` names, in its order ("" for one no longer in the
/// directory).
async fn partner_companies(
    state: &AppState,
    setup: &CspOfferSetup,
    around: &mut Around,
) -> Result<Vec<String>, AppError> {
    let mut names = Vec::with_capacity(setup.partners.len());
    for partner in &setup.partners {
        names.push(around.partner_name(state, &partner.tenant_id).await?);
    }
    Ok(names)
}

/// The caller's answer as read (list and get): the ISV's also names each partner by company
/// (`partner_companies`, in the order of `setup.partners`), so that no page has to look every
/// tenant ID up in the directory.
async fn read_answer(
    state: &AppState,
    loaded: &Loaded,
    party: &Party,
    today: NaiveDate,
    around: &mut Around,
) -> Result<Value, AppError> {
    let mut body = projection(loaded, party, today)?;
    if let (Party::Isv, Value::Object(map)) = (party, &mut body) {
        let names = partner_companies(state, &loaded.offer.setup, around).await?;
        map.insert("partner_companies".into(), json!(names));
    }
    Ok(body)
}

/// `GET /csp-offers`: the ISV's own offers, or the submitted offers that name the partner.
pub async fn list(state: &AppState, caller: &Caller, page: Page) -> Result<Value, AppError> {
    let mut scopes = Vec::new();
    if caller.organization_kind.is_isv() {
        scopes.push(Scope::Owner(caller.organization_id));
    }
    if caller.organization_kind.is_partner() && caller.partner.is_some() {
        scopes.push(Scope::Statuses(
            SUBMITTED.iter().map(|s| (*s).to_owned()).collect(),
        ));
    }
    let (rows, next_cursor) = super::page_of(state, OfferKind::Csp, scopes, page).await?;
    let today = today(state);
    let mut seen = std::collections::HashSet::new();
    let mut around = Around::default();
    let mut offers = Vec::new();
    for row in rows {
        if !seen.insert(row.id.clone()) {
            continue;
        }
        let loaded = loaded_from(state, row, &mut around).await?;
        let Ok(party) = party_of(&loaded, caller) else {
            continue;
        };
        match read_answer(state, &loaded, &party, today, &mut around).await {
            Ok(body) => offers.push(body),
            Err(AppError::NoSuch(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(json!({ "offers": offers, "next_cursor": next_cursor }))
}

/// `GET /csp-offers/{id}`.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Value, AppError> {
    let (loaded, party) = load_for(state, caller, id, None).await?;
    read_answer(state, &loaded, &party, today(state), &mut Around::default()).await
}

/// `PUT /csp-offers/{id}`: the ISV edits its draft.
pub async fn edit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut body: Value,
) -> Result<Computed, AppError> {
    let version = super::take_version(&mut body)?;
    let setup: CspOfferSetup = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    if !matches!(party, Party::Isv) || !loaded.offer.progress.status.editable() {
        return Err(refused_because(
            format!(
                "Once submitted, private offers cannot be modified; this one is {}.",
                loaded.offer.progress.status.label()
            ),
            allowed_actions(&loaded, &party, today),
        ));
    }
    validate(state, &setup, &loaded.catalog, today).await?;
    let mut offer = loaded.offer.clone();
    offer.setup = setup;
    update(loaded, offer, &party, today)
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct VersionBody {
    version: i64,
}

async fn act(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
    action: CspAction,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let progress = decide(&loaded, &party, action, today)?
        .status()
        .ok_or(UNSEEN)?;
    if action == CspAction::Submit {
        // The dates and partners are checked again against today.
        validate(state, &loaded.offer.setup, &loaded.catalog, today).await?;
    }
    let mut offer = loaded.offer.clone();
    offer.progress = progress;
    update(loaded, offer, &party, today)
}

/// `POST /csp-offers/{id}/submit`.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    act(state, caller, id, body, CspAction::Submit).await
}

/// `POST /csp-offers/{id}/withdraw`: only while no partner has sold it.
pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    act(state, caller, id, body, CspAction::Withdraw).await
}

/// `DELETE /csp-offers/{id}?version=N`: a draft only.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    id: &str,
    version: i64,
) -> Result<(), AppError> {
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    decide(&loaded, &party, CspAction::Delete, today(state))?;
    super::delete_row(state, &loaded.row).await
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CloneBody {
    #[serde(default)]
    internal_name: Option<String>,
}

/// `POST /csp-offers/{id}/clone`: a new draft from any status.
pub async fn clone(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let CloneBody { internal_name } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, None).await?;
    decide(&loaded, &party, CspAction::Clone, today(state))?;
    let name =
        internal_name.unwrap_or_else(|| format!("Copy of {}", loaded.offer.setup.internal_name));
    let copy = loaded.offer.clone_as(new_id("csp")?, name);
    let mut problems = Problems::new();
    offerdesk_core::field::check_text(
        &mut problems,
        "internal_name",
        "private offer name",
        &copy.setup.internal_name,
        offerdesk_core::field::MAX_NAME_CHARS,
    );
    problems.finish(|| ())?;
    insert(state, caller, copy, loaded.catalog).await
}

/// `GET /csp-margins`: every margin a partner can sell at today, only its own entry of each.
pub async fn live_margins(state: &AppState, caller: &Caller) -> Result<Value, AppError> {
    let Some(profile) = caller
        .partner
        .clone()
        .filter(|_| caller.organization_kind.is_partner())
    else {
        return Ok(json!({ "margins": [] }));
    };
    let rows = state
        .store
        .offers(OfferKind::Csp, Scope::Statuses(vec!["Live".into()]))
        .await
        .map_err(unavailable)?;
    let today = today(state);
    let mut around = Around::default();
    let mut margins = Vec::new();
    for row in rows {
        let loaded = loaded_from(state, row, &mut around).await?;
        let views = live_margins_for([&loaded.offer], &profile, &loaded.catalog, today).map_err(
            |error| AppError::Internal(format!("a stored offer does not price: {error}")),
        )?;
        margins.extend(views);
    }
    Ok(json!({ "margins": margins }))
}

/// `POST /csp-offers/{id}/sales`: a named partner records a sale at the margin, while the offer
/// is live and within its dates, to a customer it may sell to, of an offer/plan it covers. Sales
/// append, so no version is named; a concurrent write is retried.
pub async fn record_sale(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let sale: SaleForm = parse(body)?;
    for _ in 0..5 {
        let (loaded, party) = load_for(state, caller, id, None).await?;
        let Party::Partner(profile) = &party else {
            return Err(AppError::Forbidden(
                "A sale is recorded by the CSP partner that made it.".into(),
            ));
        };
        let today = today(state);
        decide(&loaded, &party, CspAction::RecordSale, today)?;
        validate_sale(&loaded.offer, &profile.tenant_id, &sale, &loaded.catalog)
            .map_err(AppError::Invalid)?;
        let mut offer = loaded.offer.clone();
        offer.sales.push(CspSale {
            partner_tenant_id: profile.tenant_id.clone(),
            customer_tenant_id: sale.customer_tenant_id.clone(),
            offer_id: sale.offer_id.clone(),
            plan_id: sale.plan_id.clone(),
            sold_on: today,
        });
        let computed = update(loaded, offer, &party, today)?;
        match state
            .store
            .apply(computed.change, state.clock.now())
            .await
            .map_err(unavailable)?
        {
            Applied::Done => {
                return Ok((StatusCode::CREATED, crate::reply::Json(computed.body)).into_response())
            }
            Applied::Stale { .. } => continue,
            Applied::KeyTaken => break,
        }
    }
    Err(AppError::Unavailable(crate::store::StoreError::Task(
        "the offer kept changing; try again".into(),
    )))
}

/// One worker step: a publishing step for every partner once the delay has passed (Live when all
/// are), and Ended past the end date.
pub async fn worker_step(
    state: &AppState,
    id: &str,
    now: chrono::DateTime<chrono::Utc>,
    delay: chrono::Duration,
) -> Result<Option<Change>, AppError> {
    let loaded = load(state, id).await?;
    let today = now.date_naive();
    let facts: CspFacts = loaded.offer.facts();
    let progress = &loaded.offer.progress;
    let action = match lifecycle::due(progress, &facts, today) {
        Some(action) => Some(action),
        None if progress.status == CspStatus::InProgress
            && now - loaded.row.status_since >= delay =>
        {
            Some(CspAction::Publish)
        }
        None => None,
    };
    let Some(action) = action else {
        return Ok(None);
    };
    let Ok(outcome) = lifecycle::transition(progress, Actor::System, action, &facts, today) else {
        return Ok(None);
    };
    let Some(next) = outcome.status() else {
        return Ok(None);
    };
    let mut offer = loaded.offer.clone();
    offer.progress = next;
    let row = row_for(&offer, &loaded.row)?;
    let mut change = Change::default();
    if offer.progress.status != loaded.offer.progress.status {
        change.notifications = notifications(&row, &offer);
    }
    change.writes.push(Write::Update {
        row,
        // Each partner step restarts the delay.
        status_changed: true,
    });
    Ok(Some(change))
}
