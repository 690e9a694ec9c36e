//! The register's closings (French anti-fraud rules for tills): a day's,
//! a month's and a fiscal year's takings, totalled by tax rate and by
//! means of payment, with the perpetual grand totals since the first
//! sale, recorded in the `closing` chain and signed like every record.
//!
//! Invariants:
//! - A day closes at the first record written after it ended (any
//!   record: a login after midnight closes yesterday), in the same write,
//!   so no sale is ever recorded before the closings it follows.
//! - A day closing covers a contiguous run of each takings chain
//!   (`receipt`, `refund`): every record after the previous closing's up
//!   to the last one dated that day. Months total their days' closings,
//!   fiscal years their months'; all are recomputed by `verify`.
//! - Nothing is recorded inside a closed period: a clock set back to a
//!   closed day is refused (`register.closed_period`) until it is right.
//!   Technical events alone are still written (a defect must be).
//! - Training receipts are in their own chain and in no closing.

use super::register::Record;
use super::Journal;
use crate::error::{Error, Result};
use chrono::{Datelike, NaiveDate};
use serde_json::{json, Value};
use std::borrow::Cow;
use std::collections::BTreeMap;

pub const CHAIN: &str = "closing";
/// The chains whose records are the shop's takings.
pub const TAKINGS: [&str; 2] = ["receipt", "refund"];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Day,
    Month,
    Year,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Day => "day",
            Kind::Month => "month",
            Kind::Year => "year",
        }
    }
}

impl std::str::FromStr for Kind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "day" => Ok(Kind::Day),
            "month" => Ok(Kind::Month),
            "year" => Ok(Kind::Year),
            _ => Err(Error::invalid(
                "register.bad_kind",
                format!("`{s}` is not a closing: day, month or year"),
            )),
        }
    }
}

/// A period a closing covers: its first and last day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub kind: Kind,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

fn month_end(year: i32, month: u32) -> NaiveDate {
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    };
    next.and_then(|d| d.pred_opt()).expect("a month has a last day")
}

impl Period {
    pub fn day(d: NaiveDate) -> Self {
        Period {
            kind: Kind::Day,
            from: d,
            to: d,
        }
    }

    pub fn month(d: NaiveDate) -> Self {
        Period {
            kind: Kind::Month,
            from: d.with_day(1).expect("day 1"),
            to: month_end(d.year(), d.month()),
        }
    }

    /// The fiscal year holding `d`, which ends with month `end`.
    pub fn year(d: NaiveDate, end: u32) -> Self {
        let last_year = if d.month() <= end { d.year() } else { d.year() + 1 };
        let to = month_end(last_year, end);
        let from = month_end(last_year - 1, end).succ_opt().expect("a next day");
        Period {
            kind: Kind::Year,
            from,
            to,
        }
    }

    pub fn of(kind: Kind, d: NaiveDate, fiscal_end: u32) -> Self {
        match kind {
            Kind::Day => Self::day(d),
            Kind::Month => Self::month(d),
            Kind::Year => Self::year(d, fiscal_end),
        }
    }

    /// How the closing names it: `2026-12-04`, `2026-12`, `2026-01-01/2026-12-31`.
    pub fn label(&self) -> String {
        match self.kind {
            Kind::Day => self.from.to_string(),
            Kind::Month => self.from.format("%Y-%m").to_string(),
            Kind::Year => format!("{}/{}", self.from, self.to),
        }
    }

    fn next(&self, fiscal_end: u32) -> Self {
        Self::of(self.kind, self.to.succ_opt().expect("a next day"), fiscal_end)
    }
}

fn date(v: &Value, key: &str) -> Option<NaiveDate> {
    v[key].as_str().and_then(|s| s.parse().ok())
}

