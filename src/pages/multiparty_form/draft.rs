//! The multiparty form as typed (signals of text) and its reading into core's `IsvPart`: every
//! product line of the offer's one pricing type, its problems by JSON path, and core's
//! `validate_isv_part` over what parses.

use std::collections::HashSet;

use chrono::NaiveDate;
use leptos::prelude::*;
use offerdesk_core::catalog::CATALOG_CURRENCY;
use offerdesk_core::catalog::{
    BillingTerm, Catalog, IncludedQuantity, Plan, PlanPricing, TermPrice,
};
use offerdesk_core::money::USAGE_PLACES;
use offerdesk_core::multiparty::{
    CustomerBillingAccount, CustomerStart, ExistingPlanPricing, IsvPart, MeterPrice,
    NewPlanPricing, PointPrice, ProductLine, Reservation, TermsDocument,
};
use offerdesk_core::party::PartnerProfile;
use offerdesk_core::pricing::{ReservationPayment, ReservationTerm};
use offerdesk_core::{DiscountPercent, FieldError, Money, Quantity};
use serde::{Deserialize, Serialize};

use crate::components::kept_texts::{self, NotKept, Reader, Writer};

/// Typed text keyed by what it prices (a price point, a meter dimension).
pub(super) type Keyed<K> = RwSignal<Vec<(K, RwSignal<String>)>>;

/// One VM software reservation as typed.
#[derive(Debug, Clone, Copy)]
pub(super) struct ReservationDraft {
    pub key: u32,
    pub vcpu_size: RwSignal<String>,
    pub quantity: RwSignal<String>,
    pub unit_price: RwSignal<String>,
}

/// One product line as typed. Every line of an offer has the offer's pricing type; the fields of
/// the other types stay unused.
#[derive(Debug, Clone, Copy)]
pub(super) struct ProductDraft {
    pub key: u32,
    /// `offer_id/plan_id` (for a new SaaS plan: its template), empty until chosen.
    pub plan: RwSignal<String>,
    /// Existing plans: `discount` or `absolute`.
    pub mode: RwSignal<String>,
    pub discount: RwSignal<String>,
    /// Existing plans: per price point of the plan, the typed partner price.
    pub absolute: Keyed<String>,
    /// New SaaS plan: its name and description.
    pub plan_name: RwSignal<String>,
    pub plan_description: RwSignal<String>,
    /// New SaaS plan: the price of each of the template's billing terms (per user for per-user).
    pub term_prices: Keyed<BillingTerm>,
    /// New flat-rate plan: the quantity of each meter included per billing term (blank: none).
    pub included: RwSignal<Vec<(String, BillingTerm, RwSignal<String>)>>,
    /// New per-user plan: the user limits.
    pub min_users: RwSignal<String>,
    pub max_users: RwSignal<String>,
    /// New SaaS plan: the price per unit of each of the template's meters.
    pub meter_prices: Keyed<String>,
    /// VM reservations: `one_year` or `three_years`, `upfront` or `monthly`.
    pub term: RwSignal<String>,
    pub payment: RwSignal<String>,
    pub reservations: RwSignal<Vec<ReservationDraft>>,
}

impl ProductDraft {
    fn new(key: u32) -> Self {
        ProductDraft {
            key,
            plan: RwSignal::new(String::new()),
            mode: RwSignal::new("discount".to_owned()),
            discount: RwSignal::new(String::new()),
            absolute: RwSignal::new(Vec::new()),
            plan_name: RwSignal::new(String::new()),
            plan_description: RwSignal::new(String::new()),
            term_prices: RwSignal::new(Vec::new()),
            included: RwSignal::new(Vec::new()),
            min_users: RwSignal::new("1".to_owned()),
            max_users: RwSignal::new(String::new()),
            meter_prices: RwSignal::new(Vec::new()),
            term: RwSignal::new("one_year".to_owned()),
            payment: RwSignal::new("upfront".to_owned()),
            reservations: RwSignal::new(Vec::new()),
        }
    }
}

/// One product line's fields as typed; see [`Typed`].
#[derive(Debug, Clone, PartialEq)]
pub(super) struct TypedLine {
    plan: String,
    mode: String,
    discount: String,
    absolute: Vec<(String, String)>,
    plan_name: String,
    plan_description: String,
    term_prices: Vec<(BillingTerm, String)>,
    included: Vec<(String, BillingTerm, String)>,
    min_users: String,
    max_users: String,
    meter_prices: Vec<(String, String)>,
    term: String,
    payment: String,
    /// Each reservation's vCPU size, quantity and unit price.
    reservations: Vec<(String, String, String)>,
}

/// Every field of the form as typed, whether it reads yet or not: what this browser keeps while
/// the offer is unsaved, and puts back when the ISV resumes. Kept as flat texts
/// (`components::kept_texts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Vec<String>", try_from = "Vec<String>")]
pub(super) struct Typed {
    name: String,
    description: String,
    billing_account: String,
    country: String,
    seller_id: String,
    pricing_type: String,
    products: Vec<TypedLine>,
    start_mode: String,
    start_month: String,
    end: String,
    accept_by: String,
    terms: Vec<TermsDocument>,
    contacts: String,
    sales_note: String,
    renewal: bool,
}

/// The layout of a kept draft: which form, which order of texts.
const KEPT_AS: &str = "multiparty-form/1";

