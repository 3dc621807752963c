//! Accounts in the store: organizations (ISVs, partners, customers), users, customer accounts
//! and billing-account roles, sessions, and each ISV's catalog. Migration 2 creates the tables.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use offerdesk_core::catalog::{Catalog, PublicOffer};
use offerdesk_core::party::{
    BillingAccountRole, CustomerAccount, PartnerProfile, TaxProfileCountry,
};
use rusqlite::{
    params, Connection, OptionalExtension, Row, ToSql, Transaction, TransactionBehavior,
};
use serde::Serialize;

use super::{SqliteStore, StoreError, StoreFuture};
use crate::auth::{BillingAccountGrant, Caller};

/// Migration 2: the accounts tables. Times are UTC RFC 3339 text with microseconds, so that
/// comparing the text compares the times.
pub(super) const MIGRATION_SQL: &str = "
CREATE TABLE organizations (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('isv', 'partner', 'isv_and_partner', 'customer'))
) STRICT;
CREATE TABLE partner_profiles (
    organization_id                INTEGER PRIMARY KEY NOT NULL
                                   REFERENCES organizations (id) ON DELETE CASCADE,
    seller_id                      TEXT NOT NULL UNIQUE,
    tenant_id                      TEXT NOT NULL UNIQUE COLLATE NOCASE,
    aws_account_id                 TEXT UNIQUE,
    csp_member                     INTEGER NOT NULL CHECK (csp_member IN (0, 1)),
    regions                        TEXT NOT NULL, -- a JSON array of strings
    tax_profile_country            TEXT CHECK (tax_profile_country IN ('us', 'uk', 'other')),
    us_resale_certificates_on_file INTEGER NOT NULL CHECK (us_resale_certificates_on_file IN (0, 1)),
    uk_treaty_claim_expires_on     TEXT
) STRICT;
CREATE TABLE users (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email           TEXT NOT NULL UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    password_hash   TEXT NOT NULL
) STRICT;
CREATE INDEX users_organization ON users (organization_id);
CREATE TABLE customer_accounts (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    marketplace     TEXT NOT NULL CHECK (marketplace IN ('microsoft_billing_account', 'aws_account')),
    account_id      TEXT NOT NULL,
    country         TEXT NOT NULL,
    UNIQUE (marketplace, account_id)
) STRICT;
CREATE TABLE billing_account_roles (
    user_id             INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    customer_account_id INTEGER NOT NULL REFERENCES customer_accounts (id) ON DELETE CASCADE,
    role                TEXT NOT NULL
                        CHECK (role IN ('owner', 'contributor', 'signatory', 'reader')),
    PRIMARY KEY (user_id, customer_account_id)
) STRICT;
CREATE TABLE sessions (
    token_hash BLOB PRIMARY KEY NOT NULL, -- SHA-256 of the cookie's token; never the token
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE TABLE catalog_offers (
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    offer_id        TEXT NOT NULL,
    position        INTEGER NOT NULL,
    offer           TEXT NOT NULL, -- core's PublicOffer as JSON: plans and list prices
    PRIMARY KEY (organization_id, offer_id)
) STRICT;
";

pub use offerdesk_core::account::PartyKind;

/// Reads a stored organization kind.
fn party_kind(text: &str) -> Result<PartyKind, StoreError> {
    PartyKind::from_name(text).ok_or_else(|| corrupt("organizations.kind", text))
}

/// An organization to create, with its people, customer accounts and catalog, in one go.
/// Validate it first ([`crate::accounts::validate_new_organization`]): the store only stores.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrganization {
    /// The company name.
    pub name: String,
    /// ISV, partner, both or customer.
    pub kind: PartyKind,
    /// The partner attributes, for a partner.
    pub partner: Option<PartnerProfile>,
    /// A customer's marketplace accounts.
    pub customer_accounts: Vec<NewCustomerAccount>,
    /// The people who sign in for it.
    pub users: Vec<NewUser>,
    /// An ISV's public offers.
    pub catalog: Catalog,
}

/// A customer's marketplace account to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCustomerAccount {
    /// The Microsoft billing account or AWS account.
    pub account: CustomerAccount,
    /// ISO 3166 alpha-2 country of the account ("US").
    pub country: String,
}

/// A user to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewUser {
    /// The sign-in email, unique regardless of case.
    pub email: String,
    /// The name shown to colleagues.
    pub name: String,
    /// The argon2id PHC string ([`crate::auth::Passwords::hash`]).
    pub password_hash: String,
    /// Roles on the organization's own customer accounts, by account ID.
    pub billing_roles: Vec<(String, BillingAccountRole)>,
}

/// The IDs an organization got when it was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CreatedOrganization {
    /// The organization.
    pub id: i64,
    /// Its users, in the order given.
    pub user_ids: Vec<i64>,
    /// Its customer accounts, in the order given.
    pub customer_account_ids: Vec<i64>,
}

/// What sign-in needs to check a password.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserCredentials {
    /// The user.
    pub user_id: i64,
    /// The stored argon2id PHC string.
    pub password_hash: String,
}

