//! Import of the journal's own CSV (moving a shop's history between
//! machines). All or nothing: the first malformed line stops the import with
//! its number and the reason, and nothing is written. Imported values pass
//! the checks a sale makes (printable text of a bounded length, amounts from
//! 0 to a billion euros, known statuses), and dates are stored in UTC. An
//! order already in the journal is skipped only when it is the same order;
//! the same id with other data (in the file or in the journal) stops it.

use super::{export::CSV_COLUMNS, Journal, Order, OrderKind, OrderStatus};
use crate::error::{Error, Result};
use crate::types::ProviderId;
use std::collections::HashMap;

#[derive(ts_rs::TS, Debug, Clone, serde::Serialize, PartialEq)]
pub struct ImportReport {
    pub imported: usize,
    /// Already in the journal.
    pub skipped: usize,
}

/// Reads the whole file first (`,` or `;`, told by the header), then writes.
pub fn parse_csv(text: &str) -> Result<Vec<Order>> {
    let header = text.lines().next().unwrap_or("");
    let delimiter = if header.contains(';') { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let columns: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, &format!("unreadable header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    if columns != CSV_COLUMNS && columns != CSV_COLUMNS[..19] {
        return Err(bad(1, &format!("the header must be: {}", CSV_COLUMNS.join(","))));
    }
    let mut orders: Vec<Order> = Vec::new();
    let mut seen = std::collections::HashMap::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let r = record.map_err(|e| bad(line, &format!("unreadable line: {e}")))?;
        let o = order_of(&r).map_err(|why| bad(line, &why))?;
        if let Some(&first) = seen.get(&o.id) {
            if !same_order(&orders[first], &o) {
                return Err(bad(
                    line,
                    &format!("order {} is also on line {} with other data", o.id, first + 2),
                ));
            }
            continue;
        }
        seen.insert(o.id.clone(), orders.len());
        orders.push(o);
    }
    Ok(orders)
}

/// The largest amount an order may carry: a billion euros, in cents.
pub const MAX_CENTS: i64 = 100_000_000_000;

/// A text cell as the export wrote it: one leading `'` before `=`, `+`,
/// `-`, `@`, a tab or a `'` is the export's guard against spreadsheet
/// formulas, not part of the value (`export::text_cell`).
fn untext(v: &str) -> String {
    match v.strip_prefix('\'') {
        Some(rest) if rest.starts_with(super::export::FORMULA_STARTS) => rest.to_string(),
        _ => v.to_string(),
    }
}

fn bad(line: usize, why: &str) -> Error {
    Error::invalid("import.bad_line", format!("line {line}: {why}; nothing was imported"))
        .with("line", line)
        .with("reason", why)
}

fn order_of(r: &csv::StringRecord) -> std::result::Result<Order, String> {
    let get = |i: usize| r.get(i).unwrap_or("").trim();
    let money = |i: usize, name: &str| -> std::result::Result<Option<i64>, String> {
        let v = get(i);
        if v.is_empty() {
            return Ok(None);
        }
        match parse_cents(v) {
            Some(c) if (0..=MAX_CENTS).contains(&c) => Ok(Some(c)),
            Some(_) => Err(format!("{name} `{v}` is not an amount from 0 to 1,000,000,000.00")),
            None => Err(format!("{name} `{v}` is not an amount such as 12.50")),
        }
    };
    // Stored as the journal writes dates (UTC, milliseconds), so an order
    // dated with an offset is filed under its real day.
    let date = |i: usize, name: &str| -> std::result::Result<String, String> {
        chrono::DateTime::parse_from_rfc3339(get(i))
            .map(|d| {
                d.with_timezone(&chrono::Utc)
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            })
            .ok()
            .filter(|d| super::time_key::base(d).is_ok())
            .ok_or_else(|| format!("{name} `{}` is not an RFC 3339 date from the year 1692 to 2248", get(i)))
    };
    let text = |i: usize, name: &str, max: usize| -> std::result::Result<String, String> {
        let v = untext(get(i));
        crate::types::text::check(name, &v, max, false)?;
        Ok(v)
    };
    let opt_text = |i: usize, name: &str, max: usize| -> std::result::Result<Option<String>, String> {
        text(i, name, max).map(|v| Some(v).filter(|s| !s.is_empty()))
    };
    let id = get(0);
    if id.is_empty() || id.len() > 64 || !id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        return Err(format!("id `{id}` is not an order id"));
    }
    let quantity: u32 = get(9)
        .parse()
        .ok()
        .filter(|q| *q > 0)
        .ok_or_else(|| format!("quantity `{}` is not a whole number above 0", get(9)))?;
    let currency = get(13);
    if currency.len() != 3 || !currency.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(format!("currency `{currency}` is not a code such as EUR"));
    }
    let training = match get(18) {
        "true" => true,
        "false" => false,
        other => return Err(format!("training `{other}` is not true or false")),
    };
    Ok(Order {
        id: id.to_string(),
        created_at: date(1, "created_at")?,
        updated_at: date(2, "updated_at")?,
        provider: get(3).parse::<ProviderId>().map_err(|e| e.message)?,
        kind: get(4).parse::<OrderKind>().map_err(|e| e.message)?,
        status: get(5).parse::<OrderStatus>().map_err(|e| e.message)?,
        provider_ref: opt_text(6, "provider_ref", 120)?,
        product_id: opt_text(7, "product_id", 120)?,
        product_name: text(8, "product_name", crate::types::text::NAME_MAX)?,
        quantity,
        amount_cents: money(10, "amount")?.ok_or("amount is missing")?,
        cost_cents: money(11, "cost")?,
        fees_cents: money(12, "fees")?,
        currency: currency.to_string(),
        customer_ref: opt_text(14, "customer_ref", crate::types::text::CUSTOMER_MAX)?,
        // Exported as people write it (`06 84 58 75 87`), kept as Orange does.
        phone: opt_text(15, "phone", 32)?.map(|p| crate::types::phone::stored(&p)),
        sim_id: opt_text(16, "sim_id", 32)?,
        iccid: opt_text(17, "iccid", 32)?,
        training,
        details: serde_json::json!({"imported": true}),
        cashier: opt_text(19, "cashier", 40)?,
    })
}

