//! Processes as the journal and the training world remember them: which
//! process wrote a pending order, which one serves the simulators, and
//! whether it is still running.

use serde_json::json;

/// This process, as another can check it later: the PID and its start time
/// (a PID alone may be reused), and the boot (a PID means nothing after a
/// reboot). `Null` where /proc cannot tell.
pub fn me() -> serde_json::Value {
    match (process_start(std::process::id()), boot_id()) {
        (Some(start), Some(boot)) => json!({"pid": std::process::id(), "start": start, "boot": boot}),
        _ => serde_json::Value::Null,
    }
}

/// `Some(alive)` when the writer can be checked on this machine, else None.
pub fn alive(w: &serde_json::Value) -> Option<bool> {
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
        let me = me();
        assert_eq!(alive(&me), Some(true));
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let pid = child.id();
        let start = process_start(pid);
        child.wait().unwrap();
        let gone = json!({"pid": pid, "start": start.unwrap_or(1), "boot": boot_id()});
        assert_eq!(alive(&gone), Some(false));
        let rebooted =
            json!({"pid": std::process::id(), "start": process_start(std::process::id()), "boot": "another-boot"});
        assert_eq!(alive(&rebooted), Some(false));
        assert_eq!(alive(&serde_json::Value::Null), None);
    }
}