impl From<Typed> for Vec<String> {
    fn from(typed: Typed) -> Vec<String> {
        let mut out = Writer::new(KEPT_AS);
        for text in [
            &typed.name,
            &typed.description,
            &typed.billing_account,
            &typed.country,
            &typed.seller_id,
            &typed.pricing_type,
        ] {
            out.text(text);
        }
        out.count(typed.products.len());
        for line in &typed.products {
            out.text(&line.plan);
            out.text(&line.mode);
            out.text(&line.discount);
            out.count(line.absolute.len());
            for (point, text) in &line.absolute {
                out.text(point);
                out.text(text);
            }
            out.text(&line.plan_name);
            out.text(&line.plan_description);
            out.count(line.term_prices.len());
            for (term, text) in &line.term_prices {
                out.text(term.as_str());
                out.text(text);
            }
            out.count(line.included.len());
            for (meter, term, text) in &line.included {
                out.text(meter);
                out.text(term.as_str());
                out.text(text);
            }
            out.text(&line.min_users);
            out.text(&line.max_users);
            out.count(line.meter_prices.len());
            for (meter, text) in &line.meter_prices {
                out.text(meter);
                out.text(text);
            }
            out.text(&line.term);
            out.text(&line.payment);
            out.count(line.reservations.len());
            for (vcpu_size, quantity, unit_price) in &line.reservations {
                out.text(vcpu_size);
                out.text(quantity);
                out.text(unit_price);
            }
        }
        for text in [
            &typed.start_mode,
            &typed.start_month,
            &typed.end,
            &typed.accept_by,
        ] {
            out.text(text);
        }
        out.count(typed.terms.len());
        for document in &typed.terms {
            out.text(&document.customer_facing_name);
            out.text(&document.file_id);
        }
        out.text(&typed.contacts);
        out.text(&typed.sales_note);
        out.flag(typed.renewal);
        out.finish()
    }
}

impl TryFrom<Vec<String>> for Typed {
    type Error = NotKept;

    fn try_from(texts: Vec<String>) -> Result<Typed, NotKept> {
        kept_texts::read(texts, KEPT_AS, read_kept)
    }
}

/// The draft in `texts`, in the order `From<Typed>` writes it.
fn read_kept(texts: &mut Reader) -> Option<Typed> {
    let (name, description, billing_account, country, seller_id, pricing_type) = (
        texts.text()?,
        texts.text()?,
        texts.text()?,
        texts.text()?,
        texts.text()?,
        texts.text()?,
    );
    let mut products = Vec::new();
    for _ in 0..texts.count()? {
        let (plan, mode, discount) = (texts.text()?, texts.text()?, texts.text()?);
        let mut absolute = Vec::new();
        for _ in 0..texts.count()? {
            absolute.push((texts.text()?, texts.text()?));
        }
        let (plan_name, plan_description) = (texts.text()?, texts.text()?);
        let mut term_prices = Vec::new();
        for _ in 0..texts.count()? {
            term_prices.push((BillingTerm::from_wire(&texts.text()?)?, texts.text()?));
        }
        let mut included = Vec::new();
        for _ in 0..texts.count()? {
            included.push((
                texts.text()?,
                BillingTerm::from_wire(&texts.text()?)?,
                texts.text()?,
            ));
        }
        let (min_users, max_users) = (texts.text()?, texts.text()?);
        let mut meter_prices = Vec::new();
        for _ in 0..texts.count()? {
            meter_prices.push((texts.text()?, texts.text()?));
        }
        let (term, payment) = (texts.text()?, texts.text()?);
        let mut reservations = Vec::new();
        for _ in 0..texts.count()? {
            reservations.push((texts.text()?, texts.text()?, texts.text()?));
        }
        products.push(TypedLine {
            plan,
            mode,
            discount,
            absolute,
            plan_name,
            plan_description,
            term_prices,
            included,
            min_users,
            max_users,
            meter_prices,
            term,
            payment,
            reservations,
        });
    }
    let (start_mode, start_month, end, accept_by) =
        (texts.text()?, texts.text()?, texts.text()?, texts.text()?);
    let mut terms = Vec::new();
    for _ in 0..texts.count()? {
        terms.push(TermsDocument {
            customer_facing_name: texts.text()?,
            file_id: texts.text()?,
        });
    }
    let (contacts, sales_note, renewal) = (texts.text()?, texts.text()?, texts.flag()?);
    Some(Typed {
        name,
        description,
        billing_account,
        country,
        seller_id,
        pricing_type,
        products,
        start_mode,
        start_month,
        end,
        accept_by,
        terms,
        contacts,
        sales_note,
        renewal,
    })
}

/// The texts of `list`, by key (tracked).
fn texts<K: Clone + Send + Sync + 'static>(
    list: &RwSignal<Vec<(K, RwSignal<String>)>>,
) -> Vec<(K, String)> {
    list.with(|list| {
        list.iter()
            .map(|(key, text)| (key.clone(), text.get()))
            .collect()
    })
}

/// Every field of the form as typed.
#[derive(Debug, Clone, Copy)]
pub(super) struct Draft {
    pub name: RwSignal<String>,
    pub description: RwSignal<String>,
    pub billing_account: RwSignal<String>,
    pub country: RwSignal<String>,
    pub seller_id: RwSignal<String>,
    /// The offer's one pricing type: `existing_plan`, `new_saas_plan` or `vm_reservation`.
    pub pricing_type: RwSignal<String>,
    pub products: RwSignal<Vec<ProductDraft>>,
    pub next_key: RwSignal<u32>,
    pub start_mode: RwSignal<String>,
    pub start_month: RwSignal<String>,
    pub end: RwSignal<String>,
    pub accept_by: RwSignal<String>,
    /// The ISV's terms documents, uploaded one by one (the server names each file).
    pub terms: RwSignal<Vec<TermsDocument>>,
    pub contacts: RwSignal<String>,
    pub sales_note: RwSignal<String>,
    pub renewal: RwSignal<bool>,
    /// The form's owner: signals made by a click belong to the form, not to the view that was
    /// clicked (which goes away on "Review and submit").
    owner: StoredValue<Owner>,
}

