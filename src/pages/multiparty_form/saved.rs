//! Where the multiparty form's offer lives besides the screen: the server's answers, the
//! browser's localStorage while it is not saved, and the selling partner found by seller ID.

use offerdesk_core::multiparty::view::IsvView;
use offerdesk_core::multiparty::IsvPart;
use offerdesk_core::party::PartnerProfile;
use serde::Deserialize;

use crate::api;

/// The server's answer about one offer.
#[derive(Debug, Clone, Deserialize)]
pub(super) struct Answer {
    pub id: String,
    pub version: i64,
    /// The offer as the ISV sees it, kept raw until [`Answer::view`] reads it.
    #[serde(default)]
    pub offer: Option<Box<api::RawValue>>,
    #[serde(default)]
    pub allowed_actions: Vec<String>,
}

impl Answer {
    /// The offer as the ISV sees it.
    pub fn view(&self) -> Option<IsvView> {
        api::decode_raw(self.offer.as_deref()?)
    }
}

/// A partner of the directory, with the attributes that selection needs (read into core's
/// profile). Its fields are listed here rather than `flatten`ed from another struct: serde's
/// `flatten` would add a second, buffered deserializer to the page.
#[derive(Debug, Deserialize)]
struct DirectoryEntry {
    name: String,
    seller_id: String,
    tenant_id: String,
    #[serde(default)]
    aws_account_id: Option<String>,
    #[serde(default)]
    csp_member: bool,
    #[serde(default)]
    regions: Vec<String>,
    #[serde(default)]
    tax_profile_country: Option<offerdesk_core::party::TaxProfileCountry>,
}

#[derive(Debug, Deserialize)]
struct Directory {
    partners: Vec<DirectoryEntry>,
}

/// The partner with `seller_id` in the directory: its name and profile.
pub(super) async fn find_partner(seller_id: String) -> Option<(String, PartnerProfile)> {
    if seller_id.trim().is_empty() {
        return None;
    }
    let query = api::encode_query(seller_id.trim());
    let page: Directory = api::get(&format!("/api/v1/partners?query={query}&limit=100"))
        .await
        .ok()?;
    page.partners
        .into_iter()
        .find(|entry| entry.seller_id == seller_id.trim())
        .map(|p| {
            (
                p.name,
                PartnerProfile {
                    seller_id: p.seller_id,
                    tenant_id: p.tenant_id,
                    aws_account_id: p.aws_account_id,
                    csp_member: p.csp_member,
                    regions: p.regions,
                    tax_profile_country: p.tax_profile_country,
                    // Submit eligibility is the server's to check; selection needs neither.
                    us_resale_certificates_on_file: false,
                    uk_treaty_claim_expires_on: None,
                },
            )
        })
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Where the page keeps the typed offer while it is not saved (offline, or before a save).
fn local_key(offer_id: Option<&str>) -> String {
    format!("offerdesk.multiparty.{}", offer_id.unwrap_or("new"))
}

pub(super) fn keep_locally(offer_id: Option<&str>, part: &IsvPart) {
    if let (Some(storage), Ok(text)) = (local_storage(), serde_json::to_string(part)) {
        let _ = storage.set_item(&local_key(offer_id), &text);
    }
}

pub(super) fn kept_locally(offer_id: Option<&str>) -> Option<IsvPart> {
    let text = local_storage()?.get_item(&local_key(offer_id)).ok()??;
    serde_json::from_str(&text).ok()
}

pub(super) fn forget_locally(offer_id: Option<&str>) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(&local_key(offer_id));
        let _ = storage.remove_item(&local_key(None));
    }
}

/// A fresh idempotency key: 128 random bits as hex.
pub(super) fn new_key() -> String {
    let mut bytes = [0u8; 16];
    if let Some(crypto) = web_sys::window().and_then(|window| window.crypto().ok()) {
        let _ = crypto.get_random_values_with_u8_array(&mut bytes);
    }
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
