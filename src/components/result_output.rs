//! A labelled computed result.

use leptos::prelude::*;

/// An `<output>` with a visible label, for a value the page computes ("Customer price").
#[component]
pub fn ResultOutput(
    /// The element id.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The ids of the inputs the result is computed from (the `for` attribute of `<output>`).
    inputs: &'static str,
    /// The formatted value, or `None` while the inputs are incomplete or invalid.
    #[prop(into)]
    value: Signal<Option<String>>,
) -> impl IntoView {
    view! {
        <div class="result">
            <label for=id>{label}</label>
            <output id=id for=inputs aria-live="polite">
                {move || value.get().unwrap_or_else(|| "—".to_owned())}
            </output>
        </div>
    }
}
