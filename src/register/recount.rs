//! What `verify` checks beyond the chains: the closings made again from
//! the takings, and the journal's receipts, payments, refunds and orders
//! against their records. The takings are streamed past once (`Facts`
//! keeps what the checks need of each, not the records).

use super::verify::tampered;
use crate::error::Result;
use crate::journal::closing::{Recount, Taking};
use crate::journal::{RawRecord, Record};
use serde_json::Value;
use std::collections::HashMap;

/// A receipt's record as the journal is checked against it.
struct ReceiptFact {
    seq: i64,
    total: i64,
    change: i64,
    /// (means, amount), as the record lists them.
    payments: Vec<(String, i64)>,
    /// (line, amount)
    lines: Vec<(i64, i64)>,
}

/// What the checks keep of the takings as they stream past.
#[derive(Default)]
pub struct Facts {
    receipts: HashMap<String, ReceiptFact>,
    /// (receipt, line, means) → (amount, record)
    refunds: HashMap<(String, i64, String), (i64, i64)>,
    refund_records: usize,
}

fn refund_key(v: &Value) -> (String, i64, String) {
    (
        v["receipt"].as_str().unwrap_or("").to_string(),
        v["line"].as_i64().unwrap_or(0),
        v["tender"].as_str().unwrap_or("").to_string(),
    )
}

impl Facts {
    /// A record of `chain`, as it is read: training receipts and refunds
    /// are in their own chain, shaped alike, and in no closing.
    pub fn add(&mut self, chain: &str, r: &RawRecord, recount: &mut Recount<'_>) -> Result<()> {
        if !["receipt", "refund", "training"].contains(&chain) {
            return Ok(());
        }
        let Ok(v) = serde_json::from_str::<Taking>(&r.payload) else {
            return Err(tampered(
                chain,
                r.seq,
                "values",
                format!("{chain} record {} cannot be read", r.seq),
            ));
        };
        recount.add(chain, r.seq, &v);
        match &v.number {
            Some(number) => {
                let fact = ReceiptFact {
                    seq: r.seq,
                    total: v.total.unwrap_or(0),
                    change: v.change.unwrap_or(0),
                    payments: v.payments.iter().map(|p| (p.tender.to_string(), p.amount)).collect(),
                    lines: v.lines.iter().map(|l| (l.line, l.amount)).collect(),
                };
                self.receipts.insert(number.to_string(), fact);
            }
            None => {
                let key = (
                    v.receipt.as_deref().unwrap_or("").to_string(),
                    v.line.unwrap_or(0),
                    v.tender.as_deref().unwrap_or("").to_string(),
                );
                self.refunds.insert(key, (v.amount.unwrap_or(0), r.seq));
                self.refund_records += 1;
            }
        }
        Ok(())
    }
}

/// Every closing made again: a day's from the takings streamed past it
/// (a contiguous run after the previous day's), a month's or a year's
/// from the closings inside it (all of them).
pub fn check_closings(closings: &[Record], recount: Recount<'_>) -> Result<()> {
    use crate::journal::closing as values;
    let days: HashMap<i64, Value> = recount.finish().into_iter().map(|(c, v)| (c.seq, v)).collect();
    for c in closings {
        let kind = c.values["kind"].as_str().unwrap_or("");
        let again = if kind == "day" {
            days.get(&c.seq).cloned()
        } else {
            let part = if kind == "month" { "day" } else { "month" };
            let (from, to) = (c.values["from"].as_str(), c.values["to"].as_str());
            let parts: Vec<Record> = closings
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

/// The journal's receipts, refunds and the orders bought for receipts,
/// as they are now, against their records. Receipts and orders are read
/// a page at a time (a million of each are never held); the refunds are few.
pub async fn cross_check(j: &crate::journal::Journal, facts: &Facts) -> Result<i64> {
    let mut checked = 0;
    // Every recorded receipt found once in the journal (numbers are its
    // key): fewer found than recorded is one removed.
    let mut found = 0usize;
    j.each_receipt_fact(|journal| {
        let Some(r) = facts.receipts.get(&journal.number) else {
            if journal.before {
                return Ok(());
            }
            return Err(tampered(
                "receipt",
                0,
                "unrecorded",
                format!("receipt {} has no record in the register", journal.number),
            ));
        };
        found += 1;
        if journal.total != r.total || journal.change != r.change || journal.payments != r.payments {
            return Err(tampered(
                "receipt",
                r.seq,
                "journal_differs",
                format!(
                    "receipt {} in the journal differs from its record {}: its total, change or payments were edited",
                    journal.number, r.seq
                ),
            ));
        }
        checked += 1;
        Ok(())
    })
    .await?;
    if found < facts.receipts.len() {
        // Which one: only when one is missing, asked receipt by receipt.
        for (number, r) in &facts.receipts {
            if !j.has_receipt(number).await? {
                return Err(tampered(
                    "receipt",
                    r.seq,
                    "deleted",
                    format!("receipt {number} was removed from the journal (record {})", r.seq),
                ));
            }
        }
    }
    checked += check_refunds(&j.refund_facts().await?, facts)?;
    // Each order bought for a receipt: its amount as recorded, and not
    // delivered when its line was given back.
    let given_back: std::collections::HashSet<(&str, i64)> =
        facts.refunds.keys().map(|(n, l, _)| (n.as_str(), *l)).collect();
    j.each_receipt_order_fact(|number, line, amount, status| {
        let Some(r) = facts.receipts.get(number) else {
            return Ok(());
        };
        let recorded = r.lines.iter().find(|(l, _)| *l == line).map(|(_, a)| *a);
        if recorded != Some(amount) {
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
        if given_back.contains(&(number, line)) && status == "delivered" {
            return Err(tampered("refund", 0, "order_differs", format!("line {line} of receipt {number} was given back, yet its order says delivered: its status was edited")));
        }
        checked += 1;
        Ok(())
    })
    .await?;
    Ok(checked)
}

/// The journal's refunds against their records.
fn check_refunds(refunds: &[(Value, bool)], facts: &Facts) -> Result<i64> {
    let mut checked = 0;
    for (f, before) in refunds {
        let key = refund_key(f);
        match facts.refunds.get(&key) {
            Some((amount, _)) if Some(*amount) == f["amount"].as_i64() => checked += 1,
            Some((_, seq)) => {
                return Err(tampered(
                    "refund",
                    *seq,
                    "journal_differs",
                    format!("a refund of receipt {} differs from its record {seq}", key.0),
                ))
            }
            None if *before => {}
            None => {
                return Err(tampered(
                    "refund",
                    0,
                    "unrecorded",
                    format!("a refund of receipt {} has no record", key.0),
                ))
            }
        }
    }
    // Refunds from before the register have no record: the journal
    // holding fewer refunds than records is one removed.
    if refunds.len() < facts.refund_records {
        return Err(tampered(
            "refund",
            0,
            "deleted",
            "a refund was removed from the journal".into(),
        ));
    }
    Ok(checked)
}
