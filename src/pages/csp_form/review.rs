//! The CSP form's "Review and submit", a page (and bundle) of its own: the offer as the server
//! holds it, read-only, with the wholesale prices its partners will see, and its submit. The
//! form saves what is typed before it opens this page, so what is reviewed is what is
//! submitted; the server checks it again on submit. A submitted offer shows here, locked.

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::IgnoredAny;

use offerdesk_core::csp::{CspOfferSetup, CspStart};

use super::{href, line_target, margin_rows, partner_by_tenant, steps, Saved};
use crate::api;
use crate::components::catalog_source::CatalogSource;
use crate::components::price_table::{Fees, PriceKind, PriceTable};
use crate::components::require_sign_in::RequireSignIn;
use crate::components::review_actions::ReviewActions;
use crate::dates::{long_date, month_and_year};
use crate::router::use_router;

/// What the page knows of the offer: still reading, read, or why not.
#[derive(Clone)]
enum Offer {
    Loading,
    Opened(Box<Opened>),
    Failed(String),
}

/// The saved offer as this page reads it.
#[derive(Clone)]
struct Opened {
    version: i64,
    setup: CspOfferSetup,
    /// The status label of a submitted offer (then nothing can be changed).
    locked: Option<String>,
}

/// `/offers/csp/{id}/review`, for a signed-in ISV; `id` is `None` for `new` (nothing saved to
/// review yet).
#[component]
pub fn CspReviewPage(id: Option<String>) -> impl IntoView {
    view! {
        <RequireSignIn refusal="Only an ISV's users create private offers.">
            <CspReview id=id.clone() />
        </RequireSignIn>
    }
}

#[component]
fn CspReview(id: Option<String>) -> impl IntoView {
    let router = use_router();
    let offer = RwSignal::new(Offer::Loading);
    // Each partner's tenant ID with its name in the directory, as found.
    let names = RwSignal::new(Vec::<(String, String)>::new());
    let refused = RwSignal::new(None::<String>);
    let submitting = RwSignal::new(false);
    let catalog = CatalogSource::new();
    let setup_href = href(id.as_deref().unwrap_or("new"), false);

    if let Some(id) = id.clone() {
        spawn_local(async move {
            let saved = match api::get::<Saved>(&format!("/api/v1/csp-offers/{id}")).await {
                Ok(saved) => saved,
                Err(error) => return offer.set(Offer::Failed(error.general())),
            };
            let tenants: Vec<String> = (saved.offer.setup.partners.iter())
                .map(|partner| partner.tenant_id.clone())
                .collect();
            offer.set(Offer::Opened(Box::new(Opened {
                version: saved.version,
                locked: (!saved.editable()).then_some(saved.offer.status_label.clone()),
                setup: saved.offer.setup,
            })));
            // Unread, a partner is named by its tenant ID alone.
            for tenant in tenants {
                if let Ok(Some(listed)) = partner_by_tenant(&tenant).await {
                    names.update(|names| names.push((tenant, listed.name)));
                }
            }
        });
    }

    let on_submit = {
        let id = id.clone().unwrap_or_default();
        Callback::new(move |()| {
            let Offer::Opened(opened) = offer.get_untracked() else {
                return;
            };
            if submitting.get_untracked() || opened.locked.is_some() {
                return;
            }
            submitting.set(true);
            refused.set(None);
            let id = id.clone();
            spawn_local(async move {
                let answer = api::post::<_, IgnoredAny>(
                    &format!("/api/v1/csp-offers/{id}/submit"),
                    &api::Version {
                        version: opened.version,
                    },
                )
                .await;
                submitting.set(false);
                match answer {
                    Ok(_) => router.navigate("/offers?tab=csp"),
                    Err(error) => refused.set(Some(error.general())),
                }
            });
        })
    };

    let back = setup_href.clone();
    let shown = move || match offer.get() {
        Offer::Loading if id.is_none() => view! {
            <p class="notice-info">
                "Nothing to review yet: this offer is not saved. "
                <a href=setup_href.clone()>"Back to offer setup"</a>
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
            let Opened { setup, locked, .. } = *opened;
            let back = back.clone();
            view! {
                {locked
                    .clone()
                    .map(|status| {
                        view! {
                            <p class="notice-info">
                                {format!("This offer is {status}: it can't be modified.")}
                            </p>
                        }
                    })}
                {reviewed(setup, catalog, names)}
                // Beside the buttons, where the ISV pressed "Submit".
                <div aria-live="polite">
                    {move || {
                        refused
                            .get()
                            .map(|message| {
                                view! {
                                    <p class="notice-error" role="alert">
                                        {format!("The offer was not submitted. {message}")}
                                    </p>
                                }
                            })
                    }}
                    <p class="status" role="status">
                        {move || submitting.get().then_some("Submitting to your CSP partners…")}
                    </p>
                </div>
                <ReviewActions
                    locked=Signal::stored(locked.is_some())
                    ready=Signal::derive(move || !submitting.get())
                    submitting=submitting.into()
                    on_back=Callback::new(move |()| router.navigate(&back))
                    on_submit=on_submit
                    dashboard="/offers?tab=csp"
                />
            }
            .into_any()
        }
    };

    view! {
        <section class="csp-form" aria-labelledby="csp-title">
            <h1 id="csp-title">"CSP margin offer"</h1>
            {steps(true)}
            {catalog.notice()}
            <section class="review" aria-labelledby="csp-review-title">
                <h2 id="csp-review-title">"Review and submit"</h2>
                <p>"Once submitted, a CSP margin offer can't be modified."</p>
                {shown}
            </section>
        </section>
    }
}