impl Draft {
    pub fn empty() -> Self {
        Draft {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            billing_account: RwSignal::new(String::new()),
            country: RwSignal::new("US".to_owned()),
            seller_id: RwSignal::new(String::new()),
            pricing_type: RwSignal::new("existing_plan".to_owned()),
            products: RwSignal::new(Vec::new()),
            next_key: RwSignal::new(0),
            start_mode: RwSignal::new("on_acceptance".to_owned()),
            start_month: RwSignal::new(String::new()),
            end: RwSignal::new(String::new()),
            accept_by: RwSignal::new(String::new()),
            terms: RwSignal::new(Vec::new()),
            contacts: RwSignal::new(String::new()),
            sales_note: RwSignal::new(String::new()),
            renewal: RwSignal::new(false),
        }
    }

    fn key(&self) -> u32 {
        let key = self.next_key.get_untracked();
        self.next_key.set(key + 1);
        key
    }

    pub fn add_product(&self) -> ProductDraft {
        let key = self.key();
        let line = self.owned(|| ProductDraft::new(key));
        self.products.update(|products| products.push(line));
        line
    }

    pub fn add_reservation(&self, line: ProductDraft) -> ReservationDraft {
        let key = self.key();
        let reservation = self.owned(|| ReservationDraft {
            key,
            vcpu_size: RwSignal::new(String::new()),
            quantity: RwSignal::new(String::new()),
            unit_price: RwSignal::new(String::new()),
        });
        line.reservations.update(|list| list.push(reservation));
        reservation
    }

    /// A text signal owned by the form.
    pub fn text(&self, text: impl Into<String>) -> RwSignal<String> {
        let text = text.into();
        self.owned(|| RwSignal::new(text))
    }

    /// Runs `make` under the form's owner.
    fn owned<T>(&self, make: impl FnOnce() -> T) -> T {
        self.owner.with_value(|owner| owner.with(make))
    }

    /// Points the existing plan's line `line` at `chosen` (`offer/plan`) and lays out an
    /// absolute price for each of the plan's price points. Earlier text of the same price stays.
    pub fn choose_existing_plan(&self, line: ProductDraft, chosen: String, catalog: &Catalog) {
        let points = plan_of(&chosen, catalog)
            .map(|plan| plan.price_points())
            .unwrap_or_default();
        let absolute = points
            .iter()
            .map(|point| (point.id.clone(), self.text(kept(&line.absolute, &point.id))))
            .collect();
        line.absolute.set(absolute);
        line.plan.set(chosen);
    }

    /// Points the new plan's line `line` at the template `chosen` (`offer/plan`) and lays out
    /// the fields the template prices: its billing terms, included quantities and meters. Earlier
    /// text of the same meter's price stays.
    pub fn choose_template(&self, line: ProductDraft, chosen: String, catalog: &Catalog) {
        let plan = plan_of(&chosen, catalog);
        let (terms, included) = match plan.map(|plan| &plan.pricing) {
            Some(PlanPricing::FlatRate {
                prices,
                included_quantities,
            }) => (prices.clone(), included_quantities.clone()),
            Some(PlanPricing::PerUser { prices }) => (prices.clone(), Vec::new()),
            _ => (Vec::new(), Vec::new()),
        };
        line.term_prices.set(
            terms
                .iter()
                .map(|price| (price.billing_term, self.text("")))
                .collect(),
        );
        let meters = plan.map(|plan| plan.meters.clone()).unwrap_or_default();
        let flat = matches!(
            plan.map(|plan| &plan.pricing),
            Some(PlanPricing::FlatRate { .. })
        );
        // A flat-rate template offers each meter's included quantity per billing term, starting
        // from what the template includes.
        let mut slots = Vec::new();
        if flat {
            for meter in &meters {
                for price in &terms {
                    let start = included
                        .iter()
                        .find(|q| {
                            q.dimension_id == meter.id && q.billing_term == price.billing_term
                        })
                        .map(|q| q.quantity.to_string())
                        .unwrap_or_default();
                    slots.push((meter.id.clone(), price.billing_term, self.text(start)));
                }
            }
        }
        line.included.set(slots);
        line.meter_prices.set(
            meters
                .iter()
                .map(|meter| {
                    (
                        meter.id.clone(),
                        self.text(kept(&line.meter_prices, &meter.id)),
                    )
                })
                .collect(),
        );
        line.plan.set(chosen);
    }

    /// How many product lines have a plan chosen (untracked).
    pub fn entered_products(&self) -> usize {
        self.products.with_untracked(|lines| {
            lines
                .iter()
                .filter(|line| line.plan.with_untracked(|plan| !plan.is_empty()))
                .count()
        })
    }

