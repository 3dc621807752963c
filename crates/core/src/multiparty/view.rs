//! What each viewer sees of a multiparty offer (SPEC "Who sees what"). Each projection is its
//! own struct that lacks the hidden fields, so the server cannot leak one by forgetting it.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use super::{
    partner_prices, Cancellation, CustomerBillingAccount, CustomerStart, IsvPart, MultipartyOffer,
    MultipartyStatus, PartnerPart, PartnerPriceItem, PricingType, ProductLine, Purchase,
    PurchaseStatus,
};
use crate::catalog::{Catalog, CATALOG_CURRENCY};
use crate::error::PricingError;
use crate::field;
use crate::money::{Currency, Money, PriceKind, Quantity};
use crate::party::CustomerAccount;
use crate::pricing::{self, ReservationPayment, ReservationTerm};
use crate::visibility::Viewer;

pub use crate::party::Companies;

/// One price as the ISV sees it: list and partner price, never the customer's (which would
/// reveal the partner's adjustment).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsvPriceRow {
    /// The product's index in `products`.
    pub product_index: usize,
    /// What is priced.
    pub price_point_id: String,
    /// The list price, when there is one on the same basis.
    pub list_price: Option<Money>,
    /// The partner price.
    pub partner_price: Money,
    /// Reservations, for a VM reservation.
    pub quantity: Option<Quantity>,
}

/// The ISV's view: its own part whole, the prepared-by contact, partner prices and purchases.
/// It lacks the partner's adjustment %, terms, sales note and contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsvView {
    /// The offer's identifier.
    pub id: String,
    /// Where the offer stands.
    pub status: MultipartyStatus,
    /// The status as people read it.
    pub status_label: String,
    /// The offer this one upgrades.
    pub upgrade_of: Option<String>,
    /// The selling partner's company name.
    pub partner_company: String,
    /// Everything the ISV entered.
    pub isv: IsvPart,
    /// The partner's prepared-by contact (shown to the customer too).
    pub prepared_by: String,
    /// The partner prices of every product.
    pub prices: Vec<IsvPriceRow>,
    /// The customer's SaaS subscriptions.
    pub purchases: Vec<PurchaseRow>,
    /// A pending cancellation request.
    pub cancellation: Option<Cancellation>,
}

/// The ISV's part as the partner sees it: everything but the ISV's sales note. The server
/// writes each product whole ([`ProductLine`]); the partner's page reads a [`ProductBrief`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IsvPartForPartner<P = ProductLine> {
    /// The offer name.
    pub name: String,
    /// The ISV's description.
    pub description: String,
    /// The customer's billing account.
    pub customer: CustomerBillingAccount,
    /// The selling partner's seller ID.
    pub selling_partner_seller_id: String,
    /// The products and the ISV's partner pricing.
    pub products: Vec<P>,
    /// When the customer's prices start.
    pub customer_start: CustomerStart,
    /// The customer end date.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub customer_end: NaiveDate,
    /// The customer accept-by date.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// The ISV's terms documents (the partner sees their names).
    pub terms: Vec<super::TermsDocument>,
    /// The ISV's notification contacts.
    pub notification_contacts: Vec<String>,
    /// Whether the customer is renewing.
    pub renewal: bool,
}

/// What the ISV's form reads of an [`IsvView`]: where the offer stands and the ISV's own part.
/// Serde skips the rest (prices, purchases, a cancellation) without reading it into types, so
/// the form does not carry those readers (about 5 KB gzipped).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IsvFormView {
    /// The status as people read it.
    pub status_label: String,
    /// Everything the ISV entered.
    pub isv: IsvPart,
}

/// What a list of offers shows of an [`IsvView`] (the ISV's dashboard rows), read from the
/// view's JSON. Serde skips the rest (products, prices, terms) without reading it into types, so
/// a page that lists offers does not carry the whole view's deserializer.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IsvListing {
    /// The status as people read it.
    pub status_label: String,
    /// The selling partner's company name.
    pub partner_company: String,
    /// The ISV's part, as far as a list shows it.
    pub isv: IsvPartListing,
    /// The customer's SaaS subscriptions.
    pub purchases: Vec<PurchaseRow>,
}

/// What a list of offers shows of the ISV's part ([`IsvListing`]).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct IsvPartListing {
    /// The offer name.
    pub name: String,
    /// The customer's billing account.
    pub customer: CustomerBillingAccount,
    /// The selling partner's seller ID.
    pub selling_partner_seller_id: String,
    /// When the customer's prices start.
    pub customer_start: CustomerStart,
    /// The customer end date.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub customer_end: NaiveDate,
    /// The customer accept-by date.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
}

/// One price as the partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerPriceRow {
    /// The product's index in `products`.
    pub product_index: usize,
    /// The public offer's name (for a new plan: its template's offer).
    pub offer_name: String,
    /// The plan's name (a new plan's own name).
    pub plan_name: String,
    /// What is priced.
    pub price_point_id: String,
    /// Flat (a flat-rate, per-user or reservation price) or usage (a meter's price per unit).
    pub kind: PriceKind,
    /// The list price, when there is one on the same basis.
    pub list_price: Option<Money>,
    /// The partner price.
    pub partner_price: Money,
    /// The estimated customer price.
    pub customer_price: Money,
    /// The customer's net discount off list, when there is a list price.
    #[serde(with = "crate::money::decimal_text_option")]
    pub net_discount_percent: Option<Decimal>,
    /// Reservations, for a VM reservation.
    pub quantity: Option<Quantity>,
    /// The customer subtotal of a VM reservation.
    pub customer_subtotal: Option<Money>,
}

impl PartnerPriceRow {
    /// Whether the row is a custom meter's price per unit (priced to 8 places, left out of the
    /// totals), as the core priced it.
    pub fn is_meter(&self) -> bool {
        self.kind == PriceKind::Usage
    }
}

