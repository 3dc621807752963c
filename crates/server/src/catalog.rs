//! Reading an ISV's catalog file: its JSON shape is core's [`Catalog`]; these checks of what a
//! valid catalog holds are the server's until core has its own (they belong there: the page
//! will want them for a catalog editor).

use std::collections::HashSet;

use offerdesk_core::catalog::{
    Catalog, IncludedQuantity, MeterDimension, OfferType, Plan, PlanPricing, PublicOffer,
    ReservationPrice, TermPrice, CATALOG_CURRENCY,
};
use offerdesk_core::money::{Money, PriceKind};
use offerdesk_core::{field, FieldError, Problems};
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

/// Most offers in one catalog file.
pub const MAX_OFFERS: usize = 100;
/// Most plans in one offer.
pub const MAX_PLANS: usize = 100;
/// Most characters of an offer, plan or meter ID (as the marketplace allows).
pub const MAX_ID_CHARS: usize = 50;

/// Reads a catalog file: its shape (422 at each path that does not fit), then its content.
pub fn parse_catalog(body: Value) -> Result<Catalog, Vec<FieldError>> {
    let catalog: Catalog = match deserialize_at("", &body) {
        Ok(catalog) => catalog,
        Err(first) => {
            let mut errors = Vec::new();
            shape_errors(&body, &mut errors);
            return Err(if errors.is_empty() {
                vec![first]
            } else {
                errors
            });
        }
    };
    validate_catalog(&catalog)?;
    Ok(catalog)
}

/// `value` read as `T`, or the problem at its JSON path under `at`.
pub(crate) fn deserialize_at<T: DeserializeOwned>(
    at: &str,
    value: &Value,
) -> Result<T, FieldError> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        let field = match (at, path.as_str()) {
            (at, ".") => at.to_owned(),
            ("", path) => path.to_owned(),
            (at, path) if path.starts_with('[') => format!("{at}{path}"),
            (at, path) => format!("{at}.{path}"),
        };
        FieldError::new(field, sentence(&error.into_inner().to_string()))
    })
}

/// Records the problem of `value` read as `T`, if any.
fn check_shape<T: DeserializeOwned>(at: &str, value: &Value, errors: &mut Vec<FieldError>) {
    if let Err(error) = deserialize_at::<T>(at, value) {
        errors.push(error);
    }
}

/// Records the problem of each element of the list `value`, read as `T`.
fn check_each<T: DeserializeOwned>(at: &str, value: &Value, errors: &mut Vec<FieldError>) {
    match value.as_array() {
        Some(items) => {
            for (index, item) in items.iter().enumerate() {
                check_shape::<T>(&format!("{at}[{index}]"), item, errors);
            }
        }
        None => check_shape::<Vec<T>>(at, value, errors),
    }
}

/// `value` with the fields `names` replaced by `stand_ins`, so that the rest can be read alone.
fn without(value: &Value, stand_ins: &[(&str, Value)]) -> Value {
    let mut head = value.clone();
    if let Some(object) = head.as_object_mut() {
        for (name, stand_in) in stand_ins {
            if object.contains_key(*name) {
                object.insert((*name).to_owned(), stand_in.clone());
            }
        }
    }
    head
}

/// Every shape problem of a catalog file: each offer, plan, price and meter read on its own,
/// so one mistake does not hide the next.
fn shape_errors(body: &Value, errors: &mut Vec<FieldError>) {
    let Some(offers) = body.get("offers").filter(|offers| offers.is_array()) else {
        check_shape::<Catalog>("", body, errors);
        return;
    };
    for (index, offer) in offers.as_array().into_iter().flatten().enumerate() {
        let at = format!("offers[{index}]");
        check_shape::<PublicOffer>(&at, &without(offer, &[("plans", json!([]))]), errors);
        let Some(plans) = offer.get("plans").and_then(Value::as_array) else {
            continue;
        };
        for (plan_index, plan) in plans.iter().enumerate() {
            let at = format!("{at}.plans[{plan_index}]");
            let stand_ins = [
                ("pricing", json!({ "model": "per_user", "prices": [] })),
                ("meters", json!([])),
            ];
            check_shape::<Plan>(&at, &without(plan, &stand_ins), errors);
            if let Some(pricing) = plan.get("pricing") {
                pricing_errors(pricing, &format!("{at}.pricing"), errors);
            }
            if let Some(meters) = plan.get("meters") {
                check_each::<MeterDimension>(&format!("{at}.meters"), meters, errors);
            }
        }
    }
}

