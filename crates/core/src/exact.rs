//! Exact decimal arithmetic: every result is either the exact value or an error.
//!
//! `rust_decimal`'s own operators silently round when a product needs more than 28 digits;
//! money must never be rounded by accident, so the pricing core only uses these helpers.

use rust_decimal::{Decimal, RoundingStrategy};

use crate::error::PricingError;

/// The largest scale `Decimal` can hold.
const MAX_SCALE: u32 = 28;

/// `10^0` to `10^38`, every power of ten an `i128` holds, looked up instead of multiplied out
/// on every alignment.
const POW10: [i128; 39] = {
    let mut table = [1i128; 39];
    let mut exp = 1;
    while exp < table.len() {
        table[exp] = table[exp - 1] * 10;
        exp += 1;
    }
    table
};

fn pow10(exp: u32) -> Result<i128, PricingError> {
    POW10
        .get(exp as usize)
        .copied()
        .ok_or(PricingError::Overflow)
}

/// `10^exp` as a `u64`, for `exp` up to 19.
fn pow10_u64(exp: u32) -> Option<u64> {
    // Every entry up to 10^19 fits in a u64.
    POW10
        .get(exp as usize)
        .and_then(|&power| u64::try_from(power).ok())
}

/// A decimal whose mantissa fits in 64 bits (almost every price, percentage and factor), as
/// plain integers: `(negative, magnitude, scale)`. The fast paths below work on these with the
/// machine's own 64-bit arithmetic (native in WebAssembly too) instead of `i128` or `Decimal`
/// operations, and fall back to the general ones otherwise; both give the same exact values.
fn small(value: Decimal) -> Option<(bool, u64, u32)> {
    let parts = value.unpack();
    (parts.hi == 0).then(|| {
        (
            parts.negative,
            (u64::from(parts.mid) << 32) | u64::from(parts.lo),
            parts.scale,
        )
    })
}

/// The decimal `magnitude x 10^-scale` with the sign, trailing zeros dropped; `scale` at most 28.
fn from_small_normalized(negative: bool, mut magnitude: u64, mut scale: u32) -> Decimal {
    while scale > 0 && magnitude.is_multiple_of(10) {
        magnitude /= 10;
        scale -= 1;
    }
    // Truncation is intended: the two halves of a u64.
    #[allow(clippy::cast_possible_truncation)]
    let (lo, mid) = (magnitude as u32, (magnitude >> 32) as u32);
    Decimal::from_parts(lo, mid, 0, negative && magnitude != 0, scale)
}

