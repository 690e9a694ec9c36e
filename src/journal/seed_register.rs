//! Many paid receipts at once, each with its register record dated when
//! it was sold, for `comptoir seed --receipts` (benchmarks, demonstrations
//! of the register). Days close as the records go by, exactly as they
//! would at a counter: each record is appended after the closings due at
//! its own date.

use super::{now_rfc3339, Journal};
use crate::error::{Error, Result};
use chrono::{DateTime, Local};
use serde_json::Value;

/// A receipt already paid: its register values and, perhaps, a line given back.
pub struct SeedReceipt {
    pub at: DateTime<Local>,
    pub number: String,
    pub seq: i64,
    pub total_cents: i64,
    /// (means, amount)
    pub payments: Vec<(String, i64)>,
    /// The receipt's record (`register::receipt_values`'s shape).
    pub values: Value,
    /// The refund's record, and its line, means and amount.
    pub refund: Option<(Value, i64, String, i64)>,
}

const BATCH: usize = 2000;

impl Journal {
    /// Writes the receipts, their payments and refunds and their records,
    /// oldest first, into a journal without receipts.
    pub async fn seed_receipts(&self, counter: &str, receipts: &[SeedReceipt]) -> Result<()> {
        let any: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM receipts")
            .fetch_one(&self.pool)
            .await?;
        if any > 0 {
            return Err(Error::invalid(
                "seed.receipts_not_empty",
                "seed --receipts writes invented receipts, so only into a journal without any: use a data folder of its own (COMPTOIR_DATA_DIR)",
            ));
        }
        let shift = format!("SEED-{counter}");
        sqlx::query(
            "INSERT INTO shifts (id, counter, opened_at, float_cents, float_counted, closed_at) VALUES (?, ?, ?, 0, 0, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(&shift)
        .bind(counter)
        .bind(now_rfc3339())
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        let mut day = None;
        for batch in receipts.chunks(BATCH) {
            let mut tx = self.begin_write().await?;
            for r in batch {
                let created =
                    r.at.with_timezone(&chrono::Utc)
                        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
                sqlx::query("INSERT INTO baskets (id, counter, status, created_at, ended_at, receipt) VALUES (?, ?, 'paid', ?, ?, ?)")
                    .bind(&r.number)
                    .bind(counter)
                    .bind(&created)
                    .bind(&created)
                    .bind(&r.number)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO receipts (number, counter, seq, basket, shift, total_cents, change_cents, currency, created_at, settled_at)
                     VALUES (?, ?, ?, ?, ?, ?, 0, 'EUR', ?, ?)",
                )
                .bind(&r.number)
                .bind(counter)
                .bind(r.seq)
                .bind(&r.number)
                .bind(&shift)
                .bind(r.total_cents)
                .bind(&created)
                .bind(&created)
                .execute(&mut *tx)
                .await?;
                for (tender, amount) in &r.payments {
                    sqlx::query("INSERT INTO tenders (receipt, tender, amount_cents) VALUES (?, ?, ?)")
                        .bind(&r.number)
                        .bind(tender)
                        .bind(amount)
                        .execute(&mut *tx)
                        .await?;
                }
                // The closings due before a day's first record (the
                // receipts come in order: the rest of the day has none).
                if day != Some(r.at.date_naive()) {
                    self.close_due_in(&mut tx, "receipt", &r.at).await?;
                    day = Some(r.at.date_naive());
                }
                self.append_raw(&mut tx, "receipt", r.values.clone(), &r.at).await?;
                if let Some((values, line, tender, amount)) = &r.refund {
                    sqlx::query(
                        "INSERT INTO till_refunds (receipt, line, tender, amount_cents, shift, created_at, reason)
                         VALUES (?, ?, ?, ?, ?, ?, 'seeded')",
                    )
                    .bind(&r.number)
                    .bind(line)
                    .bind(tender)
                    .bind(amount)
                    .bind(&shift)
                    .bind(&created)
                    .execute(&mut *tx)
                    .await?;
                    self.append_raw(&mut tx, "refund", values.clone(), &r.at).await?;
                }
            }
            tx.commit().await?;
        }
        self.write_head().await
    }
}
