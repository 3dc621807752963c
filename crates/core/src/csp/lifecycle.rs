//! The CSP margin offer's state machine: the offer's status and, while it is published, each
//! partner's step ("authorization in progress", "publish in progress", "Live").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::CspStart;
use crate::lifecycle::{decide_or_refuse, Actor, Outcome, Refusal};

/// Where a CSP margin offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CspStatus {
    /// Being set up by the ISV.
    Draft,
    /// Submitted; being published to each partner.
    InProgress,
    /// Discoverable and transactable by the partners.
    Live,
    /// Past its end date; partners sell at list price.
    Ended,
    /// Withdrawn before any sale; partners pay list price.
    Withdrawn,
}

impl CspStatus {
    /// Every status.
    pub const ALL: [CspStatus; 5] = [
        CspStatus::Draft,
        CspStatus::InProgress,
        CspStatus::Live,
        CspStatus::Ended,
        CspStatus::Withdrawn,
    ];

    /// The status as the seed names it.
    pub fn label(self) -> &'static str {
        match self {
            CspStatus::Draft => "Draft",
            CspStatus::InProgress => "In progress",
            CspStatus::Live => "Live",
            CspStatus::Ended => "Ended",
            CspStatus::Withdrawn => "Withdrawn",
        }
    }

    /// Whether the ISV may still edit the offer: only a draft, since a submitted offer cannot
    /// be modified.
    pub fn editable(self) -> bool {
        self == CspStatus::Draft
    }

    /// Whether notification contacts are told on reaching this status.
    pub fn notifies_contacts(self) -> bool {
        matches!(
            self,
            CspStatus::Live | CspStatus::Ended | CspStatus::Withdrawn
        )
    }

    /// Whether the ISV may still edit the setup: once submitted, it cannot be modified.
    pub fn is_editable(self) -> bool {
        self == CspStatus::Draft
    }
}

/// Where the publication to one partner stands while the offer is In Progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CspPartnerState {
    /// "Authorization in progress".
    AuthorizationInProgress,
    /// "Publish in progress".
    PublishInProgress,
    /// "Live" for this partner.
    Live,
}

impl CspPartnerState {
    /// The step as the ISV's dashboard names it.
    pub fn label(self) -> &'static str {
        match self {
            CspPartnerState::AuthorizationInProgress => "authorization in progress",
            CspPartnerState::PublishInProgress => "publish in progress",
            CspPartnerState::Live => "Live",
        }
    }

    fn next(self) -> CspPartnerState {
        match self {
            CspPartnerState::AuthorizationInProgress => CspPartnerState::PublishInProgress,
            _ => CspPartnerState::Live,
        }
    }
}

/// The offer's status with each partner's step (in the order of the setup's partners).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspProgress {
    /// The offer's status.
    pub status: CspStatus,
    /// Each partner's step; empty until submitted.
    pub partners: Vec<CspPartnerState>,
}

impl CspProgress {
    /// A draft's progress.
    pub fn draft() -> Self {
        CspProgress {
            status: CspStatus::Draft,
            partners: Vec::new(),
        }
    }
}

/// What someone does to a CSP margin offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CspAction {
    /// ISV: submit the draft (it cannot be modified afterwards).
    Submit,
    /// System: one publishing step for every partner; Live once all are.
    Publish,
    /// ISV: withdraw while no partner has sold it.
    Withdraw,
    /// ISV: delete a draft.
    Delete,
    /// System: the end date passed.
    End,
    /// ISV: start a new draft from this offer (any status).
    Clone,
    /// Partner: record a sale at the margin, while Live and within the offer's dates.
    RecordSale,
}

impl CspAction {
    /// Every action.
    pub const ALL: [CspAction; 7] = [
        CspAction::Submit,
        CspAction::Publish,
        CspAction::Withdraw,
        CspAction::Delete,
        CspAction::End,
        CspAction::Clone,
        CspAction::RecordSale,
    ];
}

/// What the state machine needs to know besides the progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspFacts {
    /// When the offer starts.
    pub start: CspStart,
    /// The last day of the offer.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub end: NaiveDate,
    /// How many partners the offer names.
    pub partner_count: usize,
    /// How many sales were recorded against it.
    pub sales_recorded: usize,
}

