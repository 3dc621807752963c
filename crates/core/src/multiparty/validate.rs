//! Validation of the multiparty forms: one function per form, every problem at once, each
//! named by its JSON path.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{
    CustomerStart, ExistingPlanPricing, IsvPart, MultipartyOffer, NewPlanPricing, PartnerPart,
    PricingType, ProductLine, TermsDocument, CUSTOMER_COUNTRIES, MAX_PRODUCTS, MAX_TERMS_DOCUMENTS,
};
use crate::catalog::{Catalog, OfferType, PlanPricing, TermPrice, CATALOG_CURRENCY};
use crate::error::{FieldError, Problems};
use crate::field::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use crate::money::{Money, USAGE_PLACES};
use crate::party::{Eligibility, PartnerProfile};
use crate::percent::{AdjustmentPercent, PERCENT_PLACES};
use crate::pricing::ReservationTerm;

/// Checks the ISV's part. `selling_partner` is the partner found by the seller ID (`None` when
/// no partner has it); dates are checked against `today`.
pub fn validate_isv_part(
    part: &IsvPart,
    catalog: &Catalog,
    selling_partner: Option<&PartnerProfile>,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    check_isv_part(
        part,
        Partner::LookedUp(selling_partner),
        today,
        |problems| check_products(problems, &part.products, catalog),
    )
}

/// Checks the product lines of an offer of existing plans as [`validate_isv_part`] does: how
/// many, each of this pricing type, and each plan and partner price against the catalog. For the
/// page that edits only these lines, which leaves every other field to the pages that edit them
/// and to the server's full check; with one function per pricing type, that page carries only
/// its own type's checks.
pub fn validate_existing_plans(
    products: &[ProductLine],
    catalog: &Catalog,
) -> Result<(), Vec<FieldError>> {
    lines_of(
        products,
        catalog,
        PricingType::ExistingPlan,
        check_existing_line,
    )
}

/// Checks the product lines of an offer of new SaaS plans, as [`validate_existing_plans`] does
/// for existing plans.
pub fn validate_new_saas_plans(
    products: &[ProductLine],
    catalog: &Catalog,
) -> Result<(), Vec<FieldError>> {
    lines_of(products, catalog, PricingType::NewSaasPlan, check_new_plan)
}

/// Checks the product lines of an offer of VM software reservations, as
/// [`validate_existing_plans`] does for existing plans.
pub fn validate_vm_reservations(
    products: &[ProductLine],
    catalog: &Catalog,
) -> Result<(), Vec<FieldError>> {
    lines_of(
        products,
        catalog,
        PricingType::VmReservation,
        check_reservations,
    )
}

/// [`check_lines_of`] alone.
fn lines_of(
    products: &[ProductLine],
    catalog: &Catalog,
    pricing_type: PricingType,
    check: fn(&mut Problems, &str, &Catalog, &ProductLine),
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    check_lines_of(&mut problems, products, catalog, pricing_type, check);
    problems.finish(|| ())
}

/// Checks the ISV's part as [`validate_isv_part`] does but for each product line's own details
/// (its plan and prices against the catalog): whether there are products, and how many, is
/// checked. For a page that edits every field but the product lines ("Offer setup"), which
/// leaves their details to the page that edits them and to the server's full check.
pub fn validate_isv_setup(
    part: &IsvPart,
    selling_partner: Option<&PartnerProfile>,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    check_isv_part(
        part,
        Partner::LookedUp(selling_partner),
        today,
        |problems| check_product_count(problems, &part.products),
    )
}

/// Checks the ISV's part as [`validate_isv_setup`] does but for the partner behind the seller ID,
/// which is not looked up (only whether a seller ID is given is checked). For a page that edits
/// neither the seller ID nor the product lines ("Customer terms"), which leaves both to the pages
/// that edit them and to the server's full check.
pub fn validate_isv_terms(part: &IsvPart, today: NaiveDate) -> Result<(), Vec<FieldError>> {
    check_isv_part(part, Partner::NotLookedUp, today, |problems| {
        check_product_count(problems, &part.products)
    })
}

/// What a check of the ISV's part knows of the partner behind the seller ID.
#[derive(Clone, Copy)]
enum Partner<'a> {
    /// Looked up in the directory: the partner found (`None`: no partner has the seller ID).
    LookedUp(Option<&'a PartnerProfile>),
    /// Not looked up: only whether a seller ID is given can be checked.
    NotLookedUp,
}

/// Every check of the ISV's part, in the order of its fields, the products' by `check_products`.
fn check_isv_part(
    part: &IsvPart,
    selling_partner: Partner,
    today: NaiveDate,
    check_products: impl FnOnce(&mut Problems),
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    field::check_text(
        &mut problems,
        "name",
        "private offer name",
        &part.name,
        MAX_NAME_CHARS,
    );
    field::check_optional_text(
        &mut problems,
        "description",
        "description",
        &part.description,
        MAX_DESCRIPTION_CHARS,
    );
    field::check_text(
        &mut problems,
        "customer.billing_account_id",
        "customer billing account ID",
        &part.customer.billing_account_id,
        MAX_NAME_CHARS,
    );
    if !CUSTOMER_COUNTRIES.contains(&part.customer.country.as_str()) {
        problems.add(
            "customer.country",
            "Multiparty private offers support customers in the United States (US), the United Kingdom (GB) and Canada (CA).",
        );
    }
    check_selling_partner(&mut problems, part, selling_partner);
    check_products(&mut problems);
    check_dates(&mut problems, part, today);
    check_terms(
        &mut problems,
        "terms",
        &part.terms,
        &[],
        MAX_TERMS_DOCUMENTS,
    );
    field::check_notification_contacts(
        &mut problems,
        "notification_contacts",
        &part.notification_contacts,
    );
    field::check_sales_note(&mut problems, "sales_note", &part.sales_note);
    problems.finish(|| ())
}

/// Checks the partner's part against the ISV's part it completes: the adjustment's places and
/// cap, the prepared-by email, the terms (at most 5 in total, names unique across both sides),
/// the contacts and the sales note.
pub fn validate_partner_part(part: &PartnerPart, isv: &IsvPart) -> Result<(), Vec<FieldError>> {
    validate_partner_part_for(part, super::max_customer_adjustment(isv), &isv.terms)
}

/// [`validate_partner_part`] given what it needs of the ISV's part: the cap on the customer
/// adjustment ([`super::max_customer_adjustment`], which the partner's view carries) and the
/// ISV's terms documents.
pub fn validate_partner_part_for(
    part: &PartnerPart,
    cap: Option<rust_decimal::Decimal>,
    isv_terms: &[TermsDocument],
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    check_customer_adjustment(&mut problems, part.customer_adjustment_percent, cap);
    field::check_email(
        &mut problems,
        "prepared_by",
        "Prepared by email",
        &part.prepared_by,
    );
    check_terms(
        &mut problems,
        "terms",
        &part.terms,
        isv_terms,
        MAX_TERMS_DOCUMENTS.saturating_sub(isv_terms.len()),
    );
    field::check_notification_contacts(
        &mut problems,
        "notification_contacts",
        &part.notification_contacts,
    );
    field::check_sales_note(&mut problems, "sales_note", &part.sales_note);
    problems.finish(|| ())
}