    /// The form as typed (tracked: it changes with every field).
    pub fn typed(&self) -> Typed {
        let products = self.products.get();
        Typed {
            name: self.name.get(),
            description: self.description.get(),
            billing_account: self.billing_account.get(),
            country: self.country.get(),
            seller_id: self.seller_id.get(),
            pricing_type: self.pricing_type.get(),
            products: products
                .iter()
                .map(|line| TypedLine {
                    plan: line.plan.get(),
                    mode: line.mode.get(),
                    discount: line.discount.get(),
                    absolute: texts(&line.absolute),
                    plan_name: line.plan_name.get(),
                    plan_description: line.plan_description.get(),
                    term_prices: texts(&line.term_prices),
                    included: line.included.with(|slots| {
                        slots
                            .iter()
                            .map(|(meter, term, text)| (meter.clone(), *term, text.get()))
                            .collect()
                    }),
                    min_users: line.min_users.get(),
                    max_users: line.max_users.get(),
                    meter_prices: texts(&line.meter_prices),
                    term: line.term.get(),
                    payment: line.payment.get(),
                    reservations: line
                        .reservations
                        .get()
                        .iter()
                        .map(|row| {
                            (
                                row.vcpu_size.get(),
                                row.quantity.get(),
                                row.unit_price.get(),
                            )
                        })
                        .collect(),
                })
                .collect(),
            start_mode: self.start_mode.get(),
            start_month: self.start_month.get(),
            end: self.end.get(),
            accept_by: self.accept_by.get(),
            terms: self.terms.get(),
            contacts: self.contacts.get(),
            sales_note: self.sales_note.get(),
            renewal: self.renewal.get(),
        }
    }

    /// Puts `typed` (kept in this browser) back in the form.
    pub fn restore(&self, typed: Typed) {
        let keyed = |items: Vec<(String, String)>| -> Vec<(String, RwSignal<String>)> {
            items
                .into_iter()
                .map(|(key, text)| (key, self.text(text)))
                .collect()
        };
        self.name.set(typed.name);
        self.description.set(typed.description);
        self.billing_account.set(typed.billing_account);
        self.country.set(typed.country);
        self.seller_id.set(typed.seller_id);
        self.pricing_type.set(typed.pricing_type);
        self.products.set(Vec::new());
        for typed_line in typed.products {
            let line = self.add_product();
            line.plan.set(typed_line.plan);
            line.mode.set(typed_line.mode);
            line.discount.set(typed_line.discount);
            line.absolute.set(keyed(typed_line.absolute));
            line.plan_name.set(typed_line.plan_name);
            line.plan_description.set(typed_line.plan_description);
            line.term_prices.set(
                typed_line
                    .term_prices
                    .into_iter()
                    .map(|(term, text)| (term, self.text(text)))
                    .collect(),
            );
            line.included.set(
                typed_line
                    .included
                    .into_iter()
                    .map(|(meter, term, text)| (meter, term, self.text(text)))
                    .collect(),
            );
            line.min_users.set(typed_line.min_users);
            line.max_users.set(typed_line.max_users);
            line.meter_prices.set(keyed(typed_line.meter_prices));
            line.term.set(typed_line.term);
            line.payment.set(typed_line.payment);
            for (vcpu_size, quantity, unit_price) in typed_line.reservations {
                let row = self.add_reservation(line);
                row.vcpu_size.set(vcpu_size);
                row.quantity.set(quantity);
                row.unit_price.set(unit_price);
            }
        }
        self.start_mode.set(typed.start_mode);
        self.start_month.set(typed.start_month);
        self.end.set(typed.end);
        self.accept_by.set(typed.accept_by);
        self.terms.set(typed.terms);
        self.contacts.set(typed.contacts);
        self.sales_note.set(typed.sales_note);
        self.renewal.set(typed.renewal);
    }

    /// Fills the form from a saved part.
    pub fn load<L: Lines>(&self, part: &IsvPart) {
        self.name.set(part.name.clone());
        self.description.set(part.description.clone());
        self.billing_account
            .set(part.customer.billing_account_id.clone());
        self.country.set(part.customer.country.clone());
        self.seller_id.set(part.selling_partner_seller_id.clone());
        self.products.set(Vec::new());
        if let Some(first) = part.products.first() {
            self.pricing_type
                .set(first.pricing_type().as_str().to_owned());
        }
        for product in &part.products {
            self.load_line::<L>(product);
        }
        match part.customer_start {
            CustomerStart::OnAcceptance => self.start_mode.set("on_acceptance".into()),
            CustomerStart::Month(month) => {
                self.start_mode.set("month".into());
                self.start_month.set(month.to_string());
            }
        }
        self.end.set(part.customer_end.to_string());
        self.accept_by.set(part.accept_by.to_string());
        self.terms.set(part.terms.clone());
        self.contacts.set(part.notification_contacts.join("\n"));
        self.sales_note.set(part.sales_note.clone());
        self.renewal.set(part.renewal);
    }

    /// Adds a line loaded from `product`: its plan, and its pricing type's fields by `L`.
    fn load_line<L: Lines>(&self, product: &ProductLine) {
        let line = self.add_product();
        let (offer, plan) = product.offer_and_plan();
        line.plan.set(format!("{offer}/{plan}"));
        L::load_line(self, line, product);
    }

    /// Typed texts keyed as `items`.
    fn keyed(&self, items: Vec<(String, String)>) -> Vec<(String, RwSignal<String>)> {
        items
            .into_iter()
            .map(|(key, text)| (key, self.text(text)))
            .collect()
    }

