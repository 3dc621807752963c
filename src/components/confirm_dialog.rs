//! A modal confirmation: focus moves into it when it opens and back to what opened it when it
//! closes; Escape cancels.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// Moves focus to the element with `id`, or to `fallback_id` when that element is gone (a
/// deleted row's button, say) or disabled.
pub fn focus_by_id(id: &str, fallback_id: &str) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    // A disabled button cannot hold focus (a withdrawn offer's "Withdraw", say).
    let element = document
        .get_element_by_id(id)
        .filter(|element| !element.has_attribute("disabled"))
        .or_else(|| document.get_element_by_id(fallback_id));
    if let Some(element) =
        element.and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = element.focus();
    }
}

/// Moves focus as [`focus_by_id`] does, once the page has re-rendered (at the next animation
/// frame): after a change that takes away or re-renders the element that had focus, such as a
/// closed dialog, a removed row or a list re-rendered in place.
pub fn focus_soon(id: String, fallback_id: &'static str) {
    request_animation_frame(move || focus_by_id(&id, fallback_id));
}

/// Keeps Tab and Shift+Tab on the dialog's own controls: from the last one Tab goes back to the
/// first, and from the first Shift+Tab to the last (a modal's focus never leaves it).
fn keep_tab_inside(dialog: &web_sys::HtmlElement, event: &leptos::ev::KeyboardEvent) {
    let Ok(found) = dialog.query_selector_all(
        "button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), a[href]",
    ) else {
        return;
    };
    let controls: Vec<web_sys::HtmlElement> = (0..found.length())
        .filter_map(|index| found.item(index))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect();
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.active_element());
    let on = |control: &web_sys::HtmlElement| {
        active
            .as_ref()
            .is_some_and(|active| active == control.unchecked_ref::<web_sys::Element>())
    };
    let to = if event.shift_key() && on(first) {
        last
    } else if !event.shift_key() && on(last) {
        first
    } else {
        return;
    };
    event.prevent_default();
    let _ = to.focus();
}

/// A dialog asking to confirm one action; `children` may add fields (a clone's new name).
#[component]
pub fn ConfirmDialog(
    /// The dialog's title (its accessible name).
    title: String,
    /// What will happen, in a sentence.
    message: String,
    /// The confirm button's text.
    confirm_label: &'static str,
    /// Whether the action is under way (the buttons wait).
    #[prop(into)]
    busy: Signal<bool>,
    /// Called when the person confirms.
    #[prop(into)]
    on_confirm: Callback<()>,
    /// Called when the person cancels (button or Escape).
    #[prop(into)]
    on_cancel: Callback<()>,
    /// Whether the first field, rather than the confirm button, takes focus on opening.
    #[prop(optional)]
    focus_field: bool,
    /// Extra content between the message and the buttons.
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let confirm_ref = NodeRef::<html::Button>::new();
    let body_ref = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if focus_field {
            if let Some(body) = body_ref.get() {
                if let Ok(Some(input)) = body.query_selector("input") {
                    if let Ok(input) = input.dyn_into::<web_sys::HtmlElement>() {
                        let _ = input.focus();
                        return;
                    }
                }
            }
        }
        if let Some(button) = confirm_ref.get() {
            let _ = button.focus();
        }
    });
    let dialog_ref = NodeRef::<html::Div>::new();
    let on_keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            event.prevent_default();
            on_cancel.run(());
        } else if event.key() == "Tab" {
            if let Some(dialog) = dialog_ref.get_untracked() {
                keep_tab_inside(&dialog, &event);
            }
        }
    };
    view! {
        <div class="dialog-backdrop">
            <div
                class="dialog"
                node_ref=dialog_ref
                role="dialog"
                aria-modal="true"
                aria-labelledby="dialog-title"
                aria-describedby="dialog-message"
                on:keydown=on_keydown
            >
                <h2 id="dialog-title">{title}</h2>
                <p id="dialog-message">{message}</p>
                <div node_ref=body_ref>{children.map(|children| children())}</div>
                <div class="dialog-buttons">
                    <button
                        type="button"
                        class="primary"
                        node_ref=confirm_ref
                        disabled=move || busy.get()
                        aria-busy=move || busy.get().to_string()
                        on:click=move |_| on_confirm.run(())
                    >
                        {confirm_label}
                    </button>
                    <button type="button" class="secondary" on:click=move |_| on_cancel.run(())>
                        "Cancel"
                    </button>
                </div>
            </div>
        </div>
    }
}
