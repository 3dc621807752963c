//! The guard of the ISV's pages: a signed-out visitor is sent to sign in first and comes back,
//! a signed-in user of another kind of organization is told who the page is for.

use leptos::prelude::*;

use crate::router::use_router;
use crate::session::{use_session, SessionState};

/// Shows `children` to a signed-in ISV user only.
#[component]
pub fn RequireSignIn(
    /// What a signed-in user of a partner or customer sees instead, in a sentence.
    refusal: &'static str,
    /// The page.
    children: ChildrenFn,
) -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let here = router.address_untracked();
    Effect::new(move |_| {
        if session.state() == SessionState::SignedOut {
            router.navigate(&format!(
                "/sign-in?next={}",
                crate::api::encode_query(&here)
            ));
        }
    });
    move || match session.state() {
        SessionState::SignedIn(view) if view.organization.kind.is_isv() => children().into_any(),
        SessionState::SignedIn(_) => view! { <p>{refusal}</p> }.into_any(),
        _ => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
    }
}
