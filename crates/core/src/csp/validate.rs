//! Validation of the CSP margin offer form: every problem at once, named by JSON path.

use std::collections::HashSet;

use chrono::NaiveDate;

use super::{
    CspMarginOffer, CspOfferSetup, CspStart, SaleForm, MAX_CUSTOMER_TENANTS, MAX_LINES,
    MAX_PARTNERS,
};
use crate::catalog::Catalog;
use crate::error::{FieldError, Problems};
use crate::field::{self, MAX_NAME_CHARS};
use crate::party::PartnerProfile;

/// Checks a CSP margin offer's setup against the ISV's `catalog`, the known CSP `partners`
/// (found by tenant ID) and `today`.
pub fn validate_csp_setup(
    setup: &CspOfferSetup,
    catalog: &Catalog,
    partners: &[PartnerProfile],
    today: NaiveDate,
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    field::check_text(
        &mut problems,
        "internal_name",
        "private offer name",
        &setup.internal_name,
        MAX_NAME_CHARS,
    );
    check_dates(&mut problems, setup, today);
    field::check_notification_contacts(
        &mut problems,
        "notification_contacts",
        &setup.notification_contacts,
    );
    check_lines(&mut problems, setup, catalog);
    check_partners(&mut problems, setup, partners);
    problems.finish(|| ())
}

fn check_dates(problems: &mut Problems, setup: &CspOfferSetup, today: NaiveDate) {
    let start = match setup.start {
        CspStart::AsSoonAsPossible => today,
        CspStart::Month(start) => {
            if !super::START_MONTH_DAYS.allows(start) {
                problems.add(
                    "start.month",
                    "The start date of a specific month is always the first of the month.",
                );
            } else if start < field::first_of_month(today) {
                problems.add("start.month", "Choose the current or an upcoming month.");
            }
            start
        }
    };
    if !super::END_MONTH_DAYS.allows(setup.end) {
        problems.add("end", "The end date is always the last day of the month.");
    } else if setup.end < today || setup.end < start {
        problems.add(
            "end",
            "The end month can't be before the start month or in the past.",
        );
    }
}

fn check_lines(problems: &mut Problems, setup: &CspOfferSetup, catalog: &Catalog) {
    let lines = &setup.lines;
    if lines.is_empty() {
        problems.add("lines", "Add at least one offer or plan with its margin.");
    }
    field::check_count(problems, "lines", lines.len(), MAX_LINES, "offers/plans");
    for (index, line) in lines.iter().enumerate().take(MAX_LINES) {
        let path = format!("lines[{index}]");
        let Some(offer) = catalog.offer(&line.offer_id) else {
            problems.add(
                format!("{path}.offer_id"),
                "Choose a transactable, publicly available offer of your catalog.",
            );
            continue;
        };
        if !offer.cloud_reseller {
            problems.add(
                format!("{path}.offer_id"),
                "This offer is not opted in to the Cloud Reseller channel.",
            );
            continue;
        }
        if let Some(plan_id) = &line.plan_id {
            if !offer.plans.iter().any(|plan| &plan.id == plan_id) {
                problems.add(
                    format!("{path}.plan_id"),
                    "Choose a plan of this offer, or no plan for the whole offer.",
                );
                continue;
            }
        }
        let overlaps = lines[..index].iter().any(|earlier| {
            earlier.offer_id == line.offer_id
                && (earlier.plan_id.is_none()
                    || line.plan_id.is_none()
                    || earlier.plan_id == line.plan_id)
        });
        if overlaps {
            problems.add(
                &path,
                "This offer or plan already has a margin; an offer-level margin covers all its current and future plans.",
            );
        }
    }
}

