//! Offers of the three programs, as the core's validated documents (JSON) with the columns the
//! lists filter on, an integer `version` per offer, customer links (hashes only), idempotency
//! answers, the notification outbox and terms documents. Every [`Change`] is one `BEGIN
//! IMMEDIATE` transaction: every part of it is stored, or none.

use std::sync::{mpsc, Arc, Mutex, PoisonError};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};
use serde_json::Value;
use tokio::sync::oneshot;

use super::{SqliteStore, StoreError, StoreFuture};

/// Migration 3: the offers half of the schema.
pub(super) const MIGRATION_SQL: &str = "
CREATE TABLE offers (
    id               TEXT PRIMARY KEY NOT NULL,
    kind             TEXT NOT NULL,
    owner_org_id     INTEGER NOT NULL,
    partner_org_id   INTEGER,
    customer_account TEXT,
    parent_id        TEXT,
    status           TEXT NOT NULL,
    name             TEXT NOT NULL,
    start_date       TEXT,
    end_date         TEXT,
    accept_by        TEXT,
    document         TEXT NOT NULL,
    version          INTEGER NOT NULL,
    status_since     TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
) STRICT;
CREATE INDEX offers_by_owner ON offers (kind, owner_org_id, status);
CREATE INDEX offers_by_partner ON offers (kind, partner_org_id, status);
CREATE INDEX offers_by_customer ON offers (kind, customer_account);
CREATE INDEX offers_by_status ON offers (kind, status);
CREATE INDEX offers_by_parent ON offers (parent_id);

CREATE TABLE customer_links (
    token_hash BLOB PRIMARY KEY NOT NULL,
    offer_id   TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    revoked_at TEXT
) STRICT;
CREATE INDEX customer_links_by_offer ON customer_links (offer_id);

CREATE TABLE idempotency_keys (
    organization_id INTEGER NOT NULL,
    key             TEXT NOT NULL,
    request_hash    BLOB NOT NULL,
    status          INTEGER NOT NULL,
    response        TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (organization_id, key)
) STRICT;

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    organization_id INTEGER NOT NULL,
    offer_id        TEXT NOT NULL,
    program         TEXT NOT NULL,
    status          TEXT NOT NULL,
    message         TEXT NOT NULL,
    recipients      TEXT NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
CREATE INDEX notifications_by_org ON notifications (organization_id, id);

CREATE TABLE exchange_rates (
    currency TEXT PRIMARY KEY NOT NULL,
    rate     TEXT NOT NULL,
    as_of    TEXT NOT NULL
) STRICT;
-- Starting rates (units per USD), to be kept current by an ISV through the API.
INSERT INTO exchange_rates (currency, rate, as_of) VALUES
    ('EUR', '0.92', '2026-11-01'),
    ('GBP', '0.79', '2026-11-01'),
    ('CAD', '1.38', '2026-11-01'),
    ('AUD', '1.53', '2026-11-01'),
    ('JPY', '150', '2026-11-01');

CREATE TABLE terms_files (
    id              TEXT PRIMARY KEY NOT NULL,
    offer_id        TEXT NOT NULL REFERENCES offers (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL,
    content         BLOB NOT NULL,
    created_at      TEXT NOT NULL
) STRICT;
";

/// Migration 4: lists read one page at a time, newest first, so each list's scope (with and
/// without a status) has an index ending in the page order; the two it supersedes go.
pub(super) const PAGE_INDEXES_SQL: &str = "
CREATE INDEX offers_owner_page ON offers (kind, owner_org_id, created_at, id);
CREATE INDEX offers_owner_status_page ON offers (kind, owner_org_id, status, created_at, id);
CREATE INDEX offers_partner_page ON offers (kind, partner_org_id, created_at, id);
CREATE INDEX offers_partner_status_page ON offers (kind, partner_org_id, status, created_at, id);
CREATE INDEX offers_customer_page ON offers (kind, customer_account, created_at, id);
DROP INDEX offers_by_owner;
DROP INDEX offers_by_partner;
";

/// One page of a list: at most `limit` offers, newest first, after `after` when it is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// Only offers in this status (the core's serde name), when given.
    pub status: Option<String>,
    /// The `(created_at, id)` of the last offer of the previous page.
    pub after: Option<(String, String)>,
    /// Most offers answered.
    pub limit: u32,
}

/// Where an offer stands in the page order: its creation stamp as stored, and its ID.
pub fn page_key(row: &OfferRow) -> (String, String) {
    (stamp(row.created_at), row.id.clone())
}

/// Which kind of document an offer row holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OfferKind {
    /// A multiparty private offer.
    Multiparty,
    /// A CSP margin offer.
    Csp,
    /// A CPPO resale authorization.
    CppoAuthorization,
    /// A CPPO buyer offer.
    CppoBuyerOffer,
}

impl OfferKind {
    /// The column value.
    pub fn as_str(self) -> &'static str {
        match self {
            OfferKind::Multiparty => "multiparty",
            OfferKind::Csp => "csp",
            OfferKind::CppoAuthorization => "cppo_authorization",
            OfferKind::CppoBuyerOffer => "cppo_buyer_offer",
        }
    }

    fn parse(text: &str) -> Option<OfferKind> {
        [
            OfferKind::Multiparty,
            OfferKind::Csp,
            OfferKind::CppoAuthorization,
            OfferKind::CppoBuyerOffer,
        ]
        .into_iter()
        .find(|kind| kind.as_str() == text)
    }
}

/// One stored offer: the core document and the columns lists and the worker filter on.
#[derive(Debug, Clone, PartialEq)]
pub struct OfferRow {
    /// The offer's ID (also inside the document).
    pub id: String,
    /// Which program's document.
    pub kind: OfferKind,
    /// The ISV organization that originated it (for a buyer offer: the authorization's ISV).
    pub owner_org_id: i64,
    /// The partner organization it is made with, when there is exactly one.
    pub partner_org_id: Option<i64>,
    /// The customer's billing account or AWS account ID, when there is one.
    pub customer_account: Option<String>,
    /// The offer it derives from: an upgrade's old offer, a buyer offer's authorization.
    pub parent_id: Option<String>,
    /// The core status, as its serde name.
    pub status: String,
    /// The name lists show (a CSP offer's internal name, only the ISV lists it).
    pub name: String,
    /// First day, when the document has one.
    pub start_date: Option<NaiveDate>,
    /// Last day, when the document has one.
    pub end_date: Option<NaiveDate>,
    /// The accept-by date, when the document has one.
    pub accept_by: Option<NaiveDate>,
    /// The core document's JSON text: each program reads it straight into its own type (a
    /// list page reads fifty of them; a `serde_json::Value` in between cost as much again).
    pub document: String,
    /// Counts writes: 1 when created; a write names the version it read.
    pub version: i64,
    /// When the offer reached its current status (publishing waits from it).
    pub status_since: DateTime<Utc>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last written.
    pub updated_at: DateTime<Utc>,
}

