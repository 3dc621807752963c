//! The signed-in ISV's catalog, as the offer forms read it.

use leptos::prelude::*;
use offerdesk_core::catalog::Catalog;

use crate::api::{self, ApiError};
use crate::components::unread_notice::unread_notice;

/// What a form sees of the catalog while it is read, or when it could not be.
static UNREAD: Catalog = Catalog { offers: Vec::new() };

/// The catalog a form chooses offers and plans from and prices them with: empty until it
/// arrives, and, when it could not be read, a notice that says why and reads it again.
#[derive(Clone, Copy)]
pub struct CatalogSource(LocalResource<Result<Catalog, ApiError>>);

impl CatalogSource {
    /// Starts reading the catalog.
    pub fn new() -> CatalogSource {
        CatalogSource(LocalResource::new(api::catalog))
    }

    /// `f` of the catalog as read (empty while it is read, or when it could not be), run again
    /// when it arrives.
    pub fn with<R>(self, f: impl FnOnce(&Catalog) -> R) -> R {
        self.0.with(|read| f(Self::read(read)))
    }

    /// [`CatalogSource::with`], not run again when the catalog arrives.
    pub fn with_untracked<R>(self, f: impl FnOnce(&Catalog) -> R) -> R {
        self.0.with_untracked(|read| f(Self::read(read)))
    }

    fn read(read: &Option<Result<Catalog, ApiError>>) -> &Catalog {
        match read {
            Some(Ok(catalog)) => catalog,
            _ => &UNREAD,
        }
    }

    /// Why the catalog could not be read, with "Try again"; nothing once it is read.
    pub fn notice(self) -> impl IntoView {
        move || {
            let error = self.0.get()?.err()?;
            Some(unread_notice(
                "Your catalog could not be read, so its offers and plans are missing here.",
                &error,
                move || self.0.refetch(),
            ))
        }
    }
}
