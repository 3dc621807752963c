//! The demo offers of `--demo`: a few offers of each program in different statuses, made
//! through the same validation, state machines and store paths as the API (publishing is
//! stepped at once instead of waiting for the worker's delay).

use chrono::{Days, Months, NaiveDate};
use offerdesk_core::field::last_of_month;
use serde::Serialize;
use serde_json::{json, Value};

use super::{apply, cppo, csp, multiparty, Computed};
use crate::auth::Caller;
use crate::demo::{
    DemoIds, FABRIKAM_AWS_ACCOUNT_ID, FABRIKAM_SELLER_ID, FABRIKAM_TENANT_ID, NORTHWIND_SELLER_ID,
    NORTHWIND_TENANT_ID, TAILSPIN_AWS_ACCOUNT_ID, TAILSPIN_BILLING_ACCOUNT_ID,
};
use crate::error::AppError;
use crate::store::offers::{Applied, OfferKind, Scope};
use crate::AppState;

/// What the demo offers are, for the start-up text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct DemoOffers {
    /// Every offer created: (program, ID, status).
    pub offers: Vec<(String, String, String)>,
    /// Customer link paths of the offers waiting for Tailspin (shown only here: only their
    /// hashes are stored).
    pub customer_links: Vec<String>,
}

async fn store(state: &AppState, computed: Computed) -> Result<Value, AppError> {
    apply(state, computed.change).await?;
    Ok(computed.body)
}

fn id_of(body: &Value) -> String {
    body["id"].as_str().unwrap_or_default().to_owned()
}

fn version_of(body: &Value) -> Value {
    json!({ "version": body["version"] })
}

async fn caller(state: &AppState, user_id: i64) -> Result<Caller, AppError> {
    state
        .store
        .caller(user_id)
        .await
        .map_err(super::unavailable)?
        .ok_or_else(|| AppError::Internal(format!("demo user {user_id} is missing")))
}

/// Runs the publishing worker's steps on every In Progress offer now, without the delay.
async fn publish_now(state: &AppState) -> Result<(), AppError> {
    let now = state.clock.now();
    for row in state
        .store
        .offers(
            OfferKind::Multiparty,
            Scope::Statuses(vec![
                "InProgressForPartner".into(),
                "InProgressForCustomer".into(),
            ]),
        )
        .await
        .map_err(super::unavailable)?
    {
        let loaded = multiparty::load(state, &row.id).await?;
        if let Some(change) = multiparty::worker_step(&loaded, now, chrono::Duration::zero())? {
            state
                .store
                .apply(change, now)
                .await
                .map_err(super::unavailable)?;
        }
    }
    // A CSP offer steps once per partner state; two steps make every partner Live.
    for _ in 0..2 {
        for row in state
            .store
            .offers(OfferKind::Csp, Scope::Statuses(vec!["InProgress".into()]))
            .await
            .map_err(super::unavailable)?
        {
            if let Some(change) =
                csp::worker_step(state, &row.id, now, chrono::Duration::zero()).await?
            {
                if state
                    .store
                    .apply(change, now)
                    .await
                    .map_err(super::unavailable)?
                    != Applied::Done
                {
                    return Err(AppError::Internal("a demo offer changed meanwhile".into()));
                }
            }
        }
    }
    Ok(())
}

fn multiparty_part(name: &str, seller_id: &str, today: NaiveDate, discount: &str) -> Value {
    let accept_by = today.checked_add_days(Days::new(30)).unwrap_or(today);
    let end = today
        .checked_add_months(Months::new(12))
        .map(last_of_month)
        .unwrap_or(today);
    json!({
        "name": name,
        "description": "Three-year expansion of the analytics rollout.",
        "customer": { "billing_account_id": TAILSPIN_BILLING_ACCOUNT_ID, "country": "US" },
        "selling_partner_seller_id": seller_id,
        "products": [
            { "pricing_type": "existing_plan", "offer_id": "contoso-analytics", "plan_id": "pro",
              "partner_pricing": { "discount_percent": discount } },
            { "pricing_type": "existing_plan", "offer_id": "contoso-analytics", "plan_id": "team",
              "partner_pricing": { "absolute_prices": [
                  { "price_point_id": "user:one_month", "price": "10.50" },
                  { "price_point_id": "user:one_year", "price": "115.00" } ] } }
        ],
        "customer_start": { "start": "on_acceptance" },
        "customer_end": end,
        "accept_by": accept_by,
        "terms": [],
        "notification_contacts": ["deals@contoso.example"],
        "sales_note": "Q4 expansion push",
        "renewal": false
    })
}

