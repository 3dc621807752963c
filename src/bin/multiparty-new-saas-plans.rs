//! The multiparty form's "Product offers" of new SaaS plans,
//! `/offers/multiparty/:id/products/new-saas-plans`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyNewSaasPlansApp);
}
