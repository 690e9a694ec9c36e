//! `comptoir register verify`: every chain recomputed from its first
//! record (sequence, previous hash, hash, signature), the head file
//! checked against the journal, and the journal's receipts, payments,
//! refunds and orders checked against their records. The first defect is
//! named (which chain, which record, what), recorded, and exits 6.

use super::signing_key;
use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{hash_of, Record, GENESIS};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What a clean verification checked.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Verified {
    #[ts(type = "number")]
    pub records: i64,
    /// Records per chain.
    #[ts(type = "Record<string, number>")]
    pub chains: BTreeMap<String, i64>,
    /// Receipts, refunds and orders checked against their records.
    #[ts(type = "number")]
    pub cross_checked: i64,
    pub ok: bool,
}

/// A defect: which chain and record, and what is wrong.
fn tampered(chain: &str, seq: i64, what: &str, message: String) -> Error {
    Error::new(ErrorKind::Tampered, "register.tampered", message)
        .with("chain", chain)
        .with("seq", seq)
        .with("what", what)
}

const PAGE: i64 = 5000;

/// Verifies everything; `progress(done, total)` is told as records are read.
pub async fn verify(app: &Comptoir, progress: &(dyn Fn(i64, i64) + Sync)) -> Result<Verified> {
    let found = run(app, progress).await;
    if let Err(e) = &found {
        if e.kind == ErrorKind::Tampered {
            // Recorded: the defect found is itself part of the register.
            let details = serde_json::json!({"code": e.code, "params": e.params, "message": e.message});
            if let Err(w) = super::event(app, "integrity_defect", details).await {
                tracing::error!(code = %w.code, "the defect found could not be recorded");
            }
        }
    }
    found
}

async fn run(app: &Comptoir, progress: &(dyn Fn(i64, i64) + Sync)) -> Result<Verified> {
    let key = signing_key(app)?.verifying_key();
    let total = app.journal.register_count().await?;
    let heads = app.journal.register_heads().await?;
    let mut chains = BTreeMap::new();
    let mut done = 0;
    for chain in heads.keys() {
        let n = verify_chain(app, &key, chain, &mut |k| {
            done += k;
            progress(done, total)
        })
        .await?;
        chains.insert(chain.clone(), n);
    }
    check_head_file(app, &key, &heads)?;
    check_closings(app).await?;
    let cross_checked = cross_check(app).await?;
    Ok(Verified {
        records: total,
        chains,
        cross_checked,
        ok: true,
    })
}

async fn verify_chain(
    app: &Comptoir,
    key: &VerifyingKey,
    chain: &str,
    read: &mut (dyn FnMut(i64) + Send),
) -> Result<i64> {
    let (mut after, mut prev) = (0i64, GENESIS.to_string());
    loop {
        let page = app.journal.register_page(chain, after, PAGE).await?;
        if page.is_empty() {
            return Ok(after);
        }
        for r in &page {
            check_record(key, r, after + 1, &prev)?;
            after = r.seq;
            prev = r.hash.clone();
        }
        read(page.len() as i64);
    }
}

fn check_record(key: &VerifyingKey, r: &Record, expected_seq: i64, prev: &str) -> Result<()> {
    let (chain, seq) = (r.chain.as_str(), r.seq);
    if seq != expected_seq {
        return Err(tampered(
            chain,
            expected_seq,
            "missing",
            format!(
                "the {chain} chain jumps from record {} to {seq}: records are missing",
                expected_seq - 1
            ),
        ));
    }
    if r.prev_hash != prev {
        return Err(tampered(
            chain,
            seq,
            "link",
            format!("{chain} record {seq} does not follow the record before it (moved, swapped or removed)"),
        ));
    }
    if hash_of(&r.prev_hash, chain, seq, &r.at, &r.counter, &r.values) != r.hash {
        return Err(tampered(
            chain,
            seq,
            "values",
            format!("{chain} record {seq} was changed after it was written (its values no longer give its hash)"),
        ));
    }
    if !signed_by(key, r.hash.as_bytes(), r.signature.as_deref()) {
        return Err(tampered(
            chain,
            seq,
            "signature",
            format!("{chain} record {seq} is not signed by this installation's key"),
        ));
    }
    Ok(())
}

