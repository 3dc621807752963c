//! The consulting partner's resale authorizations and its offers to buyers: `/partner/cppo`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::PartnerCppoApp);
}
