//! Who is signed in, shared with every page through context.

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::account::{SessionSummary, SignIn};

use crate::api::{self, ApiError};

/// Where the page stands with the server's session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionState {
    /// Still asking the server.
    Loading,
    /// Nobody is signed in.
    SignedOut,
    /// Someone is: who, as far as the page shows it.
    SignedIn(SessionSummary),
}

/// The session, provided by the app shell; read it with [`use_session`].
#[derive(Debug, Clone, Copy)]
pub struct Session {
    state: RwSignal<SessionState>,
}

impl Session {
    /// What is known now.
    pub fn state(&self) -> SessionState {
        self.state.get()
    }

    /// Signs in; on success the whole page sees the new session.
    pub async fn sign_in(&self, form: SignIn) -> Result<SessionSummary, ApiError> {
        let view: SessionSummary = api::post("/api/v1/session", &form).await?;
        self.state.set(SessionState::SignedIn(view.clone()));
        Ok(view)
    }

    /// Signs out; the page forgets the session even if the server cannot be reached.
    pub async fn sign_out(&self) -> Result<(), ApiError> {
        let answer = api::delete::<()>("/api/v1/session").await;
        self.state.set(SessionState::SignedOut);
        answer
    }
}

/// Creates the session, asks the server who is signed in, and provides it to the app.
pub fn provide_session() -> Session {
    let session = Session {
        state: RwSignal::new(SessionState::Loading),
    };
    spawn_local(async move {
        let state = match api::get::<SessionSummary>("/api/v1/session").await {
            Ok(view) => SessionState::SignedIn(view),
            Err(_) => SessionState::SignedOut,
        };
        session.state.set(state);
    });
    provide_context(session);
    session
}

/// The session the app shell provides.
pub fn use_session() -> Session {
    expect_context::<Session>()
}
