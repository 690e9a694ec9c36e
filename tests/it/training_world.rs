//! One training world across commands: what the simulated providers know
//! (stock, transactions, the shop's key, gift-card orders) is kept in the
//! data folder, so separate CLI commands in training behave like the
//! window; and while a long-lived process (`comptoir sim`, the window)
//! serves the simulators, the installation's CLI commands use those.

use crate::common::Shop;
use std::collections::BTreeMap;
use std::process::Child;

const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";

fn training() -> BTreeMap<String, String> {
    BTreeMap::new()
}

fn bucket(shop: &Shop) -> i64 {
    shop.json(&training(), &["offers", "show", TOPUP_FR])["bucket"]
        .as_i64()
        .unwrap()
}

fn sell_topup(shop: &Shop) -> String {
    let order = shop.json(
        &training(),
        &["sell", "topup", "--offer", TOPUP_FR, "--msisdn", "0612345678"],
    );
    assert_eq!(order["status"], "delivered", "{order}");
    order["id"].as_str().unwrap().to_string()
}

#[test]
fn separate_commands_in_training_live_in_one_world() {
    let shop = Shop::new();
    shop.json(&training(), &["sync"]);
    let before = bucket(&shop);
    let order = sell_topup(&shop);

    // Orange's own list, asked by another process, holds the sale, and the
    // offer's stock went down by one there.
    let list = shop.json(&training(), &["transactions"]);
    let users: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|t| t["user_id"].as_str())
        .collect();
    assert_eq!(users, [order.as_str()], "{list}");
    assert_eq!(bucket(&shop), before - 1);

    // The world is in the data folder, one file a simulated provider.
    let kept = shop.data_dir().join("training/orange-travel.json");
    let text = std::fs::read_to_string(&kept).unwrap();
    assert!(text.contains(&order), "the kept world names the order");
}

#[test]
fn the_uploaded_key_is_known_to_the_next_command() {
    let shop = Shop::new();
    shop.json(&training(), &["sync"]);
    shop.json(&training(), &["keys", "generate"]);
    let before = shop.json(&training(), &["keys", "status"]);
    assert_eq!(before["ready"], false, "{before}");
    shop.json(&training(), &["keys", "upload"]);
    // A new process, a new simulator: Orange still holds the shop's key.
    let after = shop.json(&training(), &["keys", "status"]);
    assert_eq!(after["ready"], true, "{after}");
    assert!(after["server"].is_string());
}

#[test]
fn an_unreadable_kept_world_starts_afresh() {
    let shop = Shop::new();
    std::fs::create_dir_all(shop.data_dir().join("training")).unwrap();
    std::fs::write(shop.data_dir().join("training/orange-travel.json"), "{not json").unwrap();
    let synced = shop.json(&training(), &["sync", "--provider", "orange-travel"]);
    assert!(synced[0]["items"].as_u64().unwrap() >= 5, "{synced}");
    sell_topup(&shop);
}

/// `comptoir sim` for the shop's installation, until dropped.
struct Served {
    child: Child,
    root: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn serve(shop: &Shop) -> Served {
    let (child, env) = shop.serve_sim();
    let url = &env["COMPTOIR_ORANGE_TRAVEL_URL"];
    let root = url
        .trim_end_matches(comptoir::providers::orange_travel::sim::BASE_PATH)
        .to_string();
    Served { child, root }
}

fn calls(root: &str, key: &str) -> u64 {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let calls: BTreeMap<String, u64> = rt.block_on(async {
        reqwest::get(format!("{root}/_sim/calls"))
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    });
    calls.get(key).copied().unwrap_or(0)
}

#[test]
fn commands_use_the_simulators_the_installation_already_serves() {
    let shop = Shop::new();
    let served = serve(&shop);
    let sales = "POST /orange-travel/v1/distributors/transactions";
    shop.json(&training(), &["sync"]);
    sell_topup(&shop);
    assert_eq!(
        calls(&served.root, sales),
        1,
        "the CLI sold through the served simulators, not its own"
    );
    sell_topup(&shop);
    assert_eq!(calls(&served.root, sales), 2);

    // Once that process is gone, commands serve their own again, in the
    // world it kept: both sales are still there.
    drop(served);
    let list = shop.json(&training(), &["transactions"]);
    assert_eq!(list.as_array().unwrap().len(), 2, "{list}");
}
