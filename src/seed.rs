//! A realistic synthetic history, for training and benchmarks: a shop's
//! mix of top-ups, eSIMs, gift cards and carrier-billing payments over the
//! days asked (ten years for the benchmarks), mostly delivered, some failed,
//! refunded or still open, for many customers and a few regulars. Every
//! order is marked training, so it never counts in a report; `live` (for
//! the benchmarks' journal, and only into an empty journal, so a shop's
//! real one never holds invented sales) records them as sales, with the
//! one in fifty a cashier rings up in training.
//!
//! The orders are written oldest first, as a shop writes them: the journal,
//! its indexes and its search index then grow at their end.
//!
//! Exactly the orders asked for are written, or the command fails: ids
//! carry their order's own day (`CPT-YYMMDD-…`, as a sale's would) and a
//! counter within that day, and ids already in the journal are stepped
//! over, so none collides. Like every bulk write, it leaves the journal
//! checkpointed (no write-ahead log the size of the journal beside it).

use crate::error::{Error, Result};
use crate::journal::{ImportReport, Journal, Order, OrderKind, OrderStatus};
use crate::types::{ProviderId, Tender};
use chrono::{Duration, SecondsFormat, Utc};
use rand::seq::SliceRandom;
use rand::Rng;
use std::collections::{HashMap, HashSet};

/// What a shop sells, with its share of the orders (out of 100).
const PRODUCTS: &[(ProviderId, OrderKind, &str, i64, i64, u32)] = &[
    (
        ProviderId::OrangeTravel,
        OrderKind::Topup,
        "Recharge Orange France 10 €",
        1000,
        792,
        20,
    ),
    (
        ProviderId::OrangeTravel,
        OrderKind::Topup,
        "Recharge Orange France 20 €",
        2000,
        1600,
        14,
    ),
    (
        ProviderId::OrangeTravel,
        OrderKind::Topup,
        "Recharge Welcome Travelers 15 €",
        1500,
        1250,
        10,
    ),
    (
        ProviderId::OrangeTravel,
        OrderKind::Esim,
        "Orange Holiday Europe 30 Go",
        3000,
        2750,
        14,
    ),
    (
        ProviderId::OrangeTravel,
        OrderKind::Esim,
        "Orange Holiday Zen 12 Go",
        1990,
        1790,
        9,
    ),
    (
        ProviderId::OrangeTravel,
        OrderKind::Esim,
        "Travel World 10 Go",
        3900,
        3400,
        6,
    ),
    (
        ProviderId::Amilon,
        OrderKind::Giftcard,
        "Carte cadeau Fnac 25 €",
        2500,
        2375,
        8,
    ),
    (
        ProviderId::Amilon,
        OrderKind::Giftcard,
        "Carte cadeau Amazon 50 €",
        5000,
        4800,
        6,
    ),
    (
        ProviderId::Amilon,
        OrderKind::Giftcard,
        "Carte cadeau Steam 20 €",
        2000,
        1940,
        5,
    ),
    (
        ProviderId::InternetPlus,
        OrderKind::Payment,
        "Recharge Internet+ 4,99 €",
        499,
        449,
        5,
    ),
    (
        ProviderId::InternetPlus,
        OrderKind::Subscription,
        "Abonnement mensuel 2 €",
        200,
        180,
        3,
    ),
];

const FIRST: &[&str] = &[
    "Marie", "Jean", "Pierre", "Sophie", "Luc", "Camille", "Nicolas", "Julie", "Thomas", "Emma", "Karim", "Fatima",
    "Yanis", "Léa", "Hugo", "Chloé", "Mohamed", "Inès", "Paul", "Sarah", "Antoine", "Manon", "Lucas", "Amina", "Louis",
    "Zoé", "Mehdi", "Clara", "Adam", "Lina", "Gabriel", "Jade", "Rayan", "Alice", "Noah", "Nour",
];
const LAST: &[&str] = &[
    "Dupont",
    "Martin",
    "Bernard",
    "Garcia",
    "Nguyen",
    "Haddad",
    "Rossi",
    "Kowalski",
    "Silva",
    "Müller",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefebvre",
    "Michel",
    "David",
    "Bertrand",
    "Roux",
    "Vincent",
    "Fournier",
    "Morel",
    "Girard",
    "André",
    "Mercier",
    "Blanc",
    "Guerin",
    "Boyer",
    "Garnier",
    "Chevalier",
    "Francois",
    "Legrand",
    "Gauthier",
    "Perrin",
    "Robin",
    "Clement",
    "Morin",
    "Nicolas",
    "Henry",
    "Roussel",
    "Mathieu",
    "Gautier",
    "Masson",
    "Marchand",
    "Duval",
    "Denis",
    "Dumont",
    "Marie",
    "Lemaire",
    "Noel",
    "Meyer",
    "Dufour",
    "Meunier",
    "Brun",
    "Blanchard",
    "Giraud",
    "Joly",
    "Riviere",
    "Lucas",
    "Brunet",
    "Gaillard",
    "Barbier",
    "Arnaud",
    "Martinez",
    "Gerard",
    "Roche",
    "Renard",
    "Schmitt",
    "Roy",
    "Leroux",
    "Colin",
    "Vidal",
    "Caron",
    "Picard",
    "Roger",
    "Fabre",
    "Aubert",
    "Lemoine",
    "Renaud",
    "Dumas",
    "Lacroix",
    "Olivier",
    "Philippe",
    "Bourgeois",
    "Pierre",
    "Benoit",
    "Rey",
    "Leclerc",
    "Payet",
    "Rolland",
    "Leclercq",
    "Guillaume",
    "Lecomte",
    "Lopez",
    "Jean",
    "Dupuy",
    "Guillot",
    "Hubert",
];

