//! Parties (SPEC "Parties"): organizations and their partner attributes, users, customers and
//! the roles people hold on a customer's billing account.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{FieldError, Problems};
use crate::field;

/// What an organization is to Offer Desk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganizationKind {
    /// A software vendor that publishes offers.
    Isv,
    /// A CSP, selling or consulting partner.
    Partner,
    /// A vendor that also resells.
    IsvAndPartner,
}

impl OrganizationKind {
    /// Whether the organization publishes offers of its own.
    pub fn is_isv(self) -> bool {
        matches!(
            self,
            OrganizationKind::Isv | OrganizationKind::IsvAndPartner
        )
    }

    /// Whether the organization sells other vendors' offers.
    pub fn is_partner(self) -> bool {
        matches!(
            self,
            OrganizationKind::Partner | OrganizationKind::IsvAndPartner
        )
    }
}

/// A company using Offer Desk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organization {
    /// Offer Desk's identifier of the organization.
    pub id: String,
    /// The company name shown to the other parties.
    pub name: String,
    /// ISV, partner or both.
    pub kind: OrganizationKind,
    /// The partner attributes, present when the organization is a partner.
    pub partner: Option<PartnerProfile>,
}

/// The country of a partner's marketplace tax profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaxProfileCountry {
    /// United States: resale certificates must be on file before a multiparty sale.
    Us,
    /// United Kingdom: a tax-treaty benefit must be claimed and unexpired.
    Uk,
    /// Any other country: not eligible for multiparty private offers.
    Other,
}

/// What a partner brings to a deal: its identifiers, programs and tax profile.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartnerProfile {
    /// The marketplace seller ID by which an ISV adds the partner to a multiparty offer.
    pub seller_id: String,
    /// The partner's Azure tenant ID, by which CSP margin offers name it.
    pub tenant_id: String,
    /// The partner's 12-digit AWS account ID, for CPPO resale authorizations.
    pub aws_account_id: Option<String>,
    /// Whether the partner is in Microsoft's Cloud Solution Provider program.
    pub csp_member: bool,
    /// The regions the partner sells in (an ISV filters CSP partners by them).
    pub regions: Vec<String>,
    /// The country of the partner's tax profile, if it has completed one.
    pub tax_profile_country: Option<TaxProfileCountry>,
    /// Whether a US partner's resale certificates are on file.
    pub us_resale_certificates_on_file: bool,
    /// The expiry date of a UK partner's tax-treaty benefit claim, if it claimed one.
    #[serde(default, deserialize_with = "crate::field::optional_iso_date")]
    pub uk_treaty_claim_expires_on: Option<NaiveDate>,
}

/// Whether a partner may do something, and if not, why (in words for the partner).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(
    tag = "status",
    rename_all = "snake_case",
    try_from = "EligibilityWire"
)]
pub enum Eligibility {
    /// The partner may.
    Eligible,
    /// The partner may not, for `reason`.
    NotEligible {
        /// What stands in the way and how to clear it.
        reason: String,
    },
}

/// An [`Eligibility`] on the wire, read from a flat object (see [`crate::field::required`]).
#[derive(Deserialize)]
struct EligibilityWire {
    status: EligibilityStatus,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum EligibilityStatus {
    Eligible,
    NotEligible,
}

impl TryFrom<EligibilityWire> for Eligibility {
    type Error = String;

    fn try_from(wire: EligibilityWire) -> Result<Self, String> {
        Ok(match wire.status {
            EligibilityStatus::Eligible => Eligibility::Eligible,
            EligibilityStatus::NotEligible => Eligibility::NotEligible {
                reason: field::required(wire.reason, "reason")?,
            },
        })
    }
}

impl Eligibility {
    /// Whether the partner may.
    pub fn is_eligible(&self) -> bool {
        matches!(self, Eligibility::Eligible)
    }

    /// The reason the partner may not, if it may not.
    pub fn reason(&self) -> Option<&str> {
        match self {
            Eligibility::Eligible => None,
            Eligibility::NotEligible { reason } => Some(reason),
        }
    }

