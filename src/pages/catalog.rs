//! `/catalog`: the ISV's public offers, plans and list prices (what its private offers are made
//! from), and their import from a JSON file in the shape of core's `Catalog`.

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::catalog::{Catalog, OfferType, PublicOffer, CATALOG_CURRENCY};
use offerdesk_core::money::display_amount;
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::components::require_sign_in::RequireSignIn;

/// The answer of an import.
#[derive(Debug, Deserialize)]
struct Imported {
    imported: usize,
}

/// `/catalog`, for a signed-in ISV.
#[component]
pub fn CatalogPage() -> impl IntoView {
    view! {
        <RequireSignIn refusal="Only an ISV has a catalog of public offers.">
            <CatalogView />
        </RequireSignIn>
    }
}

fn offer_type(offer_type: OfferType) -> &'static str {
    match offer_type {
        OfferType::Saas => "Software as a service",
        OfferType::AzureVirtualMachines => "Azure Virtual Machines",
        OfferType::AzureApplications => "Azure Applications",
    }
}

/// One public offer: its plans and every list price.
#[component]
fn OfferPrices(offer: PublicOffer) -> impl IntoView {
    let heading = format!("catalog-{}", offer.id);
    let rows = offer
        .plans
        .iter()
        .flat_map(|plan| {
            let trial = if plan.trial { "Free trial" } else { "" };
            plan.price_points().into_iter().map(move |point| {
                let key = format!("{}/{}", plan.id, point.id);
                view! {
                    <tr data-price-point=key>
                        <th scope="row">{plan.name.clone()}</th>
                        <td>{point.id}</td>
                        <td class="amount">{display_amount(point.list_price.amount(), CATALOG_CURRENCY)}</td>
                        <td>{trial}</td>
                    </tr>
                }
            })
        })
        .collect_view();
    view! {
        <section class="catalog-offer" aria-labelledby=heading.clone()>
            <h2 id=heading.clone()>{offer.name.clone()}</h2>
            <p class="hint">
                {format!(
                    "{} · offer ID {} · {}",
                    offer_type(offer.offer_type),
                    offer.id,
                    if offer.cloud_reseller {
                        "in the Cloud Reseller channel"
                    } else {
                        "not in the Cloud Reseller channel"
                    },
                )}
            </p>
            <table class="price-table">
                <caption>"Plans and list prices (USD)"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Plan"</th>
                        <th scope="col">"Price"</th>
                        <th scope="col" class="amount">"List price"</th>
                        <th scope="col">"Trial"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </section>
    }
}

#[component]
fn CatalogView() -> impl IntoView {
    let reload = RwSignal::new(0u32);
    let catalog = LocalResource::new(move || {
        reload.track();
        api::get::<Catalog>("/api/v1/catalog")
    });
    let file = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<ApiError>);
    let done = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);
    let import = move |_| {
        let text = file.get_untracked();
        // Checked as JSON here and sent as it is; the server reads and checks the catalog.
        let body = match crate::json::check(&text) {
            Ok(()) => text,
            Err(error) => {
                refused.set(Some(ApiError::local(
                    "",
                    &format!("The file is not JSON: {error}."),
                )));
                return;
            }
        };
        refused.set(None);
        done.set(None);
        pending.set(true);
        spawn_local(async move {
            match api::post_json::<Imported>("/api/v1/catalog/import", body).await {
                Ok(answer) => {
                    done.set(Some(format!(
                        "Imported {} {}.",
                        answer.imported,
                        if answer.imported == 1 {
                            "offer"
                        } else {
                            "offers"
                        }
                    )));
                    reload.update(|n| *n += 1);
                }
                Err(error) => refused.set(Some(error)),
            }
            pending.set(false);
        });
    };
    let invalid = move || refused.with(Option::is_some);
    view! {
        <section aria-labelledby="catalog-title">
            <h1 id="catalog-title">"Catalog"</h1>
            <p class="lead">
                "Your public offers and their list prices: private offers customize these plans."
            </p>
            {move || match catalog.get() {
                None => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => {
                    view! { <p class="notice-error" role="alert">{error.general()}</p> }.into_any()
                }
                Some(Ok(catalog)) if catalog.offers.is_empty() => {
                    view! { <p>"No public offers yet: import your catalog below."</p> }.into_any()
                }
                Some(Ok(catalog)) => {
                    catalog
                        .offers
                        .into_iter()
                        .map(|offer| view! { <OfferPrices offer=offer /> })
                        .collect_view()
                        .into_any()
                }
            }}
            <form class="catalog-import" novalidate=true on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <h2>"Import offers"</h2>
                <div class="field" class:field-invalid=invalid>
                    <label for="catalog-file">"Catalog file (JSON)"</label>
                    <textarea
                        id="catalog-file"
                        rows="10"
                        aria-describedby="catalog-file-hint catalog-file-error"
                        aria-invalid=move || if invalid() { "true" } else { "false" }
                        prop:value=move || file.get()
                        on:input=move |event| file.set(event_target_value(&event))
                    ></textarea>
                    <p id="catalog-file-hint" class="hint">
                        "Paste the file: {\"offers\": [...]}, each offer with its plans and list prices in USD. An offer with an ID you have replaces it; other offers stay."
                    </p>
                    <div id="catalog-file-error" class="field-error-list" role="alert">
                        {move || {
                            refused
                                .get()
                                .map(|error| {
                                    error
                                        .errors
                                        .into_iter()
                                        .map(|problem| {
                                            let at = if problem.field.is_empty() {
                                                String::new()
                                            } else {
                                                format!("{}: ", problem.field)
                                            };
                                            view! { <p class="field-error">{format!("{at}{}", problem.message)}</p> }
                                        })
                                        .collect_view()
                                })
                        }}
                    </div>
                </div>
                <button
                    type="button"
                    class="primary"
                    disabled=move || pending.get() || file.with(|text| text.trim().is_empty())
                    aria-busy=move || pending.get().to_string()
                    on:click=import
                >
                    "Import"
                </button>
                <p class="status" role="status">
                    {move || if pending.get() { Some("Importing…".to_owned()) } else { done.get() }}
                </p>
            </form>
        </section>
    }
}
