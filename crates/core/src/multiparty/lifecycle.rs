//! The multiparty offer's state machine (SPEC "Program rules"): `(status, actor, action, facts,
//! today)` gives the outcome, or a refusal listing what the actor may do instead.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Cancellation, MultipartyOffer, PurchaseStatus, Side};
use crate::lifecycle::{decide_or_refuse, Actor, Outcome, Refusal};
use crate::party::{Eligibility, PartnerProfile};

/// Where a multiparty offer stands. Both In Progress steps read "In progress" to people; they
/// are kept apart so publishing knows where the offer goes next.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum MultipartyStatus {
    /// Being written by the ISV.
    Draft,
    /// Submitted by the ISV; being published to the partner.
    InProgressForPartner,
    /// Available for the partner to update and send to the customer.
    PendingPartnerAction,
    /// Submitted by the partner; being published to the customer.
    InProgressForCustomer,
    /// Waiting for the customer to accept through the link.
    PendingAcceptance,
    /// Accepted by the customer; nothing changes but a cancellation.
    Accepted,
    /// Not accepted by the accept-by date.
    Expired,
    /// Past its end date.
    Ended,
    /// Cancelled after acceptance.
    Cancelled,
}

impl MultipartyStatus {
    /// Every status.
    pub const ALL: [MultipartyStatus; 9] = [
        MultipartyStatus::Draft,
        MultipartyStatus::InProgressForPartner,
        MultipartyStatus::PendingPartnerAction,
        MultipartyStatus::InProgressForCustomer,
        MultipartyStatus::PendingAcceptance,
        MultipartyStatus::Accepted,
        MultipartyStatus::Expired,
        MultipartyStatus::Ended,
        MultipartyStatus::Cancelled,
    ];

    /// The status as the seeds name it.
    pub fn label(self) -> &'static str {
        match self {
            MultipartyStatus::Draft => "Draft",
            MultipartyStatus::InProgressForPartner | MultipartyStatus::InProgressForCustomer => {
                "In progress"
            }
            MultipartyStatus::PendingPartnerAction => "Pending partner action",
            MultipartyStatus::PendingAcceptance => "Pending acceptance",
            MultipartyStatus::Accepted => "Accepted",
            MultipartyStatus::Expired => "Expired",
            MultipartyStatus::Ended => "Ended",
            MultipartyStatus::Cancelled => "Cancelled",
        }
    }

    /// Whether notification contacts are told on reaching this status.
    pub fn notifies_contacts(self) -> bool {
        matches!(
            self,
            MultipartyStatus::PendingPartnerAction
                | MultipartyStatus::PendingAcceptance
                | MultipartyStatus::Accepted
                | MultipartyStatus::Expired
        )
    }

    /// Which side may edit its part now: the ISV in Draft, the partner while the offer waits
    /// for it.
    pub fn editable_by(self) -> Option<Side> {
        match self {
            MultipartyStatus::Draft => Some(Side::Isv),
            MultipartyStatus::PendingPartnerAction => Some(Side::Partner),
            _ => None,
        }
    }
}

/// What someone does to a multiparty offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MultipartyAction {
    /// ISV: send the draft to the partner. Partner: send the offer to the customer.
    Submit,
    /// System: finish an In Progress step.
    Publish,
    /// ISV: back to Draft from Pending partner action. Partner: back to Pending partner action
    /// from Pending acceptance or Expired.
    Withdraw,
    /// ISV: delete a draft.
    Delete,
    /// Customer (owner, contributor or signatory): accept on or before the accept-by date.
    Accept,
    /// System: the accept-by date passed without acceptance.
    Expire,
    /// System: the customer end date passed.
    End,
    /// ISV or partner: cancel an accepted offer with a confirmed cancellation request.
    Cancel,
    /// ISV: start a new draft from this offer (any status).
    Clone,
    /// ISV: start a linked upgrade of an Accepted or Ended offer at renewal.
    Upgrade,
}

impl MultipartyAction {
    /// Every action.
    pub const ALL: [MultipartyAction; 10] = [
        MultipartyAction::Submit,
        MultipartyAction::Publish,
        MultipartyAction::Withdraw,
        MultipartyAction::Delete,
        MultipartyAction::Accept,
        MultipartyAction::Expire,
        MultipartyAction::End,
        MultipartyAction::Cancel,
        MultipartyAction::Clone,
        MultipartyAction::Upgrade,
    ];
}

