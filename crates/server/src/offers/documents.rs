//! Files around a multiparty offer: terms and conditions PDFs (checked by content, 10 MiB at
//! most, each side uploads its own while its part is open) and the pricing sheet, a CSV of every
//! price in every market's currency through the exchange-rate table.

use axum::body::{Body, Bytes};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, LengthLimitError, Limited};
use offerdesk_core::money::{Currency, Money, PriceKind};
use offerdesk_core::multiparty::view::MultipartyView;
use offerdesk_core::multiparty::{MultipartyOffer, Side, TermsDocument};
use offerdesk_core::pricing::{self, ExchangeRate};
use offerdesk_core::FieldError;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::multiparty::{self, Party};
use super::{check_version, new_id, refused_because, today, unavailable, Computed};
use crate::auth::Caller;
use crate::error::AppError;
use crate::store::offers::{Change, ExchangeRate as StoredRate, FileChange, NewFile};
use crate::AppState;

/// The largest terms document accepted: 10 MiB (its own limit, not the JSON one).
pub const MAX_TERMS_BYTES: usize = 10 * 1024 * 1024;
const NO_FILE: AppError = AppError::NoSuch("terms document");

/// Whether `bytes` are a PDF: the `%PDF-` header and an `%%EOF` trailer near the end.
pub fn is_pdf(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    bytes.starts_with(b"%PDF-") && tail.windows(5).any(|window| window == b"%%EOF")
}

async fn read_pdf(headers: &HeaderMap, body: Body) -> Result<Bytes, AppError> {
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    if !content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .eq_ignore_ascii_case("application/pdf")
    {
        return Err(AppError::UnsupportedMediaType);
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    if declared.is_some_and(|length| length > MAX_TERMS_BYTES as u64) {
        return Err(AppError::UploadTooLarge(MAX_TERMS_BYTES));
    }
    let bytes = match Limited::new(body, MAX_TERMS_BYTES).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(error) if error.is::<LengthLimitError>() => {
            return Err(AppError::UploadTooLarge(MAX_TERMS_BYTES))
        }
        Err(error) => {
            return Err(AppError::MalformedJson(format!(
                "the file could not be read ({error})"
            )))
        }
    };
    if !is_pdf(&bytes) {
        return Err(AppError::Invalid(vec![FieldError::new(
            "file",
            "Terms and conditions must be a PDF file.",
        )]));
    }
    Ok(bytes)
}

/// The query of an upload: the version read and the customer-facing name.
#[derive(Debug, Deserialize)]
pub struct UploadQuery {
    /// The version of the offer read.
    pub version: i64,
    /// The unique name the customer sees.
    pub name: String,
}

/// `POST /multiparty-offers/{id}/terms?version=N&name=...` with an `application/pdf` body: the
/// ISV adds to its terms while the offer is a Draft, the partner to its own while the offer is
/// Pending partner action; the core checks the names and the count (5 in total).
pub async fn upload_terms(
    state: &AppState,
    caller: &Caller,
    id: &str,
    query: UploadQuery,
    headers: &HeaderMap,
    body: Body,
) -> Result<Computed, AppError> {
    let loaded = multiparty::load(state, id).await?;
    let party = multiparty::party_of(&loaded, caller)?;
    let today = today(state);
    let side = open_side(&loaded, &party, query.version, today, "added")?;
    let bytes = read_pdf(headers, body).await?;
    let file_id = new_id("pdf")?;
    let document = TermsDocument {
        customer_facing_name: query.name,
        file_id: file_id.clone(),
    };
    let mut offer = loaded.offer.clone();
    let checked = match side {
        Side::Isv => {
            offer.isv.terms.push(document);
            let partner = loaded.partner_profile.as_ref();
            offerdesk_core::multiparty::validate::validate_isv_part(
                &offer.isv,
                &loaded.catalog,
                partner,
                today,
            )
        }
        Side::Partner => {
            offer.partner.terms.push(document);
            offerdesk_core::multiparty::validate::validate_partner_part(&offer.partner, &offer.isv)
        }
    };
    // The rest of the part is checked when it is saved or submitted; here only its terms.
    let problems: Vec<FieldError> = checked
        .err()
        .unwrap_or_default()
        .into_iter()
        .filter(|problem| problem.field.starts_with("terms"))
        .collect();
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let change = Change {
        files: vec![FileChange::Store(NewFile {
            id: file_id,
            offer_id: offer.id.clone(),
            organization_id: caller.organization_id,
            content: bytes.to_vec(),
        })],
        ..Change::default()
    };
    let mut computed = multiparty::update(loaded, offer, &party, today, change)?;
    computed.status = StatusCode::CREATED;
    Ok(computed)
}

