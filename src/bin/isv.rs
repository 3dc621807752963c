//! The ISV's bundle: the offers dashboard and notifications.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::IsvApp);
}
