use leptos::prelude::*;

use crate::router::use_router;

/// Shown for any path that no page of the bundle has (the server answers each path with the
/// bundle that has it, so no page of the app has it).
#[component]
pub fn NotFoundPage() -> impl IntoView {
    let router = use_router();
    view! {
        <h1>"Page not found"</h1>
        <p>"There is no page at " <code>{move || router.path()}</code> "."</p>
        <p>
            <a href="/">"Go to the home page"</a>
        </p>
    }
}
