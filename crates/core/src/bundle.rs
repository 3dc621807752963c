//! The page is built as one bundle per audience, to keep each page load small; this is which
//! bundle has which path, for the page (to reload from the server when a link leaves its bundle)
//! and for the server (to answer a path with its bundle's `index.html`).

/// A part of the app built and loaded on its own (a Trunk build of its own binary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bundle {
    /// Home, price calculator and sign-in (`index.html`).
    Public,
    /// The customer's offer links, `/links/{token}` (`customer.html`).
    Customer,
    /// The selling partner's pages under `/partner/` (`partner.html`), but for CPPO.
    Partner,
    /// The selling partner's resale authorizations and CPPO buyer offers, `/partner/cppo/...`
    /// (`partner-cppo.html`).
    PartnerCppo,
    /// The ISV's offers dashboard, offer forms and notifications (`isv.html`).
    Isv,
}

impl Bundle {
    /// The bundle that has the page at `path`: the page reloads from the server for another
    /// bundle's path, and the server answers the path with this bundle's `index.html`.
    pub fn of(path: &str) -> Bundle {
        let under = |prefix: &str| {
            path.strip_prefix(prefix)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        };
        if under("/links") {
            Bundle::Customer
        } else if under("/partner/cppo") {
            Bundle::PartnerCppo
        } else if under("/partner") {
            Bundle::Partner
        } else if under("/offers") || under("/notifications") || under("/catalog") {
            Bundle::Isv
        } else {
            Bundle::Public
        }
    }

    /// The directory under the page's `bundles/` that holds this bundle, or `None` for the
    /// public one, built at the top of the page directory.
    pub fn directory(self) -> Option<&'static str> {
        match self {
            Bundle::Public => None,
            Bundle::Customer => Some("customer"),
            Bundle::Partner => Some("partner"),
            Bundle::PartnerCppo => Some("partner-cppo"),
            Bundle::Isv => Some("isv"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Bundle;

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
            ("/partner/offers/7", Bundle::Partner),
            ("/partner/cppo", Bundle::PartnerCppo),
            ("/partner/cppo/7/new", Bundle::PartnerCppo),
            ("/partner/cppox", Bundle::Partner),
            ("/partnership", Bundle::Public),
            ("/offers", Bundle::Isv),
            ("/offers/multiparty/new", Bundle::Isv),
            ("/offersx", Bundle::Public),
            ("/notifications", Bundle::Isv),
            ("/catalog", Bundle::Isv),
        ] {
            assert_eq!(Bundle::of(path), bundle, "{path}");
        }
    }
}
