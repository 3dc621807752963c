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
    /// The price point's ID (`flat:one_month`), which the row carries as `data-price-point`.
    pub point: String,
    /// What the row prices, in words ("Flat rate, 1 month").
    pub label: String,
    pub list: Option<Money>,
    pub price: Option<Money>,
}

impl PriceRow {
    /// The row of the price point `point`, named in words.
    pub fn new(point: String, list: Option<Money>, price: Option<Money>) -> PriceRow {
        PriceRow {
            label: describe_price_point(&point),
            point,
            list,
            price,
        }
    }
}

/// A price point ID in words: `flat:one_month` is "Flat rate, 1 month",
/// `reservation:4 vCPU:one_year` "Reservation, 4 vCPU, 1 year".
pub fn describe_price_point(id: &str) -> String {
    let term = |term: &str| match term {
        "one_month" => "1 month".to_owned(),
        "one_year" => "1 year".to_owned(),
        "two_years" => "2 years".to_owned(),
        "three_years" => "3 years".to_owned(),
        other => other.replace('_', " "),
    };
    match id.split_once(':') {
        Some(("flat", rest)) => format!("Flat rate, {}", term(rest)),
        Some(("user", rest)) => format!("Per user, {}", term(rest)),
        Some(("meter", rest)) => format!("Meter {rest}, per unit"),
        Some(("reservation", rest)) => match rest.rsplit_once(':') {
            Some((size, length)) => format!("Reservation, {size}, {}", term(length)),
            None => format!("Reservation, {rest}"),
        },
        _ => id.to_owned(),
    }
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
                    label: format!(
                        "{}, {}: {}",
                        offer.name,
                        plan.name,
                        describe_price_point(&point.id)
                    ),
                    point: format!("{}/{}", plan.id, point.id),
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
                                    <th scope="row">{row.label}</th>
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

#[cfg(test)]
mod tests {
    use super::describe_price_point;

    #[test]
    fn price_points_read_as_words() {
        for (id, words) in [
            ("flat:one_month", "Flat rate, 1 month"),
            ("user:one_year", "Per user, 1 year"),
            ("meter:api-calls", "Meter api-calls, per unit"),
            (
                "reservation:4 vCPU:three_years",
                "Reservation, 4 vCPU, 3 years",
            ),
            ("reservation:2 vCPU", "Reservation, 2 vCPU"),
            ("something-else", "something-else"),
        ] {
            assert_eq!(describe_price_point(id), words, "{id}");
        }
    }
}
