//! Orange Travel's own commands: the distributor key, eSIM support, offers,
//! transactions, suppliers and balances.

use crate::args::{BalancesCommand, EsimCommand, KeysCommand, OffersCommand, TransactionsArgs};
use crate::output::Output;
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
                    format!("key pair generated ({fingerprint}); the private key is in the keyring"),
                    "Next: `comptoir keys upload`. Keep a backup of the key: without it, past eSIM codes cannot be shown again.".into(),
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
                vec![format!(
                    "uploaded; Orange now holds {}",
                    status.server.as_deref().unwrap_or("?")
                )]
            })
        }
        KeysCommand::Export { out: path } => {
            let passphrase = read_secret("backup passphrase", true)?;
            keys::write_backup(app, &path, &passphrase)?;
            out.print(&json!({"file": path.display().to_string()}), || {
                vec![format!(
                    "key backup written to {}; keep it and its passphrase apart",
                    path.display()
                )]
            })
        }
        KeysCommand::Import { file, force } => {
            let passphrase = read_secret("backup passphrase", false)?;
            let public = keys::restore_file(app, &file, &passphrase, force)?;
            let fingerprint = comptoir::crypto::fingerprint(&public)?;
            out.print(&json!({"fingerprint": fingerprint}), || {
                vec![format!("key {fingerprint} restored to the keyring")]
            })
        }
        KeysCommand::Status => {
            let status = keys::status(app).await?;
            out.print(&status, || {
                vec![
                    format!("this shop: {}", status.local.as_deref().unwrap_or("no key")),
                    format!("Orange:    {}", status.server.as_deref().unwrap_or("no key")),
                    if status.ready {
                        "ready to sell eSIMs".into()
                    } else {
                        "NOT ready to sell eSIMs".into()
                    },
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
                vec![format!(
                    "{}{said} {}",
                    crate::output::label_of(&l.data.status),
                    age(&l.fetched_at, l.from_cache)
                )]
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
        vec![format!(
            "{}  {}  {}  user {}",
            t.id,
            t.status,
            t.product_name.as_deref().unwrap_or(""),
            t.user_id.as_deref().unwrap_or("")
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
                    "up".to_string()
                } else {
                    format!("DOWN (since {})", s.last_outage_date.as_deref().unwrap_or("?"))
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
            vec![format!("written to {}", path.display())]
        });
    }
    let list = client.transactions(&query).await?;
    out.print(&list, || {
        list.iter()
            .map(|t| {
                format!(
                    "{}  {:<4} {}  {}  user {}",
                    t.id,
                    t.status,
                    t.creation_date.as_deref().unwrap_or(""),
                    t.product_name.as_deref().unwrap_or(""),
                    t.user_id.as_deref().unwrap_or("")
                )
            })
            .collect()
    })
}
