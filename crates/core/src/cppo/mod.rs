//! AWS consulting partner private offers (seeds 003, 004): the ISV's resale authorization to a
//! partner, and the partner's marked-up private offer to one buyer.

pub mod lifecycle;
pub mod validate;
pub mod view;

use std::collections::HashSet;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, PublicOffer, CATALOG_CURRENCY};
use crate::error::PricingError;
use crate::fees::{self, Deal, FeeTable, Payouts};
use crate::field::required;
use crate::money::{Money, PriceKind, Quantity};
use crate::percent::{AdjustmentPercent, DiscountPercent, Program, CPPO_MARKUP_PLACES};
use crate::pricing;

pub use lifecycle::{AuthorizationAction, AuthorizationStatus, BuyerOfferAction, BuyerOfferStatus};

/// Whether the authorization serves any number of buyers or one named buyer once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "discount", rename_all = "snake_case", try_from = "KindWire")]
pub enum AuthorizationKind {
    /// Any number of buyers, until a date or indefinitely, until ended by either party.
    Recurring {
        /// The last day the authorization may be used, or `None` for indefinitely.
        until: Option<NaiveDate>,
    },
    /// One named buyer, used once.
    NonRecurring {
        /// The buyer's 12-digit AWS account ID.
        buyer_account_id: String,
        /// The buyer's name.
        buyer_name: String,
    },
}

/// An [`AuthorizationKind`] on the wire, read from a flat object (see [`required`]).
#[derive(Deserialize)]
struct KindWire {
    discount: KindTag,
    #[serde(default, deserialize_with = "crate::field::optional_iso_date")]
    until: Option<NaiveDate>,
    #[serde(default)]
    buyer_account_id: Option<String>,
    #[serde(default)]
    buyer_name: Option<String>,
}

/// The `discount` tag of an [`AuthorizationKind`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum KindTag {
    Recurring,
    NonRecurring,
}

impl TryFrom<KindWire> for AuthorizationKind {
    type Error = String;

    fn try_from(wire: KindWire) -> Result<Self, String> {
        Ok(match wire.discount {
            KindTag::Recurring => AuthorizationKind::Recurring { until: wire.until },
            KindTag::NonRecurring => AuthorizationKind::NonRecurring {
                buyer_account_id: required(wire.buyer_account_id, "buyer_account_id")?,
                buyer_name: required(wire.buyer_name, "buyer_name")?,
            },
        })
    }
}

/// A product of the ISV the partner may resell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizedProduct {
    /// The public offer.
    pub offer_id: String,
    /// The plan.
    pub plan_id: String,
}

/// What the ISV and the partner agree in a resale authorization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationTerms {
    /// The products the partner may resell.
    pub products: Vec<AuthorizedProduct>,
    /// The percentage off list price that makes the partner's wholesale price.
    pub discount_percent: DiscountPercent,
    /// The 12-digit AWS account ID the partner registered as a seller with.
    pub partner_aws_account_id: String,
    /// Recurring or non-recurring.
    pub kind: AuthorizationKind,
}

/// A resale authorization as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResaleAuthorization {
    /// The authorization's identifier.
    pub id: String,
    /// The ISV organization.
    pub isv_organization_id: String,
    /// The consulting partner organization.
    pub partner_organization_id: String,
    /// Where it stands.
    pub status: AuthorizationStatus,
    /// The agreed terms.
    pub terms: AuthorizationTerms,
}

impl ResaleAuthorization {
    /// The facts its state machine needs.
    pub fn facts(&self) -> lifecycle::AuthorizationFacts {
        match &self.terms.kind {
            AuthorizationKind::Recurring { until } => lifecycle::AuthorizationFacts {
                recurring: true,
                until: *until,
            },
            AuthorizationKind::NonRecurring { .. } => lifecycle::AuthorizationFacts {
                recurring: false,
                until: None,
            },
        }
    }
}

/// How the partner prices a line to the buyer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BuyerPricing {
    /// A markup % on the wholesale price: at least 0, at most 9 decimal places.
    MarkupPercent(AdjustmentPercent),
    /// An absolute buyer price, not below the wholesale price.
    BuyerPrice(Money),
}

