//! The `comptoir` command line: parses arguments, calls the core, prints.
//! No logic of its own (see `shared/spec/cli.md` for the contract). Each
//! command group has its module; this one only dispatches.

mod args;
mod giftcards;
mod orange;
mod orders;
mod output;
mod payments;
mod sales;
mod shop;
mod tickets;

use args::{Cli, Command};
use clap::Parser;
use comptoir::{Comptoir, Error, Options, Result};
use output::Output;
use serde_json::json;

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
        share_training: false,
    })
    .await?;
    let out = Output { json: cli.json };
    let (app, out) = (&app, &out);
    match cli.command {
        Command::Status => shop::status(app, out).await,
        Command::Sim { port } => shop::sim(app, port).await,
        Command::Sync { provider } => shop::sync(app, out, &provider).await,
        Command::Config { command } => shop::config(app, out, command),
        Command::Secret { command } => shop::secret(app, out, command),
        Command::Seed { orders, days } => shop::seed(app, out, orders, days).await,
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
        Command::Pay { command } => payments::pay(app, out, command).await,
        Command::Subs { command } => payments::subs(app, out, command).await,
        Command::Ticket { command } => tickets::ticket(app, out, command).await,
    }
}
