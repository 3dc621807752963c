//! The public price calculator's form: one line, priced and solved by the quote contract's own
//! rules, so the page shows exactly what `POST /api/v1/quote` would answer.

use rust_decimal::Decimal;

use crate::error::FieldError;
use crate::money::{display_amount, display_percent, Currency, PriceKind};
use crate::percent::Program;
use crate::quote::{LineDraft, PartnerPricingDraft, QuoteDraft, SolveDraft};

/// The calculator's inputs, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalculatorInput {
    /// The program, which sets the places, the cap and whether there is an adjustment.
    pub program: Program,
    /// The currency of every amount.
    pub currency: Currency,
    /// Flat (minor unit) or usage (8 places) prices.
    pub kind: PriceKind,
    /// "List price".
    pub list_price: String,
    /// "Discount %" (the margin % of a CSP offer).
    pub discount_percent: String,
    /// "Absolute partner price": when filled it replaces the discount.
    pub absolute_price: String,
    /// "Customer adjustment %", as typed.
    pub customer_adjustment_percent: String,
    /// "Target customer price": when filled it drives the adjustment.
    pub target_customer_price: String,
}

/// A field of the calculator form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalculatorField {
    /// "List price".
    ListPrice,
    /// "Discount %".
    DiscountPercent,
    /// "Absolute partner price".
    AbsolutePrice,
    /// "Customer adjustment %".
    CustomerAdjustmentPercent,
    /// "Target customer price".
    TargetCustomerPrice,
}

/// What the calculator shows for its inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalculatorView {
    /// The problem of each field that has one (a blank field has none: it is only incomplete).
    pub errors: Vec<(CalculatorField, String)>,
    /// The adjustment solved from the target, to show in "Customer adjustment %".
    pub solved_adjustment: Option<String>,
    /// Whether the solved adjustment reproduces the target exactly.
    pub target_exact: Option<bool>,
    /// A sentence about the target: reproduced exactly, or the nearest price reachable.
    pub target_note: Option<String>,
    /// "Partner price", formatted for the currency.
    pub partner_price: Option<String>,
    /// "Customer price", formatted for the currency.
    pub customer_price: Option<String>,
    /// "Net discount %".
    pub net_discount_percent: Option<String>,
    /// The cap on the adjustment (the discount, multiparty only), as a percentage.
    pub max_customer_adjustment_percent: Option<Decimal>,
}

impl CalculatorView {
    /// The problem of `field`, if any.
    pub fn error(&self, field: CalculatorField) -> Option<String> {
        self.errors
            .iter()
            .find(|(which, _)| *which == field)
            .map(|(_, message)| message.clone())
    }
}

