//! The cancellation of an accepted multiparty offer, before its final step: the ISV or the
//! partner requests it once with a reason, then the other side and the customer confirm it in
//! writing. The cancel itself is the lifecycle's [`super::MultipartyAction::Cancel`].

use super::{Cancellation, MultipartyOffer, MultipartyStatus, Side};
use crate::error::{FieldError, Problems};
use crate::field;
use crate::lifecycle::Actor;

/// Most characters of a cancellation reason.
pub const MAX_REASON_CHARS: usize = 500;

/// Why a cancellation step is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CancellationRefusal {
    /// The step is never this actor's to take (a reader confirming, a customer requesting).
    NotYours(String),
    /// The step is not possible in the offer's state (not accepted, already requested, nothing
    /// to confirm, the requester confirming its own request).
    NotNow(String),
    /// The request's input is invalid, named by field.
    Invalid(Vec<FieldError>),
}

/// The side an ISV or partner actor speaks for.
fn side_of(actor: Actor) -> Option<Side> {
    match actor {
        Actor::Isv => Some(Side::Isv),
        Actor::Partner => Some(Side::Partner),
        Actor::Customer(_) | Actor::System => None,
    }
}

/// The ISV or the partner (`actor`) requests the cancellation of an accepted `offer`, once,
/// giving a `reason`; the answer is the new request, confirmed by nobody yet.
pub fn request_cancellation(
    offer: &MultipartyOffer,
    actor: Actor,
    reason: &str,
) -> Result<Cancellation, CancellationRefusal> {
    let Some(side) = side_of(actor) else {
        return Err(CancellationRefusal::NotYours(
            "The ISV or the selling partner requests a cancellation; the customer confirms it."
                .into(),
        ));
    };
    if offer.status != MultipartyStatus::Accepted || offer.cancellation.is_some() {
        return Err(CancellationRefusal::NotNow(
            "A cancellation is requested once, for an accepted offer.".into(),
        ));
    }
    let mut problems = Problems::new();
    field::check_text(&mut problems, "reason", "reason", reason, MAX_REASON_CHARS);
    problems
        .finish(|| Cancellation {
            requested_by: side,
            reason: reason.to_owned(),
            other_side_confirmed: false,
            customer_confirmed: false,
        })
        .map_err(CancellationRefusal::Invalid)
}

/// The other side or the customer (an owner, contributor or signatory) confirms the requested
/// cancellation of `offer` in writing; the answer is the request with that confirmation.
pub fn confirm_cancellation(
    offer: &MultipartyOffer,
    actor: Actor,
) -> Result<Cancellation, CancellationRefusal> {
    let Some(request) = &offer.cancellation else {
        return Err(CancellationRefusal::NotNow(
            "No cancellation was requested.".into(),
        ));
    };
    let mut request = request.clone();
    match (actor, request.requested_by) {
        (Actor::Isv, Side::Partner) | (Actor::Partner, Side::Isv) => {
            request.other_side_confirmed = true
        }
        (Actor::Customer(role), _) if role.may_accept() => request.customer_confirmed = true,
        (Actor::Customer(_), _) => {
            return Err(CancellationRefusal::NotYours(
                "Only an owner, contributor or signatory on the billing account confirms a cancellation."
                    .into(),
            ))
        }
        _ => {
            return Err(CancellationRefusal::NotNow(
                "The side that requested the cancellation does not confirm it.".into(),
            ))
        }
    }
    Ok(request)
}

