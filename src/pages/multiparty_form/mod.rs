//! The ISV's multiparty private offer form (seed 001): "Offer setup", "Customer terms",
//! "Product offers", then "Review and submit". The typed text lives in signals (`draft`); a
//! `Memo` reads it into core's `IsvPart` and runs core's checks of what the page edits on every
//! change (see [`Checks`]), so errors sit next to their fields and every line's partner prices
//! preview live. The parts are small components sharing one [`FormContext`].
//!
//! Each step is a page and a bundle of its own ([`MultipartyFormPage`], [`MultipartyTermsPage`],
//! [`MultipartyReviewPage`], and "Product offers" once per pricing type:
//! [`MultipartyExistingPlansPage`], [`MultipartyNewSaasPlansPage`],
//! [`MultipartyVmReservationsPage`]) that carries only its own part, so that each stays within
//! the page weight target. Seed 001 has the pricing type chosen as the offer is created and the
//! customer terms and the product offers on its "Offer setup" page; here "Offer setup" has the
//! pricing type and summarizes the rest, each with the way to its page. The editing pages read
//! and save the whole draft; moving between them takes
//! unsaved changes along through this browser (`DraftKeeper::hand_over`). "Review and submit"
//! shows the offer as the server holds it: the editing pages save what is typed before they open
//! it, so the review carries no draft, and what is reviewed is what is submitted.

mod draft;
mod products;
mod review;
mod saved;

use std::collections::HashSet;

use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::bundle::products_step;
use offerdesk_core::field::DateRule;
use offerdesk_core::field::{last_of_month, MAX_SALES_NOTE_CHARS};
use offerdesk_core::multiparty::validate::{validate_isv_setup, validate_isv_terms};
use offerdesk_core::multiparty::{
    IsvPart, PricingType, ACCEPT_BY_DAYS, CUSTOMER_END_DAYS, MAX_TERMS_DOCUMENTS, START_MONTH_DAYS,
};
use offerdesk_core::party::PartnerProfile;
use offerdesk_core::FieldError;

use crate::api::{self, ApiError};
use crate::components::catalog_source::CatalogSource;
use crate::components::confirm_dialog::focus_soon;
use crate::components::date_field::DateField;
use crate::components::draft_keeper::DraftKeeper;
use crate::components::require_sign_in::RequireSignIn;
use crate::components::settled::{settled, TYPING_PAUSE};
use crate::components::terms_upload::TermsUpload;
use crate::components::unread_notice::unread_notice;
use crate::dates::{long_date, month_and_year};
use draft::{parse_date, read, AnyLines, Draft, Lines, Reading, Typed, Validate};
use products::{
    focus_after_removal, ExistingPlans, LineInput, NewSaasPlans, Place, ProductsPage,
    ProductsSection, VmReservations,
};
use review::{title, ReviewAndSubmit};
use saved::{find_partner, new_key, Answer};

/// What every part of the form shares: the typed draft, the catalog, core's reading, and which
/// fields have been touched or refused by the server.
#[derive(Clone, Copy)]
struct FormContext {
    pub draft: Draft,
    pub catalog: CatalogSource,
    pub reading: Memo<Reading>,
    pub touched: RwSignal<HashSet<String>>,
    pub server_errors: RwSignal<Vec<FieldError>>,
    /// Saved as the ISV works, kept in this browser meanwhile.
    pub keeper: DraftKeeper<Typed>,
}

impl FormContext {
    /// The person changed something: the draft is unsaved and the server's errors are stale.
    pub fn changed(self) {
        self.keeper.changed();
        self.server_errors.set(Vec::new());
    }

    /// The person changed `field`: its problems show from now on.
    pub fn touch(self, field: String) {
        self.changed();
        self.touched.update(|set| {
            set.insert(field);
        });
    }

    /// The first message for one of `fields()`: the server's, or core's once the person has
    /// touched the field. Unless `exact`, messages of the paths under a field count too.
    pub fn message(
        self,
        fields: impl Fn() -> Vec<String> + Send + Sync + 'static,
        exact: bool,
    ) -> Signal<Option<String>> {
        Signal::derive(move || self.first_message(&fields(), exact))
    }

    /// The body of [`FormContext::message`], kept apart from its caller's closure so that the
    /// bundle carries it once rather than once per caller.
    fn first_message(self, fields: &[String], exact: bool) -> Option<String> {
        let names = |name: &str| {
            fields.iter().any(|field| {
                name == field
                    || (!exact
                        && name
                            .strip_prefix(field.as_str())
                            .is_some_and(|rest| rest.starts_with('.')))
            })
        };
        let refused = self.server_errors.with(|errors| {
            errors
                .iter()
                .find(|error| names(&error.field))
                .map(|error| error.message.clone())
        });
        if refused.is_some() {
            return refused;
        }
        let shown = self.touched.with(|set| {
            fields
                .iter()
                .any(|field| set.iter().any(|t| field.starts_with(t.as_str())))
        });
        if !shown {
            return None;
        }
        self.reading.with(|reading| {
            reading
                .problems
                .iter()
                .find(|problem| names(&problem.field))
                .map(|problem| problem.message.clone())
        })
    }
}

/// A labelled text field of the form at a fixed path.
fn field(
    id: &'static str,
    label: &'static str,
    path: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <LineInput id=id.to_owned() place=Place::Offer label=label tail=path value=value inputmode="text" />
    }
}