/// A session to store: only the hash of its token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSession {
    /// SHA-256 of the cookie's token.
    pub token_hash: [u8; 32],
    /// Who signed in.
    pub user_id: i64,
    /// When.
    pub created_at: DateTime<Utc>,
    /// When the session stops working.
    pub expires_at: DateTime<Utc>,
}

/// A customer's marketplace account as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CustomerAccountRecord {
    /// Offer Desk's ID of the account.
    pub id: i64,
    /// The customer organization.
    pub organization_id: i64,
    /// The customer's company name.
    pub organization_name: String,
    /// The Microsoft billing account or AWS account.
    pub account: CustomerAccount,
    /// ISO 3166 alpha-2 country.
    pub country: String,
}

/// An organization as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrganizationRecord {
    /// Offer Desk's ID.
    pub id: i64,
    /// The company name.
    pub name: String,
    /// ISV, partner, both or customer.
    pub kind: PartyKind,
    /// The partner attributes, for a partner.
    pub partner: Option<PartnerProfile>,
    /// A customer's marketplace accounts.
    pub customer_accounts: Vec<CustomerAccountRecord>,
}

/// A partner found in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerListing {
    /// The partner's organization ID.
    pub organization_id: i64,
    /// The company name.
    pub name: String,
    /// Partner or ISV and partner.
    pub kind: PartyKind,
    /// Its attributes.
    pub partner: PartnerProfile,
}

/// How to find one partner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartnerKey {
    /// By its organization ID.
    Organization(i64),
    /// By marketplace seller ID (multiparty offers).
    SellerId(String),
    /// By Azure tenant ID, in any case (CSP margin offers).
    TenantId(String),
    /// By 12-digit AWS account ID (CPPO).
    AwsAccountId(String),
}

/// A directory search: text in the name, seller ID, tenant ID or AWS account ID; a region; CSP
/// members only.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PartnerQuery {
    /// Matches part of the name or seller ID, or the whole tenant ID or AWS account ID, in any
    /// case.
    pub text: Option<String>,
    /// Only partners selling in this region (any case).
    pub region: Option<String>,
    /// Only CSP members (or only non-members).
    pub csp_member: Option<bool>,
    /// Only the partner with this whole seller ID.
    pub seller_id: Option<String>,
    /// Only the partner with this whole tenant ID, in any case.
    pub tenant_id: Option<String>,
    /// Only the partner with this whole AWS account ID.
    pub aws_account_id: Option<String>,
    /// At most this many.
    pub limit: u32,
    /// After skipping this many, in name order.
    pub offset: u32,
}

/// One page of a directory search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartnerPage {
    /// The partners on the page, by name.
    pub partners: Vec<PartnerListing>,
    /// How many match in all.
    pub total: u64,
}

/// What the server needs to keep of accounts. Implemented by every store.
pub trait AccountStore: Send + Sync + 'static {
    /// Creates the organizations with their users, customer accounts, roles and catalogs in one
    /// transaction. With `only_if_empty`, does nothing and answers `None` when any organization
    /// exists already (demo seeding). A taken email, seller ID, tenant ID or account ID
    /// answers [`StoreError::Taken`] and stores nothing.
    fn create_organizations(
        &self,
        organizations: Vec<NewOrganization>,
        only_if_empty: bool,
    ) -> StoreFuture<'_, Option<Vec<CreatedOrganization>>>;

    /// The credentials of the user with `email`, in any case.
    fn user_credentials(&self, email: String) -> StoreFuture<'_, Option<UserCredentials>>;

    /// Stores a session, and forgets every expired one.
    fn create_session(&self, session: NewSession) -> StoreFuture<'_, ()>;

    /// The caller of the session with this token hash, if it has not expired at `now`.
    fn session_caller(
        &self,
        token_hash: [u8; 32],
        now: DateTime<Utc>,
    ) -> StoreFuture<'_, Option<Caller>>;

    /// Ends the session with this token hash (nothing when there is none).
    fn delete_session(&self, token_hash: [u8; 32]) -> StoreFuture<'_, ()>;

    /// The user with `user_id` as a caller.
    fn caller(&self, user_id: i64) -> StoreFuture<'_, Option<Caller>>;

    /// The organization with `id`.
    fn organization(&self, id: i64) -> StoreFuture<'_, Option<OrganizationRecord>>;

    /// One partner, found by `key`.
    fn partner(&self, key: PartnerKey) -> StoreFuture<'_, Option<PartnerListing>>;

    /// Partners matching `query`, a page of them.
    fn search_partners(&self, query: PartnerQuery) -> StoreFuture<'_, PartnerPage>;

    /// The customer account with this marketplace ID.
    fn customer_account(
        &self,
        account: CustomerAccount,
    ) -> StoreFuture<'_, Option<CustomerAccountRecord>>;

    /// The ISV's public offers, in import order (empty when it has none).
    fn catalog(&self, organization_id: i64) -> StoreFuture<'_, Catalog>;

    /// Upserts the ISV's public offers by offer ID in one transaction: an offer in `catalog`
    /// replaces the stored offer with its ID (plans and prices whole); other stored offers stay,
    /// since private offers may refer to them. Validate first.
    fn import_catalog(&self, organization_id: i64, catalog: Catalog) -> StoreFuture<'_, ()>;

    /// Replaces the organization's name and partner attributes (validate first; its kind stays).
    /// An identifier another partner has already is refused with its field, and nothing changes.
    fn update_organization(
        &self,
        id: i64,
        name: String,
        partner: Option<PartnerProfile>,
    ) -> StoreFuture<'_, OrganizationUpdate>;
}