/// The caller's side of the offer when it may change its own terms now: the offer is visible
/// to it, read at `version`, and its part is open (the ISV's while a Draft, the partner's while
/// Pending partner action). `done` says what is done to terms ("added", "removed").
fn open_side(
    loaded: &multiparty::Loaded,
    party: &Party,
    version: i64,
    today: chrono::NaiveDate,
    done: &str,
) -> Result<Side, AppError> {
    multiparty::projection(loaded, party, today)?;
    check_version(version, loaded.row.version)?;
    let side = match party {
        Party::Isv => Side::Isv,
        Party::Partner(_) => Side::Partner,
        Party::Customer(_) => {
            return Err(AppError::Forbidden(
                "Only the ISV and the selling partner change terms documents.".into(),
            ))
        }
    };
    if loaded.offer.status.editable_by() != Some(side) {
        return Err(refused_because(
            format!(
                "Terms are {done} while your part of the offer is open; it is {}.",
                loaded.offer.status.label()
            ),
            multiparty::allowed_actions(loaded, party, today),
        ));
    }
    Ok(side)
}

/// The query of a removal: the version read.
#[derive(Debug, Deserialize)]
pub struct RemoveQuery {
    /// The version of the offer read.
    pub version: i64,
}

/// `DELETE /multiparty-offers/{id}/terms/{file_id}?version=N`: the ISV or the partner removes
/// one of its own terms documents while its part is open (never the other side's: that one is
/// not found). The offer stops listing it and its PDF is deleted in the same transaction (no
/// other offer shares it: see [`copy_terms`]).
pub async fn remove_terms(
    state: &AppState,
    caller: &Caller,
    id: &str,
    file_id: &str,
    query: RemoveQuery,
) -> Result<Computed, AppError> {
    let loaded = multiparty::load(state, id).await?;
    let party = multiparty::party_of(&loaded, caller)?;
    let today = today(state);
    let side = open_side(&loaded, &party, query.version, today, "removed")?;
    let mut offer = loaded.offer.clone();
    let terms = match side {
        Side::Isv => &mut offer.isv.terms,
        Side::Partner => &mut offer.partner.terms,
    };
    let before = terms.len();
    terms.retain(|document| document.file_id != file_id);
    if terms.len() == before {
        return Err(NO_FILE);
    }
    let change = Change {
        files: vec![FileChange::Remove {
            offer_id: offer.id.clone(),
            id: file_id.to_owned(),
        }],
        ..Change::default()
    };
    multiparty::update(loaded, offer, &party, today, change)
}

/// Gives each terms document of `offer`, a new offer made from the offer `from` (a clone, an
/// upgrade), its own copy of the PDF under a new ID, and answers the copies to store with it:
/// each PDF belongs to one offer, so deleting `from` or removing a document from either offer
/// leaves the other's intact.
pub fn copy_terms(from: &str, offer: &mut MultipartyOffer) -> Result<Vec<FileChange>, AppError> {
    let offer_id = offer.id.clone();
    let documents = offer
        .isv
        .terms
        .iter_mut()
        .chain(offer.partner.terms.iter_mut());
    documents
        .map(|document| {
            let id = new_id("pdf")?;
            Ok(FileChange::Copy {
                from_offer_id: from.to_owned(),
                from: std::mem::replace(&mut document.file_id, id.clone()),
                id,
                offer_id: offer_id.clone(),
            })
        })
        .collect()
}

/// The PDFs of the offer `offer_id` listed in `before` and no longer in `after` (a part saved
/// without them), to delete with the save.
pub fn dropped_terms(
    offer_id: &str,
    before: &[TermsDocument],
    after: &[TermsDocument],
) -> Vec<FileChange> {
    before
        .iter()
        .filter(|old| !after.iter().any(|new| new.file_id == old.file_id))
        .map(|old| FileChange::Remove {
            offer_id: offer_id.to_owned(),
            id: old.file_id.clone(),
        })
        .collect()
}

fn pdf_response(name: &str, bytes: Vec<u8>) -> Response {
    // The name is the party's own text: keep it to safe characters in the header.
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || " -_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{safe}.pdf\""))
        .unwrap_or(HeaderValue::from_static("attachment"));
    (
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/pdf"),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response()
}

