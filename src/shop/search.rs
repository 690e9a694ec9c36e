//! The shop's database read as one journal: every counter's orders found
//! by words (a `simple` tsvector, each word a prefix) or digits (phone,
//! ICCID, SIM id, by trigram), newest first with the counter that sold
//! each, and the same report questions the counter's own journal answers
//! (`journal::Ledger`).

use super::postgres::{unreachable, Shop};
use crate::error::Result;
use crate::journal::{local_midnight_utc, Aggregate, Ledger, Order, OrderFilter, SalesLine, Sort};
use crate::types::Tender;
use chrono::NaiveDate;
use serde::Serialize;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder, Row};
use std::collections::BTreeMap;

/// An order with the counter that sold it.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct SharedOrder {
    pub counter: String,
    #[serde(flatten)]
    #[ts(flatten)]
    pub order: Order,
}

const COLUMNS: &str = "id, counter, provider, kind, status, provider_ref, product_id, product_name, quantity, customer_ref, \
     phone, sim_id, iccid, amount_cents, cost_cents, fees_cents, currency, training, details, created_at, updated_at, cashier";

/// A search as PostgreSQL reads it: every word a prefix in the tsvector,
/// or, for a number, its digits anywhere in a phone, ICCID or SIM id (a
/// phone typed with its national 0 or +33 matches as the providers keep it).
/// A number typed in groups (`06 84 58 75 87`) is one number: its groups as
/// five two-digit prefixes cost 50 ms over a million orders (each prefix
/// unions every word that starts with it) and found nothing the digits did not.
fn push_search<'a>(q: &mut QueryBuilder<'a, Postgres>, text: &str) {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '.' | '-'))
        .collect();
    let digits = compact.strip_prefix('+').unwrap_or(&compact);
    let number = digits.len() >= 4 && digits.bytes().all(|b| b.is_ascii_digit());
    let words: Vec<String> = if number {
        vec![format!("{digits}:*")]
    } else {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| format!("{}:*", w.to_lowercase()))
            .collect()
    };
    if words.is_empty() {
        return;
    }
    q.push(" AND (words @@ to_tsquery('simple', ")
        .push_bind(words.join(" & "))
        .push(")");
    if number {
        let national = ["33", "0033", "0"]
            .iter()
            .find_map(|p| digits.strip_prefix(p))
            .unwrap_or(digits);
        q.push(" OR digits LIKE ").push_bind(format!("%{national}%"));
    }
    q.push(")");
}

fn push_fields<'a>(q: &mut QueryBuilder<'a, Postgres>, filter: &'a OrderFilter) {
    if let Some(p) = filter.provider {
        q.push(" AND provider = ").push_bind(p.as_str());
    }
    if let Some(k) = filter.kind {
        q.push(" AND kind = ").push_bind(k.as_str());
    }
    if let Some(s) = filter.status {
        q.push(" AND status = ").push_bind(s.as_str());
    }
    if let Some(from) = filter.from {
        q.push(" AND created_at >= ").push_bind(local_midnight_utc(from));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        q.push(" AND created_at < ").push_bind(local_midnight_utc(to));
    }
    if let Some(t) = filter.training {
        q.push(" AND training = ").push_bind(i64::from(t));
    }
    if let Some(c) = filter.cashier.as_deref() {
        q.push(" AND cashier = ").push_bind(c);
    }
}

fn push_filter<'a>(q: &mut QueryBuilder<'a, Postgres>, filter: &'a OrderFilter) {
    if let Some(text) = filter.search.as_deref() {
        push_search(q, text);
    }
    push_fields(q, filter);
}

fn sort_sql(sort: Sort) -> &'static str {
    match sort {
        Sort::Newest => " ORDER BY created_at DESC, id DESC",
        Sort::Oldest => " ORDER BY created_at ASC, id ASC",
        Sort::Highest => " ORDER BY amount_cents DESC, created_at DESC, id DESC",
        Sort::Lowest => " ORDER BY amount_cents ASC, created_at DESC, id DESC",
    }
}