/// What became of an organization update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationUpdate {
    /// Stored.
    Updated,
    /// No organization has this ID.
    Missing,
    /// Another partner has this identifier; the field's JSON path (`partner.seller_id`).
    Taken(&'static str),
}

/// The stored form of a time: comparing two such texts compares the times.
pub(crate) fn time_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn corrupt(column: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("{column} holds '{value}'"))
}

fn json_error(column: &str, error: serde_json::Error) -> StoreError {
    StoreError::Corrupt(format!("{column}: {error}"))
}

fn tax_country_text(country: TaxProfileCountry) -> &'static str {
    match country {
        TaxProfileCountry::Us => "us",
        TaxProfileCountry::Uk => "uk",
        TaxProfileCountry::Other => "other",
    }
}

fn tax_country(text: &str) -> Result<TaxProfileCountry, StoreError> {
    match text {
        "us" => Ok(TaxProfileCountry::Us),
        "uk" => Ok(TaxProfileCountry::Uk),
        "other" => Ok(TaxProfileCountry::Other),
        other => Err(corrupt("partner_profiles.tax_profile_country", other)),
    }
}

fn role_text(role: BillingAccountRole) -> &'static str {
    match role {
        BillingAccountRole::Owner => "owner",
        BillingAccountRole::Contributor => "contributor",
        BillingAccountRole::Signatory => "signatory",
        BillingAccountRole::Reader => "reader",
    }
}

fn role(text: &str) -> Result<BillingAccountRole, StoreError> {
    BillingAccountRole::ALL
        .into_iter()
        .find(|role| role_text(*role) == text)
        .ok_or_else(|| corrupt("billing_account_roles.role", text))
}

fn account_parts(account: &CustomerAccount) -> (&'static str, &str) {
    match account {
        CustomerAccount::MicrosoftBillingAccount(id) => ("microsoft_billing_account", id),
        CustomerAccount::AwsAccount(id) => ("aws_account", id),
    }
}

fn account(marketplace: &str, id: String) -> Result<CustomerAccount, StoreError> {
    match marketplace {
        "microsoft_billing_account" => Ok(CustomerAccount::MicrosoftBillingAccount(id)),
        "aws_account" => Ok(CustomerAccount::AwsAccount(id)),
        other => Err(corrupt("customer_accounts.marketplace", other)),
    }
}

/// A unique index refused the row: name what was taken, as the caller can fix it.
fn taken(error: rusqlite::Error, what: &'static str) -> StoreError {
    match error {
        rusqlite::Error::SqliteFailure(failure, _)
            if failure.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            StoreError::Taken(what)
        }
        other => StoreError::Sqlite(other),
    }
}

fn insert_organization(
    transaction: &Transaction<'_>,
    organization: &NewOrganization,
) -> Result<CreatedOrganization, StoreError> {
    transaction.execute(
        "INSERT INTO organizations (name, kind) VALUES (?1, ?2)",
        params![organization.name, organization.kind.as_str()],
    )?;
    let id = transaction.last_insert_rowid();
    if let Some(partner) = &organization.partner {
        let regions = serde_json::to_string(&partner.regions)
            .map_err(|error| json_error("partner_profiles.regions", error))?;
        transaction
            .execute(
                "INSERT INTO partner_profiles (organization_id, seller_id, tenant_id,
                     aws_account_id, csp_member, regions, tax_profile_country,
                     us_resale_certificates_on_file, uk_treaty_claim_expires_on)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                params![
                    id,
                    partner.seller_id,
                    partner.tenant_id,
                    partner.aws_account_id,
                    partner.csp_member,
                    regions,
                    partner.tax_profile_country.map(tax_country_text),
                    partner.us_resale_certificates_on_file,
                    partner
                        .uk_treaty_claim_expires_on
                        .map(|date| date.to_string()),
                ],
            )
            .map_err(|error| taken(error, "a partner's seller ID, tenant ID or AWS account ID"))?;
    }
    let mut customer_account_ids = Vec::with_capacity(organization.customer_accounts.len());
    for new in &organization.customer_accounts {
        let (marketplace, account_id) = account_parts(&new.account);
        transaction
            .execute(
                "INSERT INTO customer_accounts (organization_id, marketplace, account_id, country)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, marketplace, account_id, new.country],
            )
            .map_err(|error| taken(error, "a customer account ID"))?;
        customer_account_ids.push(transaction.last_insert_rowid());
    }
    let mut user_ids = Vec::with_capacity(organization.users.len());
    for user in &organization.users {
        transaction
            .execute(
                "INSERT INTO users (organization_id, email, name, password_hash)
                 VALUES (?1, ?2, ?3, ?4)",
                params![id, user.email, user.name, user.password_hash],
            )
            .map_err(|error| taken(error, "an email address"))?;
        let user_id = transaction.last_insert_rowid();
        for (account_id, role) in &user.billing_roles {
            let position = organization
                .customer_accounts
                .iter()
                .position(|new| account_parts(&new.account).1 == account_id)
                .ok_or(StoreError::Taken(
                    "a billing account role on another organization's account",
                ))?;
            transaction.execute(
                "INSERT INTO billing_account_roles (user_id, customer_account_id, role)
                 VALUES (?1, ?2, ?3)",
                params![user_id, customer_account_ids[position], role_text(*role)],
            )?;
        }
        user_ids.push(user_id);
    }
    upsert_offers(transaction, id, &organization.catalog)?;
    Ok(CreatedOrganization {
        id,
        user_ids,
        customer_account_ids,
    })
}

