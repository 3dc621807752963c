use leptos::prelude::*;

/// The price calculator at `/calculator`.
#[component]
pub fn CalculatorPage() -> impl IntoView {
    view! { <h1>"Price calculator"</h1> }
}