/// Which offers a list reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Those an ISV originated.
    Owner(i64),
    /// Those made with a partner organization.
    Partner(i64),
    /// Those made to any of these customer accounts.
    Customers(Vec<String>),
    /// Those in any of these statuses (the worker's sweep).
    Statuses(Vec<String>),
    /// Those derived from this offer.
    Children(String),
    /// What the worker may have to move on `today`: offers in any of `every`, those in
    /// `past_accept_by` whose accept-by date is before `today`, and those in `past_end` whose
    /// last day is before `today`.
    Due {
        /// Statuses always looked at (In Progress).
        every: Vec<String>,
        /// Statuses that expire after the accept-by date.
        past_accept_by: Vec<String>,
        /// Statuses that end after the last day.
        past_end: Vec<String>,
        /// The day.
        today: NaiveDate,
    },
}

/// One write of a [`Change`].
#[derive(Debug, Clone)]
pub enum Write {
    /// A new offer at version 1.
    Insert(OfferRow),
    /// The offer as it is now; `row.version` is the version the change was computed from.
    Update {
        /// The new row, carrying the version it was read at.
        row: OfferRow,
        /// Whether the status moved (then `status_since` becomes the change's time).
        status_changed: bool,
    },
    /// Removes the offer read at `version`.
    Delete {
        /// The offer.
        id: String,
        /// The version it was read at.
        version: i64,
    },
}

/// A notification to one organization's contacts about a status change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewNotification {
    /// The organization whose outbox it goes to.
    pub organization_id: i64,
    /// The offer.
    pub offer_id: String,
    /// `multiparty`, `csp`, `cppo`.
    pub program: String,
    /// The status reached, as people read it.
    pub status: String,
    /// What happened, for a person.
    pub message: String,
    /// That organization's notification contacts.
    pub recipients: Vec<String>,
}

/// A notification as listed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Notification {
    /// Its number, increasing.
    pub id: i64,
    /// The offer.
    pub offer_id: String,
    /// The program.
    pub program: String,
    /// The status reached.
    pub status: String,
    /// What happened.
    pub message: String,
    /// Who is told.
    pub recipients: Vec<String>,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A change to customer links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkChange {
    /// A new link to `offer_id`; only the SHA-256 of its token is stored.
    Create {
        /// SHA-256 of the token.
        token_hash: [u8; 32],
        /// The offer.
        offer_id: String,
    },
    /// Every live link of the offer stops working.
    RevokeAll {
        /// The offer.
        offer_id: String,
    },
}

/// The first answer to an `Idempotency-Key`, stored with the write it answers.
#[derive(Debug, Clone, PartialEq)]
pub struct IdempotentAnswer {
    /// The caller's organization (keys are per organization).
    pub organization_id: i64,
    /// The key.
    pub key: String,
    /// SHA-256 of the method, path and body, so a reused key with another request is refused.
    pub request_hash: [u8; 32],
    /// The HTTP status of the first answer.
    pub status: u16,
    /// Its JSON body.
    pub body: Value,
}

/// A terms document's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewFile {
    /// The file ID the core document refers to.
    pub id: String,
    /// The offer it belongs to.
    pub offer_id: String,
    /// The organization that uploaded it.
    pub organization_id: i64,
    /// The PDF.
    pub content: Vec<u8>,
}

/// A change to the stored terms files. Each file belongs to exactly one offer (deleting the
/// offer deletes its files), so an offer made from another copies the PDFs it keeps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileChange {
    /// An uploaded PDF.
    Store(NewFile),
    /// A copy of the file `from` of the offer `from_offer_id`, stored as `id` for `offer_id`.
    /// When that file is gone by then, the whole change is refused as stale (the source offer
    /// changed): a new offer never refers to a file it does not have.
    Copy {
        /// The offer the file is copied from.
        from_offer_id: String,
        /// The file copied.
        from: String,
        /// The copy's ID, which the new offer's document refers to.
        id: String,
        /// The offer the copy belongs to.
        offer_id: String,
    },
    /// Deletes the file `id` of `offer_id` (its offer stopped listing it).
    Remove {
        /// The offer.
        offer_id: String,
        /// The file.
        id: String,
    },
}

/// Everything one request or one worker step writes, in one transaction.
#[derive(Debug, Clone, Default)]
pub struct Change {
    /// The offers written.
    pub writes: Vec<Write>,
    /// Notifications to queue.
    pub notifications: Vec<NewNotification>,
    /// Links created or revoked.
    pub links: Vec<LinkChange>,
    /// Terms files stored, copied or deleted (after the offers are written).
    pub files: Vec<FileChange>,
    /// The answer to store under an idempotency key.
    pub idempotency: Option<IdempotentAnswer>,
}

/// What became of a [`Change`].
#[derive(Debug, Clone, PartialEq)]
pub enum Applied {
    /// Stored.
    Done,
    /// Nothing stored: this offer is no longer at the version the change was computed from.
    Stale {
        /// The offer.
        id: String,
        /// Its version now (0: it no longer exists).
        current: i64,
    },
    /// Nothing stored: another request stored an answer under the same key first.
    KeyTaken,
}

/// A link's state.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkTarget {
    /// The offer.
    pub offer: OfferRow,
    /// Whether it was revoked (withdrawn by the partner).
    pub revoked: bool,
}

/// One row of the exchange-rate table: units of `currency` per USD on `as_of`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExchangeRate {
    /// ISO 4217 code.
    pub currency: String,
    /// Units per USD.
    pub rate: rust_decimal::Decimal,
    /// When the rate was taken.
    pub as_of: NaiveDate,
}

