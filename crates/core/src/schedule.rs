//! CPPO multi-year payment schedules: installments that add up to the contract value exactly.

use crate::error::{PricingError, Problems};
use crate::exact;
use crate::money::{Currency, Money};

/// Most installments a schedule may have.
pub const MAX_INSTALLMENTS: usize = 60;

/// Splits `total` into `count` installments of the currency's minor unit: an even split, with
/// the remainder's minor units on the first installment (the seed's default).
pub fn even_split(
    total: Money,
    count: usize,
    currency: Currency,
) -> Result<Vec<Money>, PricingError> {
    if count == 0 || count > MAX_INSTALLMENTS {
        return Err(PricingError::CountOutOfRange {
            max: MAX_INSTALLMENTS,
        });
    }
    let minor = currency.minor_units();
    let total = Money::new(total.amount(), minor)?;
    let units = exact::padded(total.amount(), minor).mantissa();
    let count_units = i128::try_from(count).map_err(|_| PricingError::Overflow)?;
    let (each, remainder) = (units / count_units, units % count_units);
    let installment =
        |units: i128| exact::from_grid(units, minor).and_then(|amount| Money::new(amount, minor));
    let first = installment(each + remainder)?;
    let rest = installment(each)?;
    Ok(std::iter::once(first)
        .chain(std::iter::repeat_n(rest, count - 1))
        .collect())
}

/// Checks an edited schedule held as text: 1 to 60 installments, each an amount of the
/// currency's minor unit that is not negative, adding up to `total` exactly. Problems are
/// reported on `{field}` and `{field}[i]`.
pub fn check_installments(
    field: &str,
    total: Money,
    installments: &[String],
    currency: Currency,
    problems: &mut Problems,
) -> Option<Vec<Money>> {
    if installments.is_empty() || installments.len() > MAX_INSTALLMENTS {
        problems.add(
            field,
            format!(
                "A payment schedule has 1 to {MAX_INSTALLMENTS} installments; this one has {}.",
                installments.len()
            ),
        );
        return None;
    }
    let minor = currency.minor_units();
    let amounts: Vec<Option<Money>> = installments
        .iter()
        .enumerate()
        .map(|(index, text)| {
            problems.check(
                &format!("{field}[{index}]"),
                &format!("Installment {}", index + 1),
                Money::parse(text, minor),
            )
        })
        .collect();
    let amounts: Vec<Money> = amounts.into_iter().collect::<Option<_>>()?;
    match crate::pricing::sum(amounts.iter().copied()) {
        Ok(sum) if sum == total => Some(amounts),
        Ok(sum) => {
            let difference = if sum > total {
                format!(
                    "{} too much",
                    sum.checked_sub(total).unwrap_or(sum).display(currency)
                )
            } else {
                format!(
                    "{} short",
                    total.checked_sub(sum).unwrap_or(total).display(currency)
                )
            };
            problems.add(
                field,
                format!(
                    "The installments add up to {}, not the contract value {} ({difference}).",
                    sum.display(currency),
                    total.display(currency)
                ),
            );
            None
        }
        Err(_) => {
            problems.add(field, "The installments are too large to add up exactly.");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Money {
        Money::parse(text, 2).unwrap()
    }

    #[test]
    fn even_split_puts_the_remainder_on_the_first_installment() {
        let split = even_split(usd("100"), 3, Currency::USD).unwrap();
        assert_eq!(split, [usd("33.34"), usd("33.33"), usd("33.33")]);
        let split = even_split(usd("0.05"), 3, Currency::USD).unwrap();
        assert_eq!(split, [usd("0.03"), usd("0.01"), usd("0.01")]);
        let split = even_split(usd("120000"), 36, Currency::USD).unwrap();
        assert_eq!(split[0], usd("3333.45"));
        assert_eq!(split[35], usd("3333.33"));
        assert_eq!(crate::pricing::sum(split).unwrap(), usd("120000"));
        let split = even_split(Money::parse("1000", 0).unwrap(), 3, Currency::JPY).unwrap();
        assert_eq!(split[0].amount().to_string(), "334");
    }

    #[test]
    fn even_split_takes_one_to_sixty_installments() {
        assert!(even_split(usd("1"), 0, Currency::USD).is_err());
        assert_eq!(even_split(usd("1"), 1, Currency::USD).unwrap(), [usd("1")]);
        assert_eq!(even_split(usd("60"), 60, Currency::USD).unwrap().len(), 60);
        assert!(even_split(usd("61"), 61, Currency::USD).is_err());
    }

    #[test]
    fn edited_schedules_must_add_up_exactly() {
        let texts = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut problems = Problems::new();
        let ok = check_installments(
            "schedule",
            usd("100"),
            &texts(&["50", "25.5", "24.50"]),
            Currency::USD,
            &mut problems,
        );
        assert!(ok.is_some() && problems.is_empty());

        let mut problems = Problems::new();
        assert!(check_installments(
            "schedule",
            usd("100"),
            &texts(&["50", "49.99"]),
            Currency::USD,
            &mut problems
        )
        .is_none());
        let errors = problems.into_vec();
        assert_eq!(errors[0].field, "schedule");
        assert!(
            errors[0].message.contains("$0.01 short"),
            "{}",
            errors[0].message
        );

        let mut problems = Problems::new();
        check_installments(
            "schedule",
            usd("100"),
            &texts(&["50.001", "-1", "x"]),
            Currency::USD,
            &mut problems,
        );
        let fields: Vec<_> = problems.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["schedule[0]", "schedule[1]", "schedule[2]"]);

        let mut problems = Problems::new();
        check_installments("schedule", usd("100"), &[], Currency::USD, &mut problems);
        assert!(problems.has("schedule"));
        let mut problems = Problems::new();
        check_installments(
            "schedule",
            usd("61"),
            &vec!["1".to_string(); 61],
            Currency::USD,
            &mut problems,
        );
        assert!(problems.has("schedule"));
        let mut problems = Problems::new();
        assert!(check_installments(
            "schedule",
            usd("60"),
            &vec!["1".to_string(); 60],
            Currency::USD,
            &mut problems
        )
        .is_some());
    }
}
