//! Several counters on one PostgreSQL (issue 24), through the real CLI
//! against the simulators and a real server started by the test
//! (`pg_server`): counters selling at once, a database that stops and
//! comes back, a push sent twice, a push killed between the shop's commit
//! and the counter's, a counter offline for a day, a counter
//! restored from an old backup, and search and reports across counters.

use crate::common::Shop;
use crate::pg_server::PgServer;
use comptoir::registry::SimHost;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

const TOPUP_10: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const ESIM_30: &str = "07966928-d3a3-453e-9944-b7ff1081794d";

/// A counter: its own data folder, its code, the shop's database.
struct Counter {
    shop: Shop,
    env: BTreeMap<String, String>,
}

impl Counter {
    fn new(host: &SimHost, code: &str, url: &str) -> Counter {
        let shop = Shop::new();
        let mut env = host.env();
        env.insert("COMPTOIR_DATABASE_URL".into(), url.into());
        env.insert("COMPTOIR_COUNTER".into(), code.into());
        shop.json(&env, &["sync"]);
        Counter { shop, env }
    }

    /// This counter's key for eSIM activation codes, made and given to Orange.
    fn keys(&self) {
        self.shop.json(&self.env, &["keys", "generate"]);
        self.shop.json(&self.env, &["keys", "upload"]);
    }

    /// A 10 € top-up paid by card, to a number of its own.
    fn sell(&self, msisdn: &str) -> Value {
        self.shop.json(
            &self.env,
            &[
                "sell", "topup", "--offer", TOPUP_10, "--msisdn", msisdn, "--pay", "card",
            ],
        )
    }

    fn status(&self) -> Value {
        self.shop.json(&self.env, &["share", "status"])
    }

    fn with_url(&self, url: &str) -> BTreeMap<String, String> {
        let mut env = self.env.clone();
        env.insert("COMPTOIR_DATABASE_URL".into(), url.into());
        env
    }
}

fn count(pg: &PgServer, sql: &str) -> i64 {
    pg.query(sql).parse().unwrap()
}

