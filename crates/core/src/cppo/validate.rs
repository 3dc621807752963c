//! Validation of the CPPO forms: the resale authorization and the buyer offer.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{
    authorized_products, price_authorized_line, price_buyer_offer, AuthorizationKind,
    AuthorizationTerms, BuyerOfferForm, BuyerPricing, LinePricingError,
};
use crate::catalog::{Catalog, CATALOG_CURRENCY};
use crate::error::{FieldError, Problems};
use crate::field::{self, MAX_NAME_CHARS};
use crate::money::Money;
use crate::percent::{AdjustmentPercent, CPPO_MARKUP_PLACES};
use crate::schedule::{self, MAX_INSTALLMENTS};

/// Most characters of a buyer offer's custom terms.
pub const MAX_CUSTOM_TERMS_CHARS: usize = 20_000;

/// Checks a resale authorization's terms: known products, once each; the partner's 12-digit
/// account ID; a recurring end date not in the past; a non-recurring one's named buyer.
pub fn validate_authorization(
    terms: &AuthorizationTerms,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    if terms.products.is_empty() {
        problems.add(
            "products",
            "Add the product or products the partner can resell.",
        );
    }
    let mut authorized = HashSet::new();
    for (index, product) in terms.products.iter().enumerate() {
        let path = format!("products[{index}]");
        if catalog.plan(&product.offer_id, &product.plan_id).is_none() {
            problems.add(
                format!("{path}.plan_id"),
                "Choose a product of your catalog.",
            );
        } else if !authorized.insert((&product.offer_id, &product.plan_id)) {
            problems.add(path, "This product is already authorized.");
        }
    }
    field::check_aws_account_id(
        &mut problems,
        "partner_aws_account_id",
        "The partner's AWS account ID",
        &terms.partner_aws_account_id,
    );
    match &terms.kind {
        AuthorizationKind::Recurring { until: Some(until) } if *until < today => problems.add(
            "kind.until",
            "The authorization can't end in the past; leave the date empty to authorize indefinitely.",
        ),
        AuthorizationKind::Recurring { .. } => {}
        AuthorizationKind::NonRecurring {
            buyer_account_id,
            buyer_name,
        } => {
            field::check_aws_account_id(
                &mut problems,
                "kind.buyer_account_id",
                "A non-recurring authorization names its one buyer: the buyer's account ID",
                buyer_account_id,
            );
            field::check_text(
                &mut problems,
                "kind.buyer_name",
                "customer's name",
                buyer_name,
                MAX_NAME_CHARS,
            );
        }
    }
    problems.finish(|| ())
}

/// The problem of terms whose partner AWS account ID is no consulting partner's on Offer Desk:
/// the server finds that in its directory, the ISV's form in the directory it reads as the ID is
/// typed.
pub fn unknown_consulting_partner() -> FieldError {
    FieldError::new(
        "partner_aws_account_id",
        "No consulting partner on Offer Desk has this AWS account ID.",
    )
}

