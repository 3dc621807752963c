//! Validation of the CPPO forms.