fn signed_by(key: &VerifyingKey, message: &[u8], signature: Option<&str>) -> bool {
    use base64::Engine;
    let Some(sig) = signature.and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok()) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&sig) else {
        return false;
    };
    key.verify(message, &sig).is_ok()
}

/// The head file: signed by the key, and never ahead of the journal.
fn check_head_file(app: &Comptoir, key: &VerifyingKey, heads: &BTreeMap<String, (i64, String)>) -> Result<()> {
    let Some(path) = app.journal.head_path() else {
        return Ok(());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if heads.is_empty() => return Ok(()),
        Err(_) => {
            return Err(tampered(
                "head",
                0,
                "head_missing",
                format!("the register's head file {} is missing", path.display()),
            ))
        }
    };
    let file: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        tampered(
            "head",
            0,
            "head_unreadable",
            "the register's head file is not what Comptoir wrote".into(),
        )
    })?;
    let body = serde_json::json!({"v": file["v"], "chains": file["chains"]});
    let canonical = crate::journal::canonical(&body);
    if !signed_by(key, canonical.as_bytes(), file["signature"].as_str()) {
        return Err(tampered(
            "head",
            0,
            "head_signature",
            "the register's head file is not signed by this installation's key".into(),
        ));
    }
    for (chain, head) in file["chains"].as_object().into_iter().flatten() {
        let seq = head["seq"].as_i64().unwrap_or(0);
        let hash = head["hash"].as_str().unwrap_or("");
        if heads.get(chain).is_some_and(|(last, _)| *last == seq) && heads[chain].1 != hash {
            return Err(tampered(
                chain,
                seq,
                "head_differs",
                format!(
                    "the {chain} chain's record {seq} is not the one the head file names: the journal was replaced"
                ),
            ));
        }
        match heads.get(chain) {
            Some((last, _)) if *last >= seq => {}
            _ => {
                let has = heads.get(chain).map_or(0, |(s, _)| *s);
                return Err(tampered(
                    chain,
                    seq,
                    "cut_off",
                    format!("the {chain} chain ends at record {has} but reached {seq}: its last records were cut off, or an older copy of the journal was put back"),
                ));
            }
        }
    }
    Ok(())
}