/// The offer's `setup` as the review lists it: its terms, its lines with the wholesale prices
/// the partners will see, and its partners by their directory `names` (by tenant ID until
/// found).
fn reviewed(
    setup: CspOfferSetup,
    catalog: CatalogSource,
    names: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let start = match setup.start {
        CspStart::AsSoonAsPossible => "As soon as possible".to_owned(),
        CspStart::Month(month) => month_and_year(month),
    };
    let lines = setup.lines.clone();
    let margins = move || {
        catalog.with(|catalog| {
            (lines.iter())
                .map(|line| {
                    format!(
                        "{}, {}% margin; ",
                        line_target(catalog, &line.offer_id, line.plan_id.as_deref()),
                        line.margin_percent.value().normalize()
                    )
                })
                .collect::<String>()
        })
    };
    let lines = setup.lines;
    let prices = move || {
        (lines.iter())
            .map(|line| {
                let (rows, caption) = catalog.with(|catalog| {
                    let plan_id = line.plan_id.as_deref();
                    (
                        margin_rows(catalog, &line.offer_id, plan_id, line.margin_percent),
                        line_target(catalog, &line.offer_id, plan_id),
                    )
                });
                view! { <PriceTable caption=caption rows=rows kind=PriceKind::Wholesale fees=Fees::CSP /> }
            })
            .collect_view()
    };
    let partners = setup.partners;
    let partners = move || {
        names.with(|names| {
            (partners.iter())
                .map(|partner| {
                    let tenant = &partner.tenant_id;
                    let name = (names.iter())
                        .find(|(listed, _)| listed == tenant)
                        .map_or(tenant, |(_, name)| name);
                    if partner.customer_tenant_ids.is_empty() {
                        format!("{name} (all customers); ")
                    } else {
                        let customers = partner.customer_tenant_ids.join(", ");
                        format!("{name} (customers: {customers}); ")
                    }
                })
                .collect::<String>()
        })
    };
    view! {
        <dl class="review-list">
            <dt>"Internal name"</dt>
            <dd>{setup.internal_name}</dd>
            <dt>"Start date"</dt>
            <dd>{start}</dd>
            <dt>"End date"</dt>
            <dd>{long_date(setup.end)}</dd>
            <dt>"Notification contacts"</dt>
            <dd>{setup.notification_contacts.join(", ")}</dd>
            <dt>"Offers and plans"</dt>
            <dd>{margins}</dd>
            <dt>"Wholesale prices, as your partners will see them"</dt>
            <dd>{prices}</dd>
            <dt>"CSP partners"</dt>
            <dd>{partners}</dd>
        </dl>
    }
}
