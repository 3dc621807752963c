//! The ISV's "Private offers" dashboard at `/offers`: one tab per program (seed 001's
//! dashboard: "CSP partners", "Multiparty", plus AWS's resale authorizations as "CPPO"), with
//! search, a status filter and the actions the server allows on each offer.

use crate::router::use_router;
use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::cppo::{AuthorizationKind, ResaleAuthorization};
use offerdesk_core::csp::view::CspIsvView;
use offerdesk_core::csp::{CspStart, CspStatus};
use offerdesk_core::field::fold_case;
use offerdesk_core::money::display_percent;
use offerdesk_core::multiparty::view::{IsvListing, PurchaseRow};
use offerdesk_core::multiparty::CustomerStart;
use serde::de::IgnoredAny;
use serde::{Deserialize, Serialize};

use crate::api::{self, ApiError};
use crate::components::confirm_dialog::{focus_by_id, focus_soon, ConfirmDialog};
use crate::components::purchase_statuses::PurchaseStatuses;
use crate::session::{use_session, SessionState};

/// The three programs, one tab each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Program {
    /// Microsoft ISV to CSP partner margin offers.
    Csp,
    /// Microsoft multiparty private offers.
    Multiparty,
    /// AWS resale authorizations for consulting partners.
    Cppo,
}

impl Program {
    const ALL: [Program; 3] = [Program::Csp, Program::Multiparty, Program::Cppo];

    fn key(self) -> &'static str {
        match self {
            Program::Csp => "csp",
            Program::Multiparty => "multiparty",
            Program::Cppo => "cppo",
        }
    }

    fn tab_label(self) -> &'static str {
        match self {
            Program::Csp => "CSP partners",
            Program::Multiparty => "Multiparty",
            Program::Cppo => "CPPO",
        }
    }

    fn parties_heading(self) -> &'static str {
        match self {
            Program::Csp => "CSP partners",
            Program::Multiparty => "Partner and customer",
            Program::Cppo => "Partner and buyer",
        }
    }

    fn from_key(key: &str) -> Option<Program> {
        Program::ALL
            .into_iter()
            .find(|program| program.key() == key)
    }

    /// The API collection of the program.
    fn collection(self) -> &'static str {
        match self {
            Program::Csp => "/api/v1/csp-offers",
            Program::Multiparty => "/api/v1/multiparty-offers",
            Program::Cppo => "/api/v1/resale-authorizations",
        }
    }
}

/// One dashboard row, read from the server's projection for the ISV.
#[derive(Debug, Clone, PartialEq)]
struct Row {
    program: Program,
    id: String,
    version: i64,
    name: String,
    parties: String,
    dates: String,
    status: String,
    allowed: Vec<String>,
    /// Once a CSP offer is submitted: each partner and its publishing step.
    publishing: Vec<(String, String)>,
    /// After a multiparty offer's acceptance: each SaaS product's purchase status.
    purchases: Vec<PurchaseRow>,
}

/// An action of the dashboard, by the server's wire name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DashboardAction {
    Clone,
    Withdraw,
    Delete,
    End,
}

impl DashboardAction {
    fn wire(self) -> &'static str {
        match self {
            DashboardAction::Clone => "clone",
            DashboardAction::Withdraw => "withdraw",
            DashboardAction::Delete => "delete",
            DashboardAction::End => "end",
        }
    }

    fn label(self) -> &'static str {
        match self {
            DashboardAction::Clone => "Clone",
            DashboardAction::Withdraw => "Withdraw",
            DashboardAction::Delete => "Delete",
            DashboardAction::End => "End",
        }
    }

    /// The actions shown on every row of a program's tab.
    fn for_program(program: Program) -> &'static [DashboardAction] {
        match program {
            Program::Cppo => &[DashboardAction::Delete, DashboardAction::End],
            _ => &[
                DashboardAction::Clone,
                DashboardAction::Withdraw,
                DashboardAction::Delete,
            ],
        }
    }
}

