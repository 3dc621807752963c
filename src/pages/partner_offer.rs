//! One multiparty offer for its selling partner at `/partner/offers/:id`: "Offer setup" (what
//! the ISV set, read-only; the partner's customer adjustment % with a live preview, prepared-by,
//! contacts, sales note), "Review and submit", then "Copy link"; "Withdraw" later.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::catalog::CATALOG_CURRENCY;
use offerdesk_core::fees::{self, Deal, FeeTable, Payouts};
use offerdesk_core::field;
use offerdesk_core::money::{display_amount, display_percent};
use offerdesk_core::multiparty::validate::{check_customer_adjustment, validate_partner_part_for};
use offerdesk_core::multiparty::view::{PartnerPriceRow, PartnerView, ProductBrief};
use offerdesk_core::multiparty::{MultipartyStatus, PartnerPart, PricingType, TermsDocument};
use offerdesk_core::percent::PERCENT_PLACES;
use offerdesk_core::pricing::{self, Markup, ReservationPayment, ReservationTerm};
use offerdesk_core::quote::SolveDraft;
use offerdesk_core::{AdjustmentPercent, Money, PriceKind, Problems, Program};
use rust_decimal::Decimal;

use crate::api::{self, ApiError};
use crate::components::copy_link::{customer_link_url, CopyLink};
use crate::components::decimal_field::DecimalField;
use crate::components::price_table::describe_price_point;
use crate::components::purchase_statuses::PurchaseStatuses;
use crate::components::text_field::TextField;
use crate::components::unread_notice::unread_notice;
use crate::pages::partner_offers::{load_error, start_text, PartnerOffer};

/// The most characters of a sales note (seed 002).
const SALES_NOTE_MAX: usize = 60;

/// One price of the offer as the partner previews it: what the ISV set, in words, and how the
/// preview prices it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PriceLine {
    /// What is sold, in words ("Contoso Analytics, Pro (flat rate)").
    product: String,
    /// Which price of it ("Flat rate, 1 month").
    price: String,
    pricing: LinePricing,
}

/// The numbers of one price line, which the preview prices at each adjustment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LinePricing {
    /// Flat (minor unit) or per unit of a meter (8 places).
    kind: PriceKind,
    list: Option<Money>,
    partner: Money,
    /// A VM reservation's quantity, term and payment.
    reservation: Option<(
        offerdesk_core::Quantity,
        ReservationTerm,
        ReservationPayment,
    )>,
}

impl PriceLine {
    fn from_row(row: &PartnerPriceRow, view: &PartnerView<ProductBrief>) -> PriceLine {
        let product = view.isv.products.get(row.product_index);
        let product_name = match product.map(|product| product.pricing_type) {
            Some(PricingType::NewSaasPlan) => {
                format!("{} (new plan of {})", row.plan_name, row.offer_name)
            }
            _ => format!("{}, {}", row.offer_name, row.plan_name),
        };
        let reservation = product
            .and_then(ProductBrief::reservation)
            .zip(row.quantity)
            .map(|((term, payment), quantity)| (quantity, term, payment));
        PriceLine {
            product: product_name,
            price: describe_price_point(&row.price_point_id),
            pricing: LinePricing {
                kind: row.kind,
                list: row.list_price,
                partner: row.partner_price,
                reservation,
            },
        }
    }
}

impl LinePricing {
    fn places(self) -> u32 {
        self.kind.unit_places(CATALOG_CURRENCY)
    }

    /// A reservation's subtotal of `unit`; `None` for other lines.
    fn subtotal(self, unit: Money) -> Option<Money> {
        self.reservation.and_then(|(quantity, term, payment)| {
            pricing::reservation_subtotal(unit, quantity, term, payment, CATALOG_CURRENCY).ok()
        })
    }

    /// Whether the totals add this line: flat-rate, per-user and reservation prices (a
    /// reservation by its subtotal); a meter's price is per unit.
    fn in_totals(self) -> bool {
        self.kind == PriceKind::Flat
    }

    /// This line at the typed adjustment (`None` when the text is not a valid adjustment).
    fn price_at(self, markup: Option<Markup>) -> LinePrice {
        let customer =
            markup.and_then(|markup| markup.customer_price(self.partner, self.places()).ok());
        let net_discount = match (self.list, customer) {
            (Some(list), Some(customer)) if !list.amount().is_zero() => {
                pricing::net_discount_percent(list, customer).ok()
            }
            _ => None,
        };
        LinePrice {
            customer,
            net_discount,
            customer_subtotal: customer.and_then(|customer| self.subtotal(customer)),
        }
    }
}

/// One line of the preview at the typed adjustment. Each line has its own signal of this, so a
/// keystroke updates only the cells whose price changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LinePrice {
    customer: Option<Money>,
    net_discount: Option<Decimal>,
    customer_subtotal: Option<Money>,
}

/// The sum of the lines' amounts the totals add; `None` when one has no price.
fn total(counted: impl IntoIterator<Item = Option<Money>>) -> Option<Money> {
    let amounts: Option<Vec<Money>> = counted.into_iter().collect();
    amounts.and_then(|amounts| pricing::sum(amounts).ok())
}

fn payouts_of(
    table: &FeeTable,
    partner_total: Money,
    customer_total: Money,
    renewal: bool,
) -> Option<Payouts> {
    fees::payouts(
        table,
        &Deal {
            program: Program::Multiparty,
            currency: CATALOG_CURRENCY,
            partner_total,
            customer_total,
            renewal,
        },
    )
    .ok()
}

fn money_text(amount: Option<Money>) -> String {
    amount
        .map(|amount| display_amount(amount.amount(), CATALOG_CURRENCY))
        .unwrap_or_else(|| "—".to_owned())
}

fn percent_text(percent: Option<Decimal>) -> String {
    percent
        .map(display_percent)
        .unwrap_or_else(|| "—".to_owned())
}

