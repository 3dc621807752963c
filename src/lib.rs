//! Offer Desk's page: a Leptos client-side app compiled to WebAssembly and built by Trunk.
//!
//! The app ships as separate bundles, one per audience, so that each page load stays within the
//! page weight budget (see [`app::Bundle`]): each binary in `src/main.rs` and `src/bin/` mounts
//! one bundle's routes, and the server answers each path with its bundle's `index.html`.

mod api;
pub mod app;
mod components;
mod dates;
mod json;
mod pages;
mod router;
mod session;

/// Mounts `app` (one bundle's app) on the page's body.
pub fn mount<F, V>(app: F)
where
    F: FnOnce() -> V + 'static,
    V: leptos::IntoView + 'static,
{
    // A panic in the page shows up in the browser console with its message and place, not as
    // "unreachable" alone. (console_error_panic_hook would add the JS stack, whose frames carry
    // no names in the release build, for 1.2 KB gzipped.)
    std::panic::set_hook(Box::new(|info| {
        let message = info.payload_as_str().unwrap_or("panicked");
        let place = info
            .location()
            .map(|at| format!(" at {}:{}:{}", at.file(), at.line(), at.column()))
            .unwrap_or_default();
        leptos::leptos_dom::logging::console_error(&format!("{message}{place}"));
    }));
    leptos::mount::mount_to_body(app);
}