/// The status moves the diagram allows, as `(from, action, to)`; publishing may also keep an
/// offer In Progress while partners move a step, and clone and sales leave the status as is.
pub const EDGES: [(CspStatus, CspAction, CspStatus); 7] = [
    (CspStatus::Draft, CspAction::Submit, CspStatus::InProgress),
    (
        CspStatus::InProgress,
        CspAction::Publish,
        CspStatus::InProgress,
    ),
    (CspStatus::InProgress, CspAction::Publish, CspStatus::Live),
    (
        CspStatus::InProgress,
        CspAction::Withdraw,
        CspStatus::Withdrawn,
    ),
    (CspStatus::Live, CspAction::Withdraw, CspStatus::Withdrawn),
    (CspStatus::InProgress, CspAction::End, CspStatus::Ended),
    (CspStatus::Live, CspAction::End, CspStatus::Ended),
];

/// Applies `action` by `actor` to an offer with `progress` on `today`.
pub fn transition(
    progress: &CspProgress,
    actor: Actor,
    action: CspAction,
    facts: &CspFacts,
    today: NaiveDate,
) -> Result<Outcome<CspProgress>, Refusal<CspAction>> {
    decide_or_refuse(action, &CspAction::ALL, |action| {
        decide(progress, actor, action, facts, today)
    })
}

/// The date-driven move due on `today`, if any.
pub fn due(progress: &CspProgress, facts: &CspFacts, today: NaiveDate) -> Option<CspAction> {
    decide(progress, Actor::System, CspAction::End, facts, today)
        .is_ok()
        .then_some(CspAction::End)
}

