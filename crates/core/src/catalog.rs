//! The ISV's catalog (SPEC "Parties", Catalog): public offers and plans with their list prices.
//! Every list price is in USD, the currency an ISV enters its prices in.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Problems};
use crate::field;
use crate::money::{Currency, Money, PriceKind, Quantity};
use crate::pricing::ReservationTerm;

/// The currency of every catalog list price.
pub const CATALOG_CURRENCY: Currency = Currency::USD;

/// The transactable marketplace offer types private offers can be made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferType {
    /// Software as a service.
    Saas,
    /// Azure Virtual Machines (no absolute partner price on existing plans).
    AzureVirtualMachines,
    /// Azure Applications.
    AzureApplications,
}

/// How often a flat-rate or per-user plan bills.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingTerm {
    /// Monthly.
    OneMonth,
    /// Yearly.
    OneYear,
    /// Every two years.
    TwoYears,
    /// Every three years.
    ThreeYears,
}

impl BillingTerm {
    /// Every billing term, shortest first.
    pub const ALL: [BillingTerm; 4] = [
        BillingTerm::OneMonth,
        BillingTerm::OneYear,
        BillingTerm::TwoYears,
        BillingTerm::ThreeYears,
    ];

    /// The billing term with the wire name `name` ([`BillingTerm::as_str`]).
    pub fn from_wire(name: &str) -> Option<BillingTerm> {
        BillingTerm::ALL
            .into_iter()
            .find(|term| term.as_str() == name)
    }

    /// The wire name, used in price point IDs.
    pub fn as_str(self) -> &'static str {
        match self {
            BillingTerm::OneMonth => "one_month",
            BillingTerm::OneYear => "one_year",
            BillingTerm::TwoYears => "two_years",
            BillingTerm::ThreeYears => "three_years",
        }
    }
}

/// A price for one billing term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TermPrice {
    /// The billing term the price is paid for.
    pub billing_term: BillingTerm,
    /// The price per payment (per user per payment for a per-user plan).
    pub price: Money,
}

/// A quantity of a meter dimension included in a flat-rate plan's base price.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncludedQuantity {
    /// The meter dimension.
    pub dimension_id: String,
    /// The billing term the quantity is included in.
    pub billing_term: BillingTerm,
    /// How many units the base price includes.
    pub quantity: Quantity,
}

/// A custom meter dimension, billed per unit above what the plan includes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterDimension {
    /// The dimension's identifier (`api-calls`).
    pub id: String,
    /// What a unit is, as people read it ("API call").
    pub unit: String,
    /// The list price per unit (up to 8 decimal places).
    pub price_per_unit: Money,
}

/// A VM plan's reservation price for one vCPU size and term.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReservationPrice {
    /// The vCPU size ("4 vCPU").
    pub vcpu_size: String,
    /// One or three years.
    pub term: ReservationTerm,
    /// The list price of one reservation, paid upfront.
    pub price: Money,
}

/// How a plan is priced. On the wire it is an object tagged by `model`, read field by field by
/// its own reader (like [`crate::multiparty::ProductLine`]): serde's derived reader of a tagged
/// enum buffers the object into a generic tree first, which costs every bundle of the page that
/// reads the catalog a second copy of the plan's readers (about 7 KB gzipped on the multiparty
/// form), and loses the path of a misfit inside it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "model", rename_all = "snake_case")]
pub enum PlanPricing {
    /// A price per billing term, with quantities of meters included.
    FlatRate {
        /// The price per payment of each billing term offered.
        prices: Vec<TermPrice>,
        /// Quantities included in the base price.
        included_quantities: Vec<IncludedQuantity>,
    },
    /// A price per user per payment.
    PerUser {
        /// The price per user per payment of each billing term offered.
        prices: Vec<TermPrice>,
    },
    /// A VM plan with reservation prices (1 and 3 years) per vCPU size.
    VirtualMachine {
        /// The reservation prices enabled on the plan.
        reservation_prices: Vec<ReservationPrice>,
    },
}

/// The `model` tag of a [`PlanPricing`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum PricingModel {
    FlatRate,
    PerUser,
    VirtualMachine,
}

impl<'de> Deserialize<'de> for PlanPricing {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(PlanPricingReader)
    }
}

/// Reads a plan's pricing field by field; every field name has one type whatever the model.
struct PlanPricingReader;

