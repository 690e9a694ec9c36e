//! `make bench`: the counter's journal at a million orders, as a shop that
//! sells a few hundred items a day has after ten years. Figures, not
//! pass/fail: each is measured here over several runs (median and p95, or
//! min–max for whole processes) and written with the machine's description
//! to `bench/results.md`, beside the targets of the benchmarks issue.
//!
//! The journal is made once by the real `comptoir seed --orders 1000000
//! --days 3650` (release build) and kept in `target/bench/million/` between
//! runs (`BENCH_ORDERS` sets another size). In-process figures call the
//! core as the window does; whole-process ones start the real binary, as a
//! cashier's script would.

use chrono::{Duration as Days, Local, NaiveDate};
use comptoir::journal::{Journal, OrderFilter, OrderKind, OrderStatus, Sort};
use comptoir::providers::ProviderId;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 21;
const PROCESS_RUNS: usize = 11;

struct Figure {
    what: String,
    median: Duration,
    spread: String,
    target: &'static str,
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// Median and p95 of `RUNS` runs (after one warm-up).
fn measure(what: &str, target: &'static str, mut f: impl FnMut()) -> Figure {
    f();
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    let p95 = times[(RUNS * 95).div_ceil(100) - 1];
    Figure {
        what: what.into(),
        median: times[RUNS / 2],
        spread: format!("p95 {}", ms(p95)),
        target,
    }
}

/// Median and min–max of whole runs of the real binary.
fn process(what: &str, target: &'static str, bin: &Path, data: &Path, args: &[&str]) -> Figure {
    let run = || {
        let start = Instant::now();
        let out = Command::new(bin)
            .args(args)
            .env("COMPTOIR_DATA_DIR", data)
            .env("COMPTOIR_SECRET_STORE", "kernel")
            .output()
            .expect("comptoir runs");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        start.elapsed()
    };
    run();
    let mut times: Vec<Duration> = (0..PROCESS_RUNS).map(|_| run()).collect();
    times.sort();
    Figure {
        what: what.into(),
        median: times[PROCESS_RUNS / 2],
        spread: format!("{}–{}", ms(times[0]), ms(times[PROCESS_RUNS - 1])),
        target,
    }
}

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The release binary (`make bench` builds it first).
fn binary() -> PathBuf {
    let bin = workspace().join("target/release/comptoir");
    assert!(bin.exists(), "build it first: cargo build --release --bin comptoir");
    bin
}

/// The journal of `orders` orders, made by `comptoir seed` once and kept.
fn journal_dir(bin: &Path, orders: usize) -> (PathBuf, Option<Duration>) {
    let dir = workspace().join(format!("target/bench/orders-{orders}"));
    let done = dir.join("seeded");
    if done.exists() {
        return (dir, None);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let start = Instant::now();
    let out = Command::new(bin)
        .args(["--json", "seed", "--orders", &orders.to_string(), "--days", "3650"])
        .env("COMPTOIR_DATA_DIR", &dir)
        .env("COMPTOIR_SECRET_STORE", "kernel")
        .output()
        .unwrap();
    assert!(out.status.success(), "seed: {}", String::from_utf8_lossy(&out.stderr));
    let took = start.elapsed();
    std::fs::write(&done, format!("{orders}\n")).unwrap();
    (dir, Some(took))
}

fn machine() -> String {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let mem = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_string())
        })
        .and_then(|kb| kb.parse::<u64>().ok())
        .map(|kb| format!("{:.1} GiB", kb as f64 / 1024.0 / 1024.0))
        .unwrap_or_default();
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|c| {
            c.lines()
                .find(|l| l.starts_with("model name"))
                .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_string())
        })
        .unwrap_or_default();
    let disk = Command::new("df")
        .args(["-h", "--output=source,fstype,size,avail"])
        .arg(workspace().join("target"))
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .nth(1)
                .unwrap_or("")
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    format!("{cores} cores ({cpu}), {mem} of memory, disk {disk}, release build (cargo bench profile)")
}

fn page(f: OrderFilter) -> OrderFilter {
    OrderFilter { limit: Some(50), ..f }
}

