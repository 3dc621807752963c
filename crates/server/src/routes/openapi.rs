//! `GET /api/v1/openapi.json`: the API described in OpenAPI 3.1, by hand in this one module.
//! A new endpoint is one entry in [`endpoints`] (its body schemas in [`schemas`]); the tests
//! below fail when a route in `src/routes/` is missing here, or an entry here has no route.

use axum::routing::get;
use axum::Router;
use serde_json::{json, Map, Value};

use crate::reply::Json;
use crate::AppState;

/// `/v1/openapi.json`, to be nested under `/api`.
pub fn routes() -> Router<AppState> {
    Router::new().route("/v1/openapi.json", get(openapi))
}

async fn openapi() -> Json<Value> {
    Json(document())
}

/// Who may call an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Anyone, signed in or not.
    Public,
    /// A signed-in user (the session cookie); 401 without one.
    SignedIn,
}

/// One documented operation.
#[derive(Debug, Clone)]
pub struct Endpoint {
    /// `get`, `post`, `put`, `patch` or `delete`.
    pub method: &'static str,
    /// The full path, with `{name}` parameters (`/api/v1/offers/{id}`).
    pub path: &'static str,
    /// One line on what it does.
    pub summary: &'static str,
    /// Who may call it.
    pub access: Access,
    /// Query parameters: name, schema, description.
    pub query: Vec<(&'static str, Value, &'static str)>,
    /// The JSON request body's schema, if it takes one.
    pub request: Option<Value>,
    /// The success status, its description and its JSON body's schema (`None`: no body).
    pub success: (u16, &'static str, Option<Value>),
    /// The error statuses it answers, besides 500 and 503 that any endpoint may (and 507 that
    /// any write may).
    pub errors: Vec<(u16, &'static str)>,
}

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// Every endpoint of the API. Add yours here.
pub fn endpoints() -> Vec<Endpoint> {
    let invalid = (
        422,
        "Invalid input: one entry per problem, named by its JSON path.",
    );
    let unauthorized = (401, "Not signed in, or the session expired.");
    let malformed = (400, "The body is not JSON.");
    let too_large = (413, "The body is over 1 MiB.");
    let not_json = (415, "The body is not sent as application/json.");
    let mut list = vec![
        Endpoint {
            method: "get",
            path: "/api/health",
            summary: "The server is up and its database answers.",
            access: Access::Public,
            query: vec![],
            request: None,
            success: (200, "Healthy.", Some(reference("Health"))),
            errors: vec![],
        },
        Endpoint {
            method: "get",
            path: "/api/v1/openapi.json",
            summary: "This document.",
            access: Access::Public,
            query: vec![],
            request: None,
            success: (200, "The OpenAPI document.", Some(json!({ "type": "object" }))),
            errors: vec![],
        },
        Endpoint {
            method: "post",
            path: "/api/v1/quote",
            summary: "Prices an offer without saving anything (SPEC \"Quote API\").",
            access: Access::Public,
            query: vec![],
            request: Some(reference("QuoteRequest")),
            success: (200, "The priced quote.", Some(reference("QuoteResponse"))),
            errors: vec![malformed, too_large, not_json, invalid],
        },
        Endpoint {
            method: "post",
            path: "/api/v1/quote/solve",
            summary: "Finds the customer adjustment % that gives a target customer price.",
            access: Access::Public,
            query: vec![],
            request: Some(reference("SolveRequest")),
            success: (200, "The adjustment.", Some(reference("SolveResponse"))),
            errors: vec![malformed, too_large, not_json, invalid],
        },
        Endpoint {
            method: "post",
            path: "/api/v1/session",
            summary: "Signs in; sets the HttpOnly, SameSite=Strict session cookie `offerdesk_session` (Secure over https) for 12 hours.",
            access: Access::Public,
            query: vec![],
            request: Some(reference("SignIn")),
            success: (200, "Signed in.", Some(reference("Session"))),
            errors: vec![
                malformed,
                too_large,
                not_json,
                invalid,
                (401, "The email or password is not right (the same answer for both)."),
                (429, "Too many failed sign-ins for the account or the address; see Retry-After."),
            ],
        },
        Endpoint {
            method: "get",
            path: "/api/v1/session",
            summary: "Who is signed in.",
            access: Access::SignedIn,
            query: vec![],
            request: None,
            success: (200, "The caller.", Some(reference("Session"))),
            errors: vec![unauthorized],
        },
        Endpoint {
            method: "delete",
            path: "/api/v1/session",
            summary: "Signs out: ends the session and clears the cookie (also without one).",
            access: Access::Public,
            query: vec![],
            request: None,
            success: (204, "Signed out.", None),
            errors: vec![(415, "A body of another type than JSON was sent.")],
        },
        Endpoint {
            method: "get",
            path: "/api/v1/organization",
            summary: "The caller's organization: partner attributes and multiparty eligibility, or customer accounts.",
            access: Access::SignedIn,
            query: vec![],
            request: None,
            success: (200, "The organization.", Some(reference("Organization"))),
            errors: vec![unauthorized],
        },
        Endpoint {
            method: "put",
            path: "/api/v1/organization",
            summary: "Replaces the caller's company name and partner attributes; the kind stays, and so do seller, tenant and (once set) AWS account IDs.",
            access: Access::SignedIn,
            query: vec![],
            request: Some(reference("OrganizationEdit")),
            success: (200, "The organization as stored.", Some(reference("Organization"))),
            errors: vec![unauthorized, malformed, too_large, not_json, invalid],
        },
        Endpoint {
            method: "get",
            path: "/api/v1/partners",
            summary: "Searches the partner directory (for an ISV): name or seller ID contains `query`, or tenant ID or AWS account ID is `query`.",
            access: Access::SignedIn,
            query: vec![
                ("query", json!({ "type": "string" }), "Part of a name or seller ID, or a whole tenant ID or AWS account ID; any case."),
                ("region", json!({ "type": "string" }), "Only partners selling in this region; any case."),
                ("csp_member", json!({ "type": "boolean" }), "Only CSP members (true) or non-members (false)."),
                ("seller_id", json!({ "type": "string" }), "Only the partner with this whole seller ID."),
                ("aws_account_id", json!({ "type": "string" }), "Only the partner with this whole AWS account ID."),
                ("tenant_id", json!({ "type": "string" }), "Only the partner with this whole tenant ID; any case."),
                ("limit", json!({ "type": "integer", "minimum": 0, "maximum": 100, "default": 25 }), "Page size."),
                ("offset", json!({ "type": "integer", "minimum": 0, "default": 0 }), "Partners to skip, in name order."),
            ],
            request: None,
            success: (200, "A page of partners.", Some(reference("PartnerPage"))),
            errors: vec![unauthorized, (404, "The caller is not an ISV."), invalid],
        },
        Endpoint {
            method: "get",
            path: "/api/v1/catalog",
            summary: "The caller ISV's public offers, plans and list prices (USD).",
            access: Access::SignedIn,
            query: vec![],
            request: None,
            success: (200, "The catalog.", Some(reference("CatalogView"))),
            errors: vec![unauthorized, (404, "The caller is not an ISV.")],
        },
        Endpoint {
            method: "post",
            path: "/api/v1/catalog/import",
            summary: "Imports a catalog file: each offer replaces the stored offer with its ID (plans and prices whole); other offers stay. One transaction.",
            access: Access::SignedIn,
            query: vec![],
            request: Some(reference("Catalog")),
            success: (200, "Imported.", Some(reference("Imported"))),
            errors: vec![
                unauthorized,
                (404, "The caller is not an ISV."),
                malformed,
                too_large,
                not_json,
                invalid,
            ],
        },
    ];
    list.extend(super::offers_doc::endpoints());
    list
}

/// The document: every endpoint, its bodies, and the one error shape.
pub fn document() -> Value {
    let mut paths = Map::new();
    for endpoint in endpoints() {
        let mut responses = Map::new();
        let (status, description, body) = &endpoint.success;
        let mut success = json!({ "description": description });
        if let Some(schema) = body {
            success["content"] = json!({ "application/json": { "schema": schema } });
        }
        responses.insert(status.to_string(), success);
        let mut errors = endpoint.errors.clone();
        errors.push((500, "A fault of ours; logged."));
        errors.push((
            503,
            "The database does not answer, or is read-only: nothing was stored.",
        ));
        if endpoint.method != "get" {
            errors.push((507, "The server's disk is full: nothing was stored."));
        }
        for (status, description) in errors {
            responses.insert(
                status.to_string(),
                json!({ "description": description,
                        "content": { "application/json": { "schema": reference("Errors") } } }),
            );
        }
        let mut operation = json!({
            "summary": endpoint.summary,
            "responses": responses,
        });
        if endpoint.access == Access::SignedIn {
            operation["security"] = json!([{ "session": [] }]);
        }
        if let Some(schema) = &endpoint.request {
            operation["requestBody"] = json!({
                "required": true,
                "content": { "application/json": { "schema": schema } }
            });
        }
        let mut parameters: Vec<Value> = path_parameters(endpoint.path)
            .map(|name| {
                json!({ "name": name, "in": "path", "required": true,
                        "schema": { "type": "string" } })
            })
            .collect();
        parameters.extend(endpoint.query.iter().map(|(name, schema, description)| {
            json!({ "name": name, "in": "query", "required": false,
                    "schema": schema, "description": description })
        }));
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        let item = paths
            .entry(endpoint.path.to_owned())
            .or_insert_with(|| json!({}));
        item[endpoint.method] = operation;
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Offer Desk API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Private offers sold through channel partners. Amounts and percentages are JSON strings of decimals. Every error answers `{\"errors\": [{\"field\", \"message\"}]}`; `field` is the JSON path of the input at fault, or \"\" for the request as a whole. State-changing requests take application/json only."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": { "type": "apiKey", "in": "cookie", "name": crate::auth::SESSION_COOKIE }
            },
            "schemas": schemas(),
        }
    })
}

fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// The body schemas, by name.
pub fn schemas() -> Value {
    let decimal = json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$",
                          "description": "A decimal number as a string." });
    let nullable_decimal = json!({ "oneOf": [decimal, { "type": "null" }] });
    let eligibility = json!({
        "type": "object", "required": ["status"],
        "properties": {
            "status": { "enum": ["eligible", "not_eligible"] },
            "reason": { "type": "string", "description": "Present when not eligible." }
        }
    });
    let billing_term = json!({ "enum": ["one_month", "one_year", "two_years", "three_years"] });
    let term_price = json!({
        "type": "object", "required": ["billing_term", "price"],
        "properties": { "billing_term": billing_term, "price": decimal }
    });
    let mut schemas = json!({
        "Errors": {
            "type": "object", "required": ["errors"],
            "properties": { "errors": { "type": "array", "items": {
                "type": "object", "required": ["field", "message"],
                "properties": {
                    "field": { "type": "string", "description": "JSON path of the input at fault, or \"\"." },
                    "message": { "type": "string" }
                } } } }
        },
        "Health": { "type": "object", "properties": { "status": { "const": "ok" } } },
        "Decimal": decimal,
        "QuoteRequest": {
            "type": "object", "required": ["lines"],
            "properties": {
                "program": { "enum": ["multiparty", "csp", "cppo"], "default": "multiparty" },
                "currency": { "enum": ["USD", "EUR", "GBP", "CAD", "AUD", "JPY"], "default": "USD" },
                "customer_adjustment_percent": decimal,
                "lines": { "type": "array", "minItems": 1, "maxItems": 1000, "items": {
                    "type": "object", "required": ["id", "list_price", "partner_pricing"],
                    "properties": {
                        "id": { "type": "string" },
                        "kind": { "enum": ["flat", "usage"], "default": "flat" },
                        "list_price": decimal,
                        "quantity": decimal,
                        "partner_pricing": {
                            "type": "object",
                            "description": "Exactly one of the three.",
                            "properties": {
                                "discount_percent": decimal,
                                "margin_percent": decimal,
                                "absolute_price": decimal
                            } } } } }
            }
        },
        "QuoteResponse": {
            "type": "object",
            "properties": {
                "currency": { "type": "string" },
                "customer_adjustment_percent": nullable_decimal,
                "max_customer_adjustment_percent": nullable_decimal,
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                    "id": { "type": "string" },
                    "list_price": decimal, "partner_price": decimal,
                    "customer_price": nullable_decimal, "net_discount_percent": nullable_decimal,
                    "quantity": decimal, "partner_total": decimal, "customer_total": nullable_decimal
                } } },
                "totals": { "type": "object", "properties": {
                    "list": decimal, "partner": decimal, "customer": nullable_decimal } }
            }
        },
        "SolveRequest": {
            "type": "object", "required": ["partner_price", "target_customer_price"],
            "properties": {
                "program": { "enum": ["multiparty", "csp", "cppo"] },
                "currency": { "type": "string" },
                "kind": { "enum": ["flat", "usage"] },
                "partner_price": decimal,
                "target_customer_price": decimal
            }
        },
        "SolveResponse": {
            "type": "object",
            "properties": {
                "customer_adjustment_percent": decimal,
                "customer_price": decimal,
                "exact": { "type": "boolean" }
            }
        },
        "SignIn": {
            "type": "object", "required": ["email", "password"],
            "properties": { "email": { "type": "string" }, "password": { "type": "string" } }
        },
        "PartyKind": { "enum": ["isv", "partner", "isv_and_partner", "customer"] },
        "BillingAccountRole": { "enum": ["owner", "contributor", "signatory", "reader"] },
        "CustomerAccount": {
            "type": "object", "required": ["marketplace", "id"],
            "properties": {
                "marketplace": { "enum": ["microsoft_billing_account", "aws_account"] },
                "id": { "type": "string" }
            }
        },
        "Session": {
            "type": "object",
            "properties": {
                "user": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "email": { "type": "string" },
                    "name": { "type": "string" } } },
                "organization": { "type": "object", "properties": {
                    "id": { "type": "integer" }, "name": { "type": "string" },
                    "kind": reference("PartyKind") } },
                "billing_accounts": { "type": "array", "items": { "type": "object", "properties": {
                    "account": reference("CustomerAccount"),
                    "role": reference("BillingAccountRole") } } }
            }
        },
        "Eligibility": eligibility,
        "PartnerProfile": {
            "type": "object",
            "properties": {
                "seller_id": { "type": "string" },
                "tenant_id": { "type": "string", "format": "uuid" },
                "aws_account_id": { "type": ["string", "null"], "pattern": "^[0-9]{12}$" },
                "csp_member": { "type": "boolean" },
                "regions": { "type": "array", "items": { "type": "string" } },
                "tax_profile_country": { "enum": ["us", "uk", "other", null] },
                "us_resale_certificates_on_file": { "type": "boolean" },
                "uk_treaty_claim_expires_on": { "type": ["string", "null"], "format": "date" }
            }
        },
        "Organization": {
            "type": "object",
            "properties": {
                "id": { "type": "integer" },
                "name": { "type": "string" },
                "kind": reference("PartyKind"),
                "partner": { "oneOf": [reference("PartnerProfile"), { "type": "null" }] },
                "multiparty": { "oneOf": [{ "type": "object", "properties": {
                    "selection": reference("Eligibility"),
                    "submit": reference("Eligibility") } }, { "type": "null" }] },
                "customer_accounts": { "type": "array", "items": { "type": "object", "properties": {
                    "id": { "type": "integer" },
                    "account": reference("CustomerAccount"),
                    "country": { "type": "string" },
                    "role": { "oneOf": [reference("BillingAccountRole"), { "type": "null" }] } } } }
            }
        },
        "OrganizationEdit": {
            "type": "object", "required": ["name"],
            "properties": {
                "name": { "type": "string" },
                "partner": { "oneOf": [reference("PartnerProfile"), { "type": "null" }],
                             "description": "Required for a partner; absent or null otherwise." }
            }
        },
        "PartnerPage": {
            "type": "object",
            "properties": {
                "partners": { "type": "array", "items": { "type": "object", "properties": {
                    "organization_id": { "type": "integer" },
                    "name": { "type": "string" },
                    "seller_id": { "type": "string" },
                    "tenant_id": { "type": "string" },
                    "aws_account_id": { "type": ["string", "null"] },
                    "csp_member": { "type": "boolean" },
                    "regions": { "type": "array", "items": { "type": "string" } },
                    "tax_profile_country": { "enum": ["us", "uk", "other", null] },
                    "multiparty_selection": reference("Eligibility") } } },
                "total": { "type": "integer" },
                "limit": { "type": "integer" },
                "offset": { "type": "integer" }
            }
        },
        "Catalog": {
            "type": "object", "required": ["offers"],
            "properties": { "offers": { "type": "array", "minItems": 1, "maxItems": 100,
                                         "items": reference("PublicOffer") } }
        },
        "PublicOffer": {
            "type": "object",
            "required": ["id", "name", "offer_type", "cloud_reseller", "plans"],
            "properties": {
                "id": { "type": "string", "pattern": "^[a-z0-9_-]{1,50}$" },
                "name": { "type": "string" },
                "offer_type": { "enum": ["saas", "azure_virtual_machines", "azure_applications"] },
                "cloud_reseller": { "type": "boolean" },
                "plans": { "type": "array", "minItems": 1, "items": reference("Plan") }
            }
        },
        "Plan": {
            "type": "object", "required": ["id", "name", "trial", "pricing", "meters"],
            "properties": {
                "id": { "type": "string", "pattern": "^[a-z0-9_-]{1,50}$" },
                "name": { "type": "string" },
                "trial": { "type": "boolean" },
                "pricing": reference("PlanPricing"),
                "meters": { "type": "array", "items": {
                    "type": "object", "required": ["id", "unit", "price_per_unit"],
                    "properties": { "id": { "type": "string" }, "unit": { "type": "string" },
                                    "price_per_unit": decimal } } }
            }
        },
        "PlanPricing": {
            "oneOf": [
                { "type": "object", "required": ["model", "prices", "included_quantities"],
                  "properties": {
                    "model": { "const": "flat_rate" },
                    "prices": { "type": "array", "items": term_price },
                    "included_quantities": { "type": "array", "items": {
                        "type": "object", "required": ["dimension_id", "billing_term", "quantity"],
                        "properties": { "dimension_id": { "type": "string" },
                                        "billing_term": billing_term, "quantity": decimal } } } } },
                { "type": "object", "required": ["model", "prices"],
                  "properties": { "model": { "const": "per_user" },
                                  "prices": { "type": "array", "items": term_price } } },
                { "type": "object", "required": ["model", "reservation_prices"],
                  "properties": {
                    "model": { "const": "virtual_machine" },
                    "reservation_prices": { "type": "array", "items": {
                        "type": "object", "required": ["vcpu_size", "term", "price"],
                        "properties": { "vcpu_size": { "type": "string" },
                                        "term": { "enum": ["one_year", "three_years"] },
                                        "price": decimal } } } } }
            ],
            "discriminator": { "propertyName": "model" }
        },
        "CatalogView": {
            "type": "object",
            "properties": {
                "currency": { "const": "USD" },
                "offers": { "type": "array", "items": {
                    "description": "A PublicOffer whose plans each also list `price_points`.",
                    "allOf": [reference("PublicOffer")] } }
            }
        },
        "PricePoint": {
            "type": "object",
            "properties": { "id": { "type": "string" }, "kind": { "enum": ["flat", "usage"] },
                            "list_price": decimal }
        },
        "Imported": {
            "type": "object",
            "properties": { "imported": { "type": "integer" },
                            "catalog": reference("CatalogView") }
        }
    });
    if let (Value::Object(all), Value::Object(offers)) =
        (&mut schemas, super::offers_doc::schemas())
    {
        all.extend(offers);
    }
    schemas
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    use super::*;

    /// Every `(method, path)` that `src/routes/*.rs` registers with `.route("/...", get(..)...)`,
    /// under `/api` where the API is nested. Routes are written with their whole path.
    fn routed() -> BTreeSet<(String, String)> {
        // The checkout `cargo test` runs in, not only the one this binary was compiled in (cargo
        // reuses it for another checkout of the same sources that shares its target directory).
        let manifest_dir = std::env::var("CARGO_MANIFEST_DIR")
            .unwrap_or_else(|_| env!("CARGO_MANIFEST_DIR").to_owned());
        let directory = std::path::Path::new(&manifest_dir).join("src/routes");
        let mut found = BTreeSet::new();
        for entry in std::fs::read_dir(directory).unwrap() {
            let source = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            // Only the code: the tests (these included) may mention routes in text.
            let mut rest = source.split("#[cfg(test)]").next().unwrap();
            while let Some(start) = rest.find(".route(") {
                rest = &rest[start + ".route(".len()..];
                // The call's text up to its closing parenthesis.
                let mut depth = 1;
                let end = rest
                    .char_indices()
                    .find(|(_, c)| {
                        match c {
                            '(' => depth += 1,
                            ')' => depth -= 1,
                            _ => {}
                        }
                        depth == 0
                    })
                    .map(|(index, _)| index)
                    .unwrap();
                let call = &rest[..end];
                let path = call.split('"').nth(1).unwrap();
                let handlers = &call[call.find(',').unwrap()..];
                for method in ["get", "post", "put", "patch", "delete"] {
                    let used = handlers
                        .match_indices(&format!("{method}("))
                        .any(|(at, _)| {
                            !handlers[..at]
                                .chars()
                                .next_back()
                                .is_some_and(|c| c.is_alphanumeric() || c == '_')
                        });
                    if used {
                        found.insert((method.to_owned(), format!("/api{path}")));
                    }
                }
                rest = &rest[end..];
            }
        }
        found
    }

    fn documented() -> BTreeSet<(String, String)> {
        let document = document();
        document["paths"]
            .as_object()
            .unwrap()
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .unwrap()
                    .keys()
                    .map(|method| (method.clone(), path.clone()))
                    .collect::<Vec<_>>()
            })
            .collect()
    }

    #[test]
    fn every_route_is_documented_and_every_documented_endpoint_is_routed() {
        let routed = routed();
        assert!(routed.contains(&("post".into(), "/api/v1/session".into())));
        assert!(routed.contains(&("delete".into(), "/api/v1/session".into())));
        assert_eq!(routed, documented());
    }

    #[test]
    fn every_reference_resolves_and_every_operation_has_the_error_shape() {
        let document = document();
        let text = document.to_string();
        for piece in text.split("\"#/components/schemas/").skip(1) {
            let name = piece.split('"').next().unwrap();
            assert!(
                document["components"]["schemas"].get(name).is_some(),
                "{name}"
            );
        }
        for (path, item) in document["paths"].as_object().unwrap() {
            for (method, operation) in item.as_object().unwrap() {
                assert_eq!(
                    operation["responses"]["500"]["content"]["application/json"]["schema"],
                    reference("Errors"),
                    "{method} {path}"
                );
            }
        }
    }

    #[tokio::test]
    async fn the_document_is_served_and_names_no_endpoint_that_answers_the_fallback() {
        let state = AppState::new(
            crate::SqliteStore::open_in_memory().unwrap(),
            "/nonexistent",
        );
        let router = crate::app(state);
        let response = router
            .clone()
            .oneshot(
                Request::get("/api/v1/openapi.json")
                    .body(Body::empty())
                    .unwrap(),
            )
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let body = response.into_body().collect().await.unwrap().to_bytes();
        let served: Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(served, document());
        for (method, path) in documented() {
            let path = path.replace('{', "x").replace('}', "");
            let method = Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = router
                .clone()
                .oneshot(
                    Request::builder()
                        .method(method.clone())
                        .uri(&path)
                        .body(Body::empty())
                        .unwrap(),
                )
                .await
                .unwrap();
            let status = response.status();
            let body = response.into_body().collect().await.unwrap().to_bytes();
            let text = String::from_utf8_lossy(&body);
            assert!(
                status != StatusCode::METHOD_NOT_ALLOWED
                    && !text.contains("There is no API endpoint"),
                "{method} {path}: {status} {text}"
            );
        }
    }

    #[tokio::test]
    async fn every_signed_in_endpoint_answers_401_without_a_session_before_reading_the_body() {
        let state = AppState::new(
            crate::SqliteStore::open_in_memory().unwrap(),
            "/nonexistent",
        );
        let router = crate::app(state);
        for endpoint in endpoints() {
            if endpoint.access != Access::SignedIn {
                continue;
            }
            let path = endpoint.path.replace('{', "x").replace('}', "");
            let method = Method::from_bytes(endpoint.method.to_uppercase().as_bytes()).unwrap();
            let request = Request::builder()
                .method(method.clone())
                .uri(&path)
                .header("content-type", "application/json")
                .body(Body::from("{}"))
                .unwrap();
            let response = router.clone().oneshot(request).await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {path}"
            );
        }
    }
}
