//! Orange Travel B2B: eSIMs and top-ups. `model` has the wire types with the
//! document's names, `client` talks to the API, `sim` simulates it.

pub mod client;
pub mod model;
pub mod sim;

pub use client::Client;

use crate::catalog::{to_cents, CatalogItem};
use crate::providers::ProviderId;
use model::{Offer, Supplier};

/// Offers as catalog items: price with the shop's fees, stock from the
/// bucket, unavailable (with the reason) when out of stock, when the product
/// is not available, or when its supplier's connector is down.
pub fn catalog_items(offers: &[Offer], suppliers: &[Supplier]) -> Vec<(CatalogItem, serde_json::Value)> {
    offers
        .iter()
        .map(|o| {
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
                price_cents: to_cents(o.price()),
                cost_cents: Some(to_cents(o.resell_value)),
                currency: o.product.reference_currency.clone().unwrap_or_else(|| "EUR".into()),
                stock: Some(o.bucket),
                available: reason.is_none(),
                unavailable_reason: reason.map(str::to_string),
                supplier: supplier.map(|s| s.name.clone()),
                countries: o.product.coverage_zone.clone(),
                data_gb: meta.data_amount.map(|d| gigabytes(d, meta.data_unit.as_deref())),
                validity_days: meta.validity_duration,
                tags: o
                    .tags
                    .iter()
                    .flat_map(|t| t.split(','))
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_string)
                    .collect(),
                synced_at: String::new(),
            };
            (item, serde_json::to_value(o).unwrap_or_default())
        })
        .collect()
}

fn gigabytes(amount: f64, unit: Option<&str>) -> f64 {
    match unit.map(str::to_ascii_lowercase).as_deref() {
        Some("mb") | Some("mo") => amount / 1024.0,
        _ => amount,
    }
}
