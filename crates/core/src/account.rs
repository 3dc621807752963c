//! Who is signed in, as the API tells the page: the JSON types of `/api/v1/session`.

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Problems};
use crate::field::is_email;
use crate::party::{BillingAccountRole, CustomerAccount, OrganizationKind};

/// What an organization is to Offer Desk, customers included: [`OrganizationKind`] names only
/// the ISV and partner sides of a deal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartyKind {
    /// A software vendor that publishes offers.
    Isv,
    /// A CSP, selling or consulting partner.
    Partner,
    /// A vendor that also resells.
    IsvAndPartner,
    /// A company that buys through private offers.
    Customer,
}

impl PartyKind {
    /// Whether the organization publishes offers of its own.
    pub fn is_isv(self) -> bool {
        matches!(self, PartyKind::Isv | PartyKind::IsvAndPartner)
    }

    /// Whether the organization sells other vendors' offers.
    pub fn is_partner(self) -> bool {
        matches!(self, PartyKind::Partner | PartyKind::IsvAndPartner)
    }

    /// Whether the organization buys.
    pub fn is_customer(self) -> bool {
        self == PartyKind::Customer
    }

    /// The ISV or partner kind, or `None` for a customer.
    pub fn organization_kind(self) -> Option<OrganizationKind> {
        match self {
            PartyKind::Isv => Some(OrganizationKind::Isv),
            PartyKind::Partner => Some(OrganizationKind::Partner),
            PartyKind::IsvAndPartner => Some(OrganizationKind::IsvAndPartner),
            PartyKind::Customer => None,
        }
    }

    /// The stored and wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PartyKind::Isv => "isv",
            PartyKind::Partner => "partner",
            PartyKind::IsvAndPartner => "isv_and_partner",
            PartyKind::Customer => "customer",
        }
    }

    /// The kind with the wire name `text`.
    pub fn from_name(text: &str) -> Option<PartyKind> {
        [
            PartyKind::Isv,
            PartyKind::Partner,
            PartyKind::IsvAndPartner,
            PartyKind::Customer,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

impl From<OrganizationKind> for PartyKind {
    fn from(kind: OrganizationKind) -> Self {
        match kind {
            OrganizationKind::Isv => PartyKind::Isv,
            OrganizationKind::Partner => PartyKind::Partner,
            OrganizationKind::IsvAndPartner => PartyKind::IsvAndPartner,
        }
    }
}

/// The body of `POST /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignIn {
    /// The sign-in email, in any case.
    pub email: String,
    /// The password.
    pub password: String,
}

impl SignIn {
    /// Checks the form before anything is sent: an email address and a password.
    pub fn validate(&self) -> Result<(), Vec<FieldError>> {
        let mut problems = Problems::new();
        let email = self.email.trim();
        if email.is_empty() {
            problems.add("email", "Enter the email address you sign in with.");
        } else if !is_email(email) {
            problems.add("email", "Enter an email address such as name@example.com.");
        }
        if self.password.is_empty() {
            problems.add("password", "Enter your password.");
        }
        problems.finish(|| ())
    }
}

/// Who is signed in: the answer of `GET` and `POST /api/v1/session`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    /// The user.
    pub user: UserView,
    /// The organization the user acts for.
    pub organization: OrganizationSummary,
    /// A customer user's roles on billing accounts (empty for others).
    pub billing_accounts: Vec<BillingAccountGrant>,
}

/// What every page shows of a [`SessionView`]: the user's email and the organization's name and
/// kind. Read from the view's JSON; serde skips the rest (ids, the user's name, billing accounts)
/// without reading it into types, so each of the page's bundles carries a small reader.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SessionSummary {
    /// The user, as far as the page shows it.
    pub user: SessionUser,
    /// The organization, as far as the page shows it.
    pub organization: SessionOrganization,
}

/// The user of a [`SessionSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SessionUser {
    /// The sign-in email.
    pub email: String,
}

/// The organization of a [`SessionSummary`].
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SessionOrganization {
    /// The company name.
    pub name: String,
    /// ISV, partner, both or customer.
    pub kind: PartyKind,
}

/// A user as the session shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserView {
    /// Offer Desk's ID.
    pub id: i64,
    /// The sign-in email.
    pub email: String,
    /// The name.
    pub name: String,
}

/// An organization by name and kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrganizationSummary {
    /// Offer Desk's ID.
    pub id: i64,
    /// The company name.
    pub name: String,
    /// ISV, partner, both or customer.
    pub kind: PartyKind,
}

/// A customer user's role on one marketplace account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingAccountGrant {
    /// The Microsoft billing account or AWS account.
    pub account: CustomerAccount,
    /// What the user may do there.
    pub role: BillingAccountRole,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_form_needs_an_email_and_a_password() {
        let form = |email: &str, password: &str| SignIn {
            email: email.into(),
            password: password.into(),
        };
        assert_eq!(form(" isv@contoso.example ", "x").validate(), Ok(()));
        let fields = |form: SignIn| -> Vec<String> {
            form.validate()
                .unwrap_err()
                .into_iter()
                .map(|e| e.field)
                .collect()
        };
        assert_eq!(fields(form("", "")), ["email", "password"]);
        assert_eq!(fields(form("isv", "x")), ["email"]);
    }

    #[test]
    fn a_summary_reads_what_the_page_shows_from_the_session() {
        let view = SessionView {
            user: UserView {
                id: 7,
                email: "reader@tailspin.example".into(),
                name: "Riley Reader".into(),
            },
            organization: OrganizationSummary {
                id: 3,
                name: "Tailspin Toys".into(),
                kind: PartyKind::Customer,
            },
            billing_accounts: vec![BillingAccountGrant {
                account: CustomerAccount::MicrosoftBillingAccount("ba-1".into()),
                role: BillingAccountRole::Reader,
            }],
        };
        let summary: SessionSummary =
            serde_json::from_str(&serde_json::to_string(&view).unwrap()).unwrap();
        assert_eq!(summary.user.email, view.user.email);
        assert_eq!(summary.organization.name, view.organization.name);
        assert_eq!(summary.organization.kind, view.organization.kind);
    }

    #[test]
    fn kinds_round_trip_by_name() {
        for kind in [
            PartyKind::Isv,
            PartyKind::Partner,
            PartyKind::IsvAndPartner,
            PartyKind::Customer,
        ] {
            assert_eq!(PartyKind::from_name(kind.as_str()), Some(kind));
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
        assert_eq!(PartyKind::from_name("vendor"), None);
    }
}
