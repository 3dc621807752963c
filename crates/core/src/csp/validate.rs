//! Validation of the CSP margin offer form.
