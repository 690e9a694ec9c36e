//! A realistic synthetic history, for training and benchmarks: a shop's
//! mix of top-ups and eSIMs over the last days, mostly delivered, some
//! failed, refunded or still unknown. Every order is marked training, so it
//! never counts in a report.

use crate::error::Result;
use crate::journal::{new_order_id, ImportReport, Journal, Order, OrderKind, OrderStatus};
use crate::types::ProviderId;
use chrono::{Duration, SecondsFormat, Utc};
use rand::seq::SliceRandom;
use rand::Rng;

const PRODUCTS: &[(&str, OrderKind, i64, i64)] = &[
    ("Recharge Orange France 10 €", OrderKind::Topup, 1000, 792),
    ("Recharge Orange France 20 €", OrderKind::Topup, 2000, 1600),
    ("Recharge Welcome Travelers 15 €", OrderKind::Topup, 1500, 1250),
    ("Orange Holiday Europe 30 Go", OrderKind::Esim, 3000, 2750),
    ("Orange Holiday Zen 12 Go", OrderKind::Esim, 1990, 1790),
    ("Travel World 10 Go", OrderKind::Esim, 3900, 3400),
];
const NAMES: &[&str] = &[
    "Dupont", "Martin", "Bernard", "Garcia", "Nguyen", "Haddad", "Rossi", "Kowalski", "Silva", "Müller",
];

pub async fn seed(journal: &Journal, count: usize, days: i64) -> Result<ImportReport> {
    let mut rng = rand::thread_rng();
    let now = Utc::now();
    let mut orders = Vec::with_capacity(count);
    for _ in 0..count {
        let (name, kind, amount, cost) = *PRODUCTS.choose(&mut rng).expect("products");
        let at = now - Duration::seconds(rng.gen_range(0..days.max(1) * 86_400));
        let status = match rng.gen_range(0..100) {
            0..=90 => OrderStatus::Delivered,
            91..=95 => OrderStatus::Failed,
            96..=97 => OrderStatus::Refunded,
            _ => OrderStatus::Unknown,
        };
        let phone = format!("6{:08}", rng.gen_range(0..100_000_000));
        let stamp = at.to_rfc3339_opts(SecondsFormat::Millis, true);
        orders.push(Order {
            id: new_order_id(),
            provider: ProviderId::OrangeTravel,
            kind,
            status,
            provider_ref: (status != OrderStatus::Failed).then(|| uuid::Uuid::new_v4().to_string()),
            product_id: None,
            product_name: name.to_string(),
            quantity: 1,
            customer_ref: Some(NAMES.choose(&mut rng).expect("names").to_string()),
            phone: Some(phone),
            sim_id: None,
            iccid: (kind == OrderKind::Esim).then(|| format!("893320{:013}", rng.gen_range(0..10_000_000_000_000u64))),
            amount_cents: amount,
            cost_cents: Some(cost),
            fees_cents: Some(amount - cost),
            currency: "EUR".into(),
            training: true,
            details: serde_json::json!({"seeded": true}),
            created_at: stamp.clone(),
            updated_at: stamp,
        });
    }
    journal.insert_orders(&orders, "synthetic history").await
}
