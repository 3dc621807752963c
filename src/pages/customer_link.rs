//! The customer's page behind a partner's link, `/links/:token`: the customer projection of a
//! multiparty offer or a CPPO buyer offer, without sign-in, and "Accept" for a signed-in owner,
//! contributor or signatory. Every price arrives computed by the server; nothing is priced here.

use crate::router::use_router;
use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::catalog::CATALOG_CURRENCY;
use offerdesk_core::cppo::view::BuyerOfferBuyerView;
use offerdesk_core::cppo::BuyerOfferStatus;
use offerdesk_core::money::{display_amount, display_percent, Currency};
use offerdesk_core::multiparty::view::{
    CustomerPriceRow, CustomerTotals, CustomerView, PurchaseRow,
};
use offerdesk_core::multiparty::{CustomerStart, MultipartyStatus};
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::components::purchase_statuses::PurchaseStatuses;
use crate::dates::long_date;
use crate::session::{use_session, SessionState};

/// What `GET /api/v1/links/{token}` answers: the program and the customer's projection.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "program", content = "offer", rename_all = "snake_case")]
enum LinkedOffer {
    /// A Microsoft multiparty private offer.
    Multiparty(CustomerView),
    /// An AWS CPPO buyer offer.
    Cppo(BuyerOfferBuyerView),
}

impl LinkedOffer {
    fn accept_by(&self) -> NaiveDate {
        match self {
            LinkedOffer::Multiparty(offer) => offer.accept_by,
            LinkedOffer::Cppo(offer) => offer.accept_by,
        }
    }

    fn accepted(&self) -> bool {
        match self {
            LinkedOffer::Multiparty(offer) => offer.status == MultipartyStatus::Accepted,
            LinkedOffer::Cppo(offer) => offer.status == BuyerOfferStatus::Accepted,
        }
    }

    fn awaiting_acceptance(&self) -> bool {
        match self {
            LinkedOffer::Multiparty(offer) => offer.status == MultipartyStatus::PendingAcceptance,
            LinkedOffer::Cppo(offer) => offer.status == BuyerOfferStatus::Published,
        }
    }

    fn status_label(&self) -> String {
        match self {
            LinkedOffer::Multiparty(offer) => offer.status_label.clone(),
            LinkedOffer::Cppo(offer) => match offer.status {
                BuyerOfferStatus::Draft => "Draft",
                BuyerOfferStatus::Published => "Pending acceptance",
                BuyerOfferStatus::Accepted => "Accepted",
                BuyerOfferStatus::Expired => "Expired",
            }
            .to_owned(),
        }
    }

    fn has_schedule(&self) -> bool {
        matches!(self, LinkedOffer::Cppo(offer) if offer.payment_schedule.is_some())
    }
}

/// The body of `POST /api/v1/links/{token}/accept`.
#[derive(Debug, serde::Serialize)]
struct AcceptBody {
    /// A CPPO buyer signs the payment schedule with its acceptance.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    sign_schedule: bool,
}

/// The customer's page for the offer at `/links/:token`.
#[component]
pub fn CustomerLinkPage(
    /// The link's token, from its path.
    token: String,
) -> impl IntoView {
    let token = StoredValue::new(token);
    // Bumped after an acceptance so the page shows the offer as the server now has it.
    let reloads = RwSignal::new(0_u32);
    let offer = LocalResource::new(move || {
        let token = token.get_value();
        reloads.get();
        async move { api::get::<LinkedOffer>(&link_path(&token)).await }
    });

    view! {
        <Suspense fallback=|| view! { <p class="status" role="status">"Loading the offer…"</p> }>
            {move || {
                offer
                    .get()
                    .map(|answer| match answer {
                        Ok(linked) => view! { <OfferAtLink linked=linked token=token.get_value() reloads=reloads /> }.into_any(),
                        Err(error) => view! { <LinkUnavailable error=error /> }.into_any(),
                    })
            }}
        </Suspense>
    }
}

fn link_path(token: &str) -> String {
    format!("/api/v1/links/{token}")
}

