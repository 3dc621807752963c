//! The guard of the ISV's pages: a signed-out visitor is sent to sign in first and comes back,
//! a signed-in user of another kind of organization is told who the page is for.

use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};

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
    let navigate = use_navigate();
    let location = use_location();
    let here = format!(
        "{}{}",
        location.pathname.get_untracked(),
        location.search.get_untracked()
    );
    Effect::new(move |_| {
        if session.state() == SessionState::SignedOut {
            navigate(
                &format!("/sign-in?next={}", crate::api::encode_query(&here)),
                Default::default(),
            );
        }
    });
    move || match session.state() {
        SessionState::SignedIn(view) if view.organization.kind.is_isv() => children().into_any(),
        SessionState::SignedIn(_) => view! { <p>{refusal}</p> }.into_any(),
        _ => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
    }
}