/// The server's answer for one offer: `{ id, version, viewer, offer, allowed_actions }`, and
/// for a CSP offer the company name of each of its partners.
#[derive(Debug, Deserialize)]
struct Answer {
    id: String,
    version: i64,
    viewer: String,
    #[serde(default)]
    offer: Option<api::Raw>,
    #[serde(default)]
    allowed_actions: Vec<String>,
    #[serde(default)]
    partner_companies: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct AuthorizationAnswer {
    id: String,
    version: i64,
    viewer: String,
    authorization: ResaleAuthorization,
    #[serde(default)]
    allowed_actions: Vec<String>,
    /// The consulting partner's company name ("" when it is gone).
    #[serde(default)]
    partner_company: String,
}

fn describe_start(start: &CustomerStart) -> String {
    match start {
        CustomerStart::OnAcceptance => "On acceptance".to_owned(),
        CustomerStart::Month(month) => format!("From {month}"),
    }
}

async fn load_rows(program: Program) -> Result<Vec<Row>, ApiError> {
    let mut rows = Vec::new();
    match program {
        Program::Multiparty => {
            let list: Vec<Answer> = api::get_every_page(program.collection(), "offers").await?;
            for answer in list.into_iter().filter(|a| a.viewer == "isv") {
                let Some(view) = answer.offer.as_ref().and_then(api::Raw::read::<IsvListing>)
                else {
                    continue;
                };
                rows.push(Row {
                    program,
                    id: answer.id,
                    version: answer.version,
                    name: view.isv.name.clone(),
                    parties: format!(
                        "{} (seller ID {}); customer {}",
                        view.partner_company,
                        view.isv.selling_partner_seller_id,
                        view.isv.customer.billing_account_id
                    ),
                    dates: format!(
                        "{} to {}; accept by {}",
                        describe_start(&view.isv.customer_start),
                        view.isv.customer_end,
                        view.isv.accept_by
                    ),
                    status: view.status_label,
                    allowed: answer.allowed_actions,
                    publishing: Vec::new(),
                    purchases: view.purchases,
                });
            }
        }
        Program::Csp => {
            let list: Vec<Answer> = api::get_every_page(program.collection(), "offers").await?;
            for answer in list.into_iter().filter(|a| a.viewer == "isv") {
                let Some(view) = answer.offer.as_ref().and_then(api::Raw::read::<CspIsvView>)
                else {
                    continue;
                };
                // Each partner by company name, by tenant ID if it left the directory.
                let partners: Vec<String> = view
                    .setup
                    .partners
                    .iter()
                    .enumerate()
                    .map(|(index, partner)| {
                        answer
                            .partner_companies
                            .get(index)
                            .filter(|name| !name.is_empty())
                            .unwrap_or(&partner.tenant_id)
                            .clone()
                    })
                    .collect();
                // Each partner's publishing step, from In Progress on (all "Live" once live).
                let publishing = if view.status != CspStatus::Draft {
                    partners
                        .iter()
                        .zip(&view.partner_states)
                        .map(|(partner, state)| (partner.clone(), state.label().to_owned()))
                        .collect()
                } else {
                    Vec::new()
                };
                let start = match view.setup.start {
                    CspStart::AsSoonAsPossible => "As soon as possible".to_owned(),
                    CspStart::Month(month) => format!("From {month}"),
                };
                rows.push(Row {
                    program,
                    id: answer.id,
                    version: answer.version,
                    name: view.setup.internal_name.clone(),
                    parties: partners.join(", "),
                    dates: format!("{start} to {}", view.setup.end),
                    status: view.status_label,
                    allowed: answer.allowed_actions,
                    publishing,
                    purchases: Vec::new(),
                });
            }
        }
        Program::Cppo => {
            let list: Vec<AuthorizationAnswer> =
                api::get_every_page(program.collection(), "authorizations").await?;
            for answer in list.into_iter().filter(|a| a.viewer == "isv") {
                let terms = &answer.authorization.terms;
                let partner = if answer.partner_company.is_empty() {
                    terms.partner_aws_account_id.clone()
                } else {
                    format!(
                        "{} ({})",
                        answer.partner_company, terms.partner_aws_account_id
                    )
                };
                let (parties, dates) = match &terms.kind {
                    AuthorizationKind::Recurring { until } => (
                        format!("{partner}; any buyer (recurring)"),
                        until
                            .map(|day| format!("Until {day}"))
                            .unwrap_or_else(|| "Indefinitely".to_owned()),
                    ),
                    AuthorizationKind::NonRecurring {
                        buyer_account_id,
                        buyer_name,
                    } => (
                        format!("{partner}; buyer {buyer_name} ({buyer_account_id})"),
                        "Once, for one buyer".to_owned(),
                    ),
                };
                let products = terms
                    .products
                    .iter()
                    .map(|product| format!("{} / {}", product.offer_id, product.plan_id))
                    .collect::<Vec<_>>()
                    .join(", ");
                rows.push(Row {
                    program,
                    id: answer.id,
                    version: answer.version,
                    name: format!(
                        "{} off list: {products}",
                        display_percent(terms.discount_percent.value())
                    ),
                    parties,
                    dates,
                    status: answer.authorization.status.label().to_owned(),
                    allowed: answer.allowed_actions,
                    publishing: Vec::new(),
                    purchases: Vec::new(),
                });
            }
        }
    }
    Ok(rows)
}

/// The body of cloning a multiparty offer: the clone's name.
#[derive(Debug, Serialize)]
struct CloneBody {
    name: String,
}

/// The body of cloning a CSP offer: the clone's internal name.
#[derive(Debug, Serialize)]
struct CspCloneBody {
    internal_name: String,
}

/// What a clone answers: the new draft's ID.
#[derive(Debug, Deserialize)]
struct Made {
    id: String,
}

/// Runs `action` on `row` against the API. Answers the page of what it made to open next (a
/// clone's draft); otherwise the list reloads.
async fn perform(
    row: &Row,
    action: DashboardAction,
    new_name: String,
) -> Result<Option<String>, ApiError> {
    let base = format!("{}/{}", row.program.collection(), row.id);
    let version = api::Version {
        version: row.version,
    };
    match (row.program, action) {
        (Program::Multiparty, DashboardAction::Clone) => {
            let made: Made =
                api::post(&format!("{base}/clone"), &CloneBody { name: new_name }).await?;
            return Ok(Some(format!("/offers/multiparty/{}", made.id)));
        }
        (Program::Csp, DashboardAction::Clone) => {
            let made: Made = api::post(
                &format!("{base}/clone"),
                &CspCloneBody {
                    internal_name: new_name,
                },
            )
            .await?;
            return Ok(Some(format!("/offers/csp/{}", made.id)));
        }
        (Program::Cppo, DashboardAction::Delete) => {
            api::post::<_, IgnoredAny>(&format!("{base}/delete"), &version).await?;
        }
        (_, DashboardAction::Delete) => {
            api::delete::<IgnoredAny>(&format!("{base}?version={}", row.version)).await?;
        }
        (_, other) => {
            api::post::<_, IgnoredAny>(&format!("{base}/{}", other.wire()), &version).await?;
        }
    }
    Ok(None)
}

/// An action the person asked for and has yet to confirm.
#[derive(Debug, Clone)]
struct Pending {
    row: Row,
    action: DashboardAction,
    trigger_id: String,
}

/// What the last action did, shown above the table.
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    Done(String),
    Refused(String),
}

