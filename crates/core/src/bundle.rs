//! The page is built as one bundle per audience, and each of the ISV's offer forms (the largest
//! pages) as a bundle of its own, to keep each page load small; this is which
//! bundle has which path, for the page (to reload from the server when a link leaves its bundle)
//! and for the server (to answer a path with its bundle's `index.html`).

use crate::multiparty::PricingType;

/// A part of the app built and loaded on its own (a Trunk build of its own binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Home, price calculator and sign-in.
    Public,
    /// The customer's offer links, `/links/{token}`.
    Customer,
    /// The selling partner's pages under `/partner/`, but for one offer's page and CPPO.
    Partner,
    /// The selling partner's page of one multiparty offer, `/partner/offers/{id}`: the live
    /// customer price preview, its review and the customer link.
    PartnerOffer,
    /// The consulting partner's resale authorizations and its CPPO offers to buyers,
    /// `/partner/cppo`.
    PartnerCppo,
    /// The consulting partner's private offer to a buyer made from one resale authorization,
    /// `/partner/cppo/{id}/new`: its prices, payment schedule, payouts and customer link.
    BuyerOffer,
    /// The ISV's offers dashboard and notifications.
    Isv,
    /// The ISV's catalog, `/catalog`.
    Catalog,
    /// The ISV's CSP margin offer form, `/offers/csp/...`: "Offer setup".
    CspForm,
    /// The CSP form's "Review and submit", `/offers/csp/{id}/review`, a bundle of its own so
    /// that the form stays within the budget.
    CspReview,
    /// The ISV's CPPO resale authorization form, `/offers/cppo/...`.
    CppoForm,
    /// The ISV's multiparty private offer form, `/offers/multiparty/...`: "Offer setup". Each of
    /// the form's steps is a bundle of its own, so that each stays within the budget.
    MultipartyForm,
    /// The multiparty form's "Customer terms", `/offers/multiparty/{id}/terms`: the customer's
    /// dates and the ISV's terms and conditions.
    MultipartyTerms,
    /// The multiparty form's "Product offers" of an offer of existing plans,
    /// `/offers/multiparty/{id}/products/existing-plans`. Each pricing type's products have a
    /// page and a bundle of their own, which carries only that type's editor and checks.
    MultipartyExistingPlans,
    /// "Product offers" of an offer of new SaaS plans,
    /// `/offers/multiparty/{id}/products/new-saas-plans`.
    MultipartyNewSaasPlans,
    /// "Product offers" of an offer of VM software reservations,
    /// `/offers/multiparty/{id}/products/vm-reservations`.
    MultipartyVmReservations,
    /// The multiparty form's "Review and submit", `/offers/multiparty/{id}/review`.
    MultipartyReview,
}

impl Bundle {
    /// Every bundle, the public one first (scripts/build-page.sh builds the same list).
    pub const ALL: [Bundle; 17] = [
        Bundle::Public,
        Bundle::Customer,
        Bundle::Partner,
        Bundle::PartnerOffer,
        Bundle::PartnerCppo,
        Bundle::BuyerOffer,
        Bundle::Isv,
        Bundle::Catalog,
        Bundle::CspForm,
        Bundle::CspReview,
        Bundle::CppoForm,
        Bundle::MultipartyForm,
        Bundle::MultipartyTerms,
        Bundle::MultipartyExistingPlans,
        Bundle::MultipartyNewSaasPlans,
        Bundle::MultipartyVmReservations,
        Bundle::MultipartyReview,
    ];

