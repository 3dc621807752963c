//! The selling partner's page of one multiparty offer: `/partner/offers/{id}`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::PartnerOfferApp);
}
