//! Reading an ISV's catalog file: its JSON shape is core's [`Catalog`], every shape problem is
//! named at its JSON path here, and what a valid catalog holds is core's
//! [`validate_catalog`].

use offerdesk_core::catalog::validate_catalog;
use offerdesk_core::catalog::{
    Catalog, IncludedQuantity, MeterDimension, Plan, PublicOffer, ReservationPrice, TermPrice,
};
use offerdesk_core::FieldError;
use serde::de::DeserializeOwned;
use serde_json::{json, Value};

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
