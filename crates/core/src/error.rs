//! Errors of the pricing core and the field-level problems that forms and the API report.

use serde::{Deserialize, Serialize};

/// Why an amount, a percentage or a computation was refused. Each message completes a
/// sentence that starts with the field's label ("List price must be above 0").
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PricingError {
    /// The text is not a plain decimal number.
    #[error("must be a number such as 100.00 (digits, one optional point, no separators)")]
    NotANumber,
    /// The number has more significant digits than can be priced exactly.
    #[error("has more digits than can be priced exactly")]
    TooManyDigits,
    /// The value has more decimal places than its kind allows; it is refused, never rounded.
    #[error("may have at most {max} decimal places")]
    TooManyPlaces {
        /// The most decimal places allowed.
        max: u32,
    },
    /// A negative value where only zero or more makes sense.
    #[error("may not be negative")]
    Negative,
    /// Zero or a negative value where only a value above zero makes sense.
    #[error("must be above 0")]
    NotPositive,
    /// A discount or margin outside the open interval (0, 100).
    #[error("must be above 0 and below 100")]
    NotBetweenZeroAndHundred,
    /// A count (of installments, say) outside what the program allows.
    #[error("must be from 1 to {max}")]
    CountOutOfRange {
        /// The largest count allowed.
        max: usize,
    },
    /// A result too large (or too precise) to be held exactly.
    #[error("is too large to price exactly")]
    Overflow,
    /// A division by zero, which valid inputs never reach.
    #[error("cannot be divided by zero")]
    DivisionByZero,
}

/// One problem with one input, named by its JSON path (`lines[0].partner_pricing.discount_percent`)
/// and described for a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    /// The JSON path of the input, as the API and the forms name it.
    pub field: String,
    /// What is wrong and, where it helps, how to fix it.
    pub message: String,
}

impl FieldError {
    /// A problem with `field`.
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// Collects every problem of a form, so that a person sees all of them at once.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Problems {
    found: Vec<FieldError>,
    // Which fields have a problem, so that `has` stays constant-time on large forms.
    fields: std::collections::HashSet<String>,
}

impl Problems {
    /// No problems yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records a problem with `field`.
    pub fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        let problem = FieldError::new(field, message);
        self.fields.insert(problem.field.clone());
        self.found.push(problem);
    }

    /// Whether `field` already has a problem (a second one about it would only repeat it).
    pub fn has(&self, field: &str) -> bool {
        self.fields.contains(field)
    }

    /// Keeps `value` when it is valid; otherwise records `label` + the reason under `field`.
    pub fn check<T>(
        &mut self,
        field: &str,
        label: &str,
        value: Result<T, PricingError>,
    ) -> Option<T> {
        match value {
            Ok(value) => Some(value),
            Err(reason) => {
                self.add(field, format!("{label} {reason}."));
                None
            }
        }
    }

    /// Whether there are no problems.
    pub fn is_empty(&self) -> bool {
        self.found.is_empty()
    }

    /// The problems, in the order found.
    pub fn into_vec(self) -> Vec<FieldError> {
        self.found
    }

    /// `Ok(value)` when there are no problems, else every problem.
    pub fn finish<T>(self, value: impl FnOnce() -> T) -> Result<T, Vec<FieldError>> {
        if self.found.is_empty() {
            Ok(value())
        } else {
            Err(self.found)
        }
    }
}

impl From<Problems> for Vec<FieldError> {
    fn from(problems: Problems) -> Self {
        problems.found
    }
}
