//! The ISV's multiparty private offer form, `/offers/multiparty/...`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyFormApp);
}
