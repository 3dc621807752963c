//! The purchase status of each SaaS product bought under an accepted multiparty offer: the
//! customer, the ISV and the partner each see the same list.

use leptos::prelude::*;
use offerdesk_core::multiparty::view::PurchaseRow;
use offerdesk_core::multiparty::PurchaseStatus;

/// The status in the seeds' own word.
fn word(status: PurchaseStatus) -> &'static str {
    match status {
        PurchaseStatus::PendingFulfillmentStart => "PendingFulfillmentStart",
        PurchaseStatus::Subscribed => "Subscribed",
        PurchaseStatus::Suspended => "Suspended",
        PurchaseStatus::Unsubscribed => "Unsubscribed",
    }
}

/// What the status means for the customer (seeds 001, 002).
fn meaning(status: PurchaseStatus) -> &'static str {
    match status {
        PurchaseStatus::PendingFulfillmentStart => {
            "Subscribed, but the service is not yet configured by the customer or not yet activated by the vendor."
        }
        PurchaseStatus::Subscribed => "Configured and activated; nothing more is needed.",
        PurchaseStatus::Suspended => {
            "A payment was not received; the subscription is cancelled after a 30-day grace period."
        }
        PurchaseStatus::Unsubscribed => {
            "Cancelled, expired, or not activated by the vendor within 30 days."
        }
    }
}

/// One line per purchased product: its plan, its purchase status and since when.
#[component]
pub fn PurchaseStatuses(
    /// The purchases, in the offer's product order.
    purchases: Vec<PurchaseRow>,
    /// Whether to say what each status means (the customer's page).
    #[prop(optional)]
    explained: bool,
) -> impl IntoView {
    let items = purchases
        .into_iter()
        .map(|purchase| {
            let since = purchase.since.to_string();
            let datetime = since.clone();
            view! {
                <li data-plan-id=purchase.plan_id>
                    <span class="plan-name">{purchase.plan_name}</span>
                    ": "
                    <strong class="purchase-status">{word(purchase.status)}</strong>
                    " since "
                    <time datetime=datetime>{since}</time>
                    {explained.then(|| view! { <span class="purchase-meaning">{meaning(purchase.status)}</span> })}
                </li>
            }
        })
        .collect_view();
    view! { <ul class="purchases">{items}</ul> }
}
