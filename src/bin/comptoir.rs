//! The `comptoir` command line: parses arguments, calls the core, prints.
//! No logic of its own (see `shared/spec/cli.md` for the contract).

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use comptoir::catalog::CatalogFilter;
use comptoir::journal::{cents, write_csv, Order, OrderFilter};
use comptoir::providers::orange_travel::support;
use comptoir::providers::ProviderId;
use comptoir::secrets::Secret;
use comptoir::sim::SimHost;
use comptoir::{Comptoir, Error, Options, Result};
use serde_json::json;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "comptoir", version, about = "Comptoir: eSIMs, top-ups and gift cards at the counter", long_about = None)]
struct Cli {
    /// Where the journal, settings and logs live [env: COMPTOIR_DATA_DIR]
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Machine-readable output: one JSON document on stdout (errors as JSON on stderr)
    #[arg(long, global = true)]
    json: bool,
    /// Run every provider against the built-in simulators; orders are marked training
    #[arg(long, global = true)]
    training: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Where the data lives, which providers are live or in training, last catalog syncs
    Status,
    /// Amilon gift cards: contract, retailers the shop hides, face values offered
    Giftcards {
        #[command(subcommand)]
        command: GiftcardsCommand,
    },
    /// Start every provider simulator on 127.0.0.1 and print the variables that point at them
    Sim {
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = 0)]
        port: u16,
    },
    /// Refresh catalogs (offers, suppliers, ...) into the local cache
    Sync {
        /// orange-travel, amilon or all
        #[arg(long, default_value = "all")]
        provider: String,
    },
    /// List cached catalog items, offline
    Catalog {
        #[arg(long)]
        provider: Option<ProviderId>,
        /// esim, topup or giftcard
        #[arg(long = "type", value_parser = ["esim", "topup", "giftcard"])]
        item_type: Option<String>,
        #[arg(long)]
        search: Option<String>,
        /// ISO code of a country the item must cover (FR, US, ...)
        #[arg(long)]
        country: Option<String>,
        /// Gift cards: a category (e-commerce, retail, gaming, ...)
        #[arg(long)]
        category: Option<String>,
        /// Supplier name (Orange France, Welcome Travelers, ...)
        #[arg(long)]
        supplier: Option<String>,
        /// At least this many GB of data
        #[arg(long)]
        min_data: Option<f64>,
        /// Valid at least this many days
        #[arg(long)]
        min_days: Option<f64>,
    },
    /// Sell a product
    Sell {
        #[command(subcommand)]
        command: SellCommand,
    },
    /// Settle every pending or unknown order by asking its provider; prints what changed
    Reconcile,
    /// The computer's printers (CUPS), the default one marked, for `order print --printer`
    Printers,
    /// Orange Travel support: a sold line's SIM status and remaining plan
    Esim {
        #[command(subcommand)]
        command: EsimCommand,
    },
    /// Orange Travel offers: change the shop's name, fees or metadata
    Offers {
        #[command(subcommand)]
        command: OffersCommand,
    },
    /// Orange Travel usage statistics
    Balances {
        #[command(subcommand)]
        command: BalancesCommand,
    },
    /// Orange Travel suppliers, with their connector status and last outage
    Suppliers,
    /// One Orange Travel transaction as Orange describes it (an activation code stays encrypted)
    Transaction { id: String },
    /// Orange Travel's own list of the shop's transactions (not the journal)
    Transactions {
        #[arg(long, value_parser = parse_day)]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = parse_day)]
        to: Option<NaiveDate>,
        #[arg(long)]
        offer: Option<String>,
        /// The order id sent as `user_id`
        #[arg(long)]
        user: Option<String>,
        /// created, pending, ok, ko or expired
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        supplier: Option<String>,
        /// Only the number of matching transactions
        #[arg(long, conflicts_with = "csv")]
        count: bool,
        /// Write Orange's CSV to this file
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
    },
    /// The shop's Orange Travel distributor key pair (eSIM activation codes are encrypted with it)
    Keys {
        #[command(subcommand)]
        command: KeysCommand,
    },
    /// List orders from the local journal, offline, newest first
    Orders(OrderArgs),
    /// One order
    Order {
        #[command(subcommand)]
        command: OrderCommand,
    },
    /// Export the journal
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Import orders from a CSV written by `export orders` (all or nothing)
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Sales, costs, margins, refunds and orders to settle, per provider and kind
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// Fill the journal with a realistic synthetic history (marked training), for practice and benchmarks
    Seed {
        #[arg(long, default_value_t = 1000)]
        orders: usize,
        /// Spread over this many past days
        #[arg(long, default_value_t = 30)]
        days: i64,
    },
    /// Read or change settings (the file the app uses)
    Config {
        #[command(subcommand)]
        command: ConfigCommand,
    },
    /// Store or remove a secret in the keyring (the value is read from standard input)
    Secret {
        #[command(subcommand)]
        command: SecretCommand,
    },
}

