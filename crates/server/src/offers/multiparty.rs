//! Multiparty private offers (SPEC "Program rules"): the ISV's draft, submit, withdraw, delete,
//! clone, upgrade and cancellation; the partner's part, submit (which creates the customer link)
//! and withdraw; the customer's acceptance through the link; purchases after acceptance. Every
//! write runs the core's validation and state machine; every answer is the caller's projection.

use std::sync::Arc;

use axum::http::StatusCode;
use chrono::NaiveDate;
use offerdesk_core::catalog::{Catalog, OfferType};
use offerdesk_core::multiparty::cancellation::{self, CancellationRefusal};
use offerdesk_core::multiparty::lifecycle::{self, MultipartyFacts};
use offerdesk_core::multiparty::purchase::{purchase_transition, PurchaseEvent};
use offerdesk_core::multiparty::validate::{
    validate_attached_terms, validate_isv_part, validate_partner_part, validate_partner_submit,
    validate_upgrade,
};
use offerdesk_core::multiparty::view::{customer_view, view_for, CustomerView, MultipartyView};
use offerdesk_core::multiparty::{
    CustomerStart, IsvPart, MultipartyAction, MultipartyOffer, MultipartyStatus, PartnerPart,
    ProductLine, Purchase, PurchaseStatus, Side,
};
use offerdesk_core::party::{BillingAccountRole, Companies, CustomerAccount, PartnerProfile};
use offerdesk_core::{Actor, FieldError, Outcome, Viewer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    check_version, document, documents, new_id, new_link_token, parse, refused, refused_because,
    to_document, to_json, today, unavailable, wire_name, Around, Computed,
};
use crate::auth::Caller;
use crate::error::AppError;
use crate::store::accounts::{PartnerKey, PartnerListing};
use crate::store::offers::{
    Change, FileChange, LinkChange, NewNotification, OfferKind, OfferRow, Page, Write,
};
use crate::AppState;

const UNSEEN: AppError = AppError::NoSuch("multiparty offer");
const PROGRAM: &str = "multiparty";

/// Who the caller is to one offer.
#[derive(Debug, Clone)]
pub enum Party {
    /// The originating ISV.
    Isv,
    /// The selling partner, with its profile.
    Partner(PartnerProfile),
    /// A customer user with this role on the offer's billing account.
    Customer(BillingAccountRole),
}

impl Party {
    fn actor(&self) -> Actor {
        match self {
            Party::Isv => Actor::Isv,
            Party::Partner(_) => Actor::Partner,
            Party::Customer(role) => Actor::Customer(*role),
        }
    }
}

/// One stored offer with what its projections and state machine need.
pub struct Loaded {
    /// The stored row.
    pub row: OfferRow,
    /// The core document.
    pub offer: MultipartyOffer,
    /// The ISV's catalog (shared by the offers of one list page).
    pub catalog: Arc<Catalog>,
    /// Both company names.
    pub companies: Companies,
    /// The selling partner's profile (for its submit eligibility).
    pub partner_profile: Option<PartnerProfile>,
}

impl Loaded {
    fn facts(&self, today: NaiveDate) -> MultipartyFacts {
        match &self.partner_profile {
            Some(profile) => MultipartyFacts::of(&self.offer, profile, today),
            None => MultipartyFacts {
                accept_by: self.offer.isv.accept_by,
                customer_end: self.offer.isv.customer_end,
                partner_submit: offerdesk_core::Eligibility::NotEligible {
                    reason: "The selling partner is no longer on Offer Desk.".into(),
                },
                purchases: self.offer.purchases.iter().map(|p| p.status).collect(),
                cancellation: self.offer.cancellation.clone(),
            },
        }
    }
}

/// Reads the offer with `id` and what goes with it (404 when there is none of this program).
pub async fn load(state: &AppState, id: &str) -> Result<Loaded, AppError> {
    let row = super::stored_row(state, id, OfferKind::Multiparty, UNSEEN).await?;
    loaded_from(state, row, &mut Around::default()).await
}

