//! The pricing formulas of SPEC "Pricing core", each rounded once, at its end.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use chrono::NaiveDate;

use crate::catalog::CATALOG_CURRENCY;
use crate::error::{FieldError, PricingError, Problems};
use crate::exact;
use crate::money::{Currency, Money, Quantity};
use crate::percent::{AdjustmentPercent, DiscountPercent, PERCENT_PLACES};

/// How the ISV prices a line to its partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PartnerPricing {
    /// A percentage off list price (a discount, or a CSP margin): it caps the multiparty
    /// customer adjustment.
    Discount(DiscountPercent),
    /// An absolute partner price: no cap.
    Absolute(Money),
}

impl PartnerPricing {
    /// The discount, when the line is priced by one.
    pub fn discount(self) -> Option<DiscountPercent> {
        match self {
            PartnerPricing::Discount(percent) => Some(percent),
            PartnerPricing::Absolute(_) => None,
        }
    }
}

/// `list x (1 - percent / 100)`, rounded to `places`: a partner (wholesale) price from a
/// discount, or a CSP wholesale price from a margin.
pub fn discounted_price(
    list: Money,
    percent: DiscountPercent,
    places: u32,
) -> Result<Money, PricingError> {
    let kept = exact::sub(Decimal::ONE, exact::percent_fraction(percent.value())?)?;
    Money::rounded_product(list.amount(), kept, places)
}

/// The partner price of a line with `places` unit places.
pub fn partner_price(
    list: Money,
    pricing: PartnerPricing,
    places: u32,
) -> Result<Money, PricingError> {
    match pricing {
        PartnerPricing::Discount(percent) => discounted_price(list, percent, places),
        PartnerPricing::Absolute(price) => {
            Money::new(price.amount(), places)?;
            Ok(price)
        }
    }
}

/// `partner x (1 + adjustment / 100)`, rounded to `places`. The partner price is the rounded
/// one the partner sees. To price many lines at one adjustment, build a [`Markup`] once.
pub fn customer_price(
    partner: Money,
    adjustment: AdjustmentPercent,
    places: u32,
) -> Result<Money, PricingError> {
    Markup::new(adjustment)?.customer_price(partner, places)
}

/// A customer adjustment (or CPPO markup) as the factor `1 + adjustment / 100` that every
/// partner price of an offer is multiplied by: computed once per adjustment, not once per line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Markup {
    factor: Decimal,
}

impl Markup {
    /// The factor of `adjustment`.
    pub fn new(adjustment: AdjustmentPercent) -> Result<Self, PricingError> {
        let factor = exact::add(Decimal::ONE, exact::percent_fraction(adjustment.value())?)?;
        Ok(Markup {
            factor: factor.normalize(),
        })
    }

    /// `partner x (1 + adjustment / 100)`, rounded to `places` (see [`customer_price`]).
    pub fn customer_price(self, partner: Money, places: u32) -> Result<Money, PricingError> {
        Money::rounded_product(partner.amount(), self.factor, places)
    }
}

/// `(list - customer) / list x 100`, rounded to 8 places; negative when the customer pays above
/// list.
pub fn net_discount_percent(list: Money, customer: Money) -> Result<Decimal, PricingError> {
    if list.amount().is_zero() {
        return Err(PricingError::NotPositive);
    }
    exact::percent_below(list.amount(), customer.amount(), PERCENT_PLACES)
}

/// The most a multiparty customer adjustment may be: the smallest discount among the lines
/// priced by a discount; `None` when every line has an absolute price.
pub fn adjustment_cap(pricings: impl IntoIterator<Item = PartnerPricing>) -> Option<Decimal> {
    pricings
        .into_iter()
        .filter_map(PartnerPricing::discount)
        .map(DiscountPercent::value)
        .min()
}

/// `unit x quantity`, rounded to the currency's minor unit: a line total, a per-user total
/// (price x users) or an upfront reservation subtotal.
pub fn line_total(
    unit: Money,
    quantity: Quantity,
    currency: Currency,
) -> Result<Money, PricingError> {
    Money::rounded_product(unit.amount(), quantity.value(), currency.minor_units())
}

