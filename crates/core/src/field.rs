//! Checks shared by every form: emails, identifiers, month boundaries, contacts, sales notes.
//!
//! Each check records its problems into a [`Problems`] under the field's JSON path.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};

use crate::error::Problems;

/// Most notification contacts one party may name on one offer (seeds 000, 001, 002).
pub const MAX_NOTIFICATION_CONTACTS: usize = 5;
/// Most characters in a sales note (seeds 001, 002).
pub const MAX_SALES_NOTE_CHARS: usize = 60;
/// Most characters of a name or other one-line text, so that no form stores a novel.
pub const MAX_NAME_CHARS: usize = 200;
/// Most characters of a description.
pub const MAX_DESCRIPTION_CHARS: usize = 2000;

/// `text` in lower case by Unicode's rules (`"ÖKONOMIE"` and `"Ökonomie"` both read
/// `"ökonomie"`), to compare names and search text without regard to case.
///
/// In the browser this is JavaScript's `toLowerCase`: Rust's `str::to_lowercase` would link
/// Unicode's case tables into every page that compares names (about 9 KB gzipped), which the
/// browser already has. Elsewhere it is `str::to_lowercase`; both follow Unicode's default case
/// conversion.
pub fn fold_case(text: &str) -> String {
    #[cfg(all(target_arch = "wasm32", target_os = "unknown"))]
    {
        if text.is_ascii() {
            return text.to_ascii_lowercase();
        }
        String::from(js_sys::JsString::from(text).to_lower_case())
    }
    #[cfg(not(all(target_arch = "wasm32", target_os = "unknown")))]
    {
        text.to_lowercase()
    }
}

/// Whether `text` looks like one email address: `local@domain.tld`, no spaces.
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let allowed = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c);
    text.len() <= 254
        && !local.is_empty()
        && local.chars().all(allowed)
        && !local.starts_with('.')
        && !local.ends_with('.')
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

/// Whether free text contains an email address (personal data that a sales note must not carry).
pub fn contains_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || ",;:()<>[]\"'".contains(c))
        .map(|word| word.trim_end_matches(['.', '!', '?']))
        .any(is_email)
}

/// Whether `text` is a GUID such as an Azure tenant ID (`8-4-4-4-12` hexadecimal digits).
pub fn is_guid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(group, len)| group.len() == len && group.chars().all(|c| c.is_ascii_hexdigit()))
}

/// Whether `text` is a 12-digit AWS account ID.
pub fn is_aws_account_id(text: &str) -> bool {
    text.len() == 12 && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Whether `date` is the 1st of its month (where a "specific month" start always falls).
pub fn is_first_of_month(date: NaiveDate) -> bool {
    date.day() == 1
}

/// The last day of `date`'s month.
pub fn last_of_month(date: NaiveDate) -> NaiveDate {
    let (year, month) = if date.month() == 12 {
        (date.year() + 1, 1)
    } else {
        (date.year(), date.month() + 1)
    };
    NaiveDate::from_ymd_opt(year, month, 1)
        .and_then(|first| first.pred_opt())
        .unwrap_or(date)
}

/// Whether `date` is the last day of its month (where an end month always falls).
pub fn is_last_of_month(date: NaiveDate) -> bool {
    last_of_month(date) == date
}

/// The 1st of `date`'s month.
pub fn first_of_month(date: NaiveDate) -> NaiveDate {
    date.with_day(1).unwrap_or(date)
}

/// Which days a date field allows (seeds 000, 001): pickers snap a chosen day to the allowed
/// one of its month, and validation checks the same rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateRule {
    /// Any day (a customer end date, an accept-by date).
    AnyDay,
    /// Only the 1st of a month (a "specific month" start).
    FirstOfMonth,
    /// Only the last day of a month (a CSP margin offer's end month).
    LastOfMonth,
}

impl DateRule {
    /// The allowed day of `date`'s month nearest to what was chosen: `date` itself, its 1st or
    /// its last day.
    pub fn snap(self, date: NaiveDate) -> NaiveDate {
        match self {
            DateRule::AnyDay => date,
            DateRule::FirstOfMonth => first_of_month(date),
            DateRule::LastOfMonth => last_of_month(date),
        }
    }