async fn sim() -> SimHost {
    SimHost::start(0).await.unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_counters_selling_at_once_share_every_sale_exactly_once() {
    let pg = PgServer::start();
    let host = sim().await;
    let counters: Vec<Counter> = (1..=8)
        .map(|i| Counter::new(&host, &format!("C{i}"), &pg.url()))
        .collect();
    let sold: Vec<Vec<String>> = std::thread::scope(|s| {
        let handles: Vec<_> = counters
            .iter()
            .enumerate()
            .map(|(i, c)| {
                s.spawn(move || {
                    (0..3)
                        .map(|k| c.sell(&format!("06845{i}{k}587"))["id"].as_str().unwrap().to_string())
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (i, ids) in sold.iter().enumerate() {
        let code = format!("C{}", i + 1);
        for id in ids {
            assert!(id.contains(&format!("-{code}-")), "{id}: ids carry the counter's code");
            assert_eq!(
                count(
                    &pg,
                    &format!("SELECT COUNT(*) FROM orders WHERE id = '{id}' AND counter = '{code}'")
                ),
                1
            );
        }
        assert_eq!(counters[i].status()["unsent"], 0, "{code} pushed after each sale");
    }
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM orders"), 24);
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM receipts"), 24);
    // Receipt numbers per counter, 1 to 3 at each, each once.
    assert_eq!(
        count(
            &pg,
            "SELECT COUNT(DISTINCT (counter, seq)) FROM receipts WHERE seq BETWEEN 1 AND 3"
        ),
        24
    );
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM conflicts"), 0);
    // Every counter's register chain arrived whole.
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM register WHERE chain = 'receipt'"), 24);
    // Any counter sees every counter's sales, with the counter.
    let all = counters[0]
        .shop
        .json(&counters[0].env, &["orders", "--everywhere", "--limit", "100"]);
    assert_eq!(all.as_array().unwrap().len(), 24);
    let from_c8 = counters[0].shop.json(
        &counters[0].env,
        &["orders", "--everywhere", "--search", "06 84 57 0 587"],
    );
    let found = from_c8.as_array().unwrap();
    assert_eq!(found.len(), 1, "{from_c8}");
    assert_eq!(found[0]["counter"], "C8");
    assert_eq!(found[0]["id"].as_str(), Some(sold[7][0].as_str()));
    // An order's id, typed whole, finds it at any counter.
    let by_id = counters[0].shop.json(
        &counters[0].env,
        &["orders", "--everywhere", "--search", sold[7][0].as_str()],
    );
    assert_eq!(by_id.as_array().unwrap().len(), 1, "{by_id}");
    assert_eq!(by_id[0]["counter"], "C8");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_database_that_stops_and_a_push_sent_twice_lose_nothing_and_double_nothing() {
    let pg = PgServer::start();
    let host = sim().await;
    let c = Counter::new(&host, "C1", &pg.url());
    c.sell("0684587501");
    assert_eq!(c.status()["unsent"], 0);

    // The database stops: selling goes on, the sales wait here.
    pg.down();
    let out = c.shop.run(
        &c.env,
        &[
            "--json",
            "sell",
            "topup",
            "--offer",
            TOPUP_10,
            "--msisdn",
            "0684587502",
            "--pay",
            "card",
        ],
    );
    assert!(
        out.status.success(),
        "a sale never fails for the database: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("not shared yet"), "{said}");
    c.sell("0684587503");
    let status = c.status();
    assert_eq!(status["reachable"], false);
    assert!(status["unsent"].as_i64().unwrap() > 0);
    assert!(status["oldest_unsent_at"].is_string());
    assert_eq!(c.shop.fails(&c.env, &["share", "push"], 4)["code"], "share.unreachable");

    // Back: one push sends what waited.
    pg.up();
    let pushed = c.shop.json(&c.env, &["share", "push"]);
    assert_eq!(pushed["unsent"], 0);
    assert_eq!(
        count(&pg, "SELECT COUNT(*) FROM orders"),
        3,
        "{pushed} {} / {}",
        pg.query("SELECT string_agg(id || ' ' || phone, ', ') FROM orders"),
        String::from_utf8_lossy(&c.shop.run(&c.env, &["orders"]).stdout)
    );

    // The same outbox pushed again (a push killed after PostgreSQL
    // committed and before the outbox let go: the journal as it was then).
    let journal = c.shop.data_dir().join("journal.sqlite");
    let before = c.shop.dir.path().join("before.sqlite");
    c.sell("0684587504");
    std::fs::copy(&journal, &before).unwrap();
    // The sale's own push sent it; the copy queues everything again.
    std::fs::copy(&before, &journal).unwrap();
    sqlx_reset_outbox(&journal);
    let again = c.shop.json(&c.env, &["share", "push"]);
    assert!(again["received"]["same"].as_u64().unwrap() > 0, "{again}");
    assert_eq!(again["received"]["inserted"], 0, "{again}");
    assert_eq!(again["received"]["conflicts"], 0, "{again}");
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM orders"), 4);
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM receipts"), 4);
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM conflicts"), 0);

    // Stopped in the middle of a push of many: nothing lost once it is back.
    // (seeded with the database out of reach, so that all of it waits)
    let away = c.with_url("postgres://comptoir@127.0.0.1:1/postgres");
    c.shop.json(&away, &["seed", "--orders", "20000", "--days", "3"]);
    let waiting = c.status()["unsent"].as_i64().unwrap();
    assert!(waiting >= 20000, "{waiting}");
    let pusher = c.shop.cli(&c.env).args(["--json", "share", "push"]).spawn().unwrap();
    std::thread::sleep(Duration::from_millis(700));
    pg.down();
    let done = pusher.wait_with_output().unwrap();
    pg.up();
    let pushed = c.shop.json(&c.env, &["share", "push"]);
    assert_eq!(pushed["unsent"], 0, "{pushed} (first push: {done:?})");
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM orders"), 20004);
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM conflicts"), 0);
}

/// A push killed (SIGKILL) after PostgreSQL committed a batch and before
/// the counter heard it, so before its outbox let the batch go: a proxy
/// between them holds PostgreSQL's answer to the first COMMIT, the test
/// kills the push there, and the next push sends the batch again.
#[tokio::test(flavor = "multi_thread")]
async fn a_push_killed_between_the_shops_commit_and_the_outbox_loses_and_doubles_nothing() {
    let pg = PgServer::start();
    let host = sim().await;
    let c = Counter::new(&host, "C1", &pg.url());
    c.sell("0684587501");
    assert_eq!(c.status()["unsent"], 0, "the shop's schema is made");
    let away = c.with_url("postgres://comptoir@127.0.0.1:1/postgres");
    c.shop.json(&away, &["seed", "--orders", "5000", "--days", "3"]);
    let waiting = c.status()["unsent"].as_i64().unwrap();
    assert!(waiting >= 5000, "{waiting}");

    let proxy = HoldAfterCommit::start(pg.port).await;
    let through = c.with_url(&format!("postgres://comptoir@127.0.0.1:{}/postgres", proxy.port));
    let mut pusher = c
        .shop
        .cli(&through)
        .args(["--json", "share", "push"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while !proxy.held.load(std::sync::atomic::Ordering::SeqCst) {
        assert!(start.elapsed() < Duration::from_secs(30), "no batch was committed");
        assert!(pusher.try_wait().unwrap().is_none(), "the push ended on its own");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // PostgreSQL holds the batch; the counter never heard so.
    let shared = count(&pg, "SELECT COUNT(*) FROM orders");
    assert!(shared > 1, "a batch is in the shop's database: {shared}");
    pusher.kill().unwrap(); // SIGKILL
    pusher.wait().unwrap();
    assert_eq!(
        c.status()["unsent"].as_i64().unwrap(),
        waiting,
        "the outbox let nothing go"
    );

    let pushed = c.shop.json(&c.env, &["share", "push"]);
    assert_eq!(pushed["unsent"], 0, "{pushed}");
    assert!(
        pushed["received"]["same"].as_u64().unwrap() > 0,
        "the batch came again: {pushed}"
    );
    assert_eq!(pushed["received"]["conflicts"], 0, "{pushed}");
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM orders"), 5001);
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM conflicts"), 0);
    let verified = c.shop.json(&c.env, &["register", "verify", "--everywhere"]);
    assert_eq!(verified["ok"], true, "{verified}");

    // Another counter's seeded sales are its own: their ids never meet C1's.
    let c2 = Counter::new(&host, "C2", &pg.url());
    c2.shop.json(
        &c2.with_url("postgres://comptoir@127.0.0.1:1/postgres"),
        &["seed", "--orders", "300", "--days", "3"],
    );
    let pushed = c2.shop.json(&c2.env, &["share", "push"]);
    assert_eq!(pushed["received"]["conflicts"], 0, "{pushed}");
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM orders"), 5301);
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM conflicts"), 0);
}

/// A TCP proxy to PostgreSQL that forwards everything until the server
/// answers a COMMIT, then keeps that answer (and all after it) from the
/// client: the moment between the shop's commit and the counter's.
struct HoldAfterCommit {
    port: u16,
    held: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl HoldAfterCommit {
    async fn start(to: u16) -> HoldAfterCommit {
        use std::sync::atomic::{AtomicBool, Ordering};
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let held = std::sync::Arc::new(AtomicBool::new(false));
        let flag = held.clone();
        tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let server = tokio::net::TcpStream::connect(("127.0.0.1", to)).await.unwrap();
                let (mut client_in, mut client_out) = client.into_split();
                let (mut server_in, mut server_out) = server.into_split();
                tokio::spawn(async move { tokio::io::copy(&mut client_in, &mut server_out).await });
                let flag = flag.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 * 1024];
                    loop {
                        let n = match server_in.read(&mut buf).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => n,
                        };
                        // CommandComplete "COMMIT": the shop holds the batch.
                        if flag.load(Ordering::SeqCst) || buf[..n].windows(7).any(|w| w == b"COMMIT\0") {
                            flag.store(true, Ordering::SeqCst);
                            // Kept from the client until the test ends.
                            std::future::pending::<()>().await;
                        }
                        if client_out.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                });
            }
        });
        HoldAfterCommit { port, held }
    }
}

/// Queues every row again, as a journal copied before a push would hold them.
fn sqlx_reset_outbox(journal: &std::path::Path) {
    let out = std::process::Command::new("sqlite3")
        .arg(journal)
        .arg(
            "INSERT INTO outbox (topic, key) SELECT 'orders', json_array(id) FROM orders; \
              INSERT INTO outbox (topic, key) SELECT 'receipts', json_array(number) FROM receipts; \
              INSERT INTO outbox (topic, key) SELECT 'register', json_array(chain, seq) FROM register;",
        )
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_counter_offline_for_a_day_comes_back_and_the_shops_report_is_right() {
    let pg = PgServer::start();
    let host = sim().await;
    let a = Counter::new(&host, "A", &pg.url());
    let b = Counter::new(&host, "B", &pg.url());
    a.keys();
    a.sell("0684587511");
    a.shop
        .json(&a.env, &["sell", "esim", "--offer", ESIM_30, "--pay", "card"]);
    // B's cable is out all day: its sales wait in its outbox.
    let away = b.with_url("postgres://comptoir@127.0.0.1:1/postgres");
    for k in 0..3 {
        let out = b.shop.run(
            &away,
            &[
                "--json",
                "sell",
                "topup",
                "--offer",
                TOPUP_10,
                "--msisdn",
                &format!("068458752{k}"),
                "--pay",
                "cash",
                "--given",
                "10",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let shop_day = a.shop.json(&a.env, &["report", "daily", "--everywhere"]);
    assert_eq!(shop_day["totals"][0]["amount"], 40.0, "{shop_day}");
    // B is back: what it sold appears, and the shop's day adds up.
    assert!(b.status()["unsent"].as_i64().unwrap() > 0);
    b.shop.json(&b.env, &["share", "push"]);
    let shop_day = a.shop.json(&a.env, &["report", "daily", "--everywhere"]);
    assert_eq!(shop_day["totals"][0]["sales"], 5, "{shop_day}");
    assert_eq!(shop_day["totals"][0]["amount"], 70.0, "{shop_day}");
    let by_counter: BTreeMap<String, f64> = shop_day["by_counter"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["counter"].as_str().unwrap().to_string(),
                l["amount"].as_f64().unwrap(),
            )
        })
        .collect();
    assert_eq!(by_counter, BTreeMap::from([("A".into(), 40.0), ("B".into(), 30.0)]));
    let tenders: BTreeMap<String, f64> = shop_day["tenders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["tender"].as_str().unwrap().to_string(), t["taken"].as_f64().unwrap()))
        .collect();
    assert_eq!(tenders, BTreeMap::from([("card".into(), 40.0), ("cash".into(), 30.0)]));
    // The counter's own report stays its own.
    let own = b.shop.json(&b.env, &["report", "daily"]);
    assert_eq!(own["totals"][0]["amount"], 30.0);
    // And a search at A finds B's sale by the customer's number.
    let found = a
        .shop
        .json(&a.env, &["orders", "--everywhere", "--search", "06 84 58 75 22"]);
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(found[0]["counter"], "B");
    // Offline, `--everywhere` shows this counter's own and says so.
    let out = b.shop.run(&away, &["--json", "orders", "--everywhere"]);
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("only this counter's orders"));
    let own: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(own.as_array().unwrap().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_counter_restored_from_an_old_backup_leaves_a_conflict_and_overwrites_nothing() {
    let pg = PgServer::start();
    let host = sim().await;
    let c = Counter::new(&host, "C1", &pg.url());
    c.keys();
    c.sell("0684587531");
    let data = c.shop.data_dir();
    let backup = c.shop.dir.path().join("backup");
    std::fs::create_dir_all(&backup).unwrap();
    // The journal whole: its write-ahead log may still hold the last sale.
    let files = ["journal.sqlite", "journal.sqlite-wal", "register.head.json"];
    for f in files {
        if data.join(f).exists() {
            std::fs::copy(data.join(f), backup.join(f)).unwrap();
        }
    }
    let second = c.sell("0684587532");
    let number = second["receipt"].as_str().unwrap().to_string();
    let stored_sql = format!("SELECT total_cents || ' ' || basket FROM receipts WHERE number = '{number}'");
    let stored = pg.query(&stored_sql);
    assert!(!stored.is_empty(), "{number} reached the shop");
    // The counter's disk is restored from the backup: its next sale takes
    // receipt number 2 again.
    let _ = std::fs::remove_file(data.join("journal.sqlite-wal"));
    let _ = std::fs::remove_file(data.join("journal.sqlite-shm"));
    for f in files {
        if backup.join(f).exists() {
            std::fs::copy(backup.join(f), data.join(f)).unwrap();
        }
    }
    let out = c
        .shop
        .run(&c.env, &["--json", "sell", "esim", "--offer", ESIM_30, "--pay", "card"]);
    let again: Value = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    if out.status.success() {
        assert_eq!(
            again["receipt"].as_str(),
            Some(number.as_str()),
            "the restored counter reuses the number"
        );
    }
    c.shop.run(&c.env, &["share", "push"]);
    assert!(count(&pg, "SELECT COUNT(*) FROM conflicts WHERE topic = 'receipts'") >= 1);
    assert!(c.status()["conflicts"].as_i64().unwrap() >= 1);
    assert_eq!(pg.query(&stored_sql), stored, "the shop's receipt is never overwritten");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_owner_verifies_every_counters_register_on_the_shops_database() {
    let pg = PgServer::start();
    let host = sim().await;
    let a = Counter::new(&host, "A", &pg.url());
    let b = Counter::new(&host, "B", &pg.url());
    a.sell("0684587501");
    b.sell("0684587502");
    b.sell("0684587503");
    b.shop.json(&b.env, &["share", "push"]);
    let v = a.shop.json(&a.env, &["register", "verify", "--everywhere"]);
    assert_eq!(v["ok"], true, "{v}");
    let counters: Vec<&str> = v["counters"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["counter"].as_str().unwrap())
        .collect();
    assert_eq!(counters, ["A", "B"], "{v}");
    assert_eq!(v["counters"][1]["chains"]["receipt"], 2, "{v}");
    assert_eq!(
        v["chains"]["receipt"], 3,
        "the spec's summary: every counter's records per chain"
    );
    // Someone able to lift the server's guard lowers an amount of B's.
    pg.query(
        "ALTER TABLE register DISABLE TRIGGER register_append_only;
         UPDATE register SET payload = replace(payload, '1000', '100') WHERE counter = 'B' AND chain = 'receipt' AND seq = 1;
         ALTER TABLE register ENABLE TRIGGER register_append_only;",
    );
    let e = a.shop.fails(&a.env, &["register", "verify", "--everywhere"], 6);
    assert_eq!(e["code"], "register.tampered", "{e}");
    assert_eq!(e["params"]["counter"], "B", "{e}");
    assert_eq!(e["params"]["chain"], "receipt", "{e}");
    assert_eq!(e["params"]["seq"], 1, "{e}");
    assert_eq!(e["params"]["what"], "values", "{e}");
    // Found from A, recorded in A's own register.
    let events = a.shop.json(&a.env, &["register", "events"]);
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["values"]["event"] == "integrity_defect" && r["values"]["details"]["params"]["counter"] == "B"),
        "{events}"
    );
    // A counter's own verification knows nothing of the server's copy.
    assert_eq!(b.shop.json(&b.env, &["register", "verify"])["ok"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn closing_the_till_shares_first_and_says_what_could_not_go() {
    let pg = PgServer::start();
    let host = sim().await;
    let c = Counter::new(&host, "C1", &pg.url());
    let away = c.with_url("postgres://comptoir@127.0.0.1:1/postgres");
    let sell_away = |msisdn: &str| {
        let out = c.shop.run(
            &away,
            &[
                "--json", "sell", "topup", "--offer", TOPUP_10, "--msisdn", msisdn, "--pay", "card",
            ],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    };
    // The cable is out: two sales wait, and the till closes all the same,
    // saying what the shop's report misses.
    c.shop.json(&away, &["shift", "open", "--float", "100"]);
    sell_away("0684587531");
    sell_away("0684587532");
    let out = c.shop.run(&away, &["--json", "shift", "close", "--counted", "100"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let closed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(closed["unshared"], 2, "{closed}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("2 sales of this counter could not be shared before the close"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Back on the network: a sale made away goes before the close's report.
    c.shop.json(&away, &["shift", "open", "--float", "100"]);
    sell_away("0684587533");
    let closed = c.shop.json(&c.env, &["shift", "close", "--counted", "100"]);
    assert!(closed.get("unshared").is_none(), "{closed}");
    assert_eq!(count(&pg, "SELECT COUNT(*) FROM orders WHERE counter = 'C1'"), 3);
}

/// A customer who bought at counter A comes back to counter B. B, given the
/// shop's keys from A's backup (the distributor key and the key that seals
/// vouchers), reads the sale from the shop's database: the eSIM's QR code
/// and the gift card's voucher decode to what A gave, the ticket prints as
/// a numbered duplicate naming A, and B's register records it.
#[tokio::test(flavor = "multi_thread")]
async fn a_sale_made_at_a_is_reprinted_at_b_with_its_qr_codes_decoded() {
    let pg = PgServer::start();
    let host = sim().await;
    let a = Counter::new(&host, "A", &pg.url());
    let b = Counter::new(&host, "B", &pg.url());
    a.keys();
    let esim = a
        .shop
        .json(&a.env, &["sell", "esim", "--offer", ESIM_30, "--pay", "card"]);
    let esim_id = esim["id"].as_str().unwrap().to_string();
    let gift = a.shop.json(
        &a.env,
        &["sell", "giftcard", "--product", "FNAC_25_EUR", "--pay", "card"],
    );
    let gift_id = gift["id"].as_str().unwrap().to_string();
    a.shop.json(&a.env, &["share", "push"]);
    let qr_at = |c: &Counter, id: &str, name: &str| {
        let png = c.shop.dir.path().join(name);
        c.shop
            .json(&c.env, &["order", "qr", id, "--out", png.to_str().unwrap()]);
        crate::esim::decode(&std::fs::read(&png).unwrap())
    };
    let esim_at_a = qr_at(&a, &esim_id, "a-esim.png");
    let gift_at_a = qr_at(&a, &gift_id, "a-gift.png");
    assert!(esim_at_a.starts_with("LPA:1$"), "{esim_at_a}");

    // Without the shop's keys, B finds the sale but cannot open it.
    let png = b.shop.dir.path().join("nope.png");
    let e = b
        .shop
        .fails(&b.env, &["order", "qr", &gift_id, "--out", png.to_str().unwrap()], 2);
    assert_eq!(e["code"], "seal.key_missing", "{e}");
    let e = b
        .shop
        .fails(&b.env, &["order", "qr", "CPT-000000-NOPE00", "--out", "x.png"], 2);
    assert_eq!(e["code"], "order.not_found_anywhere", "{e}");

    // A's backup, restored at B: both QR codes decode as at A.
    let backup = a.shop.dir.path().join("shop-keys.pem");
    let out = a.shop.with_stdin(
        &a.env,
        &["keys", "export", "--out", backup.to_str().unwrap()],
        "horse battery staple\nhorse battery staple\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = std::fs::read_to_string(&backup).unwrap();
    assert!(text.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
    assert!(text.contains("-----BEGIN COMPTOIR SEALING KEYS-----"));
    let out = b.shop.with_stdin(
        &b.env,
        &["keys", "import", backup.to_str().unwrap()],
        "horse battery staple\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(qr_at(&b, &esim_id, "b-esim.png"), esim_at_a);
    assert_eq!(qr_at(&b, &gift_id, "b-gift.png"), gift_at_a);

    // The ticket, at B: a duplicate that names A, with the eSIM's QR code.
    let pdf = b.shop.dir.path().join("reprint.pdf");
    b.shop
        .json(&b.env, &["order", "print", &esim_id, "--pdf", pdf.to_str().unwrap()]);
    let words = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let words = String::from_utf8_lossy(&words.stdout);
    assert!(words.contains("DUPLICATA n° 1"), "{words}");
    assert!(words.contains("Vendu au comptoir") && words.contains(" A"), "{words}");
    // B's register holds the reveals and the print, naming A; A's sale
    // stays A's alone (B's journal has no copy of it).
    let records = b.shop.json(&b.env, &["register", "events", "--limit", "20"]);
    assert!(records.to_string().contains(&esim_id), "{records}");
    let e = b.shop.fails(&b.env, &["order", "show", &esim_id], 2);
    assert_eq!(e["code"], "order.not_found", "{e}");
}

/// The window keeps one pool to the shop's database: when the database
/// stops under it, the Orders screen across counters shows this counter's
/// own orders and says why, as when it could not connect at all; once the
/// database is back, every counter's again.
#[tokio::test(flavor = "multi_thread")]
async fn the_windows_kept_pool_falls_back_to_this_counters_orders_while_the_database_is_down() {
    use comptoir::app::share::orders_everywhere;
    use comptoir::journal::OrderFilter;
    let pg = PgServer::start();
    let host = sim().await;
    let a = Counter::new(&host, "A", &pg.url());
    let b = Counter::new(&host, "B", &pg.url());
    a.sell("0684587501");
    b.sell("0684587502");
    // The window's settings (the test's own environment names no database).
    b.shop.json(&b.env, &["config", "set", "shop.database_url", &pg.url()]);
    b.shop.json(&b.env, &["config", "set", "counter.id", "B"]);
    let app = comptoir::Comptoir::open(comptoir::Options {
        data_dir: Some(b.shop.data_dir()),
        training: false,
        secret_store: Some(comptoir::secrets::Backend::Kernel),
        share_training: false,
    })
    .await
    .unwrap();
    let all = OrderFilter::default();
    let counters = |found: &comptoir::app::share::Everywhere| {
        let mut c: Vec<String> = found.orders.iter().map(|o| o.counter.clone()).collect();
        c.sort();
        c
    };
    let online = orders_everywhere(&app, &all).await.unwrap();
    assert_eq!(
        (online.offline.as_deref(), counters(&online)),
        (None, vec!["A".into(), "B".into()])
    );
    pg.down();
    let down = orders_everywhere(&app, &all)
        .await
        .expect("this counter's own, not an error");
    assert!(down.offline.is_some(), "says why");
    assert_eq!(counters(&down), ["B"]);
    pg.up();
    let back = orders_everywhere(&app, &all).await.unwrap();
    assert_eq!(
        (back.offline.as_deref(), counters(&back)),
        (None, vec!["A".into(), "B".into()])
    );
}