#[derive(Args, Clone, Default)]
struct OrderArgs {
    /// Words to find in customer reference, phone, SIM id, ICCID, product, provider reference
    #[arg(long)]
    search: Option<String>,
    #[arg(long)]
    provider: Option<ProviderId>,
    /// pending, processing, delivered, failed, unknown, refunded, cancelled
    #[arg(long)]
    status: Option<comptoir::journal::OrderStatus>,
    /// esim, topup, giftcard, payment, subscription, ticket
    #[arg(long)]
    kind: Option<comptoir::journal::OrderKind>,
    /// First day included (YYYY-MM-DD, local time)
    #[arg(long, value_parser = parse_day)]
    from: Option<NaiveDate>,
    /// Last day included (YYYY-MM-DD, local time)
    #[arg(long, value_parser = parse_day)]
    to: Option<NaiveDate>,
    /// newest (default), oldest, highest or lowest amount
    #[arg(long, default_value = "newest")]
    sort: comptoir::journal::Sort,
    /// At most this many orders (default 100)
    #[arg(long)]
    limit: Option<u32>,
}

#[derive(Subcommand)]
enum EsimCommand {
    /// The SIM's status (suspended, expired, not installed, ...) for a sold line
    Status { order: String },
    /// Data, airtime and SMS left: by order, or by Welcome Travelers SIM id
    Usage {
        #[arg(required_unless_present = "sim_id", conflicts_with = "sim_id")]
        order: Option<String>,
        #[arg(long)]
        sim_id: Option<String>,
    },
}

#[derive(Subcommand)]
enum OffersCommand {
    /// One offer as Orange describes it now (not the cache)
    Show { id: String },
    /// Change what the shop may change on an offer
    Customize {
        id: String,
        #[arg(long)]
        name: Option<String>,
        /// The shop's fees on top of Orange's resell value
        #[arg(long)]
        fees: Option<f64>,
        #[arg(long, value_parser = ["percent", "value"])]
        fees_type: Option<String>,
        #[arg(long)]
        metadata: Option<String>,
    },
}

