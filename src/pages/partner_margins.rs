//! The CSP partner's "Margins" page at `/partner/margins`: every live margin offered to this
//! partner, and recording a sale against one.

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::catalog::CATALOG_CURRENCY;
use offerdesk_core::csp::view::CspPartnerView;
use offerdesk_core::csp::CspStart;
use offerdesk_core::money::{display_amount, display_percent};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::text_field::TextField;
use crate::pages::partner_offers::load_error;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Margins {
    margins: Vec<CspPartnerView>,
}

#[derive(Debug, Clone, Serialize)]
struct Sale {
    customer_tenant_id: String,
    offer_id: String,
    plan_id: String,
}

/// The live margins offered to the signed-in CSP partner.
#[component]
pub fn PartnerMarginsPage() -> impl IntoView {
    let margins = RwSignal::new(None::<Result<Margins, ApiError>>);
    let load = move || {
        spawn_local(async move { margins.set(Some(api::get("/api/v1/csp-margins").await)) })
    };
    load();
    view! {
        <section aria-labelledby="margins-title">
            <h1 id="margins-title">"Margins"</h1>
            <p class="lead">
                "Live margins ISVs offer you as a CSP partner. Sell at the wholesale price while "
                "the margin applies; after the offer ends you sell at list price."
            </p>
            {move || match margins.get() {
                None => view! { <p class="status" role="status">"Loading margins…"</p> }.into_any(),
                Some(Err(error)) => load_error(&error, "/partner/margins"),
                Some(Ok(list)) if list.margins.is_empty() => {
                    view! { <p>"No live margin is offered to you now."</p> }.into_any()
                }
                Some(Ok(list)) => list
                    .margins
                    .into_iter()
                    .map(|offer| view! { <MarginOffer offer=offer on_sale=Callback::new(move |_| load()) /> })
                    .collect_view()
                    .into_any(),
            }}
        </section>
    }
}

/// One CSP margin offer: its margins and wholesale prices, restrictions and a sale form.
#[component]
fn MarginOffer(offer: CspPartnerView, on_sale: Callback<()>) -> impl IntoView {
    let id = StoredValue::new(offer.id.clone());
    let start = match offer.start {
        CspStart::AsSoonAsPossible => "As soon as possible".to_owned(),
        CspStart::Month(month) => month.to_string(),
    };
    let restrictions = if offer.customer_tenant_ids.is_empty() {
        "Any of your customers".to_owned()
    } else {
        offer.customer_tenant_ids.join(", ")
    };
    // What a sale may name: each plan a margin covers today.
    let choices: Vec<(String, String)> = offer
        .margins
        .iter()
        .flat_map(|margin| {
            let mut plans: Vec<String> = margin
                .prices
                .iter()
                .map(|price| price.plan_id.clone())
                .collect();
            plans.dedup();
            plans
                .into_iter()
                .map(|plan| (margin.offer_id.clone(), plan))
                .collect::<Vec<_>>()
        })
        .collect();
    let first = choices
        .first()
        .map(|(offer, plan)| format!("{offer}/{plan}"))
        .unwrap_or_default();
    let chosen = RwSignal::new(first);
    let customer = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let field_error = move |field: &'static str| {
        Signal::derive(move || refused.with(|answer| answer.as_ref().and_then(|a| a.field(field))))
    };
    let other_errors = move || {
        refused.with(|answer| {
            answer.as_ref().map(|answer| {
                answer
                    .errors
                    .iter()
                    .filter(|error| error.field != "customer_tenant_id")
                    .map(|error| error.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
        })
    };
    let record = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let Some((offer_id, plan_id)) = chosen
            .get_untracked()
            .split_once('/')
            .map(|(o, p)| (o.to_owned(), p.to_owned()))
        else {
            return;
        };
        let sale = Sale {
            customer_tenant_id: customer.get_untracked().trim().to_owned(),
            offer_id,
            plan_id,
        };
        refused.set(None);
        done.set(None);
        let id = id.get_value();
        spawn_local(async move {
            match api::post::<_, serde::de::IgnoredAny>(
                &format!("/api/v1/csp-offers/{id}/sales"),
                &sale,
            )
            .await
            {
                Ok(_) => {
                    done.set(Some(format!(
                        "Sale to {} recorded.",
                        sale.customer_tenant_id
                    )));
                    on_sale.run(());
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let select_id = format!("sale-plan-{}", offer.id);
    let customer_id: &'static str = "sale-customer";
    view! {
        <article class="margin-offer">
            <h2>{offer.margins.first().map(|m| m.offer_name.clone()).unwrap_or_else(|| offer.id.clone())}</h2>
            <dl class="facts">
                <dt>"Start"</dt><dd>{start}</dd>
                <dt>"End"</dt><dd>{offer.end.to_string()}</dd>
                <dt>"Customers"</dt><dd>{restrictions}</dd>
                <dt>"Margin applies today"</dt><dd>{if offer.margin_applies { "Yes" } else { "No: sales are at list price" }}</dd>
            </dl>
            <table class="price-table">
                <caption>"Margins and wholesale prices"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Offer"</th>
                        <th scope="col">"Plan"</th>
                        <th scope="col">"Margin %"</th>
                        <th scope="col">"Price"</th>
                        <th scope="col">"List price"</th>
                        <th scope="col">"Wholesale price"</th>
                    </tr>
                </thead>
                <tbody>
                    {offer.margins.iter().flat_map(|margin| {
                        let plan = margin.plan_id.clone().unwrap_or_else(|| "All current and future plans".to_owned());
                        margin.prices.iter().map(move |price| view! {
                            <tr>
                                <th scope="row">{margin.offer_name.clone()}</th>
                                <td>{format!("{} ({})", price.plan_id, plan)}</td>
                                <td>{display_percent(margin.margin_percent.value())}</td>
                                <td>{price.price_point_id.clone()}</td>
                                <td>{display_amount(price.list_price.amount(), CATALOG_CURRENCY)}</td>
                                <td>{display_amount(price.wholesale_price.amount(), CATALOG_CURRENCY)}</td>
                            </tr>
                        }).collect::<Vec<_>>()
                    }).collect_view()}
                </tbody>
            </table>
            <p>{format!("Your sales under this offer: {}", offer.sales.len())}</p>
            <form class="stacked-form" on:submit=record novalidate=true>
                <h3>"Record a sale"</h3>
                <p class="form-error" role="alert" hidden=move || other_errors().is_none_or(|text| text.is_empty())>{other_errors}</p>
                <TextField id=customer_id label="Customer tenant ID" value=customer error=field_error("customer_tenant_id") required=true />
                <div class="field">
                    <label for=select_id.clone()>"Offer and plan sold"</label>
                    <select id=select_id on:change=move |event| chosen.set(event_target_value(&event))>
                        {choices.into_iter().map(|(offer, plan)| {
                            let value = format!("{offer}/{plan}");
                            view! { <option value=value.clone()>{value.clone()}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <button type="submit" class="primary">"Record sale"</button>
                <p class="status" role="status">{move || done.get()}</p>
            </form>
        </article>
    }
}
