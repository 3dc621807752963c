//! What each party sees of a CPPO buyer offer. The resale authorization itself is the ISV's and
//! the partner's shared agreement and is never shown to a buyer. Reports follow seed 003: for a
//! recurring authorization the ISV sees the partner as its buyer; for a non-recurring one both
//! see the end customer.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    price_buyer_offer, AuthorizationKind, AuthorizationTerms, BuyerOffer, BuyerOfferForm,
    BuyerOfferStatus, LinePricingError, PricedLine, ResaleAuthorization, ScheduleSignatures,
};
use crate::catalog::Catalog;
use crate::error::PricingError;
use crate::money::{Money, Quantity};
use crate::party::{Companies, CustomerAccount};
use crate::pricing;
use crate::visibility::Viewer;

/// Who the ISV's reports show as the buyer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "buyer",
    content = "aws_account_id",
    rename_all = "snake_case",
    from = "BuyerWire"
)]
pub enum ReportedBuyer {
    /// Recurring authorization: the partner is the ISV's buyer.
    Partner(String),
    /// Non-recurring authorization: the end customer.
    EndCustomer(String),
}

/// A [`ReportedBuyer`] on the wire, read from a flat object (see [`crate::field::required`]).
#[derive(Deserialize)]
struct BuyerWire {
    buyer: BuyerTag,
    aws_account_id: String,
}

/// The `buyer` tag of a [`ReportedBuyer`].
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum BuyerTag {
    Partner,
    EndCustomer,
}

impl From<BuyerWire> for ReportedBuyer {
    fn from(wire: BuyerWire) -> Self {
        match wire.buyer {
            BuyerTag::Partner => ReportedBuyer::Partner(wire.aws_account_id),
            BuyerTag::EndCustomer => ReportedBuyer::EndCustomer(wire.aws_account_id),
        }
    }
}

/// One line as the ISV sees it: what it sells at wholesale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WholesaleLine {
    /// The offer.
    pub offer_id: String,
    /// The plan.
    pub plan_id: String,
    /// What is priced.
    pub price_point_id: String,
    /// How many units.
    pub quantity: Quantity,
    /// The list price.
    pub list_price: Money,
    /// List less the authorized discount.
    pub wholesale_price: Money,
    /// Wholesale price x quantity.
    pub wholesale_total: Money,
}

/// The ISV's view of a buyer offer: its wholesale side only, never the markup, buyer prices,
/// custom terms or schedule (which would reveal the markup).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOfferIsvView {
    /// The offer's identifier.
    pub id: String,
    /// Where it stands.
    pub status: BuyerOfferStatus,
    /// Who the ISV's reports show as the buyer.
    pub buyer: ReportedBuyer,
    /// The lines at wholesale.
    pub lines: Vec<WholesaleLine>,
    /// The sum of the wholesale line totals.
    pub wholesale_value: Money,
    /// The last day to accept.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
}

/// The partner's view: everything it entered, priced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOfferPartnerView {
    /// The offer's identifier.
    pub id: String,
    /// Where it stands.
    pub status: BuyerOfferStatus,
    /// What the partner entered.
    pub form: BuyerOfferForm,
    /// Each line's list, wholesale and buyer prices.
    pub lines: Vec<PricedLine>,
    /// The contract value the buyer pays.
    pub contract_value: Money,
    /// Who signed the payment schedule.
    pub schedule_signatures: ScheduleSignatures,
}

/// One line as the buyer sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerLine {
    /// The offer.
    pub offer_id: String,
    /// The plan.
    pub plan_id: String,
    /// The offer's name in the catalog.
    pub product_name: String,
    /// The plan's name in the catalog.
    pub plan_name: String,
    /// What is priced.
    pub price_point_id: String,
    /// How many units.
    pub quantity: Quantity,
    /// The list price.
    pub list_price: Money,
    /// The buyer's unit price.
    pub price: Money,
    /// The net discount off list (negative when above list).
    #[serde(with = "crate::money::decimal_text")]
    pub net_discount_percent: Decimal,
    /// Price x quantity.
    pub total: Money,
}