/// A stored multiparty row with what goes with it.
async fn loaded_from(
    state: &AppState,
    row: OfferRow,
    around: &mut Around,
) -> Result<Loaded, AppError> {
    let offer: MultipartyOffer = document(&row.document)?;
    let catalog = around.catalog(state, row.owner_org_id).await?;
    let isv = around
        .organization(state, row.owner_org_id)
        .await?
        .map(|organization| organization.name.clone())
        .unwrap_or_default();
    let partner_org = match row.partner_org_id {
        Some(id) => around.organization(state, id).await?,
        None => None,
    };
    let companies = Companies {
        isv,
        partner: partner_org
            .as_ref()
            .map(|org| org.name.clone())
            .unwrap_or_default(),
    };
    Ok(Loaded {
        row,
        offer,
        catalog,
        companies,
        partner_profile: partner_org.and_then(|org| org.partner.clone()),
    })
}

/// Who `caller` is to the loaded offer, or 404 when it is none of its parties.
pub fn party_of(loaded: &Loaded, caller: &Caller) -> Result<Party, AppError> {
    if caller.organization_id == loaded.row.owner_org_id && caller.organization_kind.is_isv() {
        return Ok(Party::Isv);
    }
    if Some(caller.organization_id) == loaded.row.partner_org_id
        && caller.organization_kind.is_partner()
    {
        if let Some(profile) = &loaded.partner_profile {
            return Ok(Party::Partner(profile.clone()));
        }
    }
    let account = &loaded.offer.isv.customer.billing_account_id;
    caller
        .billing_roles
        .iter()
        .find(|(id, _)| id == account)
        .map(|(_, role)| Party::Customer(*role))
        .ok_or(UNSEEN)
}

/// The caller's answer for one offer: `{ id, version, viewer, offer, allowed_actions }`,
/// serialized straight from the core's view (a list page writes fifty of them).
#[derive(Debug, Serialize)]
pub struct Projected {
    #[serde(flatten)]
    view: MultipartyView,
    id: String,
    version: i64,
    allowed_actions: Vec<String>,
}

/// A page of a list: the caller's answers and the cursor of the next page (`null` on the last).
#[derive(Debug, Serialize)]
pub struct ListPage {
    offers: Vec<Projected>,
    next_cursor: Value,
}

/// The caller's answer for the offer as JSON, or 404 when the core shows this party nothing of
/// it now.
pub fn projection(loaded: &Loaded, party: &Party, today: NaiveDate) -> Result<Value, AppError> {
    to_json(&projected(loaded, party, today)?)
}

/// The caller's answer for the offer, or 404 when the core shows this party nothing of it now.
pub fn projected(loaded: &Loaded, party: &Party, today: NaiveDate) -> Result<Projected, AppError> {
    let account;
    let viewer = match party {
        Party::Isv => Viewer::Isv {
            organization_id: &loaded.offer.isv_organization_id,
        },
        Party::Partner(profile) => Viewer::Partner(profile),
        Party::Customer(_) => {
            account = CustomerAccount::MicrosoftBillingAccount(
                loaded.offer.isv.customer.billing_account_id.clone(),
            );
            Viewer::Customer(&account)
        }
    };
    let view = view_for(
        &loaded.offer,
        viewer,
        &loaded.catalog,
        &loaded.companies,
        today,
    )
    .map_err(|error| AppError::Internal(format!("a stored offer does not price: {error}")))?
    .ok_or(UNSEEN)?;
    Ok(Projected {
        view,
        id: loaded.row.id.clone(),
        version: loaded.row.version,
        allowed_actions: allowed_actions(loaded, party, today),
    })
}

/// What `party` may do now: the state machine's actions, plus `edit` for the side whose part is
/// open and the cancellation steps.
pub fn allowed_actions(loaded: &Loaded, party: &Party, today: NaiveDate) -> Vec<String> {
    let facts = loaded.facts(today);
    let actor = party.actor();
    let mut actions: Vec<String> =
        lifecycle::allowed_actions(loaded.offer.status, actor, &facts, today)
            .iter()
            .map(wire_name)
            .collect();
    let side = match party {
        Party::Isv => Some(Side::Isv),
        Party::Partner(_) => Some(Side::Partner),
        Party::Customer(_) => None,
    };
    if side.is_some() && loaded.offer.status.editable_by() == side {
        actions.push("edit".into());
    }
    actions.extend(
        cancellation::cancellation_actions(&loaded.offer, actor)
            .into_iter()
            .map(String::from),
    );
    actions
}