/// The sum of already rounded amounts, exactly.
pub fn sum(amounts: impl IntoIterator<Item = Money>) -> Result<Money, PricingError> {
    amounts
        .into_iter()
        .try_fold(Money::ZERO, |total, amount| total.checked_add(amount))
}

/// What a search for an adjustment found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Solution {
    /// The adjustment (markup) %, with at most the allowed places.
    pub adjustment: AdjustmentPercent,
    /// The customer price that adjustment gives, rounded as every customer price is.
    pub customer_price: Money,
    /// Whether `customer_price` equals the target.
    pub exact: bool,
}

/// Finds the adjustment % with at most `percent_places` places whose customer price, rounded to
/// `price_places`, equals `target`. When several do, the one nearest the exact ratio
/// `(target - partner) / partner x 100` (on a tie, the smaller). When none does, the exact
/// ratio rounded to `percent_places`, with `exact` false.
pub fn solve_adjustment(
    partner: Money,
    target: Money,
    price_places: u32,
    percent_places: u32,
) -> Result<Solution, PricingError> {
    if partner.amount() <= Decimal::ZERO {
        return Err(PricingError::NotPositive);
    }
    if target < partner {
        return Err(PricingError::Negative);
    }
    let ratio = exact::divide_on_grid(
        exact::mul(
            exact::sub(target.amount(), partner.amount())?,
            Decimal::ONE_HUNDRED,
        )?,
        partner.amount(),
        percent_places,
    )?;
    let below = ratio.floor;
    let above = if ratio.remainder == 0 {
        below
    } else {
        below + 1
    };
    // Twice the remainder against the divisor compares the ratio's distances to both
    // neighbours exactly; on a tie the smaller neighbour comes first.
    let twice = ratio
        .remainder
        .checked_mul(2)
        .ok_or(PricingError::Overflow)?;
    let nearest_first = if twice <= ratio.divisor {
        [below, above]
    } else {
        [above, below]
    };
    // The customer price never falls as the adjustment rises, so the adjustments that reproduce
    // the target form one interval around the exact ratio: if any grid point is in it, one of
    // the ratio's two neighbours is.
    for units in nearest_first {
        let adjustment =
            AdjustmentPercent::new(exact::from_grid(units, percent_places)?, percent_places)?;
        let price = customer_price(partner, adjustment, price_places)?;
        if price == target {
            return Ok(Solution {
                adjustment,
                customer_price: price,
                exact: true,
            });
        }
    }
    let rounded = if twice >= ratio.divisor { above } else { below };
    let adjustment =
        AdjustmentPercent::new(exact::from_grid(rounded, percent_places)?, percent_places)?;
    Ok(Solution {
        adjustment,
        customer_price: customer_price(partner, adjustment, price_places)?,
        exact: false,
    })
}

/// Length of a VM software reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationTerm {
    /// One year: 12 monthly payments.
    OneYear,
    /// Three years: 36 monthly payments.
    ThreeYears,
}

impl ReservationTerm {
    /// Number of monthly payments over the term.
    pub fn months(self) -> u32 {
        match self {
            ReservationTerm::OneYear => 12,
            ReservationTerm::ThreeYears => 36,
        }
    }
}

/// How a VM software reservation is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReservationPayment {
    /// One payment: subtotal = unit price x quantity.
    Upfront,
    /// Monthly: subtotal = monthly unit price x months x quantity.
    Monthly,
}

/// The subtotal of one VM reservation line (seed 001): upfront `unit x quantity`, monthly
/// `monthly unit x months x quantity`, rounded once to the minor unit.
pub fn reservation_subtotal(
    unit: Money,
    quantity: Quantity,
    term: ReservationTerm,
    payment: ReservationPayment,
    currency: Currency,
) -> Result<Money, PricingError> {
    let payments = match payment {
        ReservationPayment::Upfront => Decimal::ONE,
        ReservationPayment::Monthly => Decimal::from(term.months()),
    };
    let units = exact::mul(payments, quantity.value())?;
    Money::rounded_product(unit.amount(), units, currency.minor_units())
}

