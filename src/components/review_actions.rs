//! The buttons that end an ISV form's "Review and submit" step.

use leptos::prelude::*;

/// "Back to offer setup" and "Submit" while the offer can still change, and the way back to
/// the dashboard's tab of the offer's program.
#[component]
pub fn ReviewActions(
    /// Whether the offer is submitted and can't change (then the buttons are gone).
    locked: Signal<bool>,
    /// Whether "Submit" may be pressed now (the form reads and nothing is under way).
    ready: Signal<bool>,
    /// Whether the submit is under way.
    submitting: Signal<bool>,
    /// Back to "Offer setup".
    on_back: Callback<()>,
    /// Submits the offer.
    on_submit: Callback<()>,
    /// The dashboard's address for the offer's program (`/offers?tab=csp`).
    dashboard: &'static str,
) -> impl IntoView {
    view! {
        <div class="form-actions">
            <Show when=move || !locked.get()>
                <button type="button" class="secondary" on:click=move |_| on_back.run(())>
                    "Back to offer setup"
                </button>
                <button
                    type="button"
                    class="primary"
                    disabled=move || !ready.get()
                    aria-busy=move || submitting.get().to_string()
                    on:click=move |_| on_submit.run(())
                >
                    "Submit"
                </button>
            </Show>
            <a href=dashboard>"Back to private offers"</a>
        </div>
    }
}