/// `12.50`, `12,50`, `12` or `-3.5` as cents; None when not an amount.
fn parse_cents(v: &str) -> Option<i64> {
    let v = v.replace(',', ".");
    let (neg, digits) = v.strip_prefix('-').map(|d| (true, d)).unwrap_or((false, v.as_str()));
    let (units, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if units.is_empty() || frac.len() > 2 || !units.bytes().chain(frac.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let cents = units
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(format!("{frac:0<2}").parse::<i64>().ok()?)?;
    Some(if neg { -cents } else { cents })
}

/// Whether two readings are the same order (what an export writes).
fn same_order(a: &Order, b: &Order) -> bool {
    let what = |o: &Order| {
        (
            o.provider,
            o.kind,
            o.status,
            o.provider_ref.clone(),
            o.product_id.clone(),
            o.product_name.clone(),
            o.quantity,
            o.created_at.clone(),
        )
    };
    let money_and_who = |o: &Order| {
        (
            o.amount_cents,
            o.cost_cents,
            o.fees_cents,
            o.currency.clone(),
            o.customer_ref.clone(),
            // The number as the journal keeps a top-up's (nine digits): an
            // eSIM's line, kept as Orange gave it (`0622491813`), reads
            // back from the file in that form.
            o.phone.as_deref().map(crate::types::phone::stored),
            o.sim_id.clone(),
            o.iccid.clone(),
            o.training,
        )
    };
    what(a) == what(b) && money_and_who(a) == money_and_who(b)
}

impl Journal {
    /// Writes orders read from elsewhere (import, synthetic history) in one
    /// transaction, each with an `imported` event. An id already present is
    /// skipped when it is the same order; with other data, nothing is
    /// written and the error names the order (and its line in the file:
    /// the orders' position, counted from the header's line 1).
    pub async fn insert_orders(&self, orders: &[Order], event_message: &str) -> Result<ImportReport> {
        // A bulk write's pages stay in memory until the commit: with the
        // default 2 MB cache, SQLite spills them to the write-ahead log and
        // writes the same pages again and again (see bench/results.md). The
        // connection goes back to the pool with the default cache.
        let mut conn = self.pool().acquire().await?;
        sqlx::query("PRAGMA cache_size = -262144").execute(&mut *conn).await?;
        let written = self.insert_in(&mut conn, orders, event_message).await;
        sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
        drop(conn);
        let imported = written?;
        self.checkpoint().await;
        Ok(ImportReport {
            imported,
            skipped: orders.len() - imported,
        })
    }

    /// `insert_orders` in one transaction of `conn`: how many were new.
    /// Written `BATCH` at a time, each batch one statement of bound rows: a
    /// statement costs a round trip to sqlx's worker thread, and four per
    /// order made a million-order seed take minutes (rows as a JSON array
    /// spent a fifth of the time parsing it again).
    async fn insert_in(
        &self,
        conn: &mut sqlx::SqliteConnection,
        orders: &[Order],
        event_message: &str,
    ) -> Result<usize> {
        let mut tx = sqlx::Connection::begin_with(conn, "BEGIN IMMEDIATE").await?;
        // The first line of the file each id was met on, in this import.
        let mut seen: HashMap<&str, usize> = HashMap::new();
        let mut imported = 0;
        for (n, batch) in orders.chunks(BATCH).enumerate() {
            let ids: Vec<&str> = batch.iter().map(|o| o.id.as_str()).collect();
            let rows = sqlx::query(&format!(
                "SELECT {} FROM orders WHERE id IN (SELECT value FROM json_each(?))",
                super::ORDER_COLUMNS
            ))
            .bind(serde_json::to_string(&ids).expect("strings serialise"))
            .fetch_all(&mut *tx)
            .await?;
            let known: HashMap<String, Order> = rows
                .iter()
                .map(|r| super::order_from_row(r).map(|o| (o.id.clone(), o)))
                .collect::<Result<_>>()?;
            let mut fresh = Vec::with_capacity(batch.len());
            let mut rank_in_batch: HashMap<i64, i64> = HashMap::new();
            for (j, o) in batch.iter().enumerate() {
                let i = n * BATCH + j;
                if let Some(earlier) = known
                    .get(&o.id)
                    .or_else(|| seen.get(o.id.as_str()).map(|&k| &orders[k]))
                {
                    if !same_order(earlier, o) {
                        return Err(bad(
                            i + 2,
                            &format!("order {} is already in the journal with other data", o.id),
                        ));
                    }
                    continue;
                }
                seen.insert(&o.id, i);
                let b = super::time_key::base(&o.created_at).map_err(|e| bad(i + 2, &e.message))?;
                let r = rank_in_batch.entry(b).or_insert(0);
                fresh.push((o, b, *r));
                *r += 1;
            }
            if fresh.is_empty() {
                continue;
            }
            let mut insert = sqlx::QueryBuilder::new(
                "INSERT INTO orders (rowid, id, provider, kind, status, provider_ref, product_id, product_name, quantity,
                    customer_ref, phone, sim_id, iccid, amount_cents, cost_cents, fees_cents, currency, training, details,
                    created_at, updated_at, cashier) ",
            );
            insert.push_values(&fresh, |mut row, (o, base, rank)| {
                row.push(format!("(SELECT {} FROM (SELECT ", super::time_key::NEXT_ROWID))
                    .push_bind_unseparated(*base)
                    .push_unseparated(" AS b, ")
                    .push_bind_unseparated(*rank)
                    .push_unseparated(" AS r))")
                    .push_bind(&o.id)
                    .push_bind(o.provider.as_str())
                    .push_bind(o.kind.as_str())
                    .push_bind(o.status.as_str())
                    .push_bind(&o.provider_ref)
                    .push_bind(&o.product_id)
                    .push_bind(&o.product_name)
                    .push_bind(i64::from(o.quantity))
                    .push_bind(&o.customer_ref)
                    .push_bind(&o.phone)
                    .push_bind(&o.sim_id)
                    .push_bind(&o.iccid)
                    .push_bind(o.amount_cents)
                    .push_bind(o.cost_cents)
                    .push_bind(o.fees_cents)
                    .push_bind(&o.currency)
                    .push_bind(o.training)
                    .push_bind(o.details.to_string())
                    .push_bind(&o.created_at)
                    .push_bind(&o.updated_at)
                    .push_bind(&o.cashier);
            });
            insert.build().execute(&mut *tx).await?;
            let at = super::now_rfc3339();
            let mut events = sqlx::QueryBuilder::new(
                "INSERT INTO order_events (order_id, at, event, from_status, to_status, message) ",
            );
            events.push_values(&fresh, |mut row, (o, _, _)| {
                row.push_bind(&o.id)
                    .push_bind(&at)
                    .push("'imported'")
                    .push("NULL")
                    .push_bind(o.status.as_str())
                    .push_bind(event_message);
            });
            let done = events.build().execute(&mut *tx).await?;
            imported += done.rows_affected() as usize;
        }
        tx.commit().await?;
        Ok(imported)
    }
}

/// Orders per statement of a bulk write (22 values each: 11,000, well
/// within the 32,766 a statement may bind).
const BATCH: usize = 500;

#[cfg(test)]
mod tests {
    use super::super::cents;
    use super::*;

    #[test]
    fn amounts_in_both_notations() {
        assert_eq!(parse_cents("12.50"), Some(1250));
        assert_eq!(parse_cents("12,5"), Some(1250));
        assert_eq!(parse_cents("7"), Some(700));
        assert_eq!(parse_cents("-3.05"), Some(-305));
        for bad in ["", "12.345", "1e3", "12.5.1", "€12", "-", ".5"] {
            assert_eq!(parse_cents(bad), None, "{bad}");
        }
        assert_eq!(cents::format(parse_cents("0.07").unwrap()), "0.07");
    }
}
