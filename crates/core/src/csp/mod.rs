//! Microsoft ISV to CSP partner private offers (seed 000): time-bound margins off list price for
//! up to 400 CSP partners, each optionally restricted to some of its customers.

pub mod lifecycle;
pub mod validate;
pub mod view;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::field::{required, StartWire};
use crate::percent::MarginPercent;

pub use lifecycle::{CspAction, CspPartnerState, CspProgress, CspStatus};
pub use validate::validate_sale;

/// Most offers/plans in one margin offer.
pub const MAX_LINES: usize = 10;
/// The days a CSP offer's dates allow (seed 000): a specific start month starts on its 1st, the
/// end month ends on its last day.
pub const START_MONTH_DAYS: crate::field::DateRule = crate::field::DateRule::FirstOfMonth;
/// See [`START_MONTH_DAYS`].
pub const END_MONTH_DAYS: crate::field::DateRule = crate::field::DateRule::LastOfMonth;
/// Most CSP partner tenants one margin offer extends to.
pub const MAX_PARTNERS: usize = 400;
/// Most customer tenant IDs one partner's entry may be restricted to.
pub const MAX_CUSTOMER_TENANTS: usize = 25;

/// When partners can start discovering and selling the offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "start",
    content = "month",
    rename_all = "snake_case",
    try_from = "StartWire<CspStartTag>"
)]
pub enum CspStart {
    /// Within minutes of submitting, once published.
    AsSoonAsPossible,
    /// A specific month, always its 1st.
    Month(NaiveDate),
}

/// The `start` tag of a [`CspStart`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum CspStartTag {
    AsSoonAsPossible,
    Month,
}

impl TryFrom<StartWire<CspStartTag>> for CspStart {
    type Error = String;

    fn try_from(wire: StartWire<CspStartTag>) -> Result<Self, String> {
        Ok(match wire.start {
            CspStartTag::AsSoonAsPossible => CspStart::AsSoonAsPossible,
            CspStartTag::Month => CspStart::Month(required(wire.month, "month")?),
        })
    }
}

/// A margin on one offer (all current and future plans) or one plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MarginLine {
    /// The public offer, opted in to the Cloud Reseller channel.
    pub offer_id: String,
    /// The plan, or `None` for the whole offer (all current and future plans).
    pub plan_id: Option<String>,
    /// The margin off list price the partner receives.
    pub margin_percent: MarginPercent,
}

/// A CSP partner the offer extends to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspPartner {
    /// The partner's tenant ID.
    pub tenant_id: String,
    /// Customers the offer is restricted to (empty: all customers of the partner).
    pub customer_tenant_ids: Vec<String>,
}

/// What the ISV sets up; once submitted it cannot be modified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspOfferSetup {
    /// The ISV's name for the offer, never shown to partners.
    pub internal_name: String,
    /// When the offer starts.
    pub start: CspStart,
    /// The last day of the end month.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub end: NaiveDate,
    /// Up to 5 emails told when the offer becomes Live, Ended or Withdrawn.
    pub notification_contacts: Vec<String>,
    /// Up to 10 offers/plans with their margins.
    pub lines: Vec<MarginLine>,
    /// Up to 400 CSP partners.
    pub partners: Vec<CspPartner>,
}

/// A sale a partner made under the margin offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspSale {
    /// The selling partner's tenant ID.
    pub partner_tenant_id: String,
    /// The customer's tenant ID.
    pub customer_tenant_id: String,
    /// The offer sold.
    pub offer_id: String,
    /// The plan sold.
    pub plan_id: String,
    /// The day of the sale.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub sold_on: NaiveDate,
}

/// What a CSP partner enters to record a sale at the margin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SaleForm {
    /// The customer's tenant ID (a GUID).
    pub customer_tenant_id: String,
    /// The offer sold.
    pub offer_id: String,
    /// The plan sold.
    pub plan_id: String,
}

