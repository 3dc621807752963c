//! What the ISV and each CSP partner see of a margin offer (SPEC "Who sees what"). A partner sees
//! only the offers that name it and only its own entry; customers never see CSP margins.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{CspMarginOffer, CspOfferSetup, CspPartnerState, CspSale, CspStart, CspStatus};
use crate::catalog::{Catalog, CATALOG_CURRENCY};
use crate::error::PricingError;
use crate::money::Money;
use crate::party::PartnerProfile;
use crate::percent::MarginPercent;
use crate::pricing;
use crate::visibility::Viewer;

/// The ISV's view: everything about its own offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspIsvView {
    /// The offer's identifier.
    pub id: String,
    /// The offer's status.
    pub status: CspStatus,
    /// The status as people read it.
    pub status_label: String,
    /// Each partner's publishing step, in the setup's order.
    pub partner_states: Vec<CspPartnerState>,
    /// What the ISV set up.
    pub setup: CspOfferSetup,
    /// Sales recorded against the offer.
    pub sales: Vec<CspSale>,
}

/// What the ISV's CSP form reads of a [`CspIsvView`]: where the offer stands and its setup.
/// Serde skips the rest (the partners' publishing steps, the sales) without reading it into
/// types, so the form does not carry those readers.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct CspFormView {
    /// The status as people read it.
    pub status_label: String,
    /// What the ISV set up.
    pub setup: CspOfferSetup,
}

/// A wholesale price a partner pays while the margin applies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WholesalePrice {
    /// The plan.
    pub plan_id: String,
    /// What is priced (`flat:one_month`, `meter:api-calls`).
    pub price_point_id: String,
    /// The list price.
    pub list_price: Money,
    /// List price less the margin.
    pub wholesale_price: Money,
}

/// One margin as a partner sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerMargin {
    /// The offer.
    pub offer_id: String,
    /// The offer's name.
    pub offer_name: String,
    /// The plan, or `None` for every current and future plan of the offer.
    pub plan_id: Option<String>,
    /// The margin off list price.
    pub margin_percent: MarginPercent,
    /// The wholesale prices of the plans it covers today.
    pub prices: Vec<WholesalePrice>,
}

/// A CSP partner's view of an offer that names it: no internal name, no contacts, no other
/// partner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CspPartnerView {
    /// The offer's identifier.
    pub id: String,
    /// The offer's status.
    pub status: CspStatus,
    /// This partner's publishing step.
    pub state: CspPartnerState,
    /// Whether a sale today is at the margin (otherwise at list price).
    pub margin_applies: bool,
    /// When the offer starts.
    pub start: CspStart,
    /// The offer's last day.
    #[serde(deserialize_with = "crate::field::iso_date")]
    pub end: NaiveDate,
    /// The margins offered.
    pub margins: Vec<PartnerMargin>,
    /// The customers this partner may sell to at the margin (empty: all its customers).
    pub customer_tenant_ids: Vec<String>,
    /// This partner's own sales under the offer.
    pub sales: Vec<CspSale>,
}

/// One viewer's projection of a CSP margin offer (customers see none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "viewer", content = "offer", rename_all = "snake_case")]
pub enum CspView {
    /// The ISV's.
    Isv(CspIsvView),
    /// A named partner's.
    Partner(CspPartnerView),
}

/// The projection `viewer` may see: the ISV that owns the offer, or a partner it names (by
/// tenant ID); `None` otherwise, and always for customers.
pub fn csp_view_for(
    offer: &CspMarginOffer,
    viewer: Viewer<'_>,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<Option<CspView>, PricingError> {
    match viewer {
        Viewer::Isv { organization_id } if organization_id == offer.isv_organization_id => {
            Ok(Some(CspView::Isv(csp_isv_view(offer))))
        }
        Viewer::Partner(profile) => {
            Ok(csp_partner_view(offer, &profile.tenant_id, catalog, today)?.map(CspView::Partner))
        }
        _ => Ok(None),
    }
}

/// Every margin a partner can sell at on `today`, across `offers` (the partner's margins page).
pub fn live_margins_for<'a>(
    offers: impl IntoIterator<Item = &'a CspMarginOffer>,
    partner: &PartnerProfile,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<Vec<CspPartnerView>, PricingError> {
    let mut views = Vec::new();
    for offer in offers {
        if let Some(view) = csp_partner_view(offer, &partner.tenant_id, catalog, today)? {
            if view.margin_applies {
                views.push(view);
            }
        }
    }
    Ok(views)
}

