//! Printing an order's ticket: assembled from the order (its provider's
//! sections, chosen by the registry) and sent to a PDF file, a thermal
//! printer or the computer's printer. The CLI and the window both call
//! [`print`].

use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::receipt::{self, Layout, Ticket};
use crate::registry;
use crate::settings::{Settings, PRINTER, SYSTEM_PRINTER};
use serde::Serialize;

/// Builds the ticket of an order; for an eSIM or gift cards this opens
/// their secrets, which the order's history records.
pub async fn ticket(app: &Comptoir, order_id: &str) -> Result<Ticket> {
    let order = app.journal.get(order_id).await?;
    let settings = app.settings()?;
    let w = receipt::words(&settings);
    let mut t = receipt::base(&order, &settings);
    registry::add_receipt_sections(app, &order, &mut t, w).await?;
    // The provider's reference, unless a section already shows it (a
    // payment's transaction).
    if let Some(r) = order
        .provider_ref
        .as_ref()
        .filter(|r| !t.facts.iter().any(|(_, v)| v == *r))
    {
        t.facts.push((w.reference.into(), r.clone()));
    }
    // A payment and the product it paid for name each other, and the
    // payment's ticket carries the product's own lines and QR codes, so
    // the customer leaves with one paper that holds both.
    let linked = |k: &str| order.details.get(k).and_then(|v| v.as_str()).map(str::to_string);
    if let Some(paid_by) = linked("paid_by") {
        t.facts.push((w.paid_by.into(), paid_by));
    }
    if let Some(product) = linked("delivered_order") {
        let delivered = app.journal.get(&product).await?;
        t.facts.push((
            w.paid_for.into(),
            format!("{} ({})", delivered.id, delivered.product_name),
        ));
        registry::add_receipt_sections(app, &delivered, &mut t, w).await?;
        if let Some(r) = &delivered.provider_ref {
            t.facts.push((w.reference.into(), r.clone()));
        }
    }
    Ok(t)
}

/// Where the window sends a ticket.
#[derive(ts_rs::TS, Debug, Clone, Copy, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TicketTo {
    /// A PDF in the documents folder.
    Pdf,
    /// The thermal printer set in Settings.
    Thermal,
    /// The computer's printer set in Settings, else its default.
    Printer,
}

impl TicketTo {
    pub fn destination(self, order_id: &str) -> Destination {
        match self {
            TicketTo::Pdf => Destination::Pdf(crate::paths::export_path(&format!("ticket-{order_id}"), "pdf")),
            TicketTo::Thermal => Destination::Escpos(None),
            TicketTo::Printer => Destination::System(None),
        }
    }
}

/// Where a ticket goes.
#[derive(Debug, Clone)]
pub enum Destination {
    /// A PDF file, to keep or send.
    Pdf(std::path::PathBuf),
    /// A thermal printer speaking ESC/POS: `tcp://host:9100` or a device;
    /// `None`: the one set in Settings.
    Escpos(Option<String>),
    /// A printer of the computer's (CUPS), by name; `None`: the one chosen
    /// in Settings, else the system's default.
    System(Option<String>),
}

#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Printed {
    pub order: String,
    /// The file, the thermal printer or the system printer it went to.
    pub to: String,
    /// The system's print job.
    pub job: Option<String>,
}

/// Makes the order's ticket and sends it to `to` in `layout` (Settings'
/// paper when `None`); the order's history records it once it is done.
/// An order bought for a till receipt prints that receipt: the customer's
/// one ticket.
pub async fn print(app: &Comptoir, order_id: &str, to: Destination, layout: Option<Layout>) -> Result<Printed> {
    let order = match app.journal.get(order_id).await {
        Err(e) if e.code == "order.not_found" => return print_sold_elsewhere(app, order_id, to, layout).await,
        other => other?,
    };
    if let Some(number) = order.details.get("receipt").and_then(|v| v.as_str()) {
        let mut printed = print_receipt(app, number, to, layout).await?;
        printed.order = order_id.to_string();
        return Ok(printed);
    }
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| receipt::paper(&settings));
    // Where it goes is settled first: a printer missing from Settings must
    // not open (and record the reveal of) the order's secrets for nothing.
    let to = with_settings(to, &settings)?;
    let t = ticket(app, order_id).await?;
    let (to, job) = send(&t, to, layout, &format!("Comptoir {order_id}")).await?;
    printed_order(app, order_id, &to).await?;
    Ok(Printed {
        order: order_id.to_string(),
        to,
        job,
    })
}