/// The messages a core check finds, for a field checked on its own.
fn messages(check: impl FnOnce(&mut Problems)) -> Vec<String> {
    let mut problems = Problems::new();
    check(&mut problems);
    problems
        .into_vec()
        .into_iter()
        .map(|problem| problem.message)
        .collect()
}

fn contacts_from(text: &str) -> Vec<String> {
    text.split(['\n', ','])
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The field a JSON path belongs to on this form (`notification_contacts[2]` belongs to
/// `notification_contacts`).
fn form_field(path: &str) -> &str {
    path.split(['[', '.']).next().unwrap_or(path)
}

/// Which part of the page is shown while the offer waits for the partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Setup,
    Review,
}

/// The offer page of the selling partner.
#[component]
pub fn PartnerOfferPage(
    /// The offer's ID, from its path.
    id: String,
) -> impl IntoView {
    let id = StoredValue::new(id);
    let id = move || id.get_value();
    let loaded = RwSignal::new(None::<Result<PartnerOffer, ApiError>>);
    let link = RwSignal::new(None::<String>);
    // Kept here so that the review stays open when a save replaces the offer below.
    let step = RwSignal::new(Step::Setup);

    let load = move || {
        let id = id();
        spawn_local(async move {
            let answer = api::get::<PartnerOffer>(&format!("/api/v1/multiparty-offers/{id}")).await;
            loaded.set(Some(answer));
        });
    };
    load();

    view! {
        <section class="partner-offer" aria-labelledby="offer-title">
            {move || match loaded.get() {
                None => view! { <p class="status" role="status">"Loading the offer…"</p> }.into_any(),
                Some(Err(error)) => {
                    view! {
                        <h1 id="offer-title">"Multiparty private offer"</h1>
                        {load_error(&error, &format!("/partner/offers/{}", id()))}
                    }
                        .into_any()
                }
                Some(Ok(offer)) => view! { <OfferSetup offer=offer loaded=loaded link=link step=step /> }.into_any(),
            }}
        </section>
    }
}

/// Everything about one loaded offer; `loaded` receives the offer the server answers after an
/// action, and `link` the customer link a submit created.
#[component]
fn OfferSetup(
    /// The offer as loaded.
    offer: PartnerOffer,
    /// Where an action's answer goes.
    loaded: RwSignal<Option<Result<PartnerOffer, ApiError>>>,
    /// The customer link, once the server gave one.
    link: RwSignal<Option<String>>,
    /// Setup or review.
    step: RwSignal<Step>,
) -> impl IntoView {
    let view = offer.offer.clone();
    let editable = offer.allows("edit") && view.status == MultipartyStatus::PendingPartnerAction;
    let lines: Vec<PriceLine> = view
        .prices
        .iter()
        .map(|row| PriceLine::from_row(row, &view))
        .collect();
    let isv_terms = StoredValue::new(view.isv.terms.clone());
    let renewal = view.isv.renewal;
    let cap = view.max_customer_adjustment_percent;
    let id = StoredValue::new(offer.id.clone());
    let version = offer.version;

    let partner = &view.partner;
    let adjustment = RwSignal::new(
        partner
            .customer_adjustment_percent
            .value()
            .normalize()
            .to_string(),
    );
    let prepared_by = RwSignal::new(partner.prepared_by.clone());
    let contacts = RwSignal::new(partner.notification_contacts.join("\n"));
    let sales_note = RwSignal::new(partner.sales_note.clone());
    let terms = StoredValue::new(partner.terms.clone());
    let targets = RwSignal::new(BTreeMap::<usize, String>::new());
    let attempted = RwSignal::new(false);
    let refused = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(None::<&'static str>);
    if !editable {
        step.set(Step::Setup);
    }
    let show_net_discount = RwSignal::new(false);

    let parsed_adjustment = Memo::new(move |_| {
        let text = adjustment.get();
        if text.trim().is_empty() {
            return Err("Enter the customer adjustment % (0 for none).".to_owned());
        }
        AdjustmentPercent::parse(text.trim(), PERCENT_PLACES)
            .map_err(|reason| format!("The customer adjustment % {reason}."))
    });
    let part = move || PartnerPart {
        customer_adjustment_percent: parsed_adjustment.get().unwrap_or(AdjustmentPercent::ZERO),
        prepared_by: prepared_by.get().trim().to_owned(),
        terms: terms.get_value(),
        notification_contacts: contacts_from(&contacts.get()),
        sales_note: sales_note.get(),
    };
    // The core's own checks, each field on its own so that a keystroke checks only the field
    // typed in; a save checks the whole part at once, as the server does.
    let adjustment_problems = Memo::new(move |_| match parsed_adjustment.get() {
        Err(message) => vec![message],
        Ok(adjustment) => messages(|problems| check_customer_adjustment(problems, adjustment, cap)),
    });
    let prepared_by_problems = Memo::new(move |_| {
        prepared_by.with(|text| {
            messages(|problems| {
                field::check_email(problems, "prepared_by", "Prepared by email", text.trim())
            })
        })
    });
    let contacts_problems = Memo::new(move |_| {
        contacts.with(|text| {
            messages(|problems| {
                field::check_notification_contacts(
                    problems,
                    "notification_contacts",
                    &contacts_from(text),
                )
            })
        })
    });
    let sales_note_problems = Memo::new(move |_| {
        sales_note
            .with(|text| messages(|problems| field::check_sales_note(problems, "sales_note", text)))
    });

    // The preview: the adjustment's factor once per keystroke, then each line's price into its
    // own signal, set only when that line's price changed, so that a keystroke re-renders only
    // the cells whose price changed. (One effect re-prices every line: 210 memos each reading
    // the factor would make the reactive graph itself the slowest part of a keystroke.) The
    // totals add the lines they count; the partner's total does not change with the adjustment.
    let markup = Memo::new(move |_| {
        parsed_adjustment.with(|parsed| {
            parsed
                .as_ref()
                .ok()
                .and_then(|adjustment| Markup::new(*adjustment).ok())
        })
    });
    let pricings: Vec<LinePricing> = lines.iter().map(|line| line.pricing).collect();
    let first = markup.get_untracked();
    let prices: Vec<RwSignal<LinePrice>> = pricings
        .iter()
        .map(|pricing| RwSignal::new(pricing.price_at(first)))
        .collect();
    {
        let prices = prices.clone();
        Effect::new(move |_| {
            let markup = markup.get();
            for (pricing, price) in pricings.iter().zip(&prices) {
                let next = pricing.price_at(markup);
                if price.with_untracked(|shown| *shown != next) {
                    price.set(next);
                }
            }
        });
    }
    let partner_total = total(
        lines
            .iter()
            .filter(|line| line.pricing.in_totals())
            .map(|line| {
                Some(
                    line.pricing
                        .subtotal(line.pricing.partner)
                        .unwrap_or(line.pricing.partner),
                )
            }),
    );
    let counted: Vec<RwSignal<LinePrice>> = lines
        .iter()
        .zip(&prices)
        .filter(|(line, _)| line.pricing.in_totals())
        .map(|(_, price)| *price)
        .collect();
    let customer_total = Memo::new(move |_| {
        total(
            counted
                .iter()
                .map(|price| price.with(|price| price.customer_subtotal.or(price.customer))),
        )
    });
    let fee_table = FeeTable::default_for(Program::Multiparty);
    let payouts = Memo::new(move |_| {
        partner_total
            .zip(customer_total.get())
            .and_then(|(partner_total, customer_total)| {
                payouts_of(&fee_table, partner_total, customer_total, renewal)
            })
    });
    let lines = StoredValue::new(lines);
    let prices = StoredValue::new(prices);

    // Problems with what is being typed show at once; a missing field only after an attempt.
    let error = move |field: &'static str, mine: Memo<Vec<String>>| {
        Signal::derive(move || {
            let live =
                matches!(field, "customer_adjustment_percent" | "sales_note") || attempted.get();
            let mine = live
                .then(|| mine.get())
                .filter(|messages| !messages.is_empty());
            let server = refused.with(|answer| {
                answer.as_ref().and_then(|answer| {
                    let messages: Vec<String> = answer
                        .errors
                        .iter()
                        .filter(|error| form_field(&error.field) == field)
                        .map(|error| error.message.clone())
                        .collect();
                    (!messages.is_empty()).then_some(messages)
                })
            });
            mine.or(server).map(|messages| messages.join(" "))
        })
    };
    let general = move || {
        refused.with(|answer| {
            answer.as_ref().and_then(|answer| {
                let known = ["customer_adjustment_percent", "prepared_by", "notification_contacts", "sales_note"];
                let messages: Vec<String> = answer
                    .errors
                    .iter()
                    .filter(|error| !known.contains(&form_field(&error.field)))
                    .map(|error| error.message.clone())
                    .collect();
                let messages = if messages.is_empty() && answer.status == 409 {
                    vec!["The offer changed meanwhile or cannot take this action now; reload the page.".to_owned()]
                } else {
                    messages
                };
                (!messages.is_empty()).then(|| messages.join(" "))
            })
        })
    };

    let adjustment_hint = Signal::derive(move || {
        Some(match cap {
            Some(cap) => format!(
                "Applied uniformly to every product and meter; at most 8 decimal places and at most {}, the discount the ISV gave you.",
                display_percent(cap)
            ),
            None => "Applied uniformly to every product and meter; at most 8 decimal places. The ISV set absolute partner prices: no cap.".to_owned(),
        })
    });
    // A keystroke notifies only what reads the adjustment: the targets and the server's
    // refusal are cleared only when there is something to clear.
    let on_adjustment = move |text: String| {
        adjustment.set(text);
        if targets.with_untracked(|targets| !targets.is_empty()) {
            targets.set(BTreeMap::new());
        }
        if refused.with_untracked(Option::is_some) {
            refused.set(None);
        }
    };

    let save = move |then_review: bool| {
        attempted.set(true);
        let valid = parsed_adjustment.with_untracked(Result::is_ok)
            && isv_terms.with_value(|terms| validate_partner_part_for(&part(), cap, terms).is_ok());
        if !valid || pending.get_untracked().is_some() {
            return;
        }
        refused.set(None);
        pending.set(Some("Saving…"));
        // The partner's part as sent: `PUT /multiparty-offers/{id}/partner`.
        let body = api::versioned(&part(), version);
        let id = id.get_value();
        spawn_local(async move {
            let answer: Result<PartnerOffer, ApiError> =
                api::put_json(&format!("/api/v1/multiparty-offers/{id}/partner"), body).await;
            pending.set(None);
            match answer {
                Ok(saved) => {
                    if then_review {
                        step.set(Step::Review);
                    }
                    loaded.set(Some(Ok(saved)));
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let submit = {
        move |_| {
            if pending.get_untracked().is_some() {
                return;
            }
            pending.set(Some("Submitting the offer to the customer…"));
            refused.set(None);
            let id = id.get_value();
            spawn_local(async move {
                let key = format!("partner-submit-{id}-{version}");
                let answer: Result<PartnerOffer, ApiError> = api::post_once(
                    &format!("/api/v1/multiparty-offers/{id}/submit"),
                    &key,
                    &api::Version { version },
                )
                .await;
                pending.set(None);
                match answer {
                    Ok(mut done) => {
                        if let Some(customer_link) = done.customer_link.take() {
                            link.set(Some(customer_link_url(&customer_link.token)));
                        }
                        loaded.set(Some(Ok(done)));
                    }
                    Err(error) => refused.set(Some(error)),
                }
            });
        }
    };
    let act = {
        move |action: &'static str, progress: &'static str| {
            if pending.get_untracked().is_some() {
                return;
            }
            pending.set(Some(progress));
            refused.set(None);
            let id = id.get_value();
            spawn_local(async move {
                let answer: Result<PartnerOffer, ApiError> = api::post(
                    &format!("/api/v1/multiparty-offers/{id}/{action}"),
                    &api::Version { version },
                )
                .await;
                pending.set(None);
                match answer {
                    Ok(mut done) => {
                        link.set(
                            done.customer_link
                                .take()
                                .map(|customer_link| customer_link_url(&customer_link.token)),
                        );
                        loaded.set(Some(Ok(done)));
                    }
                    Err(error) => refused.set(Some(error)),
                }
            });
        }
    };
    // While the offer is being published, look again every two seconds.
    if matches!(
        view.status,
        MultipartyStatus::InProgressForCustomer | MultipartyStatus::InProgressForPartner
    ) {
        let id = id.get_value();
        set_timeout(
            move || {
                spawn_local(async move {
                    if let Ok(fresh) =
                        api::get::<PartnerOffer>(&format!("/api/v1/multiparty-offers/{id}")).await
                    {
                        loaded.set(Some(Ok(fresh)));
                    }
                });
            },
            std::time::Duration::from_secs(2),
        );
    }

    let isv_view = view.clone();
    // The rows of one table, created once per table; the review's are created when it opens.
    let price_rows = move |review: bool| {
        lines.with_value(|lines| {
            prices.with_value(|prices| {
                lines
                    .iter()
                    .zip(prices)
                    .enumerate()
                    .map(|(index, (line, price))| {
                        let target = (!review && editable).then_some(TargetSignals {
                            targets,
                            adjustment,
                            refused,
                        });
                        view! {
                            <PriceRow
                                index=index
                                line=line.clone()
                                price=*price
                                review=review
                                show_net_discount=show_net_discount
                                target=target
                            />
                        }
                    })
                    .collect_view()
            })
        })
    };
    let payout = move || {
        payouts.with(|payouts| {
            payouts.as_ref().map(|payouts| {
                let money = |amount: Money| display_amount(amount.amount(), CATALOG_CURRENCY);
                let fees = payouts
                    .partner
                    .fees
                    .iter()
                    .map(|fee| {
                        format!(
                            "{} ({}): {}",
                            fee.name,
                            display_percent(fee.percent),
                            money(fee.amount)
                        )
                    })
                    .collect::<Vec<_>>();
                let fees = if fees.is_empty() {
                    "no marketplace fee on your markup".to_owned()
                } else {
                    fees.join(", ")
                };
                (
                    money(payouts.partner.gross),
                    fees,
                    money(payouts.partner.net),
                    money(payouts.isv.net),
                )
            })
        })
    };

    let busy = move || pending.get().is_some();
    let status_label = view.status_label.clone();
    let can_withdraw = offer.allows("withdraw");
    let can_replace_link = matches!(view.status, MultipartyStatus::PendingAcceptance);
    let withdraw = act;
    let replace = act;

    view! {
        <h1 id="offer-title">{view.isv.name.clone()}</h1>
        <p class="offer-meta">
            "Status: " <strong class="offer-status" id="offer-status">{status_label}</strong>
            " · Originator: " {view.isv_company.clone()}
        </p>
        {(!view.purchases.is_empty()).then(|| view! {
            <section aria-labelledby="purchases-title" class="purchases-section">
                <h2 id="purchases-title">"The customer's SaaS subscriptions"</h2>
                <PurchaseStatuses purchases=view.purchases.clone() />
            </section>
        })}
        <p class="form-error" role="alert" hidden=move || general().is_none()>{general}</p>
        {view.upgrade_of.clone().map(|old_id| view! { <UpgradeNote old_id=old_id editable=editable /> })}

        <section aria-labelledby="isv-setup-title" class="isv-setup">
            <h2 id="isv-setup-title">"What the ISV set"</h2>
            <dl class="facts">
                <dt>"Description"</dt><dd>{isv_view.isv.description.clone()}</dd>
                <dt>"Customer billing account"</dt>
                <dd>{format!("{} ({})", isv_view.isv.customer.billing_account_id, isv_view.isv.customer.country)}</dd>
                <dt>"Customer start"</dt><dd>{start_text(isv_view.isv.customer_start)}</dd>
                <dt>"Customer end"</dt><dd>{isv_view.isv.customer_end.to_string()}</dd>
                <dt>"Accept by"</dt><dd>{isv_view.isv.accept_by.to_string()}</dd>
                <dt>"Customer renewal"</dt><dd>{if isv_view.isv.renewal { "Yes" } else { "No" }}</dd>
                <dt>"ISV terms and conditions"</dt>
                <dd>{if isv_view.isv.terms.is_empty() { "None".to_owned() } else {
                    isv_view.isv.terms.iter().map(|t| t.customer_facing_name.clone()).collect::<Vec<_>>().join(", ")
                }}</dd>
            </dl>
            <p class="hint">
                "If something the ISV set is wrong, ask the ISV to withdraw the offer, update it and submit it again."
            </p>
        </section>

        <section aria-labelledby="prices-title" class="prices" hidden=move || step.get() == Step::Review>
            <h2 id="prices-title">"Product offers"</h2>
            <form class="partner-form" novalidate=true on:submit=move |event: leptos::ev::SubmitEvent| {
                event.prevent_default();
                save(true);
            }>
                {editable.then(|| view! {
                    <DecimalField
                        id="customer-adjustment-percent"
                        label="Customer adjustment %"
                        placeholder="0"
                        value=adjustment
                        on_input=on_adjustment
                        error=error("customer_adjustment_percent", adjustment_problems)
                        hint=adjustment_hint
                    />
                })}
                {(!editable).then(|| view! {
                    <p>"Customer adjustment %: " <strong>{display_percent(view.partner.customer_adjustment_percent.value())}</strong></p>
                })}
                <table class="price-table">
                    <caption>"Estimated prices to the customer (other factors may affect the final price)"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Product and price"</th>
                            <th scope="col">"List price"</th>
                            <th scope="col">"Partner price"</th>
                            <th scope="col">"Customer price"</th>
                            <th scope="col">"Net discount"</th>
                            {editable.then(|| view! { <th scope="col">"Target customer price"</th> })}
                        </tr>
                    </thead>
                    <tbody>{price_rows(false)}</tbody>
                </table>
                <div class="results" aria-label="Totals">
                    <div class="result">
                        <label for="partner-total">"Partner total"</label>
                        <output id="partner-total">{money_text(partner_total)}</output>
                    </div>
                    <div class="result">
                        <label for="customer-total">"Customer total"</label>
                        <output id="customer-total" for="customer-adjustment-percent" aria-live="polite">{move || money_text(customer_total.get())}</output>
                    </div>
                </div>
                <p class="hint">"Totals add the flat-rate, per-user and reservation prices; meter prices are per unit."</p>

                {editable.then(|| view! {
                    <fieldset>
                        <legend>"Your details"</legend>
                        <TextField id="prepared-by" label="Prepared by" input_type="email" value=prepared_by error=error("prepared_by", prepared_by_problems) required=true />
                        <p class="hint">"The email address the customer sees on the offer."</p>
                        <ContactsField value=contacts error=error("notification_contacts", contacts_problems) />
                        <SalesNoteField value=sales_note error=error("sales_note", sales_note_problems) />
                        <TermsUpload
                            offer_id=id.get_value()
                            version=version
                            current=view.partner.terms.clone()
                            remaining=offerdesk_core::multiparty::MAX_TERMS_DOCUMENTS
                                .saturating_sub(view.isv.terms.len() + view.partner.terms.len())
                            loaded=loaded
                        />
                    </fieldset>
                    <div class="actions">
                        <button type="submit" class="primary" aria-busy=move || busy().to_string()>"Review and submit"</button>
                        <button type="button" class="secondary" on:click=move |_| save(false)>"Save"</button>
                    </div>
                })}
                <p class="status" role="status">{move || pending.get()}</p>
            </form>
        </section>

        {editable.then(|| view! {
            <section aria-labelledby="review-title" class="review" hidden=move || step.get() == Step::Setup>
                <h2 id="review-title">"Review and submit"</h2>
                <SelectShown value=show_net_discount />
                <table class="price-table">
                    <caption>"Estimated customer price"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Product and price"</th>
                            <th scope="col">"List price"</th>
                            <th scope="col">"Partner price"</th>
                            <th scope="col">{move || if show_net_discount.get() { "Net discount" } else { "Customer price" }}</th>
                        </tr>
                    </thead>
                    <tbody>{move || (step.get() == Step::Review).then(|| price_rows(true))}</tbody>
                </table>
                <div class="results" aria-label="Payout">
                    <div class="result">
                        <label for="review-customer-total">"Customer total"</label>
                        <output id="review-customer-total">{move || money_text(customer_total.get())}</output>
                    </div>
                    <div class="result">
                        <label for="partner-payout">"Your payout"</label>
                        <output id="partner-payout">{move || payout().map(|p| p.2).unwrap_or_else(|| "—".to_owned())}</output>
                    </div>
                    <div class="result">
                        <label for="isv-payout">"ISV payout"</label>
                        <output id="isv-payout">{move || payout().map(|p| p.3).unwrap_or_else(|| "—".to_owned())}</output>
                    </div>
                </div>
                <p class="hint">{move || payout().map(|(gross, fees, net, _)| format!("Your markup {gross}, less {fees}: {net}. The ISV is paid on the partner price, less its marketplace fee."))}</p>
                <p>"After you submit, the offer is locked for edits; you can withdraw it while it is Pending acceptance."</p>
                <div class="actions">
                    <button type="button" class="primary" on:click=submit aria-busy=move || busy().to_string()>"Submit"</button>
                    <button type="button" class="secondary" on:click=move |_| step.set(Step::Setup)>"Edit"</button>
                </div>
                <p class="status" role="status">{move || pending.get()}</p>
            </section>
        })}

        {(!editable).then(|| view! {
            <section aria-labelledby="partner-details-title">
                <h2 id="partner-details-title">"Your details"</h2>
                <dl class="facts">
                    <dt>"Prepared by"</dt><dd>{view.partner.prepared_by.clone()}</dd>
                    <dt>"Notification contacts"</dt><dd>{view.partner.notification_contacts.join(", ")}</dd>
                    <dt>"Sales note"</dt><dd>{view.partner.sales_note.clone()}</dd>
                </dl>
            </section>
        })}

        <section aria-labelledby="actions-title" class="offer-actions">
            <h2 id="actions-title">"Action"</h2>
            {move || link.get().map(|url| view! {
                <CopyLink url=url after_copy="Share it with your customer for acceptance." />
            })}
            {(link.get_untracked().is_none() && can_replace_link).then(|| {
                view! {
                    <p class="hint">"The customer link is shown once. Lost it? Get a new one; the old one stops working."</p>
                    <button type="button" class="secondary" on:click=move |_| replace("customer-link", "Creating a new link…")>"Get a new customer link"</button>
                }
            })}
            {can_withdraw.then(|| {
                view! {
                    <p class="hint">"Withdrawing stops the customer link and returns the offer to Pending partner action."</p>
                    <button type="button" class="secondary" on:click=move |_| withdraw("withdraw", "Withdrawing…")>"Withdraw"</button>
                }
            })}
            {(!editable && !can_withdraw && !can_replace_link && link.get_untracked().is_none()).then(|| view! {
                <p>"Nothing to do on this offer now."</p>
            })}
            <p class="status" role="status" hidden=move || step.get() == Step::Review || editable>{move || pending.get()}</p>
        </section>
    }
}

/// What an upgrade at renewal is: the offer it renews (with the partner's part there), and that
/// only the partner's own fields are the partner's to change.
#[component]
fn UpgradeNote(
    /// The offer this one upgrades.
    old_id: String,
    /// Whether the partner's part is open now.
    editable: bool,
) -> impl IntoView {
    let href = format!("/partner/offers/{old_id}");
    let old_read = LocalResource::new(move || {
        let path = format!("/api/v1/multiparty-offers/{old_id}");
        async move { api::get::<PartnerOffer>(&path).await }
    });
    let previous = move || {
        let old = match old_read.get()? {
            Ok(old) => old,
            Err(error) => {
                let again = move || old_read.refetch();
                let lead = "The current offer could not be read.";
                return Some(unread_notice(lead, &error, again).into_any());
            }
        };
        let partner = &old.offer.partner;
        Some(
            view! {
                <dl class="facts">
                    <dt>"Renews"</dt>
                    <dd>{old.offer.isv.name.clone()}</dd>
                    <dt>"Previous customer end"</dt>
                    <dd>{old.offer.isv.customer_end.to_string()}</dd>
                    <dt>"Previous customer adjustment %"</dt>
                    <dd id="previous-adjustment">{display_percent(partner.customer_adjustment_percent.value())}</dd>
                </dl>
            }
            .into_any(),
        )
    };
    view! {
        <section aria-labelledby="upgrade-title" class="upgrade-note">
            <h2 id="upgrade-title">"Upgrade at renewal"</h2>
            <p>
                "This offer upgrades "
                <a href=href>"the current offer"</a>
                " at renewal, starting after it ends. The ISV set the pricing, dates and terms below. "
                {if editable {
                    "You may change only your part: customer adjustment %, prepared by, terms and conditions, notification contacts and sales note; it starts as it was on the current offer."
                } else {
                    "Your part is as you submitted it."
                }}
            </p>
            {previous}
        </section>
    }
}

fn lowercase_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => field::fold_case(first.encode_utf8(&mut [0; 4])) + chars.as_str(),
        None => String::new(),
    }
}

/// What a row's "Target customer price" field writes: the typed targets (one at a time), the
/// adjustment it solves, and the server's refusal it clears.
#[derive(Clone, Copy)]
struct TargetSignals {
    targets: RwSignal<BTreeMap<usize, String>>,
    adjustment: RwSignal<String>,
    refused: RwSignal<Option<ApiError>>,
}

/// One price line of a table: what the ISV set, then the customer price (and, in the setup
/// table, the net discount and the target field) from the line's own signal.
#[component]
fn PriceRow(
    index: usize,
    line: PriceLine,
    price: RwSignal<LinePrice>,
    /// The review table's row: no net discount column (the toggle chooses what is shown).
    review: bool,
    show_net_discount: RwSignal<bool>,
    /// The target field, in the setup table of an editable offer.
    target: Option<TargetSignals>,
) -> impl IntoView {
    let name = format!("{}: {}", line.product, line.price);
    let pricing = line.pricing;
    let list_text = money_text(pricing.list);
    let partner_text = {
        let unit = display_amount(pricing.partner.amount(), CATALOG_CURRENCY);
        match pricing.reservation {
            Some((quantity, _, _)) => format!("{unit} × {}", quantity.value().normalize()),
            None => unit,
        }
    };
    let customer_text = move || {
        let price = price.get();
        if review && show_net_discount.get() {
            return percent_text(price.net_discount);
        }
        match (price.customer, price.customer_subtotal) {
            (Some(unit), Some(subtotal)) => format!(
                "{} (subtotal {})",
                money_text(Some(unit)),
                money_text(Some(subtotal))
            ),
            (unit, _) => money_text(unit),
        }
    };
    let prefix = if review { "review-" } else { "" };
    let net = (!review).then(|| {
        view! {
            <td>
                <output id=format!("net-discount-{index}") for="customer-adjustment-percent" aria-label=format!("Net discount, {name}")>
                    {move || percent_text(price.with(|price| price.net_discount))}
                </output>
            </td>
        }
    });
    let target = target.map(|signals| {
        view! {
            <td class="target-cell">
                <TargetCell index=index name=name.clone() pricing=pricing signals=signals />
            </td>
        }
    });
    view! {
        <tr>
            <th scope="row">{name.clone()}</th>
            <td>{list_text}</td>
            <td>{partner_text}</td>
            <td>
                <output id=format!("{prefix}customer-price-{index}") for="customer-adjustment-percent" aria-label=format!("Customer price, {name}")>
                    {customer_text}
                </output>
            </td>
            {net}
            {target}
        </tr>
    }
}

/// A line's "Target customer price": typing one solves the adjustment that gives it (through
/// the core's solve) and fills "Customer adjustment %".
#[component]
fn TargetCell(
    index: usize,
    name: String,
    pricing: LinePricing,
    signals: TargetSignals,
) -> impl IntoView {
    let TargetSignals {
        targets,
        adjustment,
        refused,
    } = signals;
    // A memo, so that clearing the other lines' targets does not re-solve this one.
    let target_text = Memo::new(move |_| {
        targets.with(|targets| targets.get(&index).cloned().unwrap_or_default())
    });
    let solved = Memo::new(move |_| {
        let text = target_text.get();
        if text.trim().is_empty() {
            return None;
        }
        let draft = SolveDraft {
            program: Some("multiparty".to_owned()),
            currency: Some(CATALOG_CURRENCY.code().to_owned()),
            kind: Some(pricing.kind.as_str().to_owned()),
            partner_price: Some(pricing.partner.amount().to_string()),
            target_customer_price: Some(text.trim().to_owned()),
        };
        Some(draft.validate().and_then(|solve| solve.solve()))
    });
    let on_target = move |text: String| {
        targets.update(|targets| {
            targets.clear();
            targets.insert(index, text);
        });
        if refused.with_untracked(Option::is_some) {
            refused.set(None);
        }
        if let Some(Ok(solved)) = solved.get_untracked() {
            adjustment.set(solved.customer_adjustment_percent.normalize().to_string());
        }
    };
    let note = Signal::derive(move || match solved.get() {
        Some(Ok(solved)) => {
            let percent = solved.customer_adjustment_percent.normalize();
            let price = display_amount(solved.customer_price, CATALOG_CURRENCY);
            Some(if solved.exact {
                format!("{percent}% gives exactly {price}.")
            } else {
                format!("No adjustment with at most 8 decimal places gives exactly this price; the nearest, {percent}%, gives {price}.")
            })
        }
        _ => None,
    });
    let target_error = Signal::derive(move || match solved.get() {
        Some(Err(errors)) => Some(
            errors
                .iter()
                .map(|error| {
                    if error.field == "target_customer_price" {
                        format!(
                            "The target customer price {}",
                            lowercase_first(&error.message)
                        )
                    } else {
                        error.message.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" "),
        ),
        _ => None,
    });
    view! {
        <TargetField
            id=format!("target-{index}")
            label=format!("Target customer price, {name}")
            value=target_text
            on_input=on_target
            note=note
            error=target_error
        />
    }
}

/// A per-line target price field: its note says what the solved adjustment gives.
#[component]
fn TargetField(
    id: String,
    label: String,
    #[prop(into)] value: Signal<String>,
    #[prop(into)] on_input: Callback<String>,
    #[prop(into)] note: Signal<Option<String>>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let note_id = format!("{id}-note");
    let error_id = format!("{id}-error");
    let described_by = {
        let (note_id, error_id) = (note_id.clone(), error_id.clone());
        move || {
            if error.get().is_some() {
                error_id.clone()
            } else {
                note_id.clone()
            }
        }
    };
    view! {
        <div class="field target-field" class:field-invalid=move || error.get().is_some()>
            <label for=id.clone() class="visually-hidden">{label}</label>
            <input
                id=id.clone()
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                prop:value=move || value.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby=described_by
                on:input=move |event| on_input.run(event_target_value(&event))
            />
            <p id=note_id class="hint target-note" aria-live="polite" hidden=move || note.get().is_none()>{move || note.get()}</p>
            <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
        </div>
    }
}

/// Notification contacts, one email a line (at most 5).
#[component]
fn ContactsField(
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for="notification-contacts">"Notification contacts"</label>
            <textarea
                id="notification-contacts"
                rows="3"
                prop:value=move || value.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby="notification-contacts-hint notification-contacts-error"
                on:input=move |event| value.set(event_target_value(&event))
            ></textarea>
            <p id="notification-contacts-hint" class="hint">
                "Up to 5 email addresses, one a line, told when the offer becomes Pending partner action, Pending acceptance, Accepted or Expired."
            </p>
            <p id="notification-contacts-error" class="field-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
        </div>
    }
}

/// The sales note with its character counter.
#[component]
fn SalesNoteField(
    value: RwSignal<String>,
    #[prop(into)] error: Signal<Option<String>>,
) -> impl IntoView {
    let count = move || value.with(|text| text.chars().count());
    view! {
        <div class="field" class:field-invalid=move || error.get().is_some()>
            <label for="sales-note">"Sales note"</label>
            <input
                id="sales-note"
                type="text"
                autocomplete="off"
                prop:value=move || value.get()
                aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                aria-describedby="sales-note-hint sales-note-error"
                on:input=move |event| value.set(event_target_value(&event))
            />
            <p id="sales-note-hint" class="hint">
                <span class="counter" class:over=move || { count() > SALES_NOTE_MAX }>{move || format!("{}/{SALES_NOTE_MAX}", count())}</span>
                " characters. Seen only by you, in your reports. No personal data such as names or email addresses."
            </p>
            <p id="sales-note-error" class="field-error" role="alert" hidden=move || error.get().is_none()>{move || error.get()}</p>
        </div>
    }
}

/// The review's choice: the estimated customer price as a calculated price or a net discount.
#[component]
fn SelectShown(value: RwSignal<bool>) -> impl IntoView {
    view! {
        <fieldset class="toggle">
            <legend>"Show the estimated customer price as"</legend>
            <label>
                <input type="radio" name="shown-as" prop:checked=move || !value.get() on:change=move |_| value.set(false) />
                " Calculated price"
            </label>
            <label>
                <input type="radio" name="shown-as" prop:checked=move || value.get() on:change=move |_| value.set(true) />
                " Net discount"
            </label>
        </fieldset>
    }
}

/// The partner's terms and conditions PDFs: each uploaded under a unique customer-facing name,
/// at most 5 between the ISV and the partner. An upload answers the offer as it now stands.
#[component]
fn TermsUpload(
    offer_id: String,
    version: i64,
    current: Vec<TermsDocument>,
    remaining: usize,
    loaded: RwSignal<Option<Result<PartnerOffer, ApiError>>>,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let offer_id = StoredValue::new(offer_id);
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            refused.with(|answer| {
                answer.as_ref().and_then(|answer| {
                    let messages: Vec<String> = answer
                        .errors
                        .iter()
                        .filter(|error| (field == "name") == (error.field != "file"))
                        .map(|error| error.message.clone())
                        .collect();
                    (!messages.is_empty()).then(|| messages.join(" "))
                })
            })
        })
    };
    let upload = move |_| {
        use wasm_bindgen::JsCast;
        let file = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.get_element_by_id("terms-file"))
            .and_then(|element| element.dyn_into::<web_sys::HtmlInputElement>().ok())
            .and_then(|input| input.files())
            .and_then(|files| files.item(0));
        let Some(file) = file else {
            refused.set(Some(ApiError::local("file", "Choose a PDF file.")));
            return;
        };
        if name.with_untracked(|name| name.trim().is_empty()) {
            refused.set(Some(ApiError::local(
                "name",
                "Enter the document name your customer sees.",
            )));
            return;
        }
        refused.set(None);
        pending.set(true);
        let path = format!(
            "/api/v1/multiparty-offers/{}/terms?version={version}&name={}",
            offer_id.get_value(),
            api::encode_query(name.get_untracked().trim())
        );
        spawn_local(async move {
            let answer: Result<PartnerOffer, ApiError> =
                api::post_file(&path, "application/pdf", file).await;
            pending.set(false);
            match answer {
                Ok(offer) => loaded.set(Some(Ok(offer))),
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let remove = move |file_id: String| {
        refused.set(None);
        pending.set(true);
        let path = format!(
            "/api/v1/multiparty-offers/{}/terms/{}?version={version}",
            offer_id.get_value(),
            api::encode_query(&file_id)
        );
        spawn_local(async move {
            let answer: Result<PartnerOffer, ApiError> = api::delete(&path).await;
            pending.set(false);
            match answer {
                Ok(offer) => loaded.set(Some(Ok(offer))),
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let listed = if current.is_empty() {
        view! { <p id="partner-terms">"Your documents: none yet."</p> }.into_any()
    } else {
        view! {
            <ul id="partner-terms" class="terms-list" aria-label="Your documents">
                {current
                    .into_iter()
                    .map(|document| {
                        let file_id = document.file_id.clone();
                        let label = format!("Remove {}", document.customer_facing_name);
                        view! {
                            <li>
                                <span class="terms-name">{document.customer_facing_name}</span>
                                " "
                                <button type="button" class="link-button" aria-label=label
                                    on:click=move |_| remove(file_id.clone())>"Remove"</button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        }
        .into_any()
    };
    let name_error = field_error("name");
    let file_error = field_error("file");
    view! {
        <fieldset class="terms">
            <legend>"Customer terms and conditions"</legend>
            {listed}
            <p class="hint" id="terms-hint">
                {format!(
                    "Optional. Your terms are visible to your customer, not to the ISV. You can add {remaining} more (5 in total between you and the ISV). Save your other changes first."
                )}
            </p>
            <div class="field" class:field-invalid=move || file_error.get().is_some()>
                <label for="terms-file">"Terms and conditions PDF"</label>
                <input id="terms-file" type="file" accept="application/pdf" disabled=remaining == 0
                    aria-invalid=move || if file_error.get().is_some() { "true" } else { "false" }
                    aria-describedby="terms-hint terms-file-error" />
                <p id="terms-file-error" class="field-error" role="alert" hidden=move || file_error.get().is_none()>{move || file_error.get()}</p>
            </div>
            <TextField id="terms-name" label="Customer-facing document name" value=name error=name_error />
            <button type="button" class="secondary" disabled=remaining == 0 on:click=upload aria-busy=move || pending.get().to_string()>
                "Add terms and conditions"
            </button>
        </fieldset>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    /// A partner's view of one product with one price, as the server writes it, read as the
    /// page reads it.
    fn view(product: Value, price_point_id: &str, quantity: Value) -> PartnerView<ProductBrief> {
        let offer = json!({
            "id": "mpo_1", "status": "PendingPartnerAction",
            "status_label": "Pending partner action", "upgrade_of": null,
            "isv_company": "Contoso Software",
            "isv": {
                "name": "Offer", "description": "",
                "customer": { "billing_account_id": "ba-1", "country": "US" },
                "selling_partner_seller_id": "10000001", "products": [product],
                "customer_start": { "start": "on_acceptance" },
                "customer_end": "2099-12-31", "accept_by": "2099-12-01",
                "terms": [], "notification_contacts": [], "renewal": false
            },
            "partner": {
                "customer_adjustment_percent": "0", "notification_contacts": [],
                "prepared_by": "", "sales_note": "", "terms": []
            },
            "max_customer_adjustment_percent": null,
            "prices": [{
                "product_index": 0, "offer_name": "Contoso Firewall VM", "plan_name": "Firewall",
                "price_point_id": price_point_id, "kind": "flat", "list_price": null,
                "partner_price": "95", "customer_price": "95", "net_discount_percent": null,
                "quantity": quantity, "customer_subtotal": null
            }],
            "purchases": [], "cancellation": null
        });
        crate::json::from_str(&offer.to_string()).unwrap()
    }

    fn money(text: &str) -> Money {
        Money::parse(text, 2).unwrap()
    }

    #[test]
    fn a_reservation_line_prices_its_subtotal_by_its_term_and_payment() {
        let view = view(
            json!({
                "pricing_type": "vm_reservation", "offer_id": "contoso-firewall-vm",
                "plan_id": "firewall", "term": "one_year", "payment": "monthly",
                "reservations": [{ "vcpu_size": "4 vCPU", "quantity": "3", "unit_price": "95" }]
            }),
            "reservation:4 vCPU",
            json!("3"),
        );
        let line = PriceLine::from_row(&view.prices[0], &view);
        assert_eq!(line.product, "Contoso Firewall VM, Firewall");
        // 99.75 a month, x 12 months x 3 reservations.
        assert_eq!(line.pricing.subtotal(money("99.75")), Some(money("3591")));
    }

    #[test]
    fn a_new_plan_is_named_after_its_template_and_has_no_subtotal() {
        let view = view(
            json!({
                "pricing_type": "new_saas_plan", "template_offer_id": "contoso-analytics",
                "template_plan_id": "team", "name": "Team custom", "description": "",
                "pricing": { "model": "per_user", "min_users": 1, "max_users": 50,
                             "prices": [{ "billing_term": "one_month", "price": "10" }] },
                "meter_prices": []
            }),
            "user:one_month",
            Value::Null,
        );
        let line = PriceLine::from_row(&view.prices[0], &view);
        assert_eq!(line.product, "Firewall (new plan of Contoso Firewall VM)");
        assert_eq!(line.pricing.subtotal(money("10.50")), None);
    }
}
