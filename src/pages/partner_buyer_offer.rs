//! "Create offer" from a resale authorization at `/partner/cppo/:id/new` (AWS CPPO, seeds 003
//! and 004): the buyer's account ID, each product marked up from its wholesale cost by a
//! "Markup %" or priced by an absolute buyer price, the live buyer price and each party's payout
//! after fees, an optional payment schedule, the accept-by date; then publish and "Copy link".
//! The core prices and checks the offer on every keystroke, as the server does on publish.

use chrono::{Days, NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::catalog::{Catalog, PricePoint, CATALOG_CURRENCY};
use offerdesk_core::cppo::validate::validate_buyer_offer;
use offerdesk_core::cppo::{
    buyer_offer_payouts, price_line, AuthorizationKind, AuthorizationTerms, BuyerOfferForm,
    BuyerOfferLine, BuyerPricing, PricedLine,
};
use offerdesk_core::fees::{FeeTable, Payouts};
use offerdesk_core::money::display_amount;
use offerdesk_core::percent::CPPO_MARKUP_PLACES;
use offerdesk_core::schedule::{self, MAX_INSTALLMENTS};
use offerdesk_core::{AdjustmentPercent, FieldError, Money, Problems, Quantity};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::copy_link::{customer_link_url, CopyLink};
use crate::components::decimal_field::DecimalField;
use crate::components::price_table::describe_price_point;
use crate::components::text_field::TextField;
use crate::pages::partner_cppo::{expiry_text, kind_text, Received};
use crate::pages::partner_offers::load_error;

/// One price the authorization lets the partner resell, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Choice {
    offer_id: String,
    plan_id: String,
    point: PricePoint,
    label: String,
}

fn choices(catalog: &Catalog) -> Vec<Choice> {
    catalog
        .offers
        .iter()
        .flat_map(|offer| {
            offer.plans.iter().flat_map(move |plan| {
                plan.price_points().into_iter().map(move |point| Choice {
                    offer_id: offer.id.clone(),
                    plan_id: plan.id.clone(),
                    label: format!(
                        "{}, {}: {}",
                        offer.name,
                        plan.name,
                        describe_price_point(&point.id)
                    ),
                    point,
                })
            })
        })
        .collect()
}

/// How the partner prices a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PriceBy {
    Markup,
    BuyerPrice,
}

/// One line as typed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct LineText {
    /// Stable key of the line on the page.
    key: usize,
    /// Index into the choices.
    choice: usize,
    quantity: String,
    by: PriceBy,
    amount: String,
}

impl LineText {
    fn new(key: usize) -> LineText {
        LineText {
            key,
            choice: 0,
            quantity: "1".to_owned(),
            by: PriceBy::Markup,
            amount: String::new(),
        }
    }

    fn amount_field(&self, index: usize) -> String {
        match self.by {
            PriceBy::Markup => format!("lines[{index}].pricing.markup_percent"),
            PriceBy::BuyerPrice => format!("lines[{index}].pricing.buyer_price"),
        }
    }
}

/// The payment schedule as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct ScheduleText {
    on: bool,
    count: String,
    installments: Vec<String>,
}

/// Everything typed, read by the core.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Reading {
    /// Every problem, by field path; parse problems win over the core's on the same field.
    problems: Vec<FieldError>,
    /// Each line priced, when its price is one the authorization covers.
    lines: Vec<Option<PricedLine>>,
    /// Whether each line's own fields read (else its buyer price is not shown).
    read_whole: Vec<bool>,
    /// The contract value, when every line prices.
    value: Option<Money>,
    payouts: Option<Payouts>,
    /// The form to send, when everything reads.
    form: Option<BuyerOfferForm>,
}

struct Typed<'a> {
    buyer: &'a str,
    lines: &'a [LineText],
    custom_terms: &'a str,
    accept_by: &'a str,
    schedule: &'a ScheduleText,
}