/// The problems inside a plan's pricing, by its model's fields (the `model` tag hides the path
/// inside it from serde).
fn pricing_errors(pricing: &Value, at: &str, errors: &mut Vec<FieldError>) {
    let fields: &[&str] = match pricing.get("model").and_then(Value::as_str) {
        Some("flat_rate") => &["prices", "included_quantities"],
        Some("per_user") => &["prices"],
        Some("virtual_machine") => &["reservation_prices"],
        _ => {
            errors.push(FieldError::new(
                format!("{at}.model"),
                "Give the pricing model: flat_rate, per_user or virtual_machine.",
            ));
            return;
        }
    };
    for name in fields {
        let at = format!("{at}.{name}");
        let Some(value) = pricing.get(*name) else {
            errors.push(FieldError::new(at, format!("Missing field `{name}`.")));
            continue;
        };
        match *name {
            "prices" => check_each::<TermPrice>(&at, value, errors),
            "included_quantities" => check_each::<IncludedQuantity>(&at, value, errors),
            _ => check_each::<ReservationPrice>(&at, value, errors),
        }
    }
}

/// A serde or pricing message as a sentence; core's pricing reasons complete a sentence
/// ("may not be negative"), so they get a subject.
fn sentence(text: &str) -> String {
    let first_word = text.split(' ').next().unwrap_or_default();
    let text = if ["may", "must", "has", "is", "cannot"].contains(&first_word) {
        format!("This value {text}")
    } else {
        text.to_owned()
    };
    let mut chars = text.chars();
    let first = chars.next().map(|c| c.to_uppercase().to_string());
    let mut text = first.unwrap_or_default() + chars.as_str();
    if !text.ends_with('.') {
        text.push('.');
    }
    text
}

/// Checks everything a catalog holds: IDs (lowercase letters, digits, `-`, `_`) unique where
/// they must be, names, plans that fit their offer type, list prices above 0 in USD (cents for
/// flat and per-user prices, 8 places per meter unit), included quantities of the plan's own
/// meters and billing terms.
pub fn validate_catalog(catalog: &Catalog) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    if catalog.offers.is_empty() {
        problems.add("offers", "A catalog needs at least one offer.");
    }
    field::check_count(
        &mut problems,
        "offers",
        catalog.offers.len(),
        MAX_OFFERS,
        "offers",
    );
    let mut offer_ids = HashSet::new();
    for (index, offer) in catalog.offers.iter().enumerate().take(MAX_OFFERS) {
        let at = format!("offers[{index}]");
        check_id(&mut problems, &format!("{at}.id"), "offer ID", &offer.id);
        if !offer_ids.insert(offer.id.as_str()) {
            problems.add(format!("{at}.id"), "Another offer has this ID.");
        }
        field::check_text(
            &mut problems,
            &format!("{at}.name"),
            "offer name",
            &offer.name,
            field::MAX_NAME_CHARS,
        );
        if offer.plans.is_empty() {
            problems.add(format!("{at}.plans"), "An offer needs at least one plan.");
        }
        field::check_count(
            &mut problems,
            &format!("{at}.plans"),
            offer.plans.len(),
            MAX_PLANS,
            "plans",
        );
        let mut plan_ids = HashSet::new();
        for (plan_index, plan) in offer.plans.iter().enumerate().take(MAX_PLANS) {
            let at = format!("{at}.plans[{plan_index}]");
            if !plan_ids.insert(plan.id.as_str()) {
                problems.add(
                    format!("{at}.id"),
                    "Another plan of this offer has this ID.",
                );
            }
            check_plan(&mut problems, &at, offer.offer_type, plan);
        }
    }
    problems.finish(|| ())
}

fn check_id(problems: &mut Problems, at: &str, label: &str, id: &str) {
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_';
    if id.is_empty() {
        problems.add(at, format!("Enter an {label}."));
    } else if id.chars().count() > MAX_ID_CHARS || !id.chars().all(allowed) {
        problems.add(
            at,
            format!(
                "An {label} has 1 to {MAX_ID_CHARS} lowercase letters, digits, hyphens or underscores."
            ),
        );
    }
}