    fn not(reason: &str) -> Self {
        Eligibility::NotEligible {
            reason: reason.to_owned(),
        }
    }
}

impl PartnerProfile {
    /// Whether an ISV may add this partner to a multiparty offer: it needs a completed US or UK
    /// tax profile.
    pub fn multiparty_selection(&self) -> Eligibility {
        match self.tax_profile_country {
            Some(TaxProfileCountry::Us | TaxProfileCountry::Uk) => Eligibility::Eligible,
            _ => Eligibility::not(
                "The selling partner must have a completed US or UK tax profile for the marketplace associated with its seller ID.",
            ),
        }
    }

    /// Whether this partner may submit a multiparty offer to its customer on `today`: a US
    /// partner needs its resale certificates on file, a UK partner an unexpired treaty claim
    /// (valid until the day before its expiry date).
    pub fn multiparty_submit(&self, today: NaiveDate) -> Eligibility {
        match self.tax_profile_country {
            Some(TaxProfileCountry::Us) if self.us_resale_certificates_on_file => {
                Eligibility::Eligible
            }
            Some(TaxProfileCountry::Us) => Eligibility::not(
                "Your resale certificates must be on file at Microsoft before you sell multiparty private offers.",
            ),
            Some(TaxProfileCountry::Uk) => match self.uk_treaty_claim_expires_on {
                Some(expires) if today < expires => Eligibility::Eligible,
                Some(_) => Eligibility::not(
                    "Your tax treaty benefit claim has expired; claim it again on your W-8BEN form before you sell multiparty private offers.",
                ),
                None => Eligibility::not(
                    "Claim tax treaty benefits on your W-8BEN form before you sell multiparty private offers.",
                ),
            },
            _ => self.multiparty_selection(),
        }
    }
}

/// A partner as the partner directory (`GET /api/v1/partners`) lists it for an ISV's forms:
/// the public part of its profile (no certificates or treaty claim) and whether it may be
/// added to a multiparty offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPartner {
    /// Offer Desk's ID of the partner's organization.
    pub organization_id: i64,
    /// The company name.
    pub name: String,
    /// Marketplace seller ID (multiparty offers name the partner by it).
    pub seller_id: String,
    /// Azure tenant ID (CSP margin offers name the partner by it).
    pub tenant_id: String,
    /// 12-digit AWS account ID (CPPO), if it has one.
    pub aws_account_id: Option<String>,
    /// Whether it is a CSP member.
    pub csp_member: bool,
    /// The regions it sells in.
    pub regions: Vec<String>,
    /// The country of its tax profile.
    pub tax_profile_country: Option<TaxProfileCountry>,
    /// Whether an ISV may add it to a multiparty offer, and if not why.
    pub multiparty_selection: Eligibility,
}

impl DirectoryPartner {
    /// The directory's entry for the partner `name` with `profile`.
    pub fn listing(organization_id: i64, name: String, profile: PartnerProfile) -> Self {
        DirectoryPartner {
            organization_id,
            name,
            multiparty_selection: profile.multiparty_selection(),
            seller_id: profile.seller_id,
            tenant_id: profile.tenant_id,
            aws_account_id: profile.aws_account_id,
            csp_member: profile.csp_member,
            regions: profile.regions,
            tax_profile_country: profile.tax_profile_country,
        }
    }

    /// The profile as far as the directory shows it: enough for core's selection checks of
    /// the ISV's forms. Submit eligibility (certificates, treaty claim) is the server's to
    /// check, so those read as absent.
    pub fn profile(&self) -> PartnerProfile {
        PartnerProfile {
            seller_id: self.seller_id.clone(),
            tenant_id: self.tenant_id.clone(),
            aws_account_id: self.aws_account_id.clone(),
            csp_member: self.csp_member,
            regions: self.regions.clone(),
            tax_profile_country: self.tax_profile_country,
            us_resale_certificates_on_file: false,
            uk_treaty_claim_expires_on: None,
        }
    }
}

/// One page of the partner directory, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DirectoryPage {
    /// The partners on this page.
    pub partners: Vec<DirectoryPartner>,
    /// How many match in all.
    pub total: u64,
    /// The page size asked for.
    pub limit: u32,
    /// How many were skipped.
    pub offset: u32,
}