fn read(
    typed: &Typed<'_>,
    terms: &AuthorizationTerms,
    catalog: &Catalog,
    choices: &[Choice],
    today: NaiveDate,
) -> Reading {
    let mut parse = Problems::new();
    let mut complete = true;
    let mut lines = Vec::new();
    for (index, text) in typed.lines.iter().enumerate() {
        let Some(choice) = choices.get(text.choice) else {
            complete = false;
            continue;
        };
        let places = choice.point.kind.unit_places(CATALOG_CURRENCY);
        let quantity = parse.check(
            &format!("lines[{index}].quantity"),
            "Quantity",
            Quantity::parse(text.quantity.trim()),
        );
        let field = text.amount_field(index);
        let pricing = if text.amount.trim().is_empty() {
            parse.add(
                field,
                match text.by {
                    PriceBy::Markup => "Enter the markup % (0 for none).",
                    PriceBy::BuyerPrice => "Enter the buyer price.",
                },
            );
            None
        } else {
            match text.by {
                PriceBy::Markup => parse
                    .check(
                        &field,
                        "Markup %",
                        AdjustmentPercent::parse(text.amount.trim(), CPPO_MARKUP_PLACES),
                    )
                    .map(BuyerPricing::MarkupPercent),
                PriceBy::BuyerPrice => parse
                    .check(
                        &field,
                        "The buyer price",
                        Money::parse(text.amount.trim(), places),
                    )
                    .map(BuyerPricing::BuyerPrice),
            }
        };
        complete &= quantity.is_some() && pricing.is_some();
        let Some(quantity) = quantity.or_else(|| Quantity::whole(1).ok()) else {
            continue;
        };
        lines.push(BuyerOfferLine {
            offer_id: choice.offer_id.clone(),
            plan_id: choice.plan_id.clone(),
            price_point_id: choice.point.id.clone(),
            // Placeholders where the text does not read: the parse problem stands for them.
            quantity,
            pricing: pricing.unwrap_or(BuyerPricing::MarkupPercent(AdjustmentPercent::ZERO)),
        });
    }
    let accept_by = match offerdesk_core::field::parse_iso_date(typed.accept_by) {
        Some(day) => Some(day),
        None => {
            parse.add(
                "accept_by",
                "Enter the accept-by date as YYYY-MM-DD, such as 2026-12-31.",
            );
            None
        }
    };
    let parse_problems = parse.into_vec();
    // Each line priced as read (placeholders included: its wholesale cost shows at once).
    let priced: Vec<Option<PricedLine>> = lines
        .iter()
        .enumerate()
        .map(|(index, line)| price_line(index, line, terms, catalog).ok())
        .collect();
    let read_whole: Vec<bool> = (0..lines.len())
        .map(|index| {
            let own = format!("lines[{index}].");
            !parse_problems
                .iter()
                .any(|problem| problem.field.starts_with(&own))
        })
        .collect();
    let all_priced: Option<Vec<PricedLine>> = priced.iter().cloned().collect();
    let value = all_priced
        .as_ref()
        .filter(|lines| {
            complete
                && !lines.is_empty()
                && lines
                    .iter()
                    .all(|line| line.buyer_price >= line.wholesale_price)
        })
        .and_then(|lines| {
            offerdesk_core::pricing::sum(lines.iter().map(|line| line.buyer_total)).ok()
        });
    let payouts = all_priced
        .as_ref()
        .zip(value)
        .and_then(|(lines, value)| buyer_offer_payouts(lines, value, &FeeTable::aws()).ok());
    let mut schedule_problems = Problems::new();
    let payment_schedule = match (typed.schedule.on, value) {
        (false, _) => None,
        (true, Some(value)) => schedule::check_installments(
            "payment_schedule",
            value,
            &typed.schedule.installments,
            CATALOG_CURRENCY,
            &mut schedule_problems,
        ),
        (true, None) => {
            schedule_problems.add(
                "payment_schedule",
                "Price every product first: the installments must add up to the contract value.",
            );
            None
        }
    };
    let schedule_problems = schedule_problems.into_vec();
    let form = BuyerOfferForm {
        buyer_account_id: typed.buyer.trim().to_owned(),
        lines,
        custom_terms: typed.custom_terms.to_owned(),
        accept_by: accept_by.unwrap_or(today),
        payment_schedule: payment_schedule.clone(),
    };
    let mut problems: Vec<FieldError> = parse_problems;
    problems.extend(schedule_problems);
    if let Err(found) = validate_buyer_offer(&form, terms, catalog, today) {
        for problem in found {
            if !problems.iter().any(|known| known.field == problem.field) {
                problems.push(problem);
            }
        }
    }
    let ready = problems.is_empty() && (!typed.schedule.on || payment_schedule.is_some());
    Reading {
        problems,
        lines: priced,
        read_whole,
        value,
        payouts,
        form: ready.then_some(form),
    }
}

