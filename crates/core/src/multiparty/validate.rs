//! Validation of the multiparty forms.
