//! The "Product offers" part of the multiparty form: the offer's pricing type and one editor per
//! product line (existing plan, new SaaS plan, VM software reservations), each with its partner
//! prices computed live by core.

use leptos::prelude::*;
use offerdesk_core::catalog::{Catalog, OfferType, PlanPricing, CATALOG_CURRENCY};
use offerdesk_core::multiparty::{ExistingPlanPricing, ProductLine, MAX_PRODUCTS};
use offerdesk_core::pricing::ReservationPayment;
use offerdesk_core::pricing::{partner_price, reservation_subtotal, sum, PartnerPricing};
use offerdesk_core::{Money, Quantity};

use crate::components::confirm_dialog::focus_soon;
use crate::components::price_table::{
    payout_after_fees, shown, Fees, PriceKind, PriceRow, PriceTable,
};

use super::draft::{reservation_terms, term_label, term_name, ProductDraft, ReservationDraft};
use super::FormContext;

/// The three pricing types of seed 001, by their wire names.
pub(super) const PRICING_TYPES: [(&str, &str); 3] = [
    (
        "existing_plan",
        "Customize pricing for existing offers (absolute or discounted partner price)",
    ),
    (
        "new_saas_plan",
        "Create new SaaS plans from a template plan (flat rate or per user)",
    ),
    ("vm_reservation", "VM software reservations (1 or 3 years)"),
];

/// The partner prices of an existing plan's line, point by point, as core computes them.
pub(super) fn existing_rows(catalog: &Catalog, line: &ProductLine) -> Vec<PriceRow> {
    let ProductLine::ExistingPlan {
        offer_id,
        plan_id,
        partner_pricing,
    } = line
    else {
        return Vec::new();
    };
    let Some((_, plan)) = catalog.plan(offer_id, plan_id) else {
        return Vec::new();
    };
    plan.price_points()
        .into_iter()
        .map(|point| {
            let places = point.kind.unit_places(CATALOG_CURRENCY);
            let partner = match partner_pricing {
                ExistingPlanPricing::DiscountPercent(percent) => {
                    partner_price(point.list_price, PartnerPricing::Discount(*percent), places).ok()
                }
                ExistingPlanPricing::AbsolutePrices(prices) => prices
                    .iter()
                    .find(|price| price.price_point_id == point.id)
                    .map(|price| price.price),
            };
            PriceRow::new(point.id, Some(point.list_price), partner)
        })
        .collect()
}

/// Where a field of the form is, for its label and its JSON path: the offer itself, a product
/// line, or a reservation of a line, each by its current position (a removal moves the rest up).
#[derive(Clone, Copy)]
pub(super) enum Place {
    Offer,
    Product(Memo<usize>),
    Reservation(Memo<usize>, Memo<usize>),
}

impl Place {
    /// The label `stem` at this place, as the person reads it: "Discount % (product 2)",
    /// "Quantity (product 1, reservation 3)"; the offer's fields keep their stem.
    pub(super) fn label(self, stem: &str) -> String {
        match self {
            Place::Offer => stem.to_owned(),
            Place::Product(product) => format!("{stem} (product {})", product.get() + 1),
            Place::Reservation(product, row) => format!(
                "{stem} (product {}, reservation {})",
                product.get() + 1,
                row.get() + 1
            ),
        }
    }

    /// The JSON path of the field `tail` at this place, as core's and the server's errors name
    /// it: "products[1]" and ".name"; the offer's fields are their tail ("name").
    pub(super) fn path(self, tail: &str) -> String {
        match self {
            Place::Offer => tail.to_owned(),
            Place::Product(product) => format!("products[{}]{tail}", product.get()),
            Place::Reservation(product, row) => {
                format!(
                    "products[{}].reservations[{}]{tail}",
                    product.get(),
                    row.get()
                )
            }
        }
    }
}

