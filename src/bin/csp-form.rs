//! The ISV's CSP margin offer form, "Offer setup", `/offers/csp/{id}` (`new` before it is saved).

fn main() {
    offerdesk_web::mount(offerdesk_web::app::CspFormApp);
}
