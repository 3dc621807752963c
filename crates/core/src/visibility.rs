//! Who asks to see an offer (SPEC "Who sees what"). Each program's `view_for` matches the viewer
//! against the offer and answers the viewer's projection, or `None` (a 404) when the offer is not
//! theirs to see.

use crate::party::{CustomerAccount, PartnerProfile};

/// The party asking, as the signed-in user's organization or customer account identifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<'a> {
    /// An ISV organization, by its Offer Desk ID.
    Isv {
        /// The organization's ID.
        organization_id: &'a str,
    },
    /// A partner, by its profile (seller ID, tenant ID, AWS account ID).
    Partner(&'a PartnerProfile),
    /// A customer user, by the marketplace account it holds a role on.
    Customer(&'a CustomerAccount),
}
