//! Microsoft multiparty private offers (seeds 001, 002): the ISV's part and the selling
//! partner's part are separate types, so each side's form edits only its own.

pub mod cancellation;
pub mod lifecycle;
pub mod purchase;
pub mod validate;
pub mod view;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::catalog::{Catalog, IncludedQuantity, TermPrice, CATALOG_CURRENCY};
use crate::error::PricingError;
use crate::field::{once, required, StartWire};
use crate::money::{Money, PriceKind, Quantity};
use crate::percent::{AdjustmentPercent, DiscountPercent};
use crate::pricing::{self, PartnerPricing, ReservationPayment, ReservationTerm};

pub use lifecycle::{MultipartyAction, MultipartyFacts, MultipartyStatus};

/// Most products (offers or plans) in one multiparty offer.
pub const MAX_PRODUCTS: usize = 10;
/// Most terms and conditions documents, in total between the ISV and the partner.
pub const MAX_TERMS_DOCUMENTS: usize = 5;
/// The days the customer dates allow (seed 001): a specific start month starts on its 1st; the
/// end and accept-by dates may be any day.
pub const START_MONTH_DAYS: crate::field::DateRule = crate::field::DateRule::FirstOfMonth;
/// See [`START_MONTH_DAYS`].
pub const CUSTOMER_END_DAYS: crate::field::DateRule = crate::field::DateRule::AnyDay;
/// See [`START_MONTH_DAYS`].
pub const ACCEPT_BY_DAYS: crate::field::DateRule = crate::field::DateRule::AnyDay;
/// The customer billing account countries multiparty offers support (ISO 3166 alpha-2).
pub const CUSTOMER_COUNTRIES: [&str; 3] = ["US", "GB", "CA"];

/// When the customer's private prices start.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "start",
    content = "month",
    rename_all = "snake_case",
    try_from = "StartWire<CustomerStartTag>"
)]
pub enum CustomerStart {
    /// As soon as the customer accepts.
    OnAcceptance,
    /// A specific month, always its 1st; the customer does not see the offer before then.
    Month(NaiveDate),
}

/// The `start` tag of a [`CustomerStart`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum CustomerStartTag {
    OnAcceptance,
    Month,
}

impl TryFrom<StartWire<CustomerStartTag>> for CustomerStart {
    type Error = String;

    fn try_from(wire: StartWire<CustomerStartTag>) -> Result<Self, String> {
        Ok(match wire.start {
            CustomerStartTag::OnAcceptance => CustomerStart::OnAcceptance,
            CustomerStartTag::Month => CustomerStart::Month(required(wire.month, "month")?),
        })
    }
}

/// A terms and conditions PDF the customer accepts with the offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermsDocument {
    /// The unique name the customer (and, for the ISV's documents, the partner) sees.
    pub customer_facing_name: String,
    /// The stored PDF.
    pub file_id: String,
}

/// The customer the offer is made to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerBillingAccount {
    /// The Microsoft billing account ID.
    pub billing_account_id: String,
    /// ISO 3166 alpha-2 code of the billing account's country: US, GB or CA.
    pub country: String,
}

/// An absolute partner price for one of a plan's price points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PointPrice {
    /// The price point of the plan ([`crate::catalog::PricePoint::id`]).
    pub price_point_id: String,
    /// The partner price.
    pub price: Money,
}

/// How an existing plan is priced to the partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExistingPlanPricing {
    /// A discount off every list price of the plan; it caps the customer adjustment.
    DiscountPercent(DiscountPercent),
    /// An absolute partner price for every price point of the plan.
    AbsolutePrices(Vec<PointPrice>),
}

/// A per-unit partner price of a meter dimension of a new SaaS plan.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterPrice {
    /// The template plan's meter dimension.
    pub dimension_id: String,
    /// The partner price per unit (up to 8 decimal places).
    pub price_per_unit: Money,
}

/// How a new SaaS plan is priced to the partner (absolute prices). On the wire it is an object
/// tagged by `model`, read field by field like [`ProductLine`] so that a misfit is named at its
/// field (`products[0].pricing.prices[0].price`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum NewPlanPricing {
    /// A price per payment of each billing term, with quantities included per meter.
    FlatRate {
        /// The price of each billing term.
        prices: Vec<TermPrice>,
        /// The quantities the base price includes.
        included_quantities: Vec<IncludedQuantity>,
    },
    /// A price per user per payment, with user limits.
    PerUser {
        /// The fewest users the customer buys.
        min_users: u32,
        /// The most users the customer buys.
        max_users: u32,
        /// The price per user of each billing term.
        prices: Vec<TermPrice>,
    },
}