/// The ISV's projection of its offer.
pub fn csp_isv_view(offer: &CspMarginOffer) -> CspIsvView {
    CspIsvView {
        id: offer.id.clone(),
        status: offer.progress.status,
        status_label: offer.progress.status.label().to_owned(),
        partner_states: offer.progress.partners.clone(),
        setup: offer.setup.clone(),
        sales: offer.sales.clone(),
    }
}

/// The projection for the partner with `tenant_id` on `today`; `None` (a 404) when the offer
/// does not name it or has not been submitted.
pub fn csp_partner_view(
    offer: &CspMarginOffer,
    tenant_id: &str,
    catalog: &Catalog,
    today: NaiveDate,
) -> Result<Option<CspPartnerView>, PricingError> {
    let Some(index) = offer
        .setup
        .partners
        .iter()
        .position(|partner| partner.tenant_id.eq_ignore_ascii_case(tenant_id))
    else {
        return Ok(None);
    };
    let Some(state) = offer.progress.partners.get(index).copied() else {
        return Ok(None);
    };
    let status = offer.progress.status;
    let started = match offer.setup.start {
        CspStart::AsSoonAsPossible => true,
        CspStart::Month(start) => today >= start,
    };
    let mut margins = Vec::new();
    for line in &offer.setup.lines {
        let Some(public) = catalog.offer(&line.offer_id) else {
            continue;
        };
        let mut prices = Vec::new();
        for plan in &public.plans {
            if line.plan_id.as_ref().is_some_and(|id| *id != plan.id) {
                continue;
            }
            for point in plan.price_points() {
                let places = point.kind.unit_places(CATALOG_CURRENCY);
                prices.push(WholesalePrice {
                    plan_id: plan.id.clone(),
                    price_point_id: point.id,
                    list_price: point.list_price,
                    wholesale_price: pricing::discounted_price(
                        point.list_price,
                        line.margin_percent,
                        places,
                    )?,
                });
            }
        }
        margins.push(PartnerMargin {
            offer_id: line.offer_id.clone(),
            offer_name: public.name.clone(),
            plan_id: line.plan_id.clone(),
            margin_percent: line.margin_percent,
            prices,
        });
    }
    Ok(Some(CspPartnerView {
        id: offer.id.clone(),
        status,
        state,
        margin_applies: status == CspStatus::Live && started && today <= offer.setup.end,
        start: offer.setup.start,
        end: offer.setup.end,
        margins,
        customer_tenant_ids: offer.setup.partners[index].customer_tenant_ids.clone(),
        sales: offer
            .sales
            .iter()
            .filter(|sale| sale.partner_tenant_id.eq_ignore_ascii_case(tenant_id))
            .cloned()
            .collect(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::tests::sample;
    use crate::csp::tests::{setup, tenant};
    use crate::csp::{CspPartner, CspProgress};
    use proptest::prelude::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn live(setup: CspOfferSetup) -> CspMarginOffer {
        let count = setup.partners.len();
        CspMarginOffer {
            progress: CspProgress {
                status: CspStatus::Live,
                partners: vec![CspPartnerState::Live; count],
            },
            ..CspMarginOffer::draft("csp-1", "contoso", setup)
        }
    }

    #[test]
    fn the_isvs_form_reads_its_setup_and_status_from_the_isvs_view() {
        let view = csp_isv_view(&live(setup()));
        let json = serde_json::to_string(&view).unwrap();
        let form: CspFormView = serde_json::from_str(&json).unwrap();
        assert_eq!(form.status_label, view.status_label);
        assert_eq!(form.setup, view.setup);
    }

    #[test]
    fn a_partner_sees_wholesale_prices_off_list() {
        let view = csp_partner_view(&live(setup()), &tenant(1), &sample(), date("2027-02-01"))
            .unwrap()
            .unwrap();
        assert!(view.margin_applies);
        let saas = &view.margins[0];
        assert_eq!(saas.plan_id, None);
        let first = &saas.prices[0];
        assert_eq!(
            (first.plan_id.as_str(), first.price_point_id.as_str()),
            ("pro", "flat:one_month")
        );
        assert_eq!(first.wholesale_price.to_string(), "87.5");
        assert_eq!(saas.prices.len(), 5, "every plan of an offer-level margin");
        assert_eq!(
            view.margins[1].prices[0].wholesale_price.to_string(),
            "1104"
        );
        assert_eq!(view.customer_tenant_ids, [tenant(101)]);
    }

    #[test]
    fn a_partner_sees_only_offers_naming_it_once_submitted() {
        let offer = live(setup());
        let catalog = sample();
        let day = date("2027-02-01");
        assert!(csp_partner_view(&offer, &tenant(3), &catalog, day)
            .unwrap()
            .is_none());
        let draft = CspMarginOffer::draft("csp-1", "contoso", setup());
        assert!(csp_partner_view(&draft, &tenant(1), &catalog, day)
            .unwrap()
            .is_none());
        for (status, applies) in [
            (CspStatus::Live, true),
            (CspStatus::Ended, false),
            (CspStatus::Withdrawn, false),
        ] {
            let mut offer = offer.clone();
            offer.progress.status = status;
            let view = csp_partner_view(&offer, &tenant(2), &catalog, day)
                .unwrap()
                .unwrap();
            assert_eq!(view.margin_applies, applies, "{status:?}");
        }
        let before = csp_partner_view(&offer, &tenant(2), &catalog, date("2026-12-31")).unwrap();
        assert!(!before.unwrap().margin_applies);
    }

    #[test]
    fn the_isv_sees_its_whole_offer() {
        let view = csp_isv_view(&live(setup()));
        assert_eq!(view.status_label, "Live");
        assert_eq!(view.setup.internal_name, "FY27 CSP push");
        assert_eq!(view.partner_states.len(), 2);
    }

    #[test]
    fn viewers_see_their_own_offers_and_live_margins() {
        let catalog = sample();
        let day = date("2027-02-01");
        let profile = |tenant_id: String| PartnerProfile {
            seller_id: String::new(),
            tenant_id,
            aws_account_id: None,
            csp_member: true,
            regions: vec![],
            tax_profile_country: None,
            us_resale_certificates_on_file: false,
            uk_treaty_claim_expires_on: None,
        };
        let offer = live(setup());
        let named = profile(tenant(1));
        let stranger = profile(tenant(9));
        let see = |viewer: Viewer<'_>| csp_view_for(&offer, viewer, &catalog, day).unwrap();
        assert!(matches!(
            see(Viewer::Isv {
                organization_id: "contoso"
            }),
            Some(CspView::Isv(_))
        ));
        assert_eq!(
            see(Viewer::Isv {
                organization_id: "fabrikam"
            }),
            None
        );
        assert!(matches!(
            see(Viewer::Partner(&named)),
            Some(CspView::Partner(_))
        ));
        assert_eq!(see(Viewer::Partner(&stranger)), None);
        let customer = crate::party::CustomerAccount::MicrosoftBillingAccount(tenant(101));
        assert_eq!(see(Viewer::Customer(&customer)), None);

        let mut ended = offer.clone();
        ended.id = "csp-2".into();
        ended.progress.status = CspStatus::Ended;
        let margins = live_margins_for([&offer, &ended], &named, &catalog, day).unwrap();
        assert_eq!(
            margins.iter().map(|v| v.id.as_str()).collect::<Vec<_>>(),
            ["csp-1"]
        );
        assert!(live_margins_for([&offer], &stranger, &catalog, day)
            .unwrap()
            .is_empty());
    }

    proptest! {
        #[test]
        fn a_partner_never_sees_other_partners_the_internal_name_or_contacts(
            partners in 1usize..12,
            customers in proptest::collection::vec(0usize..4, 12),
            viewer in 0usize..12,
        ) {
            let mut setup = setup();
            setup.internal_name = "INTERNAL-NAME-MARKER".into();
            setup.notification_contacts = vec!["contact-marker@contoso.com".into()];
            setup.partners = (0..partners)
                .map(|n| CspPartner {
                    tenant_id: tenant(n + 1),
                    customer_tenant_ids: (0..customers[n]).map(|c| tenant(1000 * (n + 1) + c)).collect(),
                })
                .collect();
            let viewer = viewer % partners;
            let offer = live(setup);
            let view = csp_partner_view(&offer, &tenant(viewer + 1), &sample(), date("2027-02-01"))
                .unwrap()
                .unwrap();
            let text = serde_json::to_string(&view).unwrap();
            prop_assert!(!text.contains("INTERNAL-NAME-MARKER") && !text.contains("contact-marker"));
            prop_assert!(!text.contains("internal_name") && !text.contains("notification_contacts"));
            for (n, partner) in offer.setup.partners.iter().enumerate() {
                if n == viewer {
                    continue;
                }
                prop_assert!(!text.contains(&partner.tenant_id));
                for customer in &partner.customer_tenant_ids {
                    prop_assert!(!text.contains(customer));
                }
            }
        }
    }
}
