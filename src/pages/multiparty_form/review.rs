//! "Review and submit": the ISV's part read-only, each product's prices as the partner will see
//! them and the ISV's payout after fees; submit shows progress until the server answers.

use leptos::prelude::*;
use offerdesk_core::catalog::{Catalog, CATALOG_CURRENCY};
use offerdesk_core::money::display_amount;
use offerdesk_core::multiparty::{
    partner_prices, CustomerStart, IsvPart, NewPlanPricing, ProductLine,
};
use offerdesk_core::pricing::{reservation_subtotal, sum, ReservationPayment};
use offerdesk_core::Money;

use crate::components::price_table::{Fees, PriceKind, PriceRow, PriceTable};
use crate::components::review_actions::ReviewActions;

use super::draft::{term_label, term_name};
use super::products::existing_rows;
use super::FormContext;

/// The product's title: its offer and plan (a new plan: its own name and its template).
pub(super) fn title(catalog: &Catalog, product: &ProductLine) -> String {
    let (offer, plan) = product.offer_and_plan();
    let named = catalog
        .plan(offer, plan)
        .map(|(offer, plan)| format!("{} — {}", offer.name, plan.name))
        .unwrap_or_else(|| format!("{offer}/{plan}"));
    match product {
        ProductLine::NewSaasPlan { name, pricing, .. } => {
            let limits = match pricing {
                NewPlanPricing::PerUser {
                    min_users,
                    max_users,
                    ..
                } => format!(", {min_users} to {max_users} users"),
                NewPlanPricing::FlatRate {
                    included_quantities,
                    ..
                } if !included_quantities.is_empty() => {
                    let included: Vec<String> = included_quantities
                        .iter()
                        .map(|q| {
                            format!(
                                "{} {} per {}",
                                q.quantity,
                                q.dimension_id,
                                term_label(q.billing_term)
                            )
                        })
                        .collect();
                    format!(", including {}", included.join(", "))
                }
                NewPlanPricing::FlatRate { .. } => String::new(),
            };
            format!("new plan {name} (from {named}){limits}")
        }
        ProductLine::VmReservation { term, payment, .. } => {
            let paid = match payment {
                ReservationPayment::Upfront => "upfront",
                ReservationPayment::Monthly => "monthly",
            };
            format!(
                "{named}, {} reservations paid {paid}",
                term_name(*term).replace('_', " ")
            )
        }
        ProductLine::ExistingPlan { .. } => named,
    }
}

/// The partner prices of one product, as core computes them for the partner's view.
fn rows(part: &IsvPart, catalog: &Catalog, index: usize) -> Vec<PriceRow> {
    let product = &part.products[index];
    if matches!(product, ProductLine::ExistingPlan { .. }) {
        return existing_rows(catalog, product);
    }
    partner_prices(part, catalog)
        .unwrap_or_default()
        .into_iter()
        .filter(|item| item.product_index == index)
        .map(|item| PriceRow {
            point: match item.quantity {
                Some(quantity) => format!("{} × {quantity}", item.price_point_id),
                None => item.price_point_id,
            },
            list: item.list_price,
            price: Some(item.partner_price),
        })
        .collect()
}

/// The subtotals' total of a VM reservation product.
fn reservation_total(product: &ProductLine) -> Option<Money> {
    let ProductLine::VmReservation {
        term,
        payment,
        reservations,
        ..
    } = product
    else {
        return None;
    };
    let subtotals: Result<Vec<Money>, _> = reservations
        .iter()
        .map(|r| reservation_subtotal(r.unit_price, r.quantity, *term, *payment, CATALOG_CURRENCY))
        .collect();
    subtotals.ok().and_then(|list| sum(list).ok())
}