fn order_from_row(r: &PgRow) -> Result<SharedOrder> {
    Ok(SharedOrder {
        counter: r.get("counter"),
        order: Order {
            id: r.get("id"),
            provider: r.get::<&str, _>("provider").parse()?,
            kind: r.get::<&str, _>("kind").parse()?,
            status: r.get::<&str, _>("status").parse()?,
            provider_ref: r.get("provider_ref"),
            product_id: r.get("product_id"),
            product_name: r.get("product_name"),
            quantity: u32::try_from(r.get::<i64, _>("quantity")).unwrap_or(u32::MAX),
            customer_ref: r.get("customer_ref"),
            phone: r.get("phone"),
            sim_id: r.get("sim_id"),
            iccid: r.get("iccid"),
            amount_cents: r.get("amount_cents"),
            cost_cents: r.get("cost_cents"),
            fees_cents: r.get("fees_cents"),
            currency: r.get("currency"),
            training: r.get::<i64, _>("training") != 0,
            details: serde_json::from_str(r.get::<&str, _>("details")).unwrap_or_default(),
            created_at: r.get("created_at"),
            updated_at: r.get("updated_at"),
            cashier: r.get("cashier"),
        },
    })
}

impl Shop {
    /// One page of every counter's orders matching the filter.
    pub async fn orders(&self, filter: &OrderFilter) -> Result<Vec<SharedOrder>> {
        let mut q = QueryBuilder::new(format!("SELECT {COLUMNS} FROM orders WHERE true"));
        push_filter(&mut q, filter);
        q.push(sort_sql(filter.sort))
            .push(" LIMIT ")
            .push_bind(i64::from(filter.limit.unwrap_or(50).min(10_000)))
            .push(" OFFSET ")
            .push_bind(i64::from(filter.offset.unwrap_or(0)));
        let rows = q.build().fetch_all(self.pool()).await.map_err(unreachable)?;
        rows.iter().map(order_from_row).collect()
    }

    /// How many orders match, counted up to `cap` + 1 (as the counter's own).
    pub async fn count_up_to(&self, filter: &OrderFilter, cap: i64) -> Result<i64> {
        let mut q = QueryBuilder::new("SELECT COUNT(*) FROM (SELECT 1 FROM orders WHERE true");
        push_filter(&mut q, filter);
        q.push(" LIMIT ").push_bind(cap.saturating_add(1)).push(") m");
        q.build_query_scalar().fetch_one(self.pool()).await.map_err(unreachable)
    }

    /// One order, whichever counter sold it, with its sealed secrets (for a
    /// reprint at another counter, which holds the shop's keys).
    pub async fn order(&self, id: &str) -> Result<Option<(SharedOrder, Option<String>)>> {
        let row = sqlx::query(&format!("SELECT {COLUMNS}, sealed FROM orders WHERE id = $1"))
            .bind(id)
            .fetch_optional(self.pool())
            .await
            .map_err(unreachable)?;
        row.map(|r| Ok((order_from_row(&r)?, r.get("sealed")))).transpose()
    }

    async fn sales_by(&self, who: &str, filter: &OrderFilter) -> Result<Vec<SalesLine>> {
        let mut q = QueryBuilder::new(
            "WITH period AS MATERIALIZED (SELECT id, counter, cashier, currency, status, amount_cents, details FROM orders WHERE true",
        );
        push_filter(&mut q, filter);
        q.push(format!(
            "), payers AS (SELECT DISTINCT details::jsonb ->> 'paid_by' AS pid FROM period
                           WHERE details::jsonb ->> 'paid_by' IS NOT NULL)
             SELECT {who} AS who, currency, COUNT(*) AS n, SUM(amount_cents)::bigint AS amount
             FROM period LEFT JOIN payers ON payers.pid = period.id
             WHERE status = 'delivered' AND payers.pid IS NULL
             GROUP BY {who}, currency ORDER BY {who}, currency"
        ));
        let rows = q.build().fetch_all(self.pool()).await.map_err(unreachable)?;
        Ok(rows
            .iter()
            .map(|r| (r.get("who"), r.get("currency"), r.get("n"), r.get("amount")))
            .collect())
    }
}

