//! A labelled choice among a few fixed values.

use leptos::prelude::*;

/// A `<select>` with a visible label; each option is `(value, text)`.
#[component]
pub fn SelectField(
    /// The element id.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The options, as `(value, text shown)`.
    options: Vec<(&'static str, &'static str)>,
    /// The selected value.
    #[prop(into)]
    value: Signal<&'static str>,
    /// Called with the chosen value.
    #[prop(into)]
    on_change: Callback<String>,
    /// A line of help under the field.
    #[prop(optional, into)]
    hint: MaybeProp<String>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let described_by = {
        let hint_id = hint_id.clone();
        move || hint.get().map(|_| hint_id.clone())
    };
    view! {
        <div class="field">
            <label for=id>{label}</label>
            <select
                id=id
                prop:value=move || value.get()
                aria-describedby=described_by
                on:change=move |event| on_change.run(event_target_value(&event))
            >
                {options
                    .into_iter()
                    .map(|(option, text)| {
                        view! {
                            <option value=option selected=move || value.get() == option>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p id=hint_id class="hint" hidden=move || hint.get().is_none()>
                {move || hint.get()}
            </p>
        </div>
    }
}
