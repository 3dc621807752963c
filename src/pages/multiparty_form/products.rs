//! The "Product offers" part of the multiparty form: one editor per product line of the offer's
//! pricing type (existing plan, new SaaS plan, VM software reservations), each with its partner
//! prices computed live by core. Each pricing type's editor is an [`Editor`], and each is the
//! page of a bundle of its own, which carries only that type's fields, reading and checks.

use leptos::prelude::*;
use offerdesk_core::catalog::{Catalog, OfferType, PlanPricing, CATALOG_CURRENCY};
use offerdesk_core::multiparty::validate::{
    validate_existing_plans, validate_new_saas_plans, validate_vm_reservations,
};
use offerdesk_core::multiparty::{ExistingPlanPricing, PricingType, ProductLine, MAX_PRODUCTS};
use offerdesk_core::pricing::ReservationPayment;
use offerdesk_core::pricing::{partner_price, reservation_subtotal, sum, PartnerPricing};
use offerdesk_core::{FieldError, Money, Quantity};

use crate::components::confirm_dialog::focus_soon;
use crate::components::price_table::{
    payout_after_fees, shown, Fees, PriceKind, PriceRow, PriceTable,
};

use super::draft::{
    plan_of, read_existing, read_new_plan, read_reservations, reservation_terms, term_label,
    term_name, Draft, Lines, ProductDraft, ReservationDraft,
};
use super::{pricing_type_name, Checks, FormContext};

/// The editor of the product lines of one pricing type: what its lines may pick, the fields
/// that follow the plan, and what its page checks.
#[derive(Clone, Copy)]
pub(super) struct Editor {
    pub pricing_type: PricingType,
    /// The plan picker's label and the field of a line that the choice sets.
    plan: (&'static str, &'static str),
    /// Whether a catalog plan of an offer of a type, priced so, fits a line.
    fits: fn(OfferType, &PlanPricing) -> bool,
    /// Points a line at the plan chosen (`offer/plan`) and lays out the fields it prices.
    choose_plan: fn(&Draft, ProductDraft, String, &Catalog),
    /// The fields of the line `line` (at its position) after its plan.
    fields: fn(ProductDraft, Memo<usize>) -> AnyView,
    /// The page's own checks: core's checks of this type's lines (the other fields are left to
    /// the pages that edit them, and to the server).
    pub checks: Checks,
}

/// A pricing type's "Product offers" page, a bundle of its own: its editor, and its reading of
/// the typed lines (only this type's).
pub(super) trait ProductsPage: Lines {
    const EDITOR: Editor;
}

/// The page of "Product offers" for existing plans.
pub(super) struct ExistingPlans;

/// The page of "Product offers" for new SaaS plans.
pub(super) struct NewSaasPlans;

/// The page of "Product offers" for VM software reservations.
pub(super) struct VmReservations;

/// `Lines` for the page `$page` of one pricing type: its lines read by `$read` and filled
/// by `Draft::$load`, whatever the offer's type (the page gives way to the type's own page).
macro_rules! lines_of_one_type {
    ($page:ty, $read:ident, $load:ident) => {
        impl Lines for $page {
            fn read_line(
                _: &str,
                problems: &mut Vec<FieldError>,
                at: &str,
                line: &ProductDraft,
                catalog: &Catalog,
            ) -> Option<ProductLine> {
                $read(problems, at, line, catalog)
            }

            fn load_line(draft: &Draft, line: ProductDraft, product: &ProductLine) {
                draft.$load(line, product);
            }
        }
    };
}

lines_of_one_type!(ExistingPlans, read_existing, load_existing);
lines_of_one_type!(NewSaasPlans, read_new_plan, load_new_plan);
lines_of_one_type!(VmReservations, read_reservations, load_reservations);

impl ProductsPage for ExistingPlans {
    /// (a) Any plan of the catalog, priced at a discount or absolute prices.
    const EDITOR: Editor = Editor {
        pricing_type: PricingType::ExistingPlan,
        plan: ("Plan", "plan_id"),
        fits: |_, _| true,
        choose_plan: Draft::choose_existing_plan,
        fields: |line, index| view! { <ExistingPlanFields line=line index=index /> }.into_any(),
        checks: Checks {
            look_up_seller: None,
            validate: |part, catalog, _, _| validate_existing_plans(&part.products, catalog),
        },
    };
}

impl ProductsPage for NewSaasPlans {
    /// (b) A new plan from a SaaS template plan, priced flat rate or per user.
    const EDITOR: Editor = Editor {
        pricing_type: PricingType::NewSaasPlan,
        plan: ("Template plan", "template_plan_id"),
        fits: |offer_type, pricing| {
            offer_type == OfferType::Saas && !matches!(pricing, PlanPricing::VirtualMachine { .. })
        },
        choose_plan: Draft::choose_template,
        fields: |line, index| view! { <NewPlanFields line=line index=index /> }.into_any(),
        checks: Checks {
            look_up_seller: None,
            validate: |part, catalog, _, _| validate_new_saas_plans(&part.products, catalog),
        },
    };
}

impl ProductsPage for VmReservations {
    /// (c) Reservations of a VM plan with reservation prices.
    const EDITOR: Editor = Editor {
        pricing_type: PricingType::VmReservation,
        plan: ("Plan", "plan_id"),
        fits: |_, pricing| matches!(pricing, PlanPricing::VirtualMachine { .. }),
        // A VM plan's line prices its reservations, whatever the plan.
        choose_plan: |_, line, chosen, _| line.plan.set(chosen),
        fields: |line, index| view! { <ReservationFields line=line index=index /> }.into_any(),
        checks: Checks {
            look_up_seller: None,
            validate: |part, catalog, _, _| validate_vm_reservations(&part.products, catalog),
        },
    };
}

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