/// One priced line of a buyer offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOfferLine {
    /// The authorized offer.
    pub offer_id: String,
    /// The authorized plan.
    pub plan_id: String,
    /// The plan's price point ([`crate::catalog::PricePoint::id`]).
    pub price_point_id: String,
    /// How many units the contract covers.
    pub quantity: Quantity,
    /// Markup or absolute buyer price.
    pub pricing: BuyerPricing,
}

/// What the partner enters for a buyer offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOfferForm {
    /// The buyer's 12-digit AWS account ID.
    pub buyer_account_id: String,
    /// The priced lines.
    pub lines: Vec<BuyerOfferLine>,
    /// Any custom terms of the transaction.
    pub custom_terms: String,
    /// The last day the buyer may accept.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// An optional multi-year payment schedule: 1 to 60 installments summing to the contract
    /// value exactly.
    pub payment_schedule: Option<Vec<Money>>,
}

/// Who has signed a buyer offer's payment schedule (both must).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleSignatures {
    /// The partner signed.
    pub partner: bool,
    /// The buyer signed.
    pub buyer: bool,
}

/// A buyer offer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOffer {
    /// The offer's identifier.
    pub id: String,
    /// The authorization it is made under.
    pub authorization_id: String,
    /// Where it stands.
    pub status: BuyerOfferStatus,
    /// What the partner entered.
    pub form: BuyerOfferForm,
    /// Signatures of the payment schedule.
    pub schedule_signatures: ScheduleSignatures,
}

/// One line priced: list, wholesale and buyer prices, and the buyer's line total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricedLine {
    /// The line's index in `lines`.
    pub line_index: usize,
    /// Flat (minor unit) or usage (8 places).
    pub kind: PriceKind,
    /// The list price.
    pub list_price: Money,
    /// List less the authorization's discount.
    pub wholesale_price: Money,
    /// The buyer's unit price.
    pub buyer_price: Money,
    /// The markup % the buyer price stands for, when set by one.
    pub markup_percent: Option<AdjustmentPercent>,
    /// Wholesale price x quantity, rounded to the minor unit.
    pub wholesale_total: Money,
    /// Buyer price x quantity, rounded to the minor unit.
    pub buyer_total: Money,
}

/// Why a line could not be priced.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LinePricingError {
    /// The line names a price point the authorization or the catalog lacks.
    #[error("names a price the resale authorization does not cover")]
    Unknown,
    /// The arithmetic refused a value.
    #[error("{0}")]
    Pricing(PricingError),
}

impl From<PricingError> for LinePricingError {
    fn from(error: PricingError) -> Self {
        LinePricingError::Pricing(error)
    }
}

/// The `(offer_id, plan_id)` pairs an authorization lets the partner resell.
pub(crate) fn authorized_products(terms: &AuthorizationTerms) -> HashSet<(&str, &str)> {
    terms
        .products
        .iter()
        .map(|p| (p.offer_id.as_str(), p.plan_id.as_str()))
        .collect()
}

