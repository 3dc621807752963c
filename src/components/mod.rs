//! Reusable form and display pieces.

pub mod decimal_field;
pub mod result_output;
pub mod select_field;
