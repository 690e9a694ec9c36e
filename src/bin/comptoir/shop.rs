//! The installation's own commands: status, the simulators, catalog sync,
//! settings and secrets, synthetic orders.

use crate::args::{ConfigCommand, SecretCommand};
use crate::output::{label, say, say_with, Output};
use comptoir::providers::ProviderId;
use comptoir::registry::SimHost;
use comptoir::secrets::Secret;
use comptoir::{Comptoir, Error, Result};
use serde_json::json;
use std::io::Write;

pub async fn status(app: &Comptoir, out: &Output) -> Result<()> {
    let s = app.status().await?;
    out.print(&s, || {
        let mut lines = vec![
            format!("Comptoir {}", s.version),
            format!("{}{}", label("cli.status.data_dir"), s.data_dir),
            format!("{}{}", label("cli.status.secret_store"), s.secret_store),
        ];
        for p in &s.providers {
            let note = match (&p.error, p.simulated) {
                (Some(e), _) => format!(" ({e})"),
                (None, false) if p.mode == "training" => say("cli.status.no_simulator"),
                _ => String::new(),
            };
            lines.push(format!(
                "{:<26} {}{}",
                p.name,
                say(&format!("cli.mode.{}", p.mode)),
                note
            ));
        }
        if s.catalog_synced.is_empty() {
            lines.push(say("cli.status.no_catalog"));
        }
        for c in &s.catalog_synced {
            let vars = [
                ("provider", c.provider.to_string()),
                ("items", crate::output::count("cli.items", c.items as u64, &[])),
                ("at", crate::output::when(&c.synced_at)),
            ];
            lines.push(say_with("cli.status.catalog", &vars));
        }
        lines
    })
}

/// `status` when the data folder cannot be opened (not a folder, a damaged
/// journal): the version, the folder and the problem, then the error.
pub fn status_unopened(out: &Output, data_dir: &std::path::Path, e: comptoir::Error) -> Result<()> {
    let doc = serde_json::json!({
        "version": env!("CARGO_PKG_VERSION"),
        "data_dir": data_dir.display().to_string(),
        "problem": e,
    });
    out.print(&doc, || {
        vec![
            format!("Comptoir {}", env!("CARGO_PKG_VERSION")),
            format!("{}{}", label("cli.status.data_dir"), data_dir.display()),
            format!(
                "{}{}",
                label("cli.status.problem"),
                comptoir::types::words::error(crate::output::lang(), &e)
            ),
        ]
    })?;
    Err(e)
}

/// `comptoir sim`: the simulators in this installation's training world,
/// registered so that the installation's other processes (CLI commands in
/// training, the window) use them too.
pub async fn sim(app: &Comptoir, port: u16, shell: bool) -> Result<()> {
    use comptoir::sim::world;
    let dir = world::dir(app.data_dir());
    // One `sim` an installation: a second one once took over the first's
    // registration, which then got no traffic, and the world files had two
    // writers. Decided under the host lock, so two started together agree.
    let lock = world::lock_host(&dir).map_err(|e| comptoir::files::io_error(&dir, "sim.cannot_register", &e))?;
    if let Some((addr, pid)) = world::shared_by(&dir).await {
        return Err(comptoir::Error::invalid(
            "sim.already_running",
            format!("this installation's simulators already run in process {pid} at http://{addr}: use them, or stop that process first"),
        )
        .with("pid", pid)
        .with("addr", addr.to_string()));
    }
    let host = SimHost::start_world(port, &dir).await?;
    world::register(&dir, host.addr());
    drop(lock);
    if shell {
        // Single-quoted, each `'` closed and escaped: any value reads back as it is.
        for (k, v) in host.env() {
            println!("export {k}='{}'", v.replace('\'', r"'\''"));
        }
    } else {
        let mut env = serde_json::Map::new();
        for (k, v) in host.env() {
            env.insert(k, v.into());
        }
        println!("{}", serde_json::to_string_pretty(&env).expect("JSON"));
    }
    std::io::stdout().flush()?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    world::unregister(&dir);
    Ok(())
}

pub async fn sync(app: &Comptoir, out: &Output, provider: &str) -> Result<()> {
    let only = match provider {
        "all" => None,
        p => Some(p.parse::<ProviderId>()?),
    };
    let json = out.json;
    let reports = app
        .sync_with_progress(only, &|step| {
            if !json {
                let key = format!("cli.sync_step.{step}");
                let word = Some(say(&key))
                    .filter(|w| *w != key)
                    .unwrap_or_else(|| step.to_string());
                eprintln!("{}", say_with("cli.syncing", &[("step", word)]));
            }
        })
        .await?;
    out.print(&reports, || {
        reports
            .iter()
            .map(|r| {
                let vars = [
                    ("provider", r.provider.to_string()),
                    ("items", crate::output::count("cli.items", r.items as u64, &[])),
                    (
                        "training",
                        if r.training {
                            say("cli.synced_training")
                        } else {
                            String::new()
                        },
                    ),
                ];
                say_with("cli.synced", &vars)
            })
            .collect()
    })
}