fn main() {
    let orders: usize = std::env::var("BENCH_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let bin = binary();
    let (dir, seeded) = journal_dir(&bin, orders);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let journal = rt.block_on(Journal::open(&dir.join("journal.sqlite"))).unwrap();
    let total = rt.block_on(journal.count(&OrderFilter::default())).unwrap();
    let mut figures = Vec::new();
    if let Some(took) = seeded {
        figures.push(Figure {
            what: format!("`comptoir seed --orders {orders}` (this run)"),
            median: took,
            spread: "one run".into(),
            target: "",
        });
    }
    let list = |f: OrderFilter| {
        let j = &journal;
        let rt = &rt;
        move || {
            rt.block_on(j.list(&f)).unwrap();
        }
    };
    // A customer, a phone typed as people type it, an ICCID, a product, a
    // reference: taken from the journal itself so each is there.
    let sample = rt
        .block_on(journal.list(&OrderFilter {
            limit: Some(500),
            offset: Some(total as u32 / 2),
            ..Default::default()
        }))
        .unwrap();
    let esim = sample.iter().find(|o| o.kind == OrderKind::Esim).expect("an eSIM");
    let phone = esim.phone.clone().unwrap_or_default();
    let typed_phone = format!("0{} {} {} {}", &phone[..1], &phone[1..3], &phone[3..5], &phone[5..]);
    let iccid = esim.iccid.clone().unwrap_or_default();
    let reference = sample.iter().find_map(|o| o.provider_ref.clone()).unwrap_or_default();
    let searches = [
        ("customer `Garcia` (a tenth of the journal)", "Garcia".to_string()),
        ("customer `Marie Garcia`", "Marie Garcia".to_string()),
        ("product `Holiday` (a fifth)", "Holiday".to_string()),
        ("phone typed `06 84 58 …`", typed_phone.clone()),
        ("phone `+33 6…`", format!("+33{phone}")),
        ("ICCID", iccid.clone()),
        (
            "provider reference (start)",
            reference[..8.min(reference.len())].to_string(),
        ),
    ];
    for (what, term) in &searches {
        figures.push(measure(
            &format!("Orders search: {what}"),
            "p95 < 20 ms",
            list(page(OrderFilter {
                search: Some(term.clone()),
                ..Default::default()
            })),
        ));
    }
    let today = Local::now().date_naive();
    let filters: Vec<(&str, OrderFilter)> = vec![
        ("newest first", OrderFilter::default()),
        (
            "oldest first",
            OrderFilter {
                sort: Sort::Oldest,
                ..Default::default()
            },
        ),
        (
            "highest amount",
            OrderFilter {
                sort: Sort::Highest,
                ..Default::default()
            },
        ),
        (
            "lowest amount",
            OrderFilter {
                sort: Sort::Lowest,
                ..Default::default()
            },
        ),
        (
            "provider Amilon",
            OrderFilter {
                provider: Some(ProviderId::Amilon),
                ..Default::default()
            },
        ),
        (
            "kind eSIM",
            OrderFilter {
                kind: Some(OrderKind::Esim),
                ..Default::default()
            },
        ),
        (
            "status unknown",
            OrderFilter {
                status: Some(OrderStatus::Unknown),
                ..Default::default()
            },
        ),
        (
            "status delivered, oldest",
            OrderFilter {
                status: Some(OrderStatus::Delivered),
                sort: Sort::Oldest,
                ..Default::default()
            },
        ),
        (
            "last 30 days",
            OrderFilter {
                from: Some(today - Days::days(30)),
                to: Some(today),
                ..Default::default()
            },
        ),
        (
            "a day five years ago",
            OrderFilter {
                from: Some(today - Days::days(1826)),
                to: Some(today - Days::days(1826)),
                ..Default::default()
            },
        ),
        (
            "without training",
            OrderFilter {
                training: Some(false),
                ..Default::default()
            },
        ),
        (
            "gift cards, highest",
            OrderFilter {
                kind: Some(OrderKind::Giftcard),
                sort: Sort::Highest,
                ..Default::default()
            },
        ),
    ];
    for (what, f) in filters {
        figures.push(measure(
            &format!("Orders filter: {what}, first page of 50"),
            "p95 < 5 ms",
            list(page(f)),
        ));
    }
    let report = |from: NaiveDate, to: NaiveDate| {
        let j = &journal;
        let rt = &rt;
        move || {
            rt.block_on(comptoir::report::report(j, from, to)).unwrap();
        }
    };
    figures.push(measure("day report (today)", "< 50 ms", report(today, today)));
    figures.push(measure(
        "month report (last 30 days)",
        "< 200 ms",
        report(today - Days::days(30), today),
    ));
    let data = dir.clone();
    for (what, term) in [
        ("Garcia", "Garcia"),
        ("Holiday", "Holiday"),
        ("a phone", typed_phone.as_str()),
        ("an ICCID", iccid.as_str()),
    ] {
        figures.push(process(
            &format!("`comptoir orders --search {what} --limit 50` (whole process)"),
            "median < 60 ms",
            &bin,
            &data,
            &["orders", "--search", term, "--limit", "50"],
        ));
    }
    figures.push(process(
        "`comptoir status` (start to exit)",
        "< 30 ms",
        &bin,
        &data,
        &["status"],
    ));

    let mut md = format!(
        "# Benchmarks\n\nWritten by `make bench` on {}.\n\nMachine: {}.\n\nJournal: {total} orders made by `comptoir seed --orders {orders} --days 3650` (every provider and kind, ten years), in `target/bench/`.\n\n| what | median | spread | target |\n| --- | --- | --- | --- |\n",
        Local::now().format("%Y-%m-%d %H:%M"),
        machine()
    );
    for f in &figures {
        md.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            f.what,
            ms(f.median),
            f.spread,
            f.target
        ));
    }
    md.push_str("\nNot measured by this suite yet: catalog sync of 22,000 items, the counter's filter in the browser, the eSIM sale's overhead, HTTP requests per operation, the window's start (see the benchmarks issue's note).\n");
    let out = workspace().join("bench/results.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, &md).unwrap();
    print!("{md}");
}
