//! Amilon gift cards through the real `comptoir` binary against the Amilon
//! simulator: catalog sync and shop rules, sales and every documented error
//! (checked both at the provider — how many orders it holds — and in the
//! journal), waiting for vouchers, recovery after a crash, and vouchers kept
//! out of every file in clear.

use crate::common::{all_files, contains, Shop};
use comptoir::providers::amilon::sim::{Outcome, TWITCH_ID};
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use std::collections::BTreeMap;
use std::process::Stdio;
use std::time::{Duration, Instant};

const FNAC_25: &str = "FNAC_25_EUR";
const AMAZON_50: &str = "AMAZON_50_EUR";

async fn setup() -> (Shop, SimHost, BTreeMap<String, String>) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync", "--provider", "amilon"]);
    (shop, host, env)
}

fn sell<'a>(product: &'a str, quantity: &'a str) -> Vec<&'a str> {
    vec!["sell", "giftcard", "--product", product, "--quantity", quantity]
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalog_is_synced_per_culture_with_the_shops_rules() {
    let (shop, host, mut env) = setup().await;
    let items = shop.json(&env, &["catalog", "--type", "giftcard"]);
    let items = items.as_array().unwrap();
    assert!(items.len() > 20);
    let fnac = items.iter().find(|i| i["id"] == FNAC_25).unwrap();
    assert_eq!(fnac["provider"], "amilon");
    assert_eq!(fnac["name"], "Carte cadeau Fnac 25 €", "fr-FR by default");
    assert_eq!(
        (fnac["price"].as_f64(), fnac["cost"].as_f64()),
        (Some(25.0), Some(23.75))
    );
    assert_eq!(fnac["supplier"], "Fnac");
    assert_eq!(fnac["tags"][0], "retail");
    assert_eq!(fnac["max_quantity"], 20);
    let inactive = items.iter().find(|i| i["id"] == "DECATHLON_100_EUR").unwrap();
    assert_eq!(inactive["available"], false);

    // Logos are on disk for offline display, named in the catalog.
    let logo = fnac["logo"].as_str().expect("a cached logo");
    let png = std::fs::read(shop.data_dir().join("cache/amilon").join(logo)).unwrap();
    assert_eq!(&png[1..4], b"PNG");

    // Twitch hidden by the id the report's integrator uses; face values kept.
    let hidden = shop.json(&env, &["giftcards", "hide", TWITCH_ID]);
    assert!(hidden["items"].as_u64().unwrap() < items.len() as u64);
    assert_eq!(
        shop.json(&env, &["catalog", "--search", "twitch"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    let retailers = shop.json(&env, &["giftcards", "retailers"]);
    let twitch = retailers
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "Twitch")
        .unwrap();
    assert_eq!(twitch["hidden"], true);
    shop.json(&env, &["giftcards", "face-values", "25", "50"]);
    let kept = shop.json(&env, &["catalog", "--type", "giftcard"]);
    assert!(kept
        .as_array()
        .unwrap()
        .iter()
        .all(|i| [25.0, 50.0].contains(&i["price"].as_f64().unwrap())));
    // The rules hold through the next sync.
    shop.json(&env, &["sync", "--provider", "amilon"]);
    assert_eq!(
        shop.json(&env, &["catalog", "--search", "twitch"])
            .as_array()
            .unwrap()
            .len(),
        0
    );
    // Without values, the list is shown, never reset.
    let shown = shop.json(&env, &["giftcards", "face-values"]);
    assert_eq!(shown["face_values"], serde_json::json!([25.0, 50.0]), "{shown}");
    let ids = |v: &serde_json::Value| {
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&shop.json(&env, &["catalog", "--type", "giftcard"])), ids(&kept));
    // Hidden by name, any case; shown by id: the two undo each other.
    shop.json(&env, &["giftcards", "show", TWITCH_ID]);
    shop.json(&env, &["giftcards", "hide", "twitch"]);
    assert_eq!(shop.json(&env, &["giftcards", "retailers"]), retailers);
    shop.json(&env, &["giftcards", "show", TWITCH_ID]);
    // A retailer Amilon does not list is refused, not kept as a rule.
    let e = shop.fails(&env, &["giftcards", "hide", "NotARetailer"], 2);
    assert_eq!(e["code"], "amilon.unknown_retailer", "{e}");
    shop.json(&env, &["giftcards", "face-values", "--all"]);
    assert_eq!(
        shop.json(&env, &["catalog", "--search", "twitch"])
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // Another culture: names in Italian, from the same contract.
    env.insert("COMPTOIR_AMILON_CULTURE".into(), "it-IT".into());
    shop.json(&env, &["sync", "--provider", "amilon"]);
    let it = shop.json(&env, &["catalog", "--search", FNAC_25]);
    assert_eq!(it[0]["name"], "Buono regalo Fnac 25 €");
    assert_eq!(it[0]["countries"][0], "IT");
    // An undocumented culture is refused before anything is sent.
    env.insert("COMPTOIR_AMILON_CULTURE".into(), "xx-XX".into());
    let e = shop.fails(&env, &["sync", "--provider", "amilon"], 2);
    assert_eq!(e["code"], "amilon.bad_culture");
    drop(host);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sale_waits_for_its_vouchers_once_and_keeps_them_sealed() {
    let (shop, host, env) = setup().await;
    host.state.amilon.set_delivery_delay(Duration::from_secs(2));
    let budget = host.state.amilon.budget();
    let order = shop.json(
        &env,
        &[
            "sell",
            "giftcard",
            "--product",
            FNAC_25,
            "--quantity",
            "2",
            "--customer",
            "Martin",
        ],
    );
    assert_eq!(order["status"], "delivered", "the CLI waited for the vouchers");
    assert_eq!(order["amount"].as_f64(), Some(50.0));
    assert_eq!(order["cost"].as_f64(), Some(47.5));
    assert_eq!(order["quantity"], 2);
    assert_eq!(order["details"]["vouchers"], 2);
    let id = order["id"].as_str().unwrap();
    assert_eq!(
        host.state.amilon.orders(),
        vec![id.to_string()],
        "one order, our id as externalOrderId"
    );
    assert!((host.state.amilon.budget() - (budget - 47.5)).abs() < 1e-6);

    // Without --reveal nothing secret is shown; with it, every voucher.
    let plain = shop.json(&env, &["order", "show", id]);
    assert!(plain.get("secrets").is_none());
    let shown = shop.json(&env, &["order", "show", id, "--reveal"]);
    let vouchers = shown["secrets"]["vouchers"].as_array().unwrap();
    assert_eq!(vouchers.len(), 2);
    let codes = host.state.amilon.voucher_codes();
    assert_eq!(vouchers[0]["code"], codes[0].as_str());
    assert_eq!(
        vouchers[0]["pin"].as_str().unwrap().len(),
        4,
        "Fnac vouchers have a PIN"
    );
    assert!(
        vouchers[0]["instructions"].as_str().unwrap().contains("12 mois"),
        "the product's terms"
    );
    let events = shown["events"].as_array().unwrap();
    assert!(
        events.iter().any(|e| e["event"] == "reveal"),
        "the reveal is in the history"
    );

    // The QR of voucher 2 holds its code (Fnac vouchers have no link).
    let png = shop.dir.path().join("v2.png");
    shop.json(
        &env,
        &["order", "qr", id, "--item", "2", "--out", png.to_str().unwrap()],
    );
    let img = image::open(&png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let (_, content) = prepared.detect_grids()[0].decode().unwrap();
    assert_eq!(content, codes[1]);
    let e = shop.fails(
        &env,
        &["order", "qr", id, "--item", "3", "--out", png.to_str().unwrap()],
        2,
    );
    assert_eq!(e["code"], "giftcard.no_such_voucher");

    // Amazon vouchers carry a redemption link: the QR holds the link.
    let amazon = shop.json(&env, &sell(AMAZON_50, "1"));
    let svg = shop.dir.path().join("a.svg");
    shop.json(
        &env,
        &[
            "order",
            "qr",
            amazon["id"].as_str().unwrap(),
            "--out",
            svg.to_str().unwrap(),
        ],
    );
    assert!(
        std::fs::read_to_string(&svg).unwrap().starts_with("<?xml")
            || std::fs::read_to_string(&svg).unwrap().contains("<svg")
    );

    // No voucher code in clear in any file of the installation.
    for (path, bytes) in all_files(&shop.data_dir()) {
        for code in host.state.amilon.voucher_codes() {
            assert!(!contains(&bytes, &code), "voucher code in clear in {}", path.display());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_that_wait_are_refreshed_and_end_as_amilon_says() {
    let (shop, host, env) = setup().await;
    host.state.amilon.set_delivery_delay(Duration::from_secs(3));
    let mut args = sell(FNAC_25, "1");
    args.push("--no-wait");
    let order = shop.json(&env, &args);
    assert_eq!(order["status"], "processing", "Pending at Amilon, no vouchers yet");
    let id = order["id"].as_str().unwrap();
    assert_eq!(shop.json(&env, &["order", "refresh", id])["status"], "processing");
    let e = shop.fails(&env, &["order", "show", id, "--reveal"], 2);
    assert_eq!(e["code"], "giftcard.no_vouchers");
    let done = shop.json(&env, &["order", "refresh", id, "--wait"]);
    assert_eq!(done["status"], "delivered");
    assert_eq!(host.state.amilon.orders().len(), 1);

    host.state.amilon.set_delivery_delay(Duration::ZERO);
    host.state.amilon.set_next_outcome(Outcome::Failed);
    assert_eq!(shop.json(&env, &sell(FNAC_25, "1"))["status"], "failed");
    host.state.amilon.set_next_outcome(Outcome::Cancelled);
    assert_eq!(shop.json(&env, &sell(FNAC_25, "1"))["status"], "cancelled");
}

#[tokio::test(flavor = "multi_thread")]
async fn refusals_are_clear_and_nothing_is_sold_twice() {
    let (shop, host, env) = setup().await;
    let sim = &host.state.amilon;
    // Checked locally: nothing written, nothing sent.
    for (args, code) in [
        (sell(FNAC_25, "21"), "giftcard.bad_quantity"),
        (sell(FNAC_25, "0"), "giftcard.bad_quantity"),
        (sell("NOPE_10_EUR", "1"), "giftcard.unknown_product"),
        (sell("DECATHLON_100_EUR", "1"), "sale.unavailable"),
    ] {
        assert_eq!(shop.fails(&env, &args, 2)["code"], code, "{args:?}");
    }
    assert!(shop.json(&env, &["orders"]).as_array().unwrap().is_empty());
    assert!(sim.orders().is_empty());

    // Refused by Amilon: the order is failed with the reason, nothing spent.
    sim.set_budget(20.0);
    let e = shop.fails(&env, &sell(FNAC_25, "1"), 3);
    assert_eq!(e["code"], "amilon.insufficient_funds");
    assert!(e["message"].as_str().unwrap().contains("budget"));
    sim.set_budget(5000.0);
    sim.set_unavailable(AMAZON_50);
    assert_eq!(
        shop.fails(&env, &sell(AMAZON_50, "1"), 3)["code"],
        "amilon.product_unavailable"
    );
    let orders = shop.json(&env, &["orders", "--status", "failed"]);
    assert_eq!(orders.as_array().unwrap().len(), 2);
    assert!(sim.orders().is_empty());

    // A sale sends one request: the contract read within the hour is
    // trusted while it allows the sale (Amilon reads it "once at start-up").
    let contract_reads = || {
        host.faults()
            .count("GET", "/contracts/def116ef-7949-487f-801d-2b15b254ab89")
    };
    let reads = contract_reads();
    sim.set_contract("Inactive", "2999-12-31T23:59:59Z");
    // Amilon refuses what the copy allowed: failed, nothing spent...
    shop.fails(&env, &sell(FNAC_25, "1"), 3);
    assert_eq!(contract_reads(), reads, "the copy was trusted");
    assert!(sim.orders().is_empty());
    // ...and the next sale reads the contract again, and is refused before
    // anything is written.
    assert_eq!(
        shop.fails(&env, &sell(FNAC_25, "1"), 3)["code"],
        "amilon.contract_inactive"
    );
    assert_eq!(contract_reads(), reads + 1);
    // A copy that refuses is read again before refusing.
    sim.set_contract("Active", "2025-12-31T23:59:59Z");
    let e = shop.fails(&env, &sell(FNAC_25, "1"), 3);
    assert_eq!(e["code"], "amilon.contract_expired");
    assert_eq!(e["params"]["date"], "2025-12-31");
    assert_eq!(contract_reads(), reads + 2);
    sim.set_contract("Active", "2999-12-31T23:59:59Z");
    let contract = shop.json(&env, &["giftcards", "contract"]);
    assert_eq!(contract["data"]["max_order_amount"].as_f64(), Some(5000.0));
    assert_eq!(contract["data"]["allowed_countries"][1], "FR");
    assert_eq!(
        shop.json(&env, &["orders"]).as_array().unwrap().len(),
        3,
        "the one Amilon refused is failed"
    );

    // Amilon answers "Duplicate order" to an order it has: fetched, not failed.
    sim.answer_duplicate_once();
    let order = shop.json(&env, &sell(FNAC_25, "1"));
    assert_eq!(order["status"], "delivered");
    assert_eq!(sim.orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_duplicate_that_cannot_be_read_is_unknown_then_settled() {
    let (shop, host, env) = setup().await;
    // Amilon has the order and says "Duplicate order"; reading it then fails.
    host.state.amilon.answer_duplicate_once();
    host.inject(
        Fault::on(
            "/complete",
            FaultAction::Status {
                status: 503,
                body: None,
            },
        )
        .method("GET")
        .times(3),
    );
    let e = shop.fails(&env, &sell(FNAC_25, "1"), 5);
    assert_eq!(e["code"], "amilon.duplicate_unread");
    let open = shop.json(&env, &["orders", "--status", "unknown"]);
    assert_eq!(open.as_array().unwrap().len(), 1, "unknown, never failed");
    let changes = shop.json(&env, &["reconcile"]);
    assert_eq!(changes[0]["to"], "delivered");
    assert_eq!(host.state.amilon.orders().len(), 1, "ordered once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lost_answer_is_settled_by_asking_not_by_ordering_again() {
    let (shop, host, env) = setup().await;
    host.inject(
        Fault::on(
            "/Orders/create/def116ef-7949-487f-801d-2b15b254ab89",
            FaultAction::DropAfterCommit,
        )
        .times(1),
    );
    let e = shop.fails(&env, &sell(FNAC_25, "1"), 5);
    assert_eq!(e["code"], "provider.outcome_unknown");
    assert_eq!(
        shop.json(&env, &["orders", "--status", "unknown"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let changes = shop.json(&env, &["reconcile"]);
    assert_eq!(changes[0]["to"], "delivered");
    assert_eq!(host.state.amilon.orders().len(), 1, "recovered, never ordered again");

    // A 500 on the create: unknown too, then settled.
    host.inject(
        Fault::on(
            "/Orders/create/def116ef-7949-487f-801d-2b15b254ab89",
            FaultAction::Status {
                status: 500,
                body: None,
            },
        )
        .times(1),
    );
    assert_eq!(
        shop.fails(&env, &sell(FNAC_25, "1"), 5)["code"],
        "provider.outcome_unknown"
    );
    let changes = shop.json(&env, &["reconcile"]);
    assert_eq!(
        changes[0]["to"], "failed",
        "Amilon has no such order: it did not happen"
    );
    assert_eq!(host.state.amilon.orders().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_after_amilon_accepted_the_order_the_vouchers_are_recovered_without_a_second_order() {
    let (shop, host, env) = setup().await;
    host.inject(Fault::on(
        "/Orders/create/def116ef-7949-487f-801d-2b15b254ab89",
        FaultAction::DelayAfterCommit { ms: 20_000 },
    ));
    let mut child = shop
        .cli(&env)
        .args(sell(FNAC_25, "1"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    while host.state.amilon.orders().is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the order never reached Amilon"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    host.faults().clear();

    let pending = shop.json(&env, &["orders"]);
    assert_eq!(pending[0]["status"], "pending", "written before the request");
    let changes = shop.json(&env, &["reconcile"]);
    assert_eq!(changes[0]["to"], "delivered");
    assert_eq!(host.state.amilon.orders().len(), 1, "never ordered twice");
    let id = pending[0]["id"].as_str().unwrap();
    let shown = shop.json(&env, &["order", "show", id, "--reveal"]);
    assert_eq!(
        shown["secrets"]["vouchers"][0]["code"],
        host.state.amilon.voucher_codes()[0].as_str()
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_reused_across_processes_and_renewed_when_they_expire() {
    let (shop, host, mut env) = setup().await;
    let oauth = &host.state.amilon.oauth;
    assert_eq!(oauth.issued(), 1, "sync asked once for four endpoints");
    shop.json(&env, &sell(FNAC_25, "1"));
    assert_eq!(oauth.issued(), 1, "the next process reused it from the keyring");
    oauth.expire_all();
    shop.json(&env, &sell(FNAC_25, "1"));
    assert_eq!(oauth.issued(), 2, "an expired token is renewed once");
    // No token in any file.
    for (path, bytes) in all_files(&shop.data_dir()) {
        for t in oauth.tokens() {
            assert!(!contains(&bytes, &t), "token in {}", path.display());
        }
    }

    // The documented authentication errors, each with its own cause.
    env.insert("COMPTOIR_AMILON_PASSWORD".into(), "wrong password".into());
    let fresh = Shop::new();
    let e = fresh.fails(&env, &["sync", "--provider", "amilon"], 2);
    assert_eq!(
        (e["code"].as_str(), e["provider_code"].as_str()),
        (Some("auth.rejected"), Some("invalid_grant"))
    );
    env.insert("COMPTOIR_AMILON_CLIENT_SECRET".into(), "wrong".into());
    let e = fresh.fails(&env, &["sync", "--provider", "amilon"], 2);
    assert_eq!(e["provider_code"], "invalid_client");
    env.remove("COMPTOIR_AMILON_PASSWORD");
    let e = fresh.fails(&env, &["sync", "--provider", "amilon"], 2);
    assert_eq!(e["code"], "provider.partial_credentials");
    assert!(e["message"].as_str().unwrap().contains("COMPTOIR_AMILON_PASSWORD"));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_token_endpoint_answers_as_documented() {
    let host = SimHost::start(0).await.unwrap();
    let env = host.env();
    let url = &env["COMPTOIR_AMILON_TOKEN_URL"];
    let http = reqwest::Client::new();
    let form = |grant: &str| {
        vec![
            ("grant_type", grant.to_string()),
            ("client_id", env["COMPTOIR_AMILON_CLIENT_ID"].clone()),
            ("client_secret", env["COMPTOIR_AMILON_CLIENT_SECRET"].clone()),
            ("username", env["COMPTOIR_AMILON_USERNAME"].clone()),
            ("password", env["COMPTOIR_AMILON_PASSWORD"].clone()),
        ]
    };
    let ok: serde_json::Value = http
        .post(url)
        .form(&form("password"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ok["expires_in"], 300, "5-minute tokens");
    assert_eq!(ok["token_type"], "Bearer");
    let res = http.post(url).form(&form("client_credentials")).send().await.unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["error"], "unsupported_grant_type");
    // An API call without a token is refused.
    let api = format!("{}/retailers/categories", env["COMPTOIR_AMILON_URL"]);
    assert_eq!(http.get(&api).send().await.unwrap().status(), 401);
    let categories: serde_json::Value = http
        .get(&api)
        .bearer_auth(ok["access_token"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(categories[0]["CategoryName"], "e-commerce");
}

#[tokio::test(flavor = "multi_thread")]
async fn in_training_an_order_left_waiting_is_finished_by_the_next_command() {
    // No credentials: every command starts its own simulator, which is
    // given back the gift cards it had accepted.
    let shop = Shop::new();
    let env = BTreeMap::new();
    shop.json(&env, &["sync", "--provider", "amilon"]);
    let order = shop.json(&env, &["sell", "giftcard", "--product", FNAC_25, "--no-wait"]);
    assert_eq!(
        (order["status"].as_str(), order["training"].as_bool()),
        (Some("processing"), Some(true))
    );
    let id = order["id"].as_str().unwrap();
    let done = shop.json(&env, &["order", "refresh", id, "--wait"]);
    assert_eq!(done["status"], "delivered");
    let shown = shop.json(&env, &["order", "show", id, "--reveal"]);
    assert_eq!(shown["secrets"]["vouchers"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn reconcile_settles_what_it_can_and_names_the_orders_whose_provider_cannot_answer() {
    const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    // One gift card and one top-up whose answers were lost.
    host.inject(
        Fault::on(
            "/Orders/create/def116ef-7949-487f-801d-2b15b254ab89",
            FaultAction::DropAfterCommit,
        )
        .times(1),
    );
    let gift = shop.fails(&env, &sell(FNAC_25, "1"), 5);
    assert_eq!(gift["code"], "provider.outcome_unknown");
    host.inject(
        Fault::on("/distributors/transactions", FaultAction::DropAfterCommit)
            .method("POST")
            .times(1),
    );
    let topup = ["sell", "topup", "--offer", TOPUP_FR, "--msisdn", "0684587587"];
    assert_eq!(shop.fails(&env, &topup, 5)["code"], "provider.outcome_unknown");
    let unknown = |shop: &Shop| {
        shop.json(&env, &["orders", "--status", "unknown"])
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["provider"].as_str().unwrap().to_string(),
                    o["id"].as_str().unwrap().to_string(),
                )
            })
            .collect::<BTreeMap<_, _>>()
    };
    let before = unknown(&shop);
    assert_eq!(before.len(), 2);

    // Orange Travel is down: the gift card is settled all the same, the
    // top-up is named and left unknown, and the exit code says so.
    host.inject(
        Fault::on(
            "/distributors/transactions",
            FaultAction::Status {
                status: 503,
                body: None,
            },
        )
        .method("GET"),
    );
    let out = shop.run(&env, &["--json", "reconcile"]);
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let settled: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(settled[0]["order"], before["amilon"].as_str());
    assert_eq!(settled[0]["to"], "delivered");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let error: serde_json::Value = serde_json::from_str(stderr.lines().last().unwrap()).unwrap();
    assert_eq!(error["error"]["code"], "reconcile.incomplete");
    assert_eq!(error["error"]["params"]["orders"][0], before["orange-travel"].as_str());
    assert_eq!(unknown(&shop).keys().collect::<Vec<_>>(), ["orange-travel"]);

    // Back up: the next run settles it.
    host.faults().clear();
    let settled = shop.json(&env, &["reconcile"]);
    assert_eq!(settled[0]["order"], before["orange-travel"].as_str());
    assert!(unknown(&shop).is_empty());
    assert_eq!(host.state.amilon.orders().len(), 1, "never ordered again");
}
