//! The ISV's multiparty private offer form (seed 001): "Offer setup", then "Review and
//! submit". The typed text lives in signals; a `Memo` turns it into core's `IsvPart` and runs
//! core's `validate_isv_part` on every change, so errors sit next to their fields and the
//! partner price of every line previews live.

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::{use_location, use_navigate, use_params_map};
use offerdesk_core::catalog::{Catalog, Plan, CATALOG_CURRENCY};
use offerdesk_core::fees::{payouts, Deal, FeeTable};
use offerdesk_core::field::{iso_month, last_of_month, parse_iso_date, MAX_SALES_NOTE_CHARS};
use offerdesk_core::money::display_amount;
use offerdesk_core::multiparty::validate::validate_isv_part;
use offerdesk_core::multiparty::view::IsvView;
use offerdesk_core::multiparty::{
    CustomerBillingAccount, CustomerStart, ExistingPlanPricing, IsvPart, PointPrice, ProductLine,
};
use offerdesk_core::party::PartnerProfile;
use offerdesk_core::pricing::{partner_price, PartnerPricing};
use offerdesk_core::{DiscountPercent, FieldError, Money, Program};
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::session::{use_session, SessionState};

/// One product line as typed: the plan and the partner pricing's text.
#[derive(Debug, Clone, Copy)]
struct ProductDraft {
    key: u32,
    /// `offer_id/plan_id`, empty until chosen.
    plan: RwSignal<String>,
    /// `discount` or `absolute`.
    mode: RwSignal<String>,
    discount: RwSignal<String>,
    /// Per price point of the plan: `(price_point_id, typed price)`.
    absolute: RwSignal<Vec<(String, RwSignal<String>)>>,
}

impl ProductDraft {
    fn new(key: u32) -> Self {
        ProductDraft {
            key,
            plan: RwSignal::new(String::new()),
            mode: RwSignal::new("discount".to_owned()),
            discount: RwSignal::new(String::new()),
            absolute: RwSignal::new(Vec::new()),
        }
    }
}

/// Every field of the form as typed.
#[derive(Debug, Clone, Copy)]
struct Draft {
    name: RwSignal<String>,
    description: RwSignal<String>,
    billing_account: RwSignal<String>,
    country: RwSignal<String>,
    seller_id: RwSignal<String>,
    products: RwSignal<Vec<ProductDraft>>,
    next_key: RwSignal<u32>,
    start_mode: RwSignal<String>,
    start_month: RwSignal<String>,
    end: RwSignal<String>,
    accept_by: RwSignal<String>,
    contacts: RwSignal<String>,
    sales_note: RwSignal<String>,
    renewal: RwSignal<bool>,
    /// The form's owner: signals made by a click belong to the form, not to the view that was
    /// clicked (which goes away on "Review and submit").
    owner: StoredValue<Owner>,
}

impl Draft {
    fn empty() -> Self {
        Draft {
            owner: StoredValue::new(Owner::current().unwrap_or_default()),
            name: RwSignal::new(String::new()),
            description: RwSignal::new(String::new()),
            billing_account: RwSignal::new(String::new()),
            country: RwSignal::new("US".to_owned()),
            seller_id: RwSignal::new(String::new()),
            products: RwSignal::new(Vec::new()),
            next_key: RwSignal::new(0),
            start_mode: RwSignal::new("on_acceptance".to_owned()),
            start_month: RwSignal::new(String::new()),
            end: RwSignal::new(String::new()),
            accept_by: RwSignal::new(String::new()),
            contacts: RwSignal::new(String::new()),
            sales_note: RwSignal::new(String::new()),
            renewal: RwSignal::new(false),
        }
    }

    fn add_product(&self) -> ProductDraft {
        let key = self.next_key.get_untracked();
        self.next_key.set(key + 1);
        let line = self.text_signal_owner(|| ProductDraft::new(key));
        self.products.update(|products| products.push(line));
        line
    }

    /// Runs `make` under the form's owner.
    fn text_signal_owner<T>(&self, make: impl FnOnce() -> T) -> T {
        self.owner.with_value(|owner| owner.with(make))
    }

