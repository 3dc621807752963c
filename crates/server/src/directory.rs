//! Checks an organization to create, with its users, customer accounts and catalog, by core's
//! party validation: the store only stores what passed here.

use std::collections::HashSet;

use offerdesk_core::party::{
    validate_customer, validate_organization, validate_user, Customer, Organization, User,
};
use offerdesk_core::{field, FieldError, Problems};

use crate::store::accounts::NewOrganization;
use offerdesk_core::catalog::validate_catalog;

/// Every problem of `organizations`, each under `[i].<path>` (`[2].users[0].email`).
pub fn validate_new_organizations(
    organizations: &[NewOrganization],
) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut emails = HashSet::new();
    for (index, organization) in organizations.iter().enumerate() {
        let at = format!("[{index}]");
        if let Err(found) = validate_new_organization(organization) {
            errors.extend(under(&at, found));
        }
        for (user_index, user) in organization.users.iter().enumerate() {
            if !emails.insert(user.email.trim().to_lowercase()) {
                errors.push(FieldError::new(
                    format!("{at}.users[{user_index}].email"),
                    "Another user has this email address.",
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// Every problem of one organization: core's organization, user and customer checks, a
/// catalog only for an ISV, customer accounts only for a customer, roles only on its own accounts.
pub fn validate_new_organization(organization: &NewOrganization) -> Result<(), Vec<FieldError>> {
    let mut errors = Vec::new();
    match organization.kind.organization_kind() {
        Some(kind) => {
            let core = Organization {
                id: String::new(),
                name: organization.name.clone(),
                kind,
                partner: organization.partner.clone(),
            };
            errors.extend(validate_organization(&core).err().unwrap_or_default());
            if !organization.customer_accounts.is_empty() {
                errors.push(FieldError::new(
                    "customer_accounts",
                    "Only a customer organization has customer accounts.",
                ));
            }
        }
        None => {
            let mut problems = Problems::new();
            field::check_text(
                &mut problems,
                "name",
                "company name",
                &organization.name,
                field::MAX_NAME_CHARS,
            );
            if organization.partner.is_some() {
                problems.add(
                    "partner",
                    "Only a partner organization has partner attributes.",
                );
            }
            if organization.customer_accounts.is_empty() {
                problems.add(
                    "customer_accounts",
                    "A customer needs a Microsoft billing account or an AWS account.",
                );
            }
            errors.extend(problems.into_vec());
            for (index, account) in organization.customer_accounts.iter().enumerate() {
                let customer = Customer {
                    id: String::new(),
                    name: organization.name.clone(),
                    account: account.account.clone(),
                    country: account.country.clone(),
                };
                let found = validate_customer(&customer).err().unwrap_or_default();
                // The name was checked once above.
                let found = found.into_iter().filter(|error| error.field != "name");
                errors.extend(under(&format!("customer_accounts[{index}]"), found));
            }
        }
    }
    if !organization.catalog.offers.is_empty() {
        if organization.kind.is_isv() {
            errors.extend(under(
                "catalog",
                validate_catalog(&organization.catalog)
                    .err()
                    .unwrap_or_default(),
            ));
        } else {
            errors.push(FieldError::new(
                "catalog",
                "Only an ISV has a catalog of public offers.",
            ));
        }
    }
    for (index, user) in organization.users.iter().enumerate() {
        let at = format!("users[{index}]");
        let core = User {
            id: String::new(),
            organization_id: String::new(),
            email: user.email.clone(),
            name: user.name.clone(),
        };
        errors.extend(under(&at, validate_user(&core).err().unwrap_or_default()));
        for (role_index, (account_id, _)) in user.billing_roles.iter().enumerate() {
            let own = organization.customer_accounts.iter().any(|account| {
                let id = match &account.account {
                    offerdesk_core::CustomerAccount::MicrosoftBillingAccount(id)
                    | offerdesk_core::CustomerAccount::AwsAccount(id) => id,
                };
                id == account_id
            });
            if !own {
                errors.push(FieldError::new(
                    format!("{at}.billing_roles[{role_index}]"),
                    "A user holds roles only on its own organization's customer accounts.",
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// The errors with their fields under `prefix` (`users[0]` + `email` = `users[0].email`).
fn under(prefix: &str, errors: impl IntoIterator<Item = FieldError>) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|error| {
            let field = match error.field.as_str() {
                "" => prefix.to_owned(),
                field if field.starts_with('[') || prefix.is_empty() => format!("{prefix}{field}"),
                field => format!("{prefix}.{field}"),
            };
            FieldError::new(field, error.message)
        })
        .collect()
}
