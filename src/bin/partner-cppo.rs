//! The selling partner's resale authorizations and CPPO buyer offers: `/partner/cppo/...`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::PartnerCppoApp);
}
