//! The till as the journal keeps it: shifts (a drawer from its float to
//! its count), receipts numbered gap-free per counter with their payments,
//! refunds given back through a means, and cash put in or taken out.
//!
//! A receipt's number is taken in the same `BEGIN IMMEDIATE` transaction
//! that records its payments and ends the basket: only a committed receipt
//! has a number, so numbers have no gap, and two processes (two counters,
//! eight CLI sales) never share one.

use super::{now_rfc3339, Journal};
use crate::error::{Error, Result};
use crate::types::{cents, Tender};
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;
use std::collections::BTreeMap;

/// A shift: the drawer from its opening float to its close.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Shift {
    pub id: String,
    pub counter: String,
    pub opened_at: String,
    pub opened_by: Option<String>,
    #[serde(rename = "float", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub float_cents: i64,
    /// False when a sale opened the till with nobody counting the drawer.
    pub float_counted: bool,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    #[serde(rename = "counted_cash", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub counted_cents: Option<i64>,
    #[serde(rename = "expected_cash", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub expected_cents: Option<i64>,
}

/// What one means paid of a receipt.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Payment {
    pub tender: Tender,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    /// Cash: what the customer handed over.
    #[serde(rename = "given", serialize_with = "cents::serialize_opt")]
    #[ts(type = "number | null")]
    pub given_cents: Option<i64>,
    /// Card: the terminal's authorisation number, when keyed.
    pub authorisation: Option<String>,
}

/// Money given back for a line that was not delivered.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Refund {
    pub receipt: String,
    #[ts(type = "number")]
    pub line: i64,
    pub tender: Tender,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub shift: Option<String>,
    pub created_at: String,
    /// The error that made the line fail.
    pub reason: String,
}

/// A receipt as recorded when its payment was taken.
#[derive(Debug, Clone)]
pub struct ReceiptRow {
    /// A dummy: every provider it bought from was in training.
    pub training: bool,
    pub number: String,
    pub counter: String,
    pub basket: String,
    pub shift: String,
    pub cashier: Option<String>,
    pub total_cents: i64,
    pub change_cents: i64,
    pub currency: String,
    pub customer_ref: Option<String>,
    pub created_at: String,
    pub writer: Option<serde_json::Value>,
    pub settled_at: Option<String>,
    pub payments: Vec<Payment>,
    pub refunds: Vec<Refund>,
}

/// A payment to record: the basket's expected total (refused if its
/// lines changed meanwhile), each means, the change.
pub struct NewReceipt<'a> {
    pub counter: &'a str,
    pub basket: &'a str,
    pub total_cents: i64,
    pub change_cents: i64,
    pub currency: &'a str,
    pub payments: &'a [Payment],
    pub customer_ref: Option<&'a str>,
    /// Every line's provider sells in training: the receipt is dummy,
    /// recorded in the training chain, in no total.
    pub training: bool,
    /// How VAT applies to a line (provider, kind).
    pub tax: &'a (dyn Fn(&str, &str) -> crate::types::tax::Treatment + Sync),
    /// The shop's SIRET, when set.
    pub siret: Option<&'a str>,
}

/// What the drawer and the shift's takings add up to, from the journal.
#[derive(Debug, Clone, Default)]
pub struct ShiftSums {
    /// Net takings by means (cash: handed over minus change).
    pub tenders: BTreeMap<Tender, i64>,
    pub refunds: BTreeMap<Tender, i64>,
    pub cash_in: i64,
    pub cash_out: i64,
    pub receipts: i64,
    pub by_cashier: BTreeMap<String, i64>,
    pub abandoned_baskets: i64,
    pub abandoned_cents: i64,
}