fn check_partners(problems: &mut Problems, setup: &CspOfferSetup, known: &[PartnerProfile]) {
    let partners = &setup.partners;
    if partners.is_empty() {
        problems.add("partners", "Add at least one CSP partner.");
    }
    field::check_count(
        problems,
        "partners",
        partners.len(),
        MAX_PARTNERS,
        "CSP partner tenants",
    );
    let mut named = HashSet::new();
    for (index, partner) in partners.iter().enumerate().take(MAX_PARTNERS) {
        let path = format!("partners[{index}]");
        let tenant_path = format!("{path}.tenant_id");
        if !field::is_guid(&partner.tenant_id) {
            problems.add(
                tenant_path,
                "A tenant ID is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.",
            );
        } else if !named.insert(partner.tenant_id.to_ascii_lowercase()) {
            problems.add(tenant_path, "This CSP partner is already in the offer.");
        } else {
            match known
                .iter()
                .find(|p| p.tenant_id.eq_ignore_ascii_case(&partner.tenant_id))
            {
                Some(profile) if profile.csp_member => {}
                Some(_) => problems.add(
                    tenant_path,
                    "You can only select CSP partners who are part of Microsoft's Cloud Solution Provider (CSP) program.",
                ),
                None => problems.add(tenant_path, "No CSP partner has this tenant ID."),
            }
        }
        let customers = &partner.customer_tenant_ids;
        let customers_path = format!("{path}.customer_tenant_ids");
        field::check_count(
            problems,
            &customers_path,
            customers.len(),
            MAX_CUSTOMER_TENANTS,
            "customers for the CSP partner",
        );
        let mut seen = HashSet::new();
        for (position, customer) in customers.iter().enumerate().take(MAX_CUSTOMER_TENANTS) {
            let at = format!("{customers_path}[{position}]");
            if !field::is_guid(customer) {
                problems.add(at, "A customer tenant ID is a GUID.");
            } else if !seen.insert(customer.to_ascii_lowercase()) {
                problems.add(at, "This customer is already in the list.");
            }
        }
    }
}