/// One reservation of a VM software reservation line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reservation {
    /// The vCPU size, one the plan has reservation prices for.
    pub vcpu_size: String,
    /// How many reservations (a whole number).
    pub quantity: Quantity,
    /// The partner unit price (the monthly unit price when paid monthly).
    pub unit_price: Money,
}

/// One product of the offer; all products of an offer share one pricing type. On the wire it is
/// an object tagged by `pricing_type`; it is read by [`ProductLine`]'s own reader so that a
/// misfit is named at its field (`products[0].partner_pricing.discount_percent`), not only at
/// the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "pricing_type", rename_all = "snake_case")]
pub enum ProductLine {
    /// (a) An existing public plan with a discount or absolute partner prices.
    ExistingPlan {
        /// The public offer.
        offer_id: String,
        /// The plan.
        plan_id: String,
        /// The partner pricing.
        partner_pricing: ExistingPlanPricing,
    },
    /// (b) A new SaaS plan made from a template plan.
    NewSaasPlan {
        /// The public SaaS offer of the template.
        template_offer_id: String,
        /// The template plan.
        template_plan_id: String,
        /// The new plan's name.
        name: String,
        /// The new plan's description.
        description: String,
        /// Its absolute partner prices and limits.
        pricing: NewPlanPricing,
        /// Absolute partner prices of the template's meters.
        meter_prices: Vec<MeterPrice>,
    },
    /// (c) VM software reservations of one plan: absolute by nature.
    VmReservation {
        /// The public VM offer.
        offer_id: String,
        /// The VM plan with reservation pricing.
        plan_id: String,
        /// One or three years.
        term: ReservationTerm,
        /// Upfront or monthly.
        payment: ReservationPayment,
        /// vCPU size x quantity x unit price.
        reservations: Vec<Reservation>,
    },
}

/// The `model` tag of a [`NewPlanPricing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum NewPlanModel {
    FlatRate,
    PerUser,
}

impl<'de> Deserialize<'de> for NewPlanPricing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(NewPlanPricingReader)
    }
}

/// Reads a new plan's pricing field by field (see [`ProductLineReader`]).
struct NewPlanPricingReader;

impl<'de> serde::de::Visitor<'de> for NewPlanPricingReader {
    type Value = NewPlanPricing;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a new plan's pricing with a model of flat_rate or per_user")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(
        self,
        mut map: A,
    ) -> Result<NewPlanPricing, A::Error> {
        use serde::de::Error;
        let mut model = None;
        let mut prices = None;
        let mut included_quantities = None;
        let mut min_users = None;
        let mut max_users = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "model" => once(&mut model, map.next_value::<NewPlanModel>()?, "model")?,
                "prices" => once(&mut prices, map.next_value::<Vec<TermPrice>>()?, "prices")?,
                "included_quantities" => once(
                    &mut included_quantities,
                    map.next_value::<Vec<IncludedQuantity>>()?,
                    "included_quantities",
                )?,
                "min_users" => once(&mut min_users, map.next_value::<u32>()?, "min_users")?,
                "max_users" => once(&mut max_users, map.next_value::<u32>()?, "max_users")?,
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let missing = A::Error::missing_field;
        Ok(match model.ok_or_else(|| missing("model"))? {
            NewPlanModel::FlatRate => NewPlanPricing::FlatRate {
                prices: prices.ok_or_else(|| missing("prices"))?,
                included_quantities: included_quantities
                    .ok_or_else(|| missing("included_quantities"))?,
            },
            NewPlanModel::PerUser => NewPlanPricing::PerUser {
                min_users: min_users.ok_or_else(|| missing("min_users"))?,
                max_users: max_users.ok_or_else(|| missing("max_users"))?,
                prices: prices.ok_or_else(|| missing("prices"))?,
            },
        })
    }
}

/// The `pricing_type` tag of a [`ProductLine`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum ProductPricingType {
    ExistingPlan,
    NewSaasPlan,
    VmReservation,
}

impl<'de> Deserialize<'de> for ProductLine {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ProductLineReader)
    }
}

/// Reads a product line field by field. Every field name has one type whatever the pricing
/// type, so each value is read as it comes, where a path-tracking reader can name it; serde's
/// own tagged enums buffer the line first and lose the path inside it.
struct ProductLineReader;

