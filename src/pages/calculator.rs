//! The public price calculator: a partner previews a customer price as it types.

use leptos::prelude::*;
use offerdesk_core::calculator::{CalculatorField, CalculatorInput};
use offerdesk_core::{Currency, PriceKind, Program};

use crate::components::decimal_field::DecimalField;
use crate::components::result_output::ResultOutput;
use crate::components::select_field::SelectField;

/// Every keystroke re-prices in the browser with `offerdesk_core`; nothing is sent anywhere.
#[component]
pub fn CalculatorPage() -> impl IntoView {
    let program = RwSignal::new(Program::Multiparty);
    let currency = RwSignal::new(Currency::USD);
    let kind = RwSignal::new(PriceKind::Flat);
    let list_price = RwSignal::new(String::new());
    let discount_percent = RwSignal::new(String::new());
    let absolute_price = RwSignal::new(String::new());
    let adjustment = RwSignal::new(String::new());
    let target = RwSignal::new(String::new());

    let view_model = Memo::new(move |_| {
        CalculatorInput {
            program: program.get(),
            currency: currency.get(),
            kind: kind.get(),
            list_price: list_price.get(),
            discount_percent: discount_percent.get(),
            absolute_price: absolute_price.get(),
            customer_adjustment_percent: adjustment.get(),
            target_customer_price: target.get(),
        }
        .evaluate()
    });
    let error = move |field: CalculatorField| {
        Signal::derive(move || view_model.with(|model| model.error(field)))
    };
    let no_adjustment = Signal::derive(move || program.get().adjustment_places().is_none());
    // While a target drives the adjustment, the field shows the solved value; typing in the
    // adjustment field hands control back to it (and clears the target).
    let adjustment_shown = Signal::derive(move || {
        if target.with(|target| target.trim().is_empty()) {
            adjustment.get()
        } else {
            view_model
                .with(|model| model.solved_adjustment.clone())
                .unwrap_or_else(|| adjustment.get())
        }
    });
    let on_adjustment = move |text: String| {
        adjustment.set(text);
        target.set(String::new());
    };
    let on_target = move |text: String| {
        if text.trim().is_empty() {
            // Keep the last solved adjustment in the field when the target is cleared.
            if let Some(solved) = view_model.with_untracked(|model| model.solved_adjustment.clone())
            {
                adjustment.set(solved);
            }
        }
        target.set(text);
    };

    let discount_hint = Signal::derive(move || {
        Some(match program.get() {
            Program::Csp => "The margin % off list price the ISV gives CSP partners.".to_owned(),
            _ => "% off list price. Ignored while an absolute partner price is filled.".to_owned(),
        })
    });
    let absolute_hint = Signal::derive(move || {
        Some(format!(
            "Replaces the discount; no cap applies. {}",
            places_hint(kind.get(), currency.get())
        ))
    });
    let adjustment_hint = Signal::derive(move || {
        let program = program.get();
        Some(match program.adjustment_places() {
            None => "CSP margin offers have no customer adjustment: the partner sets its \
                     customer price outside the marketplace."
                .to_owned(),
            Some(places) => {
                let cap = view_model
                    .with(|model| model.max_customer_adjustment_percent)
                    .filter(|_| program.caps_adjustment());
                let what = if program == Program::Cppo {
                    "Markup"
                } else {
                    "Applied uniformly"
                };
                match cap {
                    Some(cap) => format!(
                        "{what}; at most {places} decimal places and at most {cap}%, the ISV's discount."
                    ),
                    None => format!("{what}; at most {places} decimal places."),
                }
            }
        })
    });
    let target_hint = Signal::derive(move || {
        view_model
            .with(|model| model.target_note.clone())
            .or_else(|| {
                Some("Type the price you want; the adjustment % is solved for you.".to_owned())
            })
    });

    view! {
        <section class="calculator" aria-labelledby="calculator-title">
            <h1 id="calculator-title">"Price calculator"</h1>
            <p class="lead">
                "Preview the customer price of a private offer sold through a partner: the ISV's "
                "partner price, the partner's customer adjustment %, and the price the customer "
                "pays. Exact decimals, rounded once, half away from zero."
            </p>
            <form class="calculator-form" on:submit=|event| event.prevent_default()>
                <fieldset>
                    <legend>"Offer"</legend>
                    <SelectField
                        id="program"
                        label="Program"
                        options=vec![
                            ("multiparty", "Multiparty private offer"),
                            ("cppo", "CPPO (AWS consulting partner)"),
                            ("csp", "CSP margin offer"),
                        ]
                        value=Signal::derive(move || program.get().as_str())
                        on_change=move |value: String| {
                            if let Ok(chosen) = value.parse() {
                                program.set(chosen);
                            }
                        }
                    />
                    <SelectField
                        id="currency"
                        label="Currency"
                        options=Currency::ALL.iter().map(|c| (c.code(), c.code())).collect()
                        value=Signal::derive(move || currency.get().code())
                        on_change=move |value: String| {
                            if let Ok(chosen) = value.parse() {
                                currency.set(chosen);
                            }
                        }
                    />
                    <SelectField
                        id="price-type"
                        label="Price type"
                        options=vec![
                            ("flat", "Flat rate or per user"),
                            ("usage", "Per unit of a custom meter"),
                        ]
                        value=Signal::derive(move || kind.get().as_str())
                        on_change=move |value: String| {
                            if let Ok(chosen) = value.parse() {
                                kind.set(chosen);
                            }
                        }
                        hint=Signal::derive(move || Some(places_hint(kind.get(), currency.get())))
                    />
                </fieldset>
                <fieldset>
                    <legend>"Partner price (set by the ISV)"</legend>
                    <DecimalField
                        id="list-price"
                        label="List price"
                        placeholder="100.00"
                        value=list_price
                        on_input=move |text| list_price.set(text)
                        error=error(CalculatorField::ListPrice)
                    />
                    <DecimalField
                        id="discount-percent"
                        label="Discount %"
                        placeholder="10"
                        value=discount_percent
                        on_input=move |text| discount_percent.set(text)
                        error=error(CalculatorField::DiscountPercent)
                        hint=discount_hint
                    />
                    <DecimalField
                        id="absolute-price"
                        label="Absolute partner price"
                        value=absolute_price
                        on_input=move |text| absolute_price.set(text)
                        error=error(CalculatorField::AbsolutePrice)
                        hint=absolute_hint
                    />
                </fieldset>
                <fieldset>
                    <legend>"Customer price (set by the partner)"</legend>
                    <DecimalField
                        id="customer-adjustment-percent"
                        label="Customer adjustment %"
                        placeholder="0"
                        value=adjustment_shown
                        on_input=on_adjustment
                        error=error(CalculatorField::CustomerAdjustmentPercent)
                        hint=adjustment_hint
                        disabled=no_adjustment
                    />
                    <DecimalField
                        id="target-customer-price"
                        label="Target customer price"
                        value=target
                        on_input=on_target
                        error=error(CalculatorField::TargetCustomerPrice)
                        hint=target_hint
                        disabled=no_adjustment
                    />
                </fieldset>
            </form>
            <div class="results" aria-label="Results">
                <ResultOutput
                    id="partner-price"
                    label="Partner price"
                    inputs="list-price discount-percent absolute-price"
                    value=Signal::derive(move || view_model.with(|model| model.partner_price.clone()))
                />
                <ResultOutput
                    id="customer-price"
                    label="Customer price"
                    inputs="customer-adjustment-percent target-customer-price"
                    value=Signal::derive(move || view_model.with(|model| model.customer_price.clone()))
                />
                <ResultOutput
                    id="net-discount-percent"
                    label="Net discount %"
                    inputs="list-price customer-adjustment-percent"
                    value=Signal::derive(move || {
                        view_model.with(|model| model.net_discount_percent.clone())
                    })
                />
            </div>
        </section>
    }
}

/// The places a unit price may have, in words.
fn places_hint(kind: PriceKind, currency: Currency) -> String {
    match kind.unit_places(currency) {
        0 => format!("{currency} prices are whole numbers."),
        places => format!("{currency} prices of this type have at most {places} decimal places."),
    }
}
