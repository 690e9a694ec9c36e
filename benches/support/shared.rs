//! Several counters on one PostgreSQL: ten counters' journals of 100,000
//! orders each (made by the real `comptoir seed` while the database is
//! away, so everything waits in their outboxes), each backlog pushed by the
//! real `comptoir share push`; then the Orders screen's search across
//! counters over the million shared orders, a sale's way from one counter
//! to another's search while both are online (the window's own pusher),
//! and a sale's time with sharing on.

use crate::pg_server::PgServer;
use crate::{measure, ms, Figure, Target};
use comptoir::journal::{Journal, OrderFilter, OrderKind};
use comptoir::registry::SimHost;
use comptoir::secrets::Backend;
use comptoir::{Comptoir, Options};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";

pub fn figures(bin: &Path, work: &Path, counters: usize, per_counter: usize) -> Vec<Figure> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).unwrap();
    let pg = PgServer::start();
    // A port nothing listens on: the counters seed "offline".
    let away = format!(
        "postgres://comptoir@127.0.0.1:{}/postgres",
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    );
    let cli = |dir: &Path, counter: &str, url: &str, args: &[&str]| {
        let mut c = Command::new(bin);
        c.arg("--json")
            .args(args)
            .env("COMPTOIR_DATA_DIR", dir)
            .env("COMPTOIR_SECRET_STORE", "kernel")
            .env("COMPTOIR_COUNTER", counter)
            .env("COMPTOIR_DATABASE_URL", url);
        c
    };
    let run = |c: &mut Command| {
        let out = c.output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap_or_default()
    };
    let mut pushes = Vec::new();
    for i in 1..=counters {
        let counter = format!("C{i}");
        let dir = work.join(&counter);
        run(&mut cli(
            &dir,
            &counter,
            &away,
            &["seed", "--orders", &per_counter.to_string(), "--days", "365", "--live"],
        ));
        let start = Instant::now();
        let pushed = run(&mut cli(&dir, &counter, &pg.url(), &["share", "push"]));
        pushes.push(start.elapsed());
        assert_eq!(pushed["unsent"], 0, "{counter}'s whole backlog went: {pushed}");
    }
    let orders: i64 = pg.query("SELECT COUNT(*) FROM orders").parse().unwrap();
    pushes.sort();
    let median = pushes[pushes.len() / 2];
    let mut figures = vec![Figure {
        what: format!(
            "`comptoir share push` of a {per_counter}-order backlog (everything the counter's seed wrote: orders, events, register), each of {counters} counters in turn, {orders} orders shared in the end (whole process)"
        ),
        figure: ms(median),
        spread: format!("{}–{}", ms(pushes[0]), ms(pushes[pushes.len() - 1])),
        target: "median < 60 s".into(),
        met: Some(median < Duration::from_secs(60)),
    }];

    // The counters' screen, in process, as counter C1's window asks it.
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sims = rt.block_on(SimHost::start(0)).unwrap();
    for (k, v) in sims.env() {
        std::env::set_var(k, v);
    }
    std::env::set_var("COMPTOIR_DATABASE_URL", pg.url());
    std::env::set_var("COMPTOIR_COUNTER", "C1");
    let dir = work.join("C1");
    let app: &'static Comptoir = Box::leak(Box::new(
        rt.block_on(Comptoir::open(Options {
            data_dir: Some(dir.clone()),
            training: false,
            secret_store: Some(Backend::Kernel),
            share_training: false,
        }))
        .unwrap(),
    ));
    let journal = rt.block_on(Journal::open(&work.join("C2/journal.sqlite"))).unwrap();
    let sample = rt
        .block_on(journal.list(&OrderFilter {
            limit: Some(500),
            offset: Some(per_counter as u32 / 2),
            ..Default::default()
        }))
        .unwrap();
    rt.block_on(journal.close());
    let esim = sample.iter().find(|o| o.kind == OrderKind::Esim).expect("an eSIM");
    let name = sample
        .iter()
        .find_map(|o| o.customer_ref.clone())
        .unwrap_or_else(|| "Garcia".into());
    let phone = esim.phone.clone().unwrap_or_default();
    let typed_phone = format!("0{} {} {} {}", &phone[..1], &phone[1..3], &phone[3..5], &phone[5..]);
    let iccid = esim.iccid.clone().unwrap_or_default();
    for (what, term) in [
        (format!("a customer (`{name}`)"), name.clone()),
        ("a phone number typed `06 84 …`".to_string(), typed_phone),
        ("an ICCID".to_string(), iccid),
    ] {
        let filter = OrderFilter {
            search: Some(term.clone()),
            limit: Some(50),
            ..Default::default()
        };
        let found = rt
            .block_on(comptoir::app::share::orders_everywhere(app, &filter))
            .unwrap();
        assert!(
            found.offline.is_none() && !found.orders.is_empty(),
            "{what} ({term}) is found: {:?}, {} orders",
            found.offline,
            found.orders.len()
        );
        figures.push(measure(
            &format!(
                "`orders --everywhere --search` {what} over {orders} shared orders: first page of 50 and its count, as the Orders screen asks (on the window's kept pool, connected by the first)"
            ),
            Target::P95(50.0),
            || {
                rt.block_on(comptoir::app::share::orders_everywhere(app, &filter))
                    .unwrap();
            },
        ));
    }

    // A sale at C1 while its window's pusher runs, found by the search
    // another counter's Orders screen makes.
    // The catalog the sale needs, from the simulators.
    rt.block_on(app.sync(None)).unwrap();
    let pusher = rt.spawn(comptoir::app::share::keep_pushing(app));
    let sell = || {
        rt.block_on(comptoir::esim::sale::sell_topup(
            app,
            TOPUP_FR,
            comptoir::esim::sale::TopupTarget::Msisdn("0684587587".into()),
            None,
        ))
        .unwrap()
    };
    let mut seen = Vec::new();
    for _ in 0..crate::RUNS {
        let start = Instant::now();
        let order = sell();
        let filter = OrderFilter {
            search: Some(order.id.clone()),
            limit: Some(50),
            ..Default::default()
        };
        loop {
            let found = rt
                .block_on(comptoir::app::share::orders_everywhere(app, &filter))
                .unwrap();
            if found.orders.iter().any(|o| o.order.id == order.id) {
                break;
            }
            if start.elapsed() > Duration::from_secs(30) {
                let status = rt.block_on(comptoir::app::share::status(app, true));
                let there = pg.query(&format!("SELECT COUNT(*) FROM orders WHERE id = '{}'", order.id));
                panic!(
                    "the sale {} never reached the shop's search: {status:?}; in its orders: {there}",
                    order.id
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        seen.push(start.elapsed());
    }
    seen.sort();
    let p95 = seen[(seen.len() * 95).div_ceil(100) - 1];
    figures.push(Figure {
        what:
            "a top-up sold at one counter, found by another counter's Orders search (the window's pusher, both online)"
                .into(),
        figure: ms(seen[seen.len() / 2]),
        spread: format!("p95 {}", ms(p95)),
        target: "p95 < 2 s".into(),
        met: Some(p95 < Duration::from_secs(2)),
    });
    figures.push(measure(
        "a top-up's sale at zero latency with sharing on and the pusher running (the push is not on its path)",
        Target::Median(30.0),
        || {
            sell();
        },
    ));
    pusher.abort();
    drop(sims);
    figures
}
