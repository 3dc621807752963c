//! Adds a terms and conditions PDF to one side of a multiparty offer under a unique
//! customer-facing name (at most 5 between the ISV and the partner). The server checks the file
//! and the name through core and answers the offer as it now stands.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::{self, ApiError};
use crate::components::text_field::TextField;

/// The PDF chosen in the file input with `id`, if any.
fn chosen_file(id: &str) -> Option<web_sys::File> {
    use wasm_bindgen::JsCast;
    web_sys::window()?
        .document()?
        .get_element_by_id(id)?
        .dyn_into::<web_sys::HtmlInputElement>()
        .ok()?
        .files()?
        .item(0)
}

/// A file input, its customer-facing name and "Add terms and conditions"; `children` list the
/// side's documents so far.
#[component]
pub fn TermsUpload(
    /// The offer's id; `None` until the offer is saved (a document belongs to a saved offer).
    #[prop(into)]
    offer_id: Signal<Option<String>>,
    /// The version of the offer read.
    #[prop(into)]
    version: Signal<Option<i64>>,
    /// How many more documents may be added.
    #[prop(into)]
    remaining: Signal<usize>,
    /// Who sees the documents, in a sentence.
    hint: &'static str,
    /// Called with the server's answer: the offer as it now stands.
    on_uploaded: Callback<api::Raw>,
    /// The side's documents so far.
    children: Children,
) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let refused = RwSignal::new(None::<ApiError>);
    let pending = RwSignal::new(false);
    let field_error = move |field: &'static str| {
        Signal::derive(move || {
            refused.with(|answer| {
                answer.as_ref().and_then(|answer| {
                    let messages: Vec<String> = answer
                        .errors
                        .iter()
                        .filter(|error| (field == "name") == (error.field != "file"))
                        .map(|error| error.message.clone())
                        .collect();
                    (!messages.is_empty()).then(|| messages.join(" "))
                })
            })
        })
    };
    let upload = move |_| {
        let (Some(id), Some(read)) = (offer_id.get_untracked(), version.get_untracked()) else {
            refused.set(Some(ApiError::local(
                "file",
                "Save the offer as a draft first; then add its terms.",
            )));
            return;
        };
        let Some(file) = chosen_file("terms-file") else {
            refused.set(Some(ApiError::local("file", "Choose a PDF file.")));
            return;
        };
        if name.with_untracked(|name| name.trim().is_empty()) {
            refused.set(Some(ApiError::local(
                "name",
                "Enter the document name your customer sees.",
            )));
            return;
        }
        refused.set(None);
        pending.set(true);
        let path = format!(
            "/api/v1/multiparty-offers/{id}/terms?version={read}&name={}",
            api::encode_query(name.get_untracked().trim())
        );
        spawn_local(async move {
            let answer: Result<api::Raw, ApiError> =
                api::post_file(&path, "application/pdf", file).await;
            pending.set(false);
            match answer {
                Ok(offer) => {
                    name.set(String::new());
                    on_uploaded.run(offer);
                }
                Err(error) => refused.set(Some(error)),
            }
        });
    };
    let name_error = field_error("name");
    let file_error = field_error("file");
    let full = move || remaining.get() == 0;
    view! {
        <fieldset class="terms">
            <legend>"Customer terms and conditions"</legend>
            {children()}
            <p class="hint" id="terms-hint">
                {move || {
                    format!(
                        "Optional. {hint} You can add {} more (5 in total between the ISV and the selling partner).",
                        remaining.get(),
                    )
                }}
            </p>
            <div class="field" class:field-invalid=move || file_error.get().is_some()>
                <label for="terms-file">"Terms and conditions PDF"</label>
                <input id="terms-file" type="file" accept="application/pdf" disabled=full
                    aria-invalid=move || if file_error.get().is_some() { "true" } else { "false" }
                    aria-describedby="terms-hint terms-file-error" />
                <p id="terms-file-error" class="field-error" role="alert" hidden=move || file_error.get().is_none()>{move || file_error.get()}</p>
            </div>
            <TextField id="terms-name" label="Customer-facing document name" value=name error=name_error />
            <button type="button" class="secondary" disabled=full on:click=upload aria-busy=move || pending.get().to_string()>
                "Add terms and conditions"
            </button>
        </fieldset>
    }
}