/// Adds the demo offers for the organizations of [`crate::demo::seed_accounts`]: multiparty
/// offers in Draft, Pending partner action (Fabrikam and Northwind) and Pending acceptance; a
/// Live and a Draft CSP margin offer; an active recurring CPPO authorization with a published
/// buyer offer, and a draft non-recurring one.
pub async fn seed_offers(state: &AppState, ids: &DemoIds) -> Result<DemoOffers, AppError> {
    let today = super::today(state);
    let isv = caller(state, ids.contoso_user).await?;
    let fabrikam = caller(state, ids.fabrikam_user).await?;
    let mut demo = DemoOffers::default();

    // Multiparty.
    let draft = store(
        state,
        multiparty::create(
            state,
            &isv,
            multiparty_part(
                "Tailspin analytics renewal (draft)",
                FABRIKAM_SELLER_ID,
                today,
                "10",
            ),
        )
        .await?,
    )
    .await?;
    let with_northwind = store(
        state,
        multiparty::create(
            state,
            &isv,
            multiparty_part("Tailspin UK expansion", NORTHWIND_SELLER_ID, today, "15"),
        )
        .await?,
    )
    .await?;
    let with_fabrikam = store(
        state,
        multiparty::create(
            state,
            &isv,
            multiparty_part(
                "Tailspin analytics expansion",
                FABRIKAM_SELLER_ID,
                today,
                "10",
            ),
        )
        .await?,
    )
    .await?;
    let to_customer = store(
        state,
        multiparty::create(
            state,
            &isv,
            multiparty_part("Tailspin analytics 2027", FABRIKAM_SELLER_ID, today, "12"),
        )
        .await?,
    )
    .await?;
    for offer in [&with_northwind, &with_fabrikam, &to_customer] {
        store(
            state,
            multiparty::submit(state, &isv, &id_of(offer), version_of(offer)).await?,
        )
        .await?;
    }
    publish_now(state).await?;
    let current = multiparty::get(state, &fabrikam, &id_of(&to_customer)).await?;
    let finalized = store(
        state,
        multiparty::edit_partner(
            state,
            &fabrikam,
            &id_of(&to_customer),
            json!({
                "version": current["version"],
                "customer_adjustment_percent": "4.5",
                "prepared_by": "partner@fabrikam.example",
                "terms": [],
                "notification_contacts": ["ops@fabrikam.example"],
                "sales_note": "Bundle with onboarding services"
            }),
        )
        .await?,
    )
    .await?;
    let submitted = store(
        state,
        multiparty::submit(
            state,
            &fabrikam,
            &id_of(&to_customer),
            version_of(&finalized),
        )
        .await?,
    )
    .await?;
    if let Some(path) = submitted["customer_link"]["path"].as_str() {
        demo.customer_links.push(path.to_owned());
    }
    publish_now(state).await?;
    for offer in [&draft, &with_northwind, &with_fabrikam, &to_customer] {
        let now = multiparty::get(state, &isv, &id_of(offer)).await?;
        demo.offers.push((
            "multiparty".into(),
            id_of(offer),
            now["offer"]["status"].as_str().unwrap_or_default().into(),
        ));
    }

    // CSP margin offers.
    let end = today
        .checked_add_months(Months::new(6))
        .map(last_of_month)
        .unwrap_or(today);
    let setup = |name: &str| {
        json!({
            "internal_name": name,
            "start": { "start": "as_soon_as_possible" },
            "end": end,
            "notification_contacts": ["channel@contoso.example"],
            "lines": [
                { "offer_id": "contoso-analytics", "plan_id": null, "margin_percent": "12.5" },
                { "offer_id": "contoso-firewall-vm", "plan_id": "firewall", "margin_percent": "8" }
            ],
            "partners": [
                { "tenant_id": FABRIKAM_TENANT_ID, "customer_tenant_ids": [] },
                { "tenant_id": NORTHWIND_TENANT_ID, "customer_tenant_ids": [] }
            ]
        })
    };
    let live = store(
        state,
        csp::create(state, &isv, setup("FY27 CSP push")).await?,
    )
    .await?;
    store(
        state,
        csp::submit(state, &isv, &id_of(&live), version_of(&live)).await?,
    )
    .await?;
    let csp_draft = store(
        state,
        csp::create(state, &isv, setup("FY27 H2 CSP push (draft)")).await?,
    )
    .await?;
    publish_now(state).await?;
    for offer in [&live, &csp_draft] {
        let now = csp::get(state, &isv, &id_of(offer)).await?;
        demo.offers.push((
            "csp".into(),
            id_of(offer),
            now["offer"]["status"].as_str().unwrap_or_default().into(),
        ));
    }

    // CPPO.
    let recurring = store(
        state,
        cppo::create_authorization(
            state,
            &isv,
            json!({
                "products": [ { "offer_id": "contoso-analytics", "plan_id": "pro" },
                              { "offer_id": "contoso-analytics", "plan_id": "team" } ],
                "discount_percent": "20",
                "partner_aws_account_id": FABRIKAM_AWS_ACCOUNT_ID,
                "kind": { "discount": "recurring", "until": null }
            }),
        )
        .await?,
    )
    .await?;
    let active = store(
        state,
        cppo::activate_authorization(state, &isv, &id_of(&recurring), version_of(&recurring))
            .await?,
    )
    .await?;
    let non_recurring = store(
        state,
        cppo::create_authorization(
            state,
            &isv,
            json!({
                "products": [ { "offer_id": "contoso-analytics", "plan_id": "pro" } ],
                "discount_percent": "25",
                "partner_aws_account_id": FABRIKAM_AWS_ACCOUNT_ID,
                "kind": { "discount": "non_recurring", "buyer_account_id": TAILSPIN_AWS_ACCOUNT_ID,
                          "buyer_name": "Tailspin Toys" }
            }),
        )
        .await?,
    )
    .await?;
    let buyer_offer = store(
        state,
        cppo::create_buyer_offer(
            state,
            &fabrikam,
            json!({
                "authorization_id": id_of(&active),
                "buyer_account_id": TAILSPIN_AWS_ACCOUNT_ID,
                "lines": [ { "offer_id": "contoso-analytics", "plan_id": "pro",
                             "price_point_id": "flat:one_year", "quantity": "3",
                             "pricing": { "markup_percent": "12.5" } } ],
                "custom_terms": "Net 45; renewal at the same price.",
                "accept_by": today.checked_add_days(Days::new(30)).unwrap_or(today),
                "payment_schedule": null
            }),
        )
        .await?,
    )
    .await?;
    let published = store(
        state,
        cppo::publish(
            state,
            &fabrikam,
            &id_of(&buyer_offer),
            version_of(&buyer_offer),
        )
        .await?,
    )
    .await?;
    if let Some(path) = published["customer_link"]["path"].as_str() {
        demo.customer_links.push(path.to_owned());
    }
    demo.offers.extend([
        ("cppo_authorization".into(), id_of(&active), "Active".into()),
        (
            "cppo_authorization".into(),
            id_of(&non_recurring),
            "Draft".into(),
        ),
        (
            "cppo_buyer_offer".into(),
            id_of(&buyer_offer),
            "Published".into(),
        ),
    ]);
    Ok(demo)
}