    /// The bundle that has the page at `path`: the page reloads from the server for another
    /// bundle's path, and the server answers the path with this bundle's `index.html`.
    pub fn of(path: &str) -> Bundle {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        // One path segment: an offer's or an authorization's ID.
        let one_segment = |id: &str| !id.is_empty() && !id.contains('/');
        // A step of a form after its setup: `{form}/{id}/{step}`.
        let is_step = |form: &str, step: &str| {
            path.strip_prefix(form)
                .and_then(|rest| rest.strip_prefix('/'))
                .and_then(|rest| rest.strip_suffix(step))
                .and_then(|rest| rest.strip_suffix('/'))
                .is_some_and(one_segment)
        };
        let is_buyer_offer = || {
            path.strip_prefix("/partner/cppo/")
                .and_then(|rest| rest.strip_suffix("/new"))
                .is_some_and(one_segment)
        };
        if under("/links") {
            Bundle::Customer
        } else if is_buyer_offer() {
            Bundle::BuyerOffer
        } else if under("/partner/cppo") {
            Bundle::PartnerCppo
        } else if path
            .strip_prefix("/partner/offers/")
            .is_some_and(one_segment)
        {
            Bundle::PartnerOffer
        } else if under("/partner") {
            Bundle::Partner
        } else if is_step("/offers/csp", "review") {
            Bundle::CspReview
        } else if under("/offers/csp") {
            Bundle::CspForm
        } else if under("/offers/cppo") {
            Bundle::CppoForm
        } else if is_step("/offers/multiparty", "terms") {
            Bundle::MultipartyTerms
        } else if is_step(
            "/offers/multiparty",
            products_step(PricingType::ExistingPlan),
        ) {
            Bundle::MultipartyExistingPlans
        } else if is_step(
            "/offers/multiparty",
            products_step(PricingType::NewSaasPlan),
        ) {
            Bundle::MultipartyNewSaasPlans
        } else if is_step(
            "/offers/multiparty",
            products_step(PricingType::VmReservation),
        ) {
            Bundle::MultipartyVmReservations
        } else if is_step("/offers/multiparty", "review") {
            Bundle::MultipartyReview
        } else if under("/offers/multiparty") {
            Bundle::MultipartyForm
        } else if under("/catalog") {
            Bundle::Catalog
        } else if under("/offers") || under("/notifications") {
            Bundle::Isv
        } else {
            Bundle::Public
        }
    }

    /// Whether this bundle has the page at `path`: the paths that are its own, and sign-in for
    /// the customer's bundle (a customer who accepts signs in and comes back to the offer
    /// without loading another bundle).
    pub fn has(self, path: &str) -> bool {
        Bundle::of(path) == self || (self == Bundle::Customer && path == "/sign-in")
    }

    /// The directory under the page's `bundles/` that holds this bundle, or `None` for the
    /// public one, built at the top of the page directory.
    pub fn directory(self) -> Option<&'static str> {
        match self {
            Bundle::Public => None,
            Bundle::Customer => Some("customer"),
            Bundle::Partner => Some("partner"),
            Bundle::PartnerOffer => Some("partner-offer"),
            Bundle::PartnerCppo => Some("partner-cppo"),
            Bundle::BuyerOffer => Some("buyer-offer"),
            Bundle::Isv => Some("isv"),
            Bundle::Catalog => Some("catalog"),
            Bundle::CspForm => Some("csp-form"),
            Bundle::CspReview => Some("csp-review"),
            Bundle::CppoForm => Some("cppo-form"),
            Bundle::MultipartyForm => Some("multiparty-form"),
            Bundle::MultipartyTerms => Some("multiparty-terms"),
            Bundle::MultipartyExistingPlans => Some("multiparty-existing-plans"),
            Bundle::MultipartyNewSaasPlans => Some("multiparty-new-saas-plans"),
            Bundle::MultipartyVmReservations => Some("multiparty-vm-reservations"),
            Bundle::MultipartyReview => Some("multiparty-review"),
        }
    }
}

/// The step of the multiparty form, after `/offers/multiparty/{id}/`, that edits the products
/// of an offer of `pricing_type` ("Product offers").
pub fn products_step(pricing_type: PricingType) -> &'static str {
    match pricing_type {
        PricingType::ExistingPlan => "products/existing-plans",
        PricingType::NewSaasPlan => "products/new-saas-plans",
        PricingType::VmReservation => "products/vm-reservations",
    }
}

/// Where a page that moved is now, for the addresses people kept: the one "Product offers" page
/// of every pricing type, `/offers/multiparty/{id}/products` before each type had its own, is
/// the offer's "Offer setup", which goes on to its type's page. `None` for a path that did not
/// move.
pub fn moved(path: &str) -> Option<String> {
    let id = path
        .strip_prefix("/offers/multiparty/")?
        .strip_suffix("/products")?;
    (!id.is_empty() && !id.contains('/')).then(|| format!("/offers/multiparty/{id}"))
}

#[cfg(test)]
mod tests {
    use super::{moved, Bundle};

    #[test]
    fn the_one_product_offers_page_moved_to_offer_setup() {
        assert_eq!(
            moved("/offers/multiparty/mpo_7/products").as_deref(),
            Some("/offers/multiparty/mpo_7")
        );
        for path in [
            "/offers/multiparty/mpo_7",
            "/offers/multiparty/mpo_7/products/new-saas-plans",
            "/offers/multiparty//products",
            "/offers/multiparty/7/8/products",
            "/offers/csp/7/products",
        ] {
            assert_eq!(moved(path), None, "{path}");
        }
    }