/// The company names a projection shows to the other parties.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Companies {
    /// The ISV's company name.
    pub isv: String,
    /// The partner's company name.
    pub partner: String,
}

/// A person who signs in; they act for one organization.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Offer Desk's identifier of the user.
    pub id: String,
    /// The organization the user acts for.
    pub organization_id: String,
    /// The sign-in email.
    pub email: String,
    /// The name shown to colleagues.
    pub name: String,
}

/// How a marketplace knows a customer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(
    tag = "marketplace",
    content = "id",
    rename_all = "snake_case",
    from = "AccountWire"
)]
pub enum CustomerAccount {
    /// A Microsoft billing account ID (Cost Management + Billing > Properties > ID).
    MicrosoftBillingAccount(String),
    /// A 12-digit AWS account ID.
    AwsAccount(String),
}

/// A [`CustomerAccount`] on the wire, read from a flat object (see [`crate::field::required`]).
#[derive(Deserialize)]
struct AccountWire {
    marketplace: Marketplace,
    id: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum Marketplace {
    MicrosoftBillingAccount,
    AwsAccount,
}

impl From<AccountWire> for CustomerAccount {
    fn from(wire: AccountWire) -> Self {
        match wire.marketplace {
            Marketplace::MicrosoftBillingAccount => {
                CustomerAccount::MicrosoftBillingAccount(wire.id)
            }
            Marketplace::AwsAccount => CustomerAccount::AwsAccount(wire.id),
        }
    }
}

impl CustomerAccount {
    /// Records the problems of the account ID under `field`.
    pub fn check(&self, problems: &mut Problems, field: &str) {
        match self {
            CustomerAccount::MicrosoftBillingAccount(id) => {
                field::check_text(problems, field, "customer billing account ID", id, 200)
            }
            CustomerAccount::AwsAccount(id) => {
                field::check_aws_account_id(problems, field, "The buyer's account ID", id)
            }
        }
    }
}

/// A customer organization that buys through a private offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Offer Desk's identifier of the customer.
    pub id: String,
    /// The company name.
    pub name: String,
    /// The marketplace account the offer is made to.
    pub account: CustomerAccount,
    /// ISO 3166 alpha-2 code of the billing account's country ("US", "GB", "CA").
    pub country: String,
}

/// The role a customer user holds on a billing account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BillingAccountRole {
    /// May accept.
    Owner,
    /// May accept.
    Contributor,
    /// May accept.
    Signatory,
    /// May look, not accept.
    Reader,
}

impl BillingAccountRole {
    /// Every role.
    pub const ALL: [BillingAccountRole; 4] = [
        BillingAccountRole::Owner,
        BillingAccountRole::Contributor,
        BillingAccountRole::Signatory,
        BillingAccountRole::Reader,
    ];

    /// Only an owner, contributor or signatory may accept an offer.
    pub fn may_accept(self) -> bool {
        self != BillingAccountRole::Reader
    }
}

/// A customer user's role on one billing account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingAccountMember {
    /// The user.
    pub user_id: String,
    /// The customer whose billing account it is.
    pub customer_id: String,
    /// What the user may do there.
    pub role: BillingAccountRole,
}

