//! The `comptoir` command line: parses arguments, calls the core, prints.
//! No logic of its own (see `shared/spec/cli.md` for the contract). Each
//! command group has its module; this one only dispatches.

mod args;
mod help;

/// See Cargo.toml: the register's verification spent a third of its time
/// in glibc's allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
mod cashiers;
mod giftcards;
mod input;
mod orange;
mod orders;
mod output;
mod payments;
mod register;
mod sales;
mod share;
mod shop;
mod tickets;
mod till;

use args::{Cli, Command};
use clap::FromArgMatches;
use comptoir::{Comptoir, Error, Options, Result};
use output::Output;
use serde_json::json;

fn main() {
    comptoir::files::keep_private();
    // The shop's language before the arguments are read: `--help` and
    // clap's refusals speak it too.
    output::set_lang(early_language().as_deref());
    let parsed = help::command(output::lang())
        .try_get_matches_from(help_as_flag(std::env::args().collect()))
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => bad_arguments(e),
    };
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

/// Arguments clap refuses: with `--json`, one JSON error on stderr like
/// every other failure (exit 2); help and version print as clap prints them.
fn bad_arguments(e: clap::Error) -> ! {
    use clap::error::ErrorKind as K;
    let json = std::env::args()
        .skip(1)
        .take_while(|a| a != "--")
        .any(|a| a == "--json");
    let shown = matches!(
        e.kind(),
        K::DisplayHelp | K::DisplayVersion | K::DisplayHelpOnMissingArgumentOrSubcommand
    );
    if !json && !shown {
        if let Some(text) = help::refusal(&e).filter(|_| output::lang() == "fr") {
            eprintln!("{text}");
            std::process::exit(2);
        }
    }
    if !json || shown {
        e.exit();
    }
    let text = e.render().to_string();
    let message = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("bad arguments")
        .trim_start_matches("error: ");
    let err = Error::invalid("cli.bad_arguments", message.to_string()).with("usage", text.trim().to_string());
    report(&err, true);
    std::process::exit(err.kind.exit_code());
}

/// The shop's language from its settings (the data folder `--data-dir` or
/// the environment names), else the system's until the shop chooses.
fn early_language() -> Option<String> {
    let args: Vec<String> = std::env::args().skip(1).take_while(|a| a != "--").collect();
    let explicit = args
        .iter()
        .enumerate()
        .find_map(|(i, a)| match a.strip_prefix("--data-dir") {
            Some("") => args.get(i + 1).cloned(),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        });
    let dir = comptoir::paths::data_dir(explicit.as_deref().map(std::path::Path::new));
    comptoir::settings::Settings::load(&comptoir::paths::settings_path(&dir))
        .ok()
        .and_then(|s| s.get_str(comptoir::settings::LOCALE).map(str::to_string))
        .or_else(|| comptoir::settings::system_language().map(str::to_string))
}

/// `comptoir help sell topup` read as `comptoir sell topup --help`, in
/// every language (the French help has no `help` command of clap's).
fn help_as_flag(mut args: Vec<String>) -> Vec<String> {
    let mut i = 1;
    // Past the global options and their values.
    while let Some(a) = args.get(i) {
        match a.as_str() {
            "--data-dir" | "--approve" => i += 2,
            "--json" | "--training" => i += 1,
            a if a.starts_with("--data-dir=") || a.starts_with("--approve=") => i += 1,
            _ => break,
        }
    }
    if args.get(i).is_some_and(|a| a == "help") {
        args.remove(i);
        args.push("--help".into());
    }
    args
}

fn report(e: &Error, json: bool) {
    if json {
        eprintln!("{}", json!({ "error": e }));
        return;
    }
    // In the shop's language, from the window's own table (types::words).
    let lang = output::lang();
    let mut text = comptoir::types::words::error(lang, e);
    if let Some(p) = &e.provider {
        text.push_str(&format!(" ({} {})", p.code, p.message));
    }
    eprintln!(
        "{}{}",
        output::label("cli.error"),
        comptoir::types::text::printable(&text)
    );
    if e.kind == comptoir::ErrorKind::UnknownOutcome {
        eprintln!("{}", output::say("cli.unknown_outcome"));
    }
}