/// What the state machine needs to know besides the status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartyFacts {
    /// The last day the customer may accept.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// The customer end date.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub customer_end: NaiveDate,
    /// Whether the partner may submit to its customer today.
    pub partner_submit: Eligibility,
    /// The purchase status of each SaaS product bought under the offer.
    pub purchases: Vec<PurchaseStatus>,
    /// The cancellation request, if one was made.
    pub cancellation: Option<Cancellation>,
}

impl MultipartyFacts {
    /// The facts of `offer` on `today` for its selling partner.
    pub fn of(offer: &MultipartyOffer, partner: &PartnerProfile, today: NaiveDate) -> Self {
        MultipartyFacts {
            accept_by: offer.isv.accept_by,
            customer_end: offer.isv.customer_end,
            partner_submit: partner.multiparty_submit(today),
            purchases: offer.purchases.iter().map(|p| p.status).collect(),
            cancellation: offer.cancellation.clone(),
        }
    }
}

/// Every move the diagram allows, as `(from, action, to)`; clone and upgrade leave the source
/// as it is and delete removes it, so they are not listed.
pub const EDGES: [(MultipartyStatus, MultipartyAction, MultipartyStatus); 12] = {
    use MultipartyAction as A;
    use MultipartyStatus as S;
    [
        (S::Draft, A::Submit, S::InProgressForPartner),
        (S::InProgressForPartner, A::Publish, S::PendingPartnerAction),
        (S::PendingPartnerAction, A::Withdraw, S::Draft),
        (S::PendingPartnerAction, A::Submit, S::InProgressForCustomer),
        (S::InProgressForCustomer, A::Publish, S::PendingAcceptance),
        (S::PendingAcceptance, A::Withdraw, S::PendingPartnerAction),
        (S::Expired, A::Withdraw, S::PendingPartnerAction),
        (S::PendingAcceptance, A::Accept, S::Accepted),
        (S::PendingAcceptance, A::Expire, S::Expired),
        (S::Accepted, A::End, S::Ended),
        (S::Expired, A::End, S::Ended),
        (S::Accepted, A::Cancel, S::Cancelled),
    ]
};

/// Applies `action` by `actor` to an offer in `status` on `today`.
pub fn transition(
    status: MultipartyStatus,
    actor: Actor,
    action: MultipartyAction,
    facts: &MultipartyFacts,
    today: NaiveDate,
) -> Result<Outcome<MultipartyStatus>, Refusal<MultipartyAction>> {
    decide_or_refuse(action, &MultipartyAction::ALL, |action| {
        decide(status, actor, action, facts, today)
    })
}

/// Every action `actor` may take now, in [`MultipartyAction::ALL`]'s order: what a refusal of
/// [`transition`] lists, each action decided once (a list page asks this of every offer).
pub fn allowed_actions(
    status: MultipartyStatus,
    actor: Actor,
    facts: &MultipartyFacts,
    today: NaiveDate,
) -> Vec<MultipartyAction> {
    MultipartyAction::ALL
        .into_iter()
        .filter(|action| decide(status, actor, *action, facts, today).is_ok())
        .collect()
}

/// The date-driven move due on `today`, if any (the worker applies it as [`Actor::System`]).
pub fn due(
    status: MultipartyStatus,
    facts: &MultipartyFacts,
    today: NaiveDate,
) -> Option<MultipartyAction> {
    [MultipartyAction::Expire, MultipartyAction::End]
        .into_iter()
        .find(|action| decide(status, Actor::System, *action, facts, today).is_ok())
}

