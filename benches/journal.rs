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
use comptoir::app::orders::COUNTED;
use comptoir::journal::{Journal, OrderFilter, OrderKind, OrderStatus, Sort};
use comptoir::providers::ProviderId;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const RUNS: usize = 21;
const PROCESS_RUNS: usize = 11;

#[path = "support/operations.rs"]
mod operations;
// The tests' throw-away PostgreSQL server, for the shared journal's figures.
#[allow(dead_code)]
#[path = "../tests/it/pg_server.rs"]
mod pg_server;
#[path = "support/register.rs"]
mod register;
#[path = "support/shared.rs"]
mod shared;
#[path = "support/window.rs"]
mod window;

/// One line of the table: what was measured, its figure and spread, the
/// target, and whether the figure meets it (checked here, not by eye).
pub struct Figure {
    pub what: String,
    pub figure: String,
    pub spread: String,
    pub target: String,
    pub met: Option<bool>,
}

pub fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

/// A target in milliseconds, on the median or the p95.
#[derive(Clone, Copy)]
pub enum Target {
    Median(f64),
    P95(f64),
}

impl Target {
    fn text(self) -> String {
        match self {
            Target::Median(t) => format!("median < {}", pretty(t)),
            Target::P95(t) => format!("p95 < {}", pretty(t)),
        }
    }
    fn met(self, median: Duration, p95: Duration) -> bool {
        match self {
            Target::Median(t) => median.as_secs_f64() * 1000.0 < t,
            Target::P95(t) => p95.as_secs_f64() * 1000.0 < t,
        }
    }
}

fn pretty(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{} s", ms / 1000.0)
    } else {
        format!("{ms} ms")
    }
}

/// Median and p95 of `RUNS` runs (after one warm-up).
pub fn measure(what: &str, target: Target, mut f: impl FnMut()) -> Figure {
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
    let median = times[RUNS / 2];
    Figure {
        what: what.into(),
        figure: ms(median),
        spread: format!("p95 {}", ms(p95)),
        target: target.text(),
        met: Some(target.met(median, p95)),
    }
}

/// Median and min–max of `runs` whole runs of a command (after one
/// warm-up run), each started afresh.
pub fn process_with(what: &str, target: Target, runs: usize, command: impl Fn() -> Command) -> Figure {
    let run = || {
        let start = Instant::now();
        let out = command().output().expect("the command runs");
        assert!(out.status.success(), "{what}: {}", String::from_utf8_lossy(&out.stderr));
        start.elapsed()
    };
    run();
    let mut times: Vec<Duration> = (0..runs).map(|_| run()).collect();
    times.sort();
    let median = times[runs / 2];
    let p95 = times[(runs * 95).div_ceil(100) - 1];
    Figure {
        what: what.into(),
        figure: ms(median),
        spread: format!("{}–{}", ms(times[0]), ms(times[runs - 1])),
        target: target.text(),
        met: Some(target.met(median, p95)),
    }
}