/// Checks a buyer offer under `authorization`: the buyer (the named one for a non-recurring
/// authorization), each line's product, markup (at least 0, at most 9 places) or buyer price
/// (not below wholesale), the custom terms, the accept-by date and the payment schedule
/// (1 to 60 installments of the minor unit summing exactly to the contract value).
pub fn validate_buyer_offer(
    form: &BuyerOfferForm,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    field::check_aws_account_id(
        &mut problems,
        "buyer_account_id",
        "The buyer's account ID",
        &form.buyer_account_id,
    );
    if let AuthorizationKind::NonRecurring {
        buyer_account_id, ..
    } = &authorization.kind
    {
        if !problems.has("buyer_account_id") && *buyer_account_id != form.buyer_account_id {
            problems.add(
                "buyer_account_id",
                format!(
                    "This non-recurring authorization is for one buyer only: account {buyer_account_id}."
                ),
            );
        }
    }
    if form.lines.is_empty() {
        problems.add("lines", "Add at least one product to the offer.");
    }
    let mut lines_priced = !form.lines.is_empty();
    let authorized = authorized_products(authorization);
    for (index, line) in form.lines.iter().enumerate() {
        let path = format!("lines[{index}]");
        if let BuyerPricing::MarkupPercent(markup) = line.pricing {
            if let Err(reason) = AdjustmentPercent::new(markup.value(), CPPO_MARKUP_PLACES) {
                problems.add(
                    format!("{path}.pricing.markup_percent"),
                    format!("Markup % {reason}."),
                );
                lines_priced = false;
                continue;
            }
        }
        let priced = price_authorized_line(index, line, &authorized, authorization, catalog);
        lines_priced &= matches!(&priced, Ok(p) if p.buyer_price >= p.wholesale_price);
        match priced {
            Err(LinePricingError::Unknown) => problems.add(
                format!("{path}.price_point_id"),
                "Choose a price of a product this authorization lets you resell.",
            ),
            Err(LinePricingError::Pricing(reason)) => {
                let field = match line.pricing {
                    BuyerPricing::BuyerPrice(_) => format!("{path}.pricing.buyer_price"),
                    BuyerPricing::MarkupPercent(_) => format!("{path}.pricing.markup_percent"),
                };
                problems.add(field, format!("The buyer price {reason}."));
            }
            Ok(priced) => {
                if priced.buyer_price < priced.wholesale_price {
                    problems.add(
                        format!("{path}.pricing.buyer_price"),
                        format!(
                            "The buyer price can't be below your wholesale price of {}.",
                            priced.wholesale_price.display(CATALOG_CURRENCY)
                        ),
                    );
                }
            }
        }
    }
    field::check_optional_text(
        &mut problems,
        "custom_terms",
        "custom terms",
        &form.custom_terms,
        MAX_CUSTOM_TERMS_CHARS,
    );
    if form.accept_by < today {
        problems.add("accept_by", "The accept-by date can't be in the past.");
    } else if let AuthorizationKind::Recurring { until: Some(until) } = authorization.kind {
        if form.accept_by > until {
            problems.add(
                "accept_by",
                format!("The resale authorization ends on {until}; the buyer must accept by then."),
            );
        }
    }
    if let Some(installments) = &form.payment_schedule {
        let value = price_buyer_offer(form, authorization, catalog)
            .ok()
            .filter(|_| lines_priced)
            .map(|(_, value)| value);
        check_schedule(&mut problems, installments, value);
    }
    problems.finish(|| ())
}

/// The default payment schedule of `count` installments for the offer: an even split of the
/// contract value, the remainder cents on the first installment.
pub fn default_schedule(
    form: &BuyerOfferForm,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
    count: usize,
) -> Result<Vec<Money>, LinePricingError> {
    let (_, value) = price_buyer_offer(form, authorization, catalog)?;
    Ok(schedule::even_split(value, count, CATALOG_CURRENCY)?)
}

