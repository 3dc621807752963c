use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::router::{use_router, NavLink};
use crate::session::{use_session, SessionState};

/// The product name, the main navigation (the current page's link marked
/// `aria-current="page"`) and who is signed in.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let sign_out = move |_| {
        spawn_local(async move {
            // The page forgets the session either way; a failure only means the server already had.
            let _ = session.sign_out().await;
            router.navigate("/");
        });
    };
    view! {
        <header class="site-header">
            <div class="site-header-inner">
                <a href="/" class="brand">
                    "Offer Desk"
                </a>
                <nav aria-label="Main">
                    <ul>
                        <li>
                            <NavLink href="/" exact=true>
                                "Home"
                            </NavLink>
                        </li>
                        <li>
                            <NavLink href="/calculator">"Price calculator"</NavLink>
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
                                                <NavLink href="/offers">"Private offers"</NavLink>
                                            </li>
                                            <li>
                                                <NavLink href="/notifications">"Notifications"</NavLink>
                                            </li>
                                            <li>
                                                <NavLink href="/catalog">"Catalog"</NavLink>
                                            </li>
                                        }
                                    })}
                                {partner
                                    .then(|| {
                                        view! {
                                            <li>
                                                <NavLink href="/partner/offers">"Partner offers"</NavLink>
                                            </li>
                                            <li>
                                                <NavLink href="/partner/margins">"Margins"</NavLink>
                                            </li>
                                            <li>
                                                <NavLink href="/partner/cppo">"Resale authorizations"</NavLink>
                                            </li>
                                            <li>
                                                <NavLink href="/partner/profile">"Profile"</NavLink>
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
                            view! { <a href="/sign-in" class="sign-in">"Sign in"</a> }.into_any()
                        }
                        SessionState::SignedIn(view) => {
                            view! {
                                <span class="who">
                                    <span class="organization">{view.organization.name}</span>
                                    <span class="email">{view.user.email}</span>
                                </span>
                                <button type="button" class="link-button" on:click=sign_out>
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
