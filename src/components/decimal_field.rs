//! A text field for a decimal amount or percentage that carries its own error state.

use leptos::prelude::*;

/// A labelled decimal input. It takes text (`inputmode="decimal"`) and never rewrites what a
/// person is typing: the value written back is the very text typed, or a value computed
/// elsewhere while this field does not have the focus.
#[component]
pub fn DecimalField(
    /// The element id; the hint and error elements derive theirs from it.
    #[prop(into)]
    id: String,
    /// The visible label, in the seeds' words ("Customer adjustment %").
    #[prop(into)]
    label: Signal<String>,
    /// The text shown in the field.
    #[prop(into)]
    value: Signal<String>,
    /// Called with the new text on every keystroke.
    #[prop(into)]
    on_input: Callback<String>,
    /// The problem with the current text, if any; shown under the field and announced.
    #[prop(optional, into)]
    error: MaybeProp<String>,
    /// A line of help under the field (limits, what the field does).
    #[prop(optional, into)]
    hint: MaybeProp<String>,
    /// Whether the field is unavailable (for example, no adjustment in a CSP offer).
    #[prop(optional, into)]
    disabled: MaybeProp<bool>,
    /// Placeholder text, such as an example value.
    #[prop(optional)]
    placeholder: &'static str,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some_and(|message| !message.is_empty());
    let described_by = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if has_error() {
                ids.push(error_id.clone());
            }
            if hint.get().is_some() {
                ids.push(hint_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    view! {
        <div class="field" class:field-invalid=has_error>
            <label for=id.clone()>{label}</label>
            <input
                id=id
                type="text"
                inputmode="decimal"
                autocomplete="off"
                spellcheck="false"
                placeholder=placeholder
                prop:value=move || value.get()
                disabled=move || disabled.get().unwrap_or(false)
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=described_by
                on:input=move |event| on_input.run(event_target_value(&event))
            />
            <p id=hint_id class="hint" hidden=move || hint.get().is_none()>
                {move || hint.get()}
            </p>
            <p id=error_id class="field-error" role="alert" hidden=move || !has_error()>
                {move || error.get()}
            </p>
        </div>
    }
}
