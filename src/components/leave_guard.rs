//! Asks before a person leaves a form with unsaved changes: on reload, close or another site
//! (the browser's own prompt), on the page's own links (a confirm, before the router moves) and
//! on the browser's Back and Forward buttons (a confirm before the browser moves; staying
//! cancels the move). Back and Forward are guarded where the browser has the Navigation API
//! (Chromium): `popstate` comes after the move, and the router, listening first, has by then
//! left the form.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// What the prompt says.
const LEAVE_QUESTION: &str = "You have unsaved changes. Leave this page and lose them?";

/// Shows `path` (a saved draft's own address) in the address bar without a navigation, so a
/// reload resumes the draft.
pub fn show_address(path: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().pathname().ok().as_deref() != Some(path) {
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(path));
        }
    }
}

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

/// Asks the person; `true` when they choose to leave.
fn confirm_leaving() -> bool {
    web_sys::window()
        .and_then(|window| window.confirm_with_message(LEAVE_QUESTION).ok())
        .unwrap_or(true)
}

/// Adds `listener` for `event` in the capture phase to `target`, so it runs before the router's
/// own listeners (which are not capturing) and can keep the page.
fn listen_first(
    target: &web_sys::EventTarget,
    event: &str,
    listener: &Closure<dyn Fn(web_sys::Event)>,
) {
    let _ = target.add_event_listener_with_callback_and_bool(
        event,
        listener.as_ref().unchecked_ref(),
        true,
    );
}

fn stop_listening(
    target: &web_sys::EventTarget,
    event: &str,
    listener: &Closure<dyn Fn(web_sys::Event)>,
) {
    let _ = target.remove_event_listener_with_callback_and_bool(
        event,
        listener.as_ref().unchecked_ref(),
        true,
    );
}

/// The browser's Navigation API object (Chromium), whose `navigate` event comes before a Back or
/// Forward move and can cancel it; `None` where the browser lacks it.
fn navigation() -> Option<web_sys::EventTarget> {
    let window = web_sys::window()?;
    let navigation = web_sys::js_sys::Reflect::get(&window, &"navigation".into()).ok()?;
    (!navigation.is_undefined() && !navigation.is_null()).then(|| navigation.unchecked_into())
}

/// Whether a `navigate` event is a Back or Forward move within this page that may be cancelled.
fn cancelable_traverse(event: &web_sys::Event) -> bool {
    let kind = web_sys::js_sys::Reflect::get(event, &"navigationType".into())
        .ok()
        .and_then(|kind| kind.as_string());
    event.cancelable() && kind.as_deref() == Some("traverse")
}

/// Guards the current page while `unsaved` is true; the guard ends with the calling component.
pub fn guard_unsaved_changes(unsaved: Signal<bool>) {
    let unload = window_event_listener(leptos::ev::beforeunload, move |event| {
        if unsaved.get_untracked() {
            event.prevent_default();
            event.set_return_value(LEAVE_QUESTION);
        }
    });
    let on_click = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if unsaved.get_untracked() && follows_in_app_link(&event) && !confirm_leaving() {
            event.prevent_default();
            event.stop_propagation();
        }
    });
    // Back or Forward, before the browser moves: staying cancels the move.
    let on_navigate = Closure::<dyn Fn(web_sys::Event)>::new(move |event: web_sys::Event| {
        if unsaved.get_untracked() && cancelable_traverse(&event) && !confirm_leaving() {
            event.prevent_default();
        }
    });
    let navigation = navigation();
    let document = web_sys::window().and_then(|window| window.document());
    if let Some(document) = &document {
        listen_first(document, "click", &on_click);
    }
    if let Some(navigation) = &navigation {
        listen_first(navigation, "navigate", &on_navigate);
    }
    let listeners = StoredValue::new_local((on_click, on_navigate));
    on_cleanup(move || {
        unload.remove();
        listeners.with_value(|(on_click, on_navigate)| {
            if let Some(document) = web_sys::window().and_then(|window| window.document()) {
                stop_listening(&document, "click", on_click);
            }
            if let Some(navigation) = &navigation {
                stop_listening(navigation, "navigate", on_navigate);
            }
        });
    });
}