fn text(value: &str) -> Option<String> {
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

impl CalculatorInput {
    fn line(&self) -> LineDraft {
        let absolute = text(&self.absolute_price);
        let percent = if absolute.is_some() {
            None
        } else {
            text(&self.discount_percent)
        };
        let (discount_percent, margin_percent) = match self.program {
            Program::Csp => (None, percent),
            _ => (percent, None),
        };
        LineDraft {
            id: Some("calculator".to_owned()),
            kind: Some(self.kind.as_str().to_owned()),
            list_price: text(&self.list_price),
            quantity: None,
            partner_pricing: Some(PartnerPricingDraft {
                discount_percent,
                margin_percent,
                absolute_price: absolute,
            }),
        }
    }

    fn draft(&self, adjustment: Option<String>) -> QuoteDraft {
        QuoteDraft {
            program: Some(self.program.as_str().to_owned()),
            currency: Some(self.currency.code().to_owned()),
            customer_adjustment_percent: adjustment,
            lines: vec![self.line()],
        }
    }

    /// Prices and solves the inputs.
    pub fn evaluate(&self) -> CalculatorView {
        let mut view = CalculatorView::default();
        let has_adjustment = self.program.adjustment_places().is_some();
        // The partner side first: it does not depend on the adjustment.
        let partner = match self.draft(None).validate() {
            Ok(quote) => quote
                .price()
                .map_err(|errors| self.note_errors(&mut view, errors))
                .ok(),
            Err(errors) => {
                self.note_errors(&mut view, errors);
                None
            }
        };
        let Some(partner) = partner else {
            return view;
        };
        let line = &partner.lines[0];
        view.partner_price = Some(display_amount(line.partner_price, self.currency));
        view.max_customer_adjustment_percent = partner.max_customer_adjustment_percent;
        if !has_adjustment {
            return view;
        }

        let adjustment = match text(&self.target_customer_price) {
            Some(target) => self.solve(&mut view, line.partner_price, target),
            None => text(&self.customer_adjustment_percent).or_else(|| Some("0".to_owned())),
        };
        let Some(adjustment) = adjustment else {
            return view;
        };
        match self
            .draft(Some(adjustment))
            .validate()
            .and_then(|quote| quote.price())
        {
            Ok(priced) => {
                let line = &priced.lines[0];
                view.customer_price = line
                    .customer_price
                    .map(|price| display_amount(price, self.currency));
                view.net_discount_percent = line.net_discount_percent.map(display_percent);
            }
            Err(errors) => self.note_errors(&mut view, errors),
        }
        view
    }

    fn solve(&self, view: &mut CalculatorView, partner: Decimal, target: String) -> Option<String> {
        let draft = SolveDraft {
            program: Some(self.program.as_str().to_owned()),
            currency: Some(self.currency.code().to_owned()),
            kind: Some(self.kind.as_str().to_owned()),
            partner_price: Some(partner.to_string()),
            target_customer_price: Some(target),
        };
        match draft.validate().and_then(|solve| solve.solve()) {
            Ok(solved) => {
                let adjustment = solved.customer_adjustment_percent.normalize().to_string();
                let price = display_amount(solved.customer_price, self.currency);
                view.target_note = Some(if solved.exact {
                    format!("{adjustment}% gives exactly {price}.")
                } else {
                    let places = self.program.adjustment_places().unwrap_or(0);
                    format!(
                        "No adjustment with at most {places} decimal places gives exactly this \
                         price; the nearest, {adjustment}%, gives {price}."
                    )
                });
                view.target_exact = Some(solved.exact);
                view.solved_adjustment = Some(adjustment.clone());
                Some(adjustment)
            }
            Err(errors) => {
                for error in errors {
                    let message = if error.field == "target_customer_price" {
                        error.message
                    } else {
                        format!("Cannot solve: {}", error.message)
                    };
                    view.errors
                        .push((CalculatorField::TargetCustomerPrice, message));
                }
                None
            }
        }
    }

    /// Places each problem on its field; a blank field's "required" is not an error to show.
    fn note_errors(&self, view: &mut CalculatorView, errors: Vec<FieldError>) {
        for error in errors {
            let field = match error.field.as_str() {
                "lines[0].list_price" => CalculatorField::ListPrice,
                "lines[0].partner_pricing.discount_percent"
                | "lines[0].partner_pricing.margin_percent"
                | "lines[0].partner_pricing" => CalculatorField::DiscountPercent,
                "lines[0].partner_pricing.absolute_price" => CalculatorField::AbsolutePrice,
                "customer_adjustment_percent" => {
                    if text(&self.target_customer_price).is_some() {
                        CalculatorField::TargetCustomerPrice
                    } else {
                        CalculatorField::CustomerAdjustmentPercent
                    }
                }
                _ => CalculatorField::ListPrice,
            };
            let blank = match field {
                CalculatorField::ListPrice => text(&self.list_price).is_none(),
                CalculatorField::DiscountPercent => {
                    text(&self.discount_percent).is_none() && text(&self.absolute_price).is_none()
                }
                _ => false,
            };
            if !blank && !view.errors.iter().any(|(which, _)| *which == field) {
                view.errors.push((field, error.message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(
        list: &str,
        discount: &str,
        absolute: &str,
        adjustment: &str,
        target: &str,
    ) -> CalculatorInput {
        CalculatorInput {
            list_price: list.into(),
            discount_percent: discount.into(),
            absolute_price: absolute.into(),
            customer_adjustment_percent: adjustment.into(),
            target_customer_price: target.into(),
            ..CalculatorInput::default()
        }
    }

    #[test]
    fn a_blank_form_shows_no_errors_and_no_results() {
        let view = input("", "", "", "", "").evaluate();
        assert_eq!(view, CalculatorView::default());
    }

    #[test]
    fn seed_example_one() {
        let view = input("100", "", "100.00", "10", "").evaluate();
        assert_eq!(view.partner_price.as_deref(), Some("$100.00"));
        assert_eq!(view.customer_price.as_deref(), Some("$110.00"));
        assert_eq!(view.net_discount_percent.as_deref(), Some("-10%"));
        assert_eq!(view.max_customer_adjustment_percent, None);
    }

    #[test]
    fn seed_example_two_solves_the_target() {
        let view = input("100", "5", "", "", "105.00").evaluate();
        assert_eq!(view.partner_price.as_deref(), Some("$95.00"));
        assert_eq!(view.solved_adjustment.as_deref(), Some("10.52631579"));
        assert_eq!(view.target_exact, Some(true));
        // 10.52631579% is above the 5% discount: the cap speaks on the target that caused it.
        assert!(view
            .error(CalculatorField::TargetCustomerPrice)
            .unwrap()
            .contains("may not exceed 5%"));
        assert_eq!(view.customer_price, None);
        let view = input("100", "", "95", "", "105.00").evaluate();
        assert!(view.errors.is_empty(), "{:?}", view.errors);
        assert_eq!(view.net_discount_percent.as_deref(), Some("-5%"));
        assert_eq!(view.customer_price.as_deref(), Some("$105.00"));
    }

    #[test]
    fn the_cap_and_the_places_are_checked_as_a_person_types() {
        let view = input("100", "10", "", "10.000000001", "").evaluate();
        assert!(view
            .error(CalculatorField::CustomerAdjustmentPercent)
            .unwrap()
            .contains("8 decimal places"));
        let view = input("100", "10", "", "10.5", "").evaluate();
        assert!(view
            .error(CalculatorField::CustomerAdjustmentPercent)
            .unwrap()
            .contains("may not exceed 10%"));
        assert_eq!(view.customer_price, None);
        assert_eq!(view.partner_price.as_deref(), Some("$90.00"));
        let mut cppo = input("100", "10", "", "25.123456789", "");
        cppo.program = Program::Cppo;
        let view = cppo.evaluate();
        assert!(view.errors.is_empty(), "{:?}", view.errors);
        assert_eq!(view.customer_price.as_deref(), Some("$112.61"));
    }

    #[test]
    fn csp_prices_the_margin_and_has_no_customer_side() {
        let mut csp = input("200", "20", "", "5", "");
        csp.program = Program::Csp;
        let view = csp.evaluate();
        assert_eq!(view.partner_price.as_deref(), Some("$160.00"));
        assert_eq!(view.customer_price, None);
        assert!(view.errors.is_empty());
    }

    #[test]
    fn invalid_text_is_an_error_on_its_own_field() {
        let view = input("abc", "120", "", "-1", "").evaluate();
        assert!(view.error(CalculatorField::ListPrice).is_some());
        assert!(view.error(CalculatorField::DiscountPercent).is_some());
        let view = input("100", "", "-5", "", "").evaluate();
        assert!(view
            .error(CalculatorField::AbsolutePrice)
            .unwrap()
            .contains("negative"));
        let view = input("100", "10", "", "", "80").evaluate();
        assert!(view
            .error(CalculatorField::TargetCustomerPrice)
            .unwrap()
            .contains("below the partner price"));
        let mut yen = input("100.5", "10", "", "", "");
        yen.currency = Currency::JPY;
        assert!(yen
            .evaluate()
            .error(CalculatorField::ListPrice)
            .unwrap()
            .contains("0 decimal places"));
    }

    #[test]
    fn an_unreachable_target_is_reported_with_the_nearest_price() {
        let mut yen = input("1000", "", "1000", "", "1001");
        yen.currency = Currency::JPY;
        let view = yen.evaluate();
        assert_eq!(view.target_exact, Some(true)); // 0.1% gives exactly 1001 yen
        let view = input("0.99", "", "0.03", "", "0.04").evaluate();
        assert_eq!(view.target_exact, Some(true));
        // $1,000 per unit with 8-place unit prices: one step of the 8-place percent grid moves
        // the price by $0.0000001, so $1,000.00000001 cannot be reached.
        let mut usage = input("1000", "", "1000", "", "1000.00000001");
        usage.kind = PriceKind::Usage;
        let view = usage.evaluate();
        assert_eq!(view.target_exact, Some(false));
        assert!(view.target_note.unwrap().contains("nearest"));
    }
}