/// Checks installments already parsed as money (the text form's check is
/// [`schedule::check_installments`]); the sum is compared when the contract value is known.
fn check_schedule(problems: &mut Problems, installments: &[Money], value: Option<Money>) {
    let field = "payment_schedule";
    if installments.is_empty() || installments.len() > MAX_INSTALLMENTS {
        problems.add(
            field,
            format!(
                "A payment schedule has 1 to {MAX_INSTALLMENTS} installments; this one has {}.",
                installments.len()
            ),
        );
        return;
    }
    let minor = CATALOG_CURRENCY.minor_units();
    let mut well_formed = true;
    for (index, installment) in installments.iter().enumerate() {
        let checked = Money::new(installment.amount(), minor);
        let label = format!("Installment {}", index + 1);
        if problems
            .check(&format!("{field}[{index}]"), &label, checked)
            .is_none()
        {
            well_formed = false;
        }
    }
    let Some(value) = value.filter(|_| well_formed) else {
        return;
    };
    match crate::pricing::sum(installments.iter().copied()) {
        Ok(sum) if sum == value => {}
        Ok(sum) => problems.add(
            field,
            format!(
                "The installments add up to {}; they must add up to the contract value of {} exactly.",
                sum.display(CATALOG_CURRENCY),
                value.display(CATALOG_CURRENCY)
            ),
        ),
        Err(reason) => problems.add(field, format!("The installments' sum {reason}.")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;
    use crate::cppo::tests::{date, form, non_recurring, recurring};
    use crate::cppo::AuthorizedProduct;
    use rust_decimal::Decimal;

    fn today() -> NaiveDate {
        date("2026-11-23")
    }

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| problem.field)
            .collect()
    }

    fn offer_fields(form: &BuyerOfferForm, terms: &AuthorizationTerms) -> Vec<String> {
        fields(validate_buyer_offer(form, terms, &sample(), today()))
    }

    fn money(text: &str) -> Money {
        Money::parse(text, 28).unwrap()
    }

    #[test]
    fn the_samples_are_valid() {
        assert_eq!(
            fields(validate_authorization(&recurring(), &sample(), today())),
            Vec::<String>::new()
        );
        assert_eq!(
            fields(validate_authorization(&non_recurring(), &sample(), today())),
            Vec::<String>::new()
        );
        assert_eq!(offer_fields(&form(), &recurring()), Vec::<String>::new());
        assert_eq!(
            offer_fields(&form(), &non_recurring()),
            Vec::<String>::new()
        );
    }

    #[test]
    fn account_ids_have_twelve_digits() {
        for (id, ok) in [
            ("12345678901", false),
            ("123456789012", true),
            ("1234567890123", false),
        ] {
            let mut terms = recurring();
            terms.partner_aws_account_id = id.into();
            let found = fields(validate_authorization(&terms, &sample(), today()));
            assert_eq!(found.is_empty(), ok, "{id}");
            let mut offer = form();
            offer.buyer_account_id = id.into();
            assert_eq!(offer_fields(&offer, &recurring()).is_empty(), ok, "{id}");
        }
    }

    #[test]
    fn an_authorization_needs_products_and_a_non_recurring_one_its_buyer() {
        let mut terms = non_recurring();
        terms.products.push(AuthorizedProduct {
            offer_id: "x".into(),
            plan_id: "y".into(),
        });
        terms.products.push(terms.products[0].clone());
        terms.kind = AuthorizationKind::NonRecurring {
            buyer_account_id: "42".into(),
            buyer_name: " ".into(),
        };
        assert_eq!(
            fields(validate_authorization(&terms, &sample(), today())),
            [
                "products[2].plan_id",
                "products[3]",
                "kind.buyer_account_id",
                "kind.buyer_name"
            ]
        );
        let mut empty = recurring();
        empty.products.clear();
        assert_eq!(
            fields(validate_authorization(&empty, &sample(), today())),
            ["products"]
        );
        for (until, ok) in [("2026-11-22", false), ("2026-11-23", true)] {
            let mut terms = recurring();
            terms.kind = AuthorizationKind::Recurring {
                until: Some(date(until)),
            };
            assert_eq!(
                fields(validate_authorization(&terms, &sample(), today())).is_empty(),
                ok
            );
        }
    }

    #[test]
    fn a_non_recurring_offer_goes_to_its_named_buyer_only() {
        let mut offer = form();
        offer.buyer_account_id = "999999999999".into();
        assert_eq!(offer_fields(&offer, &non_recurring()), ["buyer_account_id"]);
        assert_eq!(offer_fields(&offer, &recurring()), Vec::<String>::new());
    }

    #[test]
    fn the_markup_has_at_most_nine_places() {
        for (markup, ok) in [
            ("0", true),
            ("12.123456789", true),
            ("12.1234567891", false),
        ] {
            let mut offer = form();
            offer.lines[0].pricing = BuyerPricing::MarkupPercent(
                // Built directly: the wire type itself refuses more than 9 places.
                AdjustmentPercent::new(markup.parse::<Decimal>().unwrap(), 28).unwrap(),
            );
            let found = offer_fields(&offer, &recurring());
            assert_eq!(found.is_empty(), ok, "{markup}");
            if !ok {
                assert_eq!(found, ["lines[0].pricing.markup_percent"]);
            }
        }
        assert!(
            AdjustmentPercent::parse("-0.000000001", 9).is_err(),
            "never below 0"
        );
    }

    #[test]
    fn the_buyer_price_is_not_below_wholesale() {
        // Team is 12.00 a user; 20% off makes a wholesale price of 9.60.
        for (price, ok) in [
            ("9.59", false),
            ("9.60", true),
            ("9.61", true),
            ("9.605", false),
        ] {
            let mut offer = form();
            offer.lines[1].pricing = BuyerPricing::BuyerPrice(money(price));
            let found = validate_buyer_offer(&offer, &recurring(), &sample(), today());
            assert_eq!(found.is_ok(), ok, "{price}");
            if let Err(found) = found {
                assert_eq!(found[0].field, "lines[1].pricing.buyer_price");
                if price == "9.59" {
                    assert!(found[0].message.contains("$9.60"), "{}", found[0].message);
                }
            }
        }
    }

    #[test]
    fn lines_sell_only_authorized_prices() {
        let mut offer = form();
        offer.lines[0].plan_id = "starter".into();
        offer.lines[1].price_point_id = "user:one_year".into();
        assert_eq!(
            offer_fields(&offer, &recurring()),
            ["lines[0].price_point_id", "lines[1].price_point_id"]
        );
        offer.lines.clear();
        assert_eq!(offer_fields(&offer, &recurring()), ["lines"]);
    }

    #[test]
    fn accept_by_is_not_past_nor_after_a_recurring_authorization_ends() {
        let cases = [
            ("2026-11-22", vec!["accept_by"]),
            ("2026-11-23", vec![]),
            ("2027-12-31", vec![]),
            ("2028-01-01", vec!["accept_by"]),
        ];
        for (accept_by, expected) in cases {
            let mut offer = form();
            offer.accept_by = date(accept_by);
            assert_eq!(offer_fields(&offer, &recurring()), expected, "{accept_by}");
        }
        let mut offer = form();
        offer.accept_by = date("2030-01-01");
        assert_eq!(offer_fields(&offer, &non_recurring()), Vec::<String>::new());
    }

    #[test]
    fn custom_terms_have_a_length_limit() {
        for (length, ok) in [
            (MAX_CUSTOM_TERMS_CHARS, true),
            (MAX_CUSTOM_TERMS_CHARS + 1, false),
        ] {
            let mut offer = form();
            offer.custom_terms = "t".repeat(length);
            assert_eq!(offer_fields(&offer, &recurring()).is_empty(), ok);
        }
    }

    #[test]
    fn a_schedule_has_one_to_sixty_installments_summing_to_the_contract_value() {
        // The sample's contract value is 3410.00.
        for (count, ok) in [(0, false), (1, true), (59, true), (60, true), (61, false)] {
            let mut offer = form();
            offer.payment_schedule = if count == 0 {
                Some(vec![])
            } else {
                Some(
                    default_schedule(&offer, &recurring(), &sample(), count.min(60))
                        .unwrap_or_default(),
                )
            };
            if count == 61 {
                let mut installments =
                    default_schedule(&offer, &recurring(), &sample(), 60).unwrap();
                installments.push(Money::ZERO);
                offer.payment_schedule = Some(installments);
            }
            let found = offer_fields(&offer, &recurring());
            assert_eq!(found.is_empty(), ok, "{count}: {found:?}");
            if !ok {
                assert_eq!(found, ["payment_schedule"]);
            }
        }
        let cases = [
            (vec!["1705.00", "1705.00"], vec![]),
            (vec!["1705.00", "1704.99"], vec!["payment_schedule"]),
            (vec!["1705.00", "1705.01"], vec!["payment_schedule"]),
            (
                vec!["1705.005", "1704.995"],
                vec!["payment_schedule[0]", "payment_schedule[1]"],
            ),
        ];
        for (installments, expected) in cases {
            let mut offer = form();
            offer.payment_schedule = Some(installments.into_iter().map(money).collect());
            assert_eq!(offer_fields(&offer, &recurring()), expected);
        }
        let mut offer = form();
        offer.payment_schedule = Some(vec![money("1.00")]);
        let problems = validate_buyer_offer(&offer, &recurring(), &sample(), today()).unwrap_err();
        assert!(problems[0].message.contains("$1.00") && problems[0].message.contains("$3,410.00"));
    }

    #[test]
    fn the_default_schedule_puts_the_remainder_on_the_first_installment() {
        let installments = default_schedule(&form(), &recurring(), &sample(), 3).unwrap();
        let text: Vec<String> = installments.iter().map(|m| m.to_string()).collect();
        assert_eq!(text, ["1136.68", "1136.66", "1136.66"]);
    }

    #[test]
    fn a_bad_line_leaves_the_schedule_sum_unjudged() {
        let mut offer = form();
        offer.lines[1].pricing = BuyerPricing::BuyerPrice(money("1.00"));
        offer.payment_schedule = Some(vec![money("1.00")]);
        assert_eq!(
            offer_fields(&offer, &recurring()),
            ["lines[1].pricing.buyer_price"]
        );
    }
}
