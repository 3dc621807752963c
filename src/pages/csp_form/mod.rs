//! The ISV's CSP margin offer form (seed 000): "Offer setup", then "Review and submit". The
//! typed text is read into core's `CspOfferSetup` and checked by core's `validate_csp_setup`
//! on every change; wholesale prices preview live as the margin is typed.
//!
//! "Review and submit" is a page and a bundle of its own ([`CspReviewPage`], `review.rs`), so
//! that the form stays within the page weight budget: it shows the offer as the server holds
//! it. "Offer setup" saves what is typed before it opens the review, so what is reviewed is
//! what is submitted; a submitted offer opens there, read-only.

mod review;

use std::collections::HashSet;

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

use offerdesk_core::catalog::Catalog;
use offerdesk_core::csp::validate::validate_csp_setup;
use offerdesk_core::csp::view::CspFormView;
use offerdesk_core::csp::{
    CspOfferSetup, CspPartner, CspStart, MarginLine, END_MONTH_DAYS, MAX_CUSTOMER_TENANTS,
    MAX_PARTNERS, START_MONTH_DAYS,
};
use offerdesk_core::field::{last_of_month, parse_iso_date, DateRule};
use offerdesk_core::party::{DirectoryPage, DirectoryPartner, PartnerProfile};
use offerdesk_core::{FieldError, MarginPercent};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::catalog_source::CatalogSource;
use crate::components::date_field::DateField;
use crate::components::draft_keeper::{DraftKeeper, SavedDraft};
use crate::components::kept_texts::{self, NotKept, Writer};
use crate::components::price_table::{wholesale_rows, Fees, PriceKind, PriceRow, PriceTable};
use crate::components::require_sign_in::RequireSignIn;
use crate::components::settled::{settled, TYPING_PAUSE};
use crate::components::unread_notice::unread_notice;
pub use review::CspReviewPage;

/// The form's pages: "Offer setup" at `/offers/csp/{id}` (`new` before it is saved) and
/// "Review and submit" at `/offers/csp/{id}/review`.
fn href(offer_id: &str, review: bool) -> String {
    let tail = if review { "/review" } else { "" };
    format!("/offers/csp/{offer_id}{tail}")
}

/// The form's steps, "Review and submit" marked current if `review`, else "Offer setup".
fn steps(review: bool) -> impl IntoView {
    view! {
        <ol class="steps">
            <li aria-current=(!review).then_some("step")>"Offer setup"</li>
            <li aria-current=review.then_some("step")>"Review and submit"</li>
        </ol>
    }
}

/// What the form and its review call a margin's target: one plan of an offer, or the whole offer
/// (its plans now and later), by the names given.
fn target_name(offer: &str, plan: Option<&str>) -> String {
    match plan {
        Some(plan) => format!("{offer}: {plan} (plan level)"),
        None => format!("{offer}: all current and future plans (offer level)"),
    }
}

/// A margin line's target named as the catalog names its offer and plan; by their IDs while the
/// catalog is not read, or if it no longer has them.
fn line_target(catalog: &Catalog, offer_id: &str, plan_id: Option<&str>) -> String {
    let offer = catalog.offer(offer_id);
    let plan = plan_id.map(|plan_id| {
        offer
            .and_then(|offer| offer.plans.iter().find(|plan| plan.id == plan_id))
            .map_or(plan_id, |plan| plan.name.as_str())
    });
    target_name(offer.map_or(offer_id, |offer| offer.name.as_str()), plan)
}

/// The wholesale prices of the offer's plans (`plan_id`'s alone at plan level) at `margin`.
fn margin_rows(
    catalog: &Catalog,
    offer_id: &str,
    plan_id: Option<&str>,
    margin: MarginPercent,
) -> Vec<PriceRow> {
    let Some(offer) = catalog.offer(offer_id) else {
        return Vec::new();
    };
    let plans = offer
        .plans
        .iter()
        .filter(|plan| plan_id.is_none_or(|id| plan.id == id))
        .map(|plan| (offer, plan));
    wholesale_rows(plans, margin)
}

/// One offer/plan line as typed.
#[derive(Debug, Clone, Copy)]
struct LineDraft {
    key: u32,
    /// `offer_id/` (offer level) or `offer_id/plan_id`.
    target: RwSignal<String>,
    margin: RwSignal<String>,
}