/// What the partner's page reads of a [`ProductLine`] in a [`PartnerView`]: its pricing type and
/// a VM reservation's term and payment (the preview prices each reservation's subtotal). Serde
/// skips the rest of the line (the plan and the ISV's prices, which the view's `prices` rows
/// carry) without reading it into types, so the page does not carry the whole line's reader
/// (about 8 KB gzipped).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ProductBrief {
    /// The line's pricing type.
    pub pricing_type: PricingType,
    /// A VM reservation's term.
    #[serde(default)]
    pub term: Option<ReservationTerm>,
    /// A VM reservation's payment.
    #[serde(default)]
    pub payment: Option<ReservationPayment>,
}

impl ProductBrief {
    /// A VM reservation line's term and payment; `None` for other lines.
    pub fn reservation(&self) -> Option<(ReservationTerm, ReservationPayment)> {
        match (self.pricing_type, self.term, self.payment) {
            (PricingType::VmReservation, Some(term), Some(payment)) => Some((term, payment)),
            _ => None,
        }
    }
}

/// The partner's view: everything but the ISV's sales note, with estimated customer prices. The
/// server writes it with whole products; the partner's page reads `PartnerView<ProductBrief>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerView<P = ProductLine> {
    /// The offer's identifier.
    pub id: String,
    /// Where the offer stands.
    pub status: MultipartyStatus,
    /// The status as people read it.
    pub status_label: String,
    /// The offer this one upgrades.
    pub upgrade_of: Option<String>,
    /// The ISV's company name (the originator).
    pub isv_company: String,
    /// The ISV's part, without its sales note.
    pub isv: IsvPartForPartner<P>,
    /// Everything the partner entered.
    pub partner: PartnerPart,
    /// The most the customer adjustment % may be (`None`: no cap).
    #[serde(with = "crate::money::decimal_text_option")]
    pub max_customer_adjustment_percent: Option<Decimal>,
    /// Every price with its estimated customer price.
    pub prices: Vec<PartnerPriceRow>,
    /// The customer's SaaS subscriptions.
    pub purchases: Vec<PurchaseRow>,
    /// A pending cancellation request.
    pub cancellation: Option<Cancellation>,
}

/// One price as the customer sees it: its own price, the list price and its net discount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPriceRow {
    /// The public offer's name (a new plan's: its template's offer).
    pub product_name: String,
    /// The plan's name (a new plan's own name).
    pub plan_name: String,
    /// What is priced.
    pub price_point_id: String,
    /// The list price, when there is one on the same basis.
    pub list_price: Option<Money>,
    /// The customer's price.
    pub price: Money,
    /// The net discount off list (negative when above list), when there is a list price.
    #[serde(with = "crate::money::decimal_text_option")]
    pub net_discount_percent: Option<Decimal>,
    /// Reservations, for a VM reservation.
    pub quantity: Option<Quantity>,
    /// The subtotal of a VM reservation.
    pub subtotal: Option<Money>,
}

/// The customer's view: its prices, dates, terms by name, the prepared-by contact and both
/// company names. It lacks partner prices, discounts, the adjustment %, descriptions, sales
/// notes and notification contacts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerView {
    /// The offer's identifier.
    pub id: String,
    /// Where the offer stands.
    pub status: MultipartyStatus,
    /// The status as people read it.
    pub status_label: String,
    /// The offer name.
    pub name: String,
    /// The ISV's company name.
    pub isv_company: String,
    /// The selling partner's company name.
    pub partner_company: String,
    /// When the prices start.
    pub customer_start: CustomerStart,
    /// The last day the prices apply.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub customer_end: NaiveDate,
    /// The last day to accept.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub accept_by: NaiveDate,
    /// The customer-facing names of every terms document (the ISV's, then the partner's).
    pub terms: Vec<String>,
    /// Who prepared the offer.
    pub prepared_by: String,
    /// The customer's prices.
    pub prices: Vec<CustomerPriceRow>,
    /// The totals of those prices; `None` when every price is per unit of usage.
    pub totals: Option<CustomerTotals>,
    /// After acceptance, the purchase status of each SaaS product.
    pub purchases: Vec<PurchaseRow>,
}

/// The customer's totals over the lines with a price to add: flat-rate and per-user prices and
/// reservation subtotals (a meter's price is per unit used, so it has no total). Each line is
/// already rounded; the sums are rounded to the currency's minor unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerTotals {
    /// The currency of every amount.
    pub currency: Currency,
    /// The sum of the customer's prices.
    pub price: Money,
    /// The sum of the list prices, when every added line has one.
    pub list_price: Option<Money>,
    /// The net discount of `price` off `list_price`.
    #[serde(with = "crate::money::decimal_text_option")]
    pub net_discount_percent: Option<Decimal>,
}

/// One SaaS product bought under the offer, named for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurchaseRow {
    /// The public offer.
    pub offer_id: String,
    /// The plan.
    pub plan_id: String,
    /// The plan's name (a new plan's own name).
    pub plan_name: String,
    /// Where the subscription stands.
    pub status: PurchaseStatus,
    /// The day it entered that status.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub since: NaiveDate,
}

/// One viewer's projection of a multiparty offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "viewer", content = "offer", rename_all = "snake_case")]
pub enum MultipartyView {
    /// The originating ISV's.
    Isv(IsvView),
    /// The selling partner's.
    Partner(PartnerView),
    /// The customer's.
    Customer(CustomerView),
}

