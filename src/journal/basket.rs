//! The counter's basket as the journal keeps it: one open basket per
//! counter (the window and the command line share it), its lines with the
//! price they were added at. A line removed and a basket abandoned are
//! marked, never deleted, so the close can count what was given up.

use super::{now_rfc3339, Journal};
use crate::error::{Error, Result};
use crate::types::{cents, OrderKind, ProviderId};
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::Row;

/// One line of a basket.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct BasketLine {
    /// Its number in the basket (kept when an earlier line is removed).
    #[ts(type = "number")]
    pub line: i64,
    pub kind: OrderKind,
    pub provider: ProviderId,
    /// The offer or product code it sells.
    pub product: String,
    pub name: String,
    pub quantity: u32,
    #[serde(rename = "unit_price", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub unit_cents: i64,
    #[serde(rename = "amount", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub amount_cents: i64,
    pub currency: String,
    pub msisdn: Option<String>,
    pub sim_id: Option<String>,
    /// Refused before any order was written (its error code).
    pub failure: Option<String>,
}

/// What a line holds when it is added.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub kind: OrderKind,
    pub provider: ProviderId,
    pub product: String,
    pub name: String,
    pub quantity: u32,
    pub unit_cents: i64,
    pub currency: String,
    pub msisdn: Option<String>,
    pub sim_id: Option<String>,
}

/// A basket with its lines still in it.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Basket {
    pub id: String,
    pub counter: String,
    /// `open`, `paid` or `abandoned`.
    pub status: String,
    pub cashier: Option<String>,
    pub created_at: String,
    pub lines: Vec<BasketLine>,
    #[serde(rename = "total", serialize_with = "cents::serialize")]
    #[ts(type = "number")]
    pub total_cents: i64,
    pub currency: String,
    pub receipt: Option<String>,
}

const LINE_COLUMNS: &str =
    "line, kind, provider, product, name, quantity, unit_cents, currency, msisdn, sim_id, failure";

fn line_from_row(r: &SqliteRow) -> Result<BasketLine> {
    let quantity: i64 = r.get("quantity");
    let unit_cents: i64 = r.get("unit_cents");
    Ok(BasketLine {
        line: r.get("line"),
        kind: r.get::<String, _>("kind").parse()?,
        provider: r.get::<String, _>("provider").parse()?,
        product: r.get("product"),
        name: r.get("name"),
        quantity: u32::try_from(quantity).unwrap_or(1),
        unit_cents,
        amount_cents: unit_cents * quantity,
        currency: r.get("currency"),
        msisdn: r.get("msisdn"),
        sim_id: r.get("sim_id"),
        failure: r.get("failure"),
    })
}

impl Journal {
    /// The counter's open basket, made empty when there is none.
    pub async fn open_basket(&self, counter: &str) -> Result<Basket> {
        if let Some(b) = self.current_basket(counter).await? {
            return Ok(b);
        }
        let id = format!("B-{}", &super::new_order_id()[4..]);
        sqlx::query(
            "INSERT INTO baskets (id, counter, status, cashier, created_at) VALUES (?, ?, 'open', ?, ?)
             ON CONFLICT DO NOTHING",
        )
        .bind(&id)
        .bind(counter)
        .bind(self.actor())
        .bind(now_rfc3339())
        .execute(&self.pool)
        .await?;
        // Another process may have opened it first: theirs is the one.
        self.current_basket(counter)
            .await?
            .ok_or_else(|| Error::internal("till.no_basket", "the basket could not be opened"))
    }

    /// The counter's open basket, if any.
    pub async fn current_basket(&self, counter: &str) -> Result<Option<Basket>> {
        let id: Option<String> = sqlx::query_scalar("SELECT id FROM baskets WHERE counter = ? AND status = 'open'")
            .bind(counter)
            .fetch_optional(&self.pool)
            .await?;
        match id {
            Some(id) => Ok(Some(self.basket(&id).await?)),
            None => Ok(None),
        }
    }

