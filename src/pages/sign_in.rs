//! Sign in with email and password.

use crate::router::use_router;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::account::SignIn;

use crate::api::ApiError;
use crate::components::text_field::TextField;
use crate::session::use_session;

/// The sign-in page at `/sign-in?next=/path`: after signing in, the person goes on to `next`.
#[component]
pub fn SignInPage() -> impl IntoView {
    let session = use_session();
    let router = use_router();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    // Problems show once the person has tried to submit, not while the form is still empty.
    let attempted = RwSignal::new(false);
    let pending = RwSignal::new(false);
    let refused = RwSignal::new(None::<ApiError>);

    let form = move || SignIn {
        email: email.get(),
        password: password.get(),
    };
    let problems = Memo::new(move |_| form().validate().err().unwrap_or_default());
    let error = move |field: &'static str| {
        Signal::derive(move || {
            let mine = attempted
                .get()
                .then(|| {
                    problems.with(|all| {
                        all.iter()
                            .find(|p| p.field == field)
                            .map(|p| p.message.clone())
                    })
                })
                .flatten();
            mine.or_else(|| refused.with(|answer| answer.as_ref().and_then(|a| a.field(field))))
        })
    };
    let general = move || {
        refused.with(|answer| {
            answer.as_ref().and_then(|answer| {
                answer
                    .errors
                    .iter()
                    .find(|error| error.field.is_empty())
                    .map(|error| error.message.clone())
            })
        })
    };

    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        attempted.set(true);
        refused.set(None);
        if !problems.with_untracked(Vec::is_empty) || pending.get_untracked() {
            return;
        }
        pending.set(true);
        let next = safe_next(router.query_untracked("next"));
        let form = SignIn {
            email: email.get_untracked(),
            password: password.get_untracked(),
        };
        spawn_local(async move {
            match session.sign_in(form).await {
                Ok(_) => router.navigate(&next),
                Err(answer) => refused.set(Some(answer)),
            }
            pending.set(false);
        });
    };

    view! {
        <section class="narrow" aria-labelledby="sign-in-title">
            <h1 id="sign-in-title">"Sign in"</h1>
            <p class="lead">"Sign in as your organization's ISV, partner or customer user."</p>
            <form class="stacked-form" on:submit=on_submit novalidate=true>
                <p class="form-error" role="alert" hidden=move || general().is_none()>
                    {general}
                </p>
                <TextField
                    id="email"
                    label="Email"
                    input_type="email"
                    autocomplete="username"
                    value=email
                    error=error("email")
                    required=true
                />
                <TextField
                    id="password"
                    label="Password"
                    input_type="password"
                    autocomplete="current-password"
                    value=password
                    error=error("password")
                    required=true
                />
                <button type="submit" class="primary" aria-busy=move || pending.get().to_string()>
                    "Sign in"
                </button>
                <p class="status" role="status">
                    {move || pending.get().then_some("Signing in…")}
                </p>
            </form>
        </section>
    }
}

/// Only a path of this site may follow a sign-in (never another origin).
fn safe_next(next: Option<String>) -> String {
    match next {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path
        }
        _ => "/".to_owned(),
    }
}