/// Most decimal places of an exchange rate.
pub const EXCHANGE_RATE_PLACES: u32 = 8;

/// Units of a market currency per USD (the catalog's currency), as taken on a day: above 0,
/// with at most [`EXCHANGE_RATE_PLACES`] decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExchangeRate {
    rate: Decimal,
    as_of: NaiveDate,
}

impl ExchangeRate {
    /// A rate taken on `as_of`; refused (never rounded) unless above 0 with at most
    /// [`EXCHANGE_RATE_PLACES`] places.
    pub fn new(rate: Decimal, as_of: NaiveDate) -> Result<Self, PricingError> {
        if rate <= Decimal::ZERO {
            return Err(PricingError::NotPositive);
        }
        if crate::money::places(rate) > EXCHANGE_RATE_PLACES {
            return Err(PricingError::TooManyPlaces {
                max: EXCHANGE_RATE_PLACES,
            });
        }
        Ok(ExchangeRate { rate, as_of })
    }

    /// USD's own rate, 1, on `as_of`.
    pub fn base(as_of: NaiveDate) -> Self {
        ExchangeRate {
            rate: Decimal::ONE,
            as_of,
        }
    }

    /// Units of the market currency per USD.
    pub fn rate(self) -> Decimal {
        self.rate
    }

    /// The day the rate was taken.
    pub fn as_of(self) -> NaiveDate {
        self.as_of
    }
}

/// Checks the rows of an ISV's exchange-rate table, each `(market currency, units per USD, the
/// day it was taken)`, naming problems at `rates[i].rate` and `rates[i].currency`: every rate is
/// above 0 with at most [`EXCHANGE_RATE_PLACES`] places, and USD, the base, has none.
pub fn exchange_rate_table(
    rates: &[(Currency, Decimal, NaiveDate)],
) -> Result<Vec<(Currency, ExchangeRate)>, Vec<FieldError>> {
    let mut problems = Problems::new();
    let mut table = Vec::with_capacity(rates.len());
    for (index, (currency, rate, as_of)) in rates.iter().enumerate() {
        match ExchangeRate::new(*rate, *as_of) {
            Ok(rate) => table.push((*currency, rate)),
            Err(_) => problems.add(
                format!("rates[{index}].rate"),
                format!("A rate is above 0 with at most {EXCHANGE_RATE_PLACES} decimal places."),
            ),
        }
        if *currency == CATALOG_CURRENCY {
            problems.add(
                format!("rates[{index}].currency"),
                "USD is the base currency; its rate is 1.",
            );
        }
    }
    problems.finish(|| table)
}