/// A step of the form, each a page of its own; "Product offers" has a page per pricing type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Setup,
    Terms,
    Products(PricingType),
    Review,
}

impl Step {
    /// The step's page for the offer `offer_id` (`new` before it is saved).
    fn href(self, offer_id: Option<&str>) -> String {
        let tail = match self {
            Step::Setup => "",
            Step::Terms => "terms",
            Step::Products(pricing_type) => products_step(pricing_type),
            Step::Review => "review",
        };
        let id = offer_id.unwrap_or("new");
        if tail.is_empty() {
            format!("/offers/multiparty/{id}")
        } else {
            format!("/offers/multiparty/{id}/{tail}")
        }
    }

    /// The step's title, as its heading and the list of steps name it.
    fn title(self) -> &'static str {
        match self {
            Step::Setup => "Offer setup",
            Step::Terms => "Customer terms",
            Step::Products(_) => "Product offers",
            Step::Review => "Review and submit",
        }
    }

    /// The step whose page edits `field`, a JSON path into the ISV's part of an offer of
    /// `pricing_type` (as the server's and core's errors name it): the products' fields are on
    /// "Product offers", the customer's dates and the terms documents on "Customer terms", the
    /// rest on "Offer setup".
    fn editing(field: &str, pricing_type: PricingType) -> Step {
        let top = field.split(['[', '.']).next().unwrap_or_default();
        match top {
            "products" => Step::Products(pricing_type),
            _ if TERMS_FIELDS.contains(&top) => Step::Terms,
            _ => Step::Setup,
        }
    }
}

/// The fields of the ISV's part that "Customer terms" edits, by their paths' first segment.
const TERMS_FIELDS: [&str; 4] = ["customer_start", "customer_end", "accept_by", "terms"];

/// The form's steps, `current`'s marked.
fn steps(current: Step) -> impl IntoView {
    let marked = move |current: bool| current.then_some("step");
    view! {
        <ol class="steps">
            <li aria-current=marked(current == Step::Setup)>{Step::Setup.title()}</li>
            <li aria-current=marked(current == Step::Terms)>{Step::Terms.title()}</li>
            <li aria-current=marked(matches!(current, Step::Products(_)))>"Product offers"</li>
            <li aria-current=marked(current == Step::Review)>{Step::Review.title()}</li>
        </ol>
    }
}

/// A page of the form, for a signed-in ISV's user only.
fn for_isv<V: IntoView + 'static>(page: impl Fn() -> V + Send + Sync + 'static) -> impl IntoView {
    view! {
        <RequireSignIn refusal="Only an ISV's users create private offers.">{page()}</RequireSignIn>
    }
}

/// `/offers/multiparty/new` and `/offers/multiparty/:id` ("Offer setup"); `id` is the path's
/// segment after `multiparty/`, the saved offer's ID or `new`.
#[component]
pub fn MultipartyFormPage(id: String) -> impl IntoView {
    for_isv(move || view! { <OfferSetup id=id.clone() /> })
}

/// `/offers/multiparty/:id/terms` ("Customer terms").
#[component]
pub fn MultipartyTermsPage(id: String) -> impl IntoView {
    for_isv(move || view! { <CustomerTermsStep id=id.clone() /> })
}

/// `/offers/multiparty/:id/products/existing-plans` ("Product offers" of existing plans).
#[component]
pub fn MultipartyExistingPlansPage(id: String) -> impl IntoView {
    for_isv(move || product_offers::<ExistingPlans>(id.clone()))
}

/// `/offers/multiparty/:id/products/new-saas-plans` ("Product offers" of new SaaS plans).
#[component]
pub fn MultipartyNewSaasPlansPage(id: String) -> impl IntoView {
    for_isv(move || product_offers::<NewSaasPlans>(id.clone()))
}

/// `/offers/multiparty/:id/products/vm-reservations` ("Product offers" of VM software
/// reservations).
#[component]
pub fn MultipartyVmReservationsPage(id: String) -> impl IntoView {
    for_isv(move || product_offers::<VmReservations>(id.clone()))
}

/// `/offers/multiparty/:id/review` ("Review and submit").
#[component]
pub fn MultipartyReviewPage(id: String) -> impl IntoView {
    for_isv(move || view! { <ReviewAndSubmit id=id.clone() /> })
}

/// Where the offer stands with the server beyond what the keeper holds (its id and version):
/// whether it is locked, and what is under way.
#[derive(Clone, Copy)]
struct Saving {
    locked: RwSignal<Option<String>>,
    notice: RwSignal<Option<(bool, String)>>,
    busy: RwSignal<Option<&'static str>>,
    create_key: StoredValue<String>,
}

impl Saving {
    /// Saves `part`: create with an idempotency key the first time, then PUT with the version
    /// read. The server's field errors land on the form's fields; saved, the address bar shows
    /// the page of `step` for the offer.
    async fn save(self, form: FormContext, part: IsvPart, step: Step) -> Result<Answer, ApiError> {
        form.keeper
            .save(
                "/api/v1/multiparty-offers",
                |id| step.href(Some(id)),
                Some(&self.create_key.get_value()),
                &part,
                form.server_errors,
            )
            .await
    }
}