/// `GET /multiparty-offers/{id}/terms/{file_id}`: a document the caller's projection shows
/// (the ISV never gets the partner's).
pub async fn download_terms(
    state: &AppState,
    caller: &Caller,
    id: &str,
    file_id: &str,
) -> Result<Response, AppError> {
    let loaded = multiparty::load(state, id).await?;
    let party = multiparty::party_of(&loaded, caller)?;
    multiparty::projection(&loaded, &party, today(state))?;
    let visible: Vec<&TermsDocument> = match party {
        Party::Isv => loaded.offer.isv.terms.iter().collect(),
        Party::Partner(_) | Party::Customer(_) => loaded
            .offer
            .isv
            .terms
            .iter()
            .chain(&loaded.offer.partner.terms)
            .collect(),
    };
    let document = visible
        .into_iter()
        .find(|document| document.file_id == file_id)
        .ok_or(NO_FILE)?;
    let bytes = state
        .store
        .terms_file(&loaded.row.id, file_id)
        .await
        .map_err(unavailable)?
        .ok_or(NO_FILE)?;
    Ok(pdf_response(&document.customer_facing_name, bytes))
}

/// `GET /links/{token}/terms/{index}`: the customer downloads a document by its place in the
/// link's `terms` list (the ISV's, then the partner's).
pub async fn link_terms(
    state: &AppState,
    loaded: &multiparty::Loaded,
    revoked: bool,
    index: usize,
) -> Result<Response, AppError> {
    multiparty::link_view(loaded, revoked, today(state))?;
    let document = loaded
        .offer
        .isv
        .terms
        .iter()
        .chain(&loaded.offer.partner.terms)
        .nth(index)
        .ok_or(NO_FILE)?;
    let bytes = state
        .store
        .terms_file(&loaded.row.id, &document.file_id)
        .await
        .map_err(unavailable)?
        .ok_or(NO_FILE)?;
    Ok(pdf_response(&document.customer_facing_name, bytes))
}

/// One row of the exchange-rate table as the API shows and takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RateBody {
    /// The market currency.
    pub currency: Currency,
    /// Units of it per USD.
    #[serde(with = "offerdesk_core::money::decimal_text")]
    pub rate: Decimal,
    /// The day the rate was taken.
    pub as_of: chrono::NaiveDate,
}

/// `GET /exchange-rates`.
pub async fn exchange_rates(state: &AppState) -> Result<Value, AppError> {
    let rates = state.store.exchange_rates().await.map_err(unavailable)?;
    let rates: Vec<RateBody> = rates
        .into_iter()
        .filter_map(|rate| {
            Some(RateBody {
                currency: serde_json::from_value(json!(rate.currency)).ok()?,
                rate: rate.rate,
                as_of: rate.as_of,
            })
        })
        .collect();
    Ok(json!({ "base": "USD", "rates": rates }))
}

/// `PUT /exchange-rates` (an ISV): replaces the rates of the currencies given.
pub async fn set_exchange_rates(
    state: &AppState,
    caller: &Caller,
    body: Value,
) -> Result<Value, AppError> {
    if !caller.organization_kind.is_isv() {
        return Err(AppError::Forbidden(
            "ISVs keep the exchange-rate table of their pricing sheets.".into(),
        ));
    }
    #[derive(Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Rates {
        rates: Vec<RateBody>,
    }
    let Rates { rates } = super::parse(body)?;
    let rows: Vec<_> = rates
        .iter()
        .map(|rate| (rate.currency, rate.rate, rate.as_of))
        .collect();
    pricing::exchange_rate_table(&rows).map_err(AppError::Invalid)?;
    let rows = rates
        .into_iter()
        .map(|rate| StoredRate {
            currency: rate.currency.code().to_owned(),
            rate: rate.rate,
            as_of: rate.as_of,
        })
        .collect();
    state
        .store
        .set_exchange_rates(rows)
        .await
        .map_err(unavailable)?;
    exchange_rates(state).await
}

/// An amount written with exactly `places` decimals, as a price sheet shows it.
fn fixed(amount: Decimal, places: u32) -> String {
    format!("{amount:.prec$}", prec = places as usize)
}

fn csv_field(text: &str) -> String {
    // Also defuses spreadsheet formulas: a cell never starts with = + - @.
    let text = match text.chars().next() {
        Some('=' | '+' | '-' | '@') => format!("'{text}"),
        _ => text.to_owned(),
    };
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text
    }
}

