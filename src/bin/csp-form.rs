//! The ISV's CSP margin offer form, `/offers/csp/...`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::CspFormApp);
}
