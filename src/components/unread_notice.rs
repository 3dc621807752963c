//! What a page says when something it reads from the server could not be read.

use leptos::prelude::*;

use crate::api::ApiError;

/// `lead` and the server's reason (or why it could not be reached), with "Try again", which
/// runs `again`.
pub fn unread_notice(
    lead: &'static str,
    error: &ApiError,
    again: impl Fn() + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="notice-error" role="alert">
            <p>{format!("{lead} {}", error.general())}</p>
            <button type="button" class="secondary" on:click=move |_| again()>
                "Try again"
            </button>
        </div>
    }
}