impl<'de> serde::de::Visitor<'de> for PlanPricingReader {
    type Value = PlanPricing;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter
            .write_str("a plan's pricing with a model of flat_rate, per_user or virtual_machine")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<PlanPricing, A::Error> {
        use serde::de::Error;
        let mut model = None;
        let mut prices = None;
        let mut included_quantities = None;
        let mut reservation_prices = None;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "model" => field::once(&mut model, map.next_value::<PricingModel>()?, "model")?,
                "prices" => {
                    field::once(&mut prices, map.next_value::<Vec<TermPrice>>()?, "prices")?
                }
                "included_quantities" => field::once(
                    &mut included_quantities,
                    map.next_value::<Vec<IncludedQuantity>>()?,
                    "included_quantities",
                )?,
                "reservation_prices" => field::once(
                    &mut reservation_prices,
                    map.next_value::<Vec<ReservationPrice>>()?,
                    "reservation_prices",
                )?,
                // Like serde's derived reader, unknown fields are ignored.
                _ => {
                    map.next_value::<serde::de::IgnoredAny>()?;
                }
            }
        }
        let missing = A::Error::missing_field;
        Ok(match model.ok_or_else(|| missing("model"))? {
            PricingModel::FlatRate => PlanPricing::FlatRate {
                prices: prices.ok_or_else(|| missing("prices"))?,
                included_quantities: included_quantities
                    .ok_or_else(|| missing("included_quantities"))?,
            },
            PricingModel::PerUser => PlanPricing::PerUser {
                prices: prices.ok_or_else(|| missing("prices"))?,
            },
            PricingModel::VirtualMachine => PlanPricing::VirtualMachine {
                reservation_prices: reservation_prices
                    .ok_or_else(|| missing("reservation_prices"))?,
            },
        })
    }
}

/// A public plan of a public offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The plan's identifier within its offer.
    pub id: String,
    /// The plan's name.
    pub name: String,
    /// Whether the plan has a free trial (then no absolute partner price).
    pub trial: bool,
    /// How the plan is priced.
    pub pricing: PlanPricing,
    /// Custom meter dimensions billed per unit.
    pub meters: Vec<MeterDimension>,
}

/// One list price of a plan, named so offers and projections can refer to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricePoint {
    /// Stable identifier within the plan (`flat:one_month`, `user:one_year`, `meter:api-calls`,
    /// `reservation:4 vCPU:one_year`).
    pub id: String,
    /// Flat (minor unit) or usage (8 places).
    pub kind: PriceKind,
    /// The list price.
    pub list_price: Money,
}

impl Plan {
    /// Every list price of the plan: its term, user or reservation prices, then its meters.
    pub fn price_points(&self) -> Vec<PricePoint> {
        let term = |prefix: &str, price: &TermPrice| PricePoint {
            id: format!("{prefix}:{}", price.billing_term.as_str()),
            kind: PriceKind::Flat,
            list_price: price.price,
        };
        let mut points: Vec<PricePoint> = match &self.pricing {
            PlanPricing::FlatRate { prices, .. } => {
                prices.iter().map(|price| term("flat", price)).collect()
            }
            PlanPricing::PerUser { prices } => {
                prices.iter().map(|price| term("user", price)).collect()
            }
            PlanPricing::VirtualMachine { reservation_prices } => reservation_prices
                .iter()
                .map(|price| PricePoint {
                    id: format!(
                        "reservation:{}:{}",
                        price.vcpu_size,
                        match price.term {
                            ReservationTerm::OneYear => "one_year",
                            ReservationTerm::ThreeYears => "three_years",
                        }
                    ),
                    kind: PriceKind::Flat,
                    list_price: price.price,
                })
                .collect(),
        };
        points.extend(self.meters.iter().map(|meter| PricePoint {
            id: format!("meter:{}", meter.id),
            kind: PriceKind::Usage,
            list_price: meter.price_per_unit,
        }));
        points
    }

    /// Whether the plan sells VM software reservations of `term`.
    pub fn offers_reservation(&self, term: ReservationTerm) -> bool {
        matches!(&self.pricing, PlanPricing::VirtualMachine { reservation_prices }
            if reservation_prices.iter().any(|price| price.term == term))
    }

    /// Whether the plan can be a template for a new SaaS plan (flat-rate or per-user).
    pub fn is_saas_template(&self) -> bool {
        !matches!(self.pricing, PlanPricing::VirtualMachine { .. })
    }
}