/// Prints another counter's sale, read from the shop's database (a customer
/// back at this counter for their QR code or vouchers): always a duplicate,
/// naming the counter that sold it, recorded in this counter's register.
async fn print_sold_elsewhere(
    app: &Comptoir,
    order_id: &str,
    to: Destination,
    layout: Option<Layout>,
) -> Result<Printed> {
    let sold = crate::counters::sold(app, order_id).await?;
    let counter = sold.elsewhere.clone().unwrap_or_default();
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| receipt::paper(&settings));
    let to = with_settings(to, &settings)?;
    let w = receipt::words(&settings);
    let mut t = receipt::base(&sold.order, &settings);
    registry::add_receipt_sections(app, &sold.order, &mut t, w).await?;
    if let Some(r) = &sold.order.provider_ref {
        t.facts.push((w.reference.into(), r.clone()));
    }
    t.facts.push((w.sold_at.into(), counter.clone()));
    let copies = app.journal.records_where("print", "order", order_id).await?.len() + 1;
    mark_duplicate(&mut t, copies);
    let (to, job) = send(&t, to, layout, &format!("Comptoir {order_id}")).await?;
    let values = serde_json::json!({"order": order_id, "sold_at": counter, "copy": copies, "duplicata": true,
        "to": to, "cashier": app.journal.actor()});
    app.journal.append("print", values).await?;
    crate::counters::note_reveal(app, &sold, &format!("ticket printed: {to}")).await?;
    Ok(Printed {
        order: order_id.to_string(),
        to,
        job,
    })
}

/// Prints a till receipt: every line, its QR codes and vouchers, the
/// payments; each delivered line's history records the print.
/// A correcting receipt's number (`C1-000042-R1`) prints that correction.
pub async fn print_receipt(app: &Comptoir, number: &str, to: Destination, layout: Option<Layout>) -> Result<Printed> {
    if super::correction::corrected(number).is_some() {
        return print_correction(app, number, to, layout).await;
    }
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| receipt::paper(&settings));
    let to = with_settings(to, &settings)?;
    let r = super::till::receipt(app, number).await?;
    let mut t = super::receipt::ticket(app, &r).await?;
    // The first print is the original; every later one is a numbered
    // duplicate, and every print is recorded in the register.
    let copies = app.journal.records_where("print", "receipt", number).await?.len();
    mark_duplicate(&mut t, copies);
    let (to, job) = send(&t, to, layout, &format!("Comptoir {number}")).await?;
    let values = serde_json::json!({"receipt": number, "copy": copies, "duplicata": copies > 0, "to": to, "cashier": app.journal.actor()});
    app.journal.append("print", values).await?;
    for o in r.lines.iter().filter_map(|l| l.order.as_ref()) {
        printed_order(app, &o.id, &to).await?;
    }
    Ok(Printed {
        order: number.to_string(),
        to,
        job,
    })
}

/// Prints a correcting receipt: the original first, numbered duplicates
/// after, each print recorded in the register as a receipt's is.
async fn print_correction(app: &Comptoir, number: &str, to: Destination, layout: Option<Layout>) -> Result<Printed> {
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| receipt::paper(&settings));
    let to = with_settings(to, &settings)?;
    let (r, c) = super::correction::find(app, number).await?;
    let mut t = super::correction::ticket(app, &r, &c)?;
    let copies = app.journal.records_where("print", "correction", number).await?.len();
    mark_duplicate(&mut t, copies);
    let (to, job) = send(&t, to, layout, &format!("Comptoir {number}")).await?;
    let values = serde_json::json!({"correction": number, "corrects": r.number, "copy": copies,
        "duplicata": copies > 0, "to": to, "cashier": app.journal.actor()});
    app.journal.append("print", values).await?;
    Ok(Printed {
        order: number.to_string(),
        to,
        job,
    })
}

/// Every print after the first (`copies` before it) says so, numbered.
fn mark_duplicate(t: &mut Ticket, copies: usize) {
    if copies > 0 {
        t.notes.insert(0, format!("DUPLICATA n° {copies}"));
        t.order_id = format!("{} - DUPLICATA n° {copies}", t.order_id);
    }
}