/// The row to store for `offer`, keeping `base`'s identity columns.
fn row_for(offer: &MultipartyOffer, base: &OfferRow) -> Result<OfferRow, AppError> {
    Ok(OfferRow {
        customer_account: Some(offer.isv.customer.billing_account_id.clone()),
        parent_id: offer.upgrade_of.clone(),
        status: wire_name(&offer.status),
        name: offer.isv.name.clone(),
        start_date: match offer.isv.customer_start {
            CustomerStart::Month(month) => Some(month),
            CustomerStart::OnAcceptance => None,
        },
        end_date: Some(offer.isv.customer_end),
        accept_by: Some(offer.isv.accept_by),
        document: to_document(offer)?,
        ..base.clone()
    })
}

fn new_row(
    offer: &MultipartyOffer,
    owner_org_id: i64,
    partner_org_id: Option<i64>,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<OfferRow, AppError> {
    let base = OfferRow {
        id: offer.id.clone(),
        kind: OfferKind::Multiparty,
        owner_org_id,
        partner_org_id,
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
    row_for(offer, &base)
}

/// The notifications a move to `status` sends: one row per party organization, each with its own
/// contacts only (a party never learns the other's contacts).
pub fn notifications(loaded_row: &OfferRow, offer: &MultipartyOffer) -> Vec<NewNotification> {
    let status = offer.status;
    if !status.notifies_contacts() {
        return Vec::new();
    }
    let message = format!(
        "The multiparty private offer \"{}\" is now {}.",
        offer.isv.name,
        status.label()
    );
    let mut rows = vec![NewNotification {
        organization_id: loaded_row.owner_org_id,
        offer_id: offer.id.clone(),
        program: PROGRAM.into(),
        status: status.label().into(),
        message: message.clone(),
        recipients: offer.isv.notification_contacts.clone(),
    }];
    if let Some(partner) = loaded_row.partner_org_id {
        rows.push(NewNotification {
            organization_id: partner,
            offer_id: offer.id.clone(),
            program: PROGRAM.into(),
            status: status.label().into(),
            message,
            recipients: offer.partner.notification_contacts.clone(),
        });
    }
    rows
}

/// The partner organization with `seller_id`: its ID, name and profile.
async fn selling_partner(
    state: &AppState,
    seller_id: &str,
) -> Result<Option<PartnerListing>, AppError> {
    if seller_id.trim().is_empty() {
        return Ok(None);
    }
    state
        .store
        .partner(PartnerKey::SellerId(seller_id.to_owned()))
        .await
        .map_err(unavailable)
}

fn require_isv(caller: &Caller) -> Result<(), AppError> {
    if caller.organization_kind.is_isv() {
        Ok(())
    } else {
        Err(AppError::Forbidden(
            "Only an ISV creates multiparty private offers.".into(),
        ))
    }
}

/// `POST /multiparty-offers`: the ISV's new draft.
pub async fn create(state: &AppState, caller: &Caller, body: Value) -> Result<Computed, AppError> {
    require_isv(caller)?;
    let part: IsvPart = parse(body)?;
    let today = today(state);
    let catalog = state
        .store
        .catalog(caller.organization_id)
        .await
        .map_err(unavailable)?;
    let partner = selling_partner(state, &part.selling_partner_seller_id).await?;
    validate_isv_part(&part, &catalog, partner.as_ref().map(|p| &p.partner), today)?;
    // Terms are uploaded to the draft once it exists.
    validate_attached_terms(&part.terms, &[])?;
    let partner = SellingPartner {
        organization_id: partner.as_ref().map(|p| p.organization_id),
        company: partner.as_ref().map(|p| p.name.clone()).unwrap_or_default(),
        profile: partner.map(|p| p.partner),
    };
    let offer = MultipartyOffer {
        id: new_id("mpo")?,
        status: MultipartyStatus::Draft,
        isv_organization_id: caller.organization_id.to_string(),
        isv: part,
        partner: PartnerPart::default(),
        upgrade_of: None,
        purchases: Vec::new(),
        cancellation: None,
    };
    insert(state, caller, offer, Arc::new(catalog), partner, Vec::new()).await
}

/// The selling partner of a new offer, as its row and projection need it.
struct SellingPartner {
    organization_id: Option<i64>,
    company: String,
    profile: Option<PartnerProfile>,
}

impl SellingPartner {
    /// The selling partner of an offer read already (a clone or an upgrade keeps it).
    fn of(loaded: &Loaded) -> SellingPartner {
        SellingPartner {
            organization_id: loaded.row.partner_org_id,
            company: loaded.companies.partner.clone(),
            profile: loaded.partner_profile.clone(),
        }
    }
}

/// A new draft of the caller's, priced with `catalog` (the caller's, read by the handler
/// already: each read of it costs a database round trip and a parse), stored with its terms
/// files.
async fn insert(
    state: &AppState,
    caller: &Caller,
    offer: MultipartyOffer,
    catalog: Arc<Catalog>,
    partner: SellingPartner,
    files: Vec<FileChange>,
) -> Result<Computed, AppError> {
    let now = state.clock.now();
    let row = new_row(&offer, caller.organization_id, partner.organization_id, now)?;
    let loaded = Loaded {
        row: row.clone(),
        catalog,
        companies: Companies {
            isv: caller.organization_name.clone(),
            partner: partner.company,
        },
        partner_profile: partner.profile,
        offer,
    };
    let body = projection(&loaded, &Party::Isv, today(state))?;
    Ok(Computed {
        status: StatusCode::CREATED,
        body,
        change: Change {
            writes: vec![Write::Insert(row)],
            files,
            ..Change::default()
        },
    })
}

/// Stores `offer` over `loaded`, with the notifications of a status change, and answers the
/// caller's projection of the result.
pub fn update(
    loaded: Loaded,
    offer: MultipartyOffer,
    party: &Party,
    today: NaiveDate,
    mut change: Change,
) -> Result<Computed, AppError> {
    let status_changed = offer.status != loaded.offer.status;
    let mut row = row_for(&offer, &loaded.row)?;
    if status_changed {
        change.notifications.extend(notifications(&row, &offer));
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
    let body = projection(&after, party, today)?;
    Ok(Computed {
        status: StatusCode::OK,
        body,
        change,
    })
}

/// Runs the state machine for `action` by `party` (409 with the allowed actions when refused).
fn decide(
    loaded: &Loaded,
    party: &Party,
    action: MultipartyAction,
    today: NaiveDate,
) -> Result<Outcome<MultipartyStatus>, AppError> {
    lifecycle::transition(
        loaded.offer.status,
        party.actor(),
        action,
        &loaded.facts(today),
        today,
    )
    .map_err(refused)
}

/// Loads the offer for `caller`, checks that the caller can see it (404) and the version (409).
async fn load_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    version: Option<i64>,
) -> Result<(Loaded, Party), AppError> {
    let loaded = load(state, id).await?;
    let party = party_of(&loaded, caller)?;
    // What the party may not see answers 404 before any other refusal.
    projected(&loaded, &party, today(state))?;
    if let Some(version) = version {
        check_version(version, loaded.row.version)?;
    }
    Ok((loaded, party))
}

/// `GET /multiparty-offers/{id}`.
pub async fn get(state: &AppState, caller: &Caller, id: &str) -> Result<Value, AppError> {
    let (loaded, party) = load_for(state, caller, id, None).await?;
    projection(&loaded, &party, today(state))
}

/// `GET /multiparty-offers`: one page of the offers the caller is a party to and may see now,
/// newest first, and the cursor of the next page.
pub async fn list(state: &AppState, caller: &Caller, page: Page) -> Result<ListPage, AppError> {
    let scopes = super::scopes_of(caller, true);
    let (rows, next_cursor) = super::page_of(state, OfferKind::Multiparty, scopes, page).await?;
    let mut around = Around::default();
    let mut offers = Vec::new();
    let today = today(state);
    for row in rows {
        let loaded = loaded_from(state, row, &mut around).await?;
        let Ok(party) = party_of(&loaded, caller) else {
            continue;
        };
        match projected(&loaded, &party, today) {
            Ok(answer) => offers.push(answer),
            Err(AppError::NoSuch(_)) => {}
            Err(error) => return Err(error),
        }
    }
    Ok(ListPage {
        offers,
        next_cursor,
    })
}

/// `PUT /multiparty-offers/{id}`: the ISV edits its draft (`version` names what it read).
pub async fn edit_isv(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut body: Value,
) -> Result<Computed, AppError> {
    let version = super::take_version(&mut body)?;
    let part: IsvPart = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    if !matches!(party, Party::Isv) || loaded.offer.status.editable_by() != Some(Side::Isv) {
        return Err(refused_because(
            format!(
                "Only the ISV edits its part, and only while the offer is a Draft; it is {}.",
                loaded.offer.status.label()
            ),
            allowed_actions(&loaded, &party, today),
        ));
    }
    let partner = selling_partner(state, &part.selling_partner_seller_id).await?;
    validate_isv_part(
        &part,
        &loaded.catalog,
        partner.as_ref().map(|p| &p.partner),
        today,
    )?;
    if let Some(old_id) = &loaded.offer.upgrade_of {
        let old = load(state, old_id).await?;
        validate_upgrade(&old.offer, &part)?;
    }
    validate_attached_terms(&part.terms, &loaded.offer.isv.terms)?;
    let change = Change {
        files: documents::dropped_terms(id, &loaded.offer.isv.terms, &part.terms),
        ..Change::default()
    };
    let mut offer = loaded.offer.clone();
    offer.isv = part;
    let mut loaded = loaded;
    loaded.row.partner_org_id = partner.as_ref().map(|p| p.organization_id);
    loaded.companies.partner = partner.as_ref().map(|p| p.name.clone()).unwrap_or_default();
    loaded.partner_profile = partner.map(|p| p.partner);
    update(loaded, offer, &party, today, change)
}

/// `PUT /multiparty-offers/{id}/partner`: the partner's part (adjustment %, prepared-by,
/// terms, contacts, sales note) while the offer is Pending partner action.
pub async fn edit_partner(
    state: &AppState,
    caller: &Caller,
    id: &str,
    mut body: Value,
) -> Result<Computed, AppError> {
    let version = super::take_version(&mut body)?;
    let part: PartnerPart = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    if !matches!(party, Party::Partner(_))
        || loaded.offer.status.editable_by() != Some(Side::Partner)
    {
        return Err(refused_because(
            format!(
                "Only the selling partner edits its part, and only while the offer is Pending partner action; it is {}.",
                loaded.offer.status.label()
            ),
            allowed_actions(&loaded, &party, today),
        ));
    }
    validate_partner_part(&part, &loaded.offer.isv)?;
    validate_attached_terms(&part.terms, &loaded.offer.partner.terms)?;
    let change = Change {
        files: documents::dropped_terms(id, &loaded.offer.partner.terms, &part.terms),
        ..Change::default()
    };
    let mut offer = loaded.offer.clone();
    offer.partner = part;
    update(loaded, offer, &party, today, change)
}

/// A body naming only the version read.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionBody {
    /// The version read.
    pub version: i64,
}

/// `POST /multiparty-offers/{id}/submit`: the ISV sends its draft to the partner, or the
/// partner sends the offer to the customer (which creates the customer link, answered once).
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let outcome = decide(&loaded, &party, MultipartyAction::Submit, today);
    let mut offer = loaded.offer.clone();
    let mut change = Change::default();
    let mut link = None;
    match &party {
        Party::Isv => {
            let status = outcome?.status().ok_or(UNSEEN)?;
            // The dates and the partner are checked again against today.
            validate_isv_part(
                &offer.isv,
                &loaded.catalog,
                loaded.partner_profile.as_ref(),
                today,
            )?;
            offer.status = status;
        }
        Party::Partner(profile) => {
            if loaded.offer.status == MultipartyStatus::PendingPartnerAction {
                // Every problem at once, including the eligibility, as 422.
                validate_partner_submit(&offer, profile, today)?;
            }
            let status = outcome?.status().ok_or(UNSEEN)?;
            offer.status = status;
            let (token, hash) = new_link_token()?;
            change.links.push(LinkChange::RevokeAll {
                offer_id: offer.id.clone(),
            });
            change.links.push(LinkChange::Create {
                token_hash: hash,
                offer_id: offer.id.clone(),
            });
            link = Some(token);
        }
        Party::Customer(_) => {
            outcome?;
        }
    }
    let computed = update(loaded, offer, &party, today, change)?;
    Ok(match link {
        Some(token) => computed.with_customer_link(&token),
        None => computed,
    })
}

