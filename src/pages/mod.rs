//! One module per page (route).

pub mod calculator;
pub mod customer_link;
pub mod home;
pub mod not_found;
pub mod sign_in;
