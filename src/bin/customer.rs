//! The customer's bundle: an offer opened from its link, `/links/{token}`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::CustomerApp);
}
