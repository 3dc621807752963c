use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::session::{use_session, SessionState};

/// The product name, the main navigation and who is signed in; the router marks the current
/// page's link with `aria-current="page"`.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let sign_out = move |_| {
        let navigate = navigate.clone();
        spawn_local(async move {
            // The page forgets the session either way; a failure only means the server already had.
            let _ = session.sign_out().await;
            navigate("/", Default::default());
        });
    };
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <A href="/" attr:class="brand">
                    "Offer Desk"
                </A>
                <nav aria-label="Main">
                    <ul>
                        <li>
                            <A href="/" exact=true>
                                "Home"
                            </A>
                        </li>
                        <li>
                            <A href="/calculator">"Price calculator"</A>
                        </li>
                        {move || {
                            let kind = match session.state() {
                                SessionState::SignedIn(view) => Some(view.organization.kind),
                                _ => None,
                            };
                            let isv = kind.is_some_and(|kind| kind.is_isv());
                            let partner = kind.is_some_and(|kind| kind.is_partner());
                            view! {
                                {isv
                                    .then(|| {
                                        view! {
                                            <li>
                                                <A href="/offers">"Private offers"</A>
                                            </li>
                                            <li>
                                                <A href="/notifications">"Notifications"</A>
                                            </li>
                                            <li>
                                                <A href="/catalog">"Catalog"</A>
                                            </li>
                                        }
                                    })}
                                {partner
                                    .then(|| {
                                        view! {
                                            <li>
                                                <A href="/partner/offers">"Partner offers"</A>
                                            </li>
                                            <li>
                                                <A href="/partner/margins">"Margins"</A>
                                            </li>
                                            <li>
                                                <A href="/partner/cppo">"Resale authorizations"</A>
                                            </li>
                                            <li>
                                                <A href="/partner/profile">"Profile"</A>
                                            </li>
                                        }
                                    })}
                            }
                        }}
                    </ul>
                </nav>
                <div class="account" aria-live="polite">
                    {move || match session.state() {
                        SessionState::Loading => ().into_any(),
                        SessionState::SignedOut => {
                            view! { <A href="/sign-in" attr:class="sign-in">"Sign in"</A> }.into_any()
                        }
                        SessionState::SignedIn(view) => {
                            view! {
                                <span class="who">
                                    <span class="organization">{view.organization.name}</span>
                                    <span class="email">{view.user.email}</span>
                                </span>
                                <button type="button" class="link-button" on:click=sign_out.clone()>
                                    "Sign out"
                                </button>
                            }
                                .into_any()
                        }
                    }}
                </div>
            </div>
        </header>
    }
}