/// ISO 3166 alpha-2 codes are two capital letters ("US", "GB", "CA").
fn is_country_code(code: &str) -> bool {
    code.len() == 2 && code.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// Checks an organization's profile form: a name, and for a partner its seller ID, a GUID tenant
/// ID, a 12-digit AWS account ID when given, and a treaty claim expiry only with a UK profile.
pub fn validate_organization(organization: &Organization) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    field::check_text(
        &mut problems,
        "name",
        "company name",
        &organization.name,
        field::MAX_NAME_CHARS,
    );
    match (&organization.partner, organization.kind.is_partner()) {
        (None, true) => problems.add("partner", "A partner needs its partner attributes."),
        (Some(_), false) => problems.add(
            "partner",
            "Only a partner organization has partner attributes.",
        ),
        (None, false) => {}
        (Some(partner), true) => {
            field::check_text(
                &mut problems,
                "partner.seller_id",
                "marketplace seller ID",
                &partner.seller_id,
                field::MAX_NAME_CHARS,
            );
            if !field::is_guid(&partner.tenant_id) {
                problems.add(
                    "partner.tenant_id",
                    "A tenant ID is a GUID such as 0f8fad5b-d9cb-469f-a165-70867728950e.",
                );
            }
            if let Some(account) = &partner.aws_account_id {
                field::check_aws_account_id(
                    &mut problems,
                    "partner.aws_account_id",
                    "The AWS account ID",
                    account,
                );
            }
            if partner.uk_treaty_claim_expires_on.is_some()
                && partner.tax_profile_country != Some(TaxProfileCountry::Uk)
            {
                problems.add(
                    "partner.uk_treaty_claim_expires_on",
                    "Only a partner with a UK tax profile claims tax treaty benefits.",
                );
            }
            if partner.us_resale_certificates_on_file
                && partner.tax_profile_country != Some(TaxProfileCountry::Us)
            {
                problems.add(
                    "partner.us_resale_certificates_on_file",
                    "Only a partner with a US tax profile files resale certificates.",
                );
            }
        }
    }
    problems.finish(|| ())
}

/// Checks a user form: a name and a sign-in email.
pub fn validate_user(user: &User) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    field::check_text(
        &mut problems,
        "name",
        "name",
        &user.name,
        field::MAX_NAME_CHARS,
    );
    field::check_email(&mut problems, "email", "Email", &user.email);
    problems.finish(|| ())
}

