//! The selling partner's bundle: `/partner/...`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::PartnerApp);
}
