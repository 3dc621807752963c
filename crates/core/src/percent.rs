//! Percentages: what a person may enter, and what the core computes.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::PricingError;
use crate::money::{parse_decimal, places};

/// Places of a percentage the core computes or a person enters (seed 002: "up to eight decimal
/// digits").
pub const PERCENT_PLACES: u32 = 8;

/// Places of a CPPO markup, entered or solved from a target buyer price.
pub const CPPO_MARKUP_PLACES: u32 = 9;

/// The program an offer belongs to; it sets the places of the adjustment and whether a cap or
/// an adjustment applies at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Program {
    /// Microsoft multiparty private offer: adjustment up to 8 places, capped by the discount.
    #[default]
    Multiparty,
    /// Microsoft ISV to CSP partner margin offer: no customer adjustment.
    Csp,
    /// AWS consulting partner private offer: markup up to 9 places, no cap.
    Cppo,
}

impl Program {
    /// Every program, in the order a picker lists them.
    pub const ALL: [Program; 3] = [Program::Multiparty, Program::Cppo, Program::Csp];

    /// Places allowed in the customer adjustment (markup), or `None` when the program has none.
    pub fn adjustment_places(self) -> Option<u32> {
        match self {
            Program::Multiparty => Some(PERCENT_PLACES),
            Program::Cppo => Some(CPPO_MARKUP_PLACES),
            Program::Csp => None,
        }
    }

    /// Whether the smallest discount caps the customer adjustment.
    pub fn caps_adjustment(self) -> bool {
        self == Program::Multiparty
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Program::Multiparty => "multiparty",
            Program::Csp => "csp",
            Program::Cppo => "cppo",
        }
    }

    /// The name people read.
    pub fn title(self) -> &'static str {
        match self {
            Program::Multiparty => "Multiparty private offer",
            Program::Csp => "CSP margin offer",
            Program::Cppo => "Consulting partner private offer (CPPO)",
        }
    }

    /// What the partner's percentage on top of its price is called in this program.
    pub fn adjustment_label(self) -> &'static str {
        match self {
            Program::Cppo => "Markup %",
            _ => "Customer adjustment %",
        }
    }
}

impl FromStr for Program {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Program::ALL
            .into_iter()
            .find(|program| program.as_str() == text)
            .ok_or_else(|| {
                format!("Program \"{text}\" is not known; use \"multiparty\", \"csp\" or \"cppo\".")
            })
    }
}

/// A discount (multiparty, CPPO) or margin (CSP) off list price: above 0, below 100, at most 8
/// decimal places. The partner price is `list x (1 - percent / 100)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DiscountPercent(Decimal);

/// A CSP margin: the same rules and formula as a discount.
pub type MarginPercent = DiscountPercent;

impl DiscountPercent {
    /// A discount strictly between 0 and 100 with at most 8 places.
    pub fn new(value: Decimal) -> Result<Self, PricingError> {
        if value <= Decimal::ZERO || value >= Decimal::ONE_HUNDRED {
            return Err(PricingError::NotBetweenZeroAndHundred);
        }
        if places(value) > PERCENT_PLACES {
            return Err(PricingError::TooManyPlaces {
                max: PERCENT_PLACES,
            });
        }
        Ok(DiscountPercent(value.normalize()))
    }

    /// Parses typed or wire text.
    pub fn parse(text: &str) -> Result<Self, PricingError> {
        Self::new(parse_decimal(text)?)
    }

    /// The percentage (10 means 10%).
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for DiscountPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl TryFrom<String> for DiscountPercent {
    type Error = PricingError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text)
    }
}

impl From<DiscountPercent> for String {
    fn from(percent: DiscountPercent) -> Self {
        percent.0.to_string()
    }
}

/// The partner's customer adjustment % (multiparty) or markup % (CPPO) on top of its price:
/// zero or more, with at most the program's places (8, or 9 for CPPO).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AdjustmentPercent(Decimal);

impl AdjustmentPercent {
    /// No adjustment.
    pub const ZERO: AdjustmentPercent = AdjustmentPercent(Decimal::ZERO);

    /// An adjustment of at least 0 with at most `max_places` places.
    pub fn new(value: Decimal, max_places: u32) -> Result<Self, PricingError> {
        if value.is_sign_negative() && !value.is_zero() {
            return Err(PricingError::Negative);
        }
        if places(value) > max_places {
            return Err(PricingError::TooManyPlaces { max: max_places });
        }
        Ok(AdjustmentPercent(value.normalize()))
    }

    /// An adjustment with the places `program` allows; a CSP offer takes none.
    pub fn for_program(value: Decimal, program: Program) -> Result<Self, PricingError> {
        Self::new(value, program.adjustment_places().unwrap_or(0))
    }

    /// Parses typed or wire text with at most `max_places` places.
    pub fn parse(text: &str, max_places: u32) -> Result<Self, PricingError> {
        Self::new(parse_decimal(text)?, max_places)
    }

    /// The percentage (10 means 10%).
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for AdjustmentPercent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl TryFrom<String> for AdjustmentPercent {
    type Error = PricingError;

    /// On the wire the wider CPPO places are accepted; a multiparty form checks its own 8.
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Self::parse(&text, CPPO_MARKUP_PLACES)
    }
}

impl From<AdjustmentPercent> for String {
    fn from(percent: AdjustmentPercent) -> Self {
        percent.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discounts_lie_strictly_between_zero_and_hundred() {
        let cases = [
            ("0", Err(PricingError::NotBetweenZeroAndHundred)),
            ("0.00000001", Ok("0.00000001")),
            ("0.000000001", Err(PricingError::TooManyPlaces { max: 8 })),
            ("10", Ok("10")),
            ("99.99999999", Ok("99.99999999")),
            ("100", Err(PricingError::NotBetweenZeroAndHundred)),
            ("-5", Err(PricingError::NotBetweenZeroAndHundred)),
            ("abc", Err(PricingError::NotANumber)),
        ];
        for (text, expected) in cases {
            let got = DiscountPercent::parse(text).map(|p| p.value().to_string());
            assert_eq!(got, expected.map(str::to_owned), "{text}");
        }
    }

    #[test]
    fn adjustments_follow_their_program() {
        let multiparty = Program::Multiparty.adjustment_places().unwrap();
        let cppo = Program::Cppo.adjustment_places().unwrap();
        assert!(AdjustmentPercent::parse("10.52631579", multiparty).is_ok());
        assert_eq!(
            AdjustmentPercent::parse("10.526315789", multiparty),
            Err(PricingError::TooManyPlaces { max: 8 })
        );
        assert!(AdjustmentPercent::parse("10.526315789", cppo).is_ok());
        assert_eq!(
            AdjustmentPercent::parse("10.5263157891", cppo),
            Err(PricingError::TooManyPlaces { max: 9 })
        );
        assert_eq!(
            AdjustmentPercent::parse("-0.1", 8),
            Err(PricingError::Negative)
        );
        assert!(AdjustmentPercent::parse("0", 8).is_ok());
        assert!(AdjustmentPercent::parse("250", 8).is_ok());
        assert_eq!(Program::Csp.adjustment_places(), None);
    }

    #[test]
    fn programs_parse_from_their_wire_names() {
        for program in Program::ALL {
            assert_eq!(program.as_str().parse::<Program>(), Ok(program));
        }
        assert!("CSP".parse::<Program>().is_err());
    }
}
