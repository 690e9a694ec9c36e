//! Helpers shared by the integration tests: a temporary installation and
//! the real `comptoir` binary run in it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub struct Shop {
    pub dir: tempfile::TempDir,
}

impl Shop {
    pub fn new() -> Self {
        Shop {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The CLI with a clean environment: no provider variables from the
    /// machine, the kernel keyring, the home folder inside the test's.
    pub fn cli(&self, env: &BTreeMap<String, String>) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_comptoir"));
        for (k, _) in std::env::vars() {
            if k.starts_with("COMPTOIR_") {
                cmd.env_remove(k);
            }
        }
        cmd.env("COMPTOIR_DATA_DIR", self.data_dir())
            .env("COMPTOIR_SECRET_STORE", "kernel")
            .env("HOME", self.dir.path())
            .env("XDG_DATA_HOME", self.dir.path().join("xdg"))
            // The system's language would choose the CLI's (a fresh
            // installation follows it): tests say which they want.
            .env("LANG", "C.UTF-8")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .envs(env);
        cmd
    }

    pub fn run(&self, env: &BTreeMap<String, String>, args: &[&str]) -> Output {
        self.cli(env).args(args).output().expect("comptoir runs")
    }

    /// Runs with `--json`, feeding `stdin` (for secrets and passphrases).
    pub fn with_stdin(&self, env: &BTreeMap<String, String>, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = self
            .cli(env)
            .arg("--json")
            .args(args)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("comptoir runs");
        child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    }

    /// `comptoir sim` for this shop, started: the process and the `COMPTOIR_*`
    /// variables it printed (it runs until killed).
    pub fn serve_sim(&self) -> (std::process::Child, BTreeMap<String, String>) {
        use std::io::{BufRead, BufReader};
        let mut child = self
            .cli(&BTreeMap::new())
            .args(["sim", "--port", "0"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut text = String::new();
        while !text.trim_end().ends_with('}') {
            assert!(reader.read_line(&mut text).unwrap() > 0, "sim ended early: {text}");
        }
        (child, serde_json::from_str(&text).unwrap())
    }

    /// Runs with `--json`, expects success, returns the document.
    pub fn json(&self, env: &BTreeMap<String, String>, args: &[&str]) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(env, &all);
        assert!(
            out.status.success(),
            "{args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout)))
    }

    /// Runs with `--json`, expects failure with `code`, returns the error object.
    pub fn fails(&self, env: &BTreeMap<String, String>, args: &[&str], exit: i32) -> serde_json::Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        let out = self.run(env, &all);
        assert_eq!(
            out.status.code(),
            Some(exit),
            "{args:?}: stderr {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&out.stderr).expect("JSON error on stderr");
        v["error"].clone()
    }
}

/// Every file below `dir`, as bytes, for scanning.
pub fn all_files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if let Ok(bytes) = std::fs::read(&p) {
                out.push((p, bytes));
            }
        }
    }
    out
}

pub fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// libfaketime, from Debian's `faketime` package (scripts/setup installs it).
pub const FAKETIME: &str = "/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1";

/// The environment `env` with the computer's clock starting at `when`
/// (`2026-12-31 23:40:00`, Paris time) for the command it runs.
pub fn at(env: &BTreeMap<String, String>, when: &str) -> BTreeMap<String, String> {
    assert!(
        Path::new(FAKETIME).exists(),
        "Debian's faketime package is needed (scripts/setup installs it)"
    );
    let mut env = env.clone();
    env.insert("LD_PRELOAD".into(), FAKETIME.into());
    env.insert("FAKETIME".into(), format!("@{when}"));
    env.insert("FAKETIME_DONT_FAKE_MONOTONIC".into(), "1".into());
    env.insert("TZ".into(), "Europe/Paris".into());
    env
}