/// The projection `viewer` may see on `today`: the ISV that originated the offer, the partner
/// whose seller ID it names, or the customer whose billing account it names; `None` otherwise.
pub fn view_for(
    offer: &MultipartyOffer,
    viewer: Viewer<'_>,
    catalog: &Catalog,
    companies: &Companies,
    today: NaiveDate,
) -> Result<Option<MultipartyView>, PricingError> {
    match viewer {
        Viewer::Isv { organization_id } if organization_id == offer.isv_organization_id => {
            isv_view(offer, catalog, companies).map(|view| Some(MultipartyView::Isv(view)))
        }
        Viewer::Partner(profile) if profile.seller_id == offer.isv.selling_partner_seller_id => {
            Ok(partner_view(offer, catalog, companies)?.map(MultipartyView::Partner))
        }
        Viewer::Customer(CustomerAccount::MicrosoftBillingAccount(account))
            if *account == offer.isv.customer.billing_account_id =>
        {
            Ok(customer_view(offer, catalog, companies, today)?.map(MultipartyView::Customer))
        }
        _ => Ok(None),
    }
}

/// The ISV's projection of `offer`.
pub fn isv_view(
    offer: &MultipartyOffer,
    catalog: &Catalog,
    companies: &Companies,
) -> Result<IsvView, PricingError> {
    let prices = partner_prices(&offer.isv, catalog)?
        .into_iter()
        .map(|item| IsvPriceRow {
            product_index: item.product_index,
            price_point_id: item.price_point_id,
            list_price: item.list_price,
            partner_price: item.partner_price,
            quantity: item.quantity,
        })
        .collect();
    Ok(IsvView {
        id: offer.id.clone(),
        status: offer.status,
        status_label: offer.status.label().to_owned(),
        upgrade_of: offer.upgrade_of.clone(),
        partner_company: companies.partner.clone(),
        isv: offer.isv.clone(),
        prepared_by: offer.partner.prepared_by.clone(),
        prices,
        purchases: purchase_rows(offer, catalog),
        cancellation: offer.cancellation.clone(),
    })
}

/// The selling partner's projection of `offer`; `None` before the ISV's submit is published
/// (the partner sees nothing of a draft).
pub fn partner_view(
    offer: &MultipartyOffer,
    catalog: &Catalog,
    companies: &Companies,
) -> Result<Option<PartnerView>, PricingError> {
    if matches!(
        offer.status,
        MultipartyStatus::Draft | MultipartyStatus::InProgressForPartner
    ) {
        return Ok(None);
    }
    let isv = &offer.isv;
    let prices = customer_prices(offer, catalog)?
        .into_iter()
        .map(|(item, customer)| PartnerPriceRow {
            product_index: item.product_index,
            offer_name: catalog
                .offer(&item.offer_id)
                .map(|offer| offer.name.clone())
                .unwrap_or_default(),
            plan_name: customer.plan_name,
            price_point_id: item.price_point_id,
            kind: item.kind,
            list_price: item.list_price,
            partner_price: item.partner_price,
            customer_price: customer.price,
            net_discount_percent: customer.net_discount_percent,
            quantity: item.quantity,
            customer_subtotal: customer.subtotal,
        })
        .collect();
    Ok(Some(PartnerView {
        id: offer.id.clone(),
        status: offer.status,
        status_label: offer.status.label().to_owned(),
        upgrade_of: offer.upgrade_of.clone(),
        isv_company: companies.isv.clone(),
        isv: IsvPartForPartner {
            name: isv.name.clone(),
            description: isv.description.clone(),
            customer: isv.customer.clone(),
            selling_partner_seller_id: isv.selling_partner_seller_id.clone(),
            products: isv.products.clone(),
            customer_start: isv.customer_start,
            customer_end: isv.customer_end,
            accept_by: isv.accept_by,
            terms: isv.terms.clone(),
            notification_contacts: isv.notification_contacts.clone(),
            renewal: isv.renewal,
        },
        partner: offer.partner.clone(),
        max_customer_adjustment_percent: super::max_customer_adjustment(isv),
        prices,
        purchases: purchase_rows(offer, catalog),
        cancellation: offer.cancellation.clone(),
    }))
}

/// The customer's projection of `offer` on `today`; `None` until the partner's submit is
/// published, after a cancellation, and before a specific start month.
pub fn customer_view(
    offer: &MultipartyOffer,
    catalog: &Catalog,
    companies: &Companies,
    today: NaiveDate,
) -> Result<Option<CustomerView>, PricingError> {
    let shown = matches!(
        offer.status,
        MultipartyStatus::PendingAcceptance
            | MultipartyStatus::Accepted
            | MultipartyStatus::Expired
            | MultipartyStatus::Ended
    );
    let started = match offer.isv.customer_start {
        CustomerStart::OnAcceptance => true,
        CustomerStart::Month(start) => field::first_of_month(today) >= start,
    };
    if !shown || !started {
        return Ok(None);
    }
    let isv = &offer.isv;
    let priced = customer_prices(offer, catalog)?;
    let totals = customer_totals(
        priced.iter().map(|(item, row)| (item.kind, row)),
        CATALOG_CURRENCY,
    )?;
    let prices = priced.into_iter().map(|(_, row)| row).collect();
    Ok(Some(CustomerView {
        id: offer.id.clone(),
        status: offer.status,
        status_label: offer.status.label().to_owned(),
        name: isv.name.clone(),
        isv_company: companies.isv.clone(),
        partner_company: companies.partner.clone(),
        customer_start: isv.customer_start,
        customer_end: isv.customer_end,
        accept_by: isv.accept_by,
        terms: isv
            .terms
            .iter()
            .chain(&offer.partner.terms)
            .map(|document| document.customer_facing_name.clone())
            .collect(),
        prepared_by: offer.partner.prepared_by.clone(),
        prices,
        totals,
        purchases: purchase_rows(offer, catalog),
    }))
}