impl<'de> serde::de::Visitor<'de> for ProductLineReader {
    type Value = ProductLine;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str(
            "a product with a pricing_type of existing_plan, new_saas_plan or vm_reservation",
        )
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<ProductLine, A::Error> {
        use serde::de::Error;
        let mut pricing_type = None;
        let mut offer_id = None;
        let mut plan_id = None;
        let mut partner_pricing = None;
        let mut template_offer_id = None;
        let mut template_plan_id = None;
        let mut name = None;
        let mut description = None;
        let mut pricing = None;
        let mut meter_prices = None;
        let mut term = None;
        let mut payment = None;
        let mut reservations = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "pricing_type" => once(
                    &mut pricing_type,
                    map.next_value::<ProductPricingType>()?,
                    "pricing_type",
                )?,
                "offer_id" => once(&mut offer_id, map.next_value::<String>()?, "offer_id")?,
                "plan_id" => once(&mut plan_id, map.next_value::<String>()?, "plan_id")?,
                "partner_pricing" => once(
                    &mut partner_pricing,
                    map.next_value::<ExistingPlanPricing>()?,
                    "partner_pricing",
                )?,
                "template_offer_id" => once(
                    &mut template_offer_id,
                    map.next_value::<String>()?,
                    "template_offer_id",
                )?,
                "template_plan_id" => once(
                    &mut template_plan_id,
                    map.next_value::<String>()?,
                    "template_plan_id",
                )?,
                "name" => once(&mut name, map.next_value::<String>()?, "name")?,
                "description" => {
                    once(&mut description, map.next_value::<String>()?, "description")?
                }
                "pricing" => once(&mut pricing, map.next_value::<NewPlanPricing>()?, "pricing")?,
                "meter_prices" => once(
                    &mut meter_prices,
                    map.next_value::<Vec<MeterPrice>>()?,
                    "meter_prices",
                )?,
                "term" => once(&mut term, map.next_value::<ReservationTerm>()?, "term")?,
                "payment" => once(
                    &mut payment,
                    map.next_value::<ReservationPayment>()?,
                    "payment",
                )?,
                "reservations" => once(
                    &mut reservations,
                    map.next_value::<Vec<Reservation>>()?,
                    "reservations",
                )?,
                // Like serde's derived reader, unknown fields are ignored.
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let pricing_type = pricing_type.ok_or_else(|| A::Error::missing_field("pricing_type"))?;
        let missing = A::Error::missing_field;
        Ok(match pricing_type {
            ProductPricingType::ExistingPlan => ProductLine::ExistingPlan {
                offer_id: offer_id.ok_or_else(|| missing("offer_id"))?,
                plan_id: plan_id.ok_or_else(|| missing("plan_id"))?,
                partner_pricing: partner_pricing.ok_or_else(|| missing("partner_pricing"))?,
            },
            ProductPricingType::NewSaasPlan => ProductLine::NewSaasPlan {
                template_offer_id: template_offer_id.ok_or_else(|| missing("template_offer_id"))?,
                template_plan_id: template_plan_id.ok_or_else(|| missing("template_plan_id"))?,
                name: name.ok_or_else(|| missing("name"))?,
                description: description.ok_or_else(|| missing("description"))?,
                pricing: pricing.ok_or_else(|| missing("pricing"))?,
                meter_prices: meter_prices.ok_or_else(|| missing("meter_prices"))?,
            },
            ProductPricingType::VmReservation => ProductLine::VmReservation {
                offer_id: offer_id.ok_or_else(|| missing("offer_id"))?,
                plan_id: plan_id.ok_or_else(|| missing("plan_id"))?,
                term: term.ok_or_else(|| missing("term"))?,
                payment: payment.ok_or_else(|| missing("payment"))?,
                reservations: reservations.ok_or_else(|| missing("reservations"))?,
            },
        })
    }
}

/// The pricing type of a product line, shared by every product of an offer; on the wire, the
/// line's `pricing_type` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PricingType {
    /// An existing plan.
    ExistingPlan,
    /// A new SaaS plan made from a template plan.
    NewSaasPlan,
    /// VM software reservations.
    VmReservation,
}

impl PricingType {
    /// Every pricing type, in the order seed 001 lists them.
    pub const ALL: [PricingType; 3] = [
        PricingType::ExistingPlan,
        PricingType::NewSaasPlan,
        PricingType::VmReservation,
    ];

