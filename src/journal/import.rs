//! Import of the journal's own CSV (moving a shop's history between
//! machines). All or nothing: the first malformed line stops the import with
//! its number and the reason, and nothing is written. Orders already in the
//! journal (same id) are skipped, so importing a file twice is harmless.

use super::{export::CSV_COLUMNS, Journal, Order, OrderKind, OrderStatus};
use crate::error::{Error, Result};
use crate::types::ProviderId;

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
    if columns != CSV_COLUMNS {
        return Err(bad(1, &format!("the header must be: {}", CSV_COLUMNS.join(","))));
    }
    let mut orders = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let line = i + 2;
        let r = record.map_err(|e| bad(line, &format!("unreadable line: {e}")))?;
        orders.push(order_of(&r).map_err(|why| bad(line, &why))?);
    }
    Ok(orders)
}

fn bad(line: usize, why: &str) -> Error {
    Error::invalid("import.bad_line", format!("line {line}: {why}; nothing was imported"))
        .with("line", line)
        .with("reason", why)
}

fn order_of(r: &csv::StringRecord) -> std::result::Result<Order, String> {
    let get = |i: usize| r.get(i).unwrap_or("").trim();
    let opt = |i: usize| Some(get(i).to_string()).filter(|s| !s.is_empty());
    let money = |i: usize, name: &str| -> std::result::Result<Option<i64>, String> {
        let v = get(i);
        if v.is_empty() {
            return Ok(None);
        }
        parse_cents(v)
            .map(Some)
            .ok_or_else(|| format!("{name} `{v}` is not an amount such as 12.50"))
    };
    let date = |i: usize, name: &str| -> std::result::Result<String, String> {
        chrono::DateTime::parse_from_rfc3339(get(i))
            .map(|_| get(i).to_string())
            .map_err(|_| format!("{name} `{}` is not an RFC 3339 date", get(i)))
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
        provider_ref: opt(6),
        product_id: opt(7),
        product_name: get(8).to_string(),
        quantity,
        amount_cents: money(10, "amount")?.ok_or("amount is missing")?,
        cost_cents: money(11, "cost")?,
        fees_cents: money(12, "fees")?,
        currency: currency.to_string(),
        customer_ref: opt(14),
        phone: opt(15),
        sim_id: opt(16),
        iccid: opt(17),
        training,
        details: serde_json::json!({"imported": true}),
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
    let cents = units.parse::<i64>().ok()?.checked_mul(100)? + format!("{frac:0<2}").parse::<i64>().ok()?;
    Some(if neg { -cents } else { cents })
}

impl Journal {
    /// Writes orders read from elsewhere (import, synthetic history) in one
    /// transaction, each with an `imported` event; ids already present are
    /// skipped.
    pub async fn insert_orders(&self, orders: &[Order], event_message: &str) -> Result<ImportReport> {
        let mut tx = self.begin_write().await?;
        let mut imported = 0;
        for o in orders {
            let done = sqlx::query(
                "INSERT OR IGNORE INTO orders (id, provider, kind, status, provider_ref, product_id, product_name, quantity,
                    customer_ref, phone, sim_id, iccid, amount_cents, cost_cents, fees_cents, currency, training, details,
                    created_at, updated_at)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            )
            .bind(&o.id)
            .bind(o.provider.as_str())
            .bind(o.kind.as_str())
            .bind(o.status.as_str())
            .bind(&o.provider_ref)
            .bind(&o.product_id)
            .bind(&o.product_name)
            .bind(o.quantity as i64)
            .bind(&o.customer_ref)
            .bind(&o.phone)
            .bind(&o.sim_id)
            .bind(&o.iccid)
            .bind(o.amount_cents)
            .bind(o.cost_cents)
            .bind(o.fees_cents)
            .bind(&o.currency)
            .bind(o.training)
            .bind(o.details.to_string())
            .bind(&o.created_at)
            .bind(&o.updated_at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 1 {
                imported += 1;
                super::append_event(&mut tx, &o.id, "imported", None, Some(o.status), event_message).await?;
            }
        }
        tx.commit().await?;
        Ok(ImportReport {
            imported,
            skipped: orders.len() - imported,
        })
    }
}

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