/// An offer the link shows.
#[component]
fn OfferAtLink(
    /// The customer's projection.
    linked: LinkedOffer,
    /// The link's token.
    token: String,
    /// Bumped to load the offer again.
    reloads: RwSignal<u32>,
) -> impl IntoView {
    let status = linked.status_label();
    let accepted = linked.accepted();
    let (title, isv_company, partner_company) = match &linked {
        LinkedOffer::Multiparty(offer) => (
            offer.name.clone(),
            offer.isv_company.clone(),
            offer.partner_company.clone(),
        ),
        LinkedOffer::Cppo(offer) => (
            "Private offer".to_owned(),
            offer.isv_company.clone(),
            offer.partner_company.clone(),
        ),
    };
    let details = match &linked {
        LinkedOffer::Multiparty(offer) => multiparty_details(offer, &token).into_any(),
        LinkedOffer::Cppo(offer) => cppo_details(offer).into_any(),
    };

    view! {
        <article class="customer-offer" aria-labelledby="offer-title">
            <header class="offer-heading">
                <p class="eyebrow">"Private offer from " {isv_company.clone()} " through " {partner_company.clone()}</p>
                <h1 id="offer-title">{title}</h1>
                <p class="offer-status">
                    "Status: " <strong class="status-badge" class:accepted=accepted>{status}</strong>
                </p>
            </header>
            <dl class="offer-facts">
                <div><dt>"Software vendor"</dt><dd class="isv-company">{isv_company}</dd></div>
                <div><dt>"Selling partner"</dt><dd class="partner-company">{partner_company}</dd></div>
                <AcceptBy accept_by=linked.accept_by() accepted=accepted />
            </dl>
            {details}
            <AcceptPanel linked=linked token=token reloads=reloads />
        </article>
    }
}

/// The accept-by date with the time left, counted from today in the browser.
#[component]
fn AcceptBy(accept_by: NaiveDate, accepted: bool) -> impl IntoView {
    let today = chrono::Local::now().date_naive();
    let left = (!accepted).then(|| time_left(accept_by, today));
    view! {
        <div>
            <dt>"Accept by"</dt>
            <dd class="accept-by">
                <time datetime=accept_by.to_string()>{long_date(accept_by)}</time>
                {left.map(|left| view! { " " <span class="time-left">"(" {left} ")"</span> })}
            </dd>
        </div>
    }
}

fn multiparty_details(offer: &CustomerView, token: &str) -> impl IntoView {
    let start = match offer.customer_start {
        CustomerStart::OnAcceptance => "When you accept".to_owned(),
        CustomerStart::Month(month) => long_date(month),
    };
    let terms = offer
        .terms
        .iter()
        .enumerate()
        .map(|(index, name)| {
            let href = format!("{}/terms/{index}", link_path(token));
            view! { <li><a href=href download="">{name.clone()}</a>" (PDF)"</li> }
        })
        .collect_view();
    let no_terms = offer.terms.is_empty();
    let prepared_by = offer.prepared_by.clone();
    let mailto = format!("mailto:{prepared_by}");
    let end = offer.customer_end;
    view! {
        <dl class="offer-facts">
            <div><dt>"Prices start"</dt><dd class="start">{start}</dd></div>
            <div><dt>"Prices end"</dt><dd class="end"><time datetime=end.to_string()>{long_date(end)}</time></dd></div>
            <div><dt>"Prepared by"</dt><dd class="prepared-by"><a href=mailto>{prepared_by}</a></dd></div>
        </dl>
        <MultipartyPrices rows=offer.prices.clone() totals=offer.totals.clone() />
        <section aria-labelledby="terms-title">
            <h2 id="terms-title">"Terms and conditions"</h2>
            {if no_terms {
                view! { <p>"This offer has no additional terms documents."</p> }.into_any()
            } else {
                view! { <ul class="terms">{terms}</ul> }.into_any()
            }}
        </section>
    }
}

