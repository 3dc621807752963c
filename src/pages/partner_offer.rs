//! One multiparty offer for its selling partner at `/partner/offers/:id`: "Offer setup" (what
//! the ISV set, read-only; the partner's customer adjustment % with a live preview, prepared-by,
//! contacts, sales note), "Review and submit", then "Copy link"; "Withdraw" later.

use std::collections::BTreeMap;

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use offerdesk_core::catalog::CATALOG_CURRENCY;
use offerdesk_core::fees::{self, Deal, FeeTable, Payouts};
use offerdesk_core::money::{display_amount, display_percent};
use offerdesk_core::multiparty::validate::validate_partner_part;
use offerdesk_core::multiparty::view::{PartnerPriceRow, PartnerView};
use offerdesk_core::multiparty::{
    IsvPart, MultipartyStatus, PartnerPart, ProductLine, TermsDocument,
};
use offerdesk_core::percent::PERCENT_PLACES;
use offerdesk_core::pricing::{self, ReservationPayment, ReservationTerm};
use offerdesk_core::quote::SolveDraft;
use offerdesk_core::{AdjustmentPercent, FieldError, Money, PriceKind, Program};
use rust_decimal::Decimal;

use crate::api::{self, ApiError};
use crate::components::copy_link::{customer_link_url, CopyLink};
use crate::components::decimal_field::DecimalField;
use crate::components::purchase_statuses::PurchaseStatuses;
use crate::components::text_field::TextField;
use crate::pages::partner_offers::{load_error, start_text, PartnerOffer};

/// The most characters of a sales note (seed 002).
const SALES_NOTE_MAX: usize = 60;

/// One price of the offer as the partner previews it: what the ISV set, and how the preview
/// prices it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PriceLine {
    /// What is sold, in words ("Contoso Analytics, Pro (flat rate)").
    product: String,
    /// Which price of it ("Flat rate, 1 month").
    price: String,
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
    fn from_row(row: &PartnerPriceRow, view: &PartnerView) -> PriceLine {
        let product = view.isv.products.get(row.product_index);
        let product_name = match product {
            Some(ProductLine::NewSaasPlan { .. }) => {
                format!("{} (new plan of {})", row.plan_name, row.offer_name)
            }
            _ => format!("{}, {}", row.offer_name, row.plan_name),
        };
        let reservation = match (product, row.quantity) {
            (Some(ProductLine::VmReservation { term, payment, .. }), Some(quantity)) => {
                Some((quantity, *term, *payment))
            }
            _ => None,
        };
        PriceLine {
            product: product_name,
            price: describe_price_point(&row.price_point_id),
            kind: row.kind,
            list: row.list_price,
            partner: row.partner_price,
            reservation,
        }
    }

    fn places(&self) -> u32 {
        self.kind.unit_places(CATALOG_CURRENCY)
    }

    /// A reservation's subtotal of `unit`; `None` for other lines.
    fn subtotal(&self, unit: Money) -> Option<Money> {
        self.reservation.and_then(|(quantity, term, payment)| {
            pricing::reservation_subtotal(unit, quantity, term, payment, CATALOG_CURRENCY).ok()
        })
    }
}

/// A price point id in words: `flat:one_month` is "Flat rate, 1 month".
pub(crate) fn describe_price_point(id: &str) -> String {
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
        Some(("reservation", rest)) => format!("Reservation, {rest}"),
        _ => id.to_owned(),
    }
}

/// One line of the preview at the typed adjustment.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PreviewLine {
    customer: Option<Money>,
    net_discount: Option<Decimal>,
    partner_subtotal: Option<Money>,
    customer_subtotal: Option<Money>,
}

/// The whole preview: every line, the totals and the payouts, priced by the core.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Preview {
    lines: Vec<PreviewLine>,
    partner_total: Option<Money>,
    customer_total: Option<Money>,
    payouts: Option<Payouts>,
}

