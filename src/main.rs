//! Offer Desk's page: a Leptos client-side app compiled to WebAssembly and built by Trunk.

mod api;
mod app;
mod components;
mod pages;
mod session;

fn main() {
    // A panic in the page shows up in the browser console with its message, not as "unreachable".
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
