//! The two CPPO state machines: the resale authorization (Draft, Active, Used, Ended) and the
//! buyer offer (Draft, Published, Accepted, Expired).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::lifecycle::{decide_or_refuse, Actor, Outcome, Refusal};

/// Where a resale authorization stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum AuthorizationStatus {
    /// Being written by the ISV.
    Draft,
    /// Signed by both: the partner may make buyer offers under it.
    Active,
    /// A non-recurring authorization whose one buyer offer was published: no other offer may be
    /// made under it, and that one offer may still be accepted.
    Used,
    /// Ended by date or by either party.
    Ended,
}

impl AuthorizationStatus {
    /// Every status.
    pub const ALL: [AuthorizationStatus; 4] = [
        AuthorizationStatus::Draft,
        AuthorizationStatus::Active,
        AuthorizationStatus::Used,
        AuthorizationStatus::Ended,
    ];

    /// The status as people read it, in the seeds' words.
    pub fn label(self) -> &'static str {
        match self {
            AuthorizationStatus::Draft => "Draft",
            AuthorizationStatus::Active => "Active",
            AuthorizationStatus::Used => "Used",
            AuthorizationStatus::Ended => "Ended",
        }
    }

    /// Whether the ISV may still change the terms: only a draft, since the partner agrees to
    /// (and sells under) the terms of an active one.
    pub fn editable(self) -> bool {
        self == AuthorizationStatus::Draft
    }
}

/// What someone does to a resale authorization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AuthorizationAction {
    /// ISV: make the signed draft active.
    Activate,
    /// System: the partner published a buyer offer under it (a non-recurring one is then used
    /// up, by that offer).
    Use,
    /// ISV or partner: end it.
    End,
    /// System: a recurring authorization's last day passed.
    Expire,
    /// ISV: delete a draft.
    Delete,
}

impl AuthorizationAction {
    /// Every action.
    pub const ALL: [AuthorizationAction; 5] = [
        AuthorizationAction::Activate,
        AuthorizationAction::Use,
        AuthorizationAction::End,
        AuthorizationAction::Expire,
        AuthorizationAction::Delete,
    ];
}

/// What the authorization's state machine needs besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationFacts {
    /// Whether it is recurring.
    pub recurring: bool,
    /// A recurring authorization's last day, if not indefinite.
    #[serde(default, deserialize_with = "crate::field::optional_iso_date")]
    pub until: Option<NaiveDate>,
}

/// The authorization's moves as `(from, action, to)`; a recurring one stays Active when used.
pub const AUTHORIZATION_EDGES: [(
    AuthorizationStatus,
    AuthorizationAction,
    AuthorizationStatus,
); 5] = {
    use AuthorizationAction as A;
    use AuthorizationStatus as S;
    [
        (S::Draft, A::Activate, S::Active),
        (S::Active, A::Use, S::Used),
        (S::Active, A::Use, S::Active),
        (S::Active, A::End, S::Ended),
        (S::Active, A::Expire, S::Ended),
    ]
};

/// Applies `action` by `actor` to an authorization in `status` on `today`.
pub fn authorization_transition(
    status: AuthorizationStatus,
    actor: Actor,
    action: AuthorizationAction,
    facts: AuthorizationFacts,
    today: NaiveDate,
) -> Result<Outcome<AuthorizationStatus>, Refusal<AuthorizationAction>> {
    decide_or_refuse(action, &AuthorizationAction::ALL, |action| {
        decide_authorization(status, actor, action, facts, today)
    })
}