/// A CSP margin offer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspMarginOffer {
    /// The offer's identifier.
    pub id: String,
    /// The ISV organization.
    pub isv_organization_id: String,
    /// Where the offer and each partner's publication stand.
    pub progress: CspProgress,
    /// What the ISV set up.
    pub setup: CspOfferSetup,
    /// Sales recorded against the offer.
    pub sales: Vec<CspSale>,
}

impl CspMarginOffer {
    /// A new draft.
    pub fn draft(
        id: impl Into<String>,
        isv_organization_id: impl Into<String>,
        setup: CspOfferSetup,
    ) -> Self {
        CspMarginOffer {
            id: id.into(),
            isv_organization_id: isv_organization_id.into(),
            progress: CspProgress::draft(),
            setup,
            sales: Vec::new(),
        }
    }

    /// A copy to start another offer from (any status): the setup is copied under
    /// `internal_name`; status, publication and sales are reset.
    pub fn clone_as(&self, id: impl Into<String>, internal_name: impl Into<String>) -> Self {
        CspMarginOffer::draft(
            id,
            self.isv_organization_id.clone(),
            CspOfferSetup {
                internal_name: internal_name.into(),
                ..self.setup.clone()
            },
        )
    }

    /// The facts the state machine needs.
    pub fn facts(&self) -> lifecycle::CspFacts {
        lifecycle::CspFacts {
            start: self.setup.start,
            end: self.setup.end,
            partner_count: self.setup.partners.len(),
            sales_recorded: self.sales.len(),
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn tenant(n: usize) -> String {
        format!("00000000-0000-4000-8000-{n:012}")
    }

    pub(crate) fn setup() -> CspOfferSetup {
        CspOfferSetup {
            internal_name: "FY27 CSP push".into(),
            start: CspStart::Month("2027-01-01".parse().unwrap()),
            end: "2027-06-30".parse().unwrap(),
            notification_contacts: vec!["channel@contoso.com".into()],
            lines: vec![
                MarginLine {
                    offer_id: "contoso-saas".into(),
                    plan_id: None,
                    margin_percent: MarginPercent::parse("12.5").unwrap(),
                },
                MarginLine {
                    offer_id: "contoso-vm".into(),
                    plan_id: Some("fw".into()),
                    margin_percent: MarginPercent::parse("8").unwrap(),
                },
            ],
            partners: vec![
                CspPartner {
                    tenant_id: tenant(1),
                    customer_tenant_ids: vec![tenant(101)],
                },
                CspPartner {
                    tenant_id: tenant(2),
                    customer_tenant_ids: vec![],
                },
            ],
        }
    }

    #[test]
    fn offers_travel_as_json() {
        let offer = CspMarginOffer::draft("csp-1", "contoso", setup());
        let text = serde_json::to_string(&offer).unwrap();
        for expected in [
            r#""status":"Draft""#,
            r#""start":{"start":"month","month":"2027-01-01"}"#,
            r#""end":"2027-06-30""#,
            r#""plan_id":null,"margin_percent":"12.5""#,
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(
            serde_json::from_str::<CspMarginOffer>(&text).unwrap(),
            offer
        );
    }

    #[test]
    fn a_clone_copies_the_setup_and_resets_the_rest() {
        let mut offer = CspMarginOffer::draft("csp-1", "contoso", setup());
        offer.progress.status = CspStatus::Live;
        offer.sales.push(CspSale {
            partner_tenant_id: tenant(1),
            customer_tenant_id: tenant(101),
            offer_id: "contoso-saas".into(),
            plan_id: "pro".into(),
            sold_on: "2027-02-01".parse().unwrap(),
        });
        let copy = offer.clone_as("csp-2", "Copy");
        assert_eq!(copy.progress, CspProgress::draft());
        assert!(copy.sales.is_empty());
        assert_eq!(copy.setup.internal_name, "Copy");
        assert_eq!(copy.setup.lines, offer.setup.lines);
    }
}
