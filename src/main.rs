//! The public bundle: home, price calculator and sign-in.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::PublicApp);
}