    /// Fills the form from a saved part.
    fn load(&self, part: &IsvPart) {
        self.name.set(part.name.clone());
        self.description.set(part.description.clone());
        self.billing_account
            .set(part.customer.billing_account_id.clone());
        self.country.set(part.customer.country.clone());
        self.seller_id.set(part.selling_partner_seller_id.clone());
        self.products.set(Vec::new());
        for product in &part.products {
            if let ProductLine::ExistingPlan {
                offer_id,
                plan_id,
                partner_pricing,
            } = product
            {
                let line = self.add_product();
                line.plan.set(format!("{offer_id}/{plan_id}"));
                match partner_pricing {
                    ExistingPlanPricing::DiscountPercent(percent) => {
                        line.mode.set("discount".into());
                        line.discount.set(percent.value().normalize().to_string());
                    }
                    ExistingPlanPricing::AbsolutePrices(prices) => {
                        line.mode.set("absolute".into());
                        line.absolute.set(
                            prices
                                .iter()
                                .map(|price| {
                                    (
                                        price.price_point_id.clone(),
                                        self.text_signal_owner(|| {
                                            RwSignal::new(price.price.amount().to_string())
                                        }),
                                    )
                                })
                                .collect(),
                        );
                    }
                }
            }
        }
        match part.customer_start {
            CustomerStart::OnAcceptance => self.start_mode.set("on_acceptance".into()),
            CustomerStart::Month(month) => {
                self.start_mode.set("month".into());
                self.start_month.set(iso_month(month));
            }
        }
        self.end.set(part.customer_end.to_string());
        self.accept_by.set(part.accept_by.to_string());
        self.contacts.set(part.notification_contacts.join("\n"));
        self.sales_note.set(part.sales_note.clone());
        self.renewal.set(part.renewal);
    }
}

/// The form's reading: the part (when every field parses) and every problem, by field path.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    part: IsvPart,
    problems: Vec<FieldError>,
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    parse_iso_date(text)
}

fn read(
    draft: &Draft,
    catalog: &Catalog,
    partner: Option<&PartnerProfile>,
    today: NaiveDate,
) -> Reading {
    let mut problems: Vec<FieldError> = Vec::new();
    let mut products = Vec::new();
    for (index, line) in draft.products.get().iter().enumerate() {
        let plan = line.plan.get();
        let (offer_id, plan_id) = plan.split_once('/').unwrap_or(("", ""));
        let field = format!("products[{index}].partner_pricing");
        let pricing = if line.mode.get() == "absolute" {
            let mut prices = Vec::new();
            for (point_index, (point, text)) in line.absolute.get().iter().enumerate() {
                let text = text.get();
                let places = catalog
                    .plan(offer_id, plan_id)
                    .and_then(|(_, plan)| {
                        plan.price_points()
                            .into_iter()
                            .find(|candidate| &candidate.id == point)
                    })
                    .map(|point| point.kind.unit_places(CATALOG_CURRENCY))
                    .unwrap_or(2);
                match Money::parse(text.trim(), places) {
                    Ok(price) => prices.push(PointPrice {
                        price_point_id: point.clone(),
                        price,
                    }),
                    Err(error) => problems.push(FieldError::new(
                        format!("{field}.absolute_prices[{point_index}].price"),
                        if text.trim().is_empty() {
                            "Enter the partner price.".to_owned()
                        } else {
                            format!("{error}")
                        },
                    )),
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
                            format!("{error}")
                        },
                    ));
                    continue;
                }
            }
        };
        products.push(ProductLine::ExistingPlan {
            offer_id: offer_id.to_owned(),
            plan_id: plan_id.to_owned(),
            partner_pricing: pricing,
        });
    }
    let customer_start = if draft.start_mode.get() == "month" {
        match parse_iso_date(&format!("{}-01", draft.start_month.get().trim())) {
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
        products,
        customer_start,
        customer_end,
        accept_by,
        terms: Vec::new(),
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
    if let Err(found) = validate_isv_part(&part, catalog, partner, today) {
        let parsed: HashSet<String> = problems.iter().map(|p| p.field.clone()).collect();
        problems.extend(
            found
                .into_iter()
                .filter(|problem| !parsed.contains(&problem.field)),
        );
    }
    Reading { part, problems }
}

/// One price point of a line with its live partner price, computed by core.
#[derive(Debug, Clone, PartialEq)]
struct PricePreview {
    point: String,
    list: String,
    partner: String,
    payout: String,
}

fn preview(catalog: &Catalog, line: &ProductLine) -> Vec<PricePreview> {
    let ProductLine::ExistingPlan {
        offer_id,
        plan_id,
        partner_pricing,
    } = line
    else {
        return Vec::new();
    };
    let Some((_, plan)) = catalog.plan(offer_id, plan_id) else {
        return Vec::new();
    };
    let fees = FeeTable::microsoft();
    plan.price_points()
        .into_iter()
        .map(|point| {
            let places = point.kind.unit_places(CATALOG_CURRENCY);
            let price = match partner_pricing {
                ExistingPlanPricing::DiscountPercent(percent) => {
                    partner_price(point.list_price, PartnerPricing::Discount(*percent), places).ok()
                }
                ExistingPlanPricing::AbsolutePrices(prices) => prices
                    .iter()
                    .find(|price| price.price_point_id == point.id)
                    .map(|price| price.price),
            };
            let payout = price.and_then(|price| {
                payouts(
                    &fees,
                    &Deal {
                        program: Program::Multiparty,
                        currency: CATALOG_CURRENCY,
                        partner_total: price,
                        customer_total: price,
                        renewal: false,
                    },
                )
                .ok()
            });
            PricePreview {
                point: point.id.clone(),
                list: display_amount(point.list_price.amount(), CATALOG_CURRENCY),
                partner: price
                    .map(|price| display_amount(price.amount(), CATALOG_CURRENCY))
                    .unwrap_or_else(|| "—".to_owned()),
                payout: payout
                    .map(|payout| display_amount(payout.isv.net.amount(), CATALOG_CURRENCY))
                    .unwrap_or_else(|| "—".to_owned()),
            }
        })
        .collect()
}

#[derive(Debug, Deserialize)]
struct DirectoryEntry {
    name: String,
    #[serde(flatten)]
    profile: PartnerProfileFields,
}

/// The directory's partner attributes that selection needs, read into core's profile.
#[derive(Debug, Deserialize)]
struct PartnerProfileFields {
    seller_id: String,
    tenant_id: String,
    #[serde(default)]
    aws_account_id: Option<String>,
    #[serde(default)]
    csp_member: bool,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    tax_profile_country: Option<offerdesk_core::party::TaxProfileCountry>,
}

#[derive(Debug, Deserialize)]
struct Directory {
    partners: Vec<DirectoryEntry>,
}

async fn find_partner(seller_id: String) -> Option<(String, PartnerProfile)> {
    if seller_id.trim().is_empty() {
        return None;
    }
    let query = js_sys_encode(seller_id.trim());
    let page: Directory = api::get(&format!("/api/v1/partners?query={query}&limit=100"))
        .await
        .ok()?;
    page.partners
        .into_iter()
        .find(|entry| entry.profile.seller_id == seller_id.trim())
        .map(|entry| {
            let p = entry.profile;
            (
                entry.name,
                PartnerProfile {
                    seller_id: p.seller_id,
                    tenant_id: p.tenant_id,
                    aws_account_id: p.aws_account_id,
                    csp_member: p.csp_member,
                    regions: p.regions,
                    tax_profile_country: p.tax_profile_country,
                    // Submit eligibility is the server's to check; selection needs neither.
                    us_resale_certificates_on_file: false,
                    uk_treaty_claim_expires_on: None,
                },
            )
        })
}

fn js_sys_encode(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.~".contains(c) {
                c.to_string()
            } else {
                let mut buf = [0u8; 4];
                c.encode_utf8(&mut buf)
                    .bytes()
                    .map(|b| format!("%{b:02X}"))
                    .collect()
            }
        })
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
struct Answer {
    id: String,
    version: i64,
    #[serde(default)]
    offer: Option<Box<api::RawValue>>,
    #[serde(default)]
    allowed_actions: Vec<String>,
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Where the page keeps the typed offer while it is not saved (offline, or before a save).
fn local_key(offer_id: Option<&str>) -> String {
    format!("offerdesk.multiparty.{}", offer_id.unwrap_or("new"))
}

fn keep_locally(offer_id: Option<&str>, part: &IsvPart) {
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(part)) {
        let _ = storage.set_item(&local_key(offer_id), &text);
    }
}

