//! The wholesale prices of catalog plans at a margin or discount off list, each with the ISV's
//! payout after the marketplace's fees: the live preview and the review of the CSP and CPPO
//! forms, priced by core.

use leptos::prelude::*;
use offerdesk_core::catalog::{Plan, PublicOffer, CATALOG_CURRENCY};
use offerdesk_core::fees::{payouts, Deal, FeeTable};
use offerdesk_core::money::display_amount;
use offerdesk_core::pricing::{partner_price, PartnerPricing};
use offerdesk_core::{DiscountPercent, Money, Program};

/// One price point of a plan, formatted for its currency.
#[derive(Debug, Clone, PartialEq)]
pub struct WholesaleRow {
    /// The offer, plan and price point.
    pub point: String,
    /// The list price.
    pub list: String,
    /// The partner's wholesale price.
    pub wholesale: String,
    /// What the ISV is paid of the wholesale price after the fees it pays.
    pub payout: String,
}

/// The ISV's net of `wholesale` under `program`'s default fee table.
fn payout(program: Program, wholesale: Money) -> Option<Money> {
    let deal = Deal {
        program,
        currency: CATALOG_CURRENCY,
        partner_total: wholesale,
        customer_total: wholesale,
        renewal: false,
    };
    payouts(&FeeTable::default_for(program), &deal)
        .ok()
        .map(|payouts| payouts.isv.net)
}

/// The rows of every price point of `plans` at `percent` off list, with `program`'s fees.
pub fn wholesale_rows<'a>(
    plans: impl IntoIterator<Item = (&'a PublicOffer, &'a Plan)>,
    percent: DiscountPercent,
    program: Program,
) -> Vec<WholesaleRow> {
    let shown = |price: Option<Money>| {
        price
            .map(|price| display_amount(price.amount(), CATALOG_CURRENCY))
            .unwrap_or_else(|| "—".to_owned())
    };
    plans
        .into_iter()
        .flat_map(|(offer, plan)| {
            plan.price_points().into_iter().map(move |point| {
                let places = point.kind.unit_places(CATALOG_CURRENCY);
                let wholesale =
                    partner_price(point.list_price, PartnerPricing::Discount(percent), places).ok();
                WholesaleRow {
                    point: format!("{}: {} {}", offer.name, plan.name, point.id),
                    list: shown(Some(point.list_price)),
                    wholesale: shown(wholesale),
                    payout: shown(wholesale.and_then(|price| payout(program, price))),
                }
            })
        })
        .collect()
}

/// A table of wholesale prices and payouts, one row per price point.
#[component]
pub fn WholesaleTable(
    /// The caption.
    #[prop(into)]
    caption: Signal<String>,
    /// The rows, live.
    #[prop(into)]
    rows: Signal<Vec<WholesaleRow>>,
) -> impl IntoView {
    view! {
        <table class="price-preview">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">"Plan and price point"</th>
                    <th scope="col" class="amount">"List price"</th>
                    <th scope="col" class="amount">"Wholesale price"</th>
                    <th scope="col" class="amount">"Your payout after fees"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| {
                            view! {
                                <tr>
                                    <th scope="row">{row.point}</th>
                                    <td class="amount">{row.list}</td>
                                    <td class="amount wholesale">{row.wholesale}</td>
                                    <td class="amount payout">{row.payout}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
