//! The command line's arguments: every command, its options and their
//! help, as clap reads them. Parsing only; each command group's module
//! does the work.

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand};
use comptoir::journal::OrderFilter;
use comptoir::providers::ProviderId;
use std::path::PathBuf;

#[derive(Parser)]
#[command(name = "comptoir", version, about = "Comptoir: eSIMs, top-ups and gift cards at the counter", long_about = None)]
pub struct Cli {
    /// Where the journal, settings and logs live [env: COMPTOIR_DATA_DIR]
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Machine-readable output: one JSON document on stdout (errors as JSON on stderr)
    #[arg(long, global = true)]
    pub json: bool,
    /// Run every provider against the built-in simulators; orders are marked training
    #[arg(long, global = true)]
    pub training: bool,
    /// A manager's or owner's approval of this one command: their PIN is read from standard input (after the command's own input)
    #[arg(long, global = true, value_name = "NAME")]
    pub approve: Option<String>,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand)]
pub enum Command {
    /// Where the data lives, which providers are live or in training, last catalog syncs
    Status,
    /// Sign in as a cashier on this installation (the PIN on standard input)
    Login { name: String },
    /// End this installation's command-line session
    Logout,
    /// The signed-in cashier
    Whoami,
    /// Cashiers' accounts: add, list, disable, rename, set a PIN, the audit trail
    Cashier {
        #[command(subcommand)]
        command: CashierCommand,
    },
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
        /// Print the variables as `export NAME='value'` lines a shell can read (`. FILE`), not JSON
        #[arg(long)]
        env: bool,
    },
    /// Refresh catalogs (offers, suppliers, ...) into the local cache
    Sync {
        /// orange-travel, amilon or all
        #[arg(long, default_value = "all")]
        provider: String,
    },
    /// List cached catalog items, offline
    Catalog(CatalogArgs),
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
    Transactions(TransactionsArgs),
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
    /// The register a tax office trusts: verify it, print its public key
    Register {
        #[command(subcommand)]
        command: crate::register::RegisterCommand,
    },
    /// The counter's basket: add, show, remove, clear, pay
    Basket {
        #[command(subcommand)]
        command: crate::till::BasketCommand,
    },
    /// The till's shift: open with the float, status, X report, close with the cash counted
    Shift {
        #[command(subcommand)]
        command: crate::till::ShiftCommand,
    },
    /// Cash put into or taken out of the drawer (managers and owners)
    Cash {
        #[command(subcommand)]
        command: crate::till::CashCommand,
    },
    /// Till receipts: show, print
    Receipt {
        #[command(subcommand)]
        command: crate::till::ReceiptCommand,
    },
    /// Internet+ Box payments: sessions, the signed return, confirm, cancel, refund, offers
    Pay {
        #[command(subcommand)]
        command: PayCommand,
    },
    /// Internet+ Box subscriptions: confirm, consult, terminate, list a customer's
    Subs {
        #[command(subcommand)]
        command: SubsCommand,
    },
    /// Orange Anomalie Adresse: file, follow and close fibre address anomaly tickets
    Ticket {
        #[command(subcommand)]
        command: TicketCommand,
    },
    /// Several counters: this counter's sharing with the shop's database
    Share {
        #[command(subcommand)]
        command: ShareCommand,
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
        /// Record them as live sales (one in fifty training), for a benchmark's journal: only into an empty journal
        #[arg(long)]
        live: bool,
        /// Instead of orders: this many paid till receipts with their register records (signed, chained, each
        /// day closed as it passes), for the register's benchmark: only into a journal without receipts
        #[arg(long, conflicts_with_all = ["orders", "live"])]
        receipts: Option<usize>,
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
pub struct OrderArgs {
    /// Words to find in customer reference, phone, SIM id, ICCID, product, provider reference
    #[arg(long)]
    pub search: Option<String>,
    #[arg(long)]
    pub provider: Option<ProviderId>,
    /// pending, processing, delivered, failed, unknown, refunded, cancelled
    #[arg(long)]
    pub status: Option<comptoir::journal::OrderStatus>,
    /// esim, topup, giftcard, payment, subscription, ticket
    #[arg(long)]
    pub kind: Option<comptoir::journal::OrderKind>,
    /// First day included (YYYY-MM-DD, local time)
    #[arg(long, value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    /// Last day included (YYYY-MM-DD, local time)
    #[arg(long, value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    /// newest (default), oldest, highest or lowest amount
    #[arg(long, default_value = "newest")]
    pub sort: comptoir::journal::Sort,
    /// At most this many orders (default 100)
    #[arg(long)]
    pub limit: Option<u32>,
    /// Only the orders this cashier sold
    #[arg(long, value_name = "NAME")]
    pub cashier: Option<String>,
    /// Every counter's orders, from the shop's database (each with its counter)
    #[arg(long)]
    pub everywhere: bool,
}

#[derive(Subcommand)]
pub enum EsimCommand {
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
pub enum OffersCommand {
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
pub enum BalancesCommand {
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
pub enum KeysCommand {
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
pub enum SellCommand {
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
        #[command(flatten)]
        pay: crate::till::PayArgs,
    },
    /// Sell an eSIM: prints the order; `comptoir order qr ID --out FILE` writes its QR code
    Esim {
        /// Offer id, as `comptoir catalog --type esim` lists it
        #[arg(long)]
        offer: String,
        #[arg(long)]
        customer: Option<String>,
        #[command(flatten)]
        pay: crate::till::PayArgs,
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
        #[command(flatten)]
        pay: crate::till::PayArgs,
    },
}

#[derive(Subcommand)]
pub enum GiftcardsCommand {
    /// Amilon's contract: status, dates, countries, limit per order (last known when offline)
    Contract,
    /// Retailers of the last sync, with those the shop hides
    Retailers,
    /// Stop selling a retailer's cards (by its id or name, as `giftcards retailers` lists it)
    Hide { retailer: String },
    /// Sell a hidden retailer's cards again (by its id or name)
    Show { retailer: String },
    /// The face values the shop offers, in euros; without values, the list as it is
    FaceValues {
        values: Vec<f64>,
        /// Offer every face value again (forgets the list)
        #[arg(long, conflicts_with = "values")]
        all: bool,
    },
}

#[derive(Subcommand)]
pub enum OrderCommand {
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
pub enum ExportCommand {
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
pub enum ImportCommand {
    /// The journal's own CSV (`,` or `;`); orders already present are skipped
    Orders { file: PathBuf },
}

#[derive(Subcommand)]
pub enum PayCommand {
    /// Opens a payment session: prints the order, the payment page's URL, the operator and the expiry
    Session {
        /// The offer's id in W-HA's console (`ID Offre`)
        #[arg(long)]
        offer: String,
        /// The customer's public IP address (on their Orange or Bouygues Telecom connection)
        #[arg(long = "client-ip")]
        client_ip: String,
        /// The shop's reference for the customer (name, ticket number)
        #[arg(long)]
        customer: Option<String>,
    },
    /// Verifies a signed return URL and records the authorization (never confirms)
    Return { url: String },
    /// Confirms an authorized payment (the customer is billed), delivering what the offer sells first
    Confirm {
        /// The order id or W-HA's transaction id
        id: String,
    },
    /// Cancels an authorized payment (the customer is not billed)
    Cancel { id: String },
    /// Asks W-HA about a payment and brings the order up to date
    Consult { id: String },
    /// Refunds a confirmed payment, once, for its whole amount
    Refund {
        id: String,
        /// One of W-HA's twelve reasons (EDITOR_NOT_DELIVERED, EDITOR_EXPECTATION, ...)
        #[arg(long)]
        reason: String,
        /// Why, in words (W-HA requires it)
        #[arg(long)]
        comment: String,
    },
    /// The shop's Internet+ offers (Settings)
    Offers,
    /// Adds or replaces an offer in Settings
    Offer {
        /// The console's offer id
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// In euros (4.99)
        #[arg(long)]
        amount: String,
        /// For a subscription: WEEKLY, MONTHLY...
        #[arg(long)]
        period: Option<String>,
        /// What it sells, delivered before confirming: orange-travel:OFFER or amilon:PRODUCT
        #[arg(long)]
        sells: Option<String>,
        /// Remove this offer from Settings instead
        #[arg(long, conflicts_with_all = ["period", "sells"])]
        remove: bool,
    },
}

/// The TMF query language's filters, as `ticket list` and `ticket count` take them.
#[derive(clap::Args)]
pub struct TicketQuery {
    /// A filter `field[operator]=value` (`status[in]=ACKNOWLEDGED,PENDING`,
    /// `relatedEntity.id=IMB/09001/X/000E`, `acknowledgedDuration[gt,num]=3`);
    /// repeat it for several, sent in the order given
    #[arg(long = "filter", value_name = "FIELD[OP]=VALUE")]
    pub filters: Vec<String>,
}

#[derive(Subcommand)]
pub enum TicketCommand {
    /// Checks a ticket (the AnomalieAdresse JSON of the OpenAPI) against the document's rules, then files it
    New {
        #[arg(long)]
        file: PathBuf,
        /// Who asked at the counter (kept in Comptoir only, never sent)
        #[arg(long)]
        customer: Option<String>,
    },
    /// The operator's list with exactly the parameters given (the total from X-Total-Count); the cache when offline
    List {
        #[command(flatten)]
        query: TicketQuery,
        /// Sort keys, `+name,-id` (ascending unless prefixed by `-`)
        #[arg(long, allow_hyphen_values = true)]
        sort: Option<String>,
        /// The first-level fields to return, `id,status,name`
        #[arg(long)]
        fields: Option<String>,
        #[arg(long)]
        offset: Option<u64>,
        /// At most 100 (the operator's default is 50)
        #[arg(long)]
        limit: Option<u64>,
    },
    /// How many tickets the filters match (HEAD, X-Total-Count)
    Count {
        #[command(flatten)]
        query: TicketQuery,
    },
    /// The tickets kept in Comptoir the words match (building, address, customer, id), offline
    Search {
        text: String,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[arg(long, default_value_t = 0)]
        offset: i64,
    },
    /// One ticket: status, history, deadline, notes, attachments, what the shop may do
    Show { id: String },
    /// Adds the shop's note
    Note { id: String, text: String },
    /// Attaches a file (csv, jpeg, jpg, png, svg, pdf, ods, odt, xlsx, docx): a plan, a photo of the address plate
    Attach {
        id: String,
        file: PathBuf,
        #[arg(long)]
        description: Option<String>,
    },
    /// Downloads an attachment
    Attachment {
        id: String,
        attachment: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Cancels the ticket (the request is no longer needed)
    Cancel {
        id: String,
        /// Why, in words (statusChangeDetails)
        #[arg(long)]
        reason: Option<String>,
    },
    /// Accepts the operator's resolution: the ticket is closed
    Accept {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Refuses the operator's resolution: the ticket goes back for another round
    Refuse {
        id: String,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Answers the operator's request for information (a note, then the ticket back to the operator)
    Answer { id: String, text: String },
    /// Polls the operator's event feed and refreshes the tickets Comptoir follows
    Sync,
}

#[derive(Subcommand)]
pub enum SubsCommand {
    /// Confirms a pending subscription (within 24 hours)
    Confirm { sub: String },
    /// A subscription as W-HA has it
    Consult { sub: String },
    /// Ends a subscription now, or at the end of the period under way
    Terminate {
        sub: String,
        #[arg(long)]
        at_due: bool,
    },
    /// A customer's active and pending subscriptions
    List {
        /// W-HA's user id of the customer
        #[arg(long)]
        user: String,
    },
}

#[derive(Subcommand)]
pub enum ReportCommand {
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
        /// Only this cashier's sales
        #[arg(long, value_name = "NAME")]
        cashier: Option<String>,
        /// The shop's report: every counter's sales, from the shop's database
        #[arg(long)]
        everywhere: bool,
    },
}

#[derive(Subcommand)]
pub enum ShareCommand {
    /// Where this counter stands with the shop's database (JSON)
    Status,
    /// Push what waits now (exit 4 when the database cannot be reached)
    Push,
}

#[derive(Subcommand)]
pub enum ConfigCommand {
    /// Print one setting, or all of them
    Get { key: Option<String> },
    /// Set a setting (secrets are refused here: use `comptoir secret set`)
    Set { key: String, value: String },
    /// Remove a setting
    Unset { key: String },
}

#[derive(Subcommand)]
pub enum SecretCommand {
    /// Store a secret, e.g. `orange_travel.client_secret`; the value comes from standard input
    Set { name: String },
    /// Remove a secret
    Delete { name: String },
}

pub fn parse_day(s: &str) -> std::result::Result<NaiveDate, String> {
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
            cashier: a.cashier.clone(),
        }
    }
}

#[derive(Args)]
pub struct CatalogArgs {
    #[arg(long)]
    pub provider: Option<ProviderId>,
    /// esim, topup or giftcard
    #[arg(long = "type", value_parser = ["esim", "topup", "giftcard"])]
    pub item_type: Option<String>,
    #[arg(long)]
    pub search: Option<String>,
    /// ISO code of a country the item must cover (FR, US, ...)
    #[arg(long)]
    pub country: Option<String>,
    /// Gift cards: a category (e-commerce, retail, gaming, ...)
    #[arg(long)]
    pub category: Option<String>,
    /// Supplier name, any case (Orange France, Welcome Travelers, ...)
    #[arg(long)]
    pub supplier: Option<String>,
    /// At least this many GB of data
    #[arg(long)]
    pub min_data: Option<f64>,
    /// Valid at least this many days
    #[arg(long)]
    pub min_days: Option<f64>,
}

#[derive(Args)]
pub struct TransactionsArgs {
    #[arg(long, value_parser = parse_day)]
    pub from: Option<NaiveDate>,
    #[arg(long, value_parser = parse_day)]
    pub to: Option<NaiveDate>,
    #[arg(long)]
    pub offer: Option<String>,
    /// The order id sent as `user_id`
    #[arg(long)]
    pub user: Option<String>,
    /// created, pending, ok, ko or expired
    #[arg(long)]
    pub status: Option<String>,
    /// Supplier name (Orange France, any case) or Orange's id for it
    #[arg(long)]
    pub supplier: Option<String>,
    /// Only the number of matching transactions
    #[arg(long, conflicts_with = "csv")]
    pub count: bool,
    /// Write Orange's CSV to this file
    #[arg(long, value_name = "FILE.csv")]
    pub csv: Option<PathBuf>,
}

#[derive(Subcommand)]
pub enum CashierCommand {
    /// Add an account (its PIN on standard input); the first is an owner
    Add {
        name: String,
        #[arg(long, value_parser = ["owner", "manager", "cashier"])]
        role: String,
    },
    /// The accounts: name, role, active
    List,
    /// Disable an account (history keeps its name)
    Disable { name: String },
    /// Set a new PIN (standard input): one's own, or anyone's by an owner
    Pin { name: String },
    /// Rename an account
    Rename { name: String, new_name: String },
    /// The latest entries of the audit trail: sign-ins, refusals, approvals
    Audit {
        #[arg(long, default_value_t = 50)]
        limit: i64,
    },
}
