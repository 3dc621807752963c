//! What the multiparty form reads from the server besides the catalog: its answers about the
//! offer and the selling partner found by seller ID.

use offerdesk_core::multiparty::view::IsvFormView;
use offerdesk_core::party::{DirectoryPage, PartnerProfile};
use serde::Deserialize;

use crate::api;
use crate::components::draft_keeper::SavedDraft;

/// The server's answer about one offer.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Answer {
    pub id: String,
    pub version: i64,
    /// The offer as the ISV sees it, kept raw until [`Answer::view`] reads it.
    #[serde(default)]
    pub offer: Option<api::Raw>,
    #[serde(default)]
    pub allowed_actions: Vec<String>,
}

impl SavedDraft for Answer {
    fn id(&self) -> &str {
        &self.id
    }

    fn version(&self) -> i64 {
        self.version
    }
}

impl Answer {
    /// The offer as the ISV's form reads it.
    pub fn view(&self) -> Option<IsvFormView> {
        self.offer.as_ref()?.read()
    }
}

/// The partner with `seller_id` in the directory: its name and profile.
pub(super) async fn find_partner(seller_id: String) -> Option<(String, PartnerProfile)> {
    if seller_id.trim().is_empty() {
        return None;
    }
    let seller_id = api::encode_query(seller_id.trim());
    let page: DirectoryPage = api::get(&format!("/api/v1/partners?seller_id={seller_id}&limit=1"))
        .await
        .ok()?;
    page.partners
        .into_iter()
        .next()
        .map(|entry| (entry.name.clone(), entry.profile()))
}

/// A fresh idempotency key: 128 random bits as hex.
pub(super) fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
