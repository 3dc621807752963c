//! The built page: files from `--static-dir`, and `index.html` for every other path so that
//! client-side routes such as `/calculator` load the app.

use std::path::Path;

use tower_http::services::{ServeDir, ServeFile};

/// The service that answers the page.
pub type Page = ServeDir<ServeFile>;

/// Serves `static_dir`, falling back to its `index.html` (status 200) for unknown paths. A
/// missing directory or index answers 404; it never stops the API.
pub fn service(static_dir: &Path) -> Page {
    ServeDir::new(static_dir).fallback(ServeFile::new(static_dir.join("index.html")))
}