    /// Fills the existing plan's line `line` from `product` (another type's: nothing).
    pub(super) fn load_existing(&self, line: ProductDraft, product: &ProductLine) {
        let ProductLine::ExistingPlan {
            partner_pricing, ..
        } = product
        else {
            return;
        };
        match partner_pricing {
            ExistingPlanPricing::DiscountPercent(percent) => {
                line.mode.set("discount".into());
                line.discount.set(percent.value().normalize().to_string());
            }
            ExistingPlanPricing::AbsolutePrices(prices) => {
                line.mode.set("absolute".into());
                line.absolute.set(
                    self.keyed(
                        prices
                            .iter()
                            .map(|p| (p.price_point_id.clone(), p.price.to_string()))
                            .collect(),
                    ),
                );
            }
        }
    }

    /// Fills the new plan's line `line` from `product` (another type's: nothing).
    pub(super) fn load_new_plan(&self, line: ProductDraft, product: &ProductLine) {
        let ProductLine::NewSaasPlan {
            name,
            description,
            pricing,
            meter_prices,
            ..
        } = product
        else {
            return;
        };
        line.plan_name.set(name.clone());
        line.plan_description.set(description.clone());
        let (prices, included) = match pricing {
            NewPlanPricing::FlatRate {
                prices,
                included_quantities,
            } => (prices, included_quantities.clone()),
            NewPlanPricing::PerUser {
                min_users,
                max_users,
                prices,
            } => {
                line.min_users.set(min_users.to_string());
                line.max_users.set(max_users.to_string());
                (prices, Vec::new())
            }
        };
        line.term_prices.set(
            prices
                .iter()
                .map(|p| (p.billing_term, self.text(p.price.to_string())))
                .collect(),
        );
        line.included.set(
            included
                .iter()
                .map(|q| {
                    (
                        q.dimension_id.clone(),
                        q.billing_term,
                        self.text(q.quantity.to_string()),
                    )
                })
                .collect(),
        );
        line.meter_prices.set(
            self.keyed(
                meter_prices
                    .iter()
                    .map(|m| (m.dimension_id.clone(), m.price_per_unit.to_string()))
                    .collect(),
            ),
        );
    }

    /// Fills the reservations' line `line` from `product` (another type's: nothing).
    pub(super) fn load_reservations(&self, line: ProductDraft, product: &ProductLine) {
        let ProductLine::VmReservation {
            term,
            payment,
            reservations,
            ..
        } = product
        else {
            return;
        };
        line.term.set(term_name(*term).into());
        line.payment.set(
            match payment {
                ReservationPayment::Upfront => "upfront",
                ReservationPayment::Monthly => "monthly",
            }
            .into(),
        );
        for reservation in reservations {
            let row = self.add_reservation(line);
            row.vcpu_size.set(reservation.vcpu_size.clone());
            row.quantity.set(reservation.quantity.to_string());
            row.unit_price.set(reservation.unit_price.to_string());
        }
    }
}

/// The catalog plan a line's `chosen` names (`offer/plan`).
pub(super) fn plan_of<'c>(chosen: &str, catalog: &'c Catalog) -> Option<&'c Plan> {
    chosen
        .split_once('/')
        .and_then(|(offer, plan)| catalog.plan(offer, plan))
        .map(|(_, plan)| plan)
}

/// The text typed in `list` for `id`, or none.
fn kept(list: &Keyed<String>, id: &str) -> String {
    list.with_untracked(|list| {
        list.iter()
            .find(|(key, _)| key == id)
            .map(|(_, text)| text.get_untracked())
    })
    .unwrap_or_default()
}

/// The wire name of a reservation term.
pub(super) fn term_name(term: ReservationTerm) -> &'static str {
    match term {
        ReservationTerm::OneYear => "one_year",
        ReservationTerm::ThreeYears => "three_years",
    }
}

/// The reservation term and payment a line's text names.
pub(super) fn reservation_terms(line: &ProductDraft) -> (ReservationTerm, ReservationPayment) {
    let term = if line.term.get() == "three_years" {
        ReservationTerm::ThreeYears
    } else {
        ReservationTerm::OneYear
    };
    let payment = if line.payment.get() == "monthly" {
        ReservationPayment::Monthly
    } else {
        ReservationPayment::Upfront
    };
    (term, payment)
}

/// A billing term as people read it.
pub(super) fn term_label(term: BillingTerm) -> &'static str {
    match term {
        BillingTerm::OneMonth => "1 month",
        BillingTerm::OneYear => "1 year",
        BillingTerm::TwoYears => "2 years",
        BillingTerm::ThreeYears => "3 years",
    }
}

/// The form's reading: the part (of the lines that parse), every problem by field path, and
/// each typed line as core reads it (aligned with `draft.products`; `None` while it does not
/// parse).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Reading {
    pub part: IsvPart,
    pub problems: Vec<FieldError>,
    pub lines: Vec<Option<ProductLine>>,
}

pub(super) fn parse_date(text: &str) -> Option<NaiveDate> {
    offerdesk_core::field::parse_iso_date(text)
}

/// Parses `text` as money with `places`, or records why not at `field`.
fn money(
    problems: &mut Vec<FieldError>,
    field: String,
    label: &str,
    text: &str,
    places: u32,
) -> Option<Money> {
    match Money::parse(text.trim(), places) {
        Ok(price) => Some(price),
        Err(_) if text.trim().is_empty() => {
            problems.push(FieldError::new(
                field,
                format!("Enter the {}.", label.to_ascii_lowercase()),
            ));
            None
        }
        Err(error) => {
            problems.push(FieldError::new(field, format!("{label} {error}.")));
            None
        }
    }
}

