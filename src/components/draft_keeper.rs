//! Keeps an ISV form's draft while the ISV works on it, for the multiparty, CSP and CPPO forms
//! alike: saved to the server a moment after each change once it is valid, kept in this
//! browser's localStorage while it cannot be saved (not valid yet, or the server unreachable),
//! offered back after a reload, and leaving with unsaved changes asks first. A form of more than
//! one page (each its own bundle) hands what is typed to its next page through this browser,
//! which takes it back without asking. A saved draft is read into the form before anything can
//! be typed or saved: typing ahead of that read would be overwritten by it, and saving without
//! the draft's version would create a second draft. Each form brings its own shape of its fields
//! as typed (what this browser keeps) and its own save, which sends core's reading of them.

use std::future::Future;
use std::time::Duration;

use leptos::prelude::*;
use leptos::task::spawn_local;
use serde::de::DeserializeOwned;
use serde::Serialize;

use offerdesk_core::FieldError;

use crate::api::{self, ApiError};
use crate::components::leave_guard::{guard_unsaved_changes, show_address};

/// How long the form waits after the last change before it saves the draft.
const AUTOSAVE_DELAY: Duration = Duration::from_millis(1200);
/// How long it waits to try again while the server cannot be reached.
const OFFLINE_RETRY: Duration = Duration::from_secs(10);
/// The sessionStorage key naming the kept draft a form's page handed to the next one.
const HANDED_OVER: &str = "offerdesk.handed-over";

/// Where the draft stands with the server, as the ISV types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SaveState {
    /// Nothing saved in this visit yet.
    Idle,
    Saving,
    Saved,
    /// The server could not be reached: the draft waits in this browser.
    Offline,
    /// The server refused the draft (its errors sit on the fields).
    Refused,
}

/// What the server answers for a saved draft: its id and version, and whatever else the form
/// reads.
pub trait SavedDraft: DeserializeOwned {
    fn id(&self) -> &str;
    fn version(&self) -> i64;
}

/// Whether the saved draft the form opened has been read into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Load {
    /// Being read from the server: the form cannot be edited yet.
    Reading,
    /// Read (or a new draft, with nothing to read): the form can be edited.
    Done,
    /// The server did not give it (the form says why): the form stays closed to editing.
    Failed,
}

/// One form's draft keeping; `T` is the form's fields as typed, which this browser keeps.
pub struct DraftKeeper<T: Send + Sync + 'static> {
    /// Names the form in localStorage keys (`offerdesk.{kind}.{id}`).
    kind: &'static str,
    /// The saved draft's id, once there is one.
    pub offer_id: RwSignal<Option<String>>,
    /// The version of the saved draft as last read or saved, which the next save names.
    pub version: RwSignal<Option<i64>>,
    /// Changes typed since the last save; leaving with them asks first.
    pub dirty: RwSignal<bool>,
    /// Counts changes, so a save that ends after another change leaves the form unsaved.
    edits: RwSignal<u64>,
    pub state: RwSignal<SaveState>,
    /// Whether the saved draft has been read into the form; nothing is kept or saved before.
    load: RwSignal<Load>,
    /// A draft typed earlier in this browser and never saved, until resumed or discarded.
    pub resumable: RwSignal<Option<T>>,
    /// Whether `resumable` was handed over by another page of the form, which resumes it
    /// without asking.
    handed_over: StoredValue<bool>,
    timer: StoredValue<Option<TimeoutHandle>>,
    in_flight: StoredValue<bool>,
}

impl<T: Send + Sync + 'static> Clone for DraftKeeper<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: Send + Sync + 'static> Copy for DraftKeeper<T> {}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

