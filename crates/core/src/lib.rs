//! Offer Desk's pure domain: money, percentages and the pricing core shared by the page (as
//! WebAssembly) and the server. No I/O lives here.

#![warn(missing_docs)]

pub mod account;
pub mod bundle;
pub mod calculator;
pub mod error;
mod exact;
pub mod fees;
pub mod money;
pub mod percent;
pub mod pricing;
pub mod quote;
pub mod schedule;

pub use error::{FieldError, PricingError, Problems};
pub use money::{Currency, Money, PriceKind, Quantity};
pub use percent::{AdjustmentPercent, DiscountPercent, MarginPercent, Program};
pub use pricing::PartnerPricing;

pub mod catalog;
pub mod cppo;
pub mod csp;
pub mod field;
pub mod lifecycle;
pub mod multiparty;
pub mod party;
pub mod visibility;

pub use lifecycle::{Actor, Outcome, Refusal};
pub use party::{BillingAccountRole, Companies, CustomerAccount, Eligibility};
pub use visibility::Viewer;