/// `process_with` for the real binary on the bench's journal.
fn process(what: &str, target: Target, bin: &Path, data: &Path, args: &[&str]) -> Figure {
    process_with(what, target, PROCESS_RUNS, || {
        let mut c = Command::new(bin);
        c.args(args)
            .env("COMPTOIR_DATA_DIR", data)
            .env("COMPTOIR_SECRET_STORE", "kernel");
        c
    })
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

/// How the bench's journal is seeded; a journal seeded otherwise is
/// seeded again.
const SEEDED: &str = "seed --days 3650 --live";

fn seed_command(bin: &Path, dir: &Path, orders: usize) -> Command {
    let mut c = Command::new(bin);
    c.args([
        "--json",
        "seed",
        "--orders",
        &orders.to_string(),
        "--days",
        "3650",
        "--live",
    ])
    .env("COMPTOIR_DATA_DIR", dir)
    .env("COMPTOIR_SECRET_STORE", "kernel");
    c
}

/// The journal of `orders` orders, made by `comptoir seed` once and kept
/// (with how long that took, when it was this run).
fn journal_dir(bin: &Path, orders: usize) -> (PathBuf, Option<Duration>) {
    let dir = workspace().join(format!("target/bench/orders-{orders}"));
    let done = dir.join("seeded");
    if std::fs::read_to_string(&done).is_ok_and(|s| s.trim() == format!("{orders} {SEEDED}")) {
        return (dir, None);
    }
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let start = Instant::now();
    let out = seed_command(bin, &dir, orders).output().unwrap();
    assert!(out.status.success(), "seed: {}", String::from_utf8_lossy(&out.stderr));
    let took = start.elapsed();
    std::fs::write(&done, format!("{orders} {SEEDED}\n")).unwrap();
    (dir, Some(took))
}

/// `comptoir seed` timed into a journal of its own, three times (or twice
/// more when the bench's journal was seeded by this run).
fn seed_figure(bin: &Path, orders: usize, this_run: Option<Duration>) -> Figure {
    let scratch = workspace().join("target/bench/seed-timing");
    let mut times: Vec<Duration> = this_run.into_iter().collect();
    while times.len() < 3 {
        let _ = std::fs::remove_dir_all(&scratch);
        std::fs::create_dir_all(&scratch).unwrap();
        let start = Instant::now();
        let out = seed_command(bin, &scratch, orders).output().unwrap();
        assert!(out.status.success(), "seed: {}", String::from_utf8_lossy(&out.stderr));
        times.push(start.elapsed());
    }
    let _ = std::fs::remove_dir_all(&scratch);
    times.sort();
    let target = Target::Median(60_000.0);
    Figure {
        what: format!("`comptoir seed --orders {orders} --days 3650 --live` (whole process, into an empty journal)"),
        figure: format!("{:.1} s", times[1].as_secs_f64()),
        spread: format!("{:.1} s–{:.1} s", times[0].as_secs_f64(), times[2].as_secs_f64()),
        target: target.text(),
        met: Some(target.met(times[1], times[2])),
    }
}

/// What `ui/tests/bench.mjs` measured in Chromium (make bench runs it first).
fn browser_figures() -> Vec<Figure> {
    let path = workspace().join("target/bench/ui.json");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{}: run ui/tests/bench.mjs first", path.display()));
    let figures: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    figures
        .iter()
        .map(|f| {
            let (median, p95) = (f["median"].as_f64().unwrap(), f["p95"].as_f64().unwrap());
            let target = Target::P95(16.0);
            Figure {
                what: f["what"].as_str().unwrap().into(),
                figure: format!("{median:.1} ms"),
                spread: format!("p95 {p95:.1} ms"),
                target: target.text(),
                met: Some(target.met(
                    Duration::from_secs_f64(median / 1000.0),
                    Duration::from_secs_f64(p95 / 1000.0),
                )),
            }
        })
        .collect()
}

/// A release binary's size once stripped (a stripped copy is measured).
fn stripped_size(name: &str) -> Figure {
    let bin = workspace().join("target/release").join(name);
    let copy = workspace().join("target/bench").join(format!("{name}.stripped"));
    std::fs::copy(&bin, &copy).unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let ok = Command::new("strip").arg(&copy).status().is_ok_and(|s| s.success());
    assert!(ok, "strip {}", copy.display());
    let mb = std::fs::metadata(&copy).unwrap().len() as f64 / 1_000_000.0;
    let _ = std::fs::remove_file(&copy);
    Figure {
        what: format!("release binary `{name}`, stripped"),
        figure: format!("{mb:.1} MB"),
        spread: "exact".into(),
        target: "< 25 MB".into(),
        met: Some(mb < 25.0),
    }
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

/// Ten counters of `BENCH_SHARED_ORDERS` (100,000) orders each on one PostgreSQL.
fn register_figures(bin: &Path) -> Vec<Figure> {
    let receipts: usize = std::env::var("BENCH_RECEIPTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    register::figures(bin, &workspace().join("target/bench/register"), receipts)
}

fn shared_figures(bin: &Path) -> Vec<Figure> {
    let per_counter = std::env::var("BENCH_SHARED_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    shared::figures(bin, &workspace().join("target/bench/shared"), 10, per_counter)
}

fn page(f: OrderFilter) -> OrderFilter {
    OrderFilter { limit: Some(50), ..f }
}

fn main() {
    // `BENCH_ONLY=shared` or `register`: those figures alone, printed
    // and not written (results.md holds whole runs only).
    let only = std::env::var("BENCH_ONLY").ok();
    if let Some(only @ ("shared" | "register")) = only.as_deref() {
        let figures = match only {
            "shared" => shared_figures(&binary()),
            _ => register_figures(&binary()),
        };
        for f in figures {
            println!(
                "| {} | {} | {} | {} | {:?} |",
                f.what, f.figure, f.spread, f.target, f.met
            );
        }
        return;
    }
    let orders: usize = std::env::var("BENCH_ORDERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1_000_000);
    let bin = binary();
    let (dir, seeded) = journal_dir(&bin, orders);
    let rt = tokio::runtime::Runtime::new().unwrap();
    let journal = rt.block_on(Journal::open(&dir.join("journal.sqlite"))).unwrap();
    let total = rt
        .block_on(journal.count_up_to(&OrderFilter::default(), i64::MAX - 1))
        .unwrap();
    let mut figures = vec![seed_figure(&bin, orders, seeded)];
    // A page of the Orders screen, as the window asks it: the orders and
    // how many match (up to the screen's count).
    let list = |f: OrderFilter| {
        let j = &journal;
        let rt = &rt;
        move || {
            rt.block_on(async { tokio::try_join!(j.list(&f), j.count_up_to(&f, COUNTED)) })
                .unwrap();
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
            &format!("Orders search: {what}, first page of 50 and the count"),
            Target::P95(20.0),
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
            &format!("Orders filter: {what}, first page of 50 and the count"),
            Target::P95(5.0),
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
    figures.push(measure("day report (today)", Target::P95(50.0), report(today, today)));
    figures.push(measure(
        "month report (last 30 days)",
        Target::P95(200.0),
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
            Target::Median(60.0),
            &bin,
            &data,
            &["orders", "--search", term, "--limit", "50"],
        ));
    }
    figures.push(process(
        "`comptoir status` (start to exit)",
        Target::Median(30.0),
        &bin,
        &data,
        &["status"],
    ));

    figures.extend(operations::figures(&bin, &workspace().join("target/bench/operations")));
    figures.extend(register_figures(&bin));
    figures.extend(shared_figures(&bin));
    figures.extend(browser_figures());
    figures.extend(window::figures(
        &workspace().join("target/release/comptoir-app"),
        &dir,
        &workspace().join("target/bench/window"),
    ));
    figures.push(stripped_size("comptoir"));
    figures.push(stripped_size("comptoir-app"));

    let mut md = format!(
        "# Benchmarks\n\nWritten by `make bench` on {}.\n\nMachine: {}.\n\nJournal: {total} orders made by `comptoir {SEEDED} --orders {orders}` (every provider and kind, ten years, one in fifty in training), in `target/bench/`.\n\n| what | figure | spread | target | met |\n| --- | --- | --- | --- | --- |\n",
        Local::now().format("%Y-%m-%d %H:%M"),
        machine()
    );
    for f in &figures {
        let met = match f.met {
            Some(true) => "yes",
            Some(false) => "**no**",
            None => "",
        };
        md.push_str(&format!(
            "| {} | {} | {} | {} | {met} |\n",
            f.what, f.figure, f.spread, f.target
        ));
    }
    md.push_str(&std::fs::read_to_string(workspace().join("bench/notes.md")).unwrap_or_default());
    let out = workspace().join("bench/results.md");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    std::fs::write(&out, &md).unwrap();
    print!("{md}");
}
