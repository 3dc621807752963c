//! Pieces shared by several pages.

pub mod site_footer;
pub mod site_header;