    /// Whether the rule allows `date`.
    pub fn allows(self, date: NaiveDate) -> bool {
        self.snap(date) == date
    }

    /// Why a day was moved, in a sentence for the person who chose it.
    pub fn explanation(self) -> Option<&'static str> {
        match self {
            DateRule::AnyDay => None,
            DateRule::FirstOfMonth => Some("A specific month always starts on its 1st."),
            DateRule::LastOfMonth => Some("An end month always ends on its last day."),
        }
    }
}

/// Reads a date written `YYYY-MM-DD` (a month or day may have one digit), as people type it
/// and date inputs give it. Built from the parts, not with chrono's format-string parser,
/// which would add tens of kilobytes to the page.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.trim().split('-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    let number = |part: &str, digits: std::ops::RangeInclusive<usize>| {
        (digits.contains(&part.len()) && part.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| part.parse::<u32>().ok())
            .flatten()
    };
    if parts.next().is_some() {
        return None;
    }
    let year = i32::try_from(number(year, 4..=4)?).ok()?;
    NaiveDate::from_ymd_opt(year, number(month, 1..=2)?, number(day, 1..=2)?)
}

/// Reads dates of the JSON API (`YYYY-MM-DD`) with [`parse_iso_date`], for
/// `#[serde(deserialize_with = "crate::field::iso_date")]`: chrono's own `Deserialize` goes
/// through its format-string parser, which weighs about 10 KB in each bundle of the page.
pub fn iso_date<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
    deserializer.deserialize_str(IsoDateVisitor)
}

/// [`iso_date`] for an optional date (`null` or missing is `None`; the field needs
/// `#[serde(default)]` as well).
pub fn optional_iso_date<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<NaiveDate>, D::Error> {
    deserializer.deserialize_option(OptionalIsoDate)
}

struct IsoDateVisitor;

impl<'de> serde::de::Visitor<'de> for IsoDateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a date written YYYY-MM-DD")
    }

    fn visit_str<E: serde::de::Error>(self, text: &str) -> Result<NaiveDate, E> {
        parse_iso_date(text)
            .ok_or_else(|| E::invalid_value(serde::de::Unexpected::Str(text), &self))
    }
}

/// A tagged enum's field that its tag requires, for the `TryFrom` of the flat object the enum is
/// read from. Core's tagged enums that the page reads are read that way (`#[serde(try_from =
/// "...")]`, a struct with the tag and every variant's fields; the larger ones by a reader of
/// their own, like `PlanPricing`) rather than by serde's derived tagged-enum reader, which
/// buffers the object into a generic tree first: that gives each bundle of the page a second copy
/// of the readers inside (2 to 8 KB gzipped per bundle) and loses the path of a misfit inside it.
/// The viewer-tagged projections (`MultipartyView` and its kin), which the page never reads
/// whole, keep serde's reader.
pub(crate) fn required<T>(value: Option<T>, name: &'static str) -> Result<T, String> {
    value.ok_or_else(|| format!("missing field `{name}`"))
}

/// A start (the multiparty customer's, the CSP offer's) on the wire: its tag and, for a month, the
/// month's first day; read from a flat object (see [`required`]).
#[derive(serde::Deserialize)]
pub(crate) struct StartWire<Tag> {
    pub start: Tag,
    #[serde(default, deserialize_with = "optional_iso_date")]
    pub month: Option<NaiveDate>,
}

/// Stores a field's value for a hand-written reader of a tagged object, refusing a second one
/// as serde's derived readers do.
pub(crate) fn once<T, E: serde::de::Error>(
    slot: &mut Option<T>,
    value: T,
    name: &'static str,
) -> Result<(), E> {
    if slot.is_some() {
        return Err(E::duplicate_field(name));
    }
    *slot = Some(value);
    Ok(())
}

/// [`optional_iso_date`]'s visitor: `null` is `None`, a date is read by [`iso_date`].
struct OptionalIsoDate;