/// The partner directory's answer for the typed seller ID: the partner's name and profile, or
/// `None` when no partner has it.
type PartnerLookup = LocalResource<Result<Option<(String, PartnerProfile)>, ApiError>>;

/// Looks the typed seller ID up in the partner directory once typing pauses. Only "Offer setup",
/// which edits the seller ID, looks it up (see [`OpenForm::open`]).
fn look_up_seller(seller_id: RwSignal<String>) -> PartnerLookup {
    let seller_id = settled::<String>(seller_id.into(), TYPING_PAUSE);
    LocalResource::new(move || find_partner(seller_id.get()))
}

/// What a page of the form checks itself ([`OpenForm::open`]), chosen by the page so that its
/// bundle carries only those checks.
#[derive(Clone, Copy)]
struct Checks {
    /// Looks the typed seller ID up in the partner directory: on "Offer setup", which edits it.
    look_up_seller: Option<fn(RwSignal<String>) -> PartnerLookup>,
    /// Core's check of the part.
    validate: Validate,
}

impl Checks {
    /// "Offer setup": the partner and every field but the product lines' details, which
    /// "Product offers" checks.
    const SETUP: Checks = Checks {
        look_up_seller: Some(look_up_seller),
        validate: |part, _, partner, today| validate_isv_setup(part, partner, today),
    };

    /// "Customer terms": every field but the partner behind the seller ID, which "Offer setup"
    /// looks up, and the product lines' details, which "Product offers" checks.
    const TERMS: Checks = Checks {
        look_up_seller: None,
        validate: |part, _, _, today| validate_isv_terms(part, today),
    };
}

/// One page of the form, opened: its shared parts and what the page shows of where it stands.
#[derive(Clone, Copy)]
struct OpenForm {
    /// The step this page shows.
    step: Step,
    form: FormContext,
    saving: Saving,
    /// The selling partner's name, once its seller ID is found.
    partner_name: Signal<Option<String>>,
    /// The directory's answer for the typed seller ID, on the page that looks it up.
    partner_lookup: Option<PartnerLookup>,
    /// Whether core's reading of the draft finds no problem.
    valid: Signal<bool>,
    /// Whether a save or submit is under way.
    busy: Signal<bool>,
}

impl OpenForm {
    /// Opens the offer `id` (or `new`) in the page of `step`: reads the saved offer into the
    /// draft, and saves the draft whenever it is valid and editable (kept in this browser
    /// meanwhile). A submitted offer is locked for edits: "Review and submit" shows it, in place
    /// of this page in the history (Back does not come here to be sent there again).
    ///
    /// Each page checks what it edits and leaves the rest to the page that edits it and to the
    /// server, which refuses to save what it can't take (its problems then show with the way to
    /// the page of each field); that keeps the other page's checks out of each page's bundle.
    /// `checks` says what the page checks, and `L` how it reads the product lines (see
    /// [`Lines`]).
    fn open<L: Lines>(id: String, step: Step, checks: Checks) -> OpenForm {
        let draft = Draft::empty();
        let today = Utc::now().date_naive();
        // Saved as the ISV works, kept in this browser meanwhile; it holds the id and version.
        let keeper = DraftKeeper::new("multiparty", (id != "new").then_some(id));
        let saving = Saving {
            locked: RwSignal::new(None),
            notice: RwSignal::new(None),
            busy: RwSignal::new(None),
            create_key: StoredValue::new(new_key()),
        };
        let catalog = CatalogSource::new();
        let lookup = checks
            .look_up_seller
            .map(|look_up| look_up(draft.seller_id));
        let partner_found = Memo::new(move |_| {
            lookup
                .and_then(|lookup| lookup.get())
                .and_then(Result::ok)
                .flatten()
        });
        let reading = Memo::new(move |_| {
            let partner = partner_found.get();
            let partner = partner.as_ref().map(|(_, profile)| profile);
            let mut reading =
                catalog.with(|catalog| read::<L>(&draft, catalog, partner, today, checks.validate));
            // Unread, the directory can't tell whether a partner has the seller ID.
            if lookup.is_some_and(|lookup| lookup.with(|answer| matches!(answer, Some(Err(_))))) {
                for problem in &mut reading.problems {
                    if problem.field == SELLER_ID {
                        problem.message =
                            "The partner directory could not be read to check this seller ID."
                                .into();
                    }
                }
            }
            reading
        });
        let form = FormContext {
            draft,
            catalog,
            reading,
            touched: RwSignal::new(HashSet::new()),
            server_errors: RwSignal::new(Vec::new()),
            keeper,
        };
        provide_context(form);

        // An existing offer: load it into the form (or show it read-only once submitted).
        if let Some(id) = keeper.offer_id.get_untracked() {
            spawn_local(async move {
                match api::get::<Answer>(&format!("/api/v1/multiparty-offers/{id}")).await {
                    Ok(answer) => {
                        if let Some(view) = answer.view() {
                            draft.load::<L>(&view.isv);
                            if !answer.editable() {
                                saving.locked.set(Some(view.status_label));
                            }
                            form.keeper.loaded(answer.version);
                        } else {
                            form.keeper.load_failed();
                        }
                    }
                    Err(error) => {
                        form.keeper.load_failed();
                        saving.notice.set(Some((false, error.general())));
                    }
                }
            });
        } else {
            draft.add_product();
        }

        let valid = Signal::derive(move || reading.with(|r| r.problems.is_empty()));
        keeper.start(
            Signal::derive(move || draft.typed()),
            Signal::derive(move || {
                valid.get() && saving.locked.get().is_none() && saving.busy.get().is_none()
            }),
            // Called only while the form is valid, so its reading is the whole part.
            move || async move {
                let part = reading.with_untracked(|r| r.part.clone());
                saving.save(form, part, step).await.map(|_| ())
            },
        );
        Effect::new(move |_| {
            if saving.locked.get().is_some() {
                let href = Step::Review.href(keeper.offer_id.get_untracked().as_deref());
                if let Some(window) = web_sys::window() {
                    let _ = window.location().replace(&href);
                }
            }
        });
        OpenForm {
            step,
            form,
            saving,
            partner_name: Signal::derive(move || partner_found.get().map(|(name, _)| name)),
            partner_lookup: lookup,
            valid,
            busy: Signal::derive(move || saving.busy.get().is_some() || keeper.saving()),
        }
    }