/// The ISV's part read-only: its details, then each product's prices as the partner will see
/// them with the ISV's payout.
fn reviewed(
    form: FormContext,
    part: IsvPart,
    partner_name: Signal<Option<String>>,
) -> impl IntoView {
    let start = match part.customer_start {
        CustomerStart::OnAcceptance => "On acceptance".to_owned(),
        CustomerStart::Month(month) => month.to_string(),
    };
    let seller = part.selling_partner_seller_id.clone();
    let partner = move || {
        partner_name
            .get()
            .map(|name| format!("{name} ({seller})"))
            .unwrap_or_else(|| seller.clone())
    };
    let shown_part = part.clone();
    let products = move || {
        let part = &shown_part;
        let catalog = form.catalog.get();
        (0..part.products.len())
            .map(|index| {
                let product = &part.products[index];
                let caption = format!("Product {}: {}", index + 1, title(&catalog, product));
                let total = reservation_total(product).map(|total| {
                    view! {
                        <p class="reservation-review-total">
                            {format!(
                                "Reservations total: {}",
                                display_amount(total.amount(), CATALOG_CURRENCY),
                            )}
                        </p>
                    }
                });
                let rows = rows(part, &catalog, index);
                view! {
                    <PriceTable
                        caption=Signal::stored(caption)
                        rows=Signal::stored(rows)
                        kind=PriceKind::Partner
                        fees=Fees::MULTIPARTY
                    />
                    {total}
                }
            })
            .collect_view()
    };
    let terms = part
        .terms
        .iter()
        .map(|document| document.customer_facing_name.clone())
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <dl class="review-list">
            <dt>"Private offer name"</dt>
            <dd>{part.name.clone()}</dd>
            <dt>"Description"</dt>
            <dd>{part.description.clone()}</dd>
            <dt>"Customer billing account ID"</dt>
            <dd>{format!("{} ({})", part.customer.billing_account_id, part.customer.country)}</dd>
            <dt>"Selling partner"</dt>
            <dd>{partner}</dd>
            <dt>"Customer start date"</dt>
            <dd>{start}</dd>
            <dt>"Customer end date"</dt>
            <dd>{part.customer_end.to_string()}</dd>
            <dt>"Accept by"</dt>
            <dd>{part.accept_by.to_string()}</dd>
            <dt>"Terms and conditions"</dt>
            <dd>{terms}</dd>
            <dt>"Notification contacts"</dt>
            <dd>{part.notification_contacts.join(", ")}</dd>
            <dt>"Sales note"</dt>
            <dd>{part.sales_note.clone()}</dd>
        </dl>
        <p class="hint">
            "Payouts after Microsoft's 3% fee on the partner price, for one unit of each price point."
        </p>
        {products}
    }
}

#[component]
pub(super) fn Review(
    /// The selling partner's name, once found.
    partner_name: Signal<Option<String>>,
    /// The status label of a submitted offer (then nothing can be changed).
    locked: Signal<Option<String>>,
    /// Whether the submit is under way.
    busy: Signal<bool>,
    /// Back to "Offer setup".
    on_back: Callback<()>,
    /// Submits the offer.
    on_submit: Callback<()>,
) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let valid = move || form.reading.with(|r| r.problems.is_empty());
    // What this page shows may still change once: a draft handed over by another page of the
    // form is read into it after the page starts.
    let part = Memo::new(move |_| form.reading.with(|r| r.part.clone()));
    view! {
        <section class="review" aria-labelledby="review-title">
            <h2 id="review-title">"Review and submit"</h2>
            {move || {
                locked
                    .get()
                    .map(|status| {
                        view! {
                            <p class="notice-info">
                                {format!("This offer is {status}: it is locked for edits.")}
                            </p>
                        }
                    })
            }}
            {move || reviewed(form, part.get(), partner_name)}
            <ReviewActions
                locked=Signal::derive(move || locked.get().is_some())
                ready=Signal::derive(move || valid() && !busy.get())
                submitting=busy
                on_back=on_back
                on_submit=on_submit
                dashboard="/offers?tab=multiparty"
            />
        </section>
    }
}
