//! Exact decimal arithmetic: every result is either the exact value or an error.
//!
//! `rust_decimal`'s own operators silently round when a product needs more than 28 digits;
//! money must never be rounded by accident, so the pricing core only uses these helpers.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::PricingError;

/// The largest scale `Decimal` can hold.
const MAX_SCALE: u32 = 28;

fn pow10(exp: u32) -> Result<i128, PricingError> {
    10i128.checked_pow(exp).ok_or(PricingError::Overflow)
}

/// Builds a decimal from an integer mantissa, dropping trailing zeros until it fits.
fn from_parts(mut mantissa: i128, mut scale: u32) -> Result<Decimal, PricingError> {
    loop {
        if scale <= MAX_SCALE {
            if let Ok(value) = Decimal::try_from_i128_with_scale(mantissa, scale) {
                return Ok(value);
            }
        }
        if scale == 0 || mantissa % 10 != 0 {
            return Err(PricingError::Overflow);
        }
        mantissa /= 10;
        scale -= 1;
    }
}

/// Brings two decimals to one scale as integers: `(a, b, scale)`.
fn aligned(a: Decimal, b: Decimal) -> Result<(i128, i128, u32), PricingError> {
    let scale = a.scale().max(b.scale());
    let a_int = a
        .mantissa()
        .checked_mul(pow10(scale - a.scale())?)
        .ok_or(PricingError::Overflow)?;
    let b_int = b
        .mantissa()
        .checked_mul(pow10(scale - b.scale())?)
        .ok_or(PricingError::Overflow)?;
    Ok((a_int, b_int, scale))
}

/// `a * b`, exactly.
pub(crate) fn mul(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    let (a, b) = (a.normalize(), b.normalize());
    let mantissa = a
        .mantissa()
        .checked_mul(b.mantissa())
        .ok_or(PricingError::Overflow)?;
    from_parts(mantissa, a.scale() + b.scale())
}

/// `a + b`, exactly.
pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    let (a, b, scale) = aligned(a, b)?;
    from_parts(a.checked_add(b).ok_or(PricingError::Overflow)?, scale)
}

/// `a - b`, exactly.
pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, PricingError> {
    let (a, b, scale) = aligned(a, b)?;
    from_parts(a.checked_sub(b).ok_or(PricingError::Overflow)?, scale)
}

/// `percent / 100`, exactly (a shift of the decimal point).
pub(crate) fn percent_fraction(percent: Decimal) -> Result<Decimal, PricingError> {
    let percent = percent.normalize();
    from_parts(percent.mantissa(), percent.scale() + 2)
}

/// Rounds half away from zero to `places` decimal places, the one rounding rule of the product.
pub(crate) fn round(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// Pads `value` with trailing zeros to at least `places` decimal places, for display
/// ("110" becomes "110.00"); never removes a digit.
pub(crate) fn padded(value: Decimal, places: u32) -> Decimal {
    let mut value = value;
    if value.scale() < places {
        value.rescale(places);
    }
    value
}

/// The quotient of `numerator / denominator` on a grid of `places` decimal places:
/// `(floor, remainder, |denominator|)` in units of that grid, where the exact quotient is
/// `floor + remainder / |denominator|` and `0 <= remainder < |denominator|`.
pub(crate) struct GridQuotient {
    /// The quotient rounded down, as an integer count of `10^-places`.
    pub floor: i128,
    /// What the floor leaves over, in units of `1 / divisor`.
    pub remainder: i128,
    /// The absolute value of the aligned denominator.
    pub divisor: i128,
}

pub(crate) fn divide_on_grid(
    numerator: Decimal,
    denominator: Decimal,
    places: u32,
) -> Result<GridQuotient, PricingError> {
    if denominator.is_zero() {
        return Err(PricingError::DivisionByZero);
    }
    let (mut n, mut d, _) = aligned(numerator.normalize(), denominator.normalize())?;
    if d < 0 {
        n = -n;
        d = -d;
    }
    let scaled = n
        .checked_mul(pow10(places)?)
        .ok_or(PricingError::Overflow)?;
    Ok(GridQuotient {
        floor: scaled.div_euclid(d),
        remainder: scaled.rem_euclid(d),
        divisor: d,
    })
}

/// `numerator / denominator` rounded half away from zero to `places` decimal places, computed
/// exactly (no intermediate rounding).
pub(crate) fn div_round(
    numerator: Decimal,
    denominator: Decimal,
    places: u32,
) -> Result<Decimal, PricingError> {
    let q = divide_on_grid(numerator, denominator, places)?;
    let twice = q.remainder.checked_mul(2).ok_or(PricingError::Overflow)?;
    let negative = q.floor < 0;
    // The floor of a negative quotient is below it: half away from zero for negatives rounds
    // up only when the remainder is strictly over half.
    let up = if negative {
        twice > q.divisor
    } else {
        twice >= q.divisor
    };
    let grid = if up { q.floor + 1 } else { q.floor };
    from_parts(grid, places)
}

/// Builds the decimal `units * 10^-places`.
pub(crate) fn from_grid(units: i128, places: u32) -> Result<Decimal, PricingError> {
    from_parts(units, places)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(text: &str) -> Decimal {
        Decimal::from_str(text).unwrap()
    }

    #[test]
    fn multiplication_is_exact_or_an_error() {
        assert_eq!(
            mul(d("95"), d("1.1052631579")).unwrap(),
            d("105.0000000005")
        );
        assert_eq!(mul(d("0.5"), d("0.2")).unwrap(), d("0.1"));
        // 28 nines times 28 nines cannot be held exactly: an error, not a rounded value.
        let big = d("9999999999999999999999999999");
        assert_eq!(mul(big, big), Err(PricingError::Overflow));
        assert_eq!(
            mul(d("0.00000000000000000001"), d("0.00000000000000000001")),
            Err(PricingError::Overflow)
        );
    }

    #[test]
    fn addition_and_subtraction_are_exact() {
        assert_eq!(add(d("0.1"), d("0.02")).unwrap(), d("0.12"));
        assert_eq!(sub(d("100"), d("110.00")).unwrap(), d("-10"));
        let max = Decimal::MAX;
        assert_eq!(add(max, d("1")), Err(PricingError::Overflow));
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        let cases = [
            ("2.345", 2, "2.35"),
            ("2.355", 2, "2.36"),
            ("-2.345", 2, "-2.35"),
            ("2.3449999", 2, "2.34"),
            ("0.5", 0, "1"),
            ("1.5", 0, "2"),
            ("2.5", 0, "3"),
        ];
        for (value, places, expected) in cases {
            assert_eq!(round(d(value), places), d(expected), "{value} to {places}");
        }
    }

    #[test]
    fn division_rounds_once_at_the_end() {
        assert_eq!(div_round(d("1000"), d("95"), 8).unwrap(), d("10.52631579"));
        assert_eq!(div_round(d("1"), d("8"), 2).unwrap(), d("0.13"));
        assert_eq!(div_round(d("-1"), d("8"), 2).unwrap(), d("-0.13"));
        assert_eq!(div_round(d("-1"), d("3"), 2).unwrap(), d("-0.33"));
        assert_eq!(div_round(d("2"), d("3"), 2).unwrap(), d("0.67"));
        assert_eq!(
            div_round(d("1"), d("0"), 2),
            Err(PricingError::DivisionByZero)
        );
    }

    #[test]
    fn padding_keeps_every_digit() {
        assert_eq!(padded(d("110"), 2).to_string(), "110.00");
        assert_eq!(padded(d("0.0012"), 2).to_string(), "0.0012");
    }
}