fn shift_from_row(r: &SqliteRow) -> Shift {
    Shift {
        id: r.get("id"),
        counter: r.get("counter"),
        opened_at: r.get("opened_at"),
        opened_by: r.get("opened_by"),
        float_cents: r.get("float_cents"),
        float_counted: r.get::<i64, _>("float_counted") != 0,
        closed_at: r.get("closed_at"),
        closed_by: r.get("closed_by"),
        counted_cents: r.get("counted_cents"),
        expected_cents: r.get("expected_cents"),
    }
}

const SHIFT_COLUMNS: &str =
    "id, counter, opened_at, opened_by, float_cents, float_counted, closed_at, closed_by, counted_cents, expected_cents";

pub(super) fn tender(r: &SqliteRow) -> Result<Tender> {
    r.get::<String, _>("tender").parse()
}

impl Journal {
    /// The counter's open shift, if any.
    pub async fn current_shift(&self, counter: &str) -> Result<Option<Shift>> {
        let row = sqlx::query(&format!(
            "SELECT {SHIFT_COLUMNS} FROM shifts WHERE counter = ? AND closed_at IS NULL"
        ))
        .bind(counter)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.as_ref().map(shift_from_row))
    }

    pub async fn shift(&self, id: &str) -> Result<Shift> {
        let row = sqlx::query(&format!("SELECT {SHIFT_COLUMNS} FROM shifts WHERE id = ?"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::invalid("till.no_shift", format!("no shift {id}")))?;
        Ok(shift_from_row(&row))
    }

    /// Opens the counter's till with its float; refused when one is open.
    pub async fn open_shift(&self, counter: &str, float_cents: i64, counted: bool) -> Result<Shift> {
        let mut tx = self.begin_write().await?;
        let id = open_shift_in(&mut tx, counter, float_cents, counted, self.actor()).await?;
        tx.commit().await?;
        self.shift(&id).await
    }

    /// Records the count and the expected cash, and closes the shift.
    pub async fn close_shift(&self, id: &str, counted_cents: i64, expected_cents: i64) -> Result<Shift> {
        let done = sqlx::query(
            "UPDATE shifts SET closed_at = ?, closed_by = ?, counted_cents = ?, expected_cents = ?
             WHERE id = ? AND closed_at IS NULL",
        )
        .bind(now_rfc3339())
        .bind(self.actor())
        .bind(counted_cents)
        .bind(expected_cents)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::invalid("till.closed", "this shift is closed already"));
        }
        self.shift(id).await
    }

    /// Cash put into (`in`) or taken out of (`out`) the drawer.
    pub async fn cash_move(&self, shift: &str, direction: &str, amount_cents: i64, reason: &str) -> Result<()> {
        sqlx::query(
            "INSERT INTO cash_moves (shift, direction, amount_cents, reason, cashier, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(shift)
        .bind(direction)
        .bind(amount_cents)
        .bind(reason)
        .bind(self.actor())
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes the receipt's number and records its payments, ending the
    /// basket, in one write; opens a shift (float not counted) when none
    /// is. Returns the number and whether a shift was opened.
    pub async fn record_receipt(&self, new: NewReceipt<'_>) -> Result<(String, bool)> {
        let mut tx = self.begin_write().await?;
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT SUM(l.unit_cents * l.quantity) FROM baskets b JOIN basket_lines l ON l.basket = b.id
             WHERE b.id = ? AND b.status IN ('open', 'single') AND l.removed_at IS NULL",
        )
        .bind(new.basket)
        .fetch_one(&mut *tx)
        .await?;
        if total != Some(new.total_cents) {
            return Err(Error::invalid(
                "till.basket_changed",
                "the basket changed while it was being paid (another window or command): look at it again, then pay",
            ));
        }
        let open: Option<String> = sqlx::query_scalar("SELECT id FROM shifts WHERE counter = ? AND closed_at IS NULL")
            .bind(new.counter)
            .fetch_optional(&mut *tx)
            .await?;
        let opened = open.is_none();
        let shift = match open {
            Some(id) => id,
            None => open_shift_in(&mut tx, new.counter, 0, false, self.actor()).await?,
        };
        let seq: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM receipts WHERE counter = ?")
            .bind(new.counter)
            .fetch_one(&mut *tx)
            .await?;
        let number = format!("{}-{seq:06}", new.counter);
        sqlx::query(
            "INSERT INTO receipts (number, counter, seq, basket, shift, cashier, total_cents, change_cents, currency,
             customer_ref, created_at, writer, training) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&number)
        .bind(new.counter)
        .bind(seq)
        .bind(new.basket)
        .bind(&shift)
        .bind(self.actor())
        .bind(new.total_cents)
        .bind(new.change_cents)
        .bind(new.currency)
        .bind(new.customer_ref)
        .bind(now_rfc3339())
        .bind(crate::process::me().to_string())
        .bind(new.training)
        .execute(&mut *tx)
        .await?;
        for p in new.payments {
            sqlx::query(
                "INSERT INTO tenders (receipt, tender, amount_cents, given_cents, authorisation) VALUES (?, ?, ?, ?, ?)",
            )
            .bind(&number)
            .bind(p.tender.as_str())
            .bind(p.amount_cents)
            .bind(p.given_cents)
            .bind(&p.authorisation)
            .execute(&mut *tx)
            .await?;
        }
        // The receipt's record in the register, in the same write.
        let lines = sqlx::query(
            "SELECT line, kind, provider, product, name, quantity, unit_cents FROM basket_lines
             WHERE basket = ? AND removed_at IS NULL ORDER BY line",
        )
        .bind(new.basket)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|l| super::register::SoldLine {
            line: l.get("line"),
            kind: l.get("kind"),
            provider: l.get("provider"),
            product: l.get("product"),
            name: l.get("name"),
            quantity: l.get("quantity"),
            unit: l.get("unit_cents"),
        })
        .collect::<Vec<_>>();
        let values = super::register::receipt_values(&number, self.actor(), &lines, &new);
        let chain = if new.training { "training" } else { "receipt" };
        self.append_in(&mut tx, chain, values).await?;
        sqlx::query("UPDATE baskets SET status = 'paid', ended_at = ?, ended_by = ?, receipt = ? WHERE id = ?")
            .bind(now_rfc3339())
            .bind(self.actor())
            .bind(&number)
            .bind(new.basket)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        self.write_head().await?;
        Ok((number, opened))
    }

    /// A receipt with its payments and refunds.
    pub async fn receipt(&self, number: &str) -> Result<ReceiptRow> {
        let r = sqlx::query(
            "SELECT number, counter, basket, shift, cashier, total_cents, change_cents, currency, customer_ref,
             created_at, writer, settled_at, training FROM receipts WHERE number = ?",
        )
        .bind(number)
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| {
            Error::invalid("till.no_receipt", format!("no receipt {number} in the journal")).with("number", number)
        })?;
        let payments = sqlx::query(
            "SELECT tender, amount_cents, given_cents, authorisation FROM tenders WHERE receipt = ? ORDER BY tender",
        )
        .bind(number)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|p| {
            Ok(Payment {
                tender: tender(p)?,
                amount_cents: p.get("amount_cents"),
                given_cents: p.get("given_cents"),
                authorisation: p.get("authorisation"),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let mut payments = payments;
        payments.sort_by_key(|p| p.tender.refund_rank());
        Ok(ReceiptRow {
            number: r.get("number"),
            counter: r.get("counter"),
            basket: r.get("basket"),
            shift: r.get("shift"),
            cashier: r.get("cashier"),
            total_cents: r.get("total_cents"),
            change_cents: r.get("change_cents"),
            currency: r.get("currency"),
            customer_ref: r.get("customer_ref"),
            created_at: r.get("created_at"),
            writer: r
                .get::<Option<String>, _>("writer")
                .and_then(|w| serde_json::from_str(&w).ok()),
            settled_at: r.get("settled_at"),
            training: r.get("training"),
            payments,
            refunds: self.refunds_of(number).await?,
        })
    }

    /// The orders bought for a receipt's lines.
    pub async fn receipt_orders(&self, number: &str) -> Result<Vec<super::Order>> {
        sqlx::query(&format!(
            "SELECT {} FROM orders WHERE json_extract(details, '$.receipt') = ? ORDER BY json_extract(details, '$.receipt_line')",
            super::ORDER_COLUMNS
        ))
        .bind(number)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(super::order_from_row)
        .collect()
    }

    /// Receipts with a line not yet delivered or refunded.
    pub async fn unsettled_receipts(&self) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT number FROM receipts WHERE settled_at IS NULL ORDER BY created_at")
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// Every line of the receipt is delivered or refunded.
    pub async fn settle_receipt(&self, number: &str) -> Result<()> {
        sqlx::query("UPDATE receipts SET settled_at = ? WHERE number = ? AND settled_at IS NULL")
            .bind(now_rfc3339())
            .bind(number)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// What a shift's drawer and takings add up to.
    pub async fn shift_sums(&self, shift: &Shift) -> Result<ShiftSums> {
        let mut sums = ShiftSums::default();
        for r in sqlx::query(
            "SELECT t.tender, SUM(t.amount_cents) AS s FROM tenders t JOIN receipts r ON r.number = t.receipt
             WHERE r.shift = ? GROUP BY t.tender",
        )
        .bind(&shift.id)
        .fetch_all(&self.pool)
        .await?
        {
            sums.tenders.insert(tender(&r)?, r.get("s"));
        }
        for r in sqlx::query("SELECT tender, SUM(amount_cents) AS s FROM till_refunds WHERE shift = ? GROUP BY tender")
            .bind(&shift.id)
            .fetch_all(&self.pool)
            .await?
        {
            sums.refunds.insert(tender(&r)?, r.get("s"));
        }
        for r in
            sqlx::query("SELECT direction, SUM(amount_cents) AS s FROM cash_moves WHERE shift = ? GROUP BY direction")
                .bind(&shift.id)
                .fetch_all(&self.pool)
                .await?
        {
            match r.get::<String, _>("direction").as_str() {
                "in" => sums.cash_in = r.get("s"),
                _ => sums.cash_out = r.get("s"),
            }
        }
        for r in sqlx::query(
            "SELECT COALESCE(cashier, '') AS c, COUNT(*) AS n, SUM(total_cents) AS s FROM receipts WHERE shift = ? GROUP BY c",
        )
        .bind(&shift.id)
        .fetch_all(&self.pool)
        .await?
        {
            sums.receipts += r.get::<i64, _>("n");
            sums.by_cashier.insert(r.get("c"), r.get("s"));
        }
        let until = shift.closed_at.clone().unwrap_or_else(now_rfc3339);
        let abandoned = sqlx::query(
            "SELECT COUNT(DISTINCT b.id) AS n, COALESCE(SUM(l.unit_cents * l.quantity), 0) AS s FROM baskets b
             JOIN basket_lines l ON l.basket = b.id AND l.removed_at IS NULL
             WHERE b.counter = ? AND b.status = 'abandoned' AND b.ended_at >= ? AND b.ended_at <= ?",
        )
        .bind(&shift.counter)
        .bind(&shift.opened_at)
        .bind(&until)
        .fetch_one(&self.pool)
        .await?;
        sums.abandoned_baskets = abandoned.get("n");
        sums.abandoned_cents = abandoned.get("s");
        Ok(sums)
    }

    /// The orders bought for the shift's receipts, with their receipt.
    pub async fn shift_orders(&self, shift: &str) -> Result<Vec<(String, super::Order)>> {
        let cols = super::ORDER_COLUMNS
            .split(',')
            .map(|c| format!("o.{}", c.trim()))
            .collect::<Vec<_>>()
            .join(", ");
        sqlx::query(&format!(
            "SELECT r.number AS receipt_number, {cols} FROM receipts r
             JOIN orders o ON json_extract(o.details, '$.receipt') = r.number WHERE r.shift = ?"
        ))
        .bind(shift)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| Ok((row.get("receipt_number"), super::order_from_row(row)?)))
        .collect()
    }

    /// Takings and refunds by means over the local days `from` to `to`,
    /// live receipts only (a receipt whose orders are all training is
    /// practice): (tender, taken, given back), in cents.
    pub async fn tenders_between(
        &self,
        from: chrono::NaiveDate,
        to: chrono::NaiveDate,
        cashier: Option<&str>,
    ) -> Result<Vec<(Tender, i64, i64)>> {
        let start = super::local_midnight_utc(from);
        let end = super::local_midnight_utc(to.succ_opt().unwrap_or(to));
        let live =
            "EXISTS (SELECT 1 FROM orders o WHERE json_extract(o.details, '$.receipt') = r.number AND o.training = 0)";
        let mut out: BTreeMap<Tender, (i64, i64)> = BTreeMap::new();
        let taken = sqlx::query(&format!(
            "SELECT t.tender, SUM(t.amount_cents) AS s FROM tenders t JOIN receipts r ON r.number = t.receipt
             WHERE r.created_at >= ? AND r.created_at < ? AND (? IS NULL OR r.cashier = ?) AND {live} GROUP BY t.tender"
        ))
        .bind(&start)
        .bind(&end)
        .bind(cashier)
        .bind(cashier)
        .fetch_all(&self.pool)
        .await?;
        for r in taken {
            out.entry(tender(&r)?).or_default().0 = r.get("s");
        }
        let given_back = sqlx::query(&format!(
            "SELECT f.tender, SUM(f.amount_cents) AS s FROM till_refunds f JOIN receipts r ON r.number = f.receipt
             WHERE f.created_at >= ? AND f.created_at < ? AND (? IS NULL OR r.cashier = ?) AND {live} GROUP BY f.tender"
        ))
        .bind(&start)
        .bind(&end)
        .bind(cashier)
        .bind(cashier)
        .fetch_all(&self.pool)
        .await?;
        for r in given_back {
            out.entry(tender(&r)?).or_default().1 = r.get("s");
        }
        Ok(out.into_iter().map(|(t, (a, b))| (t, a, b)).collect())
    }

    /// Numbers of the shift's receipts.
    pub async fn shift_receipts(&self, shift: &str) -> Result<Vec<String>> {
        Ok(
            sqlx::query_scalar("SELECT number FROM receipts WHERE shift = ? ORDER BY seq")
                .bind(shift)
                .fetch_all(&self.pool)
                .await?,
        )
    }
}

/// Opens a shift inside a write transaction; refused when one is open.
async fn open_shift_in(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    counter: &str,
    float_cents: i64,
    counted: bool,
    actor: Option<String>,
) -> Result<String> {
    let open: Option<String> = sqlx::query_scalar("SELECT id FROM shifts WHERE counter = ? AND closed_at IS NULL")
        .bind(counter)
        .fetch_optional(&mut **tx)
        .await?;
    if let Some(id) = open {
        return Err(Error::invalid(
            "till.already_open",
            format!("the till is open already (shift {id}): close it first"),
        )
        .with("shift", id));
    }
    let id = format!("S-{}", &super::new_order_id()[4..]);
    sqlx::query(
        "INSERT INTO shifts (id, counter, opened_at, opened_by, float_cents, float_counted) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(counter)
    .bind(now_rfc3339())
    .bind(actor)
    .bind(float_cents)
    .bind(i64::from(counted))
    .execute(&mut **tx)
    .await?;
    // Refunds reconciliation gave while no till was open are this drawer's.
    sqlx::query("UPDATE till_refunds SET shift = ? WHERE shift IS NULL")
        .bind(&id)
        .execute(&mut **tx)
        .await?;
    Ok(id)
}
