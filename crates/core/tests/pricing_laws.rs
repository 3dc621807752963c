//! Property tests of the pricing laws (SPEC "Pricing core").

use offerdesk_core::money::parse_decimal;
use offerdesk_core::pricing::{customer_price, solve_adjustment};
use offerdesk_core::quote::{quote_json, solve_json};
use offerdesk_core::{AdjustmentPercent, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{json, Value};

/// An amount in cents from $0.01 to $100,000,000.00.
fn cents() -> impl Strategy<Value = Money> {
    (1i64..=10_000_000_000).prop_map(|units| Money::new(Decimal::new(units, 2), 2).unwrap())
}

/// An adjustment from 0 to 1,000% with `places` decimal places.
fn adjustment(places: u32) -> impl Strategy<Value = AdjustmentPercent> {
    let limit = 1_000 * 10i64.pow(places);
    (0i64..=limit)
        .prop_map(move |units| AdjustmentPercent::new(Decimal::new(units, places), places).unwrap())
}

/// A decimal string as a client might send: ordinary, huge, tiny, negative or malformed.
fn decimal_text() -> impl Strategy<Value = String> {
    prop_oneof![
        (0i64..=100_000_000, 0u32..=10)
            .prop_map(|(units, scale)| Decimal::new(units, scale).to_string()),
        (any::<i64>(), 0u32..=28).prop_map(|(units, scale)| Decimal::new(units, scale).to_string()),
        Just("79228162514264337593543950335".to_owned()),
        Just("0.0000000000000000000000000001".to_owned()),
        "[-+0-9.eE, ]{0,12}",
        ".{0,8}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Solve-then-apply reproduces any reachable customer price, with the seed's 8 places and
    /// CPPO's 9.
    #[test]
    fn solving_a_reachable_target_reproduces_it(
        partner in cents(),
        adjustment in adjustment(8),
        cppo in any::<bool>(),
    ) {
        let places = if cppo { 9 } else { 8 };
        let target = customer_price(partner, adjustment, 2).unwrap();
        let solved = solve_adjustment(partner, target, 2, places).unwrap();
        prop_assert!(solved.exact, "{partner} -> {target}: {solved:?}");
        prop_assert_eq!(customer_price(partner, solved.adjustment, 2).unwrap(), target);
        prop_assert!(solved.adjustment.value().scale() <= places);
    }

    /// Whatever the target, the solver's answer is honest: `exact` is true exactly when the
    /// adjustment gives the target, and the price it reports is what that adjustment gives.
    #[test]
    fn the_solver_never_claims_what_it_did_not_reach(
        partner in cents(),
        extra in 0i64..=1_000_000_000,
    ) {
        let target = partner.checked_add(Money::new(Decimal::new(extra, 2), 2).unwrap()).unwrap();
        let solved = solve_adjustment(partner, target, 2, 8).unwrap();
        let price = customer_price(partner, solved.adjustment, 2).unwrap();
        prop_assert_eq!(price, solved.customer_price);
        prop_assert_eq!(solved.exact, price == target);
    }

    /// The customer price never falls as the adjustment rises.
    #[test]
    fn the_customer_price_never_falls_as_the_adjustment_rises(
        partner in cents(),
        a in adjustment(8),
        b in adjustment(8),
    ) {
        let (low, high) = if a <= b { (a, b) } else { (b, a) };
        prop_assert!(customer_price(partner, low, 2).unwrap() <= customer_price(partner, high, 2).unwrap());
    }

    /// A multiparty quote never accepts an adjustment above its smallest discount, and always
    /// accepts one at or below it.
    #[test]
    fn the_cap_is_never_exceeded(
        discounts in prop::collection::vec((1i64..=9_999_999_999, any::<bool>()), 1..8),
        adjustment in adjustment(8),
    ) {
        let lines: Vec<Value> = discounts.iter().enumerate().map(|(index, (units, absolute))| {
            let pricing = if *absolute {
                json!({ "absolute_price": "5.00" })
            } else {
                json!({ "discount_percent": Decimal::new(*units, 8).to_string() })
            };
            json!({ "id": index.to_string(), "list_price": "10.00", "partner_pricing": pricing })
        }).collect();
        let cap = discounts.iter().filter(|(_, absolute)| !absolute).map(|(units, _)| Decimal::new(*units, 8)).min();
        let body = json!({ "customer_adjustment_percent": adjustment.value().to_string(), "lines": lines });
        let result = quote_json(&body);
        match cap {
            Some(cap) if adjustment.value() > cap => {
                let errors = result.unwrap_err();
                prop_assert_eq!(errors[0].field.as_str(), "customer_adjustment_percent");
            }
            _ => {
                let response = result.unwrap();
                prop_assert_eq!(response.max_customer_adjustment_percent, cap);
            }
        }
    }

    /// No text makes parsing panic, and whatever parses is what was written.
    #[test]
    fn parsing_never_panics(text in decimal_text()) {
        if let Ok(value) = parse_decimal(&text) {
            prop_assert_eq!(value, text.parse::<Decimal>().unwrap());
        }
    }

    /// No request body makes the quote or the solver panic: each answers a quote or problems.
    #[test]
    fn no_input_makes_a_quote_panic(
        program in prop_oneof![Just("multiparty"), Just("csp"), Just("cppo"), Just("x")],
        currency in prop_oneof![Just("USD"), Just("JPY"), Just("EUR"), Just("???")],
        kind in prop_oneof![Just("flat"), Just("usage")],
        adjustment in decimal_text(),
        lines in prop::collection::vec((decimal_text(), decimal_text(), decimal_text(), 0u8..3), 0..5),
    ) {
        let lines: Vec<Value> = lines.iter().enumerate().map(|(index, (list, quantity, price, how))| {
            let pricing = match how {
                0 => json!({ "discount_percent": price }),
                1 => json!({ "margin_percent": price }),
                _ => json!({ "absolute_price": price }),
            };
            json!({ "id": index.to_string(), "kind": kind, "list_price": list,
                    "quantity": quantity, "partner_pricing": pricing })
        }).collect();
        let body = json!({ "program": program, "currency": currency,
                           "customer_adjustment_percent": adjustment, "lines": lines });
        if let Err(errors) = quote_json(&body) {
            prop_assert!(!errors.is_empty());
        }
        let solve = json!({ "program": program, "currency": currency, "kind": kind,
                            "partner_price": adjustment, "target_customer_price": adjustment });
        if let Err(errors) = solve_json(&solve) {
            prop_assert!(!errors.is_empty());
        }
    }
}
