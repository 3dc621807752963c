//! The multiparty form's "Product offers" of VM software reservations,
//! `/offers/multiparty/:id/products/vm-reservations`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyVmReservationsApp);
}
