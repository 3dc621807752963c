//! Marketplace fees and each party's payout.
//!
//! The seeds say only that fees are percentages of the amounts; the rates are therefore data
//! (editable, stored), each naming who pays it and on which amount. The defaults come from the
//! marketplaces' public fee pages (SPEC "payouts").

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{PricingError, Problems};
use crate::exact;
use crate::money::{places, Currency, Money};
use crate::percent::{Program, PERCENT_PLACES};

/// Who pays a fee out of its share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Payer {
    /// The software vendor, out of the partner (wholesale) price.
    Isv,
    /// The selling or consulting partner, out of its markup.
    Partner,
}

/// The amount a fee is a percentage of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeeBase {
    /// The partner (wholesale) price total: what the ISV is paid on.
    PartnerPrice,
    /// The partner's markup: customer total less partner total.
    Markup,
}

/// One rate of a fee table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeRate {
    /// What the fee is called on a payout statement.
    pub name: String,
    /// The rate: 3 means 3% (0 to 100, at most 8 places).
    #[serde(with = "crate::money::decimal_text")]
    pub percent: Decimal,
    /// Who pays it.
    pub payer: Payer,
    /// On which amount.
    pub base: FeeBase,
    /// Only for this program, when set (the CPPO surcharge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<Program>,
    /// Applies when the customer's total contract value is at least this, when set.
    #[serde(
        default,
        with = "crate::money::decimal_text_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_value_from: Option<Decimal>,
    /// Applies when the customer's total contract value is below this, when set.
    #[serde(
        default,
        with = "crate::money::decimal_text_option",
        skip_serializing_if = "Option::is_none"
    )]
    pub contract_value_below: Option<Decimal>,
    /// Only for renewals (`true`) or only for new contracts (`false`), when set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<bool>,
}

impl FeeRate {
    fn new(name: &str, percent: Decimal, payer: Payer, base: FeeBase) -> Self {
        FeeRate {
            name: name.to_owned(),
            percent,
            payer,
            base,
            program: None,
            contract_value_from: None,
            contract_value_below: None,
            renewal: None,
        }
    }

    fn applies_to(&self, deal: &Deal) -> bool {
        let value = deal.customer_total.amount();
        self.program.is_none_or(|program| program == deal.program)
            && self.renewal.is_none_or(|renewal| renewal == deal.renewal)
            && self.contract_value_from.is_none_or(|from| value >= from)
            && self.contract_value_below.is_none_or(|below| value < below)
    }
}

/// A marketplace's fee rates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeTable {
    /// Every rate; each one that applies to a deal is charged.
    pub rates: Vec<FeeRate>,
}

impl FeeTable {
    /// Microsoft's default: 3% of the partner price, paid by the ISV; nothing on the partner's
    /// markup (seed 001: the agency fee is based on the partner price).
    pub fn microsoft() -> Self {
        FeeTable {
            rates: vec![FeeRate::new(
                "Microsoft agency fee",
                Decimal::new(3, 0),
                Payer::Isv,
                FeeBase::PartnerPrice,
            )],
        }
    }

    /// AWS's default: a listing fee by the buyer's total contract value (under $1M 3%, $1M to
    /// under $10M 2%, $10M and over 1.5%; renewals 1.5%) on the ISV's wholesale and on the
    /// partner's markup, plus 0.5% for CPPO on the partner's markup.
    pub fn aws() -> Self {
        let million = Decimal::from(1_000_000);
        let ten_million = Decimal::from(10_000_000);
        let tiers = [
            (
                "AWS listing fee (under $1M)",
                Decimal::new(3, 0),
                None,
                Some(million),
            ),
            (
                "AWS listing fee ($1M to under $10M)",
                Decimal::new(2, 0),
                Some(million),
                Some(ten_million),
            ),
            (
                "AWS listing fee ($10M and over)",
                Decimal::new(15, 1),
                Some(ten_million),
                None,
            ),
        ];
        let mut rates = Vec::new();
        for (payer, base) in [
            (Payer::Isv, FeeBase::PartnerPrice),
            (Payer::Partner, FeeBase::Markup),
        ] {
            for (name, rate, from, below) in tiers {
                rates.push(FeeRate {
                    contract_value_from: from,
                    contract_value_below: below,
                    renewal: Some(false),
                    ..FeeRate::new(name, rate, payer, base)
                });
            }
            rates.push(FeeRate {
                renewal: Some(true),
                ..FeeRate::new(
                    "AWS listing fee (renewal)",
                    Decimal::new(15, 1),
                    payer,
                    base,
                )
            });
        }
        rates.push(FeeRate {
            program: Some(Program::Cppo),
            ..FeeRate::new(
                "AWS CPPO fee",
                Decimal::new(5, 1),
                Payer::Partner,
                FeeBase::Markup,
            )
        });
        FeeTable { rates }
    }