/// Checks a sale the CSP partner with `partner_tenant_id` records under `offer`: the customer
/// is one the partner may sell to at the margin (when its entry is restricted), the tenant ID is
/// a GUID, and the offer and plan are ones the margin covers and the `catalog` has. Whether the
/// offer is live is the lifecycle's question ([`super::CspAction::RecordSale`]).
pub fn validate_sale(
    offer: &CspMarginOffer,
    partner_tenant_id: &str,
    sale: &SaleForm,
    catalog: &Catalog,
) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    let entry = offer
        .setup
        .partners
        .iter()
        .find(|partner| partner.tenant_id.eq_ignore_ascii_case(partner_tenant_id));
    let restricted_away = entry.is_some_and(|entry| {
        !entry.customer_tenant_ids.is_empty()
            && !entry
                .customer_tenant_ids
                .iter()
                .any(|id| id.eq_ignore_ascii_case(&sale.customer_tenant_id))
    });
    if restricted_away {
        problems.add(
            "customer_tenant_id",
            "This margin is restricted to some of your customers; this customer pays list price.",
        );
    }
    if !field::is_guid(&sale.customer_tenant_id) {
        problems.add(
            "customer_tenant_id",
            "A tenant ID is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.",
        );
    }
    let covered = offer.setup.lines.iter().any(|line| {
        line.offer_id == sale.offer_id
            && line
                .plan_id
                .as_ref()
                .is_none_or(|plan| *plan == sale.plan_id)
    }) && catalog.plan(&sale.offer_id, &sale.plan_id).is_some();
    if !covered {
        problems.add(
            "plan_id",
            "This margin offer does not cover this offer and plan.",
        );
    }
    problems.finish(|| ())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;
    use crate::csp::tests::{setup, tenant};
    use crate::csp::{CspPartner, MarginLine};
    use crate::percent::MarginPercent;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn today() -> NaiveDate {
        date("2026-11-23")
    }

    fn known(count: usize) -> Vec<PartnerProfile> {
        (0..=count)
            .map(|n| PartnerProfile {
                seller_id: format!("seller-{n}"),
                tenant_id: tenant(n),
                aws_account_id: None,
                csp_member: n != 0,
                regions: vec!["Europe".into()],
                tax_profile_country: None,
                us_resale_certificates_on_file: false,
                uk_treaty_claim_expires_on: None,
            })
            .collect()
    }

    fn problems(setup: &CspOfferSetup) -> Vec<String> {
        validate_csp_setup(setup, &sample(), &known(500), today())
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|problem| problem.field)
            .collect()
    }

    fn line(offer: &str, plan: Option<&str>) -> MarginLine {
        MarginLine {
            offer_id: offer.into(),
            plan_id: plan.map(Into::into),
            margin_percent: MarginPercent::parse("10").unwrap(),
        }
    }

    #[test]
    fn the_sample_setup_is_valid() {
        assert_eq!(problems(&setup()), Vec::<String>::new());
    }

    #[test]
    fn at_most_ten_lines_and_at_least_one() {
        let mut catalog = sample();
        let template = catalog.offers[0].plans[0].clone();
        catalog.offers[0].plans = (0..11)
            .map(|n| crate::catalog::Plan {
                id: format!("plan-{n}"),
                ..template.clone()
            })
            .collect();
        for (count, ok) in [(9, true), (10, true), (11, false)] {
            let mut setup = setup();
            setup.lines = (0..count)
                .map(|n| line("contoso-saas", Some(&format!("plan-{n}"))))
                .collect();
            let found = validate_csp_setup(&setup, &catalog, &known(10), today());
            assert_eq!(found.is_ok(), ok, "{count}");
            if let Err(found) = found {
                assert_eq!(found[0].field, "lines[10]");
                assert_eq!(found.len(), 1);
            }
        }
        let mut empty = setup();
        empty.lines.clear();
        assert_eq!(problems(&empty), ["lines"]);
    }

    #[test]
    fn lines_need_cloud_reseller_offers_and_do_not_overlap() {
        let cases = [
            (
                vec![
                    line("contoso-saas", Some("pro")),
                    line("contoso-saas", Some("team")),
                ],
                vec![],
            ),
            (vec![line("contoso-app", None)], vec!["lines[0].offer_id"]),
            (vec![line("nope", None)], vec!["lines[0].offer_id"]),
            (
                vec![line("contoso-saas", Some("nope"))],
                vec!["lines[0].plan_id"],
            ),
            (
                vec![
                    line("contoso-saas", None),
                    line("contoso-saas", Some("pro")),
                ],
                vec!["lines[1]"],
            ),
            (
                vec![
                    line("contoso-saas", Some("pro")),
                    line("contoso-saas", Some("pro")),
                ],
                vec!["lines[1]"],
            ),
        ];
        for (lines, expected) in cases {
            let mut setup = setup();
            setup.lines = lines;
            assert_eq!(problems(&setup), expected);
        }
    }

    #[test]
    fn at_most_four_hundred_csp_partners() {
        for (count, ok) in [(399, true), (400, true), (401, false)] {
            let mut setup = setup();
            setup.partners = (1..=count)
                .map(|n| CspPartner {
                    tenant_id: tenant(n),
                    customer_tenant_ids: vec![],
                })
                .collect();
            let found = problems(&setup);
            assert_eq!(found.is_empty(), ok, "{count}");
            if !ok {
                assert_eq!(found, ["partners[400]"]);
            }
        }
    }

    #[test]
    fn huge_lists_cost_no_more_than_their_limits() {
        let mut setup = setup();
        setup.partners = vec![
            CspPartner {
                tenant_id: tenant(1),
                customer_tenant_ids: vec![tenant(7); 100]
            };
            2_000
        ];
        setup.lines = vec![line("contoso-saas", None); 100_000];
        let found = validate_csp_setup(&setup, &sample(), &known(5), today()).unwrap_err();
        // The count problems, plus at most one problem per entry within each limit.
        assert!(found.len() < MAX_LINES + MAX_PARTNERS * (MAX_CUSTOMER_TENANTS + 2) + 3);
        assert!(found.iter().any(|p| p.field == "partners[400]"));
        assert!(found.iter().any(|p| p.field == "lines[10]"));
    }

    #[test]
    fn partners_are_known_csp_members_by_tenant_id() {
        let cases = [
            (tenant(0), "(CSP) program"),
            (tenant(999), "No CSP partner"),
            ("not-a-guid".to_owned(), "GUID"),
            (tenant(1).to_uppercase(), "already in the offer"),
        ];
        for (tenant_id, reason) in cases {
            let mut setup = setup();
            setup.partners[1].tenant_id = tenant_id;
            let found = validate_csp_setup(&setup, &sample(), &known(500), today()).unwrap_err();
            assert_eq!(found[0].field, "partners[1].tenant_id");
            assert!(found[0].message.contains(reason), "{}", found[0].message);
        }
    }

    #[test]
    fn at_most_twenty_five_customer_tenants_per_partner() {
        for (count, ok) in [(24, true), (25, true), (26, false)] {
            let mut setup = setup();
            setup.partners[0].customer_tenant_ids = (0..count).map(|n| tenant(1000 + n)).collect();
            let found = problems(&setup);
            assert_eq!(found.is_empty(), ok, "{count}");
            if !ok {
                assert_eq!(found, ["partners[0].customer_tenant_ids[25]"]);
            }
        }
        let mut setup = setup();
        setup.partners[0].customer_tenant_ids = vec![tenant(5), "x".into(), tenant(5)];
        assert_eq!(
            problems(&setup),
            [
                "partners[0].customer_tenant_ids[1]",
                "partners[0].customer_tenant_ids[2]"
            ]
        );
    }

    #[test]
    fn starts_on_the_first_and_ends_on_the_last_day_of_a_month() {
        let month = |text| CspStart::Month(date(text));
        #[rustfmt::skip]
        let cases = [
            (month("2027-01-01"), "2027-06-30", vec![]),
            (month("2027-01-02"), "2027-06-30", vec!["start.month"]),
            (month("2026-10-01"), "2027-06-30", vec!["start.month"]),
            (month("2026-11-01"), "2026-11-30", vec![]),
            (month("2027-01-01"), "2027-06-29", vec!["end"]),
            (month("2027-01-01"), "2027-07-01", vec!["end"]),
            (month("2027-01-01"), "2026-12-31", vec!["end"]),
            (CspStart::AsSoonAsPossible, "2026-11-30", vec![]),
            (CspStart::AsSoonAsPossible, "2026-10-31", vec!["end"]),
            (CspStart::AsSoonAsPossible, "2028-02-29", vec![]),
            (CspStart::AsSoonAsPossible, "2027-02-29", vec![]),
        ];
        for (start, end, expected) in cases {
            let Ok(end) = end.parse::<NaiveDate>() else {
                continue; // 2027-02-29 does not exist: a date the type cannot hold.
            };
            let mut setup = setup();
            setup.start = start;
            setup.end = end;
            assert_eq!(problems(&setup), expected, "{start:?} {end}");
        }
    }

    #[test]
    fn contacts_and_name_are_checked_with_everything_else() {
        let mut setup = setup();
        setup.internal_name = " ".into();
        setup.notification_contacts = (0..6).map(|n| format!("c{n}@contoso.com")).collect();
        setup.partners.clear();
        assert_eq!(
            problems(&setup),
            ["internal_name", "notification_contacts[5]", "partners"]
        );
    }

    fn sale(customer: &str, offer: &str, plan: &str) -> SaleForm {
        SaleForm {
            customer_tenant_id: customer.into(),
            offer_id: offer.into(),
            plan_id: plan.into(),
        }
    }

    #[test]
    fn a_sale_names_an_allowed_customer_and_a_covered_plan() {
        let offer = CspMarginOffer::draft("csp-1", "contoso", setup());
        // Partner 1 is restricted to customer 101; partner 2 may sell to any customer.
        let restricted = tenant(1);
        let open = tenant(2);
        let not_a_guid = "contoso.onmicrosoft.com";
        #[rustfmt::skip]
        let cases: [(&str, SaleForm, &[&str]); 12] = [
            (&restricted, sale(&tenant(101), "contoso-saas", "pro"), &[]),
            (&restricted, sale(&tenant(101).to_ascii_uppercase(), "contoso-saas", "team"), &[]),
            (&restricted.to_ascii_uppercase(), sale(&tenant(101), "contoso-saas", "pro"), &[]),
            (&restricted, sale(&tenant(102), "contoso-saas", "pro"), &["customer_tenant_id"]),
            (&open, sale(&tenant(102), "contoso-saas", "pro"), &[]),
            (&open, sale(not_a_guid, "contoso-saas", "pro"), &["customer_tenant_id"]),
            (&restricted, sale(not_a_guid, "contoso-saas", "pro"), &["customer_tenant_id", "customer_tenant_id"]),
            // Plan level: only that plan; offer level: any plan the catalog has.
            (&open, sale(&tenant(102), "contoso-vm", "fw"), &[]),
            (&open, sale(&tenant(102), "contoso-saas", "no-such-plan"), &["plan_id"]),
            (&open, sale(&tenant(102), "contoso-app", "std"), &["plan_id"]),
            (&open, sale(&tenant(102), "nope", "pro"), &["plan_id"]),
            (&restricted, sale(not_a_guid, "contoso-app", "std"), &["customer_tenant_id", "customer_tenant_id", "plan_id"]),
        ];
        for (partner, sale, expected) in cases {
            let found: Vec<String> = validate_sale(&offer, partner, &sale, &sample())
                .err()
                .unwrap_or_default()
                .into_iter()
                .map(|problem| problem.field)
                .collect();
            assert_eq!(found, expected, "{partner} {sale:?}");
        }
        let mut other_plan = offer.clone();
        other_plan.setup.lines[1].plan_id = Some("other".into());
        assert!(validate_sale(
            &other_plan,
            &open,
            &sale(&tenant(102), "contoso-vm", "fw"),
            &sample()
        )
        .is_err());
        let message = validate_sale(
            &offer,
            &restricted,
            &sale(&tenant(102), "contoso-saas", "pro"),
            &sample(),
        )
        .unwrap_err()
        .remove(0)
        .message;
        assert!(message.contains("pays list price"), "{message}");
    }
}