#[derive(Subcommand)]
enum BalancesCommand {
    /// Data used over at most 6 months, by region or country
    Global {
        #[arg(long, value_parser = parse_day)]
        from: NaiveDate,
        #[arg(long, value_parser = parse_day)]
        to: NaiveDate,
        #[arg(long, value_parser = ["region", "country"], default_value = "region")]
        zone: String,
        /// Supplier name or id
        #[arg(long, default_value = "Orange France")]
        supplier: String,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Make a new RSA-4096 key pair; the private key goes to the keyring only
    Generate {
        /// Replace the existing key (past eSIM codes become unreadable without a backup)
        #[arg(long)]
        force: bool,
    },
    /// Print the public key (PEM)
    Public,
    /// Send the public key to Orange (replaces Orange's copy; there is no way back)
    Upload,
    /// Whether Orange holds this shop's key
    Status,
    /// Write a passphrase-encrypted backup of the private key (the passphrase is asked twice)
    Export {
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Restore the private key from a backup made by `keys export`
    Import {
        file: PathBuf,
        /// Replace a different key this shop holds
        #[arg(long)]
        force: bool,
    },
}

#[derive(Subcommand)]
enum SellCommand {
    /// Order gift cards from Amilon; waits for the vouchers unless --no-wait
    Giftcard {
        /// Product code, as `comptoir catalog --type giftcard` lists it
        #[arg(long)]
        product: String,
        #[arg(long, default_value_t = 1)]
        quantity: u32,
        /// The shop's reference for the customer (name, ticket number)
        #[arg(long)]
        customer: Option<String>,
        /// Return once Amilon has the order; `comptoir order refresh ID` fetches the vouchers
        #[arg(long)]
        no_wait: bool,
    },
    /// Sell an eSIM: prints the order; `comptoir order qr ID --out FILE` writes its QR code
    Esim {
        /// Offer id, as `comptoir catalog --type esim` lists it
        #[arg(long)]
        offer: String,
        #[arg(long)]
        customer: Option<String>,
    },
    /// Top up a phone (Orange France / Spain) or a SIM (Welcome Travelers)
    Topup {
        /// Offer id, as `comptoir catalog --type topup` lists it
        #[arg(long)]
        offer: String,
        /// Phone number: +33 6 84 58 75 87, 0684587587 or 684587587
        #[arg(long, conflicts_with = "sim_id", required_unless_present = "sim_id")]
        msisdn: Option<String>,
        /// SIM id, for Welcome Travelers offers
        #[arg(long)]
        sim_id: Option<String>,
        /// The shop's reference for the customer (name, ticket number)
        #[arg(long)]
        customer: Option<String>,
    },
}

#[derive(Subcommand)]
enum GiftcardsCommand {
    /// Amilon's contract: status, dates, countries, limit per order (last known when offline)
    Contract,
    /// Retailers of the last sync, with those the shop hides
    Retailers,
    /// Stop selling a retailer's cards (by its id, as `giftcards retailers` lists it)
    Hide { retailer: String },
    /// Sell a hidden retailer's cards again
    Show { retailer: String },
    /// The face values the shop offers, in euros (none: every value)
    FaceValues { values: Vec<f64> },
}

#[derive(Subcommand)]
enum OrderCommand {
    /// Everything known about one order, with its history
    Show {
        id: String,
        /// Also show its secrets (eSIM activation code, PIN, PUK); recorded in its history
        #[arg(long)]
        reveal: bool,
    },
    /// The customer's ticket: on a printer of the computer's (by default the one set in Settings, else the
    /// system's default), as PDF, or to an ESC/POS thermal printer
    Print {
        id: String,
        /// Paper: 80 mm receipt or A4 (default: Settings' printer.paper, else receipt)
        #[arg(long, value_parser = ["receipt", "a4"])]
        layout: Option<String>,
        /// Write the ticket as PDF to this file instead of printing it
        #[arg(long, value_name = "FILE.pdf")]
        pdf: Option<PathBuf>,
        /// Print on this printer of the computer's (a name `lpstat -e` lists)
        #[arg(long, value_name = "NAME", conflicts_with_all = ["pdf", "escpos"])]
        printer: Option<String>,
        /// Send it to a thermal printer: tcp://HOST:PORT (usually 9100) or a device such as /dev/usb/lp0
        #[arg(long, value_name = "TARGET", conflicts_with = "pdf")]
        escpos: Option<String>,
    },
    /// Ask the provider again about an order (gift cards: fetch the vouchers)
    Refresh {
        id: String,
        /// Keep asking, with backoff, until the vouchers arrive (at most about 5 minutes)
        #[arg(long)]
        wait: bool,
    },
    /// Write the customer's QR code (eSIM activation, or voucher N) as PNG or SVG, by the file's extension
    Qr {
        id: String,
        /// Which voucher of a gift-card order (1 = the first)
        #[arg(long, default_value_t = 1)]
        item: usize,
        #[arg(long, value_name = "FILE.png|FILE.svg")]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// Orders as CSV (UTF-8, header row; columns in the README)
    Orders {
        #[arg(long, value_name = "FILE.csv")]
        out: PathBuf,
        /// Field separator: `,` or `;` (for French spreadsheet software)
        #[arg(long, default_value = ",", value_parser = [",", ";"])]
        delimiter: String,
        #[command(flatten)]
        filter: OrderArgs,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// The journal's own CSV (`,` or `;`); orders already present are skipped
    Orders { file: PathBuf },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// One day (default today), or a range of days; training orders left out
    Daily {
        #[arg(long, value_parser = parse_day, conflicts_with_all = ["from", "to"])]
        date: Option<NaiveDate>,
        #[arg(long, value_parser = parse_day, requires = "to")]
        from: Option<NaiveDate>,
        #[arg(long, value_parser = parse_day, requires = "from")]
        to: Option<NaiveDate>,
        /// Also write the report as CSV
        #[arg(long, value_name = "FILE.csv")]
        csv: Option<PathBuf>,
        #[arg(long, default_value = ",", value_parser = [",", ";"])]
        delimiter: String,
    },
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print one setting, or all of them
    Get { key: Option<String> },
    /// Set a setting (secrets are refused here: use `comptoir secret set`)
    Set { key: String, value: String },
    /// Remove a setting
    Unset { key: String },
}

#[derive(Subcommand)]
enum SecretCommand {
    /// Store a secret, e.g. `orange_travel.client_secret`; the value comes from standard input
    Set { name: String },
    /// Remove a secret
    Delete { name: String },
}

fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| format!("`{s}` is not a date as YYYY-MM-DD"))
}

impl From<&OrderArgs> for OrderFilter {
    fn from(a: &OrderArgs) -> Self {
        OrderFilter {
            search: a.search.clone(),
            provider: a.provider,
            kind: a.kind,
            status: a.status,
            from: a.from,
            to: a.to,
            training: None,
            sort: a.sort,
            limit: a.limit,
            offset: None,
        }
    }
}

fn main() {
    let cli = Cli::parse();
    let json = cli.json;
    let runtime = tokio::runtime::Runtime::new().expect("tokio runtime");
    let code = match runtime.block_on(run(cli)) {
        Ok(()) => 0,
        Err(e) => {
            report(&e, json);
            e.kind.exit_code()
        }
    };
    std::process::exit(code);
}

fn report(e: &Error, json: bool) {
    if json {
        eprintln!("{}", json!({ "error": e }));
        return;
    }
    eprintln!("error: {e}");
    if e.kind == comptoir::ErrorKind::UnknownOutcome {
        eprintln!("Do not sell it again: `comptoir reconcile` will find out whether it happened.");
    }
}

async fn run(cli: Cli) -> Result<()> {
    let data_dir = comptoir::paths::data_dir(cli.data_dir.as_deref());
    let _log = comptoir::logging::init(&data_dir)?;
    let app = Comptoir::open(Options {
        data_dir: Some(data_dir),
        training: cli.training,
        secret_store: None,
    })
    .await?;
    let out = Output { json: cli.json };
    match cli.command {
        Command::Status => status(&app, &out).await,
        Command::Giftcards { command } => giftcards(&app, &out, command).await,
        Command::Sell {
            command:
                SellCommand::Giftcard {
                    product,
                    quantity,
                    customer,
                    no_wait,
                },
        } => {
            let mut order = comptoir::giftcard::sell_giftcard(&app, &product, quantity, customer).await?;
            if !no_wait && order.status.is_unsettled() {
                order = wait_vouchers(&app, &out, &order.id).await?;
            }
            out.print(&order, || {
                let mut lines = vec![order_line(&order)];
                if order.status == comptoir::journal::OrderStatus::Delivered {
                    lines.push(format!("vouchers: comptoir order show {} --reveal", order.id));
                } else if order.status.is_unsettled() {
                    lines.push(format!(
                        "vouchers not there yet: comptoir order refresh {} --wait",
                        order.id
                    ));
                }
                lines
            })
        }
        Command::Order {
            command: OrderCommand::Refresh { id, wait },
        } => {
            let order = if wait {
                wait_vouchers(&app, &out, &id).await?
            } else {
                comptoir::giftcard::refresh(&app, &id).await?
            };
            out.print(&order, || vec![order_line(&order)])
        }
        Command::Sim { port } => sim(port).await,
        Command::Sync { provider } => sync(&app, &out, &provider).await,
        Command::Catalog {
            provider,
            item_type,
            search,
            country,
            category,
            supplier,
            min_data,
            min_days,
        } => {
            let filter = CatalogFilter {
                provider,
                item_type,
                search,
                country,
                supplier,
                category,
                min_data_gb: min_data,
                min_validity_days: min_days,
            };
            let items = app.catalog(&filter).await?;
            out.print(&items, || {
                items
                    .iter()
                    .map(|i| {
                        let stock = i.stock.map(|s| s.to_string()).unwrap_or_default();
                        let state = i.unavailable_reason.as_deref().unwrap_or("");
                        format!(
                            "{:<14} {:<8} {:>8} {} {:>5}  {}  {}  {}",
                            i.provider,
                            i.item_type,
                            cents::format(i.price_cents),
                            i.currency,
                            stock,
                            i.id,
                            i.name,
                            state
                        )
                    })
                    .collect()
            })
        }
        Command::Sell {
            command:
                SellCommand::Topup {
                    offer,
                    msisdn,
                    sim_id,
                    customer,
                },
        } => {
            let target = match (msisdn, sim_id) {
                (Some(m), _) => comptoir::sale::TopupTarget::Msisdn(m),
                (_, Some(s)) => comptoir::sale::TopupTarget::SimId(s),
                _ => unreachable!("clap requires one"),
            };
            let order = comptoir::sale::sell_topup(&app, &offer, target, customer).await?;
            out.print(&order, || vec![order_line(&order)])
        }
        Command::Sell {
            command: SellCommand::Esim { offer, customer },
        } => {
            let order = comptoir::sale::sell_esim(&app, &offer, customer).await?;
            out.print(&order, || {
                vec![
                    order_line(&order),
                    format!("QR code: comptoir order qr {} --out qr.png", order.id),
                ]
            })
        }
        Command::Keys { command } => keys(&app, &out, command).await,
        Command::Esim { command } => esim(&app, &out, command).await,
        Command::Offers {
            command: OffersCommand::Show { id },
        } => {
            let (client, _) = app.orange_travel().await?;
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
        Command::Transaction { id } => {
            let (client, _) = app.orange_travel().await?;
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
        Command::Offers {
            command:
                OffersCommand::Customize {
                    id,
                    name,
                    fees,
                    fees_type,
                    metadata,
                },
        } => {
            let changes = support::OfferChanges {
                name,
                fees,
                fees_type,
                metadata,
            };
            let offer = support::customize_offer(&app, &id, changes).await?;
            out.print(&offer, || {
                vec![format!(
                    "{}: {} (fees {} {:?})",
                    offer.id, offer.name, offer.distributor_fees, offer.distributor_fees_type
                )]
            })
        }
        Command::Balances {
            command:
                BalancesCommand::Global {
                    from,
                    to,
                    zone,
                    supplier,
                },
        } => {
            let b = support::global_balances(&app, &supplier, from, to, &zone).await?;
            out.print(&b, || {
                b.zones
                    .iter()
                    .map(|z| {
                        format!(
                            "{:<20} {:>4}  {} {}",
                            z.name,
                            z.code,
                            z.data_amount.unwrap_or_default(),
                            z.data_unit.as_deref().unwrap_or("")
                        )
                    })
                    .collect()
            })
        }
        Command::Suppliers => {
            let (client, _) = app.orange_travel().await?;
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
        Command::Transactions {
            from,
            to,
            offer,
            user,
            status,
            supplier,
            count,
            csv,
        } => {
            let query = comptoir::providers::orange_travel::client::TransactionQuery {
                start_date: from.map(|d| format!("{d}T00:00:00Z")),
                end_date: to.map(|d| format!("{d}T23:59:59Z")),
                offer,
                user,
                status,
                supplier,
                ..Default::default()
            };
            let (client, _) = app.orange_travel().await?;
            if count {
                let n = client.count(&query).await?;
                return out.print(&json!({"count": n}), || vec![n.to_string()]);
            }
            if let Some(path) = csv {
                let text = client.transactions_csv(&query).await?;
                std::fs::write(&path, &text).map_err(|e| {
                    Error::invalid("file.cannot_write", format!("cannot write {}: {e}", path.display()))
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
        Command::Order {
            command: OrderCommand::Qr { id, item, out: path },
        } => {
            let svg = match path
                .extension()
                .and_then(|e| e.to_str())
                .map(str::to_ascii_lowercase)
                .as_deref()
            {
                Some("svg") => true,
                Some("png") => false,
                _ => {
                    return Err(Error::invalid(
                        "qr.bad_extension",
                        "the output file must end in .png or .svg",
                    ))
                }
            };
            let bytes = if app.journal.get(&id).await?.kind == comptoir::journal::OrderKind::Giftcard {
                comptoir::giftcard::voucher_qr(&app, &id, item, svg).await?
            } else {
                comptoir::esim::qr_image(&app, &id, svg).await?
            };
            std::fs::write(&path, bytes)
                .map_err(|e| Error::invalid("qr.cannot_write", format!("cannot write {}: {e}", path.display())))?;
            let doc = json!({"order": id, "file": path.display().to_string()});
            out.print(&doc, || vec![format!("QR code of {id} written to {}", path.display())])
        }
        Command::Order {
            command:
                OrderCommand::Print {
                    id,
                    layout,
                    pdf,
                    printer,
                    escpos,
                },
        } => {
            use comptoir::ticket::Destination;
            let to = match (pdf, escpos) {
                (Some(path), _) => Destination::Pdf(path),
                (None, Some(target)) => Destination::Escpos(Some(target)),
                (None, None) => Destination::System(printer),
            };
            let layout = layout.map(|l| l.parse()).transpose()?;
            let printed = comptoir::ticket::print(&app, &id, to, layout).await?;
            out.print(&printed, || {
                vec![match &printed.job {
                    Some(job) => format!("ticket of {id} sent to {} (job {job})", printed.to),
                    None => format!("ticket of {id} written to {}", printed.to),
                }]
            })
        }
        Command::Printers => {
            let list = comptoir::printer::printers()?;
            out.print(&list, || {
                list.iter()
                    .map(|p| format!("{}{}", p.name, if p.default { " (default)" } else { "" }))
                    .collect()
            })
        }
        Command::Reconcile => {
            let done = comptoir::sale::reconcile(&app).await?;
            out.print(&done.settled, || {
                done.settled
                    .iter()
                    .map(|c| format!("{}: {} -> {}", c.order, c.from, c.to))
                    .collect()
            })?;
            // The others were settled; these stay as they were and the exit
            // code says that the run is not complete.
            for n in &done.unsettled {
                eprintln!("{}: not settled: {}", n.order, n.error);
            }
            match done.unsettled.first() {
                None => Ok(()),
                Some(first) => Err(Error::unavailable(
                    "reconcile.incomplete",
                    format!(
                        "{} order(s) could not be checked ({}): run `comptoir reconcile` again later",
                        done.unsettled.len(),
                        first.error.message
                    ),
                )
                .with("count", done.unsettled.len())
                .with(
                    "orders",
                    done.unsettled.iter().map(|n| n.order.clone()).collect::<Vec<_>>(),
                )),
            }
        }
        Command::Orders(args) => {
            let orders = app.journal.list(&OrderFilter::from(&args)).await?;
            out.print(&orders, || orders.iter().map(order_line).collect())
        }
        Command::Order {
            command: OrderCommand::Show { id, reveal },
        } => {
            let order = app.journal.get(&id).await?;
            let secrets = match order.kind {
                comptoir::journal::OrderKind::Esim if reveal => {
                    let card = comptoir::esim::card(&app, &id).await?;
                    Some(json!({"activation_code": card.activation_code, "pin": card.pin, "puk": card.puk}))
                }
                comptoir::journal::OrderKind::Giftcard if reveal => {
                    let vouchers = comptoir::giftcard::vouchers(&app, &id).await?;
                    Some(json!({ "vouchers": vouchers }))
                }
                _ => None,
            };
            let events = app.journal.events(&id).await?;
            let mut doc = json!({"order": order, "events": events});
            if let Some(s) = &secrets {
                doc["secrets"] = s.clone();
            }
            out.print(&doc, || {
                let mut lines = vec![order_line(&order)];
                for v in secrets.iter().flat_map(|s| s["vouchers"].as_array()).flatten() {
                    let text = |k: &str| v[k].as_str().unwrap_or("-").to_string();
                    lines.push(format!(
                        "  voucher {}: code {}  PIN {}  until {}  {}",
                        v["item"],
                        text("code"),
                        text("pin"),
                        text("expiry"),
                        text("url")
                    ));
                }
                if let Some(s) = secrets.as_ref().filter(|s| s.get("activation_code").is_some()) {
                    lines.push(format!(
                        "  activation code: {}",
                        s["activation_code"].as_str().unwrap_or("")
                    ));
                    lines.push(format!(
                        "  PIN {}  PUK {}",
                        s["pin"].as_str().unwrap_or("-"),
                        s["puk"].as_str().unwrap_or("-")
                    ));
                }
                lines.extend(events.iter().map(|e| {
                    let to = e.to_status.map(|s| s.to_string()).unwrap_or_default();
                    format!("  {}  {:<8} {:<10} {}", e.at, e.event, to, e.message)
                }));
                lines
            })
        }
        Command::Export {
            command:
                ExportCommand::Orders {
                    out: path,
                    delimiter,
                    filter,
                },
        } => {
            let mut f = OrderFilter::from(&filter);
            f.limit = Some(filter.limit.unwrap_or(u32::MAX));
            let orders = app.journal.list(&f).await?;
            let file = std::fs::File::create(&path)
                .map_err(|e| Error::invalid("export.cannot_write", format!("cannot write {}: {e}", path.display())))?;
            write_csv(std::io::BufWriter::new(file), &orders, delimiter.as_bytes()[0])?;
            let doc = json!({"file": path.display().to_string(), "orders": orders.len()});
            out.print(&doc, || {
                vec![format!("{} orders written to {}", orders.len(), path.display())]
            })
        }
        Command::Import {
            command: ImportCommand::Orders { file },
        } => {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| Error::invalid("import.cannot_read", format!("cannot read {}: {e}", file.display())))?;
            let orders = comptoir::journal::parse_csv(&text)?;
            let r = app
                .journal
                .insert_orders(&orders, &format!("imported from {}", file.display()))
                .await?;
            out.print(&r, || {
                vec![format!("{} orders imported, {} already there", r.imported, r.skipped)]
            })
        }
        Command::Report {
            command:
                ReportCommand::Daily {
                    date,
                    from,
                    to,
                    csv,
                    delimiter,
                },
        } => {
            let today = chrono::Local::now().date_naive();
            let (from, to) = match (date, from, to) {
                (Some(d), _, _) => (d, d),
                (None, Some(f), Some(t)) => (f, t),
                _ => (today, today),
            };
            let r = comptoir::report::report(&app.journal, from, to).await?;
            if let Some(path) = &csv {
                let f = std::fs::File::create(path).map_err(|e| {
                    Error::invalid("report.cannot_write", format!("cannot write {}: {e}", path.display()))
                })?;
                comptoir::report::write_csv(std::io::BufWriter::new(f), &r, delimiter.as_bytes()[0])?;
            }
            out.print(&r, || {
                let mut lines = vec![format!("{} to {}", r.from, r.to)];
                for l in r.lines.iter().chain(std::iter::once(&r.totals)) {
                    let name = match (&l.provider, &l.kind) {
                        (Some(p), Some(k)) => format!("{p} {k}"),
                        _ => "TOTAL".into(),
                    };
                    lines.push(format!(
                        "{name:<28} {:>5} sales {:>10} EUR  cost {:>10}  margin {:>9}  refunds {} ({})  cancelled {}",
                        l.sales,
                        cents::format(l.amount),
                        cents::format(l.cost),
                        cents::format(l.margin),
                        l.refunds,
                        cents::format(l.refunded),
                        l.cancellations
                    ));
                }
                if !r.to_settle.is_empty() {
                    lines.push(format!("to settle ({}): {}", r.to_settle.len(), r.to_settle.join(", ")));
                }
                lines
            })
        }
        Command::Seed { orders, days } => {
            let r = comptoir::seed::seed(&app.journal, orders, days).await?;
            out.print(&r, || {
                vec![format!("{} synthetic orders written (training)", r.imported)]
            })
        }
        Command::Config { command } => config(&app, &out, command),
        Command::Secret { command } => secret(&app, &out, command),
    }
}

struct Output {
    json: bool,
}

impl Output {
    /// One JSON document with `--json`, else the human lines.
    fn print<T: serde::Serialize>(&self, value: &T, human: impl FnOnce() -> Vec<String>) -> Result<()> {
        let mut stdout = std::io::stdout().lock();
        if self.json {
            let text = serde_json::to_string_pretty(value).expect("JSON");
            writeln!(stdout, "{text}")?;
        } else {
            let lines = human();
            if lines.is_empty() {
                writeln!(stdout, "(nothing)")?;
            }
            for line in lines {
                writeln!(stdout, "{line}")?;
            }
        }
        Ok(())
    }
}

fn order_line(o: &Order) -> String {
    format!(
        "{}  {}  {:<14} {:<9} {:<10} {:>8} {}  {}{}",
        o.id,
        &o.created_at[..16.min(o.created_at.len())],
        o.provider,
        o.kind.as_str(),
        o.status,
        cents::format(o.amount_cents),
        o.currency,
        o.product_name,
        if o.training { "  [training]" } else { "" }
    )
}

async fn esim(app: &Comptoir, out: &Output, command: EsimCommand) -> Result<()> {
    let age = |fetched_at: &str, cached: bool| {
        if cached {
            format!("(provider unreachable: last known answer, from {fetched_at})")
        } else {
            format!("(as of {fetched_at})")
        }
    };
    match command {
        EsimCommand::Status { order } => {
            let l = support::sim_status(app, &order).await?;
            let meaning = support::status_meaning(&l.data.status);
            let doc =
                json!({"status": l.data, "meaning": meaning, "fetched_at": l.fetched_at, "from_cache": l.from_cache});
            out.print(&doc, || {
                vec![format!(
                    "{}: {meaning} {}",
                    l.data.status,
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
                        format!(
                            "{}: {} {} data, {} {} airtime, {} SMS, until {}",
                            b.name.as_deref().unwrap_or("plan"),
                            b.data_remaining.unwrap_or_default(),
                            b.data_unit.as_deref().unwrap_or(""),
                            b.airtime_remaining.unwrap_or_default(),
                            b.airtime_unit.as_deref().unwrap_or(""),
                            b.sms_remaining.unwrap_or_default(),
                            b.expiration_date.as_deref().unwrap_or("?")
                        )
                    })
                    .collect();
                lines.push(age(&l.fetched_at, l.from_cache));
                lines
            })
        }
    }
}

async fn keys(app: &Comptoir, out: &Output, command: KeysCommand) -> Result<()> {
    use comptoir::providers::orange_travel::keys;
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

async fn status(app: &Comptoir, out: &Output) -> Result<()> {
    let s = app.status().await?;
    out.print(&s, || {
        let mut lines = vec![
            format!("Comptoir {}", s.version),
            format!("data folder: {}", s.data_dir),
            format!("secret store: {}", s.secret_store),
        ];
        for p in &s.providers {
            let note = match (&p.error, p.simulated) {
                (Some(e), _) => format!(" ({e})"),
                (None, false) if p.mode == "training" => " (no simulator yet)".to_string(),
                _ => String::new(),
            };
            lines.push(format!("{:<26} {}{}", p.name, p.mode, note));
        }
        for c in &s.catalog_synced {
            lines.push(format!(
                "catalog {}: {} items, synced {}",
                c.provider, c.items, c.synced_at
            ));
        }
        lines
    })
}

async fn sim(port: u16) -> Result<()> {
    let host = SimHost::start(port).await?;
    let mut env = serde_json::Map::new();
    for (k, v) in host.env() {
        env.insert(k, v.into());
    }
    println!("{}", serde_json::to_string_pretty(&env).expect("JSON"));
    std::io::stdout().flush()?;
    let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term.recv() => {}
    }
    Ok(())
}

async fn sync(app: &Comptoir, out: &Output, provider: &str) -> Result<()> {
    let only = match provider {
        "all" => None,
        p => Some(p.parse::<ProviderId>()?),
    };
    let json = out.json;
    let reports = app
        .sync_with_progress(only, &|step| {
            if !json {
                eprintln!("syncing: {step}…");
            }
        })
        .await?;
    out.print(&reports, || {
        reports
            .iter()
            .map(|r| {
                format!(
                    "{}: {} items{}",
                    r.provider,
                    r.items,
                    if r.training { " (training)" } else { "" }
                )
            })
            .collect()
    })
}

/// Reads a secret from the terminal without echo (twice when `confirm`), or
/// line by line from standard input; never from the command line.
fn read_secret(what: &str, confirm: bool) -> Result<Secret> {
    let read = |prompt: String| -> Result<String> {
        if std::io::stdin().is_terminal() {
            Ok(rpassword::prompt_password(prompt)?)
        } else {
            let mut line = String::new();
            std::io::stdin().read_line(&mut line)?;
            Ok(line.trim_end_matches(['\r', '\n']).to_string())
        }
    };
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
        p.fields()
            .iter()
            .any(|f| matches!(f.role, comptoir::providers::FieldRole::Secret) && p.key(f) == key)
    })
}

fn config(app: &Comptoir, out: &Output, command: ConfigCommand) -> Result<()> {
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
            if is_secret_name(&key) {
                return Err(Error::invalid(
                    "config.secret_in_settings",
                    format!("`{key}` is a secret: store it with `comptoir secret set {key}`"),
                )
                .with("key", key));
            }
            app.set_setting(&key, Some(value.clone().into()))?;
            out.print(&json!({ key.clone(): value }), || vec![format!("{key} set")])
        }
        ConfigCommand::Unset { key } => {
            app.set_setting(&key, None)?;
            out.print(&json!({ "unset": key }), || vec![format!("{key} removed")])
        }
    }
}

fn secret(app: &Comptoir, out: &Output, command: SecretCommand) -> Result<()> {
    match command {
        SecretCommand::Set { name } => {
            if !is_secret_name(&name) {
                return Err(
                    Error::invalid("secret.unknown", format!("`{name}` is not a secret Comptoir knows"))
                        .with("name", name),
                );
            }
            let value = read_secret(&name, false)?;
            app.secrets().set(&name, &value)?;
            out.print(&json!({ "stored": name }), || {
                vec![format!("{name} stored in the keyring")]
            })
        }
        SecretCommand::Delete { name } => {
            app.secrets().delete(&name)?;
            out.print(&json!({ "deleted": name }), || {
                vec![format!("{name} removed from the keyring")]
            })
        }
    }
}

/// Waits for a gift-card order's vouchers, showing progress on stderr;
/// Ctrl-C stops waiting (the order stays as it is, to refresh later).
async fn wait_vouchers(app: &Comptoir, out: &Output, id: &str) -> Result<Order> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = stop.clone();
    let ctrl_c = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            flag.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let json = out.json;
    let order = comptoir::giftcard::wait(
        app,
        id,
        &|p| {
            if !json {
                eprintln!(
                    "waiting for the vouchers of {} ({}s, check {}{})…",
                    p.order,
                    p.elapsed_secs,
                    p.attempt,
                    p.error
                        .as_deref()
                        .map(|e| format!(", last check failed: {e}"))
                        .unwrap_or_default()
                );
            }
        },
        &stop,
    )
    .await;
    ctrl_c.abort();
    order
}

async fn giftcards(app: &Comptoir, out: &Output, command: GiftcardsCommand) -> Result<()> {
    use comptoir::providers::amilon;
    match command {
        GiftcardsCommand::Contract => {
            let c = amilon::contract(app).await?;
            out.print(&c, || {
                let d = &c.data;
                let text = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                let mut lines = vec![
                    format!("{}  {}", text(&d.id), text(&d.name)),
                    format!(
                        "status {}  from {} to {}",
                        text(&d.status),
                        text(&d.start_date),
                        text(&d.end_date)
                    ),
                    format!(
                        "countries {}  max per order {} {}",
                        d.allowed_countries.join(", "),
                        d.max_order_amount
                            .map(|m| format!("{m:.2}"))
                            .unwrap_or_else(|| "-".into()),
                        text(&d.currency)
                    ),
                ];
                if c.from_cache {
                    lines.push(format!("(Amilon unreachable: as known at {})", c.fetched_at));
                }
                lines
            })
        }
        GiftcardsCommand::Retailers => {
            let list = amilon::retailers(app).await?;
            out.print(&list, || {
                list.iter()
                    .map(|r| {
                        format!(
                            "{}  {:<20} {:<14} {}",
                            r.id,
                            r.name,
                            r.category.as_deref().unwrap_or(""),
                            if r.hidden { "hidden" } else { "" }
                        )
                    })
                    .collect()
            })
        }
        GiftcardsCommand::Hide { retailer } => {
            let n = amilon::set_hidden(app, &retailer, true).await?;
            out.print(&json!({"hidden": retailer, "items": n}), || {
                vec![format!("{retailer} hidden; {n} gift cards on sale")]
            })
        }
        GiftcardsCommand::Show { retailer } => {
            let n = amilon::set_hidden(app, &retailer, false).await?;
            out.print(&json!({"shown": retailer, "items": n}), || {
                vec![format!("{retailer} shown; {n} gift cards on sale")]
            })
        }
        GiftcardsCommand::FaceValues { values } => {
            let n = amilon::set_face_values(app, &values).await?;
            out.print(&json!({"face_values": values, "items": n}), || {
                vec![format!("{n} gift cards on sale")]
            })
        }
    }
}
