//! Prices off list with the ISV's payout after the marketplace's fees, one row per price point:
//! the live previews and reviews of the ISV's three forms (the partner prices of a multiparty
//! offer, the wholesale prices of CSP margins and CPPO discounts), priced by core.

use leptos::prelude::*;
use offerdesk_core::catalog::{Plan, PublicOffer, CATALOG_CURRENCY};
use offerdesk_core::fees::{payouts, Deal, FeeTable};
use offerdesk_core::money::display_amount;
use offerdesk_core::pricing::{partner_price, PartnerPricing};
use offerdesk_core::{DiscountPercent, Money, Program};

/// One price point: what is priced, its list price and the price the partner pays (`None`
/// until it reads).
#[derive(Debug, Clone, PartialEq)]
pub struct PriceRow {
    pub point: String,
    pub list: Option<Money>,
    pub price: Option<Money>,
}

/// What the price column holds, which names it (and its cells' class).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PriceKind {
    /// A multiparty offer's partner prices.
    Partner,
    /// A CSP margin's or a CPPO discount's wholesale prices.
    Wholesale,
}

impl PriceKind {
    /// The headings of the point and price columns, and the price cells' classes.
    fn words(self) -> (&'static str, &'static str, &'static str) {
        match self {
            PriceKind::Partner => ("Price point", "Partner price", "amount partner-price"),
            PriceKind::Wholesale => (
                "Plan and price point",
                "Wholesale price",
                "amount wholesale",
            ),
        }
    }
}

/// Whose fees a payout is after: the program of the deal and its marketplace's fee table (a
/// constructor, so that a page links only the tables it shows).
#[derive(Debug, Clone, Copy)]
pub struct Fees {
    program: Program,
    table: fn() -> FeeTable,
}

impl Fees {
    /// A multiparty private offer: Microsoft's fees.
    pub const MULTIPARTY: Fees = Fees {
        program: Program::Multiparty,
        table: FeeTable::microsoft,
    };
    /// A CSP margin offer: Microsoft's fees.
    pub const CSP: Fees = Fees {
        program: Program::Csp,
        table: FeeTable::microsoft,
    };
    /// A CPPO resale authorization: AWS's fees.
    pub const CPPO: Fees = Fees {
        program: Program::Cppo,
        table: FeeTable::aws,
    };
}

/// An amount in the catalog's currency; "—" when there is none.
pub fn shown(price: Option<Money>) -> String {
    price
        .map(|price| display_amount(price.amount(), CATALOG_CURRENCY))
        .unwrap_or_else(|| "—".to_owned())
}

/// The ISV's net of `price` after `fees`, formatted ("—" when not priced).
pub fn payout_after_fees(fees: Fees, price: Option<Money>) -> String {
    let net = price.and_then(|price| {
        let deal = Deal {
            program: fees.program,
            currency: CATALOG_CURRENCY,
            partner_total: price,
            customer_total: price,
            renewal: false,
        };
        payouts(&(fees.table)(), &deal)
            .ok()
            .map(|payouts| payouts.isv.net)
    });
    shown(net)
}

/// The rows of every price point of `plans` at `percent` off list.
pub fn wholesale_rows<'a>(
    plans: impl IntoIterator<Item = (&'a PublicOffer, &'a Plan)>,
    percent: DiscountPercent,
) -> Vec<PriceRow> {
    plans
        .into_iter()
        .flat_map(|(offer, plan)| {
            plan.price_points().into_iter().map(move |point| {
                let places = point.kind.unit_places(CATALOG_CURRENCY);
                PriceRow {
                    point: format!("{}: {} {}", offer.name, plan.name, point.id),
                    list: Some(point.list_price),
                    price: partner_price(
                        point.list_price,
                        PartnerPricing::Discount(percent),
                        places,
                    )
                    .ok(),
                }
            })
        })
        .collect()
}

/// A table of prices and payouts after `fees`, one row per price point.
#[component]
pub fn PriceTable(
    /// The caption.
    #[prop(into)]
    caption: Signal<String>,
    /// The rows, live.
    #[prop(into)]
    rows: Signal<Vec<PriceRow>>,
    /// Partner or wholesale prices.
    kind: PriceKind,
    /// Whose fees the payout is after.
    fees: Fees,
) -> impl IntoView {
    let (point_heading, price_heading, price_class) = kind.words();
    view! {
        <table class="price-preview">
            <caption>{caption}</caption>
            <thead>
                <tr>
                    <th scope="col">{point_heading}</th>
                    <th scope="col" class="amount">"List price"</th>
                    <th scope="col" class="amount">{price_heading}</th>
                    <th scope="col" class="amount">"Your payout after fees"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows.get()
                        .into_iter()
                        .map(|row| {
                            let key = row.point.clone();
                            view! {
                                <tr data-price-point=key>
                                    <th scope="row">{row.point}</th>
                                    <td class="amount">{shown(row.list)}</td>
                                    <td class=price_class>{shown(row.price)}</td>
                                    <td class="amount payout">{payout_after_fees(fees, row.price)}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}
