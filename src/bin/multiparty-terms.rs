//! The multiparty form's "Customer terms", `/offers/multiparty/:id/terms`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyTermsApp);
}