fn upsert_offers(
    transaction: &Transaction<'_>,
    organization_id: i64,
    catalog: &Catalog,
) -> Result<(), StoreError> {
    let next: i64 = transaction.query_row(
        "SELECT COALESCE(MAX(position), -1) + 1 FROM catalog_offers WHERE organization_id = ?1",
        [organization_id],
        |row| row.get(0),
    )?;
    for (index, offer) in catalog.offers.iter().enumerate() {
        let json = serde_json::to_string(offer)
            .map_err(|error| json_error("catalog_offers.offer", error))?;
        // An offer already stored keeps its place in the list; a new one goes last.
        transaction.execute(
            "INSERT INTO catalog_offers (organization_id, offer_id, position, offer)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (organization_id, offer_id) DO UPDATE SET offer = excluded.offer",
            params![organization_id, offer.id, next + index as i64, json],
        )?;
    }
    Ok(())
}

fn read_partner(row: &Row<'_>, first: usize) -> Result<PartnerProfile, StoreError> {
    let regions: String = row.get(first + 4)?;
    let country: Option<String> = row.get(first + 5)?;
    let expires: Option<String> = row.get(first + 7)?;
    Ok(PartnerProfile {
        seller_id: row.get(first)?,
        tenant_id: row.get(first + 1)?,
        aws_account_id: row.get(first + 2)?,
        csp_member: row.get(first + 3)?,
        regions: serde_json::from_str(&regions)
            .map_err(|error| json_error("partner_profiles.regions", error))?,
        tax_profile_country: country.as_deref().map(tax_country).transpose()?,
        us_resale_certificates_on_file: row.get(first + 6)?,
        uk_treaty_claim_expires_on: expires
            .map(|text| {
                text.parse::<NaiveDate>()
                    .map_err(|_| corrupt("partner_profiles.uk_treaty_claim_expires_on", &text))
            })
            .transpose()?,
    })
}

const PARTNER_COLUMNS: &str = "p.seller_id, p.tenant_id, p.aws_account_id, p.csp_member, \
     p.regions, p.tax_profile_country, p.us_resale_certificates_on_file, \
     p.uk_treaty_claim_expires_on";

fn partner_profile(
    connection: &Connection,
    organization_id: i64,
) -> Result<Option<PartnerProfile>, StoreError> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {PARTNER_COLUMNS} FROM partner_profiles p WHERE p.organization_id = ?1"
    ))?;
    let mut rows = statement.query([organization_id])?;
    match rows.next()? {
        Some(row) => Ok(Some(read_partner(row, 0)?)),
        None => Ok(None),
    }
}

fn customer_accounts(
    connection: &Connection,
    organization_id: i64,
) -> Result<Vec<CustomerAccountRecord>, StoreError> {
    let mut statement = connection.prepare_cached(
        "SELECT a.id, a.organization_id, o.name, a.marketplace, a.account_id, a.country
         FROM customer_accounts a JOIN organizations o ON o.id = a.organization_id
         WHERE a.organization_id = ?1 ORDER BY a.id",
    )?;
    let mut rows = statement.query([organization_id])?;
    let mut accounts = Vec::new();
    while let Some(row) = rows.next()? {
        accounts.push(read_customer_account(row)?);
    }
    Ok(accounts)
}

fn read_customer_account(row: &Row<'_>) -> Result<CustomerAccountRecord, StoreError> {
    let marketplace: String = row.get(3)?;
    Ok(CustomerAccountRecord {
        id: row.get(0)?,
        organization_id: row.get(1)?,
        organization_name: row.get(2)?,
        account: account(&marketplace, row.get(4)?)?,
        country: row.get(5)?,
    })
}

