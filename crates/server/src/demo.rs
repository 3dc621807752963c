//! Demo data for `--demo`: the organizations, people, customer accounts and catalog of the
//! README's walk-through, added only to an empty database. The demo offers build on the IDs
//! that [`seed_accounts`] answers.

use chrono::{Months, NaiveDate};
use offerdesk_core::catalog::{
    BillingTerm, Catalog, IncludedQuantity, MeterDimension, OfferType, Plan, PlanPricing,
    PublicOffer, ReservationPrice, TermPrice,
};
use offerdesk_core::money::{Money, Quantity};
use offerdesk_core::party::{
    BillingAccountRole, CustomerAccount, PartnerProfile, TaxProfileCountry,
};
use offerdesk_core::pricing::ReservationTerm;
use offerdesk_core::FieldError;
use serde::Serialize;

use crate::auth::Passwords;
use crate::directory::validate_new_organizations;
use crate::store::accounts::{NewCustomerAccount, NewOrganization, NewUser, PartyKind};
use crate::store::StoreError;
use crate::AppState;

/// Every demo user's password.
pub const DEMO_PASSWORD: &str = "demo-password";
/// The demo sign-ins: email and who it is.
pub const DEMO_SIGN_INS: [(&str, &str); 5] = [
    ("isv@contoso.example", "ISV: Contoso Software"),
    (
        "partner@fabrikam.example",
        "partner: Fabrikam Resellers (US)",
    ),
    (
        "partner@northwind.example",
        "partner: Northwind Partners (UK)",
    ),
    (
        "customer@tailspin.example",
        "customer: Tailspin Toys, billing account owner",
    ),
    (
        "reader@tailspin.example",
        "customer: Tailspin Toys, billing account reader",
    ),
];
/// Fabrikam's marketplace seller ID.
pub const FABRIKAM_SELLER_ID: &str = "10000001";
/// Fabrikam's Azure tenant ID.
pub const FABRIKAM_TENANT_ID: &str = "2d7f1c8e-4b6a-4f3e-9a51-6c0e8b7d1f20";
/// Fabrikam's AWS account ID (CPPO).
pub const FABRIKAM_AWS_ACCOUNT_ID: &str = "111122223333";
/// Northwind's marketplace seller ID.
pub const NORTHWIND_SELLER_ID: &str = "10000002";
/// Northwind's Azure tenant ID.
pub const NORTHWIND_TENANT_ID: &str = "8a3b5c7d-1e2f-4a6b-8c9d-0e1f2a3b4c5d";
/// Northwind's AWS account ID (CPPO).
pub const NORTHWIND_AWS_ACCOUNT_ID: &str = "444455556666";
/// Tailspin's Microsoft billing account ID.
pub const TAILSPIN_BILLING_ACCOUNT_ID: &str =
    "5e98e158-b2ad-4c8a-9d27-3f0b1c6a7e41:0c5a3f9e-7d21-4b8e-a6f4-92d1e3b5c8a0_2019-05-31";
/// Tailspin's 12-digit AWS account ID.
pub const TAILSPIN_AWS_ACCOUNT_ID: &str = "210987654321";

/// What the demo seeding created, for the demo offers to refer to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DemoIds {
    /// Contoso Software (ISV).
    pub contoso: i64,
    /// isv@contoso.example.
    pub contoso_user: i64,
    /// Fabrikam Resellers (US partner, eligible).
    pub fabrikam: i64,
    /// partner@fabrikam.example.
    pub fabrikam_user: i64,
    /// Northwind Partners (UK partner, treaty claim valid a year).
    pub northwind: i64,
    /// partner@northwind.example.
    pub northwind_user: i64,
    /// Tailspin Toys (customer).
    pub tailspin: i64,
    /// customer@tailspin.example, owner of both accounts.
    pub tailspin_owner: i64,
    /// reader@tailspin.example, reader of both accounts.
    pub tailspin_reader: i64,
    /// Tailspin's Microsoft billing account (customer account ID).
    pub tailspin_billing_account: i64,
    /// Tailspin's AWS account (customer account ID).
    pub tailspin_aws_account: i64,
}

/// Why the demo data could not be added.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    /// The demo data breaks a rule: a bug here.
    #[error("the demo data is invalid: {0:?}")]
    Invalid(Vec<FieldError>),
    /// A password could not be hashed.
    #[error("a demo password could not be hashed: {0}")]
    Hash(String),
    /// The store refused or failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Adds the demo organizations, people, customer accounts and catalog in one transaction when
