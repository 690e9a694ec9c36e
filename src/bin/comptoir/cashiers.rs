//! Cashiers at the command line: who acts for this command (the folder's
//! session, a manager's approval), `login`, `logout`, `whoami`, `cashier`.

use crate::args::{CashierCommand, Command};
use crate::output::{say, say_with, Output};
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
    let a = cashiers::login(app, name, &pin(&say("cli.cashier.pin"))?).await?;
    out.print(&a, || {
        vec![say_with(
            "cli.cashier.signed_in",
            &[("name", a.name.clone()), ("role", role(a.role))],
        )]
    })
}

pub async fn logout(app: &Comptoir, out: &Output) -> Result<()> {
    let name = cashiers::logout(app).await?;
    out.print(&json!({ "ended": name }), || {
        vec![match &name {
            Some(n) => say_with("cli.cashier.signed_out", &[("name", n.clone())]),
            None => say("cli.cashier.nobody"),
        }]
    })
}

pub fn whoami(app: &Comptoir, out: &Output) -> Result<()> {
    match app.actor() {
        Some(a) => out.print(&a, || vec![format!("{} ({})", a.name, role(a.role))]),
        None if !app.has_accounts() => {
            let v = json!({"name": null, "role": "owner"});
            out.print(&v, || vec![say("cli.cashier.no_accounts")])
        }
        None => Err(Error::invalid("cashier.login_required", "nobody is signed in")),
    }
}

pub async fn cashier(app: &Comptoir, out: &Output, command: CashierCommand) -> Result<()> {
    match command {
        CashierCommand::Add { name, role } => {
            let a = cashiers::add(app, &name, role.parse()?, &pin(&say("cli.cashier.pin"))?).await?;
            out.print(&a, || {
                vec![say_with(
                    "cli.cashier.added",
                    &[("name", a.name.clone()), ("role", self::role(a.role))],
                )]
            })
        }
        CashierCommand::List => {
            let all = cashiers::list(app).await?;
            out.print(&all, || {
                all.iter()
                    .map(|a| {
                        let state = say(if a.active {
                            "cli.cashier.active"
                        } else {
                            "cli.cashier.disabled_mark"
                        });
                        format!("{:<20} {:<12} {state}", a.name, role(a.role))
                    })
                    .collect()
            })
        }
        CashierCommand::Disable { name } => {
            let a = cashiers::disable(app, &name).await?;
            out.print(&a, || {
                vec![say_with("cli.cashier.disabled", &[("name", a.name.clone())])]
            })
        }
        CashierCommand::Pin { name } => {
            let a = cashiers::set_pin(app, &name, &pin(&say("cli.cashier.new_pin"))?).await?;
            out.print(&a, || {
                vec![say_with("cli.cashier.pin_changed", &[("name", a.name.clone())])]
            })
        }
        CashierCommand::Rename { name, new_name } => {
            let a = cashiers::rename(app, &name, &new_name).await?;
            out.print(&a, || {
                vec![say_with(
                    "cli.cashier.renamed",
                    &[("old", name.clone()), ("name", a.name.clone())],
                )]
            })
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
                            comptoir::types::words::event_name(crate::output::lang(), &e.action),
                            say(if e.allowed {
                                "cli.cashier.allowed"
                            } else {
                                "cli.cashier.refused"
                            }),
                            e.approved_by
                                .as_deref()
                                .map(|a| say_with("cli.cashier.approved_by", &[("name", a.to_string())]))
                                .unwrap_or_default(),
                            e.subject.as_deref().map(|s| format!(" {s}")).unwrap_or_default(),
                        )
                    })
                    .collect()
            })
        }
    }
}

/// A role as the window names it (`caissier`).
fn role(r: comptoir::accounts::Role) -> String {
    say(&format!("role.{}", r.as_str()))
}
