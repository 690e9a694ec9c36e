//! Several writers on one journal at once: separate `comptoir` processes
//! (two counters, or the window and a command) selling together. Each sale
//! must wait for the journal's lock, never fail on it.

use crate::common::Shop;
use std::collections::{BTreeMap, BTreeSet};

const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const SELLERS: usize = 8;

#[test]
fn eight_counters_selling_at_once_each_record_one_delivered_sale() {
    let shop = Shop::new();
    // One simulator for the installation, as the window serves it, so the
    // eight processes buy from one Orange.
    let _sim = Sim(shop.serve_sim().0);
    let training = BTreeMap::new();
    shop.json(&training, &["sync", "--provider", "orange-travel"]);

    let sellers: Vec<_> = (0..SELLERS)
        .map(|_| {
            shop.cli(&training)
                .args(["--json", "sell", "topup", "--offer", TOPUP_FR, "--msisdn", "0612345678"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("comptoir runs")
        })
        .collect();
    let mut sold = BTreeSet::new();
    for seller in sellers {
        let out = seller.wait_with_output().unwrap();
        assert!(
            out.status.success(),
            "a sale failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let order: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(order["status"], "delivered", "{order}");
        sold.insert(order["id"].as_str().unwrap().to_string());
    }
    assert_eq!(sold.len(), SELLERS, "one order per sale");

    // The journal holds each once, none left to settle.
    let orders = shop.json(&training, &["orders"]);
    let journal: Vec<(&str, &str)> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| (o["id"].as_str().unwrap(), o["status"].as_str().unwrap()))
        .collect();
    assert_eq!(journal.len(), SELLERS, "{orders}");
    assert!(journal
        .iter()
        .all(|(id, status)| sold.contains(*id) && *status == "delivered"));

    // And Orange made each top-up once.
    let list = shop.json(&training, &["transactions"]);
    let made: BTreeSet<String> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["user_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(made, sold, "{list}");
}

/// The simulator process, stopped even when an assertion fails.
struct Sim(std::process::Child);

impl Drop for Sim {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn twelve_config_sets_at_once_keep_twelve_keys_and_a_reader_never_sees_half_a_file() {
    let shop = Shop::new();
    let none = BTreeMap::new();
    shop.json(&none, &["config", "set", "shop.name", "Tabac du Centre"]);
    // Twelve settings Comptoir knows (unknown keys are refused).
    let keys = twelve_keys();
    let setters: Vec<_> = keys
        .iter()
        .map(|(key, value)| {
            shop.cli(&none)
                .args(["--json", "config", "set", key, value])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("comptoir runs")
        })
        .collect();
    // Meanwhile a reader reads the file over and over.
    let path = shop.data_dir().join("settings.json");
    let mut reads = 0;
    let mut outs = Vec::new();
    for s in setters {
        while let Ok(text) = std::fs::read_to_string(&path) {
            serde_json::from_str::<serde_json::Value>(&text).expect("a whole settings file");
            reads += 1;
            if reads % 50 == 0 {
                break;
            }
        }
        outs.push(s.wait_with_output().unwrap());
    }
    for out in &outs {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let all = shop.json(&none, &["config", "get"]);
    for (key, value) in &keys {
        assert_eq!(all[key.as_str()], value.as_str(), "{all}");
    }
    assert_eq!(all["shop.name"], "Tabac du Centre");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_unit_sold_from_two_counters_at_once_is_one_sale_and_one_clear_refusal() {
    let host = comptoir::registry::SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync", "--provider", "orange-travel"]);
    host.state.orange_travel.set_bucket(TOPUP_FR, 1);
    let counters: Vec<_> = (0..2)
        .map(|_| {
            shop.cli(&env)
                .args(["--json", "sell", "topup", "--offer", TOPUP_FR, "--msisdn", "0612345678"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("comptoir runs")
        })
        .collect();
    let outs: Vec<_> = counters.into_iter().map(|c| c.wait_with_output().unwrap()).collect();
    let sold: Vec<_> = outs.iter().filter(|o| o.status.success()).collect();
    let refused: Vec<_> = outs.iter().filter(|o| !o.status.success()).collect();
    assert_eq!((sold.len(), refused.len()), (1, 1), "one sale, one refusal");
    let e: serde_json::Value = serde_json::from_slice(&refused[0].stderr).unwrap();
    // Refused by Orange (its bucket empty) or before sending (the counter's
    // stock already at 0): either way, said in words, and nothing charged.
    let code = e["error"]["code"].as_str().unwrap();
    assert!(
        ["orange_travel.bucket_empty", "sale.unavailable"].contains(&code),
        "{e}"
    );
    assert!(!e["error"]["message"].as_str().unwrap().is_empty());
    assert_eq!(
        host.state
            .orange_travel
            .transactions()
            .iter()
            .filter(|t| t.status == "ok")
            .count(),
        1
    );
    let orders = shop.json(&env, &["orders"]);
    let statuses: BTreeSet<String> = orders
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["status"].as_str().unwrap().to_string())
        .collect();
    assert!(
        !statuses.contains("pending") && !statuses.contains("unknown"),
        "{statuses:?}"
    );
}

#[test]
fn four_commands_started_together_on_a_fresh_install_all_open_one_journal() {
    let shop = Shop::new();
    let none = BTreeMap::new();
    let started: Vec<_> = twelve_keys()
        .into_iter()
        .take(4)
        .map(|(key, value)| {
            shop.cli(&none)
                .args(["--json", "config", "set", &key, &value])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("comptoir runs")
        })
        .collect();
    for p in started {
        let out = p.wait_with_output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    assert!(shop.json(&none, &["orders"]).as_array().unwrap().is_empty());
}

/// Twelve settings a shop can set without leaving training, each a valid value.
fn twelve_keys() -> Vec<(String, String)> {
    let mut keys: Vec<(String, String)> = [
        "orange_travel.url",
        "orange_travel.token_url",
        "amilon.url",
        "amilon.token_url",
        "internet_plus.auth_url",
        "internet_plus.bytel_url",
        "internet_plus.orange_url",
        "anomalie_adresse.url",
        "anomalie_adresse.token_url",
    ]
    .iter()
    .enumerate()
    .map(|(i, k)| (k.to_string(), format!("https://example.com/{i}")))
    .collect();
    keys.push(("shop.address".into(), "1 place de la Gare".into()));
    keys.push(("printer.escpos".into(), "tcp://192.168.1.50:9100".into()));
    keys.push(("anomalie_adresse.code_oc".into(), "CPTR".into()));
    keys
}