/// The totals of the customer's `rows` in `currency` (see [`CustomerTotals`]); `None` when no
/// row has a price to add.
pub fn customer_totals<'a>(
    rows: impl IntoIterator<Item = (PriceKind, &'a CustomerPriceRow)>,
    currency: Currency,
) -> Result<Option<CustomerTotals>, PricingError> {
    let added: Vec<&CustomerPriceRow> = rows
        .into_iter()
        .filter(|(kind, _)| *kind != PriceKind::Usage)
        .map(|(_, row)| row)
        .collect();
    if added.is_empty() {
        return Ok(None);
    }
    let minor = currency.minor_units();
    let price = pricing::sum(added.iter().map(|row| row.subtotal.unwrap_or(row.price)))?;
    let price = Money::rounded(price.amount(), minor)?;
    // A reservation's subtotal has no list price beside it: a list total would then mislead.
    let list: Option<Vec<Money>> = added
        .iter()
        .map(|row| row.list_price.filter(|_| row.subtotal.is_none()))
        .collect();
    let list_price = list
        .map(|list| pricing::sum(list).and_then(|sum| Money::rounded(sum.amount(), minor)))
        .transpose()?;
    let net_discount_percent = list_price
        .filter(|list| !list.amount().is_zero())
        .map(|list| pricing::net_discount_percent(list, price).map(|d| d.normalize()))
        .transpose()?;
    Ok(Some(CustomerTotals {
        currency,
        price,
        list_price,
        net_discount_percent,
    }))
}

/// Each purchase of `offer` with its plan's name: a new plan's own name, else the catalog's.
pub fn purchase_rows(offer: &MultipartyOffer, catalog: &Catalog) -> Vec<PurchaseRow> {
    offer
        .purchases
        .iter()
        .map(|purchase: &Purchase| {
            let new_plan = offer.isv.products.iter().find_map(|line| match line {
                ProductLine::NewSaasPlan { name, .. }
                    if line.offer_and_plan()
                        == (purchase.offer_id.as_str(), purchase.plan_id.as_str()) =>
                {
                    Some(name.clone())
                }
                _ => None,
            });
            let plan_name = new_plan
                .or_else(|| {
                    catalog
                        .plan(&purchase.offer_id, &purchase.plan_id)
                        .map(|(_, plan)| plan.name.clone())
                })
                .unwrap_or_else(|| purchase.plan_id.clone());
            PurchaseRow {
                offer_id: purchase.offer_id.clone(),
                plan_id: purchase.plan_id.clone(),
                plan_name,
                status: purchase.status,
                since: purchase.since,
            }
        })
        .collect()
}

