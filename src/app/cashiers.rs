//! The accounts as the shells manage them, each step under its right and
//! recorded: owners add, disable, rename and reset accounts; a cashier
//! changes their own PIN; the command line's session opens and ends here.

use crate::accounts::{self, session, Account, Actor, AuditEntry, Pin, Right, Role};
use crate::context::Comptoir;
use crate::error::Result;

async fn record(app: &Comptoir, action: &str, subject: &str) -> Result<()> {
    let who = app.actor().map(|a| a.name);
    accounts::audit(&app.journal, who.as_deref(), action, true, None, Some(subject), "").await
}

/// Adds an account: the first one (an owner) by anyone, later ones by an owner.
pub async fn add(app: &Comptoir, name: &str, role: Role, pin: &str) -> Result<Account> {
    let pin = Pin::parse(pin)?;
    if accounts::any(&app.journal).await? {
        app.require(Right::Administer, Some(name)).await?;
    }
    let added = accounts::add(&app.journal, name, role, &pin).await?;
    app.cashiers.set_any(true);
    record(app, "cashier_add", &added.name).await?;
    Ok(added)
}

/// The accounts, active first: names and roles only (the PIN pad lists them).
pub async fn list(app: &Comptoir) -> Result<Vec<Account>> {
    accounts::list(&app.journal).await
}

pub async fn disable(app: &Comptoir, name: &str) -> Result<Account> {
    app.require(Right::Administer, Some(name)).await?;
    let a = accounts::disable(&app.journal, name).await?;
    record(app, "cashier_disable", &a.name).await?;
    Ok(a)
}

pub async fn rename(app: &Comptoir, name: &str, new: &str) -> Result<Account> {
    app.require(Right::Administer, Some(name)).await?;
    let a = accounts::rename(&app.journal, name, new).await?;
    record(app, "cashier_rename", &format!("{name} -> {}", a.name)).await?;
    Ok(a)
}

/// A new PIN: one's own, or anyone's by an owner (which also unlocks it).
pub async fn set_pin(app: &Comptoir, name: &str, pin: &str) -> Result<Account> {
    let pin = Pin::parse(pin)?;
    let own = app.actor().is_some_and(|a| a.name.eq_ignore_ascii_case(name.trim()));
    if !own {
        app.require(Right::Administer, Some(name)).await?;
    }
    let a = accounts::set_pin(&app.journal, name, &pin).await?;
    record(app, "cashier_pin", &a.name).await?;
    Ok(a)
}

/// `comptoir login NAME`: the PIN checked, a session opened in the data folder.
pub async fn login(app: &Comptoir, name: &str, pin: &str) -> Result<Actor> {
    let actor = accounts::verify(&app.journal, name, &Pin::parse(pin)?).await?;
    session::open(&app.journal, app.data_dir(), &actor).await?;
    app.act_as(Some(actor.clone()));
    Ok(actor)
}

/// `comptoir logout`: the cashier whose session ended, if there was one.
pub async fn logout(app: &Comptoir) -> Result<Option<String>> {
    let name = session::close(&app.journal, app.data_dir()).await?;
    app.act_as(None);
    Ok(name)
}

/// The command line's cashier: this folder's session, if open and not idle.
pub async fn resume(app: &Comptoir) -> Result<Option<Actor>> {
    let actor = session::current(&app.journal, app.data_dir(), app.lock_minutes()).await?;
    app.act_as(actor.clone());
    Ok(actor)
}

/// The latest entries of the audit trail (owners).
pub async fn audit(app: &Comptoir, limit: i64) -> Result<Vec<AuditEntry>> {
    app.require(Right::Administer, Some("audit")).await?;
    accounts::audit_trail(&app.journal, limit.clamp(1, 10_000)).await
}

/// What the window needs to show its PIN pad and hide what the cashier
/// may not do: the active accounts, who is signed in, their rights.
#[derive(ts_rs::TS, Debug, Clone, serde::Serialize)]
pub struct CashierState {
    /// No accounts yet: the window acts as the owner, no PIN pad.
    pub has_accounts: bool,
    pub accounts: Vec<Account>,
    pub actor: Option<Actor>,
    /// What the signed-in cashier (or the owner, without accounts) may do.
    pub rights: Vec<Right>,
    #[ts(type = "number")]
    pub lock_minutes: i64,
}

pub async fn state(app: &Comptoir) -> Result<CashierState> {
    let all = accounts::list(&app.journal).await?;
    app.cashiers.set_any(!all.is_empty());
    let actor = app.actor();
    let role = match (&actor, all.is_empty()) {
        (_, true) => Some(Role::Owner),
        (Some(a), false) => Some(a.role),
        (None, false) => None,
    };
    Ok(CashierState {
        has_accounts: !all.is_empty(),
        accounts: all.into_iter().filter(|a| a.active).collect(),
        rights: Right::ALL
            .into_iter()
            .filter(|r| role.is_some_and(|role| accounts::allowed(role, *r)))
            .collect(),
        actor,
        lock_minutes: app.lock_minutes(),
    })
}
