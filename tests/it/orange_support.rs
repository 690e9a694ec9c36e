//! Orange Travel's support and back-office endpoints through the CLI:
//! SIM status, usage balances (with the offline cache), global balances,
//! offer customisation, suppliers, the provider's own transaction list.

use crate::common::Shop;
use comptoir::providers::orange_travel::model::SIM_STATUSES;
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use std::collections::BTreeMap;

const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const ESIM_FR: &str = "07966928-d3a3-453e-9944-b7ff1081794d";

/// A token from the Orange simulator's token endpoint, as a client asks it.
async fn orange_token(http: &reqwest::Client, env: &BTreeMap<String, String>) -> serde_json::Value {
    http.post(&env["COMPTOIR_ORANGE_TRAVEL_TOKEN_URL"])
        .basic_auth(
            &env["COMPTOIR_ORANGE_TRAVEL_CLIENT_ID"],
            Some(&env["COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET"]),
        )
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn shop_with_sales() -> (Shop, SimHost, BTreeMap<String, String>, String, String) {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    shop.json(&env, &["keys", "generate"]);
    shop.json(&env, &["keys", "upload"]);
    let esim = shop.json(&env, &["sell", "esim", "--offer", ESIM_FR])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let topup = shop.json(&env, &["sell", "topup", "--offer", TOPUP_FR, "--msisdn", "0684587587"])["id"]
        .as_str()
        .unwrap()
        .to_string();
    (shop, host, env, esim, topup)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_sim_status_of_the_table_reaches_the_shop() {
    let (shop, host, env, esim, _) = shop_with_sales().await;
    let first = shop.json(&env, &["esim", "status", &esim]);
    assert_eq!(first["status"]["status"], "not installed");
    assert_eq!(first["from_cache"], false);
    let trx = shop.json(&env, &["order", "show", &esim])["order"]["provider_ref"]
        .as_str()
        .unwrap()
        .to_string();
    for status in SIM_STATUSES {
        host.state.orange_travel.set_sim_status(&trx, status);
        let got = shop.json(&env, &["esim", "status", &esim]);
        assert_eq!(got["status"]["status"], status);
        assert_ne!(got["meaning"], "status unknown to Comptoir", "{status} has a meaning");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn usage_by_order_or_sim_id_and_from_the_cache_when_offline() {
    let (shop, host, env, esim, topup) = shop_with_sales().await;
    let fresh = shop.json(&env, &["esim", "usage", &topup]);
    assert_eq!(fresh["from_cache"], false);
    assert_eq!(fresh["data"]["buckets"][0]["data_remaining"], 13.2);

    host.inject(Fault::on(
        "/usagebalances",
        FaultAction::Status {
            status: 503,
            body: None,
        },
    ));
    let cached = shop.json(&env, &["esim", "usage", &topup]);
    assert_eq!(cached["from_cache"], true);
    assert_eq!(
        cached["fetched_at"], fresh["fetched_at"],
        "the age of the data is shown"
    );
    host.faults().clear();
    // Said the shop's way: Go in French, GB in English, airtime in minutes.
    let text = |env: &BTreeMap<String, String>| {
        String::from_utf8_lossy(&shop.run(env, &["esim", "usage", &topup]).stdout).to_string()
    };
    let english = text(&env);
    assert!(english.contains("13.2\u{a0}GB data"), "{english}");
    assert!(
        english.contains("\u{a0}min airtime") && !english.contains("seconds"),
        "{english}"
    );
    let mut french = env.clone();
    french.insert("LANG".into(), "fr_FR.UTF-8".into());
    let said = text(&french);
    assert!(said.contains("13,2\u{a0}Go de données"), "{said}");
    assert!(
        said.contains("d'appels") && said.contains("jusqu'au") && said.contains("(au "),
        "{said}"
    );
    let status = String::from_utf8_lossy(&shop.run(&french, &["esim", "status", &esim]).stdout).to_string();
    assert!(
        status.contains(" : ") && !status.contains("the "),
        "the status's meaning in French: {status}"
    );

    let by_sim = shop.json(&env, &["esim", "usage", "--sim-id", "1956392841179"]);
    assert_eq!(by_sim["data"]["buckets"].as_array().unwrap().len(), 2);
    let e = shop.fails(&env, &["esim", "usage", "--sim-id", "12AB"], 2);
    assert_eq!(e["code"], "orange_travel.bad_sim_id");
    // Never fetched and unreachable: an honest error, not an empty answer.
    host.inject(Fault::on(
        "/usagebalances",
        FaultAction::Status {
            status: 503,
            body: None,
        },
    ));
    let e = shop.fails(&env, &["esim", "usage", "--sim-id", "1956392841100"], 4);
    assert_eq!(e["kind"], "unavailable");
}

#[tokio::test(flavor = "multi_thread")]
async fn global_balances_are_limited_to_six_months_before_asking() {
    let (shop, host, env, _, _) = shop_with_sales().await;
    let e = shop.fails(
        &env,
        &["balances", "global", "--from", "2026-01-01", "--to", "2026-07-15"],
        2,
    );
    assert_eq!(e["code"], "balances.bad_period");
    let e = shop.fails(
        &env,
        &["balances", "global", "--from", "2026-03-01", "--to", "2026-02-01"],
        2,
    );
    assert_eq!(e["code"], "balances.bad_period");
    assert_eq!(host.faults().count("GET", "/globalbalances"), 0, "nothing sent");

    let regions = shop.json(
        &env,
        &["balances", "global", "--from", "2026-01-01", "--to", "2026-06-30"],
    );
    assert_eq!(regions["zones"][0]["code"], "EU");
    let countries = shop.json(
        &env,
        &[
            "balances",
            "global",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--zone",
            "country",
        ],
    );
    assert_eq!(countries["zones"][0]["code"], "FR");
    let e = shop.fails(
        &env,
        &[
            "balances",
            "global",
            "--from",
            "2026-01-01",
            "--to",
            "2026-03-31",
            "--supplier",
            "Nope",
        ],
        2,
    );
    assert_eq!(e["code"], "balances.unknown_supplier");
}

#[tokio::test(flavor = "multi_thread")]
async fn offers_are_customized_and_the_counter_shows_it() {
    let (shop, _host, env, _, _) = shop_with_sales().await;
    let offer = shop.json(
        &env,
        &[
            "offers",
            "customize",
            TOPUP_FR,
            "--name",
            "Recharge 10 € boutique",
            "--fees",
            "10",
            "--fees-type",
            "percent",
        ],
    );
    assert_eq!(offer["name"], "Recharge 10 € boutique");
    assert_eq!(offer["distributor_fees_type"], "percent");
    let item = shop.json(&env, &["catalog", "--search", "boutique"]);
    assert_eq!(item[0]["id"], TOPUP_FR);
    assert_eq!(item[0]["price"], 8.8, "8 € + 10 %");
    let e = shop.fails(&env, &["offers", "customize", TOPUP_FR, "--fees=-1"], 2);
    assert_eq!(e["code"], "offers.bad_fees");
    let e = shop.fails(&env, &["offers", "customize", TOPUP_FR], 2);
    assert_eq!(e["code"], "offers.nothing_to_change");
}

#[tokio::test(flavor = "multi_thread")]
async fn suppliers_and_the_providers_own_transaction_list() {
    let (shop, _host, env, esim, topup) = shop_with_sales().await;
    let suppliers = shop.json(&env, &["suppliers"]);
    let spain = suppliers
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Orange Spain")
        .unwrap();
    assert_eq!(spain["connector_status"], false);
    assert!(spain["last_outage_date"].is_string());

    let all = shop.json(&env, &["transactions"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    let mine = shop.json(&env, &["transactions", "--user", &topup]);
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["user_id"], topup.as_str());
    assert_eq!(
        shop.json(&env, &["transactions", "--count", "--offer", ESIM_FR])["count"],
        1
    );
    assert_eq!(
        shop.json(&env, &["transactions", "--count", "--status", "ko"])["count"],
        0
    );
    // A supplier by its name, in any case, as by Orange's id; an unknown
    // one is refused with the names Orange knows.
    let by_name = shop.json(&env, &["transactions", "--supplier", "orange FRANCE"]);
    assert_eq!(by_name.as_array().unwrap().len(), 2, "{by_name}");
    let by_id = shop.json(
        &env,
        &["transactions", "--supplier", "7413e966-c97c-11ed-b80c-fa163e78aa28"],
    );
    assert_eq!(by_id, by_name);
    assert_eq!(
        shop.json(&env, &["transactions", "--count", "--supplier", "welcome travelers"])["count"],
        0
    );
    let e = shop.fails(&env, &["transactions", "--supplier", "Orange Mars"], 2);
    assert_eq!(e["code"], "transactions.unknown_supplier");
    assert!(e["message"].as_str().unwrap().contains("Welcome Travelers"), "{e}");

    let csv = shop.dir.path().join("trx.csv");
    shop.json(&env, &["transactions", "--csv", csv.to_str().unwrap()]);
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with("id;status;"));
    assert!(text.contains(&esim) && text.contains(&topup));
}

#[tokio::test(flavor = "multi_thread")]
async fn one_offer_and_one_transaction_as_orange_has_them() {
    let (shop, host, env, esim, _) = shop_with_sales().await;
    let offer = shop.json(&env, &["offers", "show", TOPUP_FR]);
    assert_eq!(offer["id"], TOPUP_FR);
    assert_eq!(
        offer["bucket"],
        host.state.orange_travel.bucket(TOPUP_FR).unwrap(),
        "live, not the cache"
    );
    let e = shop.fails(&env, &["offers", "show", "00000000-0000-4000-8000-000000000000"], 3);
    assert_eq!(e["code"], "orange_travel.not_found");
    let e = shop.fails(&env, &["offers", "show", "../keys"], 2);
    assert_eq!(e["code"], "orange_travel.bad_id", "ids cannot change the path");

    let trx = shop.json(&env, &["order", "show", &esim])["order"]["provider_ref"]
        .as_str()
        .unwrap()
        .to_string();
    let t = shop.json(&env, &["transaction", &trx]);
    assert_eq!(t["user_id"], esim.as_str());
    assert_eq!(t["product_type"], "eSim");
    assert!(
        t["parameters"]["activation_code"].as_str().unwrap().len() > 100,
        "still encrypted"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_simulator_answers_like_orange_to_a_bad_request() {
    let host = SimHost::start(0).await.unwrap();
    let env = host.env();
    let http = reqwest::Client::new();
    let token = orange_token(&http, &env).await;
    assert_eq!(token["expires_in"], 3600, "Orange's 60-minute tokens");
    let bearer = token["access_token"].as_str().unwrap().to_string();
    let offers = format!("{}/distributors/offers", env["COMPTOIR_ORANGE_TRAVEL_URL"]);

    let res = http.get(&offers).bearer_auth(&bearer).send().await.unwrap();
    assert_eq!(res.status(), 406, "no Accept header");
    let res = http
        .get(&offers)
        .bearer_auth(&bearer)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let res = http
        .get(&offers)
        .header("Accept", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 401);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], 42, "Orange's expired-credentials code");

    let trx = format!("{}/distributors/transactions", env["COMPTOIR_ORANGE_TRAVEL_URL"]);
    let res = http
        .post(&trx)
        .bearer_auth(&bearer)
        .header("Accept", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 400);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["code"], 25);
    assert_eq!(body["description"], "unable to decode json body");
    let res = http
        .post(&trx)
        .bearer_auth(&bearer)
        .header("Accept", "application/json")
        .json(&serde_json::json!({"offer_id": TOPUP_FR}))
        .send()
        .await
        .unwrap();
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(
        body["description"]
            .as_str()
            .unwrap()
            .starts_with("missing parameters parameter"),
        "{body}"
    );
}

/// Orange's two documented shapes: the OpenAPI's and the prose's examples.
/// Each is served in turn; the shop syncs, finds countries by name, uploads
/// its key and customizes an offer against both (the whole suite also runs
/// in the prose's shape: `COMPTOIR_SIM_ORANGE_SHAPE=prose`, in `make test`).
#[tokio::test(flavor = "multi_thread")]
async fn both_of_oranges_shapes_are_read_everywhere() {
    use comptoir::providers::orange_travel::sim::Shape;
    for shape in [Shape::OpenApi, Shape::Prose] {
        let host = SimHost::start(0).await.unwrap();
        host.state.orange_travel.set_shape(shape);
        let shop = Shop::new();
        let env = host.env();
        shop.json(&env, &["sync", "--provider", "orange-travel"]);
        let spain = shop.json(&env, &["catalog", "--type", "esim", "--search", "Spain"]);
        assert!(
            !spain.as_array().unwrap().is_empty(),
            "{shape:?}: country names from Country objects or /countries"
        );
        let tagged = shop.json(&env, &["catalog", "--search", "travel"]);
        assert!(!tagged.as_array().unwrap().is_empty(), "{shape:?}: tags read");
        shop.json(&env, &["keys", "generate"]);
        let status = shop.json(&env, &["keys", "upload"]);
        assert_eq!(status["ready"], true, "{shape:?}: {status}");
        let offer = shop.json(&env, &["offers", "customize", TOPUP_FR, "--name", "Recharge boutique"]);
        assert_eq!(offer["name"], "Recharge boutique", "{shape:?}");
        let one = shop.json(&env, &["offers", "show", TOPUP_FR]);
        assert_eq!(one["name"], "Recharge boutique", "{shape:?}: {one}");
        let sold = shop.json(&env, &["sell", "esim", "--offer", ESIM_FR]);
        assert_eq!(sold["status"], "delivered", "{shape:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_openapis_extra_endpoints_are_served() {
    let host = SimHost::start(0).await.unwrap();
    let env = host.env();
    let base = &env["COMPTOIR_ORANGE_TRAVEL_URL"];
    let http = reqwest::Client::new();
    let token = orange_token(&http, &env).await;
    let bearer = token["access_token"].as_str().unwrap();
    for (path, check) in [
        ("/live", "isAlive"),
        ("/countries", "iso_code"),
        ("/currencies", "euro_exchange_rate"),
    ] {
        let res = http
            .get(format!("{base}{path}"))
            .bearer_auth(bearer)
            .header("Accept", "application/json")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 200, "{path}");
        assert!(res.text().await.unwrap().contains(check), "{path}");
    }
}
