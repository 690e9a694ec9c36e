//! The correcting receipt: money given back for lines not delivered is a
//! new ticket that names the receipt it corrects ("Ce ticket annule le
//! ticket n° X"); the receipt itself is never changed, and its reprints
//! say by which ticket it was corrected.
//!
//! Numbering: the refunds one settlement records together make one
//! correcting receipt, numbered after the receipt it corrects with `-R`
//! and its rank (`C1-000042-R1`). The number is written into each refund's
//! register record, so it is covered by the chain's hash and signature;
//! the refund chain's own gap-free sequence is what the auditor counts.
//! Refunds recorded before corrections were numbered (no number in their
//! record) are read as one correction, ranked first.

use super::receipt::tender_word;
use super::till::Receipt;
use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::Record;
use crate::receipt::{self, Ticket, Words};
use crate::types::{cents, Tender};
use serde::Serialize;

/// One correcting receipt: the lines it gives back, and how.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Correction {
    /// `C1-000042-R1`.
    pub number: String,
    /// The receipt it corrects.
    pub receipt: String,
    /// The lines given back.
    #[ts(type = "number[]")]
    pub lines: Vec<i64>,
    /// It gives back every line: the whole receipt is cancelled.
    pub whole: bool,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    /// When it was recorded (local time with its offset).
    pub at: String,
    /// The register's records it prints, oldest first.
    #[serde(skip)]
    #[ts(skip)]
    pub records: Vec<Record>,
}

/// `C1-000042` and rank 1 → `C1-000042-R1`.
pub fn number(receipt: &str, rank: usize) -> String {
    format!("{receipt}-R{rank}")
}

/// The receipt a correction number names, when it is one.
pub fn corrected(number: &str) -> Option<&str> {
    let (receipt, rank) = number.rsplit_once("-R")?;
    (!rank.is_empty() && rank.bytes().all(|b| b.is_ascii_digit())).then_some(receipt)
}

/// A receipt's corrections, in the order they were made.
pub async fn of(app: &Comptoir, receipt: &str, line_count: usize) -> Result<Vec<Correction>> {
    let records = app.journal.refund_records(receipt).await?;
    Ok(group(receipt, records, line_count))
}

/// Groups refund records by the correction they name (legacy ones
/// together, first).
fn group(receipt: &str, mut records: Vec<Record>, line_count: usize) -> Vec<Correction> {
    records.sort_by_key(|r| r.seq);
    let name = |r: &Record| r.values["correction"].as_str().unwrap_or("").to_string();
    let mut names: Vec<String> = Vec::new();
    for r in &records {
        let n = name(r);
        if !names.contains(&n) {
            names.push(n);
        }
    }
    // A legacy group (no number) ranks first.
    names.sort_by_key(|n| !n.is_empty());
    names
        .into_iter()
        .map(|n| {
            let mine: Vec<Record> = records.iter().filter(|r| name(r) == n).cloned().collect();
            let mut lines: Vec<i64> = mine.iter().filter_map(|r| r.values["line"].as_i64()).collect();
            lines.sort_unstable();
            lines.dedup();
            Correction {
                number: if n.is_empty() { number(receipt, 1) } else { n },
                receipt: receipt.to_string(),
                whole: lines.len() >= line_count,
                lines,
                amount_cents: mine.iter().filter_map(|r| r.values["amount"].as_i64()).sum(),
                at: mine.first().map(|r| r.at.clone()).unwrap_or_default(),
                records: mine,
            }
        })
        .collect()
}

/// The number the next correction of `receipt` takes.
pub fn next(receipt: &str, made: &[Correction]) -> String {
    number(receipt, made.len() + 1)
}

/// The correcting receipt as printed: the receipt it cancels, each line
/// given back with a negative amount, the means, the tax taken off each
/// rate, and the register's facts of its first record.
pub fn ticket(app: &Comptoir, r: &Receipt, c: &Correction) -> Result<Ticket> {
    let settings = app.settings()?;
    let w = receipt::words(&settings);
    let money = |c: i64| receipt::money(c, &r.currency, w);
    let cancels = if c.whole { w.cancels } else { w.cancels_part };
    let mut t = super::receipt::head(&settings, format!("{} {}", w.correction, c.number), &c.at);
    t.product = cancels.replace("{receipt}", &r.number);
    t.price = format!("{} {}", w.total, money(-c.amount_cents));
    for l in r.lines.iter().filter(|l| c.lines.contains(&l.line.line)) {
        t.sections
            .push(super::receipt::line_section(l, money(-l.line.amount_cents), w));
    }
    tax_lines(c, w, &money, &mut t.facts);
    for rec in &c.records {
        let tender: Option<Tender> = rec.values["tender"].as_str().and_then(|s| s.parse().ok());
        let amount = rec.values["amount"].as_i64().unwrap_or(0);
        let label = tender.map(|t| tender_word(t, w)).unwrap_or("?");
        t.facts.push((w.refunded.replace("{tender}", label), money(-amount)));
    }
    if let Some(cashier) = c.records.first().and_then(|r| r.values["cashier"].as_str()) {
        t.facts.push((w.cashier.into(), cashier.to_string()));
    }
    let signature = c.records.first().and_then(|rec| rec.signature.as_deref());
    super::receipt::register_footer(&mut t, w, &r.counter, signature);
    if r.training {
        super::receipt::mark_training(&mut t, w);
    }
    Ok(t)
}

