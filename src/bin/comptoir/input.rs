//! Standard input, line by line, for secrets: passphrases, PINs. On a
//! terminal each is asked without echo; otherwise lines are read in
//! order. With `--approve NAME` the approver's PIN comes last (after the
//! command's own input), so the whole input is read first and its last
//! line kept for the approval.

use comptoir::Result;
use std::collections::VecDeque;
use std::io::{BufRead, IsTerminal};
use std::sync::Mutex;

static AHEAD: Mutex<Option<VecDeque<String>>> = Mutex::new(None);

/// One line of secret input, `prompt` shown on a terminal.
pub fn secret_line(prompt: &str) -> Result<String> {
    if let Some(lines) = AHEAD.lock().unwrap_or_else(|e| e.into_inner()).as_mut() {
        return Ok(lines.pop_front().unwrap_or_default());
    }
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(prompt)?);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

/// The approver's PIN: asked on a terminal, else the input's last line
/// (the lines before it kept for the command).
pub fn approval_pin(name: &str) -> Result<String> {
    if std::io::stdin().is_terminal() {
        return Ok(rpassword::prompt_password(format!("{name}'s PIN (approval): "))?);
    }
    let mut lines: VecDeque<String> = std::io::stdin()
        .lock()
        .lines()
        .take(64)
        .collect::<std::io::Result<Vec<_>>>()?
        .into_iter()
        .map(|l| l.trim_end_matches('\r').to_string())
        .collect();
    while lines.back().is_some_and(|l| l.is_empty()) {
        lines.pop_back();
    }
    let pin = lines.pop_back().unwrap_or_default();
    *AHEAD.lock().unwrap_or_else(|e| e.into_inner()) = Some(lines);
    Ok(pin)
}
