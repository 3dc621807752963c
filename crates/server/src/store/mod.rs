//! Persistence. [`Store`] is what the routes see, so that PostgreSQL can follow SQLite;
//! [`SqliteStore`] is the embedded default: one file, WAL, `synchronous=FULL` (an acknowledged
//! write survives a crash), migrations applied at start-up. Offer writes that arrive together
//! are committed together (group commit, see [`offers`]): one fsync for many requests, each
//! acknowledged only once its transaction is on disk.

use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError, Weak};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};

pub mod accounts;
pub mod offers;

pub use accounts::AccountStore;
pub use offers::OfferStore;

/// A store call in flight. Boxed so that `dyn Store` can live in the app state.
pub type StoreFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, StoreError>> + Send + 'a>>;

/// What the server needs from a database; each area's methods live in their own trait.
pub trait Store: AccountStore + OfferStore + Send + Sync + 'static {
    /// Succeeds when the database answers a query.
    fn health(&self) -> StoreFuture<'_, ()>;
}

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite refused or failed.
    #[error("SQLite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file is SQLite but could not be switched to write-ahead logging.
    #[error("the database could not use write-ahead logging (journal mode is {0})")]
    NoWal(String),
    /// The database was migrated by a newer Offer Desk; this one must not touch it.
    #[error("the database has schema version {found}, newer than this program knows ({known})")]
    NewerSchema {
        /// The highest version applied to the file.
        found: i64,
        /// The highest version this program has.
        known: i64,
    },
    /// The blocking task running the call failed (it panicked or was cancelled).
    #[error("a database task failed: {0}")]
    Task(String),
    /// A unique value is in use already (an email, a seller ID): nothing was stored.
    #[error("{0} is taken already")]
    Taken(&'static str),
    /// A stored value this program cannot read back.
    #[error("corrupt row: {0}")]
    Corrupt(String),
}

impl StoreError {
    fn sqlite_code(&self) -> Option<rusqlite::ErrorCode> {
        match self {
            StoreError::Sqlite(rusqlite::Error::SqliteFailure(error, _)) => Some(error.code),
            _ => None,
        }
    }

    /// The disk (or the database's size limit) is full: nothing of the write was stored.
    pub fn is_disk_full(&self) -> bool {
        self.sqlite_code() == Some(rusqlite::ErrorCode::DiskFull)
    }

    /// The database file or its directory cannot be written: nothing was stored.
    pub fn is_read_only(&self) -> bool {
        self.sqlite_code() == Some(rusqlite::ErrorCode::ReadOnly)
    }
}

/// One schema change, applied once, in order, in its own transaction.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

/// Every migration, oldest first. Append only: never edit one that has shipped.
const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "app_meta",
        sql: "CREATE TABLE app_meta (
              key   TEXT PRIMARY KEY NOT NULL,
              value TEXT NOT NULL
          ) STRICT;",
    },
    Migration {
        version: 2,
        name: "accounts",
        sql: accounts::MIGRATION_SQL,
    },
    Migration {
        version: 3,
        name: "offers",
        sql: offers::MIGRATION_SQL,
    },
    Migration {
        version: 4,
        name: "offer_list_pages",
        sql: offers::PAGE_INDEXES_SQL,
    },
];

/// The schema version this program migrates a database to.
pub const SCHEMA_VERSION: i64 = MIGRATIONS[MIGRATIONS.len() - 1].version;

/// How many read-only connections a file database keeps beside its writing one: two per core
/// (at least four), so that reads running on the async workers and on blocking threads rarely
/// wait for one another.
fn reader_count() -> usize {
    std::thread::available_parallelism().map_or(2, usize::from) * 2
}

/// How often the checkpoint thread copies committed pages from the WAL into the database file.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);

/// The WAL size, in pages, past which the committing connection checkpoints by itself (SQLite's
/// default is 1,000): only when the checkpoint thread falls behind, so that the WAL stays bounded.
const WRITER_CHECKPOINT_PAGES: i64 = 10_000;

/// Prepared statements kept per connection (rusqlite's default is 16; the offer writes, the
/// list pages and the account reads together use more).
const STATEMENT_CACHE: usize = 64;