/// The tax each rate gives back, split as the closings split it.
fn tax_lines(c: &Correction, w: &Words, money: &dyn Fn(i64) -> String, facts: &mut Vec<(String, String)>) {
    let mut by_rate: std::collections::BTreeMap<i64, (i64, i64)> = Default::default();
    let mut outside = 0;
    for rec in &c.records {
        let amount = rec.values["amount"].as_i64().unwrap_or(0);
        match rec.values["rate"].as_i64() {
            Some(rate) => {
                let (base, tax) = crate::types::tax::split(-amount, rate);
                let e = by_rate.entry(rate).or_default();
                *e = (e.0 + base, e.1 + tax);
            }
            None => outside -= amount,
        }
    }
    for (rate, (base, tax)) in by_rate {
        facts.push((
            w.vat.replace("{rate}", &crate::types::tax::rate_text(rate)),
            format!("{} {} · {} {}", w.excl_tax, money(base), w.tax, money(tax)),
        ));
    }
    if outside != 0 {
        facts.push((w.outside_vat.into(), money(outside)));
    }
}

/// A correction by its number, with the receipt it corrects.
pub async fn find(app: &Comptoir, number: &str) -> Result<(Receipt, Correction)> {
    let not_found =
        || Error::invalid("till.no_receipt", format!("no receipt {number} in the journal")).with("number", number);
    let receipt_number = corrected(number).ok_or_else(not_found)?;
    let r = super::till::receipt(app, receipt_number).await?;
    let c = r
        .corrections
        .iter()
        .find(|c| c.number == number)
        .cloned()
        .ok_or_else(not_found)?;
    Ok((r, c))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record(seq: i64, line: i64, amount: i64, correction: Option<&str>) -> Record {
        let mut values = json!({"receipt": "C1-000042", "line": line, "tender": "cash", "amount": amount});
        if let Some(c) = correction {
            values["correction"] = json!(c);
        }
        Record {
            chain: "refund".into(),
            seq,
            at: format!("2026-12-05T10:0{seq}:00+01:00"),
            counter: "C1".into(),
            values,
            prev_hash: String::new(),
            hash: String::new(),
            signature: None,
        }
    }

    #[test]
    fn a_correction_number_names_its_receipt() {
        assert_eq!(number("C1-000042", 2), "C1-000042-R2");
        assert_eq!(corrected("C1-000042-R2"), Some("C1-000042"));
        assert_eq!(corrected("C1-000042"), None);
        assert_eq!(corrected("C1-000042-R"), None);
        assert_eq!(corrected("C1-000042-Rx"), None);
    }

    #[test]
    fn refunds_settled_together_make_one_correction_and_legacy_ones_rank_first() {
        let records = vec![
            record(5, 3, 1000, Some("C1-000042-R2")),
            record(3, 1, 2500, None),
            record(4, 2, 1500, None),
            record(6, 3, 200, Some("C1-000042-R2")),
        ];
        let made = group("C1-000042", records, 3);
        assert_eq!(made.len(), 2);
        assert_eq!(made[0].number, "C1-000042-R1");
        assert_eq!(made[0].lines, vec![1, 2]);
        assert_eq!(made[0].amount_cents, 4000);
        assert!(!made[0].whole);
        assert_eq!(made[1].number, "C1-000042-R2");
        assert_eq!(made[1].lines, vec![3]);
        assert_eq!(made[1].amount_cents, 1200);
        assert_eq!(made[1].at, "2026-12-05T10:05:00+01:00");
        assert_eq!(next("C1-000042", &made), "C1-000042-R3");
        let whole = group("C1-000042", vec![record(1, 1, 100, Some("C1-000042-R1"))], 1);
        assert!(whole[0].whole);
    }
}
