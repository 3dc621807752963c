//! The ISV's resale authorization form (AWS CPPO, seeds 003 and 004): products, a discount off
//! list, the consulting partner's AWS account ID, recurring or for one named buyer. Core's
//! `validate_authorization` runs on every change; the wholesale price previews live. A saved
//! draft opens here to be changed, saved and submitted; an active one opens read-only.

use std::collections::HashSet;

use chrono::Utc;
use leptos::prelude::*;
use leptos::task::spawn_local;

use offerdesk_core::catalog::Catalog;
use offerdesk_core::cppo::validate::{unknown_consulting_partner, validate_authorization};
use offerdesk_core::cppo::{
    AuthorizationKind, AuthorizationTerms, AuthorizedProduct, ResaleAuthorization,
};
use offerdesk_core::field::DateRule;
use offerdesk_core::party::DirectoryPartner;
use offerdesk_core::{DiscountPercent, FieldError};
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::catalog_source::CatalogSource;
use crate::components::date_field::DateField;
use crate::components::draft_keeper::{DraftKeeper, SavedDraft};
use crate::components::kept_texts::{self, NotKept, Writer};
use crate::components::price_table::{wholesale_rows, Fees, PriceKind, PriceRow, PriceTable};
use crate::components::require_sign_in::RequireSignIn;
use crate::components::review_actions::ReviewActions;
use crate::components::unread_notice::unread_notice;
use crate::router::use_router;

/// The form's fields as typed: what this browser keeps while the authorization is unsaved
/// (whether or not the discount parses yet) and puts back when the ISV resumes. Kept as flat
/// texts (`components::kept_texts`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "Vec<String>", try_from = "Vec<String>")]
struct Typed {
    products: Vec<String>,
    discount: String,
    account: String,
    kind: String,
    until: String,
    buyer_id: String,
    buyer_name: String,
}

/// The layout of a kept draft: which form, which order of texts.
const KEPT_AS: &str = "cppo-form/1";

impl From<Typed> for Vec<String> {
    fn from(typed: Typed) -> Vec<String> {
        let mut out = Writer::new(KEPT_AS);
        out.count(typed.products.len());
        for product in &typed.products {
            out.text(product);
        }
        for text in [
            &typed.discount,
            &typed.account,
            &typed.kind,
            &typed.until,
            &typed.buyer_id,
            &typed.buyer_name,
        ] {
            out.text(text);
        }
        out.finish()
    }
}

impl TryFrom<Vec<String>> for Typed {
    type Error = NotKept;

    fn try_from(texts: Vec<String>) -> Result<Typed, NotKept> {
        kept_texts::read(texts, KEPT_AS, |texts| {
            let mut products = Vec::new();
            for _ in 0..texts.count()? {
                products.push(texts.text()?);
            }
            Some(Typed {
                products,
                discount: texts.text()?,
                account: texts.text()?,
                kind: texts.text()?,
                until: texts.text()?,
                buyer_id: texts.text()?,
                buyer_name: texts.text()?,
            })
        })
    }
}

/// The server's answer about one authorization.
#[derive(Debug, Deserialize)]
struct Answer {
    id: String,
    version: i64,
    authorization: ResaleAuthorization,
    #[serde(default)]
    allowed_actions: Vec<String>,
}

impl SavedDraft for Answer {
    fn id(&self) -> &str {
        &self.id
    }

    fn version(&self) -> i64 {
        self.version
    }
}

/// The wholesale prices of the chosen products (`offer_id/plan_id` keys) at `percent` off list.
fn authorized_rows(
    catalog: &Catalog,
    chosen: &[String],
    percent: DiscountPercent,
) -> Vec<PriceRow> {
    let plans = chosen
        .iter()
        .filter_map(|key| key.split_once('/'))
        .filter_map(|(offer, plan)| catalog.plan(offer, plan));
    wholesale_rows(plans, percent)
}

/// The field path of the consulting partner's AWS account ID.
const ACCOUNT: &str = "partner_aws_account_id";

/// `/offers/cppo/new` and `/offers/cppo/{id}`, for a signed-in ISV.
#[component]
pub fn CppoFormPage(
    /// The saved authorization's ID, or `None` for a new one.
    id: Option<String>,
) -> impl IntoView {
    view! {
        <RequireSignIn refusal="Only an ISV's users authorize partners to resell.">
            <CppoForm id=id.clone() />
        </RequireSignIn>
    }
}