/// What the offers API needs from a database.
pub trait OfferStore: Send + Sync + 'static {
    /// The offer with `id`, of any kind.
    fn offer(&self, id: &str) -> StoreFuture<'_, Option<OfferRow>>;
    /// The offers of `kind` in `scope`, newest first.
    fn offers(&self, kind: OfferKind, scope: Scope) -> StoreFuture<'_, Vec<OfferRow>>;
    /// One page of the offers of `kind` in any of `scopes` (each offer once), newest first.
    fn offer_page(
        &self,
        kind: OfferKind,
        scopes: Vec<Scope>,
        page: Page,
    ) -> StoreFuture<'_, Vec<OfferRow>>;
    /// Stores `change` at `now` in one transaction.
    fn apply(&self, change: Change, now: DateTime<Utc>) -> StoreFuture<'_, Applied>;
    /// The link whose token hashes to `token_hash`, with its offer.
    fn link(&self, token_hash: [u8; 32]) -> StoreFuture<'_, Option<LinkTarget>>;
    /// The stored answer to `key` of `organization_id`: (request hash, status, body).
    fn idempotent_answer(
        &self,
        organization_id: i64,
        key: &str,
    ) -> StoreFuture<'_, Option<([u8; 32], u16, Value)>>;
    /// The notifications of an organization, newest first (at most `limit`).
    fn notifications(&self, organization_id: i64, limit: u32)
        -> StoreFuture<'_, Vec<Notification>>;
    /// The bytes of the terms file `id` of the offer `offer_id`.
    fn terms_file(&self, offer_id: &str, id: &str) -> StoreFuture<'_, Option<Vec<u8>>>;
    /// The exchange-rate table, by currency.
    fn exchange_rates(&self) -> StoreFuture<'_, Vec<ExchangeRate>>;
    /// Replaces the rates of the currencies given, in one transaction.
    fn set_exchange_rates(&self, rates: Vec<ExchangeRate>) -> StoreFuture<'_, ()>;
}

const COLUMNS: &str = "id, kind, owner_org_id, partner_org_id, customer_account, parent_id, status, \
     name, start_date, end_date, accept_by, document, version, status_since, created_at, updated_at";

fn read_row(row: &Row<'_>) -> rusqlite::Result<OfferRow> {
    let text = |index: usize| row.get::<_, String>(index);
    let date = |index: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(row
            .get::<_, Option<String>>(index)?
            .and_then(|text| text.parse().ok()))
    };
    let time = |index: usize| -> rusqlite::Result<DateTime<Utc>> {
        let text = row.get::<_, String>(index)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|time| time.with_timezone(&Utc))
            .map_err(|error| {
                rusqlite::Error::FromSqlConversionFailure(
                    index,
                    rusqlite::types::Type::Text,
                    Box::new(error),
                )
            })
    };
    let kind_text = text(1)?;
    let kind = OfferKind::parse(&kind_text).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            1,
            rusqlite::types::Type::Text,
            format!("unknown offer kind {kind_text}").into(),
        )
    })?;
    Ok(OfferRow {
        id: text(0)?,
        kind,
        owner_org_id: row.get(2)?,
        partner_org_id: row.get(3)?,
        customer_account: row.get(4)?,
        parent_id: row.get(5)?,
        status: text(6)?,
        name: text(7)?,
        start_date: date(8)?,
        end_date: date(9)?,
        accept_by: date(10)?,
        document: text(11)?,
        version: row.get(12)?,
        status_since: time(13)?,
        created_at: time(14)?,
        updated_at: time(15)?,
    })
}

fn stamp(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
}

fn day(date: Option<NaiveDate>) -> Option<String> {
    date.map(|date| date.to_string())
}

/// The insert of a new offer at version 1 (one statement text, prepared once per connection).
const INSERT_OFFER: &str = "INSERT INTO offers (id, kind, owner_org_id, partner_org_id, \
     customer_account, parent_id, status, name, start_date, end_date, accept_by, document, \
     version, status_since, created_at, updated_at) \
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1, ?13, ?13, ?13)";

fn current_version(connection: &Connection, id: &str) -> rusqlite::Result<i64> {
    Ok(connection
        .query_row("SELECT version FROM offers WHERE id = ?1", [id], |row| {
            row.get(0)
        })
        .optional()?
        .unwrap_or(0))
}