/// What closings and `verify` read of a takings record (a receipt's or
/// a refund's values), read without copying what it does not need.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct Taking<'a> {
    #[serde(borrow)]
    pub number: Option<Cow<'a, str>>,
    pub total: Option<i64>,
    pub change: Option<i64>,
    pub out_of_scope: Option<i64>,
    pub taxes: Vec<RateRow>,
    #[serde(borrow)]
    pub payments: Vec<Paid<'a>>,
    #[serde(borrow)]
    pub currency: Option<Cow<'a, str>>,
    pub lines: Vec<LineAmount>,
    #[serde(borrow)]
    pub receipt: Option<Cow<'a, str>>,
    pub line: Option<i64>,
    #[serde(borrow)]
    pub tender: Option<Cow<'a, str>>,
    pub amount: Option<i64>,
    pub rate: Option<i64>,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct RateRow {
    pub rate: i64,
    pub base: i64,
    pub tax: i64,
    pub total: i64,
}

#[derive(serde::Deserialize)]
pub struct Paid<'a> {
    #[serde(borrow)]
    pub tender: Cow<'a, str>,
    #[serde(default)]
    pub amount: i64,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct LineAmount {
    pub line: i64,
    pub amount: i64,
}

impl<'a> Taking<'a> {
    /// From values already read (a record of the closing being made).
    pub fn of(v: &'a Value) -> Self {
        use serde::Deserialize;
        Taking::deserialize(v).unwrap_or_default()
    }
}

/// Totals being added up: per rate (excluding tax, tax, including tax),
/// out of scope, by means, and the period's grand totals.
#[derive(Default)]
struct Sums {
    by_rate: BTreeMap<i64, (i64, i64, i64)>,
    out_of_scope: i64,
    tenders: BTreeMap<String, i64>,
    receipts: i64,
    refunds: i64,
    refunded: i64,
    total: i64,
    absolute: i64,
    currency: Option<String>,
}

impl Sums {
    fn rate(&mut self, rate: i64, base: i64, tax: i64, total: i64) {
        let e = self.by_rate.entry(rate).or_default();
        *e = (e.0 + base, e.1 + tax, e.2 + total);
    }

    fn receipt(&mut self, v: &Taking<'_>) {
        self.receipts += 1;
        for t in &v.taxes {
            self.rate(t.rate, t.base, t.tax, t.total);
        }
        self.out_of_scope += v.out_of_scope.unwrap_or(0);
        for p in &v.payments {
            self.tender(&p.tender, p.amount);
        }
        let total = v.total.unwrap_or(0);
        self.total += total;
        self.absolute += total.abs();
        if self.currency.is_none() {
            self.currency = v.currency.as_deref().map(str::to_string);
        }
    }

    fn tender(&mut self, tender: &str, amount: i64) {
        match self.tenders.get_mut(tender) {
            Some(t) => *t += amount,
            None => {
                self.tenders.insert(tender.to_string(), amount);
            }
        }
    }

    /// A refund takes its amount off its line's rate (or out of scope)
    /// and off the means it was given back by.
    fn refund(&mut self, v: &Taking<'_>) {
        let amount = v.amount.unwrap_or(0);
        self.refunds += 1;
        self.refunded += amount;
        match v.rate {
            Some(rate) => {
                let (base, tax) = crate::types::tax::split(-amount, rate);
                self.rate(rate, base, tax, -amount);
            }
            None => self.out_of_scope -= amount,
        }
        self.tender(v.tender.as_deref().unwrap_or("?"), -amount);
        self.total -= amount;
        self.absolute += amount.abs();
    }

    /// A shorter period's closing inside a longer one.
    fn part(&mut self, v: &Value) {
        for t in v["taxes"].as_array().into_iter().flatten() {
            let n = |k: &str| t[k].as_i64().unwrap_or(0);
            self.rate(n("rate"), n("base"), n("tax"), n("total"));
        }
        self.out_of_scope += v["out_of_scope"].as_i64().unwrap_or(0);
        for p in v["tenders"].as_array().into_iter().flatten() {
            let tender = p["tender"].as_str().unwrap_or("?").to_string();
            *self.tenders.entry(tender).or_default() += p["amount"].as_i64().unwrap_or(0);
        }
        let n = |k: &str| v[k].as_i64().unwrap_or(0);
        self.receipts += n("receipts");
        self.refunds += n("refunds");
        self.refunded += n("refunded");
        self.total += n("period_total");
        self.absolute += n("period_absolute");
        if self.currency.is_none() {
            self.currency = v["currency"].as_str().map(str::to_string);
        }
    }