/// A public, transactable offer of the ISV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOffer {
    /// The offer's identifier.
    pub id: String,
    /// The offer's name.
    pub name: String,
    /// SaaS, Azure Virtual Machines or Azure Applications.
    pub offer_type: OfferType,
    /// Whether the offer is opted in to the Cloud Reseller channel (needed for CSP margins).
    pub cloud_reseller: bool,
    /// The offer's public plans.
    pub plans: Vec<Plan>,
}

/// An ISV's public offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Catalog {
    /// The offers.
    pub offers: Vec<PublicOffer>,
}

impl Catalog {
    /// The offer with `offer_id`.
    pub fn offer(&self, offer_id: &str) -> Option<&PublicOffer> {
        self.offers.iter().find(|offer| offer.id == offer_id)
    }

    /// The offer and plan with these IDs.
    pub fn plan(&self, offer_id: &str, plan_id: &str) -> Option<(&PublicOffer, &Plan)> {
        let offer = self.offer(offer_id)?;
        let plan = offer.plans.iter().find(|plan| plan.id == plan_id)?;
        Some((offer, plan))
    }
}

/// Most offers in one catalog.
pub const MAX_OFFERS: usize = 100;
/// Most plans in one offer.
pub const MAX_PLANS: usize = 100;
/// Most characters of an offer, plan or meter ID (as the marketplace allows).
pub const MAX_ID_CHARS: usize = 50;

/// Checks everything a catalog holds: IDs (lowercase letters, digits, `-`, `_`) unique where
/// they must be, names, plans that fit their offer type, list prices above 0 in USD (cents for
/// flat and per-user prices, 8 places per meter unit), included quantities of the plan's own
/// meters and billing terms.
pub fn validate_catalog(catalog: &Catalog) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    if catalog.offers.is_empty() {
        problems.add("offers", "A catalog needs at least one offer.");
    }
    field::check_count(
        &mut problems,
        "offers",
        catalog.offers.len(),
        MAX_OFFERS,
        "offers",
    );
    let mut offer_ids = HashSet::new();
    for (index, offer) in catalog.offers.iter().enumerate().take(MAX_OFFERS) {
        let at = format!("offers[{index}]");
        check_id(&mut problems, &format!("{at}.id"), "offer ID", &offer.id);
        if !offer_ids.insert(offer.id.as_str()) {
            problems.add(format!("{at}.id"), "Another offer has this ID.");
        }
        field::check_text(
            &mut problems,
            &format!("{at}.name"),
            "offer name",
            &offer.name,
            field::MAX_NAME_CHARS,
        );
        if offer.plans.is_empty() {
            problems.add(format!("{at}.plans"), "An offer needs at least one plan.");
        }
        field::check_count(
            &mut problems,
            &format!("{at}.plans"),
            offer.plans.len(),
            MAX_PLANS,
            "plans",
        );
        let mut plan_ids = HashSet::new();
        for (plan_index, plan) in offer.plans.iter().enumerate().take(MAX_PLANS) {
            let at = format!("{at}.plans[{plan_index}]");
            if !plan_ids.insert(plan.id.as_str()) {
                problems.add(
                    format!("{at}.id"),
                    "Another plan of this offer has this ID.",
                );
            }
            check_plan(&mut problems, &at, offer.offer_type, plan);
        }
    }
    problems.finish(|| ())
}

fn check_id(problems: &mut Problems, at: &str, label: &str, id: &str) {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if id.is_empty() {
        problems.add(at, format!("Enter an {label}."));
    } else if id.chars().count() > MAX_ID_CHARS || !id.chars().all(allowed) {
        problems.add(
            at,
            format!(
                "An {label} has 1 to {MAX_ID_CHARS} lowercase letters, digits, hyphens or underscores."
            ),
        );
    }
}