    /// The pricing type of the wire name `name`.
    pub fn from_name(name: &str) -> Option<PricingType> {
        PricingType::ALL
            .into_iter()
            .find(|pricing_type| pricing_type.as_str() == name)
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PricingType::ExistingPlan => "existing_plan",
            PricingType::NewSaasPlan => "new_saas_plan",
            PricingType::VmReservation => "vm_reservation",
        }
    }
}

impl ProductLine {
    /// The line's pricing type.
    pub fn pricing_type(&self) -> PricingType {
        match self {
            ProductLine::ExistingPlan { .. } => PricingType::ExistingPlan,
            ProductLine::NewSaasPlan { .. } => PricingType::NewSaasPlan,
            ProductLine::VmReservation { .. } => PricingType::VmReservation,
        }
    }

    /// The public offer and plan the line sells (for a new plan: its template).
    pub fn offer_and_plan(&self) -> (&str, &str) {
        match self {
            ProductLine::ExistingPlan {
                offer_id, plan_id, ..
            }
            | ProductLine::VmReservation {
                offer_id, plan_id, ..
            } => (offer_id, plan_id),
            ProductLine::NewSaasPlan {
                template_offer_id,
                template_plan_id,
                ..
            } => (template_offer_id, template_plan_id),
        }
    }
}

/// What the ISV enters: everything but the partner's adjustment, prepared-by, terms, contacts
/// and sales note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsvPart {
    /// The offer name, visible to the partner and the customer.
    pub name: String,
    /// An optional description for the ISV and the partner (never the customer).
    pub description: String,
    /// The customer's billing account.
    pub customer: CustomerBillingAccount,
    /// The one selling partner, by marketplace seller ID.
    pub selling_partner_seller_id: String,
    /// Up to 10 products, all of one pricing type.
    pub products: Vec<ProductLine>,
    /// When the customer's prices start.
    pub customer_start: CustomerStart,
    /// The last day the customer's prices apply.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub customer_end: NaiveDate,
    /// The last day the customer may accept (not after `customer_end`).
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// The ISV's terms and conditions documents.
    pub terms: Vec<TermsDocument>,
    /// Up to 5 of the ISV's people told about status changes.
    pub notification_contacts: Vec<String>,
    /// At most 60 characters, no personal data; seen only by the ISV.
    pub sales_note: String,
    /// Whether the customer is renewing (set by the ISV).
    pub renewal: bool,
}

/// What the selling partner enters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPart {
    /// The customer adjustment % (at most 8 places), applied uniformly to every product and meter.
    pub customer_adjustment_percent: AdjustmentPercent,
    /// The required prepared-by email the customer sees.
    pub prepared_by: String,
    /// The partner's terms documents (never seen by the ISV).
    pub terms: Vec<TermsDocument>,
    /// Up to 5 of the partner's people told about status changes.
    pub notification_contacts: Vec<String>,
    /// At most 60 characters, no personal data; seen only by the partner.
    pub sales_note: String,
}

impl Default for PartnerPart {
    fn default() -> Self {
        PartnerPart {
            customer_adjustment_percent: AdjustmentPercent::ZERO,
            prepared_by: String::new(),
            terms: Vec::new(),
            notification_contacts: Vec::new(),
            sales_note: String::new(),
        }
    }
}

/// The purchase status of a SaaS product after acceptance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PurchaseStatus {
    /// Subscribed, but not yet configured by the customer or not yet activated by the ISV.
    PendingFulfillmentStart,
    /// Configured and activated.
    Subscribed,
    /// Payment not received; cancelled after a 30-day grace period.
    Suspended,
    /// Cancelled, expired, or not activated by the ISV within 30 days.
    Unsubscribed,
}

/// A customer's subscription to one SaaS product of the offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purchase {
    /// The public offer.
    pub offer_id: String,
    /// The plan.
    pub plan_id: String,
    /// Where the subscription stands.
    pub status: PurchaseStatus,
    /// The day it entered that status (the 30-day periods count from it).
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub since: NaiveDate,
}

/// One of the two sides that configure a multiparty offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The ISV (originator).
    Isv,
    /// The selling partner.
    Partner,
}

/// A request to cancel an accepted offer and the confirmations it needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cancellation {
    /// Who asks.
    pub requested_by: Side,
    /// Why (incorrect pricing, plan, terms or dates).
    pub reason: String,
    /// Whether the other side agreed in writing.
    pub other_side_confirmed: bool,
    /// Whether the customer agreed in writing.
    pub customer_confirmed: bool,
}