    fn values(self, period: &Period, perpetual: (i64, i64), extra: Value) -> Value {
        let taxes: Vec<Value> = self
            .by_rate
            .iter()
            .map(|(rate, (base, tax, total))| json!({"rate": rate, "base": base, "tax": tax, "total": total}))
            .collect();
        let tenders: Vec<Value> = self
            .tenders
            .iter()
            .map(|(t, a)| json!({"tender": t, "amount": a}))
            .collect();
        let mut v = json!({"kind": period.kind.as_str(), "period": period.label(),
            "from": period.from.to_string(), "to": period.to.to_string(),
            "receipts": self.receipts, "refunds": self.refunds, "refunded": self.refunded,
            "taxes": taxes, "out_of_scope": self.out_of_scope, "tenders": tenders,
            "period_total": self.total, "period_absolute": self.absolute,
            "perpetual_total": perpetual.0 + if period.kind == Kind::Day { self.total } else { 0 },
            "perpetual_absolute": perpetual.1 + if period.kind == Kind::Day { self.absolute } else { 0 },
            "currency": self.currency.unwrap_or_else(|| "EUR".into())});
        if let (Some(o), Some(e)) = (v.as_object_mut(), extra.as_object()) {
            o.extend(e.clone());
        }
        v
    }
}

fn perpetual_of(v: Option<&Value>) -> (i64, i64) {
    v.map_or((0, 0), |v| {
        (
            v["perpetual_total"].as_i64().unwrap_or(0),
            v["perpetual_absolute"].as_i64().unwrap_or(0),
        )
    })
}

/// A day closing's values from the records it covers and the previous
/// day closing (its perpetual totals); `verify` computes it again.
pub fn day_values(day: NaiveDate, receipts: &[Record], refunds: &[Record], previous: Option<&Record>) -> Value {
    let mut sums = Sums::default();
    receipts.iter().for_each(|r| sums.receipt(&Taking::of(&r.values)));
    refunds.iter().for_each(|r| sums.refund(&Taking::of(&r.values)));
    let range = |rs: &[Record]| match (rs.first(), rs.last()) {
        (Some(a), Some(b)) => json!([a.seq, b.seq]),
        _ => Value::Null,
    };
    let after = json!({"receipt": covered(previous, "receipt"), "refund": covered(previous, "refund")});
    let covers = json!({"covers": {"receipt": range(receipts), "refund": range(refunds)}, "after": after});
    sums.values(&Period::day(day), perpetual_of(previous.map(|p| &p.values)), covers)
}

/// Day closings made again from records streamed past them, in chain
/// order (`verify` reads a million records once and keeps none): each
/// record is added to the day closing whose run it falls in.
pub struct Recount<'a> {
    days: Vec<DayCount<'a>>,
}

struct DayCount<'a> {
    closing: &'a Record,
    previous: Option<&'a Record>,
    /// Per takings chain: the run it claims (after, up to).
    claims: [(i64, i64); 2],
    seen: [Option<(i64, i64)>; 2],
    sums: Sums,
}

impl<'a> Recount<'a> {
    /// `closings`: every closing, in order.
    pub fn new(closings: &'a [Record]) -> Self {
        let mut days = Vec::new();
        let mut previous = None;
        for c in closings.iter().filter(|c| c.values["kind"] == "day") {
            let claim = |chain: &str| {
                let after = c.values["after"][chain].as_i64().unwrap_or(0);
                (after, c.values["covers"][chain][1].as_i64().unwrap_or(after))
            };
            days.push(DayCount {
                closing: c,
                previous,
                claims: [claim(TAKINGS[0]), claim(TAKINGS[1])],
                seen: [None, None],
                sums: Sums::default(),
            });
            previous = Some(c);
        }
        Recount { days }
    }

    /// A record of a takings chain (`receipt` or `refund`).
    pub fn add(&mut self, chain: &str, seq: i64, values: &Taking<'_>) {
        let Some(i) = TAKINGS.iter().position(|c| *c == chain) else {
            return;
        };
        // The runs follow each other: the one holding `seq` is found by halves.
        let at = self.days.partition_point(|d| d.claims[i].1 < seq);
        let Some(day) = self.days.get_mut(at).filter(|d| d.claims[i].0 < seq) else {
            return;
        };
        if i == 0 {
            day.sums.receipt(values);
        } else {
            day.sums.refund(values);
        }
        day.seen[i] = Some(day.seen[i].map_or((seq, seq), |(first, _)| (first, seq)));
    }