/// One price of the sheet, in USD: (product index, price point, list, partner, customer).
type SheetRow = (usize, String, Option<Money>, Money, Option<Money>);

/// `GET /multiparty-offers/{id}/pricing-sheet.csv`: every price the caller's projection shows,
/// in USD and in each market currency of the exchange-rate table. The ISV's sheet has list and
/// partner prices; the partner's adds its customer prices; customers get none.
pub async fn pricing_sheet(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Response, AppError> {
    let loaded = multiparty::load(state, id).await?;
    let party = multiparty::party_of(&loaded, caller)?;
    let today = today(state);
    let projection = multiparty::projection(&loaded, &party, today)?;
    let view: MultipartyView = serde_json::from_value(json!({
        "viewer": projection["viewer"],
        "offer": projection["offer"],
    }))
    .map_err(|error| AppError::Internal(format!("projection does not read back: {error}")))?;
    // (price point, kind, list, partner, customer)
    let kinds: std::collections::HashMap<String, PriceKind> =
        offerdesk_core::multiparty::partner_prices(&loaded.offer.isv, &loaded.catalog)
            .map_err(|error| AppError::Internal(format!("a stored offer does not price: {error}")))?
            .into_iter()
            .map(|item| {
                (
                    format!("{}:{}", item.product_index, item.price_point_id),
                    item.kind,
                )
            })
            .collect();
    let rows: Vec<SheetRow> = match view {
        MultipartyView::Isv(view) => view
            .prices
            .into_iter()
            .map(|row| {
                (
                    row.product_index,
                    row.price_point_id,
                    row.list_price,
                    row.partner_price,
                    None,
                )
            })
            .collect(),
        MultipartyView::Partner(view) => view
            .prices
            .into_iter()
            .map(|row| {
                (
                    row.product_index,
                    row.price_point_id,
                    row.list_price,
                    row.partner_price,
                    Some(row.customer_price),
                )
            })
            .collect(),
        MultipartyView::Customer(_) => return Err(AppError::NoSuch("pricing sheet")),
    };
    let mut rates = vec![StoredRate {
        currency: "USD".into(),
        rate: Decimal::ONE,
        as_of: today,
    }];
    rates.extend(state.store.exchange_rates().await.map_err(unavailable)?);
    let mut csv = String::from(
        "product_index,price_point_id,currency,exchange_rate,rate_date,list_price,partner_price",
    );
    let with_customer = rows.iter().any(|row| row.4.is_some());
    if with_customer {
        csv.push_str(",customer_price");
    }
    csv.push_str("\r\n");
    for (index, point, list, partner, customer) in &rows {
        let kind = kinds
            .get(&format!("{index}:{point}"))
            .copied()
            .unwrap_or(PriceKind::Flat);
        for rate in &rates {
            let currency: Currency =
                serde_json::from_value(json!(rate.currency)).unwrap_or(Currency::USD);
            let places = kind.unit_places(currency);
            let market_rate = ExchangeRate::new(rate.rate, rate.as_of).ok();
            let money = |amount: Money| {
                market_rate
                    .and_then(|market_rate| pricing::convert(amount, market_rate, places).ok())
                    .map(|value| fixed(value.amount(), places))
                    .unwrap_or_default()
            };
            let mut line = vec![
                index.to_string(),
                csv_field(point),
                rate.currency.clone(),
                rate.rate.to_string(),
                rate.as_of.to_string(),
                list.map(money).unwrap_or_default(),
                money(*partner),
            ];
            if with_customer {
                line.push(customer.map(money).unwrap_or_default());
            }
            csv.push_str(&line.join(","));
            csv.push_str("\r\n");
        }
    }
    Ok((
        StatusCode::OK,
        [
            (
                header::CONTENT_TYPE,
                HeaderValue::from_static("text/csv; charset=utf-8"),
            ),
            (
                header::CONTENT_DISPOSITION,
                HeaderValue::from_static("attachment; filename=\"pricing-sheet.csv\""),
            ),
        ],
        csv,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pdf_is_known_by_its_header_and_trailer() {
        assert!(is_pdf(b"%PDF-1.7\n1 0 obj\n%%EOF\n"));
        assert!(!is_pdf(b"%PDF-1.7\n1 0 obj\n"));
        assert!(!is_pdf(b"<html>%%EOF"));
        assert!(!is_pdf(b""));
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(csv_field("flat:one_month"), "flat:one_month");
    }
}