/// One chosen partner with its typed customer tenant IDs.
#[derive(Debug, Clone)]
struct PartnerDraft {
    listed: DirectoryPartner,
    customers: RwSignal<String>,
}

/// The form's fields as typed: what this browser keeps while the offer is unsaved (dates and
/// margins as typed, whether they read yet or not) and puts back when the ISV resumes. Kept as
/// flat texts (`components::kept_texts`), each partner's directory entry as its JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Vec<String>", try_from = "Vec<String>")]
struct Typed {
    name: String,
    start_mode: String,
    start_month: String,
    end_month: String,
    contacts: String,
    /// Each line's target (`offer_id/plan_id`) and margin %.
    lines: Vec<(String, String)>,
    /// Each chosen partner and its customer tenant IDs.
    partners: Vec<(DirectoryPartner, String)>,
}

/// The layout of a kept draft: which form, which order of texts.
const KEPT_AS: &str = "csp-form/1";

impl From<Typed> for Vec<String> {
    fn from(typed: Typed) -> Vec<String> {
        let mut out = Writer::new(KEPT_AS);
        for text in [
            &typed.name,
            &typed.start_mode,
            &typed.start_month,
            &typed.end_month,
            &typed.contacts,
        ] {
            out.text(text);
        }
        out.count(typed.lines.len());
        for (target, margin) in &typed.lines {
            out.text(target);
            out.text(margin);
        }
        out.count(typed.partners.len());
        for (partner, customers) in &typed.partners {
            out.text(&serde_json::to_string(partner).unwrap_or_default());
            out.text(customers);
        }
        out.finish()
    }
}

impl TryFrom<Vec<String>> for Typed {
    type Error = NotKept;

    fn try_from(texts: Vec<String>) -> Result<Typed, NotKept> {
        kept_texts::read(texts, KEPT_AS, |texts| {
            let (name, start_mode, start_month, end_month, contacts) = (
                texts.text()?,
                texts.text()?,
                texts.text()?,
                texts.text()?,
                texts.text()?,
            );
            let mut lines = Vec::new();
            for _ in 0..texts.count()? {
                lines.push((texts.text()?, texts.text()?));
            }
            let mut partners = Vec::new();
            for _ in 0..texts.count()? {
                let partner = crate::json::from_str(&texts.text()?).ok()?;
                partners.push((partner, texts.text()?));
            }
            Some(Typed {
                name,
                start_mode,
                start_month,
                end_month,
                contacts,
                lines,
                partners,
            })
        })
    }
}

#[derive(Debug, Deserialize)]
struct Answer {
    id: String,
    version: i64,
}

impl SavedDraft for Answer {
    fn id(&self) -> &str {
        &self.id
    }

    fn version(&self) -> i64 {
        self.version
    }
}

/// A saved offer as the ISV reads it.
#[derive(Debug, Deserialize)]
struct Saved {
    version: i64,
    offer: CspFormView,
    #[serde(default)]
    allowed_actions: Vec<String>,
}

impl Saved {
    /// Whether the offer can still be edited (not submitted yet).
    fn editable(&self) -> bool {
        self.allowed_actions.iter().any(|action| action == "edit")
    }
}

/// The directory entry of the CSP partner with `tenant_id` (`None`: no CSP partner has it).
/// Read as the whole `DirectoryPage` the partner search reads, not through
/// `api::directory_entry`: a second reader of the entries would cost this page 1.2 KB.
async fn partner_by_tenant(tenant_id: &str) -> Result<Option<DirectoryPartner>, ApiError> {
    let directory: DirectoryPage = api::get(&format!(
        "/api/v1/partners?csp_member=true&limit=1&tenant_id={}",
        api::encode_query(tenant_id)
    ))
    .await?;
    Ok(directory.partners.into_iter().next())
}

/// `/offers/csp/new` and `/offers/csp/{id}`, for a signed-in ISV.
#[component]
pub fn CspFormPage(
    /// The saved offer's ID, or `None` for a new one.
    id: Option<String>,
) -> impl IntoView {
    view! {
        <RequireSignIn refusal="Only an ISV's users create private offers.">
            <CspForm id=id.clone() />
        </RequireSignIn>
    }
}

