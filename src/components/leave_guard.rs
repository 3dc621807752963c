//! Asks before a person leaves a form with unsaved changes: on reload, close or another site
//! (the browser's own prompt) and on the page's own links (a confirm, before the router moves).

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the prompt says.
const LEAVE_QUESTION: &str = "You have unsaved changes. Leave this page and lose them?";

/// Whether a click on `event`'s target follows a link of this page to another path.
fn follows_in_app_link(event: &web_sys::Event) -> bool {
    let Some(anchor) = event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest("a[href]").ok().flatten())
    else {
        return false;
    };
    let href = anchor.get_attribute("href").unwrap_or_default();
    let opens_elsewhere = anchor
        .get_attribute("target")
        .is_some_and(|target| target != "_self");
    let here = web_sys::window()
        .and_then(|window| window.location().pathname().ok())
        .unwrap_or_default();
    href.starts_with('/') && !opens_elsewhere && href != here
}

/// Guards the current page while `unsaved` is true; the guard ends with the calling component.
pub fn guard_unsaved_changes(unsaved: Signal<bool>) {
    let unload = window_event_listener(leptos::ev::beforeunload, move |event| {
        if unsaved.get_untracked() {
            event.prevent_default();
            event.set_return_value(LEAVE_QUESTION);
        }
    });
    // The router follows links from a listener on the window; one in the capture phase on the
    // document runs first and can keep the page.
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if !unsaved.get_untracked() || !follows_in_app_link(&event) {
            return;
        }
        let leave = web_sys::window()
            .and_then(|window| window.confirm_with_message(LEAVE_QUESTION).ok())
            .unwrap_or(true);
        if !leave {
            event.prevent_default();
            event.stop_propagation();
        }
    });
    let document = web_sys::window().and_then(|window| window.document());
    if let Some(document) = &document {
        let _ = document.add_event_listener_with_callback_and_bool(
            "click",
            on_click.as_ref().unchecked_ref(),
            true,
        );
    }
    let listener = StoredValue::new_local(on_click);
    on_cleanup(move || {
        unload.remove();
        if let Some(document) = web_sys::window().and_then(|window| window.document()) {
            listener.with_value(|on_click| {
                let _ = document.remove_event_listener_with_callback_and_bool(
                    "click",
                    on_click.as_ref().unchecked_ref(),
                    true,
                );
            });
        }
    });
}