    /// The default table of the marketplace that runs `program`.
    pub fn default_for(program: Program) -> Self {
        match program {
            Program::Cppo => FeeTable::aws(),
            Program::Multiparty | Program::Csp => FeeTable::microsoft(),
        }
    }

    /// Checks an edited table: names present, rates from 0 to 100 with at most 8 places,
    /// contract value ranges that are not empty.
    pub fn check(&self, problems: &mut Problems) {
        for (index, rate) in self.rates.iter().enumerate() {
            let field = |name: &str| format!("rates[{index}].{name}");
            if rate.name.trim().is_empty() {
                problems.add(
                    field("name"),
                    "Name the fee as it appears on a payout statement.",
                );
            }
            if rate.percent < Decimal::ZERO || rate.percent > Decimal::ONE_HUNDRED {
                problems.add(field("percent"), "A fee rate must be from 0 to 100%.");
            } else if places(rate.percent) > PERCENT_PLACES {
                problems.add(
                    field("percent"),
                    format!("A fee rate may have at most {PERCENT_PLACES} decimal places."),
                );
            }
            if let (Some(from), Some(below)) = (rate.contract_value_from, rate.contract_value_below)
            {
                if from >= below {
                    problems.add(
                        field("contract_value_below"),
                        "The contract value range is empty: its upper bound must be above its lower bound.",
                    );
                }
            }
        }
    }
}

/// What a sale is worth to whom, before fees.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deal {
    /// The program of the offer (the CPPO surcharge applies to CPPO only).
    pub program: Program,
    /// The currency of both totals.
    pub currency: Currency,
    /// The partner (wholesale) price total.
    pub partner_total: Money,
    /// The customer (buyer) total: the total contract value. For CSP, where the partner sells
    /// outside the marketplace, pass the partner total.
    pub customer_total: Money,
    /// Whether the contract renews an earlier one.
    pub renewal: bool,
}

/// One fee charged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeeCharge {
    /// The rate's name.
    pub name: String,
    /// The rate applied.
    #[serde(with = "crate::money::decimal_text")]
    pub percent: Decimal,
    /// The amount, rounded to the minor unit.
    pub amount: Money,
}

/// One party's share of a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartyPayout {
    /// The share before fees.
    pub gross: Money,
    /// Each fee this party pays.
    pub fees: Vec<FeeCharge>,
    /// The share after fees.
    pub net: Money,
}

/// The ISV's and the partner's payouts of a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Payouts {
    /// Paid on the partner price.
    pub isv: PartyPayout,
    /// Paid on the markup.
    pub partner: PartyPayout,
}