    /// Each day closing with the values its records give.
    pub fn finish(self) -> Vec<(&'a Record, Value)> {
        self.days
            .into_iter()
            .map(|d| {
                let range = |s: Option<(i64, i64)>| s.map_or(Value::Null, |(a, b)| json!([a, b]));
                let prev = d.previous;
                let after = json!({"receipt": covered(prev, "receipt"), "refund": covered(prev, "refund")});
                let covers =
                    json!({"covers": {"receipt": range(d.seen[0]), "refund": range(d.seen[1])}, "after": after});
                let day = date(&d.closing.values, "from").unwrap_or_default();
                let values = d
                    .sums
                    .values(&Period::day(day), perpetual_of(prev.map(|p| &p.values)), covers);
                (d.closing, values)
            })
            .collect()
    }
}

/// A month's or a year's closing from the closings it is made of.
pub fn sum_values(period: &Period, parts: &[Record]) -> Value {
    let mut sums = Sums::default();
    parts.iter().for_each(|p| sums.part(&p.values));
    let last = parts.last().map(|p| &p.values);
    let seqs: Vec<i64> = parts.iter().map(|p| p.seq).collect();
    sums.values(period, perpetual_of(last), json!({"parts": seqs}))
}

type Tx = sqlx::Transaction<'static, sqlx::Sqlite>;

impl Journal {
    /// The month the fiscal year ends with (the shells set it from Settings).
    pub fn set_fiscal_year_end(&self, month: u32) {
        self.fiscal_end
            .store(month.clamp(1, 12), std::sync::atomic::Ordering::Relaxed);
    }

