//! The consulting partner's private offer to a buyer, `/partner/cppo/{id}/new`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::BuyerOfferApp);
}
