//! "Review and submit": the saved offer's ISV part read-only, each product's prices as the
//! partner will see them and the ISV's payout after fees; submit shows progress until the
//! server answers.

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::catalog::{Catalog, CATALOG_CURRENCY};
use offerdesk_core::money::display_amount;
use offerdesk_core::multiparty::{
    partner_prices, CustomerStart, IsvPart, NewPlanPricing, PricingType, ProductLine,
};
use offerdesk_core::pricing::{reservation_subtotal, sum, ReservationPayment};
use offerdesk_core::{FieldError, Money};

use serde::de::IgnoredAny;
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::components::catalog_source::CatalogSource;
use crate::components::price_table::{Fees, PriceKind, PriceRow, PriceTable};
use crate::components::review_actions::ReviewActions;
use crate::dates::{long_date, month_and_year};
use crate::router::use_router;

use super::draft::{term_label, term_name};
use super::products::existing_rows;
use super::saved::{by_seller_id, new_key, Answer};
use super::{problem_list, steps, Step};

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
        .map(|item| {
            let mut row = PriceRow::new(
                item.price_point_id,
                item.list_price,
                Some(item.partner_price),
            );
            if let Some(quantity) = item.quantity {
                row.label = format!("{} × {quantity}", row.label);
            }
            row
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
    catalog: CatalogSource,
    part: IsvPart,
    partner_name: Signal<Option<String>>,
) -> impl IntoView {
    let start = match part.customer_start {
        CustomerStart::OnAcceptance => "On acceptance".to_owned(),
        CustomerStart::Month(month) => month_and_year(month),
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
        catalog.with(|catalog| {
            (0..part.products.len())
                .map(|index| {
                    let product = &part.products[index];
                    let caption = format!("Product {}: {}", index + 1, title(catalog, product));
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
                    let rows = rows(part, catalog, index);
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
        })
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
            <dd>{long_date(part.customer_end)}</dd>
            <dt>"Accept by"</dt>
            <dd>{long_date(part.accept_by)}</dd>
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

/// The saved offer as this page reads it.
#[derive(Clone)]
struct Opened {
    id: String,
    version: i64,
    part: IsvPart,
    /// The status label of a submitted offer (then nothing can be changed).
    locked: Option<String>,
}

/// What the page knows of the offer: still reading, read, or why not.
#[derive(Clone)]
enum Offer {
    Loading,
    Opened(Box<Opened>),
    Failed(String),
}

impl Offer {
    /// The saved offer `id`, as the server answers.
    async fn read(id: &str) -> Offer {
        let answer = match api::get::<Answer>(&format!("/api/v1/multiparty-offers/{id}")).await {
            Ok(answer) => answer,
            Err(error) => return Offer::Failed(error.general()),
        };
        let Some(view) = answer.view() else {
            return Offer::Failed("The server's answer could not be read.".to_owned());
        };
        Offer::Opened(Box::new(Opened {
            locked: (!answer.editable()).then_some(view.status_label),
            id: answer.id,
            version: answer.version,
            part: view.isv,
        }))
    }
}

/// The company name of `offer`'s selling partner, once found.
fn partner_of(offer: RwSignal<Offer>) -> Signal<Option<String>> {
    let seller_id = Memo::new(move |_| match &*offer.read() {
        Offer::Opened(opened) => opened.part.selling_partner_seller_id.clone(),
        _ => String::new(),
    });
    /// As much of the partner's directory entry as the review shows.
    #[derive(Deserialize)]
    struct Named {
        name: String,
    }
    let found = LocalResource::new(move || {
        let seller_id = seller_id.get();
        async move {
            // Unread, the review names the partner by its seller ID alone.
            let entry = by_seller_id::<Named>(&seller_id).await.ok().flatten();
            entry.map(|named| named.name)
        }
    });
    Signal::derive(move || found.get().flatten())
}

/// "Review and submit", a page of the form of its own (its bundle): the offer as the server
/// holds it, read-only, with its partner prices and payouts, and its submit. The form's other
/// pages save what is typed before they open it, so what is reviewed is what is submitted; the
/// server checks it again on submit. A submitted offer shows here, locked.
#[component]
pub(super) fn ReviewAndSubmit(id: String) -> impl IntoView {
    let router = use_router();
    let saved_id = (id != "new").then_some(id);
    let offer = RwSignal::new(Offer::Loading);
    let refused = RwSignal::new(None::<ApiError>);
    let submitting = RwSignal::new(false);
    let submit_key = StoredValue::new(new_key());
    if let Some(id) = saved_id.clone() {
        spawn_local(async move { offer.set(Offer::read(&id).await) });
    }
    let catalog = CatalogSource::new();
    let partner_name = partner_of(offer);
    let setup = Step::Setup.href(saved_id.as_deref());

    let on_submit = Callback::new(move |()| {
        let Offer::Opened(opened) = offer.get_untracked() else {
            return;
        };
        if submitting.get_untracked() || opened.locked.is_some() {
            return;
        }
        submitting.set(true);
        refused.set(None);
        spawn_local(async move {
            let answer = api::post_once::<_, IgnoredAny>(
                &format!("/api/v1/multiparty-offers/{}/submit", opened.id),
                &submit_key.get_value(),
                &api::Version {
                    version: opened.version,
                },
            )
            .await;
            submitting.set(false);
            match answer {
                Ok(_) => router.navigate("/offers?tab=multiparty"),
                Err(error) => refused.set(Some(error)),
            }
        });
    });

    let title = if saved_id.is_some() {
        "Multiparty private offer"
    } else {
        "New multiparty private offer"
    };
    let back = setup.clone();
    let unsaved = saved_id.is_none();
    let shown = move || match offer.get() {
        Offer::Loading if unsaved => view! {
            <p class="notice-info">
                "Nothing to review yet: this offer is not saved. "
                <a href=setup.clone()>"Back to offer setup"</a>
            </p>
        }
        .into_any(),
        Offer::Loading => {
            view! { <p class="status" role="status">"Loading the offer…"</p> }.into_any()
        }
        Offer::Failed(message) => {
            view! { <p class="notice-error" role="alert">{message}</p> }.into_any()
        }
        Offer::Opened(opened) => {
            let Opened {
                id, part, locked, ..
            } = *opened;
            let pricing_type = part
                .products
                .first()
                .map_or(PricingType::ExistingPlan, ProductLine::pricing_type);
            let back = back.clone();
            view! {
                {locked
                    .clone()
                    .map(|status| {
                        view! {
                            <p class="notice-info">
                                {format!("This offer is {status}: it is locked for edits.")}
                            </p>
                        }
                    })}
                {reviewed(catalog, part, partner_name)}
                // Beside the buttons, where the ISV pressed "Submit".
                <div aria-live="polite">
                    {move || {
                        refused
                            .get()
                            .map(|error| {
                                // A refusal without a field's problem: its one message.
                                let problems = if error.errors.is_empty() {
                                    vec![FieldError::new("", error.general())]
                                } else {
                                    error.errors
                                };
                                problem_list("The offer was not submitted:", &problems, None, pricing_type, |step, text| {
                                    view! { <a href=step.href(Some(&id))>{text}</a> }
                                })
                            })
                    }}
                    <p class="status" role="status">
                        {move || submitting.get().then_some("Submitting to your selling partner…")}
                    </p>
                </div>
                <ReviewActions
                    locked=Signal::stored(locked.is_some())
                    ready=Signal::derive(move || !submitting.get())
                    submitting=submitting.into()
                    on_back=Callback::new(move |()| router.navigate(&back))
                    on_submit=on_submit
                    dashboard="/offers?tab=multiparty"
                />
            }
            .into_any()
        }
    };
    view! {
        <section class="multiparty-form" aria-labelledby="mp-title">
            <h1 id="mp-title">{title}</h1>
            {steps(Step::Review)}
            {catalog.notice()}
            <section class="review" aria-labelledby="review-title">
                <h2 id="review-title">"Review and submit"</h2>
                {shown}
            </section>
        </section>
    }
}