    pub fn fiscal_year_end(&self) -> u32 {
        self.fiscal_end.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// Before a record is written at `now`: refuses a clock inside a
    /// closed period, then makes every closing that is due (public for
    /// the benchmark, which times it in a transaction rolled back).
    pub async fn close_due_in(&self, tx: &mut Tx, chain: &str, now: &chrono::DateTime<chrono::Local>) -> Result<()> {
        if chain == CHAIN {
            return Ok(());
        }
        let today = now.date_naive();
        let checked = Checked {
            today,
            closings: sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM register WHERE chain = 'closing'")
                .fetch_one(&mut **tx)
                .await?,
            fiscal_end: self.fiscal_year_end(),
        };
        if self.closings_checked() == Some(checked) {
            return Ok(());
        }
        let mut last = last_closing(tx, Kind::Day).await?;
        if let Some(closed) = last
            .as_ref()
            .and_then(|l| date(&l.values, "to"))
            .filter(|c| *c >= today)
        {
            if chain != "event" {
                return Err(closed_period(now, closed));
            }
            return Ok(());
        }
        let mut made = false;
        while let Some(day) = self.next_day_due(tx, last.as_ref(), today).await? {
            last = Some(self.close_day_in(tx, day, last.as_ref()).await?);
            made = true;
        }
        for kind in [Kind::Month, Kind::Year] {
            made |= self.close_sums_due_in(tx, kind, today).await?;
        }
        if !made {
            // Nothing was due: the same day with the same closings has
            // nothing due either (what is recorded from now on is dated
            // today), so the next record skips the look.
            self.set_closings_checked(checked);
        }
        Ok(())
    }

    fn closings_checked(&self) -> Option<Checked> {
        *self.closings_checked.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn set_closings_checked(&self, checked: Checked) {
        *self.closings_checked.lock().unwrap_or_else(|e| e.into_inner()) = Some(checked);
    }

    /// The first day with takings not yet closed, if it is over.
    async fn next_day_due(&self, tx: &mut Tx, last: Option<&Record>, today: NaiveDate) -> Result<Option<NaiveDate>> {
        let mut first: Option<NaiveDate> = None;
        for chain in TAKINGS {
            let after = covered(last, chain);
            let d: Option<String> = sqlx::query_scalar(
                "SELECT substr(at, 1, 10) FROM register WHERE chain = ? AND seq > ? ORDER BY seq LIMIT 1",
            )
            .bind(chain)
            .bind(after)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some(d) = d.and_then(|d| d.parse::<NaiveDate>().ok()) {
                first = Some(first.map_or(d, |f| f.min(d)));
            }
        }
        // Never before the day after the last closing (the runs are contiguous).
        let after_last = last.and_then(|l| date(&l.values, "to")).and_then(|d| d.succ_opt());
        let day = match (first, after_last) {
            (Some(f), Some(a)) => Some(f.max(a)),
            (f, _) => f,
        };
        Ok(day.filter(|d| *d < today))
    }

    /// Closes `day`: every takings record after the last closing's, up to
    /// the last one dated `day` or before.
    async fn close_day_in(&self, tx: &mut Tx, day: NaiveDate, last: Option<&Record>) -> Result<Record> {
        let mut runs = Vec::new();
        for chain in TAKINGS {
            let after = covered(last, chain);
            let upto: Option<i64> = sqlx::query_scalar(
                "SELECT MAX(seq) FROM register WHERE chain = ? AND seq > ? AND substr(at, 1, 10) <= ?",
            )
            .bind(chain)
            .bind(after)
            .bind(day.to_string())
            .fetch_one(&mut **tx)
            .await?;
            runs.push(match upto {
                Some(upto) => records_in(tx, chain, after, upto).await?,
                None => Vec::new(),
            });
        }
        let values = day_values(day, &runs[0], &runs[1], last);
        self.append_raw(tx, CHAIN, values, &chrono::Local::now()).await
    }

    /// Makes the month's (or fiscal year's) closings whose period is over.
    /// Makes the month's or year's closings due; says whether it made any.
    async fn close_sums_due_in(&self, tx: &mut Tx, kind: Kind, today: NaiveDate) -> Result<bool> {
        let fiscal_end = self.fiscal_year_end();
        let part = if kind == Kind::Month { Kind::Day } else { Kind::Month };
        let mut period = match last_closing(tx, kind).await? {
            Some(l) => Period::of(kind, date(&l.values, "to").unwrap_or(today), fiscal_end).next(fiscal_end),
            None => match first_closing(tx, part).await? {
                Some(f) => Period::of(kind, date(&f.values, "from").unwrap_or(today), fiscal_end),
                None => return Ok(false),
            },
        };
        let mut made = false;
        while period.to < today {
            let parts = closings_between(tx, part, period.from, period.to).await?;
            if !parts.is_empty() {
                self.append_raw(tx, CHAIN, sum_values(&period, &parts), &chrono::Local::now())
                    .await?;
                made = true;
            }
            period = period.next(fiscal_end);
        }
        Ok(made)
    }

    /// Makes every closing due now (the command line's `register close`
    /// does this first, as any record would).
    pub async fn close_due(&self) -> Result<()> {
        let mut tx = self.begin_write().await?;
        // As a technical event would: not refused on a clock set back.
        self.close_due_in(&mut tx, "event", &chrono::Local::now()).await?;
        tx.commit().await?;
        self.write_head().await
    }

    /// The closing of `period`, made now if it is over and not made (an
    /// empty day after the last closing gets its closing too). Returns it
    /// and whether it was made now.
    pub async fn close_period(&self, period: Period) -> Result<(Record, bool)> {
        let before = self.register_heads().await?.get(CHAIN).map_or(0, |(seq, _)| *seq);
        self.close_due().await?;
        let mut tx = self.begin_write().await?;
        if let Some(r) = closing_of(&mut tx, &period).await? {
            let made = r.seq > before;
            return Ok((r, made));
        }
        let today = chrono::Local::now().date_naive();
        if period.to >= today {
            return Err(Error::invalid(
                "register.not_due",
                format!(
                    "the {} {} is not over: it closes by itself at the first sale after it ends",
                    period.kind.as_str(),
                    period.label()
                ),
            )
            .with("period", period.label()));
        }
        let made = match period.kind {
            Kind::Day => {
                let last = last_closing(&mut tx, Kind::Day).await?;
                let after_last = last
                    .as_ref()
                    .and_then(|l| date(&l.values, "to"))
                    .is_none_or(|t| t < period.from);
                if !after_last {
                    return Err(nothing_to_close(&period));
                }
                // Nothing sold that day (else it would be closed): an empty closing.
                self.close_day_in(&mut tx, period.from, last.as_ref()).await?
            }
            kind => {
                let part = if kind == Kind::Month { Kind::Day } else { Kind::Month };
                let parts = closings_between(&mut tx, part, period.from, period.to).await?;
                if parts.is_empty() {
                    return Err(nothing_to_close(&period));
                }
                self.append_raw(&mut tx, CHAIN, sum_values(&period, &parts), &chrono::Local::now())
                    .await?
            }
        };
        tx.commit().await?;
        self.write_head().await?;
        Ok((made, true))
    }

    /// The closings made, oldest first (of one kind, or all).
    pub async fn closings(&self, kind: Option<Kind>) -> Result<Vec<Record>> {
        let all = self.register_page(CHAIN, 0, i64::MAX).await?;
        Ok(all
            .into_iter()
            .filter(|r| kind.is_none_or(|k| r.values["kind"] == k.as_str()))
            .collect())
    }

    /// A chain's records from `after` (excluded) to `upto` (included).
    pub async fn register_range(&self, chain: &str, after: i64, upto: i64) -> Result<Vec<Record>> {
        let mut conn = self.pool.acquire().await?;
        records_between(&mut conn, chain, after, upto).await
    }
}

fn closed_period(now: &chrono::DateTime<chrono::Local>, closed: NaiveDate) -> Error {
    let clock = now.format("%Y-%m-%d %H:%M").to_string();
    Error::invalid(
        "register.closed_period",
        format!("this computer's clock says {clock}, but the register closed {closed} already: nothing can be recorded in a closed day; set the computer's date and time right, then sell"),
    )
    .with("clock", clock)
    .with("closed", closed.to_string())
}

fn nothing_to_close(period: &Period) -> Error {
    Error::invalid(
        "register.nothing_to_close",
        format!(
            "nothing was recorded in the {} {}: there is no closing to make",
            period.kind.as_str(),
            period.label()
        ),
    )
    .with("period", period.label())
}

/// The last sequence of `chain` the closing `last` covers.
fn covered(last: Option<&Record>, chain: &str) -> i64 {
    let Some(last) = last else { return 0 };
    match last.values["covers"][chain][1].as_i64() {
        Some(seq) => seq,
        // The day had none of this chain: what the day before covered
        // is in its `after`.
        None => last.values["after"][chain].as_i64().unwrap_or(0),
    }
}

const COLUMNS: &str = "chain, seq, at, counter, payload, prev_hash, hash, signature";

async fn records_between(conn: &mut sqlx::SqliteConnection, chain: &str, after: i64, upto: i64) -> Result<Vec<Record>> {
    sqlx::query(&format!(
        "SELECT {COLUMNS} FROM register WHERE chain = ? AND seq > ? AND seq <= ? ORDER BY seq"
    ))
    .bind(chain)
    .bind(after)
    .bind(upto)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(super::register::record_from_row)
    .collect()
}

async fn records_in(tx: &mut Tx, chain: &str, after: i64, upto: i64) -> Result<Vec<Record>> {
    records_between(tx, chain, after, upto).await
}

async fn closing_query(tx: &mut Tx, sql: &str, binds: &[String]) -> Result<Vec<Record>> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b);
    }
    q.fetch_all(&mut **tx)
        .await?
        .iter()
        .map(super::register::record_from_row)
        .collect()
}

