//! The page shell: header, routed main content, footer.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::site_footer::SiteFooter;
use crate::components::site_header::SiteHeader;
use crate::pages::calculator::CalculatorPage;
use crate::pages::home::HomePage;
use crate::pages::not_found::NotFoundPage;

/// The whole app: every page shares the header and footer.
#[component]
pub fn App() -> impl IntoView {
    view! {
        <Router>
            <SiteHeader />
            <main id="main">
                <Routes fallback=|| view! { <NotFoundPage /> }>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/calculator") view=CalculatorPage />
                </Routes>
            </main>
            <SiteFooter />
        </Router>
    }
}