/// `POST /multiparty-offers/{id}/customer-link`: the partner replaces the customer link of an
/// offer it sent (the old one stops working). The server keeps only hashes, so this is how a
/// lost link is recovered.
pub async fn rotate_link(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let sent = matches!(
        loaded.offer.status,
        MultipartyStatus::InProgressForCustomer | MultipartyStatus::PendingAcceptance
    );
    if !matches!(party, Party::Partner(_)) || !sent {
        return Err(refused_because(
            "The selling partner replaces the link of an offer it sent that waits for the customer.",
            allowed_actions(&loaded, &party, today),
        ));
    }
    let (token, hash) = new_link_token()?;
    let offer = loaded.offer.clone();
    let change = Change {
        links: vec![
            LinkChange::RevokeAll {
                offer_id: offer.id.clone(),
            },
            LinkChange::Create {
                token_hash: hash,
                offer_id: offer.id.clone(),
            },
        ],
        ..Change::default()
    };
    Ok(update(loaded, offer, &party, today, change)?.with_customer_link(&token))
}

/// Applies `action`, which moves the offer to a status its customer link does not outlive: the
/// link stops working.
async fn closing(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
    action: MultipartyAction,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let status = decide(&loaded, &party, action, today)?
        .status()
        .ok_or(UNSEEN)?;
    let mut offer = loaded.offer.clone();
    offer.status = status;
    let change = Change {
        links: vec![LinkChange::RevokeAll {
            offer_id: offer.id.clone(),
        }],
        ..Change::default()
    };
    update(loaded, offer, &party, today, change)
}

