//! Money given back for a line not delivered, as the journal keeps it:
//! against the counter's open shift, once per receipt, line and means,
//! recorded in the register (with the line's tax, so closings take it
//! off the right rate, and the number of the correcting receipt it is
//! printed on) in the same write.

use super::till::tender;
use super::{now_rfc3339, Journal, Refund};
use crate::error::Result;
use sqlx::Row;

impl Journal {
    /// Records money given back for a line, against the counter's open
    /// shift (or the next one opened). Once per receipt, line and means.
    /// `correction` is the correcting receipt it belongs to
    /// (`C1-000042-R1`): the refunds settled together print as one.
    pub async fn add_refund(&self, counter: &str, refund: &Refund, correction: &str) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let shift: Option<String> = sqlx::query_scalar("SELECT id FROM shifts WHERE counter = ? AND closed_at IS NULL")
            .bind(counter)
            .fetch_optional(&mut *tx)
            .await?;
        let done = sqlx::query(
            "INSERT INTO till_refunds (receipt, line, tender, amount_cents, shift, cashier, created_at, reason)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        )
        .bind(&refund.receipt)
        .bind(refund.line)
        .bind(refund.tender.as_str())
        .bind(refund.amount_cents)
        .bind(shift)
        .bind(self.actor())
        .bind(now_rfc3339())
        .bind(&refund.reason)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() > 0 {
            // The line's tax as its sale recorded it: a refund reduces that rate's totals.
            let training: bool = sqlx::query_scalar("SELECT training FROM receipts WHERE number = ?")
                .bind(&refund.receipt)
                .fetch_optional(&mut *tx)
                .await?
                .unwrap_or(false);
            let chain = if training { "training" } else { "receipt" };
            let sold: Option<String> = sqlx::query_scalar(
                "SELECT payload FROM register WHERE chain = ? AND json_extract(payload, '$.number') = ?",
            )
            .bind(chain)
            .bind(&refund.receipt)
            .fetch_optional(&mut *tx)
            .await?;
            let line = sold
                .and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok())
                .and_then(|v| {
                    v["lines"]
                        .as_array()?
                        .iter()
                        .find(|l| l["line"].as_i64() == Some(refund.line))
                        .cloned()
                })
                .unwrap_or_default();
            let values = serde_json::json!({"receipt": refund.receipt, "line": refund.line,
                "tender": refund.tender.as_str(), "amount": refund.amount_cents,
                "tax": line["tax"], "rate": line["rate"],
                "reason": refund.reason, "cashier": self.actor(), "correction": correction});
            self.append_in(&mut tx, if training { "training" } else { "refund" }, values)
                .await?;
        }
        tx.commit().await?;
        self.write_head().await?;
        Ok(())
    }

    /// The register's records of a receipt's refunds, oldest first: what
    /// its correcting receipts print, as recorded and signed.
    pub async fn refund_records(&self, number: &str) -> Result<Vec<super::Record>> {
        let mut records = self.records_where("refund", "receipt", number).await?;
        records.extend(self.records_where("training", "receipt", number).await?);
        Ok(records)
    }

    pub(super) async fn refunds_of(&self, number: &str) -> Result<Vec<Refund>> {
        sqlx::query(
            "SELECT receipt, line, tender, amount_cents, shift, created_at, reason FROM till_refunds
             WHERE receipt = ? ORDER BY id",
        )
        .bind(number)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(Refund {
                receipt: r.get("receipt"),
                line: r.get("line"),
                tender: tender(r)?,
                amount_cents: r.get("amount_cents"),
                shift: r.get("shift"),
                created_at: r.get("created_at"),
                reason: r.get("reason"),
            })
        })
        .collect()
    }
}
