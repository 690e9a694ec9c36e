//! Cashiers at the command line: who acts for this command (the folder's
//! session, a manager's approval), `login`, `logout`, `whoami`, `cashier`.

use crate::args::{CashierCommand, Command};
use crate::output::Output;
use comptoir::app::cashiers;
use comptoir::{Comptoir, Error, Result};
use serde_json::json;

/// Before any command: the signed-in cashier, when accounts exist. Every
/// command but `status`, `login`, `sim` needs one (`cashier.login_required`).
pub async fn act(app: &Comptoir, command: &Command, approve: Option<&str>) -> Result<()> {
    if !app.has_accounts() {
        return Ok(());
    }
    // As `shared/spec/cli.md` says: all but these need a session.
    let exempt = matches!(command, Command::Status | Command::Login { .. } | Command::Sim { .. });
    // An ended session does not stop signing in again, or `status`.
    let actor = match cashiers::resume(app).await {
        Ok(actor) => actor,
        Err(_) if exempt => None,
        Err(e) => return Err(e),
    };
    if actor.is_none() && !exempt {
        return Err(Error::invalid(
            "cashier.login_required",
            "sign in first: `comptoir login NAME` (the PIN on standard input)",
        ));
    }
    if let Some(name) = approve {
        let pin = crate::input::approval_pin(name)?;
        app.approve(name, &pin).await?;
    }
    Ok(())
}

fn pin(what: &str) -> Result<String> {
    Ok(crate::shop::read_secret(what, false)?.expose().to_string())
}

pub async fn login(app: &Comptoir, out: &Output, name: &str) -> Result<()> {
    let a = cashiers::login(app, name, &pin("PIN")?).await?;
    out.print(&a, || vec![format!("signed in as {} ({})", a.name, a.role.as_str())])
}

pub async fn logout(app: &Comptoir, out: &Output) -> Result<()> {
    let name = cashiers::logout(app).await?;
    out.print(&json!({ "ended": name }), || {
        vec![match &name {
            Some(n) => format!("{n} signed out"),
            None => "nobody was signed in".to_string(),
        }]
    })
}

pub fn whoami(app: &Comptoir, out: &Output) -> Result<()> {
    match app.actor() {
        Some(a) => out.print(&a, || vec![format!("{} ({})", a.name, a.role.as_str())]),
        None if !app.has_accounts() => {
            let v = json!({"name": null, "role": "owner"});
            out.print(&v, || {
                vec!["no accounts yet: this installation acts as its owner".to_string()]
            })
        }
        None => Err(Error::invalid("cashier.login_required", "nobody is signed in")),
    }
}

pub async fn cashier(app: &Comptoir, out: &Output, command: CashierCommand) -> Result<()> {
    match command {
        CashierCommand::Add { name, role } => {
            let a = cashiers::add(app, &name, role.parse()?, &pin("PIN")?).await?;
            out.print(&a, || vec![format!("{} added ({})", a.name, a.role.as_str())])
        }
        CashierCommand::List => {
            let all = cashiers::list(app).await?;
            out.print(&all, || {
                all.iter()
                    .map(|a| {
                        let state = if a.active { "active" } else { "disabled" };
                        format!("{:<20} {:<8} {state}", a.name, a.role.as_str())
                    })
                    .collect()
            })
        }
        CashierCommand::Disable { name } => {
            let a = cashiers::disable(app, &name).await?;
            out.print(&a, || vec![format!("{} disabled", a.name)])
        }
        CashierCommand::Pin { name } => {
            let a = cashiers::set_pin(app, &name, &pin("new PIN")?).await?;
            out.print(&a, || vec![format!("{}'s PIN changed", a.name)])
        }
        CashierCommand::Rename { name, new_name } => {
            let a = cashiers::rename(app, &name, &new_name).await?;
            out.print(&a, || vec![format!("{name} is now {}", a.name)])
        }
        CashierCommand::Audit { limit } => {
            let all = cashiers::audit(app, limit).await?;
            out.print(&all, || {
                all.iter()
                    .map(|e| {
                        format!(
                            "{}  {:<12} {:<24} {}{}{}",
                            crate::output::when(&e.at),
                            e.cashier.as_deref().unwrap_or("-"),
                            e.action,
                            if e.allowed { "allowed" } else { "REFUSED" },
                            e.approved_by
                                .as_deref()
                                .map(|a| format!(" (approved by {a})"))
                                .unwrap_or_default(),
                            e.subject.as_deref().map(|s| format!(" {s}")).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
        }
    }
}
