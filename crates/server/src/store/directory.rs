//! What the offers API reads of the accounts half: organizations (with their partner profiles)
//! and each ISV's catalog.
//!
//! TEMPORARY until the accounts branch is merged: the SQLite implementation finds nothing, so
//! every offer write is refused (the selling partner or the products are unknown).

use offerdesk_core::catalog::Catalog;
use offerdesk_core::party::Organization;

use super::{SqliteStore, StoreFuture};

/// Organizations and catalogs, as the core types.
pub trait Directory: Send + Sync + 'static {
    /// The organization with `id` (its core `id` is the decimal of the number).
    fn organization(&self, id: i64) -> StoreFuture<'_, Option<Organization>>;
    /// Every organization with a partner profile.
    fn partner_organizations(&self) -> StoreFuture<'_, Vec<(i64, Organization)>>;
    /// The ISV's catalog (empty when it has none).
    fn catalog(&self, isv_organization_id: i64) -> StoreFuture<'_, Catalog>;
}

impl Directory for SqliteStore {
    fn organization(&self, _id: i64) -> StoreFuture<'_, Option<Organization>> {
        Box::pin(async { Ok(None) })
    }

    fn partner_organizations(&self) -> StoreFuture<'_, Vec<(i64, Organization)>> {
        Box::pin(async { Ok(Vec::new()) })
    }

    fn catalog(&self, _isv_organization_id: i64) -> StoreFuture<'_, Catalog> {
        Box::pin(async { Ok(Catalog::default()) })
    }
}