    /// Moves to the page of `step`, taking unsaved changes along.
    fn go_to(self, step: Step) {
        let keeper = self.form.keeper;
        let href = step.href(keeper.offer_id.get_untracked().as_deref());
        keeper.hand_over(&untrack(|| self.form.draft.typed()), &href, false);
    }

    /// Shows the page of `step` in place of this one (in the history too), taking unsaved
    /// changes along: for a page that is not the draft's to edit.
    fn send_to(self, step: Step) {
        let keeper = self.form.keeper;
        let href = step.href(keeper.offer_id.get_untracked().as_deref());
        keeper.hand_over(&untrack(|| self.form.draft.typed()), &href, true);
    }

    /// The offer's pricing type as the draft has it now.
    fn pricing_type(self) -> PricingType {
        self.form.draft.pricing_type.with_untracked(|name| {
            PricingType::from_name(name).unwrap_or(PricingType::ExistingPlan)
        })
    }

    /// Opens "Review and submit", saving what is typed first if it is not saved yet: the review
    /// shows and submits the offer as the server holds it. Refused, the server's errors show on
    /// their fields and the page stays.
    fn to_review(self) {
        let OpenForm {
            step,
            form,
            saving,
            valid,
            busy,
            ..
        } = self;
        if !valid.get_untracked() || busy.get_untracked() {
            return;
        }
        let keeper = form.keeper;
        spawn_local(async move {
            if keeper.dirty.get_untracked() || keeper.saved_as().is_none() {
                saving.busy.set(Some("Saving the offer…"));
                let part = form.reading.with_untracked(|r| r.part.clone());
                let saved = saving.save(form, part, step).await;
                saving.busy.set(None);
                // Refused, the server's problems show at their fields and beside the button,
                // which may be below the fold: focus moves to them, in view.
                if saved.is_err() {
                    focus_soon(SAVE_PROBLEMS.to_owned(), SAVE_PROBLEMS);
                    return;
                }
            }
            // A change typed while it saved stays in this browser: "Back to offer setup" takes
            // it up again.
            self.go_to(Step::Review);
        });
    }

    /// The page's title, its steps with this page's current, whether the catalog could not be
    /// read, and what the form says of saving: the server's answer, what is under way, a draft
    /// kept in this browser to resume.
    fn heading(self) -> impl IntoView {
        let OpenForm { form, saving, .. } = self;
        let keeper = form.keeper;
        let draft = form.draft;
        view! {
            <h1 id="mp-title" tabindex="-1">
                {move || {
                    if keeper.offer_id.get().is_some() {
                        "Multiparty private offer"
                    } else {
                        "New multiparty private offer"
                    }
                }}
            </h1>
            {steps(self.step)}
            {form.catalog.notice()}
            <div aria-live="polite">
                {move || {
                    saving
                        .notice
                        .get()
                        .map(|(ok, text)| {
                            if ok {
                                view! { <p class="notice-success" role="status">{text}</p> }.into_any()
                            } else {
                                view! { <p class="notice-error" role="alert">{text}</p> }.into_any()
                            }
                        })
                }}
                {keeper
                    .resume_notice(move |typed| {
                        draft.restore(typed);
                        form.changed();
                    })}
            </div>
            {keeper.status_view("mp-save-state", self.valid)}
        }
    }
}

/// "Offer setup", a page of the form of its own (its bundle): the offer's details and summaries
/// of its customer terms and its products.
#[component]
fn OfferSetup(id: String) -> impl IntoView {
    let open = OpenForm::open::<AnyLines>(id, Step::Setup, Checks::SETUP);
    view! {
        <section class="multiparty-form" aria-labelledby="mp-title">
            {open.heading()}
            {open.form.keeper.fields(view! { <Setup open=open /> })}
        </section>
    }
}

/// "Customer terms", a page of the form of its own (its bundle): the customer's dates and the
/// ISV's terms and conditions.
#[component]
fn CustomerTermsStep(id: String) -> impl IntoView {
    let open = OpenForm::open::<AnyLines>(id, Step::Terms, Checks::TERMS);
    let keeper = open.form.keeper;
    step_page(
        open,
        view! {
            <CustomerTerms />
            <IsvTerms offer_id=keeper.offer_id version=keeper.version />
        }
        .into_any(),
    )
}