/// `POST /multiparty-offers/{id}/withdraw`: the ISV from Pending partner action, the partner
/// from Pending acceptance or Expired (its link stops working).
pub async fn withdraw(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    closing(state, caller, id, body, MultipartyAction::Withdraw).await
}

/// `DELETE /multiparty-offers/{id}?version=N`: the ISV deletes a draft.
pub async fn delete(
    state: &AppState,
    caller: &Caller,
    id: &str,
    version: i64,
) -> Result<(), AppError> {
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    decide(&loaded, &party, MultipartyAction::Delete, today(state))?;
    super::delete_row(state, &loaded.row).await
}

/// The body of a clone.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CloneBody {
    /// The copy's name (default: "Copy of ...").
    #[serde(default)]
    pub name: Option<String>,
}

/// `POST /multiparty-offers/{id}/clone`: a new draft from any status (ISV).
pub async fn clone(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let CloneBody { name } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, None).await?;
    decide(&loaded, &party, MultipartyAction::Clone, today(state))?;
    let name = name.unwrap_or_else(|| format!("Copy of {}", loaded.offer.isv.name));
    let mut copy = loaded.offer.clone_as(new_id("mpo")?, name);
    let mut problems = offerdesk_core::Problems::new();
    offerdesk_core::field::check_text(
        &mut problems,
        "name",
        "private offer name",
        &copy.isv.name,
        offerdesk_core::field::MAX_NAME_CHARS,
    );
    problems.finish(|| ())?;
    let files = documents::copy_terms(&loaded.row.id, &mut copy)?;
    let partner = SellingPartner::of(&loaded);
    insert(state, caller, copy, loaded.catalog, partner, files).await
}

