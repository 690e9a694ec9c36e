//! What reports and exports read: every order of a period, summed in SQL or
//! streamed one at a time — never a page of them (a screen's page limit
//! has no place in a report or an export).

use super::{order_from_row, push_filter, Journal, Order, OrderFilter, OrderKind, OrderStatus};
use crate::error::{Error, Result};
use crate::types::ProviderId;
use futures_util::TryStreamExt;
use sqlx::Row;

/// One group of orders a report counts, with its count and sums in cents.
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregate {
    pub provider: ProviderId,
    pub kind: OrderKind,
    pub currency: String,
    pub status: OrderStatus,
    /// Payments that paid for another order of the period (an Internet+
    /// payment for a gift card): the totals count that money once.
    pub paid_for_another: bool,
    pub count: i64,
    pub amount_cents: i64,
    pub cost_cents: i64,
    pub fees_cents: i64,
}

/// SQLite refuses a sum that overflows (it never wraps): said in words.
fn overflow(e: sqlx::Error) -> Error {
    if e.to_string().contains("integer overflow") {
        Error::invalid("report.overflow", "the amounts of this period are too large to add up")
    } else {
        e.into()
    }
}

impl Journal {
    /// Whether the journal holds any order at all.
    pub async fn has_orders(&self) -> Result<bool> {
        Ok(sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM orders)")
            .fetch_one(self.pool())
            .await?)
    }

    /// The ids matching a `LIKE` pattern (the seed steps over them).
    pub async fn ids_like(&self, pattern: &str) -> Result<Vec<String>> {
        Ok(sqlx::query_scalar("SELECT id FROM orders WHERE id LIKE ?1")
            .bind(pattern)
            .fetch_all(self.pool())
            .await?)
    }

    /// Merges the write-ahead log into the journal and empties it: after a
    /// bulk write (seed, import), so that no log the size of the journal is
    /// left beside it for the next reader to wade through. Best effort: a
    /// reader busy meanwhile leaves it for SQLite's own checkpoints.
    pub async fn checkpoint(&self) {
        if let Err(e) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(self.pool())
            .await
        {
            tracing::info!("checkpoint left for later: {e}");
        }
    }

    /// Closes the journal's connections (a process about to end): the last
    /// one closed lets SQLite merge and remove the write-ahead log.
    pub async fn close(&self) {
        self.pool().close().await;
    }

    /// The orders the filter matches, grouped by provider, kind, currency
    /// and status, summed in SQL over the whole period.
    pub async fn aggregate(&self, filter: &OrderFilter) -> Result<Vec<Aggregate>> {
        let mut q = sqlx::QueryBuilder::new(
            // MATERIALIZED: the period is read once through the date index;
            // inlined twice, SQLite's planner scanned the whole journal
            // (2 s at a million orders).
            "WITH period AS MATERIALIZED (SELECT id, provider, kind, currency, status, amount_cents, cost_cents, fees_cents, details
                             FROM orders WHERE 1 = 1",
        );
        push_filter(&mut q, filter);
        q.push(
            "), payers AS (SELECT DISTINCT json_extract(details, '$.paid_by') AS pid FROM period
                           WHERE json_extract(details, '$.paid_by') IS NOT NULL)
             SELECT provider, kind, currency, status, payers.pid IS NOT NULL AS paid, COUNT(*) AS n,
                    SUM(amount_cents) AS amount, SUM(COALESCE(cost_cents, 0)) AS cost,
                    SUM(COALESCE(fees_cents, 0)) AS fees
             FROM period LEFT JOIN payers ON payers.pid = period.id
             GROUP BY provider, kind, currency, status, paid
             ORDER BY provider, kind, currency, status, paid",
        );
        let rows = q.build().fetch_all(self.pool()).await.map_err(overflow)?;
        rows.iter()
            .map(|r| {
                Ok(Aggregate {
                    provider: r.get::<&str, _>("provider").parse()?,
                    kind: r.get::<&str, _>("kind").parse()?,
                    currency: r.get("currency"),
                    status: r.get::<&str, _>("status").parse()?,
                    paid_for_another: r.get::<bool, _>("paid"),
                    count: r.get("n"),
                    amount_cents: r.get("amount"),
                    cost_cents: r.get("cost"),
                    fees_cents: r.get("fees"),
                })
            })
            .collect()
    }

    /// Delivered sales per cashier and currency: (cashier, currency, count,
    /// amount). A payment that paid for another order is left out, as in
    /// the totals (the product's order counts that money).
    pub async fn sales_by_cashier(&self, filter: &OrderFilter) -> Result<Vec<(Option<String>, String, i64, i64)>> {
        let mut q = sqlx::QueryBuilder::new(
            "WITH period AS MATERIALIZED (SELECT id, cashier, currency, status, amount_cents, details FROM orders WHERE 1 = 1",
        );
        push_filter(&mut q, filter);
        q.push(
            "), payers AS (SELECT DISTINCT json_extract(details, '$.paid_by') AS pid FROM period
                           WHERE json_extract(details, '$.paid_by') IS NOT NULL)
             SELECT cashier, currency, COUNT(*) AS n, SUM(amount_cents) AS amount
             FROM period LEFT JOIN payers ON payers.pid = period.id
             WHERE status = 'delivered' AND payers.pid IS NULL
             GROUP BY cashier, currency ORDER BY cashier, currency",
        );
        let rows = q.build().fetch_all(self.pool()).await.map_err(overflow)?;
        Ok(rows
            .iter()
            .map(|r| (r.get("cashier"), r.get("currency"), r.get("n"), r.get("amount")))
            .collect())
    }

    /// The ids of the orders the filter matches whose outcome is still open.
    pub async fn unsettled_ids(&self, filter: &OrderFilter) -> Result<Vec<String>> {
        let mut q =
            sqlx::QueryBuilder::new("SELECT id FROM orders WHERE status IN ('pending', 'unknown', 'processing')");
        push_filter(&mut q, filter);
        q.push(" ORDER BY created_at");
        let rows = q.build().fetch_all(self.pool()).await?;
        Ok(rows.iter().map(|r| r.get("id")).collect())
    }

    /// Every order the filter matches, in its sort, handed to `each` one at
    /// a time as SQLite reads them (exports of a million orders hold one in
    /// memory, not a million). Returns how many.
    pub async fn each(&self, filter: &OrderFilter, mut each: impl FnMut(Order) -> Result<()>) -> Result<usize> {
        let mut q = sqlx::QueryBuilder::new(format!("SELECT {} FROM orders WHERE 1 = 1", super::ORDER_COLUMNS));
        push_filter(&mut q, filter);
        q.push(filter.sort.sql());
        let mut rows = q.build().fetch(self.pool());
        let mut n = 0;
        while let Some(row) = rows.try_next().await? {
            each(order_from_row(&row)?)?;
            n += 1;
        }
        Ok(n)
    }
}