/// Applies `change` inside an open transaction; `Ok(Some(..))` means "roll back and answer this".
fn write_change(
    connection: &Connection,
    change: &Change,
    now: DateTime<Utc>,
) -> Result<Option<Applied>, StoreError> {
    let now_text = stamp(now);
    if let Some(answer) = &change.idempotency {
        let taken: Option<i64> = connection
            .prepare_cached(
                "SELECT 1 FROM idempotency_keys WHERE organization_id = ?1 AND key = ?2",
            )?
            .query_row(params![answer.organization_id, answer.key], |row| {
                row.get(0)
            })
            .optional()?;
        if taken.is_some() {
            return Ok(Some(Applied::KeyTaken));
        }
    }
    for write in &change.writes {
        match write {
            Write::Insert(row) => {
                connection.prepare_cached(INSERT_OFFER)?.execute(params![
                    row.id,
                    row.kind.as_str(),
                    row.owner_org_id,
                    row.partner_org_id,
                    row.customer_account,
                    row.parent_id,
                    row.status,
                    row.name,
                    day(row.start_date),
                    day(row.end_date),
                    day(row.accept_by),
                    row.document,
                    now_text,
                ])?;
            }
            Write::Update {
                row,
                status_changed,
            } => {
                let updated = connection.prepare_cached(
                    "UPDATE offers SET partner_org_id = ?3, customer_account = ?4, parent_id = ?5,
                         status = ?6, name = ?7, start_date = ?8, end_date = ?9, accept_by = ?10,
                         document = ?11, version = version + 1, updated_at = ?12,
                         status_since = CASE WHEN ?13 THEN ?12 ELSE status_since END
                     WHERE id = ?1 AND version = ?2",
                )?.execute(
                    params![
                        row.id,
                        row.version,
                        row.partner_org_id,
                        row.customer_account,
                        row.parent_id,
                        row.status,
                        row.name,
                        day(row.start_date),
                        day(row.end_date),
                        day(row.accept_by),
                        row.document,
                        now_text,
                        status_changed,
                    ],
                )?;
                if updated != 1 {
                    return Ok(Some(Applied::Stale {
                        id: row.id.clone(),
                        current: current_version(connection, &row.id)?,
                    }));
                }
            }
            Write::Delete { id, version } => {
                let deleted = connection.execute(
                    "DELETE FROM offers WHERE id = ?1 AND version = ?2",
                    params![id, version],
                )?;
                if deleted != 1 {
                    return Ok(Some(Applied::Stale {
                        id: id.clone(),
                        current: current_version(connection, id)?,
                    }));
                }
            }
        }
    }
    for link in &change.links {
        match link {
            LinkChange::Create {
                token_hash,
                offer_id,
            } => {
                connection.prepare_cached(
                    "INSERT INTO customer_links (token_hash, offer_id, created_at) VALUES (?1, ?2, ?3)",
                )?.execute(
                    params![token_hash.as_slice(), offer_id, now_text],
                )?;
            }
            LinkChange::RevokeAll { offer_id } => {
                connection.execute(
                    "UPDATE customer_links SET revoked_at = ?2 WHERE offer_id = ?1 AND revoked_at IS NULL",
                    params![offer_id, now_text],
                )?;
            }
        }
    }
    for file in &change.files {
        match file {
            FileChange::Store(file) => {
                connection.execute(
                    "INSERT INTO terms_files (id, offer_id, organization_id, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                    params![file.id, file.offer_id, file.organization_id, file.content, now_text],
                )?;
            }
            FileChange::Copy {
                from_offer_id,
                from,
                id,
                offer_id,
            } => {
                let copied = connection.execute(
                    "INSERT INTO terms_files (id, offer_id, organization_id, content, created_at)
                     SELECT ?1, ?2, organization_id, content, ?3 FROM terms_files
                     WHERE id = ?4 AND offer_id = ?5",
                    params![id, offer_id, now_text, from, from_offer_id],
                )?;
                if copied != 1 {
                    return Ok(Some(Applied::Stale {
                        id: from_offer_id.clone(),
                        current: current_version(connection, from_offer_id)?,
                    }));
                }
            }
            FileChange::Remove { offer_id, id } => {
                connection.execute(
                    "DELETE FROM terms_files WHERE id = ?1 AND offer_id = ?2",
                    params![id, offer_id],
                )?;
            }
        }
    }
    for notification in &change.notifications {
        connection.execute(
            "INSERT INTO notifications (organization_id, offer_id, program, status, message, recipients, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                notification.organization_id,
                notification.offer_id,
                notification.program,
                notification.status,
                notification.message,
                serde_json::to_string(&notification.recipients).unwrap_or_else(|_| "[]".into()),
                now_text,
            ],
        )?;
    }
    if let Some(answer) = &change.idempotency {
        connection.prepare_cached(
            "INSERT INTO idempotency_keys (organization_id, key, request_hash, status, response, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?.execute(
            params![
                answer.organization_id,
                answer.key,
                answer.request_hash.as_slice(),
                answer.status,
                answer.body.to_string(),
                now_text,
            ],
        )?;
    }
    Ok(None)
}

/// Most changes one group commit takes; the rest wait for the next one.
const MAX_GROUP: usize = 512;

/// A change waiting for its group commit, and where its outcome goes.
pub(crate) struct Queued {
    change: Change,
    now: DateTime<Utc>,
    reply: oneshot::Sender<Result<Applied, StoreError>>,
}

/// Starts the thread that commits offer changes: it sleeps until a change arrives, takes every
/// change queued by then (at most [`MAX_GROUP`]) and commits them together, so the changes that
/// arrive while one commit waits for the disk share the next one. One thread wakes per group,
/// not one blocking task per request. It ends when the last clone of the store is dropped.
pub(super) fn start_group_commits(
    connection: Arc<Mutex<Connection>>,
) -> Result<mpsc::Sender<Queued>, StoreError> {
    let (sender, changes) = mpsc::channel::<Queued>();
    std::thread::Builder::new()
        .name("offerdesk-commits".into())
        .spawn(move || {
            while let Ok(first) = changes.recv() {
                let mut batch = vec![first];
                while batch.len() < MAX_GROUP {
                    match changes.try_recv() {
                        Ok(queued) => batch.push(queued),
                        Err(_) => break,
                    }
                }
                // A panic (a bug) drops the group's replies, which answers each of its
                // requests with an error, and leaves the thread committing the next groups.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    commit_group(&mut lock(&connection), batch)
                }));
            }
        })
        .map_err(|error| StoreError::Task(format!("no thread for the commits: {error}")))?;
    Ok(sender)
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The same SQLite failure again, for each change of a group that one failure ended.
fn repeat(error: &StoreError) -> StoreError {
    match error {
        StoreError::Sqlite(rusqlite::Error::SqliteFailure(code, message)) => {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(*code, message.clone()))
        }
        other => StoreError::Task(other.to_string()),
    }
}

/// Stores a group of changes in one `BEGIN IMMEDIATE` transaction, each inside its own
/// savepoint so that a refused change (stale, key taken) leaves the others alone, then answers
/// every change only after the one commit: an acknowledged write is on disk.
fn commit_group(connection: &mut Connection, batch: Vec<Queued>) {
    let (changes, replies): (Vec<_>, Vec<_>) = batch
        .into_iter()
        .map(|queued| ((queued.change, queued.now), queued.reply))
        .unzip();
    let outcomes = match write_group(connection, &changes) {
        Ok(outcomes) => outcomes,
        Err(error) => changes.iter().map(|_| Err(repeat(&error))).collect(),
    };
    for (reply, outcome) in replies.into_iter().zip(outcomes) {
        // A caller that stopped waiting (its client went away) needs no answer.
        let _ = reply.send(outcome);
    }
}