/// "Product offers" of the pricing type of `P`, a page of the form of its own (its bundle): the
/// product editors with their partner prices. A draft of another pricing type (typed that way on
/// "Offer setup" in another tab, say) is edited on its own type's page, which this page gives
/// way to; a new draft with nothing typed yet takes this page's type.
fn product_offers<P: ProductsPage>(id: String) -> impl IntoView {
    let editor = P::EDITOR;
    let pricing_type = editor.pricing_type;
    let open = OpenForm::open::<P>(id, Step::Products(pricing_type), editor.checks);
    let draft = open.form.draft;
    Effect::new(move |_| {
        // Once the saved draft (or the one handed over) is in the form.
        if !open.form.keeper.editable() || draft.pricing_type.get() == pricing_type.as_str() {
            return;
        }
        if draft.entered_products() == 0 && !open.form.keeper.dirty.get_untracked() {
            draft.pricing_type.set(pricing_type.as_str().to_owned());
        } else {
            open.send_to(Step::Products(open.pricing_type()));
        }
    });
    step_page(open, view! { <ProductsSection editor=editor /> }.into_any())
}

/// The page of a step that "Offer setup" summarizes: its heading, the step's `fields`, and the
/// way back to "Offer setup" and on to "Review and submit".
fn step_page(open: OpenForm, fields: AnyView) -> impl IntoView {
    let busy = open.busy;
    view! {
        <section class="multiparty-form" aria-labelledby="mp-title">
            {open.heading()}
            {open
                .form
                .keeper
                .fields(view! {
                    <form class="offer-form" novalidate=true on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
                        {fields}
                        <div class="form-actions">
                            <button
                                type="button"
                                class="secondary"
                                disabled=busy
                                on:click=move |_| open.go_to(Step::Setup)
                            >
                                "Back to offer setup"
                            </button>
                            <ToReview open=open />
                        </div>
                    </form>
                })}
        </section>
    }
}

/// The element beside "Review and submit" that shows why the server refused to save.
const SAVE_PROBLEMS: &str = "mp-save-problems";

/// The field path of the selling partner's seller ID.
const SELLER_ID: &str = "selling_partner_seller_id";

/// "Review and submit", once the draft is valid, and the problems standing in its way: core's,
/// and the server's when it refused to save the offer (each with the way to the page that edits
/// its field, taking what is typed along).
#[component]
fn ToReview(open: OpenForm) -> impl IntoView {
    let form = open.form;
    let refused = move || {
        let errors = form.server_errors.get();
        (!errors.is_empty()).then(|| {
            // A button, not a link: it takes what is typed along (the leave guard would ask
            // before a link left it behind).
            problem_list(
                "The offer was not saved:",
                &errors,
                Some(open.step),
                open.pricing_type(),
                |step, text| {
                    view! {
                        <button type="button" class="secondary" on:click=move |_| open.go_to(step)>
                            {text}
                        </button>
                    }
                },
            )
        })
    };
    view! {
        <button
            type="button"
            class="primary"
            disabled=move || !open.valid.get() || open.busy.get()
            on:click=move |_| open.to_review()
        >
            "Review and submit"
        </button>
        <ProblemCount />
        <div id=SAVE_PROBLEMS tabindex="-1" aria-live="polite">
            <p class="status" role="status">{move || open.saving.busy.get()}</p>
            {refused}
        </div>
    }
}

/// The server's problems with the offer after `lead`: each message with `fix`, the way to the
/// page of the step that edits its field (for the products, the page of the offer's
/// `pricing_type`), unless that is `here` (the page showing the list, whose fields show their own
/// problems).
fn problem_list<V: IntoView + 'static>(
    lead: &'static str,
    problems: &[FieldError],
    here: Option<Step>,
    pricing_type: PricingType,
    fix: impl Fn(Step, String) -> V,
) -> AnyView {
    let items = problems
        .iter()
        .map(|problem| {
            let fix = (!problem.field.is_empty())
                .then(|| Step::editing(&problem.field, pricing_type))
                .filter(|step| Some(*step) != here)
                .map(|step| fix(step, format!("Fix it in {}", step.title())));
            view! { <li>{problem.message.clone()} " " {fix}</li> }
        })
        .collect_view();
    view! {
        <div class="notice-error" role="alert">
            <p>{lead}</p>
            <ul>{items}</ul>
        </div>
    }
    .into_any()
}

/// How many problems stand between the form and its submit, and the first of them.
#[component]
fn ProblemCount() -> impl IntoView {
    let form = expect_context::<FormContext>();
    let count = move || form.reading.with(|r| r.problems.len());
    let first = move || {
        form.reading
            .with(|r| r.problems.first().map(|problem| problem.message.clone()))
            .unwrap_or_default()
    };
    view! {
        <p class="status" role="status">
            {move || {
                let count = count();
                (count > 0)
                    .then(|| {
                        format!(
                            "{count} {} to fix before you can submit. First: {}",
                            if count == 1 { "problem" } else { "problems" },
                            first(),
                        )
                    })
            }}
        </p>
    }
}

