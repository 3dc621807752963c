//! Money, currencies, quantities and the strict parsing of decimal text.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::PricingError;
use crate::exact;

/// Places of a per-unit meter price (a custom meter dimension).
pub const USAGE_PLACES: u32 = 8;

/// Parses the plain decimal text that people type and the API carries: an optional minus, digits
/// and at most one point (`"100"`, `"0.0015"`, `".5"`, `"5."`). No exponent, no separators, no
/// spaces. Never rounds: a number that `Decimal` cannot hold exactly is refused.
pub fn parse_decimal(text: &str) -> Result<Decimal, PricingError> {
    let unsigned = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return Err(PricingError::NotANumber);
    }
    let whole = whole.trim_start_matches('0');
    let fraction = fraction.trim_end_matches('0');
    if whole.len() + fraction.len() > 29 {
        return Err(PricingError::TooManyDigits);
    }
    let negative = text.starts_with('-');
    let canonical = match (whole.is_empty(), fraction.is_empty()) {
        (true, true) => "0".to_owned(),
        (false, true) => whole.to_owned(),
        (true, false) => format!("0.{fraction}"),
        (false, false) => format!("{whole}.{fraction}"),
    };
    let value = Decimal::from_str_exact(&canonical).map_err(|_| PricingError::TooManyDigits)?;
    Ok(if negative { -value } else { value })
}

/// A `Decimal` on the wire as the API's decimal text, for `#[serde(with = "...")]`: written as
/// its `Display` (`"12.50"`, the scale kept; what rust_decimal's `serde::str` writes), read back
/// with `Decimal::from_str_exact` (plain digits, the scale kept, never rounded). Unlike
/// rust_decimal's reader it takes no scientific notation, which Offer Desk never writes, so the
/// page does not carry that parser.
pub mod decimal_text {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `value` as its text.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(value)
    }

    /// Reads the text of a decimal.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        read(&String::deserialize(deserializer)?)
    }

    pub(super) fn read<E: serde::de::Error>(text: &str) -> Result<Decimal, E> {
        Decimal::from_str_exact(text)
            .map_err(|_| E::custom(format!("expected a decimal number as text, found {text:?}")))
    }
}

/// An optional `Decimal` as [`decimal_text`], `null` for `None`.
pub mod decimal_text_option {
    use rust_decimal::Decimal;
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `value` as its text, or `null`.
    pub fn serialize<S: Serializer>(
        value: &Option<Decimal>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match value {
            Some(value) => serializer.serialize_some(&value.to_string()),
            None => serializer.serialize_none(),
        }
    }

    /// Reads the text of a decimal, or `null`.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<Decimal>, D::Error> {
        Option::<String>::deserialize(deserializer)?
            .map(|text| super::decimal_text::read(&text))
            .transpose()
    }
}

/// The number of decimal places a value really has ("1.50" has 1).
pub fn places(value: Decimal) -> u32 {
    value.normalize().scale()
}

/// The currencies Offer Desk prices in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum Currency {
    /// US dollar.
    #[default]
    USD,
    /// Euro.
    EUR,
    /// Pound sterling.
    GBP,
    /// Canadian dollar.
    CAD,
    /// Australian dollar.
    AUD,
    /// Japanese yen (no minor unit).
    JPY,
}

impl Currency {
    /// Every supported currency, in the order a picker lists them.
    pub const ALL: [Currency; 6] = [
        Currency::USD,
        Currency::EUR,
        Currency::GBP,
        Currency::CAD,
        Currency::AUD,
        Currency::JPY,
    ];

    /// Decimal places of the currency's minor unit (cents: 2; yen: 0).
    pub fn minor_units(self) -> u32 {
        match self {
            Currency::JPY => 0,
            _ => 2,
        }
    }

    /// The ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Currency::USD => "USD",
            Currency::EUR => "EUR",
            Currency::GBP => "GBP",
            Currency::CAD => "CAD",
            Currency::AUD => "AUD",
            Currency::JPY => "JPY",
        }
    }

    /// The symbol shown before an amount; unambiguous where dollars differ.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::USD => "$",
            Currency::EUR => "€",
            Currency::GBP => "£",
            Currency::CAD => "CA$",
            Currency::AUD => "A$",
            Currency::JPY => "¥",
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Currency::ALL
            .into_iter()
            .find(|currency| currency.code() == text)
            .ok_or_else(|| {
                format!(
                    "Currency \"{text}\" is not supported; use one of {}.",
                    Currency::ALL.map(Currency::code).join(", ")
                )
            })
    }
}