impl<'de> serde::de::Visitor<'de> for OptionalIsoDate {
    type Value = Option<NaiveDate>;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a date written YYYY-MM-DD, or null")
    }

    fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<Self::Value, D::Error> {
        iso_date(deserializer).map(Some)
    }
}

/// The month of `date` as `YYYY-MM`, as a month input shows it.
pub fn iso_month(date: NaiveDate) -> String {
    format!("{:04}-{:02}", date.year(), date.month())
}

/// Records a problem when `text` is blank or longer than `max` characters.
pub fn check_text(problems: &mut Problems, field: &str, label: &str, text: &str, max: usize) {
    if text.trim().is_empty() {
        problems.add(field, format!("Enter a {label}."));
    } else if text.chars().count() > max {
        problems.add(
            field,
            format!("The {label} may have at most {max} characters."),
        );
    }
}

/// Records a problem when `text` is longer than `max` characters (it may be empty).
pub fn check_optional_text(
    problems: &mut Problems,
    field: &str,
    label: &str,
    text: &str,
    max: usize,
) {
    if text.chars().count() > max {
        problems.add(
            field,
            format!("The {label} may have at most {max} characters."),
        );
    }
}

/// Records a problem when `text` is not an email address; `label` names it ("Prepared by email").
pub fn check_email(problems: &mut Problems, field: &str, label: &str, text: &str) {
    if text.trim().is_empty() {
        problems.add(field, format!("{label} is required."));
    } else if !is_email(text) {
        problems.add(
            field,
            format!("{label} must be an email address such as name@example.com."),
        );
    }
}

/// Records a problem when a list has more than `max` entries, on the first one too many
/// (`notification_contacts[5]`), so the form can point at it.
pub fn check_count(problems: &mut Problems, field: &str, count: usize, max: usize, what: &str) {
    if count > max {
        problems.add(
            format!("{field}[{max}]"),
            format!("Add up to {max} {what}; remove {}.", count - max),
        );
    }
}

/// Records the problems of a list of notification contacts: at most five, each an email
/// address, no address twice. Entries past the limit are not read one by one (the count
/// already says to remove them), so a huge list costs no more than a short one.
pub fn check_notification_contacts(problems: &mut Problems, field: &str, contacts: &[String]) {
    check_count(
        problems,
        field,
        contacts.len(),
        MAX_NOTIFICATION_CONTACTS,
        "notification contacts",
    );
    let mut seen = HashSet::new();
    for (index, contact) in contacts.iter().enumerate().take(MAX_NOTIFICATION_CONTACTS) {
        let path = format!("{field}[{index}]");
        if !is_email(contact) {
            problems.add(
                path,
                "Each notification contact must be an email address such as name@example.com.",
            );
        } else if !seen.insert(contact.to_ascii_lowercase()) {
            problems.add(path, "This notification contact is already in the list.");
        }
    }
}

/// Records the problems of a sales note: at most 60 characters and no personal data such as an
/// email address.
pub fn check_sales_note(problems: &mut Problems, field: &str, note: &str) {
    let length = note.chars().count();
    if length > MAX_SALES_NOTE_CHARS {
        problems.add(
            field,
            format!(
                "A sales note may have up to {MAX_SALES_NOTE_CHARS} characters; this one has {length}."
            ),
        );
    }
    if contains_email(note) {
        problems.add(
            field,
            "Don't include any personal data in a sales note, such as names or email addresses.",
        );
    }
}