fn preview(lines: &[PriceLine], adjustment: Option<AdjustmentPercent>, renewal: bool) -> Preview {
    let priced: Vec<PreviewLine> = lines
        .iter()
        .map(|line| {
            let customer = adjustment.and_then(|adjustment| {
                pricing::customer_price(line.partner, adjustment, line.places()).ok()
            });
            let net_discount = match (line.list, customer) {
                (Some(list), Some(customer)) if !list.amount().is_zero() => {
                    pricing::net_discount_percent(list, customer).ok()
                }
                _ => None,
            };
            PreviewLine {
                customer,
                net_discount,
                partner_subtotal: line.subtotal(line.partner),
                customer_subtotal: customer.and_then(|customer| line.subtotal(customer)),
            }
        })
        .collect();
    // Totals add the flat-rate, per-user and reservation lines; a meter's price is per unit.
    let total = |pick: &dyn Fn(&PriceLine, &PreviewLine) -> Option<Money>| {
        let amounts: Option<Vec<Money>> = lines
            .iter()
            .zip(&priced)
            .filter(|(line, _)| line.kind == PriceKind::Flat)
            .map(|(line, preview)| pick(line, preview))
            .collect();
        amounts.and_then(|amounts| pricing::sum(amounts).ok())
    };
    let partner_total = total(&|line, preview| preview.partner_subtotal.or(Some(line.partner)));
    let customer_total = total(&|_, preview| preview.customer_subtotal.or(preview.customer));
    let payouts = match (partner_total, customer_total) {
        (Some(partner_total), Some(customer_total)) => fees::payouts(
            &FeeTable::default_for(Program::Multiparty),
            &Deal {
                program: Program::Multiparty,
                currency: CATALOG_CURRENCY,
                partner_total,
                customer_total,
                renewal,
            },
        )
        .ok(),
        _ => None,
    };
    Preview {
        lines: priced,
        partner_total,
        customer_total,
        payouts,
    }
}