impl Ledger for Shop {
    async fn aggregate(&self, filter: &OrderFilter) -> Result<Vec<Aggregate>> {
        let mut q = QueryBuilder::new(
            "WITH period AS MATERIALIZED (SELECT id, provider, kind, currency, status, amount_cents, cost_cents, fees_cents, details
                                          FROM orders WHERE true",
        );
        push_filter(&mut q, filter);
        q.push(
            "), payers AS (SELECT DISTINCT details::jsonb ->> 'paid_by' AS pid FROM period
                           WHERE details::jsonb ->> 'paid_by' IS NOT NULL)
             SELECT provider, kind, currency, status, payers.pid IS NOT NULL AS paid, COUNT(*) AS n,
                    SUM(amount_cents)::bigint AS amount, SUM(COALESCE(cost_cents, 0))::bigint AS cost,
                    SUM(COALESCE(fees_cents, 0))::bigint AS fees
             FROM period LEFT JOIN payers ON payers.pid = period.id
             GROUP BY provider, kind, currency, status, paid
             ORDER BY provider, kind, currency, status, paid",
        );
        let rows = q.build().fetch_all(self.pool()).await.map_err(unreachable)?;
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

    async fn sales_by_cashier(&self, filter: &OrderFilter) -> Result<Vec<SalesLine>> {
        self.sales_by("cashier", filter).await
    }

    async fn sales_by_counter(&self, filter: &OrderFilter) -> Result<Vec<SalesLine>> {
        self.sales_by("counter", filter).await
    }

    async fn unsettled_ids(&self, filter: &OrderFilter) -> Result<Vec<String>> {
        let mut q = QueryBuilder::new("SELECT id FROM orders WHERE status IN ('pending', 'unknown', 'processing')");
        push_filter(&mut q, filter);
        q.push(" ORDER BY created_at");
        let rows = q.build().fetch_all(self.pool()).await.map_err(unreachable)?;
        Ok(rows.iter().map(|r| r.get("id")).collect())
    }

    async fn tenders_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        cashier: Option<&str>,
    ) -> Result<Vec<(Tender, i64, i64)>> {
        let start = local_midnight_utc(from);
        let end = local_midnight_utc(to.succ_opt().unwrap_or(to));
        // As the counter's journal: a receipt counts when it paid a live order.
        let live = "EXISTS (SELECT 1 FROM orders o WHERE o.details::jsonb ->> 'receipt' = r.number AND o.training = 0)";
        let mut out: BTreeMap<Tender, (i64, i64)> = BTreeMap::new();
        for (i, sql) in [
            format!(
                "SELECT t.tender, SUM(t.amount_cents)::bigint AS s FROM tenders t JOIN receipts r ON r.number = t.receipt
                 WHERE r.created_at >= $1 AND r.created_at < $2 AND ($3::text IS NULL OR r.cashier = $3) AND {live} GROUP BY t.tender"
            ),
            format!(
                "SELECT f.tender, SUM(f.amount_cents)::bigint AS s FROM till_refunds f JOIN receipts r ON r.number = f.receipt
                 WHERE f.created_at >= $1 AND f.created_at < $2 AND ($3::text IS NULL OR r.cashier = $3) AND {live} GROUP BY f.tender"
            ),
        ]
        .iter()
        .enumerate()
        {
            let rows = sqlx::query(sql)
                .bind(&start)
                .bind(&end)
                .bind(cashier)
                .fetch_all(self.pool())
                .await
                .map_err(unreachable)?;
            for r in rows {
                let t: Tender = r.get::<&str, _>("tender").parse()?;
                let e = out.entry(t).or_default();
                if i == 0 {
                    e.0 = r.get("s");
                } else {
                    e.1 = r.get("s");
                }
            }
        }
        Ok(out.into_iter().map(|(t, (a, b))| (t, a, b)).collect())
    }
}
