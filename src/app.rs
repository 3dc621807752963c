//! The page shell: header, routed main content, footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
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

/// The whole app: every page shares the header and footer.
#[component]
pub fn App() -> impl IntoView {
    provide_session();
    view! {
        <Router>
            <SiteHeader />
            <main id="main">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/calculator") view=CalculatorPage />
                    <Route path=path!("/sign-in") view=SignInPage />
                    <Route path=path!("/links/:token") view=CustomerLinkPage />
                    <Route path=path!("/partner/offers") view=PartnerOffersPage />
                    <Route path=path!("/partner/offers/:id") view=PartnerOfferPage />
                    <Route path=path!("/partner/margins") view=PartnerMarginsPage />
                    <Route path=path!("/partner/profile") view=PartnerProfilePage />
                    <Route path=path!("/partner/cppo") view=PartnerCppoPage />
                    <Route path=path!("/partner/cppo/:id/new") view=BuyerOfferPage />
                    <Route path=path!("/offers") view=OffersPage />
                    <Route path=path!("/offers/csp/new") view=CspFormPage />
                    <Route path=path!("/offers/csp/:id") view=CspFormPage />
                    <Route path=path!("/offers/cppo/new") view=CppoFormPage />
                    <Route path=path!("/notifications") view=NotificationsPage />
                    <Route path=path!("/catalog") view=CatalogPage />
                    <Route path=path!("/offers/multiparty/:id") view=MultipartyFormPage />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
