//! The consulting partner's CPPO pages (AWS, seeds 003 and 004): the resale authorizations it
//! received at `/partner/cppo`, with its private offers to buyers, and "Create offer" from an
//! active authorization at `/partner/cppo/:id/new`.

use leptos::prelude::*;
use offerdesk_core::catalog::Catalog;
use offerdesk_core::cppo::view::BuyerOfferPartnerView;
use offerdesk_core::cppo::{AuthorizationKind, AuthorizationStatus, ResaleAuthorization};
use offerdesk_core::money::{display_amount, display_percent};
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::pages::partner_offers::load_error;

pub use crate::pages::partner_buyer_offer::BuyerOfferPage;

/// A resale authorization as the API answers it to the partner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Received {
    /// The authorization's identifier.
    pub id: String,
    /// The agreement.
    pub authorization: ResaleAuthorization,
    /// The authorizing ISV's company name.
    #[serde(default)]
    pub isv_company: String,
    /// The authorized plans of the ISV's catalog (on `GET /resale-authorizations/{id}` only).
    #[serde(default)]
    pub catalog: Catalog,
}

/// One of the partner's buyer offers, as listed.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Made {
    offer: BuyerOfferPartnerView,
}

/// The kind of discount, in the seeds' words.
pub fn kind_text(kind: &AuthorizationKind) -> &'static str {
    match kind {
        AuthorizationKind::Recurring { .. } => "Recurring discount",
        AuthorizationKind::NonRecurring { .. } => "Non-recurring discount (one buyer, once)",
    }
}

/// How long the authorization may be used, or for whom.
pub fn expiry_text(kind: &AuthorizationKind) -> String {
    match kind {
        AuthorizationKind::Recurring { until: Some(until) } => format!("Until {until}"),
        AuthorizationKind::Recurring { until: None } => {
            "Indefinitely, until you or the ISV end it".to_owned()
        }
        AuthorizationKind::NonRecurring {
            buyer_account_id,
            buyer_name,
        } => format!("Once, for {buyer_name} ({buyer_account_id})"),
    }
}

/// The authorized products, by ID (the list carries no catalog).
fn products_text(authorization: &ResaleAuthorization) -> String {
    authorization
        .terms
        .products
        .iter()
        .map(|product| format!("{} / {}", product.offer_id, product.plan_id))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `/partner/cppo`: the resale authorizations received and the offers made to buyers.
#[component]
pub fn PartnerCppoPage() -> impl IntoView {
    // Every page of both lists; an organization that is also an ISV gets its ISV views of
    // buyer offers too, which this page leaves out.
    let received = LocalResource::new(|| {
        api::get_every_page::<Received>("/api/v1/resale-authorizations", "authorizations")
    });
    let made = LocalResource::new(|| async {
        let list: Vec<api::Raw> = api::get_every_page("/api/v1/buyer-offers", "offers").await?;
        let offers = list
            .iter()
            .filter(|offer| api::seen_as(offer, "partner"))
            .filter_map(api::Raw::read::<Made>)
            .collect::<Vec<_>>();
        Ok::<_, ApiError>(offers)
    });
    view! {
        <section aria-labelledby="cppo-title">
            <h1 id="cppo-title">"Resale authorizations"</h1>
            <p class="lead">
                "ISVs authorize you to resell their products on AWS Marketplace at a discount off "
                "their list price: a recurring discount for as many buyers as you want, or a "
                "non-recurring discount for one buyer, used once. Create a private offer for a "
                "buyer from an active authorization."
            </p>
            {move || match received.get() {
                None => view! { <p class="status" role="status">"Loading authorizations…"</p> }.into_any(),
                Some(Err(error)) => load_error(&error, "/partner/cppo"),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p>"No ISV has authorized you to resell yet."</p> }.into_any()
                }
                Some(Ok(list)) => view! { <AuthorizationTable list=list /> }.into_any(),
            }}
            <h2>"Your private offers to buyers"</h2>
            {move || match made.get() {
                None => view! { <p class="status" role="status">"Loading offers…"</p> }.into_any(),
                Some(Err(error)) => load_error(&error, "/partner/cppo"),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p>"You have not made a private offer to a buyer yet."</p> }.into_any()
                }
                Some(Ok(list)) => view! { <BuyerOfferTable list=list /> }.into_any(),
            }}
        </section>
    }
}

/// The authorizations received, each with "Create offer" while active.
#[component]
fn AuthorizationTable(list: Vec<Received>) -> impl IntoView {
    view! {
        <table class="offer-table" id="authorizations">
            <caption>"Resale authorizations you received"</caption>
            <thead>
                <tr>
                    <th scope="col">"ISV"</th>
                    <th scope="col">"Products"</th>
                    <th scope="col">"Discount"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Valid"</th>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Action"</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|item| {
                        let authorization = &item.authorization;
                        let status = authorization.status;
                        let action = match status {
                            AuthorizationStatus::Active => view! {
                                <a href=format!("/partner/cppo/{}/new", item.id)>"Create offer"</a>
                            }
                            .into_any(),
                            AuthorizationStatus::Used => "Used for its one buyer".into_any(),
                            _ => "—".into_any(),
                        };
                        view! {
                            <tr>
                                <th scope="row">{item.isv_company.clone()}</th>
                                <td>{products_text(authorization)}</td>
                                <td>{display_percent(authorization.terms.discount_percent.value())}</td>
                                <td>{kind_text(&authorization.terms.kind)}</td>
                                <td>{expiry_text(&authorization.terms.kind)}</td>
                                <td class="offer-status">{status.label()}</td>
                                <td>{action}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}

/// The partner's buyer offers: buyer, contract value, accept-by date and status.
#[component]
fn BuyerOfferTable(list: Vec<Made>) -> impl IntoView {
    view! {
        <table class="offer-table" id="buyer-offers">
            <caption>"Private offers to buyers"</caption>
            <thead>
                <tr>
                    <th scope="col">"Buyer account ID"</th>
                    <th scope="col">"Contract value"</th>
                    <th scope="col">"Accept by"</th>
                    <th scope="col">"Status"</th>
                </tr>
            </thead>
            <tbody>
                {list
                    .into_iter()
                    .map(|made| {
                        let offer = made.offer;
                        view! {
                            <tr>
                                <th scope="row">{offer.form.buyer_account_id.clone()}</th>
                                <td>{display_amount(offer.contract_value.amount(), offerdesk_core::catalog::CATALOG_CURRENCY)}</td>
                                <td class="date">{offer.form.accept_by.to_string()}</td>
                                <td class="offer-status">{offer.status.label()}</td>
                            </tr>
                        }
                    })
                    .collect_view()}
            </tbody>
        </table>
    }
}