/// the database has no organization yet; answers their IDs, or `None` (and touches nothing)
/// when it has. Northwind's treaty claim runs a year from the state's clock.
pub async fn seed_accounts(state: &AppState) -> Result<Option<DemoIds>, DemoError> {
    let today = state.clock.now().date_naive();
    let passwords = state.auth.passwords.clone();
    let organizations = tokio::task::spawn_blocking(move || organizations(&passwords, today))
        .await
        .map_err(|error| DemoError::Hash(error.to_string()))??;
    validate_new_organizations(&organizations).map_err(DemoError::Invalid)?;
    let Some(created) = state
        .store
        .create_organizations(organizations, true)
        .await?
    else {
        return Ok(None);
    };
    let [contoso, fabrikam, northwind, tailspin] = created.as_slice() else {
        return Err(DemoError::Store(StoreError::Corrupt(
            "the demo seeding created another number of organizations".into(),
        )));
    };
    Ok(Some(DemoIds {
        contoso: contoso.id,
        contoso_user: contoso.user_ids[0],
        fabrikam: fabrikam.id,
        fabrikam_user: fabrikam.user_ids[0],
        northwind: northwind.id,
        northwind_user: northwind.user_ids[0],
        tailspin: tailspin.id,
        tailspin_owner: tailspin.user_ids[0],
        tailspin_reader: tailspin.user_ids[1],
        tailspin_billing_account: tailspin.customer_account_ids[0],
        tailspin_aws_account: tailspin.customer_account_ids[1],
    }))
}

/// The start-up text that lists the demo sign-ins.
pub fn sign_in_text(url: &str) -> String {
    let mut text =
        format!("Demo data: open {url} and sign in as (password \"{DEMO_PASSWORD}\"):\n");
    for (email, who) in DEMO_SIGN_INS {
        text.push_str(&format!("  {email:<28} {who}\n"));
    }
    text
}

fn organizations(
    passwords: &Passwords,
    today: NaiveDate,
) -> Result<Vec<NewOrganization>, DemoError> {
    let user = |email: &str, name: &str, roles: Vec<(String, BillingAccountRole)>| {
        Ok::<_, DemoError>(NewUser {
            email: email.into(),
            name: name.into(),
            password_hash: passwords
                .hash(DEMO_PASSWORD)
                .map_err(|error| DemoError::Hash(error.to_string()))?,
            billing_roles: roles,
        })
    };
    let both = |role| {
        vec![
            (TAILSPIN_BILLING_ACCOUNT_ID.to_owned(), role),
            (TAILSPIN_AWS_ACCOUNT_ID.to_owned(), role),
        ]
    };
    Ok(vec![
        NewOrganization {
            name: "Contoso Software".into(),
            kind: PartyKind::Isv,
            partner: None,
            customer_accounts: vec![],
            users: vec![user("isv@contoso.example", "Avery Chen", vec![])?],
            catalog: catalog(),
        },
        NewOrganization {
            name: "Fabrikam Resellers".into(),
            kind: PartyKind::Partner,
            partner: Some(PartnerProfile {
                seller_id: FABRIKAM_SELLER_ID.into(),
                tenant_id: FABRIKAM_TENANT_ID.into(),
                aws_account_id: Some(FABRIKAM_AWS_ACCOUNT_ID.into()),
                csp_member: true,
                regions: vec!["North America".into()],
                tax_profile_country: Some(TaxProfileCountry::Us),
                us_resale_certificates_on_file: true,
                uk_treaty_claim_expires_on: None,
            }),
            customer_accounts: vec![],
            users: vec![user("partner@fabrikam.example", "Blake Rivera", vec![])?],
            catalog: Catalog::default(),
        },
        NewOrganization {
            name: "Northwind Partners".into(),
            kind: PartyKind::Partner,
            partner: Some(PartnerProfile {
                seller_id: NORTHWIND_SELLER_ID.into(),
                tenant_id: NORTHWIND_TENANT_ID.into(),
                aws_account_id: Some(NORTHWIND_AWS_ACCOUNT_ID.into()),
                csp_member: true,
                regions: vec!["Europe".into(), "United Kingdom".into()],
                tax_profile_country: Some(TaxProfileCountry::Uk),
                us_resale_certificates_on_file: false,
                uk_treaty_claim_expires_on: Some(
                    today.checked_add_months(Months::new(12)).unwrap_or(today),
                ),
            }),
            customer_accounts: vec![],
            users: vec![user("partner@northwind.example", "Morgan Hughes", vec![])?],
            catalog: Catalog::default(),
        },
        NewOrganization {
            name: "Tailspin Toys".into(),
            kind: PartyKind::Customer,
            partner: None,
            customer_accounts: vec![
                NewCustomerAccount {
                    account: CustomerAccount::MicrosoftBillingAccount(
                        TAILSPIN_BILLING_ACCOUNT_ID.into(),
                    ),
                    country: "US".into(),
                },
                NewCustomerAccount {
                    account: CustomerAccount::AwsAccount(TAILSPIN_AWS_ACCOUNT_ID.into()),
                    country: "US".into(),
                },
            ],
            users: vec![
                user(
                    "customer@tailspin.example",
                    "Jordan Patel",
                    both(BillingAccountRole::Owner),
                )?,
                user(
                    "reader@tailspin.example",
                    "Sam Okafor",
                    both(BillingAccountRole::Reader),
                )?,
            ],
            catalog: Catalog::default(),
        },
    ])
}

