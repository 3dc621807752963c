//! TEMPORARY copy of the accounts branch's `Caller` contract; replaced at the merge. Until then
//! no request is signed in: every extraction answers 401.

use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use offerdesk_core::party::{BillingAccountRole, OrganizationKind};

use crate::error::AppError;

/// The signed-in user and the organization it acts for.
#[derive(Debug, Clone)]
pub struct Caller {
    /// The user.
    pub user_id: i64,
    /// The user's email.
    pub email: String,
    /// The user's organization.
    pub organization_id: i64,
    /// Its name.
    pub organization_name: String,
    /// ISV, partner or both.
    pub organization_kind: OrganizationKind,
    /// Roles on customer billing accounts (billing account ID, role).
    pub billing_roles: Vec<(String, BillingAccountRole)>,
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(_parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Err(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> OptionalFromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(
        _parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(None)
    }
}