    #[test]
    fn each_path_belongs_to_one_bundle() {
        for (path, bundle) in [
            ("/", Bundle::Public),
            ("/calculator", Bundle::Public),
            ("/sign-in", Bundle::Public),
            ("/links/abc", Bundle::Customer),
            ("/linksx", Bundle::Public),
            ("/partner", Bundle::Partner),
            ("/partner/offers", Bundle::Partner),
            ("/partner/offers/7", Bundle::PartnerOffer),
            ("/partner/offers/", Bundle::Partner),
            ("/partner/offers/7/more", Bundle::Partner),
            ("/partner/cppo", Bundle::PartnerCppo),
            ("/partner/cppo/7/new", Bundle::BuyerOffer),
            ("/partner/cppo/7", Bundle::PartnerCppo),
            ("/partner/cppo//new", Bundle::PartnerCppo),
            ("/partner/cppo/7/8/new", Bundle::PartnerCppo),
            ("/partner/cppox", Bundle::Partner),
            ("/partnership", Bundle::Public),
            ("/offers", Bundle::Isv),
            ("/offers/multiparty/new", Bundle::MultipartyForm),
            ("/offers/multiparty/7", Bundle::MultipartyForm),
            ("/offers/multiparty/7/review", Bundle::MultipartyReview),
            ("/offers/multiparty/new/review", Bundle::MultipartyReview),
            ("/offers/multiparty/7review", Bundle::MultipartyForm),
            (
                "/offers/multiparty/new/products/existing-plans",
                Bundle::MultipartyExistingPlans,
            ),
            (
                "/offers/multiparty/7/products/existing-plans",
                Bundle::MultipartyExistingPlans,
            ),
            (
                "/offers/multiparty/7/products/new-saas-plans",
                Bundle::MultipartyNewSaasPlans,
            ),
            (
                "/offers/multiparty/7/products/vm-reservations",
                Bundle::MultipartyVmReservations,
            ),
            // The one page of every pricing type's products, before each had its own.
            ("/offers/multiparty/7/products", Bundle::MultipartyForm),
            (
                "/offers/multiparty/7/products/other",
                Bundle::MultipartyForm,
            ),
            (
                "/offers/multiparty//products/vm-reservations",
                Bundle::MultipartyForm,
            ),
            ("/offers/multiparty/new/terms", Bundle::MultipartyTerms),
            ("/offers/multiparty/7/terms", Bundle::MultipartyTerms),
            ("/offers/multiparty//terms", Bundle::MultipartyForm),
            ("/offers/multiparty/7/8/terms", Bundle::MultipartyForm),
            ("/offers/multiparty//products", Bundle::MultipartyForm),
            ("/offers/multiparty/7/8/products", Bundle::MultipartyForm),
            ("/offers/multipartyx", Bundle::Isv),
            ("/offers/csp/new", Bundle::CspForm),
            ("/offers/csp/7", Bundle::CspForm),
            ("/offers/csp/7/review", Bundle::CspReview),
            ("/offers/csp/new/review", Bundle::CspReview),
            ("/offers/csp//review", Bundle::CspForm),
            ("/offers/csp/7/8/review", Bundle::CspForm),
            ("/offers/cspx/7/review", Bundle::Isv),
            ("/offers/cppo/new", Bundle::CppoForm),
            ("/offersx", Bundle::Public),
            ("/notifications", Bundle::Isv),
            ("/catalog", Bundle::Catalog),
            ("/catalogue", Bundle::Public),
        ] {
            assert_eq!(Bundle::of(path), bundle, "{path}");
        }
    }

    #[test]
    fn the_customer_signs_in_within_the_customers_bundle() {
        assert!(Bundle::Customer.has("/sign-in"));
        assert!(Bundle::Customer.has("/links/abc"));
        assert!(Bundle::Public.has("/sign-in"));
        assert!(!Bundle::Customer.has("/calculator"));
        assert!(!Bundle::Partner.has("/sign-in"));
    }

    #[test]
    fn each_bundle_but_the_public_one_has_a_directory_of_its_own() {
        let mut seen = Vec::new();
        for bundle in Bundle::ALL {
            match bundle.directory() {
                None => assert_eq!(bundle, Bundle::Public),
                Some(directory) => {
                    assert!(!seen.contains(&directory), "{directory} twice");
                    seen.push(directory);
                }
            }
        }
        assert_eq!(seen.len(), Bundle::ALL.len() - 1);
    }
}
