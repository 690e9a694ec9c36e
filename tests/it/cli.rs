//! The `comptoir` binary against the simulators, as a shop would run it.

use crate::common::{all_files, contains, Shop};
use comptoir::journal::{Journal, NewOrder, OrderKind, OrderStatus, StatusUpdate};
use comptoir::providers::ProviderId;
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use serde_json::json;
use std::collections::BTreeMap;
use std::io::Read;
use std::process::Stdio;

fn no_env() -> BTreeMap<String, String> {
    BTreeMap::new()
}

#[test]
fn sim_command_prints_the_variables_and_serves_them() {
    let shop = Shop::new();
    let (mut child, env) = shop.serve_sim();
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(env["COMPTOIR_ORANGE_TRAVEL_URL"].starts_with("http://127.0.0.1:"));
    assert!(env["COMPTOIR_ORANGE_TRAVEL_URL"].ends_with("/orange-travel/v1"));
    assert!(env.contains_key("COMPTOIR_ORANGE_TRAVEL_TOKEN_URL"));
    assert!(env.contains_key("COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET"));

    // `--env`: lines a shell reads back as they were, quotes, `$` and `#`
    // in the training password included.
    use std::io::{BufRead, BufReader};
    let mut child = shop
        .cli(&BTreeMap::new())
        .args(["sim", "--env"])
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut lines = String::new();
    while lines.lines().count() < env.len() {
        assert!(reader.read_line(&mut lines).unwrap() > 0, "sim ended early: {lines}");
    }
    let file = shop.dir.path().join("sim.env");
    std::fs::write(&file, &lines).unwrap();
    for (name, value) in &env {
        let read = std::process::Command::new("bash")
            .arg("-c")
            .arg(format!(". '{}' && printf %s \"${name}\"", file.display()))
            .output()
            .unwrap();
        let read = String::from_utf8(read.stdout).unwrap();
        if name.ends_with("_URL") {
            // This simulator's own port.
            assert!(read.starts_with("http://127.0.0.1:"), "{name}: {read}");
        } else {
            assert_eq!(&read, value, "{name}");
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn training_mode_works_on_a_fresh_install() {
    let shop = Shop::new();
    let status = shop.json(&no_env(), &["status"]);
    assert_eq!(status["training"], true);
    assert_eq!(status["providers"][0]["mode"], "training");
    // A new user is told what to do first, not shown "(nothing)".
    let text = |args: &[&str]| String::from_utf8_lossy(&shop.run(&no_env(), args).stdout).to_string();
    assert!(
        text(&["status"]).contains("run `comptoir sync`"),
        "{}",
        text(&["status"])
    );
    assert!(
        text(&["catalog"]).contains("run `comptoir sync`"),
        "{}",
        text(&["catalog"])
    );

    let synced = shop.json(&no_env(), &["sync"]);
    assert_eq!(synced[0]["provider"], "orange-travel");
    assert!(synced[0]["items"].as_u64().unwrap() >= 5);
    assert!(!text(&["status"]).contains("run `comptoir sync`"));
    assert!(!text(&["catalog", "--search", "nothing-like-this"]).contains("comptoir sync"));

    // A training sale is left out of the report, which says so.
    shop.json(
        &no_env(),
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
        ],
    );
    let report = shop.json(&no_env(), &["report", "daily"]);
    assert_eq!(report["training_left_out"], 1, "{report}");
    assert!(text(&["report", "daily"]).contains("1 training order is not counted."));

    // The catalog is then read offline, from the cache.
    let items = shop.json(&no_env(), &["catalog", "--type", "esim"]);
    let items = items.as_array().unwrap();
    assert!(!items.is_empty());
    for i in items {
        for key in ["provider", "id", "name", "type", "price", "currency"] {
            assert!(i.get(key).is_some(), "{key} missing in {i}");
        }
        assert_eq!(i["type"], "esim");
    }
    let empty = items.iter().find(|i| i["stock"] == 0).expect("an offer out of stock");
    assert_eq!(empty["available"], false);
    assert_eq!(empty["unavailable_reason"], "out_of_stock");

    let spain = shop.json(&no_env(), &["catalog", "--search", "España"]);
    assert_eq!(spain[0]["unavailable_reason"], "supplier_outage");

    // The counter's filters, offline.
    let names = |args: &[&str]| {
        let mut all = vec!["catalog"];
        all.extend_from_slice(args);
        let v = shop.json(&no_env(), &all);
        v.as_array()
            .unwrap()
            .iter()
            .map(|i| i["name"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&["--country", "us"]),
        ["Travel World 10 Go", "Travel USA 5 Go"],
        "available first"
    );
    assert!(names(&["--country", "U"]).is_empty(), "whole country codes only");
    assert!(names(&["--supplier", "Welcome Travelers"])
        .iter()
        .all(|n| n.contains("Travel")));
    assert_eq!(
        names(&["--supplier", "welcome TRAVELERS"]),
        names(&["--supplier", "Welcome Travelers"]),
        "a supplier named in any case"
    );
    // Countries by their name in French or English, whatever the accents;
    // a provider's name without its accents.
    let europe = ["Orange Holiday Zen 12 Go", "Orange Holiday Europe 30 Go"];
    for word in ["Espagne", "espagne", "Spain"] {
        let found = names(&["--type", "esim", "--search", word]);
        assert_eq!(found, europe, "{word}");
    }
    for word in ["etats-unis", "États-Unis", "united states"] {
        assert_eq!(
            names(&["--type", "esim", "--search", word]),
            ["Travel World 10 Go", "Travel USA 5 Go"],
            "{word}"
        );
    }
    assert_eq!(names(&["--search", "espana"]), ["Recarga Orange España 15 €"]);

    // The text output: a header, then what a cashier compares, in the
    // shop's language.
    let table = |locale: &str| {
        shop.json(&no_env(), &["config", "set", "locale", locale]);
        text(&["catalog", "--type", "esim", "--search", "Europe"])
    };
    let fr = table("fr");
    let mut lines = fr.lines();
    let head = lines.next().unwrap();
    for word in ["Produit", "Prix", "Stock", "Données", "Validité", "Pays"] {
        assert!(head.contains(word), "{word}: {fr}");
    }
    let europe = lines.next().unwrap();
    for cell in [
        "Orange Holiday Europe 30 Go",
        "30,00\u{a0}€",
        "30\u{a0}Go",
        "14 j",
        "FR ES IT DE +3",
    ] {
        assert!(europe.contains(cell), "{cell}: {fr}");
    }
    let en = table("en");
    assert!(
        en.starts_with("Product") && en.contains("30\u{a0}GB") && en.contains("14 days"),
        "{en}"
    );
    shop.json(&no_env(), &["config", "unset", "locale"]);
    assert_eq!(names(&["--search", "royaume-uni"]), ["Orange Holiday Zen 12 Go"]);
    assert_eq!(
        names(&["--type", "esim", "--min-data", "20"]),
        ["Orange Holiday Europe 30 Go"]
    );
    assert!(names(&["--min-days", "30"])
        .iter()
        .all(|n| !n.contains("Zen") && !n.contains("Europe")));
}

/// Points the CLI at a simulator in this process, as real credentials would.
fn live_env(host: &SimHost) -> BTreeMap<String, String> {
    host.env()
}

#[tokio::test(flavor = "multi_thread")]
async fn tokens_are_reused_across_processes_and_renewed_once_on_401() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = live_env(&host);
    let oauth = &host.state.orange_travel.oauth;

    let status = shop.json(&env, &["status"]);
    assert_eq!(status["providers"][0]["mode"], "live");
    shop.json(&env, &["sync", "--provider", "orange-travel"]);
    shop.json(&env, &["sync", "--provider", "orange-travel"]);
    assert_eq!(oauth.issued(), 1, "the second process must reuse the first one's token");
    assert_eq!(host.faults().count("GET", "/distributors/offers"), 2);

    // The token expires at the provider: one 401, one new token, one retry.
    oauth.expire_all();
    shop.json(&env, &["sync", "--provider", "orange-travel"]);
    assert_eq!(oauth.issued(), 2);
    assert_eq!(host.faults().count("GET", "/distributors/offers"), 4);

    // A failure on the way, then: no secret and no token anywhere on disk
    // (settings, logs, the journal and its WAL).
    host.inject(Fault::on(
        "/oauth/v3/token",
        FaultAction::Status {
            status: 500,
            body: None,
        },
    ));
    oauth.expire_all();
    shop.fails(&env, &["sync"], 4);
    host.faults().clear();
    let mut needles = oauth.tokens();
    needles.push(comptoir::sim::CLIENT_SECRET.to_string());
    let files = all_files(&shop.data_dir());
    assert!(
        files.iter().any(|(p, _)| p.to_string_lossy().contains("logs")),
        "logs were written"
    );
    for (path, bytes) in files {
        for n in &needles {
            assert!(!contains(&bytes, n), "{n} found in {}", path.display());
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn provider_failures_exit_with_the_contract_codes_and_keep_the_cache() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = live_env(&host);
    shop.json(&env, &["sync"]);
    let before = shop.json(&env, &["catalog"]);

    // Persistent faults: a read is retried, so a one-off failure heals itself.
    let failing = |path: &str, action: FaultAction| {
        host.faults().clear();
        host.inject(Fault::on(path, action));
    };
    failing(
        "/distributors/offers",
        FaultAction::Status {
            status: 503,
            body: None,
        },
    );
    let e = shop.fails(&env, &["sync"], 4);
    assert_eq!(e["kind"], "unavailable");
    assert_eq!(e["code"], "orange_travel.unavailable");

    failing("/distributors/suppliers", FaultAction::MalformedJson);
    let e = shop.fails(&env, &["sync"], 4);
    assert_eq!(e["code"], "provider.bad_answer");

    failing(
        "/distributors/offers",
        FaultAction::ContentType {
            value: "text/html".into(),
        },
    );
    let e = shop.fails(&env, &["sync"], 4);
    assert_eq!(e["code"], "provider.bad_answer");

    failing("/distributors/offers", FaultAction::DropAfterCommit);
    let e = shop.fails(&env, &["sync"], 4);
    assert_eq!(e["kind"], "unavailable");
    host.faults().clear();

    assert_eq!(
        shop.json(&env, &["catalog"]),
        before,
        "a failed sync leaves the cache as it was"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn wrong_or_partial_credentials_are_configuration_errors() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let mut env = live_env(&host);
    env.insert(
        "COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET".into(),
        "not-the-secret p@ss".into(),
    );
    let e = shop.fails(&env, &["sync"], 2);
    assert_eq!(e["code"], "auth.rejected");
    assert!(!e.to_string().contains("not-the-secret"));

    env.remove("COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET");
    let e = shop.fails(&env, &["sync"], 2);
    assert_eq!(e["code"], "provider.partial_credentials");
    assert!(e["message"]
        .as_str()
        .unwrap()
        .contains("COMPTOIR_ORANGE_TRAVEL_CLIENT_SECRET"));
}

async fn seed(shop: &Shop) -> Vec<String> {
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let mut ids = Vec::new();
    for (name, phone, customer, training) in [
        ("Recharge Orange France 10 €", Some("684587587"), "Dupont", true),
        ("Orange Holiday Europe 30 Go", None, "Martin", false),
    ] {
        let o = journal
            .create_order(NewOrder {
                provider: ProviderId::OrangeTravel,
                kind: if phone.is_some() {
                    OrderKind::Topup
                } else {
                    OrderKind::Esim
                },
                product_id: Some("offer".into()),
                product_name: name.into(),
                quantity: 1,
                customer_ref: Some(customer.into()),
                phone: phone.map(str::to_string),
                sim_id: None,
                amount_cents: 1000,
                cost_cents: Some(792),
                fees_cents: Some(208),
                currency: "EUR".into(),
                training,
                details: json!({}),
            })
            .await
            .unwrap();
        ids.push(o.id);
    }
    journal
        .set_status(
            &ids[0],
            OrderStatus::Delivered,
            StatusUpdate {
                provider_ref: Some("TRX-42".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    ids
}

#[tokio::test(flavor = "multi_thread")]
async fn orders_show_and_export_read_the_journal_offline() {
    let shop = Shop::new();
    let ids = seed(&shop).await;
    let env = no_env();

    let all = shop.json(&env, &["orders"]);
    assert_eq!(all.as_array().unwrap().len(), 2);
    assert_eq!(all[0]["id"], ids[1].as_str(), "newest first");
    for key in [
        "id",
        "provider",
        "kind",
        "status",
        "provider_ref",
        "amount",
        "currency",
        "created_at",
        "training",
    ] {
        assert!(all[0].get(key).is_some(), "{key} missing");
    }

    let found = shop.json(&env, &["orders", "--search", "6845"]);
    assert_eq!(found.as_array().unwrap().len(), 1);
    assert_eq!(found[0]["provider_ref"], "TRX-42");
    let delivered = shop.json(&env, &["orders", "--status", "delivered"]);
    assert_eq!(delivered[0]["id"], ids[0].as_str());

    let shown = shop.json(&env, &["order", "show", &ids[0]]);
    assert_eq!(shown["order"]["status"], "delivered");
    assert_eq!(shown["events"].as_array().unwrap().len(), 2);

    let csv = shop.dir.path().join("out.csv");
    let res = shop.json(
        &env,
        &[
            "export",
            "orders",
            "--out",
            csv.to_str().unwrap(),
            "--delimiter",
            ";",
            "--search",
            "Martin",
        ],
    );
    assert_eq!(res["orders"], 1);
    let mut text = String::new();
    std::fs::File::open(&csv).unwrap().read_to_string(&mut text).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].starts_with("id;created_at;updated_at;provider;kind;status"));
    assert!(lines[1].contains("Orange Holiday Europe 30 Go"));

    let e = shop.fails(&env, &["order", "show", "CPT-000000-NOPE00"], 2);
    assert_eq!(e["code"], "order.not_found");
    let out = shop.run(&env, &["orders", "--status", "done"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn settings_and_secrets_go_where_they_belong() {
    let shop = Shop::new();
    let env = no_env();
    shop.json(&env, &["config", "set", "orange_travel.client_id", "shop-42"]);
    let e = shop.fails(&env, &["config", "set", "orange_travel.client_secret", "oops"], 2);
    assert_eq!(e["code"], "config.secret_in_settings");

    let mut child = shop
        .cli(&env)
        .args(["--json", "secret", "set", "orange_travel.client_secret"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"kernel-kept s3cret #&\n")
        .unwrap();
    assert!(child.wait().unwrap().success());

    // Both halves present: the provider leaves training mode.
    let status = shop.json(&env, &["status"]);
    assert_eq!(status["providers"][0]["mode"], "live");
    let settings = std::fs::read_to_string(shop.data_dir().join("settings.json")).unwrap();
    assert!(settings.contains("shop-42"));
    for (path, bytes) in all_files(shop.dir.path()) {
        assert!(
            !contains(&bytes, "kernel-kept s3cret"),
            "secret found in {}",
            path.display()
        );
    }
    // Half of the credentials: shown as an error that names what is missing.
    shop.json(&env, &["secret", "delete", "orange_travel.client_secret"]);
    let status = shop.json(&env, &["status"]);
    assert_eq!(status["providers"][0]["mode"], "error");
    assert_eq!(status["providers"][0]["error"]["code"], "provider.partial_credentials");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_simulator_faults_are_reachable_over_http() {
    // What a test driving a separate `comptoir sim` process uses.
    let host = SimHost::start(0).await.unwrap();
    let http = reqwest::Client::new();
    let root = host.root();
    let fault = json!({"path": "/orange-travel/oauth/v3/token", "nth": 1,
        "action": {"type": "delay", "ms": 300}});
    http.post(format!("{root}/_sim/faults"))
        .json(&fault)
        .send()
        .await
        .unwrap()
        .error_for_status()
        .unwrap();
    let started = std::time::Instant::now();
    let res = http
        .post(format!("{root}/orange-travel/oauth/v3/token"))
        .send()
        .await
        .unwrap();
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(300),
        "the delay was applied"
    );
    assert_eq!(res.status(), 400, "then the call is handled as usual (no grant_type)");

    let calls: BTreeMap<String, u64> = http
        .get(format!("{root}/_sim/calls"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(calls["POST /orange-travel/oauth/v3/token"], 1);
    let outage = json!({"path": "/oauth/v3/token", "action": {"type": "status", "status": 503}});
    http.post(format!("{root}/_sim/faults"))
        .json(&outage)
        .send()
        .await
        .unwrap();
    let token_status = || async {
        http.post(format!("{root}/orange-travel/oauth/v3/token"))
            .send()
            .await
            .unwrap()
            .status()
    };
    assert_eq!(token_status().await, 503);
    http.delete(format!("{root}/_sim/faults")).send().await.unwrap();
    assert_eq!(token_status().await, 400, "cleared");
}

#[tokio::test(flavor = "multi_thread")]
async fn reads_are_retried_with_backoff_and_429_waits_as_told() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = live_env(&host);
    host.inject(
        Fault::on(
            "/distributors/offers",
            FaultAction::Status {
                status: 503,
                body: None,
            },
        )
        .times(1),
    );
    shop.json(&env, &["sync"]);
    assert_eq!(
        host.faults().count("GET", "/distributors/offers"),
        2,
        "one failure, one retry"
    );

    host.inject(Fault::on(
        "/distributors/offers",
        FaultAction::Status {
            status: 503,
            body: None,
        },
    ));
    shop.fails(&env, &["sync"], 4);
    assert_eq!(
        host.faults().count("GET", "/distributors/offers"),
        2 + 3,
        "three tries, then a clear error"
    );
    host.faults().clear();

    let before = host.faults().count("GET", "/distributors/suppliers");
    host.inject(
        Fault::on(
            "/distributors/suppliers",
            FaultAction::Status {
                status: 429,
                body: None,
            },
        )
        .times(1),
    );
    shop.json(&env, &["sync"]);
    assert_eq!(
        host.faults().count("GET", "/distributors/suppliers"),
        before + 2,
        "429, then the retry"
    );
}

/// `date`'s reading of a moment in a time zone, as the counter shows it.
fn local(tz: &str, rfc3339: &str) -> String {
    let out = std::process::Command::new("date")
        .env("TZ", tz)
        .args(["-d", rfc3339, "+%d/%m/%Y %H:%M"])
        .output()
        .unwrap();
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_times_a_person_reads_are_in_the_computers_time_zone_and_json_keeps_rfc3339() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let mut env = live_env(&host);
    shop.json(&env, &["sync"]);
    let sold = shop.json(
        &env,
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
        ],
    );
    let id = sold["id"].as_str().unwrap().to_string();
    let at = sold["created_at"].as_str().unwrap().to_string();
    assert!(at.ends_with('Z'), "JSON keeps RFC 3339: {at}");
    // Two zones an hour or more apart from UTC: the text follows each.
    for tz in ["Europe/Paris", "America/Martinique"] {
        env.insert("TZ".into(), tz.into());
        let shown = local(tz, &at);
        let orders = shop.run(&env, &["orders"]);
        let text = String::from_utf8_lossy(&orders.stdout);
        assert!(text.contains(&format!("{id}  {shown}")), "{tz}: {text}");
        let show = shop.run(&env, &["order", "show", &id]);
        let text = String::from_utf8_lossy(&show.stdout);
        assert!(text.contains(&shown), "{tz}: {text}");
        let status = shop.run(&env, &["status"]);
        let text = String::from_utf8_lossy(&status.stdout);
        assert!(
            !text.contains("Z\n") && !text.contains("T0") && !text.contains("T1"),
            "{tz}: {text}"
        );
    }
    assert_eq!(shop.json(&env, &["orders"])[0]["created_at"], at.as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_fresh_installation_speaks_the_systems_language_until_the_shop_chooses() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let mut env = live_env(&host);
    shop.json(&env, &["sync"]);
    shop.json(
        &env,
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
        ],
    );
    let orders =
        |env: &BTreeMap<String, String>| String::from_utf8_lossy(&shop.run(env, &["orders"]).stdout).to_string();
    env.insert("LANG".into(), "fr_FR.UTF-8".into());
    assert!(orders(&env).contains("10,00\u{a0}€"), "{}", orders(&env));
    // LC_ALL comes first, as POSIX says.
    env.insert("LC_ALL".into(), "en_GB.UTF-8".into());
    assert!(!orders(&env).contains("10,00\u{a0}€"), "{}", orders(&env));
    env.remove("LC_ALL");
    // The shop's choice wins over the system's.
    shop.json(&env, &["config", "set", "locale", "en"]);
    assert!(!orders(&env).contains("10,00\u{a0}€"), "{}", orders(&env));
    shop.json(&env, &["config", "unset", "locale"]);
    assert!(orders(&env).contains("10,00\u{a0}€"));
}

#[tokio::test(flavor = "multi_thread")]
async fn order_show_prints_what_support_asks_and_transaction_takes_our_order_id() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = live_env(&host);
    shop.json(&env, &["sync"]);
    let sold = shop.json(
        &env,
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
            "--customer",
            "Martin",
        ],
    );
    let id = sold["id"].as_str().unwrap();
    let trx = sold["provider_ref"].as_str().expect("Orange's transaction id");
    let text = String::from_utf8_lossy(&shop.run(&env, &["order", "show", id]).stdout).to_string();
    for said in [
        "Customer: Martin",
        "Phone: 06 84 58 75 87",
        &format!("Provider reference: {trx}"),
        "Delivered",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    // A French shop reads French in the terminal: the window's words and
    // statuses, its errors; --json stays as it is.
    shop.json(&env, &["config", "set", "locale", "fr"]);
    let text = String::from_utf8_lossy(&shop.run(&env, &["order", "show", id]).stdout).to_string();
    for said in [
        "Client : Martin",
        "Téléphone : 06 84 58 75 87",
        &format!("Référence fournisseur : {trx}"),
        "Livrée",
    ] {
        assert!(text.contains(said), "{said}: {text}");
    }
    assert!(!text.contains("Delivered") && !text.contains("customer"), "{text}");
    assert_eq!(shop.json(&env, &["order", "show", id])["order"]["status"], "delivered");
    let failed = shop.run(&env, &["order", "show", "CPT-000000-NOPE00"]);
    assert_eq!(failed.status.code(), Some(2));
    let said = String::from_utf8_lossy(&failed.stderr);
    assert!(
        said.starts_with("erreur : Commande CPT-000000-NOPE00 introuvable"),
        "{said}"
    );
    let report = String::from_utf8_lossy(&shop.run(&env, &["report", "daily"]).stdout).to_string();
    assert!(report.starts_with("Du ") && report.contains(" au "), "{report}");
    for word in [
        "1 vente ",
        "Marge",
        "Encaissé Carte bancaire",
        "rendu",
        "orange-travel Recharge",
    ] {
        assert!(report.contains(word), "{word}: {report}");
    }
    assert!(!report.contains("1 Ventes") && !report.contains("topup"), "{report}");
    assert!(!report.contains("sales") && !report.contains("taken"), "{report}");
    shop.json(&env, &["config", "set", "locale", "en"]);
    // Orange's transaction, by Orange's id or by ours.
    let by_theirs = shop.json(&env, &["transaction", trx]);
    let by_ours = shop.json(&env, &["transaction", id]);
    assert_eq!(by_ours, by_theirs);
    let e = shop.fails(&env, &["transaction", "CPT-000000-NOPE00"], 2);
    assert_eq!(e["code"], "order.not_found", "{e}");
}

/// A French shop reads French at the till, in the register, the gift cards'
/// settings and its status: the same words as the window, none in English.
#[tokio::test(flavor = "multi_thread")]
async fn the_till_the_register_and_the_settings_speak_the_shops_language() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = live_env(&host);
    shop.json(&env, &["sync"]);
    shop.json(&env, &["config", "set", "locale", "fr"]);
    let text = |args: &[&str]| {
        let out = shop.run(&env, args);
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let mut all = String::new();
    let mut said = |args: &[&str], words: &[&str]| {
        let t = text(args);
        for w in words {
            assert!(t.contains(w), "{args:?} should say {w:?}: {t}");
        }
        all.push_str(&t);
    };
    // The till's and the cashiers' refusals, in French too (their sentences
    // are the window's, from the one table).
    for (args, sentence) in [
        (
            &["shift", "close", "--counted", "0"][..],
            "erreur : La caisse n'est pas ouverte : ouvrez-la avec le fond de caisse compté.",
        ),
        (
            &["cashier", "disable", "Personne"][..],
            "erreur : Aucun caissier nommé Personne.",
        ),
    ] {
        let out = shop.run(&env, args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(sentence), "{args:?}: {err}");
    }
    said(
        &["shift", "open", "--float", "100"],
        &["caisse ouverte", "fond de caisse 100,00\u{a0}€"],
    );
    said(
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
            "--pay",
            "cash",
            "--given",
            "20",
        ],
        &["réglé : Espèces", "RENDU 10,00\u{a0}€", "Livrée"],
    );
    said(
        &["shift", "status"],
        &[
            "ouvert le",
            "fond de caisse 100,00\u{a0}€",
            "encaissé Espèces",
            "espèces attendues 110,00\u{a0}€",
        ],
    );
    said(
        &["cash", "out", "5", "--reason", "timbres"],
        &["sortie d'espèces 5,00\u{a0}€", "105,00\u{a0}€"],
    );
    said(&["report", "daily"], &["1 vente ", "orange-travel Recharge"]);
    said(
        &["register", "verify"],
        &["registre intact", "Tickets", "chaînés et signés"],
    );
    said(&["register", "closings"], &["aucune clôture encore"]);
    said(
        &["giftcards", "face-values"],
        &["toutes les valeurs faciales sont proposées"],
    );
    said(&["giftcards", "face-values", "10", "25"], &["cartes cadeaux en vente"]);
    said(
        &["giftcards", "face-values"],
        &["valeurs faciales proposées : 10,00\u{a0}€, 25,00\u{a0}€"],
    );
    said(
        &["status"],
        &["dossier de données : ", "catalogue orange-travel : ", "articles"],
    );
    said(&["basket", "clear"], &["le panier était vide"]);
    said(&["register", "events"], &["version du logiciel"]);
    said(&["sync"], &["synchronisation : offres…", "synchronisation : produits…"]);
    let order = shop.json(&env, &["orders"])[0]["id"].as_str().unwrap().to_string();
    said(
        &["order", "show", &order],
        &["réponse d'Orange Travel", "Téléphone : 06 84 58 75 87"],
    );
    for english in [
        "expected",
        "float",
        "records",
        "sales",
        "receipt ",
        "face values",
        "data folder",
        "basket",
        "answered",
        "syncing",
        "software_version",
    ] {
        assert!(!all.contains(english), "{english:?} in French output: {all}");
    }
}

/// A French shop's `--help` and clap's refusals are French, by the shop's
/// setting in the data folder `--data-dir` names (read before the
/// arguments are), and by the system's language before the shop chooses.
#[test]
fn a_french_shops_help_and_refusals_are_french() {
    let shop = Shop::new();
    let text = |out: std::process::Output| {
        format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    };
    let english = text(shop.run(&no_env(), &["sell", "topup", "--help"]));
    assert!(
        english.contains("Phone number") && english.contains("Usage:"),
        "{english}"
    );
    let mut french_system = no_env();
    french_system.insert("LANG".into(), "fr_FR.UTF-8".into());
    let system = text(shop.run(&french_system, &["sell", "topup", "--help"]));
    assert!(system.contains("Numéro de téléphone"), "{system}");
    // Another data folder, named by `--data-dir`, whose shop chose French.
    let other = shop.dir.path().join("other");
    let other = other.to_str().unwrap();
    let out = shop.run(&no_env(), &["--data-dir", other, "config", "set", "locale", "fr"]);
    assert!(out.status.success());
    let still = text(shop.run(&no_env(), &["sell", "topup", "--help"]));
    assert!(still.contains("Phone number"), "{still}");
    let help = text(shop.run(&no_env(), &["--data-dir", other, "help", "sell", "topup"]));
    for french in [
        "Recharge un téléphone",
        "Utilisation : comptoir sell topup",
        "Options :",
        "Affiche l'aide",
    ] {
        assert!(help.contains(french), "{french:?} not in {help}");
    }
    for english in ["Usage:", "Print help", "Phone number", "The shop's reference"] {
        assert!(!help.contains(english), "{english:?} in {help}");
    }
    let refused = shop.run(
        &no_env(),
        &[
            &format!("--data-dir={other}"),
            "cashier",
            "add",
            "Léa",
            "--role",
            "boss",
        ],
    );
    assert_eq!(refused.status.code(), Some(2));
    let refusal = text(refused);
    assert!(
        refusal.contains("erreur : la valeur « boss » n'est pas acceptée pour --role"),
        "{refusal}"
    );
    // `--json` keeps clap's words in its error object, for programs.
    let json = shop.run(
        &no_env(),
        &["--data-dir", other, "--json", "cashier", "add", "Léa", "--role", "boss"],
    );
    assert!(String::from_utf8_lossy(&json.stderr).contains("cli.bad_arguments"));
}

/// The repository's own command reference, `docs/cli.md`, is the binary's
/// help, every command and subcommand: a command added, renamed or
/// described anew without the reference fails here.
/// `COMPTOIR_WRITE_DOCS=1 cargo test --test it docs_cli` writes it again.
#[test]
fn docs_cli_is_the_binarys_own_help() {
    let shop = Shop::new();
    let mut doc = String::from(
        "# The `comptoir` command line\n\n\
         Every command's own `--help`, in order: written by\n\
         `COMPTOIR_WRITE_DOCS=1 cargo test --test it docs_cli` and checked by\n\
         that test against the binary (the README says what each does, its\n\
         JSON and its exit codes).\n",
    );
    help_of(&shop, &[], &mut doc);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/cli.md");
    if std::env::var_os("COMPTOIR_WRITE_DOCS").is_some() {
        std::fs::write(&path, &doc).unwrap();
    }
    let kept = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        kept == doc,
        "docs/cli.md differs from the binary's help: write it again with COMPTOIR_WRITE_DOCS=1 cargo test --test it docs_cli"
    );
}

fn help_of(shop: &Shop, path: &[&str], doc: &mut String) {
    let mut args = path.to_vec();
    args.push("--help");
    let out = shop.run(&no_env(), &args);
    assert!(out.status.success(), "{args:?}");
    let help = String::from_utf8(out.stdout).unwrap();
    let title = std::iter::once("comptoir")
        .chain(path.iter().copied())
        .collect::<Vec<_>>()
        .join(" ");
    doc.push_str(&format!("\n## `{title}`\n\n```text\n{}\n```\n", help.trim_end()));
    // The subcommands, as the help lists them under "Commands:".
    let subcommands: Vec<String> = help
        .lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|name| name != "help")
        .collect();
    for name in &subcommands {
        let mut deeper = path.to_vec();
        deeper.push(name);
        help_of(shop, &deeper, doc);
    }
}