/// `/partner/cppo/:id/new`: loads the authorization (with its authorized catalog) and shows the
/// form.
#[component]
pub fn BuyerOfferPage(
    /// The resale authorization's ID, from its path.
    id: String,
) -> impl IntoView {
    let path = format!("/api/v1/resale-authorizations/{id}");
    let next = format!("/partner/cppo/{id}/new");
    let received = LocalResource::new(move || {
        let path = path.clone();
        async move { api::get::<Received>(&path).await }
    });
    view! {
        <section class="buyer-offer" aria-labelledby="buyer-offer-title">
            <h1 id="buyer-offer-title">"Create a private offer for a buyer"</h1>
            <p><a href="/partner/cppo">"Back to resale authorizations"</a></p>
            {move || match received.get() {
                None => view! { <p class="status" role="status">"Loading the authorization…"</p> }.into_any(),
                Some(Err(error)) => load_error(&error, &next),
                Some(Ok(received)) => view! { <CreateOffer received=received /> }.into_any(),
            }}
        </section>
    }
}

#[derive(Debug, Serialize)]
struct NewOffer<'a> {
    authorization_id: &'a str,
    #[serde(flatten)]
    form: &'a BuyerOfferForm,
}

#[derive(Debug, Serialize)]
struct EditOffer<'a> {
    version: i64,
    #[serde(flatten)]
    form: &'a BuyerOfferForm,
}

#[derive(Debug, Serialize)]
struct VersionBody {
    version: i64,
}

#[derive(Debug, Clone, Deserialize)]
struct Saved {
    id: String,
    version: i64,
}

#[derive(Debug, Clone, Deserialize)]
struct CustomerLink {
    token: String,
}

#[derive(Debug, Clone, Deserialize)]
struct Published {
    customer_link: Option<CustomerLink>,
}

fn money(amount: Money) -> String {
    display_amount(amount.amount(), CATALOG_CURRENCY)
}

fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The form for one authorization.
#[component]
fn CreateOffer(received: Received) -> impl IntoView {
    let today = Utc::now().date_naive();
    let terms = StoredValue::new(received.authorization.terms.clone());
    let catalog = StoredValue::new(received.catalog.clone());
    let choices = StoredValue::new(choices(&received.catalog));
    let authorization_id = StoredValue::new(received.id.clone());
    let (buyer_start, fixed_buyer) = match &received.authorization.terms.kind {
        AuthorizationKind::NonRecurring {
            buyer_account_id, ..
        } => (buyer_account_id.clone(), true),
        AuthorizationKind::Recurring { .. } => (String::new(), false),
    };
    let buyer = RwSignal::new(buyer_start);
    let lines = RwSignal::new(vec![LineText::new(0)]);
    let next_key = StoredValue::new(1usize);
    let custom_terms = RwSignal::new(String::new());
    let accept_by = RwSignal::new(
        today
            .checked_add_days(Days::new(30))
            .unwrap_or(today)
            .to_string(),
    );
    let schedule = RwSignal::new(ScheduleText::default());
    let attempted = RwSignal::new(false);
    let touched = RwSignal::new(std::collections::HashSet::<String>::new());
    let refused = RwSignal::new(None::<ApiError>);
    let progress = RwSignal::new(None::<String>);
    let draft = RwSignal::new(None::<Saved>);
    let link = RwSignal::new(None::<String>);
    let create_key = StoredValue::new(new_key());

    let reading = Memo::new(move |_| {
        let lines = lines.get();
        let schedule = schedule.get();
        let (buyer, custom_terms, accept_by) = (buyer.get(), custom_terms.get(), accept_by.get());
        let typed = Typed {
            buyer: &buyer,
            lines: &lines,
            custom_terms: &custom_terms,
            accept_by: &accept_by,
            schedule: &schedule,
        };
        terms.with_value(|terms| {
            catalog.with_value(|catalog| {
                choices.with_value(|choices| read(&typed, terms, catalog, choices, today))
            })
        })
    });
    let touch = move |field: String| {
        refused.set(None);
        touched.update(|set| {
            set.insert(field);
        });
    };
    // A field's problem shows once it was typed in or after a publish attempt; the server's
    // answer shows until the next change.
    let error = move |field: String| -> Option<String> {
        let server = refused.with(|answer| answer.as_ref().and_then(|answer| answer.field(&field)));
        if server.is_some() {
            return server;
        }
        if !attempted.get() && !touched.with(|set| set.contains(&field)) {
            return None;
        }
        reading.with(|reading| {
            reading
                .problems
                .iter()
                .find(|problem| problem.field == field)
                .map(|problem| problem.message.clone())
        })
    };
    let line_errors = move || error("lines".to_owned());
    let general = move || {
        refused
            .with(|answer| {
                answer.as_ref().map(|answer| {
                    let shown = [
                        "buyer_account_id",
                        "custom_terms",
                        "accept_by",
                        "payment_schedule",
                        "lines",
                    ];
                    answer
                        .errors
                        .iter()
                        .filter(|error| !shown.iter().any(|field| error.field.starts_with(field)))
                        .map(|error| error.message.clone())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
            })
            .filter(|text| !text.is_empty())
    };

    let publish = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        if progress.get_untracked().is_some() {
            return;
        }
        let Some(form) = reading.with_untracked(|reading| reading.form.clone()) else {
            return;
        };
        refused.set(None);
        let signs = form.payment_schedule.is_some();
        let steps = if signs { 3 } else { 2 };
        spawn_local(async move {
            progress.set(Some(format!("Saving the offer (step 1 of {steps})…")));
            let saved: Result<Saved, ApiError> = match draft.get_untracked() {
                None => {
                    let authorization_id = authorization_id.get_value();
                    let body = NewOffer {
                        authorization_id: &authorization_id,
                        form: &form,
                    };
                    api::post_once("/api/v1/buyer-offers", &create_key.get_value(), &body).await
                }
                Some(saved) => {
                    let body = EditOffer {
                        version: saved.version,
                        form: &form,
                    };
                    api::put(&format!("/api/v1/buyer-offers/{}", saved.id), &body).await
                }
            };
            let mut saved = match saved {
                Ok(saved) => saved,
                Err(error) => {
                    progress.set(None);
                    refused.set(Some(error));
                    return;
                }
            };
            draft.set(Some(saved.clone()));
            let path = format!("/api/v1/buyer-offers/{}", saved.id);
            if signs {
                progress.set(Some(
                    "Signing the payment schedule (step 2 of 3)…".to_owned(),
                ));
                match api::post::<_, Saved>(
                    &format!("{path}/sign-schedule"),
                    &VersionBody {
                        version: saved.version,
                    },
                )
                .await
                {
                    Ok(signed) => {
                        saved = signed;
                        draft.set(Some(saved.clone()));
                    }
                    Err(error) => {
                        progress.set(None);
                        refused.set(Some(error));
                        return;
                    }
                }
            }
            progress.set(Some(format!(
                "Publishing the offer to the buyer (step {steps} of {steps})…"
            )));
            let key = format!("publish-{}-{}", saved.id, saved.version);
            let answer: Result<Published, ApiError> = api::post_once(
                &format!("{path}/publish"),
                &key,
                &VersionBody {
                    version: saved.version,
                },
            )
            .await;
            progress.set(None);
            match answer {
                Ok(published) => {
                    link.set(Some(
                        published
                            .customer_link
                            .map(|customer_link| customer_link_url(&customer_link.token))
                            .unwrap_or_default(),
                    ));
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };

    let discount = received.authorization.terms.discount_percent.value();
    let kind = received.authorization.terms.kind.clone();
    let add_line = move |_| {
        let key = next_key.get_value();
        next_key.set_value(key + 1);
        lines.update(|lines| lines.push(LineText::new(key)));
    };
    let buyer_error = Signal::derive(move || error("buyer_account_id".to_owned()));
    let terms_error = Signal::derive(move || error("custom_terms".to_owned()));
    let accept_by_error = Signal::derive(move || error("accept_by".to_owned()));

    view! {
        <dl class="facts">
            <dt>"ISV"</dt><dd>{received.isv_company.clone()}</dd>
            <dt>"Discount off list price"</dt><dd>{offerdesk_core::money::display_percent(discount)}</dd>
            <dt>"Type"</dt><dd>{kind_text(&kind)}</dd>
            <dt>"Valid"</dt><dd>{expiry_text(&kind)}</dd>
        </dl>
        {move || link.get().map(|url| view! {
            <section aria-labelledby="published-title" class="published">
                <h2 id="published-title">"Published"</h2>
                <p>"The buyer can now see and accept your private offer through this link."</p>
                <CopyLink url=url after_copy="Send it to your buyer for acceptance." />
                <p><a href="/partner/cppo">"Back to resale authorizations"</a></p>
            </section>
        })}
        <form class="stacked-form" novalidate=true on:submit=publish hidden=move || link.get().is_some()>
            <p class="form-error" role="alert" hidden=move || general().is_none()>{general}</p>
            <div on:input=move |_| touch("buyer_account_id".to_owned())>
                <TextField id="buyer-account-id" label="Buyer account ID" value=buyer error=buyer_error required=true />
            </div>
            <p class="hint">
                {if fixed_buyer {
                    "This non-recurring discount is for its one named buyer."
                } else {
                    "The buyer's 12-digit AWS account ID."
                }}
            </p>
            <fieldset class="lines">
                <legend>"Products"</legend>
                <p class="field-error" role="alert" hidden=move || line_errors().is_none()>{line_errors}</p>
                <For
                    each={move || lines.get().into_iter().enumerate().map(|(index, line)| (index, line.key)).collect::<Vec<_>>()}
                    key={|(index, key): &(usize, usize)| (*index, *key)}
                    let:item
                >
                    <LineFields index=item.0 lines=lines choices=choices reading=reading error=error touch=touch />
                </For>
                <button type="button" class="secondary" on:click=add_line>"Add a product"</button>
            </fieldset>
            <Totals reading=reading />
            <ScheduleFields schedule=schedule reading=reading error=error touch=touch />
            <div class="field" class:field-invalid=move || terms_error.get().is_some()>
                <label for="custom-terms">"Custom terms"</label>
                <textarea id="custom-terms" rows="3"
                    prop:value=move || custom_terms.get()
                    aria-invalid=move || if terms_error.get().is_some() { "true" } else { "false" }
                    aria-describedby="custom-terms-hint custom-terms-error"
                    on:input=move |event| { custom_terms.set(event_target_value(&event)); touch("custom_terms".to_owned()); }
                ></textarea>
                <p id="custom-terms-hint" class="hint">"Optional: any custom terms of the transaction."</p>
                <p id="custom-terms-error" class="field-error" role="alert" hidden=move || terms_error.get().is_none()>{move || terms_error.get()}</p>
            </div>
            <DecimalField
                id="accept-by"
                label="Accept by"
                value=accept_by
                on_input=Callback::new(move |text: String| { accept_by.set(text); touch("accept_by".to_owned()); })
                error=accept_by_error
                hint="The last day the buyer may accept, as YYYY-MM-DD."
            />
            <div class="actions">
                <button type="submit" class="primary" aria-busy=move || progress.get().is_some().to_string()>"Publish offer"</button>
            </div>
            <p class="status" role="status" aria-live="polite">{move || progress.get()}</p>
        </form>
    }
}

/// The fields of one line: the price, the quantity, markup % or buyer price, and what it makes.
#[component]
fn LineFields(
    index: usize,
    lines: RwSignal<Vec<LineText>>,
    choices: StoredValue<Vec<Choice>>,
    reading: Memo<Reading>,
    error: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
    touch: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let line = move || lines.with(|lines| lines.get(index).cloned());
    let edit = move |change: &dyn Fn(&mut LineText)| {
        lines.update(|lines| {
            if let Some(line) = lines.get_mut(index) {
                change(line);
            }
        })
    };
    let number = index + 1;
    let select_id = format!("line-{index}-price");
    let by_id = format!("line-{index}-by");
    let priced = move || reading.with(|reading| reading.lines.get(index).cloned().flatten());
    let buyer_side = move || {
        reading.with(|reading| {
            reading
                .read_whole
                .get(index)
                .copied()
                .unwrap_or(false)
                .then(|| reading.lines.get(index).cloned().flatten())
                .flatten()
        })
    };
    let quantity_error = Signal::derive(move || error(format!("lines[{index}].quantity")));
    let amount_field = move || {
        line()
            .map(|line| line.amount_field(index))
            .unwrap_or_default()
    };
    let amount_error = Signal::derive(move || error(amount_field()));
    let amount_label = Signal::derive(move || {
        match line().map(|line| line.by) {
            Some(PriceBy::BuyerPrice) => "Buyer price",
            _ => "Markup %",
        }
        .to_owned()
    });
    let amount_hint = Signal::derive(move || {
        let wholesale = priced().map(|line| money(line.wholesale_price));
        Some(match (line().map(|line| line.by), wholesale) {
            (Some(PriceBy::BuyerPrice), Some(wholesale)) => {
                format!("An absolute price per unit, not below your wholesale cost of {wholesale}.")
            }
            (Some(PriceBy::BuyerPrice), None) => {
                "An absolute price per unit, not below your wholesale cost.".to_owned()
            }
            _ => "On your wholesale cost: at least 0, at most 9 decimal places.".to_owned(),
        })
    });
    let remove = move |_| {
        lines.update(|lines| {
            if lines.len() > 1 {
                lines.remove(index);
            }
        })
    };
    view! {
        <fieldset class="line">
            <legend>{format!("Product {number}")}</legend>
            <div class="field">
                <label for=select_id.clone()>"Product and price"</label>
                <select id=select_id on:change=move |event| {
                    let choice = event_target_value(&event).parse().unwrap_or(0);
                    edit(&|line| line.choice = choice);
                }>
                    {choices.with_value(|choices| choices.iter().enumerate().map(|(at, choice)| {
                        let text = format!("{} (list {})", choice.label, money(choice.point.list_price));
                        view! { <option value=at.to_string() selected=move || line().is_some_and(|line| line.choice == at)>{text}</option> }
                    }).collect_view())}
                </select>
            </div>
            <DecimalField
                id=format!("line-{index}-quantity")
                label="Quantity"
                value=Signal::derive(move || line().map(|line| line.quantity).unwrap_or_default())
                on_input=Callback::new(move |text: String| { edit(&|line| line.quantity = text.clone()); touch(format!("lines[{index}].quantity")); })
                error=quantity_error
                hint="How many units the contract covers: payments of a flat rate, users, or meter units."
            />
            <div class="field">
                <label for=by_id.clone()>"Set the buyer price by"</label>
                <select id=by_id on:change=move |event| {
                    let by = if event_target_value(&event) == "buyer_price" { PriceBy::BuyerPrice } else { PriceBy::Markup };
                    edit(&|line| { line.by = by; line.amount.clear(); });
                }>
                    <option value="markup" selected=move || line().is_some_and(|line| line.by == PriceBy::Markup)>"Markup % on the wholesale cost"</option>
                    <option value="buyer_price" selected=move || line().is_some_and(|line| line.by == PriceBy::BuyerPrice)>"An absolute buyer price"</option>
                </select>
            </div>
            <DecimalField
                id=format!("line-{index}-amount")
                label=amount_label
                value=Signal::derive(move || line().map(|line| line.amount).unwrap_or_default())
                on_input=Callback::new(move |text: String| { edit(&|line| line.amount = text.clone()); touch(amount_field()); })
                error=amount_error
                hint=amount_hint
            />
            <table class="price-table">
                <caption class="visually-hidden">{format!("Prices of product {number}")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Wholesale cost"</th>
                        <th scope="col">"Buyer price"</th>
                        <th scope="col">"Buyer total"</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td><output id=format!("wholesale-{index}")>{move || priced().map(|line| money(line.wholesale_price)).unwrap_or_else(|| "—".to_owned())}</output></td>
                        <td><output id=format!("buyer-price-{index}") aria-live="polite">{move || buyer_side().map(|line| money(line.buyer_price)).unwrap_or_else(|| "—".to_owned())}</output></td>
                        <td><output id=format!("buyer-total-{index}")>{move || buyer_side().map(|line| money(line.buyer_total)).unwrap_or_else(|| "—".to_owned())}</output></td>
                    </tr>
                </tbody>
            </table>
            <button type="button" class="link-button" on:click=remove hidden=move || lines.with(|lines| lines.len() < 2)>
                {format!("Remove product {number}")}
            </button>
        </fieldset>
    }
}

/// The contract value and each party's payout after the AWS fees.
#[component]
fn Totals(reading: Memo<Reading>) -> impl IntoView {
    let shown = move |pick: fn(&Reading) -> Option<String>| {
        move || reading.with(pick).unwrap_or_else(|| "—".to_owned())
    };
    let fees = move || {
        reading.with(|reading| {
            reading.payouts.as_ref().map(|payouts| {
                let list = |fees: &[offerdesk_core::fees::FeeCharge]| {
                    fees.iter()
                        .map(|fee| {
                            format!(
                                "{} ({}): {}",
                                fee.name,
                                offerdesk_core::money::display_percent(fee.percent),
                                money(fee.amount)
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!(
                    "Your markup {} less {}. The ISV's wholesale {} less {}.",
                    money(payouts.partner.gross),
                    list(&payouts.partner.fees),
                    money(payouts.isv.gross),
                    list(&payouts.isv.fees)
                )
            })
        })
    };
    view! {
        <div class="results" aria-label="Totals and payouts">
            <div class="result">
                <label for="wholesale-total">"Wholesale total"</label>
                <output id="wholesale-total">{shown(|reading| reading.payouts.as_ref().map(|payouts| money(payouts.isv.gross)))}</output>
            </div>
            <div class="result">
                <label for="contract-value">"Contract value"</label>
                <output id="contract-value" aria-live="polite">{shown(|reading| reading.value.map(money))}</output>
            </div>
            <div class="result">
                <label for="partner-payout">"Your payout"</label>
                <output id="partner-payout">{shown(|reading| reading.payouts.as_ref().map(|payouts| money(payouts.partner.net)))}</output>
            </div>
            <div class="result">
                <label for="isv-payout">"ISV payout"</label>
                <output id="isv-payout">{shown(|reading| reading.payouts.as_ref().map(|payouts| money(payouts.isv.net)))}</output>
            </div>
        </div>
        <p class="hint" id="fees">{fees}</p>
    }
}

/// The optional payment schedule: how many installments (an even split, the remainder cents on
/// the first), then each amount, editable; they must add up to the contract value exactly.
#[component]
fn ScheduleFields(
    schedule: RwSignal<ScheduleText>,
    reading: Memo<Reading>,
    error: impl Fn(String) -> Option<String> + Copy + Send + Sync + 'static,
    touch: impl Fn(String) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let split = move || {
        let value = reading.with_untracked(|reading| reading.value);
        schedule.update(|schedule| {
            let count = schedule
                .count
                .trim()
                .parse::<usize>()
                .ok()
                .filter(|count| (1..=MAX_INSTALLMENTS).contains(count));
            let Some(count) = count else {
                return;
            };
            schedule.installments = match value
                .and_then(|value| schedule::even_split(value, count, CATALOG_CURRENCY).ok())
            {
                Some(split) => split
                    .iter()
                    .map(|amount| amount.padded(CATALOG_CURRENCY.minor_units()).to_string())
                    .collect(),
                None => vec![String::new(); count],
            };
        });
    };
    let count_error = Signal::derive(move || {
        let text = schedule.with(|schedule| schedule.count.clone());
        let count = text.trim().parse::<usize>().ok();
        (!text.trim().is_empty()
            && !count.is_some_and(|count| (1..=MAX_INSTALLMENTS).contains(&count)))
        .then(|| {
            format!("The number of installments is a whole number from 1 to {MAX_INSTALLMENTS}.")
        })
    });
    let schedule_error = move || error("payment_schedule".to_owned());
    view! {
        <fieldset class="schedule">
            <legend>"Payment schedule"</legend>
            <label class="check">
                <input type="checkbox" id="payment-schedule-on"
                    prop:checked=move || schedule.with(|schedule| schedule.on)
                    on:change=move |event| {
                        let on = event_target_checked(&event);
                        schedule.update(|schedule| schedule.on = on);
                    } />
                " Add a payment schedule"
            </label>
            <p class="hint">"For a multi-year contract with scheduled payment amounts. You sign it when you publish, and the buyer signs it when accepting."</p>
            <div hidden=move || !schedule.with(|schedule| schedule.on)>
                <DecimalField
                    id="installment-count"
                    label="Number of installments"
                    value=Signal::derive(move || schedule.with(|schedule| schedule.count.clone()))
                    on_input=Callback::new(move |text: String| {
                        schedule.update(|schedule| schedule.count = text);
                        split();
                    })
                    error=count_error
                    hint="1 to 60. The contract value is split evenly; any remaining cents go on the first installment. You can change each amount."
                />
                <button type="button" class="secondary" on:click=move |_| split()>"Split evenly again"</button>
                <p id="payment-schedule-error" class="field-error" role="alert" hidden=move || schedule_error().is_none()>{schedule_error}</p>
                <For
                    each={move || (0..schedule.with(|schedule| schedule.installments.len())).collect::<Vec<_>>()}
                    key={|index: &usize| *index}
                    let:index
                >
                    <DecimalField
                        id=format!("installment-{index}")
                        label=format!("Installment {}", index + 1)
                        value=Signal::derive(move || schedule.with(|schedule| schedule.installments.get(index).cloned().unwrap_or_default()))
                        on_input=Callback::new(move |text: String| {
                            schedule.update(|schedule| {
                                if let Some(amount) = schedule.installments.get_mut(index) {
                                    *amount = text;
                                }
                            });
                            touch("payment_schedule".to_owned());
                            touch(format!("payment_schedule[{index}]"));
                        })
                        error=Signal::derive(move || error(format!("payment_schedule[{index}]")))
                    />
                </For>
            </div>
        </fieldset>
    }
}