/// Prices one line under `authorization` with the pricing core.
pub fn price_line(
    index: usize,
    line: &BuyerOfferLine,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<PricedLine, LinePricingError> {
    let authorized = authorized_products(authorization);
    price_authorized_line(index, line, &authorized, authorization, catalog)
}

/// [`price_line`] with the authorized products looked up once for a whole offer.
pub(crate) fn price_authorized_line(
    index: usize,
    line: &BuyerOfferLine,
    authorized: &HashSet<(&str, &str)>,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<PricedLine, LinePricingError> {
    let authorized = authorized.contains(&(line.offer_id.as_str(), line.plan_id.as_str()));
    let point = catalog
        .plan(&line.offer_id, &line.plan_id)
        .filter(|_| authorized)
        .and_then(|(_, plan)| {
            plan.price_points()
                .into_iter()
                .find(|point| point.id == line.price_point_id)
        })
        .ok_or(LinePricingError::Unknown)?;
    let currency = CATALOG_CURRENCY;
    let places = point.kind.unit_places(currency);
    let wholesale =
        pricing::discounted_price(point.list_price, authorization.discount_percent, places)?;
    let (buyer_price, markup) = match line.pricing {
        BuyerPricing::MarkupPercent(markup) => {
            let markup = AdjustmentPercent::new(markup.value(), CPPO_MARKUP_PLACES)?;
            (
                pricing::customer_price(wholesale, markup, places)?,
                Some(markup),
            )
        }
        BuyerPricing::BuyerPrice(price) => (Money::new(price.amount(), places)?, None),
    };
    Ok(PricedLine {
        line_index: index,
        kind: point.kind,
        list_price: point.list_price,
        wholesale_price: wholesale,
        buyer_price,
        markup_percent: markup,
        wholesale_total: pricing::line_total(wholesale, line.quantity, currency)?,
        buyer_total: pricing::line_total(buyer_price, line.quantity, currency)?,
    })
}

/// Every line priced, and the contract value (the sum of the buyer's line totals); an error when
/// a line cannot be priced (the validation names it).
pub fn price_buyer_offer(
    form: &BuyerOfferForm,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<(Vec<PricedLine>, Money), LinePricingError> {
    let authorized = authorized_products(authorization);
    let lines = form
        .lines
        .iter()
        .enumerate()
        .map(|(index, line)| {
            price_authorized_line(index, line, &authorized, authorization, catalog)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let value = pricing::sum(lines.iter().map(|line| line.buyer_total))?;
    Ok((lines, value))
}

/// The part of `catalog` the authorization lets the partner resell (its authorized plans only):
/// what the partner's page needs to price and check a buyer offer with the core, as the server
/// does.
pub fn authorized_catalog(terms: &AuthorizationTerms, catalog: &Catalog) -> Catalog {
    let authorized = authorized_products(terms);
    let offers = catalog
        .offers
        .iter()
        .filter_map(|offer| {
            let plans: Vec<_> = offer
                .plans
                .iter()
                .filter(|plan| authorized.contains(&(offer.id.as_str(), plan.id.as_str())))
                .cloned()
                .collect();
            (!plans.is_empty()).then(|| PublicOffer {
                id: offer.id.clone(),
                name: offer.name.clone(),
                offer_type: offer.offer_type,
                cloud_reseller: offer.cloud_reseller,
                plans,
            })
        })
        .collect();
    Catalog { offers }
}

/// Each party's payout of a priced buyer offer after the marketplace's fees in `table`: the ISV
/// is paid on the wholesale total, the partner on its markup (the contract value less that).
/// A buyer price below wholesale leaves no markup to pay out: an error.
pub fn buyer_offer_payouts(
    lines: &[PricedLine],
    contract_value: Money,
    table: &FeeTable,
) -> Result<Payouts, PricingError> {
    let wholesale = pricing::sum(lines.iter().map(|line| line.wholesale_total))?;
    fees::payouts(
        table,
        &Deal {
            program: Program::Cppo,
            currency: CATALOG_CURRENCY,
            partner_total: wholesale,
            customer_total: contract_value,
            renewal: false,
        },
    )
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::tests::sample;

    pub(crate) fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    pub(crate) fn recurring() -> AuthorizationTerms {
        AuthorizationTerms {
            products: vec![
                AuthorizedProduct {
                    offer_id: "contoso-saas".into(),
                    plan_id: "pro".into(),
                },
                AuthorizedProduct {
                    offer_id: "contoso-saas".into(),
                    plan_id: "team".into(),
                },
            ],
            discount_percent: DiscountPercent::parse("20").unwrap(),
            partner_aws_account_id: "111122223333".into(),
            kind: AuthorizationKind::Recurring {
                until: Some(date("2027-12-31")),
            },
        }
    }

    pub(crate) fn non_recurring() -> AuthorizationTerms {
        AuthorizationTerms {
            kind: AuthorizationKind::NonRecurring {
                buyer_account_id: "444455556666".into(),
                buyer_name: "Fabrikam".into(),
            },
            ..recurring()
        }
    }

    pub(crate) fn form() -> BuyerOfferForm {
        BuyerOfferForm {
            buyer_account_id: "444455556666".into(),
            lines: vec![
                BuyerOfferLine {
                    offer_id: "contoso-saas".into(),
                    plan_id: "pro".into(),
                    price_point_id: "flat:one_year".into(),
                    quantity: Quantity::whole(3).unwrap(),
                    pricing: BuyerPricing::MarkupPercent(
                        AdjustmentPercent::parse("12.5", 9).unwrap(),
                    ),
                },
                BuyerOfferLine {
                    offer_id: "contoso-saas".into(),
                    plan_id: "team".into(),
                    price_point_id: "user:one_month".into(),
                    quantity: Quantity::whole(40).unwrap(),
                    pricing: BuyerPricing::BuyerPrice(Money::parse("11.00", 2).unwrap()),
                },
            ],
            custom_terms: "Net 45; renewal at the same price.".into(),
            accept_by: date("2026-12-31"),
            payment_schedule: None,
        }
    }

    #[test]
    fn buyer_prices_are_marked_up_from_wholesale() {
        let (lines, value) = price_buyer_offer(&form(), &recurring(), &sample()).unwrap();
        // 1100 less 20% is 880; plus 12.5% is 990, for 3 years 2970.
        assert_eq!(lines[0].wholesale_price.to_string(), "880");
        assert_eq!(lines[0].buyer_price.to_string(), "990");
        assert_eq!(lines[0].buyer_total.to_string(), "2970");
        // 12 less 20% is 9.60; the buyer pays 11.00 for 40 users.
        assert_eq!(lines[1].wholesale_total.to_string(), "384");
        assert_eq!(lines[1].buyer_total.to_string(), "440");
        assert_eq!(value.to_string(), "3410");
    }

    #[test]
    fn each_party_is_paid_after_the_aws_fees() {
        let (lines, value) = price_buyer_offer(&form(), &recurring(), &sample()).unwrap();
        let payouts = buyer_offer_payouts(&lines, value, &FeeTable::aws()).unwrap();
        // Wholesale 2640 + 384 = 3024, less the 3% listing fee (90.72).
        assert_eq!(payouts.isv.gross.to_string(), "3024");
        assert_eq!(payouts.isv.net.to_string(), "2933.28");
        // Markup 3410 - 3024 = 386, less 3% (11.58) and the CPPO 0.5% (1.93).
        assert_eq!(payouts.partner.gross.to_string(), "386");
        assert_eq!(payouts.partner.net.to_string(), "372.49");
    }

    #[test]
    fn the_authorized_catalog_holds_only_the_authorized_plans() {
        let mut terms = recurring();
        terms.products.truncate(1);
        let catalog = authorized_catalog(&terms, &sample());
        assert_eq!(catalog.offers.len(), 1);
        let plans: Vec<&str> = catalog.offers[0]
            .plans
            .iter()
            .map(|plan| plan.id.as_str())
            .collect();
        assert_eq!(plans, ["pro"]);
        let mut form = form();
        form.lines.truncate(1);
        assert_eq!(
            price_buyer_offer(&form, &terms, &catalog),
            price_buyer_offer(&form, &terms, &sample())
        );
    }

    #[test]
    fn authorizations_and_buyer_offers_travel_as_json() {
        let authorization = ResaleAuthorization {
            id: "ra-1".into(),
            isv_organization_id: "contoso".into(),
            partner_organization_id: "adatum".into(),
            status: AuthorizationStatus::Active,
            terms: non_recurring(),
        };
        let text = serde_json::to_string(&authorization).unwrap();
        assert!(
            text.contains(
                r#""kind":{"discount":"non_recurring","buyer_account_id":"444455556666""#
            ),
            "{text}"
        );
        assert!(text.contains(r#""discount_percent":"20""#));
        assert_eq!(
            serde_json::from_str::<ResaleAuthorization>(&text).unwrap(),
            authorization
        );
        let mut form = form();
        form.payment_schedule = Some(vec![Money::parse("1705.00", 2).unwrap(); 2]);
        let offer = BuyerOffer {
            id: "bo-1".into(),
            authorization_id: "ra-1".into(),
            status: BuyerOfferStatus::Draft,
            form,
            schedule_signatures: ScheduleSignatures::default(),
        };
        let text = serde_json::to_string(&offer).unwrap();
        for expected in [
            r#""pricing":{"markup_percent":"12.5"}"#,
            r#""pricing":{"buyer_price":"11"}"#,
            r#""payment_schedule":["1705","1705"]"#,
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(serde_json::from_str::<BuyerOffer>(&text).unwrap(), offer);
        let negative = text.replace(r#""markup_percent":"12.5""#, r#""markup_percent":"-1""#);
        assert!(
            serde_json::from_str::<BuyerOffer>(&negative).is_err(),
            "never below 0"
        );
    }

    #[test]
    fn unauthorized_products_cannot_be_priced() {
        let mut form = form();
        form.lines[0].plan_id = "starter".into();
        assert_eq!(
            price_buyer_offer(&form, &recurring(), &sample()),
            Err(LinePricingError::Unknown)
        );
    }
}