/// How a line is priced, which sets the places of its unit price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum PriceKind {
    /// A flat-rate or per-user price: the currency's minor unit.
    #[default]
    Flat,
    /// A per-unit price of a custom meter dimension: 8 decimal places.
    Usage,
}

impl PriceKind {
    /// Decimal places of a unit price of this kind in `currency`.
    pub fn unit_places(self, currency: Currency) -> u32 {
        match self {
            PriceKind::Flat => currency.minor_units(),
            PriceKind::Usage => USAGE_PLACES,
        }
    }

    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            PriceKind::Flat => "flat",
            PriceKind::Usage => "usage",
        }
    }
}

impl FromStr for PriceKind {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text {
            "flat" => Ok(PriceKind::Flat),
            "usage" => Ok(PriceKind::Usage),
            other => Err(format!(
                "Kind \"{other}\" is not known; use \"flat\" or \"usage\"."
            )),
        }
    }
}

/// An amount of money: never negative, never more places than its line allows.
///
/// The currency travels beside it (a line, an offer); the places are checked when it is built.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Money(Decimal);

impl Money {
    /// Zero.
    pub const ZERO: Money = Money(Decimal::ZERO);

    /// An amount with at most `max_places` decimal places that is not negative.
    pub fn new(amount: Decimal, max_places: u32) -> Result<Self, PricingError> {
        if amount.is_sign_negative() && !amount.is_zero() {
            return Err(PricingError::Negative);
        }
        if places(amount) > max_places {
            return Err(PricingError::TooManyPlaces { max: max_places });
        }
        Ok(Money(amount.normalize()))
    }

    /// An amount above zero, such as a list price.
    pub fn positive(amount: Decimal, max_places: u32) -> Result<Self, PricingError> {
        if amount <= Decimal::ZERO {
            return Err(PricingError::NotPositive);
        }
        Self::new(amount, max_places)
    }

    /// Parses typed or wire text into an amount (see [`Money::new`]).
    pub fn parse(text: &str, max_places: u32) -> Result<Self, PricingError> {
        Self::new(parse_decimal(text)?, max_places)
    }

    /// Parses text into an amount above zero (see [`Money::positive`]).
    pub fn parse_positive(text: &str, max_places: u32) -> Result<Self, PricingError> {
        Self::positive(parse_decimal(text)?, max_places)
    }

    /// Rounds a computed non-negative value to `places` (half away from zero).
    pub(crate) fn rounded(value: Decimal, places: u32) -> Result<Self, PricingError> {
        Self::new(exact::round(value, places), places)
    }

    /// `a x b` rounded to `places` (half away from zero), computed in one step: a price from a
    /// price and a factor, or a subtotal from a unit price and a quantity.
    pub(crate) fn rounded_product(
        a: Decimal,
        b: Decimal,
        places: u32,
    ) -> Result<Self, PricingError> {
        let value = exact::mul_round(a, b, places)?;
        if value.is_sign_negative() && !value.is_zero() {
            return Err(PricingError::Negative);
        }
        // Rounded to `places` and normalized by `mul_round`: no more places than allowed.
        Ok(Money(value))
    }

    /// The amount.
    pub fn amount(self) -> Decimal {
        self.0
    }

    /// The amount with at least `places` decimals, for the wire ("110.00", "0.0012").
    pub fn padded(self, places: u32) -> Decimal {
        exact::padded(self.0, places)
    }

    /// `self + other`, exactly.
    pub fn checked_add(self, other: Money) -> Result<Money, PricingError> {
        exact::add(self.0, other.0).map(Money)
    }

    /// `self - other`, exactly; an error when `other` is larger.
    pub fn checked_sub(self, other: Money) -> Result<Money, PricingError> {
        let difference = exact::sub(self.0, other.0)?;
        if difference.is_sign_negative() && !difference.is_zero() {
            return Err(PricingError::Negative);
        }
        Ok(Money(difference))
    }

