//! The journal's bulk work both shells offer: exporting orders as CSV,
//! importing such a file, writing the report as CSV, and the shop's
//! details printed on tickets. Written once here; the window and the CLI
//! only choose the file and show the result.

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::{ImportReport, Order, OrderEvent, OrderFilter};
use crate::receipt::Layout;
use crate::report::Report;
use crate::settings::{PAPER, PRINTER, SHOP_ADDRESS, SHOP_NAME, SYSTEM_PRINTER};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// A page of the Orders screen: the orders and how many match in all, up
/// to `COUNTED`; `more` says that more than `total` match.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct OrdersPage {
    pub orders: Vec<Order>,
    #[ts(type = "number")]
    pub total: i64,
    pub more: bool,
}

/// Past ten thousand, a count would cost more than the page (make bench)
/// and tells the cashier nothing a "more than 10,000" does not.
pub const COUNTED: i64 = 10_000;

pub async fn page(app: &Comptoir, filter: &OrderFilter) -> Result<OrdersPage> {
    let (orders, n) = tokio::try_join!(app.journal.list(filter), app.journal.count_up_to(filter, COUNTED))?;
    Ok(OrdersPage {
        orders,
        total: n.min(COUNTED),
        more: n > COUNTED,
    })
}

/// One order's page: the order and its history.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct OrderPage {
    pub order: Order,
    pub events: Vec<OrderEvent>,
    /// The counter that sold it, when another one did (read from the
    /// shop's database; its history stays there).
    pub sold_at: Option<String>,
}

/// This counter's order with its history, else another counter's from the
/// shop's database (`counters::sold`).
pub async fn order(app: &Comptoir, id: &str) -> Result<OrderPage> {
    match tokio::try_join!(app.journal.get(id), app.journal.events(id)) {
        Ok((order, events)) => Ok(OrderPage {
            order,
            events,
            sold_at: None,
        }),
        Err(e) if e.code == "order.not_found" => {
            let sold = crate::counters::sold(app, id).await?;
            Ok(OrderPage {
                order: sold.order,
                events: vec![],
                sold_at: sold.elsewhere,
            })
        }
        Err(e) => Err(e),
    }
}

/// Writes every order matching `filter` to `path` as CSV, streamed from
/// the journal (no page limit: a limit the filter sets is the screen's, not
/// the export's), whole or not at all; returns how many.
pub async fn export_orders(app: &Comptoir, filter: &OrderFilter, path: &Path, delimiter: u8) -> Result<usize> {
    let mut whole = crate::files::Whole::create(path, "export.cannot_write")?;
    let mut csv = crate::journal::CsvOut::new(whole.writer(), delimiter)?;
    let n = app.journal.each(filter, |o| csv.write(&o)).await?;
    csv.finish()?;
    whole.commit()?;
    Ok(n)
}

/// Imports a CSV written by an export, all or nothing.
pub async fn import_orders(app: &Comptoir, path: &Path) -> Result<ImportReport> {
    app.require(crate::accounts::Right::Administer, Some("import")).await?;
    let bytes = crate::files::read_capped(path, MAX_IMPORT, "import.cannot_read")?;
    let text = String::from_utf8(bytes).map_err(|_| {
        Error::invalid(
            "import.not_utf8",
            format!("{} is not UTF-8 text (an export of Comptoir's)", path.display()),
        )
        .with("path", path.display().to_string())
    })?;
    let orders = crate::journal::parse_csv(&text)?;
    app.journal
        .insert_orders(&orders, &format!("imported from {}", path.display()))
        .await
}

/// The report from `from` to `to` (both included), also written to `path`
/// as CSV when one is given.
pub async fn report(
    app: &Comptoir,
    from: NaiveDate,
    to: NaiveDate,
    cashier: Option<String>,
    csv: Option<(&Path, u8)>,
) -> Result<Report> {
    let r = crate::report::report_for(&app.journal, from, to, cashier).await?;
    if let Some((path, delimiter)) = csv {
        crate::files::write_whole(path, "report.cannot_write", |w| {
            crate::report::write_csv(w, &r, delimiter)
        })?;
    }
    Ok(r)
}

/// The largest order file `import orders` reads (a million orders export
/// to about 300 MB).
pub const MAX_IMPORT: u64 = 1024 * 1024 * 1024;

/// The shop's details printed on tickets, and its printers.
#[derive(ts_rs::TS, Debug, Clone, Default, Serialize, Deserialize)]
pub struct ShopSettings {
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    /// The thermal printer (`tcp://host:9100` or a device).
    #[serde(default)]
    pub printer: Option<String>,
    /// The computer's printer (CUPS) chosen for tickets.
    #[serde(default)]
    pub system_printer: Option<String>,
    pub paper: Layout,
}

pub fn shop_settings(app: &Comptoir) -> Result<ShopSettings> {
    let s = app.settings()?;
    let text = |k: &str| s.get_str(k).map(str::to_string);
    Ok(ShopSettings {
        name: text(SHOP_NAME),
        address: text(SHOP_ADDRESS),
        printer: text(PRINTER),
        system_printer: text(SYSTEM_PRINTER),
        paper: crate::receipt::paper(&s),
    })
}

/// Saves the shop's details; blank values are removed. The printer name is
/// checked first, so a refusal changes nothing.
pub fn set_shop_settings(app: &Comptoir, shop: ShopSettings) -> Result<()> {
    let value = |v: Option<String>| {
        v.map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
            .map(serde_json::Value::from)
    };
    app.set_setting(SYSTEM_PRINTER, value(shop.system_printer))?;
    app.set_setting(SHOP_NAME, value(shop.name))?;
    app.set_setting(SHOP_ADDRESS, value(shop.address))?;
    app.set_setting(PRINTER, value(shop.printer))?;
    app.set_setting(PAPER, Some(serde_json::json!(shop.paper)))
}
