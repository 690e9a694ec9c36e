//! Orange Travel B2B: eSIMs and top-ups. `model` has the wire types with the
//! document's names, `client` talks to the API, `sim` simulates it.

pub mod client;
pub mod model;
pub mod sim;

pub use client::Client;

use crate::catalog::{to_cents, CatalogItem};
use crate::error::{Error, Result};
use crate::types::{Field, FieldRole, ProviderId};
use model::{Offer, Supplier};

/// Configuration fields, in the order of the CLI contract
/// (`shared/spec/cli.md`).
pub const FIELDS: &[Field] = &[
    Field::new(
        "url",
        "COMPTOIR_ORANGE_TRAVEL_URL",
        FieldRole::Url("https://api.orange.com/travel-b2b-sandbox/v1"),
    ),
    Field::new(
        "token_url",
        "COMPTOIR_ORANGE_TRAVEL_TOKEN_URL",
        FieldRole::Url("https://api.orange.com/oauth/v3/token"),
    ),
    Field::new("client_id", "COMPTOIR_ORANGE_TRAVEL_CLIENT_ID", FieldRole::Credential),
    Field::new(
        "client_secret",
        "COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET",
        FieldRole::Secret,
    ),
];

/// Offers as catalog items: price with the shop's fees, stock from the
/// bucket, unavailable (with the reason) when out of stock, when the product
/// is not available, or when its supplier's connector is down.
/// Country names come from the offer's Country objects (the OpenAPI), else
/// from `names` (Orange's `/countries`), else the code stands alone.
pub fn catalog_items(
    offers: &[Offer],
    suppliers: &[Supplier],
    names: &std::collections::HashMap<String, String>,
) -> Vec<(CatalogItem, serde_json::Value)> {
    offers
        .iter()
        .filter_map(|o| {
            // A price that cannot be computed exactly is never guessed.
            let price_cents = o.price_cents().filter(|p| *p > 0)?;
            let supplier = suppliers.iter().find(|s| s.id == o.product.supplier_id);
            let reason = if supplier.is_some_and(|s| !s.connector_status) {
                Some("supplier_outage")
            } else if o.product.status != "available" {
                Some("product_unavailable")
            } else if o.bucket <= 0 {
                Some("out_of_stock")
            } else {
                None
            };
            let meta = o.product.metadata.clone().unwrap_or_default();
            let is_esim = o.product.product_type.eq_ignore_ascii_case("esim");
            let item = CatalogItem {
                provider: ProviderId::OrangeTravel,
                id: o.id.clone(),
                item_type: if o.product.product_type.eq_ignore_ascii_case("esim") {
                    "esim"
                } else {
                    "topup"
                }
                .into(),
                name: o.name.clone(),
                price_cents,
                cost_cents: Some(to_cents(o.resell_value)),
                currency: o.product.reference_currency.clone().unwrap_or_else(|| "EUR".into()),
                stock: Some(o.bucket),
                available: reason.is_none(),
                unavailable_reason: reason.map(str::to_string),
                supplier: supplier.map(|s| s.name.clone()),
                countries: o.product.coverage_zone.iter().map(|c| c.iso_code.clone()).collect(),
                country_names: o
                    .product
                    .coverage_zone
                    .iter()
                    .filter_map(|c| c.name.clone().or_else(|| names.get(&c.iso_code).cloned()))
                    .collect(),
                data_gb: meta.data_amount.map(|d| gigabytes(d, meta.data_unit.as_deref())),
                validity_days: meta.validity_duration,
                // The offer's tags (the prose) and its product's (the OpenAPI).
                tags: o.tags.iter().chain(&o.product.tags).cloned().collect(),
                recipient: (!is_esim).then(|| recipient(&o.product.supplier_id).to_string()),
                logo: None,
                min_quantity: None,
                max_quantity: None,
                synced_at: String::new(),
            };
            Some((item, serde_json::to_value(o).unwrap_or_default()))
        })
        .collect()
}

/// Welcome Travelers top-ups are addressed by SIM id; Orange France and
/// Orange Spain ones by phone number (the document's two payloads).
fn recipient(supplier_id: &str) -> &'static str {
    if supplier_id == model::SUPPLIER_WELCOME {
        "sim_id"
    } else {
        "msisdn"
    }
}

fn gigabytes(amount: f64, unit: Option<&str>) -> f64 {
    match unit.map(str::to_ascii_lowercase).as_deref() {
        Some("mb") | Some("mo") => amount / 1024.0,
        _ => amount,
    }
}

/// A French or Spanish mobile number as the API wants it: the last 9 digits.
/// Accepts `+33 6 84 58 75 87`, `0033684587587`, `0684587587`, `684587587`
/// (and `+34` numbers); refuses anything else before a request is made.
pub fn normalize_msisdn(input: &str) -> Result<String> {
    let compact: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')'))
        .collect();
    let digits = compact.strip_prefix('+').map(|d| format!("00{d}")).unwrap_or(compact);
    let refuse = || {
        Error::invalid(
            "orange_travel.bad_msisdn",
            format!("`{input}` is not a French or Spanish mobile number (e.g. 06 84 58 75 87 or +34 612 345 678)"),
        )
        .with("value", input)
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refuse());
    }
    let national = if let Some(rest) = digits.strip_prefix("0033").or_else(|| digits.strip_prefix("0034")) {
        rest.to_string()
    } else if digits.len() == 10 && digits.starts_with('0') {
        digits[1..].to_string()
    } else {
        digits
    };
    if national.len() != 9 || national.starts_with('0') {
        return Err(refuse());
    }
    Ok(national)
}

/// A Welcome Travelers SIM id: digits only, as printed on the card (the
/// document's example has 13; ICCIDs have up to 22).
pub fn validate_sim_id(input: &str) -> Result<String> {
    let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
    if (8..=22).contains(&compact.len()) && compact.bytes().all(|b| b.is_ascii_digit()) {
        Ok(compact)
    } else {
        Err(Error::invalid(
            "orange_travel.bad_sim_id",
            format!("`{input}` is not a SIM id (8 to 22 digits)"),
        )
        .with("value", input))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msisdn_forms_the_document_implies() {
        for ok in [
            "+33 6 84 58 75 87",
            "0684587587",
            "684587587",
            "0033684587587",
            "06.84.58.75.87",
            "+34 612 345 678",
        ] {
            let n = normalize_msisdn(ok).unwrap_or_else(|e| panic!("{ok}: {e}"));
            assert_eq!(n.len(), 9, "{ok}");
        }
        assert_eq!(normalize_msisdn("+33 6 84 58 75 87").unwrap(), "684587587");
        assert_eq!(normalize_msisdn("+34 612 345 678").unwrap(), "612345678");
    }

    #[test]
    fn msisdn_refuses_the_rest() {
        for bad in [
            "",
            "06845875",
            "06845875870",
            "+1 555 123 4567",
            "06 84 58 75 8A",
            "0084587587",
            "tel:0684587587",
        ] {
            assert_eq!(
                normalize_msisdn(bad).unwrap_err().code,
                "orange_travel.bad_msisdn",
                "{bad}"
            );
        }
    }

    #[test]
    fn sim_ids_are_digits() {
        assert_eq!(validate_sim_id("1956 3928 41179").unwrap(), "1956392841179");
        assert!(validate_sim_id("12345").is_err());
        assert!(validate_sim_id("19563928411X9").is_err());
    }
}
