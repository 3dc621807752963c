//! Pieces shared by several pages.

pub mod confirm_dialog;
pub mod copy_link;
pub mod decimal_field;
pub mod purchase_statuses;
pub mod result_output;
pub mod select_field;
pub mod site_footer;
pub mod site_header;
pub mod text_field;