fn kept_locally(offer_id: Option<&str>) -> Option<IsvPart> {
    let text = local_storage()?.get_item(&local_key(offer_id)).ok()??;
    serde_json::from_str(&text).ok()
}

fn forget_locally(offer_id: Option<&str>) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&local_key(offer_id));
        let _ = storage.remove_item(&local_key(None));
    }
}

fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// `/offers/multiparty/new` and `/offers/multiparty/:id`: the form, for a signed-in ISV.
#[component]
pub fn MultipartyFormPage() -> impl IntoView {
    let session = use_session();
    let navigate = use_navigate();
    let here = use_location().pathname.get_untracked();
    Effect::new(move |_| {
        if session.state() == SessionState::SignedOut {
            navigate(&format!("/sign-in?next={here}"), Default::default());
        }
    });
    view! {
        {move || match session.state() {
            SessionState::SignedIn(view) if view.organization.kind.is_isv() => {
                view! { <MultipartyForm /> }.into_any()
            }
            SessionState::SignedIn(_) => {
                view! { <p>"Only an ISV's users create private offers."</p> }.into_any()
            }
            _ => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
        }}
    }
}

#[component]
fn MultipartyForm() -> impl IntoView {
    let params = use_params_map();
    let navigate = use_navigate();
    let draft = Draft::empty();
    let today = Utc::now().date_naive();
    let offer_id =
        RwSignal::new(params.with_untracked(|params| params.get("id").filter(|id| id != "new")));
    let version = RwSignal::new(None::<i64>);
    let locked = RwSignal::new(None::<String>);
    let step = RwSignal::new("setup");
    let touched = RwSignal::new(HashSet::<String>::new());
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<(bool, String)>);
    let busy = RwSignal::new(None::<&'static str>);
    let create_key = StoredValue::new(new_key());
    let submit_key = StoredValue::new(new_key());

    let catalog = LocalResource::new(|| async {
        api::get::<Catalog>("/api/v1/catalog")
            .await
            .unwrap_or_default()
    });
    let partner = LocalResource::new(move || {
        let seller = draft.seller_id.get();
        find_partner(seller)
    });

    // An existing offer: load it into the form (or show it read-only once submitted).
    if let Some(id) = offer_id.get_untracked() {
        spawn_local(async move {
            match api::get::<Answer>(&format!("/api/v1/multiparty-offers/{id}")).await {
                Ok(answer) => {
                    if let Some(view) = answer.offer.as_deref().and_then(api::decode_raw::<IsvView>)
                    {
                        draft.load(&view.isv);
                        version.set(Some(answer.version));
                        if !answer.allowed_actions.iter().any(|a| a == "edit") {
                            locked.set(Some(view.status_label));
                            step.set("review");
                        }
                    }
                }
                Err(error) => notice.set(Some((false, error.general()))),
            }
        });
    } else {
        draft.add_product();
    }
    // A draft typed earlier and never saved (the server was unreachable, or the tab closed).
    let resumable = RwSignal::new(kept_locally(offer_id.get_untracked().as_deref()));
    let dirty = RwSignal::new(false);

    let reading = Memo::new(move |_| {
        let catalog = catalog.get().unwrap_or_default();
        let partner = partner.get().flatten();
        read(&draft, &catalog, partner.as_ref().map(|(_, p)| p), today)
    });
    let valid = move || reading.with(|r| r.problems.is_empty());
    Effect::new(move |_| {
        let part = reading.with(|r| r.part.clone());
        if dirty.get() {
            keep_locally(offer_id.get_untracked().as_deref(), &part);
        }
    });
    // Leaving (reload, close, another site) with unsaved changes asks first.
    let leave_guard = window_event_listener(leptos::ev::beforeunload, move |event| {
        if dirty.get_untracked() {
            event.prevent_default();
            event.set_return_value("You have unsaved changes.");
        }
    });
    on_cleanup(move || leave_guard.remove());
    let touch = move |field: String| {
        dirty.set(true);
        resumable.set(None);
        server_errors.set(Vec::new());
        touched.update(|set| {
            set.insert(field);
        });
    };
    // The message of `field`: the server's, or core's once the person has changed the field.
    let error_of = move |field: String| {
        Signal::derive(move || {
            if let Some(error) = server_errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| e.field == field || e.field.starts_with(&format!("{field}.")))
                    .map(|e| e.message.clone())
            }) {
                return Some(error);
            }
            let shown = touched.with(|set| set.iter().any(|t| field.starts_with(t.as_str())));
            if !shown {
                return None;
            }
            reading.with(|r| {
                r.problems
                    .iter()
                    .find(|p| p.field == field || p.field.starts_with(&format!("{field}.")))
                    .map(|p| p.message.clone())
            })
        })
    };

    // Save: create with an idempotency key the first time, then PUT with the version read.
    let save = move || async move {
        let part = reading.get_untracked().part;
        let answer: Result<Answer, ApiError> =
            match (offer_id.get_untracked(), version.get_untracked()) {
                (Some(id), Some(current)) => {
                    let body = api::versioned(&part, current);
                    api::put(&format!("/api/v1/multiparty-offers/{id}"), &body).await
                }
                _ => {
                    api::post_once("/api/v1/multiparty-offers", &create_key.get_value(), &part)
                        .await
                }
            };
        match answer {
            Ok(answer) => {
                offer_id.set(Some(answer.id.clone()));
                version.set(Some(answer.version));
                dirty.set(false);
                forget_locally(Some(&answer.id));
                Ok(answer)
            }
            Err(error) => {
                server_errors.set(error.errors.clone());
                Err(error)
            }
        }
    };
    let on_save = move |_| {
        if busy.get_untracked().is_some() || !valid() {
            return;
        }
        busy.set(Some("Saving draft…"));
        notice.set(None);
        spawn_local(async move {
            match save().await {
                Ok(answer) => notice.set(Some((
                    true,
                    format!("Draft saved (version {}).", answer.version),
                ))),
                Err(error) => notice.set(Some((false, error.general()))),
            }
            busy.set(None);
        });
    };
    let navigate_after = navigate.clone();
    let on_submit = move |_| {
        if busy.get_untracked().is_some() || !valid() {
            return;
        }
        busy.set(Some("Submitting to your selling partner…"));
        notice.set(None);
        let navigate = navigate_after.clone();
        spawn_local(async move {
            let saved = save().await;
            let answer = match saved {
                Ok(answer) => {
                    api::post_once::<_, serde::de::IgnoredAny>(
                        &format!("/api/v1/multiparty-offers/{}/submit", answer.id),
                        &submit_key.get_value(),
                        &api::Version {
                            version: answer.version,
                        },
                    )
                    .await
                }
                Err(error) => Err(error),
            };
            busy.set(None);
            match answer {
                Ok(_) => navigate("/offers?tab=multiparty", Default::default()),
                Err(error) => {
                    if error.errors.iter().any(|e| !e.field.is_empty()) {
                        step.set("setup");
                    }
                    notice.set(Some((false, error.general())));
                }
            }
        });
    };

    let text_input = move |id: &'static str,
                           label: &'static str,
                           field: &'static str,
                           value: RwSignal<String>,
                           input_type: &'static str| {
        let error = error_of(field.to_owned());
        let error_id = format!("{id}-error");
        let described = error_id.clone();
        view! {
            <div class="field" class:field-invalid=move || error.get().is_some()>
                <label for=id>{label}</label>
                <input
                    id=id
                    type=input_type
                    prop:value=move || value.get()
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=move || error.get().map(|_| described.clone())
                    on:input=move |event| {
                        value.set(event_target_value(&event));
                        touch(field.to_owned());
                    }
                />
                <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>
                    {move || error.get()}
                </p>
            </div>
        }
    };

    let plan_options = move || {
        catalog
            .get()
            .unwrap_or_default()
            .offers
            .iter()
            .flat_map(|offer| {
                offer.plans.iter().map(move |plan| {
                    (
                        format!("{}/{}", offer.id, plan.id),
                        format!("{} — {}", offer.name, plan.name),
                    )
                })
            })
            .collect::<Vec<_>>()
    };
    let plan_of = move |key: &str| -> Option<Plan> {
        let (offer, plan) = key.split_once('/')?;
        catalog
            .get()
            .unwrap_or_default()
            .plan(offer, plan)
            .map(|(_, plan)| plan.clone())
    };

    let product_line = move |line: ProductDraft| {
        let index = move || {
            draft
                .products
                .with(|products| products.iter().position(|p| p.key == line.key))
                .unwrap_or(0)
        };
        let number = move || index() + 1;
        let key = line.key;
        let plan_id = format!("product-{key}-plan");
        let mode_id = format!("product-{key}-mode");
        let discount_id = format!("product-{key}-discount");
        let line_field = move || format!("products[{}]", index());
        let line_error = Signal::derive(move || {
            let field = line_field();
            let shown = touched.with(|set| set.contains(&field))
                || server_errors.with(|errors| errors.iter().any(|e| e.field.starts_with(&field)));
            if !shown {
                return Vec::new();
            }
            let mut messages: Vec<String> = server_errors.with(|errors| {
                errors
                    .iter()
                    .filter(|e| e.field.starts_with(&field))
                    .map(|e| e.message.clone())
                    .collect()
            });
            reading.with(|r| {
                for problem in &r.problems {
                    if (problem.field == field || problem.field.starts_with(&format!("{field}.")))
                        && !messages.contains(&problem.message)
                    {
                        messages.push(problem.message.clone());
                    }
                }
            });
            messages
        });
        let line_error_id = format!("product-{key}-error");
        let described = line_error_id.clone();
        let invalid = move || {
            if line_error.with(Vec::is_empty) {
                "false"
            } else {
                "true"
            }
        };
        let prices = move || {
            let catalog = catalog.get().unwrap_or_default();
            reading.with(|r| {
                r.part
                    .products
                    .get(index())
                    .map(|product| preview(&catalog, product))
                    .unwrap_or_default()
            })
        };
        let on_plan = move |event| {
            let chosen = event_target_value(&event);
            let points = plan_of(&chosen)
                .map(|plan| {
                    plan.price_points()
                        .into_iter()
                        .map(|point| {
                            (
                                point.id,
                                draft.text_signal_owner(|| RwSignal::new(String::new())),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            line.absolute.set(points);
            line.plan.set(chosen);
            touch(line_field());
        };
        view! {
            <fieldset class="product-line">
                <legend>{move || format!("Product {}", number())}</legend>
                <div class="field">
                    <label for=plan_id.clone()>{move || format!("Plan (product {})", number())}</label>
                    <select
                        id=plan_id
                        prop:value=move || line.plan.get()
                        aria-invalid=invalid
                        aria-describedby=described.clone()
                        on:change=on_plan
                    >
                        <option value="">"Choose an offer and plan"</option>
                        {move || {
                            plan_options()
                                .into_iter()
                                .map(|(value, text)| {
                                    let selected = line.plan.get_untracked() == value;
                                    view! { <option value=value selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for=mode_id.clone()>
                        {move || format!("Partner price type (product {})", number())}
                    </label>
                    <select
                        id=mode_id
                        prop:value=move || line.mode.get()
                        on:change=move |event| {
                            line.mode.set(event_target_value(&event));
                            touch(line_field());
                        }
                    >
                        <option value="discount">"Discounted price (% off list)"</option>
                        <option value="absolute">"Absolute price"</option>
                    </select>
                </div>
                {move || {
                    if line.mode.get() == "discount" {
                        let id = discount_id.clone();
                        view! {
                            <div class="field">
                                <label for=id.clone()>
                                    {move || format!("Discount % (product {})", number())}
                                </label>
                                <input
                                    id=id
                                    type="text"
                                    inputmode="decimal"
                                    prop:value=move || line.discount.get()
                                    aria-invalid=invalid
                                    on:input=move |event| {
                                        line.discount.set(event_target_value(&event));
                                        touch(line_field());
                                    }
                                />
                            </div>
                        }
                            .into_any()
                    } else {
                        line.absolute
                            .get()
                            .into_iter()
                            .map(|(point, text)| {
                                let id = format!("product-{key}-price-{}", point.replace(':', "-"));
                                view! {
                                    <div class="field">
                                        <label for=id.clone()>
                                            {move || {
                                                format!("Partner price for {point} (product {})", number())
                                            }}
                                        </label>
                                        <input
                                            id=id
                                            type="text"
                                            inputmode="decimal"
                                            prop:value=move || text.get()
                                            aria-invalid=invalid
                                            on:input=move |event| {
                                                text.set(event_target_value(&event));
                                                touch(line_field());
                                            }
                                        />
                                    </div>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }
                }}
                <div id=line_error_id class="field-error-list" role="alert">
                    {move || {
                        line_error
                            .get()
                            .into_iter()
                            .map(|message| view! { <p class="field-error">{message}</p> })
                            .collect_view()
                    }}
                </div>
                <table class="price-preview">
                    <caption>{move || format!("Partner prices (product {})", number())}</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Price point"</th>
                            <th scope="col" class="amount">"List price"</th>
                            <th scope="col" class="amount">"Partner price"</th>
                            <th scope="col" class="amount">"Your payout after fees"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {move || {
                            prices()
                                .into_iter()
                                .map(|row| {
                                    let point = row.point.clone();
                                    view! {
                                        <tr data-price-point=point>
                                            <th scope="row">{row.point}</th>
                                            <td class="amount">{row.list}</td>
                                            <td class="amount partner-price">{row.partner}</td>
                                            <td class="amount">{row.payout}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()
                        }}
                    </tbody>
                </table>
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        draft.products.update(|products| products.retain(|p| p.key != key));
                        touch("products".to_owned());
                    }
                >
                    {move || format!("Remove product {}", number())}
                </button>
            </fieldset>
        }
    };

    let sales_note_count = move || draft.sales_note.with(|note| note.chars().count());
    let problem_count = move || reading.with(|r| r.problems.len());

    let setup = move || {
        view! {
            <form class="offer-form" novalidate=true on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <h2>"Offer setup"</h2>
                {text_input("mp-name", "Private offer name", "name", draft.name, "text")}
                <div class="field" class:field-invalid=move || error_of("description".into()).get().is_some()>
                    <label for="mp-description">"Description"</label>
                    <textarea
                        id="mp-description"
                        prop:value=move || draft.description.get()
                        on:input=move |event| {
                            draft.description.set(event_target_value(&event));
                            touch("description".into());
                        }
                    ></textarea>
                    <p class="hint">"Visible to your selling partner, never to the customer."</p>
                </div>
                <fieldset>
                    <legend>"Customer information"</legend>
                    {text_input(
                        "mp-billing-account",
                        "Customer billing account ID",
                        "customer.billing_account_id",
                        draft.billing_account,
                        "text",
                    )}
                    <div class="field">
                        <label for="mp-country">"Customer country"</label>
                        <select
                            id="mp-country"
                            prop:value=move || draft.country.get()
                            on:change=move |event| {
                                draft.country.set(event_target_value(&event));
                                touch("customer.country".into());
                            }
                        >
                            <option value="US">"United States"</option>
                            <option value="GB">"United Kingdom"</option>
                            <option value="CA">"Canada"</option>
                        </select>
                    </div>
                </fieldset>
                <fieldset>
                    <legend>"Partner information"</legend>
                    {text_input(
                        "mp-seller-id",
                        "Selling partner seller ID",
                        "selling_partner_seller_id",
                        draft.seller_id,
                        "text",
                    )}
                    <p class="hint partner-found" aria-live="polite">
                        {move || {
                            partner
                                .get()
                                .flatten()
                                .map(|(name, _)| format!("Selling partner: {name}"))
                        }}
                    </p>
                </fieldset>
                <fieldset>
                    <legend>"Product offers"</legend>
                    <p class="hint">
                        "Pricing type: customize pricing for existing offers (absolute or discounted partner price). Up to 10 products."
                    </p>
                    <For
                        each=move || draft.products.get()
                        key=|line| line.key
                        children=move |line| product_line(line)
                    />
                    <p class="field-error" role="alert" hidden=move || error_of("products".into()).get().is_none()>
                        {move || error_of("products".into()).get()}
                    </p>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            draft.add_product();
                        }
                    >
                        "+ Add offer"
                    </button>
                </fieldset>
                <fieldset>
                    <legend>"Customer terms"</legend>
                    <div class="field" role="radiogroup" aria-labelledby="mp-start-label">
                        <span id="mp-start-label" class="label">"Customer start date"</span>
                        <label>
                            <input
                                type="radio"
                                name="mp-start"
                                value="on_acceptance"
                                prop:checked=move || draft.start_mode.get() == "on_acceptance"
                                on:change=move |_| {
                                    draft.start_mode.set("on_acceptance".into());
                                    touch("customer_start".into());
                                }
                            />
                            " On acceptance"
                        </label>
                        <label>
                            <input
                                type="radio"
                                name="mp-start"
                                value="month"
                                prop:checked=move || draft.start_mode.get() == "month"
                                on:change=move |_| {
                                    draft.start_mode.set("month".into());
                                    touch("customer_start".into());
                                }
                            />
                            " Specific month"
                        </label>
                    </div>
                    {move || {
                        (draft.start_mode.get() == "month")
                            .then(|| {
                                text_input(
                                    "mp-start-month",
                                    "Start month",
                                    "customer_start",
                                    draft.start_month,
                                    "text",
                                )
                            })
                    }}
                    {text_input("mp-end", "Customer end date", "customer_end", draft.end, "text")}
                    <p class="hint">"Dates as YYYY-MM-DD; a start month as YYYY-MM."</p>
                    <p class="hint">
                        {move || {
                            parse_date(&draft.end.get())
                                .filter(|end| *end != last_of_month(*end))
                                .map(|end| {
                                    format!("Tip: the month ends on {}.", last_of_month(end))
                                })
                        }}
                    </p>
                    {text_input("mp-accept-by", "Accept by", "accept_by", draft.accept_by, "text")}
                    <div class="field">
                        <label>
                            <input
                                type="checkbox"
                                prop:checked=move || draft.renewal.get()
                                on:change=move |event| draft.renewal.set(event_target_checked(&event))
                            />
                            " This offer renews an existing purchase"
                        </label>
                    </div>
                </fieldset>
                <div class="field" class:field-invalid=move || error_of("notification_contacts".into()).get().is_some()>
                    <label for="mp-contacts">"Notification contacts"</label>
                    <textarea
                        id="mp-contacts"
                        aria-describedby="mp-contacts-hint mp-contacts-error"
                        prop:value=move || draft.contacts.get()
                        on:input=move |event| {
                            draft.contacts.set(event_target_value(&event));
                            touch("notification_contacts".into());
                        }
                    ></textarea>
                    <p id="mp-contacts-hint" class="hint">"Up to five email addresses, one per line."</p>
                    <p id="mp-contacts-error" class="field-error" role="alert">
                        {move || error_of("notification_contacts".into()).get()}
                    </p>
                </div>
                <div class="field" class:field-invalid=move || error_of("sales_note".into()).get().is_some()>
                    <label for="mp-sales-note">"Sales note"</label>
                    <input
                        id="mp-sales-note"
                        type="text"
                        aria-describedby="mp-sales-note-count mp-sales-note-error"
                        aria-invalid=move || {
                            if error_of("sales_note".into()).get().is_some() { "true" } else { "false" }
                        }
                        prop:value=move || draft.sales_note.get()
                        on:input=move |event| {
                            draft.sales_note.set(event_target_value(&event));
                            touch("sales_note".into());
                        }
                    />
                    <p
                        id="mp-sales-note-count"
                        class=move || {
                            if sales_note_count() > MAX_SALES_NOTE_CHARS { "hint over" } else { "hint" }
                        }
                    >
                        {move || format!("{} of {MAX_SALES_NOTE_CHARS} characters", sales_note_count())}
                    </p>
                    <p id="mp-sales-note-error" class="field-error" role="alert">
                        {move || error_of("sales_note".into()).get()}
                    </p>
                </div>
                <div class="form-actions">
                    <button
                        type="button"
                        class="secondary"
                        disabled=move || !valid() || busy.get().is_some()
                        on:click=on_save
                    >
                        "Save draft"
                    </button>
                    <button
                        type="button"
                        class="primary"
                        disabled=move || !valid() || busy.get().is_some()
                        on:click=move |_| step.set("review")
                    >
                        "Review and submit"
                    </button>
                    <p class="status" role="status">
                        {move || {
                            let count = problem_count();
                            (count > 0)
                                .then(|| {
                                    format!(
                                        "{count} {} to fix before you can save or submit.",
                                        if count == 1 { "problem" } else { "problems" }
                                    )
                                })
                        }}
                    </p>
                </div>
            </form>
        }
    };

    let review = move || {
        let part = reading.get().part;
        let catalog_now = catalog.get().unwrap_or_default();
        let start = match part.customer_start {
            CustomerStart::OnAcceptance => "On acceptance".to_owned(),
            CustomerStart::Month(month) => format!("{month}"),
        };
        let partner_name = partner
            .get()
            .flatten()
            .map(|(name, _)| format!("{name} ({})", part.selling_partner_seller_id))
            .unwrap_or_else(|| part.selling_partner_seller_id.clone());
        let products = part
            .products
            .iter()
            .enumerate()
            .map(|(index, product)| {
                let (offer, plan) = product.offer_and_plan();
                let title = catalog_now
                    .plan(offer, plan)
                    .map(|(offer, plan)| format!("{} — {}", offer.name, plan.name))
                    .unwrap_or_else(|| format!("{offer}/{plan}"));
                let rows = preview(&catalog_now, product);
                view! {
                    <table class="price-preview">
                        <caption>{format!("Product {}: {title}", index + 1)}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Price point"</th>
                                <th scope="col" class="amount">"List price"</th>
                                <th scope="col" class="amount">"Partner price"</th>
                                <th scope="col" class="amount">"Your payout after fees"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {rows
                                .into_iter()
                                .map(|row| {
                                    view! {
                                        <tr>
                                            <th scope="row">{row.point}</th>
                                            <td class="amount">{row.list}</td>
                                            <td class="amount">{row.partner}</td>
                                            <td class="amount">{row.payout}</td>
                                        </tr>
                                    }
                                })
                                .collect_view()}
                        </tbody>
                    </table>
                }
            })
            .collect_view();
        let can_submit = locked.get().is_none();
        view! {
            <section class="review" aria-labelledby="review-title">
                <h2 id="review-title">"Review and submit"</h2>
                {move || {
                    locked
                        .get()
                        .map(|status| {
                            view! {
                                <p class="notice-info">
                                    {format!("This offer is {status}: it is locked for edits.")}
                                </p>
                            }
                        })
                }}
                <dl class="review-list">
                    <dt>"Private offer name"</dt>
                    <dd>{part.name.clone()}</dd>
                    <dt>"Description"</dt>
                    <dd>{part.description.clone()}</dd>
                    <dt>"Customer billing account ID"</dt>
                    <dd>{format!("{} ({})", part.customer.billing_account_id, part.customer.country)}</dd>
                    <dt>"Selling partner"</dt>
                    <dd>{partner_name}</dd>
                    <dt>"Customer start date"</dt>
                    <dd>{start}</dd>
                    <dt>"Customer end date"</dt>
                    <dd>{part.customer_end.to_string()}</dd>
                    <dt>"Accept by"</dt>
                    <dd>{part.accept_by.to_string()}</dd>
                    <dt>"Notification contacts"</dt>
                    <dd>{part.notification_contacts.join(", ")}</dd>
                    <dt>"Sales note"</dt>
                    <dd>{part.sales_note.clone()}</dd>
                </dl>
                <p class="hint">
                    "Payouts after Microsoft's 3% fee on the partner price, for one unit of each price point."
                </p>
                {products}
                <div class="form-actions">
                    {can_submit
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| step.set("setup")
                                >
                                    "Back to offer setup"
                                </button>
                                <button
                                    type="button"
                                    class="primary"
                                    disabled=move || !valid() || busy.get().is_some()
                                    aria-busy=move || busy.get().is_some().to_string()
                                    on:click=on_submit.clone()
                                >
                                    "Submit"
                                </button>
                            }
                        })}
                    <A href="/offers?tab=multiparty">"Back to private offers"</A>
                </div>
            </section>
        }
    };

    view! {
        <section class="multiparty-form" aria-labelledby="mp-title">
            <h1 id="mp-title">
                {move || {
                    if offer_id.get().is_some() {
                        "Multiparty private offer"
                    } else {
                        "New multiparty private offer"
                    }
                }}
            </h1>
            <ol class="steps">
                <li aria-current=move || (step.get() == "setup").then_some("step")>"Offer setup"</li>
                <li aria-current=move || (step.get() == "review").then_some("step")>
                    "Review and submit"
                </li>
            </ol>
            <div aria-live="polite">
                {move || {
                    notice
                        .get()
                        .map(|(ok, text)| {
                            if ok {
                                view! { <p class="notice-success" role="status">{text}</p> }.into_any()
                            } else {
                                view! { <p class="notice-error" role="alert">{text}</p> }.into_any()
                            }
                        })
                }}
                <p class="status" role="status">{move || busy.get()}</p>
                {move || {
                    resumable
                        .get()
                        .map(|part| {
                            view! {
                                <div class="notice-info resume">
                                    <p>"You have changes to this offer that were not saved."</p>
                                    <button
                                        type="button"
                                        class="primary"
                                        on:click=move |_| {
                                            draft.load(&part);
                                            dirty.set(true);
                                            resumable.set(None);
                                        }
                                    >
                                        "Resume unsaved draft"
                                    </button>
                                    <button
                                        type="button"
                                        class="secondary"
                                        on:click=move |_| {
                                            forget_locally(offer_id.get_untracked().as_deref());
                                            resumable.set(None);
                                        }
                                    >
                                        "Discard"
                                    </button>
                                </div>
                            }
                        })
                }}
            </div>
            {move || if step.get() == "setup" { setup().into_any() } else { review().into_any() }}
        </section>
    }
}