/// The buyer's view: its prices, the contract value, terms, dates, schedule and both company
/// names; never the wholesale price, discount or markup.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuyerOfferBuyerView {
    /// The offer's identifier.
    pub id: String,
    /// Where it stands.
    pub status: BuyerOfferStatus,
    /// The ISV's company name.
    pub isv_company: String,
    /// The consulting partner's company name.
    pub partner_company: String,
    /// The buyer's lines.
    pub lines: Vec<BuyerLine>,
    /// What the buyer pays in total.
    pub contract_value: Money,
    /// The custom terms.
    pub custom_terms: String,
    /// The last day to accept.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// The installments, if the offer has a payment schedule.
    pub payment_schedule: Option<Vec<Money>>,
}

fn priced(
    offer: &BuyerOffer,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<(Vec<PricedLine>, Money), LinePricingError> {
    price_buyer_offer(&offer.form, authorization, catalog)
}

/// One viewer's projection of a buyer offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "viewer", content = "offer", rename_all = "snake_case")]
pub enum BuyerOfferView {
    /// The authorizing ISV's.
    Isv(BuyerOfferIsvView),
    /// The consulting partner's.
    Partner(BuyerOfferPartnerView),
    /// The buyer's.
    Buyer(BuyerOfferBuyerView),
}

/// The projection `viewer` may see: the ISV of the authorization, the partner it authorizes (by
/// AWS account ID), or the buyer the offer names; `None` otherwise.
pub fn buyer_offer_view_for(
    offer: &BuyerOffer,
    authorization: &ResaleAuthorization,
    viewer: Viewer<'_>,
    catalog: &Catalog,
    companies: &Companies,
) -> Result<Option<BuyerOfferView>, LinePricingError> {
    if offer.authorization_id != authorization.id {
        return Ok(None);
    }
    let terms = &authorization.terms;
    match viewer {
        Viewer::Isv { organization_id } if organization_id == authorization.isv_organization_id => {
            buyer_offer_isv_view(offer, terms, catalog).map(|view| Some(BuyerOfferView::Isv(view)))
        }
        Viewer::Partner(profile)
            if profile.aws_account_id.as_deref() == Some(terms.partner_aws_account_id.as_str()) =>
        {
            buyer_offer_partner_view(offer, terms, catalog)
                .map(|view| Some(BuyerOfferView::Partner(view)))
        }
        Viewer::Customer(CustomerAccount::AwsAccount(account))
            if *account == offer.form.buyer_account_id =>
        {
            Ok(
                buyer_offer_buyer_view(offer, terms, catalog, companies)?
                    .map(BuyerOfferView::Buyer),
            )
        }
        _ => Ok(None),
    }
}

/// The ISV's projection of a buyer offer made under its `authorization`.
pub fn buyer_offer_isv_view(
    offer: &BuyerOffer,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<BuyerOfferIsvView, LinePricingError> {
    let (lines, _) = priced(offer, authorization, catalog)?;
    let buyer = match &authorization.kind {
        AuthorizationKind::Recurring { .. } => {
            ReportedBuyer::Partner(authorization.partner_aws_account_id.clone())
        }
        AuthorizationKind::NonRecurring { .. } => {
            ReportedBuyer::EndCustomer(offer.form.buyer_account_id.clone())
        }
    };
    let wholesale_value = pricing::sum(lines.iter().map(|line| line.wholesale_total))?;
    let lines = lines
        .into_iter()
        .map(|line| {
            let entered = &offer.form.lines[line.line_index];
            WholesaleLine {
                offer_id: entered.offer_id.clone(),
                plan_id: entered.plan_id.clone(),
                price_point_id: entered.price_point_id.clone(),
                quantity: entered.quantity,
                list_price: line.list_price,
                wholesale_price: line.wholesale_price,
                wholesale_total: line.wholesale_total,
            }
        })
        .collect();
    Ok(BuyerOfferIsvView {
        id: offer.id.clone(),
        status: offer.status,
        buyer,
        lines,
        wholesale_value,
        accept_by: offer.form.accept_by,
    })
}

/// The partner's projection of its buyer offer.
pub fn buyer_offer_partner_view(
    offer: &BuyerOffer,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
) -> Result<BuyerOfferPartnerView, LinePricingError> {
    let (lines, contract_value) = priced(offer, authorization, catalog)?;
    Ok(BuyerOfferPartnerView {
        id: offer.id.clone(),
        status: offer.status,
        form: offer.form.clone(),
        lines,
        contract_value,
        schedule_signatures: offer.schedule_signatures,
    })
}

/// The buyer's projection; `None` while the offer is a draft.
pub fn buyer_offer_buyer_view(
    offer: &BuyerOffer,
    authorization: &AuthorizationTerms,
    catalog: &Catalog,
    companies: &Companies,
) -> Result<Option<BuyerOfferBuyerView>, LinePricingError> {
    if offer.status == BuyerOfferStatus::Draft {
        return Ok(None);
    }
    let (lines, contract_value) = priced(offer, authorization, catalog)?;
    let lines = lines
        .into_iter()
        .map(|line| {
            let entered = &offer.form.lines[line.line_index];
            let (product_name, plan_name) = catalog
                .plan(&entered.offer_id, &entered.plan_id)
                .map(|(public, plan)| (public.name.clone(), plan.name.clone()))
                .unwrap_or_else(|| (entered.offer_id.clone(), entered.plan_id.clone()));
            Ok(BuyerLine {
                offer_id: entered.offer_id.clone(),
                plan_id: entered.plan_id.clone(),
                product_name,
                plan_name,
                price_point_id: entered.price_point_id.clone(),
                quantity: entered.quantity,
                list_price: line.list_price,
                price: line.buyer_price,
                net_discount_percent: pricing::net_discount_percent(
                    line.list_price,
                    line.buyer_price,
                )?
                .normalize(),
                total: line.buyer_total,
            })
        })
        .collect::<Result<Vec<_>, PricingError>>()?;
    Ok(Some(BuyerOfferBuyerView {
        id: offer.id.clone(),
        status: offer.status,
        isv_company: companies.isv.clone(),
        partner_company: companies.partner.clone(),
        lines,
        contract_value,
        custom_terms: offer.form.custom_terms.clone(),
        accept_by: offer.form.accept_by,
        payment_schedule: offer.form.payment_schedule.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;
    use crate::cppo::tests::{form, non_recurring, recurring};
    use crate::cppo::{BuyerOfferLine, BuyerPricing};
    use crate::percent::{AdjustmentPercent, DiscountPercent};
    use proptest::prelude::*;
    use serde_json::Value;

    fn companies() -> Companies {
        Companies {
            isv: "Contoso".into(),
            partner: "Adatum".into(),
        }
    }

    fn offer(status: BuyerOfferStatus) -> BuyerOffer {
        BuyerOffer {
            id: "bo-1".into(),
            authorization_id: "ra-1".into(),
            status,
            form: form(),
            schedule_signatures: ScheduleSignatures::default(),
        }
    }

    fn numbers(text: &str) -> Vec<Decimal> {
        fn walk(value: &Value, out: &mut Vec<Decimal>) {
            match value {
                Value::String(text) => out.extend(text.parse::<Decimal>().ok()),
                Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
                Value::Object(map) => map.values().for_each(|item| walk(item, out)),
                _ => {}
            }
        }
        let mut out = Vec::new();
        walk(&serde_json::from_str(text).unwrap(), &mut out);
        out
    }

    #[test]
    fn reports_show_the_partner_or_the_end_customer_as_buyer() {
        let catalog = sample();
        let recurring_view =
            buyer_offer_isv_view(&offer(BuyerOfferStatus::Accepted), &recurring(), &catalog)
                .unwrap();
        assert_eq!(
            recurring_view.buyer,
            ReportedBuyer::Partner("111122223333".into())
        );
        let text = serde_json::to_string(&recurring_view).unwrap();
        assert!(
            !text.contains("444455556666"),
            "the end customer stays the partner's"
        );
        let non_recurring_view = buyer_offer_isv_view(
            &offer(BuyerOfferStatus::Accepted),
            &non_recurring(),
            &catalog,
        )
        .unwrap();
        assert_eq!(
            non_recurring_view.buyer,
            ReportedBuyer::EndCustomer("444455556666".into())
        );
        assert_eq!(non_recurring_view.wholesale_value.to_string(), "3024");
    }

    #[test]
    fn the_buyer_sees_its_prices_once_published() {
        let catalog = sample();
        assert_eq!(
            buyer_offer_buyer_view(
                &offer(BuyerOfferStatus::Draft),
                &recurring(),
                &catalog,
                &companies()
            )
            .unwrap(),
            None
        );
        let view = buyer_offer_buyer_view(
            &offer(BuyerOfferStatus::Published),
            &recurring(),
            &catalog,
            &companies(),
        )
        .unwrap()
        .unwrap();
        assert_eq!(view.contract_value.to_string(), "3410");
        assert_eq!(view.lines[0].price.to_string(), "990");
        assert_eq!(view.lines[0].net_discount_percent.to_string(), "10");
        assert_eq!(view.lines[1].net_discount_percent.to_string(), "8.33333333");
        let (public, plan) = catalog
            .plan(&view.lines[0].offer_id, &view.lines[0].plan_id)
            .unwrap();
        assert_eq!(
            (
                view.lines[0].product_name.as_str(),
                view.lines[0].plan_name.as_str()
            ),
            (public.name.as_str(), plan.name.as_str())
        );
        let text = serde_json::to_string(&view).unwrap();
        for hidden in [
            "wholesale",
            "\"discount_percent\"",
            "markup",
            "\"880\"",
            "\"9.6\"",
        ] {
            assert!(!text.contains(hidden), "{hidden}");
        }
        let partner =
            buyer_offer_partner_view(&offer(BuyerOfferStatus::Published), &recurring(), &catalog)
                .unwrap();
        assert_eq!(partner.lines[0].wholesale_price.to_string(), "880");
    }

    #[test]
    fn viewers_see_their_own_buyer_offers_only() {
        use crate::cppo::AuthorizationStatus;
        use crate::party::PartnerProfile;
        let catalog = sample();
        let authorization = ResaleAuthorization {
            id: "ra-1".into(),
            isv_organization_id: "contoso".into(),
            partner_organization_id: "adatum".into(),
            status: AuthorizationStatus::Active,
            terms: recurring(),
        };
        let profile = |account: &str| PartnerProfile {
            seller_id: String::new(),
            tenant_id: String::new(),
            aws_account_id: Some(account.into()),
            csp_member: false,
            regions: vec![],
            tax_profile_country: None,
            us_resale_certificates_on_file: false,
            uk_treaty_claim_expires_on: None,
        };
        let (ours, theirs) = (profile("111122223333"), profile("999988887777"));
        let buyer = CustomerAccount::AwsAccount("444455556666".into());
        let stranger = CustomerAccount::AwsAccount("000011112222".into());
        let offer = offer(BuyerOfferStatus::Published);
        let see = |viewer: Viewer<'_>| {
            buyer_offer_view_for(&offer, &authorization, viewer, &catalog, &companies()).unwrap()
        };
        assert!(matches!(
            see(Viewer::Isv {
                organization_id: "contoso"
            }),
            Some(BuyerOfferView::Isv(_))
        ));
        assert_eq!(
            see(Viewer::Isv {
                organization_id: "adatum"
            }),
            None
        );
        assert!(matches!(
            see(Viewer::Partner(&ours)),
            Some(BuyerOfferView::Partner(_))
        ));
        assert_eq!(see(Viewer::Partner(&theirs)), None);
        assert!(matches!(
            see(Viewer::Customer(&buyer)),
            Some(BuyerOfferView::Buyer(_))
        ));
        assert_eq!(see(Viewer::Customer(&stranger)), None);
        let other = ResaleAuthorization {
            id: "ra-2".into(),
            ..authorization.clone()
        };
        let view = buyer_offer_view_for(
            &offer,
            &other,
            Viewer::Isv {
                organization_id: "contoso",
            },
            &catalog,
            &companies(),
        );
        assert_eq!(view.unwrap(), None);
    }

    fn any_case() -> impl Strategy<Value = (BuyerOffer, AuthorizationTerms)> {
        (
            1u32..9_999,
            any::<bool>(),
            proptest::collection::vec((any::<bool>(), 1u32..2_000_000, 0usize..3, 1u32..50), 1..4),
        )
            .prop_map(|(discount, recurring_kind, lines)| {
                let mut terms = if recurring_kind {
                    recurring()
                } else {
                    non_recurring()
                };
                terms.discount_percent =
                    DiscountPercent::new(Decimal::new(i64::from(discount), 2)).unwrap();
                let points = [
                    ("pro", "flat:one_month"),
                    ("pro", "meter:api-calls"),
                    ("team", "user:one_month"),
                ];
                let lines = lines
                    .into_iter()
                    .map(|(markup, amount, point, quantity)| {
                        let (plan, point) = points[point];
                        BuyerOfferLine {
                            offer_id: "contoso-saas".into(),
                            plan_id: plan.into(),
                            price_point_id: point.into(),
                            quantity: Quantity::whole(quantity).unwrap(),
                            pricing: if markup {
                                BuyerPricing::MarkupPercent(
                                    AdjustmentPercent::new(Decimal::new(i64::from(amount), 6), 9)
                                        .unwrap(),
                                )
                            } else {
                                // Above any wholesale price of these plans.
                                BuyerPricing::BuyerPrice(
                                    Money::new(Decimal::new(10_000 + i64::from(amount), 2), 2)
                                        .unwrap(),
                                )
                            },
                        }
                    })
                    .collect();
                let mut offer = offer(BuyerOfferStatus::Published);
                offer.form.lines = lines;
                offer.form.custom_terms = "CUSTOM-TERMS-MARKER".into();
                (offer, terms)
            })
    }

    proptest! {
        #[test]
        fn the_buyer_never_sees_wholesale_discount_or_markup((offer, terms) in any_case()) {
            let catalog = sample();
            let view = buyer_offer_buyer_view(&offer, &terms, &catalog, &companies()).unwrap().unwrap();
            let text = serde_json::to_string(&view).unwrap();
            for key in ["wholesale", "\"discount_percent\"", "markup", "partner_aws_account_id"] {
                prop_assert!(!text.contains(key), "{} in {}", key, text);
            }
            let (lines, _) = price_buyer_offer(&offer.form, &terms, &catalog).unwrap();
            let mut hidden = vec![terms.discount_percent.value()];
            let mut shown = Vec::new();
            for line in &lines {
                hidden.extend([line.wholesale_price.amount(), line.wholesale_total.amount()]);
                hidden.extend(line.markup_percent.map(AdjustmentPercent::value));
                shown.extend([line.list_price.amount(), line.buyer_price.amount(), line.buyer_total.amount()]);
                shown.push(pricing::net_discount_percent(line.list_price, line.buyer_price).unwrap());
            }
            shown.extend(offer.form.lines.iter().map(|line| line.quantity.value()));
            shown.push(view.contract_value.amount());
            shown.extend(offer.form.buyer_account_id.parse::<Decimal>().ok());
            for number in numbers(&text) {
                prop_assert!(!hidden.contains(&number) || shown.contains(&number), "hidden {} in {}", number, text);
            }
        }

        #[test]
        fn the_isv_never_sees_the_markup_buyer_prices_or_custom_terms((offer, terms) in any_case()) {
            let catalog = sample();
            let text = serde_json::to_string(&buyer_offer_isv_view(&offer, &terms, &catalog).unwrap()).unwrap();
            for key in ["markup", "buyer_price", "CUSTOM-TERMS-MARKER", "payment_schedule", "contract_value"] {
                prop_assert!(!text.contains(key), "{} in {}", key, text);
            }
            if matches!(terms.kind, AuthorizationKind::Recurring { .. }) {
                prop_assert!(!text.contains(&offer.form.buyer_account_id));
            }
            let (lines, _) = price_buyer_offer(&offer.form, &terms, &catalog).unwrap();
            let shown: Vec<Decimal> = lines
                .iter()
                .flat_map(|line| [line.list_price.amount(), line.wholesale_price.amount(), line.wholesale_total.amount()])
                .chain(offer.form.lines.iter().map(|line| line.quantity.value()))
                .collect();
            let wholesale_value = pricing::sum(lines.iter().map(|line| line.wholesale_total)).unwrap().amount();
            for line in &lines {
                for hidden in [Some(line.buyer_price.amount()), line.markup_percent.map(AdjustmentPercent::value)].into_iter().flatten() {
                    if !shown.contains(&hidden) && hidden != wholesale_value {
                        prop_assert!(!numbers(&text).contains(&hidden), "hidden {} in {}", hidden, text);
                    }
                }
            }
        }
    }
}
