//! How the page writes dates for people: the month by name, so that no reader mistakes the day
//! for the month. Written out by hand: chrono's strftime formatter costs a page tens of
//! kilobytes.

use chrono::{Datelike, NaiveDate};

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "December 2026".
pub fn month_and_year(date: NaiveDate) -> String {
    let month = MONTHS
        .get(date.month0() as usize)
        .copied()
        .unwrap_or_default();
    format!("{month} {}", date.year())
}

/// "15 December 2026".
pub fn long_date(date: NaiveDate) -> String {
    format!("{} {}", date.day(), month_and_year(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn dates_name_their_month() {
        assert_eq!(long_date(date("2026-12-31")), "31 December 2026");
        assert_eq!(long_date(date("2027-01-05")), "5 January 2027");
        assert_eq!(month_and_year(date("2027-02-01")), "February 2027");
    }
}
