//! Orange Travel's own commands: the distributor key, eSIM support, offers,
//! transactions, suppliers and balances.

use crate::args::{BalancesCommand, EsimCommand, KeysCommand, OffersCommand, TransactionsArgs};
use crate::output::{label, label_of, say, say_with, Output};
use crate::shop::read_secret;
use comptoir::esim::support;
use comptoir::{Comptoir, Result};
use serde_json::json;

pub async fn keys(app: &Comptoir, out: &Output, command: KeysCommand) -> Result<()> {
    use comptoir::esim::keys;
    match command {
        KeysCommand::Generate { force } => {
            let public = keys::generate(app, force)?;
            let fingerprint = comptoir::crypto::fingerprint(&public)?;
            out.print(&json!({"fingerprint": fingerprint, "public_key": public}), || {
                vec![
                    say_with("cli.keys.generated", &[("fingerprint", fingerprint.clone())]),
                    say("cli.keys.next"),
                ]
            })
        }
        KeysCommand::Public => {
            let public = keys::public(app)?;
            out.print(&json!({"public_key": public}), || vec![public.trim_end().to_string()])
        }
        KeysCommand::Upload => {
            let status = keys::upload(app).await?;
            out.print(&status, || {
                let held = status.server.clone().unwrap_or_else(|| "?".into());
                vec![say_with("cli.keys.uploaded", &[("fingerprint", held)])]
            })
        }
        KeysCommand::Export { out: path } => {
            let passphrase = read_secret(&say("cli.keys.passphrase"), true)?;
            keys::write_backup(app, &path, &passphrase)?;
            out.print(&json!({"file": path.display().to_string()}), || {
                vec![say_with(
                    "cli.keys.backup_written",
                    &[("path", path.display().to_string())],
                )]
            })
        }
        KeysCommand::Import { file, force } => {
            let passphrase = read_secret(&say("cli.keys.passphrase"), false)?;
            let public = keys::restore_file(app, &file, &passphrase, force)?;
            let fingerprint = comptoir::crypto::fingerprint(&public)?;
            out.print(&json!({"fingerprint": fingerprint}), || {
                vec![say_with("cli.keys.restored", &[("fingerprint", fingerprint.clone())])]
            })
        }
        KeysCommand::Status => {
            let status = keys::status(app).await?;
            out.print(&status, || {
                vec![
                    format!(
                        "{:<18}{}",
                        label("cli.keys.this_shop"),
                        status.local.clone().unwrap_or_else(|| say("cli.keys.none"))
                    ),
                    format!(
                        "{:<18}{}",
                        label_of("Orange"),
                        status.server.clone().unwrap_or_else(|| say("cli.keys.none"))
                    ),
                    say(if status.ready {
                        "cli.keys.ready"
                    } else {
                        "cli.keys.not_ready"
                    }),
                ]
            })
        }
    }
}

