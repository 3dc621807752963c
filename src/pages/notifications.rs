//! `/notifications`: the outbox of status emails sent to the organization's notification
//! contacts (seed 000: Live, Ended, Withdrawn; seed 001: Pending partner action, Pending
//! acceptance, Accepted, Expired).

use crate::router::use_router;
use leptos::prelude::*;
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::session::{use_session, SessionState};

/// One email in the outbox.
#[derive(Debug, Clone, PartialEq, Deserialize)]
struct Notification {
    id: i64,
    offer_id: String,
    program: String,
    status: String,
    message: String,
    recipients: Vec<String>,
    created_at: String,
}

#[derive(Debug, Deserialize)]
struct Outbox {
    notifications: Vec<Notification>,
}

/// The outbox, newest first, for a signed-in user.
#[component]
pub fn NotificationsPage() -> impl IntoView {
    let session = use_session();
    let router = use_router();
    Effect::new(move |_| {
        if session.state() == SessionState::SignedOut {
            router.navigate("/sign-in?next=/notifications");
        }
    });
    let outbox = LocalResource::new(|| async {
        api::get::<Outbox>("/api/v1/notifications")
            .await
            .map(|outbox| outbox.notifications)
    });
    view! {
        <section aria-labelledby="notifications-title">
            <h1 id="notifications-title">"Notifications"</h1>
            <p class="lead">"Emails sent to your notification contacts when an offer's status changes."</p>
            {move || match outbox.get() {
                None => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => {
                    let error: ApiError = error;
                    view! { <p class="notice-error" role="alert">{error.general()}</p> }.into_any()
                }
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p>"No notifications yet."</p> }.into_any()
                }
                Some(Ok(list)) => {
                    view! {
                        <table class="notifications-table">
                            <thead>
                                <tr>
                                    <th scope="col">"When"</th>
                                    <th scope="col">"Offer"</th>
                                    <th scope="col">"Status"</th>
                                    <th scope="col">"Message"</th>
                                    <th scope="col">"Sent to"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {list
                                    .into_iter()
                                    .map(|note| {
                                        view! {
                                            <tr data-notification-id=note.id.to_string()>
                                                <td>{note.created_at.replace('T', " ").chars().take(16).collect::<String>()}</td>
                                                <td>{format!("{} ({})", note.offer_id, note.program)}</td>
                                                <td>{note.status}</td>
                                                <td>{note.message}</td>
                                                <td>{note.recipients.join(", ")}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