/// A labelled text input of the form at `place`, whose errors are named by its path (and the
/// paths under it). Its label and path follow the place's position as lines are removed.
#[component]
pub(super) fn LineInput(
    /// The element id.
    id: String,
    /// Where the field is.
    place: Place,
    /// The visible label, without the place ("Discount %").
    #[prop(into)]
    label: String,
    /// The JSON path of the field under its place (".partner_pricing.discount_percent").
    #[prop(into)]
    tail: String,
    /// The typed text.
    value: RwSignal<String>,
    /// The on-screen keyboard: `decimal`, `numeric` or `text`.
    #[prop(default = "decimal")]
    inputmode: &'static str,
) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let tail = StoredValue::new(tail);
    let path = move || tail.with_value(|tail| place.path(tail));
    let error = form.message(move || vec![path()], false);
    let error_id = format!("{id}-error");
    let described = error_id.clone();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || place.label(&label)}</label>
            <input
                id=id
                type="text"
                inputmode=inputmode
                prop:value=move || value.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=move || error.get().map(|_| described.clone())
                on:input=move |event| {
                    value.set(event_target_value(&event));
                    form.touch(untrack(path));
                }
            />
            <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// "Product offers": the pricing type, the product lines and "+ Add offer".
#[component]
pub(super) fn ProductsSection() -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let choose_type = move |value: &'static str| {
        let entered = draft.products.with_untracked(|lines| {
            lines
                .iter()
                .filter(|line| line.plan.with_untracked(|plan| !plan.is_empty()))
                .count()
        });
        if entered > 0 && !confirm_type_change(entered) {
            // Kept: the radios show the offer's pricing type again.
            draft.pricing_type.notify();
            return;
        }
        draft.pricing_type.set(value.to_owned());
        // Products of another pricing type do not fit: start the list again.
        draft.products.set(Vec::new());
        draft.add_product();
        form.changed();
    };
    let products_error = form.message(|| vec!["products".to_owned()], true);
    view! {
        <fieldset>
            <legend>"Product offers"</legend>
            <div class="field" role="radiogroup" aria-labelledby="mp-pricing-type-label">
                <span id="mp-pricing-type-label" class="label">"Pricing type"</span>
                {PRICING_TYPES
                    .into_iter()
                    .map(|(value, text)| {
                        view! {
                            <label>
                                <input
                                    type="radio"
                                    name="mp-pricing-type"
                                    value=value
                                    prop:checked=move || draft.pricing_type.get() == value
                                    on:change=move |_| choose_type(value)
                                />
                                " "
                                {text}
                            </label>
                        }
                    })
                    .collect_view()}
            </div>
            <p class="hint">{format!("Up to {MAX_PRODUCTS} products, all of this pricing type.")}</p>
            // A plain list rather than `<For>`: the lists of this form are short, and a keyed
            // list weighs about 6 KB gzipped on the page (BENCHMARKS.md, stop 23).
            {move || {
                draft
                    .products
                    .get()
                    .into_iter()
                    .map(|line| view! { <ProductEditor line=line /> })
                    .collect_view()
            }}
            <p class="field-error" role="alert" hidden=move || products_error.get().is_none()>
                {move || products_error.get()}
            </p>
            <button
                id=ADD_PRODUCT
                type="button"
                class="secondary"
                // Braced: a bare `>=` would end the tag in the view macro.
                disabled=move || { draft.products.with(Vec::len) >= MAX_PRODUCTS }
                on:click=move |_| {
                    draft.add_product();
                }
            >
                "+ Add offer"
            </button>
        </fieldset>
    }
}

/// Asks before a change of pricing type takes away the `entered` product lines that have a plan;
/// `true` when the person goes ahead. The browser's own dialog, as the leave guard's: modal,
/// read out and answered from the keyboard.
fn confirm_type_change(entered: usize) -> bool {
    let lines = if entered == 1 {
        "The product entered".to_owned()
    } else {
        format!("The {entered} products entered")
    };
    let question = format!(
        "Change the pricing type? {lines} will be removed: every product of an offer uses its one pricing type."
    );
    web_sys::window()
        .and_then(|window| window.confirm_with_message(&question).ok())
        .unwrap_or(false)
}

/// The id of "+ Add offer".
const ADD_PRODUCT: &str = "mp-add-product";

/// The id of the line `key`'s "+ Add reservation".
fn add_reservation_id(key: u32) -> String {
    format!("product-{key}-add-reservation")
}

/// Moves focus to the list's add button (or input), `id`, once a removal has re-rendered the
/// list. The lists re-render in place, so the removed item's button would otherwise hold focus
/// as the next item's (where a second key press would remove that one too). The add buttons stay
/// on the page; were one gone, focus would go to the form's heading.
pub(super) fn focus_after_removal(id: String) {
    focus_soon(id, "mp-title");
}

