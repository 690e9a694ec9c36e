//! The shop's history: export and import between machines, malformed files,
//! the day report, synthetic history, revealing a past code.

use crate::common::Shop;
use comptoir::journal::{Journal, NewOrder, OrderKind, OrderStatus, StatusUpdate};
use comptoir::providers::ProviderId;
use serde_json::json;
use std::collections::BTreeMap;

fn env() -> BTreeMap<String, String> {
    BTreeMap::new()
}

async fn sale(j: &Journal, kind: OrderKind, amount: i64, cost: i64, status: OrderStatus, training: bool) -> String {
    let o = j
        .create_order(NewOrder {
            provider: ProviderId::OrangeTravel,
            kind,
            product_id: Some("offer".into()),
            product_name: "Recharge; \"10 €\", été".into(),
            quantity: 1,
            customer_ref: Some("Dupont".into()),
            phone: Some("684587587".into()),
            sim_id: None,
            amount_cents: amount,
            cost_cents: Some(cost),
            fees_cents: Some(amount - cost),
            currency: "EUR".into(),
            training,
            details: json!({}),
        })
        .await
        .unwrap();
    if status != OrderStatus::Pending {
        let path: &[OrderStatus] = match status {
            OrderStatus::Refunded => &[OrderStatus::Delivered, OrderStatus::Refunded],
            OrderStatus::Cancelled => &[OrderStatus::Delivered, OrderStatus::Cancelled],
            s => std::slice::from_ref(match s {
                OrderStatus::Delivered => &OrderStatus::Delivered,
                OrderStatus::Failed => &OrderStatus::Failed,
                OrderStatus::Unknown => &OrderStatus::Unknown,
                _ => &OrderStatus::Processing,
            }),
        };
        for s in path {
            j.set_status(
                &o.id,
                *s,
                StatusUpdate {
                    provider_ref: Some("TRX".into()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
    }
    o.id
}

async fn journal(shop: &Shop) -> Journal {
    Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn export_then_import_moves_the_history_intact() {
    let old = Shop::new();
    let j = journal(&old).await;
    for (kind, amount, status) in [
        (OrderKind::Topup, 1000, OrderStatus::Delivered),
        (OrderKind::Esim, 3000, OrderStatus::Refunded),
        (OrderKind::Topup, 2000, OrderStatus::Unknown),
    ] {
        sale(&j, kind, amount, amount * 8 / 10, status, false).await;
    }
    let csv = old.dir.path().join("history.csv");
    old.json(
        &env(),
        &["export", "orders", "--out", csv.to_str().unwrap(), "--delimiter", ";"],
    );

    let new = Shop::new();
    let r = new.json(&env(), &["import", "orders", csv.to_str().unwrap()]);
    assert_eq!(r, json!({"imported": 3, "skipped": 0}));
    let strip = |v: serde_json::Value| -> Vec<serde_json::Value> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|o| {
                let mut o = o.clone();
                o.as_object_mut().unwrap().remove("details");
                o
            })
            .collect()
    };
    assert_eq!(
        strip(new.json(&env(), &["orders"])),
        strip(old.json(&env(), &["orders"]))
    );
    let again = new.json(&env(), &["import", "orders", csv.to_str().unwrap()]);
    assert_eq!(
        again,
        json!({"imported": 0, "skipped": 3}),
        "importing twice is harmless"
    );
    let shown = new.json(
        &env(),
        &[
            "order",
            "show",
            old.json(&env(), &["orders"])[0]["id"].as_str().unwrap(),
        ],
    );
    assert_eq!(shown["events"][0]["event"], "imported");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_malformed_file_is_refused_with_its_line_and_nothing_is_imported() {
    let old = Shop::new();
    let j = journal(&old).await;
    sale(&j, OrderKind::Topup, 1000, 800, OrderStatus::Delivered, false).await;
    sale(&j, OrderKind::Topup, 2000, 1600, OrderStatus::Delivered, false).await;
    let csv = old.dir.path().join("history.csv");
    old.json(&env(), &["export", "orders", "--out", csv.to_str().unwrap()]);
    let good = std::fs::read_to_string(&csv).unwrap();

    let new = Shop::new();
    let cases = [
        (good.replacen("delivered", "shipped", 1), 2, "unknown order status"),
        (good.replacen(",20.00,", ",20.0.0,", 1), 2, "not an amount"),
        (good.replacen("id,created_at", "ident,created_at", 1), 1, "header"),
        (good.replacen(",EUR,", ",euro,", 1), 2, "currency"),
    ];
    for (i, (text, line, why)) in cases.iter().enumerate() {
        let path = new.dir.path().join(format!("bad{i}.csv"));
        std::fs::write(&path, text).unwrap();
        let e = new.fails(&env(), &["import", "orders", path.to_str().unwrap()], 2);
        assert_eq!(e["code"], "import.bad_line");
        assert!(e["message"].as_str().unwrap().contains(why), "{e}");
        if *line > 1 {
            assert!(e["params"]["line"].as_u64().unwrap() >= 2, "{e}");
        } else {
            assert_eq!(e["params"]["line"], 1);
        }
        assert_eq!(
            new.json(&env(), &["orders"]).as_array().unwrap().len(),
            0,
            "nothing imported"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_day_report_adds_up_and_leaves_training_out() {
    let shop = Shop::new();
    let j = journal(&shop).await;
    sale(&j, OrderKind::Topup, 1000, 792, OrderStatus::Delivered, false).await;
    sale(&j, OrderKind::Topup, 2000, 1600, OrderStatus::Delivered, false).await;
    sale(&j, OrderKind::Esim, 3000, 2750, OrderStatus::Delivered, false).await;
    sale(&j, OrderKind::Esim, 3900, 3400, OrderStatus::Refunded, false).await;
    sale(&j, OrderKind::Topup, 1000, 792, OrderStatus::Failed, false).await;
    let open = sale(&j, OrderKind::Topup, 1000, 792, OrderStatus::Unknown, false).await;
    sale(&j, OrderKind::Esim, 9900, 9000, OrderStatus::Delivered, true).await; // training

    let r = shop.json(&env(), &["report", "daily"]);
    assert_eq!(r["totals"][0]["sales"], 3);
    assert_eq!(r["totals"][0]["amount"], 60.0);
    assert_eq!(r["totals"][0]["cost"], 51.42);
    assert_eq!(r["totals"][0]["margin"], 8.58);
    assert_eq!(r["totals"][0]["refunds"], 1);
    assert_eq!(r["totals"][0]["refunded"], 39.0);
    assert_eq!(r["to_settle"], json!([open]));
    let esim = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "esim")
        .unwrap();
    assert_eq!(esim["sales"], 1);

    let csv = shop.dir.path().join("report.csv");
    shop.json(
        &env(),
        &["report", "daily", "--csv", csv.to_str().unwrap(), "--delimiter", ";"],
    );
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(
        text.lines()
            .last()
            .unwrap()
            .starts_with("total;;EUR;3;60,00;51,42;8,58;8,58;1;39,00;0"),
        "{text}"
    );
    let empty = shop.json(
        &env(),
        &["report", "daily", "--from", "2020-01-01", "--to", "2020-01-31"],
    );
    assert_eq!(empty["totals"], json!([]));
    let e = shop.fails(
        &env(),
        &["report", "daily", "--from", "2020-02-01", "--to", "2020-01-01"],
        2,
    );
    assert_eq!(e["code"], "report.bad_period");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_synthetic_history_is_training_and_searchable() {
    let shop = Shop::new();
    let r = shop.json(&env(), &["seed", "--orders", "2000", "--days", "60"]);
    assert_eq!(r["imported"], 2000);
    let some = shop.json(&env(), &["orders", "--search", "Dupont", "--limit", "5"]);
    assert_eq!(some.as_array().unwrap().len(), 5);
    assert!(some.as_array().unwrap().iter().all(|o| o["training"] == true));
    let r = shop.json(
        &env(),
        &["report", "daily", "--from", "2000-01-01", "--to", "2100-01-01"],
    );
    assert_eq!(r["totals"], json!([]), "training never counts");
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_are_listed_in_the_chosen_sort_offline() {
    let shop = Shop::new();
    let j = journal(&shop).await;
    for amount in [1500, 4000, 2500] {
        sale(&j, OrderKind::Topup, amount, 1000, OrderStatus::Delivered, false).await;
    }
    drop(j);
    let amounts = |sort: &str| -> Vec<f64> {
        let list = shop.json(&env(), &["orders", "--sort", sort]);
        list.as_array()
            .unwrap()
            .iter()
            .map(|o| o["amount"].as_f64().unwrap())
            .collect()
    };
    assert_eq!(amounts("highest"), [40.0, 25.0, 15.0]);
    assert_eq!(amounts("lowest"), [15.0, 25.0, 40.0]);
    assert_eq!(amounts("oldest"), [15.0, 40.0, 25.0]);
    assert_eq!(amounts("newest"), [25.0, 40.0, 15.0]);
    let out = shop.run(&env(), &["orders", "--sort", "price"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("newest, oldest, highest or lowest"));
}

#[test]
fn the_seed_writes_exactly_what_was_asked_dated_ids_every_kind_many_customers_checkpointed() {
    let shop = crate::common::Shop::new();
    let none = std::collections::BTreeMap::new();
    for _ in 0..2 {
        let r = shop.json(&none, &["seed", "--orders", "6000", "--days", "3650"]);
        assert_eq!(r["imported"], 6000, "{r}");
    }
    let all = shop.dir.path().join("all.csv");
    shop.json(&none, &["export", "orders", "--out", all.to_str().unwrap()]);
    let text = std::fs::read_to_string(&all).unwrap();
    let records: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    let rows: Vec<Vec<&str>> = records.iter().map(|r| r.iter().collect()).collect();
    assert_eq!(rows.len(), 12_000, "twice 6,000, none lost to a collision");
    let ids: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[0]).collect();
    assert_eq!(ids.len(), 12_000);
    for r in &rows {
        // CPT-YYMMDD-…: the order's own day (UTC, as created_at).
        let day = &r[1][2..10].replace('-', "");
        assert_eq!(&r[0][4..10], day, "{r:?}");
    }
    let kinds: std::collections::BTreeSet<&str> = rows.iter().map(|r| r[4]).collect();
    for k in ["topup", "esim", "giftcard", "payment"] {
        assert!(kinds.contains(k), "{kinds:?}");
    }
    let years: std::collections::BTreeSet<&str> = rows.iter().map(|r| &r[1][..4]).collect();
    assert!(years.len() >= 10, "ten years: {years:?}");
    let customers: std::collections::BTreeMap<&str, usize> = rows.iter().fold(Default::default(), |mut m, r| {
        *m.entry(r[14]).or_default() += 1;
        m
    });
    assert!(customers.len() > 1000, "many customers: {}", customers.len());
    assert!(customers.values().any(|n| *n > 40), "and a few regulars");
    let wal = shop.data_dir().join("journal.sqlite-wal");
    let wal_len = std::fs::metadata(&wal).map(|m| m.len()).unwrap_or(0);
    assert!(
        wal_len < 1024 * 1024,
        "checkpointed after the bulk write: the log is {wal_len} bytes"
    );
}

/// The benchmarks' journal: sales a report counts, a few in training, and
/// never into a journal that already holds orders (a shop's real one).
#[test]
fn a_live_seed_writes_sales_reports_count_and_only_into_an_empty_journal() {
    let shop = crate::common::Shop::new();
    let none = std::collections::BTreeMap::new();
    let r = shop.json(&none, &["seed", "--orders", "3000", "--days", "1", "--live"]);
    assert_eq!(r["imported"], 3000, "{r}");
    let orders = shop.json(&none, &["orders", "--limit", "10000"]);
    let live = orders
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["training"] == false)
        .count();
    assert!((2800..3000).contains(&live), "one in fifty in training: {live} live");
    let e = shop.fails(&none, &["seed", "--orders", "10", "--live"], 2);
    assert_eq!(e["code"], "seed.live_not_empty");
    let r = shop.json(&none, &["seed", "--orders", "10"]);
    assert_eq!(r["imported"], 10, "training orders may join any journal");
}
