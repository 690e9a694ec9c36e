//! A sale killed (SIGKILL) at each step, then reconciled: every sale must
//! exist exactly once at the provider and once in the journal, with the
//! status the provider gives it. The simulator lives in this test process,
//! so it outlives the killed `comptoir`.

use crate::common::Shop;
use comptoir::journal::{Journal, OrderFilter, OrderStatus};
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use std::collections::BTreeMap;
use std::process::{Child, Stdio};
use std::time::{Duration, Instant};

const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const SELL: [&str; 6] = ["sell", "topup", "--offer", TOPUP_FR, "--msisdn", "0684587587"];

fn start_sale(shop: &Shop, env: &BTreeMap<String, String>) -> Child {
    shop.cli(env)
        .args(SELL)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

async fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < Duration::from_secs(20), "never happened: {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn orders(shop: &Shop) -> Vec<comptoir::journal::Order> {
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    journal.list(&OrderFilter::default()).await.unwrap()
}

fn kill(mut child: Child) {
    child.kill().unwrap(); // SIGKILL on Unix
    child.wait().unwrap();
}

async fn setup() -> (Shop, SimHost, BTreeMap<String, String>) {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    (shop, host, env)
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_before_the_provider_saw_it_the_sale_is_failed_and_can_be_made_again() {
    let (shop, host, env) = setup().await;
    // The sale will need a new token, and the token endpoint hangs.
    host.state.orange_travel.oauth.expire_all();
    host.inject(Fault::on("/oauth/v3/token", FaultAction::Delay { ms: 20_000 }));
    let before = host.faults().count("POST", "/oauth/v3/token");
    let child = start_sale(&shop, &env);
    wait_until("the token request", || {
        host.faults().count("POST", "/oauth/v3/token") == before + 1
    })
    .await;
    kill(child);

    let journal = orders(&shop).await;
    assert_eq!(journal.len(), 1);
    assert_eq!(
        journal[0].status,
        OrderStatus::Pending,
        "written before anything was sent"
    );
    host.faults().clear();
    let changes = shop.json(&env, &["reconcile"]);
    assert_eq!(changes[0]["to"], "failed", "the provider has no such sale");
    assert!(host.state.orange_travel.transactions().is_empty());

    shop.json(&env, &SELL);
    assert_eq!(host.state.orange_travel.transactions().len(), 1);
    assert_eq!(
        orders(&shop)
            .await
            .iter()
            .filter(|o| o.status == OrderStatus::Delivered)
            .count(),
        1
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_after_the_provider_sold_it_the_sale_is_recovered_not_repeated() {
    let (shop, host, env) = setup().await;
    host.inject(
        Fault::on(
            "/distributors/transactions",
            FaultAction::DelayAfterCommit { ms: 20_000 },
        )
        .method("POST"),
    );
    let child = start_sale(&shop, &env);
    wait_until("the sale at the provider", || {
        host.state.orange_travel.transactions().len() == 1
    })
    .await;
    kill(child);

    let journal = orders(&shop).await;
    assert_eq!(journal.len(), 1);
    assert_eq!(journal[0].status, OrderStatus::Pending);
    let changes = shop.json(&env, &["reconcile"]);
    assert_eq!(changes[0]["to"], "delivered");
    let trx = host.state.orange_travel.transactions();
    assert_eq!(trx.len(), 1, "recovered, never bought again");
    let order = &orders(&shop).await[0];
    assert_eq!(order.provider_ref.as_deref(), Some(trx[0].id.as_str()));
    assert_eq!(shop.json(&env, &["reconcile"]).as_array().unwrap().len(), 0);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sale_still_in_flight_in_another_process_is_left_alone() {
    let (shop, host, env) = setup().await;
    host.inject(Fault::on("/distributors/transactions", FaultAction::Delay { ms: 3_000 }).method("POST"));
    let child = start_sale(&shop, &env);
    wait_until("the sale request", || {
        host.faults().count("POST", "/distributors/transactions") == 1
    })
    .await;
    // Its writer is alive: reconciliation must not judge it.
    assert_eq!(shop.json(&env, &["reconcile"]).as_array().unwrap().len(), 0);
    assert_eq!(orders(&shop).await[0].status, OrderStatus::Pending);
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(orders(&shop).await[0].status, OrderStatus::Delivered);
    assert_eq!(host.state.orange_travel.transactions().len(), 1);
}