/// One product line: its plan and the fields of the offer's pricing type.
#[component]
fn ProductEditor(line: ProductDraft) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let index = Memo::new(move |_| {
        draft
            .products
            .with(|products| products.iter().position(|p| p.key == line.key))
            .unwrap_or(0)
    });
    let key = line.key;
    let number = move || index.get() + 1;
    let pricing_type = draft.pricing_type.get_untracked();
    let fields = match pricing_type.as_str() {
        "new_saas_plan" => view! { <NewPlanFields line=line index=index /> }.into_any(),
        "vm_reservation" => view! { <ReservationFields line=line index=index /> }.into_any(),
        _ => view! { <ExistingPlanFields line=line index=index /> }.into_any(),
    };
    view! {
        <fieldset class="product-line">
            <legend>{move || format!("Product {}", number())}</legend>
            <PlanPicker line=line index=index />
            {fields}
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    draft.products.update(|products| products.retain(|p| p.key != key));
                    form.touch("products".to_owned());
                    focus_after_removal(ADD_PRODUCT.to_owned());
                }
            >
                {move || format!("Remove product {}", number())}
            </button>
        </fieldset>
    }
}

/// The plan of a line, from the catalog plans that fit the pricing type (a template for a new
/// SaaS plan, a VM plan for reservations).
#[component]
fn PlanPicker(line: ProductDraft, index: Memo<usize>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let pricing_type = form.draft.pricing_type.get_untracked();
    let id = format!("product-{}-plan", line.key);
    let error_id = format!("product-{}-error", line.key);
    let (label, field) = match pricing_type.as_str() {
        "new_saas_plan" => ("Template plan", "template_plan_id"),
        _ => ("Plan", "plan_id"),
    };
    let error = form.message(
        move || {
            let at = format!("products[{}]", index.get());
            [
                "",
                ".plan_id",
                ".template_plan_id",
                ".partner_pricing",
                ".pricing.model",
                ".pricing_type",
                ".term",
                ".reservations",
            ]
            .iter()
            .map(|tail| format!("{at}{tail}"))
            .collect()
        },
        true,
    );
    let fits = move |offer_type: OfferType, pricing: &PlanPricing| match pricing_type.as_str() {
        "new_saas_plan" => {
            offer_type == OfferType::Saas && !matches!(pricing, PlanPricing::VirtualMachine { .. })
        }
        "vm_reservation" => matches!(pricing, PlanPricing::VirtualMachine { .. }),
        _ => true,
    };
    let options = move || {
        let fits = &fits;
        form.catalog.with(|catalog| {
            catalog
                .offers
                .iter()
                .flat_map(|offer| {
                    let offer_type = offer.offer_type;
                    offer
                        .plans
                        .iter()
                        .filter(move |plan| fits(offer_type, &plan.pricing))
                        .map(move |plan| {
                            (
                                format!("{}/{}", offer.id, plan.id),
                                format!("{} — {}", offer.name, plan.name),
                            )
                        })
                })
                .collect::<Vec<_>>()
        })
    };
    let described = error_id.clone();
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone()>{move || Place::Product(index).label(label)}</label>
            <select
                id=id
                prop:value=move || line.plan.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described
                on:change=move |event| {
                    let chosen = event_target_value(&event);
                    form.catalog.with_untracked(|catalog| form.draft.choose_plan(line, chosen, catalog));
                    form.touch(format!("products[{}].{field}", index.get_untracked()));
                }
            >
                <option value="">"Choose an offer and plan"</option>
                {move || {
                    options()
                        .into_iter()
                        .map(|(value, text)| {
                            let selected = line.plan.get_untracked() == value;
                            view! { <option value=value selected=selected>{text}</option> }
                        })
                        .collect_view()
                }}
            </select>
            <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

/// (a) An existing plan: a discount % off every list price, or an absolute price per point.
#[component]
fn ExistingPlanFields(line: ProductDraft, index: Memo<usize>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let key = line.key;
    let place = Place::Product(index);
    let mode_id = format!("product-{key}-mode");
    let rows = Signal::derive(move || {
        let lines = form
            .reading
            .with(|r| r.lines.get(index.get()).cloned().flatten());
        form.catalog.with(|catalog| match lines {
            Some(line) => existing_rows(catalog, &line),
            None => Vec::new(),
        })
    });
    view! {
        <div class="field">
            <label for=mode_id.clone()>
                {move || place.label("Partner price type")}
            </label>
            <select
                id=mode_id
                prop:value=move || line.mode.get()
                on:change=move |event| {
                    line.mode.set(event_target_value(&event));
                    form.touch(place.path(".partner_pricing"));
                }
            >
                <option value="discount">"Discounted price (% off list)"</option>
                <option value="absolute">"Absolute price"</option>
            </select>
        </div>
        {move || {
            if line.mode.get() == "discount" {
                view! {
                    <LineInput
                        id=format!("product-{key}-discount")
                        place=place
                        label="Discount %"
                        tail=".partner_pricing.discount_percent"
                        value=line.discount
                    />
                }
                    .into_any()
            } else {
                line.absolute
                    .get()
                    .into_iter()
                    .enumerate()
                    .map(|(point_index, (point, text))| {
                        let id = format!("product-{key}-price-{}", point.replace([':', ' '], "-"));
                        view! {
                            <LineInput
                                id=id
                                place=place
                                label=format!("Partner price for {point}")
                                tail=format!(".partner_pricing.absolute_prices[{point_index}].price")
                                value=text
                            />
                        }
                    })
                    .collect_view()
                    .into_any()
            }
        }}
        <PriceTable
            caption=Signal::derive(move || place.label("Partner prices"))
            rows=rows
            kind=PriceKind::Partner
            fees=Fees::MULTIPARTY
        />
    }
}

/// (b) A new SaaS plan from a template: its name, a price for each of the template's billing
/// terms, included quantities (flat rate) or user limits (per user), and meter prices.
#[component]
fn NewPlanFields(line: ProductDraft, index: Memo<usize>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let key = line.key;
    let place = Place::Product(index);
    let template = Memo::new(move |_| {
        let chosen = line.plan.get();
        form.catalog.with(|catalog| {
            chosen
                .split_once('/')
                .and_then(|(offer, plan)| catalog.plan(offer, plan))
                .map(|(_, plan)| plan.clone())
        })
    });
    let per_user = move || {
        matches!(
            template.get().map(|plan| plan.pricing),
            Some(PlanPricing::PerUser { .. })
        )
    };
    // The template's list prices beside the typed partner prices.
    let rows = Signal::derive(move || {
        let Some(plan) = template.get() else {
            return Vec::new();
        };
        let points = plan.price_points();
        let prefix = if per_user() { "user" } else { "flat" };
        let list_of = |id: &str| points.iter().find(|p| p.id == id).map(|p| p.list_price);
        let mut rows: Vec<PriceRow> = line
            .term_prices
            .get()
            .into_iter()
            .map(|(term, text)| {
                let id = format!("{prefix}:{}", term.as_str());
                let price = Money::parse(text.get().trim(), CATALOG_CURRENCY.minor_units()).ok();
                let list = list_of(&id);
                PriceRow::new(id, list, price)
            })
            .collect();
        rows.extend(
            line.meter_prices
                .get()
                .into_iter()
                .map(|(dimension, text)| {
                    let id = format!("meter:{dimension}");
                    let list = list_of(&id);
                    let price =
                        Money::parse(text.get().trim(), offerdesk_core::money::USAGE_PLACES);
                    PriceRow::new(id, list, price.ok())
                }),
        );
        rows
    });
    view! {
        <LineInput
            id=format!("product-{key}-name")
            place=place
            label="New plan name"
            tail=".name"
            value=line.plan_name
            inputmode="text"
        />
        <LineInput
            id=format!("product-{key}-description")
            place=place
            label="New plan description"
            tail=".description"
            value=line.plan_description
            inputmode="text"
        />
        {move || {
            let per_user = per_user();
            line.term_prices
                .get()
                .into_iter()
                .enumerate()
                .map(|(term_index, (term, text))| {
                    let what = if per_user { "Price per user" } else { "Price" };
                    view! {
                        <LineInput
                            id=format!("product-{key}-term-{}", term.as_str())
                            place=place
                            label=format!("{what} for {}", term_label(term))
                            tail=format!(".pricing.prices[{term_index}].price")
                            value=text
                        />
                    }
                })
                .collect_view()
        }}
        {move || {
            per_user()
                .then(|| {
                    view! {
                        <LineInput
                            id=format!("product-{key}-min-users")
                            place=place
                            label="Minimum users"
                            tail=".pricing.min_users"
                            value=line.min_users
                            inputmode="numeric"
                        />
                        <LineInput
                            id=format!("product-{key}-max-users")
                            place=place
                            label="Maximum users"
                            tail=".pricing.max_users"
                            value=line.max_users
                            inputmode="numeric"
                        />
                    }
                })
        }}
        {move || {
            line.included
                .get()
                .into_iter()
                .enumerate()
                .map(|(slot, (dimension, term, text))| {
                    view! {
                        <LineInput
                            id=format!("product-{key}-included-{dimension}-{}", term.as_str())
                            place=place
                            label=format!("Included {dimension} per {}", term_label(term))
                            tail=format!(".pricing.included_quantities[{slot}].quantity")
                            value=text
                            inputmode="numeric"
                        />
                    }
                })
                .collect_view()
        }}
        {move || {
            line.meter_prices
                .get()
                .into_iter()
                .enumerate()
                .map(|(meter_index, (dimension, text))| {
                    view! {
                        <LineInput
                            id=format!("product-{key}-meter-{dimension}")
                            place=place
                            label=format!("Price per unit of {dimension}")
                            tail=format!(".meter_prices[{meter_index}].price_per_unit")
                            value=text
                        />
                    }
                })
                .collect_view()
        }}
        <PriceTable
            caption=Signal::derive(move || place.label("Partner prices"))
            rows=rows
            kind=PriceKind::Partner
            fees=Fees::MULTIPARTY
        />
    }
}

/// One reservation's subtotal, by core's formula; `None` until its quantity and price parse.
fn subtotal_of(line: &ProductDraft, row: &ReservationDraft) -> Option<Money> {
    let (term, payment) = reservation_terms(line);
    let quantity = Quantity::parse(row.quantity.get().trim()).ok()?;
    let unit = Money::parse(row.unit_price.get().trim(), CATALOG_CURRENCY.minor_units()).ok()?;
    reservation_subtotal(unit, quantity, term, payment, CATALOG_CURRENCY).ok()
}

/// (c) VM software reservations: term, payment, and a table of vCPU size x quantity x unit price
/// with each subtotal and the total.
#[component]
fn ReservationFields(line: ProductDraft, index: Memo<usize>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let key = line.key;
    let place = Place::Product(index);
    let term_id = format!("product-{key}-term");
    let payment_id = format!("product-{key}-payment");
    let formula = move || {
        let (term, payment) = reservation_terms(&line);
        match payment {
            ReservationPayment::Upfront => {
                "Subtotal = unit price × quantity, paid upfront.".to_owned()
            }
            ReservationPayment::Monthly => format!(
                "Subtotal = monthly unit price × {} months × quantity.",
                term.months()
            ),
        }
    };
    let total = move || {
        let rows = line.reservations.get();
        let subtotals: Option<Vec<Money>> =
            rows.iter().map(|row| subtotal_of(&line, row)).collect();
        subtotals
            .filter(|list| !list.is_empty())
            .and_then(|list| sum(list).ok())
    };
    if line.reservations.with_untracked(Vec::is_empty) {
        draft.add_reservation(line);
    }
    view! {
        <div class="field">
            <label for=term_id.clone()>{move || place.label("Reservation term")}</label>
            <select
                id=term_id
                prop:value=move || line.term.get()
                on:change=move |event| {
                    line.term.set(event_target_value(&event));
                    form.touch(place.path(".term"));
                }
            >
                <option value="one_year">"1 year"</option>
                <option value="three_years">"3 years"</option>
            </select>
        </div>
        <div class="field">
            <label for=payment_id.clone()>{move || place.label("Payment")}</label>
            <select
                id=payment_id
                prop:value=move || line.payment.get()
                on:change=move |event| {
                    line.payment.set(event_target_value(&event));
                    form.touch(place.path(".payment"));
                }
            >
                <option value="upfront">"Upfront"</option>
                <option value="monthly">"Monthly"</option>
            </select>
        </div>
        <p class="hint">{formula}</p>
        <table class="price-table reservations">
            <caption>{move || place.label("Reservations")}</caption>
            <thead>
                <tr>
                    <th scope="col">"vCPU size"</th>
                    <th scope="col">"Quantity"</th>
                    <th scope="col">"Unit price"</th>
                    <th scope="col" class="amount">"List price (upfront)"</th>
                    <th scope="col" class="amount">"Subtotal"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    line.reservations
                        .get()
                        .into_iter()
                        .map(|row| view! { <ReservationRow line=line row=row index=index /> })
                        .collect_view()
                }}
            </tbody>
            <tfoot>
                <tr>
                    <th scope="row" colspan="4">"Total"</th>
                    <td class="amount reservation-total">{move || shown(total())}</td>
                    <td></td>
                </tr>
                <tr>
                    <th scope="row" colspan="4">"Your payout after fees"</th>
                    <td class="amount reservation-payout">{move || payout_after_fees(Fees::MULTIPARTY, total())}</td>
                    <td></td>
                </tr>
            </tfoot>
        </table>
        <button
            id=add_reservation_id(key)
            type="button"
            class="secondary"
            on:click=move |_| {
                draft.add_reservation(line);
            }
        >
            {move || place.label("+ Add reservation")}
        </button>
    }
}