fn action_label_for_people(wire: &str) -> String {
    match wire {
        "edit" => "Edit".to_owned(),
        "request_cancellation" => "Request cancellation".to_owned(),
        "confirm_cancellation" => "Confirm cancellation".to_owned(),
        other => {
            let mut chars = other.chars();
            chars
                .next()
                // Action names are ASCII: ASCII upper-casing spares the page Unicode's tables.
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
                .replace('_', " ")
        }
    }
}

fn refusal_text(error: &ApiError) -> String {
    let mut text = error.general();
    let actions: Vec<String> = error
        .allowed_actions
        .iter()
        .map(|action| action_label_for_people(action))
        .collect();
    if error.status == 409 {
        if actions.is_empty() {
            text.push_str(" Nothing else can be done with it now.");
        } else {
            text.push_str(&format!(" Allowed now: {}.", actions.join(", ")));
        }
    }
    text
}

/// The dashboard page; signed-out visitors are sent to sign in first.
#[component]
pub fn OffersPage() -> impl IntoView {
    let session = use_session();
    let router = use_router();
    Effect::new(move |_| {
        if session.state() == SessionState::SignedOut {
            router.navigate("/sign-in?next=/offers");
        }
    });
    view! {
        {move || match session.state() {
            SessionState::SignedIn(view) if view.organization.kind.is_isv() => {
                view! { <Dashboard /> }.into_any()
            }
            SessionState::SignedIn(_) => {
                view! {
                    <section>
                        <h1>"Private offers"</h1>
                        <p>"Only an ISV's users create and manage private offers here."</p>
                    </section>
                }
                    .into_any()
            }
            _ => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
        }}
    }
}