fn write_group(
    connection: &mut Connection,
    changes: &[(Change, DateTime<Utc>)],
) -> Result<Vec<Result<Applied, StoreError>>, StoreError> {
    let mut transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut outcomes = Vec::with_capacity(changes.len());
    for (change, now) in changes {
        let savepoint = transaction.savepoint()?;
        let outcome = match write_change(&savepoint, change, *now) {
            Ok(None) => {
                savepoint.commit()?;
                Ok(Applied::Done)
            }
            // Dropping the savepoint rolls every write of the change back.
            Ok(Some(refused)) => Ok(refused),
            Err(StoreError::Sqlite(rusqlite::Error::SqliteFailure(error, _)))
                if error.code == rusqlite::ErrorCode::ConstraintViolation
                    && change.idempotency.is_some() =>
            {
                Ok(Applied::KeyTaken)
            }
            Err(error) => {
                drop(savepoint);
                // A full disk or an I/O error can make SQLite roll the whole transaction back:
                // then no change of the group is stored, and none may be acknowledged.
                if transaction.is_autocommit() {
                    return Err(error);
                }
                Err(error)
            }
        };
        outcomes.push(outcome);
    }
    transaction.commit()?;
    Ok(outcomes)
}

fn hash_of(bytes: Vec<u8>) -> [u8; 32] {
    let mut hash = [0u8; 32];
    if bytes.len() == 32 {
        hash.copy_from_slice(&bytes);
    }
    hash
}

impl OfferStore for SqliteStore {
    fn offer(&self, id: &str) -> StoreFuture<'_, Option<OfferRow>> {
        let id = id.to_owned();
        Box::pin(self.read_now(move |connection| {
            Ok(connection
                .prepare_cached(&format!("SELECT {COLUMNS} FROM offers WHERE id = ?1"))?
                .query_row([id], read_row)
                .optional()?)
        }))
    }

    fn offers(&self, kind: OfferKind, scope: Scope) -> StoreFuture<'_, Vec<OfferRow>> {
        Box::pin(self.read(move |connection| {
            let Some((condition, values)) = scope_condition(scope) else {
                return Ok(Vec::new());
            };
            let mut statement = connection.prepare(&format!(
                "SELECT {COLUMNS} FROM offers WHERE kind = ?1 AND {condition} ORDER BY created_at DESC, id"
            ))?;
            let mut all: Vec<rusqlite::types::Value> = vec![kind.as_str().to_owned().into()];
            all.extend(values);
            let rows = statement
                .query_map(rusqlite::params_from_iter(all), read_row)?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        }))
    }

    fn offer_page(
        &self,
        kind: OfferKind,
        scopes: Vec<Scope>,
        page: Page,
    ) -> StoreFuture<'_, Vec<OfferRow>> {
        Box::pin(self.read_now(move |connection| {
            // Each scope's first `limit` offers hold the union's first `limit`: merge them.
            let mut rows: Vec<OfferRow> = Vec::new();
            for scope in page_scopes(scopes) {
                let Some((sql, values)) = page_query(kind, scope, &page) else {
                    continue;
                };
                let mut statement = connection.prepare_cached(&sql)?;
                for row in statement.query_map(rusqlite::params_from_iter(values), read_row)? {
                    rows.push(row?);
                }
            }
            rows.sort_by_key(|row| std::cmp::Reverse(page_key(row)));
            rows.dedup_by(|a, b| a.id == b.id);
            rows.truncate(page.limit as usize);
            Ok(rows)
        }))
    }

    fn apply(&self, change: Change, now: DateTime<Utc>) -> StoreFuture<'_, Applied> {
        Box::pin(async move {
            let (reply, answer) = oneshot::channel();
            self.writer
                .send(Queued { change, now, reply })
                .map_err(|_| StoreError::Task("the commit thread has stopped".into()))?;
            answer
                .await
                .map_err(|_| StoreError::Task("the group commit ended without answering".into()))?
        })
    }

    fn link(&self, token_hash: [u8; 32]) -> StoreFuture<'_, Option<LinkTarget>> {
        Box::pin(self.read_now(move |connection| {
            let found: Option<(String, Option<String>)> = connection
                .query_row(
                    "SELECT offer_id, revoked_at FROM customer_links WHERE token_hash = ?1",
                    [token_hash.as_slice()],
                    |row| Ok((row.get(0)?, row.get(1)?)),
                )
                .optional()?;
            let Some((offer_id, revoked_at)) = found else {
                return Ok(None);
            };
            let offer = connection
                .query_row(
                    &format!("SELECT {COLUMNS} FROM offers WHERE id = ?1"),
                    [offer_id],
                    read_row,
                )
                .optional()?;
            Ok(offer.map(|offer| LinkTarget {
                offer,
                revoked: revoked_at.is_some(),
            }))
        }))
    }

    fn idempotent_answer(
        &self,
        organization_id: i64,
        key: &str,
    ) -> StoreFuture<'_, Option<([u8; 32], u16, Value)>> {
        let key = key.to_owned();
        Box::pin(self.read_now(move |connection| {
            let found: Option<(Vec<u8>, u16, String)> = connection
                .query_row(
                    "SELECT request_hash, status, response FROM idempotency_keys
                     WHERE organization_id = ?1 AND key = ?2",
                    params![organization_id, key],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
                )
                .optional()?;
            Ok(found.map(|(hash, status, body)| {
                (
                    hash_of(hash),
                    status,
                    serde_json::from_str(&body).unwrap_or(Value::Null),
                )
            }))
        }))
    }

    fn notifications(
        &self,
        organization_id: i64,
        limit: u32,
    ) -> StoreFuture<'_, Vec<Notification>> {
        Box::pin(self.read(move |connection| {
            let mut statement = connection.prepare(
                "SELECT id, offer_id, program, status, message, recipients, created_at
                 FROM notifications WHERE organization_id = ?1 ORDER BY id DESC LIMIT ?2",
            )?;
            let rows = statement
                .query_map(params![organization_id, limit], |row| {
                    let recipients: String = row.get(5)?;
                    let created: String = row.get(6)?;
                    Ok(Notification {
                        id: row.get(0)?,
                        offer_id: row.get(1)?,
                        program: row.get(2)?,
                        status: row.get(3)?,
                        message: row.get(4)?,
                        recipients: serde_json::from_str(&recipients).unwrap_or_default(),
                        created_at: DateTime::parse_from_rfc3339(&created)
                            .map(|time| time.with_timezone(&Utc))
                            .unwrap_or_default(),
                    })
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows)
        }))
    }

    fn terms_file(&self, offer_id: &str, id: &str) -> StoreFuture<'_, Option<Vec<u8>>> {
        let (offer_id, id) = (offer_id.to_owned(), id.to_owned());
        Box::pin(self.read(move |connection| {
            Ok(connection
                .query_row(
                    "SELECT content FROM terms_files WHERE id = ?1 AND offer_id = ?2",
                    [id, offer_id],
                    |row| row.get(0),
                )
                .optional()?)
        }))
    }

    fn exchange_rates(&self) -> StoreFuture<'_, Vec<ExchangeRate>> {
        Box::pin(self.read(|connection| {
            let mut statement = connection
                .prepare("SELECT currency, rate, as_of FROM exchange_rates ORDER BY currency")?;
            let rows = statement
                .query_map([], |row| {
                    Ok((
                        row.get::<_, String>(0)?,
                        row.get::<_, String>(1)?,
                        row.get::<_, String>(2)?,
                    ))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            Ok(rows
                .into_iter()
                .filter_map(|(currency, rate, as_of)| {
                    Some(ExchangeRate {
                        currency,
                        rate: rate.parse().ok()?,
                        as_of: as_of.parse().ok()?,
                    })
                })
                .collect())
        }))
    }

    fn set_exchange_rates(&self, rates: Vec<ExchangeRate>) -> StoreFuture<'_, ()> {
        Box::pin(self.run(move |connection| {
            let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            for rate in &rates {
                transaction.execute(
                    "INSERT INTO exchange_rates (currency, rate, as_of) VALUES (?1, ?2, ?3)
                     ON CONFLICT (currency) DO UPDATE SET rate = excluded.rate, as_of = excluded.as_of",
                    params![rate.currency, rate.rate.to_string(), rate.as_of.to_string()],
                )?;
            }
            transaction.commit()?;
            Ok(())
        }))
    }
}