fn usd(text: &str) -> Money {
    Money::parse(text, 8).expect("demo prices are valid")
}

fn term(billing_term: BillingTerm, price: &str) -> TermPrice {
    TermPrice {
        billing_term,
        price: usd(price),
    }
}

fn reservation(vcpu_size: &str, term: ReservationTerm, price: &str) -> ReservationPrice {
    ReservationPrice {
        vcpu_size: vcpu_size.into(),
        term,
        price: usd(price),
    }
}

/// Contoso's catalog: a SaaS offer in the Cloud Reseller channel (flat rate with meters, per
/// user, and a plan with a free trial) and a VM offer with 1- and 3-year reservation prices.
pub fn catalog() -> Catalog {
    let meters = vec![
        MeterDimension {
            id: "api-calls".into(),
            unit: "API call".into(),
            price_per_unit: usd("0.0015"),
        },
        MeterDimension {
            id: "storage-gb".into(),
            unit: "GB stored per month".into(),
            price_per_unit: usd("0.12"),
        },
    ];
    Catalog {
        offers: vec![
            PublicOffer {
                id: "contoso-analytics".into(),
                name: "Contoso Analytics".into(),
                offer_type: OfferType::Saas,
                cloud_reseller: true,
                plans: vec![
                    Plan {
                        id: "pro".into(),
                        name: "Pro (flat rate)".into(),
                        trial: false,
                        pricing: PlanPricing::FlatRate {
                            prices: vec![
                                term(BillingTerm::OneMonth, "100.00"),
                                term(BillingTerm::OneYear, "1100.00"),
                            ],
                            included_quantities: vec![
                                IncludedQuantity {
                                    dimension_id: "api-calls".into(),
                                    billing_term: BillingTerm::OneMonth,
                                    quantity: Quantity::whole(10_000).expect("above 0"),
                                },
                                IncludedQuantity {
                                    dimension_id: "storage-gb".into(),
                                    billing_term: BillingTerm::OneMonth,
                                    quantity: Quantity::whole(50).expect("above 0"),
                                },
                            ],
                        },
                        meters,
                    },
                    Plan {
                        id: "team".into(),
                        name: "Team (per user)".into(),
                        trial: false,
                        pricing: PlanPricing::PerUser {
                            prices: vec![
                                term(BillingTerm::OneMonth, "12.00"),
                                term(BillingTerm::OneYear, "132.00"),
                            ],
                        },
                        meters: vec![],
                    },
                    Plan {
                        id: "starter".into(),
                        name: "Starter (free trial)".into(),
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
                id: "contoso-firewall-vm".into(),
                name: "Contoso Firewall VM".into(),
                offer_type: OfferType::AzureVirtualMachines,
                cloud_reseller: true,
                plans: vec![Plan {
                    id: "firewall".into(),
                    name: "Firewall".into(),
                    trial: false,
                    pricing: PlanPricing::VirtualMachine {
                        reservation_prices: vec![
                            reservation("2 vCPU", ReservationTerm::OneYear, "600.00"),
                            reservation("2 vCPU", ReservationTerm::ThreeYears, "1500.00"),
                            reservation("4 vCPU", ReservationTerm::OneYear, "1200.00"),
                            reservation("4 vCPU", ReservationTerm::ThreeYears, "3000.00"),
                            reservation("8 vCPU", ReservationTerm::OneYear, "2400.00"),
                            reservation("8 vCPU", ReservationTerm::ThreeYears, "6000.00"),
                        ],
                    },
                    meters: vec![],
                }],
            },
        ],
    }
}

pub use crate::offers::demo::{seed_offers, DemoOffers};