/// Parses a whole number of users, or records why not at `field`.
fn users(problems: &mut Vec<FieldError>, field: String, label: &str, text: &str) -> Option<u32> {
    let parsed = text.trim().parse::<u32>().ok();
    if parsed.is_none() {
        problems.push(FieldError::new(
            field,
            format!("Enter the {label} as a whole number."),
        ));
    }
    parsed
}

pub(super) fn read_existing(
    problems: &mut Vec<FieldError>,
    at: &str,
    line: &ProductDraft,
    catalog: &Catalog,
) -> Option<ProductLine> {
    let plan = line.plan.get();
    let (offer_id, plan_id) = plan.split_once('/').unwrap_or(("", ""));
    let field = format!("{at}.partner_pricing");
    let pricing = if line.mode.get() == "absolute" {
        let points = catalog
            .plan(offer_id, plan_id)
            .map(|(_, plan)| plan.price_points())
            .unwrap_or_default();
        let mut prices = Vec::new();
        for (index, (point, text)) in line.absolute.get().iter().enumerate() {
            let places = points
                .iter()
                .find(|candidate| &candidate.id == point)
                .map(|point| point.kind.unit_places(CATALOG_CURRENCY))
                .unwrap_or(2);
            let path = format!("{field}.absolute_prices[{index}].price");
            if let Some(price) = money(problems, path, "Partner price", &text.get(), places) {
                prices.push(PointPrice {
                    price_point_id: point.clone(),
                    price,
                });
            }
        }
        ExistingPlanPricing::AbsolutePrices(prices)
    } else {
        let text = line.discount.get();
        match DiscountPercent::parse(text.trim()) {
            Ok(percent) => ExistingPlanPricing::DiscountPercent(percent),
            Err(error) => {
                problems.push(FieldError::new(
                    format!("{field}.discount_percent"),
                    if text.trim().is_empty() {
                        "Enter the discount % off list price.".to_owned()
                    } else {
                        format!("Discount % {error}.")
                    },
                ));
                return None;
            }
        }
    };
    Some(ProductLine::ExistingPlan {
        offer_id: offer_id.to_owned(),
        plan_id: plan_id.to_owned(),
        partner_pricing: pricing,
    })
}

pub(super) fn read_new_plan(
    problems: &mut Vec<FieldError>,
    at: &str,
    line: &ProductDraft,
    catalog: &Catalog,
) -> Option<ProductLine> {
    let plan = line.plan.get();
    let (offer_id, plan_id) = plan.split_once('/').unwrap_or(("", ""));
    let before = problems.len();
    let mut prices = Vec::new();
    for (index, (term, text)) in line.term_prices.get().iter().enumerate() {
        let path = format!("{at}.pricing.prices[{index}].price");
        if let Some(price) = money(
            problems,
            path,
            "Price",
            &text.get(),
            CATALOG_CURRENCY.minor_units(),
        ) {
            prices.push(TermPrice {
                billing_term: *term,
                price,
            });
        }
    }
    let per_user = matches!(
        plan_of(&plan, catalog).map(|plan| &plan.pricing),
        Some(PlanPricing::PerUser { .. })
    );
    let pricing = if per_user {
        let min_users = users(
            problems,
            format!("{at}.pricing.min_users"),
            "minimum number of users",
            &line.min_users.get(),
        );
        let max_users = users(
            problems,
            format!("{at}.pricing.max_users"),
            "maximum number of users",
            &line.max_users.get(),
        );
        NewPlanPricing::PerUser {
            min_users: min_users.unwrap_or(1),
            max_users: max_users.unwrap_or(1),
            prices,
        }
    } else {
        let mut included_quantities = Vec::new();
        for (index, (dimension, term, text)) in line.included.get().iter().enumerate() {
            let text = text.get();
            if text.trim().is_empty() {
                continue;
            }
            match Quantity::parse(text.trim()) {
                Ok(quantity) => included_quantities.push(IncludedQuantity {
                    dimension_id: dimension.clone(),
                    billing_term: *term,
                    quantity,
                }),
                Err(error) => problems.push(FieldError::new(
                    format!("{at}.pricing.included_quantities[{index}].quantity"),
                    format!("Included quantity {error}."),
                )),
            }
        }
        NewPlanPricing::FlatRate {
            prices,
            included_quantities,
        }
    };
    let mut meter_prices = Vec::new();
    for (index, (dimension, text)) in line.meter_prices.get().iter().enumerate() {
        let path = format!("{at}.meter_prices[{index}].price_per_unit");
        if let Some(price) = money(problems, path, "Price per unit", &text.get(), USAGE_PLACES) {
            meter_prices.push(MeterPrice {
                dimension_id: dimension.clone(),
                price_per_unit: price,
            });
        }
    }
    (problems.len() == before).then(|| ProductLine::NewSaasPlan {
        template_offer_id: offer_id.to_owned(),
        template_plan_id: plan_id.to_owned(),
        name: line.plan_name.get(),
        description: line.plan_description.get(),
        pricing,
        meter_prices,
    })
}