#[component]
fn Dashboard() -> impl IntoView {
    let router = use_router();
    let initial = router
        .query_untracked("tab")
        .and_then(|tab| Program::from_key(&tab))
        .unwrap_or(Program::Csp);
    let tab = RwSignal::new(initial);
    let search = RwSignal::new(String::new());
    let status_filter = RwSignal::new(String::new());
    let reload = RwSignal::new(0u32);
    let notice = RwSignal::new(None::<Notice>);
    let pending = RwSignal::new(None::<Pending>);
    let busy = RwSignal::new(false);
    let clone_name = RwSignal::new(String::new());

    let rows = LocalResource::new(move || {
        let program = tab.get();
        reload.track();
        async move { load_rows(program).await }
    });

    let select_tab = move |program: Program| {
        tab.set(program);
        status_filter.set(String::new());
        notice.set(None);
    };
    let on_tab_keydown = move |event: leptos::ev::KeyboardEvent| {
        let index = Program::ALL.iter().position(|p| *p == tab.get_untracked());
        let Some(index) = index else { return };
        let next = match event.key().as_str() {
            "ArrowRight" => (index + 1) % Program::ALL.len(),
            "ArrowLeft" => (index + Program::ALL.len() - 1) % Program::ALL.len(),
            "Home" => 0,
            "End" => Program::ALL.len() - 1,
            _ => return,
        };
        event.prevent_default();
        let program = Program::ALL[next];
        select_tab(program);
        focus_by_id(&format!("tab-{}", program.key()), "offers-panel");
    };

    let statuses = move || {
        let mut seen: Vec<String> = Vec::new();
        if let Some(Ok(rows)) = rows.get() {
            for row in rows.iter() {
                if !seen.contains(&row.status) {
                    seen.push(row.status.clone());
                }
            }
        }
        seen
    };
    // Each row's searchable texts in folded case: once per load, not once per keystroke.
    let searched = Memo::new(move |_| match rows.get() {
        Some(Ok(rows)) => rows
            .iter()
            .map(|row| [&row.name, &row.parties, &row.id, &row.dates].map(|text| fold_case(text)))
            .collect(),
        _ => Vec::new(),
    });
    let shown = move || -> Option<Result<Vec<Row>, ApiError>> {
        let needle = fold_case(search.get().trim());
        let status = status_filter.get();
        let searched = searched.get();
        rows.get().map(|answer| {
            answer.map(|rows| {
                rows.into_iter()
                    .zip(searched)
                    .filter(|(row, _)| status.is_empty() || row.status == status)
                    .filter(|(_, texts)| {
                        needle.is_empty() || texts.iter().any(|text| text.contains(&needle))
                    })
                    .map(|(row, _)| row)
                    .collect()
            })
        })
    };

    let ask = move |row: Row, action: DashboardAction, trigger_id: String| {
        notice.set(None);
        clone_name.set(format!("Copy of {}", row.name));
        pending.set(Some(Pending {
            row,
            action,
            trigger_id,
        }));
    };
    let close = move || {
        if let Some(asked) = pending.get_untracked() {
            pending.set(None);
            // Focus goes back once the dialog is gone and the list has re-rendered.
            focus_soon(asked.trigger_id.clone(), "offers-heading");
        }
    };
    let confirm = move || {
        let Some(asked) = pending.get_untracked() else {
            return;
        };
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        let new_name = clone_name.get_untracked();
        spawn_local(async move {
            let answer = perform(&asked.row, asked.action, new_name.clone()).await;
            busy.set(false);
            match answer {
                Ok(Some(draft)) => {
                    close();
                    router.navigate(&draft);
                    return;
                }
                Ok(None) => {
                    let done = match asked.action {
                        DashboardAction::Clone => {
                            format!("“{}” was cloned as “{new_name}”, a draft.", asked.row.name)
                        }
                        DashboardAction::Withdraw => {
                            format!("“{}” was withdrawn.", asked.row.name)
                        }
                        DashboardAction::Delete => format!("“{}” was deleted.", asked.row.name),
                        DashboardAction::End => format!("“{}” was ended.", asked.row.name),
                    };
                    notice.set(Some(Notice::Done(done)));
                }
                Err(error) => notice.set(Some(Notice::Refused(format!(
                    "{} “{}” was refused: {}",
                    asked.action.label(),
                    asked.row.name,
                    refusal_text(&error)
                )))),
            }
            close();
            reload.update(|n| *n += 1);
        });
    };

    view! {
        <section class="dashboard" aria-labelledby="offers-heading">
            <h1 id="offers-heading" tabindex="-1">"Private offers"</h1>
            <p class="lead">
                "Create and manage private offers sold through your partners: CSP margin offers, multiparty private offers and AWS resale authorizations."
            </p>
            <div class="tabs" role="tablist" aria-label="Programs" on:keydown=on_tab_keydown>
                {Program::ALL
                    .into_iter()
                    .map(|program| {
                        let selected = move || tab.get() == program;
                        view! {
                            <button
                                type="button"
                                role="tab"
                                id=format!("tab-{}", program.key())
                                aria-controls="offers-panel"
                                aria-selected=move || selected().to_string()
                                tabindex=move || if selected() { "0" } else { "-1" }
                                on:click=move |_| select_tab(program)
                            >
                                {program.tab_label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </div>
            <div
                id="offers-panel"
                role="tabpanel"
                aria-labelledby=move || format!("tab-{}", tab.get().key())
            >
                <div class="toolbar">
                    <div class="field">
                        <label for="offer-search">"Search"</label>
                        <input
                            id="offer-search"
                            type="search"
                            prop:value=move || search.get()
                            on:input=move |event| search.set(event_target_value(&event))
                        />
                    </div>
                    <div class="field">
                        <label for="status-filter">"Status"</label>
                        <select
                            id="status-filter"
                            prop:value=move || status_filter.get()
                            on:change=move |event| status_filter.set(event_target_value(&event))
                        >
                            <option value="">"All statuses"</option>
                            {move || {
                                statuses()
                                    .into_iter()
                                    .map(|status| {
                                        let value = status.clone();
                                        view! { <option value=value>{status}</option> }
                                    })
                                    .collect_view()
                            }}
                        </select>
                    </div>
                    {move || match tab.get() {
                        Program::Multiparty => {
                            view! {
                                <a href="/offers/multiparty/new" class="button">
                                    "+ New private offer"
                                </a>
                            }
                                .into_any()
                        }
                        Program::Csp => {
                            view! {
                                <a href="/offers/csp/new" class="button">
                                    "+ New CSP margin offer"
                                </a>
                            }
                                .into_any()
                        }
                        Program::Cppo => {
                            view! {
                                <a href="/offers/cppo/new" class="button">
                                    "+ New resale authorization"
                                </a>
                            }
                                .into_any()
                        }
                    }}
                </div>
                <div class="notices" aria-live="polite">
                    {move || match notice.get() {
                        Some(Notice::Done(text)) => {
                            view! { <p class="notice-success" role="status">{text}</p> }.into_any()
                        }
                        Some(Notice::Refused(text)) => {
                            view! { <p class="notice-error" role="alert">{text}</p> }.into_any()
                        }
                        None => ().into_any(),
                    }}
                </div>
                {move || match shown() {
                    None => view! { <p class="status" role="status">"Loading offers…"</p> }.into_any(),
                    Some(Err(error)) => {
                        view! { <p class="notice-error" role="alert">{error.general()}</p> }.into_any()
                    }
                    Some(Ok(rows)) if rows.is_empty() => {
                        view! { <p class="empty">"No private offers match."</p> }.into_any()
                    }
                    Some(Ok(rows)) => {
                        let program = tab.get_untracked();
                        view! {
                            <table class="offers-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"Name"</th>
                                        <th scope="col">{program.parties_heading()}</th>
                                        <th scope="col">"Dates"</th>
                                        <th scope="col">"Status"</th>
                                        <th scope="col">"Actions"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|row| view! { <OfferRow row=row ask=ask /> })
                                        .collect_view()}
                                </tbody>
                            </table>
                        }
                            .into_any()
                    }
                }}
            </div>
            {move || {
                pending
                    .get()
                    .map(|asked| {
                        let (title, message, confirm_label) = match asked.action {
                            DashboardAction::Clone => (
                                "Clone private offer".to_owned(),
                                format!(
                                    "A new draft is made from “{}”. Enter a new private offer name, then select Clone.",
                                    asked.row.name
                                ),
                                "Clone",
                            ),
                            DashboardAction::Withdraw => (
                                "Withdraw private offer".to_owned(),
                                format!(
                                    "Withdraw “{}”? Your partners will no longer be able to access it.",
                                    asked.row.name
                                ),
                                "Request withdraw",
                            ),
                            DashboardAction::Delete => (
                                "Delete private offer".to_owned(),
                                format!(
                                    "Delete “{}”? This permanently deletes the draft.",
                                    asked.row.name
                                ),
                                "Confirm",
                            ),
                            DashboardAction::End => (
                                "End resale authorization".to_owned(),
                                format!(
                                    "End “{}”? The partner can no longer make buyer offers under it.",
                                    asked.row.name
                                ),
                                "End",
                            ),
                        };
                        let is_clone = asked.action == DashboardAction::Clone;
                        view! {
                            <ConfirmDialog
                                title=title
                                message=message
                                confirm_label=confirm_label
                                busy=busy
                                on_confirm=move |_| confirm()
                                on_cancel=move |_| close()
                                focus_field=is_clone
                            >
                                {is_clone
                                    .then(|| {
                                        view! {
                                            <div class="field">
                                                <label for="clone-name">"New private offer name"</label>
                                                <input
                                                    id="clone-name"
                                                    type="text"
                                                    prop:value=move || clone_name.get()
                                                    on:input=move |event| {
                                                        clone_name.set(event_target_value(&event))
                                                    }
                                                />
                                            </div>
                                        }
                                    })}
                            </ConfirmDialog>
                        }
                    })
            }}
        </section>
    }
}

/// One offer's row: its facts and its actions, each enabled only when the server allows it.
#[component]
fn OfferRow<F>(row: Row, ask: F) -> impl IntoView
where
    F: Fn(Row, DashboardAction, String) + Copy + Send + Sync + 'static,
{
    let actions = DashboardAction::for_program(row.program);
    let publishing = row.publishing.clone();
    let details = (!publishing.is_empty()).then(|| {
        view! {
            <details class="publishing">
                <summary>"Publishing details"</summary>
                <ul>
                    {publishing
                        .into_iter()
                        .map(|(partner, state)| {
                            view! {
                                <li>
                                    <span class="partner">{partner}</span>
                                    ": "
                                    <span class="state">{state}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </details>
        }
    });
    // Each offer opens in its program's form while it can be edited; after, read-only: on the
    // review page of a multiparty or CSP offer, in the CPPO form (its review is in the form).
    let (form, review) = match row.program {
        Program::Multiparty => ("multiparty", "/review"),
        Program::Csp => ("csp", "/review"),
        Program::Cppo => ("cppo", ""),
    };
    let tail = if row.allowed.iter().any(|action| action == "edit") {
        ""
    } else {
        review
    };
    let edit_link = {
        let (href, name) = (format!("/offers/{form}/{}{tail}", row.id), row.name.clone());
        view! { <a href=href class="offer-name">{name}</a> }
    };
    let pricing_sheet = (row.program == Program::Multiparty).then(|| {
        let href = format!("/api/v1/multiparty-offers/{}/pricing-sheet.csv", row.id);
        view! {
            <a class="pricing-sheet" href=href download="">
                "Pricing sheet (CSV)"
            </a>
        }
    });
    view! {
        <tr data-offer-id=row.id.clone()>
            <th scope="row">{edit_link} {details} {pricing_sheet}</th>
            <td>{row.parties.clone()}</td>
            <td>{row.dates.clone()}</td>
            <td class="status-cell">
                {row.status.clone()}
                {(!row.purchases.is_empty()).then(|| view! { <PurchaseStatuses purchases=row.purchases.clone() /> })}
            </td>
            <td class="row-actions">
                {actions
                    .iter()
                    .map(|action| {
                        let action = *action;
                        let allowed = row.allowed.iter().any(|a| a == action.wire());
                        let id = format!("{}-{}", action.wire(), row.id);
                        let row = row.clone();
                        let trigger = id.clone();
                        let aria = format!("{} {}", action.label(), row.name);
                        view! {
                            <button
                                type="button"
                                class="secondary"
                                id=id
                                disabled=!allowed
                                aria-label=aria
                                on:click=move |_| ask(row.clone(), action, trigger.clone())
                            >
                                {action.label()}
                            </button>
                        }
                    })
                    .collect_view()}
            </td>
        </tr>
    }
}
