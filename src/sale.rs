//! The sale flow every provider goes through, so that no sale is lost and
//! none happens twice:
//! 1. validate the input — nothing is written or sent when it is wrong;
//! 2. write the order `pending`, with the reference the provider will know
//!    it by (our order id), and commit;
//! 3. send the purchase once — never repeated blindly;
//! 4. record the answer: `delivered`/`processing`, `failed` only when the
//!    provider said no or the request never left, else `unknown`;
//! 5. reconciliation later asks the provider about `pending`/`unknown`
//!    orders by that reference.
//!
//! The steps every provider shares are here; each provider's domain module
//! (`esim`, `giftcard`) does its own validation and request with them.

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{Order, OrderStatus, StatusUpdate};
use serde_json::json;

/// Records a purchase that did not go through and returns its error with
/// the order's id. Only an unknown outcome leaves the sale open; any other
/// error means the provider refused it or it was never sent.
pub async fn record_failure(app: &Comptoir, order: &Order, e: Error) -> Result<Error> {
    let status = if e.kind == ErrorKind::UnknownOutcome {
        OrderStatus::Unknown
    } else {
        OrderStatus::Failed
    };
    tracing::warn!(order = %order.id, code = %e.code, %status, "not delivered");
    let update = StatusUpdate {
        message: e.code.clone(),
        details: Some(json!({"error": e.code})),
        ..Default::default()
    };
    app.journal.set_status(&order.id, status, update).await?;
    Ok(e.with("order", order.id.clone()))
}

pub fn validate_customer_ref(r: Option<String>) -> Result<Option<String>> {
    let r = r.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    match r {
        Some(s) if s.chars().count() > 80 || s.chars().any(char::is_control) => Err(Error::invalid(
            "sale.bad_customer_ref",
            "the customer reference must be at most 80 printable characters",
        )),
        other => Ok(other),
    }
}

/// Whether a `pending` order's purchase may still be on its way. The order
/// names the process that wrote it: if that process is gone, nothing is in
/// flight any more and the provider can be asked. Without that (another
/// machine, an older order), an order younger than one request timeout is
/// given the benefit of the doubt.
pub fn in_flight(order: &Order) -> bool {
    if let Some(alive) = order.details.get("writer").and_then(writer_alive) {
        return alive;
    }
    let limit = crate::http::request_timeout() + std::time::Duration::from_secs(15);
    chrono::DateTime::parse_from_rfc3339(&order.updated_at)
        .map(|t| chrono::Utc::now().signed_duration_since(t).to_std().unwrap_or_default() < limit)
        .unwrap_or(false)
}

/// This process, as a pending order records it: the PID and its start time
/// (a PID alone may be reused), and the boot (a PID means nothing after a
/// reboot).
pub fn writer() -> serde_json::Value {
    match (process_start(std::process::id()), boot_id()) {
        (Some(start), Some(boot)) => json!({"pid": std::process::id(), "start": start, "boot": boot}),
        _ => serde_json::Value::Null,
    }
}

/// `Some(alive)` when the writer can be checked on this machine, else None.
fn writer_alive(w: &serde_json::Value) -> Option<bool> {
    let pid = u32::try_from(w.get("pid")?.as_u64()?).ok()?;
    let start = w.get("start")?.as_u64()?;
    if w.get("boot")?.as_str()? != boot_id()? {
        return Some(false); // written before a reboot: that process is gone
    }
    Some(process_start(pid) == Some(start))
}

/// Start time of a process in clock ticks since boot (`/proc/PID/stat`, field 22).
fn process_start(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // The command name (field 2) may hold spaces: count from its closing parenthesis.
    let after = &stat[stat.rfind(')')? + 2..];
    after.split(' ').nth(19)?.parse().ok()
}

fn boot_id() -> Option<String> {
    std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
        .ok()
        .map(|s| s.trim().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_alive_and_a_dead_one_is_not() {
        let me = writer();
        assert_eq!(writer_alive(&me), Some(true));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = process_start(pid);
        child.wait().unwrap();
        let gone = json!({"pid": pid, "start": start.unwrap_or(1), "boot": boot_id()});
        assert_eq!(writer_alive(&gone), Some(false));
        let rebooted =
            json!({"pid": std::process::id(), "start": process_start(std::process::id()), "boot": "another-boot"});
        assert_eq!(writer_alive(&rebooted), Some(false));
        assert_eq!(writer_alive(&serde_json::Value::Null), None);
    }
}