/// "Customer terms" on the setup page: the customer's dates (the month by name) and the count of
/// terms documents, and the way to the page that edits them.
#[component]
fn TermsSummary(open: OpenForm) -> impl IntoView {
    let form = open.form;
    let draft = form.draft;
    // A date as typed, written out; the text itself if it is not a date.
    let shown = |text: RwSignal<String>, write: fn(NaiveDate) -> String| {
        move || {
            text.with(|text| match parse_date(text) {
                Some(date) => write(date),
                None if text.trim().is_empty() => "not set".to_owned(),
                None => text.trim().to_owned(),
            })
        }
    };
    let start_month = shown(draft.start_month, month_and_year);
    let start = move || {
        if draft.start_mode.get() == "month" {
            start_month()
        } else {
            "on acceptance".to_owned()
        }
    };
    let documents = move || match draft.terms.with(Vec::len) {
        0 => "none".to_owned(),
        1 => "1 document".to_owned(),
        count => format!("{count} documents"),
    };
    let error = form.message(|| TERMS_FIELDS.map(str::to_owned).into(), false);
    view! {
        <fieldset>
            <legend>"Customer terms"</legend>
            <ul class="terms-summary">
                <li>"Customer start date: " {start}</li>
                <li>"Customer end date: " {shown(draft.end, long_date)}</li>
                <li>"Accept by: " {shown(draft.accept_by, long_date)}</li>
                <li>"Terms and conditions: " {documents}</li>
            </ul>
            <p class="field-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
            <button
                type="button"
                class="secondary"
                disabled=open.busy
                on:click=move |_| open.go_to(Step::Terms)
            >
                "Edit customer terms"
            </button>
        </fieldset>
    }
}

/// "Product offers" on the setup page: each product's plan, and the way to the page that edits
/// the products of the offer's pricing type.
#[component]
fn ProductsSummary(open: OpenForm) -> impl IntoView {
    let form = open.form;
    let lines = move || {
        let lines = form.reading.with(|r| r.lines.clone());
        form.catalog.with(|catalog| {
            lines
                .iter()
                .enumerate()
                .map(|(index, line)| {
                    let what = line.as_ref().map_or_else(
                        || "not complete yet".to_owned(),
                        |line| title(catalog, line),
                    );
                    view! { <li>{format!("Product {}: {what}", index + 1)}</li> }
                })
                .collect_view()
        })
    };
    let error = form.message(|| vec!["products".into()], false);
    view! {
        <fieldset>
            <legend>"Product offers"</legend>
            <PricingTypeChoice />
            <ul class="product-summary">{lines}</ul>
            <p class="field-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
            <button
                type="button"
                class="secondary"
                disabled=open.busy
                on:click=move |_| open.go_to(Step::Products(open.pricing_type()))
            >
                "Edit product offers"
            </button>
        </fieldset>
    }
}

/// Seed 001's name of each type of multiparty private offer, as "Offer setup" offers them and
/// each products page names its own.
fn pricing_type_name(pricing_type: PricingType) -> &'static str {
    match pricing_type {
        PricingType::ExistingPlan => "Customize pricing for existing offers",
        PricingType::NewSaasPlan => {
            "Customize pricing, metering quantities, and user limits for SaaS offers"
        }
        PricingType::VmReservation => {
            "Customize pricing and specific quantities for VM software reservation offers"
        }
    }
}

/// The offer's pricing type, which every product of it shares. Another type takes away the
/// products entered, so it asks first.
#[component]
fn PricingTypeChoice() -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let choose = move |pricing_type: String| {
        let entered = draft.entered_products();
        if entered > 0 && !confirm_type_change(entered) {
            // Kept: the list shows the offer's pricing type again.
            draft.pricing_type.notify();
            return;
        }
        draft.pricing_type.set(pricing_type);
        // Products of another pricing type do not fit: start the list again.
        draft.products.set(Vec::new());
        draft.add_product();
        form.changed();
    };
    // Three options written out rather than built from a list: a list of views weighs more.
    let option = |pricing_type: PricingType| {
        view! { <option value=pricing_type.as_str()>{pricing_type_name(pricing_type)}</option> }
    };
    view! {
        <div class="field">
            <label for="mp-pricing-type">"Type of multiparty private offer"</label>
            <select
                id="mp-pricing-type"
                aria-describedby="mp-pricing-type-hint"
                prop:value=move || draft.pricing_type.get()
                on:change=move |event| choose(event_target_value(&event))
            >
                {option(PricingType::ExistingPlan)}
                {option(PricingType::NewSaasPlan)}
                {option(PricingType::VmReservation)}
            </select>
            <p id="mp-pricing-type-hint" class="hint">
                "Every product of the offer is of this type; each type has its own editor."
            </p>
        </div>
    }
}

/// Asks before a change of pricing type takes away the `entered` product lines that have a plan;
/// `true` when the person goes ahead. The browser's own dialog, as the leave guard's: modal,
/// read out and answered from the keyboard.
fn confirm_type_change(entered: usize) -> bool {
    let lines = if entered == 1 {
        "The product entered".to_owned()
    } else {
        format!("The {entered} products entered")
    };
    let question = format!(
        "Change the pricing type? {lines} will be removed: every product of an offer uses its one pricing type."
    );
    web_sys::window()
        .and_then(|window| window.confirm_with_message(&question).ok())
        .unwrap_or(false)
}