/// Reads a secret from the terminal without echo (twice when `confirm`), or
/// line by line from standard input; never from the command line.
pub fn read_secret(what: &str, confirm: bool) -> Result<Secret> {
    let read = |prompt: String| -> Result<String> { crate::input::secret_line(&prompt) };
    let value = read(format!("{what}: "))?;
    if value.is_empty() {
        return Err(Error::invalid("secret.empty", format!("no {what} given")));
    }
    if confirm && read(format!("{what} (again): "))? != value {
        return Err(Error::invalid("secret.mismatch", format!("the two {what}s differ")));
    }
    Ok(Secret::new(value))
}

/// Names that are secrets: `comptoir config set` refuses them.
fn is_secret_name(key: &str) -> bool {
    ProviderId::ALL.iter().any(|p| {
        comptoir::registry::fields(*p)
            .iter()
            .any(|f| matches!(f.role, comptoir::providers::FieldRole::Secret) && p.key(f) == key)
    })
}

pub fn config(app: &Comptoir, out: &Output, command: ConfigCommand) -> Result<()> {
    match command {
        ConfigCommand::Get { key: None } => {
            let s = app.settings()?;
            let all = s.all().clone();
            out.print(&all, || all.iter().map(|(k, v)| format!("{k} = {v}")).collect())
        }
        ConfigCommand::Get { key: Some(key) } => {
            let s = app.settings()?;
            let v = s.all().get(&key).cloned().unwrap_or(serde_json::Value::Null);
            out.print(&v, || {
                vec![v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string())]
            })
        }
        ConfigCommand::Set { key, value } => {
            app.set_setting(&key, Some(value.clone().into()))?;
            // A language just chosen is the one that says so.
            let lang = if key == comptoir::settings::LOCALE {
                value.as_str()
            } else {
                crate::output::lang()
            };
            out.print(&json!({ key.clone(): value }), || {
                vec![comptoir::types::words::say(
                    lang,
                    "cli.config.set",
                    &[("key", key.clone())],
                )]
            })
        }
        ConfigCommand::Unset { key } => {
            app.set_setting(&key, None)?;
            out.print(&json!({ "unset": key }), || {
                vec![say_with("cli.config.unset", &[("key", key.clone())])]
            })
        }
    }
}

pub fn secret(app: &Comptoir, out: &Output, command: SecretCommand) -> Result<()> {
    app.require_now(comptoir::accounts::Right::Administer, Some("secret"))?;
    match command {
        SecretCommand::Set { name } => {
            if !is_secret_name(&name) && name != comptoir::shop::PASSWORD_SECRET {
                return Err(
                    Error::invalid("secret.unknown", format!("`{name}` is not a secret Comptoir knows"))
                        .with("name", name),
                );
            }
            let value = read_secret(&name, false)?;
            app.secrets().set(&name, &value)?;
            out.print(&json!({ "stored": name }), || {
                vec![say_with("cli.secret.stored", &[("name", name.clone())])]
            })
        }
        SecretCommand::Delete { name } => {
            app.secrets().delete(&name)?;
            out.print(&json!({ "deleted": name }), || {
                vec![say_with("cli.secret.deleted", &[("name", name.clone())])]
            })
        }
    }
}

/// `comptoir seed`: synthetic training orders.
pub async fn seed_receipts(app: &Comptoir, out: &Output, receipts: usize, days: i64) -> Result<()> {
    if !(1..=3660).contains(&days) || receipts > 10_000_000 {
        return Err(comptoir::Error::invalid(
            "seed.bad_size",
            "seed writes up to 10,000,000 receipts over 1 to 3,660 days",
        ));
    }
    let counter = comptoir::till::counter(app)?;
    let n = comptoir::seed::receipts(&app.journal, &counter, receipts, days).await?;
    out.print(&serde_json::json!({ "receipts": n }), || {
        vec![crate::output::count("cli.seed.receipts", n as u64, &[])]
    })
}

pub async fn seed(app: &Comptoir, out: &Output, orders: usize, days: i64, live: bool) -> Result<()> {
    // Ten years and ten million orders are more than any shop has.
    if !(1..=3660).contains(&days) || orders > 10_000_000 {
        return Err(comptoir::Error::invalid(
            "seed.bad_size",
            "seed writes up to 10,000,000 orders over 1 to 3,660 days",
        ));
    }
    let r = comptoir::seed::seed(&app.journal, orders, days, live).await?;
    out.print(&r, || {
        let how = say(if live { "cli.seed.live" } else { "cli.seed.training" });
        vec![crate::output::count(
            "cli.seed.orders",
            r.imported as u64,
            &[("how", how)],
        )]
    })
}
