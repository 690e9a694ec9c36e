//! The drawer from its float to its close: open with the float counted,
//! cash put in or taken out (with a reason), the X report of the open
//! shift at any time, and the close that compares the counted cash with
//! what the journal says should be there:
//! float + cash taken − change − cash given back + cash in − cash out.

use super::counter;
use crate::accounts::Right;
use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{Order, OrderStatus, Shift, ShiftSums};
use crate::types::{cents, Tender};
use serde::Serialize;
use std::collections::BTreeMap;

/// A shift's report: the X report of an open shift, or the close's.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ShiftReport {
    /// The shift's id.
    pub shift: String,
    pub counter: String,
    pub opened_at: String,
    pub opened_by: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    #[serde(rename = "float", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub float_cents: i64,
    /// False when a sale opened the till and nobody counted the float.
    pub float_counted: bool,
    #[serde(rename = "expected_cash", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub expected_cents: i64,
    #[serde(rename = "counted_cash", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub counted_cents: Option<i64>,
    /// Counted − expected (negative: cash missing).
    #[serde(rename = "difference", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub difference_cents: Option<i64>,
    /// Takings by means, net of change (`cash`, `card`, `internet-plus`).
    #[ts(type = "Record<string, number>")]
    pub tenders: BTreeMap<String, f64>,
    /// Everything given back for lines not delivered.
    #[serde(rename = "refunds", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub refunds_cents: i64,
    #[ts(type = "Record<string, number>")]
    pub refunds_by_tender: BTreeMap<String, f64>,
    #[serde(rename = "cash_in", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub cash_in_cents: i64,
    #[serde(rename = "cash_out", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub cash_out_cents: i64,
    #[ts(type = "number")]
    pub receipts: i64,
    /// Delivered sales by provider and kind.
    pub by_product: Vec<Takings>,
    /// Receipts' totals by cashier ("" before accounts existed).
    pub by_cashier: Vec<Takings>,
    #[ts(type = "number")]
    pub abandoned_baskets: i64,
    #[serde(rename = "abandoned", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub abandoned_cents: i64,
    /// The lines still to settle (outcome unknown): reconcile delivers or refunds them.
    pub unsettled: Vec<Unsettled>,
    pub currency: String,
    /// At a close, with the shop's database set: this counter's sales it
    /// could not share first (the shop's report misses them until they go).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub unshared: Option<i64>,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Takings {
    /// `orange-travel esim`, a cashier's name.
    pub label: String,
    #[ts(type = "number")]
    pub count: i64,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Unsettled {
    pub receipt: String,
    pub order: String,
    pub product: String,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub status: OrderStatus,
}

/// Opens the counter's till with the float counted in the drawer.
pub async fn open(app: &Comptoir, float_cents: i64) -> Result<Shift> {
    app.require(Right::Sell, None).await?;
    let shift = app.journal.open_shift(&counter(app)?, float_cents, true).await?;
    tracing::info!(shift = %shift.id, float = float_cents, "till opened");
    Ok(shift)
}

/// The counter's open shift, or the error that says to open one.
pub async fn current(app: &Comptoir) -> Result<Shift> {
    app.journal.current_shift(&counter(app)?).await?.ok_or_else(|| {
        Error::invalid(
            "till.not_open",
            "the till is not open: open it with the float counted in the drawer (comptoir shift open --float AMOUNT)",
        )
    })
}

/// Cash put into (`true`) or taken out of the drawer, with its reason.
pub async fn cash(app: &Comptoir, put_in: bool, amount_cents: i64, reason: &str) -> Result<ShiftReport> {
    let reason = reason.trim();
    crate::types::text::check("reason", reason, 200, false).map_err(|why| Error::invalid("till.bad_reason", why))?;
    if reason.is_empty() {
        return Err(Error::invalid(
            "till.no_reason",
            "say why the cash moves (a supplier paid, change brought in)",
        ));
    }
    if amount_cents <= 0 {
        return Err(Error::invalid("till.bad_amount", "the amount must be more than zero"));
    }
    let shift = current(app).await?;
    app.require(Right::Manage, Some(&shift.id)).await?;
    let direction = if put_in { "in" } else { "out" };
    app.journal
        .cash_move(&shift.id, direction, amount_cents, reason)
        .await?;
    report_of(app, &app.journal.shift(&shift.id).await?).await
}