/// "Product offers": the offer's pricing type, its product lines and "+ Add offer".
#[component]
pub(super) fn ProductsSection(editor: Editor) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let products_error = form.message(|| vec!["products".to_owned()], true);
    view! {
        <fieldset>
            <legend>"Product offers"</legend>
            <p class="pricing-type">"Type of multiparty private offer: " {pricing_type_name(editor.pricing_type)}</p>
            <p class="hint">
                {format!("Up to {MAX_PRODUCTS} products, all of this type (chosen on Offer setup).")}
            </p>
            // A plain list rather than `<For>`: the lists of this form are short, and a keyed
            // list weighs about 6 KB gzipped on the page (BENCHMARKS.md, stop 23).
            {move || {
                draft
                    .products
                    .get()
                    .into_iter()
                    .map(|line| view! { <ProductEditor line=line editor=editor /> })
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

/// One product line: its plan and the fields of the offer's pricing type, which `editor` edits.
#[component]
fn ProductEditor(line: ProductDraft, editor: Editor) -> impl IntoView {
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
    let fields = (editor.fields)(line, index);
    view! {
        <fieldset class="product-line">
            <legend>{move || format!("Product {}", number())}</legend>
            <PlanPicker line=line index=index editor=editor />
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
fn PlanPicker(line: ProductDraft, index: Memo<usize>, editor: Editor) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let id = format!("product-{}-plan", line.key);
    let error_id = format!("product-{}-error", line.key);
    let (label, field) = editor.plan;
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
    let fits = editor.fits;
    let options = move || {
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
                    form.catalog.with_untracked(|catalog| (editor.choose_plan)(&form.draft, line, chosen, catalog));
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
    // The template as the fields need it: whether it prices per user, and its list prices by
    // price point.
    let template = Memo::new(move |_| {
        let chosen = line.plan.get();
        form.catalog.with(|catalog| {
            let plan = plan_of(&chosen, catalog)?;
            let per_user = matches!(plan.pricing, PlanPricing::PerUser { .. });
            let points: Vec<(String, Money)> = plan
                .price_points()
                .into_iter()
                .map(|point| (point.id, point.list_price))
                .collect();
            Some((per_user, points))
        })
    });
    let per_user = move || template.with(|template| matches!(template, Some((true, _))));
    // The template's list prices beside the typed partner prices.
    let rows = Signal::derive(move || {
        template.with(|template| {
            let Some((per_user, points)) = template else {
                return Vec::new();
            };
            let prefix = if *per_user { "user" } else { "flat" };
            let list_of = |id: &str| {
                points
                    .iter()
                    .find(|(point, _)| point == id)
                    .map(|(_, list)| *list)
            };
            let mut rows: Vec<PriceRow> = line
                .term_prices
                .get()
                .into_iter()
                .map(|(term, text)| {
                    let id = format!("{prefix}:{}", term.as_str());
                    let price =
                        Money::parse(text.get().trim(), CATALOG_CURRENCY.minor_units()).ok();
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
        })
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
        // One list of the fields the template lays out, in order: a price per billing term,
        // the user limits (per user), the included quantities (flat rate) and the meter prices.
        // One list rather than four: each reactive list is code of its own on the page.
        {move || {
            let per_user = per_user();
            let what = if per_user { "Price per user" } else { "Price" };
            let mut fields: Vec<(String, String, String, RwSignal<String>, &'static str)> = line
                .term_prices
                .get()
                .into_iter()
                .enumerate()
                .map(|(slot, (term, text))| {
                    (
                        format!("term-{}", term.as_str()),
                        format!("{what} for {}", term_label(term)),
                        format!(".pricing.prices[{slot}].price"),
                        text,
                        "decimal",
                    )
                })
                .collect();
            if per_user {
                for (id, label, tail, value) in [
                    ("min-users", "Minimum users", "min_users", line.min_users),
                    ("max-users", "Maximum users", "max_users", line.max_users),
                ] {
                    fields.push((id.into(), label.into(), format!(".pricing.{tail}"), value, "numeric"));
                }
            }
            fields.extend(line.included.get().into_iter().enumerate().map(
                |(slot, (dimension, term, text))| {
                    (
                        format!("included-{dimension}-{}", term.as_str()),
                        format!("Included {dimension} per {}", term_label(term)),
                        format!(".pricing.included_quantities[{slot}].quantity"),
                        text,
                        "numeric",
                    )
                },
            ));
            fields.extend(line.meter_prices.get().into_iter().enumerate().map(
                |(slot, (dimension, text))| {
                    (
                        format!("meter-{dimension}"),
                        format!("Price per unit of {dimension}"),
                        format!(".meter_prices[{slot}].price_per_unit"),
                        text,
                        "decimal",
                    )
                },
            ));
            fields
                .into_iter()
                .map(|(id, label, tail, value, inputmode)| {
                    view! {
                        <LineInput
                            id=format!("product-{key}-{id}")
                            place=place
                            label=label
                            tail=tail
                            value=value
                            inputmode=inputmode
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
            plan_of(&chosen, catalog)
                .map(|plan| match &plan.pricing {
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