/// The caller behind `user_id`, with its organization, partner profile and billing roles.
fn load_caller(connection: &Connection, user_id: i64) -> Result<Option<Caller>, StoreError> {
    let found = connection
        .prepare_cached(
            "SELECT u.id, u.email, u.name, o.id, o.name, o.kind
             FROM users u JOIN organizations o ON o.id = u.organization_id
             WHERE u.id = ?1",
        )?
        .query_row([user_id], |row| {
            Ok((
                row.get::<_, i64>(0)?,
                row.get::<_, String>(1)?,
                row.get::<_, String>(2)?,
                row.get::<_, i64>(3)?,
                row.get::<_, String>(4)?,
                row.get::<_, String>(5)?,
            ))
        })
        .optional()?;
    let Some((user_id, email, user_name, organization_id, organization_name, kind)) = found else {
        return Ok(None);
    };
    let mut statement = connection.prepare_cached(
        "SELECT a.marketplace, a.account_id, r.role
         FROM billing_account_roles r JOIN customer_accounts a ON a.id = r.customer_account_id
         WHERE r.user_id = ?1 ORDER BY a.id",
    )?;
    let mut rows = statement.query([user_id])?;
    let mut billing_accounts = Vec::new();
    while let Some(row) = rows.next()? {
        let marketplace: String = row.get(0)?;
        let role_name: String = row.get(2)?;
        billing_accounts.push(BillingAccountGrant {
            account: account(&marketplace, row.get(1)?)?,
            role: role(&role_name)?,
        });
    }
    let billing_roles = billing_accounts
        .iter()
        .map(|grant| (account_parts(&grant.account).1.to_owned(), grant.role))
        .collect();
    Ok(Some(Caller {
        user_id,
        email,
        user_name,
        organization_id,
        organization_name,
        organization_kind: party_kind(&kind)?,
        partner: partner_profile(connection, organization_id)?,
        billing_roles,
        billing_accounts,
    }))
}

fn like_pattern(text: &str) -> String {
    let escaped = text
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}

/// The partner identifiers that must be unique, by their JSON path and column.
const PARTNER_IDENTIFIERS: [(&str, &str); 3] = [
    ("partner.seller_id", "seller_id"),
    ("partner.tenant_id", "tenant_id"),
    ("partner.aws_account_id", "aws_account_id"),
];

fn update_organization(
    transaction: &Transaction<'_>,
    id: i64,
    name: &str,
    partner: Option<&PartnerProfile>,
) -> Result<OrganizationUpdate, StoreError> {
    if transaction.execute(
        "UPDATE organizations SET name = ?2 WHERE id = ?1",
        params![id, name],
    )? == 0
    {
        return Ok(OrganizationUpdate::Missing);
    }
    let Some(partner) = partner else {
        transaction.execute(
            "DELETE FROM partner_profiles WHERE organization_id = ?1",
            [id],
        )?;
        return Ok(OrganizationUpdate::Updated);
    };
    let values = [
        Some(partner.seller_id.as_str()),
        Some(partner.tenant_id.as_str()),
        partner.aws_account_id.as_deref(),
    ];
    for ((field, column), value) in PARTNER_IDENTIFIERS.into_iter().zip(values) {
        let Some(value) = value else { continue };
        let taken: bool = transaction.query_row(
            &format!(
                "SELECT EXISTS (SELECT 1 FROM partner_profiles
                                WHERE {column} = ?1 AND organization_id <> ?2)"
            ),
            params![value, id],
            |row| row.get(0),
        )?;
        if taken {
            return Ok(OrganizationUpdate::Taken(field));
        }
    }
    let regions = serde_json::to_string(&partner.regions)
        .map_err(|error| json_error("partner_profiles.regions", error))?;
    transaction.execute(
        "INSERT INTO partner_profiles (organization_id, seller_id, tenant_id, aws_account_id,
             csp_member, regions, tax_profile_country, us_resale_certificates_on_file,
             uk_treaty_claim_expires_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
         ON CONFLICT (organization_id) DO UPDATE SET
             seller_id = excluded.seller_id, tenant_id = excluded.tenant_id,
             aws_account_id = excluded.aws_account_id, csp_member = excluded.csp_member,
             regions = excluded.regions, tax_profile_country = excluded.tax_profile_country,
             us_resale_certificates_on_file = excluded.us_resale_certificates_on_file,
             uk_treaty_claim_expires_on = excluded.uk_treaty_claim_expires_on",
        params![
            id,
            partner.seller_id,
            partner.tenant_id,
            partner.aws_account_id,
            partner.csp_member,
            regions,
            partner.tax_profile_country.map(tax_country_text),
            partner.us_resale_certificates_on_file,
            partner
                .uk_treaty_claim_expires_on
                .map(|date| date.to_string()),
        ],
    )?;
    Ok(OrganizationUpdate::Updated)
}