pub(super) fn read_reservations(
    problems: &mut Vec<FieldError>,
    at: &str,
    line: &ProductDraft,
    // A reservation reads without the catalog; taken all the same, as every line's reader.
    _catalog: &Catalog,
) -> Option<ProductLine> {
    let plan = line.plan.get();
    let (offer_id, plan_id) = plan.split_once('/').unwrap_or(("", ""));
    let (term, payment) = reservation_terms(line);
    let before = problems.len();
    let mut reservations = Vec::new();
    for (index, row) in line.reservations.get().iter().enumerate() {
        let path = format!("{at}.reservations[{index}]");
        let quantity = match Quantity::parse(row.quantity.get().trim()) {
            Ok(quantity) => Some(quantity),
            Err(error) => {
                problems.push(FieldError::new(
                    format!("{path}.quantity"),
                    if row.quantity.get().trim().is_empty() {
                        "Enter how many reservations.".to_owned()
                    } else {
                        format!("Quantity {error}.")
                    },
                ));
                None
            }
        };
        let unit_price = money(
            problems,
            format!("{path}.unit_price"),
            "Unit price",
            &row.unit_price.get(),
            CATALOG_CURRENCY.minor_units(),
        );
        if let (Some(quantity), Some(unit_price)) = (quantity, unit_price) {
            reservations.push(Reservation {
                vcpu_size: row.vcpu_size.get(),
                quantity,
                unit_price,
            });
        }
    }
    (problems.len() == before).then(|| ProductLine::VmReservation {
        offer_id: offer_id.to_owned(),
        plan_id: plan_id.to_owned(),
        term,
        payment,
        reservations,
    })
}

/// Rewrites `products[k]` in a core path (an index among the lines that parse) to the index of
/// the typed line it came from.
fn typed_path(field: String, typed_index: &[usize]) -> String {
    let Some(rest) = field.strip_prefix("products[") else {
        return field;
    };
    let Some((number, tail)) = rest.split_once(']') else {
        return field;
    };
    match number
        .parse::<usize>()
        .ok()
        .and_then(|k| typed_index.get(k))
    {
        Some(index) => format!("products[{index}]{tail}"),
        None => field,
    }
}

/// Core's check of the ISV's part that a page of the form runs: `validate_isv_part`, or less of it
/// on a page that leaves some fields to another page (see `OpenForm::open`).
pub(super) type Validate =
    fn(&IsvPart, &Catalog, Option<&PartnerProfile>, NaiveDate) -> Result<(), Vec<FieldError>>;

/// How a page of the form reads the product lines, typed into core's and saved into the form: a
/// page that saves them as they are reads any pricing type's ([`AnyLines`]); a page of one
/// type's lines reads only its own, and its bundle carries only that type's reading. A type, not
/// function pointers, so that the reading inlines where it is used.
pub(super) trait Lines: 'static {
    /// Reads the typed line `line` of an offer of `pricing_type` (its wire name) at the path
    /// `at`, adding the problems of what does not parse; `None` until it does.
    fn read_line(
        pricing_type: &str,
        problems: &mut Vec<FieldError>,
        at: &str,
        line: &ProductDraft,
        catalog: &Catalog,
    ) -> Option<ProductLine>;

    /// Fills the fields of the typed line `line` from the saved `product`.
    fn load_line(draft: &Draft, line: ProductDraft, product: &ProductLine);
}

/// Reads the lines of any pricing type, by the offer's.
pub(super) struct AnyLines;

impl Lines for AnyLines {
    fn read_line(
        pricing_type: &str,
        problems: &mut Vec<FieldError>,
        at: &str,
        line: &ProductDraft,
        catalog: &Catalog,
    ) -> Option<ProductLine> {
        match pricing_type {
            "new_saas_plan" => read_new_plan(problems, at, line, catalog),
            "vm_reservation" => read_reservations(problems, at, line, catalog),
            _ => read_existing(problems, at, line, catalog),
        }
    }

    fn load_line(draft: &Draft, line: ProductDraft, product: &ProductLine) {
        match product {
            ProductLine::ExistingPlan { .. } => draft.load_existing(line, product),
            ProductLine::NewSaasPlan { .. } => draft.load_new_plan(line, product),
            ProductLine::VmReservation { .. } => draft.load_reservations(line, product),
        }
    }
}

/// Reads the draft into the ISV's part with every problem found: each typed field's that does
/// not parse (the product lines' by `L`), then `validate`'s.
pub(super) fn read<L: Lines>(
    draft: &Draft,
    catalog: &Catalog,
    partner: Option<&PartnerProfile>,
    today: NaiveDate,
    validate: Validate,
) -> Reading {
    let mut problems: Vec<FieldError> = Vec::new();
    let pricing_type = draft.pricing_type.get();
    let lines: Vec<Option<ProductLine>> = draft
        .products
        .get()
        .iter()
        .enumerate()
        .map(|(index, line)| {
            let at = format!("products[{index}]");
            L::read_line(&pricing_type, &mut problems, &at, line, catalog)
        })
        .collect();
    let typed_index: Vec<usize> = lines
        .iter()
        .enumerate()
        .filter_map(|(index, line)| line.as_ref().map(|_| index))
        .collect();
    let customer_start = if draft.start_mode.get() == "month" {
        match parse_date(&draft.start_month.get()) {
            Some(month) => CustomerStart::Month(month),
            None => {
                problems.push(FieldError::new(
                    "customer_start",
                    "Choose the month the customer's prices start.",
                ));
                CustomerStart::OnAcceptance
            }
        }
    } else {
        CustomerStart::OnAcceptance
    };
    let mut date = |field: &str, text: String, missing: &str| -> NaiveDate {
        parse_date(&text).unwrap_or_else(|| {
            problems.push(FieldError::new(field, missing));
            today
        })
    };
    let customer_end = date(
        "customer_end",
        draft.end.get(),
        "Choose the customer end date.",
    );
    let accept_by = date(
        "accept_by",
        draft.accept_by.get(),
        "Choose the date the customer must accept by.",
    );
    let part = IsvPart {
        name: draft.name.get(),
        description: draft.description.get(),
        customer: CustomerBillingAccount {
            billing_account_id: draft.billing_account.get().trim().to_owned(),
            country: draft.country.get(),
        },
        selling_partner_seller_id: draft.seller_id.get().trim().to_owned(),
        products: lines.iter().flatten().cloned().collect(),
        customer_start,
        customer_end,
        accept_by,
        terms: draft.terms.get(),
        notification_contacts: draft
            .contacts
            .get()
            .split(['\n', ','])
            .map(str::trim)
            .filter(|contact| !contact.is_empty())
            .map(str::to_owned)
            .collect(),
        sales_note: draft.sales_note.get(),
        renewal: draft.renewal.get(),
    };
    if let Err(found) = validate(&part, catalog, partner, today) {
        let parsed: HashSet<String> = problems.iter().map(|p| p.field.clone()).collect();
        // Lines that do not parse yet are not "missing": their own problems say what to fix.
        let some_unparsed = typed_index.len() < lines.len();
        problems.extend(
            found
                .into_iter()
                .filter(|problem| !(some_unparsed && problem.field == "products"))
                .map(|problem| {
                    FieldError::new(typed_path(problem.field, &typed_index), problem.message)
                })
                .filter(|problem| !parsed.contains(&problem.field)),
        );
    }
    Reading {
        part,
        problems,
        lines,
    }
}