/// The scopes of a list page, each customer account on its own: one account's offers are read
/// from its index already in page order, where `customer_account IN (..)` over several accounts
/// made SQLite read every offer of them all and sort them for each page.
fn page_scopes(scopes: Vec<Scope>) -> Vec<Scope> {
    scopes
        .into_iter()
        .flat_map(|scope| match scope {
            Scope::Customers(accounts) => accounts
                .into_iter()
                .map(|account| Scope::Customers(vec![account]))
                .collect(),
            other => vec![other],
        })
        .collect()
}

/// The query of one scope's part of a list page and its parameters; `None` when the scope can
/// hold no offer.
fn page_query(
    kind: OfferKind,
    scope: Scope,
    page: &Page,
) -> Option<(String, Vec<rusqlite::types::Value>)> {
    let (condition, mut values) = scope_condition(scope)?;
    let mut sql = format!("SELECT {COLUMNS} FROM offers WHERE kind = ?1 AND {condition}");
    if let Some(status) = &page.status {
        values.push(status.clone().into());
        sql.push_str(&format!(" AND status = ?{}", values.len() + 1));
    }
    if let Some((created_at, id)) = &page.after {
        values.push(created_at.clone().into());
        values.push(id.clone().into());
        sql.push_str(&format!(
            " AND (created_at, id) < (?{}, ?{})",
            values.len(),
            values.len() + 1
        ));
    }
    values.push(i64::from(page.limit).into());
    sql.push_str(&format!(
        " ORDER BY created_at DESC, id DESC LIMIT ?{}",
        values.len() + 1
    ));
    let mut all: Vec<rusqlite::types::Value> = vec![kind.as_str().to_owned().into()];
    all.extend(values);
    Some((sql, all))
}

/// The `WHERE` condition of a scope, its parameters numbered from `?2` (`?1` is the kind);
/// `None` when the scope can hold no offer.
fn scope_condition(scope: Scope) -> Option<(String, Vec<rusqlite::types::Value>)> {
    Some(match scope {
        Scope::Owner(id) => ("owner_org_id = ?2".into(), vec![id.into()]),
        Scope::Partner(id) => ("partner_org_id = ?2".into(), vec![id.into()]),
        Scope::Customers(accounts) | Scope::Statuses(accounts) if accounts.is_empty() => {
            return None
        }
        Scope::Customers(accounts) => (
            format!("customer_account IN ({})", placeholders(accounts.len())),
            accounts.into_iter().map(Into::into).collect(),
        ),
        Scope::Statuses(statuses) => (
            format!("status IN ({})", placeholders(statuses.len())),
            statuses.into_iter().map(Into::into).collect(),
        ),
        Scope::Children(parent) => ("parent_id = ?2".into(), vec![parent.into()]),
        Scope::Due {
            every,
            past_accept_by,
            past_end,
            today,
        } => {
            let mut values: Vec<rusqlite::types::Value> = vec![today.to_string().into()];
            let mut parts = Vec::new();
            for (statuses, extra) in [
                (every, ""),
                (past_accept_by, " AND accept_by < ?2"),
                (past_end, " AND end_date < ?2"),
            ] {
                if statuses.is_empty() {
                    continue;
                }
                let first = values.len() + 2;
                let marks: Vec<String> = (first..first + statuses.len())
                    .map(|index| format!("?{index}"))
                    .collect();
                parts.push(format!("(status IN ({}){extra})", marks.join(", ")));
                values.extend(statuses.into_iter().map(Into::into));
            }
            if parts.is_empty() {
                return None;
            }
            (format!("({})", parts.join(" OR ")), values)
        }
    })
}

