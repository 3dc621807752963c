//! One module per page (route).

pub mod calculator;
pub mod catalog;
pub mod cppo_form;
pub mod csp_form;
pub mod customer_link;
pub mod home;
pub mod multiparty_form;
pub mod not_found;
pub mod notifications;
pub mod offers;
pub mod partner_buyer_offer;
pub mod partner_cppo;
pub mod partner_margins;
pub mod partner_offer;
pub mod partner_offers;
pub mod partner_profile;
pub mod sign_in;
