//! The offers half of `openapi.json`: every endpoint of `routes/offers.rs` and its bodies.

use serde_json::{json, Value};

use super::openapi::{Access, Endpoint};
use crate::offers::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

fn reference(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

const UNAUTHORIZED: (u16, &str) = (401, "Not signed in, or the session expired.");
const UNSEEN: (u16, &str) = (
    404,
    "No such resource, or one the caller may not see (never 403 for what is hidden).",
);
const INVALID: (u16, &str) = (
    422,
    "Invalid input: one entry per problem, named by its JSON path.",
);
const MALFORMED: (u16, &str) = (400, "The body is not JSON.");
const TOO_LARGE: (u16, &str) = (413, "The body is over 1 MiB.");
const NOT_JSON: (u16, &str) = (415, "The body is not sent as application/json.");
const STALE_OR_REFUSED: (u16, &str) = (
    409,
    "The version named is stale, or the state machine refuses the action now: `allowed_actions` lists what the caller may do instead.",
);
const FORBIDDEN: (u16, &str) = (
    403,
    "The caller sees the resource but its role may not do this (e.g. a reader accepting); the message says why.",
);

fn endpoint(
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    request: Option<Value>,
    success: (u16, &'static str, Option<Value>),
) -> Endpoint {
    let mut errors = vec![UNAUTHORIZED, UNSEEN];
    if request.is_some() {
        errors.extend([MALFORMED, TOO_LARGE, NOT_JSON, INVALID]);
    }
    if method != "get" {
        errors.extend([STALE_OR_REFUSED, FORBIDDEN]);
    }
    Endpoint {
        method,
        path,
        summary,
        access: Access::SignedIn,
        query: vec![],
        request,
        success,
        errors,
    }
}

/// Every offers endpoint.
pub fn endpoints() -> Vec<Endpoint> {
    let answer = || Some(reference("OfferAnswer"));
    let version = || Some(reference("VersionBody"));
    let list = || Some(reference("OfferList"));
    let mut endpoints = vec![
        endpoint("get", "/api/v1/multiparty-offers", "Multiparty offers the caller is a party to, each as the caller's projection (ISV, partner inbox, or customer).", None, (200, "The offers.", list())),
        endpoint("post", "/api/v1/multiparty-offers", "The ISV creates a draft from its part (validated by the core). `Idempotency-Key` makes a repeat answer the first answer and store one offer.", Some(reference("MultipartyIsvPart")), (201, "The draft, as the ISV sees it.", answer())),
        endpoint("get", "/api/v1/multiparty-offers/{id}", "One offer as the caller's projection, with its version and allowed actions.", None, (200, "The offer.", answer())),
        endpoint("put", "/api/v1/multiparty-offers/{id}", "The ISV edits its draft: the ISV part plus the `version` read.", Some(reference("MultipartyIsvPart")), (200, "The draft.", answer())),
        endpoint("delete", "/api/v1/multiparty-offers/{id}", "The ISV deletes a draft (`?version=N`).", None, (204, "Deleted.", None)),
        endpoint("put", "/api/v1/multiparty-offers/{id}/partner", "The partner finalizes its part while the offer is Pending partner action: adjustment %, prepared-by, terms, contacts, sales note, plus `version`.", Some(reference("MultipartyPartnerPart")), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/submit", "ISV: Draft to In progress (then Pending partner action when published). Partner: Pending partner action to In progress (then Pending acceptance); the answer carries `customer_link.token` once. Takes `Idempotency-Key`.", version(), (200, "The offer (with `customer_link` after the partner's submit; a repeat answers its token as null).", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/customer-link", "The partner replaces the customer link of an offer it sent (In progress or Pending acceptance); the old link stops working. The server keeps only hashes, so this recovers a lost link (an idempotent repeat of the submit answers its token as null).", version(), (200, "The offer with the new `customer_link`.", answer())),
        endpoint("post", "/api/v1/buyer-offers/{id}/customer-link", "The partner replaces the link of a published buyer offer; the old link stops working.", version(), (200, "The offer with the new `customer_link`.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/withdraw", "ISV: from Pending partner action back to Draft. Partner: from Pending acceptance or Expired back to Pending partner action (the link stops working).", version(), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/clone", "The ISV starts a new draft from the offer (any status): `{ \"name\"? }`.", Some(json!({ "type": "object", "properties": { "name": { "type": "string" } } })), (201, "The new draft.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/upgrade", "The ISV starts a linked upgrade of an Accepted or Ended offer: the new ISV part, whose dates start after the old offer ends and which changes only pricing, dates, terms, contacts and the sales note.", Some(reference("MultipartyIsvPart")), (201, "The upgrade draft.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/cancellation", "The ISV or the partner requests the cancellation of an accepted offer: `{ version, reason }`.", Some(json!({ "type": "object", "required": ["version", "reason"], "properties": { "version": { "type": "integer" }, "reason": { "type": "string" } } })), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/cancellation/confirm", "The other side, or the customer (owner, contributor or signatory), confirms the cancellation request.", version(), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/cancel", "The requesting side cancels once both confirmations are in and nothing purchased is still subscribed.", version(), (200, "The offer, Cancelled.", answer())),
        endpoint("post", "/api/v1/multiparty-offers/{id}/purchases", "The ISV records a purchase event of a SaaS product after acceptance: `activate`, or a simulated marketplace event (`payment_missed`, `payment_received`, `lapse`, `cancel`, `expire`) standing in for the fulfillment feed.", Some(reference("PurchaseEvent")), (200, "The offer with its purchases.", answer())),
        Endpoint {
            method: "post",
            path: "/api/v1/multiparty-offers/{id}/terms",
            summary: "Uploads a terms and conditions PDF as the raw `application/pdf` body (checked by content: `%PDF-` header, `%%EOF` trailer; 10 MiB at most): the ISV while Draft, the partner while Pending partner action.",
            access: Access::SignedIn,
            query: vec![
                ("version", json!({ "type": "integer" }), "The version of the offer read."),
                ("name", json!({ "type": "string" }), "The unique customer-facing name."),
            ],
            request: None,
            success: (201, "The offer with the document in the uploader's terms.", answer()),
            errors: vec![UNAUTHORIZED, UNSEEN, FORBIDDEN, STALE_OR_REFUSED, (413, "The file is over 10 MiB."), (415, "The body is not sent as application/pdf."), (422, "Not a PDF, or a name already used / more than 5 documents.")],
        },
        endpoint("get", "/api/v1/multiparty-offers/{id}/terms/{file_id}", "Downloads a terms PDF the caller's projection shows (the ISV never gets the partner's).", None, (200, "The PDF (application/pdf).", None)),
        endpoint("delete", "/api/v1/multiparty-offers/{id}/terms/{file_id}", "Removes one of the caller's own terms PDFs while its part is open (`?version=N`): the ISV while Draft, the partner while Pending partner action; the other side's documents are not found.", None, (200, "The offer without the document.", answer())),
        endpoint("get", "/api/v1/multiparty-offers/{id}/pricing-sheet.csv", "The pricing sheet as CSV: every price the caller sees, in USD and converted into each market currency of the exchange-rate table (ISV: list and partner prices; partner: also customer prices; customers: 404).", None, (200, "text/csv.", None)),
        endpoint("get", "/api/v1/exchange-rates", "The exchange-rate table (units per USD, with the date of each rate).", None, (200, "The rates.", Some(reference("ExchangeRates")))),
        endpoint("put", "/api/v1/exchange-rates", "An ISV replaces the rates of the currencies given.", Some(reference("ExchangeRates")), (200, "The rates.", Some(reference("ExchangeRates")))),
        endpoint("get", "/api/v1/csp-offers", "CSP margin offers: the ISV's own, or the submitted offers that name the partner (its own entry only). The ISV's also carry `partner_companies`: the company name of each partner of `setup.partners`, in order (\"\" for one gone from the directory).", None, (200, "The offers.", list())),
        endpoint("post", "/api/v1/csp-offers", "The ISV creates a draft margin offer. Takes `Idempotency-Key`.", Some(reference("CspOfferSetup")), (201, "The draft.", answer())),
        endpoint("get", "/api/v1/csp-offers/{id}", "One margin offer as the caller's projection; the ISV's with `partner_companies`, as in the list.", None, (200, "The offer.", answer())),
        endpoint("put", "/api/v1/csp-offers/{id}", "The ISV edits its draft (setup plus `version`); once submitted it cannot be modified.", Some(reference("CspOfferSetup")), (200, "The draft.", answer())),
        endpoint("delete", "/api/v1/csp-offers/{id}", "The ISV deletes a draft (`?version=N`).", None, (204, "Deleted.", None)),
        endpoint("post", "/api/v1/csp-offers/{id}/submit", "The ISV submits: In progress, each partner stepping through authorization and publishing to Live. Takes `Idempotency-Key`.", version(), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/csp-offers/{id}/withdraw", "The ISV withdraws, only while no partner has sold it.", version(), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/csp-offers/{id}/clone", "The ISV starts a new draft from the offer (any status): `{ \"internal_name\"? }`.", Some(json!({ "type": "object", "properties": { "internal_name": { "type": "string" } } })), (201, "The new draft.", answer())),
        endpoint("post", "/api/v1/csp-offers/{id}/sales", "A named partner records a sale at the margin while the offer is Live and within its dates, to a customer it may sell to.", Some(json!({ "type": "object", "required": ["customer_tenant_id", "offer_id", "plan_id"], "properties": { "customer_tenant_id": { "type": "string" }, "offer_id": { "type": "string" }, "plan_id": { "type": "string" } } })), (201, "The offer as the partner sees it.", answer())),
        endpoint("get", "/api/v1/csp-margins", "Every live margin offered to the calling partner today, only its own entry of each.", None, (200, "`{ margins: [...] }`.", Some(json!({ "type": "object" })))),
        endpoint("get", "/api/v1/resale-authorizations", "CPPO resale authorizations: the ISV's granted ones, or the partner's received ones, each with `isv_company` and `partner_company`.", None, (200, "One page, newest first: `{ authorizations: [...], next_cursor }`.", Some(json!({ "type": "object" })))),
        endpoint("post", "/api/v1/resale-authorizations", "The ISV authorizes the partner with the terms' AWS account ID (a draft). Takes `Idempotency-Key`.", Some(reference("AuthorizationTerms")), (201, "The authorization.", Some(reference("AuthorizationAnswer")))),
        endpoint("get", "/api/v1/resale-authorizations/{id}", "One authorization (ISV, or the partner once active), with `isv_company`, `partner_company` and `catalog`: the authorized plans of the ISV's catalog with their list prices.", None, (200, "The authorization.", Some(reference("AuthorizationAnswer")))),
        endpoint("put", "/api/v1/resale-authorizations/{id}", "The ISV edits its draft authorization: the terms plus the `version` read; an active one cannot be changed.", Some(reference("AuthorizationTerms")), (200, "The authorization.", Some(reference("AuthorizationAnswer")))),
        endpoint("post", "/api/v1/resale-authorizations/{id}/activate", "The ISV activates its draft.", version(), (200, "The authorization.", Some(reference("AuthorizationAnswer")))),
        endpoint("post", "/api/v1/resale-authorizations/{id}/end", "Either party ends an active authorization.", version(), (200, "The authorization.", Some(reference("AuthorizationAnswer")))),
        endpoint("post", "/api/v1/resale-authorizations/{id}/delete", "The ISV deletes a draft authorization.", version(), (204, "Deleted.", None)),
        endpoint("get", "/api/v1/buyer-offers", "CPPO buyer offers: the ISV's wholesale side, the partner's, or the buyer's.", None, (200, "The offers.", list())),
        endpoint("post", "/api/v1/buyer-offers", "The partner drafts a buyer offer from an active authorization: `authorization_id`, the form, and optionally `installments` for an even-split schedule. Takes `Idempotency-Key`.", Some(reference("BuyerOfferForm")), (201, "The draft.", answer())),
        endpoint("get", "/api/v1/buyer-offers/{id}", "One buyer offer as the caller's projection.", None, (200, "The offer.", answer())),
        endpoint("put", "/api/v1/buyer-offers/{id}", "The partner edits its draft (form plus `version`, optionally `installments`); the schedule needs signing again.", Some(reference("BuyerOfferForm")), (200, "The draft.", answer())),
        endpoint("post", "/api/v1/buyer-offers/{id}/sign-schedule", "The partner signs its draft's payment schedule.", version(), (200, "The draft.", answer())),
        endpoint("post", "/api/v1/buyer-offers/{id}/publish", "The partner publishes: the answer carries `customer_link.token` once; a non-recurring authorization becomes Used. Takes `Idempotency-Key`.", version(), (200, "The offer.", answer())),
        endpoint("post", "/api/v1/links/{token}/accept", "A signed-in customer user with owner, contributor or signatory role on the offer's account accepts before the accept-by date (`{}`; a CPPO buyer signs a schedule with `{ \"sign_schedule\": true }`). A reader, or a user without a role on the account, is refused with 403 and the reason: the link is public, so the offer is not hidden from them.", Some(json!({ "type": "object", "properties": { "sign_schedule": { "type": "boolean" } } })), (200, "The offer, Accepted, as the customer sees it.", answer())),
        endpoint("get", "/api/v1/notifications", "The caller's organization's notifications (status changes SPEC names), newest first, each with its recipients.", None, (200, "`{ notifications: [...] }`.", Some(reference("Notifications")))),
    ];
    let link_errors = vec![
        UNSEEN,
        (
            410,
            "The link no longer shows the offer: `link_status` is `expired`, `withdrawn` or `cancelled`.",
        ),
    ];
    let status_query = (
        "status",
        json!({ "type": "string" }),
        "Only the offers in this status (the core's name, such as PendingPartnerAction).",
    );
    let page_queries = [
        (
            "limit",
            json!({ "type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE }),
            "How many offers a page answers at most (newest first).",
        ),
        (
            "cursor",
            json!({ "type": "string" }),
            "The `next_cursor` of the page before; leave it out for the first page.",
        ),
    ];
    for endpoint in &mut endpoints {
        let lists = [
            "/api/v1/multiparty-offers",
            "/api/v1/csp-offers",
            "/api/v1/buyer-offers",
            "/api/v1/resale-authorizations",
        ];
        if endpoint.method != "get" || !lists.contains(&endpoint.path) {
            continue;
        }
        if endpoint.path != "/api/v1/resale-authorizations" {
            endpoint.query.push(status_query.clone());
        }
        endpoint.query.extend(page_queries.iter().cloned());
        endpoint.errors.push((
            422,
            "`limit` is out of range or `cursor` is not one a page answered.",
        ));
    }
    endpoints.push(Endpoint {
        method: "get",
        path: "/api/v1/links/{token}",
        summary: "The customer's projection of the offer behind a link, without sign-in (no partner price, discount, adjustment, description, sales note or contacts).",
        access: Access::Public,
        query: vec![],
        request: None,
        success: (200, "`{ program, offer }`.", Some(json!({ "type": "object" }))),
        errors: link_errors.clone(),
    });
    endpoints.push(Endpoint {
        method: "get",
        path: "/api/v1/links/{token}/terms/{index}",
        summary: "A terms PDF of the offer behind a link, by its place in the link's `terms` list.",
        access: Access::Public,
        query: vec![],
        request: None,
        success: (200, "The PDF (application/pdf).", None),
        errors: link_errors,
    });
    endpoints
}

/// The offers schemas, by name.
pub fn schemas() -> Value {
    let decimal = json!({ "type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?$" });
    let date = json!({ "type": "string", "format": "date" });
    let emails = json!({ "type": "array", "maxItems": 5, "items": { "type": "string" } });
    let terms = json!({ "type": "array", "items": { "type": "object",
        "properties": { "customer_facing_name": { "type": "string" }, "file_id": { "type": "string" } } } });
    json!({
        "VersionBody": {
            "type": "object", "required": ["version"],
            "properties": { "version": { "type": "integer", "description": "The version of the resource read." } }
        },
        "OfferAnswer": {
            "type": "object",
            "description": "One resource as the caller's projection. 409 answers add `allowed_actions` to the error body.",
            "properties": {
                "id": { "type": "string" },
                "version": { "type": "integer" },
                "viewer": { "enum": ["isv", "partner", "customer", "buyer"] },
                "offer": { "type": "object", "description": "Core's projection for this viewer." },
                "allowed_actions": { "type": "array", "items": { "type": "string" } },
                "partner_companies": { "type": "array", "items": { "type": "string" }, "description": "CSP, the ISV's answers on GET: each partner's company name, in the order of `setup.partners`." },
                "customer_link": { "type": "object", "properties": {
                    "token": { "type": ["string", "null"] }, "path": { "type": ["string", "null"] } } }
            }
        },
        "OfferList": {
            "type": "object",
            "description": "One page of a list, newest first.",
            "properties": {
                "offers": { "type": "array", "items": reference("OfferAnswer") },
                "next_cursor": { "type": ["string", "null"], "description": "Pass as `?cursor=` for the next page; null on the last page." }
            }
        },
        "MultipartyIsvPart": {
            "type": "object",
            "description": "Core's IsvPart; PUT adds `version`.",
            "required": ["name", "customer", "selling_partner_seller_id", "products", "customer_start", "customer_end", "accept_by"],
            "properties": {
                "name": { "type": "string" }, "description": { "type": "string" },
                "customer": { "type": "object", "properties": {
                    "billing_account_id": { "type": "string" }, "country": { "enum": ["US", "GB", "CA"] } } },
                "selling_partner_seller_id": { "type": "string" },
                "products": { "type": "array", "maxItems": 10, "items": { "type": "object",
                    "description": "`pricing_type`: existing_plan (partner_pricing: {discount_percent} or {absolute_prices}), new_saas_plan or vm_reservation." } },
                "customer_start": { "type": "object", "description": "{\"start\": \"on_acceptance\"} or {\"start\": \"month\", \"month\": date}." },
                "customer_end": date, "accept_by": date,
                "terms": terms, "notification_contacts": emails,
                "sales_note": { "type": "string", "maxLength": 60 }, "renewal": { "type": "boolean" },
                "version": { "type": "integer" }
            }
        },
        "MultipartyPartnerPart": {
            "type": "object",
            "required": ["version", "customer_adjustment_percent", "prepared_by"],
            "properties": {
                "version": { "type": "integer" },
                "customer_adjustment_percent": decimal,
                "prepared_by": { "type": "string" },
                "terms": terms, "notification_contacts": emails,
                "sales_note": { "type": "string", "maxLength": 60 }
            }
        },
        "PurchaseEvent": {
            "type": "object", "required": ["version", "offer_id", "plan_id", "event"],
            "properties": {
                "version": { "type": "integer" }, "offer_id": { "type": "string" }, "plan_id": { "type": "string" },
                "event": { "enum": ["activate", "payment_missed", "payment_received", "lapse", "cancel", "expire"] }
            }
        },
        "CspOfferSetup": {
            "type": "object",
            "description": "Core's CspOfferSetup; PUT adds `version`.",
            "properties": {
                "internal_name": { "type": "string" },
                "start": { "type": "object", "description": "{\"start\": \"as_soon_as_possible\"} or {\"start\": \"month\", \"month\": date}." },
                "end": date,
                "notification_contacts": emails,
                "lines": { "type": "array", "maxItems": 10, "items": { "type": "object", "properties": {
                    "offer_id": { "type": "string" }, "plan_id": { "type": ["string", "null"] }, "margin_percent": decimal } } },
                "partners": { "type": "array", "maxItems": 400, "items": { "type": "object", "properties": {
                    "tenant_id": { "type": "string" },
                    "customer_tenant_ids": { "type": "array", "maxItems": 25, "items": { "type": "string" } } } } }
            }
        },
        "AuthorizationTerms": {
            "type": "object",
            "properties": {
                "products": { "type": "array", "items": { "type": "object", "properties": {
                    "offer_id": { "type": "string" }, "plan_id": { "type": "string" } } } },
                "discount_percent": decimal,
                "partner_aws_account_id": { "type": "string", "pattern": "^[0-9]{12}$" },
                "kind": { "type": "object", "description": "{\"discount\": \"recurring\", \"until\": date|null} or {\"discount\": \"non_recurring\", \"buyer_account_id\", \"buyer_name\"}." }
            }
        },
        "AuthorizationAnswer": {
            "type": "object",
            "properties": {
                "id": { "type": "string" }, "version": { "type": "integer" },
                "viewer": { "enum": ["isv", "partner"] },
                "authorization": { "type": "object" },
                "isv_company": { "type": "string", "description": "On GET (list and one)." },
                "partner_company": { "type": "string", "description": "On GET (list and one): the consulting partner's company name." },
                "allowed_actions": { "type": "array", "items": { "type": "string" } }
            }
        },
        "BuyerOfferForm": {
            "type": "object",
            "properties": {
                "authorization_id": { "type": "string", "description": "On POST only." },
                "version": { "type": "integer", "description": "On PUT only." },
                "buyer_account_id": { "type": "string" },
                "lines": { "type": "array", "items": { "type": "object", "properties": {
                    "offer_id": { "type": "string" }, "plan_id": { "type": "string" },
                    "price_point_id": { "type": "string" }, "quantity": decimal,
                    "pricing": { "type": "object", "description": "{\"markup_percent\": decimal} or {\"buyer_price\": decimal}." } } } },
                "custom_terms": { "type": "string" },
                "accept_by": date,
                "payment_schedule": { "type": ["array", "null"], "items": decimal },
                "installments": { "type": ["integer", "null"], "minimum": 1, "maximum": 60 }
            }
        },
        "ExchangeRates": {
            "type": "object",
            "properties": {
                "base": { "const": "USD" },
                "rates": { "type": "array", "items": { "type": "object", "properties": {
                    "currency": { "enum": ["EUR", "GBP", "CAD", "AUD", "JPY"] },
                    "rate": decimal, "as_of": date } } }
            }
        },
        "Notifications": {
            "type": "object",
            "properties": { "notifications": { "type": "array", "items": { "type": "object", "properties": {
                "id": { "type": "integer" }, "offer_id": { "type": "string" },
                "program": { "enum": ["multiparty", "csp", "cppo"] },
                "status": { "type": "string" }, "message": { "type": "string" },
                "recipients": { "type": "array", "items": { "type": "string" } },
                "created_at": { "type": "string", "format": "date-time" } } } } }
        }
    })
}
