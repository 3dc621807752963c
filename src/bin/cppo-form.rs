//! The ISV's CPPO resale authorization form, `/offers/cppo/...`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::CppoFormApp);
}