/// Prints a shift's report (the X report of an open shift, or its close).
pub async fn print_shift(app: &Comptoir, shift: &str, to: Destination, layout: Option<Layout>) -> Result<Printed> {
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| receipt::paper(&settings));
    let to = with_settings(to, &settings)?;
    let report = crate::till::shift::report(app, shift).await?;
    let t = super::receipt::shift_ticket(app, &report)?;
    let (to, job) = send(&t, to, layout, &format!("Comptoir {shift}")).await?;
    Ok(Printed {
        order: shift.to_string(),
        to,
        job,
    })
}

/// A register closing's printout (roll or A4).
pub async fn print_closing(
    app: &Comptoir,
    closing: &crate::register::closing::Closing,
    to: Destination,
    layout: Option<Layout>,
) -> Result<Printed> {
    let settings = app.settings()?;
    let layout = layout.unwrap_or_else(|| receipt::paper(&settings));
    let to = with_settings(to, &settings)?;
    let t = crate::register::closing::ticket(app, closing)?;
    let (to, job) = send(&t, to, layout, &format!("Comptoir {} {}", closing.kind, closing.period)).await?;
    Ok(Printed {
        order: format!("closing {}", closing.seq),
        to,
        job,
    })
}

/// Sends a ticket: (where it went, the system's job).
async fn send(t: &Ticket, to: Target, layout: Layout, title: &str) -> Result<(String, Option<String>)> {
    Ok(match to {
        Target::Pdf(path) => {
            let pdf = receipt::pdf(t, layout)?;
            crate::files::write_whole(&path, "ticket.cannot_write", |w| {
                w.write_all(&pdf)
                    .map_err(|e| crate::files::io_error(&path, "ticket.cannot_write", &e))
            })?;
            (path.display().to_string(), None)
        }
        Target::Escpos(target) => {
            let bytes = receipt::escpos(t);
            let sending = target.clone();
            off_the_runtime(move || receipt::send(&sending, &bytes)).await?;
            (target, None)
        }
        Target::System(name) => {
            let pdf = receipt::pdf(t, layout)?;
            let (printer, title) = (name.clone(), title.to_string());
            let job = off_the_runtime(move || crate::printer::print_pdf(printer.as_deref(), &title, &pdf)).await?;
            (name.unwrap_or_else(|| "default".into()), Some(job))
        }
    })
}

/// The order's history records the print and, for a delivered eSIM or
/// gift cards, the reveal of their secrets the ticket carried; never for
/// a print that failed.
async fn printed_order(app: &Comptoir, order_id: &str, to: &str) -> Result<()> {
    app.journal
        .note(order_id, "print", &format!("ticket printed: {to}"))
        .await?;
    let order = app.journal.get(order_id).await?;
    let revealed = match order.kind {
        crate::journal::OrderKind::Esim => Some("eSIM activation code printed on the ticket"),
        crate::journal::OrderKind::Giftcard => Some("the vouchers printed on the ticket"),
        _ => None,
    };
    if let Some(what) = revealed.filter(|_| order.status == crate::journal::OrderStatus::Delivered) {
        app.journal.note(order_id, "reveal", &format!("{what}: {to}")).await?;
    }
    Ok(())
}

/// Runs a blocking send (a thermal printer's connection, up to 15 s; `lp`)
/// on the blocking pool, so a slow printer never freezes the window.
async fn off_the_runtime<T: Send + 'static>(work: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| Error::internal("printer.failed", format!("the printing task stopped: {e}")))?
}

/// A destination with Settings' printers filled in.
enum Target {
    Pdf(std::path::PathBuf),
    Escpos(String),
    /// `None`: the system's default printer.
    System(Option<String>),
}

/// Fills in the printer Settings name when none was given: the thermal
/// printer must be set; the system printer falls back to the system's default.
fn with_settings(to: Destination, settings: &Settings) -> Result<Target> {
    let set = |key: &str| settings.get_str(key).map(str::to_string);
    Ok(match to {
        Destination::Pdf(path) => Target::Pdf(path),
        Destination::Escpos(given) => Target::Escpos(given.or_else(|| set(PRINTER)).ok_or_else(|| {
            Error::config(
                "printer.not_set",
                "no thermal printer is set: give its address in Settings",
            )
        })?),
        Destination::System(given) => Target::System(given.or_else(|| set(SYSTEM_PRINTER))),
    })
}