/// Checks the partner's customer adjustment % (its places, and at most `cap`, the ISV's
/// smallest discount, see [`super::max_customer_adjustment`]) at `customer_adjustment_percent`;
/// a form checks it alone on each keystroke, as [`validate_partner_part`] does with the rest.
pub fn check_customer_adjustment(
    problems: &mut Problems,
    adjustment: AdjustmentPercent,
    cap: Option<rust_decimal::Decimal>,
) {
    let adjustment = adjustment.value();
    if let Err(reason) = AdjustmentPercent::new(adjustment, PERCENT_PLACES) {
        problems.add(
            "customer_adjustment_percent",
            format!("The customer adjustment % {reason}."),
        );
    } else if let Some(cap) = cap {
        if adjustment > cap {
            problems.add(
                "customer_adjustment_percent",
                format!(
                    "The customer adjustment % can't exceed the {cap}% discount the ISV gave you. To go above it, ask the ISV to withdraw the offer and configure an absolute partner price."
                ),
            );
        }
    }
}

/// Checks what the partner's submit to the customer needs: a valid partner part and a partner
/// that may sell multiparty offers on `today` (the reason goes under `selling_partner`).
pub fn validate_partner_submit(
    offer: &MultipartyOffer,
    partner: &PartnerProfile,
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    let mut problems: Vec<FieldError> = validate_partner_part(&offer.partner, &offer.isv)
        .err()
        .unwrap_or_default();
    if let Eligibility::NotEligible { reason } = partner.multiparty_submit(today) {
        problems.push(FieldError::new("selling_partner", reason));
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems)
    }
}

/// What the ISV may change in an upgrade at renewal (seed 002): partner pricing, the customer
/// dates, terms, contacts and the sales note.
pub const UPGRADE_ISV_FIELDS: [&str; 7] = [
    "products[].partner_pricing",
    "customer_start",
    "customer_end",
    "accept_by",
    "terms",
    "notification_contacts",
    "sales_note",
];

/// What the partner may change in an upgrade at renewal (seed 002): its whole part.
pub const UPGRADE_PARTNER_FIELDS: [&str; 5] = [
    "customer_adjustment_percent",
    "prepared_by",
    "terms",
    "notification_contacts",
    "sales_note",
];

/// Checks an upgrade at renewal made by the ISV: its dates start after the old offer ends, and
/// the ISV changed only partner pricing, dates, terms, contacts and the sales note (the partner's
/// part is the partner's to change: adjustment, prepared-by, terms, contacts, sales note).
pub fn validate_upgrade(old: &MultipartyOffer, new: &IsvPart) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    match new.customer_start {
        CustomerStart::Month(start) if start > old.isv.customer_end => {}
        _ => problems.add(
            "customer_start",
            format!(
                "An upgrade applies at renewal: its start month must come after the current offer ends on {}, so their dates do not overlap.",
                old.isv.customer_end
            ),
        ),
    }
    let unchanged = [
        ("name", old.isv.name == new.name),
        ("description", old.isv.description == new.description),
        ("customer", old.isv.customer == new.customer),
        (
            "selling_partner_seller_id",
            old.isv.selling_partner_seller_id == new.selling_partner_seller_id,
        ),
        ("renewal", old.isv.renewal == new.renewal),
        (
            "products",
            old.isv.products.len() == new.products.len()
                && old
                    .isv
                    .products
                    .iter()
                    .zip(&new.products)
                    .all(|(a, b)| same_plan_and_terms(a, b)),
        ),
    ];
    for (field, same) in unchanged {
        if !same {
            problems.add(
                field,
                "An upgrade may change only partner pricing, dates, terms and conditions, notification contacts and the sales note; create a new multiparty private offer for other changes.",
            );
        }
    }
    problems.finish(|| ())
}

/// Checks that `terms` list only PDFs `attached` to the offer already: a saved part (or an
/// upgrade, from its old offer) keeps or drops documents, and a new one is uploaded to the offer
/// itself, so that each stored PDF belongs to exactly one offer.
pub fn validate_attached_terms(
    terms: &[TermsDocument],
    attached: &[TermsDocument],
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    for (index, document) in terms.iter().enumerate() {
        if !attached
            .iter()
            .any(|known| known.file_id == document.file_id)
        {
            problems.add(
                format!("terms[{index}].file_id"),
                "Upload this terms and conditions PDF to the offer; only documents already attached to it can be listed.",
            );
        }
    }
    problems.finish(|| ())
}

/// Whether two product lines differ at most in their partner prices.
fn same_plan_and_terms(a: &ProductLine, b: &ProductLine) -> bool {
    use ProductLine as P;
    match (a, b) {
        (
            P::ExistingPlan {
                offer_id: oa,
                plan_id: pa,
                ..
            },
            P::ExistingPlan {
                offer_id: ob,
                plan_id: pb,
                ..
            },
        ) => oa == ob && pa == pb,
        (
            P::NewSaasPlan {
                template_offer_id: oa,
                template_plan_id: pa,
                name: na,
                description: da,
                pricing: ra,
                meter_prices: ma,
            },
            P::NewSaasPlan {
                template_offer_id: ob,
                template_plan_id: pb,
                name: nb,
                description: db,
                pricing: rb,
                meter_prices: mb,
            },
        ) => {
            let terms = |pricing: &NewPlanPricing| match pricing {
                NewPlanPricing::FlatRate {
                    prices,
                    included_quantities,
                } => (
                    prices.iter().map(|p| p.billing_term).collect::<Vec<_>>(),
                    included_quantities.clone(),
                    None,
                ),
                NewPlanPricing::PerUser {
                    min_users,
                    max_users,
                    prices,
                } => (
                    prices.iter().map(|p| p.billing_term).collect(),
                    Vec::new(),
                    Some((*min_users, *max_users)),
                ),
            };
            oa == ob
                && pa == pb
                && na == nb
                && da == db
                && terms(ra) == terms(rb)
                && ma
                    .iter()
                    .map(|m| &m.dimension_id)
                    .eq(mb.iter().map(|m| &m.dimension_id))
        }
        (
            P::VmReservation {
                offer_id: oa,
                plan_id: pa,
                term: ta,
                payment: ya,
                reservations: ra,
            },
            P::VmReservation {
                offer_id: ob,
                plan_id: pb,
                term: tb,
                payment: yb,
                reservations: rb,
            },
        ) => {
            oa == ob
                && pa == pb
                && ta == tb
                && ya == yb
                && ra
                    .iter()
                    .map(|r| (&r.vcpu_size, r.quantity))
                    .eq(rb.iter().map(|r| (&r.vcpu_size, r.quantity)))
        }
        _ => false,
    }
}

