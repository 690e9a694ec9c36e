//! The window (release build, under the bench's Xvfb display): from the
//! process's start to the counter painted (the line the window's
//! `painted` command writes in the log, seen arriving from outside), and
//! the memory the app and its WebKit processes hold once idle. The window
//! opens a copy of the million-order journal, as a shop's ten years.
//!
//! Memory is read from `/proc/<pid>/smaps_rollup`: resident (RSS) and
//! proportional (PSS: a page shared by n processes counts 1/n in each).
//! The app and its WebKit processes map the same libraries (WebKitGTK,
//! and Mesa's LLVM under Xvfb), so their RSS added up counts those pages
//! three times; the processes together are their PSS added up.

use crate::{Figure, Target};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

const RUNS: usize = 5;

pub fn figures(app: &Path, journal_dir: &Path, work: &Path) -> Vec<Figure> {
    if std::env::var_os("DISPLAY").is_none() {
        return vec![unmeasured(
            "the window's start and memory: no display (make bench runs in scripts/desktop-session)",
        )];
    }
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).unwrap();
    std::fs::copy(journal_dir.join("journal.sqlite"), work.join("journal.sqlite")).unwrap();
    let mut starts = Vec::new();
    let mut memory = None;
    for run in 0..=RUNS {
        let logs = work.join("logs");
        let _ = std::fs::remove_dir_all(&logs);
        let started = Instant::now();
        let mut child = Command::new(app)
            .env("COMPTOIR_DATA_DIR", work)
            .env("COMPTOIR_SECRET_STORE", "kernel")
            .env("LANG", "en_GB.UTF-8")
            .spawn()
            .unwrap();
        let painted = wait_for_line(&logs, "first screen painted", Duration::from_secs(30));
        let took = started.elapsed();
        if run == RUNS {
            // Idle: the start-up work done, nothing asked of it.
            std::thread::sleep(Duration::from_secs(5));
            let idle = resident(child.id());
            browse(work);
            memory = Some((idle, resident(child.id())));
        }
        stop(&mut child);
        assert!(painted, "the window never said it painted (see {})", logs.display());
        if run > 0 {
            starts.push(took); // the first run warms the disk cache
        }
    }
    starts.sort();
    let target = Target::Median(1000.0);
    let median = starts[RUNS / 2];
    let (m, browsed) = memory.unwrap();
    let mb = |kb: u64| kb / 1024;
    vec![
        Figure {
            what: "app start to the counter painted (release, Xvfb, a million-order journal)".into(),
            figure: crate::ms(median),
            spread: format!("{}–{}", crate::ms(starts[0]), crate::ms(starts[RUNS - 1])),
            target: target.text(),
            met: Some(target.met(median, starts[RUNS - 1])),
        },
        Figure {
            what: "memory, idle: the app process, resident (RSS)".into(),
            figure: format!("{} MB", mb(m.app_rss)),
            spread: format!(
                "PSS {} MB, of which private {} MB; one reading 5 s after painting",
                mb(m.app_pss),
                mb(m.app_anon)
            ),
            target: "< 150 MB".into(),
            met: Some(mb(m.app_rss) < 150),
        },
        Figure {
            what: "memory, idle: the app and its WebKit processes together (PSS added up)".into(),
            figure: format!("{} MB", mb(m.all_pss)),
            spread: format!("{} processes; their RSS added up: {} MB", m.processes, mb(m.all_rss)),
            target: "< 300 MB".into(),
            met: Some(mb(m.all_pss) < 300),
        },
        Figure {
            what: "memory after browsing the million orders (Orders screen, four searches, an order opened): the app and its WebKit processes (PSS added up)".into(),
            figure: format!("{} MB", mb(browsed.all_pss)),
            spread: format!(
                "the app alone: RSS {} MB, PSS {} MB; screenshot `target/bench/window/browsed.png`",
                mb(browsed.app_rss),
                mb(browsed.app_pss)
            ),
            target: "< 350 MB".into(),
            met: Some(mb(browsed.all_pss) < 350),
        },
    ]
}