#[cfg(test)]
mod tests {
    use offerdesk_core::catalog::BillingTerm;
    use offerdesk_core::multiparty::TermsDocument;

    use super::{typed_path, Typed, TypedLine, KEPT_AS};

    fn line(plan: &str) -> TypedLine {
        TypedLine {
            plan: plan.to_owned(),
            mode: "absolute".to_owned(),
            discount: String::new(),
            absolute: vec![("one_month".to_owned(), "95.00".to_owned())],
            plan_name: "Pro".to_owned(),
            plan_description: "Línea \"dos\"\n".to_owned(),
            term_prices: vec![
                (BillingTerm::OneMonth, "10".to_owned()),
                (BillingTerm::ThreeYears, "1x".to_owned()),
            ],
            included: vec![("gb".to_owned(), BillingTerm::OneYear, "5".to_owned())],
            min_users: "1".to_owned(),
            max_users: String::new(),
            meter_prices: vec![("gb".to_owned(), "0.12345678".to_owned())],
            term: "one_year".to_owned(),
            payment: "monthly".to_owned(),
            reservations: vec![("2".to_owned(), "3".to_owned(), "".to_owned())],
        }
    }

    fn typed() -> Typed {
        Typed {
            name: "Contoso 2027".to_owned(),
            description: String::new(),
            billing_account: "ba-1".to_owned(),
            country: "GB".to_owned(),
            seller_id: "1000000".to_owned(),
            pricing_type: "existing".to_owned(),
            products: vec![line("contoso/basic"), line("")],
            start_mode: "month".to_owned(),
            start_month: "2027-01".to_owned(),
            end: "2027-12-31".to_owned(),
            accept_by: "2026-12-31".to_owned(),
            terms: vec![TermsDocument {
                customer_facing_name: "Terms".to_owned(),
                file_id: "f1".to_owned(),
            }],
            contacts: "a@b.example\nc@d.example".to_owned(),
            sales_note: String::new(),
            renewal: true,
        }
    }

    #[test]
    fn a_kept_draft_reads_back_as_typed() {
        for draft in [
            typed(),
            Typed {
                products: Vec::new(),
                renewal: false,
                ..typed()
            },
        ] {
            let json = serde_json::to_string(&draft).unwrap();
            assert!(json.starts_with(&format!("[\"{KEPT_AS}\",")), "{json}");
            assert_eq!(crate::json::from_str::<Typed>(&json).unwrap(), draft);
        }
    }

    #[test]
    fn anything_else_kept_is_not_read() {
        let texts = Vec::<String>::from(typed());
        let mut other_layout = texts.clone();
        other_layout[0] = "multiparty-form/0".to_owned();
        let mut bad_term = texts.clone();
        let at = bad_term
            .iter()
            .position(|text| text == "three_years")
            .unwrap();
        bad_term[at] = "weekly".to_owned();
        let mut huge = texts.clone();
        huge[7] = "18446744073709551615".to_owned();
        for kept in [
            texts[..texts.len() - 1].to_vec(),
            [texts.clone(), vec!["more".to_owned()]].concat(),
            other_layout,
            bad_term,
            huge,
            Vec::new(),
        ] {
            let json = serde_json::to_string(&kept).unwrap();
            assert!(crate::json::from_str::<Typed>(&json).is_err(), "{json}");
        }
        // The layout before this one, an object of fields, is not read either.
        assert!(crate::json::from_str::<Typed>(r#"{"name":"x"}"#).is_err());
    }

    #[test]
    fn core_paths_point_back_at_the_typed_line() {
        let typed = [0, 2, 3];
        assert_eq!(
            typed_path("products[1].plan_id".into(), &typed),
            "products[2].plan_id"
        );
        assert_eq!(typed_path("products[2]".into(), &typed), "products[3]");
        assert_eq!(typed_path("products".into(), &typed), "products");
        assert_eq!(typed_path("name".into(), &typed), "name");
    }
}