fn decide_authorization(
    status: AuthorizationStatus,
    actor: Actor,
    action: AuthorizationAction,
    facts: AuthorizationFacts,
    today: NaiveDate,
) -> Result<Outcome<AuthorizationStatus>, String> {
    use AuthorizationAction as A;
    use AuthorizationStatus as S;
    let past_until = facts.until.is_some_and(|until| today > until);
    let label = status.label();
    match (action, actor) {
        (A::Activate, Actor::Isv) => match status {
            S::Draft => Ok(Outcome::Now(S::Active)),
            _ => Err(format!(
                "Only a draft authorization is activated; it is {label}."
            )),
        },
        (A::Use, Actor::System) => match status {
            S::Active if past_until => Err("The authorization has passed its end date.".into()),
            S::Active if facts.recurring => Ok(Outcome::Now(S::Active)),
            S::Active => Ok(Outcome::Now(S::Used)),
            S::Used => Err("A non-recurring authorization is used once, for its one buyer.".into()),
            _ => Err(format!(
                "Only an active authorization can be used; it is {label}."
            )),
        },
        (A::End, Actor::Isv | Actor::Partner) => match status {
            S::Active => Ok(Outcome::Now(S::Ended)),
            _ => Err(format!(
                "Only an active authorization can be ended; it is {label}."
            )),
        },
        (A::Expire, Actor::System) => match status {
            S::Active if past_until => Ok(Outcome::Now(S::Ended)),
            S::Active => Err("The authorization has not reached its end date.".into()),
            _ => Err(format!(
                "Only an active authorization expires; it is {label}."
            )),
        },
        (A::Delete, Actor::Isv) => match status {
            S::Draft => Ok(Outcome::Deleted),
            _ => Err(format!(
                "Only a draft can be deleted; this authorization is {label}."
            )),
        },
        _ => Err(format!(
            "{} can't {} a resale authorization.",
            actor.name(),
            match action {
                A::Activate => "activate",
                A::Use => "use",
                A::End => "end",
                A::Expire => "expire",
                A::Delete => "delete",
            }
        )),
    }
}

/// Whether the partner may make (or publish) a buyer offer under an authorization in
/// `authorization` status: only an active one; otherwise the reason.
pub fn may_make_buyer_offer(authorization: AuthorizationStatus) -> Result<(), &'static str> {
    match authorization {
        AuthorizationStatus::Active => Ok(()),
        _ => Err("Buyer offers are made from an active resale authorization."),
    }
}

/// The date-driven move due on `today` for an authorization, if any.
pub fn authorization_due(
    status: AuthorizationStatus,
    facts: AuthorizationFacts,
    today: NaiveDate,
) -> Option<AuthorizationAction> {
    decide_authorization(
        status,
        Actor::System,
        AuthorizationAction::Expire,
        facts,
        today,
    )
    .is_ok()
    .then_some(AuthorizationAction::Expire)
}

/// Where a buyer offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum BuyerOfferStatus {
    /// Being written by the partner.
    Draft,
    /// Sent to the buyer through a link.
    Published,
    /// Accepted by the buyer.
    Accepted,
    /// Not accepted by the accept-by date.
    Expired,
}

impl BuyerOfferStatus {
    /// Every status.
    pub const ALL: [BuyerOfferStatus; 4] = [
        BuyerOfferStatus::Draft,
        BuyerOfferStatus::Published,
        BuyerOfferStatus::Accepted,
        BuyerOfferStatus::Expired,
    ];

    /// The status as people read it, in the seeds' words.
    pub fn label(self) -> &'static str {
        match self {
            BuyerOfferStatus::Draft => "Draft",
            BuyerOfferStatus::Published => "Published",
            BuyerOfferStatus::Accepted => "Accepted",
            BuyerOfferStatus::Expired => "Expired",
        }
    }

    /// Whether the partner may still change the offer (its form or its schedule signature):
    /// only a draft, since the buyer sees a published offer as it was published.
    pub fn editable(self) -> bool {
        self == BuyerOfferStatus::Draft
    }
}

/// What someone does to a buyer offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuyerOfferAction {
    /// Partner: send the draft to the buyer.
    Publish,
    /// Buyer (owner, contributor or signatory): accept on or before the accept-by date.
    Accept,
    /// System: the accept-by date passed.
    Expire,
    /// Partner: delete a draft.
    Delete,
}

impl BuyerOfferAction {
    /// Every action.
    pub const ALL: [BuyerOfferAction; 4] = [
        BuyerOfferAction::Publish,
        BuyerOfferAction::Accept,
        BuyerOfferAction::Expire,
        BuyerOfferAction::Delete,
    ];
}

