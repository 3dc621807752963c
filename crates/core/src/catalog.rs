//! The ISV's catalog (SPEC "Parties", Catalog): public offers and plans with their list prices.
//! Every list price is in USD, the currency an ISV enters its prices in.

use serde::{Deserialize, Serialize};

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

/// How a plan is priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
}
