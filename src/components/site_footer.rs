use leptos::prelude::*;

/// The footer under every page.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Offer Desk: private offers sold through channel partners. "
                "Prices are exact decimals; the server checks every price again."
            </p>
        </footer>
    }
}