/// The SQLite store: the connection that writes, read-only connections that read beside it
/// (WAL lets them read while a commit waits for the disk), and the channel to the thread that
/// commits offer writes in groups (see [`offers`]).
#[derive(Clone)]
pub struct SqliteStore {
    connection: Arc<Mutex<Connection>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next_reader: Arc<AtomicUsize>,
    writer: mpsc::Sender<offers::Queued>,
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

impl SqliteStore {
    /// Opens (creating if missing) the database file at `path` and migrates it. Blocking: call
    /// it before the runtime starts or from a blocking task.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let connection = Connection::open(path)?;
        let journal_mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        if !journal_mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::NoWal(journal_mode));
        }
        connection.pragma_update(None, "wal_autocheckpoint", WRITER_CHECKPOINT_PAGES)?;
        let mut store = SqliteStore::prepare(connection)?;
        let readers = (0..reader_count().max(4))
            .map(|_| {
                let reader = Connection::open_with_flags(
                    path,
                    OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
                )?;
                reader.busy_timeout(Duration::from_secs(5))?;
                reader.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
                Ok(Mutex::new(reader))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        store.readers = Arc::new(readers);
        start_checkpoints(path, Arc::downgrade(&store.readers))?;
        Ok(store)
    }

    /// A private in-memory database (no WAL: there is no file), migrated; for tests.
    pub fn open_in_memory() -> Result<SqliteStore, StoreError> {
        SqliteStore::prepare(Connection::open_in_memory()?)
    }

    fn prepare(mut connection: Connection) -> Result<SqliteStore, StoreError> {
        connection.pragma_update(None, "synchronous", "FULL")?;
        connection.pragma_update(None, "foreign_keys", "ON")?;
        connection.busy_timeout(Duration::from_secs(5))?;
        connection.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
        migrate(&mut connection)?;
        let connection = Arc::new(Mutex::new(connection));
        let writer = offers::start_group_commits(Arc::clone(&connection))?;
        Ok(SqliteStore {
            connection,
            readers: Arc::default(),
            next_reader: Arc::default(),
            writer,
        })
    }

    /// Runs `call` with the connection on a blocking thread, off the async workers.
    pub(crate) async fn run<T, F>(&self, call: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        let connection = Arc::clone(&self.connection);
        tokio::task::spawn_blocking(move || {
            // A panic while holding the lock poisons it, but SQLite rolled back any open
            // transaction, so the connection is still sound.
            let mut connection = connection.lock().unwrap_or_else(PoisonError::into_inner);
            call(&mut connection)
        })
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
    }
}

impl SqliteStore {
    /// Runs a read-only `call` on a reader connection (the first free one, else the next in
    /// turn), off the async workers; an in-memory store reads on its one connection.
    pub(crate) async fn read<T, F>(&self, call: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        if self.readers.is_empty() {
            return self.run(call).await;
        }
        let readers = Arc::clone(&self.readers);
        let turn = self.next_reader.fetch_add(1, Ordering::Relaxed);
        tokio::task::spawn_blocking(move || {
            let count = readers.len();
            let free =
                (0..count).find_map(|offset| readers[(turn + offset) % count].try_lock().ok());
            let mut connection = match free {
                Some(connection) => connection,
                None => readers[turn % count]
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner),
            };
            call(&mut connection)
        })
        .await
        .map_err(|error| StoreError::Task(error.to_string()))?
    }

    /// Runs a short read-only `call` (a lookup by key, one bounded page) right here on a free
    /// reader connection, else as [`SqliteStore::read`] does. Such a read takes microseconds
    /// from SQLite's page cache, less than the two thread hand-offs of a blocking task would
    /// cost; under load those hand-offs were a third of the server's CPU time.
    pub(crate) async fn read_now<T, F>(&self, call: F) -> Result<T, StoreError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T, StoreError> + Send + 'static,
    {
        match self.read_here(call) {
            Ok(answer) => answer,
            Err(call) => self.read(call).await,
        }
    }

    /// Runs `call` on a free reader connection, or gives it back when none is free.
    fn read_here<T, F>(&self, call: F) -> Result<Result<T, StoreError>, F>
    where
        F: FnOnce(&mut Connection) -> Result<T, StoreError>,
    {
        let count = self.readers.len();
        let turn = self.next_reader.fetch_add(1, Ordering::Relaxed);
        let free =
            (0..count).find_map(|offset| self.readers[(turn + offset) % count].try_lock().ok());
        match free {
            Some(mut connection) => Ok(call(&mut connection)),
            None => Err(call),
        }
    }
}

