//! The purchase status of each SaaS product after acceptance (seeds 001, 002): subscribe,
//! configure and activate, suspension for non-payment with a 30-day grace period, and the
//! ISV's 30-day activation deadline.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::PurchaseStatus;
use crate::lifecycle::{decide_or_refuse, Actor, Outcome, Refusal};

/// Days the customer has to pay once suspended, and the ISV has to activate once the customer
/// configured the service.
pub const GRACE_DAYS: u64 = 30;

/// What happens to a purchase.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseEvent {
    /// ISV: activate the configured subscription so that billing can occur.
    Activate,
    /// System: a payment was not received.
    PaymentMissed,
    /// System: the missing payment arrived within the grace period.
    PaymentReceived,
    /// System: the grace period or the activation deadline passed.
    Lapse,
    /// Customer (owner, contributor or signatory): cancel the subscription.
    Cancel,
    /// System: the subscription's term ran out.
    Expire,
}

impl PurchaseEvent {
    /// Every event.
    pub const ALL: [PurchaseEvent; 6] = [
        PurchaseEvent::Activate,
        PurchaseEvent::PaymentMissed,
        PurchaseEvent::PaymentReceived,
        PurchaseEvent::Lapse,
        PurchaseEvent::Cancel,
        PurchaseEvent::Expire,
    ];
}

/// Applies `event` by `actor` to a purchase that has been in `status` since `since`.
pub fn purchase_transition(
    status: PurchaseStatus,
    actor: Actor,
    event: PurchaseEvent,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<Outcome<PurchaseStatus>, Refusal<PurchaseEvent>> {
    decide_or_refuse(event, &PurchaseEvent::ALL, |event| {
        decide(status, actor, event, since, today)
    })
}

fn decide(
    status: PurchaseStatus,
    actor: Actor,
    event: PurchaseEvent,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<Outcome<PurchaseStatus>, String> {
    use PurchaseEvent as E;
    use PurchaseStatus as P;
    let deadline = since.checked_add_days(Days::new(GRACE_DAYS));
    let lapsed = deadline.is_some_and(|deadline| today > deadline);
    let now = |status| Ok(Outcome::Now(status));
    match (event, actor, status) {
        (E::Activate, Actor::Isv, P::PendingFulfillmentStart) if !lapsed => now(P::Subscribed),
        (E::Activate, Actor::Isv, P::PendingFulfillmentStart) => Err(format!(
            "The {GRACE_DAYS}-day activation deadline has passed; the customer must subscribe again."
        )),
        (E::PaymentMissed, Actor::System, P::Subscribed) => now(P::Suspended),
        (E::PaymentReceived, Actor::System, P::Suspended) if !lapsed => now(P::Subscribed),
        (E::Lapse, Actor::System, P::Suspended | P::PendingFulfillmentStart) if lapsed => {
            now(P::Unsubscribed)
        }
        (E::Lapse, Actor::System, P::Suspended | P::PendingFulfillmentStart) => Err(format!(
            "The {GRACE_DAYS}-day period has not passed yet."
        )),
        (E::Cancel, Actor::Customer(role), _) if !role.may_accept() => Err(
            "Only an owner, contributor or signatory on the billing account can cancel.".into(),
        ),
        (E::Cancel, Actor::Customer(_), P::PendingFulfillmentStart | P::Subscribed | P::Suspended)
        | (E::Expire, Actor::System, P::Subscribed | P::Suspended) => now(P::Unsubscribed),
        _ => Err(format!("This can't happen to a purchase that is {status:?}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::BillingAccountRole;
    use PurchaseEvent as E;
    use PurchaseStatus as P;

    const OWNER: Actor = Actor::Customer(BillingAccountRole::Owner);

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn every_move_of_a_purchase() {
        let since = date("2027-01-01");
        let within = date("2027-01-31");
        let after = date("2027-02-01");
        #[rustfmt::skip]
        let table = [
            (P::PendingFulfillmentStart, Actor::Isv, E::Activate, within, Some(P::Subscribed)),
            (P::PendingFulfillmentStart, Actor::Isv, E::Activate, after, None),
            (P::PendingFulfillmentStart, Actor::System, E::Lapse, within, None),
            (P::PendingFulfillmentStart, Actor::System, E::Lapse, after, Some(P::Unsubscribed)),
            (P::PendingFulfillmentStart, OWNER, E::Cancel, within, Some(P::Unsubscribed)),
            (P::Subscribed, Actor::System, E::PaymentMissed, within, Some(P::Suspended)),
            (P::Subscribed, Actor::System, E::Expire, within, Some(P::Unsubscribed)),
            (P::Subscribed, OWNER, E::Cancel, within, Some(P::Unsubscribed)),
            (P::Subscribed, Actor::Customer(BillingAccountRole::Reader), E::Cancel, within, None),
            (P::Subscribed, Actor::Isv, E::Activate, within, None),
            (P::Suspended, Actor::System, E::PaymentReceived, within, Some(P::Subscribed)),
            (P::Suspended, Actor::System, E::PaymentReceived, after, None),
            (P::Suspended, Actor::System, E::Lapse, within, None),
            (P::Suspended, Actor::System, E::Lapse, after, Some(P::Unsubscribed)),
            (P::Unsubscribed, OWNER, E::Cancel, within, None),
            (P::Unsubscribed, Actor::System, E::PaymentMissed, within, None),
        ];
        for (status, actor, event, today, expected) in table {
            let result = purchase_transition(status, actor, event, since, today);
            assert_eq!(
                result.as_ref().ok().and_then(Outcome::status),
                expected,
                "{status:?} {event:?} by {actor:?} on {today}: {result:?}"
            );
        }
    }

    #[test]
    fn unsubscribed_is_final() {
        for actor in Actor::ALL {
            for event in PurchaseEvent::ALL {
                let result = purchase_transition(
                    P::Unsubscribed,
                    actor,
                    event,
                    date("2027-01-01"),
                    date("2027-06-01"),
                );
                assert!(result.is_err());
            }
        }
    }
}