/// Every partner price with the customer's row computed from it by the pricing core.
fn customer_prices(
    offer: &MultipartyOffer,
    catalog: &Catalog,
) -> Result<Vec<(PartnerPriceItem, CustomerPriceRow)>, PricingError> {
    let currency: Currency = CATALOG_CURRENCY;
    let prices = partner_prices(&offer.isv, catalog)?;
    let markup = pricing::Markup::new(offer.partner.customer_adjustment_percent)?;
    prices
        .into_iter()
        .map(|item| {
            let places = item.kind.unit_places(currency);
            let price = markup.customer_price(item.partner_price, places)?;
            let net_discount_percent = item
                .list_price
                .filter(|list| !list.amount().is_zero())
                .map(|list| pricing::net_discount_percent(list, price).map(|d| d.normalize()))
                .transpose()?;
            let line = offer.isv.products.get(item.product_index);
            let subtotal = match (line, item.quantity) {
                (Some(ProductLine::VmReservation { term, payment, .. }), Some(quantity)) => Some(
                    pricing::reservation_subtotal(price, quantity, *term, *payment, currency)?,
                ),
                _ => None,
            };
            let plan_name = match line {
                Some(ProductLine::NewSaasPlan { name, .. }) => name.clone(),
                _ => catalog
                    .plan(&item.offer_id, &item.plan_id)
                    .map(|(_, plan)| plan.name.clone())
                    .unwrap_or_default(),
            };
            let product_name = catalog
                .offer(&item.offer_id)
                .map(|public| public.name.clone())
                .unwrap_or_else(|| item.offer_id.clone());
            let row = CustomerPriceRow {
                product_name,
                plan_name,
                price_point_id: item.price_point_id.clone(),
                list_price: item.list_price,
                price,
                net_discount_percent,
                quantity: item.quantity,
                subtotal,
            };
            Ok((item, row))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;
    use crate::catalog::{BillingTerm, TermPrice};
    use crate::multiparty::tests::{date, offer};
    use crate::multiparty::{
        ExistingPlanPricing, MeterPrice, NewPlanPricing, PointPrice, Purchase, Reservation,
        TermsDocument,
    };
    use crate::percent::{AdjustmentPercent, DiscountPercent};
    use proptest::prelude::*;
    use serde_json::Value;

    fn companies() -> Companies {
        Companies {
            isv: "Contoso".into(),
            partner: "Adatum".into(),
        }
    }

    fn json<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap()
    }

    /// Every string leaf of a JSON document (all amounts and percentages are strings).
    fn leaves(text: &str) -> Vec<String> {
        fn walk(value: &Value, out: &mut Vec<String>) {
            match value {
                Value::String(text) => out.push(text.clone()),
                Value::Array(items) => items.iter().for_each(|item| walk(item, out)),
                Value::Object(map) => map.values().for_each(|item| walk(item, out)),
                other => out.push(other.to_string()),
            }
        }
        let mut out = Vec::new();
        walk(&serde_json::from_str(text).unwrap(), &mut out);
        out
    }

    fn numbers(text: &str) -> Vec<Decimal> {
        leaves(text)
            .iter()
            .filter_map(|leaf| leaf.parse::<Decimal>().ok())
            .collect()
    }

    #[test]
    fn the_customer_sees_its_prices_computed_by_the_pricing_core() {
        let offer = offer(MultipartyStatus::PendingAcceptance);
        let view = customer_view(&offer, &sample(), &companies(), date("2027-01-01"))
            .unwrap()
            .unwrap();
        let rows: Vec<_> = view
            .prices
            .iter()
            .map(|row| {
                (
                    row.price_point_id.as_str(),
                    row.price.to_string(),
                    row.net_discount_percent.map(|d| d.normalize().to_string()),
                )
            })
            .collect();
        let some = |text: &str| Some(text.to_owned());
        assert_eq!(
            rows,
            [
                ("flat:one_month", "94.5".to_owned(), some("5.5")),
                ("flat:one_year", "1039.5".to_owned(), some("5.5")),
                ("meter:api-calls", "0.0014175".to_owned(), some("5.5")),
                ("user:one_month", "9.98".to_owned(), some("16.83333333")),
            ]
        );
        assert_eq!(view.terms, ["Contoso EULA", "Adatum services terms"]);
        assert_eq!(view.prepared_by, "rep@adatum.com");
        assert_eq!(
            (view.isv_company.as_str(), view.partner_company.as_str()),
            ("Contoso", "Adatum")
        );
        let text = json(&view);
        for hidden in [
            "partner_price",
            "discount_percent\":\"10",
            "adjustment",
            "description",
            "sales_note",
            "notification_contacts",
            "Three-year expansion",
            "Q4 push",
            "Upsell next year",
            "deals@contoso.com",
            "ops@adatum.com",
            "\"90\"",
            "\"9.5\"",
        ] {
            assert!(!text.contains(hidden), "{hidden} in {text}");
        }
    }

    #[test]
    fn the_customer_totals_add_the_rounded_lines_but_no_meter() {
        let view = customer_view(
            &offer(MultipartyStatus::PendingAcceptance),
            &sample(),
            &companies(),
            date("2027-01-01"),
        )
        .unwrap()
        .unwrap();
        let totals = view.totals.unwrap();
        // 94.50 + 1,039.50 + 9.98; the api-calls meter is per unit and is not added.
        assert_eq!(totals.price.to_string(), "1143.98");
        assert_eq!(
            totals.list_price.map(|m| m.to_string()),
            Some("1212".into())
        );
        // (1,212 - 1,143.98) / 1,212 x 100 = 5.6122112211..., to 8 places.
        assert_eq!(
            totals.net_discount_percent.map(|d| d.to_string()),
            Some("5.61221122".into())
        );
        assert_eq!(totals.currency, Currency::USD);
        let product = sample().offer("contoso-saas").unwrap().name.clone();
        assert!(view.prices.iter().all(|row| row.product_name == product));
    }

    fn row(price: &str, list: Option<&str>, subtotal: Option<&str>) -> CustomerPriceRow {
        let money = |text: &str| Money::parse(text, 8).unwrap();
        CustomerPriceRow {
            product_name: "Product".into(),
            plan_name: "Plan".into(),
            price_point_id: "flat:one_month".into(),
            list_price: list.map(money),
            price: money(price),
            net_discount_percent: None,
            quantity: None,
            subtotal: subtotal.map(money),
        }
    }

    /// A total, its list total and its net discount, as text.
    type Expected = (&'static str, Option<&'static str>, Option<&'static str>);
    /// A currency, its rows with their kinds, and what their totals are.
    type Case = (
        Currency,
        Vec<(PriceKind, CustomerPriceRow)>,
        Option<Expected>,
    );

    #[test]
    fn totals_round_to_the_currency_and_drop_a_list_total_beside_a_reservation() {
        #[rustfmt::skip]
        let table: [Case; 5] = [
            // Yen has no minor unit: 0.4 + 0.4 = 0.8 rounds to 1; list 1 + 1 = 2.
            (Currency::JPY, vec![(PriceKind::Flat, row("0.4", Some("1"), None)),
                                 (PriceKind::Flat, row("0.4", Some("1"), None))],
             Some(("1", Some("2"), Some("50")))),
            // A reservation adds its subtotal, and then no list total is shown.
            (Currency::USD, vec![(PriceKind::Flat, row("99.75", None, Some("3591"))),
                                 (PriceKind::Flat, row("10.00", Some("12.00"), None))],
             Some(("3601", None, None))),
            // Above list: a negative net discount.
            (Currency::USD, vec![(PriceKind::Flat, row("110", Some("100"), None))],
             Some(("110", Some("100"), Some("-10")))),
            // Meters only: nothing to add.
            (Currency::USD, vec![(PriceKind::Usage, row("0.0014175", Some("0.0015"), None))], None),
            (Currency::EUR, vec![], None),
        ];
        for (currency, rows, expected) in table {
            let totals = customer_totals(rows.iter().map(|(kind, row)| (*kind, row)), currency)
                .unwrap()
                .map(|t| {
                    (
                        t.price.to_string(),
                        t.list_price.map(|m| m.to_string()),
                        t.net_discount_percent.map(|d| d.to_string()),
                    )
                });
            let expected = expected.map(|(price, list, discount)| {
                (
                    price.to_owned(),
                    list.map(str::to_owned),
                    discount.map(str::to_owned),
                )
            });
            assert_eq!(totals, expected, "{currency:?} {rows:?}");
        }
    }

    #[test]
    fn purchases_carry_their_plan_names_to_every_party() {
        let mut offer = offer(MultipartyStatus::Accepted);
        offer.purchases = vec![Purchase {
            offer_id: "contoso-saas".into(),
            plan_id: "pro".into(),
            status: PurchaseStatus::Suspended,
            since: date("2027-02-03"),
        }];
        let catalog = sample();
        let customer = customer_view(&offer, &catalog, &companies(), date("2027-02-03"))
            .unwrap()
            .unwrap();
        let partner = partner_view(&offer, &catalog, &companies())
            .unwrap()
            .unwrap();
        let isv = isv_view(&offer, &catalog, &companies()).unwrap();
        let expected = vec![PurchaseRow {
            offer_id: "contoso-saas".into(),
            plan_id: "pro".into(),
            plan_name: catalog.plan("contoso-saas", "pro").unwrap().1.name.clone(),
            status: PurchaseStatus::Suspended,
            since: date("2027-02-03"),
        }];
        assert_eq!(customer.purchases, expected);
        assert_eq!(partner.purchases, expected);
        assert_eq!(isv.purchases, expected);
        offer.isv.products.push(ProductLine::NewSaasPlan {
            template_offer_id: "contoso-saas".into(),
            template_plan_id: "pro".into(),
            name: "Pro for Tailspin".into(),
            description: String::new(),
            pricing: NewPlanPricing::FlatRate {
                prices: vec![],
                included_quantities: vec![],
            },
            meter_prices: vec![],
        });
        assert_eq!(
            purchase_rows(&offer, &catalog)[0].plan_name,
            "Pro for Tailspin"
        );
    }

    #[test]
    fn the_customer_sees_the_offer_only_once_sent_and_started() {
        let catalog = sample();
        for status in MultipartyStatus::ALL {
            let shown = customer_view(&offer(status), &catalog, &companies(), date("2027-01-01"))
                .unwrap()
                .is_some();
            let expected = matches!(
                status,
                MultipartyStatus::PendingAcceptance
                    | MultipartyStatus::Accepted
                    | MultipartyStatus::Expired
                    | MultipartyStatus::Ended
            );
            assert_eq!(shown, expected, "{status:?}");
        }
        let offer = offer(MultipartyStatus::PendingAcceptance);
        for (day, shown) in [
            ("2026-12-31", false),
            ("2027-01-01", true),
            ("2027-01-02", true),
        ] {
            let view = customer_view(&offer, &catalog, &companies(), date(day)).unwrap();
            assert_eq!(view.is_some(), shown, "{day}");
        }
    }

    #[test]
    fn the_isv_never_sees_the_partners_terms_note_or_adjustment() {
        let text =
            json(&isv_view(&offer(MultipartyStatus::Accepted), &sample(), &companies()).unwrap());
        for hidden in [
            "Adatum services terms",
            "Upsell next year",
            "ops@adatum.com",
            "adjustment",
            "customer_price",
        ] {
            assert!(!text.contains(hidden), "{hidden}");
        }
        assert!(text.contains("Q4 push") && text.contains("rep@adatum.com"));
    }

    #[test]
    fn the_isvs_form_reads_its_part_and_status_from_the_isvs_view() {
        let view = isv_view(&offer(MultipartyStatus::Accepted), &sample(), &companies()).unwrap();
        let form: IsvFormView = serde_json::from_str(&json(&view)).unwrap();
        assert_eq!(form.status_label, view.status_label);
        assert_eq!(form.isv, view.isv);
    }

    #[test]
    fn a_listing_reads_what_a_list_shows_from_the_isvs_view() {
        let view = isv_view(&offer(MultipartyStatus::Accepted), &sample(), &companies()).unwrap();
        let listing: IsvListing = serde_json::from_str(&json(&view)).unwrap();
        assert_eq!(listing.status_label, view.status_label);
        assert_eq!(listing.partner_company, view.partner_company);
        assert_eq!(listing.purchases, view.purchases);
        let isv = listing.isv;
        assert_eq!(isv.name, view.isv.name);
        assert_eq!(isv.customer, view.isv.customer);
        assert_eq!(
            isv.selling_partner_seller_id,
            view.isv.selling_partner_seller_id
        );
        assert_eq!(isv.customer_start, view.isv.customer_start);
        assert_eq!(
            (isv.customer_end, isv.accept_by),
            (view.isv.customer_end, view.isv.accept_by)
        );
    }

    #[test]
    fn the_partner_never_sees_the_isvs_sales_note() {
        let catalog = sample();
        let view = partner_view(
            &offer(MultipartyStatus::PendingPartnerAction),
            &catalog,
            &companies(),
        )
        .unwrap()
        .unwrap();
        let text = json(&view);
        assert!(!text.contains("Q4 push"));
        assert!(text.contains("Three-year expansion") && text.contains("Upsell next year"));
        assert_eq!(
            view.max_customer_adjustment_percent,
            Some(Decimal::from(10))
        );
        for status in [
            MultipartyStatus::Draft,
            MultipartyStatus::InProgressForPartner,
        ] {
            assert_eq!(
                partner_view(&offer(status), &catalog, &companies()).unwrap(),
                None
            );
        }
    }

    #[test]
    fn the_partner_rows_carry_names_and_kinds_from_the_catalog() {
        let view = partner_view(
            &offer(MultipartyStatus::PendingPartnerAction),
            &sample(),
            &companies(),
        )
        .unwrap()
        .unwrap();
        let rows: Vec<_> = view
            .prices
            .iter()
            .map(|row| {
                (
                    row.offer_name.as_str(),
                    row.plan_name.as_str(),
                    row.price_point_id.as_str(),
                    row.is_meter(),
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                ("Contoso Analytics", "Pro", "flat:one_month", false),
                ("Contoso Analytics", "Pro", "flat:one_year", false),
                ("Contoso Analytics", "Pro", "meter:api-calls", true),
                ("Contoso Analytics", "Team", "user:one_month", false),
            ]
        );
    }

    #[test]
    fn each_viewer_gets_its_own_projection_or_nothing() {
        use crate::party::{PartnerProfile, TaxProfileCountry};
        let offer = offer(MultipartyStatus::Accepted);
        let catalog = sample();
        let day = date("2027-02-01");
        let partner = |seller: &str| PartnerProfile {
            seller_id: seller.into(),
            tenant_id: String::new(),
            aws_account_id: None,
            csp_member: false,
            regions: vec![],
            tax_profile_country: Some(TaxProfileCountry::Us),
            us_resale_certificates_on_file: true,
            uk_treaty_claim_expires_on: None,
        };
        let see =
            |viewer: Viewer<'_>| view_for(&offer, viewer, &catalog, &companies(), day).unwrap();
        assert!(matches!(
            see(Viewer::Isv {
                organization_id: "contoso"
            }),
            Some(MultipartyView::Isv(_))
        ));
        assert_eq!(
            see(Viewer::Isv {
                organization_id: "northwind"
            }),
            None
        );
        assert!(matches!(
            see(Viewer::Partner(&partner("seller-1"))),
            Some(MultipartyView::Partner(_))
        ));
        assert_eq!(see(Viewer::Partner(&partner("seller-2"))), None);
        let own = CustomerAccount::MicrosoftBillingAccount("a1b2c3d4:e5f6_2019-05-31".into());
        assert!(matches!(
            see(Viewer::Customer(&own)),
            Some(MultipartyView::Customer(_))
        ));
        let other = CustomerAccount::MicrosoftBillingAccount("other".into());
        assert_eq!(see(Viewer::Customer(&other)), None);
        let aws = CustomerAccount::AwsAccount("a1b2c3d4:e5f6_2019-05-31".into());
        assert_eq!(see(Viewer::Customer(&aws)), None);
    }

    #[test]
    fn vm_reservations_show_subtotals() {
        let mut offer = offer(MultipartyStatus::Accepted);
        offer.isv.products = vec![ProductLine::VmReservation {
            offer_id: "contoso-vm".into(),
            plan_id: "fw".into(),
            term: ReservationTerm::OneYear,
            payment: ReservationPayment::Monthly,
            reservations: vec![Reservation {
                vcpu_size: "4 vCPU".into(),
                quantity: Quantity::whole(3).unwrap(),
                unit_price: Money::parse("95.00", 2).unwrap(),
            }],
        }];
        let view = customer_view(&offer, &sample(), &companies(), date("2027-02-01"))
            .unwrap()
            .unwrap();
        // 95.00 x 1.05 = 99.75 a month, x 12 months x 3 reservations.
        assert_eq!(view.prices[0].price.to_string(), "99.75");
        assert_eq!(view.prices[0].subtotal.unwrap().to_string(), "3591");
        assert_eq!(view.prices[0].list_price, None);
    }

    /// A random offer whose hidden values are recognisable: texts carry markers, and the hidden
    /// numbers are listed so the test can look for them.
    fn any_offer() -> impl Strategy<Value = MultipartyOffer> {
        let line = prop_oneof![
            (1u32..99, 0u32..100).prop_map(|(whole, cents)| ProductLine::ExistingPlan {
                offer_id: "contoso-saas".into(),
                plan_id: "pro".into(),
                partner_pricing: ExistingPlanPricing::DiscountPercent(
                    DiscountPercent::parse(&format!("{whole}.{cents:02}")).unwrap()
                ),
            }),
            (1u32..50_000).prop_map(|cents| ProductLine::ExistingPlan {
                offer_id: "contoso-saas".into(),
                plan_id: "team".into(),
                partner_pricing: ExistingPlanPricing::AbsolutePrices(vec![PointPrice {
                    price_point_id: "user:one_month".into(),
                    price: Money::parse(&format!("{}.{:02}", cents / 100, cents % 100), 2).unwrap(),
                }]),
            }),
            (1u32..50_000, 1u32..9_999).prop_map(|(cents, meter)| ProductLine::NewSaasPlan {
                template_offer_id: "contoso-saas".into(),
                template_plan_id: "pro".into(),
                name: "Pro custom".into(),
                description: "PLAN-DESCRIPTION-MARKER".into(),
                pricing: NewPlanPricing::FlatRate {
                    prices: vec![TermPrice {
                        billing_term: BillingTerm::OneMonth,
                        price: Money::parse(&format!("{}.{:02}", cents / 100, cents % 100), 2)
                            .unwrap(),
                    }],
                    included_quantities: vec![],
                },
                meter_prices: vec![MeterPrice {
                    dimension_id: "api-calls".into(),
                    price_per_unit: Money::parse(&format!("0.000{meter}"), 8).unwrap(),
                }],
            }),
            (1u32..500_000, 1u32..20, any::<bool>()).prop_map(|(cents, quantity, monthly)| {
                ProductLine::VmReservation {
                    offer_id: "contoso-vm".into(),
                    plan_id: "fw".into(),
                    term: ReservationTerm::OneYear,
                    payment: if monthly {
                        ReservationPayment::Monthly
                    } else {
                        ReservationPayment::Upfront
                    },
                    reservations: vec![Reservation {
                        vcpu_size: "4 vCPU".into(),
                        quantity: Quantity::whole(quantity).unwrap(),
                        unit_price: Money::parse(&format!("{}.{:02}", cents / 100, cents % 100), 2)
                            .unwrap(),
                    }],
                }
            }),
        ];
        (
            proptest::collection::vec(line, 1..5),
            0u32..3_000_000_000,
            prop::sample::select(vec![
                MultipartyStatus::PendingAcceptance,
                MultipartyStatus::Accepted,
                MultipartyStatus::Expired,
                MultipartyStatus::Ended,
            ]),
        )
            .prop_map(|(products, adjustment, status)| {
                let mut offer = offer(status);
                offer.isv.products = products;
                offer.isv.description = "ISV-DESCRIPTION-MARKER".into();
                offer.isv.sales_note = "ISV-NOTE-MARKER".into();
                offer.isv.notification_contacts = vec!["isv-contact-marker@contoso.com".into()];
                offer.partner.sales_note = "PARTNER-NOTE-MARKER".into();
                offer.partner.notification_contacts =
                    vec!["partner-contact-marker@adatum.com".into()];
                offer.partner.terms = vec![TermsDocument {
                    customer_facing_name: "PARTNER-TERMS-MARKER".into(),
                    file_id: "PARTNER-FILE-MARKER".into(),
                }];
                offer.partner.customer_adjustment_percent =
                    AdjustmentPercent::new(Decimal::new(i64::from(adjustment), 8), 8).unwrap();
                offer
            })
    }

    /// The numbers only the ISV and the partner may see: partner prices, discounts and the
    /// adjustment.
    fn hidden_numbers(offer: &MultipartyOffer) -> Vec<Decimal> {
        let mut hidden: Vec<Decimal> = partner_prices(&offer.isv, &sample())
            .unwrap()
            .into_iter()
            .flat_map(|item| {
                let discount = item.discount_percent.map(DiscountPercent::value);
                std::iter::once(item.partner_price.amount()).chain(discount)
            })
            .collect();
        hidden.push(offer.partner.customer_adjustment_percent.value());
        hidden
    }

    proptest! {
        #[test]
        fn the_customer_projection_never_carries_what_is_hidden_from_it(offer in any_offer()) {
            let catalog = sample();
            let view = customer_view(&offer, &catalog, &companies(), date("2027-06-01"))
                .unwrap()
                .unwrap();
            let text = json(&view);
            for marker in [
                "MARKER@", "DESCRIPTION-MARKER", "NOTE-MARKER", "contact-marker", "partner_price",
                "\"discount_percent\"", "margin", "adjustment", "description", "sales_note",
                "notification_contacts",
            ] {
                prop_assert!(!text.contains(marker), "{} in {}", marker, text);
            }
            // A hidden number may show only where a shown value legitimately equals it.
            let mut shown: Vec<Decimal> = Vec::new();
            for row in &view.prices {
                shown.extend(row.list_price.map(Money::amount));
                shown.push(row.price.amount());
                shown.extend(row.net_discount_percent);
                shown.extend(row.quantity.map(Quantity::value));
                shown.extend(row.subtotal.map(Money::amount));
            }
            let computed: Vec<Decimal> = customer_prices(&offer, &catalog)
                .unwrap()
                .into_iter()
                .flat_map(|(_, row)| {
                    [Some(row.price.amount()), row.list_price.map(Money::amount), row.net_discount_percent,
                     row.quantity.map(Quantity::value), row.subtotal.map(Money::amount)]
                })
                .flatten()
                .collect();
            prop_assert_eq!(shown.len(), computed.len());
            let mut computed = computed;
            if let Some(totals) = &view.totals {
                computed.push(totals.price.amount());
                computed.extend(totals.list_price.map(Money::amount));
                computed.extend(totals.net_discount_percent);
            }
            for number in numbers(&text) {
                if hidden_numbers(&offer).contains(&number) {
                    prop_assert!(computed.contains(&number), "hidden {} shown in {}", number, text);
                }
            }
        }

        #[test]
        fn the_isv_projection_never_carries_the_partners_terms_note_or_adjustment(offer in any_offer()) {
            let text = json(&isv_view(&offer, &sample(), &companies()).unwrap());
            for marker in ["PARTNER-TERMS-MARKER", "PARTNER-FILE-MARKER", "PARTNER-NOTE-MARKER",
                           "partner-contact-marker", "adjustment", "customer_price"] {
                prop_assert!(!text.contains(marker), "{} in {}", marker, text);
            }
            let adjustment = offer.partner.customer_adjustment_percent.value();
            let isv_numbers = numbers(&json(&offer.isv));
            if !isv_numbers.contains(&adjustment) {
                prop_assert!(!numbers(&text).contains(&adjustment));
            }
        }

        #[test]
        fn the_partners_page_reads_its_view_with_product_briefs(offer in any_offer()) {
            let Some(view) = partner_view(&offer, &sample(), &companies()).unwrap() else {
                return Ok(());
            };
            let read: PartnerView<ProductBrief> = serde_json::from_str(&json(&view)).unwrap();
            prop_assert_eq!(read.isv.products.len(), view.isv.products.len());
            for (brief, line) in read.isv.products.iter().zip(&view.isv.products) {
                let reservation = match line {
                    ProductLine::VmReservation { term, payment, .. } => Some((*term, *payment)),
                    _ => None,
                };
                prop_assert_eq!(brief.reservation(), reservation);
                prop_assert_eq!(brief.pricing_type, line.pricing_type());
            }
            // Everything else reads as written.
            let mut whole = view.clone();
            whole.isv.products.clear();
            let rest: PartnerView = serde_json::from_str(&json(&whole)).unwrap();
            prop_assert_eq!(&read.prices, &rest.prices);
            prop_assert_eq!(&read.partner, &rest.partner);
            let cap = rest.max_customer_adjustment_percent;
            prop_assert_eq!(read.max_customer_adjustment_percent, cap);
            prop_assert_eq!(&read.isv.terms, &rest.isv.terms);
            prop_assert_eq!(&read.id, &rest.id);
            prop_assert_eq!((read.status, &read.status_label), (rest.status, &rest.status_label));
        }

        #[test]
        fn the_partner_projection_never_carries_the_isvs_sales_note(offer in any_offer()) {
            let text = json(&partner_view(&offer, &sample(), &companies()).unwrap().unwrap());
            prop_assert!(!text.contains("ISV-NOTE-MARKER"));
        }
    }
}