/// Starts the thread that checkpoints the WAL of the file at `path` in the background (PASSIVE:
/// it copies what no reader still needs and waits for nobody), so that a commit does not also
/// copy a thousand pages and fsync the database file before it can answer. It ends once `alive`
/// (the readers, held by the store's clones only) is gone. A failed checkpoint (a full or
/// read-only disk) loses nothing: the pages stay in the WAL for the next one.
fn start_checkpoints(path: &Path, alive: Weak<Vec<Mutex<Connection>>>) -> Result<(), StoreError> {
    let connection = Connection::open(path)?;
    connection.pragma_update(None, "synchronous", "FULL")?;
    connection.busy_timeout(Duration::from_millis(100))?;
    std::thread::Builder::new()
        .name("offerdesk-checkpoints".into())
        .spawn(move || {
            while alive.strong_count() > 0 {
                std::thread::sleep(CHECKPOINT_EVERY);
                let done = connection.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |row| {
                    row.get::<_, i64>(0)
                });
                if let Err(error) = done {
                    tracing::debug!(%error, "a background checkpoint failed; the WAL keeps the pages");
                }
            }
        })
        .map_err(|error| StoreError::Task(format!("no thread for the checkpoints: {error}")))?;
    Ok(())
}

impl Store for SqliteStore {
    fn health(&self) -> StoreFuture<'_, ()> {
        Box::pin(self.run(|connection| {
            connection.query_row("SELECT 1", [], |row| row.get::<_, i64>(0))?;
            Ok(())
        }))
    }
}