/// The ISV's part as the core's validation takes it (the partner never sees the ISV's sales
/// note, which the partner's checks do not read).
fn isv_part(view: &PartnerView) -> IsvPart {
    let isv = &view.isv;
    IsvPart {
        name: isv.name.clone(),
        description: isv.description.clone(),
        customer: isv.customer.clone(),
        selling_partner_seller_id: isv.selling_partner_seller_id.clone(),
        products: isv.products.clone(),
        customer_start: isv.customer_start,
        customer_end: isv.customer_end,
        accept_by: isv.accept_by,
        terms: isv.terms.clone(),
        notification_contacts: isv.notification_contacts.clone(),
        sales_note: String::new(),
        renewal: isv.renewal,
    }
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
pub fn PartnerOfferPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|params| params.get("id").unwrap_or_default());
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
    Effect::new(move |_| {
        // Reload when the route's id changes.
        let _ = id();
        load();
    });

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
    let lines = StoredValue::new(lines);
    let isv = StoredValue::new(isv_part(&view));
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
    // The core's own checks, as the server runs them, on every keystroke.
    let problems = Memo::new(move |_| {
        let mut problems = validate_partner_part(&part(), &isv.get_value())
            .err()
            .unwrap_or_default();
        if let Err(message) = parsed_adjustment.get() {
            problems.retain(|problem| problem.field != "customer_adjustment_percent");
            problems.push(FieldError::new("customer_adjustment_percent", message));
        }
        problems
    });
    let the_preview = Memo::new(move |_| {
        lines.with_value(|lines| preview(lines, parsed_adjustment.get().ok(), renewal))
    });
    // Problems with what is being typed show at once; a missing field only after an attempt.
    let error = move |field: &'static str| {
        Signal::derive(move || {
            let live =
                matches!(field, "customer_adjustment_percent" | "sales_note") || attempted.get();
            let mine = live
                .then(|| {
                    problems.with(|all| {
                        all.iter()
                            .filter(|problem| form_field(&problem.field) == field)
                            .map(|problem| problem.message.clone())
                            .collect::<Vec<_>>()
                    })
                })
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
    let on_adjustment = move |text: String| {
        adjustment.set(text);
        targets.set(BTreeMap::new());
        refused.set(None);
    };

    let save = move |then_review: bool| {
        attempted.set(true);
        if !problems.with_untracked(Vec::is_empty) || pending.get_untracked().is_some() {
            return;
        }
        refused.set(None);
        pending.set(Some("Saving…"));
        // The partner's part as sent: `PUT /multiparty-offers/{id}/partner`.
        let body = api::versioned(&part(), version);
        let id = id.get_value();
        spawn_local(async move {
            let answer: Result<PartnerOffer, ApiError> =
                api::put(&format!("/api/v1/multiparty-offers/{id}/partner"), &body).await;
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
    let price_rows = move |review: bool| {
        lines.with_value(|lines| {
            lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let line = line.clone();
                    let preview_line = move || the_preview.with(|preview| preview.lines[index].clone());
                    let customer_text = move || {
                        let shown = preview_line();
                        match (review && show_net_discount.get(), shown.customer) {
                            (true, _) => shown
                                .net_discount
                                .map(display_percent)
                                .unwrap_or_else(|| "—".to_owned()),
                            (false, Some(price)) => {
                                let unit = display_amount(price.amount(), CATALOG_CURRENCY);
                                match shown.customer_subtotal {
                                    Some(subtotal) => format!(
                                        "{unit} (subtotal {})",
                                        display_amount(subtotal.amount(), CATALOG_CURRENCY)
                                    ),
                                    None => unit,
                                }
                            }
                            (false, None) => "—".to_owned(),
                        }
                    };
                    let net_text = move || {
                        preview_line()
                            .net_discount
                            .map(display_percent)
                            .unwrap_or_else(|| "—".to_owned())
                    };
                    let prefix = if review { "review-" } else { "" };
                    let customer_id = format!("{prefix}customer-price-{index}");
                    let net_id = format!("net-discount-{index}");
                    let target_id = format!("target-{index}");
                    let list_text = line
                        .list
                        .map(|list| display_amount(list.amount(), CATALOG_CURRENCY))
                        .unwrap_or_else(|| "—".to_owned());
                    let partner_text = {
                        let unit = display_amount(line.partner.amount(), CATALOG_CURRENCY);
                        match line.reservation {
                            Some((quantity, _, _)) => format!("{unit} × {}", quantity.value().normalize()),
                            None => unit,
                        }
                    };
                    let name = format!("{}: {}", line.product, line.price);
                    let target_cell = (!review && editable).then(|| {
                        let line = line.clone();
                        let target_text = Signal::derive(move || {
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
                                kind: Some(line.kind.as_str().to_owned()),
                                partner_price: Some(line.partner.amount().to_string()),
                                target_customer_price: Some(text.trim().to_owned()),
                            };
                            Some(draft.validate().and_then(|solve| solve.solve()))
                        });
                        let on_target = move |text: String| {
                            targets.update(|targets| {
                                targets.clear();
                                targets.insert(index, text);
                            });
                            refused.set(None);
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
                                            format!("The target customer price {}", lowercase_first(&error.message))
                                        } else {
                                            error.message.clone()
                                        }
                                    })
                                    .collect::<Vec<_>>()
                                    .join(" "),
                            ),
                            _ => None,
                        });
                        let label = format!("Target customer price, {name}");
                        view! {
                            <td class="target-cell">
                                <TargetField id=target_id label=label value=target_text on_input=on_target note=note error=target_error />
                            </td>
                        }
                    });
                    view! {
                        <tr>
                            <th scope="row">{name.clone()}</th>
                            <td>{list_text}</td>
                            <td>{partner_text}</td>
                            <td>
                                <output id=customer_id.clone() for="customer-adjustment-percent" aria-label=format!("Customer price, {name}")>
                                    {customer_text}
                                </output>
                            </td>
                            {(!review).then(|| view! {
                                <td>
                                    <output id=net_id for="customer-adjustment-percent" aria-label=format!("Net discount, {name}")>
                                        {net_text}
                                    </output>
                                </td>
                            })}
                            {target_cell}
                        </tr>
                    }
                })
                .collect_view()
        })
    };
    let totals = move || {
        the_preview.with(|preview| {
            let money = |amount: Option<Money>| {
                amount
                    .map(|amount| display_amount(amount.amount(), CATALOG_CURRENCY))
                    .unwrap_or_else(|| "—".to_owned())
            };
            (money(preview.partner_total), money(preview.customer_total))
        })
    };
    let payout = move || {
        the_preview.with(|preview| {
            preview.payouts.as_ref().map(|payouts| {
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
                        error=error("customer_adjustment_percent")
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
                        <output id="partner-total">{move || totals().0}</output>
                    </div>
                    <div class="result">
                        <label for="customer-total">"Customer total"</label>
                        <output id="customer-total" for="customer-adjustment-percent" aria-live="polite">{move || totals().1}</output>
                    </div>
                </div>
                <p class="hint">"Totals add the flat-rate, per-user and reservation prices; meter prices are per unit."</p>

                {editable.then(|| view! {
                    <fieldset>
                        <legend>"Your details"</legend>
                        <TextField id="prepared-by" label="Prepared by" input_type="email" value=prepared_by error=error("prepared_by") required=true />
                        <p class="hint">"The email address the customer sees on the offer."</p>
                        <ContactsField value=contacts error=error("notification_contacts") />
                        <SalesNoteField value=sales_note error=error("sales_note") />
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
                    <tbody>{price_rows(true)}</tbody>
                </table>
                <div class="results" aria-label="Payout">
                    <div class="result">
                        <label for="review-customer-total">"Customer total"</label>
                        <output id="review-customer-total">{move || totals().1}</output>
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
    let old = LocalResource::new(move || {
        let path = format!("/api/v1/multiparty-offers/{old_id}");
        async move { api::get::<PartnerOffer>(&path).await.ok() }
    });
    let previous = move || {
        old.get().flatten().map(|old| {
            let partner = &old.offer.partner;
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
        })
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
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
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
            encode_query(name.get_untracked().trim())
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
            encode_query(&file_id)
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

/// Percent-encodes `text` for a query string value.
fn encode_query(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (byte as char).to_string()
            }
            _ => format!("%{byte:02X}"),
        })
        .collect()
}
