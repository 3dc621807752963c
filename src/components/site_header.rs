use leptos::prelude::*;
use leptos_router::components::A;

/// The product name and the main navigation; the router marks the current page's link with
/// `aria-current="page"`.
#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <A href="/" attr:class="brand">
                    "Offer Desk"
                </A>
                <nav aria-label="Main">
                    <ul>
                        <li>
                            <A href="/" exact=true>
                                "Home"
                            </A>
                        </li>
                        <li>
                            <A href="/calculator">"Price calculator"</A>
                        </li>
                    </ul>
                </nav>
            </div>
        </header>
    }
}
