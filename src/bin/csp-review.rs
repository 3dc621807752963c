//! The CSP form's "Review and submit", `/offers/csp/{id}/review`.

fn main() {
    offerdesk_web::mount(offerdesk_web::app::CspReviewApp);
}
