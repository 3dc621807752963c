//! The customer link a partner's submit or publish answers once, with "Copy link".

use leptos::prelude::*;

/// The page's own address (`https://host`), which customer links are made on.
pub fn origin() -> String {
    web_sys::window()
        .and_then(|window| window.location().origin().ok())
        .unwrap_or_default()
}

/// The address of the customer link page for `token`.
pub fn customer_link_url(token: &str) -> String {
    format!("{}/links/{token}", origin())
}

/// The link in a read-only field (selected on focus) and a "Copy link" button that puts it on
/// the clipboard and says so.
#[component]
pub fn CopyLink(
    /// The full address to share.
    url: String,
    /// What to say once copied ("Share it with your customer for acceptance.").
    after_copy: &'static str,
) -> impl IntoView {
    let copied = RwSignal::new(false);
    let copy_url = url.clone();
    view! {
        <div class="customer-link">
            <label for="customer-link">"Customer link"</label>
            <input id="customer-link" type="text" readonly=true prop:value=url on:focus=|event| {
                use wasm_bindgen::JsCast;
                if let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
                    input.select();
                }
            } />
            <button type="button" class="primary" on:click=move |_| {
                if let Some(window) = web_sys::window() {
                    let _ = window.navigator().clipboard().write_text(&copy_url);
                    copied.set(true);
                }
            }>"Copy link"</button>
            <p class="status" role="status">{move || copied.get().then(|| format!("Link copied. {after_copy}"))}</p>
        </div>
    }
}
