//! The partner's profile at `/partner/profile`: its tax profile and whether it may sell
//! multiparty private offers, with the reason when it may not.

use leptos::prelude::*;
use leptos::task::spawn_local;
use offerdesk_core::party::{PartnerProfile, TaxProfileCountry};
use offerdesk_core::Eligibility;
use serde::Deserialize;

use crate::api::{self, ApiError};
use crate::pages::partner_offers::load_error;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct MultipartyEligibility {
    selection: Eligibility,
    submit: Eligibility,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Organization {
    name: String,
    partner: Option<PartnerProfile>,
    multiparty: Option<MultipartyEligibility>,
}

fn eligibility_text(eligibility: &Eligibility) -> String {
    match eligibility {
        Eligibility::Eligible => "Eligible".to_owned(),
        Eligibility::NotEligible { reason } => format!("Not eligible: {reason}"),
    }
}

/// The signed-in partner's tax profile and multiparty eligibility.
#[component]
pub fn PartnerProfilePage() -> impl IntoView {
    let organization = RwSignal::new(None::<Result<Organization, ApiError>>);
    spawn_local(async move { organization.set(Some(api::get("/api/v1/organization").await)) });
    view! {
        <section aria-labelledby="profile-title">
            <h1 id="profile-title">"Profile"</h1>
            {move || match organization.get() {
                None => view! { <p class="status" role="status">"Loading…"</p> }.into_any(),
                Some(Err(error)) => load_error(&error, "/partner/profile"),
                Some(Ok(organization)) => {
                    let Some(partner) = organization.partner else {
                        return view! { <p>{format!("{} is not a partner.", organization.name)}</p> }.into_any();
                    };
                    let country = match partner.tax_profile_country {
                        Some(TaxProfileCountry::Us) => "United States",
                        Some(TaxProfileCountry::Uk) => "United Kingdom",
                        Some(TaxProfileCountry::Other) => "Another country",
                        None => "No tax profile completed",
                    };
                    let treaty = partner
                        .uk_treaty_claim_expires_on
                        .map(|date| format!("Claimed, valid until {date}"))
                        .unwrap_or_else(|| "Not claimed".to_owned());
                    let (selection, submit) = organization
                        .multiparty
                        .map(|m| (eligibility_text(&m.selection), eligibility_text(&m.submit)))
                        .unwrap_or_default();
                    view! {
                        <h2>{organization.name.clone()}</h2>
                        <dl class="facts">
                            <dt>"Marketplace seller ID"</dt><dd>{partner.seller_id.clone()}</dd>
                            <dt>"Azure tenant ID"</dt><dd>{partner.tenant_id.clone()}</dd>
                            <dt>"AWS account ID"</dt><dd>{partner.aws_account_id.clone().unwrap_or_else(|| "None".to_owned())}</dd>
                            <dt>"CSP member"</dt><dd>{if partner.csp_member { "Yes" } else { "No" }}</dd>
                            <dt>"Regions"</dt><dd>{partner.regions.join(", ")}</dd>
                            <dt>"Tax profile country"</dt><dd>{country}</dd>
                            <dt>"US resale certificates on file"</dt><dd>{if partner.us_resale_certificates_on_file { "Yes" } else { "No" }}</dd>
                            <dt>"UK tax treaty benefit"</dt><dd>{treaty}</dd>
                        </dl>
                        <h2>"Multiparty private offers"</h2>
                        <dl class="facts">
                            <dt>"Can be added to an offer by an ISV"</dt><dd id="multiparty-selection">{selection}</dd>
                            <dt>"Can submit an offer to a customer"</dt><dd id="multiparty-submit">{submit}</dd>
                        </dl>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