fn decide(
    progress: &CspProgress,
    actor: Actor,
    action: CspAction,
    facts: &CspFacts,
    today: NaiveDate,
) -> Result<Outcome<CspProgress>, String> {
    use CspAction as A;
    use CspStatus as S;
    let status = progress.status;
    let label = status.label();
    let moved = |status| {
        Ok(Outcome::Now(CspProgress {
            status,
            partners: progress.partners.clone(),
        }))
    };
    match (action, actor) {
        (A::Submit, Actor::Isv) => match status {
            S::Draft => Ok(Outcome::Now(CspProgress {
                status: S::InProgress,
                partners: vec![CspPartnerState::AuthorizationInProgress; facts.partner_count],
            })),
            _ => Err(format!(
                "Once submitted, private offers cannot be modified; this one is {label}."
            )),
        },
        (A::Publish, Actor::System) => match status {
            S::InProgress => {
                let partners: Vec<_> = progress.partners.iter().map(|p| p.next()).collect();
                let all_live = partners.iter().all(|p| *p == CspPartnerState::Live);
                Ok(Outcome::Now(CspProgress {
                    status: if all_live { S::Live } else { S::InProgress },
                    partners,
                }))
            }
            _ => Err(format!(
                "Only an offer in progress is published; it is {label}."
            )),
        },
        (A::Withdraw, Actor::Isv) => match status {
            S::InProgress | S::Live if facts.sales_recorded == 0 => moved(S::Withdrawn),
            S::InProgress | S::Live => Err(
                "A partner has already sold this private offer, so it can no longer be withdrawn."
                    .into(),
            ),
            _ => Err(format!(
                "Only an offer in progress or live can be withdrawn; it is {label}."
            )),
        },
        (A::Delete, Actor::Isv) => match status {
            S::Draft => Ok(Outcome::Deleted),
            _ => Err(format!(
                "Only a Draft can be deleted; this offer is {label}."
            )),
        },
        (A::End, Actor::System) => match status {
            S::InProgress | S::Live if today > facts.end => moved(S::Ended),
            S::InProgress | S::Live => Err(format!("The offer runs until {}.", facts.end)),
            _ => Err(format!(
                "Only an offer in progress or live ends; it is {label}."
            )),
        },
        (A::Clone, Actor::Isv) => moved(status),
        (A::RecordSale, Actor::Partner) => {
            let started = match facts.start {
                CspStart::AsSoonAsPossible => true,
                CspStart::Month(start) => today >= start,
            };
            if status != S::Live {
                Err(format!(
                    "Sales are recorded against a live offer; this one is {label}, so the partner sells at list price."
                ))
            } else if !started || today > facts.end {
                Err("The margin applies only between the offer's start and end dates.".into())
            } else {
                moved(status)
            }
        }
        _ => Err(format!(
            "{} can't {} a CSP margin offer.",
            match actor {
                Actor::Isv => "The ISV",
                Actor::Partner => "A CSP partner",
                Actor::Customer(_) => "A customer",
                Actor::System => "Publishing",
            },
            match action {
                A::Submit => "submit",
                A::Publish => "publish",
                A::Withdraw => "withdraw",
                A::Delete => "delete",
                A::End => "end",
                A::Clone => "clone",
                A::RecordSale => "record a sale on",
            }
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use CspAction as A;
    use CspStatus as S;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn facts(sales: usize) -> CspFacts {
        CspFacts {
            start: CspStart::Month(date("2027-01-01")),
            end: date("2027-06-30"),
            partner_count: 2,
            sales_recorded: sales,
        }
    }

    fn progress(status: S, partners: &[CspPartnerState]) -> CspProgress {
        CspProgress {
            status,
            partners: partners.to_vec(),
        }
    }

    fn today() -> NaiveDate {
        date("2027-02-01")
    }

    #[test]
    fn submit_then_each_partner_steps_through_publishing_to_live() {
        use CspPartnerState::*;
        let submitted = transition(
            &CspProgress::draft(),
            Actor::Isv,
            A::Submit,
            &facts(0),
            today(),
        )
        .unwrap()
        .status()
        .unwrap();
        assert_eq!(
            submitted,
            progress(S::InProgress, &[AuthorizationInProgress; 2])
        );
        let step = |p: &CspProgress| {
            transition(p, Actor::System, A::Publish, &facts(0), today())
                .unwrap()
                .status()
                .unwrap()
        };
        let second = step(&submitted);
        assert_eq!(second, progress(S::InProgress, &[PublishInProgress; 2]));
        assert_eq!(step(&second), progress(S::Live, &[Live; 2]));
        let mixed = progress(S::InProgress, &[Live, PublishInProgress]);
        assert_eq!(step(&mixed), progress(S::Live, &[Live, Live]));
        assert_eq!(AuthorizationInProgress.label(), "authorization in progress");
    }

    #[test]
    fn only_a_draft_is_edited() {
        let editable: Vec<_> = S::ALL.into_iter().filter(|s| s.editable()).collect();
        assert_eq!(editable, [S::Draft]);
    }

    #[test]
    fn every_action_by_every_actor_in_every_status() {
        use CspPartnerState::Live as PartnerLive;
        let isv_only = |a| matches!(a, A::Submit | A::Withdraw | A::Delete | A::Clone);
        // (status, action, allowed with no sale and past the end date?) is checked per actor.
        #[rustfmt::skip]
        let table: [(S, A, bool, &str); 35] = [
            (S::Draft, A::Submit, true, ""),
            (S::Draft, A::Publish, false, "Only an offer in progress"),
            (S::Draft, A::Withdraw, false, "in progress or live"),
            (S::Draft, A::Delete, true, ""),
            (S::Draft, A::End, false, "in progress or live ends"),
            (S::Draft, A::Clone, true, ""),
            (S::Draft, A::RecordSale, false, "list price"),
            (S::InProgress, A::Submit, false, "cannot be modified"),
            (S::InProgress, A::Publish, true, ""),
            (S::InProgress, A::Withdraw, true, ""),
            (S::InProgress, A::Delete, false, "Only a Draft"),
            (S::InProgress, A::End, true, ""),
            (S::InProgress, A::Clone, true, ""),
            (S::InProgress, A::RecordSale, false, "list price"),
            (S::Live, A::Submit, false, "cannot be modified"),
            (S::Live, A::Publish, false, "Only an offer in progress"),
            (S::Live, A::Withdraw, true, ""),
            (S::Live, A::Delete, false, "Only a Draft"),
            (S::Live, A::End, true, ""),
            (S::Live, A::Clone, true, ""),
            (S::Live, A::RecordSale, true, ""),
            (S::Ended, A::Submit, false, "cannot be modified"),
            (S::Ended, A::Publish, false, "Only an offer in progress"),
            (S::Ended, A::Withdraw, false, "in progress or live"),
            (S::Ended, A::Delete, false, "Only a Draft"),
            (S::Ended, A::End, false, "in progress or live ends"),
            (S::Ended, A::Clone, true, ""),
            (S::Ended, A::RecordSale, false, "list price"),
            (S::Withdrawn, A::Submit, false, "cannot be modified"),
            (S::Withdrawn, A::Publish, false, "Only an offer in progress"),
            (S::Withdrawn, A::Withdraw, false, "in progress or live"),
            (S::Withdrawn, A::Delete, false, "Only a Draft"),
            (S::Withdrawn, A::End, false, "in progress or live ends"),
            (S::Withdrawn, A::Clone, true, ""),
            (S::Withdrawn, A::RecordSale, false, "list price"),
        ];
        for (status, action, allowed, reason) in table {
            let owner = match action {
                A::Publish | A::End => Actor::System,
                A::RecordSale => Actor::Partner,
                _ => Actor::Isv,
            };
            assert!(owner != Actor::Isv || isv_only(action));
            let day = if action == A::End {
                date("2027-07-01")
            } else {
                today()
            };
            let current = progress(status, &[PartnerLive, PartnerLive]);
            for actor in Actor::ALL {
                let result = transition(&current, actor, action, &facts(0), day);
                let expected = allowed && actor == owner;
                assert_eq!(
                    result.is_ok(),
                    expected,
                    "{status:?} {action:?} by {actor:?}"
                );
                if actor == owner && !allowed {
                    let reason_given = result.unwrap_err().reason;
                    assert!(reason_given.contains(reason), "{reason_given}");
                }
            }
        }
    }

    #[test]
    fn withdraw_only_while_no_partner_has_sold_it() {
        let live = progress(S::Live, &[CspPartnerState::Live]);
        assert!(transition(&live, Actor::Isv, A::Withdraw, &facts(0), today()).is_ok());
        let refusal = transition(&live, Actor::Isv, A::Withdraw, &facts(1), today()).unwrap_err();
        assert!(refusal.reason.contains("already sold"));
        assert_eq!(refusal.allowed_actions, [A::Clone]);
    }

    #[test]
    fn the_end_and_sales_follow_the_dates() {
        let live = progress(S::Live, &[CspPartnerState::Live]);
        for (day, ends) in [
            ("2027-06-29", false),
            ("2027-06-30", false),
            ("2027-07-01", true),
        ] {
            assert_eq!(due(&live, &facts(0), date(day)).is_some(), ends, "{day}");
        }
        for (day, sells) in [
            ("2026-12-31", false),
            ("2027-01-01", true),
            ("2027-06-30", true),
            ("2027-07-01", false),
        ] {
            let sold = transition(&live, Actor::Partner, A::RecordSale, &facts(0), date(day));
            assert_eq!(sold.is_ok(), sells, "{day}");
        }
        let asap = CspFacts {
            start: CspStart::AsSoonAsPossible,
            ..facts(0)
        };
        assert!(transition(
            &live,
            Actor::Partner,
            A::RecordSale,
            &asap,
            date("2026-01-01")
        )
        .is_ok());
    }

    #[test]
    fn notifications_follow_the_seed() {
        let notified: Vec<_> = S::ALL
            .into_iter()
            .filter(|s| s.notifies_contacts())
            .collect();
        assert_eq!(notified, [S::Live, S::Ended, S::Withdrawn]);
        let editable: Vec<_> = S::ALL.into_iter().filter(|s| s.is_editable()).collect();
        assert_eq!(editable, [S::Draft]);
    }

    proptest! {
        #[test]
        fn no_sequence_of_actions_leaves_the_diagram(
            partners in 0usize..4,
            steps in proptest::collection::vec(
                (0..Actor::ALL.len(), 0..CspAction::ALL.len(), 0u32..400, 0usize..2),
                0..60,
            )
        ) {
            let facts = |sales| CspFacts { partner_count: partners, ..facts(sales) };
            let start = date("2026-12-01");
            let mut current = CspProgress::draft();
            for (actor, action, day, sales) in steps {
                let (actor, action) = (Actor::ALL[actor], CspAction::ALL[action]);
                let day = start + chrono::Days::new(u64::from(day));
                match transition(&current, actor, action, &facts(sales), day) {
                    Ok(Outcome::Now(next)) => {
                        prop_assert!(
                            next.status == current.status && matches!(action, A::Clone | A::RecordSale)
                                || EDGES.contains(&(current.status, action, next.status)),
                            "{:?} -{:?}-> {:?}", current.status, action, next.status
                        );
                        if next.status == S::Live {
                            prop_assert!(next.partners.iter().all(|p| *p == CspPartnerState::Live));
                        }
                        if next.status != S::Draft {
                            prop_assert_eq!(next.partners.len(), partners);
                        }
                        current = next;
                    }
                    Ok(Outcome::Deleted) => {
                        prop_assert_eq!(current.status, S::Draft);
                        current = CspProgress::draft();
                    }
                    Err(refusal) => prop_assert!(!refusal.allowed_actions.contains(&action)),
                }
            }
        }
    }
}