fn check_plan(problems: &mut Problems, at: &str, offer_type: OfferType, plan: &Plan) {
    check_id(problems, &format!("{at}.id"), "plan ID", &plan.id);
    field::check_text(
        problems,
        &format!("{at}.name"),
        "plan name",
        &plan.name,
        field::MAX_NAME_CHARS,
    );
    let is_vm_plan = matches!(plan.pricing, PlanPricing::VirtualMachine { .. });
    let is_vm_offer = offer_type == OfferType::AzureVirtualMachines;
    if is_vm_plan != is_vm_offer {
        problems.add(
            format!("{at}.pricing.model"),
            if is_vm_offer {
                "A Virtual Machine offer's plans are priced as virtual_machine reservations."
            } else {
                "Only a Virtual Machine offer has virtual_machine plans."
            },
        );
    }
    match &plan.pricing {
        PlanPricing::FlatRate {
            prices,
            included_quantities,
        } => {
            check_term_prices(problems, &format!("{at}.pricing.prices"), prices);
            let mut seen = HashSet::new();
            for (index, included) in included_quantities.iter().enumerate() {
                let at = format!("{at}.pricing.included_quantities[{index}]");
                if !plan
                    .meters
                    .iter()
                    .any(|meter| meter.id == included.dimension_id)
                {
                    problems.add(
                        format!("{at}.dimension_id"),
                        "Name one of this plan's meter dimensions.",
                    );
                }
                if !prices
                    .iter()
                    .any(|price| price.billing_term == included.billing_term)
                {
                    problems.add(
                        format!("{at}.billing_term"),
                        "Name a billing term this plan has a price for.",
                    );
                }
                if !seen.insert((included.dimension_id.as_str(), included.billing_term)) {
                    problems.add(
                        at,
                        "This dimension already has an included quantity for this billing term.",
                    );
                }
            }
        }
        PlanPricing::PerUser { prices } => {
            check_term_prices(problems, &format!("{at}.pricing.prices"), prices)
        }
        PlanPricing::VirtualMachine { reservation_prices } => {
            let at = format!("{at}.pricing.reservation_prices");
            if reservation_prices.is_empty() {
                problems.add(&at, "A VM plan needs at least one reservation price.");
            }
            let mut seen = HashSet::new();
            for (index, price) in reservation_prices.iter().enumerate() {
                let at = format!("{at}[{index}]");
                field::check_text(
                    problems,
                    &format!("{at}.vcpu_size"),
                    "vCPU size",
                    &price.vcpu_size,
                    MAX_ID_CHARS,
                );
                if !seen.insert((price.vcpu_size.as_str(), price.term)) {
                    problems.add(
                        &at,
                        "This vCPU size already has a reservation price for this term.",
                    );
                }
                check_list_price(
                    problems,
                    &format!("{at}.price"),
                    price.price,
                    PriceKind::Flat,
                );
            }
        }
    }
    if is_vm_plan && !plan.meters.is_empty() {
        problems.add(
            format!("{at}.meters"),
            "A VM plan has no custom meter dimensions.",
        );
    }
    let mut meter_ids = HashSet::new();
    for (index, meter) in plan.meters.iter().enumerate() {
        check_meter(problems, &format!("{at}.meters[{index}]"), meter);
        if !meter_ids.insert(meter.id.as_str()) {
            problems.add(
                format!("{at}.meters[{index}].id"),
                "Another meter of this plan has this ID.",
            );
        }
    }
}

fn check_term_prices(problems: &mut Problems, at: &str, prices: &[TermPrice]) {
    if prices.is_empty() {
        problems.add(at, "A plan needs a price for at least one billing term.");
    }
    let mut terms = HashSet::new();
    for (index, price) in prices.iter().enumerate() {
        if !terms.insert(price.billing_term) {
            problems.add(
                format!("{at}[{index}].billing_term"),
                "This billing term already has a price.",
            );
        }
        check_list_price(
            problems,
            &format!("{at}[{index}].price"),
            price.price,
            PriceKind::Flat,
        );
    }
}

fn check_meter(problems: &mut Problems, at: &str, meter: &MeterDimension) {
    check_id(
        problems,
        &format!("{at}.id"),
        "meter dimension ID",
        &meter.id,
    );
    field::check_text(
        problems,
        &format!("{at}.unit"),
        "unit",
        &meter.unit,
        field::MAX_NAME_CHARS,
    );
    check_list_price(
        problems,
        &format!("{at}.price_per_unit"),
        meter.price_per_unit,
        PriceKind::Usage,
    );
}