/// The few regulars who come back every week, with their own line.
const REGULARS: usize = 12;

/// Every 6 characters of an id's counter, in Crockford's base32 (as sales' ids).
fn base32(mut n: u64) -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let mut out = [b'0'; 6];
    for slot in out.iter_mut().rev() {
        *slot = ALPHABET[(n % 32) as usize];
        n /= 32;
    }
    String::from_utf8(out.to_vec()).expect("ASCII")
}

/// A customer: a name, and the line they top up.
fn customer(rng: &mut impl Rng, regulars: &[(String, String)]) -> (String, String) {
    if rng.gen_range(0..100) < 6 {
        return regulars.choose(rng).expect("regulars").clone();
    }
    let name = format!(
        "{} {}",
        FIRST.choose(rng).expect("names"),
        LAST.choose(rng).expect("names")
    );
    (name, format!("6{:08}", rng.gen_range(0..100_000_000)))
}

pub async fn seed(journal: &Journal, count: usize, days: i64, live: bool) -> Result<ImportReport> {
    if live && journal.has_orders().await? {
        return Err(Error::invalid(
            "seed.live_not_empty",
            "seed --live writes invented sales, so only into an empty journal: use a data folder of its own (COMPTOIR_DATA_DIR)",
        ));
    }
    let mut rng = rand::thread_rng();
    let now = Utc::now();
    let taken: HashSet<String> = journal.ids_like("CPT-%").await?.into_iter().collect();
    let mut next_in_day: HashMap<String, u64> = HashMap::new();
    let counter = crate::journal::id_counter();
    let regulars: Vec<(String, String)> = (0..REGULARS)
        .map(|i| {
            (
                format!("{} {}", FIRST[i % FIRST.len()], LAST[i * 7 % LAST.len()]),
                format!("6{:08}", 11_111_111 * (i as u64 % 9 + 1)),
            )
        })
        .collect();
    let weights: u32 = PRODUCTS.iter().map(|p| p.5).sum();
    let mut orders = Vec::with_capacity(count);
    for _ in 0..count {
        let mut pick = rng.gen_range(0..weights);
        let &(provider, kind, name, amount, cost, _) = PRODUCTS
            .iter()
            .find(|p| {
                if pick < p.5 {
                    true
                } else {
                    pick -= p.5;
                    false
                }
            })
            .expect("a product");
        let at = now - Duration::seconds(rng.gen_range(0..days.max(1) * 86_400));
        let status = match rng.gen_range(0..1000) {
            0..=929 => OrderStatus::Delivered,
            930..=969 => OrderStatus::Failed,
            970..=989 => OrderStatus::Refunded,
            990..=994 => OrderStatus::Cancelled,
            995..=997 => OrderStatus::Processing,
            _ => OrderStatus::Unknown,
        };
        let (who, phone) = customer(&mut rng, &regulars);
        let day = at.format("%y%m%d").to_string();
        let id = loop {
            let n = next_in_day.entry(day.clone()).or_insert(0);
            // A counter that shares seeds ids of its own, as its sales are.
            let id = match &counter {
                Some(c) => format!("CPT-{day}-{c}-{}", base32(*n)),
                None => format!("CPT-{day}-{}", base32(*n)),
            };
            *n += 1;
            if !taken.contains(&id) {
                break id;
            }
        };
        let stamp = at.to_rfc3339_opts(SecondsFormat::Millis, true);
        let is_esim = kind == OrderKind::Esim;
        orders.push(Order {
            id,
            provider,
            kind,
            status,
            provider_ref: (status != OrderStatus::Failed).then(|| uuid::Uuid::new_v4().to_string()),
            product_id: None,
            product_name: name.to_string(),
            quantity: 1,
            customer_ref: Some(who),
            phone: (kind == OrderKind::Topup || is_esim).then_some(phone),
            sim_id: None,
            iccid: is_esim.then(|| format!("893320{:013}", rng.gen_range(0..10_000_000_000_000u64))),
            amount_cents: amount,
            cost_cents: Some(cost),
            fees_cents: Some(amount - cost),
            currency: "EUR".into(),
            training: !live || rng.gen_range(0..50) == 0,
            details: serde_json::json!({"seeded": true}),
            created_at: stamp.clone(),
            updated_at: stamp,
            cashier: None,
        });
    }
    orders.sort_by(|a, b| a.created_at.cmp(&b.created_at));
    let report = journal.insert_orders(&orders, "synthetic history").await?;
    if report.imported != count {
        return Err(Error::internal(
            "seed.short",
            format!("{} of {count} synthetic orders were written", report.imported),
        ));
    }
    Ok(report)
}