impl AccountStore for SqliteStore {
    fn create_organizations(
        &self,
        organizations: Vec<NewOrganization>,
        only_if_empty: bool,
    ) -> StoreFuture<'_, Option<Vec<CreatedOrganization>>> {
        Box::pin(self.run(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if only_if_empty {
                let any: bool = transaction.query_row(
                    "SELECT EXISTS (SELECT 1 FROM organizations)",
                    [],
                    |row| row.get(0),
                )?;
                if any {
                    return Ok(None);
                }
            }
            let created = organizations
                .iter()
                .map(|organization| insert_organization(&transaction, organization))
                .collect::<Result<Vec<_>, _>>()?;
            transaction.commit()?;
            Ok(Some(created))
        }))
    }

    fn user_credentials(&self, email: String) -> StoreFuture<'_, Option<UserCredentials>> {
        Box::pin(self.read(move |connection| {
            Ok(connection
                .query_row(
                    "SELECT id, password_hash FROM users WHERE email = ?1",
                    [email.trim()],
                    |row| {
                        Ok(UserCredentials {
                            user_id: row.get(0)?,
                            password_hash: row.get(1)?,
                        })
                    },
                )
                .optional()?)
        }))
    }

    fn create_session(&self, session: NewSession) -> StoreFuture<'_, ()> {
        Box::pin(self.run(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            transaction.execute(
                "DELETE FROM sessions WHERE expires_at <= ?1",
                [time_text(session.created_at)],
            )?;
            transaction.execute(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    session.token_hash.as_slice(),
                    session.user_id,
                    time_text(session.created_at),
                    time_text(session.expires_at),
                ],
            )?;
            transaction.commit()?;
            Ok(())
        }))
    }

    fn session_caller(
        &self,
        token_hash: [u8; 32],
        now: DateTime<Utc>,
    ) -> StoreFuture<'_, Option<Caller>> {
        Box::pin(self.read_now(move |connection| {
            let user_id: Option<i64> = connection
                .prepare_cached(
                    "SELECT user_id FROM sessions WHERE token_hash = ?1 AND expires_at > ?2",
                )?
                .query_row(params![token_hash.as_slice(), time_text(now)], |row| {
                    row.get(0)
                })
                .optional()?;
            match user_id {
                Some(user_id) => load_caller(connection, user_id),
                None => Ok(None),
            }
        }))
    }

    fn delete_session(&self, token_hash: [u8; 32]) -> StoreFuture<'_, ()> {
        Box::pin(self.run(move |connection| {
            connection.execute(
                "DELETE FROM sessions WHERE token_hash = ?1",
                [token_hash.as_slice()],
            )?;
            Ok(())
        }))
    }

    fn caller(&self, user_id: i64) -> StoreFuture<'_, Option<Caller>> {
        Box::pin(self.read_now(move |connection| load_caller(connection, user_id)))
    }

    fn organization(&self, id: i64) -> StoreFuture<'_, Option<OrganizationRecord>> {
        Box::pin(self.read_now(move |connection| {
            let found = connection
                .prepare_cached("SELECT name, kind FROM organizations WHERE id = ?1")?
                .query_row([id], |row| {
                    Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?))
                })
                .optional()?;
            let Some((name, kind)) = found else {
                return Ok(None);
            };
            Ok(Some(OrganizationRecord {
                id,
                name,
                kind: party_kind(&kind)?,
                partner: partner_profile(connection, id)?,
                customer_accounts: customer_accounts(connection, id)?,
            }))
        }))
    }

    fn partner(&self, key: PartnerKey) -> StoreFuture<'_, Option<PartnerListing>> {
        Box::pin(self.read_now(move |connection| {
            let (condition, value): (&str, rusqlite::types::Value) = match key {
                PartnerKey::Organization(id) => ("p.organization_id = ?1", id.into()),
                PartnerKey::SellerId(id) => ("p.seller_id = ?1", id.into()),
                PartnerKey::TenantId(id) => ("p.tenant_id = ?1", id.into()),
                PartnerKey::AwsAccountId(id) => ("p.aws_account_id = ?1", id.into()),
            };
            let mut statement = connection.prepare_cached(&format!(
                "SELECT o.id, o.name, o.kind, {PARTNER_COLUMNS}
                 FROM partner_profiles p JOIN organizations o ON o.id = p.organization_id
                 WHERE {condition}"
            ))?;
            let mut rows = statement.query([value])?;
            match rows.next()? {
                Some(row) => Ok(Some(read_listing(row)?)),
                None => Ok(None),
            }
        }))
    }

    fn search_partners(&self, query: PartnerQuery) -> StoreFuture<'_, PartnerPage> {
        Box::pin(self.read(move |connection| {
            // A filter left empty filters nothing.
            let given = |value: &Option<String>| {
                value
                    .as_deref()
                    .map(str::trim)
                    .filter(|value| !value.is_empty())
                    .map(str::to_owned)
            };
            let text = given(&query.text);
            let region = given(&query.region);
            let seller_id = given(&query.seller_id);
            let aws_account_id = given(&query.aws_account_id);
            let tenant_id = given(&query.tenant_id);
            let filter =
                "(?1 IS NULL OR o.name LIKE ?2 ESCAPE '\\' OR p.seller_id LIKE ?2 ESCAPE '\\'
                           OR p.tenant_id = ?1 OR p.aws_account_id = ?1)
                      AND (?3 IS NULL OR EXISTS (SELECT 1 FROM json_each(p.regions)
                                                 WHERE lower(json_each.value) = lower(?3)))
                      AND (?4 IS NULL OR p.csp_member = ?4)
                      AND (?5 IS NULL OR p.seller_id = ?5)
                      AND (?6 IS NULL OR p.aws_account_id = ?6)
                      AND (?7 IS NULL OR p.tenant_id = ?7)";
            let pattern = text.as_deref().map(like_pattern);
            let filters: [&dyn ToSql; 7] = [
                &text,
                &pattern,
                &region,
                &query.csp_member,
                &seller_id,
                &aws_account_id,
                &tenant_id,
            ];
            let total: i64 = connection.query_row(
                &format!(
                    "SELECT COUNT(*) FROM partner_profiles p
                     JOIN organizations o ON o.id = p.organization_id WHERE {filter}"
                ),
                &filters[..],
                |row| row.get(0),
            )?;
            let mut statement = connection.prepare(&format!(
                "SELECT o.id, o.name, o.kind, {PARTNER_COLUMNS}
                 FROM partner_profiles p JOIN organizations o ON o.id = p.organization_id
                 WHERE {filter} ORDER BY o.name COLLATE NOCASE, o.id LIMIT ?8 OFFSET ?9"
            ))?;
            let page: [&dyn ToSql; 2] = [&query.limit, &query.offset];
            let mut rows = statement.query(&[&filters[..], &page[..]].concat()[..])?;
            let mut partners = Vec::new();
            while let Some(row) = rows.next()? {
                partners.push(read_listing(row)?);
            }
            Ok(PartnerPage {
                partners,
                total: total as u64,
            })
        }))
    }

    fn customer_account(
        &self,
        account: CustomerAccount,
    ) -> StoreFuture<'_, Option<CustomerAccountRecord>> {
        Box::pin(self.read(move |connection| {
            let (marketplace, account_id) = account_parts(&account);
            let mut statement = connection.prepare_cached(
                "SELECT a.id, a.organization_id, o.name, a.marketplace, a.account_id, a.country
                 FROM customer_accounts a JOIN organizations o ON o.id = a.organization_id
                 WHERE a.marketplace = ?1 AND a.account_id = ?2",
            )?;
            let mut rows = statement.query([marketplace, account_id])?;
            match rows.next()? {
                Some(row) => Ok(Some(read_customer_account(row)?)),
                None => Ok(None),
            }
        }))
    }

    fn catalog(&self, organization_id: i64) -> StoreFuture<'_, Catalog> {
        Box::pin(self.read_now(move |connection| {
            let mut statement = connection.prepare_cached(
                "SELECT offer FROM catalog_offers WHERE organization_id = ?1 ORDER BY position",
            )?;
            let mut rows = statement.query([organization_id])?;
            let mut offers = Vec::new();
            while let Some(row) = rows.next()? {
                let json: String = row.get(0)?;
                let offer: PublicOffer = serde_json::from_str(&json)
                    .map_err(|error| json_error("catalog_offers.offer", error))?;
                offers.push(offer);
            }
            Ok(Catalog { offers })
        }))
    }

    fn import_catalog(&self, organization_id: i64, catalog: Catalog) -> StoreFuture<'_, ()> {
        Box::pin(self.run(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            upsert_offers(&transaction, organization_id, &catalog)?;
            transaction.commit()?;
            Ok(())
        }))
    }

    fn update_organization(
        &self,
        id: i64,
        name: String,
        partner: Option<PartnerProfile>,
    ) -> StoreFuture<'_, OrganizationUpdate> {
        Box::pin(self.run(move |connection| {
            let transaction =
                connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let outcome = update_organization(&transaction, id, &name, partner.as_ref())?;
            if outcome == OrganizationUpdate::Updated {
                transaction.commit()?;
            }
            Ok(outcome)
        }))
    }
}

