//! The publishing worker (SPEC "Publishing is simulated"): every tick moves In Progress offers on
//! once the publish delay has passed and applies the date-driven moves (Expired, Ended), each
//! through the core's state machine as `Actor::System`, each in its own transaction with its
//! notifications. Tests call [`tick`] directly after setting the clock.

use std::time::Duration;

use crate::offers::{cppo, csp, multiparty};
use crate::store::offers::{Applied, OfferKind, Scope};
use crate::store::StoreError;
use crate::AppState;

fn names(statuses: &[&str]) -> Vec<String> {
    statuses.iter().map(|status| (*status).to_owned()).collect()
}

/// One pass over every offer that may have a move due; answers how many offers moved. An offer
/// written meanwhile by someone else is left for the next tick.
pub async fn tick(state: &AppState) -> Result<usize, StoreError> {
    let now = state.clock.now();
    let delay = chrono::Duration::from_std(state.publish_delay).unwrap_or(chrono::Duration::MAX);
    let mut moved = 0;
    let rows = state
        .store
        .offers(
            OfferKind::Multiparty,
            Scope::Due {
                every: names(&["InProgressForPartner", "InProgressForCustomer"]),
                past_accept_by: names(&["PendingAcceptance"]),
                past_end: names(&["Accepted", "Expired"]),
                today: now.date_naive(),
            },
        )
        .await?;
    for row in rows {
        let loaded = match multiparty::load(state, &row.id).await {
            Ok(loaded) => loaded,
            Err(error) => {
                tracing::warn!(offer = %row.id, %error, "worker could not read an offer");
                continue;
            }
        };
        let change = match multiparty::worker_step(&loaded, now, delay) {
            Ok(Some(change)) => change,
            Ok(None) => continue,
            Err(error) => {
                tracing::warn!(offer = %row.id, %error, "worker could not move an offer");
                continue;
            }
        };
        if state.store.apply(change, now).await? == Applied::Done {
            moved += 1;
        }
    }
    let rows = state
        .store
        .offers(
            OfferKind::Csp,
            Scope::Due {
                every: names(&["InProgress"]),
                past_accept_by: Vec::new(),
                past_end: names(&["Live"]),
                today: now.date_naive(),
            },
        )
        .await?;
    for row in rows {
        match csp::worker_step(state, &row.id, now, delay).await {
            Ok(Some(change)) => {
                if state.store.apply(change, now).await? == Applied::Done {
                    moved += 1;
                }
            }
            Ok(None) => {}
            Err(error) => tracing::warn!(offer = %row.id, %error, "worker could not move an offer"),
        }
    }
    for (kind, past_accept_by, past_end) in [
        (OfferKind::CppoBuyerOffer, names(&["Published"]), Vec::new()),
        (OfferKind::CppoAuthorization, Vec::new(), names(&["Active"])),
    ] {
        let scope = Scope::Due {
            every: Vec::new(),
            past_accept_by,
            past_end,
            today: now.date_naive(),
        };
        let rows = state.store.offers(kind, scope).await?;
        for row in rows {
            match cppo::worker_step(state, &row, now.date_naive()).await {
                Ok(Some(change)) => {
                    if state.store.apply(change, now).await? == Applied::Done {
                        moved += 1;
                    }
                }
                Ok(None) => {}
                Err(error) => {
                    tracing::warn!(offer = %row.id, %error, "worker could not move an offer")
                }
            }
        }
    }
    Ok(moved)
}

/// Runs [`tick`] every `every` until the runtime stops.
pub fn spawn(state: AppState, every: Duration) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            match tick(&state).await {
                Ok(0) => {}
                Ok(moved) => tracing::info!(moved, "publishing worker moved offers"),
                Err(error) => tracing::error!(%error, "publishing worker failed"),
            }
        }
    })
}