/// The cancellation steps `actor` may take now, by their wire names: `request_cancellation`
/// and `confirm_cancellation`.
pub fn cancellation_actions(offer: &MultipartyOffer, actor: Actor) -> Vec<&'static str> {
    let mut actions = Vec::new();
    // Any non-blank reason will do to ask whether a request is possible.
    if request_cancellation(offer, actor, "reason").is_ok() {
        actions.push("request_cancellation");
    }
    if confirm_cancellation(offer, actor).is_ok() {
        actions.push("confirm_cancellation");
    }
    actions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::multiparty::tests::offer;
    use crate::party::BillingAccountRole as Role;

    fn requested(by: Side) -> MultipartyOffer {
        let mut accepted = offer(MultipartyStatus::Accepted);
        accepted.cancellation =
            Some(request_cancellation(&accepted, actor(by), "Wrong plan").unwrap());
        accepted
    }

    fn actor(side: Side) -> Actor {
        match side {
            Side::Isv => Actor::Isv,
            Side::Partner => Actor::Partner,
        }
    }

    #[test]
    fn the_isv_or_the_partner_requests_once_for_an_accepted_offer_with_a_reason() {
        let accepted = offer(MultipartyStatus::Accepted);
        for side in [Side::Isv, Side::Partner] {
            let request = request_cancellation(&accepted, actor(side), "Wrong plan").unwrap();
            assert_eq!(request.requested_by, side);
            assert!(!request.other_side_confirmed && !request.customer_confirmed);
        }
        let refused = |offer: &MultipartyOffer, actor, reason: &str| {
            request_cancellation(offer, actor, reason).unwrap_err()
        };
        assert!(matches!(
            refused(&accepted, Actor::Customer(Role::Owner), "x"),
            CancellationRefusal::NotYours(_)
        ));
        assert!(matches!(
            refused(&accepted, Actor::System, "x"),
            CancellationRefusal::NotYours(_)
        ));
        for status in MultipartyStatus::ALL
            .into_iter()
            .filter(|s| *s != MultipartyStatus::Accepted)
        {
            assert!(
                matches!(
                    refused(&offer(status), Actor::Isv, "x"),
                    CancellationRefusal::NotNow(_)
                ),
                "{status:?}"
            );
        }
        assert!(matches!(
            refused(&requested(Side::Isv), Actor::Partner, "x"),
            CancellationRefusal::NotNow(_)
        ));
        for (reason, ok) in [
            ("x".repeat(MAX_REASON_CHARS), true),
            ("x".repeat(MAX_REASON_CHARS + 1), false),
            (" ".into(), false),
        ] {
            let found = request_cancellation(&accepted, Actor::Isv, &reason);
            assert_eq!(found.is_ok(), ok, "{}", reason.len());
            if let Err(CancellationRefusal::Invalid(problems)) = found {
                assert_eq!(problems[0].field, "reason");
            }
        }
    }

    #[test]
    fn the_other_side_and_the_customer_confirm() {
        let by_isv = requested(Side::Isv);
        assert!(
            confirm_cancellation(&by_isv, Actor::Partner)
                .unwrap()
                .other_side_confirmed
        );
        assert!(requested(Side::Partner).cancellation.is_some());
        assert!(
            confirm_cancellation(&requested(Side::Partner), Actor::Isv)
                .unwrap()
                .other_side_confirmed
        );
        for role in Role::ALL {
            let found = confirm_cancellation(&by_isv, Actor::Customer(role));
            if role.may_accept() {
                assert!(found.unwrap().customer_confirmed, "{role:?}");
            } else {
                assert!(
                    matches!(found, Err(CancellationRefusal::NotYours(_))),
                    "{role:?}"
                );
            }
        }
        assert!(matches!(
            confirm_cancellation(&by_isv, Actor::Isv),
            Err(CancellationRefusal::NotNow(_))
        ));
        assert!(matches!(
            confirm_cancellation(&offer(MultipartyStatus::Accepted), Actor::Partner),
            Err(CancellationRefusal::NotNow(_))
        ));
    }

    #[test]
    fn the_allowed_steps_follow_the_rules() {
        let accepted = offer(MultipartyStatus::Accepted);
        assert_eq!(
            cancellation_actions(&accepted, Actor::Isv),
            ["request_cancellation"]
        );
        assert_eq!(
            cancellation_actions(&accepted, Actor::Customer(Role::Owner)),
            Vec::<&str>::new()
        );
        let by_isv = requested(Side::Isv);
        assert_eq!(
            cancellation_actions(&by_isv, Actor::Isv),
            Vec::<&str>::new()
        );
        assert_eq!(
            cancellation_actions(&by_isv, Actor::Partner),
            ["confirm_cancellation"]
        );
        assert_eq!(
            cancellation_actions(&by_isv, Actor::Customer(Role::Signatory)),
            ["confirm_cancellation"]
        );
        assert_eq!(
            cancellation_actions(&by_isv, Actor::Customer(Role::Reader)),
            Vec::<&str>::new()
        );
        assert_eq!(
            cancellation_actions(&offer(MultipartyStatus::Draft), Actor::Isv),
            Vec::<&str>::new()
        );
    }
}