fn check_plan(problems: &mut Problems, at: &str, offer_type: OfferType, plan: &Plan) {
    check_id(problems, &format!("{at}.id"), "plan ID", &plan.id);
    field::check_text(
        problems,
        &format!("{at}.name"),
        "plan name",
        &plan.name,
        field::MAX_NAME_CHARS,
    );
    let is_vm_plan = matches!(plan.pricing, PlanPricing::VirtualMachine { .. });
    let is_vm_offer = offer_type == OfferType::AzureVirtualMachines;
    if is_vm_plan != is_vm_offer {
        problems.add(
            format!("{at}.pricing.model"),
            if is_vm_offer {
                "A Virtual Machine offer's plans are priced as virtual_machine reservations."
            } else {
                "Only a Virtual Machine offer has virtual_machine plans."
            },
        );
    }
    match &plan.pricing {
        PlanPricing::FlatRate {
            prices,
            included_quantities,
        } => {
            check_term_prices(problems, &format!("{at}.pricing.prices"), prices);
            let mut seen = HashSet::new();
            for (index, included) in included_quantities.iter().enumerate() {
                let at = format!("{at}.pricing.included_quantities[{index}]");
                if !plan
                    .meters
                    .iter()
                    .any(|meter| meter.id == included.dimension_id)
                {
                    problems.add(
                        format!("{at}.dimension_id"),
                        "Name one of this plan's meter dimensions.",
                    );
                }
                if !prices
                    .iter()
                    .any(|price| price.billing_term == included.billing_term)
                {
                    problems.add(
                        format!("{at}.billing_term"),
                        "Name a billing term this plan has a price for.",
                    );
                }
                if !seen.insert((included.dimension_id.as_str(), included.billing_term)) {
                    problems.add(
                        at,
                        "This dimension already has an included quantity for this billing term.",
                    );
                }
            }
        }
        PlanPricing::PerUser { prices } => {
            check_term_prices(problems, &format!("{at}.pricing.prices"), prices)
        }
        PlanPricing::VirtualMachine { reservation_prices } => {
            let at = format!("{at}.pricing.reservation_prices");
            if reservation_prices.is_empty() {
                problems.add(&at, "A VM plan needs at least one reservation price.");
            }
            let mut seen = HashSet::new();
            for (index, price) in reservation_prices.iter().enumerate() {
                let at = format!("{at}[{index}]");
                field::check_text(
                    problems,
                    &format!("{at}.vcpu_size"),
                    "vCPU size",
                    &price.vcpu_size,
                    MAX_ID_CHARS,
                );
                if !seen.insert((price.vcpu_size.as_str(), price.term)) {
                    problems.add(
                        &at,
                        "This vCPU size already has a reservation price for this term.",
                    );
                }
                check_list_price(
                    problems,
                    &format!("{at}.price"),
                    price.price,
                    PriceKind::Flat,
                );
            }
        }
    }
    if is_vm_plan && !plan.meters.is_empty() {
        problems.add(
            format!("{at}.meters"),
            "A VM plan has no custom meter dimensions.",
        );
    }
    let mut meter_ids = HashSet::new();
    for (index, meter) in plan.meters.iter().enumerate() {
        check_meter(problems, &format!("{at}.meters[{index}]"), meter);
        if !meter_ids.insert(meter.id.as_str()) {
            problems.add(
                format!("{at}.meters[{index}].id"),
                "Another meter of this plan has this ID.",
            );
        }
    }
}

fn check_term_prices(problems: &mut Problems, at: &str, prices: &[TermPrice]) {
    if prices.is_empty() {
        problems.add(at, "A plan needs a price for at least one billing term.");
    }
    let mut terms = HashSet::new();
    for (index, price) in prices.iter().enumerate() {
        if !terms.insert(price.billing_term) {
            problems.add(
                format!("{at}[{index}].billing_term"),
                "This billing term already has a price.",
            );
        }
        check_list_price(
            problems,
            &format!("{at}[{index}].price"),
            price.price,
            PriceKind::Flat,
        );
    }
}

fn check_meter(problems: &mut Problems, at: &str, meter: &MeterDimension) {
    check_id(
        problems,
        &format!("{at}.id"),
        "meter dimension ID",
        &meter.id,
    );
    field::check_text(
        problems,
        &format!("{at}.unit"),
        "unit",
        &meter.unit,
        field::MAX_NAME_CHARS,
    );
    check_list_price(
        problems,
        &format!("{at}.price_per_unit"),
        meter.price_per_unit,
        PriceKind::Usage,
    );
}