/// The journal's receipts, payments, refunds and orders against their records.
async fn cross_check(app: &Comptoir) -> Result<i64> {
    let j = &app.journal;
    let mut checked = 0;
    let receipts = j.receipt_facts().await?;
    // Training receipts and refunds are in their own chain, shaped alike.
    let training = j.register_page("training", 0, i64::MAX).await?;
    let records = j.register_page("receipt", 0, i64::MAX).await?;
    let by_number: HashMap<String, &Record> = records
        .iter()
        .chain(training.iter())
        .filter_map(|r| r.values["number"].as_str().map(|n| (n.to_string(), r)))
        .collect();
    for (number, (facts, before)) in &receipts {
        let Some(r) = by_number.get(number) else {
            if *before {
                continue;
            }
            return Err(tampered(
                "receipt",
                0,
                "unrecorded",
                format!("receipt {number} has no record in the register"),
            ));
        };
        if ["total", "change", "payments"]
            .iter()
            .any(|k| r.values[*k] != facts[*k])
        {
            return Err(tampered(
                "receipt",
                r.seq,
                "journal_differs",
                format!("receipt {number} in the journal differs from its record {}: its total, change or payments were edited", r.seq),
            ));
        }
        checked += 1;
    }
    for (number, r) in &by_number {
        if !receipts.contains_key(number) {
            return Err(tampered(
                "receipt",
                r.seq,
                "deleted",
                format!("receipt {number} was removed from the journal (record {})", r.seq),
            ));
        }
    }
    let refunds = j.refund_facts().await?;
    let mut refund_records = j.register_page("refund", 0, i64::MAX).await?;
    refund_records.extend(training.iter().filter(|r| r.values.get("number").is_none()).cloned());
    let key = |v: &serde_json::Value| {
        (
            v["receipt"].as_str().unwrap_or("").to_string(),
            v["line"].as_i64().unwrap_or(0),
            v["tender"].as_str().unwrap_or("").to_string(),
        )
    };
    let recorded: HashMap<_, &Record> = refund_records.iter().map(|r| (key(&r.values), r)).collect();
    for (f, before) in &refunds {
        match recorded.get(&key(f)) {
            Some(r) if r.values["amount"] == f["amount"] => checked += 1,
            Some(r) => {
                return Err(tampered(
                    "refund",
                    r.seq,
                    "journal_differs",
                    format!("a refund of receipt {} differs from its record {}", key(f).0, r.seq),
                ))
            }
            None if *before => {}
            None => {
                return Err(tampered(
                    "refund",
                    0,
                    "unrecorded",
                    format!("a refund of receipt {} has no record", key(f).0),
                ))
            }
        }
    }
    if refunds.iter().filter(|(_, before)| !before).count() < refund_records.len() {
        return Err(tampered(
            "refund",
            0,
            "deleted",
            "a refund was removed from the journal".into(),
        ));
    }
    // Each order bought for a receipt: its amount as recorded, and not
    // delivered when its line was given back.
    for (number, line, amount, status) in j.receipt_order_facts().await? {
        let Some(r) = by_number.get(&number) else { continue };
        let recorded_amount = r.values["lines"]
            .as_array()
            .and_then(|ls| ls.iter().find(|l| l["line"].as_i64() == Some(line)))
            .and_then(|l| l["amount"].as_i64());
        if recorded_amount != Some(amount) {
            return Err(tampered(
                "receipt",
                r.seq,
                "order_differs",
                format!(
                    "an order of receipt {number} (line {line}) differs from the record {}: its amount was edited",
                    r.seq
                ),
            ));
        }
        let refunded = refund_records
            .iter()
            .any(|f| f.values["receipt"].as_str() == Some(number.as_str()) && f.values["line"].as_i64() == Some(line));
        if refunded && status == "delivered" {
            return Err(tampered("refund", 0, "order_differs", format!("line {line} of receipt {number} was given back, yet its order says delivered: its status was edited")));
        }
        checked += 1;
    }
    Ok(checked)
}

/// Every closing made again from what it covers: a day's from its
/// receipts and refunds (a contiguous run after the previous day's), a
/// month's or year's from the closings inside it (all of them).
async fn check_closings(app: &Comptoir) -> Result<()> {
    use crate::journal::closing as values;
    let j = &app.journal;
    let all = j.closings(None).await?;
    let mut previous_day: Option<&Record> = None;
    for c in &all {
        let kind = c.values["kind"].as_str().unwrap_or("");
        let again = if kind == "day" {
            let mut runs = Vec::new();
            for chain in crate::journal::TAKINGS {
                let after = c.values["after"][chain].as_i64().unwrap_or(0);
                let upto = c.values["covers"][chain][1].as_i64().unwrap_or(after);
                runs.push(j.register_range(chain, after, upto).await?);
            }
            let day = c.values["from"].as_str().and_then(|d| d.parse().ok());
            let again = day.map(|d| values::day_values(d, &runs[0], &runs[1], previous_day));
            previous_day = Some(c);
            again
        } else {
            let part = if kind == "month" { "day" } else { "month" };
            let (from, to) = (c.values["from"].as_str(), c.values["to"].as_str());
            let parts: Vec<Record> = all
                .iter()
                .filter(|p| p.seq < c.seq && p.values["kind"] == part)
                .filter(|p| p.values["from"].as_str() >= from && p.values["to"].as_str() <= to)
                .cloned()
                .collect();
            let period = crate::journal::Period {
                kind: kind.parse()?,
                from: from.and_then(|d| d.parse().ok()).unwrap_or_default(),
                to: to.and_then(|d| d.parse().ok()).unwrap_or_default(),
            };
            Some(values::sum_values(&period, &parts))
        };
        if again.as_ref() != Some(&c.values) {
            return Err(tampered(
                "closing",
                c.seq,
                "closing_differs",
                format!(
                    "closing {} ({} {}) is not what its sales add up to",
                    c.seq,
                    kind,
                    c.values["period"].as_str().unwrap_or("?")
                ),
            ));
        }
    }
    Ok(())
}
