//! The page shell (header, routed main content, footer) and the app's bundles.
//!
//! The app is built as one bundle per audience, and each of the ISV's offer forms as one of its
//! own, each with only its own pages, so that a page load stays within the page weight budget
//! (250 KB gzipped, scripts/build-page.sh): a customer opening an offer link or anyone using the
//! calculator does not download the ISV's offer forms, nor the ISV's dashboard all three forms.
//! The server answers each path with its bundle's `index.html`; following a link to another
//! bundle's page loads that page from the server (a full page load, see `router.rs`).

use leptos::prelude::*;

use crate::components::site_footer::SiteFooter;
use crate::components::site_header::SiteHeader;
use crate::pages::calculator::CalculatorPage;
use crate::pages::catalog::CatalogPage;
use crate::pages::cppo_form::CppoFormPage;
use crate::pages::csp_form::{CspFormPage, CspReviewPage};
use crate::pages::customer_link::CustomerLinkPage;
use crate::pages::home::HomePage;
use crate::pages::multiparty_form::{
    MultipartyExistingPlansPage, MultipartyFormPage, MultipartyNewSaasPlansPage,
    MultipartyReviewPage, MultipartyTermsPage, MultipartyVmReservationsPage,
};
use crate::pages::not_found::NotFoundPage;
use crate::pages::notifications::NotificationsPage;
use crate::pages::offers::OffersPage;
use crate::pages::partner_cppo::{BuyerOfferPage, PartnerCppoPage};
use crate::pages::partner_margins::PartnerMarginsPage;
use crate::pages::partner_offer::PartnerOfferPage;
use crate::pages::partner_offers::PartnerOffersPage;
use crate::pages::partner_profile::PartnerProfilePage;
use crate::pages::sign_in::SignInPage;
use crate::router::{provide_router, segments};
use crate::session::provide_session;
pub use offerdesk_core::bundle::Bundle;

/// Header, main content and footer around one bundle's pages: `page` gives the page at a path's
/// segments, or `None` for a path the bundle has no page at (not found: the server answers each
/// path with the bundle that has it, so that path has no page anywhere).
#[component]
fn Shell(bundle: Bundle, page: fn(&[&str]) -> Option<AnyView>) -> impl IntoView {
    let router = provide_router(bundle);
    provide_session();
    view! {
        <SiteHeader />
        <main id="main">
            {move || {
                let path = router.path();
                page(&segments(&path)).unwrap_or_else(|| view! { <NotFoundPage /> }.into_any())
            }}
        </main>
        <SiteFooter />
    }
}

/// The public bundle: home, price calculator and sign-in.
#[component]
pub fn PublicApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        Some(match path {
            [] => view! { <HomePage /> }.into_any(),
            ["calculator"] => view! { <CalculatorPage /> }.into_any(),
            ["sign-in"] => view! { <SignInPage /> }.into_any(),
            _ => return None,
        })
    }
    view! { <Shell bundle=Bundle::Public page /> }
}

/// The customer's bundle: an offer opened from its link. Sign-in is here too, so that a
/// customer who accepts signs in and comes back to the offer without loading another bundle.
#[component]
pub fn CustomerApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        Some(match path {
            ["links", token] => view! { <CustomerLinkPage token=token.to_string() /> }.into_any(),
            ["sign-in"] => view! { <SignInPage /> }.into_any(),
            _ => return None,
        })
    }
    view! { <Shell bundle=Bundle::Customer page /> }
}

/// The selling partner's bundle: the multiparty offers received, CSP margins and the profile.
#[component]
pub fn PartnerApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        Some(match path {
            ["partner", "offers"] => view! { <PartnerOffersPage /> }.into_any(),
            ["partner", "margins"] => view! { <PartnerMarginsPage /> }.into_any(),
            ["partner", "profile"] => view! { <PartnerProfilePage /> }.into_any(),
            _ => return None,
        })
    }
    view! { <Shell bundle=Bundle::Partner page /> }
}

/// The selling partner's page of one multiparty offer (the live price preview, the largest of
/// the partner's pages, is left out of the others).
#[component]
pub fn PartnerOfferApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["partner", "offers", id] => {
                Some(view! { <PartnerOfferPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::PartnerOffer page /> }
}

/// The consulting partner's CPPO bundle: the resale authorizations received and the offers
/// made to buyers from them (left out of the partner's other pages).
#[component]
pub fn PartnerCppoApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        Some(match path {
            ["partner", "cppo"] => view! { <PartnerCppoPage /> }.into_any(),
            _ => return None,
        })
    }
    view! { <Shell bundle=Bundle::PartnerCppo page /> }
}