fn check_selling_partner(problems: &mut Problems, part: &IsvPart, selling_partner: Partner) {
    let field = "selling_partner_seller_id";
    if part.selling_partner_seller_id.trim().is_empty() {
        problems.add(
            field,
            "Add the selling partner by its marketplace seller ID.",
        );
        return;
    }
    match selling_partner {
        Partner::NotLookedUp => {}
        Partner::LookedUp(None) => problems.add(
            field,
            "No partner has this marketplace seller ID; the partner finds it under Account settings > Identifiers > Publisher.",
        ),
        Partner::LookedUp(Some(partner)) => {
            if let Eligibility::NotEligible { reason } = partner.multiparty_selection() {
                problems.add(field, reason);
            }
        }
    }
}

fn check_dates(problems: &mut Problems, part: &IsvPart, today: NaiveDate) {
    let start = match part.customer_start {
        CustomerStart::OnAcceptance => today,
        CustomerStart::Month(start) => {
            if !super::START_MONTH_DAYS.allows(start) {
                problems.add(
                    "customer_start.month",
                    "A specific start month always starts on its 1st.",
                );
            } else if start < field::first_of_month(today) {
                problems.add(
                    "customer_start.month",
                    "Choose the current or an upcoming month.",
                );
            }
            start
        }
    };
    if part.customer_end < today {
        problems.add(
            "customer_end",
            "The customer end date can't be in the past.",
        );
    } else if part.customer_end < start {
        problems.add(
            "customer_end",
            "The customer end date can't be before the start month.",
        );
    }
    if part.accept_by < today {
        problems.add("accept_by", "The accept-by date can't be in the past.");
    } else if part.accept_by > part.customer_end {
        problems.add(
            "accept_by",
            "The customer accept-by date must not be after the customer end date.",
        );
    } else if matches!(part.customer_start, CustomerStart::Month(start) if part.accept_by < start) {
        problems.add(
            "accept_by",
            "The customer does not see the offer before its start month, so the accept-by date can't be before that month.",
        );
    }
}

/// Checks `terms` (at most `max` more documents), each with a customer-facing name that is
/// unique among them and `others`.
pub(crate) fn check_terms(
    problems: &mut Problems,
    field: &str,
    terms: &[TermsDocument],
    others: &[TermsDocument],
    max: usize,
) {
    if terms.len() > max {
        problems.add(
            format!("{field}[{max}]"),
            format!(
                "A total of {MAX_TERMS_DOCUMENTS} terms and conditions documents can be uploaded between the ISV and the selling partner."
            ),
        );
    }
    let key = |document: &TermsDocument| field::fold_case(document.customer_facing_name.trim());
    let mut taken: HashSet<String> = others.iter().map(key).collect();
    for (index, document) in terms.iter().enumerate().take(max) {
        let name = document.customer_facing_name.trim();
        let path = format!("{field}[{index}].customer_facing_name");
        if name.is_empty() {
            problems.add(path, "Type in a unique customer-facing document name.");
        } else if name.chars().count() > MAX_NAME_CHARS {
            problems.add(
                path,
                format!(
                    "A customer-facing document name may have at most {MAX_NAME_CHARS} characters."
                ),
            );
        } else if !taken.insert(key(document)) {
            problems.add(path, "Each customer-facing document name must be unique.");
        }
        if document.file_id.trim().is_empty() {
            problems.add(
                format!("{field}[{index}].file_id"),
                "Attach the PDF copy of the terms and conditions.",
            );
        }
    }
}

/// Whether there are products, and not too many.
fn check_product_count(problems: &mut Problems, products: &[ProductLine]) {
    if products.is_empty() {
        problems.add("products", "Add at least one product.");
    }
    field::check_count(
        problems,
        "products",
        products.len(),
        MAX_PRODUCTS,
        "products",
    );
}

/// Every product line's checks: the lines share the first line's pricing type.
fn check_products(problems: &mut Problems, products: &[ProductLine], catalog: &Catalog) {
    let pricing_type = products
        .first()
        .map_or(PricingType::ExistingPlan, ProductLine::pricing_type);
    check_lines_of(problems, products, catalog, pricing_type, check_line);
}

/// One line's own checks, by its pricing type.
fn check_line(problems: &mut Problems, path: &str, catalog: &Catalog, line: &ProductLine) {
    match line {
        ProductLine::ExistingPlan { .. } => check_existing_line(problems, path, catalog, line),
        ProductLine::NewSaasPlan { .. } => check_new_plan(problems, path, catalog, line),
        ProductLine::VmReservation { .. } => check_reservations(problems, path, catalog, line),
    }
}

/// The checks of an offer's product lines, all of `pricing_type`: how many, their pricing type,
/// no plan twice (a new plan's template may serve several), and each line's own by `check`.
fn check_lines_of(
    problems: &mut Problems,
    products: &[ProductLine],
    catalog: &Catalog,
    pricing_type: PricingType,
    check: fn(&mut Problems, &str, &Catalog, &ProductLine),
) {
    check_product_count(problems, products);
    for (index, line) in products.iter().enumerate().take(MAX_PRODUCTS) {
        let path = format!("products[{index}]");
        if line.pricing_type() != pricing_type {
            problems.add(
                format!("{path}.pricing_type"),
                "Every product of an offer uses the offer's one pricing type.",
            );
            continue;
        }
        if products[..index]
            .iter()
            .any(|earlier| earlier.offer_and_plan() == line.offer_and_plan())
            && !matches!(line, ProductLine::NewSaasPlan { .. })
        {
            problems.add(&path, "This plan is already in the offer.");
            continue;
        }
        check(problems, &path, catalog, line);
    }
}

/// An existing plan's line: [`check_existing_plan`] of its fields.
fn check_existing_line(problems: &mut Problems, path: &str, catalog: &Catalog, line: &ProductLine) {
    if let ProductLine::ExistingPlan {
        offer_id,
        plan_id,
        partner_pricing,
    } = line
    {
        check_existing_plan(problems, path, catalog, offer_id, plan_id, partner_pricing);
    }
}

fn unknown_plan(problems: &mut Problems, path: &str) {
    problems.add(
        format!("{path}.plan_id"),
        "Choose a public, transactable plan of your catalog.",
    );
}

fn check_places(problems: &mut Problems, path: String, label: &str, price: Money, places: u32) {
    problems.check(&path, label, Money::new(price.amount(), places));
}