/// A look for closings due that found none: on `today`, with the closing
/// chain at `closings`, for a fiscal year ending in `fiscal_end`. Looking
/// costs a query per takings chain and per kind of closing (the year's
/// scans back through every day's closing), most of a sale's record at a
/// million records; a record that finds the same three skips it. A closing
/// made meanwhile, here or by another process, moves the chain and makes
/// the next record look again; so does midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checked {
    today: NaiveDate,
    closings: i64,
    fiscal_end: u32,
}

async fn last_closing(tx: &mut Tx, kind: Kind) -> Result<Option<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM register WHERE chain = 'closing' AND json_extract(payload, '$.kind') = ? ORDER BY seq DESC LIMIT 1");
    Ok(closing_query(tx, &sql, &[kind.as_str().into()]).await?.pop())
}

async fn first_closing(tx: &mut Tx, kind: Kind) -> Result<Option<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM register WHERE chain = 'closing' AND json_extract(payload, '$.kind') = ? ORDER BY seq LIMIT 1");
    Ok(closing_query(tx, &sql, &[kind.as_str().into()]).await?.pop())
}

async fn closing_of(tx: &mut Tx, period: &Period) -> Result<Option<Record>> {
    let sql = format!("SELECT {COLUMNS} FROM register WHERE chain = 'closing' AND json_extract(payload, '$.kind') = ? AND json_extract(payload, '$.period') = ? ORDER BY seq LIMIT 1");
    Ok(closing_query(tx, &sql, &[period.kind.as_str().into(), period.label()])
        .await?
        .pop())
}

