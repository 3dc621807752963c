//! A labelled text input (email, password, name) that carries its own error state.

use leptos::prelude::*;

/// A labelled text input; its error is linked with `aria-describedby` and marks it
/// `aria-invalid="true"`.
#[component]
pub fn TextField(
    /// The element id; the error element's id derives from it.
    id: &'static str,
    /// The visible label.
    label: &'static str,
    /// The input type: `text`, `email`, `password`.
    #[prop(default = "text")]
    input_type: &'static str,
    /// The `autocomplete` hint for password managers (`username`, `current-password`).
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// The text in the field.
    value: RwSignal<String>,
    /// The problem with the current text, if any.
    #[prop(optional, into)]
    error: MaybeProp<String>,
    /// Whether the field must be filled (announced to assistive technology).
    #[prop(optional)]
    required: bool,
) -> impl IntoView {
    let error_id = format!("{id}-error");
    let has_error = move || error.get().is_some_and(|message| !message.is_empty());
    let described_by = {
        let error_id = error_id.clone();
        move || has_error().then(|| error_id.clone())
    };
    view! {
        <div class="field" class:field-invalid=has_error>
            <label for=id>{label}</label>
            <input
                id=id
                type=input_type
                autocomplete=autocomplete
                required=required
                prop:value=move || value.get()
                aria-invalid=move || if has_error() { "true" } else { "false" }
                aria-describedby=described_by
                on:input=move |event| value.set(event_target_value(&event))
            />
            <p id=error_id class="field-error" role="alert" hidden=move || !has_error()>
                {move || error.get()}
            </p>
        </div>
    }
}