/// Charges every applicable rate of `table` on `deal`; each fee is rounded to the minor unit.
pub fn payouts(table: &FeeTable, deal: &Deal) -> Result<Payouts, PricingError> {
    let minor = deal.currency.minor_units();
    let markup = deal.customer_total.checked_sub(deal.partner_total)?;
    let share = |payer: Payer, gross: Money| -> Result<PartyPayout, PricingError> {
        let mut fees = Vec::new();
        let mut net = gross;
        for rate in table
            .rates
            .iter()
            .filter(|rate| rate.payer == payer && rate.applies_to(deal))
        {
            let base = match rate.base {
                FeeBase::PartnerPrice => deal.partner_total,
                FeeBase::Markup => markup,
            };
            let amount = Money::rounded_product(
                base.amount(),
                exact::percent_fraction(rate.percent)?,
                minor,
            )?;
            net = net.checked_sub(amount)?;
            fees.push(FeeCharge {
                name: rate.name.clone(),
                percent: rate.percent,
                amount,
            });
        }
        Ok(PartyPayout { gross, fees, net })
    };
    Ok(Payouts {
        isv: share(Payer::Isv, deal.partner_total)?,
        partner: share(Payer::Partner, markup)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Money {
        Money::parse(text, 2).unwrap()
    }

    fn percent(text: &str) -> Decimal {
        crate::money::parse_decimal(text).unwrap()
    }

    fn deal(program: Program, partner: &str, customer: &str, renewal: bool) -> Deal {
        Deal {
            program,
            currency: Currency::USD,
            partner_total: usd(partner),
            customer_total: usd(customer),
            renewal,
        }
    }

    fn fee_names(payout: &PartyPayout) -> Vec<(&str, String)> {
        payout
            .fees
            .iter()
            .map(|fee| (fee.name.as_str(), fee.amount.to_string()))
            .collect()
    }

    #[test]
    fn microsoft_charges_the_isv_on_the_partner_price_only() {
        let paid = payouts(
            &FeeTable::microsoft(),
            &deal(Program::Multiparty, "95", "105", false),
        )
        .unwrap();
        assert_eq!(
            fee_names(&paid.isv),
            [("Microsoft agency fee", "2.85".to_string())]
        );
        assert_eq!(paid.isv.net, usd("92.15"));
        assert!(paid.partner.fees.is_empty());
        assert_eq!(paid.partner.gross, usd("10"));
        assert_eq!(paid.partner.net, usd("10"));
    }

    #[test]
    fn aws_tiers_follow_the_contract_value() {
        let table = FeeTable::aws();
        let cases = [
            ("900000", "999999.99", "3"),
            ("900000", "1000000", "2"),
            ("9000000", "9999999.99", "2"),
            ("9000000", "10000000", "1.5"),
        ];
        for (partner, customer, rate) in cases {
            let paid = payouts(&table, &deal(Program::Cppo, partner, customer, false)).unwrap();
            assert_eq!(paid.isv.fees.len(), 1, "{customer}");
            assert_eq!(paid.isv.fees[0].percent, percent(rate), "{customer}");
            // The partner pays the same tier on its markup plus the CPPO 0.5%.
            assert_eq!(paid.partner.fees.len(), 2, "{customer}");
            assert_eq!(paid.partner.fees[1].name, "AWS CPPO fee");
        }
    }

    #[test]
    fn aws_payouts_add_up() {
        let paid = payouts(
            &FeeTable::aws(),
            &deal(Program::Cppo, "1000", "1200", false),
        )
        .unwrap();
        assert_eq!(
            fee_names(&paid.isv),
            [("AWS listing fee (under $1M)", "30".to_string())]
        );
        assert_eq!(paid.isv.net, usd("970"));
        assert_eq!(
            fee_names(&paid.partner),
            [
                ("AWS listing fee (under $1M)", "6".to_string()),
                ("AWS CPPO fee", "1".to_string())
            ]
        );
        assert_eq!(paid.partner.net, usd("193"));
    }

    #[test]
    fn renewals_pay_the_renewal_rate() {
        let paid = payouts(&FeeTable::aws(), &deal(Program::Cppo, "100", "100", true)).unwrap();
        assert_eq!(
            fee_names(&paid.isv),
            [("AWS listing fee (renewal)", "1.5".to_string())]
        );
    }

    #[test]
    fn fees_round_to_the_minor_unit() {
        let paid = payouts(
            &FeeTable::microsoft(),
            &deal(Program::Multiparty, "0.50", "0.50", false),
        )
        .unwrap();
        assert_eq!(paid.isv.fees[0].amount, usd("0.02")); // 0.015 away from zero
    }

    #[test]
    fn edited_tables_are_checked() {
        let mut table = FeeTable::microsoft();
        table.rates[0].percent = percent("100.5");
        table.rates.push(FeeRate {
            contract_value_from: Some(percent("10")),
            contract_value_below: Some(percent("10")),
            ..FeeRate::new(" ", percent("1.123456789"), Payer::Isv, FeeBase::Markup)
        });
        let mut problems = Problems::new();
        table.check(&mut problems);
        let fields: Vec<_> = problems.into_vec().into_iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            [
                "rates[0].percent",
                "rates[1].name",
                "rates[1].percent",
                "rates[1].contract_value_below"
            ]
        );
        let mut problems = Problems::new();
        FeeTable::aws().check(&mut problems);
        assert!(problems.is_empty());
    }

    #[test]
    fn a_table_whose_fees_exceed_the_share_is_an_error() {
        let mut table = FeeTable::microsoft();
        table.rates.push(table.rates[0].clone());
        table.rates[0].percent = percent("99");
        assert!(payouts(&table, &deal(Program::Multiparty, "100", "100", false)).is_err());
    }

    #[test]
    fn tables_round_trip_as_json() {
        let table = FeeTable::aws();
        let json = serde_json::to_string(&table).unwrap();
        assert!(json.contains("\"percent\":\"1.5\""));
        assert_eq!(serde_json::from_str::<FeeTable>(&json).unwrap(), table);
    }
}