    /// A basket by its id, with the lines not removed.
    pub async fn basket(&self, id: &str) -> Result<Basket> {
        let row = sqlx::query("SELECT id, counter, status, cashier, created_at, receipt FROM baskets WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| Error::invalid("till.no_basket", format!("no basket {id}")))?;
        let lines = sqlx::query(&format!(
            "SELECT {LINE_COLUMNS} FROM basket_lines WHERE basket = ? AND removed_at IS NULL ORDER BY line"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(line_from_row)
        .collect::<Result<Vec<_>>>()?;
        let currency = lines
            .first()
            .map(|l| l.currency.clone())
            .unwrap_or_else(|| "EUR".into());
        Ok(Basket {
            id: row.get("id"),
            counter: row.get("counter"),
            status: row.get("status"),
            cashier: row.get("cashier"),
            created_at: row.get("created_at"),
            total_cents: lines.iter().map(|l| l.amount_cents).sum(),
            currency,
            lines,
            receipt: row.get("receipt"),
        })
    }

    /// Adds a line to the counter's open basket (opened if needed).
    pub async fn add_line(&self, counter: &str, new: &NewLine) -> Result<Basket> {
        let basket = self.open_basket(counter).await?;
        if basket.lines.iter().any(|l| l.currency != new.currency) {
            return Err(Error::invalid(
                "till.mixed_currency",
                format!(
                    "{} is priced in {}, the basket in {}",
                    new.name, new.currency, basket.currency
                ),
            ));
        }
        let mut tx = self.begin_write().await?;
        let next: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(line), 0) + 1 FROM basket_lines WHERE basket = ?")
            .bind(&basket.id)
            .fetch_one(&mut *tx)
            .await?;
        insert_line(&mut tx, &basket.id, next, new).await?;
        tx.commit().await?;
        self.basket(&basket.id).await
    }

    /// A basket of one line, apart from the counter's open one: a sale
    /// paid at once (`comptoir sell`).
    pub async fn single_basket(&self, counter: &str, new: &NewLine) -> Result<Basket> {
        let id = format!("B-{}", &super::new_order_id()[4..]);
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO baskets (id, counter, status, cashier, created_at) VALUES (?, ?, 'single', ?, ?)")
            .bind(&id)
            .bind(counter)
            .bind(self.actor())
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await?;
        insert_line(&mut tx, &id, 1, new).await?;
        tx.commit().await?;
        self.basket(&id).await
    }

    /// Marks line `line` of the counter's open basket removed.
    pub async fn remove_line(&self, counter: &str, line: i64) -> Result<Basket> {
        let basket = self.open_basket(counter).await?;
        let done =
            sqlx::query("UPDATE basket_lines SET removed_at = ? WHERE basket = ? AND line = ? AND removed_at IS NULL")
                .bind(now_rfc3339())
                .bind(&basket.id)
                .bind(line)
                .execute(&self.pool)
                .await?;
        if done.rows_affected() == 0 {
            return Err(Error::invalid(
                "till.no_line",
                format!("the basket has no line {line}: `comptoir basket show` lists them"),
            )
            .with("line", line));
        }
        self.basket(&basket.id).await
    }

    /// Abandons the counter's open basket (kept, marked `abandoned`); an
    /// empty one is simply ended. Returns it as it was.
    pub async fn abandon_basket(&self, counter: &str) -> Result<Option<Basket>> {
        let Some(basket) = self.current_basket(counter).await? else {
            return Ok(None);
        };
        sqlx::query(
            "UPDATE baskets SET status = 'abandoned', ended_at = ?, ended_by = ? WHERE id = ? AND status = 'open'",
        )
        .bind(now_rfc3339())
        .bind(self.actor())
        .bind(&basket.id)
        .execute(&self.pool)
        .await?;
        Ok(Some(basket))
    }

    /// Records that a line was refused before any order was written.
    pub async fn fail_line(&self, basket: &str, line: i64, code: &str) -> Result<()> {
        sqlx::query("UPDATE basket_lines SET failure = ? WHERE basket = ? AND line = ? AND failure IS NULL")
            .bind(code)
            .bind(basket)
            .bind(line)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

async fn insert_line(
    tx: &mut sqlx::Transaction<'static, sqlx::Sqlite>,
    basket: &str,
    line: i64,
    new: &NewLine,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO basket_lines (basket, line, kind, provider, product, name, quantity, unit_cents, currency,
         msisdn, sim_id, added_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(basket)
    .bind(line)
    .bind(new.kind.as_str())
    .bind(new.provider.as_str())
    .bind(&new.product)
    .bind(&new.name)
    .bind(i64::from(new.quantity))
    .bind(new.unit_cents)
    .bind(&new.currency)
    .bind(&new.msisdn)
    .bind(&new.sim_id)
    .bind(now_rfc3339())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