fn check_existing_plan(
    problems: &mut Problems,
    path: &str,
    catalog: &Catalog,
    offer_id: &str,
    plan_id: &str,
    pricing: &ExistingPlanPricing,
) {
    let Some((offer, plan)) = catalog.plan(offer_id, plan_id) else {
        return unknown_plan(problems, path);
    };
    let ExistingPlanPricing::AbsolutePrices(prices) = pricing else {
        return;
    };
    let field = format!("{path}.partner_pricing");
    if offer.offer_type == OfferType::AzureVirtualMachines {
        return problems.add(
            field,
            "Absolute pricing is supported for SaaS and Azure Applications but not for Virtual Machine offers; use a discount.",
        );
    }
    if plan.trial {
        return problems.add(
            field,
            "You can't use absolute pricing for plans that have a trial enabled. Create a new public plan without trial enabled or use discounted pricing.",
        );
    }
    let points = plan.price_points();
    let mut set = HashSet::new();
    for (index, price) in prices.iter().enumerate() {
        let at = format!("{field}.absolute_prices[{index}]");
        match points.iter().find(|p| p.id == price.price_point_id) {
            None => problems.add(
                format!("{at}.price_point_id"),
                "You can only customize the prices of the plan's own billing terms and dimensions.",
            ),
            Some(_) if !set.insert(price.price_point_id.as_str()) => {
                problems.add(format!("{at}.price_point_id"), "This price is already set.")
            }
            Some(point) => check_places(
                problems,
                format!("{at}.price"),
                "Partner price",
                price.price,
                point.kind.unit_places(CATALOG_CURRENCY),
            ),
        }
    }
    for point in &points {
        if !set.contains(point.id.as_str()) {
            problems.add(
                format!("{field}.absolute_prices"),
                format!("Enter an absolute partner price for {}.", point.id),
            );
        }
    }
}

fn check_term_prices(problems: &mut Problems, path: &str, prices: &[TermPrice]) {
    if prices.is_empty() {
        problems.add(path, "Configure a price for at least one billing term.");
    }
    let mut terms = HashSet::new();
    for (index, price) in prices.iter().enumerate() {
        if !terms.insert(price.billing_term) {
            problems.add(
                format!("{path}[{index}].billing_term"),
                "This billing term already has a price.",
            );
        }
        check_places(
            problems,
            format!("{path}[{index}].price"),
            "Price",
            price.price,
            CATALOG_CURRENCY.minor_units(),
        );
    }
}

fn check_new_plan(problems: &mut Problems, path: &str, catalog: &Catalog, line: &ProductLine) {
    let ProductLine::NewSaasPlan {
        template_offer_id,
        template_plan_id,
        name,
        description,
        pricing,
        meter_prices,
    } = line
    else {
        return;
    };
    field::check_text(problems, &format!("{path}.name"), "plan name", name, 50);
    field::check_text(
        problems,
        &format!("{path}.description"),
        "plan description",
        description,
        MAX_DESCRIPTION_CHARS,
    );
    let template = catalog.plan(template_offer_id, template_plan_id);
    let template = match template {
        Some((offer, plan)) if offer.offer_type == OfferType::Saas && plan.is_saas_template() => {
            plan
        }
        _ => {
            return problems.add(
                format!("{path}.template_plan_id"),
                "Select an existing flat-rate or per-user plan of a SaaS offer as the template.",
            )
        }
    };
    let model_matches = matches!(
        (pricing, &template.pricing),
        (
            NewPlanPricing::FlatRate { .. },
            PlanPricing::FlatRate { .. }
        ) | (NewPlanPricing::PerUser { .. }, PlanPricing::PerUser { .. })
    );
    if !model_matches {
        problems.add(
            format!("{path}.pricing.model"),
            "The new plan keeps its template's pricing model.",
        );
    }
    match pricing {
        NewPlanPricing::FlatRate {
            prices,
            included_quantities,
        } => {
            check_term_prices(problems, &format!("{path}.pricing.prices"), prices);
            let priced_terms: HashSet<_> = prices.iter().map(|p| p.billing_term).collect();
            for (index, included) in included_quantities.iter().enumerate() {
                let at = format!("{path}.pricing.included_quantities[{index}]");
                if !template
                    .meters
                    .iter()
                    .any(|m| m.id == included.dimension_id)
                {
                    problems.add(
                        format!("{at}.dimension_id"),
                        "Quantities can be included only for the template's meter dimensions.",
                    );
                }
                if !priced_terms.contains(&included.billing_term) {
                    problems.add(
                        format!("{at}.billing_term"),
                        "Include quantities only for a billing term the plan is priced for.",
                    );
                }
            }
        }
        NewPlanPricing::PerUser {
            min_users,
            max_users,
            prices,
        } => {
            check_term_prices(problems, &format!("{path}.pricing.prices"), prices);
            if *min_users < 1 {
                problems.add(
                    format!("{path}.pricing.min_users"),
                    "The minimum number of users must be at least 1.",
                );
            }
            if max_users < min_users {
                problems.add(
                    format!("{path}.pricing.max_users"),
                    "The maximum number of users can't be below the minimum.",
                );
            }
        }
    }
    for (index, meter) in meter_prices.iter().enumerate() {
        let at = format!("{path}.meter_prices[{index}]");
        if !template.meters.iter().any(|m| m.id == meter.dimension_id) {
            problems.add(
                format!("{at}.dimension_id"),
                "You can't add dimensions; price only the template's meter dimensions.",
            );
        }
        check_places(
            problems,
            format!("{at}.price_per_unit"),
            "Price per unit",
            meter.price_per_unit,
            USAGE_PLACES,
        );
    }
}