#[component]
fn CppoForm(id: Option<String>) -> impl IntoView {
    let router = use_router();
    let today = Utc::now().date_naive();
    let products = RwSignal::new(Vec::<String>::new());
    let discount = RwSignal::new(String::new());
    let account = RwSignal::new(String::new());
    let kind = RwSignal::new("recurring".to_owned());
    let until = RwSignal::new(String::new());
    let buyer_id = RwSignal::new(String::new());
    let buyer_name = RwSignal::new(String::new());
    let touched = RwSignal::new(HashSet::<String>::new());
    let server_errors = RwSignal::new(Vec::<FieldError>::new());
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(None::<&'static str>);
    let step = RwSignal::new("setup");
    // The status of an authorization that can no longer be changed.
    let locked = RwSignal::new(None::<&'static str>);
    // Saved as the ISV works, kept in this browser meanwhile.
    let keeper = DraftKeeper::<Typed>::new("cppo", id);

    // Puts `terms` (saved, or kept in this browser) in the form.
    let fill = move |terms: &AuthorizationTerms| {
        products.set(
            terms
                .products
                .iter()
                .map(|p| format!("{}/{}", p.offer_id, p.plan_id))
                .collect(),
        );
        discount.set(terms.discount_percent.value().normalize().to_string());
        account.set(terms.partner_aws_account_id.clone());
        match &terms.kind {
            AuthorizationKind::Recurring { until: day } => {
                kind.set("recurring".into());
                until.set(day.map(|day| day.to_string()).unwrap_or_default());
            }
            AuthorizationKind::NonRecurring {
                buyer_account_id,
                buyer_name: name,
            } => {
                kind.set("non_recurring".into());
                buyer_id.set(buyer_account_id.clone());
                buyer_name.set(name.clone());
            }
        }
    };
    if let Some(id) = keeper.offer_id.get_untracked() {
        spawn_local(async move {
            match api::get::<Answer>(&format!("/api/v1/resale-authorizations/{id}")).await {
                Ok(answer) => {
                    fill(&answer.authorization.terms);
                    keeper.loaded(answer.version);
                    if !answer.allowed_actions.iter().any(|action| action == "edit") {
                        locked.set(Some(answer.authorization.status.label()));
                        step.set("review");
                    }
                }
                Err(error) => {
                    keeper.load_failed();
                    notice.set(Some(error.general()));
                }
            }
        });
    }

    let catalog = CatalogSource::new();
    // The name of the consulting partner with the typed AWS account ID (`None`: no partner has
    // it), looked up in the directory once all 12 digits are typed, with the ID it was asked.
    let partner = LocalResource::new(move || {
        let wanted = account.get().trim().to_owned();
        async move {
            if wanted.len() != 12 || !wanted.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let filter = format!("aws_account_id={wanted}");
            let entry = api::directory_entry::<DirectoryPartner>(&filter).await;
            Some((wanted, entry.map(|entry| entry.map(|partner| partner.name))))
        }
    });
    // The directory's answer for the ID as typed now (none while it is looked up).
    let found = move || {
        let (asked, answer) = partner.get().flatten()?;
        account
            .with(|typed| typed.trim() == asked)
            .then_some(answer)
    };

    let reading = Memo::new(move |_| {
        let mut problems = Vec::new();
        let text = discount.get();
        let discount_percent = match DiscountPercent::parse(text.trim()) {
            Ok(percent) => Some(percent),
            Err(error) => {
                problems.push(FieldError::new(
                    "discount_percent",
                    if text.trim().is_empty() {
                        "Enter the discount % off list price.".to_owned()
                    } else {
                        error.to_string()
                    },
                ));
                None
            }
        };
        let kind = if kind.get() == "recurring" {
            let text = until.get();
            let until = if text.trim().is_empty() {
                None
            } else {
                match offerdesk_core::field::parse_iso_date(text.trim()) {
                    Some(day) => Some(day),
                    None => {
                        problems.push(FieldError::new(
                            "kind.until",
                            "Enter the end date as YYYY-MM-DD, or leave it empty.",
                        ));
                        None
                    }
                }
            };
            AuthorizationKind::Recurring { until }
        } else {
            AuthorizationKind::NonRecurring {
                buyer_account_id: buyer_id.get().trim().to_owned(),
                buyer_name: buyer_name.get().trim().to_owned(),
            }
        };
        let terms = discount_percent.map(|discount_percent| AuthorizationTerms {
            products: products
                .get()
                .iter()
                .filter_map(|key| key.split_once('/'))
                .map(|(offer_id, plan_id)| AuthorizedProduct {
                    offer_id: offer_id.to_owned(),
                    plan_id: plan_id.to_owned(),
                })
                .collect(),
            discount_percent,
            partner_aws_account_id: account.get().trim().to_owned(),
            kind,
        });
        if let Some(terms) = &terms {
            if let Err(found) =
                catalog.with(|catalog| validate_authorization(terms, catalog, today))
            {
                problems.extend(found);
            }
        }
        // A well-formed ID the directory has no consulting partner for, or could not check.
        let unknown = match found() {
            Some(Ok(None)) => Some(unknown_consulting_partner()),
            Some(Err(_)) => Some(FieldError::new(
                ACCOUNT,
                "The partner directory could not be read to check this AWS account ID.",
            )),
            _ => None,
        };
        if !problems.iter().any(|problem| problem.field == ACCOUNT) {
            problems.extend(unknown);
        }
        (terms, problems)
    });
    let valid = move || reading.with(|(terms, problems)| terms.is_some() && problems.is_empty());
    let touch = move |field: &str| {
        server_errors.set(Vec::new());
        keeper.changed();
        let field = field.to_owned();
        touched.update(|set| {
            set.insert(field);
        });
    };
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            let matches = |candidate: &str| {
                candidate == field
                    || candidate.starts_with(&format!("{field}."))
                    || candidate.starts_with(&format!("{field}["))
            };
            if let Some(message) = server_errors.with(|errors| {
                errors
                    .iter()
                    .find(|e| matches(&e.field))
                    .map(|e| e.message.clone())
            }) {
                return Some(message);
            }
            if !touched.with(|set| set.contains(field)) {
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
    let field = move |id: &'static str,
                      label: &'static str,
                      key: &'static str,
                      value: RwSignal<String>,
                      hint: &'static str| {
        let error = error_of(key);
        let error_id = format!("{id}-error");
        let described = format!("{id}-hint {error_id}");
        let hint_id = format!("{id}-hint");
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

    let wholesale = Signal::derive(move || {
        let Ok(percent) = DiscountPercent::parse(discount.get().trim()) else {
            return Vec::new();
        };
        let chosen = products.get();
        catalog.with(|catalog| authorized_rows(catalog, &chosen, percent))
    });

    // Creates the draft, or replaces the saved draft's terms.
    let save = move |terms: AuthorizationTerms| async move {
        let collection = "/api/v1/resale-authorizations";
        keeper
            .save::<_, Answer>(
                collection,
                |id| format!("/offers/cppo/{id}"),
                None,
                &terms,
                server_errors,
            )
            .await
    };
    keeper.start(
        Signal::derive(move || Typed {
            products: products.get(),
            discount: discount.get(),
            account: account.get(),
            kind: kind.get(),
            until: until.get(),
            buyer_id: buyer_id.get(),
            buyer_name: buyer_name.get(),
        }),
        Signal::derive(move || valid() && locked.get().is_none() && busy.get().is_none()),
        // Called only while the form is valid, so its terms read.
        move || async move {
            match reading.get_untracked().0 {
                Some(terms) => save(terms).await.map(|_| ()),
                None => Err(ApiError::local("", "Fix the offer's problems to save it.")),
            }
        },
    );
    let working = move || busy.get().is_some() || keeper.saving();
    let on_submit = Callback::new(move |()| {
        if busy.get_untracked().is_some() || keeper.in_flight() || !valid() {
            return;
        }
        busy.set(Some("Authorizing the partner…"));
        notice.set(None);
        let Some(terms) = reading.get_untracked().0 else {
            return;
        };
        spawn_local(async move {
            let answer = match save(terms).await {
                Ok(answer) => {
                    api::post::<_, serde::de::IgnoredAny>(
                        &format!("/api/v1/resale-authorizations/{}/activate", answer.id),
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
                Ok(_) => router.navigate("/offers?tab=cppo"),
                Err(error) => {
                    if !error.errors.iter().all(|e| e.field.is_empty()) {
                        step.set("setup");
                    }
                    notice.set(Some(error.general()));
                }
            }
        });
    });

    let setup_view = move || {
        view! {
            <form class="offer-form" novalidate=true on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                <h2>"Offer setup"</h2>
                <fieldset>
                    <legend>"Products"</legend>
                    {move || {
                        catalog.with(|catalog| {
                            catalog
                            .offers
                            .iter()
                            .flat_map(|offer| {
                                offer.plans.iter().map(move |plan| {
                                    let key = format!("{}/{}", offer.id, plan.id);
                                    let text = format!("{}: {}", offer.name, plan.name);
                                    let id = format!("cppo-product-{}-{}", offer.id, plan.id);
                                    let checked_key = key.clone();
                                    view! {
                                        <div class="field checkbox">
                                            <input
                                                id=id.clone()
                                                type="checkbox"
                                                prop:checked=move || products.with(|all| all.contains(&checked_key))
                                                on:change=move |event| {
                                                    let on = event_target_checked(&event);
                                                    let key = key.clone();
                                                    products.update(|all| {
                                                        all.retain(|k| *k != key);
                                                        if on {
                                                            all.push(key);
                                                        }
                                                    });
                                                    touch("products");
                                                }
                                            />
                                            <label for=id>{text}</label>
                                        </div>
                                    }
                                })
                            })
                            .collect_view()
                        })
                    }}
                    <p class="field-error" role="alert" hidden=move || error_of("products").get().is_none()>
                        {move || error_of("products").get()}
                    </p>
                </fieldset>
                {field("cppo-discount", "Discount %", "discount_percent", discount, "Off list price; the partner's wholesale price.")}
                <PriceTable caption="Wholesale prices" rows=wholesale kind=PriceKind::Wholesale fees=Fees::CPPO />
                {field("cppo-account", "Partner AWS account ID", ACCOUNT, account, "The 12-digit AWS account ID the consulting partner sells with.")}
                <p class="hint" aria-live="polite">
                    {move || {
                        found()?.ok().flatten().map(|name| format!("Consulting partner: {name}"))
                    }}
                </p>
                {move || {
                    let error = found()?.err()?;
                    let again = move || partner.refetch();
                    Some(unread_notice("The partner directory could not be read.", &error, again))
                }}
                <div class="field" role="radiogroup" aria-labelledby="cppo-kind-label">
                    <span id="cppo-kind-label" class="label">"Discount type"</span>
                    <label>
                        <input
                            type="radio"
                            name="cppo-kind"
                            prop:checked=move || kind.get() == "recurring"
                            on:change=move |_| {
                                kind.set("recurring".into());
                                touch("kind");
                            }
                        />
                        " Recurring (any number of buyers)"
                    </label>
                    <label>
                        <input
                            type="radio"
                            name="cppo-kind"
                            prop:checked=move || kind.get() == "non_recurring"
                            on:change=move |_| {
                                kind.set("non_recurring".into());
                                touch("kind");
                            }
                        />
                        " Non-recurring (one named buyer, used once)"
                    </label>
                </div>
                {move || {
                    if kind.get() == "recurring" {
                        view! {
                            <DateField
                                id="cppo-until"
                                label="Until"
                                value=until
                                rule=DateRule::AnyDay
                                error=error_of("kind.until")
                                on_change=Callback::new(move |()| touch("kind.until"))
                            />
                            <p class="hint">"Leave empty for indefinitely."</p>
                        }
                            .into_any()
                    } else {
                        view! {
                            {field("cppo-buyer-id", "Buyer AWS account ID", "kind.buyer_account_id", buyer_id, "12 digits.")}
                            {field("cppo-buyer-name", "Buyer name", "kind.buyer_name", buyer_name, "The end customer.")}
                        }
                            .into_any()
                    }
                }}
                <div class="form-actions">
                    <button type="button" class="primary" disabled=move || !valid() || working() on:click=move |_| step.set("review")>
                        "Review and submit"
                    </button>
                </div>
            </form>
        }
    };

    let review_view = move || {
        let (terms, _) = reading.get();
        let Some(terms) = terms else {
            return view! { <p>"Nothing to review yet."</p> }.into_any();
        };
        let kind_text = match &terms.kind {
            AuthorizationKind::Recurring { until: Some(day) } => format!("Recurring until {day}"),
            AuthorizationKind::Recurring { until: None } => "Recurring, indefinitely".to_owned(),
            AuthorizationKind::NonRecurring {
                buyer_account_id,
                buyer_name,
            } => {
                format!("Non-recurring, for {buyer_name} ({buyer_account_id})")
            }
        };
        view! {
            <section class="review" aria-labelledby="cppo-review-title">
                <h2 id="cppo-review-title">"Review and submit"</h2>
                <dl class="review-list">
                    <dt>"Products"</dt>
                    <dd>
                        {terms
                            .products
                            .iter()
                            .map(|p| format!("{} / {}", p.offer_id, p.plan_id))
                            .collect::<Vec<_>>()
                            .join(", ")}
                    </dd>
                    <dt>"Discount %"</dt>
                    <dd>{format!("{}%", terms.discount_percent.value().normalize())}</dd>
                    <dt>"Partner AWS account ID"</dt>
                    <dd>{terms.partner_aws_account_id.clone()}</dd>
                    <dt>"Discount type"</dt>
                    <dd>{kind_text}</dd>
                </dl>
                <PriceTable
                    caption="Wholesale prices, as the partner will see them"
                    rows=catalog.with(|catalog| {
                        authorized_rows(catalog, &products.get(), terms.discount_percent)
                    })
                    kind=PriceKind::Wholesale
                    fees=Fees::CPPO
                />
                {move || {
                    locked
                        .get()
                        .map(|status| {
                            view! {
                                <p class="notice-info">
                                    {format!("This resale authorization is {status}: it can't be modified.")}
                                </p>
                            }
                        })
                }}
                <ReviewActions
                    locked=Signal::derive(move || locked.get().is_some())
                    ready=Signal::derive(move || valid() && !working())
                    submitting=Signal::derive(move || busy.get().is_some())
                    on_back=Callback::new(move |()| step.set("setup"))
                    on_submit=on_submit
                    dashboard="/offers?tab=cppo"
                />
            </section>
        }
        .into_any()
    };

    view! {
        <section class="cppo-form" aria-labelledby="cppo-title">
            <h1 id="cppo-title">
                {move || if keeper.offer_id.get().is_some() { "Resale authorization" } else { "New resale authorization" }}
            </h1>
            <ol class="steps">
                <li aria-current=move || (step.get() == "setup").then_some("step")>"Offer setup"</li>
                <li aria-current=move || (step.get() == "review").then_some("step")>"Review and submit"</li>
            </ol>
            {catalog.notice()}
            <div aria-live="polite">
                {move || notice.get().map(|text| view! { <p class="notice-error" role="alert">{text}</p> })}
                <p class="status" role="status">{move || busy.get()}</p>
                {keeper
                    .resume_notice(move |typed: Typed| {
                        products.set(typed.products);
                        discount.set(typed.discount);
                        account.set(typed.account);
                        kind.set(typed.kind);
                        until.set(typed.until);
                        buyer_id.set(typed.buyer_id);
                        buyer_name.set(typed.buyer_name);
                        touch("products");
                    })}
            </div>
            {keeper.status_view("cppo-save-state", Signal::derive(valid))}
            {keeper
                .fields(view! {
                    {move || if step.get() == "setup" { setup_view().into_any() } else { review_view() }}
                })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::Typed;

    #[test]
    fn a_kept_draft_reads_back_as_typed() {
        let typed = Typed {
            products: vec!["contoso/basic".to_owned(), "contoso/pro".to_owned()],
            discount: "12.5x".to_owned(),
            account: "44445555666".to_owned(),
            kind: "buyer".to_owned(),
            until: "2027-06-30".to_owned(),
            buyer_id: String::new(),
            buyer_name: "Tailspin".to_owned(),
        };
        let json = serde_json::to_string(&typed).unwrap();
        assert!(json.starts_with("[\"cppo-form/1\",\"2\","), "{json}");
        assert_eq!(crate::json::from_str::<Typed>(&json).unwrap(), typed);
        for kept in [r#"["cppo-form/1","3","a"]"#, r#"{"products":[]}"#] {
            assert!(crate::json::from_str::<Typed>(kept).is_err(), "{kept}");
        }
    }
}
