//! What every program's state machine shares: who acts, what a refusal says, and the outcome of
//! an action. Time is always passed in; nothing here reads a clock.

use serde::{Deserialize, Serialize};

use crate::party::BillingAccountRole;

/// Who performs an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "party",
    content = "role",
    rename_all = "snake_case",
    try_from = "ActorWire"
)]
pub enum Actor {
    /// The ISV (publisher, originator of the offer).
    Isv,
    /// The CSP, selling or consulting partner.
    Partner,
    /// A customer user with a role on the billing account.
    Customer(BillingAccountRole),
    /// The publishing worker and the calendar (In Progress steps, Expired, Ended).
    System,
}

/// An [`Actor`] on the wire, read from a flat object (see [`crate::field::required`]).
#[derive(Deserialize)]
struct ActorWire {
    party: Party,
    #[serde(default)]
    role: Option<BillingAccountRole>,
}

/// The `party` tag of an [`Actor`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Party {
    Isv,
    Partner,
    Customer,
    System,
}

impl TryFrom<ActorWire> for Actor {
    type Error = String;

    fn try_from(wire: ActorWire) -> Result<Self, String> {
        Ok(match wire.party {
            Party::Isv => Actor::Isv,
            Party::Partner => Actor::Partner,
            Party::Customer => Actor::Customer(crate::field::required(wire.role, "role")?),
            Party::System => Actor::System,
        })
    }
}

impl Actor {
    /// How a refusal names the actor ("The ISV can't delete ...").
    pub fn name(self) -> &'static str {
        match self {
            Actor::Isv => "The ISV",
            Actor::Partner => "The partner",
            Actor::Customer(_) => "The customer",
            Actor::System => "Publishing",
        }
    }

    /// Every actor, for tables and property tests.
    pub const ALL: [Actor; 7] = [
        Actor::Isv,
        Actor::Partner,
        Actor::Customer(BillingAccountRole::Owner),
        Actor::Customer(BillingAccountRole::Contributor),
        Actor::Customer(BillingAccountRole::Signatory),
        Actor::Customer(BillingAccountRole::Reader),
        Actor::System,
    ];
}

/// The result of an allowed action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "status", rename_all = "snake_case")]
pub enum Outcome<S> {
    /// The record now has this status (unchanged for clone and upgrade, which make a new offer).
    Now(S),
    /// The record is deleted.
    Deleted,
}

impl<S: Clone> Outcome<S> {
    /// The new status, or `None` after a delete.
    pub fn status(&self) -> Option<S> {
        match self {
            Outcome::Now(status) => Some(status.clone()),
            Outcome::Deleted => None,
        }
    }
}

/// Why an action was refused, and what this actor may do instead (the API answers 409 with it).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Refusal<A> {
    /// What stands in the way, for a person.
    pub reason: String,
    /// The actions this actor may take now.
    pub allowed_actions: Vec<A>,
}

/// Runs `decide`, and on a refusal lists every action of `all` that `decide` would allow.
pub(crate) fn decide_or_refuse<A: Copy, T>(
    action: A,
    all: &[A],
    decide: impl Fn(A) -> Result<T, String>,
) -> Result<T, Refusal<A>> {
    decide(action).map_err(|reason| Refusal {
        reason,
        allowed_actions: all
            .iter()
            .copied()
            .filter(|other| decide(*other).is_ok())
            .collect(),
    })
}