/// A multiparty private offer as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MultipartyOffer {
    /// The offer's identifier.
    pub id: String,
    /// Where it is in its lifecycle.
    pub status: MultipartyStatus,
    /// The originating ISV organization.
    pub isv_organization_id: String,
    /// The ISV's part.
    pub isv: IsvPart,
    /// The partner's part (empty until the partner edits it).
    pub partner: PartnerPart,
    /// The offer this one upgrades at renewal, if any.
    pub upgrade_of: Option<String>,
    /// The customer's SaaS subscriptions under the offer.
    pub purchases: Vec<Purchase>,
    /// A pending cancellation request.
    pub cancellation: Option<Cancellation>,
}

impl MultipartyOffer {
    /// A copy of this offer to start another from (any status): the ISV's part is copied under
    /// `name`; the status (Draft), the partner's part, purchases, cancellation and upgrade link
    /// are reset.
    pub fn clone_as(&self, id: impl Into<String>, name: impl Into<String>) -> MultipartyOffer {
        MultipartyOffer {
            id: id.into(),
            status: MultipartyStatus::Draft,
            isv_organization_id: self.isv_organization_id.clone(),
            isv: IsvPart {
                name: name.into(),
                ..self.isv.clone()
            },
            partner: PartnerPart::default(),
            upgrade_of: None,
            purchases: Vec::new(),
            cancellation: None,
        }
    }

    /// The draft of an upgrade at renewal: a new offer linked to this one, with the same parts
    /// for each side to edit within [`validate::validate_upgrade`]'s rules.
    pub fn upgrade_as(&self, id: impl Into<String>) -> MultipartyOffer {
        MultipartyOffer {
            id: id.into(),
            status: MultipartyStatus::Draft,
            isv_organization_id: self.isv_organization_id.clone(),
            isv: self.isv.clone(),
            partner: self.partner.clone(),
            upgrade_of: Some(self.id.clone()),
            purchases: Vec::new(),
            cancellation: None,
        }
    }
}

/// One partner price of the offer, with the list price it comes from when there is one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPriceItem {
    /// The product's index in `products`.
    pub product_index: usize,
    /// The public offer (for a new plan: its template's).
    pub offer_id: String,
    /// The plan (for a new plan: its template).
    pub plan_id: String,
    /// What is priced (`flat:one_month`, `meter:api-calls`, `reservation:4 vCPU`).
    pub price_point_id: String,
    /// Flat (minor unit) or usage (8 places).
    pub kind: PriceKind,
    /// The list price on the same basis, when the catalog has one.
    pub list_price: Option<Money>,
    /// The partner (wholesale) price.
    pub partner_price: Money,
    /// How many reservations, for a VM reservation; `None` otherwise.
    pub quantity: Option<Quantity>,
    /// The ISV's discount behind the price, if priced by one.
    pub discount_percent: Option<DiscountPercent>,
}