/// Records a problem when `id` is not a 12-digit AWS account ID.
pub fn check_aws_account_id(problems: &mut Problems, field: &str, label: &str, id: &str) {
    if !is_aws_account_id(id) {
        problems.add(field, format!("{label} must be a 12-digit AWS account ID."));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `value` written as JSON, read back from that text and from `reordered` (its keys in
    /// another order, content first), gives `value` again.
    fn reads_back<T>(value: T, reordered: &str)
    where
        T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
    {
        let json = serde_json::to_string(&value).unwrap();
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), value, "{json}");
        assert_eq!(
            serde_json::from_str::<T>(reordered).unwrap(),
            value,
            "{reordered}"
        );
    }

    /// The message and path of what is wrong with `json` read as a `T`.
    fn misfit<T: serde::de::DeserializeOwned>(json: &str) -> (String, String) {
        let reader = &mut serde_json::Deserializer::from_str(json);
        match serde_path_to_error::deserialize::<_, T>(reader) {
            Ok(_) => panic!("{json} reads"),
            Err(error) => (error.path().to_string(), error.inner().to_string()),
        }
    }

    #[test]
    fn case_folds_by_unicodes_rules() {
        assert_eq!(fold_case("Tailspin UK Expansion"), "tailspin uk expansion");
        assert_eq!(fold_case("ÖKONOMIE Ökonomie"), "ökonomie ökonomie");
        assert_eq!(fold_case("ΟΔΟΣ"), "οδος");
        assert_eq!(fold_case(""), "");
    }

    #[test]
    fn tagged_enums_read_back_from_their_flat_objects_in_any_key_order() {
        use crate::cppo::view::ReportedBuyer;
        use crate::cppo::AuthorizationKind;
        use crate::csp::CspStart;
        use crate::lifecycle::Actor;
        use crate::multiparty::CustomerStart;
        use crate::party::{BillingAccountRole, CustomerAccount, Eligibility};

        let month = date("2027-03-01");
        reads_back(Eligibility::Eligible, r#"{"status":"eligible"}"#);
        reads_back(
            Eligibility::NotEligible {
                reason: "No tax profile".into(),
            },
            r#"{"reason":"No tax profile","status":"not_eligible"}"#,
        );
        reads_back(
            CustomerAccount::AwsAccount("123456789012".into()),
            r#"{"id":"123456789012","marketplace":"aws_account"}"#,
        );
        reads_back(
            CustomerStart::Month(month),
            r#"{"month":"2027-03-01","start":"month"}"#,
        );
        reads_back(
            CustomerStart::OnAcceptance,
            r#"{"month":null,"start":"on_acceptance"}"#,
        );
        reads_back(
            CspStart::Month(month),
            r#"{"month":"2027-03-01","start":"month"}"#,
        );
        reads_back(
            CspStart::AsSoonAsPossible,
            r#"{"start":"as_soon_as_possible"}"#,
        );
        reads_back(
            AuthorizationKind::Recurring { until: Some(month) },
            r#"{"until":"2027-03-01","discount":"recurring"}"#,
        );
        reads_back(
            AuthorizationKind::Recurring { until: None },
            r#"{"discount":"recurring"}"#,
        );
        reads_back(
            AuthorizationKind::NonRecurring {
                buyer_account_id: "123456789012".into(),
                buyer_name: "Tailspin".into(),
            },
            r#"{"buyer_name":"Tailspin","buyer_account_id":"123456789012","discount":"non_recurring"}"#,
        );
        reads_back(
            ReportedBuyer::EndCustomer("123456789012".into()),
            r#"{"aws_account_id":"123456789012","buyer":"end_customer"}"#,
        );
        reads_back(
            Actor::Customer(BillingAccountRole::Owner),
            r#"{"role":"owner","party":"customer"}"#,
        );
        reads_back(Actor::System, r#"{"party":"system"}"#);

        // A misfit inside is named at its field; a field the tag requires is named as missing.
        let cases = [
            (
                misfit::<CustomerStart>(r#"{"start":"month","month":"2027-3"}"#),
                "month",
                "YYYY-MM-DD",
            ),
            (
                misfit::<CustomerStart>(r#"{"start":"month"}"#),
                ".",
                "missing field `month`",
            ),
            (misfit::<CspStart>(r#"{"start":"soon"}"#), "start", "soon"),
            (
                misfit::<Eligibility>(r#"{"status":"not_eligible"}"#),
                ".",
                "missing field `reason`",
            ),
            (
                misfit::<CustomerAccount>(r#"{"marketplace":"aws_account","id":7}"#),
                "id",
                "integer",
            ),
            (
                misfit::<AuthorizationKind>(r#"{"discount":"non_recurring","buyer_name":"T"}"#),
                ".",
                "missing field `buyer_account_id`",
            ),
            (
                misfit::<AuthorizationKind>(r#"{"discount":"recurring","until":"soon"}"#),
                "until",
                "YYYY-MM-DD",
            ),
            (
                misfit::<Actor>(r#"{"party":"customer"}"#),
                ".",
                "missing field `role`",
            ),
        ];
        for ((path, message), want_path, want_message) in cases {
            assert_eq!(path, want_path, "{message}");
            assert!(message.contains(want_message), "{path}: {message}");
        }
    }

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn date_rules_snap_to_the_allowed_day_of_the_month() {
        let cases = [
            (DateRule::AnyDay, "2027-02-14", "2027-02-14"),
            (DateRule::FirstOfMonth, "2027-02-14", "2027-02-01"),
            (DateRule::FirstOfMonth, "2027-02-01", "2027-02-01"),
            (DateRule::LastOfMonth, "2027-02-14", "2027-02-28"),
            (DateRule::LastOfMonth, "2028-02-01", "2028-02-29"),
            (DateRule::LastOfMonth, "2027-12-31", "2027-12-31"),
        ];
        for (rule, chosen, snapped) in cases {
            assert_eq!(rule.snap(date(chosen)), date(snapped), "{rule:?} {chosen}");
            assert_eq!(
                rule.allows(date(chosen)),
                chosen == snapped,
                "{rule:?} {chosen}"
            );
        }
        assert!(DateRule::AnyDay.explanation().is_none());
    }

    #[test]
    fn iso_dates_are_read_from_their_parts() {
        assert_eq!(parse_iso_date("2026-12-01"), Some(date("2026-12-01")));
        assert_eq!(parse_iso_date(" 2026-1-5 "), Some(date("2026-01-05")));
        assert_eq!(parse_iso_date("2028-02-29"), Some(date("2028-02-29")));
        for bad in [
            "",
            "2026",
            "2026-12",
            "2026-13-01",
            "2026-02-30",
            "2027-02-29",
            "26-12-01",
            "2026-12-01-",
            "2026-12-001",
            "2026/12/01",
            "+2026-12-01",
            "2026-1a-01",
            "2026--01",
        ] {
            assert_eq!(parse_iso_date(bad), None, "{bad}");
        }
        assert_eq!(iso_month(date("2026-03-31")), "2026-03");
        assert_eq!(iso_month(date("0999-12-01")), "0999-12");
    }

    #[test]
    fn emails_are_recognised() {
        for good in ["a@b.co", "first.last+tag@example.com", "x@sub.example.org"] {
            assert!(is_email(good), "{good}");
        }
        for bad in [
            "",
            "a",
            "a@b",
            "@b.com",
            "a@.com",
            "a@b.",
            "a b@c.com",
            "a@b..com",
            ".a@b.com",
            "a@-b.com",
            "a@@b.com",
        ] {
            assert!(!is_email(bad), "{bad}");
        }
    }

    #[test]
    fn emails_are_found_inside_text() {
        assert!(contains_email("call jo@contoso.com today"));
        assert!(contains_email("(jo@contoso.com)."));
        assert!(contains_email("mail:jo@contoso.com"));
        assert!(!contains_email("Renewal for Contoso @ 5% uplift"));
        assert!(!contains_email("Q3 deal, see CRM"));
    }

    #[test]
    fn guids_and_aws_accounts_have_their_shapes() {
        assert!(is_guid("0f8fad5b-d9cb-469f-a165-70867728950e"));
        assert!(is_guid("0F8FAD5B-D9CB-469F-A165-70867728950E"));
        assert!(!is_guid("0f8fad5b-d9cb-469f-a165-70867728950"));
        assert!(!is_guid("0f8fad5bd9cb469fa16570867728950e"));
        assert!(!is_guid("0f8fad5b-d9cb-469f-a165-70867728950g"));
        assert!(is_aws_account_id("123456789012"));
        assert!(!is_aws_account_id("12345678901"));
        assert!(!is_aws_account_id("1234567890123"));
        assert!(!is_aws_account_id("12345678901a"));
    }

    #[test]
    fn months_have_first_and_last_days() {
        assert!(is_first_of_month(date("2026-02-01")));
        assert!(!is_first_of_month(date("2026-02-02")));
        assert!(is_last_of_month(date("2026-02-28")));
        assert!(is_last_of_month(date("2028-02-29")));
        assert!(!is_last_of_month(date("2028-02-28")));
        assert!(is_last_of_month(date("2026-12-31")));
        assert!(!is_last_of_month(date("2026-12-30")));
        assert_eq!(first_of_month(date("2026-07-19")), date("2026-07-01"));
    }

    #[test]
    fn notification_contacts_are_limited_to_five() {
        let contacts = |count: usize| -> Vec<String> {
            (0..count).map(|i| format!("c{i}@example.com")).collect()
        };
        for (count, ok) in [(4, true), (5, true), (6, false)] {
            let mut problems = Problems::new();
            check_notification_contacts(&mut problems, "notification_contacts", &contacts(count));
            assert_eq!(problems.is_empty(), ok, "{count}");
            if !ok {
                assert!(problems.has("notification_contacts[5]"));
            }
        }
        let mut problems = Problems::new();
        check_notification_contacts(
            &mut problems,
            "c",
            &["a@b.co".into(), "nope".into(), "A@B.CO".into()],
        );
        assert!(problems.has("c[1]") && problems.has("c[2]") && !problems.has("c[0]"));
    }

    #[test]
    fn a_huge_list_is_judged_by_its_count_not_read_to_the_end() {
        let mut problems = Problems::new();
        let junk = vec!["not an email".to_owned(); 200_000];
        check_notification_contacts(&mut problems, "notification_contacts", &junk);
        let problems = problems.into_vec();
        assert_eq!(problems.len(), MAX_NOTIFICATION_CONTACTS + 1);
        assert_eq!(problems[0].field, "notification_contacts[5]");
    }

    #[test]
    fn sales_notes_are_short_and_impersonal() {
        for (length, ok) in [(59, true), (60, true), (61, false)] {
            let mut problems = Problems::new();
            check_sales_note(&mut problems, "sales_note", &"é".repeat(length));
            assert_eq!(problems.is_empty(), ok, "{length}");
        }
        let mut problems = Problems::new();
        check_sales_note(&mut problems, "sales_note", "ask jo@contoso.com");
        assert!(problems.has("sales_note"));
    }

    #[test]
    fn lists_point_at_the_first_entry_too_many() {
        let mut problems = Problems::new();
        check_count(&mut problems, "products", 11, 10, "products");
        assert_eq!(problems.into_vec()[0].field, "products[10]");
    }

    #[derive(Debug, serde::Deserialize)]
    struct Dated {
        #[serde(deserialize_with = "iso_date")]
        on: NaiveDate,
        #[serde(default, deserialize_with = "optional_iso_date")]
        until: Option<NaiveDate>,
    }

    #[test]
    fn api_dates_are_read_as_iso_dates() {
        let read = |json: &str| serde_json::from_str::<Dated>(json);
        let dated = read(r#"{"on":"2026-12-01","until":"2027-01-31"}"#).unwrap();
        assert_eq!(
            (dated.on, dated.until),
            (date("2026-12-01"), Some(date("2027-01-31")))
        );
        assert_eq!(
            read(r#"{"on":"2026-12-01","until":null}"#).unwrap().until,
            None
        );
        assert_eq!(read(r#"{"on":"2026-12-01"}"#).unwrap().until, None);
        // What chrono's Serialize writes reads back the same.
        let written = serde_json::to_string(&date("2028-02-29")).unwrap();
        let json = format!(r#"{{"on":{written}}}"#);
        assert_eq!(read(&json).unwrap().on, date("2028-02-29"));
        for bad in [
            r#"{"on":"2026-02-30"}"#,
            r#"{"on":"01/12/2026"}"#,
            r#"{"on":20261201}"#,
            r#"{"on":"2026-12-01","until":"soon"}"#,
        ] {
            let error = read(bad).unwrap_err().to_string();
            assert!(error.contains("YYYY-MM-DD"), "{bad}: {error}");
        }
    }
}