impl<T> DraftKeeper<T>
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
{
    /// The keeping of the draft saved as `offer_id` (`None` for a new one); a draft this
    /// browser kept for it becomes resumable.
    pub fn new(kind: &'static str, offer_id: Option<String>) -> Self {
        let keeper = Self {
            kind,
            load: RwSignal::new(if offer_id.is_some() {
                Load::Reading
            } else {
                Load::Done
            }),
            offer_id: RwSignal::new(offer_id),
            version: RwSignal::new(None),
            dirty: RwSignal::new(false),
            edits: RwSignal::new(0),
            state: RwSignal::new(SaveState::Idle),
            resumable: RwSignal::new(None),
            handed_over: StoredValue::new(false),
            timer: StoredValue::new(None),
            in_flight: StoredValue::new(false),
        };
        keeper.resumable.set(keeper.kept_locally());
        // Taken once: a reload of this page offers the kept draft as usual.
        let key = keeper.local_key(keeper.offer_id.get_untracked().as_deref());
        if let Some(storage) = session_storage() {
            if storage.get_item(HANDED_OVER).ok().flatten().as_deref() == Some(key.as_str()) {
                let _ = storage.remove_item(HANDED_OVER);
                keeper.handed_over.set_value(true);
            }
        }
        keeper
    }

    /// Where the page keeps the typed draft while it is not saved.
    fn local_key(self, offer_id: Option<&str>) -> String {
        format!("offerdesk.{}.{}", self.kind, offer_id.unwrap_or("new"))
    }

    fn keep_locally(self, draft: &T) {
        let key = self.local_key(self.offer_id.get_untracked().as_deref());
        if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(draft)) {
            let _ = storage.set_item(&key, &text);
        }
    }

    fn kept_locally(self) -> Option<T> {
        let key = self.local_key(self.offer_id.get_untracked().as_deref());
        let text = local_storage()?.get_item(&key).ok()??;
        crate::json::from_str(&text).ok()
    }

    /// Forgets what this browser kept for the draft saved as `offer_id` (and for a new one).
    fn forget_locally(self, offer_id: Option<&str>) {
        if let Some(storage) = local_storage() {
            let _ = storage.remove_item(&self.local_key(offer_id));
            let _ = storage.remove_item(&self.local_key(None));
        }
    }

    /// The saved draft, read at `version`, is in the form: it can be edited, kept and saved
    /// from now on.
    pub fn loaded(self, version: i64) {
        self.version.set(Some(version));
        self.load.set(Load::Done);
    }

    /// The saved draft's id and version, which a save replaces; `None` until it is saved.
    pub fn saved_as(self) -> Option<(String, i64)> {
        self.offer_id
            .get_untracked()
            .zip(self.version.get_untracked())
    }

    /// The saved draft could not be read (the form shows the server's answer): the form stays
    /// closed to editing, so nothing typed into an empty form is saved as a new draft.
    pub fn load_failed(self) {
        self.load.set(Load::Failed);
    }

    /// Whether the form can be edited yet (tracked): its fields are inert until the saved draft
    /// is read.
    pub fn editable(self) -> bool {
        self.load.get() == Load::Done
    }

    /// Whether an automatic save is on its way to the server (tracked): the form's buttons wait.
    pub fn saving(self) -> bool {
        self.state.get() == SaveState::Saving
    }

    /// The form's fields, `inert` and marked busy until the saved draft is read.
    pub fn fields(self, fields: impl IntoView + 'static) -> impl IntoView {
        let closed = move || !self.editable();
        view! {
            <div class="draft" inert=closed aria-busy=move || closed().to_string()>
                {fields}
            </div>
        }
    }

    /// The ISV changed something: the draft is unsaved.
    pub fn changed(self) {
        self.edits.update(|edits| *edits += 1);
        self.dirty.set(true);
        self.resumable.set(None);
    }

    /// The server saved the draft as `id` at `version`, which `address` opens (shown in the
    /// address bar so a reload resumes it). Unless the ISV changed something since `started`,
    /// nothing is unsaved.
    fn saved(self, started: u64, id: &str, version: i64, address: &str) {
        self.offer_id.set(Some(id.to_owned()));
        self.version.set(Some(version));
        if self.edits.get_untracked() == started {
            self.dirty.set(false);
            self.forget_locally(Some(id));
        }
        show_address(address);
    }

    /// Saves `body` to `collection`: creates the draft (under `create_key` when given, so a
    /// retried create does not make two) or replaces the saved one at the version read. Saved,
    /// the draft's own address (`address` of its id) goes in the address bar; refused, the
    /// server's field errors go to `server_errors`.
    pub async fn save<B: Serialize, A: SavedDraft>(
        self,
        collection: &str,
        address: impl FnOnce(&str) -> String,
        create_key: Option<&str>,
        body: &B,
        server_errors: RwSignal<Vec<FieldError>>,
    ) -> Result<A, ApiError> {
        let started = self.edits.get_untracked();
        let saved_as = self.saved_as();
        let saved_as = saved_as
            .as_ref()
            .map(|(id, version)| (id.as_str(), *version));
        let answer: Result<A, ApiError> =
            api::save_draft(collection, saved_as, create_key, body).await;
        match &answer {
            Ok(saved) => {
                let at = address(saved.id());
                self.saved(started, saved.id(), saved.version(), &at);
            }
            Err(error) => server_errors.set(error.errors.clone()),
        }
        answer
    }

    /// Whether an automatic save is under way (a submit waits for it).
    pub fn in_flight(self) -> bool {
        self.in_flight.get_value()
    }

    /// Moves to `href`, another page of the same form in another bundle (a full page load),
    /// with what is typed: unsaved changes are kept in this browser and that page takes them
    /// back without asking, so moving between the form's pages neither loses them nor asks
    /// to leave them. `href` names the saved draft when there is one: the caller waits while a
    /// save is under way, and no save starts from here on. With `in_place`, that page takes this
    /// one's place in the history too (Back does not come back here).
    pub fn hand_over(self, typed: &T, href: &str, in_place: bool) {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
        self.in_flight.set_value(true);
        if self.dirty.get_untracked() {
            self.keep_locally(typed);
            let key = self.local_key(self.offer_id.get_untracked().as_deref());
            if let Some(storage) = session_storage() {
                let _ = storage.set_item(HANDED_OVER, &key);
            }
            // Kept: leaving does not lose it, so the page does not ask.
            self.dirty.set(false);
        }
        if let Some(window) = web_sys::window() {
            let location = window.location();
            let _ = if in_place {
                location.replace(href)
            } else {
                location.assign(href)
            };
        }
    }

    /// Starts keeping the draft: `typed` is the form as typed (kept in this browser while
    /// unsaved), `ready` whether the form may be saved now (valid, editable, nothing else under
    /// way), and `save` sends what the form reads now to the server (through [`Self::save`]).
    pub fn start<S, F>(self, typed: Signal<T>, ready: Signal<bool>, save: S)
    where
        S: Fn() -> F + Copy + Send + Sync + 'static,
        F: Future<Output = Result<(), ApiError>> + 'static,
    {
        Effect::new(move |_| {
            let draft = typed.get();
            if self.editable() && self.dirty.get() {
                self.keep_locally(&draft);
            }
        });
        guard_unsaved_changes(self.dirty.into());
        Effect::new(move |_| {
            typed.track();
            self.dirty.track();
            self.load.track();
            ready.track();
            self.schedule(ready, save, AUTOSAVE_DELAY);
        });
    }

    fn schedule<S, F>(self, ready: Signal<bool>, save: S, delay: Duration)
    where
        S: Fn() -> F + Copy + Send + Sync + 'static,
        F: Future<Output = Result<(), ApiError>> + 'static,
    {
        if let Some(timer) = self.timer.get_value() {
            timer.clear();
        }
        let editable = self.load.get_untracked() == Load::Done;
        if editable && self.dirty.get_untracked() && ready.get_untracked() {
            let fire = move || self.fire(ready, save);
            self.timer
                .set_value(set_timeout_with_handle(fire, delay).ok());
        }
    }

    fn fire<S, F>(self, ready: Signal<bool>, save: S)
    where
        S: Fn() -> F + Copy + Send + Sync + 'static,
        F: Future<Output = Result<(), ApiError>> + 'static,
    {
        if self.in_flight.get_value() || !ready.get_untracked() {
            return self.schedule(ready, save, AUTOSAVE_DELAY);
        }
        self.in_flight.set_value(true);
        self.state.set(SaveState::Saving);
        spawn_local(async move {
            let saved = save().await;
            self.in_flight.set_value(false);
            match saved {
                Ok(()) => {
                    self.state.set(SaveState::Saved);
                    self.schedule(ready, save, AUTOSAVE_DELAY);
                }
                Err(error) if error.is_offline() => {
                    self.state.set(SaveState::Offline);
                    self.schedule(ready, save, OFFLINE_RETRY);
                }
                Err(_) => self.state.set(SaveState::Refused),
            }
        });
    }

    /// What the ISV reads about the draft, while it is `valid` or not.
    fn label(self, valid: bool) -> &'static str {
        let dirty = self.dirty.get();
        match self.load.get() {
            Load::Reading => return "Loading the saved draft…",
            // The form's notice says what the server answered.
            Load::Failed => return "",
            Load::Done => {}
        }
        match self.state.get() {
            SaveState::Saving => "Saving…",
            SaveState::Offline => {
                "Offline: your changes are kept in this browser and saved when the server answers."
            }
            SaveState::Refused if dirty => {
                "Not saved: the server refused the draft; see the marked fields."
            }
            _ if dirty && !valid => {
                "Not saved yet: your changes are kept in this browser until the problems marked are fixed."
            }
            _ if dirty => "Unsaved changes…",
            SaveState::Saved => "Saved",
            _ => "",
        }
    }

    /// The visible Saving/Saved line, with the element id `id`.
    pub fn status_view(self, id: &'static str, valid: Signal<bool>) -> impl IntoView {
        view! {
            <p id=id class="status save-state" role="status">
                {move || self.label(valid.get())}
            </p>
        }
    }

    /// Offers to resume what was typed and never saved; `resume` puts it back in the form. What
    /// another page of the form handed over is put back without asking.
    pub fn resume_notice(self, resume: impl Fn(T) + Copy + Send + Sync + 'static) -> impl IntoView {
        Effect::new(move |_| {
            // Once the saved draft is in the form, which resuming then changes.
            if self.editable() && self.handed_over.get_value() {
                self.handed_over.set_value(false);
                if let Some(draft) = self.resumable.get_untracked() {
                    resume(draft);
                }
            }
        });
        move || {
            // Offered once the saved draft is in the form, which resuming then changes.
            let resumable = self
                .resumable
                .get()
                .filter(|_| self.editable() && !self.handed_over.get_value());
            resumable.map(|draft| {
                view! {
                    <div class="notice-info resume">
                        <p>"You have changes to this offer that were not saved."</p>
                        <button
                            type="button"
                            class="primary"
                            on:click=move |_| resume(draft.clone())
                        >
                            "Resume unsaved draft"
                        </button>
                        <button
                            type="button"
                            class="secondary"
                            on:click=move |_| {
                                self.forget_locally(self.offer_id.get_untracked().as_deref());
                                self.resumable.set(None);
                            }
                        >
                            "Discard"
                        </button>
                    </div>
                }
            })
        }
    }
}