/// "Offer setup": the offer's name and description, the customer, the selling partner, the
/// notification contacts and the sales note, with summaries of "Customer terms" and "Product
/// offers", which edit the rest.
#[component]
fn Setup(open: OpenForm) -> impl IntoView {
    let form = open.form;
    let draft = form.draft;
    let partner_name = open.partner_name;
    let partner_lookup = open.partner_lookup;
    view! {
        <form class="offer-form" novalidate=true on:submit=|event: leptos::ev::SubmitEvent| event.prevent_default()>
            <h2>"Offer setup"</h2>
            {field("mp-name", "Private offer name", "name", draft.name)}
            <div class="field">
                <label for="mp-description">"Description"</label>
                <textarea
                    id="mp-description"
                    prop:value=move || draft.description.get()
                    on:input=move |event| {
                        draft.description.set(event_target_value(&event));
                        form.touch("description".into());
                    }
                ></textarea>
                <p class="hint">"Visible to your selling partner, never to the customer."</p>
            </div>
            <fieldset>
                <legend>"Customer information"</legend>
                {field(
                    "mp-billing-account",
                    "Customer billing account ID",
                    "customer.billing_account_id",
                    draft.billing_account,
                )}
                <div class="field">
                    <label for="mp-country">"Customer country"</label>
                    <select
                        id="mp-country"
                        prop:value=move || draft.country.get()
                        on:change=move |event| {
                            draft.country.set(event_target_value(&event));
                            form.touch("customer.country".into());
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
                {field("mp-seller-id", "Selling partner seller ID", SELLER_ID, draft.seller_id)}
                <p class="hint partner-found" aria-live="polite">
                    {move || partner_name.get().map(|name| format!("Selling partner: {name}"))}
                </p>
                {move || {
                    let lookup = partner_lookup?;
                    let error = lookup.get()?.err()?;
                    let again = move || lookup.refetch();
                    Some(unread_notice("The partner directory could not be read.", &error, again))
                }}
            </fieldset>
            <TermsSummary open=open />
            <ProductsSummary open=open />
            <ContactsAndNote />
            <div class="form-actions">
                <ToReview open=open />
            </div>
        </form>
    }
}

/// "Customer terms": when the customer's prices start and end, and the accept-by date.
#[component]
fn CustomerTerms() -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let date = move |id: &'static str,
                     label: &'static str,
                     path: &'static str,
                     value: RwSignal<String>,
                     rule: DateRule| {
        view! {
            <DateField
                id=id
                label=label
                value=value
                rule=rule
                error=form.message(move || vec![path.to_owned()], false)
                on_change=Callback::new(move |()| form.touch(path.to_owned()))
            />
        }
    };
    let start = move |mode: &'static str, text: &'static str| {
        view! {
            <label>
                <input
                    type="radio"
                    name="mp-start"
                    value=mode
                    prop:checked=move || draft.start_mode.get() == mode
                    on:change=move |_| {
                        draft.start_mode.set(mode.into());
                        form.touch("customer_start".into());
                    }
                />
                {text}
            </label>
        }
    };
    view! {
        <fieldset>
            <legend>"Customer terms"</legend>
            <div class="field" role="radiogroup" aria-labelledby="mp-start-label">
                <span id="mp-start-label" class="label">"Customer start date"</span>
                {start("on_acceptance", " On acceptance")}
                {start("month", " Specific month")}
            </div>
            {move || {
                (draft.start_mode.get() == "month")
                    .then(|| date("mp-start-month", "Start month", "customer_start", draft.start_month, START_MONTH_DAYS))
            }}
            {date("mp-end", "Customer end date", "customer_end", draft.end, CUSTOMER_END_DAYS)}
            <p class="hint">
                {move || {
                    parse_date(&draft.end.get())
                        .filter(|end| *end != last_of_month(*end))
                        .map(|end| format!("Tip: the month ends on {}.", last_of_month(end)))
                }}
            </p>
            {date("mp-accept-by", "Accept by", "accept_by", draft.accept_by, ACCEPT_BY_DAYS)}
            <div class="field">
                <label>
                    <input
                        type="checkbox"
                        prop:checked=move || draft.renewal.get()
                        on:change=move |event| {
                            draft.renewal.set(event_target_checked(&event));
                            form.changed();
                        }
                    />
                    " This offer renews an existing purchase"
                </label>
            </div>
        </fieldset>
    }
}