fn placeholders(count: usize) -> String {
    (0..count)
        .map(|index| format!("?{}", index + 2))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn row(id: &str) -> OfferRow {
        let now = Utc::now();
        OfferRow {
            id: id.into(),
            kind: OfferKind::Multiparty,
            owner_org_id: 1,
            partner_org_id: Some(2),
            customer_account: Some("acct".into()),
            parent_id: None,
            status: "Draft".into(),
            name: "Deal".into(),
            start_date: None,
            end_date: "2027-12-31".parse().ok(),
            accept_by: None,
            document: json!({"id": id}).to_string(),
            version: 1,
            status_since: now,
            created_at: now,
            updated_at: now,
        }
    }

    fn insert(id: &str) -> Change {
        Change {
            writes: vec![Write::Insert(row(id))],
            ..Change::default()
        }
    }

    #[tokio::test]
    async fn an_insert_reads_back_and_a_stale_update_changes_nothing() {
        let store = SqliteStore::open_in_memory().unwrap();
        let now = Utc::now();
        assert_eq!(store.apply(insert("o1"), now).await.unwrap(), Applied::Done);
        let stored = store.offer("o1").await.unwrap().unwrap();
        assert_eq!(stored.version, 1);
        assert_eq!(stored.end_date, "2027-12-31".parse().ok());

        let mut next = stored.clone();
        next.status = "InProgressForPartner".into();
        let update = |row: OfferRow| Change {
            writes: vec![Write::Update {
                row,
                status_changed: true,
            }],
            notifications: vec![NewNotification {
                organization_id: 1,
                offer_id: "o1".into(),
                program: "multiparty".into(),
                status: "In progress".into(),
                message: "m".into(),
                recipients: vec![],
            }],
            ..Change::default()
        };
        assert_eq!(
            store.apply(update(next.clone()), now).await.unwrap(),
            Applied::Done
        );
        // The same version again is stale, and its notification is not stored either.
        assert_eq!(
            store.apply(update(next), now).await.unwrap(),
            Applied::Stale {
                id: "o1".into(),
                current: 2
            }
        );
        assert_eq!(store.notifications(1, 10).await.unwrap().len(), 1);
        let listed = store
            .offers(OfferKind::Multiparty, Scope::Partner(2))
            .await
            .unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].status, "InProgressForPartner");
    }

    #[tokio::test]
    async fn writes_arriving_together_commit_together_and_a_refused_one_stores_nothing() {
        let store = SqliteStore::open_in_memory().unwrap();
        let now = Utc::now();
        store.apply(insert("old"), now).await.unwrap();
        let mut stale = row("old");
        stale.version = 7;
        let stale = Change {
            writes: vec![Write::Update {
                row: stale,
                status_changed: false,
            }],
            notifications: vec![NewNotification {
                organization_id: 1,
                offer_id: "old".into(),
                program: "multiparty".into(),
                status: "s".into(),
                message: "m".into(),
                recipients: vec![],
            }],
            ..Change::default()
        };
        let mut tasks: Vec<_> = (0..40)
            .map(|n| {
                let store = store.clone();
                tokio::spawn(async move { store.apply(insert(&format!("o{n}")), now).await })
            })
            .collect();
        let refused = {
            let store = store.clone();
            tokio::spawn(async move { store.apply(stale, now).await })
        };
        tasks.push(tokio::spawn({
            let store = store.clone();
            async move { store.apply(insert("o0"), now).await }
        }));
        let mut done = 0;
        let mut failed = 0;
        for task in tasks {
            match task.await.unwrap() {
                Ok(Applied::Done) => done += 1,
                Err(StoreError::Sqlite(_)) => failed += 1,
                other => panic!("{other:?}"),
            }
        }
        // 40 new offers, and "o0" twice: exactly one of those two is stored.
        assert_eq!((done, failed), (40, 1));
        assert_eq!(
            refused.await.unwrap().unwrap(),
            Applied::Stale {
                id: "old".into(),
                current: 1
            }
        );
        assert!(store.notifications(1, 10).await.unwrap().is_empty());
        let page = Page {
            status: None,
            after: None,
            limit: 200,
        };
        let listed = store
            .offer_page(OfferKind::Multiparty, vec![Scope::Owner(1)], page)
            .await
            .unwrap();
        assert_eq!(listed.len(), 41);
    }

    #[tokio::test]
    async fn pages_follow_each_other_newest_first_over_several_scopes() {
        let store = SqliteStore::open_in_memory().unwrap();
        let start = Utc::now();
        for n in 0..25 {
            let mut offer = row(&format!("o{n:02}"));
            // Owned by 1 or made with partner 1 (never both), drafts and accepted ones.
            if n % 3 == 0 {
                offer.owner_org_id = 9;
                offer.partner_org_id = Some(1);
            }
            offer.status = if n % 2 == 0 { "Draft" } else { "Accepted" }.into();
            let change = Change {
                writes: vec![Write::Insert(offer)],
                ..Change::default()
            };
            let now = start + chrono::Duration::seconds(n);
            store.apply(change, now).await.unwrap();
        }
        let scopes = || vec![Scope::Owner(1), Scope::Partner(1)];
        let mut seen = Vec::new();
        let mut after = None;
        loop {
            let page = Page {
                status: None,
                after: after.clone(),
                limit: 10,
            };
            let rows = store
                .offer_page(OfferKind::Multiparty, scopes(), page)
                .await
                .unwrap();
            seen.extend(rows.iter().map(|row| row.id.clone()));
            if rows.len() < 10 {
                break;
            }
            after = rows.last().map(page_key);
        }
        let expected: Vec<String> = (0..25).rev().map(|n| format!("o{n:02}")).collect();
        assert_eq!(seen, expected);

        let drafts = Page {
            status: Some("Draft".into()),
            after: None,
            limit: 200,
        };
        let rows = store
            .offer_page(OfferKind::Multiparty, scopes(), drafts)
            .await
            .unwrap();
        assert_eq!(rows.len(), 13);
        assert!(rows.iter().all(|row| row.status == "Draft"));
        let none = store
            .offer_page(
                OfferKind::Csp,
                scopes(),
                Page {
                    status: None,
                    after: None,
                    limit: 5,
                },
            )
            .await
            .unwrap();
        assert!(none.is_empty());
    }

    #[test]
    fn every_list_page_reads_an_index_in_page_order() {
        let store = SqliteStore::open_in_memory().unwrap();
        let connection = store.connection.lock().unwrap();
        let scopes = vec![
            Scope::Owner(1),
            Scope::Partner(1),
            Scope::Customers(vec!["a".into(), "b".into()]),
        ];
        for scope in page_scopes(scopes) {
            for status in [None, Some("Draft".to_owned())] {
                for after in [None, Some(("2026-12-01T00:00:00Z".into(), "o1".into()))] {
                    let page = Page {
                        status: status.clone(),
                        after,
                        limit: 50,
                    };
                    let (sql, values) = page_query(OfferKind::Multiparty, scope.clone(), &page)
                        .expect("a scope with offers");
                    let mut statement = connection
                        .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
                        .unwrap();
                    let plan: Vec<String> = statement
                        .query_map(rusqlite::params_from_iter(values), |row| row.get(3))
                        .unwrap()
                        .collect::<Result<_, _>>()
                        .unwrap();
                    let plan = plan.join("; ");
                    // An index search that yields the page order: no scan, no sort of the scope.
                    assert!(plan.contains("USING INDEX offers_"), "{scope:?}: {plan}");
                    assert!(!plan.contains("TEMP B-TREE"), "{scope:?}: {plan}");
                    assert!(!plan.starts_with("SCAN"), "{scope:?}: {plan}");
                }
            }
        }
    }

    #[tokio::test]
    async fn the_due_scope_reads_in_progress_offers_and_those_past_their_dates() {
        let store = SqliteStore::open_in_memory().unwrap();
        let now = Utc::now();
        let mut change = Change::default();
        for (id, status, accept_by, end) in [
            ("a", "InProgressForPartner", "2027-01-01", "2027-12-31"),
            ("b", "PendingAcceptance", "2026-12-01", "2027-12-31"),
            ("c", "PendingAcceptance", "2026-12-31", "2027-12-31"),
            ("d", "Accepted", "2026-12-01", "2026-12-15"),
            ("e", "Accepted", "2026-12-01", "2027-12-31"),
            ("f", "Draft", "2026-01-01", "2026-01-31"),
        ] {
            let mut offer = row(id);
            offer.status = status.into();
            offer.accept_by = accept_by.parse().ok();
            offer.end_date = end.parse().ok();
            change.writes.push(Write::Insert(offer));
        }
        store.apply(change, now).await.unwrap();
        let due = store
            .offers(
                OfferKind::Multiparty,
                Scope::Due {
                    every: vec!["InProgressForPartner".into()],
                    past_accept_by: vec!["PendingAcceptance".into()],
                    past_end: vec!["Accepted".into()],
                    today: "2026-12-20".parse().unwrap(),
                },
            )
            .await
            .unwrap();
        let mut ids: Vec<&str> = due.iter().map(|row| row.id.as_str()).collect();
        ids.sort();
        assert_eq!(ids, ["a", "b", "d"]);
    }

    #[tokio::test]
    async fn one_idempotency_key_stores_one_offer() {
        let store = SqliteStore::open_in_memory().unwrap();
        let answer = IdempotentAnswer {
            organization_id: 1,
            key: "k".into(),
            request_hash: [7; 32],
            status: 201,
            body: json!({"id": "o1"}),
        };
        let mut first = insert("o1");
        first.idempotency = Some(answer.clone());
        let mut second = insert("o2");
        second.idempotency = Some(answer);
        let now = Utc::now();
        assert_eq!(store.apply(first, now).await.unwrap(), Applied::Done);
        assert_eq!(store.apply(second, now).await.unwrap(), Applied::KeyTaken);
        assert!(store.offer("o2").await.unwrap().is_none());
        let (hash, status, body) = store.idempotent_answer(1, "k").await.unwrap().unwrap();
        assert_eq!((hash, status, body), ([7; 32], 201, json!({"id": "o1"})));
    }

    #[tokio::test]
    async fn links_are_found_by_hash_and_revoked() {
        let store = SqliteStore::open_in_memory().unwrap();
        let now = Utc::now();
        let mut change = insert("o1");
        change.links.push(LinkChange::Create {
            token_hash: [1; 32],
            offer_id: "o1".into(),
        });
        store.apply(change, now).await.unwrap();
        assert!(!store.link([1; 32]).await.unwrap().unwrap().revoked);
        assert!(store.link([2; 32]).await.unwrap().is_none());
        let revoke = Change {
            links: vec![LinkChange::RevokeAll {
                offer_id: "o1".into(),
            }],
            ..Change::default()
        };
        store.apply(revoke, now).await.unwrap();
        assert!(store.link([1; 32]).await.unwrap().unwrap().revoked);
    }

    #[tokio::test]
    async fn a_copied_file_outlives_its_source_and_a_missing_source_stores_nothing() {
        let store = SqliteStore::open_in_memory().unwrap();
        let now = Utc::now();
        let mut upload = insert("a");
        upload.files.push(FileChange::Store(NewFile {
            id: "f1".into(),
            offer_id: "a".into(),
            organization_id: 1,
            content: b"%PDF-1.7 one".to_vec(),
        }));
        assert_eq!(store.apply(upload, now).await.unwrap(), Applied::Done);
        let copy = |from: &str, id: &str, offer_id: &str| {
            let mut change = insert(offer_id);
            change.files.push(FileChange::Copy {
                from_offer_id: "a".into(),
                from: from.into(),
                id: id.into(),
                offer_id: offer_id.into(),
            });
            change
        };
        assert_eq!(
            store.apply(copy("f1", "f2", "b"), now).await.unwrap(),
            Applied::Done
        );
        // Only the file's own offer reads it.
        assert_eq!(store.terms_file("b", "f1").await.unwrap(), None);
        let deleted = Change {
            writes: vec![Write::Delete {
                id: "a".into(),
                version: 1,
            }],
            ..Change::default()
        };
        assert_eq!(store.apply(deleted, now).await.unwrap(), Applied::Done);
        assert_eq!(store.terms_file("a", "f1").await.unwrap(), None);
        assert_eq!(
            store.terms_file("b", "f2").await.unwrap(),
            Some(b"%PDF-1.7 one".to_vec())
        );
        // The source is gone now: the new offer is refused with its copy.
        assert_eq!(
            store.apply(copy("f1", "f3", "c"), now).await.unwrap(),
            Applied::Stale {
                id: "a".into(),
                current: 0
            }
        );
        assert!(store.offer("c").await.unwrap().is_none());
        let removed = Change {
            files: vec![FileChange::Remove {
                offer_id: "b".into(),
                id: "f2".into(),
            }],
            ..Change::default()
        };
        assert_eq!(store.apply(removed, now).await.unwrap(), Applied::Done);
        assert_eq!(store.terms_file("b", "f2").await.unwrap(), None);
    }
}