fn read_listing(row: &Row<'_>) -> Result<PartnerListing, StoreError> {
    let kind: String = row.get(2)?;
    Ok(PartnerListing {
        organization_id: row.get(0)?,
        name: row.get(1)?,
        kind: party_kind(&kind)?,
        partner: read_partner(row, 3)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn organization(name: &str, email: &str) -> NewOrganization {
        NewOrganization {
            name: name.into(),
            kind: PartyKind::Customer,
            partner: None,
            customer_accounts: vec![NewCustomerAccount {
                account: CustomerAccount::AwsAccount("123456789012".into()),
                country: "US".into(),
            }],
            users: vec![NewUser {
                email: email.into(),
                name: "Someone".into(),
                password_hash: "$argon2id$not-checked-here".into(),
                billing_roles: vec![("123456789012".into(), BillingAccountRole::Owner)],
            }],
            catalog: Catalog::default(),
        }
    }

    fn count(store: &SqliteStore, table: &str) -> i64 {
        let connection = store.connection.lock().unwrap();
        connection
            .query_row(&format!("SELECT COUNT(*) FROM {table}"), [], |row| {
                row.get(0)
            })
            .unwrap()
    }

    #[tokio::test]
    async fn a_taken_email_in_any_case_stores_nothing() {
        let store = SqliteStore::open_in_memory().unwrap();
        store
            .create_organizations(vec![organization("One", "a@one.example")], false)
            .await
            .unwrap();
        let account = |organization: &mut NewOrganization, id: &str| {
            organization.customer_accounts[0].account = CustomerAccount::AwsAccount(id.into());
            organization.users[0].billing_roles[0].0 = id.into();
        };
        let mut third = organization("Three", "c@three.example");
        account(&mut third, "333333333333");
        let mut second = organization("Two", "A@ONE.example");
        account(&mut second, "222222222222");
        let result = store.create_organizations(vec![third, second], false).await;
        assert!(
            matches!(result, Err(StoreError::Taken("an email address"))),
            "{result:?}"
        );
        // The whole batch rolled back: "Three", stored before the clash, too.
        assert_eq!(count(&store, "organizations"), 1);
        assert_eq!(count(&store, "users"), 1);
        let found = store
            .user_credentials("A@One.Example".into())
            .await
            .unwrap();
        assert!(found.is_some());
    }

    #[tokio::test]
    async fn only_an_empty_store_is_seeded() {
        let store = SqliteStore::open_in_memory().unwrap();
        let first = store
            .create_organizations(vec![organization("One", "a@one.example")], true)
            .await
            .unwrap();
        assert_eq!(first.unwrap()[0].user_ids.len(), 1);
        let again = store
            .create_organizations(vec![organization("One", "b@one.example")], true)
            .await
            .unwrap();
        assert_eq!(again, None);
        assert_eq!(count(&store, "organizations"), 1);
    }

    #[tokio::test]
    async fn sessions_keep_only_a_hash_and_end_at_their_expiry() {
        let store = SqliteStore::open_in_memory().unwrap();
        let created = store
            .create_organizations(vec![organization("One", "a@one.example")], false)
            .await
            .unwrap()
            .unwrap();
        let start: DateTime<Utc> = "2026-11-23T18:00:00Z".parse().unwrap();
        let token_hash = [7u8; 32];
        store
            .create_session(NewSession {
                token_hash,
                user_id: created[0].user_ids[0],
                created_at: start,
                expires_at: start + chrono::Duration::hours(12),
            })
            .await
            .unwrap();
        let caller = store
            .session_caller(token_hash, start)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(caller.organization_kind, PartyKind::Customer);
        assert_eq!(
            caller.billing_roles,
            [("123456789012".to_owned(), BillingAccountRole::Owner)]
        );
        assert_eq!(
            caller.role_on("123456789012"),
            Some(BillingAccountRole::Owner)
        );
        let late = start + chrono::Duration::hours(12);
        assert_eq!(store.session_caller(token_hash, late).await.unwrap(), None);
        // A later sign-in sweeps the expired session away.
        store
            .create_session(NewSession {
                token_hash: [8u8; 32],
                user_id: created[0].user_ids[0],
                created_at: late,
                expires_at: late + chrono::Duration::hours(12),
            })
            .await
            .unwrap();
        assert_eq!(count(&store, "sessions"), 1);
        store.delete_session([8u8; 32]).await.unwrap();
        assert_eq!(count(&store, "sessions"), 0);
    }

    #[tokio::test]
    async fn partners_are_found_by_each_of_their_identifiers() {
        let store = SqliteStore::open_in_memory().unwrap();
        let partner = NewOrganization {
            name: "Reseller".into(),
            kind: PartyKind::Partner,
            partner: Some(PartnerProfile {
                seller_id: "s-1".into(),
                tenant_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
                aws_account_id: Some("111122223333".into()),
                csp_member: true,
                regions: vec!["Europe".into()],
                tax_profile_country: Some(TaxProfileCountry::Uk),
                us_resale_certificates_on_file: false,
                uk_treaty_claim_expires_on: Some("2027-01-01".parse().unwrap()),
            }),
            customer_accounts: vec![],
            users: vec![],
            catalog: Catalog::default(),
        };
        let created = store
            .create_organizations(vec![partner.clone()], false)
            .await
            .unwrap()
            .unwrap();
        let id = created[0].id;
        for key in [
            PartnerKey::Organization(id),
            PartnerKey::SellerId("s-1".into()),
            PartnerKey::TenantId("0F8FAD5B-D9CB-469F-A165-70867728950E".into()),
            PartnerKey::AwsAccountId("111122223333".into()),
        ] {
            let found = store.partner(key.clone()).await.unwrap();
            assert_eq!(
                found.map(|listing| listing.partner),
                partner.partner,
                "{key:?}"
            );
        }
        assert_eq!(
            store
                .partner(PartnerKey::SellerId("s-2".into()))
                .await
                .unwrap(),
            None
        );
        let record = store.organization(id).await.unwrap().unwrap();
        assert_eq!(record.partner, partner.partner);
    }
}