/// Notification contacts and the sales note with its 60-character counter.
#[component]
fn ContactsAndNote() -> impl IntoView {
    let form = expect_context::<FormContext>();
    let draft = form.draft;
    let contacts_error = form.message(|| vec!["notification_contacts".into()], false);
    let note_error = form.message(|| vec!["sales_note".into()], false);
    let count = move || draft.sales_note.with(|note| note.chars().count());
    view! {
        <div class="field" class:field-invalid=move || contacts_error.get().is_some()>
            <label for="mp-contacts">"Notification contacts"</label>
            <textarea
                id="mp-contacts"
                aria-describedby="mp-contacts-hint mp-contacts-error"
                aria-invalid=move || if contacts_error.get().is_some() { "true" } else { "false" }
                prop:value=move || draft.contacts.get()
                on:input=move |event| {
                    draft.contacts.set(event_target_value(&event));
                    form.touch("notification_contacts".into());
                }
            ></textarea>
            <p id="mp-contacts-hint" class="hint">"Up to five email addresses, one per line."</p>
            <p id="mp-contacts-error" class="field-error" role="alert">
                {move || contacts_error.get()}
            </p>
        </div>
        <div class="field" class:field-invalid=move || note_error.get().is_some()>
            <label for="mp-sales-note">"Sales note"</label>
            <input
                id="mp-sales-note"
                type="text"
                aria-describedby="mp-sales-note-count mp-sales-note-error"
                aria-invalid=move || if note_error.get().is_some() { "true" } else { "false" }
                prop:value=move || draft.sales_note.get()
                on:input=move |event| {
                    draft.sales_note.set(event_target_value(&event));
                    form.touch("sales_note".into());
                }
            />
            <p
                id="mp-sales-note-count"
                class=move || { if count() > MAX_SALES_NOTE_CHARS { "hint over" } else { "hint" } }
            >
                {move || format!("{} of {MAX_SALES_NOTE_CHARS} characters", count())}
            </p>
            <p id="mp-sales-note-error" class="field-error" role="alert">
                {move || note_error.get()}
            </p>
        </div>
    }
}

/// The ISV's terms and conditions PDFs: uploaded to the saved offer, removed with the next save.
#[component]
fn IsvTerms(offer_id: RwSignal<Option<String>>, version: RwSignal<Option<i64>>) -> impl IntoView {
    let form = expect_context::<FormContext>();
    let terms = form.draft.terms;
    let remaining =
        Signal::derive(move || MAX_TERMS_DOCUMENTS.saturating_sub(terms.with(Vec::len)));
    let error = form.message(|| vec!["terms".into()], false);
    let on_uploaded = Callback::new(move |answer: api::Raw| {
        let Some(answer) = answer.read::<Answer>() else {
            return;
        };
        version.set(Some(answer.version));
        if let Some(view) = answer.view() {
            terms.set(view.isv.terms);
        }
    });
    view! {
        <TermsUpload
            offer_id=offer_id
            version=version
            remaining=remaining
            hint="Your terms are visible to your selling partner and your customer. The offer saves itself as a draft once it is valid; then add its terms."
            on_uploaded=on_uploaded
        >
            <ul id="isv-terms" class="terms-list">
                // A plain list rather than `<For>`, for the page's weight (see ProductsSection).
                {move || {
                    terms
                        .get()
                        .into_iter()
                        .map(|document| {
                            let file_id = document.file_id.clone();
                            let name = document.customer_facing_name.clone();
                            view! {
                                <li>
                                    <span class="terms-name">{document.customer_facing_name}</span>
                                    " "
                                    <button
                                        type="button"
                                        class="secondary"
                                        on:click=move |_| {
                                            terms.update(|list| list.retain(|d| d.file_id != file_id));
                                            form.touch("terms".into());
                                            focus_after_removal("terms-file".to_owned());
                                        }
                                    >
                                        {format!("Remove {name}")}
                                    </button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            <p class="field-error" role="alert" hidden=move || error.get().is_none()>
                {move || error.get()}
            </p>
        </TermsUpload>
    }
}

#[cfg(test)]
mod tests {
    use offerdesk_core::bundle::Bundle;
    use offerdesk_core::multiparty::PricingType;

    use super::Step;

    #[test]
    fn each_field_is_fixed_on_the_step_that_edits_it() {
        let products = Step::Products(PricingType::VmReservation);
        for (field, step) in [
            ("products", products),
            ("products[0].plan_id", products),
            ("products[2].reservations[1].quantity", products),
            ("accept_by", Step::Terms),
            ("customer_start", Step::Terms),
            ("customer_end", Step::Terms),
            ("terms[1].customer_facing_name", Step::Terms),
            ("terms", Step::Terms),
            ("terms_note", Step::Setup),
            ("sales_note", Step::Setup),
            ("selling_partner_seller_id", Step::Setup),
            ("customer.billing_account_id", Step::Setup),
            ("products_note", Step::Setup),
            ("", Step::Setup),
        ] {
            assert_eq!(
                Step::editing(field, PricingType::VmReservation),
                step,
                "{field}"
            );
        }
    }

    #[test]
    fn each_step_is_a_page_of_its_own_bundle() {
        for (step, bundle) in [
            (Step::Setup, Bundle::MultipartyForm),
            (Step::Terms, Bundle::MultipartyTerms),
            (
                Step::Products(PricingType::ExistingPlan),
                Bundle::MultipartyExistingPlans,
            ),
            (
                Step::Products(PricingType::NewSaasPlan),
                Bundle::MultipartyNewSaasPlans,
            ),
            (
                Step::Products(PricingType::VmReservation),
                Bundle::MultipartyVmReservations,
            ),
            (Step::Review, Bundle::MultipartyReview),
        ] {
            for id in [None, Some("mpo_7")] {
                assert_eq!(Bundle::of(&step.href(id)), bundle, "{step:?} {id:?}");
            }
        }
        assert_eq!(Step::Setup.href(None), "/offers/multiparty/new");
        assert_eq!(Step::Terms.href(None), "/offers/multiparty/new/terms");
        assert_eq!(
            Step::Products(PricingType::NewSaasPlan).href(Some("mpo_7")),
            "/offers/multiparty/mpo_7/products/new-saas-plans"
        );
    }
}
