use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_location;

/// Shown for any path that no route matches.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let pathname = use_location().pathname;
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at " <code>{move || pathname.get()}</code> "."</p>
        <p>
            <A href="/">"Go to the home page"</A>
        </p>
    }
}