async fn run(cli: Cli) -> Result<()> {
    let data_dir = comptoir::paths::data_dir(cli.data_dir.as_deref());
    // Logging is not worth refusing a command for: in a read-only data
    // folder, reading the journal still works (without a log file).
    let _log = comptoir::logging::init(&data_dir).ok();
    let opened = Comptoir::open(Options {
        data_dir: Some(data_dir.clone()),
        training: cli.training,
        secret_store: None,
        share_training: false,
    })
    .await;
    let app = match opened {
        Ok(app) => app,
        // `status` always answers: what it can say, then why the folder
        // cannot be used (exit 2).
        Err(e) if matches!(cli.command, Command::Status) => {
            return shop::status_unopened(&Output { json: cli.json }, &data_dir, e)
        }
        Err(e) => return Err(e),
    };
    let out = Output { json: cli.json };
    let shares = !matches!(
        cli.command,
        Command::Config { .. } | Command::Secret { .. } | Command::Status | Command::Share { .. } | Command::Sim { .. }
    );
    if shares {
        // A shop database set without a counter code: refused (exit 2).
        comptoir::app::share::target(&app)?;
    }
    let mark = comptoir::app::share::outbox_mark(&app).await;
    let done = dispatch(&app, &out, cli).await;
    // What the command wrote goes to the shop's database now, for a
    // moment at most; a database that does not answer fails nothing.
    if shares && comptoir::app::share::outbox_mark(&app).await > mark {
        if let Some(warning) = comptoir::app::share::push_after(&app).await {
            eprintln!("{warning}");
        }
    }
    // The last connection closed merges and removes the write-ahead log, so
    // the folder reads as it is even if its disk is next mounted read-only.
    app.journal.close().await;
    done
}

async fn dispatch(app: &Comptoir, out: &Output, cli: Cli) -> Result<()> {
    cashiers::act(app, &cli.command, cli.approve.as_deref()).await?;
    match cli.command {
        Command::Status => shop::status(app, out).await,
        Command::Login { name } => cashiers::login(app, out, &name).await,
        Command::Logout => cashiers::logout(app, out).await,
        Command::Whoami => cashiers::whoami(app, out),
        Command::Cashier { command } => cashiers::cashier(app, out, command).await,
        Command::Sim { port, env } => shop::sim(app, port, env).await,
        Command::Sync { provider } => shop::sync(app, out, &provider).await,
        Command::Config { command } => shop::config(app, out, command),
        Command::Secret { command } => shop::secret(app, out, command),
        Command::Seed {
            receipts: Some(receipts),
            days,
            ..
        } => shop::seed_receipts(app, out, receipts, days).await,
        Command::Seed { orders, days, live, .. } => shop::seed(app, out, orders, days, live).await,
        Command::Catalog(args) => sales::catalog(app, out, args).await,
        Command::Sell { command } => sales::sell(app, out, command).await,
        Command::Giftcards { command } => giftcards::giftcards(app, out, command).await,
        Command::Keys { command } => orange::keys(app, out, command).await,
        Command::Esim { command } => orange::esim(app, out, command).await,
        Command::Offers { command } => orange::offers(app, out, command).await,
        Command::Balances { command } => orange::balances(app, out, command).await,
        Command::Suppliers => orange::suppliers(app, out).await,
        Command::Transaction { id } => orange::transaction(app, out, id).await,
        Command::Transactions(args) => orange::transactions(app, out, args).await,
        Command::Orders(args) => orders::orders(app, out, args).await,
        Command::Order { command } => orders::order(app, out, command).await,
        Command::Reconcile => orders::reconcile(app, out).await,
        Command::Printers => orders::printers(out).await,
        Command::Export { command } => orders::export(app, out, command).await,
        Command::Import { command } => orders::import(app, out, command).await,
        Command::Report { command } => orders::report(app, out, command).await,
        Command::Register { command } => register::register(app, out, command).await,
        Command::Basket { command } => till::basket(app, out, command).await,
        Command::Shift { command } => till::shift(app, out, command).await,
        Command::Cash { command } => till::cash(app, out, command).await,
        Command::Receipt { command } => till::receipt(app, out, command).await,
        Command::Pay { command } => payments::pay(app, out, command).await,
        Command::Subs { command } => payments::subs(app, out, command).await,
        Command::Ticket { command } => tickets::ticket(app, out, command).await,
        Command::Share { command } => share::share(app, out, command).await,
    }
}
