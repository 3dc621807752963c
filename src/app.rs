//! The page shell (header, routed main content, footer) and the app's bundles.
//!
//! The app is built as one bundle per audience, and each of the ISV's offer forms as one of its
//! own, each with only its own pages, so that a page load stays within the page weight budget
//! (250 KB gzipped, scripts/build-page.sh): a customer opening an offer link or anyone using the
//! calculator does not download the ISV's offer forms, nor the ISV's dashboard all three forms.
//! The server answers each path with its bundle's `index.html`; following a link to another
//! bundle's page loads that page from the server (a full page load).

use std::sync::OnceLock;

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::hooks::use_location;
use leptos_router::path;

use crate::components::site_footer::SiteFooter;
use crate::components::site_header::SiteHeader;
use crate::pages::calculator::CalculatorPage;
use crate::pages::catalog::CatalogPage;
use crate::pages::cppo_form::CppoFormPage;
use crate::pages::csp_form::CspFormPage;
use crate::pages::customer_link::CustomerLinkPage;
use crate::pages::home::HomePage;
use crate::pages::multiparty_form::MultipartyFormPage;
use crate::pages::not_found::NotFoundPage;
use crate::pages::notifications::NotificationsPage;
use crate::pages::offers::OffersPage;
use crate::pages::partner_cppo::{BuyerOfferPage, PartnerCppoPage};
use crate::pages::partner_margins::PartnerMarginsPage;
use crate::pages::partner_offer::PartnerOfferPage;
use crate::pages::partner_offers::PartnerOffersPage;
use crate::pages::partner_profile::PartnerProfilePage;
use crate::pages::sign_in::SignInPage;
use crate::session::provide_session;
pub use offerdesk_core::bundle::Bundle;

/// The path the server answered with this bundle: a page not in the bundle at that very path is
/// not found (reloading it would load this bundle again).
static LOADED_AT: OnceLock<String> = OnceLock::new();

fn current_path() -> String {
    web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default()
}

/// Header, main content and footer around one bundle's routes.
#[component]
fn Shell(children: Children) -> impl IntoView {
    LOADED_AT.get_or_init(current_path);
    provide_session();
    view! {
        <Router>
            <SiteHeader />
            <main id="main">{children()}</main>
            <SiteFooter />
        </Router>
    }
}

/// What a bundle shows for a path none of its routes matches: a page of another bundle is
/// loaded from the server; any other path is not found.
#[component]
fn Elsewhere(bundle: Bundle) -> impl IntoView {
    let location = use_location();
    let path = location.pathname.get_untracked();
    let other_bundle = Bundle::of(&path) != bundle;
    if other_bundle && LOADED_AT.get().is_none_or(|loaded| *loaded != path) {
        if let Some(window) = web_sys::window() {
            let browser = window.location();
            // A followed link renders its route before the router puts the new address in the
            // address bar: load the address the router was going to when the bar does not show
            // it yet, else reload what it shows.
            if browser.pathname().ok().as_deref() == Some(path.as_str()) {
                let _ = browser.reload();
            } else {
                let part = |text: String, mark: char| match text.as_str() {
                    "" => String::new(),
                    _ if text.starts_with(mark) => text,
                    _ => format!("{mark}{text}"),
                };
                let _ = browser.assign(&format!(
                    "{path}{}{}",
                    part(location.search.get_untracked(), '?'),
                    part(location.hash.get_untracked(), '#')
                ));
            }
        }
        return view! { <p class="status" role="status">"Loading…"</p> }.into_any();
    }
    view! { <NotFoundPage /> }.into_any()
}

/// The public bundle: home, price calculator and sign-in.
#[component]
pub fn PublicApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Public /> }>
                <Route path=path!("/") view=HomePage />
                <Route path=path!("/calculator") view=CalculatorPage />
                <Route path=path!("/sign-in") view=SignInPage />
            </Routes>
        </Shell>
    }
}

/// The customer's bundle: an offer opened from its link. Sign-in is here too, so that a
/// customer who accepts signs in and comes back to the offer without loading another bundle.
#[component]
pub fn CustomerApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Customer /> }>
                <Route path=path!("/links/:token") view=CustomerLinkPage />
                <Route path=path!("/sign-in") view=SignInPage />
            </Routes>
        </Shell>
    }
}

/// The selling partner's bundle: multiparty offers, CSP margins and the profile.
#[component]
pub fn PartnerApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Partner /> }>
                <Route path=path!("/partner/offers") view=PartnerOffersPage />
                <Route path=path!("/partner/offers/:id") view=PartnerOfferPage />
                <Route path=path!("/partner/margins") view=PartnerMarginsPage />
                <Route path=path!("/partner/profile") view=PartnerProfilePage />
            </Routes>
        </Shell>
    }
}

/// The selling partner's CPPO bundle: resale authorizations and the buyer offers made from
/// them (their catalog, schedule and payout code is left out of the partner's other pages).
#[component]
pub fn PartnerCppoApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::PartnerCppo /> }>
                <Route path=path!("/partner/cppo") view=PartnerCppoPage />
                <Route path=path!("/partner/cppo/:id/new") view=BuyerOfferPage />
            </Routes>
        </Shell>
    }
}

/// The ISV's bundle: the offers dashboard and notifications. The catalog and each offer form
/// are bundles of their own (the forms are the largest pages): a link to one reloads.
#[component]
pub fn IsvApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Isv /> }>
                <Route path=path!("/offers") view=OffersPage />
                <Route path=path!("/notifications") view=NotificationsPage />
            </Routes>
        </Shell>
    }
}

/// The ISV's catalog: its public offers, and importing them.
#[component]
pub fn CatalogApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::Catalog /> }>
                <Route path=path!("/catalog") view=CatalogPage />
            </Routes>
        </Shell>
    }
}

/// The ISV's CSP margin offer form.
#[component]
pub fn CspFormApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::CspForm /> }>
                <Route path=path!("/offers/csp/new") view=CspFormPage />
                <Route path=path!("/offers/csp/:id") view=CspFormPage />
            </Routes>
        </Shell>
    }
}

/// The ISV's CPPO resale authorization form.
#[component]
pub fn CppoFormApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::CppoForm /> }>
                <Route path=path!("/offers/cppo/new") view=CppoFormPage />
                <Route path=path!("/offers/cppo/:id") view=CppoFormPage />
            </Routes>
        </Shell>
    }
}

/// The ISV's multiparty private offer form.
#[component]
pub fn MultipartyFormApp() -> impl IntoView {
    view! {
        <Shell>
            <Routes fallback=|| view! { <Elsewhere bundle=Bundle::MultipartyForm /> }>
                <Route path=path!("/offers/multiparty/:id") view=MultipartyFormPage />
            </Routes>
        </Shell>
    }
}