pub async fn esim(app: &Comptoir, out: &Output, command: EsimCommand) -> Result<()> {
    let age = |fetched_at: &str, cached: bool| {
        let at = [("at", crate::output::when(fetched_at))];
        crate::output::say_with(if cached { "cli.esim.cached" } else { "cli.esim.as_of" }, &at)
    };
    match command {
        EsimCommand::Status { order } => {
            let l = support::sim_status(app, &order).await?;
            let meaning = support::status_meaning(&l.data.status);
            let doc =
                json!({"status": l.data, "meaning": meaning, "fetched_at": l.fetched_at, "from_cache": l.from_cache});
            out.print(&doc, || {
                // The status's meaning as the window says it, else the core's.
                let key = format!("cli.sim_status.{}", l.data.status);
                let said = crate::output::say(&key);
                let said = if said == key { meaning.to_string() } else { said };
                // Orange's own word for it where English is read; in
                // French, the meaning alone (the word stays in `--json`).
                let label = if crate::output::lang() == "fr" {
                    crate::output::label("cli.sim_state")
                } else {
                    crate::output::label_of(&l.data.status)
                };
                vec![format!("{label}{said} {}", age(&l.fetched_at, l.from_cache))]
            })
        }
        EsimCommand::Usage { order, sim_id } => {
            let l = match (order, sim_id) {
                (Some(o), _) => support::usage_of_order(app, &o).await?,
                (_, Some(s)) => support::usage_of_sim(app, &s).await?,
                _ => unreachable!("clap requires one"),
            };
            out.print(&l, || {
                let mut lines: Vec<String> = l
                    .data
                    .buckets
                    .iter()
                    .map(|b| {
                        use comptoir::types::units;
                        let lang = crate::output::lang();
                        crate::output::say_with(
                            "cli.esim.usage",
                            &[
                                (
                                    "plan",
                                    b.name.clone().unwrap_or_else(|| crate::output::say("cli.esim.plan")),
                                ),
                                (
                                    "data",
                                    units::data(b.data_remaining.unwrap_or_default(), b.data_unit.as_deref(), lang),
                                ),
                                (
                                    "airtime",
                                    units::airtime(
                                        b.airtime_remaining.unwrap_or_default(),
                                        b.airtime_unit.as_deref(),
                                        lang,
                                    ),
                                ),
                                ("sms", b.sms_remaining.unwrap_or_default().to_string()),
                                (
                                    "until",
                                    b.expiration_date
                                        .as_deref()
                                        .map(crate::output::when)
                                        .unwrap_or("?".into()),
                                ),
                            ],
                        )
                    })
                    .collect();
                lines.push(age(&l.fetched_at, l.from_cache));
                lines
            })
        }
    }
}

/// `comptoir offers ...`: Orange's offers as Orange has them now.
pub async fn offers(app: &Comptoir, out: &Output, command: OffersCommand) -> Result<()> {
    match command {
        OffersCommand::Show { id } => {
            let (client, _) = comptoir::esim::client(app).await?;
            let offer = client.offer(&id).await?;
            out.print(&offer, || {
                vec![format!(
                    "{}  {}  bucket {}  resell {} + fees {} ({:?})",
                    offer.id,
                    offer.name,
                    offer.bucket,
                    offer.resell_value,
                    offer.distributor_fees,
                    offer.distributor_fees_type
                )]
            })
        }
        OffersCommand::Customize {
            id,
            name,
            fees,
            fees_type,
            metadata,
        } => {
            let changes = support::OfferChanges {
                name,
                fees,
                fees_type,
                metadata,
            };
            let offer = support::customize_offer(app, &id, changes).await?;
            out.print(&offer, || {
                vec![format!(
                    "{}: {} (fees {} {:?})",
                    offer.id, offer.name, offer.distributor_fees, offer.distributor_fees_type
                )]
            })
        }
    }
}

/// `comptoir transaction ID`: one Orange transaction.
pub async fn transaction(app: &Comptoir, out: &Output, id: String) -> Result<()> {
    // Our order id (what the receipt and `orders` show) stands for Orange's
    // transaction id, which the order keeps.
    let id = if id.starts_with("CPT-") {
        let order = app.journal.get(&id).await?;
        order.provider_ref.ok_or_else(|| {
            comptoir::Error::invalid(
                "orange.no_transaction",
                format!("order {id} has no Orange transaction (it was never accepted by Orange)"),
            )
            .with("id", id.as_str())
        })?
    } else {
        id
    };
    let (client, _) = comptoir::esim::client(app).await?;
    let t = client.transaction(&id).await?;
    out.print(&t, || {
        let user = [("user", t.user_id.clone().unwrap_or_default())];
        vec![format!(
            "{}  {}  {}  {}",
            t.id,
            t.status,
            t.product_name.as_deref().unwrap_or(""),
            say_with("cli.transaction.user", &user)
        )]
    })
}