/// The open shift's report, without closing it (an X report).
pub async fn x_report(app: &Comptoir) -> Result<ShiftReport> {
    app.require(Right::Sell, None).await?;
    report_of(app, &current(app).await?).await
}

/// Closes the till with the cash counted; returns the close's report.
pub async fn close(app: &Comptoir, counted_cents: i64) -> Result<ShiftReport> {
    let shift = current(app).await?;
    app.require(Right::Manage, Some(&shift.id)).await?;
    let expected = expected_cash(&shift, &app.journal.shift_sums(&shift).await?);
    let closed = app.journal.close_shift(&shift.id, counted_cents, expected).await?;
    tracing::info!(shift = %closed.id, expected, counted = counted_cents, "till closed");
    report_of(app, &closed).await
}

/// A shift's report by its id (a closed one's, to print again).
pub async fn report(app: &Comptoir, id: &str) -> Result<ShiftReport> {
    report_of(app, &app.journal.shift(id).await?).await
}

/// What should be in the drawer.
pub fn expected_cash(shift: &Shift, sums: &ShiftSums) -> i64 {
    let cash = |m: &BTreeMap<Tender, i64>| m.get(&Tender::Cash).copied().unwrap_or(0);
    shift.float_cents + cash(&sums.tenders) - cash(&sums.refunds) + sums.cash_in - sums.cash_out
}

async fn report_of(app: &Comptoir, shift: &Shift) -> Result<ShiftReport> {
    let sums = app.journal.shift_sums(shift).await?;
    let orders = app.journal.shift_orders(&shift.id).await?;
    let expected = shift.expected_cents.unwrap_or_else(|| expected_cash(shift, &sums));
    let units = |m: &BTreeMap<Tender, i64>| {
        m.iter()
            .map(|(t, c)| (t.as_str().to_string(), cents::to_units(*c)))
            .collect()
    };
    Ok(ShiftReport {
        unshared: None,
        shift: shift.id.clone(),
        counter: shift.counter.clone(),
        opened_at: shift.opened_at.clone(),
        opened_by: shift.opened_by.clone(),
        closed_at: shift.closed_at.clone(),
        closed_by: shift.closed_by.clone(),
        float_cents: shift.float_cents,
        float_counted: shift.float_counted,
        expected_cents: expected,
        counted_cents: shift.counted_cents,
        difference_cents: shift.counted_cents.map(|c| c - expected),
        tenders: units(&sums.tenders),
        refunds_cents: sums.refunds.values().sum(),
        refunds_by_tender: units(&sums.refunds),
        cash_in_cents: sums.cash_in,
        cash_out_cents: sums.cash_out,
        receipts: sums.receipts,
        by_product: by_product(&orders),
        by_cashier: sums
            .by_cashier
            .iter()
            .map(|(c, s)| Takings {
                label: c.clone(),
                count: 0,
                amount_cents: *s,
            })
            .collect(),
        abandoned_baskets: sums.abandoned_baskets,
        abandoned_cents: sums.abandoned_cents,
        unsettled: orders
            .iter()
            .filter(|(_, o)| o.status.is_unsettled() || o.status == OrderStatus::Unknown)
            .map(|(receipt, o)| Unsettled {
                receipt: receipt.clone(),
                order: o.id.clone(),
                product: o.product_name.clone(),
                amount_cents: o.amount_cents,
                status: o.status,
            })
            .collect(),
        currency: orders
            .first()
            .map(|(_, o)| o.currency.clone())
            .unwrap_or_else(|| "EUR".into()),
    })
}

fn by_product(orders: &[(String, Order)]) -> Vec<Takings> {
    let mut sums: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for (_, o) in orders.iter().filter(|(_, o)| o.status == OrderStatus::Delivered) {
        let e = sums
            .entry(format!("{} {}", o.provider.as_str(), o.kind.as_str()))
            .or_default();
        e.0 += 1;
        e.1 += o.amount_cents;
    }
    sums.into_iter()
        .map(|(label, (count, amount_cents))| Takings {
            label,
            count,
            amount_cents,
        })
        .collect()
}
