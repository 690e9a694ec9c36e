//! The window's till: the counter's basket, its payment, the receipt, and
//! the drawer (open with the float, cash in and out, X report, close).
//! One core call each.

use comptoir::app::print::{Printed, TicketTo};
use comptoir::app::till::{self, Paid, Receipt};
use comptoir::journal::Basket;
use comptoir::till::shift::{self, ShiftReport};
use comptoir::till::{LineRequest, Tendered};
use comptoir::{Comptoir, Error};
use tauri::State;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn basket(app: State<'_, Comptoir>) -> Result<Basket> {
    till::basket(&app).await
}

#[tauri::command]
pub async fn basket_add(app: State<'_, Comptoir>, line: LineRequest) -> Result<Basket> {
    till::add(&app, &line).await
}

#[tauri::command]
pub async fn basket_remove(app: State<'_, Comptoir>, line: i64) -> Result<Basket> {
    till::remove(&app, line).await
}

/// Abandons the basket (recorded) and gives the new, empty one.
#[tauri::command]
pub async fn basket_clear(app: State<'_, Comptoir>) -> Result<Basket> {
    till::clear(&app).await?;
    till::basket(&app).await
}

#[tauri::command]
pub async fn basket_pay(app: State<'_, Comptoir>, given: Tendered, customer_ref: Option<String>) -> Result<Paid> {
    till::pay(&app, &given, customer_ref).await
}

#[tauri::command]
pub async fn receipt(app: State<'_, Comptoir>, number: String) -> Result<Receipt> {
    till::receipt(&app, &number).await
}

#[tauri::command]
pub async fn print_receipt(
    app: State<'_, Comptoir>,
    number: String,
    to: TicketTo,
    layout: Option<comptoir::receipt::Layout>,
) -> Result<Printed> {
    let to = to.destination(&format!("receipt-{number}"));
    comptoir::app::print::print_receipt(&app, &number, to, layout).await
}

/// The open shift's report (an X report), or `null` when the till is closed.
#[tauri::command]
pub async fn till_state(app: State<'_, Comptoir>) -> Result<Option<ShiftReport>> {
    match shift::x_report(&app).await {
        Ok(r) => Ok(Some(r)),
        Err(e) if e.code == "till.not_open" => Ok(None),
        Err(e) => Err(e),
    }
}

#[tauri::command]
pub async fn till_open(app: State<'_, Comptoir>, float_cents: i64) -> Result<ShiftReport> {
    let s = shift::open(&app, float_cents).await?;
    shift::report(&app, &s.id).await
}

#[tauri::command]
pub async fn till_cash(
    app: State<'_, Comptoir>,
    put_in: bool,
    amount_cents: i64,
    reason: String,
) -> Result<ShiftReport> {
    shift::cash(&app, put_in, amount_cents, &reason).await
}

#[tauri::command]
pub async fn till_close(app: State<'_, Comptoir>, counted_cents: i64) -> Result<ShiftReport> {
    comptoir::app::till::close_shift(&app, counted_cents).await
}

#[tauri::command]
pub async fn print_shift(
    app: State<'_, Comptoir>,
    shift: String,
    to: TicketTo,
    layout: Option<comptoir::receipt::Layout>,
) -> Result<Printed> {
    let dest = to.destination(&format!("till-{shift}"));
    comptoir::app::print::print_shift(&app, &shift, dest, layout).await
}

#[tauri::command]
pub async fn till_settings(app: State<'_, Comptoir>) -> Result<comptoir::till::TillSettings> {
    comptoir::till::settings(&app)
}

#[tauri::command]
pub async fn set_till_settings(app: State<'_, Comptoir>, till: comptoir::till::TillSettings) -> Result<()> {
    comptoir::till::set_settings(&app, &till)
}

/// Settings › Register and VAT: the SIRET, the fiscal year's last day, each kind's tax treatment.
#[tauri::command]
pub async fn fiscal_settings(app: State<'_, Comptoir>) -> Result<comptoir::register::fiscal::FiscalSettings> {
    comptoir::register::fiscal::settings(&app)
}

#[tauri::command]
pub async fn set_fiscal_settings(
    app: State<'_, Comptoir>,
    fiscal: comptoir::register::fiscal::FiscalSettings,
) -> Result<()> {
    comptoir::register::fiscal::set_settings(&app, &fiscal)
}

/// The register screen: verify everything (a defect is an error, `tampered`).
#[tauri::command]
pub async fn register_verify(app: State<'_, Comptoir>) -> Result<comptoir::register::verify::Verified> {
    app.require(comptoir::accounts::Right::Administer, Some("register"))
        .await?;
    comptoir::register::verify::verify(&app, &|_, _| {}).await
}

#[tauri::command]
pub async fn register_key(app: State<'_, Comptoir>) -> Result<String> {
    comptoir::register::public_key(&app)
}

/// The Register screen's closings, newest first (owners).
#[tauri::command]
pub async fn register_closings(app: State<'_, Comptoir>) -> Result<Vec<comptoir::register::closing::Closing>> {
    app.require(comptoir::accounts::Right::Administer, Some("register"))
        .await?;
    comptoir::register::closing::list(&app, None).await
}

#[tauri::command]
pub async fn print_closing(
    app: State<'_, Comptoir>,
    seq: i64,
    to: TicketTo,
    layout: Option<comptoir::receipt::Layout>,
) -> Result<Printed> {
    app.require(comptoir::accounts::Right::Administer, Some("register"))
        .await?;
    let closing = comptoir::register::closing::by_seq(&app, seq).await?;
    let dest = to.destination(&format!(
        "closing-{}-{}",
        closing.kind,
        closing.period.replace('/', "_")
    ));
    comptoir::app::print::print_closing(&app, &closing, dest, layout).await
}

/// The Register screen's archive of a period: a signed zip where the
/// cashier chose (the documents folder without a choice); says where.
#[tauri::command]
pub async fn register_archive(
    app: State<'_, Comptoir>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    path: Option<String>,
) -> Result<comptoir::register::archive::Archived> {
    app.require(comptoir::accounts::Right::Administer, Some("register"))
        .await?;
    let path = path
        .filter(|p| !p.trim().is_empty())
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| comptoir::paths::export_path(&format!("comptoir-registre-{from}-{to}"), "zip"));
    comptoir::register::archive::archive(&app, from, to, &path).await
}

/// The tax office's export of a period, in a new folder of the folder the
/// cashier chose (the documents folder without a choice).
#[tauri::command]
pub async fn register_export(
    app: State<'_, Comptoir>,
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    folder: Option<String>,
) -> Result<comptoir::register::archive::Archived> {
    app.require(comptoir::accounts::Right::Administer, Some("register"))
        .await?;
    let dir = comptoir::paths::export_path(&format!("comptoir-controle-fiscal-{from}-{to}"), "d");
    let dir = dir.with_extension("");
    let dir = match folder.filter(|f| !f.trim().is_empty()) {
        Some(f) => std::path::Path::new(&f).join(dir.file_name().unwrap_or_default()),
        None => dir,
    };
    comptoir::register::archive::export(&app, from, to, &dir).await
}