#[component]
fn CspForm(id: Option<String>) -> impl IntoView {
    let today = Utc::now().date_naive();
    let name = RwSignal::new(String::new());
    let start_mode = RwSignal::new("asap".to_owned());
    let start_month = RwSignal::new(String::new());
    let end_month = RwSignal::new(String::new());
    let contacts = RwSignal::new(String::new());
    let lines = RwSignal::new(vec![LineDraft {
        key: 0,
        target: RwSignal::new(String::new()),
        margin: RwSignal::new(String::new()),
    }]);
    let next_key = RwSignal::new(1u32);
    let partners = RwSignal::new(Vec::<PartnerDraft>::new());
    let search = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let touched = RwSignal::new(HashSet::<String>::new());
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    // What the form says of the offer as a whole (why it could not be read or saved).
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<&'static str>);
    // Signals made by a click belong to the form, not to the view clicked.
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    // Saved as the ISV works, kept in this browser meanwhile.
    let keeper = DraftKeeper::<Typed>::new("csp", id);

    // Puts `typed` in the form. Its lines get new keys, so each gets a row of its own.
    let put = move |typed: Typed| {
        let signal = |text: String| owner.with_value(|owner| owner.with(|| RwSignal::new(text)));
        name.set(typed.name);
        start_mode.set(typed.start_mode);
        start_month.set(typed.start_month);
        end_month.set(typed.end_month);
        contacts.set(typed.contacts);
        let first_key = next_key.get_untracked();
        let put_lines: Vec<LineDraft> = (typed.lines.into_iter().zip(first_key..))
            .map(|((target, margin), key)| LineDraft {
                key,
                target: signal(target),
                margin: signal(margin),
            })
            .collect();
        next_key.set(first_key + put_lines.len() as u32);
        lines.set(put_lines);
        partners.set(
            (typed.partners.into_iter())
                .map(|(listed, customers)| PartnerDraft {
                    listed,
                    customers: signal(customers),
                })
                .collect(),
        );
    };
    // Puts the saved `setup` in the form once the directory has answered for each of its
    // partners; answers the tenant IDs it no longer lists as CSP partners (left out).
    let fill = move |setup: CspOfferSetup| async move {
        let mut chosen = Vec::new();
        let mut gone = Vec::new();
        for partner in &setup.partners {
            match partner_by_tenant(&partner.tenant_id).await? {
                Some(listed) => chosen.push((listed, partner.customer_tenant_ids.join("\n"))),
                None => gone.push(partner.tenant_id.clone()),
            }
        }
        let (start_mode, start_month) = match setup.start {
            CspStart::AsSoonAsPossible => ("asap", String::new()),
            CspStart::Month(month) => ("month", month.to_string()),
        };
        put(Typed {
            name: setup.internal_name,
            start_mode: start_mode.to_owned(),
            start_month,
            end_month: setup.end.to_string(),
            contacts: setup.notification_contacts.join("\n"),
            lines: (setup.lines.iter())
                .map(|line| {
                    let plan_id = line.plan_id.as_deref().unwrap_or_default();
                    let margin = line.margin_percent.value().normalize().to_string();
                    (format!("{}/{plan_id}", line.offer_id), margin)
                })
                .collect(),
            partners: chosen,
        });
        Ok::<_, ApiError>(gone)
    };
    // A saved offer: its setup fills the form; a submitted one opens read-only on its review.
    if let Some(id) = keeper.offer_id.get_untracked() {
        spawn_local(async move {
            let saved_offer = match api::get::<Saved>(&format!("/api/v1/csp-offers/{id}")).await {
                Ok(answer) => answer,
                Err(error) => {
                    keeper.load_failed();
                    return notice.set(Some(error.general()));
                }
            };
            if !saved_offer.editable() {
                // Closed to typing while the review loads in place of this page.
                keeper.load_failed();
                if let Some(window) = web_sys::window() {
                    let _ = window.location().replace(&href(&id, true));
                }
                return;
            }
            let gone = match fill(saved_offer.offer.setup).await {
                Ok(gone) => gone,
                Err(error) => {
                    // Not opened for edits, so a save can't drop the partners it could not read.
                    keeper.load_failed();
                    let message = format!(
                        "The offer's CSP partners could not be read. {}",
                        error.general()
                    );
                    return notice.set(Some(message));
                }
            };
            keeper.loaded(saved_offer.version);
            if !gone.is_empty() {
                let message = format!(
                    "No longer among the directory's CSP partners, so left out here: {}.",
                    gone.join(", ")
                );
                notice.set(Some(message));
            }
        });
    }

    let catalog = CatalogSource::new();
    let query = settled::<String>(search.into(), TYPING_PAUSE);
    let found = LocalResource::new(move || {
        let query = query.get();
        let region = region.get();
        async move {
            api::get::<DirectoryPage>(&format!(
                "/api/v1/partners?csp_member=true&limit=100&query={}&region={}",
                api::encode_query(query.trim()),
                api::encode_query(&region)
            ))
            .await
            .map(|directory| directory.partners)
        }
    });

    let reading = Memo::new(move |_| {
        let mut problems = Vec::new();
        let mut margin_lines = Vec::new();
        for (index, line) in lines.get().iter().enumerate() {
            let target = line.target.get();
            let (offer_id, plan_id) = target.split_once('/').unwrap_or(("", ""));
            let text = line.margin.get();
            match MarginPercent::parse(text.trim()) {
                Ok(margin) => margin_lines.push(MarginLine {
                    offer_id: offer_id.to_owned(),
                    plan_id: (!plan_id.is_empty()).then(|| plan_id.to_owned()),
                    margin_percent: margin,
                }),
                Err(error) => problems.push(FieldError::new(
                    format!("lines[{index}].margin_percent"),
                    if text.trim().is_empty() {
                        "Enter the margin % off list price.".to_owned()
                    } else {
                        error.to_string()
                    },
                )),
            }
        }
        let start = if start_mode.get() == "month" {
            match parse_iso_date(&start_month.get()) {
                Some(month) => CspStart::Month(month),
                None => {
                    problems.push(FieldError::new("start.month", "Choose the start month."));
                    CspStart::AsSoonAsPossible
                }
            }
        } else {
            CspStart::AsSoonAsPossible
        };
        let end = match parse_iso_date(&end_month.get()) {
            Some(end) => end,
            None => {
                problems.push(FieldError::new("end", "Choose the end date."));
                last_of_month(today)
            }
        };
        let chosen = partners.get();
        let setup = CspOfferSetup {
            internal_name: name.get(),
            start,
            end,
            notification_contacts: contacts
                .get()
                .split(['\n', ','])
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect(),
            lines: margin_lines,
            partners: chosen
                .iter()
                .map(|partner| CspPartner {
                    tenant_id: partner.listed.tenant_id.clone(),
                    customer_tenant_ids: partner
                        .customers
                        .get()
                        .split(['\n', ','])
                        .map(str::trim)
                        .filter(|c| !c.is_empty())
                        .map(str::to_owned)
                        .collect(),
                })
                .collect(),
        };
        let profiles: Vec<PartnerProfile> = chosen.iter().map(|p| p.listed.profile()).collect();
        if let Err(found) =
            catalog.with(|catalog| validate_csp_setup(&setup, catalog, &profiles, today))
        {
            let parsed: HashSet<String> = problems
                .iter()
                .map(|p: &FieldError| p.field.clone())
                .collect();
            problems.extend(found.into_iter().filter(|p| !parsed.contains(&p.field)));
        }
        (setup, problems)
    });
    let valid = move || reading.with(|(_, problems)| problems.is_empty());
    let touch = move |field: &str| {
        server_errors.set(Vec::new());
        keeper.changed();
        let field = field.to_owned();
        touched.update(|set| {
            set.insert(field);
        });
    };
    // The problem of `field` (and, unless `exact`, of the fields under it), once touched.
    let error_at = move |field: String, exact: bool| {
        Signal::derive(move || {
            let matches = |candidate: &str| {
                candidate == field
                    || (!exact
                        && (candidate.starts_with(&format!("{field}."))
                            || candidate.starts_with(&format!("{field}["))))
            };
            if let Some(message) = server_errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| matches(&e.field))
                    .map(|e| e.message.clone())
            }) {
                return Some(message);
            }
            let root = field.split(['.', '[']).next().unwrap_or_default();
            if !touched.with(|set| set.contains(root)) {
                return None;
            }
            reading.with(|(_, problems)| {
                problems
                    .iter()
                    .find(|p| matches(&p.field))
                    .map(|p| p.message.clone())
            })
        })
    };
    let error_of = move |field: String| error_at(field, false);

    let field = move |id: &'static str,
                      label: &'static str,
                      key: &'static str,
                      value: RwSignal<String>,
                      hint: &'static str| {
        let error = error_of(key.to_owned());
        let error_id = format!("{id}-error");
        let hint_id = format!("{id}-hint");
        let described = format!("{hint_id} {error_id}");
        view! {
            <div class="field" class:field-invalid=move || error.get().is_some()>
                <label for=id>{label}</label>
                <input
                    id=id
                    type="text"
                    prop:value=move || value.get()
                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                    aria-describedby=described
                    on:input=move |event| {
                        value.set(event_target_value(&event));
                        touch(key);
                    }
                />
                <p id=hint_id class="hint">{hint}</p>
                <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>
                    {move || error.get()}
                </p>
            </div>
        }
    };

    let date = move |id: &'static str,
                     label: &'static str,
                     key: &'static str,
                     value: RwSignal<String>,
                     rule: DateRule| {
        view! {
            <DateField
                id=id
                label=label
                value=value
                rule=rule
                error=error_of(key.to_owned())
                on_change=Callback::new(move |()| touch(key))
            />
        }
    };

    let targets = move || {
        catalog.with(|catalog| {
            catalog
                .offers
                .iter()
                .flat_map(|offer| {
                    std::iter::once((format!("{}/", offer.id), target_name(&offer.name, None)))
                        .chain(offer.plans.iter().map(move |plan| {
                            (
                                format!("{}/{}", offer.id, plan.id),
                                target_name(&offer.name, Some(&plan.name)),
                            )
                        }))
                })
                .collect::<Vec<_>>()
        })
    };

    let line_view = move |line: LineDraft| {
        let number = move || {
            lines
                .with(|all| all.iter().position(|l| l.key == line.key))
                .unwrap_or(0)
                + 1
        };
        let key = line.key;
        let target_id = format!("csp-line-{key}-target");
        let margin_id = format!("csp-line-{key}-margin");
        let error = Signal::derive(move || error_of(format!("lines[{}]", number() - 1)).get());
        let error_id = format!("csp-line-{key}-error");
        let wholesale = Signal::derive(move || {
            let target = line.target.get();
            let (offer_id, plan_id) = target.split_once('/').unwrap_or(("", ""));
            let Ok(margin) = MarginPercent::parse(line.margin.get().trim()) else {
                return Vec::new();
            };
            let plan_id = (!plan_id.is_empty()).then_some(plan_id);
            catalog.with(|catalog| margin_rows(catalog, offer_id, plan_id, margin))
        });
        view! {
            <fieldset class="product-line">
                <legend>{move || format!("Offer or plan {}", number())}</legend>
                <div class="field">
                    <label for=target_id.clone()>{move || format!("Offer or plan (line {})", number())}</label>
                    <select
                        id=target_id
                        prop:value=move || line.target.get()
                        on:change=move |event| {
                            line.target.set(event_target_value(&event));
                            touch("lines");
                        }
                    >
                        <option value="">"Choose an offer or plan"</option>
                        {move || {
                            targets()
                                .into_iter()
                                .map(|(value, text)| {
                                    let selected = line.target.get_untracked() == value;
                                    view! { <option value=value selected=selected>{text}</option> }
                                })
                                .collect_view()
                        }}
                    </select>
                </div>
                <div class="field">
                    <label for=margin_id.clone()>{move || format!("Margin % (line {})", number())}</label>
                    <input
                        id=margin_id
                        type="text"
                        inputmode="decimal"
                        prop:value=move || line.margin.get()
                        aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                        aria-describedby=error_id.clone()
                        on:input=move |event| {
                            line.margin.set(event_target_value(&event));
                            touch("lines");
                        }
                    />
                </div>
                <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>
                    {move || error.get()}
                </p>
                <PriceTable
                    caption=Signal::derive(move || format!("Wholesale prices (line {})", number()))
                    rows=wholesale
                    kind=PriceKind::Wholesale
                    fees=Fees::CSP
                />
                <button
                    type="button"
                    class="secondary"
                    on:click=move |_| {
                        lines.update(|all| all.retain(|l| l.key != key));
                        touch("lines");
                    }
                >
                    {move || format!("Remove line {}", number())}
                </button>
            </fieldset>
        }
    };

    let save = move |setup: CspOfferSetup| async move {
        keeper
            .save::<_, Answer>(
                "/api/v1/csp-offers",
                |id| href(id, false),
                None,
                &setup,
                server_errors,
            )
            .await
    };
    let typed = Signal::derive(move || Typed {
        name: name.get(),
        start_mode: start_mode.get(),
        start_month: start_month.get(),
        end_month: end_month.get(),
        contacts: contacts.get(),
        lines: lines
            .get()
            .iter()
            .map(|line| (line.target.get(), line.margin.get()))
            .collect(),
        partners: partners
            .get()
            .iter()
            .map(|partner| (partner.listed.clone(), partner.customers.get()))
            .collect(),
    });
    keeper.start(
        typed,
        Signal::derive(move || valid() && busy.get().is_none()),
        // Called only while the form is valid, so the setup read from it is whole.
        move || async move {
            let setup = reading.with_untracked(|(setup, _)| setup.clone());
            save(setup).await.map(|_| ())
        },
    );
    let working = move || busy.get().is_some() || keeper.saving();
    // Opens "Review and submit", saving what is typed first if it is not saved yet: the review
    // shows and submits the offer as the server holds it. Refused, the server's errors show on
    // their fields and the page stays.
    let to_review = move || {
        if !valid() || working() {
            return;
        }
        notice.set(None);
        spawn_local(async move {
            if keeper.dirty.get_untracked() || keeper.saved_as().is_none() {
                busy.set(Some("Saving the offer…"));
                let saved = save(reading.get_untracked().0).await;
                busy.set(None);
                if let Err(error) = saved {
                    let message = format!("The offer was not saved. {}", error.general());
                    return notice.set(Some(message));
                }
            }
            // A change typed while it saved stays in this browser: "Back to offer setup" takes
            // it up again.
            if let Some((id, _)) = keeper.saved_as() {
                keeper.hand_over(&typed.get_untracked(), &href(&id, true), false);
            }
        });
    };

    let partner_picker = move || {
        view! {
            <fieldset>
                <legend>"CSP partners"</legend>
                <div class="toolbar">
                    <div class="field">
                        <label for="csp-partner-search">"Search partners by name or tenant ID"</label>
                        <input
                            id="csp-partner-search"
                            type="search"
                            prop:value=move || search.get()
                            on:input=move |event| search.set(event_target_value(&event))
                        />
                    </div>
                    <div class="field">
                        <label for="csp-partner-region">"Region"</label>
                        <select
                            id="csp-partner-region"
                            prop:value=move || region.get()
                            on:change=move |event| region.set(event_target_value(&event))
                        >
                            <option value="">"All regions"</option>
                            <option value="North America">"North America"</option>
                            <option value="Europe">"Europe"</option>
                            <option value="United Kingdom">"United Kingdom"</option>
                            <option value="Asia Pacific">"Asia Pacific"</option>
                        </select>
                    </div>
                </div>
                <ul class="partner-results" aria-label="Matching partners">
                    {move || {
                        found
                            .get()
                            .and_then(Result::ok)
                            .unwrap_or_default()
                            .into_iter()
                            .map(|listed| {
                                let tenant = listed.tenant_id.clone();
                                // Added already, or the offer has its most partners.
                                let added = move || {
                                    partners
                                        .with(|all| {
                                            all.len() >= MAX_PARTNERS
                                                || all.iter().any(|p| p.listed.tenant_id == tenant)
                                        })
                                };
                                let label = format!("Add {}", listed.name);
                                let text = format!("{} ({})", listed.name, listed.tenant_id);
                                view! {
                                    <li>
                                        {text}
                                        " "
                                        <button
                                            type="button"
                                            class="secondary"
                                            aria-label=label
                                            disabled=added
                                            on:click=move |_| {
                                                let listed = listed.clone();
                                                partners
                                                    .update(|all| {
                                                        all.push(PartnerDraft {
                                                            listed,
                                                            customers: owner
                                                                .with_value(|owner| {
                                                                    owner.with(|| RwSignal::new(String::new()))
                                                                }),
                                                        })
                                                    });
                                                touch("partners");
                                            }
                                        >
                                            "Add"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
                {move || match found.get()? {
                    Err(error) => {
                        let again = move || found.refetch();
                        Some(unread_notice("The partner directory could not be searched.", &error, again).into_any())
                    }
                    Ok(listed) if listed.is_empty() => {
                        Some(view! { <p class="hint" role="status">"No CSP partner matches your search."</p> }.into_any())
                    }
                    Ok(_) => None,
                }}
                <h3>
                    {move || format!("Selected partners ({} of {MAX_PARTNERS})", partners.with(Vec::len))}
                </h3>
                <p class="field-error" role="alert" hidden=move || error_at("partners".into(), true).get().is_none()>
                    {move || error_at("partners".into(), true).get()}
                </p>
                <For
                    each=move || partners.get()
                    key=|partner| partner.listed.tenant_id.clone()
                    children=move |partner| {
                        let tenant = partner.listed.tenant_id.clone();
                        let id = format!("csp-customers-{tenant}");
                        let label = format!("Customer tenant IDs for {}", partner.listed.name);
                        let customers = partner.customers;
                        let remove_label = format!("Remove {}", partner.listed.name);
                        // This partner's problem (its customer tenant IDs), by its place now.
                        let error = {
                            let tenant = tenant.clone();
                            Signal::derive(move || {
                                let index = partners.with(|all| {
                                    all.iter().position(|p| p.listed.tenant_id == tenant)
                                })?;
                                error_of(format!("partners[{index}]")).get()
                            })
                        };
                        let count = move || {
                            customers.with(|text| {
                                text.split(['\n', ',']).filter(|c| !c.trim().is_empty()).count()
                            })
                        };
                        let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
                        let described = format!("{hint_id} {error_id}");
                        view! {
                            <div class="field selected-partner" class:field-invalid=move || error.get().is_some()>
                                <label for=id.clone()>{label}</label>
                                <textarea
                                    id=id
                                    prop:value=move || customers.get()
                                    aria-invalid=move || if error.get().is_some() { "true" } else { "false" }
                                    aria-describedby=described
                                    on:input=move |event| {
                                        customers.set(event_target_value(&event));
                                        touch("partners");
                                    }
                                ></textarea>
                                <p id=hint_id class="hint">
                                    {move || format!(
                                        "Optional: up to {MAX_CUSTOMER_TENANTS} customer tenant IDs, one per line ({} of {MAX_CUSTOMER_TENANTS}); empty means all the partner's customers.",
                                        count(),
                                    )}
                                </p>
                                <p id=error_id class="field-error" role="alert" hidden=move || error.get().is_none()>
                                    {move || error.get()}
                                </p>
                                <button
                                    type="button"
                                    class="secondary"
                                    aria-label=remove_label
                                    on:click=move |_| {
                                        partners.update(|all| all.retain(|p| p.listed.tenant_id != tenant));
                                        touch("partners");
                                    }
                                >
                                    "Remove"
                                </button>
                            </div>
                        }
                    }
                />
            </fieldset>
        }
    };

    let setup_view = move || {
        view! {
            <form class="offer-form" novalidate=true on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <h2>"Offer setup"</h2>
                {field("csp-name", "Internal name", "internal_name", name, "Not shown to partners.")}
                <div class="field" role="radiogroup" aria-labelledby="csp-start-label">
                    <span id="csp-start-label" class="label">"Start date"</span>
                    <label>
                        <input
                            type="radio"
                            name="csp-start"
                            prop:checked=move || start_mode.get() == "asap"
                            on:change=move |_| {
                                start_mode.set("asap".into());
                                touch("start");
                            }
                        />
                        " As soon as possible"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="csp-start"
                            prop:checked=move || start_mode.get() == "month"
                            on:change=move |_| {
                                start_mode.set("month".into());
                                touch("start");
                            }
                        />
                        " Specific month"
                    </label>
                </div>
                // A closure rather than `<Show>`, for the page's weight (BENCHMARKS.md, stop 24).
                {move || {
                    (start_mode.get() == "month")
                        .then(|| date("csp-start-month", "Start month", "start", start_month, START_MONTH_DAYS))
                }}
                {date("csp-end-month", "End date", "end", end_month, END_MONTH_DAYS)}
                {field("csp-contacts", "Notification contacts", "notification_contacts", contacts, "Up to five email addresses, separated by commas.")}
                <fieldset>
                    <legend>"Offers and plans"</legend>
                    <For each=move || lines.get() key=|line| line.key children=line_view />
                    <p class="field-error" role="alert" hidden=move || error_of("lines".into()).get().is_none()>
                        {move || error_of("lines".into()).get()}
                    </p>
                    <button
                        type="button"
                        class="secondary"
                        on:click=move |_| {
                            let key = next_key.get_untracked();
                            next_key.set(key + 1);
                            let line = owner
                                .with_value(|owner| {
                                    owner
                                        .with(|| LineDraft {
                                            key,
                                            target: RwSignal::new(String::new()),
                                            margin: RwSignal::new(String::new()),
                                        })
                                });
                            lines.update(|all| all.push(line));
                        }
                    >
                        "+ Add offer or plan"
                    </button>
                </fieldset>
                {partner_picker()}
                <div class="form-actions">
                    <button type="button" class="primary" disabled=move || !valid() || working() on:click=move |_| to_review()>
                        "Review and submit"
                    </button>
                    <p class="status" role="status">
                        {move || {
                            let count = reading.with(|(_, problems)| problems.len());
                            (count > 0).then(|| format!("{count} to fix before the draft is saved or submitted."))
                        }}
                    </p>
                </div>
            </form>
        }
    };

    view! {
        <section class="csp-form" aria-labelledby="csp-title">
            <h1 id="csp-title">
                {move || if keeper.offer_id.get().is_some() { "CSP margin offer" } else { "New CSP margin offer" }}
            </h1>
            {steps(false)}
            {catalog.notice()}
            <div aria-live="polite">
                {move || notice.get().map(|text| view! { <p class="notice-error" role="alert">{text}</p> })}
                <p class="status" role="status">{move || busy.get()}</p>
                {keeper
                    .resume_notice(move |typed: Typed| {
                        put(typed);
                        touch("internal_name");
                    })}
            </div>
            {keeper.status_view("csp-save-state", Signal::derive(valid))}
            {keeper.fields(setup_view())}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use offerdesk_core::party::{DirectoryPartner, Eligibility};

    use super::Typed;

    #[test]
    fn a_kept_draft_reads_back_as_typed() {
        let partner = DirectoryPartner {
            organization_id: 7,
            name: "Fabrikam \"Resellers\"".to_owned(),
            seller_id: "10000001".to_owned(),
            tenant_id: "4f2c8a1e-9b3d-4e5f-8a7b-6c5d4e3f2a1b".to_owned(),
            aws_account_id: Some("444455556666".to_owned()),
            csp_member: true,
            regions: vec!["Europe".to_owned()],
            tax_profile_country: None,
            multiparty_selection: Eligibility::NotEligible {
                reason: "No tax profile.".to_owned(),
            },
        };
        let typed = Typed {
            name: "FY27 CSP push".to_owned(),
            start_mode: "month".to_owned(),
            start_month: "2027-0".to_owned(),
            end_month: String::new(),
            contacts: "a@b.example".to_owned(),
            lines: vec![("contoso/basic".to_owned(), "4.5".to_owned())],
            partners: vec![(partner, "t1\nt2".to_owned())],
        };
        let json = serde_json::to_string(&typed).unwrap();
        assert!(json.starts_with("[\"csp-form/1\","), "{json}");
        assert_eq!(crate::json::from_str::<Typed>(&json).unwrap(), typed);

        let mut texts = Vec::<String>::from(typed);
        texts[10] = "{\"name\":\"no such entry\"}".to_owned();
        let json = serde_json::to_string(&texts).unwrap();
        assert!(crate::json::from_str::<Typed>(&json).is_err(), "{json}");
        assert!(crate::json::from_str::<Typed>(r#"{"name":"old layout"}"#).is_err());
    }
}
