//! Who acts through an opened installation, and whether they may: the
//! shells say who signed in (the window's PIN pad, the CLI's session),
//! the core asks [`Comptoir::require`] before each action that needs a
//! right, from the one table in `accounts::rights`. A refusal changes
//! nothing and is recorded; a manager's approval lets one action through
//! and is recorded with both names.
//!
//! Until the first account exists the installation acts as its owner
//! (`State::any` false): every right, no name recorded.

use crate::accounts::{self, allowed, Actor, Pin, Right, Role};
use crate::context::Comptoir;
use crate::error::{Error, Result};
use crate::journal::Order;
use std::sync::atomic::Ordering;
use std::sync::Mutex;

/// Settings key: minutes without input before the window locks and a
/// command line's session ends.
pub use crate::settings::LOCK_MINUTES;
pub const DEFAULT_LOCK_MINUTES: i64 = 5;

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl Comptoir {
    /// The cashier acting now (None: nobody signed in, or no accounts).
    pub fn actor(&self) -> Option<Actor> {
        lock(&self.cashiers.actor).clone()
    }

    /// Whether the installation has accounts (none: it acts as its owner).
    pub fn has_accounts(&self) -> bool {
        self.cashiers.any.load(Ordering::SeqCst)
    }

    /// Names who acts from now on (the shells, once they know).
    pub fn act_as(&self, actor: Option<Actor>) {
        self.journal.set_actor(actor.as_ref().map(|a| a.name.clone()));
        *lock(&self.cashiers.actor) = actor;
    }

    /// The window's PIN pad: checks the PIN, then acts as that cashier.
    pub async fn sign_in(&self, name: &str, pin: &str) -> Result<Actor> {
        let actor = accounts::verify(&self.journal, name, &Pin::parse(pin)?).await?;
        accounts::audit(&self.journal, Some(&actor.name), "login", true, None, None, "window").await?;
        self.act_as(Some(actor.clone()));
        Ok(actor)
    }

    /// The window locked (idle, or the cashier stepped away) or a cashier
    /// signed out: nobody acts until a PIN is given again.
    pub async fn sign_out(&self, why: &str) -> Result<()> {
        if let Some(a) = self.actor() {
            accounts::audit(&self.journal, Some(&a.name), why, true, None, None, "window").await?;
        }
        self.act_as(None);
        Ok(())
    }

    /// A manager's or owner's PIN given for the next action that needs it.
    pub async fn approve(&self, name: &str, pin: &str) -> Result<Actor> {
        let approver = accounts::verify(&self.journal, name, &Pin::parse(pin)?).await?;
        if approver.role == Role::Cashier {
            return Err(Error::invalid(
                "cashier.not_approver",
                format!("{} is a cashier: only a manager or an owner approves", approver.name),
            )
            .with("name", approver.name));
        }
        *lock(&self.cashiers.approval) = Some((approver.clone(), std::time::Instant::now()));
        Ok(approver)
    }

    /// The approved action is done: the approval ends with it.
    pub fn end_approval(&self) {
        *lock(&self.cashiers.approval) = None;
    }

    /// Refuses, and records, an action the acting cashier may not do,
    /// unless a manager approved it; `subject` names what it was about.
    pub async fn require(&self, right: Right, subject: Option<&str>) -> Result<()> {
        self.cashiers.set_any(accounts::any(&self.journal).await?);
        let (decision, record) = self.decide(right);
        if let Some((cashier, ok, approved_by)) = record {
            let action = format!("right:{}", right.as_str());
            accounts::audit(
                &self.journal,
                cashier.as_deref(),
                &action,
                ok,
                approved_by.as_deref(),
                subject,
                "",
            )
            .await?;
        }
        decision
    }

    /// `require` where the caller cannot wait (a setting written in place):
    /// the same decision; the record is written before returning.
    pub fn require_now(&self, right: Right, subject: Option<&str>) -> Result<()> {
        let (decision, record) = self.decide(right);
        if let Some((cashier, ok, approved_by)) = record {
            let journal = self.journal.clone();
            let (action, subject) = (format!("right:{}", right.as_str()), subject.map(str::to_string));
            let write = async move {
                accounts::audit(
                    &journal,
                    cashier.as_deref(),
                    &action,
                    ok,
                    approved_by.as_deref(),
                    subject.as_deref(),
                    "",
                )
                .await
            };
            block_on(write)?;
        }
        decision
    }

    /// Records a technical event in the register's `event` chain (a
    /// setting changed, a key made) where the caller cannot wait: written
    /// before returning, so a change the register could not record is
    /// refused rather than made unrecorded.
    pub fn record_now(&self, event: &str, details: serde_json::Value) -> Result<()> {
        let journal = self.journal.clone();
        let values = serde_json::json!({"event": event, "cashier": journal.actor(), "details": details});
        block_on(async move { journal.append("event", values).await.map(|_| ()) })
    }

    /// The decision, and what to record: (who, allowed, approved by).
    #[allow(clippy::type_complexity)]
    fn decide(&self, right: Right) -> (Result<()>, Option<(Option<String>, bool, Option<String>)>) {
        if !self.has_accounts() {
            return (Ok(()), None);
        }
        let Some(actor) = self.actor() else {
            return (
                Err(Error::invalid(
                    "cashier.login_required",
                    "sign in first: `comptoir login NAME` (the PIN on standard input), or the window's PIN pad",
                )),
                None,
            );
        };
        if allowed(actor.role, right) {
            // Who changed a setting, a key, or refunded is kept too.
            let record = matches!(right, Right::Manage | Right::Administer).then(|| (Some(actor.name), true, None));
            return (Ok(()), record);
        }
        let approval = lock(&self.cashiers.approval)
            .clone()
            .filter(|(_, at)| at.elapsed() < std::time::Duration::from_secs(120))
            .map(|(a, _)| a);
        if let Some(approver) = approval.filter(|a| allowed(a.role, right)) {
            return (Ok(()), Some((Some(actor.name), true, Some(approver.name))));
        }
        let who = if allowed(Role::Manager, right) {
            "a manager or an owner"
        } else {
            "an owner"
        };
        let e = Error::invalid(
            "cashier.forbidden",
            format!(
                "{} ({}) may not do this ({}): ask {who} to approve it (`--approve NAME`)",
                actor.name,
                actor.role.as_str(),
                right.as_str()
            ),
        )
        .with("right", right.as_str())
        .with("name", actor.name.clone());
        (Err(e), Some((Some(actor.name), false, None)))
    }

    /// Revealing an order's secrets: one's own sale of today needs less
    /// than any other order.
    pub async fn require_reveal(&self, order: &Order) -> Result<()> {
        let own = self
            .actor()
            .is_some_and(|a| order.cashier.as_deref() == Some(a.name.as_str()));
        let today = chrono::DateTime::parse_from_rfc3339(&order.created_at)
            .is_ok_and(|d| d.with_timezone(&chrono::Local).date_naive() == chrono::Local::now().date_naive());
        let right = if own && today {
            Right::RevealOwnToday
        } else {
            Right::RevealAny
        };
        self.require(right, Some(&order.id)).await
    }

    /// Minutes without input before the window locks or a session ends.
    pub fn lock_minutes(&self) -> i64 {
        self.settings()
            .ok()
            .and_then(|s| s.get_str(LOCK_MINUTES).and_then(|v| v.parse().ok()))
            .filter(|m| (1..=480).contains(m))
            .unwrap_or(DEFAULT_LOCK_MINUTES)
    }
}

/// Runs a journal write to its end from synchronous code: on the current
/// runtime's thread pool when there is one, else on a runtime of its own
/// in a thread of its own (a current-thread runtime cannot be blocked).
fn block_on<F: std::future::Future<Output = Result<()>> + Send>(write: F) -> Result<()> {
    match tokio::runtime::Handle::try_current() {
        Ok(h) if h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread => {
            tokio::task::block_in_place(|| h.block_on(write))
        }
        _ => std::thread::scope(|s| {
            s.spawn(|| {
                tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()?
                    .block_on(write)
            })
            .join()
            .unwrap_or_else(|_| Err(Error::internal("cashier.audit", "the audit could not be written")))
        }),
    }
}