fn decide(
    status: MultipartyStatus,
    actor: Actor,
    action: MultipartyAction,
    facts: &MultipartyFacts,
    today: NaiveDate,
) -> Result<Outcome<MultipartyStatus>, String> {
    use MultipartyAction as A;
    use MultipartyStatus as S;
    let label = status.label();
    let now = |to| Ok(Outcome::Now(to));
    match (action, actor) {
        (A::Submit, Actor::Isv) => match status {
            S::Draft => now(S::InProgressForPartner),
            _ => Err(format!(
                "Once submitted the offer is locked for edits; it is {label}, not Draft."
            )),
        },
        (A::Submit, Actor::Partner) => match status {
            S::PendingPartnerAction => match &facts.partner_submit {
                Eligibility::Eligible => now(S::InProgressForCustomer),
                Eligibility::NotEligible { reason } => Err(reason.clone()),
            },
            _ => Err(format!(
                "The partner submits an offer that is Pending partner action; it is {label}."
            )),
        },
        (A::Publish, Actor::System) => match status {
            S::InProgressForPartner => now(S::PendingPartnerAction),
            S::InProgressForCustomer => now(S::PendingAcceptance),
            _ => Err(format!("Only an offer in progress is published; it is {label}.")),
        },
        (A::Withdraw, Actor::Isv) => match status {
            S::PendingPartnerAction => now(S::Draft),
            S::PendingAcceptance | S::Expired => Err(
                "The ISV can't withdraw the offer while it is with the customer; ask the selling partner to withdraw it first."
                    .into(),
            ),
            _ => Err(format!(
                "The ISV can withdraw the offer only while it is Pending partner action; it is {label}."
            )),
        },
        (A::Withdraw, Actor::Partner) => match status {
            S::PendingAcceptance | S::Expired => now(S::PendingPartnerAction),
            _ => Err(format!(
                "The partner can withdraw the offer only while it is Pending acceptance or Expired; it is {label}."
            )),
        },
        (A::Delete, Actor::Isv) => match status {
            S::Draft => Ok(Outcome::Deleted),
            _ => Err(format!("Only a Draft can be deleted; this offer is {label}.")),
        },
        (A::Accept, Actor::Customer(role)) => {
            if !role.may_accept() {
                Err("Only an owner, contributor or signatory on the billing account can accept the offer.".into())
            } else if status != S::PendingAcceptance {
                Err(format!("Only an offer pending acceptance can be accepted; it is {label}."))
            } else if today > facts.accept_by {
                Err(format!(
                    "The offer had to be accepted by {}.",
                    facts.accept_by
                ))
            } else {
                now(S::Accepted)
            }
        }
        (A::Expire, Actor::System) => match status {
            S::PendingAcceptance if today > facts.accept_by => now(S::Expired),
            S::PendingAcceptance => Err(format!(
                "The offer can be accepted until {}.",
                facts.accept_by
            )),
            _ => Err(format!("Only an offer pending acceptance expires; it is {label}.")),
        },
        (A::End, Actor::System) => match status {
            S::Accepted | S::Expired if today > facts.customer_end => now(S::Ended),
            S::Accepted | S::Expired => Err(format!(
                "The offer runs until {}.",
                facts.customer_end
            )),
            _ => Err(format!("Only an accepted or expired offer ends; it is {label}.")),
        },
        (A::Cancel, Actor::Isv | Actor::Partner) => {
            let side = if actor == Actor::Isv { Side::Isv } else { Side::Partner };
            if status != S::Accepted {
                return Err(format!("Only an accepted offer is cancelled; it is {label}."));
            }
            let Some(request) = &facts.cancellation else {
                return Err("Request the cancellation first, with its reason.".into());
            };
            if request.requested_by != side {
                Err("The side that requested the cancellation submits it.".into())
            } else if request.reason.trim().is_empty() {
                Err("Give the reason for the cancellation.".into())
            } else if !request.other_side_confirmed {
                Err("The other partner must confirm the cancellation in writing.".into())
            } else if !request.customer_confirmed {
                Err("The customer must confirm the cancellation in writing.".into())
            } else if facts
                .purchases
                .iter()
                .any(|purchase| *purchase != PurchaseStatus::Unsubscribed)
            {
                Err("The customer must first unsubscribe from every product it purchased under the offer.".into())
            } else {
                now(S::Cancelled)
            }
        }
        (A::Clone, Actor::Isv) => now(status),
        (A::Upgrade, Actor::Isv) => match status {
            S::Accepted | S::Ended => now(status),
            _ => Err(format!(
                "Only an Accepted or Ended offer can be upgraded at renewal; it is {label}."
            )),
        },
        (action, actor) => Err(format!("{} can't {} a multiparty offer.", who(actor), verb(action))),
    }
}

fn who(actor: Actor) -> &'static str {
    match actor {
        Actor::Isv => "The ISV",
        Actor::Partner => "The selling partner",
        Actor::Customer(_) => "The customer",
        Actor::System => "Publishing",
    }
}

