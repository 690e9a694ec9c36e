//! The window's cashiers: its PIN pad signs in, locks and switches; a
//! manager's PIN approves one action in place. One core call each.

use comptoir::accounts::Actor;
use comptoir::app::cashiers::{self, CashierState};
use comptoir::{Comptoir, Error};
use tauri::State;

type Result<T> = std::result::Result<T, Error>;

#[tauri::command]
pub async fn cashier_state(app: State<'_, Comptoir>) -> Result<CashierState> {
    cashiers::state(&app).await
}

#[tauri::command]
pub async fn sign_in(app: State<'_, Comptoir>, name: String, pin: String) -> Result<Actor> {
    app.sign_in(&name, &pin).await
}

/// `why`: `lock` (idle, or the cashier stepped away) or `logout` (switch).
#[tauri::command]
pub async fn sign_out(app: State<'_, Comptoir>, why: String) -> Result<()> {
    let why = if why == "lock" { "lock" } else { "logout" };
    app.sign_out(why).await
}

#[tauri::command]
pub async fn approve(app: State<'_, Comptoir>, name: String, pin: String) -> Result<Actor> {
    app.approve(&name, &pin).await
}

#[tauri::command]
pub async fn end_approval(app: State<'_, Comptoir>) -> Result<()> {
    app.end_approval();
    Ok(())
}

#[tauri::command]
pub async fn add_cashier(
    app: State<'_, Comptoir>,
    name: String,
    role: comptoir::accounts::Role,
    pin: String,
) -> Result<comptoir::accounts::Account> {
    cashiers::add(&app, &name, role, &pin).await
}

/// Every account, disabled ones too (Settings › Cashiers).
#[tauri::command]
pub async fn list_cashiers(app: State<'_, Comptoir>) -> Result<Vec<comptoir::accounts::Account>> {
    cashiers::list(&app).await
}

#[tauri::command]
pub async fn disable_cashier(app: State<'_, Comptoir>, name: String) -> Result<comptoir::accounts::Account> {
    cashiers::disable(&app, &name).await
}

#[tauri::command]
pub async fn set_cashier_pin(
    app: State<'_, Comptoir>,
    name: String,
    pin: String,
) -> Result<comptoir::accounts::Account> {
    cashiers::set_pin(&app, &name, &pin).await
}