fn check_list_price(problems: &mut Problems, at: &str, price: Money, kind: PriceKind) {
    let max = kind.unit_places(CATALOG_CURRENCY);
    problems.check(
        at,
        "A list price",
        Money::positive(price.amount(), max).map(|_| ()),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn file() -> Value {
        json!({ "offers": [ {
            "id": "analytics", "name": "Analytics", "offer_type": "saas", "cloud_reseller": true,
            "plans": [ {
                "id": "pro", "name": "Pro", "trial": false,
                "pricing": { "model": "flat_rate",
                    "prices": [ { "billing_term": "one_month", "price": "100.00" } ],
                    "included_quantities": [
                        { "dimension_id": "api-calls", "billing_term": "one_month", "quantity": "1000" } ] },
                "meters": [ { "id": "api-calls", "unit": "API call", "price_per_unit": "0.0015" } ]
            } ]
        } ] })
    }

    fn fields(body: Value) -> Vec<String> {
        parse_catalog(body)
            .unwrap_err()
            .into_iter()
            .map(|error| error.field)
            .collect()
    }

    #[test]
    fn a_good_file_reads() {
        let catalog = parse_catalog(file()).unwrap();
        assert_eq!(catalog.offers[0].plans[0].price_points().len(), 2);
    }

    #[test]
    fn a_shape_error_names_its_path() {
        let mut body = file();
        body["offers"][0]["plans"][0]["meters"][0]["price_per_unit"] = json!("cheap");
        assert_eq!(
            fields(body),
            ["offers[0].plans[0].meters[0].price_per_unit"]
        );
        let mut body = file();
        body["offers"][0]["offer_type"] = json!("container");
        assert_eq!(fields(body), ["offers[0].offer_type"]);
        assert_eq!(fields(json!([])), [""]);
        let mut body = file();
        body["offers"][0]["plans"][0]["pricing"]["included_quantities"][0]["quantity"] = json!("0");
        assert_eq!(
            fields(body),
            ["offers[0].plans[0].pricing.included_quantities[0].quantity"]
        );
        let mut body = file();
        body["offers"][0]["plans"][0]["pricing"]["model"] = json!("free");
        assert_eq!(fields(body), ["offers[0].plans[0].pricing.model"]);
    }

    #[test]
    fn every_shape_error_is_named_not_only_the_first() {
        let mut body = file();
        let mut second = body["offers"][0].clone();
        second["id"] = json!("second");
        second["cloud_reseller"] = json!("yes");
        body["offers"].as_array_mut().unwrap().push(second);
        let plan = &mut body["offers"][0]["plans"][0];
        plan["trial"] = json!(null);
        plan["pricing"]["prices"][0]["price"] = json!("-1");
        plan["pricing"]["included_quantities"][0]["billing_term"] = json!("weekly");
        plan["meters"][0]["unit"] = json!(5);
        assert_eq!(
            fields(body),
            [
                "offers[0].plans[0].trial",
                "offers[0].plans[0].pricing.prices[0].price",
                "offers[0].plans[0].pricing.included_quantities[0].billing_term",
                "offers[0].plans[0].meters[0].unit",
                "offers[1].cloud_reseller",
            ]
        );
        let mut body = file();
        body["offers"][0]["plans"][0]
            .as_object_mut()
            .unwrap()
            .remove("meters");
        assert_eq!(fields(body), ["offers[0].plans[0]"]);
    }

    #[test]
    fn content_errors_name_every_path() {
        let mut body = file();
        let plan = &mut body["offers"][0]["plans"][0];
        plan["pricing"]["prices"][0]["price"] = json!("100.001");
        plan["pricing"]["included_quantities"][0]["dimension_id"] = json!("storage");
        plan["meters"][0]["price_per_unit"] = json!("0");
        let copy = body["offers"][0]["plans"][0].clone();
        body["offers"][0]["plans"]
            .as_array_mut()
            .unwrap()
            .push(copy);
        let errors = fields(body);
        for expected in [
            "offers[0].plans[0].pricing.prices[0].price",
            "offers[0].plans[0].pricing.included_quantities[0].dimension_id",
            "offers[0].plans[0].meters[0].price_per_unit",
            "offers[0].plans[1].id",
        ] {
            assert!(
                errors.iter().any(|field| field == expected),
                "{expected}: {errors:?}"
            );
        }
    }

    #[test]
    fn plans_fit_their_offer_type() {
        let mut body = file();
        body["offers"][0]["offer_type"] = json!("azure_virtual_machines");
        let errors = fields(body);
        assert!(errors.contains(&"offers[0].plans[0].pricing.model".to_owned()));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(fields(json!({ "offers": [] })), ["offers"]);
        let mut body = file();
        body["offers"][0]["id"] = json!("Has Spaces");
        assert_eq!(fields(body), ["offers[0].id"]);
    }
}