    /// Formats the amount for people: currency symbol, thousands separators, the currency's
    /// minor unit at least ("$1,234.50", "¥1,235", "$0.0012").
    pub fn display(self, currency: Currency) -> String {
        display_amount(self.0, currency)
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl TryFrom<String> for Money {
    type Error = PricingError;

    /// Money on the wire: a decimal string with any number of places (the line checks them).
    fn try_from(text: String) -> Result<Self, Self::Error> {
        Money::parse(&text, 28)
    }
}

impl From<Money> for String {
    fn from(money: Money) -> Self {
        money.0.to_string()
    }
}

/// Formats any amount for people in `currency` (see [`Money::display`]); a negative amount
/// puts its minus before the symbol ("-$5.00").
pub fn display_amount(amount: Decimal, currency: Currency) -> String {
    let digits = group_thousands(exact::padded(amount.abs(), currency.minor_units()));
    let sign = if amount.is_sign_negative() && !amount.is_zero() {
        "-"
    } else {
        ""
    };
    format!("{sign}{}{digits}", currency.symbol())
}

/// Formats a percentage for people: no trailing zeros, thousands grouped ("10.52631579%").
pub fn display_percent(percent: Decimal) -> String {
    format!("{}%", group_thousands(percent.normalize()))
}

/// Writes a decimal with a comma between thousands of its whole part ("-1,234,567.5").
pub fn group_thousands(value: Decimal) -> String {
    let text = value.abs().to_string();
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let mut grouped = String::with_capacity(text.len() + whole.len() / 3 + 1);
    if value.is_sign_negative() && !value.is_zero() {
        grouped.push('-');
    }
    for (index, digit) in whole.chars().enumerate() {
        if index > 0 && (whole.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if !fraction.is_empty() {
        grouped.push('.');
        grouped.push_str(fraction);
    }
    grouped
}

/// A quantity of units, users or reservations: above zero, at most 8 decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Quantity(Decimal);

impl Quantity {
    /// Decimal places a quantity may have (usage can be fractional: 1.5 GB).
    pub const MAX_PLACES: u32 = 8;

    /// One unit.
    pub const ONE: Quantity = Quantity(Decimal::ONE);

    /// A quantity above zero with at most 8 decimal places.
    pub fn new(value: Decimal) -> Result<Self, PricingError> {
        if value <= Decimal::ZERO {
            return Err(PricingError::NotPositive);
        }
        if places(value) > Self::MAX_PLACES {
            return Err(PricingError::TooManyPlaces {
                max: Self::MAX_PLACES,
            });
        }
        Ok(Quantity(value.normalize()))
    }

    /// A whole number of units above zero.
    pub fn whole(count: u32) -> Result<Self, PricingError> {
        Self::new(Decimal::from(count))
    }

    /// Parses typed or wire text into a quantity.
    pub fn parse(text: &str) -> Result<Self, PricingError> {
        Self::new(parse_decimal(text)?)
    }

    /// The quantity.
    pub fn value(self) -> Decimal {
        self.0
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl TryFrom<String> for Quantity {
    type Error = PricingError;

    fn try_from(text: String) -> Result<Self, Self::Error> {
        Quantity::parse(&text)
    }
}

impl From<Quantity> for String {
    fn from(quantity: Quantity) -> Self {
        quantity.0.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct Texts {
        #[serde(with = "decimal_text")]
        value: Decimal,
        #[serde(with = "decimal_text_option")]
        maybe: Option<Decimal>,
    }

    /// What rust_decimal's own `serde::str` modules write, to compare with.
    #[derive(Serialize)]
    struct TheirTexts {
        #[serde(with = "rust_decimal::serde::str")]
        value: Decimal,
        #[serde(with = "rust_decimal::serde::str_option")]
        maybe: Option<Decimal>,
    }

    #[test]
    fn decimal_text_writes_what_rust_decimal_writes_and_reads_it_back_with_its_scale() {
        let texts = [
            "0",
            "12.50",
            "-3.1",
            "0.00000001",
            "-0.5",
            "79228162514264337593543950335",
        ];
        for text in texts {
            for maybe in [Some(d(text)), None] {
                let ours = Texts {
                    value: d(text),
                    maybe,
                };
                let json = serde_json::to_string(&ours).unwrap();
                let theirs = TheirTexts {
                    value: d(text),
                    maybe,
                };
                assert_eq!(json, serde_json::to_string(&theirs).unwrap());
                let read: Texts = serde_json::from_str(&json).unwrap();
                assert_eq!(read, ours);
                assert_eq!(read.value.to_string(), text, "the scale is kept");
            }
        }
    }

    #[test]
    fn decimal_text_refuses_what_offer_desk_never_writes() {
        for value in [r#""1e5""#, r#""""#, r#""12,50""#, r#"" 1""#, "12.5", "null"] {
            let json = format!(r#"{{"value": {value}, "maybe": null}}"#);
            assert!(serde_json::from_str::<Texts>(&json).is_err(), "{json}");
        }
        let json = r#"{"value": "1", "maybe": "1e5"}"#;
        let error = serde_json::from_str::<Texts>(json).unwrap_err().to_string();
        assert!(
            error.starts_with(r#"expected a decimal number as text, found "1e5""#),
            "{error}"
        );
    }

    #[test]
    fn parses_plain_decimals_only() {
        let accepted = [
            ("100", "100"),
            ("100.00", "100"),
            ("0.0015", "0.0015"),
            (".5", "0.5"),
            ("5.", "5"),
            ("-12.5", "-12.5"),
            ("007", "7"),
            ("0", "0"),
        ];
        for (text, value) in accepted {
            assert_eq!(parse_decimal(text), Ok(d(value)), "{text}");
        }
        for text in [
            "", ".", "-", "1e5", "1,000", " 1", "1 ", "+1", "1.2.3", "NaN", "--1", "١",
        ] {
            assert_eq!(
                parse_decimal(text),
                Err(PricingError::NotANumber),
                "{text:?}"
            );
        }
        assert_eq!(
            parse_decimal("1.00000000000000000000000000001"),
            Err(PricingError::TooManyDigits)
        );
        assert_eq!(
            parse_decimal("99999999999999999999999999999"),
            Err(PricingError::TooManyDigits)
        );
        assert_eq!(
            parse_decimal("79228162514264337593543950335"),
            Ok(Decimal::MAX)
        );
        assert_eq!(
            parse_decimal("1.000000000000000000000000000000000"),
            Ok(d("1"))
        );
    }

    #[test]
    fn money_refuses_what_it_cannot_be() {
        assert_eq!(Money::parse("100.00", 2).map(Money::amount), Ok(d("100")));
        assert_eq!(
            Money::parse("100.001", 2),
            Err(PricingError::TooManyPlaces { max: 2 })
        );
        assert_eq!(
            Money::parse("100.010", 2).map(Money::amount),
            Ok(d("100.01"))
        );
        assert_eq!(Money::parse("-0.01", 2), Err(PricingError::Negative));
        assert_eq!(Money::parse("-0", 2).map(Money::amount), Ok(Decimal::ZERO));
        assert_eq!(
            Money::positive(Decimal::ZERO, 2),
            Err(PricingError::NotPositive)
        );
        assert_eq!(
            Money::parse("1.5", 0),
            Err(PricingError::TooManyPlaces { max: 0 })
        );
    }

    #[test]
    fn quantities_are_above_zero() {
        assert_eq!(Quantity::parse("0"), Err(PricingError::NotPositive));
        assert_eq!(Quantity::parse("-1"), Err(PricingError::NotPositive));
        assert_eq!(Quantity::parse("1.5").map(Quantity::value), Ok(d("1.5")));
        assert_eq!(
            Quantity::parse("0.000000001"),
            Err(PricingError::TooManyPlaces { max: 8 })
        );
    }

    #[test]
    fn money_is_displayed_for_its_currency() {
        let cases = [
            ("1234.5", Currency::USD, "$1,234.50"),
            ("1234567.891", Currency::USD, "$1,234,567.891"),
            ("0.0012", Currency::EUR, "€0.0012"),
            ("105", Currency::GBP, "£105.00"),
            ("999", Currency::CAD, "CA$999.00"),
            ("1000", Currency::AUD, "A$1,000.00"),
            ("1235", Currency::JPY, "¥1,235"),
            ("0", Currency::USD, "$0.00"),
        ];
        for (amount, currency, expected) in cases {
            assert_eq!(
                Money::new(d(amount), 8).unwrap().display(currency),
                expected
            );
        }
        assert_eq!(group_thousands(d("-1234567.5")), "-1,234,567.5");
        assert_eq!(display_amount(d("-5"), Currency::USD), "-$5.00");
        assert_eq!(display_percent(d("10.50000000")), "10.5%");
        assert_eq!(display_percent(d("-16")), "-16%");
        assert_eq!(group_thousands(d("123")), "123");
    }

    #[test]
    fn currencies_have_minor_units() {
        assert_eq!(Currency::USD.minor_units(), 2);
        assert_eq!(Currency::JPY.minor_units(), 0);
        assert_eq!("GBP".parse::<Currency>(), Ok(Currency::GBP));
        assert!("usd".parse::<Currency>().is_err());
        assert_eq!(PriceKind::Usage.unit_places(Currency::JPY), 8);
        assert_eq!(PriceKind::Flat.unit_places(Currency::JPY), 0);
    }

    #[test]
    fn money_adds_and_subtracts_exactly() {
        let a = Money::parse("0.10", 2).unwrap();
        let b = Money::parse("0.20", 2).unwrap();
        assert_eq!(a.checked_add(b).unwrap().amount(), d("0.3"));
        assert_eq!(a.checked_sub(b), Err(PricingError::Negative));
        assert_eq!(b.checked_sub(a).unwrap().amount(), d("0.1"));
    }
}