/// `POST /multiparty-offers/{id}/upgrade`: a new draft linked to an Accepted or Ended offer, with
/// the ISV's part for the renewal (only pricing, dates, terms, contacts and the sales note may
/// differ; the dates may not overlap the old offer's).
pub async fn upgrade(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let part: IsvPart = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, None).await?;
    let today = today(state);
    decide(&loaded, &party, MultipartyAction::Upgrade, today)?;
    validate_upgrade(&loaded.offer, &part)?;
    validate_isv_part(
        &part,
        &loaded.catalog,
        loaded.partner_profile.as_ref(),
        today,
    )?;
    // The ISV keeps (or drops) the old offer's terms; new ones are uploaded to the draft.
    validate_attached_terms(&part.terms, &loaded.offer.isv.terms)?;
    let mut draft = loaded.offer.upgrade_as(new_id("mpo")?);
    draft.isv = part;
    let files = documents::copy_terms(&loaded.row.id, &mut draft)?;
    let partner = SellingPartner::of(&loaded);
    insert(state, caller, draft, loaded.catalog, partner, files).await
}

/// The body of a cancellation request.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CancellationBody {
    /// The version read.
    pub version: i64,
    /// Why the offer must be cancelled.
    pub reason: String,
}

/// `POST /multiparty-offers/{id}/cancellation`: the ISV or the partner asks to cancel an
/// accepted offer, with a reason.
pub async fn request_cancellation(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let CancellationBody { version, reason } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let request = cancellation::request_cancellation(&loaded.offer, party.actor(), &reason)
        .map_err(|refusal| cancellation_refused(refusal, &loaded, &party, today))?;
    let mut offer = loaded.offer.clone();
    offer.cancellation = Some(request);
    update(loaded, offer, &party, today, Change::default())
}

