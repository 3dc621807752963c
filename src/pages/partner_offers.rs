//! The partner's multiparty inbox at `/partner/offers`: every offer an ISV sent this partner,
//! those waiting for the partner (Pending partner action) first.

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::multiparty::view::{PartnerView, ProductBrief};
use offerdesk_core::multiparty::{CustomerStart, MultipartyStatus};
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::components::purchase_statuses::PurchaseStatuses;

/// One multiparty offer as the API answers it to the selling partner.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct PartnerOffer {
    /// The offer's identifier.
    pub id: String,
    /// The version a write names (a stale one answers 409).
    pub version: i64,
    /// The partner's projection, computed by the server with the core (each product read as
    /// far as the page shows it).
    pub offer: PartnerView<ProductBrief>,
    /// What the partner may do now (`submit`, `withdraw`, `edit`, ...).
    #[serde(default)]
    pub allowed_actions: Vec<String>,
    /// The customer link a submit (or a replaced link) answers, once.
    #[serde(default)]
    pub customer_link: Option<CustomerLink>,
}

/// A customer link as the server answers it once.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CustomerLink {
    /// The link's secret token (`/links/{token}`).
    pub token: String,
}

impl PartnerOffer {
    /// Whether the partner may do `action` now.
    pub fn allows(&self, action: &str) -> bool {
        self.allowed_actions.iter().any(|allowed| allowed == action)
    }
}

/// Who an offer of the list is shown to (`isv` or `partner`).
/// The offers where the caller is the selling partner (an ISV-and-partner also gets its ISV
/// views, which this page leaves out).
async fn partner_offers() -> Result<Vec<PartnerOffer>, ApiError> {
    let list: Vec<api::Raw> = api::get_every_page("/api/v1/multiparty-offers", "offers").await?;
    let mut offers: Vec<PartnerOffer> = list
        .into_iter()
        .filter(|offer| api::seen_as(offer, "partner"))
        .filter_map(|offer| offer.read())
        .collect();
    offers.sort_by_key(|offer| {
        (
            offer.offer.status != MultipartyStatus::PendingPartnerAction,
            offer.offer.isv.accept_by,
        )
    });
    Ok(offers)
}

/// The "Sign in" prompt a partner page shows when nobody is signed in (401).
#[component]
pub fn SignInNeeded(
    /// Where to come back to after signing in.
    next: String,
) -> impl IntoView {
    let href = format!("/sign-in?next={next}");
    view! {
        <p class="notice-error" role="alert">
            "Sign in as a partner user to see this page. "
            <a href=href>"Sign in"</a>
        </p>
    }
}

/// The problem of a failed load, as a notice.
pub fn load_error(error: &ApiError, next: &str) -> AnyView {
    if error.status == 401 {
        return view! { <SignInNeeded next=next.to_owned() /> }.into_any();
    }
    let message = error
        .errors
        .iter()
        .map(|error| error.message.clone())
        .collect::<Vec<_>>()
        .join(" ");
    let message = if message.is_empty() {
        format!("The server refused the request ({}).", error.status)
    } else {
        message
    };
    view! { <p class="notice-error" role="alert">{message}</p> }.into_any()
}

/// When the customer's prices start, in words.
pub fn start_text(start: CustomerStart) -> String {
    match start {
        CustomerStart::OnAcceptance => "On acceptance".to_owned(),
        // ISO month: chrono's strftime machinery would weigh on the page.
        CustomerStart::Month(month) => month.to_string()[..7].to_owned(),
    }
}

/// The partner's inbox of multiparty private offers.
#[component]
pub fn PartnerOffersPage() -> impl IntoView {
    let offers = RwSignal::new(None::<Result<Vec<PartnerOffer>, ApiError>>);
    spawn_local(async move { offers.set(Some(partner_offers().await)) });

    let table = move || {
        match offers.get() {
        None => view! { <p class="status" role="status">"Loading offers…"</p> }.into_any(),
        Some(Err(error)) => load_error(&error, "/partner/offers"),
        Some(Ok(list)) if list.is_empty() => view! {
            <p>"No ISV has sent you a multiparty private offer yet."</p>
        }
        .into_any(),
        Some(Ok(list)) => view! {
            <table class="offer-table">
                <caption>"Multiparty private offers sent to you"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"ISV"</th>
                        <th scope="col">"Customer"</th>
                        <th scope="col">"Start"</th>
                        <th scope="col">"Accept by"</th>
                        <th scope="col">"End"</th>
                        <th scope="col">"Status"</th>
                    </tr>
                </thead>
                <tbody>
                    {list
                        .into_iter()
                        .map(|item| {
                            let offer = item.offer;
                            let href = format!("/partner/offers/{}", item.id);
                            let customer = format!(
                                "{} ({})",
                                offer.isv.customer.billing_account_id,
                                offer.isv.customer.country,
                            );
                            view! {
                                <tr>
                                    <th scope="row">
                                        <a href=href>{offer.isv.name.clone()}</a>
                                    </th>
                                    <td>{offer.isv_company.clone()}</td>
                                    <td>{customer}</td>
                                    <td class="date">{start_text(offer.isv.customer_start)}</td>
                                    <td class="date">{offer.isv.accept_by.to_string()}</td>
                                    <td class="date">{offer.isv.customer_end.to_string()}</td>
                                    <td class="offer-status">
                                        {offer.status_label.clone()}
                                        {(!offer.purchases.is_empty()).then(|| view! { <PurchaseStatuses purchases=offer.purchases.clone() /> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    }
    };

    view! {
        <section aria-labelledby="partner-offers-title">
            <h1 id="partner-offers-title">"Multiparty private offers"</h1>
            <p class="lead">
                "Offers with the status Pending partner action are ready for you to update and "
                "send to the customer. Select an offer's name to open it."
            </p>
            {table}
        </section>
    }
}