/// Rounds the magnitude `value x 10^-(places + drop)` to `places` places, half away from zero:
/// `value / 10^drop`, up when what is dropped is at least half; `None` when `10^drop` is
/// beyond a u64.
fn shift_round(value: u64, drop: u32) -> Option<u64> {
    let divisor = pow10_u64(drop)?;
    let (quotient, remainder) = (value / divisor, value % divisor);
    // `remainder >= divisor - remainder` is `2 x remainder >= divisor` without overflow.
    Some(if remainder >= divisor - remainder {
        quotient + 1
    } else {
        quotient
    })
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

/// `a * b` rounded half away from zero to `places` (at most 28) decimal places, with trailing
/// zeros dropped: exactly `round(mul(a, b)?, places)`, computed without building the exact
/// product as a `Decimal` when both mantissas are small enough for their product to fit in 64
/// bits.
pub(crate) fn mul_round(a: Decimal, b: Decimal, places: u32) -> Result<Decimal, PricingError> {
    if let (Some((a_neg, a_mag, a_scale)), Some((b_neg, b_mag, b_scale))) = (small(a), small(b)) {
        // Fewer than 64 significant bits between them: the product cannot overflow a u64.
        // The exact product must be a `Decimal` (at most 28 places) for `mul` to give it.
        let scale = a_scale + b_scale;
        if a_mag.leading_zeros() + b_mag.leading_zeros() >= 64 && scale <= MAX_SCALE {
            let product = a_mag * b_mag;
            let negative = a_neg != b_neg;
            if scale <= places {
                return Ok(from_small_normalized(negative, product, scale));
            } else if let Some(rounded) = shift_round(product, scale - places) {
                return Ok(from_small_normalized(negative, rounded, places));
            }
        }
    }
    Ok(round(mul(a, b)?, places).normalize())
}

/// `(a - b) x 100 / a` rounded half away from zero to `places` decimal places: the percentage
/// `b` is below `a` (negative when above), exactly `div_round(mul(sub(a, b)?, 100)?, a, places)`.
/// For mantissas that fit in 64 bits it is computed with 64-bit integers at the common scale.
pub(crate) fn percent_below(a: Decimal, b: Decimal, places: u32) -> Result<Decimal, PricingError> {
    if let Some(value) = small_percent_below(a, b, places) {
        return Ok(value);
    }
    div_round(mul(sub(a, b)?, Decimal::ONE_HUNDRED)?, a, places)
}

fn small_percent_below(a: Decimal, b: Decimal, places: u32) -> Option<Decimal> {
    let (a_neg, a_mag, a_scale) = small(a)?;
    let (b_neg, b_mag, b_scale) = small(b)?;
    if a_neg || b_neg || a_mag == 0 || places > MAX_SCALE {
        return None;
    }
    // Both at their common scale, as integers.
    let scale = a_scale.max(b_scale);
    let a_int = a_mag.checked_mul(pow10_u64(scale - a_scale)?)?;
    let b_int = b_mag.checked_mul(pow10_u64(scale - b_scale)?)?;
    let negative = b_int > a_int;
    let difference = a_int.abs_diff(b_int);
    // difference x 100 x 10^places / a, on the grid of `places`.
    let numerator = difference.checked_mul(pow10_u64(places + 2)?)?;
    let (quotient, remainder) = (numerator / a_int, numerator % a_int);
    let grid = if remainder >= a_int - remainder {
        quotient + 1
    } else {
        quotient
    };
    // Truncation is intended: the two halves of a u64.
    #[allow(clippy::cast_possible_truncation)]
    let (lo, mid) = (grid as u32, (grid >> 32) as u32);
    Some(Decimal::from_parts(
        lo,
        mid,
        0,
        negative && grid != 0,
        places,
    ))
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

    /// The 64-bit fast paths give exactly what the general arithmetic gives, scale included
    /// for the percentage, over small, large, negative and many-place values.
    #[test]
    fn fast_paths_agree_with_the_general_arithmetic() {
        let values = [
            "0",
            "1",
            "95",
            "100",
            "110.00",
            "0.00012345",
            "0.0001",
            "1.07312345",
            "1.1052631579",
            "123456.78",
            "4294967295",
            "4294967296",
            "18446744073709551615",
            "0.5",
            "2.345",
            "-2.345",
            "-0.00000001",
            "99999999999.99999999",
            "0.0000000000000001",
            "0.000000000000000000000001",
            "9999999999999999999999999999",
        ];
        for a in values {
            for b in values {
                let (x, y) = (d(a), d(b));
                for places in [0, 2, 8, 9, 28] {
                    let general = mul(x, y).map(|product| round(product, places).normalize());
                    assert_eq!(mul_round(x, y, places), general, "{a} x {b} to {places}");
                    if let Ok(value) = mul_round(x, y, places) {
                        assert_eq!(value.to_string(), general.unwrap().to_string());
                    }
                }
                if !x.is_zero() {
                    for places in [2, 8] {
                        let general = sub(x, y)
                            .and_then(|difference| mul(difference, Decimal::ONE_HUNDRED))
                            .and_then(|numerator| div_round(numerator, x, places));
                        let fast = percent_below(x, y, places);
                        assert_eq!(fast, general, "({a} - {b}) / {a} to {places}");
                        if let (Ok(fast), Ok(general)) = (fast, general) {
                            assert_eq!(fast.to_string(), general.to_string());
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn padding_keeps_every_digit() {
        assert_eq!(padded(d("110"), 2).to_string(), "110.00");
        assert_eq!(padded(d("0.0012"), 2).to_string(), "0.0012");
    }
}