/// `POST /multiparty-offers/{id}/cancellation/confirm`: the other side or the customer (an
/// owner, contributor or signatory) confirms the request in writing.
pub async fn confirm_cancellation(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let VersionBody { version } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    let today = today(state);
    let request = cancellation::confirm_cancellation(&loaded.offer, party.actor())
        .map_err(|refusal| cancellation_refused(refusal, &loaded, &party, today))?;
    let mut offer = loaded.offer.clone();
    offer.cancellation = Some(request);
    update(loaded, offer, &party, today, Change::default())
}

/// A refused cancellation step: 403 when it is never the party's, 409 with the allowed
/// actions when not now, 422 on its reason.
fn cancellation_refused(
    refusal: CancellationRefusal,
    loaded: &Loaded,
    party: &Party,
    today: NaiveDate,
) -> AppError {
    match refusal {
        CancellationRefusal::NotYours(reason) => AppError::Forbidden(reason),
        CancellationRefusal::NotNow(reason) => {
            refused_because(reason, allowed_actions(loaded, party, today))
        }
        CancellationRefusal::Invalid(problems) => AppError::Invalid(problems),
    }
}

/// `POST /multiparty-offers/{id}/cancel`: the requesting side cancels once both confirmed and
/// nothing purchased remains subscribed.
pub async fn cancel(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    closing(state, caller, id, body, MultipartyAction::Cancel).await
}

/// The body of a purchase event.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PurchaseBody {
    /// The version read.
    pub version: i64,
    /// The public offer of the product.
    pub offer_id: String,
    /// Its plan.
    pub plan_id: String,
    /// What happened: `activate` (the ISV), or a simulated marketplace event
    /// (`payment_missed`, `payment_received`, `lapse`, `cancel`, `expire`).
    pub event: PurchaseEvent,
}

/// `POST /multiparty-offers/{id}/purchases`: the ISV activates a purchase, or simulates the
/// marketplace's events on it (this stands in for the marketplace's fulfillment feed).
pub async fn purchase_event(
    state: &AppState,
    caller: &Caller,
    id: &str,
    body: Value,
) -> Result<Computed, AppError> {
    let PurchaseBody {
        version,
        offer_id,
        plan_id,
        event,
    } = parse(body)?;
    let (loaded, party) = load_for(state, caller, id, Some(version)).await?;
    if !matches!(party, Party::Isv) {
        return Err(AppError::Forbidden(
            "The ISV records purchase events.".into(),
        ));
    }
    let today = today(state);
    let mut offer = loaded.offer.clone();
    let Some(purchase) = offer
        .purchases
        .iter_mut()
        .find(|p| p.offer_id == offer_id && p.plan_id == plan_id)
    else {
        return Err(AppError::Invalid(vec![FieldError::new(
            "plan_id",
            "The customer has no purchase of this product under the offer.",
        )]));
    };
    let actor = match event {
        PurchaseEvent::Activate => Actor::Isv,
        PurchaseEvent::Cancel => Actor::Customer(BillingAccountRole::Owner),
        _ => Actor::System,
    };
    let status = purchase_transition(purchase.status, actor, event, purchase.since, today)
        .map_err(refused)?
        .status()
        .ok_or(UNSEEN)?;
    if status != purchase.status {
        purchase.status = status;
        purchase.since = today;
    }
    update(loaded, offer, &party, today, Change::default())
}