fn check_list_price(problems: &mut Problems, at: &str, price: Money, kind: PriceKind) {
    let max = kind.unit_places(CATALOG_CURRENCY);
    problems.check(
        at,
        "A list price",
        Money::positive(price.amount(), max).map(|_| ()),
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn usd(text: &str) -> Money {
        Money::parse(text, 8).unwrap()
    }

    /// A small catalog used by the offer tests: a SaaS offer (flat with a meter, per-user,
    /// trial), a VM offer and an Azure application.
    pub(crate) fn sample() -> Catalog {
        let term = |billing_term, price| TermPrice {
            billing_term,
            price: usd(price),
        };
        Catalog {
            offers: vec![
                PublicOffer {
                    id: "contoso-saas".into(),
                    name: "Contoso Analytics".into(),
                    offer_type: OfferType::Saas,
                    cloud_reseller: true,
                    plans: vec![
                        Plan {
                            id: "pro".into(),
                            name: "Pro".into(),
                            trial: false,
                            pricing: PlanPricing::FlatRate {
                                prices: vec![
                                    term(BillingTerm::OneMonth, "100.00"),
                                    term(BillingTerm::OneYear, "1100.00"),
                                ],
                                included_quantities: vec![IncludedQuantity {
                                    dimension_id: "api-calls".into(),
                                    billing_term: BillingTerm::OneMonth,
                                    quantity: Quantity::whole(1000).unwrap(),
                                }],
                            },
                            meters: vec![MeterDimension {
                                id: "api-calls".into(),
                                unit: "API call".into(),
                                price_per_unit: usd("0.0015"),
                            }],
                        },
                        Plan {
                            id: "team".into(),
                            name: "Team".into(),
                            trial: false,
                            pricing: PlanPricing::PerUser {
                                prices: vec![term(BillingTerm::OneMonth, "12.00")],
                            },
                            meters: vec![],
                        },
                        Plan {
                            id: "starter".into(),
                            name: "Starter".into(),
                            trial: true,
                            pricing: PlanPricing::FlatRate {
                                prices: vec![term(BillingTerm::OneMonth, "20.00")],
                                included_quantities: vec![],
                            },
                            meters: vec![],
                        },
                    ],
                },
                PublicOffer {
                    id: "contoso-vm".into(),
                    name: "Contoso Firewall VM".into(),
                    offer_type: OfferType::AzureVirtualMachines,
                    cloud_reseller: true,
                    plans: vec![Plan {
                        id: "fw".into(),
                        name: "Firewall".into(),
                        trial: false,
                        pricing: PlanPricing::VirtualMachine {
                            reservation_prices: vec![
                                ReservationPrice {
                                    vcpu_size: "4 vCPU".into(),
                                    term: ReservationTerm::OneYear,
                                    price: usd("1200.00"),
                                },
                                ReservationPrice {
                                    vcpu_size: "4 vCPU".into(),
                                    term: ReservationTerm::ThreeYears,
                                    price: usd("3000.00"),
                                },
                            ],
                        },
                        meters: vec![],
                    }],
                },
                PublicOffer {
                    id: "contoso-app".into(),
                    name: "Contoso Managed App".into(),
                    offer_type: OfferType::AzureApplications,
                    cloud_reseller: false,
                    plans: vec![Plan {
                        id: "std".into(),
                        name: "Standard".into(),
                        trial: false,
                        pricing: PlanPricing::FlatRate {
                            prices: vec![term(BillingTerm::OneMonth, "50.00")],
                            included_quantities: vec![],
                        },
                        meters: vec![],
                    }],
                },
            ],
        }
    }

    #[test]
    fn billing_terms_read_back_from_their_wire_names() {
        for term in BillingTerm::ALL {
            assert_eq!(BillingTerm::from_wire(term.as_str()), Some(term));
        }
        assert_eq!(BillingTerm::from_wire("weekly"), None);
        assert_eq!(BillingTerm::from_wire("One_Month"), None);
    }

    #[test]
    fn plans_list_their_price_points() {
        let catalog = sample();
        let (_, pro) = catalog.plan("contoso-saas", "pro").unwrap();
        let ids: Vec<_> = pro.price_points().into_iter().map(|p| p.id).collect();
        assert_eq!(ids, ["flat:one_month", "flat:one_year", "meter:api-calls"]);
        let (_, fw) = catalog.plan("contoso-vm", "fw").unwrap();
        assert_eq!(fw.price_points()[1].id, "reservation:4 vCPU:three_years");
        assert!(fw.offers_reservation(ReservationTerm::OneYear));
        assert!(!fw.is_saas_template());
        assert!(catalog.plan("contoso-saas", "nope").is_none());
    }

    #[test]
    fn catalogs_round_trip_through_json() {
        let catalog = sample();
        let json = serde_json::to_string(&catalog).unwrap();
        assert!(json.contains("\"price\":\"100\""));
        assert_eq!(serde_json::from_str::<Catalog>(&json).unwrap(), catalog);
    }

    #[test]
    fn a_plans_pricing_is_read_field_by_field_and_a_misfit_named_at_its_field() {
        let problem = |pricing: serde_json::Value| {
            let error = serde_path_to_error::deserialize::<_, PlanPricing>(pricing).unwrap_err();
            (error.path().to_string(), error.inner().to_string())
        };
        let cases = [
            (
                serde_json::json!({"model": "flat_rate", "prices": [{"billing_term": "one_month", "price": "-1"}], "included_quantities": []}),
                "prices[0].price",
                "",
            ),
            (
                serde_json::json!({"model": "per_user", "prices": [{"billing_term": "weekly", "price": "1"}]}),
                "prices[0].billing_term",
                "weekly",
            ),
            (
                serde_json::json!({"prices": []}),
                ".",
                "missing field `model`",
            ),
            (
                serde_json::json!({"model": "flat_rate", "prices": []}),
                ".",
                "missing field `included_quantities`",
            ),
            (
                serde_json::json!({"model": "virtual_machine", "prices": []}),
                ".",
                "missing field `reservation_prices`",
            ),
            (serde_json::json!({"model": "bundle"}), "model", "bundle"),
            (serde_json::json!("flat_rate"), ".", "model of flat_rate"),
        ];
        for (pricing, path, message) in cases {
            let (found_path, found_message) = problem(pricing);
            assert_eq!(found_path, path, "{found_message}");
            assert!(found_message.contains(message), "{path}: {found_message}");
        }
        // Unknown fields are ignored, as serde's derived readers do, and the model may come last.
        let per_user: PlanPricing = serde_json::from_value(serde_json::json!(
            {"prices": [{"billing_term": "one_year", "price": "10"}], "note": 1, "model": "per_user"}
        ))
        .unwrap();
        assert!(matches!(per_user, PlanPricing::PerUser { prices } if prices.len() == 1));
        let twice = r#"{"model": "per_user", "prices": [], "prices": []}"#;
        let error = serde_json::from_str::<PlanPricing>(twice).unwrap_err();
        assert!(
            error.to_string().contains("duplicate field `prices`"),
            "{error}"
        );
    }

    fn problems(catalog: &Catalog) -> Vec<(String, String)> {
        validate_catalog(catalog)
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| (problem.field, problem.message))
            .collect()
    }

    type Edit = fn(&mut Catalog);

    #[test]
    fn the_sample_catalog_is_valid() {
        assert_eq!(problems(&sample()), []);
    }

    #[test]
    fn every_catalog_rule_names_its_field() {
        #[rustfmt::skip]
        let cases: [(Edit, &str, &str); 24] = [
            (|c| c.offers.clear(), "offers", "at least one offer"),
            (|c| c.offers[0].id = String::new(), "offers[0].id", "Enter an offer ID."),
            (|c| c.offers[0].id = "Has Spaces".into(), "offers[0].id", "lowercase letters, digits, hyphens or underscores"),
            (|c| c.offers[0].id = "a".repeat(MAX_ID_CHARS + 1), "offers[0].id", "1 to 50"),
            (|c| c.offers[1].id = "contoso-saas".into(), "offers[1].id", "Another offer has this ID."),
            (|c| c.offers[0].name = " ".into(), "offers[0].name", "offer name"),
            (|c| c.offers[2].plans.clear(), "offers[2].plans", "at least one plan"),
            (|c| c.offers[0].plans[1].id = "pro".into(), "offers[0].plans[1].id", "Another plan of this offer has this ID."),
            (|c| c.offers[0].plans[1].id = "Team!".into(), "offers[0].plans[1].id", "plan ID"),
            (|c| c.offers[0].plans[1].name = String::new(), "offers[0].plans[1].name", "plan name"),
            // Plans fit the offer type.
            (|c| c.offers[0].offer_type = OfferType::AzureApplications, "", ""),
            (|c| c.offers[2].offer_type = OfferType::AzureVirtualMachines, "offers[2].plans[0].pricing.model", "priced as virtual_machine reservations"),
            (|c| c.offers[1].offer_type = OfferType::Saas, "offers[1].plans[0].pricing.model", "Only a Virtual Machine offer"),
            // Positive USD prices with the right places.
            (|c| set_flat_price(c, "0"), "offers[0].plans[0].pricing.prices[0].price", "A list price must be above 0."),
            (|c| set_flat_price(c, "100.001"), "offers[0].plans[0].pricing.prices[0].price", "A list price may have at most 2 decimal places."),
            (|c| c.offers[0].plans[0].meters[0].price_per_unit = Money::new("0.000000015".parse().unwrap(), 9).unwrap(), "offers[0].plans[0].meters[0].price_per_unit", "at most 8 decimal places"),
            (|c| c.offers[0].plans[0].meters[0].price_per_unit = Money::ZERO, "offers[0].plans[0].meters[0].price_per_unit", "must be above 0"),
            (|c| if let PlanPricing::VirtualMachine { reservation_prices } = &mut c.offers[1].plans[0].pricing { reservation_prices[1].price = usd("0.001") }, "offers[1].plans[0].pricing.reservation_prices[1].price", "at most 2 decimal places"),
            (|c| if let PlanPricing::FlatRate { prices, .. } = &mut c.offers[0].plans[0].pricing { prices[1].billing_term = BillingTerm::OneMonth }, "offers[0].plans[0].pricing.prices[1].billing_term", "already has a price"),
            // Included quantities point at the plan's own meters and priced terms.
            (|c| set_included(c, "storage", BillingTerm::OneMonth), "offers[0].plans[0].pricing.included_quantities[0].dimension_id", "Name one of this plan's meter dimensions."),
            (|c| set_included(c, "api-calls", BillingTerm::ThreeYears), "offers[0].plans[0].pricing.included_quantities[0].billing_term", "Name a billing term this plan has a price for."),
            (|c| c.offers[0].plans[0].meters[0].id = "API".into(), "offers[0].plans[0].meters[0].id", "meter dimension ID"),
            (|c| c.offers[1].plans[0].meters = c.offers[0].plans[0].meters.clone(), "offers[1].plans[0].meters", "A VM plan has no custom meter dimensions."),
            (|c| if let PlanPricing::VirtualMachine { reservation_prices } = &mut c.offers[1].plans[0].pricing { reservation_prices.clear() }, "offers[1].plans[0].pricing.reservation_prices", "at least one reservation price"),
        ];
        for (edit, field, message) in cases {
            let mut catalog = sample();
            edit(&mut catalog);
            let found = problems(&catalog);
            if field.is_empty() {
                assert_eq!(found, [], "{found:?}");
                continue;
            }
            assert!(
                found.iter().any(|(f, m)| f == field && m.contains(message)),
                "{field} {message}: {found:?}"
            );
        }
    }

    #[test]
    fn counts_stop_at_their_limits() {
        for (offers, expected) in [(MAX_OFFERS, vec![]), (MAX_OFFERS + 1, vec!["offers[100]"])] {
            let mut catalog = sample();
            let template = catalog.offers[0].clone();
            catalog.offers = (0..offers)
                .map(|n| PublicOffer {
                    id: format!("offer-{n}"),
                    ..template.clone()
                })
                .collect();
            let fields: Vec<String> = problems(&catalog).into_iter().map(|(f, _)| f).collect();
            assert_eq!(fields, expected, "{offers}");
        }
        for (plans, expected) in [
            (MAX_PLANS, vec![]),
            (MAX_PLANS + 1, vec!["offers[0].plans[100]"]),
        ] {
            let mut catalog = sample();
            let template = catalog.offers[0].plans[1].clone();
            catalog.offers[0].plans = (0..plans)
                .map(|n| Plan {
                    id: format!("plan-{n}"),
                    ..template.clone()
                })
                .collect();
            let fields: Vec<String> = problems(&catalog).into_iter().map(|(f, _)| f).collect();
            assert_eq!(fields, expected, "{plans}");
        }
        let mut catalog = sample();
        catalog.offers[0].id = "a".repeat(MAX_ID_CHARS);
        assert_eq!(problems(&catalog), []);
    }

    fn set_flat_price(catalog: &mut Catalog, price: &str) {
        if let PlanPricing::FlatRate { prices, .. } = &mut catalog.offers[0].plans[0].pricing {
            prices[0].price = usd(price);
        }
    }

    fn set_included(catalog: &mut Catalog, dimension: &str, term: BillingTerm) {
        if let PlanPricing::FlatRate {
            included_quantities,
            ..
        } = &mut catalog.offers[0].plans[0].pricing
        {
            included_quantities[0].dimension_id = dimension.into();
            included_quantities[0].billing_term = term;
        }
    }
}