/// What a seeded receipt's line sells: (kind, provider, product, name, unit cents).
const TILL_PRODUCTS: &[(&str, &str, &str, &str, i64)] = &[
    (
        "esim",
        "orange-travel",
        "07966928-d3a3-453e-9944-b7ff1081794d",
        "Orange Holiday Europe 30 Go",
        3000,
    ),
    (
        "topup",
        "orange-travel",
        "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
        "Recharge Orange France 10 €",
        1000,
    ),
    ("giftcard", "amilon", "FNAC_25_EUR", "Carte cadeau Fnac 25 €", 2500),
];

/// `comptoir seed --receipts N --days D`: N paid receipts spread over the
/// D days before today (09:00 to 19:00), one to three lines each, paid in
/// cash or by card, one in fifty with its last line given back; each
/// recorded in the register on its day, the days closing as they pass.
pub async fn receipts(journal: &Journal, counter: &str, count: usize, days: i64) -> Result<usize> {
    let mut rng = rand::thread_rng();
    let today = chrono::Local::now().date_naive();
    let per_day = count.div_ceil(days.max(1) as usize).max(1);
    let mut all = Vec::with_capacity(count);
    for i in 0..count {
        let day = today - chrono::Duration::days(days - (i / per_day) as i64);
        let minute = (i % per_day) * 600 / per_day;
        let at = day
            .and_hms_opt(9 + (minute / 60) as u32, (minute % 60) as u32, 0)
            .and_then(|t| t.and_local_timezone(chrono::Local).earliest())
            .ok_or_else(|| Error::internal("seed.time", "a seeded time does not exist here"))?;
        let seq = i as i64 + 1;
        let number = format!("{counter}-{seq:06}");
        let taxes = crate::till::Taxes::default();
        let lines: Vec<crate::journal::SoldLine> = (0..rng.gen_range(1..=3))
            .map(|n| {
                let (kind, provider, product, name, unit) = TILL_PRODUCTS[rng.gen_range(0..TILL_PRODUCTS.len())];
                crate::journal::SoldLine {
                    line: n + 1,
                    kind: kind.into(),
                    provider: provider.into(),
                    product: product.into(),
                    name: name.into(),
                    quantity: 1,
                    unit,
                }
            })
            .collect();
        let total: i64 = lines.iter().map(|l| l.unit * l.quantity).sum();
        let tender = if rng.gen_bool(0.5) { Tender::Cash } else { Tender::Card };
        let payments = [crate::journal::Payment {
            tender,
            amount_cents: total,
            given_cents: None,
            authorisation: None,
        }];
        let new = crate::journal::NewReceipt {
            counter,
            basket: &number,
            total_cents: total,
            change_cents: 0,
            currency: "EUR",
            payments: &payments,
            customer_ref: None,
            training: false,
            tax: &|p, k| taxes.of(p, k),
            siret: None,
        };
        let values = crate::journal::receipt_values(&number, None, &lines, &new);
        let refund = (i % 50 == 49).then(|| {
            let last = &values["lines"][lines.len() - 1];
            let amount = last["amount"].as_i64().unwrap_or(0);
            let refund = serde_json::json!({"receipt": number, "line": last["line"], "tender": tender.as_str(),
                "amount": amount, "tax": last["tax"], "rate": last["rate"], "reason": "seeded", "cashier": null});
            (
                refund,
                last["line"].as_i64().unwrap_or(1),
                tender.as_str().to_string(),
                amount,
            )
        });
        all.push(crate::journal::SeedReceipt {
            at,
            number,
            seq,
            total_cents: total,
            payments: vec![(tender.as_str().to_string(), total)],
            values,
            refund,
        });
    }
    journal.seed_receipts(counter, &all).await?;
    Ok(all.len())
}
