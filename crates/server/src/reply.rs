//! Our JSON answers: a value written by serde_json with `Content-Type: application/json`.
//!
//! The server answers with this rather than axum's `Json`, so that axum's `json` feature stays
//! off: it turns on serde_json's `raw_value`, and a build that selects the whole workspace (as
//! Trunk's build of the page does, through the workspace's default members) would then build the
//! page's serde_json with it too, different from the page built alone and larger.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A JSON response body.
#[derive(Debug, Clone, Copy, Default)]
pub struct Json<T>(pub T);

impl<T: Serialize> IntoResponse for Json<T> {
    fn into_response(self) -> Response {
        match serde_json::to_vec(&self.0) {
            Ok(body) => (
                [(
                    header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                )],
                body,
            )
                .into_response(),
            // Only a type the server defines could fail to write (a map with non-string keys):
            // a bug of ours, answered as one.
            Err(error) => {
                tracing::error!(%error, "could not write a JSON answer");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Json;
    use axum::body::to_bytes;
    use axum::http::{header, StatusCode};
    use axum::response::IntoResponse;

    #[tokio::test]
    async fn a_value_is_answered_as_json() {
        let response = Json(serde_json::json!({ "status": "ok", "n": [1, 2] })).into_response();
        assert_eq!(response.status(), StatusCode::OK);
        assert_eq!(response.headers()[header::CONTENT_TYPE], "application/json");
        let body = to_bytes(response.into_body(), usize::MAX).await.unwrap();
        assert_eq!(&body[..], br#"{"n":[1,2],"status":"ok"}"#);
    }

    #[tokio::test]
    async fn a_value_serde_cannot_write_is_a_server_error() {
        let map = std::collections::HashMap::from([((1, 2), "pair keys are not JSON")]);
        let response = Json(map).into_response();
        assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    }
}