fn verb(action: MultipartyAction) -> &'static str {
    match action {
        MultipartyAction::Submit => "submit",
        MultipartyAction::Publish => "publish",
        MultipartyAction::Withdraw => "withdraw",
        MultipartyAction::Delete => "delete",
        MultipartyAction::Accept => "accept",
        MultipartyAction::Expire => "expire",
        MultipartyAction::End => "end",
        MultipartyAction::Cancel => "cancel",
        MultipartyAction::Clone => "clone",
        MultipartyAction::Upgrade => "upgrade",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::BillingAccountRole;
    use proptest::prelude::*;
    use MultipartyAction as A;
    use MultipartyStatus as S;

    const OWNER: Actor = Actor::Customer(BillingAccountRole::Owner);
    const READER: Actor = Actor::Customer(BillingAccountRole::Reader);

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn facts() -> MultipartyFacts {
        MultipartyFacts {
            accept_by: date("2026-12-15"),
            customer_end: date("2027-12-31"),
            partner_submit: Eligibility::Eligible,
            purchases: vec![],
            cancellation: None,
        }
    }

    fn today() -> NaiveDate {
        date("2026-12-01")
    }

    fn confirmed(by: Side) -> Cancellation {
        Cancellation {
            requested_by: by,
            reason: "Wrong plan".into(),
            other_side_confirmed: true,
            customer_confirmed: true,
        }
    }

    #[test]
    fn the_allowed_actions_are_those_a_transition_allows() {
        let actors = [Actor::Isv, Actor::Partner, OWNER, READER, Actor::System];
        let mut eligibility = facts();
        eligibility.partner_submit = Eligibility::NotEligible {
            reason: "No tax profile.".into(),
        };
        for facts in [facts(), eligibility] {
            for day in [today(), date("2028-01-01")] {
                for status in S::ALL {
                    for actor in actors {
                        let expected: Vec<MultipartyAction> = MultipartyAction::ALL
                            .into_iter()
                            .filter(|action| {
                                transition(status, actor, *action, &facts, day).is_ok()
                            })
                            .collect();
                        assert_eq!(allowed_actions(status, actor, &facts, day), expected);
                    }
                }
            }
        }
    }

    #[test]
    fn every_edge_of_the_diagram_is_allowed_to_its_actor_only() {
        let late = date("2028-01-01");
        for (from, action, to) in EDGES {
            let mut facts = facts();
            let mut day = today();
            let actor = match (from, action) {
                (_, A::Submit | A::Delete | A::Clone | A::Upgrade) if from == S::Draft => {
                    Actor::Isv
                }
                (S::PendingPartnerAction, A::Withdraw) => Actor::Isv,
                (_, A::Submit | A::Withdraw) => Actor::Partner,
                (_, A::Accept) => OWNER,
                (_, A::Cancel) => {
                    facts.cancellation = Some(confirmed(Side::Isv));
                    Actor::Isv
                }
                (_, A::Expire | A::End) => {
                    day = late;
                    Actor::System
                }
                _ => Actor::System,
            };
            assert_eq!(
                transition(from, actor, action, &facts, day),
                Ok(Outcome::Now(to)),
                "{from:?} {action:?} by {actor:?}"
            );
            for other in Actor::ALL {
                let allowed = transition(from, other, action, &facts, day).is_ok();
                let same_permission = other == actor
                    || (matches!(actor, Actor::Customer(r) if r.may_accept())
                        && matches!(other, Actor::Customer(r) if r.may_accept()));
                assert_eq!(allowed, same_permission, "{from:?} {action:?} by {other:?}");
            }
        }
    }

    #[test]
    fn refusals_say_why_and_list_the_allowed_actions() {
        let table: [(S, Actor, A, &str, &[A]); 10] = [
            (
                S::PendingAcceptance,
                Actor::Isv,
                A::Withdraw,
                "selling partner to withdraw",
                &[A::Clone],
            ),
            (
                S::Accepted,
                Actor::Isv,
                A::Withdraw,
                "only while it is Pending partner action",
                &[A::Clone, A::Upgrade],
            ),
            (
                S::Draft,
                Actor::Partner,
                A::Withdraw,
                "Pending acceptance or Expired",
                &[],
            ),
            (
                S::Accepted,
                Actor::Partner,
                A::Withdraw,
                "Pending acceptance or Expired",
                &[],
            ),
            (
                S::PendingPartnerAction,
                Actor::Isv,
                A::Delete,
                "Only a Draft",
                &[A::Withdraw, A::Clone],
            ),
            (S::Draft, Actor::Partner, A::Delete, "can't delete", &[]),
            (
                S::PendingAcceptance,
                READER,
                A::Accept,
                "owner, contributor or signatory",
                &[],
            ),
            (
                S::PendingPartnerAction,
                OWNER,
                A::Accept,
                "pending acceptance",
                &[],
            ),
            (
                S::Draft,
                Actor::Isv,
                A::Upgrade,
                "Accepted or Ended",
                &[A::Submit, A::Delete, A::Clone],
            ),
            (
                S::Ended,
                Actor::Isv,
                A::Submit,
                "locked for edits",
                &[A::Clone, A::Upgrade],
            ),
        ];
        for (status, actor, action, reason, allowed) in table {
            let refusal = transition(status, actor, action, &facts(), today()).unwrap_err();
            assert!(
                refusal.reason.contains(reason),
                "{status:?} {action:?}: {}",
                refusal.reason
            );
            assert_eq!(refusal.allowed_actions, allowed, "{status:?} {action:?}");
        }
    }

    #[test]
    fn a_partner_submits_only_when_eligible() {
        let mut facts = facts();
        facts.partner_submit = Eligibility::NotEligible {
            reason: "Your resale certificates must be on file".into(),
        };
        let refusal = transition(
            S::PendingPartnerAction,
            Actor::Partner,
            A::Submit,
            &facts,
            today(),
        )
        .unwrap_err();
        assert!(refusal.reason.contains("resale certificates"));
        assert!(refusal.allowed_actions.is_empty());
    }

    #[test]
    fn acceptance_closes_after_the_accept_by_date() {
        for (day, accepted, expires) in [
            ("2026-12-14", true, false),
            ("2026-12-15", true, false),
            ("2026-12-16", false, true),
        ] {
            let day = date(day);
            assert_eq!(
                transition(S::PendingAcceptance, OWNER, A::Accept, &facts(), day).is_ok(),
                accepted
            );
            assert_eq!(
                transition(
                    S::PendingAcceptance,
                    Actor::System,
                    A::Expire,
                    &facts(),
                    day
                )
                .is_ok(),
                expires
            );
            assert_eq!(due(S::PendingAcceptance, &facts(), day).is_some(), expires);
        }
    }

    #[test]
    fn an_offer_ends_after_its_end_date() {
        for (day, ends) in [
            ("2027-12-30", false),
            ("2027-12-31", false),
            ("2028-01-01", true),
        ] {
            for status in [S::Accepted, S::Expired] {
                assert_eq!(
                    transition(status, Actor::System, A::End, &facts(), date(day)).is_ok(),
                    ends
                );
            }
        }
        assert_eq!(due(S::Accepted, &facts(), date("2028-01-01")), Some(A::End));
        assert_eq!(due(S::Draft, &facts(), date("2028-01-01")), None);
    }

    #[test]
    fn cancellation_needs_reason_confirmations_and_no_live_purchase() {
        let cancel = |cancellation: Option<Cancellation>, purchases: Vec<PurchaseStatus>, actor| {
            let facts = MultipartyFacts {
                cancellation,
                purchases,
                ..facts()
            };
            transition(S::Accepted, actor, A::Cancel, &facts, today())
        };
        assert!(cancel(Some(confirmed(Side::Isv)), vec![], Actor::Isv).is_ok());
        assert!(cancel(Some(confirmed(Side::Partner)), vec![], Actor::Partner).is_ok());
        assert!(cancel(
            Some(confirmed(Side::Isv)),
            vec![PurchaseStatus::Unsubscribed, PurchaseStatus::Unsubscribed],
            Actor::Isv
        )
        .is_ok());
        let refused = [
            (None, vec![], Actor::Isv, "Request the cancellation"),
            (
                Some(confirmed(Side::Partner)),
                vec![],
                Actor::Isv,
                "requested the cancellation",
            ),
            (
                Some(Cancellation {
                    reason: " ".into(),
                    ..confirmed(Side::Isv)
                }),
                vec![],
                Actor::Isv,
                "reason",
            ),
            (
                Some(Cancellation {
                    other_side_confirmed: false,
                    ..confirmed(Side::Isv)
                }),
                vec![],
                Actor::Isv,
                "other partner",
            ),
            (
                Some(Cancellation {
                    customer_confirmed: false,
                    ..confirmed(Side::Isv)
                }),
                vec![],
                Actor::Isv,
                "customer must confirm",
            ),
            (
                Some(confirmed(Side::Isv)),
                vec![PurchaseStatus::Unsubscribed, PurchaseStatus::Suspended],
                Actor::Isv,
                "unsubscribe",
            ),
            (
                Some(confirmed(Side::Isv)),
                vec![PurchaseStatus::Subscribed],
                Actor::Isv,
                "unsubscribe",
            ),
            (
                Some(confirmed(Side::Isv)),
                vec![PurchaseStatus::PendingFulfillmentStart],
                Actor::Isv,
                "unsubscribe",
            ),
            (Some(confirmed(Side::Isv)), vec![], OWNER, "can't cancel"),
        ];
        for (cancellation, purchases, actor, reason) in refused {
            let refusal = cancel(cancellation, purchases, actor).unwrap_err();
            assert!(refusal.reason.contains(reason), "{}", refusal.reason);
        }
        for status in [S::PendingAcceptance, S::Ended, S::Cancelled] {
            let facts = MultipartyFacts {
                cancellation: Some(confirmed(Side::Isv)),
                ..facts()
            };
            assert!(transition(status, Actor::Isv, A::Cancel, &facts, today()).is_err());
        }
    }

    #[test]
    fn clone_from_any_status_upgrade_from_accepted_or_ended() {
        for status in S::ALL {
            assert_eq!(
                transition(status, Actor::Isv, A::Clone, &facts(), today()),
                Ok(Outcome::Now(status))
            );
            assert!(transition(status, Actor::Partner, A::Clone, &facts(), today()).is_err());
            assert_eq!(
                transition(status, Actor::Isv, A::Upgrade, &facts(), today()).is_ok(),
                matches!(status, S::Accepted | S::Ended)
            );
        }
    }

    #[test]
    fn delete_only_drafts_by_the_isv() {
        for status in S::ALL {
            for actor in Actor::ALL {
                let allowed = transition(status, actor, A::Delete, &facts(), today()).is_ok();
                assert_eq!(allowed, status == S::Draft && actor == Actor::Isv);
            }
        }
        assert_eq!(
            transition(S::Draft, Actor::Isv, A::Delete, &facts(), today()),
            Ok(Outcome::Deleted)
        );
    }

    #[test]
    fn labels_and_notifications_follow_the_seeds() {
        assert_eq!(S::InProgressForCustomer.label(), "In progress");
        let notified: Vec<_> = S::ALL
            .into_iter()
            .filter(|s| s.notifies_contacts())
            .collect();
        assert_eq!(
            notified,
            [
                S::PendingPartnerAction,
                S::PendingAcceptance,
                S::Accepted,
                S::Expired
            ]
        );
        assert_eq!(S::Draft.editable_by(), Some(Side::Isv));
        assert_eq!(S::PendingPartnerAction.editable_by(), Some(Side::Partner));
        assert_eq!(S::PendingAcceptance.editable_by(), None);
    }

    proptest! {
        #[test]
        fn no_sequence_of_actions_leaves_the_diagram(
            steps in proptest::collection::vec(
                (0..Actor::ALL.len(), 0..MultipartyAction::ALL.len(), 0u32..800, any::<bool>(), any::<bool>()),
                0..60,
            )
        ) {
            let start = date("2026-11-01");
            let mut status = S::Draft;
            for (actor, action, day, eligible, cancellation) in steps {
                let actor = Actor::ALL[actor];
                let action = MultipartyAction::ALL[action];
                let facts = MultipartyFacts {
                    partner_submit: if eligible { Eligibility::Eligible } else {
                        Eligibility::NotEligible { reason: "no".into() }
                    },
                    cancellation: cancellation.then(|| confirmed(Side::Isv)),
                    ..facts()
                };
                let day = start + chrono::Days::new(u64::from(day));
                match transition(status, actor, action, &facts, day) {
                    Ok(Outcome::Now(next)) => {
                        prop_assert!(
                            next == status && matches!(action, A::Clone | A::Upgrade)
                                || EDGES.contains(&(status, action, next)),
                            "{:?} -{:?}-> {:?}", status, action, next
                        );
                        status = next;
                    }
                    Ok(Outcome::Deleted) => {
                        prop_assert_eq!(status, S::Draft);
                        status = S::Draft;
                    }
                    Err(refusal) => {
                        prop_assert!(!refusal.allowed_actions.contains(&action));
                        for allowed in refusal.allowed_actions {
                            prop_assert!(transition(status, actor, allowed, &facts, day).is_ok());
                        }
                    }
                }
            }
        }
    }
}
