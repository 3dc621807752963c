//! The ISV's catalog, `/catalog`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::CatalogApp);
}
