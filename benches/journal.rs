//! `make bench`: how the journal behaves at a busy shop's size. Seeds a
//! synthetic history, then times what the Orders screen, the report and the
//! export do. Figures, not pass/fail: the median of several runs is printed.

use chrono::{Duration as Days, Local};
use comptoir::journal::{write_csv, Journal, OrderFilter, OrderStatus, Sort};
use std::time::{Duration, Instant};

const ORDERS: usize = 100_000;
const RUNS: usize = 7;

fn median<F: FnMut()>(mut f: F) -> Duration {
    let mut times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[RUNS / 2]
}

fn main() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = rt.block_on(Journal::open(&dir.path().join("journal.sqlite"))).unwrap();
    let start = Instant::now();
    rt.block_on(comptoir::seed::seed(&journal, ORDERS, 365)).unwrap();
    println!("seed {ORDERS} orders (one transaction): {:?}", start.elapsed());

    let today = Local::now().date_naive();
    let cases: Vec<(&str, OrderFilter)> = vec![
        (
            "newest page (25)",
            OrderFilter {
                limit: Some(25),
                ..Default::default()
            },
        ),
        (
            "page 100 (25)",
            OrderFilter {
                limit: Some(25),
                offset: Some(2475),
                ..Default::default()
            },
        ),
        (
            "search phone prefix '61'",
            OrderFilter {
                search: Some("61".into()),
                limit: Some(25),
                ..Default::default()
            },
        ),
        (
            "search 'dupont europe'",
            OrderFilter {
                search: Some("dupont europe".into()),
                limit: Some(25),
                ..Default::default()
            },
        ),
        (
            "status unknown",
            OrderFilter {
                status: Some(OrderStatus::Unknown),
                limit: Some(25),
                ..Default::default()
            },
        ),
        (
            "last 30 days, search 'recharge'",
            OrderFilter {
                from: Some(today - Days::days(30)),
                to: Some(today),
                search: Some("recharge".into()),
                limit: Some(25),
                ..Default::default()
            },
        ),
        (
            "page 40, highest amount first",
            OrderFilter {
                sort: Sort::Highest,
                offset: Some(1000),
                limit: Some(25),
                ..Default::default()
            },
        ),
        (
            "live only, oldest first",
            OrderFilter {
                training: Some(false),
                sort: Sort::Oldest,
                limit: Some(25),
                ..Default::default()
            },
        ),
    ];
    println!("{:<34} {:>12} {:>12}", "query", "list", "count");
    for (name, f) in &cases {
        let list = median(|| {
            rt.block_on(journal.list(f)).unwrap();
        });
        let count = median(|| {
            rt.block_on(journal.count(f)).unwrap();
        });
        println!("{name:<34} {list:>12.2?} {count:>12.2?}");
    }
    let report = median(|| {
        rt.block_on(comptoir::report::report(&journal, today - Days::days(30), today))
            .unwrap();
    });
    println!("{:<34} {report:>12.2?}", "report, last 30 days");
    let all = OrderFilter {
        limit: Some(u32::MAX),
        ..Default::default()
    };
    let export = median(|| {
        let orders = rt.block_on(journal.list(&all)).unwrap();
        write_csv(std::io::sink(), &orders, b';').unwrap();
    });
    println!("{:<34} {export:>12.2?}", "CSV export of everything");
}