/// Checks a customer form: a name, the marketplace account ID and a country code.
pub fn validate_customer(customer: &Customer) -> Result<(), Vec<FieldError>> {
    let mut problems = Problems::new();
    field::check_text(
        &mut problems,
        "name",
        "company name",
        &customer.name,
        field::MAX_NAME_CHARS,
    );
    customer.account.check(&mut problems, "account.id");
    if !is_country_code(&customer.country) {
        problems.add(
            "country",
            "Give the billing account's country as a two-letter code such as US, GB or CA.",
        );
    }
    problems.finish(|| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    fn partner(country: Option<TaxProfileCountry>) -> PartnerProfile {
        PartnerProfile {
            seller_id: "seller-1".into(),
            tenant_id: "0f8fad5b-d9cb-469f-a165-70867728950e".into(),
            aws_account_id: None,
            csp_member: true,
            regions: vec!["North America".into()],
            tax_profile_country: country,
            us_resale_certificates_on_file: false,
            uk_treaty_claim_expires_on: None,
        }
    }

    #[test]
    fn a_directory_entry_shows_no_submit_facts_and_says_whether_it_may_be_selected() {
        let private = PartnerProfile {
            us_resale_certificates_on_file: true,
            uk_treaty_claim_expires_on: Some(date("2030-01-01")),
            ..partner(Some(TaxProfileCountry::Us))
        };
        let entry = DirectoryPartner::listing(7, "Fabrikam".into(), private.clone());
        assert_eq!(entry.multiparty_selection, Eligibility::Eligible);
        assert_eq!(entry.profile(), partner(Some(TaxProfileCountry::Us)));
        let wire = serde_json::to_value(&entry).unwrap();
        assert!(wire.get("us_resale_certificates_on_file").is_none());
        assert_eq!(
            serde_json::from_value::<DirectoryPartner>(wire).unwrap(),
            entry
        );
        let untaxed = DirectoryPartner::listing(8, "Adatum".into(), partner(None));
        assert!(untaxed.multiparty_selection.reason().is_some());
    }

    #[test]
    fn only_us_and_uk_partners_join_multiparty_offers() {
        use TaxProfileCountry::*;
        assert!(partner(Some(Us)).multiparty_selection().is_eligible());
        assert!(partner(Some(Uk)).multiparty_selection().is_eligible());
        assert!(!partner(Some(Other)).multiparty_selection().is_eligible());
        assert!(!partner(None).multiparty_selection().is_eligible());
    }

    #[test]
    fn a_us_partner_submits_once_its_certificates_are_on_file() {
        let today = date("2026-11-23");
        let mut us = partner(Some(TaxProfileCountry::Us));
        let refused = us.multiparty_submit(today);
        assert!(refused.reason().unwrap().contains("resale certificates"));
        us.us_resale_certificates_on_file = true;
        assert!(us.multiparty_submit(today).is_eligible());
    }

    #[test]
    fn a_uk_partner_submits_while_its_treaty_claim_is_unexpired() {
        let today = date("2026-11-23");
        let mut uk = partner(Some(TaxProfileCountry::Uk));
        assert!(uk
            .multiparty_submit(today)
            .reason()
            .unwrap()
            .contains("W-8BEN"));
        for (expires, ok) in [
            ("2026-11-24", true),
            ("2026-11-23", false),
            ("2026-11-22", false),
        ] {
            uk.uk_treaty_claim_expires_on = Some(date(expires));
            assert_eq!(uk.multiparty_submit(today).is_eligible(), ok, "{expires}");
        }
        assert!(!partner(Some(TaxProfileCountry::Other))
            .multiparty_submit(today)
            .is_eligible());
    }

    #[test]
    fn readers_cannot_accept() {
        let accepting: Vec<_> = BillingAccountRole::ALL
            .into_iter()
            .filter(|role| role.may_accept())
            .collect();
        assert_eq!(
            accepting,
            [
                BillingAccountRole::Owner,
                BillingAccountRole::Contributor,
                BillingAccountRole::Signatory
            ]
        );
    }

    fn fields(result: Result<(), Vec<FieldError>>) -> Vec<String> {
        result
            .err()
            .unwrap_or_default()
            .into_iter()
            .map(|p| p.field)
            .collect()
    }

    #[test]
    fn organizations_are_checked_as_a_form() {
        let mut organization = Organization {
            id: "adatum".into(),
            name: "Adatum".into(),
            kind: OrganizationKind::Partner,
            partner: Some(partner(Some(TaxProfileCountry::Us))),
        };
        assert_eq!(
            fields(validate_organization(&organization)),
            Vec::<String>::new()
        );
        let profile = organization.partner.as_mut().unwrap();
        profile.tenant_id = "nope".into();
        profile.aws_account_id = Some("12345".into());
        profile.uk_treaty_claim_expires_on = Some(date("2027-01-01"));
        assert_eq!(
            fields(validate_organization(&organization)),
            [
                "partner.tenant_id",
                "partner.aws_account_id",
                "partner.uk_treaty_claim_expires_on"
            ]
        );
        organization.partner = None;
        assert_eq!(fields(validate_organization(&organization)), ["partner"]);
        organization.kind = OrganizationKind::Isv;
        assert_eq!(
            fields(validate_organization(&organization)),
            Vec::<String>::new()
        );
        assert!(
            OrganizationKind::IsvAndPartner.is_isv()
                && OrganizationKind::IsvAndPartner.is_partner()
        );
    }

    #[test]
    fn users_and_customers_are_checked_as_forms() {
        let user = User {
            id: "u1".into(),
            organization_id: "adatum".into(),
            email: "rep@adatum".into(),
            name: String::new(),
        };
        assert_eq!(fields(validate_user(&user)), ["name", "email"]);
        let mut customer = Customer {
            id: "c1".into(),
            name: "Fabrikam".into(),
            account: CustomerAccount::AwsAccount("123456789012".into()),
            country: "US".into(),
        };
        assert_eq!(fields(validate_customer(&customer)), Vec::<String>::new());
        customer.account = CustomerAccount::AwsAccount("1234567890".into());
        customer.country = "usa".into();
        assert_eq!(
            fields(validate_customer(&customer)),
            ["account.id", "country"]
        );
        customer.account = CustomerAccount::MicrosoftBillingAccount(String::new());
        customer.country = "GB".into();
        assert_eq!(fields(validate_customer(&customer)), ["account.id"]);
    }

    #[test]
    fn eligibility_serializes_with_its_reason() {
        let json = serde_json::to_string(&partner(None).multiparty_selection()).unwrap();
        assert!(json.contains("\"status\":\"not_eligible\"") && json.contains("tax profile"));
    }
}