/// Browses the journal as a cashier would, through the real window (the
/// window's English layout, which the bench starts it in): the Orders
/// screen, four searches, and an order of the last one opened. Clicks at the
/// places the screen puts things (1280×820, no window manager).
fn browse(work: &Path) {
    let xdotool = |args: &[&str]| {
        let ok = Command::new("xdotool").args(args).status().is_ok_and(|s| s.success());
        assert!(ok, "xdotool {args:?}");
    };
    let out = Command::new("xdotool")
        .args(["search", "--sync", "--onlyvisible", "--name", "^Comptoir$"])
        .output()
        .expect("xdotool (scripts/setup installs it)");
    let window = String::from_utf8_lossy(&out.stdout)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(!window.is_empty(), "the window was not found");
    let click = |x: &str, y: &str, times: &str| {
        xdotool(&["mousemove", "--window", &window, x, y, "click", "--repeat", times, "1"])
    };
    click("309", "28", "1"); // Orders
    std::thread::sleep(Duration::from_secs(2));
    for term in ["Garcia", "Holiday", "0684", "Marie"] {
        click("200", "178", "3"); // the search box, its text selected
        xdotool(&["type", "--delay", "40", term]);
        std::thread::sleep(Duration::from_millis(1500));
    }
    // An order of the last search's list, with its history.
    xdotool(&["key", "--window", &window, "End"]);
    std::thread::sleep(Duration::from_millis(300));
    click("600", "600", "1");
    std::thread::sleep(Duration::from_secs(2));
    let shot = work.join("browsed.png");
    let _ = Command::new("import").args(["-window", "root"]).arg(&shot).status();
}

fn unmeasured(what: &str) -> Figure {
    Figure {
        what: what.into(),
        figure: "—".into(),
        spread: String::new(),
        target: String::new(),
        met: None,
    }
}

/// Whether a line holding `needle` appears in a log file under `dir`.
fn wait_for_line(dir: &Path, needle: &str, within: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < within {
        let files: Vec<PathBuf> = std::fs::read_dir(dir)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        if files
            .iter()
            .any(|f| std::fs::read_to_string(f).is_ok_and(|t| t.contains(needle)))
        {
            return true;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    false
}

struct Memory {
    app_rss: u64,
    app_pss: u64,
    app_anon: u64,
    all_rss: u64,
    all_pss: u64,
    processes: usize,
}

/// Memory (kB) of the process, and of it with every descendant.
fn resident(pid: u32) -> Memory {
    let mut family = vec![pid];
    let mut i = 0;
    while i < family.len() {
        let parent = family[i];
        for entry in std::fs::read_dir("/proc").unwrap().flatten() {
            let Some(p) = entry.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
                continue;
            };
            let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
            // pid (comm) state ppid ...: the name may hold spaces, so after ')'.
            let ppid = stat
                .rsplit_once(')')
                .and_then(|(_, rest)| rest.split_whitespace().nth(1))
                .and_then(|s| s.parse::<u32>().ok());
            if ppid == Some(parent) && !family.contains(&p) {
                family.push(p);
            }
        }
        i += 1;
    }
    let field = |p: u32, file: &str, name: &str| {
        std::fs::read_to_string(format!("/proc/{p}/{file}"))
            .unwrap_or_default()
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
            .unwrap_or(0)
    };
    Memory {
        app_rss: field(pid, "smaps_rollup", "Rss:"),
        app_pss: field(pid, "smaps_rollup", "Pss:"),
        app_anon: field(pid, "status", "RssAnon:"),
        all_rss: family.iter().map(|p| field(*p, "smaps_rollup", "Rss:")).sum(),
        all_pss: family.iter().map(|p| field(*p, "smaps_rollup", "Pss:")).sum(),
        processes: family.len(),
    }
}

fn stop(child: &mut Child) {
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(5) {
        if child.try_wait().ok().flatten().is_some() {
            return;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let _ = child.kill();
    let _ = child.wait();
}