/// Every partner price of the ISV's products. Products the catalog lacks are skipped (the
/// validation reports them); an absolute price the line does not give is skipped too.
pub fn partner_prices(
    isv: &IsvPart,
    catalog: &Catalog,
) -> Result<Vec<PartnerPriceItem>, PricingError> {
    let mut items = Vec::new();
    for (index, line) in isv.products.iter().enumerate() {
        let (offer_id, plan_id) = line.offer_and_plan();
        let Some((_, plan)) = catalog.plan(offer_id, plan_id) else {
            continue;
        };
        let points = plan.price_points();
        let list_of = |id: &str| points.iter().find(|p| p.id == id).map(|p| p.list_price);
        let item =
            |id: String, kind, list_price, partner_price, quantity, discount| PartnerPriceItem {
                product_index: index,
                offer_id: offer_id.to_owned(),
                plan_id: plan_id.to_owned(),
                price_point_id: id,
                kind,
                list_price,
                partner_price,
                quantity,
                discount_percent: discount,
            };
        match line {
            ProductLine::ExistingPlan {
                partner_pricing, ..
            } => {
                for point in &points {
                    let places = point.kind.unit_places(CATALOG_CURRENCY);
                    let (pricing, discount) = match partner_pricing {
                        ExistingPlanPricing::DiscountPercent(percent) => {
                            (PartnerPricing::Discount(*percent), Some(*percent))
                        }
                        ExistingPlanPricing::AbsolutePrices(prices) => {
                            match prices.iter().find(|p| p.price_point_id == point.id) {
                                Some(price) => (PartnerPricing::Absolute(price.price), None),
                                None => continue,
                            }
                        }
                    };
                    let price = pricing::partner_price(point.list_price, pricing, places)?;
                    items.push(item(
                        point.id.clone(),
                        point.kind,
                        Some(point.list_price),
                        price,
                        None,
                        discount,
                    ));
                }
            }
            ProductLine::NewSaasPlan {
                pricing,
                meter_prices,
                ..
            } => {
                let (prefix, prices) = match pricing {
                    NewPlanPricing::FlatRate { prices, .. } => ("flat", prices),
                    NewPlanPricing::PerUser { prices, .. } => ("user", prices),
                };
                for price in prices {
                    let id = format!("{prefix}:{}", price.billing_term.as_str());
                    Money::new(price.price.amount(), CATALOG_CURRENCY.minor_units())?;
                    let list = list_of(&id);
                    items.push(item(id, PriceKind::Flat, list, price.price, None, None));
                }
                for meter in meter_prices {
                    let id = format!("meter:{}", meter.dimension_id);
                    Money::new(meter.price_per_unit.amount(), crate::money::USAGE_PLACES)?;
                    let list = list_of(&id);
                    items.push(item(
                        id,
                        PriceKind::Usage,
                        list,
                        meter.price_per_unit,
                        None,
                        None,
                    ));
                }
            }
            ProductLine::VmReservation {
                term,
                payment,
                reservations,
                ..
            } => {
                let term_name = match term {
                    ReservationTerm::OneYear => "one_year",
                    ReservationTerm::ThreeYears => "three_years",
                };
                for reservation in reservations {
                    Money::new(
                        reservation.unit_price.amount(),
                        CATALOG_CURRENCY.minor_units(),
                    )?;
                    // The catalog's reservation price is an upfront price: it is only a list
                    // price for an upfront line.
                    let list = match payment {
                        ReservationPayment::Upfront => list_of(&format!(
                            "reservation:{}:{term_name}",
                            reservation.vcpu_size
                        )),
                        ReservationPayment::Monthly => None,
                    };
                    items.push(item(
                        format!("reservation:{}", reservation.vcpu_size),
                        PriceKind::Flat,
                        list,
                        reservation.unit_price,
                        Some(reservation.quantity),
                        None,
                    ));
                }
            }
        }
    }
    Ok(items)
}

