//! The page's router: which page of its bundle the address shows, and moving between them.
//!
//! Each bundle has a handful of pages (core's `bundle::Bundle`), so routing is a `match` on the
//! path's segments in `app.rs`, and this module keeps the address: the path and the query as
//! signals, links and [`Router::navigate`] moving within the bundle through the history API, and
//! Back and Forward read back from the address bar. A link or a move to another bundle's page is
//! an ordinary page load, which the server answers with that bundle.
//!
//! It replaces `leptos_router`, whose generic routing code was about a tenth of every bundle
//! (issue 2, page weight) for features these bundles do not use (nested routes, resources
//! tied to routes, relative links).

use leptos::prelude::*;
use offerdesk_core::bundle::Bundle;
use wasm_bindgen::JsCast;

/// The address of the page being shown, for the pages of one bundle; see [`use_router`].
#[derive(Clone, Copy)]
pub struct Router {
    bundle: Bundle,
    /// The path, such as `/offers/csp/17`.
    path: RwSignal<String>,
    /// The query, with its `?`, or empty.
    search: RwSignal<String>,
}

/// The router that [`provide_router`] put in place.
pub fn use_router() -> Router {
    expect_context::<Router>()
}

/// Puts the router of `bundle` in place for the whole page: reads the address, moves within the
/// bundle on a click of one of its links, and follows Back and Forward.
pub fn provide_router(bundle: Bundle) -> Router {
    let (path, search) = browser_address();
    let router = Router {
        bundle,
        path: RwSignal::new(path),
        search: RwSignal::new(search),
    };
    provide_context(router);
    // Back and Forward within the bundle: the browser has already moved the address.
    let popstate = window_event_listener(leptos::ev::popstate, move |_| {
        let (path, search) = browser_address();
        if bundle.has(&path) {
            router.show(path, search);
        } else if let Some(window) = web_sys::window() {
            let _ = window.location().reload();
        }
    });
    // Listening on the window, after a capturing guard (components::leave_guard) on the document
    // has had its say.
    let click = window_event_listener(leptos::ev::click, move |event| {
        if let Some(href) = followed_link(&event) {
            if bundle.has(split(&href).0) {
                event.prevent_default();
                router.navigate(&href);
            }
        }
    });
    on_cleanup(move || {
        popstate.remove();
        click.remove();
    });
    router
}

impl Router {
    /// The path shown (tracked): the page to show changes with it.
    pub fn path(&self) -> String {
        self.path.get()
    }

    /// The path and query shown, such as `/offers?tab=csp`, read once.
    pub fn address_untracked(&self) -> String {
        format!(
            "{}{}",
            self.path.get_untracked(),
            self.search.get_untracked()
        )
    }

    /// The value of query parameter `name`, decoded, or `None`, read once.
    pub fn query_untracked(&self, name: &str) -> Option<String> {
        self.search
            .with_untracked(|search| query_value(search, name))
    }

    /// Goes to `href` (a path with an optional query and fragment): within the bundle, adds it
    /// to the history and shows its page from the top; another bundle's page loads from the
    /// server.
    pub fn navigate(&self, href: &str) {
        let Some(window) = web_sys::window() else {
            return;
        };
        let (path, search) = split(href);
        if !self.bundle.has(path) {
            let _ = window.location().assign(href);
            return;
        }
        if let Ok(history) = window.history() {
            let _ = history.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
        }
        self.show(path.to_owned(), search.to_owned());
        window.scroll_to_with_x_and_y(0.0, 0.0);
    }

    fn show(&self, path: String, search: String) {
        // Only a change notifies, so a page is not built again for its own address.
        if self.path.with_untracked(|shown| *shown != path) {
            self.path.set(path);
        }
        if self.search.with_untracked(|shown| *shown != search) {
            self.search.set(search);
        }
    }
}

/// A link to `href` within the site's navigation: marked `aria-current="page"` while its page
/// (or, unless `exact`, a page under it) is shown.
#[component]
pub fn NavLink(
    href: &'static str,
    /// Only the very path counts as current (for `/`, which every path is under).
    #[prop(optional)]
    exact: bool,
    #[prop(optional)] class: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    let router = use_router();
    let current = move || {
        router.path.with(|path| {
            let under = path
                .strip_prefix(href)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'));
            (path == href || (!exact && under)).then_some("page")
        })
    };
    view! {
        <a href=href class=class aria-current=current>
            {children()}
        </a>
    }
}

/// The path and the query (with its `?`) the address bar shows.
fn browser_address() -> (String, String) {
    let location = web_sys::window().map(|window| window.location());
    let read = |part: fn(&web_sys::Location) -> Result<String, wasm_bindgen::JsValue>| {
        location
            .as_ref()
            .and_then(|location| part(location).ok())
            .unwrap_or_default()
    };
    (
        read(web_sys::Location::pathname),
        read(web_sys::Location::search),
    )
}

/// `href`'s path and query (with its `?`); the fragment is left out.
fn split(href: &str) -> (&str, &str) {
    let href = href.split('#').next().unwrap_or_default();
    match href.find('?') {
        Some(at) => href.split_at(at),
        None => (href, ""),
    }
}

/// The value of `name` in `search` (`?a=1&b=2`), decoded as a form field is.
fn query_value(search: &str, name: &str) -> Option<String> {
    search
        .trim_start_matches('?')
        .split('&')
        .filter_map(|pair| pair.split_once('=').or(Some((pair, ""))))
        .find(|(key, _)| decode(key).as_deref() == Some(name))
        .and_then(|(_, value)| decode(value))
}

fn decode(text: &str) -> Option<String> {
    let text = text.replace('+', " ");
    web_sys::js_sys::decode_uri_component(&text)
        .ok()
        .and_then(|decoded| decoded.as_string())
}

/// The site path a click follows, when it is a plain click on a link of this site that opens in
/// this tab and nothing has handled it yet.
fn followed_link(event: &web_sys::MouseEvent) -> Option<String> {
    let modified = event.meta_key() || event.ctrl_key() || event.shift_key() || event.alt_key();
    if event.default_prevented() || event.button() != 0 || modified {
        return None;
    }
    let anchor = event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest("a[href]")
        .ok()??;
    let opens_elsewhere = anchor
        .get_attribute("target")
        .is_some_and(|target| !target.is_empty() && target != "_self");
    if opens_elsewhere || anchor.has_attribute("download") {
        return None;
    }
    let href = anchor.get_attribute("href")?;
    (href.starts_with('/') && !href.starts_with("//")).then_some(href)
}

/// The segments of `path`, without empty ones: `/offers/csp/17` is `["offers", "csp", "17"]`.
pub fn segments(path: &str) -> Vec<&str> {
    path.split('/')
        .filter(|segment| !segment.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_splits_into_path_and_query() {
        assert_eq!(split("/offers?tab=csp#top"), ("/offers", "?tab=csp"));
        assert_eq!(split("/offers"), ("/offers", ""));
        assert_eq!(split("/offers#top"), ("/offers", ""));
    }

    #[test]
    fn segments_leave_out_empty_ones() {
        assert_eq!(segments("/offers/csp/17/"), ["offers", "csp", "17"]);
        assert!(segments("/").is_empty());
    }
}