/// The multiparty prices as a table: per line the list price, the customer's price and the net
/// discount; a VM reservation also its quantity and subtotal; under them the totals.
#[component]
fn MultipartyPrices(rows: Vec<CustomerPriceRow>, totals: Option<CustomerTotals>) -> impl IntoView {
    let currency = totals
        .as_ref()
        .map(|totals| totals.currency)
        .unwrap_or(CATALOG_CURRENCY);
    let has_reservations = rows.iter().any(|row| row.subtotal.is_some());
    let body = rows
        .into_iter()
        .map(|row| {
            let list = row
                .list_price
                .map(|price| display_amount(price.amount(), currency))
                .unwrap_or_else(|| "—".to_owned());
            let discount = row
                .net_discount_percent
                .map(display_percent)
                .unwrap_or_else(|| "—".to_owned());
            let quantity = row.quantity.map(|q| q.to_string()).unwrap_or_default();
            let subtotal = row
                .subtotal
                .map(|s| display_amount(s.amount(), currency))
                .unwrap_or_default();
            view! {
                <tr>
                    <th scope="row">{row.product_name} " · " {row.plan_name}</th>
                    <td>{price_basis(&row.price_point_id)}</td>
                    <td class="amount">{list}</td>
                    <td class="amount customer-price">{display_amount(row.price.amount(), currency)}</td>
                    <td class="amount">{discount}</td>
                    {has_reservations.then(|| view! {
                        <td class="amount">{quantity}</td>
                        <td class="amount">{subtotal}</td>
                    })}
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="prices-title">
            <h2 id="prices-title">"Your prices"</h2>
            <div class="table-scroll">
                <table class="prices">
                    <caption>"Your price for each plan, in " {currency.to_string()} ", with the list price and your net discount off list"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Product and plan"</th>
                            <th scope="col">"Charged"</th>
                            <th scope="col" class="amount">"List price"</th>
                            <th scope="col" class="amount">"Your price"</th>
                            <th scope="col" class="amount">"Net discount"</th>
                            {has_reservations.then(|| view! {
                                <th scope="col" class="amount">"Quantity"</th>
                                <th scope="col" class="amount">"Subtotal"</th>
                            })}
                        </tr>
                    </thead>
                    <tbody>{body}</tbody>
                    {totals.map(|totals| view! { <TotalsRow totals=totals reservations=has_reservations /> })}
                </table>
            </div>
            <p class="hint">
                "Each plan is billed on its own term; usage is charged per unit used. The total adds the flat-rate and per-user prices"
                {has_reservations.then_some(" and the reservation subtotals")}
                ", not usage."
            </p>
        </section>
    }
}

/// The totals under the multiparty prices: the list total, the customer's total and its net
/// discount; with reservations, the customer's total under the subtotals.
#[component]
fn TotalsRow(totals: CustomerTotals, reservations: bool) -> impl IntoView {
    let currency: Currency = totals.currency;
    let price = display_amount(totals.price.amount(), currency);
    let list = totals
        .list_price
        .map(|list| display_amount(list.amount(), currency))
        .unwrap_or_else(|| "—".to_owned());
    let discount = totals
        .net_discount_percent
        .map(display_percent)
        .unwrap_or_else(|| "—".to_owned());
    let cells = if reservations {
        view! {
            <th scope="row" colspan="6">"Total"</th>
            <td class="amount total">{price}</td>
        }
        .into_any()
    } else {
        view! {
            <th scope="row" colspan="2">"Total"</th>
            <td class="amount list-total">{list}</td>
            <td class="amount total">{price}</td>
            <td class="amount total-discount">{discount}</td>
        }
        .into_any()
    };
    view! { <tfoot><tr>{cells}</tr></tfoot> }
}

fn cppo_details(offer: &BuyerOfferBuyerView) -> impl IntoView {
    let currency = CATALOG_CURRENCY;
    let lines = offer
        .lines
        .iter()
        .map(|line| {
            view! {
                <tr>
                    <th scope="row">{format!("{} · {}", line.product_name, line.plan_name)}</th>
                    <td>{price_basis(&line.price_point_id)}</td>
                    <td class="amount">{line.quantity.to_string()}</td>
                    <td class="amount">{display_amount(line.list_price.amount(), currency)}</td>
                    <td class="amount customer-price">{display_amount(line.price.amount(), currency)}</td>
                    <td class="amount">{display_percent(line.net_discount_percent)}</td>
                    <td class="amount">{display_amount(line.total.amount(), currency)}</td>
                </tr>
            }
        })
        .collect_view();
    let schedule = offer.payment_schedule.clone().map(|installments| {
        let rows = installments
            .into_iter()
            .enumerate()
            .map(|(index, amount)| {
                view! {
                    <tr>
                        <th scope="row">{format!("Installment {}", index + 1)}</th>
                        <td class="amount">{display_amount(amount.amount(), currency)}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <section aria-labelledby="schedule-title">
                <h2 id="schedule-title">"Payment schedule"</h2>
                <table class="schedule">
                    <caption>"Installments in " {currency.to_string()} "; accepting signs this schedule"</caption>
                    <thead><tr><th scope="col">"Installment"</th><th scope="col" class="amount">"Amount"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </section>
        }
    });
    let terms = offer.custom_terms.clone();
    view! {
        <section aria-labelledby="prices-title">
            <h2 id="prices-title">"Your prices"</h2>
            <div class="table-scroll">
                <table class="prices">
                    <caption>"Your price for each product, in " {currency.to_string()} ", with the list price and your net discount off list"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Product and plan"</th>
                            <th scope="col">"Charged"</th>
                            <th scope="col" class="amount">"Quantity"</th>
                            <th scope="col" class="amount">"List price"</th>
                            <th scope="col" class="amount">"Your price"</th>
                            <th scope="col" class="amount">"Net discount"</th>
                            <th scope="col" class="amount">"Total"</th>
                        </tr>
                    </thead>
                    <tbody>{lines}</tbody>
                    <tfoot>
                        <tr>
                            <th scope="row" colspan="6">"Contract value"</th>
                            <td class="amount total">{display_amount(offer.contract_value.amount(), currency)}</td>
                        </tr>
                    </tfoot>
                </table>
            </div>
        </section>
        {schedule}
        <section aria-labelledby="terms-title">
            <h2 id="terms-title">"Terms"</h2>
            <p class="custom-terms">{terms}</p>
        </section>
    }
}

/// "Accept", or what stands in its way; after acceptance, what happens next.
#[component]
fn AcceptPanel(
    /// The offer.
    linked: LinkedOffer,
    /// The link's token.
    token: String,
    /// Bumped to load the offer again after acceptance.
    reloads: RwSignal<u32>,
) -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let pending = RwSignal::new(false);
    let refused = RwSignal::new(None::<String>);
    let sign_schedule = linked.has_schedule();
    let today = chrono::Local::now().date_naive();
    let closed = today > linked.accept_by();

    if linked.accepted() {
        let purchases = match &linked {
            LinkedOffer::Multiparty(offer) => Some(offer.purchases.clone()),
            LinkedOffer::Cppo(_) => None,
        };
        return view! { <Accepted purchases=purchases /> }.into_any();
    }
    if !linked.awaiting_acceptance() {
        return view! {
            <section class="accept" aria-labelledby="accept-title">
                <h2 id="accept-title">"Accept the offer"</h2>
                <p>"This offer cannot be accepted now."</p>
            </section>
        }
        .into_any();
    }
    if closed {
        return view! {
            <section class="accept" aria-labelledby="accept-title">
                <h2 id="accept-title">"Accept the offer"</h2>
                <p class="notice-error">"The accept-by date has passed, so this offer can no longer be accepted. Ask the partner for a new offer."</p>
            </section>
        }
        .into_any();
    }

    let next = format!("/links/{token}");
    let on_accept = move |_| {
        if pending.get_untracked() {
            return;
        }
        match session.state() {
            SessionState::Loading => {}
            SessionState::SignedOut => {
                router.navigate(&format!("/sign-in?next={next}"));
            }
            SessionState::SignedIn(_) => {
                pending.set(true);
                refused.set(None);
                let path = format!("{}/accept", link_path(&token));
                spawn_local(async move {
                    let answer =
                        api::post::<_, serde::de::IgnoredAny>(&path, &AcceptBody { sign_schedule })
                            .await;
                    match answer {
                        // Accepted, or the link no longer shows the offer (it expired while the
                        // page was open): load it again so the page says which.
                        Ok(_) => reloads.update(|n| *n += 1),
                        Err(error) if error.status == 410 => reloads.update(|n| *n += 1),
                        Err(error) => refused.set(Some(refusal(&error))),
                    }
                    pending.set(false);
                });
            }
        }
    };
    let who = move || match session.state() {
        SessionState::SignedIn(view) => format!("You are signed in as {}.", view.user.email),
        SessionState::SignedOut => {
            "You will be asked to sign in as a user of the billing account the offer is made to."
                .to_owned()
        }
        SessionState::Loading => String::new(),
    };
    let label = if sign_schedule {
        "Accept and sign the payment schedule"
    } else {
        "Accept the offer"
    };

    view! {
        <section class="accept" aria-labelledby="accept-title">
            <h2 id="accept-title">"Accept the offer"</h2>
            <p class="hint who-accepts">
                "An owner, contributor or signatory of your billing account can accept. " {who}
            </p>
            <p class="notice-error accept-refused" role="alert" hidden=move || refused.with(Option::is_none)>
                {move || refused.get()}
            </p>
            <button
                type="button"
                class="accept-button"
                on:click=on_accept
                disabled=move || pending.get() || session.state() == SessionState::Loading
                aria-busy=move || pending.get().to_string()
            >
                {label}
            </button>
            <p class="status" role="status">
                {move || pending.get().then_some("Accepting the offer…")}
            </p>
        </section>
    }
    .into_any()
}

/// The server's reason for refusing, in its own words; a general line when it gave none.
fn refusal(error: &ApiError) -> String {
    if let Some(message) = error.errors.iter().map(|e| e.message.clone()).next() {
        return message;
    }
    match error.status {
        401 => "Your session has ended. Sign in again to accept.".to_owned(),
        403 => "You may not accept this offer.".to_owned(),
        _ => "The offer could not be accepted. Try again in a moment.".to_owned(),
    }
}

/// After acceptance: for a multiparty offer, the purchase status of each SaaS product.
#[component]
fn Accepted(
    /// The multiparty offer's purchases; `None` for a CPPO offer.
    purchases: Option<Vec<PurchaseRow>>,
) -> impl IntoView {
    view! {
        <section class="accept accepted" aria-labelledby="accept-title">
            <h2 id="accept-title">"Accepted"</h2>
            <p class="notice-success accepted-note" role="status">
                "You accepted this offer. Its prices apply from the start date."
            </p>
            {purchases.map(|purchases| {
                let none = purchases.is_empty();
                view! {
                    <h3>"Your SaaS subscriptions"</h3>
                    {if none {
                        view! { <p>"This offer has no SaaS product to subscribe to."</p> }.into_any()
                    } else {
                        view! { <PurchaseStatuses purchases=purchases explained=true /> }.into_any()
                    }}
                }
            })}
        </section>
    }
}

/// A link that shows no offer: which case, and nothing else.
#[component]
fn LinkUnavailable(error: ApiError) -> impl IntoView {
    let (kind, title, explanation) = match (error.status, error.link_status.as_deref()) {
        (410, Some("expired")) => (
            "expired",
            "This offer has expired",
            "Its accept-by date passed before it was accepted. Ask the partner who sent it for a new offer.",
        ),
        (410, Some("withdrawn")) => (
            "withdrawn",
            "This offer link was withdrawn",
            "The partner withdrew the offer or sent a newer link. Ask the partner who sent it for the current link.",
        ),
        (410, Some("cancelled")) => (
            "cancelled",
            "This offer was cancelled",
            "The offer was cancelled and no longer applies.",
        ),
        (410, _) => (
            "gone",
            "This offer link no longer works",
            "Ask the partner who sent it for the current link.",
        ),
        (404, _) => (
            "unknown",
            "No offer at this link",
            "The link may be mistyped or incomplete, or the offer is not available yet. Check the link you were sent, or ask the partner who sent it.",
        ),
        _ => (
            "unavailable",
            "The offer could not be loaded",
            "Offer Desk could not reach its server. Check your connection and reload the page.",
        ),
    };
    view! {
        <section class="narrow link-unavailable" data-link-status=kind aria-labelledby="link-title">
            <h1 id="link-title">{title}</h1>
            <p class="lead">{explanation}</p>
        </section>
    }
}

/// "3 days left", "1 day left", "last day to accept", or that the date has passed.
fn time_left(accept_by: NaiveDate, today: NaiveDate) -> String {
    match (accept_by - today).num_days() {
        days if days < 0 => "the accept-by date has passed".to_owned(),
        0 => "today is the last day to accept".to_owned(),
        1 => "1 day left".to_owned(),
        days => format!("{days} days left"),
    }
}

/// How a price point is charged, as people read it ("Flat rate, per month").
fn price_basis(price_point_id: &str) -> String {
    let term = |term: &str| match term {
        "one_month" => "per month".to_owned(),
        "one_year" => "per year".to_owned(),
        "two_years" => "per 2 years".to_owned(),
        "three_years" => "per 3 years".to_owned(),
        other => other.replace('_', " "),
    };
    match price_point_id.split_once(':') {
        Some(("flat", billing)) => format!("Flat rate, {}", term(billing)),
        Some(("user", billing)) => format!("Per user, {}", term(billing)),
        Some(("meter", dimension)) => format!("Per unit of {dimension}"),
        Some(("reservation", size)) => format!("Reservation, {size}"),
        _ => price_point_id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn time_left_counts_whole_days_to_the_accept_by_date() {
        let today = date("2026-11-23");
        assert_eq!(time_left(date("2026-11-26"), today), "3 days left");
        assert_eq!(time_left(date("2026-11-24"), today), "1 day left");
        assert_eq!(time_left(today, today), "today is the last day to accept");
        assert_eq!(
            time_left(date("2026-11-22"), today),
            "the accept-by date has passed"
        );
    }

    #[test]
    fn price_points_read_as_words() {
        assert_eq!(price_basis("flat:one_month"), "Flat rate, per month");
        assert_eq!(price_basis("user:one_year"), "Per user, per year");
        assert_eq!(price_basis("meter:api-calls"), "Per unit of api-calls");
        assert_eq!(price_basis("reservation:2 vCPU"), "Reservation, 2 vCPU");
    }
}