/// The most the partner's customer adjustment % may be: the smallest discount among the ISV's
/// existing-plan lines; `None` when no line is priced by a discount.
pub fn max_customer_adjustment(isv: &IsvPart) -> Option<rust_decimal::Decimal> {
    pricing::adjustment_cap(isv.products.iter().filter_map(|line| match line {
        ProductLine::ExistingPlan {
            partner_pricing: ExistingPlanPricing::DiscountPercent(percent),
            ..
        } => Some(PartnerPricing::Discount(*percent)),
        _ => None,
    }))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::tests::sample;

    pub(crate) fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    /// A valid ISV part: two existing plans, one by discount, one by absolute prices.
    pub(crate) fn isv_part() -> IsvPart {
        IsvPart {
            name: "Contoso for Fabrikam".into(),
            description: "Three-year expansion".into(),
            customer: CustomerBillingAccount {
                billing_account_id: "a1b2c3d4:e5f6_2019-05-31".into(),
                country: "US".into(),
            },
            selling_partner_seller_id: "seller-1".into(),
            products: vec![
                ProductLine::ExistingPlan {
                    offer_id: "contoso-saas".into(),
                    plan_id: "pro".into(),
                    partner_pricing: ExistingPlanPricing::DiscountPercent(
                        DiscountPercent::parse("10").unwrap(),
                    ),
                },
                ProductLine::ExistingPlan {
                    offer_id: "contoso-saas".into(),
                    plan_id: "team".into(),
                    partner_pricing: ExistingPlanPricing::AbsolutePrices(vec![PointPrice {
                        price_point_id: "user:one_month".into(),
                        price: Money::parse("9.50", 2).unwrap(),
                    }]),
                },
            ],
            customer_start: CustomerStart::Month(date("2027-01-01")),
            customer_end: date("2027-12-31"),
            accept_by: date("2027-01-15"),
            terms: vec![TermsDocument {
                customer_facing_name: "Contoso EULA".into(),
                file_id: "f-1".into(),
            }],
            notification_contacts: vec!["deals@contoso.com".into()],
            sales_note: "Q4 push".into(),
            renewal: false,
        }
    }

    /// A valid partner part.
    pub(crate) fn partner_part() -> PartnerPart {
        PartnerPart {
            customer_adjustment_percent: AdjustmentPercent::parse("5", 8).unwrap(),
            prepared_by: "rep@adatum.com".into(),
            terms: vec![TermsDocument {
                customer_facing_name: "Adatum services terms".into(),
                file_id: "f-2".into(),
            }],
            notification_contacts: vec!["ops@adatum.com".into()],
            sales_note: "Upsell next year".into(),
        }
    }

    pub(crate) fn offer(status: MultipartyStatus) -> MultipartyOffer {
        MultipartyOffer {
            id: "mpo-1".into(),
            status,
            isv_organization_id: "contoso".into(),
            isv: isv_part(),
            partner: partner_part(),
            upgrade_of: None,
            purchases: vec![],
            cancellation: None,
        }
    }

    #[test]
    fn partner_prices_come_from_the_catalog_and_the_isv_pricing() {
        let items = partner_prices(&isv_part(), &sample()).unwrap();
        let summary: Vec<_> = items
            .iter()
            .map(|i| (i.price_point_id.as_str(), i.partner_price.to_string()))
            .collect();
        assert_eq!(
            summary,
            [
                ("flat:one_month", "90".to_owned()),
                ("flat:one_year", "990".to_owned()),
                ("meter:api-calls", "0.00135".to_owned()),
                ("user:one_month", "9.5".to_owned()),
            ]
        );
        assert_eq!(max_customer_adjustment(&isv_part()), Some(10.into()));
    }

    #[test]
    fn offers_travel_as_json_with_string_decimals_and_iso_dates() {
        let mut offer = offer(MultipartyStatus::PendingAcceptance);
        offer.purchases.push(Purchase {
            offer_id: "contoso-saas".into(),
            plan_id: "pro".into(),
            status: PurchaseStatus::Subscribed,
            since: date("2027-01-05"),
        });
        let text = serde_json::to_string(&offer).unwrap();
        for expected in [
            r#""status":"PendingAcceptance""#,
            r#""pricing_type":"existing_plan""#,
            r#""partner_pricing":{"discount_percent":"10"}"#,
            r#""price":"9.5""#,
            r#""customer_start":{"start":"month","month":"2027-01-01"}"#,
            r#""accept_by":"2027-01-15""#,
            r#""customer_adjustment_percent":"5""#,
            r#""status":"Subscribed""#,
        ] {
            assert!(text.contains(expected), "{expected} in {text}");
        }
        assert_eq!(
            serde_json::from_str::<MultipartyOffer>(&text).unwrap(),
            offer
        );
        let bad = text.replace(r#"{"discount_percent":"10"}"#, r#"{"discount_percent":10}"#);
        assert!(
            serde_json::from_str::<MultipartyOffer>(&bad).is_err(),
            "no JSON numbers"
        );
        let bad = text.replace(
            r#"{"discount_percent":"10"}"#,
            r#"{"discount_percent":"100"}"#,
        );
        assert!(serde_json::from_str::<MultipartyOffer>(&bad).is_err());
    }

    #[test]
    fn a_clone_keeps_the_isv_part_and_resets_the_rest() {
        let mut source = offer(MultipartyStatus::Accepted);
        source.upgrade_of = Some("old".into());
        let copy = source.clone_as("mpo-2", "Copy");
        assert_eq!(copy.status, MultipartyStatus::Draft);
        assert_eq!(copy.isv.name, "Copy");
        assert_eq!(copy.isv.products, source.isv.products);
        assert_eq!(copy.partner, PartnerPart::default());
        assert_eq!(copy.upgrade_of, None);
        let upgrade = source.upgrade_as("mpo-3");
        assert_eq!(upgrade.upgrade_of.as_deref(), Some("mpo-1"));
        assert_eq!(upgrade.partner, source.partner);
    }

    fn product_problem(line: serde_json::Value) -> (String, String) {
        let error = serde_path_to_error::deserialize::<_, ProductLine>(line).unwrap_err();
        (error.path().to_string(), error.inner().to_string())
    }

    #[test]
    fn every_product_line_reads_back_from_its_json() {
        let mut lines = isv_part().products;
        lines.push(ProductLine::NewSaasPlan {
            template_offer_id: "contoso-saas".into(),
            template_plan_id: "pro".into(),
            name: "Pro for Tailspin".into(),
            description: "Custom".into(),
            pricing: NewPlanPricing::PerUser {
                min_users: 5,
                max_users: 50,
                prices: vec![],
            },
            meter_prices: vec![MeterPrice {
                dimension_id: "api-calls".into(),
                price_per_unit: Money::parse("0.0012", 8).unwrap(),
            }],
        });
        lines.push(ProductLine::VmReservation {
            offer_id: "contoso-vm".into(),
            plan_id: "fw".into(),
            term: ReservationTerm::ThreeYears,
            payment: ReservationPayment::Monthly,
            reservations: vec![Reservation {
                vcpu_size: "4 vCPU".into(),
                quantity: Quantity::whole(2).unwrap(),
                unit_price: Money::parse("80.00", 2).unwrap(),
            }],
        });
        for line in lines {
            let json = serde_json::to_value(&line).unwrap();
            assert_eq!(json["pricing_type"], line.pricing_type().as_str());
            assert_eq!(serde_json::from_value::<ProductLine>(json).unwrap(), line);
        }
        // The tag may come anywhere, and unknown fields are ignored as before.
        let text = r#"{"offer_id":"contoso-saas","plan_id":"pro","note":1,
            "partner_pricing":{"discount_percent":"10"},"pricing_type":"existing_plan"}"#;
        assert_eq!(
            serde_json::from_str::<ProductLine>(text).unwrap(),
            isv_part().products[0]
        );
    }

    #[test]
    fn a_product_line_misfit_is_named_at_its_field() {
        let existing = || serde_json::to_value(&isv_part().products[0]).unwrap();
        let vm = || {
            serde_json::json!({ "pricing_type": "vm_reservation", "offer_id": "contoso-vm",
                "plan_id": "fw", "term": "one_year", "payment": "upfront",
                "reservations": [ { "vcpu_size": "4 vCPU", "quantity": "1", "unit_price": "10.00" } ] })
        };
        let mut bad_discount = existing();
        bad_discount["partner_pricing"]["discount_percent"] = "abc".into();
        let mut bad_quantity = vm();
        bad_quantity["reservations"][0]["quantity"] = "two".into();
        let mut bad_term = vm();
        bad_term["term"] = "five_years".into();
        let mut bad_type = existing();
        bad_type["pricing_type"] = "bundle".into();
        let mut no_pricing = existing();
        no_pricing
            .as_object_mut()
            .unwrap()
            .remove("partner_pricing");
        let mut no_type = vm();
        no_type.as_object_mut().unwrap().remove("pricing_type");
        let mut bad_offer = vm();
        bad_offer["offer_id"] = 7.into();
        let new_plan = || {
            serde_json::json!({ "pricing_type": "new_saas_plan", "template_offer_id": "contoso-saas",
                "template_plan_id": "pro", "name": "Pro+", "description": "",
                "pricing": { "model": "flat_rate", "included_quantities": [],
                    "prices": [ { "billing_term": "one_month", "price": "90.00" } ] },
                "meter_prices": [] })
        };
        assert!(serde_json::from_value::<ProductLine>(new_plan()).is_ok());
        let mut bad_model = new_plan();
        bad_model["pricing"]["model"] = "bundle".into();
        let mut bad_price = new_plan();
        bad_price["pricing"]["prices"][0]["price"] = "-1".into();
        let mut no_users = new_plan();
        no_users["pricing"] =
            serde_json::json!({ "model": "per_user", "min_users": 1, "prices": [] });
        let cases = [
            (bad_discount, "partner_pricing.discount_percent", "number"),
            (bad_quantity, "reservations[0].quantity", ""),
            (bad_term, "term", "five_years"),
            (bad_type, "pricing_type", "bundle"),
            (no_pricing, ".", "missing field `partner_pricing`"),
            (no_type, ".", "missing field `pricing_type`"),
            (bad_offer, "offer_id", "invalid type"),
            (bad_model, "pricing.model", "bundle"),
            (bad_price, "pricing.prices[0].price", ""),
            (no_users, "pricing", "missing field `max_users`"),
            (serde_json::json!("pro"), ".", "pricing_type"),
        ];
        for (line, path, message) in cases {
            let (found_path, found_message) = product_problem(line);
            assert_eq!(found_path, path, "{found_message}");
            assert!(found_message.contains(message), "{path}: {found_message}");
        }
    }
}
