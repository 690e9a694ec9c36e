//! The computer's own printers, through CUPS (`lp`, `lpstat`): the way a
//! Linux desktop prints, so the office or receipt printer the shop set up once
//! in the system prints Comptoir's PDF tickets. `CUPS_SERVER` in the
//! environment points these commands at another print server, as CUPS
//! documents (the tests start a private one).

use crate::error::{Error, Result};
use serde::Serialize;
use std::io::Write;
use std::process::{Command, Output, Stdio};

/// The paper a ticket is laid out for.
#[derive(ts_rs::TS, Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// 80 mm thermal roll.
    #[default]
    Receipt,
    A4,
}

impl std::str::FromStr for Layout {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "receipt" => Ok(Layout::Receipt),
            "a4" => Ok(Layout::A4),
            _ => Err(Error::invalid("ticket.bad_layout", "the layout is `receipt` or `a4`")),
        }
    }
}

#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SystemPrinter {
    pub name: String,
    /// The system's default printer.
    pub default: bool,
}

/// The printers the system knows, the default one marked.
pub fn printers() -> Result<Vec<SystemPrinter>> {
    let names = run("lpstat", &["-e"], None)?;
    let default = run("lpstat", &["-d"], None).ok().and_then(|o| default_of(&o));
    let list: Vec<SystemPrinter> = String::from_utf8_lossy(&names.stdout)
        .lines()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(|n| SystemPrinter {
            name: n.to_string(),
            default: default.as_deref() == Some(n),
        })
        .collect();
    // `lpstat -e` lists nothing, successfully, when the scheduler is down.
    if list.is_empty() && !scheduler_running() {
        return Err(down());
    }
    Ok(list)
}

fn scheduler_running() -> bool {
    run("lpstat", &["-r"], None)
        .map(|o| !String::from_utf8_lossy(&o.stdout).contains("not running"))
        .unwrap_or(false)
}

fn down() -> Error {
    Error::unavailable(
        "printer.system_down",
        "the computer's printing service (CUPS) is not running: restart the computer or the service",
    )
}

/// Sends a PDF to `printer` (the system's default when `None`); returns the
/// print job's id. CUPS turns the PDF into what the printer speaks.
pub fn print_pdf(printer: Option<&str>, title: &str, pdf: &[u8]) -> Result<String> {
    let mut args = vec!["-t", title];
    if let Some(name) = printer {
        check_name(name)?;
        args.extend(["-d", name]);
    }
    args.push("-");
    let out = run("lp", &args, Some(pdf))?;
    if !out.status.success() {
        return Err(refusal(printer, &String::from_utf8_lossy(&out.stderr)));
    }
    // "request id is Counter-12 (1 file(s))"
    let said = String::from_utf8_lossy(&out.stdout);
    Ok(said
        .split_whitespace()
        .skip_while(|w| *w != "is")
        .nth(1)
        .unwrap_or_default()
        .to_string())
}

/// CUPS accepts most printable characters in a queue name, but not spaces,
/// `/` or `#`; a leading `-` would read as an option.
pub fn check_name(name: &str) -> Result<()> {
    let bad = name.is_empty()
        || name.len() > 127
        || name.starts_with('-')
        || name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '/' || c == '#');
    if bad {
        return Err(Error::invalid(
            "printer.bad_name",
            format!("`{name}` is not a printer name: pick one from the list of the computer's printers"),
        )
        .with("printer", name));
    }
    Ok(())
}

/// Runs a CUPS command in the C locale, so its words can be read.
fn run(cmd: &str, args: &[&str], stdin: Option<&[u8]>) -> Result<Output> {
    let mut child = Command::new(cmd)
        .args(args)
        .env("LC_ALL", "C")
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::config(
                "printer.no_cups",
                "this computer has no printing system (CUPS): install it, or save the ticket as PDF",
            ),
            _ => Error::unavailable("printer.system_down", format!("cannot start `{cmd}`: {e}")),
        })?;
    if let (Some(bytes), Some(mut pipe)) = (stdin, child.stdin.take()) {
        // A refusal may close the pipe before reading it all; its answer says why.
        let _ = pipe.write_all(bytes);
    }
    child
        .wait_with_output()
        .map_err(|e| Error::unavailable("printer.system_down", format!("`{cmd}` failed: {e}")))
}

/// "system default destination: Counter"
fn default_of(out: &Output) -> Option<String> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("system default destination:"))
        .map(|n| n.trim().to_string())
}

/// What `lp` said, as an error the cashier can act on.
fn refusal(printer: Option<&str>, stderr: &str) -> Error {
    let said = stderr.trim().trim_start_matches("lp: ").trim_start_matches("Error - ");
    let e = if !scheduler_running() {
        down()
    } else if said.contains("No default destination") {
        Error::config(
            "printer.no_default",
            "the computer has no default printer: choose a printer in Settings",
        )
    } else if said.contains("does not exist") {
        Error::config(
            "printer.unknown",
            format!(
                "the computer has no printer named {}: choose one in Settings",
                printer.unwrap_or_default()
            ),
        )
    } else {
        Error::unavailable("printer.refused", format!("the printer refused the ticket: {said}"))
    };
    e.with("printer", printer.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_are_not_queue_names_are_refused_before_running_anything() {
        for bad in ["", "-d", "Office printer", "a/b", "a#b", "x\ny"] {
            assert_eq!(check_name(bad).unwrap_err().code, "printer.bad_name", "{bad:?}");
        }
        for good in ["Counter", "EPSON_TM-T20III", "office@shop", "HP.LaserJet"] {
            check_name(good).unwrap();
        }
    }
}
