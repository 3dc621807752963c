//! Pieces shared by several pages.

pub mod catalog_source;
pub mod confirm_dialog;
pub mod copy_link;
pub mod date_field;
pub mod decimal_field;
pub mod draft_keeper;
pub mod kept_texts;
pub mod leave_guard;
pub mod price_table;
pub mod purchase_statuses;
pub mod require_sign_in;
pub mod result_output;
pub mod review_actions;
pub mod select_field;
pub mod settled;
pub mod site_footer;
pub mod site_header;
pub mod terms_upload;
pub mod text_field;
pub mod unread_notice;