/// The closings of `kind` whose period lies between two days, in order.
async fn closings_between(tx: &mut Tx, kind: Kind, from: NaiveDate, to: NaiveDate) -> Result<Vec<Record>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM register WHERE chain = 'closing' AND json_extract(payload, '$.kind') = ?
         AND json_extract(payload, '$.from') >= ? AND json_extract(payload, '$.to') <= ? ORDER BY seq"
    );
    closing_query(tx, &sql, &[kind.as_str().into(), from.to_string(), to.to_string()]).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn periods_are_days_months_and_fiscal_years() {
        assert_eq!(Period::month(d("2026-02-14")).to, d("2026-02-28"));
        assert_eq!(Period::month(d("2028-02-14")).to, d("2028-02-29"));
        let y = Period::year(d("2026-12-31"), 12);
        assert_eq!((y.from, y.to), (d("2026-01-01"), d("2026-12-31")));
        let y = Period::year(d("2026-07-01"), 6);
        assert_eq!((y.from, y.to), (d("2026-07-01"), d("2027-06-30")));
        assert_eq!(y.label(), "2026-07-01/2027-06-30");
        assert_eq!(Period::month(d("2026-12-04")).label(), "2026-12");
        assert_eq!(Period::day(d("2026-12-31")).next(12), Period::day(d("2027-01-01")));
    }

    async fn sell(j: &Journal, now: &str, number: &str) -> Result<()> {
        use chrono::TimeZone;
        let now = chrono::Local
            .from_local_datetime(&now.parse::<chrono::NaiveDateTime>().unwrap())
            .unwrap();
        let values = serde_json::json!({"number": number, "total": 1000, "currency": "EUR",
                                        "payments": [{"tender": "cash", "amount": 1000}]});
        let mut tx = j.begin_write().await?;
        j.close_due_in(&mut tx, "receipt", &now).await?;
        j.append_raw(&mut tx, "receipt", values, &now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The look for closings due, skipped while the day and the closings
    /// are those it last found nothing due with, is made again at midnight
    /// (the day before is closed at the first record after it) and on a
    /// clock set back (refused inside the closed day).
    #[tokio::test]
    async fn the_look_for_closings_due_is_made_again_after_midnight_and_on_a_clock_set_back() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("journal.sqlite")).await.unwrap();
        sell(&j, "2026-03-10T10:00:00", "C1-000001").await.unwrap();
        sell(&j, "2026-03-10T11:00:00", "C1-000002").await.unwrap();
        assert_eq!(j.closings(None).await.unwrap().len(), 0, "nothing due on the day");
        sell(&j, "2026-03-11T09:00:00", "C1-000003").await.unwrap();
        let closings = j.closings(None).await.unwrap();
        assert_eq!(closings.len(), 1, "the day before, closed at midnight's first record");
        assert_eq!(closings[0].values["period"], "2026-03-10");
        assert_eq!(closings[0].values["period_total"], 2000);
        sell(&j, "2026-03-11T10:00:00", "C1-000004").await.unwrap();
        let e = sell(&j, "2026-03-10T23:00:00", "C1-000005").await.unwrap_err();
        assert_eq!(e.code, "register.closed_period", "{e:?}");
    }
}
