//! The multiparty form's "Review and submit", `/offers/multiparty/:id/review`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::MultipartyReviewApp);
}
