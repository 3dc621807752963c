//! A labelled date picker (`<input type="date">`, so dates are unambiguous) that moves a chosen
//! day to the day core's rule allows (the 1st, or the month's last day) and says so.

use leptos::prelude::*;
use offerdesk_core::field::DateRule;

/// A date field holding an ISO date (`2027-01-31`, empty until chosen).
#[component]
pub fn DateField(
    /// The element id; the hint's and the error's ids derive from it.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The chosen date as `YYYY-MM-DD`.
    value: RwSignal<String>,
    /// Which days the field allows.
    rule: DateRule,
    /// The problem with the date, if any.
    #[prop(optional, into)]
    error: MaybeProp<String>,
    /// Called after each change (to mark the field touched).
    #[prop(optional)]
    on_change: Option<Callback<()>>,
) -> impl IntoView {
    let moved = RwSignal::new(None::<String>);
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some_and(|message| !message.is_empty());
    let described = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            if has_error() {
                format!("{hint_id} {error_id}")
            } else {
                hint_id.clone()
            }
        }
    };
    let choose = move |text: String| {
        match offerdesk_core::field::parse_iso_date(&text) {
            Some(chosen) if !rule.allows(chosen) => {
                let allowed = rule.snap(chosen);
                value.set(allowed.to_string());
                moved.set(Some(format!(
                    "Moved to {allowed}. {}",
                    rule.explanation().unwrap_or_default()
                )));
            }
            _ => {
                value.set(text);
                moved.set(None);
            }
        }
        if let Some(on_change) = on_change {
            on_change.run(());
        }
    };
    view! {
        <div class="field" class:field-invalid=has_error>
            <label for=id>{label}</label>
            <input
                id=id
                type="date"
                prop:value=move || value.get()
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=described
                on:change=move |event| choose(event_target_value(&event))
            />
            <p id=hint_id class="hint" aria-live="polite">
                {move || moved.get().or_else(|| rule.explanation().map(str::to_owned))}
            </p>
            <p id=error_id class="field-error" role="alert" hidden=move || !has_error()>
                {move || error.get()}
            </p>
        </div>
    }
}