fn check_reservations(problems: &mut Problems, path: &str, catalog: &Catalog, line: &ProductLine) {
    let ProductLine::VmReservation {
        offer_id,
        plan_id,
        term,
        reservations,
        ..
    } = line
    else {
        return;
    };
    let plan = match catalog.plan(offer_id, plan_id) {
        Some((offer, plan)) if offer.offer_type == OfferType::AzureVirtualMachines => plan,
        _ => {
            return problems.add(
                format!("{path}.plan_id"),
                "Choose a public VM plan with reservation pricing enabled.",
            )
        }
    };
    if !plan.offers_reservation(*term) {
        let years = match term {
            ReservationTerm::OneYear => "1-year",
            ReservationTerm::ThreeYears => "3-year",
        };
        problems.add(
            format!("{path}.term"),
            format!("This plan has no {years} reservation pricing enabled."),
        );
    }
    if reservations.is_empty() {
        problems.add(
            format!("{path}.reservations"),
            "Add at least one reservation: vCPU size, quantity and unit price.",
        );
    }
    let sizes: Vec<&str> = match &plan.pricing {
        PlanPricing::VirtualMachine { reservation_prices } => reservation_prices
            .iter()
            .filter(|price| price.term == *term)
            .map(|price| price.vcpu_size.as_str())
            .collect(),
        _ => Vec::new(),
    };
    let mut reserved = HashSet::new();
    for (index, reservation) in reservations.iter().enumerate() {
        let at = format!("{path}.reservations[{index}]");
        if !sizes.contains(&reservation.vcpu_size.as_str()) {
            problems.add(
                format!("{at}.vcpu_size"),
                "Choose a vCPU size the plan has reservation prices for.",
            );
        } else if !reserved.insert(reservation.vcpu_size.as_str()) {
            problems.add(
                format!("{at}.vcpu_size"),
                "This vCPU size is already reserved.",
            );
        }
        if !reservation.quantity.value().fract().is_zero() {
            problems.add(
                format!("{at}.quantity"),
                "The quantity of reservations must be a whole number.",
            );
        }
        check_places(
            problems,
            format!("{at}.unit_price"),
            "Unit price",
            reservation.unit_price,
            CATALOG_CURRENCY.minor_units(),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;
    use crate::catalog::BillingTerm;
    use crate::money::Quantity;
    use crate::multiparty::tests::{date, isv_part, offer, partner_part};
    use crate::multiparty::{MeterPrice, MultipartyStatus, PointPrice, Reservation};
    use crate::party::TaxProfileCountry;
    use crate::percent::DiscountPercent;
    use crate::pricing::ReservationPayment;

    fn today() -> NaiveDate {
        date("2026-11-23")
    }

    fn us_partner(certificates: bool) -> PartnerProfile {
        PartnerProfile {
            seller_id: "seller-1".into(),
            tenant_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            aws_account_id: None,
            csp_member: true,
            regions: vec![],
            tax_profile_country: Some(TaxProfileCountry::Us),
            us_resale_certificates_on_file: certificates,
            uk_treaty_claim_expires_on: None,
        }
    }

    fn isv_problems(part: &IsvPart) -> Vec<FieldError> {
        validate_isv_part(part, &sample(), Some(&us_partner(true)), today())
            .err()
            .unwrap_or_default()
    }

    fn fields(problems: &[FieldError]) -> Vec<&str> {
        problems.iter().map(|p| p.field.as_str()).collect()
    }

    #[test]
    fn the_setup_check_is_the_full_check_but_for_the_product_lines_details() {
        let partner = us_partner(true);
        let setup = |part: &IsvPart| {
            validate_isv_setup(part, Some(&partner), today())
                .err()
                .unwrap_or_default()
        };
        let mut part = isv_part();
        assert_eq!(setup(&part), Vec::new());
        // A plan of no catalog, twice: the full check names the lines, the setup check not.
        let unknown = ProductLine::ExistingPlan {
            offer_id: "nobody".into(),
            plan_id: "nothing".into(),
            partner_pricing: ExistingPlanPricing::DiscountPercent(
                DiscountPercent::parse("10").unwrap(),
            ),
        };
        part.products = vec![unknown.clone(), unknown];
        part.name = String::new();
        assert_eq!(
            fields(&isv_problems(&part)),
            ["name", "products[0].plan_id", "products[1]"]
        );
        assert_eq!(
            setup(&part),
            isv_problems(&IsvPart {
                products: isv_part().products,
                ..part.clone()
            })
        );
        // Whether there are products at all, and how many, it checks.
        part.products = Vec::new();
        assert_eq!(fields(&setup(&part)), ["name", "products"]);
        part.products = vec![isv_part().products[0].clone(); MAX_PRODUCTS + 1];
        assert_eq!(
            fields(&setup(&part)),
            ["name", &format!("products[{MAX_PRODUCTS}]")]
        );
    }

    #[test]
    fn each_pricing_types_check_is_the_full_check_of_the_product_lines() {
        type Check = fn(&[ProductLine], &Catalog) -> Result<(), Vec<FieldError>>;
        let checks: [(Check, ProductLine); 3] = [
            (validate_existing_plans, isv_part().products[0].clone()),
            (validate_new_saas_plans, new_plan()),
            (
                validate_vm_reservations,
                reservation_line(ReservationTerm::ThreeYears, "4 vCPU", "3"),
            ),
        ];
        // What the full check finds in the product lines, and nothing of the other fields.
        let of_products = |part: &IsvPart| -> Vec<FieldError> {
            isv_problems(part)
                .into_iter()
                .filter(|problem| problem.field.starts_with("products"))
                .collect()
        };
        for (index, (check, line)) in checks.iter().enumerate() {
            let mut part = isv_part();
            part.name = String::new();
            part.products = vec![line.clone()];
            assert_eq!(check(&part.products, &sample()), Ok(()), "{index}");
            // The same plan twice, none, too many: as the full check says.
            for products in [
                vec![line.clone(), line.clone()],
                Vec::new(),
                vec![line.clone(); MAX_PRODUCTS + 1],
            ] {
                part.products = products;
                assert_eq!(
                    check(&part.products, &sample()).err().unwrap_or_default(),
                    of_products(&part),
                    "{index}: {:?}",
                    part.products.len()
                );
            }
            // A line of another pricing type is refused, whichever comes first.
            let other = checks[(index + 1) % checks.len()].1.clone();
            let problems = check(&[line.clone(), other.clone()], &sample()).unwrap_err();
            assert_eq!(fields(&problems), ["products[1].pricing_type"], "{index}");
            let problems = check(&[other], &sample()).unwrap_err();
            assert_eq!(fields(&problems), ["products[0].pricing_type"], "{index}");
        }
        // A line's own problems, as the full check names them.
        let mut part = isv_part();
        part.products = vec![reservation_line(
            ReservationTerm::ThreeYears,
            "64 vCPU",
            "1",
        )];
        let problems = validate_vm_reservations(&part.products, &sample()).unwrap_err();
        assert!(!problems.is_empty());
        assert_eq!(problems, of_products(&part));
    }

    #[test]
    fn the_terms_check_is_the_setup_check_but_for_the_partner_behind_the_seller_id() {
        let terms_check =
            |part: &IsvPart| validate_isv_terms(part, today()).err().unwrap_or_default();
        let mut part = isv_part();
        assert_eq!(terms_check(&part), Vec::new());
        // An unknown seller ID and a plan of no catalog: left to the pages that edit them.
        part.selling_partner_seller_id = "nobody".into();
        part.products = vec![ProductLine::ExistingPlan {
            offer_id: "nobody".into(),
            plan_id: "nothing".into(),
            partner_pricing: ExistingPlanPricing::DiscountPercent(
                DiscountPercent::parse("10").unwrap(),
            ),
        }];
        assert_eq!(terms_check(&part), Vec::new());
        // Its own fields it checks as the setup check does: an accept-by date in the past.
        part.accept_by = today().pred_opt().unwrap();
        assert_eq!(fields(&terms_check(&part)), ["accept_by"]);
        assert_eq!(
            terms_check(&part),
            validate_isv_setup(
                &IsvPart {
                    selling_partner_seller_id: "seller-1".into(),
                    ..part.clone()
                },
                Some(&us_partner(true)),
                today()
            )
            .err()
            .unwrap_or_default()
        );
        // Whether a seller ID is given, and whether there are products, it checks.
        part.selling_partner_seller_id = " ".into();
        part.products = Vec::new();
        assert_eq!(
            fields(&terms_check(&part)),
            ["selling_partner_seller_id", "products", "accept_by"]
        );
    }

    fn terms(prefix: &str, count: usize) -> Vec<TermsDocument> {
        (0..count)
            .map(|i| TermsDocument {
                customer_facing_name: format!("{prefix} {i}"),
                file_id: format!("{prefix}-{i}"),
            })
            .collect()
    }

    fn contacts(count: usize) -> Vec<String> {
        (0..count).map(|i| format!("c{i}@example.com")).collect()
    }

    fn new_plan() -> ProductLine {
        ProductLine::NewSaasPlan {
            template_offer_id: "contoso-saas".into(),
            template_plan_id: "pro".into(),
            name: "Pro for Fabrikam".into(),
            description: "Pro with 5,000 calls included".into(),
            pricing: NewPlanPricing::FlatRate {
                prices: vec![TermPrice {
                    billing_term: BillingTerm::OneMonth,
                    price: Money::parse("80.00", 2).unwrap(),
                }],
                included_quantities: vec![crate::catalog::IncludedQuantity {
                    dimension_id: "api-calls".into(),
                    billing_term: BillingTerm::OneMonth,
                    quantity: Quantity::whole(5000).unwrap(),
                }],
            },
            meter_prices: vec![MeterPrice {
                dimension_id: "api-calls".into(),
                price_per_unit: Money::parse("0.0012", 8).unwrap(),
            }],
        }
    }

    fn reservation_line(term: ReservationTerm, size: &str, quantity: &str) -> ProductLine {
        ProductLine::VmReservation {
            offer_id: "contoso-vm".into(),
            plan_id: "fw".into(),
            term,
            payment: ReservationPayment::Monthly,
            reservations: vec![Reservation {
                vcpu_size: size.into(),
                quantity: Quantity::parse(quantity).unwrap(),
                unit_price: Money::parse("95.00", 2).unwrap(),
            }],
        }
    }

    #[test]
    fn the_sample_parts_are_valid() {
        assert_eq!(isv_problems(&isv_part()), vec![]);
        assert_eq!(validate_partner_part(&partner_part(), &isv_part()), Ok(()));
        let mut part = isv_part();
        part.products = vec![new_plan()];
        assert_eq!(isv_problems(&part), vec![]);
        part.products = vec![reservation_line(ReservationTerm::ThreeYears, "4 vCPU", "3")];
        assert_eq!(isv_problems(&part), vec![]);
    }

    #[test]
    fn at_most_ten_products_and_at_least_one() {
        for (count, ok) in [(9, true), (10, true), (11, false)] {
            let mut part = isv_part();
            part.products = vec![new_plan(); count];
            let problems = isv_problems(&part);
            assert_eq!(problems.is_empty(), ok, "{count}: {problems:?}");
            if !ok {
                assert_eq!(fields(&problems), ["products[10]"]);
            }
        }
        let mut part = isv_part();
        part.products.clear();
        assert_eq!(fields(&isv_problems(&part)), ["products"]);
    }

    #[test]
    fn huge_lists_inside_a_product_are_read_in_linear_time() {
        let mut part = isv_part();
        part.products = vec![reservation_line(ReservationTerm::OneYear, "4 vCPU", "1")];
        if let ProductLine::VmReservation { reservations, .. } = &mut part.products[0] {
            let one = reservations[0].clone();
            *reservations = vec![one; 200_000];
        }
        part.terms = terms("ISV", 100_000);
        let problems = isv_problems(&part);
        assert_eq!(
            problems.len(),
            200_000,
            "one duplicate per repeated size, one terms count"
        );
        assert_eq!(problems.last().unwrap().field, "terms[5]");
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let mut part = isv_part();
        part.name = String::new();
        part.customer.country = "FR".into();
        part.notification_contacts = contacts(6);
        part.sales_note = "x".repeat(61);
        part.accept_by = part.customer_end.succ_opt().unwrap();
        assert_eq!(
            fields(&isv_problems(&part)),
            [
                "name",
                "customer.country",
                "accept_by",
                "notification_contacts[5]",
                "sales_note"
            ]
        );
    }

    #[test]
    fn isv_contacts_and_sales_note_have_limits() {
        for (count, ok) in [(4, true), (5, true), (6, false)] {
            let mut part = isv_part();
            part.notification_contacts = contacts(count);
            assert_eq!(isv_problems(&part).is_empty(), ok, "{count}");
        }
        for (length, ok) in [(59, true), (60, true), (61, false)] {
            let mut part = isv_part();
            part.sales_note = "n".repeat(length);
            assert_eq!(isv_problems(&part).is_empty(), ok, "{length}");
        }
        let mut part = isv_part();
        part.sales_note = "Renewal, ask jo@fabrikam.com".into();
        assert!(isv_problems(&part)[0].message.contains("email addresses"));
    }

    #[test]
    fn customers_are_in_the_us_the_uk_or_canada() {
        for (country, ok) in [
            ("US", true),
            ("GB", true),
            ("CA", true),
            ("FR", false),
            ("", false),
        ] {
            let mut part = isv_part();
            part.customer.country = country.into();
            assert_eq!(isv_problems(&part).is_empty(), ok, "{country}");
        }
    }

    #[test]
    fn the_selling_partner_needs_a_us_or_uk_tax_profile() {
        let part = isv_part();
        let mut partner = us_partner(false);
        assert_eq!(
            validate_isv_part(&part, &sample(), Some(&partner), today()),
            Ok(())
        );
        partner.tax_profile_country = Some(TaxProfileCountry::Uk);
        assert_eq!(
            validate_isv_part(&part, &sample(), Some(&partner), today()),
            Ok(())
        );
        for country in [Some(TaxProfileCountry::Other), None] {
            partner.tax_profile_country = country;
            let problems =
                validate_isv_part(&part, &sample(), Some(&partner), today()).unwrap_err();
            assert_eq!(fields(&problems), ["selling_partner_seller_id"]);
            assert!(problems[0].message.contains("US or UK tax profile"));
        }
        let problems = validate_isv_part(&part, &sample(), None, today()).unwrap_err();
        assert_eq!(fields(&problems), ["selling_partner_seller_id"]);
    }

    #[test]
    fn dates_start_on_the_first_and_accept_by_is_not_after_the_end() {
        let month = |text| CustomerStart::Month(date(text));
        #[rustfmt::skip]
        let cases = [
            (month("2027-01-01"), "2027-12-31", "2027-12-30", vec![]),
            (month("2027-01-01"), "2027-12-31", "2027-12-31", vec![]),
            (month("2027-01-01"), "2027-12-31", "2028-01-01", vec!["accept_by"]),
            (month("2027-01-02"), "2027-12-31", "2027-12-01", vec!["customer_start.month"]),
            (month("2026-11-01"), "2027-12-31", "2027-12-01", vec![]),
            (month("2026-10-01"), "2027-12-31", "2027-12-01", vec!["customer_start.month"]),
            (month("2027-02-01"), "2027-01-31", "2027-01-01", vec!["customer_end", "accept_by"]),
            (month("2027-02-01"), "2027-12-31", "2027-01-31", vec!["accept_by"]),
            (month("2027-02-01"), "2027-12-31", "2027-02-01", vec![]),
            (CustomerStart::OnAcceptance, "2026-11-23", "2026-11-23", vec![]),
            (CustomerStart::OnAcceptance, "2026-11-22", "2026-11-22", vec!["customer_end", "accept_by"]),
        ];
        for (start, end, accept_by, expected) in cases {
            let mut part = isv_part();
            part.customer_start = start;
            part.customer_end = date(end);
            part.accept_by = date(accept_by);
            assert_eq!(
                fields(&isv_problems(&part)),
                expected,
                "{start:?} {end} {accept_by}"
            );
        }
    }

    #[test]
    fn absolute_prices_are_refused_for_vm_offers_and_trial_plans() {
        let absolute = |offer: &str, plan: &str, point: &str| ProductLine::ExistingPlan {
            offer_id: offer.into(),
            plan_id: plan.into(),
            partner_pricing: ExistingPlanPricing::AbsolutePrices(vec![PointPrice {
                price_point_id: point.into(),
                price: Money::parse("10.00", 2).unwrap(),
            }]),
        };
        let discount = |offer: &str, plan: &str| ProductLine::ExistingPlan {
            offer_id: offer.into(),
            plan_id: plan.into(),
            partner_pricing: ExistingPlanPricing::DiscountPercent(
                DiscountPercent::parse("15").unwrap(),
            ),
        };
        let cases = [
            (
                absolute("contoso-vm", "fw", "reservation:4 vCPU:one_year"),
                "Virtual Machine",
            ),
            (
                absolute("contoso-saas", "starter", "flat:one_month"),
                "trial enabled",
            ),
        ];
        for (line, reason) in cases {
            let mut part = isv_part();
            part.products = vec![line];
            let problems = isv_problems(&part);
            assert_eq!(fields(&problems), ["products[0].partner_pricing"]);
            assert!(problems[0].message.contains(reason));
        }
        let mut part = isv_part();
        part.products = vec![
            discount("contoso-vm", "fw"),
            discount("contoso-saas", "starter"),
        ];
        assert_eq!(isv_problems(&part), vec![]);
        part.products = vec![absolute("contoso-app", "std", "flat:one_month")];
        assert_eq!(isv_problems(&part), vec![]);
    }

    #[test]
    fn absolute_prices_cover_the_plan_with_its_places() {
        let line = |prices: Vec<(&str, &str)>| ProductLine::ExistingPlan {
            offer_id: "contoso-saas".into(),
            plan_id: "pro".into(),
            partner_pricing: ExistingPlanPricing::AbsolutePrices(
                prices
                    .into_iter()
                    .map(|(id, price)| PointPrice {
                        price_point_id: id.into(),
                        price: Money::parse(price, 28).unwrap(),
                    })
                    .collect(),
            ),
        };
        let all = |month: &'static str, meter: &'static str| {
            vec![
                ("flat:one_month", month),
                ("flat:one_year", "990"),
                ("meter:api-calls", meter),
            ]
        };
        let cases = [
            (all("90.00", "0.00120000"), vec![]),
            (
                all("90.001", "0.001"),
                vec!["products[0].partner_pricing.absolute_prices[0].price"],
            ),
            (
                all("90", "0.000000001"),
                vec!["products[0].partner_pricing.absolute_prices[2].price"],
            ),
            (
                vec![("flat:one_month", "90")],
                vec![
                    "products[0].partner_pricing.absolute_prices",
                    "products[0].partner_pricing.absolute_prices",
                ],
            ),
        ];
        for (prices, expected) in cases {
            let mut part = isv_part();
            part.products = vec![line(prices)];
            assert_eq!(fields(&isv_problems(&part)), expected);
        }
        let mut part = isv_part();
        part.products = vec![line(vec![("flat:weekly", "1")])];
        assert!(fields(&isv_problems(&part))
            .contains(&"products[0].partner_pricing.absolute_prices[0].price_point_id"));
    }

    #[test]
    fn products_share_one_pricing_type_and_plans_appear_once() {
        let mut part = isv_part();
        part.products.push(new_plan());
        assert_eq!(fields(&isv_problems(&part)), ["products[2].pricing_type"]);
        let mut part = isv_part();
        part.products.push(part.products[0].clone());
        assert_eq!(fields(&isv_problems(&part)), ["products[2]"]);
        let mut part = isv_part();
        part.products = vec![ProductLine::ExistingPlan {
            offer_id: "contoso-saas".into(),
            plan_id: "nope".into(),
            partner_pricing: ExistingPlanPricing::DiscountPercent(
                DiscountPercent::parse("1").unwrap(),
            ),
        }];
        assert_eq!(fields(&isv_problems(&part)), ["products[0].plan_id"]);
    }

    #[test]
    fn new_saas_plans_follow_their_template() {
        let per_user = |min, max| ProductLine::NewSaasPlan {
            template_offer_id: "contoso-saas".into(),
            template_plan_id: "team".into(),
            name: "Team 50".into(),
            description: "Up to 50 users".into(),
            pricing: NewPlanPricing::PerUser {
                min_users: min,
                max_users: max,
                prices: vec![TermPrice {
                    billing_term: BillingTerm::OneMonth,
                    price: Money::parse("10", 2).unwrap(),
                }],
            },
            meter_prices: vec![],
        };
        for (min, max, expected) in [
            (1, 1, vec![]),
            (10, 50, vec![]),
            (0, 5, vec!["products[0].pricing.min_users"]),
            (6, 5, vec!["products[0].pricing.max_users"]),
        ] {
            let mut part = isv_part();
            part.products = vec![per_user(min, max)];
            assert_eq!(fields(&isv_problems(&part)), expected, "{min}-{max}");
        }
        let mut line = new_plan();
        if let ProductLine::NewSaasPlan {
            name,
            description,
            meter_prices,
            template_plan_id,
            ..
        } = &mut line
        {
            name.clear();
            description.clear();
            meter_prices[0].dimension_id = "storage".into();
            meter_prices[0].price_per_unit = Money::parse("0.000000001", 28).unwrap();
            *template_plan_id = "pro".into();
        }
        let mut part = isv_part();
        part.products = vec![line];
        assert_eq!(
            fields(&isv_problems(&part)),
            [
                "products[0].name",
                "products[0].description",
                "products[0].meter_prices[0].dimension_id",
                "products[0].meter_prices[0].price_per_unit"
            ]
        );
        let mut part = isv_part();
        part.products = vec![per_user(1, 2)];
        if let ProductLine::NewSaasPlan {
            template_plan_id, ..
        } = &mut part.products[0]
        {
            *template_plan_id = "pro".into();
        }
        assert_eq!(fields(&isv_problems(&part)), ["products[0].pricing.model"]);
    }

    #[test]
    fn vm_reservations_need_enabled_terms_known_sizes_and_whole_quantities() {
        let cases = [
            (
                reservation_line(ReservationTerm::OneYear, "4 vCPU", "1"),
                vec![],
            ),
            (
                reservation_line(ReservationTerm::OneYear, "8 vCPU", "1"),
                vec!["products[0].reservations[0].vcpu_size"],
            ),
            (
                reservation_line(ReservationTerm::OneYear, "4 vCPU", "1.5"),
                vec!["products[0].reservations[0].quantity"],
            ),
        ];
        for (line, expected) in cases {
            let mut part = isv_part();
            part.products = vec![line];
            assert_eq!(fields(&isv_problems(&part)), expected);
        }
        let mut part = isv_part();
        part.products = vec![reservation_line(ReservationTerm::OneYear, "4 vCPU", "1")];
        if let ProductLine::VmReservation {
            plan_id, offer_id, ..
        } = &mut part.products[0]
        {
            *offer_id = "contoso-saas".into();
            *plan_id = "pro".into();
        }
        assert_eq!(fields(&isv_problems(&part)), ["products[0].plan_id"]);
    }

    #[test]
    fn terms_are_at_most_five_in_total_with_unique_names() {
        for (count, ok) in [(4, true), (5, true), (6, false)] {
            let mut part = isv_part();
            part.terms = terms("ISV", count);
            let problems = isv_problems(&part);
            assert_eq!(problems.is_empty(), ok, "{count}");
            if !ok {
                assert_eq!(fields(&problems), ["terms[5]"]);
            }
        }
        for (count, ok) in [(2, true), (3, true), (4, false)] {
            let mut isv = isv_part();
            isv.terms = terms("ISV", 2);
            let mut partner = partner_part();
            partner.terms = terms("Partner", count);
            let result = validate_partner_part(&partner, &isv);
            assert_eq!(result.is_ok(), ok, "{count}");
            if !ok {
                assert_eq!(fields(&result.unwrap_err()), ["terms[3]"]);
            }
        }
        let mut partner = partner_part();
        partner.terms[0].customer_facing_name = "contoso eula".into();
        let problems = validate_partner_part(&partner, &isv_part()).unwrap_err();
        assert_eq!(fields(&problems), ["terms[0].customer_facing_name"]);
        let mut isv = isv_part();
        isv.terms = vec![isv.terms[0].clone(), isv.terms[0].clone()];
        isv.terms[1].customer_facing_name = String::new();
        assert_eq!(
            fields(&isv_problems(&isv)),
            ["terms[1].customer_facing_name"]
        );
    }

    #[test]
    fn the_adjustment_has_eight_places_and_the_smallest_discount_as_cap() {
        let cases = [
            ("0", true),
            ("9.99999999", true),
            ("10", true),
            ("10.00000001", false),
            ("1.123456789", false),
        ];
        for (adjustment, ok) in cases {
            let mut partner = partner_part();
            partner.customer_adjustment_percent = AdjustmentPercent::parse(adjustment, 9).unwrap();
            let result = validate_partner_part(&partner, &isv_part());
            assert_eq!(result.is_ok(), ok, "{adjustment}");
            if let Err(problems) = result {
                assert_eq!(fields(&problems), ["customer_adjustment_percent"]);
            }
        }
        let mut isv = isv_part();
        isv.products = vec![new_plan()];
        let mut partner = partner_part();
        partner.customer_adjustment_percent = AdjustmentPercent::parse("250", 8).unwrap();
        assert_eq!(validate_partner_part(&partner, &isv), Ok(()));
    }

    #[test]
    fn the_partner_part_needs_a_prepared_by_email_and_limits_its_lists() {
        for (prepared_by, ok) in [
            ("rep@adatum.com", true),
            ("", false),
            ("rep at adatum", false),
        ] {
            let mut partner = partner_part();
            partner.prepared_by = prepared_by.into();
            assert_eq!(validate_partner_part(&partner, &isv_part()).is_ok(), ok);
        }
        for (count, ok) in [(4, true), (5, true), (6, false)] {
            let mut partner = partner_part();
            partner.notification_contacts = contacts(count);
            assert_eq!(validate_partner_part(&partner, &isv_part()).is_ok(), ok);
        }
        for (length, ok) in [(59, true), (60, true), (61, false)] {
            let mut partner = partner_part();
            partner.sales_note = "p".repeat(length);
            assert_eq!(validate_partner_part(&partner, &isv_part()).is_ok(), ok);
        }
    }

    #[test]
    fn the_partner_submit_is_refused_until_it_is_eligible() {
        let offer = offer(MultipartyStatus::PendingPartnerAction);
        let problems = validate_partner_submit(&offer, &us_partner(false), today()).unwrap_err();
        assert_eq!(fields(&problems), ["selling_partner"]);
        assert!(problems[0].message.contains("resale certificates"));
        assert_eq!(
            validate_partner_submit(&offer, &us_partner(true), today()),
            Ok(())
        );
    }

    #[test]
    fn an_upgrade_starts_after_the_old_offer_and_changes_only_what_it_may() {
        let old = offer(MultipartyStatus::Accepted);
        let renewal = |start: &str| IsvPart {
            customer_start: CustomerStart::Month(date(start)),
            customer_end: date("2028-12-31"),
            accept_by: date("2028-01-15"),
            ..old.isv.clone()
        };
        assert_eq!(validate_upgrade(&old, &renewal("2028-01-01")), Ok(()));
        for start in ["2027-12-01", "2027-06-01"] {
            assert_eq!(
                fields(&validate_upgrade(&old, &renewal(start)).unwrap_err()),
                ["customer_start"]
            );
        }
        let mut on_acceptance = renewal("2028-01-01");
        on_acceptance.customer_start = CustomerStart::OnAcceptance;
        assert!(validate_upgrade(&old, &on_acceptance).is_err());

        let mut repriced = renewal("2028-01-01");
        repriced.products[0] = ProductLine::ExistingPlan {
            offer_id: "contoso-saas".into(),
            plan_id: "pro".into(),
            partner_pricing: ExistingPlanPricing::DiscountPercent(
                DiscountPercent::parse("20").unwrap(),
            ),
        };
        repriced.terms.clear();
        repriced.notification_contacts = contacts(2);
        repriced.sales_note = "Renewal".into();
        assert_eq!(validate_upgrade(&old, &repriced), Ok(()));

        let mut changed = renewal("2028-01-01");
        changed.name = "Other".into();
        changed.customer.billing_account_id = "other".into();
        changed.selling_partner_seller_id = "seller-2".into();
        changed.products.pop();
        assert_eq!(
            fields(&validate_upgrade(&old, &changed).unwrap_err()),
            ["name", "customer", "selling_partner_seller_id", "products"]
        );
    }

    #[test]
    fn a_part_lists_only_the_terms_pdfs_attached_to_its_offer() {
        let attached = terms("ISV", 3);
        // Keeping some, in any order, and dropping others is fine; nothing attached: none.
        let kept = vec![attached[2].clone(), attached[0].clone()];
        assert!(validate_attached_terms(&kept, &attached).is_ok());
        assert!(validate_attached_terms(&[], &[]).is_ok());
        let mut listed = kept.clone();
        listed.push(terms("Other", 1).remove(0));
        listed[0].file_id = "pdf_elsewhere".into();
        assert_eq!(
            fields(&validate_attached_terms(&listed, &attached).unwrap_err()),
            ["terms[0].file_id", "terms[2].file_id"]
        );
        assert_eq!(
            fields(&validate_attached_terms(&kept, &[]).unwrap_err()),
            ["terms[0].file_id", "terms[1].file_id"]
        );
    }
}
