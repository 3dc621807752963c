//! The multiparty form's "Product offers", `/offers/multiparty/:id/products`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyProductsApp);
}
