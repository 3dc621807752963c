//! The multiparty form's "Product offers" of existing plans,
//! `/offers/multiparty/:id/products/existing-plans`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyExistingPlansApp);
}
