//! The live preview's computation, exported for the benchmark in `bench/live-preview.mjs`.
//!
//! [`PreviewLines::preview`] does what the partner offer page does on each keystroke of
//! "Customer adjustment %": every line's customer price from its partner price, its net discount
//! from its list price, the flat-rate totals and the payouts under the multiparty fee table. The
//! page computes the same with the same core functions; this module only lets JavaScript call
//! them without the DOM, so the core can be timed against a decimal.js version.

use offerdesk_core::fees::{self, Deal, FeeTable};
use offerdesk_core::percent::PERCENT_PLACES;
use offerdesk_core::pricing::{self, Markup};
use offerdesk_core::{AdjustmentPercent, Currency, Money, PriceKind, Program};
use wasm_bindgen::prelude::*;

const CURRENCY: Currency = Currency::USD;

struct Line {
    kind: PriceKind,
    list: Money,
    partner: Money,
}

/// The offer's price lines, parsed once, with what does not change with the adjustment: the
/// partner total and the fee table (as the page computes them once per offer).
#[wasm_bindgen]
pub struct PreviewLines {
    lines: Vec<Line>,
    partner_total: Option<Money>,
    fees: FeeTable,
}

/// One preview: each line's customer price and net discount, the totals and the payouts.
struct Preview {
    customer: Vec<Option<Money>>,
    net_discount: Vec<Option<rust_decimal::Decimal>>,
    partner_total: Option<Money>,
    customer_total: Option<Money>,
    isv_net: Option<Money>,
    partner_net: Option<Money>,
}

#[wasm_bindgen]
impl PreviewLines {
    /// Lines from parallel lists: `usage[i]` marks a per-unit meter price (8 places), else a
    /// flat price (cents); `list` and `partner` are decimal strings.
    #[wasm_bindgen(constructor)]
    pub fn new(
        usage: Vec<u8>,
        list: Vec<String>,
        partner: Vec<String>,
    ) -> Result<PreviewLines, JsError> {
        let lines = usage
            .iter()
            .zip(list.iter().zip(&partner))
            .map(|(&usage, (list, partner))| {
                let kind = if usage == 1 {
                    PriceKind::Usage
                } else {
                    PriceKind::Flat
                };
                let places = kind.unit_places(CURRENCY);
                Ok(Line {
                    kind,
                    list: Money::parse(list, places)
                        .map_err(|error| JsError::new(&error.to_string()))?,
                    partner: Money::parse(partner, places)
                        .map_err(|error| JsError::new(&error.to_string()))?,
                })
            })
            .collect::<Result<Vec<Line>, JsError>>()?;
        // Totals add the flat-rate lines; a meter's price is per unit.
        let partner_total = pricing::sum(
            lines
                .iter()
                .filter(|line| line.kind == PriceKind::Flat)
                .map(|line| line.partner),
        )
        .ok();
        Ok(PreviewLines {
            lines,
            partner_total,
            fees: FeeTable::default_for(Program::Multiparty),
        })
    }

    /// The preview at `adjustment` (typed text): the customer total, as the timed result.
    pub fn preview(&self, adjustment: &str) -> Option<String> {
        self.compute(adjustment)
            .customer_total
            .map(|total| total.to_string())
    }

    /// The whole preview at `adjustment`, one value per text line, to check that JavaScript
    /// computes the same: each line's customer price and net discount, then the partner and
    /// customer totals and the ISV's and partner's net payouts ("-" where there is none).
    pub fn preview_text(&self, adjustment: &str) -> String {
        let preview = self.compute(adjustment);
        let shown = |value: Option<String>| value.unwrap_or_else(|| "-".to_owned());
        let mut out = Vec::new();
        for (customer, net) in preview.customer.iter().zip(&preview.net_discount) {
            out.push(shown(customer.map(|c| c.amount().normalize().to_string())));
            out.push(shown(net.map(|n| n.normalize().to_string())));
        }
        for total in [
            preview.partner_total,
            preview.customer_total,
            preview.isv_net,
            preview.partner_net,
        ] {
            out.push(shown(total.map(|t| t.amount().normalize().to_string())));
        }
        out.join("\n")
    }
}

impl PreviewLines {
    fn compute(&self, adjustment: &str) -> Preview {
        // The adjustment's factor once, then every line.
        let markup = AdjustmentPercent::parse(adjustment.trim(), PERCENT_PLACES)
            .ok()
            .and_then(|adjustment| Markup::new(adjustment).ok());
        let customer: Vec<Option<Money>> = self
            .lines
            .iter()
            .map(|line| {
                markup.and_then(|markup| {
                    markup
                        .customer_price(line.partner, line.kind.unit_places(CURRENCY))
                        .ok()
                })
            })
            .collect();
        let net_discount = self
            .lines
            .iter()
            .zip(&customer)
            .map(|(line, customer)| {
                customer
                    .and_then(|customer| pricing::net_discount_percent(line.list, customer).ok())
            })
            .collect();
        let customer_total: Option<Vec<Money>> = self
            .lines
            .iter()
            .zip(&customer)
            .filter(|(line, _)| line.kind == PriceKind::Flat)
            .map(|(_, customer)| *customer)
            .collect();
        let customer_total = customer_total.and_then(|amounts| pricing::sum(amounts).ok());
        let partner_total = self.partner_total;
        let payouts = match (partner_total, customer_total) {
            (Some(partner_total), Some(customer_total)) => fees::payouts(
                &self.fees,
                &Deal {
                    program: Program::Multiparty,
                    currency: CURRENCY,
                    partner_total,
                    customer_total,
                    renewal: false,
                },
            )
            .ok(),
            _ => None,
        };
        Preview {
            customer,
            net_discount,
            partner_total,
            customer_total,
            isv_net: payouts.as_ref().map(|payouts| payouts.isv.net),
            partner_net: payouts.as_ref().map(|payouts| payouts.partner.net),
        }
    }
}