/// One reservation row: a vCPU size of the plan's reservation prices for the term, how many,
/// the partner unit price, the list price and the subtotal.
#[component]
fn ReservationRow(line: ProductDraft, row: ReservationDraft, index: Memo<usize>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let position = Memo::new(move |_| {
        line.reservations
            .with(|rows| rows.iter().position(|r| r.key == row.key))
            .unwrap_or(0)
    });
    let place = Place::Reservation(index, position);
    let size_id = format!("reservation-{}-size", row.key);
    let size_error = form.message(move || vec![place.path(".vcpu_size")], false);
    // The plan's reservation prices for the chosen term: the sizes on offer and their list price.
    let prices = move || {
        let chosen = line.plan.get();
        let term = line.term.get();
        form.catalog.with(|catalog| {
            chosen
                .split_once('/')
                .and_then(|(offer, plan)| catalog.plan(offer, plan))
                .map(|(_, plan)| match &plan.pricing {
                    PlanPricing::VirtualMachine { reservation_prices } => reservation_prices
                        .iter()
                        .filter(|price| term_name(price.term) == term)
                        .map(|price| (price.vcpu_size.clone(), price.price))
                        .collect(),
                    _ => Vec::new(),
                })
                .unwrap_or_default()
        })
    };
    let list = move || {
        let (_, payment) = reservation_terms(&line);
        let size = row.vcpu_size.get();
        (payment == ReservationPayment::Upfront)
            .then(|| {
                prices()
                    .into_iter()
                    .find(|(s, _)| *s == size)
                    .map(|(_, p)| p)
            })
            .flatten()
    };
    let size_error_id = format!("{size_id}-error");
    let described = size_error_id.clone();
    view! {
        <tr data-reservation=move || row.vcpu_size.get()>
            <td>
                <div class="field" class:field-invalid=move || size_error.get().is_some()>
                    <label for=size_id.clone() class="cell-label">{move || place.label("vCPU size")}</label>
                    <select
                        id=size_id
                        prop:value=move || row.vcpu_size.get()
                        aria-invalid=move || if size_error.get().is_some() { "true" } else { "false" }
                        aria-describedby=described
                        on:change=move |event| {
                            row.vcpu_size.set(event_target_value(&event));
                            form.touch(place.path(".vcpu_size"));
                        }
                    >
                        <option value="">"Choose a size"</option>
                        {move || {
                            prices()
                                .into_iter()
                                .map(|(size, _)| {
                                    let selected = row.vcpu_size.get_untracked() == size;
                                    view! { <option value=size.clone() selected=selected>{size.clone()}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                    <p id=size_error_id class="field-error" role="alert" hidden=move || size_error.get().is_none()>
                        {move || size_error.get()}
                    </p>
                </div>
            </td>
            <td>
                <LineInput
                    id=format!("reservation-{}-quantity", row.key)
                    place=place
                    label="Quantity"
                    tail=".quantity"
                    value=row.quantity
                    inputmode="numeric"
                />
            </td>
            <td>
                <LineInput
                    id=format!("reservation-{}-unit-price", row.key)
                    place=place
                    label="Unit price"
                    tail=".unit_price"
                    value=row.unit_price
                />
            </td>
            <td class="amount">{move || shown(list())}</td>
            <td class="amount reservation-subtotal">{move || shown(subtotal_of(&line, &row))}</td>
            <td>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        line.reservations.update(|rows| rows.retain(|r| r.key != row.key));
                        form.touch(format!("products[{}].reservations", index.get_untracked()));
                        focus_after_removal(add_reservation_id(line.key));
                    }
                >
                    {move || format!("Remove reservation {}", position.get() + 1)}
                </button>
            </td>
        </tr>
    }
}
