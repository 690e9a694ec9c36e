//! The register at a million records: ten years of receipts made by
//! `comptoir seed --receipts` (each signed and chained, every day, month
//! and year closed as it went), then `register verify` over all of it, a
//! year's archive, a day's closing, and what a sale's records add to it.

use crate::{measure, process_with, Figure, Target};
use chrono::Datelike;
use comptoir::journal::Journal;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::time::Instant;

pub fn figures(bin: &Path, work: &Path, receipts: usize) -> Vec<Figure> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work).unwrap();
    let cli = |args: &[&str]| {
        let mut c = Command::new(bin);
        c.arg("--json")
            .args(args)
            .env("COMPTOIR_DATA_DIR", work)
            .env("COMPTOIR_SECRET_STORE", "kernel");
        c
    };
    // Seeded afresh each run: the kernel keyring holding the key that
    // signed it does not outlive the session.
    let start = Instant::now();
    let out = cli(&["seed", "--receipts", &receipts.to_string(), "--days", "3650"])
        .output()
        .unwrap();
    assert!(out.status.success(), "seed: {}", String::from_utf8_lossy(&out.stderr));
    let seeded = start.elapsed();
    let rt = tokio::runtime::Runtime::new().unwrap();
    let journal = rt.block_on(Journal::open(&work.join("journal.sqlite"))).unwrap();
    let records = rt.block_on(journal.register_count()).unwrap();
    let mut figures = vec![Figure {
        what: format!("`comptoir seed --receipts {receipts} --days 3650`: {records} register records, signed and closed day by day (whole process)"),
        figure: crate::ms(seeded),
        spread: "one run".into(),
        target: "—".into(),
        met: None,
    }];
    figures.push(process_with(
        &format!("`comptoir register verify` over {records} records: chains, signatures, closings recomputed, the journal cross-checked (whole process)"),
        Target::Median(10_000.0),
        3,
        || cli(&["register", "verify"]),
    ));
    // What one sale's record costs inside its write, and a day's closing
    // over the million: measured in transactions rolled back, so the
    // register stays as seeded. A throw-away key signs (its signature
    // is timed, not kept).
    let key = ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    journal.set_signer(Some(Arc::new(move |bytes: &[u8]| {
        use base64::Engine;
        use ed25519_dalek::Signer;
        Ok(base64::engine::general_purpose::STANDARD.encode(key.sign(bytes).to_bytes()))
    })));
    let sample = rt
        .block_on(journal.register_page("receipt", 0, 1))
        .unwrap()
        .remove(0)
        .values;
    figures.push(measure(
        "a day's closing (yesterday's receipts, and the month's and year's when due) at a million records",
        Target::P95(100.0),
        || {
            rt.block_on(async {
                let mut tx = journal.begin_write().await.unwrap();
                journal
                    .close_due_in(&mut tx, "event", &chrono::Local::now())
                    .await
                    .unwrap();
                tx.rollback().await.unwrap();
            })
        },
    ));
    // The seed's last day is over and not yet closed: the first record
    // of today closes it. A real shop pays that once a day (the figure
    // above); every later sale of the day pays only its own record, which
    // is what the next figure measures, once the closing is made (by the
    // command line, signed with the installation's key, so the register
    // still verifies).
    let out = cli(&["register", "close", "day"]).output().unwrap();
    assert!(out.status.success(), "close: {}", String::from_utf8_lossy(&out.stderr));
    figures.push(measure(
        "a sale's register record (the day's closing made by its first sale): appended, chained and signed in its write, at a million records",
        Target::P95(2.0),
        || {
            rt.block_on(async {
                let mut tx = journal.begin_write().await.unwrap();
                journal.append_in(&mut tx, "receipt", sample.clone()).await.unwrap();
                tx.rollback().await.unwrap();
            })
        },
    ));
    rt.block_on(journal.close());
    let year = chrono::Local::now().year() - 1;
    let zip = work.join("archive.zip");
    let (from, to) = (format!("{year}-01-01"), format!("{year}-12-31"));
    figures.push(process_with(
        &format!(
            "`comptoir register archive` of the year {year} ({} receipts or so)",
            receipts / 10
        ),
        Target::Median(30_000.0),
        3,
        || {
            cli(&[
                "register",
                "archive",
                "--from",
                &from,
                "--to",
                &to,
                "--out",
                zip.to_str().unwrap(),
            ])
        },
    ));
    figures
}