/// `comptoir balances global`: data used over a period.
pub async fn balances(app: &Comptoir, out: &Output, command: BalancesCommand) -> Result<()> {
    match command {
        BalancesCommand::Global {
            from,
            to,
            zone,
            supplier,
        } => {
            let b = support::global_balances(app, &supplier, from, to, &zone).await?;
            out.print(&b, || {
                b.zones
                    .iter()
                    .map(|z| {
                        format!(
                            "{:<20} {:>4}  {}",
                            z.name,
                            z.code,
                            comptoir::types::units::data(
                                z.data_amount.unwrap_or_default(),
                                z.data_unit.as_deref(),
                                crate::output::lang()
                            )
                        )
                    })
                    .collect()
            })
        }
    }
}

/// `comptoir suppliers`: Orange's suppliers and their connectors.
pub async fn suppliers(app: &Comptoir, out: &Output) -> Result<()> {
    let (client, _) = comptoir::esim::client(app).await?;
    let list = client.suppliers().await?;
    out.print(&list, || {
        list.iter()
            .map(|s| {
                let state = if s.connector_status {
                    say("cli.supplier.up")
                } else {
                    let since = s
                        .last_outage_date
                        .as_deref()
                        .map_or_else(|| "?".into(), crate::output::when);
                    say_with("cli.supplier.down", &[("since", since)])
                };
                format!("{}  {:<20} {state}", s.id, s.name)
            })
            .collect()
    })
}

/// A moment of a day in the computer's zone, as UTC for Orange.
fn local_day_bound(day: chrono::NaiveDate, time: chrono::NaiveTime) -> String {
    use chrono::TimeZone;
    let local = chrono::Local
        .from_local_datetime(&day.and_time(time))
        .earliest()
        .unwrap_or_else(|| chrono::Local.from_utc_datetime(&day.and_time(time)));
    local
        .with_timezone(&chrono::Utc)
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// `comptoir transactions`: Orange's own list of the shop's transactions.
pub async fn transactions(app: &Comptoir, out: &Output, args: TransactionsArgs) -> Result<()> {
    let TransactionsArgs {
        from,
        to,
        offer,
        user,
        status,
        supplier,
        count,
        csv,
    } = args;

    let supplier = match supplier {
        Some(s) => Some(comptoir::esim::support::supplier_id(app, &s).await?),
        None => None,
    };
    // The shop's days: from its first second to its last, in its own zone.
    let query = comptoir::providers::orange_travel::client::TransactionQuery {
        start_date: from.map(|d| local_day_bound(d, chrono::NaiveTime::MIN)),
        end_date: to.map(|d| local_day_bound(d, chrono::NaiveTime::from_hms_opt(23, 59, 59).expect("a time"))),
        offer,
        user,
        status,
        supplier,
        ..Default::default()
    };
    let (client, _) = comptoir::esim::client(app).await?;
    if count {
        let n = client.count(&query).await?;
        return out.print(&json!({"count": n}), || vec![n.to_string()]);
    }
    if let Some(path) = csv {
        let text = client.transactions_csv(&query).await?;
        comptoir::files::write_whole(&path, "file.cannot_write", |w| {
            w.write_all(text.as_bytes())
                .map_err(|e| comptoir::files::io_error(&path, "file.cannot_write", &e))
        })?;
        return out.print(&json!({"file": path.display().to_string()}), || {
            vec![say_with("cli.written_to", &[("path", path.display().to_string())])]
        });
    }
    let list = client.transactions(&query).await?;
    out.print(&list, || {
        list.iter()
            .map(|t| {
                let user = [("user", t.user_id.clone().unwrap_or_default())];
                format!(
                    "{}  {:<4} {}  {}  {}",
                    t.id,
                    t.status,
                    t.creation_date.as_deref().map(crate::output::when).unwrap_or_default(),
                    t.product_name.as_deref().unwrap_or(""),
                    say_with("cli.transaction.user", &user)
                )
            })
            .collect()
    })
}
