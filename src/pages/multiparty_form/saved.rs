//! What the multiparty form reads from the server besides the catalog: its answers about the
//! offer and the selling partner found by seller ID.

use offerdesk_core::multiparty::view::IsvFormView;
use offerdesk_core::party::{DirectoryPartner, PartnerProfile};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use crate::api::{self, ApiError};
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

    /// Whether the ISV may still edit the offer (not once it is submitted).
    pub fn editable(&self) -> bool {
        self.allowed_actions.iter().any(|action| action == "edit")
    }
}

/// The partner with `seller_id` in the directory: its name and profile (`None`: no partner has
/// it).
pub(super) async fn find_partner(
    seller_id: String,
) -> Result<Option<(String, PartnerProfile)>, ApiError> {
    let entry = by_seller_id::<DirectoryPartner>(&seller_id).await?;
    Ok(entry.map(|entry| (entry.name.clone(), entry.profile())))
}

/// The directory's entry of the partner with `seller_id` (as typed), read as `T`
/// ([`api::directory_entry`]); `None` when none has it or nothing is typed.
pub(super) async fn by_seller_id<T: DeserializeOwned>(
    seller_id: &str,
) -> Result<Option<T>, ApiError> {
    let seller_id = seller_id.trim();
    if seller_id.is_empty() {
        return Ok(None);
    }
    api::directory_entry(&format!("seller_id={}", api::encode_query(seller_id))).await
}

/// A fresh idempotency key: 128 random bits as hex.
pub(super) fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