/// Creates the bookkeeping table and applies every migration the file lacks.
fn migrate(connection: &mut Connection) -> Result<(), StoreError> {
    connection.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
             version    INTEGER PRIMARY KEY NOT NULL,
             name       TEXT NOT NULL,
             applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
         ) STRICT;",
    )?;
    for migration in MIGRATIONS {
        // IMMEDIATE takes the write lock first, so two processes starting at once cannot both
        // apply the same migration.
        let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let applied: Option<i64> =
            transaction.query_row("SELECT MAX(version) FROM schema_migrations", [], |row| {
                row.get(0)
            })?;
        let applied = applied.unwrap_or(0);
        if applied > SCHEMA_VERSION {
            return Err(StoreError::NewerSchema {
                found: applied,
                known: SCHEMA_VERSION,
            });
        }
        let done: Option<i64> = transaction
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?1",
                [migration.version],
                |row| row.get(0),
            )
            .optional()?;
        if done.is_none() {
            transaction.execute_batch(migration.sql)?;
            transaction.execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?1, ?2)",
                (migration.version, migration.name),
            )?;
            tracing::info!(
                version = migration.version,
                name = migration.name,
                "applied migration"
            );
        }
        transaction.commit()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_in_order_and_unique() {
        for pair in MIGRATIONS.windows(2) {
            assert!(pair[0].version < pair[1].version);
        }
        assert!(MIGRATIONS[0].version >= 1);
    }

    #[test]
    fn migrating_twice_changes_nothing() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        migrate(&mut connection).unwrap();
        let count: i64 = connection
            .query_row("SELECT COUNT(*) FROM schema_migrations", [], |row| {
                row.get(0)
            })
            .unwrap();
        assert_eq!(count, MIGRATIONS.len() as i64);
        connection
            .execute("INSERT INTO app_meta (key, value) VALUES ('k', 'v')", [])
            .unwrap();
    }

    #[test]
    fn a_newer_database_is_refused() {
        let mut connection = Connection::open_in_memory().unwrap();
        migrate(&mut connection).unwrap();
        connection
            .execute(
                "INSERT INTO schema_migrations (version, name) VALUES (?1, 'future')",
                [SCHEMA_VERSION + 1],
            )
            .unwrap();
        assert!(matches!(
            migrate(&mut connection),
            Err(StoreError::NewerSchema { .. })
        ));
    }

    /// A database file in a fresh temporary directory.
    fn temp_database(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("offerdesk-store-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir.join("offers.db")
    }

    fn draft(id: &str, bytes: usize) -> offers::Change {
        let now = chrono::Utc::now();
        offers::Change {
            writes: vec![offers::Write::Insert(offers::OfferRow {
                id: id.into(),
                kind: offers::OfferKind::Multiparty,
                owner_org_id: 1,
                partner_org_id: None,
                customer_account: None,
                parent_id: None,
                status: "Draft".into(),
                name: id.into(),
                start_date: None,
                end_date: None,
                accept_by: None,
                document: serde_json::json!({ "id": id, "padding": "x".repeat(bytes) }).to_string(),
                version: 1,
                status_since: now,
                created_at: now,
                updated_at: now,
            })],
            ..offers::Change::default()
        }
    }

    fn integrity(path: &Path) -> String {
        Connection::open(path)
            .unwrap()
            .query_row("PRAGMA integrity_check", [], |row| row.get(0))
            .unwrap()
    }

    #[tokio::test]
    async fn a_full_disk_refuses_the_write_whole_answers_507_and_corrupts_nothing() {
        let path = temp_database("full");
        let store = SqliteStore::open(&path).unwrap();
        let now = chrono::Utc::now();
        store.apply(draft("kept", 10), now).await.unwrap();
        {
            // SQLite's size limit stands in for a full disk: the same SQLITE_FULL error.
            let connection = store.connection.lock().unwrap();
            let pages: i64 = connection
                .query_row("PRAGMA page_count", [], |row| row.get(0))
                .unwrap();
            connection
                .pragma_update(None, "max_page_count", pages)
                .unwrap();
        }
        let error = store.apply(draft("big", 200_000), now).await.unwrap_err();
        assert!(error.is_disk_full(), "{error}");
        let answer = crate::AppError::Unavailable(error);
        assert_eq!(
            answer.status(),
            axum::http::StatusCode::INSUFFICIENT_STORAGE
        );
        let body = axum::response::IntoResponse::into_response(answer);
        let bytes = axum::body::to_bytes(body.into_body(), 10_000)
            .await
            .unwrap();
        let body: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert!(body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("disk is full"));
        // Nothing of the refused write, everything of the earlier one, and a sound file.
        assert!(store.offer("big").await.unwrap().is_none());
        assert!(store.offer("kept").await.unwrap().is_some());
        store.apply(draft("small", 0), now).await.ok();
        drop(store);
        assert_eq!(integrity(&path), "ok");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[tokio::test]
    async fn a_read_only_database_refuses_the_write_with_503_and_keeps_what_it_has() {
        let path = temp_database("read-only");
        let store = SqliteStore::open(&path).unwrap();
        let now = chrono::Utc::now();
        store.apply(draft("kept", 10), now).await.unwrap();
        store
            .connection
            .lock()
            .unwrap()
            .pragma_update(None, "query_only", true)
            .unwrap();
        let error = store.apply(draft("refused", 10), now).await.unwrap_err();
        assert!(error.is_read_only(), "{error}");
        let answer = crate::AppError::Unavailable(error);
        assert_eq!(answer.status(), axum::http::StatusCode::SERVICE_UNAVAILABLE);
        assert!(store.offer("kept").await.unwrap().is_some());
        assert!(store.offer("refused").await.unwrap().is_none());
        drop(store);
        assert_eq!(integrity(&path), "ok");
        let _ = std::fs::remove_dir_all(path.parent().unwrap());
    }

    #[tokio::test]
    async fn health_answers() {
        let store = SqliteStore::open_in_memory().unwrap();
        store.health().await.unwrap();
    }
}