/// A USD `amount` in a market currency at `rate`, computed exactly and rounded once, half away
/// from zero, to `places` (the line's unit places in that currency, see
/// [`crate::money::PriceKind::unit_places`]).
pub fn convert(amount: Money, rate: ExchangeRate, places: u32) -> Result<Money, PricingError> {
    Money::rounded_product(amount.amount(), rate.rate, places)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::{PriceKind, USAGE_PLACES};
    use crate::percent::CPPO_MARKUP_PLACES;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }
    fn usd(text: &str) -> Money {
        Money::parse(text, 8).unwrap()
    }
    fn adj(text: &str) -> AdjustmentPercent {
        AdjustmentPercent::parse(text, 9).unwrap()
    }
    fn disc(text: &str) -> DiscountPercent {
        DiscountPercent::parse(text).unwrap()
    }

    #[test]
    fn seed_examples() {
        // Seed 002, example 1: $100.00 + 10% = $110.00.
        assert_eq!(customer_price(usd("100"), adj("10"), 2), Ok(usd("110")));
        // Seed 002, example 2: $95.00 to $105.00 needs 10.52631579%, which gives $105.00.
        let solved = solve_adjustment(usd("95"), usd("105"), 2, 8).unwrap();
        assert_eq!(solved.adjustment.value(), d("10.52631579"));
        assert_eq!(solved.customer_price, usd("105"));
        assert!(solved.exact);
        assert_eq!(
            customer_price(usd("95"), adj("10.52631579"), 2),
            Ok(usd("105"))
        );
    }

    #[test]
    fn partner_prices_round_once_half_away_from_zero() {
        let cases = [
            // (list, discount, places, partner price)
            ("100", "10", 2, "90"),
            ("99.99", "33.33333333", 2, "66.66"),
            ("0.05", "10", 2, "0.05"),   // 0.045 rounds up to 0.05
            ("0.15", "10", 2, "0.14"),   // 0.135 rounds up to 0.14
            ("19.99", "15", 2, "16.99"), // 16.9915
            ("1000", "12.5", 0, "875"),
            ("1001", "50", 0, "501"), // 500.5 rounds away from zero
            ("0.0015", "20", USAGE_PLACES, "0.0012"),
            ("0.00000003", "50", USAGE_PLACES, "0.00000002"), // 0.000000015
        ];
        for (list, discount, places, expected) in cases {
            assert_eq!(
                discounted_price(usd(list), disc(discount), places),
                Ok(usd(expected)),
                "{list} less {discount}% to {places} places"
            );
        }
    }

    #[test]
    fn customer_price_starts_from_the_rounded_partner_price() {
        // List $0.15 less 10% is 0.135, shown to the partner as $0.14; +50% on that is $0.21,
        // where the unrounded 0.135 x 1.5 = 0.2025 would have given $0.20.
        let partner = discounted_price(usd("0.15"), disc("10"), 2).unwrap();
        assert_eq!(customer_price(partner, adj("50"), 2), Ok(usd("0.21")));
    }

    #[test]
    fn absolute_prices_keep_their_value_and_places() {
        let absolute = PartnerPricing::Absolute(usd("0.0012"));
        assert_eq!(partner_price(usd("0.0015"), absolute, 8), Ok(usd("0.0012")));
        assert_eq!(
            partner_price(usd("0.0015"), absolute, 2),
            Err(PricingError::TooManyPlaces { max: 2 })
        );
    }

    #[test]
    fn net_discount_is_negative_above_list() {
        assert_eq!(net_discount_percent(usd("100"), usd("94.5")), Ok(d("5.5")));
        assert_eq!(net_discount_percent(usd("100"), usd("110")), Ok(d("-10")));
        assert_eq!(
            net_discount_percent(usd("3"), usd("1")),
            Ok(d("66.66666667"))
        );
        assert_eq!(
            net_discount_percent(usd("3"), usd("5")),
            Ok(d("-66.66666667"))
        );
        assert_eq!(
            net_discount_percent(usd("0"), usd("5")),
            Err(PricingError::NotPositive)
        );
    }

    #[test]
    fn cap_is_the_smallest_discount() {
        let lines = [
            PartnerPricing::Discount(disc("15")),
            PartnerPricing::Absolute(usd("3")),
            PartnerPricing::Discount(disc("7.5")),
        ];
        assert_eq!(adjustment_cap(lines), Some(d("7.5")));
        assert_eq!(adjustment_cap([PartnerPricing::Absolute(usd("3"))]), None);
    }

    #[test]
    fn solver_prefers_the_percentage_nearest_the_exact_ratio() {
        // $0.99 to $1.00: the ratio is 1.0101...%; every adjustment from about 0.505% to 1.515%
        // rounds to $1.00, and the one nearest the ratio is its 8-place rounding.
        let solved = solve_adjustment(usd("0.99"), usd("1"), 2, 8).unwrap();
        assert_eq!(solved.adjustment.value(), d("1.01010101"));
        assert!(solved.exact);
        // A ratio on the grid is returned as it is.
        let solved = solve_adjustment(usd("100"), usd("110"), 2, 8).unwrap();
        assert_eq!(solved.adjustment.value(), d("10"));
        let solved = solve_adjustment(usd("8"), usd("9"), 0, 1).unwrap();
        assert_eq!(solved.adjustment.value(), d("12.5"));
        // $300 to $301 with whole prices: 1/3 % lies between 0.33 and 0.34; 0.33 is nearer and
        // gives 300.99, which rounds to 301.
        let solved = solve_adjustment(usd("300"), usd("301"), 0, 2).unwrap();
        assert_eq!(solved.adjustment.value(), d("0.33"));
        assert_eq!(solved.customer_price, usd("301"));
        // Zero markup is a valid answer when the target is the partner price.
        let solved = solve_adjustment(usd("10"), usd("10"), 0, 0).unwrap();
        assert_eq!(solved.adjustment.value(), d("0"));
        assert!(solved.exact);
    }

    #[test]
    fn solver_breaks_a_tie_towards_the_smaller_percentage() {
        // $40 to $41 in whole currency units on a whole-percent grid: the ratio is 2.5%, exactly
        // between 2% (40.8 -> 41) and 3% (41.2 -> 41). Both reproduce the target: the smaller
        // wins.
        let solved = solve_adjustment(usd("40"), usd("41"), 0, 0).unwrap();
        assert_eq!(solved.adjustment.value(), d("2"));
        assert!(solved.exact);
        // $200 to $201 on the same grids: the ratio 0.5% is a tie between 0% (200) and 1% (202),
        // neither of which gives 201. No percentage does, so the answer is the ratio rounded
        // half away from zero, flagged inexact.
        let solved = solve_adjustment(usd("200"), usd("201"), 0, 0).unwrap();
        assert_eq!(solved.adjustment.value(), d("1"));
        assert_eq!(solved.customer_price, usd("202"));
        assert!(!solved.exact);
    }

    #[test]
    fn solver_reports_inexact_when_no_percentage_reproduces_the_target() {
        // 1000 to 1001 in yen on a whole-percent grid: 0% gives 1000 and 1% gives 1010.
        let solved = solve_adjustment(usd("1000"), usd("1001"), 0, 0).unwrap();
        assert!(!solved.exact);
        assert_eq!(solved.adjustment.value(), d("0"));
        assert_eq!(solved.customer_price, usd("1000"));
    }

    #[test]
    fn cppo_markups_solve_to_nine_places() {
        let solved = solve_adjustment(usd("95"), usd("105"), 2, CPPO_MARKUP_PLACES).unwrap();
        assert_eq!(solved.adjustment.value(), d("10.526315789"));
        assert!(solved.exact);
    }

    #[test]
    fn solver_refuses_what_has_no_answer() {
        assert_eq!(
            solve_adjustment(usd("0"), usd("1"), 2, 8),
            Err(PricingError::NotPositive)
        );
        assert_eq!(
            solve_adjustment(usd("10"), usd("9.99"), 2, 8),
            Err(PricingError::Negative)
        );
    }

    #[test]
    fn line_totals_round_the_rounded_unit_price_times_quantity() {
        let currency = Currency::USD;
        let unit = discounted_price(
            usd("0.0015"),
            disc("20"),
            PriceKind::Usage.unit_places(currency),
        )
        .unwrap();
        let quantity = Quantity::parse("1234567").unwrap();
        assert_eq!(line_total(unit, quantity, currency), Ok(usd("1481.48"))); // 1481.4804
        assert_eq!(
            line_total(usd("19.99"), Quantity::parse("3").unwrap(), currency),
            Ok(usd("59.97"))
        );
        assert_eq!(
            line_total(usd("0.005"), Quantity::parse("1").unwrap(), currency),
            Ok(usd("0.01"))
        );
        assert_eq!(
            line_total(usd("0.4"), Quantity::parse("3").unwrap(), Currency::JPY),
            Ok(usd("1"))
        );
    }

    #[test]
    fn reservation_subtotals_follow_the_seed() {
        let unit = usd("125.50");
        let quantity = Quantity::whole(4).unwrap();
        let usd_ = Currency::USD;
        assert_eq!(
            reservation_subtotal(
                unit,
                quantity,
                ReservationTerm::OneYear,
                ReservationPayment::Upfront,
                usd_
            ),
            Ok(usd("502"))
        );
        assert_eq!(
            reservation_subtotal(
                unit,
                quantity,
                ReservationTerm::OneYear,
                ReservationPayment::Monthly,
                usd_
            ),
            Ok(usd("6024"))
        );
        assert_eq!(
            reservation_subtotal(
                unit,
                quantity,
                ReservationTerm::ThreeYears,
                ReservationPayment::Monthly,
                usd_
            ),
            Ok(usd("18072"))
        );
    }

    #[test]
    fn overflow_is_an_error_never_a_panic() {
        let huge = Money::parse("79228162514264337593543950335", 0).unwrap();
        assert_eq!(
            customer_price(huge, adj("10"), 2),
            Err(PricingError::Overflow)
        );
        assert_eq!(
            line_total(huge, Quantity::parse("2").unwrap(), Currency::USD),
            Err(PricingError::Overflow)
        );
        assert_eq!(sum([huge, huge]), Err(PricingError::Overflow));
    }

    #[test]
    fn an_exchange_rate_is_above_zero_with_at_most_eight_places() {
        let day: NaiveDate = "2026-11-02".parse().unwrap();
        #[rustfmt::skip]
        let cases = [
            ("0.92", Ok(())),
            ("155", Ok(())),
            ("0.00000001", Ok(())),
            ("0.920000000000", Ok(())),
            ("0.000000001", Err(PricingError::TooManyPlaces { max: 8 })),
            ("0", Err(PricingError::NotPositive)),
            ("-0.92", Err(PricingError::NotPositive)),
        ];
        for (text, expected) in cases {
            let found = ExchangeRate::new(d(text), day).map(|rate| {
                assert_eq!(rate.rate(), d(text));
                assert_eq!(rate.as_of(), day);
            });
            assert_eq!(found, expected, "{text}");
        }
        assert_eq!(ExchangeRate::base(day).rate(), Decimal::ONE);
    }

    #[test]
    fn conversion_is_exact_and_rounds_once_half_away_from_zero() {
        let day: NaiveDate = "2026-11-02".parse().unwrap();
        let rate = |text: &str| ExchangeRate::new(d(text), day).unwrap();
        #[rustfmt::skip]
        let cases = [
            // (USD amount, rate, places, converted)
            ("100.25", "0.92", 2, "92.23"),       // 92.2300
            ("100.00", "0.79125", 2, "79.13"),    // 79.125: half away from zero
            ("100.00", "0.79124999", 2, "79.12"),
            ("0.5", "1", 0, "1"),
            ("100.00", "155.123", 0, "15512"),    // JPY: 15512.3
            ("0.0015", "0.92", 8, "0.00138"),     // a meter's unit price keeps 8 places
            ("0.00000001", "0.5", 8, "0.00000001"),
            ("0.00000001", "0.49999999", 8, "0"),
            ("1234567890123.45", "1.5", 2, "1851851835185.18"),  // .175 exactly, no float
        ];
        for (amount, rate_text, places, expected) in cases {
            let converted =
                convert(Money::new(d(amount), 8).unwrap(), rate(rate_text), places).unwrap();
            assert_eq!(converted.amount(), d(expected), "{amount} x {rate_text}");
        }
        // Too large to hold exactly is an error, never a panic or a silent rounding.
        let huge = Money::new(Decimal::MAX, 0).unwrap();
        assert_eq!(convert(huge, rate("2"), 2), Err(PricingError::Overflow));
    }

    #[test]
    fn an_exchange_rate_table_names_each_bad_row() {
        let day: NaiveDate = "2026-11-02".parse().unwrap();
        let good = exchange_rate_table(&[
            (Currency::EUR, d("0.92"), day),
            (Currency::JPY, d("155"), day),
        ])
        .unwrap();
        assert_eq!(good.len(), 2);
        assert_eq!(good[1].0, Currency::JPY);
        let fields: Vec<String> = exchange_rate_table(&[
            (Currency::EUR, d("0.92"), day),
            (Currency::GBP, d("0"), day),
            (Currency::USD, d("1"), day),
            (Currency::CAD, d("1.123456789"), day),
        ])
        .unwrap_err()
        .into_iter()
        .map(|problem| problem.field)
        .collect();
        assert_eq!(
            fields,
            ["rates[1].rate", "rates[2].currency", "rates[3].rate"]
        );
    }
}