/// What the buyer offer's state machine needs besides its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOfferFacts {
    /// The last day the buyer may accept.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// The status of the authorization the offer is made under.
    pub authorization: AuthorizationStatus,
    /// Whether that authorization is recurring (a non-recurring one is Used by the one offer
    /// published under it).
    pub authorization_recurring: bool,
    /// Whether the offer carries a payment schedule (then both sign it).
    pub has_schedule: bool,
    /// Whether the partner signed the schedule.
    pub partner_signed: bool,
    /// Whether the buyer signed the schedule.
    pub buyer_signed: bool,
}

/// The buyer offer's moves as `(from, action, to)`.
pub const BUYER_OFFER_EDGES: [(BuyerOfferStatus, BuyerOfferAction, BuyerOfferStatus); 3] = [
    (
        BuyerOfferStatus::Draft,
        BuyerOfferAction::Publish,
        BuyerOfferStatus::Published,
    ),
    (
        BuyerOfferStatus::Published,
        BuyerOfferAction::Accept,
        BuyerOfferStatus::Accepted,
    ),
    (
        BuyerOfferStatus::Published,
        BuyerOfferAction::Expire,
        BuyerOfferStatus::Expired,
    ),
];

/// Applies `action` by `actor` to a buyer offer in `status` on `today`. On a publish the caller
/// also applies [`AuthorizationAction::Use`] to the authorization.
pub fn buyer_offer_transition(
    status: BuyerOfferStatus,
    actor: Actor,
    action: BuyerOfferAction,
    facts: BuyerOfferFacts,
    today: NaiveDate,
) -> Result<Outcome<BuyerOfferStatus>, Refusal<BuyerOfferAction>> {
    decide_or_refuse(action, &BuyerOfferAction::ALL, |action| {
        decide_buyer_offer(status, actor, action, facts, today)
    })
}

/// The date-driven move due on `today` for a buyer offer, if any.
pub fn buyer_offer_due(
    status: BuyerOfferStatus,
    facts: BuyerOfferFacts,
    today: NaiveDate,
) -> Option<BuyerOfferAction> {
    decide_buyer_offer(
        status,
        Actor::System,
        BuyerOfferAction::Expire,
        facts,
        today,
    )
    .is_ok()
    .then_some(BuyerOfferAction::Expire)
}

