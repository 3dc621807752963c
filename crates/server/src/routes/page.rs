//! The built page: files from `--static-dir`, and for every other path the `index.html` of the
//! page bundle that has it, so that client-side routes such as `/calculator` load the app.
//!
//! The page is built as one bundle per audience (core's `bundle::Bundle`):
//! `index.html` at the top (home, calculator, sign-in) and `bundles/<name>/index.html` for the
//! customer's offer links, the partner's pages, the ISV's dashboard, the ISV's catalog and each of
//! the ISV's offer forms. A directory without a
//! bundle's `index.html` (a build of the page before the split) answers with the top one.
//!
//! `scripts/build-page.sh` writes each file's brotli (`.br`) and gzip (`.gz`) copy beside it,
//! compressed once at their smallest; a browser gets the copy its `Accept-Encoding` takes (the
//! file as built when it takes neither, or the copy is missing), with `Vary: Accept-Encoding`.
//! Trunk names each wasm, JS and CSS file by a hash of its content (`main-d10a4ea55c3d00b0.css`),
//! so those are kept by the browser for a year without asking again; a new build names new files
//! in the `index.html`, which is revalidated on every load (`crate::set_headers`).

use std::path::{Path, PathBuf};

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::response::{IntoResponse, Redirect, Response};
use offerdesk_core::bundle::{moved, Bundle};
use tower::ServiceExt;
use tower_http::services::{ServeDir, ServeFile};

/// The service that answers the page.
#[derive(Debug, Clone)]
pub struct Page {
    static_dir: PathBuf,
}

/// Serves `static_dir`, falling back to the `index.html` (status 200) of the bundle of an
/// unknown path. A missing directory or index answers 404; it never stops the API.
pub fn service(static_dir: &Path) -> Page {
    Page {
        static_dir: static_dir.to_path_buf(),
    }
}

/// The bundle directory under `bundles/` that has the page at `path`, if not the top one
/// (core's [`Bundle::of`]).
pub fn bundle_of(path: &str) -> Option<&'static str> {
    Bundle::of(path).directory()
}

impl Page {
    /// The `index.html` that loads the page at `path`.
    fn index_for(&self, path: &str) -> PathBuf {
        bundle_of(path)
            .map(|bundle| {
                self.static_dir
                    .join("bundles")
                    .join(bundle)
                    .join("index.html")
            })
            .filter(|index| index.is_file())
            .unwrap_or_else(|| self.static_dir.join("index.html"))
    }

    /// Answers `request` with a file of the page or the right `index.html`, or the new address
    /// of a page that moved (core's [`moved`]).
    pub async fn answer(self, request: Request) -> Response {
        let path = request.uri().path().to_owned();
        if let Some(to) = moved(&path) {
            return Redirect::permanent(&to).into_response();
        }
        let index = self.index_for(&path);
        let index = ServeFile::new(index)
            .precompressed_br()
            .precompressed_gzip();
        let files = ServeDir::new(&self.static_dir)
            .precompressed_br()
            .precompressed_gzip()
            .fallback(index);
        let mut response = match files.oneshot(request).await {
            Ok(response) => response.into_response(),
            Err(never) => match never {},
        };
        let served_file = response.status().is_success()
            && !response
                .headers()
                .get(header::CONTENT_TYPE)
                .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
        let headers = response.headers_mut();
        headers.append(header::VARY, HeaderValue::from_static("accept-encoding"));
        if served_file && is_fingerprinted(&path) {
            headers.insert(
                header::CACHE_CONTROL,
                HeaderValue::from_static("public, max-age=31536000, immutable"),
            );
        }
        response
    }
}

/// Whether the last segment of `path` is a file Trunk named by its content's hash: a wasm, JS or
/// CSS file whose name ends in `-` and 8 to 16 hex digits (before `_bg` for the wasm).
fn is_fingerprinted(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or_default();
    let Some((stem, extension)) = name.rsplit_once('.') else {
        return false;
    };
    if !matches!(extension, "wasm" | "js" | "css") {
        return false;
    }
    let stem = stem.strip_suffix("_bg").unwrap_or(stem);
    stem.rsplit_once('-').is_some_and(|(name, hash)| {
        !name.is_empty()
            && (8..=16).contains(&hash.len())
            && hash.bytes().all(|byte| byte.is_ascii_hexdigit())
    })
}

#[cfg(test)]
mod tests {
    use super::{bundle_of, is_fingerprinted};

    #[test]
    fn only_the_builds_hashed_files_are_fingerprinted() {
        for path in [
            "/main-d10a4ea55c3d00b0.css",
            "/offerdesk-web-72af1d0d2c96c1b2.js",
            "/offerdesk-web-72af1d0d2c96c1b2_bg.wasm",
            "/bundles/multiparty-form/multiparty-form-da291efb6086d49_bg.wasm",
        ] {
            assert!(is_fingerprinted(path), "{path}");
        }
        for path in [
            "/",
            "/index.html",
            "/calculator",
            "/style.css",
            "/offerdesk-web.js",
            "/offerdesk-web_bg.wasm",
            "/-d10a4ea55c3d00b0.css",
            "/main-d10a4ea55c3d00b0.html",
            "/main-notahash0000.css",
            "/main-d10a4ea55c3d00b0aa.css",
            "/main-d10a4ea55c3d00b0.css/",
        ] {
            assert!(!is_fingerprinted(path), "{path}");
        }
    }

    #[test]
    fn each_path_has_the_bundle_of_the_page() {
        for (path, bundle) in [
            ("/", None),
            ("/calculator", None),
            ("/sign-in", None),
            ("/links/abc", Some("customer")),
            ("/linksx", None),
            ("/partner", Some("partner")),
            ("/partner/offers", Some("partner")),
            ("/partner/offers/7", Some("partner-offer")),
            ("/partner/cppo", Some("partner-cppo")),
            ("/partner/cppo/7/new", Some("buyer-offer")),
            ("/partnership", None),
            ("/offers", Some("isv")),
            ("/offers/multiparty/new", Some("multiparty-form")),
            (
                "/offers/multiparty/7/products/new-saas-plans",
                Some("multiparty-new-saas-plans"),
            ),
            ("/offers/multiparty/7/terms", Some("multiparty-terms")),
            ("/offers/csp/7", Some("csp-form")),
            ("/offers/csp/7/review", Some("csp-review")),
            ("/offers/cppo/new", Some("cppo-form")),
            ("/offersx", None),
            ("/notifications", Some("isv")),
            ("/catalog", Some("catalog")),
        ] {
            assert_eq!(bundle_of(path), bundle, "{path}");
        }
    }
}