/// What the customer sees through a link, or why it sees nothing (410 for a link that no longer
/// shows the offer, 404 before the offer's start month).
pub fn link_view(
    loaded: &Loaded,
    revoked: bool,
    today: NaiveDate,
) -> Result<CustomerView, AppError> {
    if loaded.offer.status == MultipartyStatus::Cancelled {
        return Err(AppError::LinkGone("cancelled"));
    }
    if revoked {
        return Err(AppError::LinkGone("withdrawn"));
    }
    if loaded.offer.status == MultipartyStatus::Expired {
        return Err(AppError::LinkGone("expired"));
    }
    customer_view(&loaded.offer, &loaded.catalog, &loaded.companies, today)
        .map_err(|error| AppError::Internal(format!("a stored offer does not price: {error}")))?
        .ok_or(AppError::NoSuch("offer at this link"))
}

/// The purchases an acceptance opens: one per SaaS product, pending fulfillment start.
fn purchases_on_acceptance(
    offer: &MultipartyOffer,
    catalog: &Catalog,
    today: NaiveDate,
) -> Vec<Purchase> {
    offer
        .isv
        .products
        .iter()
        .filter(|line| match line {
            ProductLine::NewSaasPlan { .. } => true,
            ProductLine::ExistingPlan { offer_id, .. } => catalog
                .offer(offer_id)
                .is_some_and(|public| public.offer_type == OfferType::Saas),
            ProductLine::VmReservation { .. } => false,
        })
        .map(|line| {
            let (offer_id, plan_id) = line.offer_and_plan();
            Purchase {
                offer_id: offer_id.to_owned(),
                plan_id: plan_id.to_owned(),
                status: PurchaseStatus::PendingFulfillmentStart,
                since: today,
            }
        })
        .collect()
}

/// Accepts through a link: the signed-in caller needs a role on the offer's billing account;
/// a reader is refused with 403 and the reason (it may look, not accept).
pub fn accept(
    loaded: Loaded,
    caller: &Caller,
    revoked: bool,
    today: NaiveDate,
) -> Result<Computed, AppError> {
    link_view(&loaded, revoked, today)?;
    let account = &loaded.offer.isv.customer.billing_account_id;
    let Some(role) = caller
        .billing_roles
        .iter()
        .find(|(id, _)| id == account)
        .map(|(_, role)| *role)
    else {
        return Err(AppError::Forbidden(
            "You hold no role on the billing account this offer is made to; sign in as its owner, contributor or signatory."
                .into(),
        ));
    };
    if !role.may_accept() {
        return Err(AppError::Forbidden(
            "Only an owner, contributor or signatory on the billing account can accept the offer; a reader may only look at it."
                .into(),
        ));
    }
    let party = Party::Customer(role);
    let status = decide(&loaded, &party, MultipartyAction::Accept, today)?
        .status()
        .ok_or(UNSEEN)?;
    let mut offer = loaded.offer.clone();
    offer.status = status;
    offer.purchases = purchases_on_acceptance(&offer, &loaded.catalog, today);
    update(loaded, offer, &party, today, Change::default())
}

/// One worker step for a multiparty offer: publish an In Progress offer after `delay`, and apply
/// the date-driven move due today. `None` when nothing is due.
pub fn worker_step(
    loaded: &Loaded,
    now: chrono::DateTime<chrono::Utc>,
    delay: chrono::Duration,
) -> Result<Option<Change>, AppError> {
    let today = now.date_naive();
    let facts = loaded.facts(today);
    let status = loaded.offer.status;
    let action = match status {
        MultipartyStatus::InProgressForPartner | MultipartyStatus::InProgressForCustomer
            if now - loaded.row.status_since >= delay =>
        {
            Some(MultipartyAction::Publish)
        }
        _ => lifecycle::due(status, &facts, today),
    };
    let Some(action) = action else {
        return Ok(None);
    };
    let Ok(outcome) = lifecycle::transition(status, Actor::System, action, &facts, today) else {
        return Ok(None);
    };
    let Some(next) = outcome.status() else {
        return Ok(None);
    };
    let mut offer = loaded.offer.clone();
    offer.status = next;
    let row = row_for(&offer, &loaded.row)?;
    let mut change = Change {
        notifications: notifications(&row, &offer),
        ..Change::default()
    };
    change.writes.push(Write::Update {
        row,
        status_changed: true,
    });
    Ok(Some(change))
}