fn decide_buyer_offer(
    status: BuyerOfferStatus,
    actor: Actor,
    action: BuyerOfferAction,
    facts: BuyerOfferFacts,
    today: NaiveDate,
) -> Result<Outcome<BuyerOfferStatus>, String> {
    use BuyerOfferAction as A;
    use BuyerOfferStatus as S;
    let label = status.label();
    let authorization_active = facts.authorization == AuthorizationStatus::Active;
    // Publishing is what uses a non-recurring authorization, and it can be used only once, so a
    // published offer under a Used non-recurring authorization is the very offer that used it.
    let authorization_stands = authorization_active
        || (status == S::Published
            && !facts.authorization_recurring
            && facts.authorization == AuthorizationStatus::Used);
    match (action, actor) {
        (A::Publish, Actor::Partner) => {
            if status != S::Draft {
                Err(format!("Only a draft is published; this offer is {label}."))
            } else if let Err(reason) = may_make_buyer_offer(facts.authorization) {
                Err(reason.into())
            } else if facts.has_schedule && !facts.partner_signed {
                Err("Sign the payment schedule before publishing the offer.".into())
            } else if today > facts.accept_by {
                Err("The accept-by date has already passed.".into())
            } else {
                Ok(Outcome::Now(S::Published))
            }
        }
        (A::Accept, Actor::Customer(role)) => {
            if !role.may_accept() {
                Err("Only an owner, contributor or signatory on the buyer's account can accept the offer.".into())
            } else if status != S::Published {
                Err(format!(
                    "Only a published offer can be accepted; this one is {label}."
                ))
            } else if today > facts.accept_by {
                Err(format!(
                    "The offer had to be accepted by {}.",
                    facts.accept_by
                ))
            } else if !authorization_stands {
                Err("The partner's resale authorization is no longer active.".into())
            } else if facts.has_schedule && !facts.buyer_signed {
                Err("Sign the payment schedule to accept the offer.".into())
            } else {
                Ok(Outcome::Now(S::Accepted))
            }
        }
        (A::Expire, Actor::System) => match status {
            S::Published if today > facts.accept_by => Ok(Outcome::Now(S::Expired)),
            S::Published => Err(format!(
                "The offer can be accepted until {}.",
                facts.accept_by
            )),
            _ => Err(format!(
                "Only a published offer expires; this one is {label}."
            )),
        },
        (A::Delete, Actor::Partner) => match status {
            S::Draft => Ok(Outcome::Deleted),
            _ => Err(format!(
                "Only a draft can be deleted; this offer is {label}."
            )),
        },
        _ => Err(format!(
            "{} can't {} a buyer offer.",
            actor.name(),
            match action {
                A::Publish => "publish",
                A::Accept => "accept",
                A::Expire => "expire",
                A::Delete => "delete",
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::party::BillingAccountRole;
    use proptest::prelude::*;

    const OWNER: Actor = Actor::Customer(BillingAccountRole::Owner);
    const READER: Actor = Actor::Customer(BillingAccountRole::Reader);

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn recurring(until: Option<&str>) -> AuthorizationFacts {
        AuthorizationFacts {
            recurring: true,
            until: until.map(date),
        }
    }

    const NON_RECURRING: AuthorizationFacts = AuthorizationFacts {
        recurring: false,
        until: None,
    };

    #[test]
    fn authorization_transitions_per_role() {
        use AuthorizationAction as A;
        use AuthorizationStatus as S;
        let day = date("2027-01-01");
        let until = recurring(Some("2027-06-30"));
        #[rustfmt::skip]
        let allowed = [
            (S::Draft, A::Activate, Actor::Isv, NON_RECURRING, Some(S::Active)),
            (S::Active, A::Use, Actor::System, NON_RECURRING, Some(S::Used)),
            (S::Active, A::Use, Actor::System, until, Some(S::Active)),
            (S::Active, A::End, Actor::Isv, until, Some(S::Ended)),
            (S::Active, A::End, Actor::Partner, until, Some(S::Ended)),
            (S::Active, A::End, Actor::Partner, NON_RECURRING, Some(S::Ended)),
            (S::Draft, A::Delete, Actor::Isv, until, None),
        ];
        for (status, action, actor, facts, to) in allowed {
            let outcome = authorization_transition(status, actor, action, facts, day).unwrap();
            assert_eq!(outcome.status(), to, "{status:?} {action:?}");
            for other in Actor::ALL {
                let ok = authorization_transition(status, other, action, facts, day).is_ok();
                let same = other == actor
                    || (action == A::End && matches!(other, Actor::Isv | Actor::Partner));
                assert_eq!(ok, same, "{status:?} {action:?} by {other:?}");
            }
        }
        #[rustfmt::skip]
        let refused = [
            (S::Used, A::Use, Actor::System, NON_RECURRING, "used once"),
            (S::Ended, A::Use, Actor::System, until, "Only an active"),
            (S::Draft, A::Use, Actor::System, until, "Only an active"),
            (S::Active, A::Activate, Actor::Isv, until, "Only a draft"),
            (S::Used, A::End, Actor::Isv, NON_RECURRING, "Only an active"),
            (S::Active, A::Delete, Actor::Isv, until, "Only a draft"),
            (S::Active, A::Expire, Actor::System, until, "not reached"),
            (S::Active, A::Activate, Actor::Partner, until, "can't"),
        ];
        for (status, action, actor, facts, reason) in refused {
            let refusal = authorization_transition(status, actor, action, facts, day).unwrap_err();
            assert!(refusal.reason.contains(reason), "{}", refusal.reason);
        }
    }

    #[test]
    fn buyer_offers_are_made_only_under_an_active_authorization() {
        for status in AuthorizationStatus::ALL {
            let found = may_make_buyer_offer(status);
            assert_eq!(
                found.is_ok(),
                status == AuthorizationStatus::Active,
                "{status:?}"
            );
            if let Err(reason) = found {
                assert!(reason.contains("active resale authorization"));
            }
        }
    }

    #[test]
    fn only_a_draft_authorization_is_editable() {
        let editable: Vec<_> = AuthorizationStatus::ALL
            .into_iter()
            .filter(|status| status.editable())
            .collect();
        assert_eq!(editable, [AuthorizationStatus::Draft]);
    }

    #[test]
    fn only_a_draft_buyer_offer_is_edited() {
        let editable: Vec<_> = BuyerOfferStatus::ALL
            .into_iter()
            .filter(|status| status.editable())
            .collect();
        assert_eq!(editable, [BuyerOfferStatus::Draft]);
    }

    #[test]
    fn refusals_name_the_status_in_the_seeds_words() {
        assert_eq!(
            AuthorizationStatus::ALL.map(AuthorizationStatus::label),
            ["Draft", "Active", "Used", "Ended"]
        );
        assert_eq!(
            BuyerOfferStatus::ALL.map(BuyerOfferStatus::label),
            ["Draft", "Published", "Accepted", "Expired"]
        );
        let day = date("2027-01-15");
        let refusal = authorization_transition(
            AuthorizationStatus::Used,
            Actor::Isv,
            AuthorizationAction::End,
            NON_RECURRING,
            day,
        )
        .unwrap_err();
        assert!(
            refusal.reason.ends_with("it is Used."),
            "{}",
            refusal.reason
        );
        let refusal = buyer_offer_transition(
            BuyerOfferStatus::Accepted,
            Actor::Partner,
            BuyerOfferAction::Delete,
            offer_facts(),
            day,
        )
        .unwrap_err();
        assert!(
            refusal.reason.ends_with("this offer is Accepted."),
            "{}",
            refusal.reason
        );
    }

    #[test]
    fn a_recurring_authorization_ends_after_its_date_or_runs_indefinitely() {
        use AuthorizationStatus as S;
        let facts = recurring(Some("2027-06-30"));
        for (day, due) in [
            ("2027-06-29", false),
            ("2027-06-30", false),
            ("2027-07-01", true),
        ] {
            assert_eq!(
                authorization_due(S::Active, facts, date(day)).is_some(),
                due,
                "{day}"
            );
            let used = authorization_transition(
                S::Active,
                Actor::System,
                AuthorizationAction::Use,
                facts,
                date(day),
            );
            assert_eq!(used.is_ok(), !due, "{day}");
        }
        assert_eq!(
            authorization_due(S::Active, recurring(None), date("2099-01-01")),
            None
        );
        assert_eq!(
            authorization_due(S::Active, NON_RECURRING, date("2099-01-01")),
            None
        );
    }

    fn offer_facts() -> BuyerOfferFacts {
        BuyerOfferFacts {
            accept_by: date("2027-01-31"),
            authorization: AuthorizationStatus::Active,
            authorization_recurring: false,
            has_schedule: false,
            partner_signed: false,
            buyer_signed: false,
        }
    }

    #[test]
    fn buyer_offer_transitions_per_role() {
        use BuyerOfferAction as A;
        use BuyerOfferStatus as S;
        let day = date("2027-01-15");
        #[rustfmt::skip]
        let allowed = [
            (S::Draft, A::Publish, Actor::Partner, Some(S::Published)),
            (S::Published, A::Accept, OWNER, Some(S::Accepted)),
            (S::Draft, A::Delete, Actor::Partner, None),
        ];
        for (status, action, actor, to) in allowed {
            let outcome =
                buyer_offer_transition(status, actor, action, offer_facts(), day).unwrap();
            assert_eq!(outcome.status(), to);
            for other in Actor::ALL {
                let ok = buyer_offer_transition(status, other, action, offer_facts(), day).is_ok();
                let same = other == actor
                    || (actor == OWNER
                        && matches!(other, Actor::Customer(role) if role.may_accept()));
                assert_eq!(ok, same, "{status:?} {action:?} by {other:?}");
            }
        }
        let with_schedule = BuyerOfferFacts {
            has_schedule: true,
            ..offer_facts()
        };
        let ended = BuyerOfferFacts {
            authorization: AuthorizationStatus::Ended,
            ..offer_facts()
        };
        let used = BuyerOfferFacts {
            authorization: AuthorizationStatus::Used,
            ..offer_facts()
        };
        #[rustfmt::skip]
        let refused = [
            (S::Draft, A::Publish, Actor::Partner, ended, day, "active resale authorization"),
            (S::Draft, A::Publish, Actor::Partner, used, day, "active resale authorization"),
            (S::Draft, A::Publish, Actor::Partner, with_schedule, day, "Sign the payment schedule"),
            (S::Draft, A::Publish, Actor::Partner, offer_facts(), date("2027-02-01"), "already passed"),
            (S::Published, A::Publish, Actor::Partner, offer_facts(), day, "Only a draft"),
            (S::Published, A::Accept, READER, offer_facts(), day, "owner, contributor or signatory"),
            (S::Published, A::Accept, OWNER, offer_facts(), date("2027-02-01"), "accepted by 2027-01-31"),
            (S::Published, A::Accept, OWNER, ended, day, "no longer active"),
            (S::Published, A::Accept, OWNER, BuyerOfferFacts { partner_signed: true, ..with_schedule }, day, "Sign the payment schedule"),
            (S::Draft, A::Accept, OWNER, offer_facts(), day, "Only a published"),
            (S::Accepted, A::Delete, Actor::Partner, offer_facts(), day, "Only a draft"),
            (S::Published, A::Expire, Actor::System, offer_facts(), date("2027-01-31"), "until 2027-01-31"),
        ];
        for (status, action, actor, facts, day, reason) in refused {
            let refusal = buyer_offer_transition(status, actor, action, facts, day).unwrap_err();
            assert!(refusal.reason.contains(reason), "{}", refusal.reason);
        }
        let signed = BuyerOfferFacts {
            partner_signed: true,
            buyer_signed: true,
            ..with_schedule
        };
        assert!(buyer_offer_transition(S::Draft, Actor::Partner, A::Publish, signed, day).is_ok());
        assert!(buyer_offer_transition(S::Published, OWNER, A::Accept, signed, day).is_ok());
    }

    #[test]
    fn the_one_offer_published_from_a_non_recurring_authorization_can_be_accepted() {
        use BuyerOfferAction as A;
        use BuyerOfferStatus as S;
        let day = date("2027-01-15");
        // Publishing the offer uses the authorization up...
        let used = authorization_transition(
            AuthorizationStatus::Active,
            Actor::System,
            AuthorizationAction::Use,
            NON_RECURRING,
            day,
        )
        .unwrap()
        .status();
        assert_eq!(used, Some(AuthorizationStatus::Used));
        let used = BuyerOfferFacts {
            authorization: AuthorizationStatus::Used,
            ..offer_facts()
        };
        // ...and that offer is still accepted, by any role that may accept.
        for role in BillingAccountRole::ALL {
            let outcome =
                buyer_offer_transition(S::Published, Actor::Customer(role), A::Accept, used, day);
            assert_eq!(outcome.is_ok(), role.may_accept(), "{role:?}");
        }
        assert_eq!(
            buyer_offer_transition(S::Published, OWNER, A::Accept, used, day)
                .unwrap()
                .status(),
            Some(S::Accepted)
        );
        // No other offer is published from it.
        let refusal =
            buyer_offer_transition(S::Draft, Actor::Partner, A::Publish, used, day).unwrap_err();
        assert!(
            refusal.reason.contains("active resale authorization"),
            "{}",
            refusal.reason
        );
        // A recurring authorization is never Used, so Used does not stand for it.
        let recurring_used = BuyerOfferFacts {
            authorization_recurring: true,
            ..used
        };
        let refusal = buyer_offer_transition(S::Published, OWNER, A::Accept, recurring_used, day)
            .unwrap_err();
        assert!(
            refusal.reason.contains("no longer active"),
            "{}",
            refusal.reason
        );
        // An ended authorization stops the offer's acceptance, recurring or not.
        for recurring in [false, true] {
            let ended = BuyerOfferFacts {
                authorization: AuthorizationStatus::Ended,
                authorization_recurring: recurring,
                ..offer_facts()
            };
            let refusal =
                buyer_offer_transition(S::Published, OWNER, A::Accept, ended, day).unwrap_err();
            assert!(
                refusal.reason.contains("no longer active"),
                "{}",
                refusal.reason
            );
        }
        // The accept-by date still holds.
        let refusal =
            buyer_offer_transition(S::Published, OWNER, A::Accept, used, date("2027-02-01"))
                .unwrap_err();
        assert!(
            refusal.reason.contains("accepted by 2027-01-31"),
            "{}",
            refusal.reason
        );
    }

    #[test]
    fn a_buyer_offer_expires_after_its_accept_by_date() {
        for (day, due) in [
            ("2027-01-30", false),
            ("2027-01-31", false),
            ("2027-02-01", true),
        ] {
            let found = buyer_offer_due(BuyerOfferStatus::Published, offer_facts(), date(day));
            assert_eq!(found.is_some(), due, "{day}");
        }
        assert_eq!(
            buyer_offer_due(BuyerOfferStatus::Draft, offer_facts(), date("2030-01-01")),
            None
        );
    }

    proptest! {
        #[test]
        fn no_sequence_of_actions_leaves_the_cppo_diagrams(
            recurring_kind in any::<bool>(),
            schedule in any::<bool>(),
            steps in proptest::collection::vec(
                (0..Actor::ALL.len(), 0..5usize, 0u32..400, any::<bool>(), any::<bool>()),
                0..60,
            )
        ) {
            let start = date("2026-12-01");
            let facts = if recurring_kind { recurring(Some("2027-06-30")) } else { NON_RECURRING };
            let mut authorization = AuthorizationStatus::Draft;
            let mut offer = BuyerOfferStatus::Draft;
            let mut publications = 0;
            for (actor, action, day, on_offer, signed) in steps {
                let actor = Actor::ALL[actor];
                let day = start + chrono::Days::new(u64::from(day));
                if on_offer {
                    let action = BuyerOfferAction::ALL[action % 4];
                    let offer_facts = BuyerOfferFacts {
                        authorization,
                        authorization_recurring: recurring_kind,
                        has_schedule: schedule,
                        partner_signed: signed,
                        buyer_signed: signed,
                        ..offer_facts()
                    };
                    match buyer_offer_transition(offer, actor, action, offer_facts, day) {
                        Ok(Outcome::Now(next)) => {
                            prop_assert!(BUYER_OFFER_EDGES.contains(&(offer, action, next)));
                            if next == BuyerOfferStatus::Published {
                                publications += 1;
                                let used = authorization_transition(authorization, Actor::System, AuthorizationAction::Use, facts, day);
                                prop_assert!(used.is_ok(), "published under {:?}", authorization);
                                authorization = used.unwrap().status().unwrap();
                            }
                            if next == BuyerOfferStatus::Accepted {
                                prop_assert!(
                                    authorization == AuthorizationStatus::Active
                                        || (!recurring_kind && authorization == AuthorizationStatus::Used),
                                    "accepted under {:?}", authorization
                                );
                            }
                            offer = next;
                        }
                        Ok(Outcome::Deleted) => prop_assert_eq!(offer, BuyerOfferStatus::Draft),
                        Err(refusal) => prop_assert!(!refusal.allowed_actions.contains(&action)),
                    }
                    if offer != BuyerOfferStatus::Draft && offer != BuyerOfferStatus::Published {
                        // A new offer under the same authorization.
                        offer = BuyerOfferStatus::Draft;
                    }
                } else {
                    let action = AuthorizationAction::ALL[action];
                    match authorization_transition(authorization, actor, action, facts, day) {
                        Ok(Outcome::Now(next)) => {
                            prop_assert!(AUTHORIZATION_EDGES.contains(&(authorization, action, next)));
                            authorization = next;
                        }
                        Ok(Outcome::Deleted) => prop_assert_eq!(authorization, AuthorizationStatus::Draft),
                        Err(refusal) => prop_assert!(!refusal.allowed_actions.contains(&action)),
                    }
                }
                prop_assert!(recurring_kind || publications <= 1, "a non-recurring authorization was used twice");
            }
        }
    }
}