/// The consulting partner's private offer to a buyer, from one resale authorization: a bundle
/// of its own, as the partner's offer page is, so the list and the offer each fit 200 KB.
#[component]
pub fn BuyerOfferApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        Some(match path {
            ["partner", "cppo", id, "new"] => {
                view! { <BuyerOfferPage id=id.to_string() /> }.into_any()
            }
            _ => return None,
        })
    }
    view! { <Shell bundle=Bundle::BuyerOffer page /> }
}

/// The ISV's bundle: the offers dashboard and notifications. The catalog and each offer form
/// are bundles of their own (the forms are the largest pages): a link to one loads it.
#[component]
pub fn IsvApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        Some(match path {
            ["offers"] => view! { <OffersPage /> }.into_any(),
            ["notifications"] => view! { <NotificationsPage /> }.into_any(),
            _ => return None,
        })
    }
    view! { <Shell bundle=Bundle::Isv page /> }
}

/// The ISV's catalog: its public offers, and importing them.
#[component]
pub fn CatalogApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["catalog"] => Some(view! { <CatalogPage /> }.into_any()),
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::Catalog page /> }
}

/// The ISV's CSP margin offer form: a new offer, or a saved one by its ID.
#[component]
pub fn CspFormApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "csp", id] => Some(view! { <CspFormPage id=saved_id(id) /> }.into_any()),
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::CspForm page /> }
}

/// The CSP form's "Review and submit" (and a submitted offer, read-only).
#[component]
pub fn CspReviewApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "csp", id, "review"] => {
                Some(view! { <CspReviewPage id=saved_id(id) /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::CspReview page /> }
}

/// The ISV's CPPO resale authorization form: a new one, or a saved one by its ID.
#[component]
pub fn CppoFormApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "cppo", id] => Some(view! { <CppoFormPage id=saved_id(id) /> }.into_any()),
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::CppoForm page /> }
}

/// The ISV's multiparty private offer form, "Offer setup". Each of its steps is a bundle of its
/// own, so that each stays within the page weight budget.
#[component]
pub fn MultipartyFormApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "multiparty", id] => {
                Some(view! { <MultipartyFormPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::MultipartyForm page /> }
}

/// The multiparty form's "Customer terms": the customer's dates and the ISV's terms and
/// conditions.
#[component]
pub fn MultipartyTermsApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "multiparty", id, "terms"] => {
                Some(view! { <MultipartyTermsPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::MultipartyTerms page /> }
}

/// The multiparty form's "Product offers" of existing plans: their editors and partner prices.
/// Each pricing type's products are a bundle of their own, with only that type's editor.
#[component]
pub fn MultipartyExistingPlansApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "multiparty", id, "products", "existing-plans"] => {
                Some(view! { <MultipartyExistingPlansPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::MultipartyExistingPlans page /> }
}

/// The multiparty form's "Product offers" of new SaaS plans.
#[component]
pub fn MultipartyNewSaasPlansApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "multiparty", id, "products", "new-saas-plans"] => {
                Some(view! { <MultipartyNewSaasPlansPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::MultipartyNewSaasPlans page /> }
}

/// The multiparty form's "Product offers" of VM software reservations.
#[component]
pub fn MultipartyVmReservationsApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "multiparty", id, "products", "vm-reservations"] => {
                Some(view! { <MultipartyVmReservationsPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::MultipartyVmReservations page /> }
}

/// The multiparty form's "Review and submit" (and a submitted offer, read-only).
#[component]
pub fn MultipartyReviewApp() -> impl IntoView {
    fn page(path: &[&str]) -> Option<AnyView> {
        match path {
            ["offers", "multiparty", id, "review"] => {
                Some(view! { <MultipartyReviewPage id=id.to_string() /> }.into_any())
            }
            _ => None,
        }
    }
    view! { <Shell bundle=Bundle::MultipartyReview page /> }
}

/// A form's saved offer ID from its path segment; `new` is a form not saved yet.
fn saved_id(segment: &str) -> Option<String> {
    (segment != "new").then(|| segment.to_owned())
}
