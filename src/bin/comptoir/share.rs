//! `comptoir share …` and the `--everywhere` views: several counters on
//! the shop's database (`comptoir::app::share`).

use crate::args::ShareCommand;
use crate::output::{order_line, Output};
use comptoir::journal::OrderFilter;
use comptoir::{Comptoir, Result};

pub async fn share(app: &Comptoir, out: &Output, command: ShareCommand) -> Result<()> {
    match command {
        // JSON whatever the flag (the contract says so): scripts read it.
        ShareCommand::Status => {
            let s = comptoir::app::share::status(app, true).await?;
            Output { json: true }.print(&s, Vec::new)
        }
        ShareCommand::Push => {
            let p = comptoir::app::share::push(app, std::time::Duration::from_secs(600)).await?;
            out.print(&p, || {
                let vars = [
                    ("sent", p.sent.to_string()),
                    ("new", p.received.inserted.to_string()),
                    ("updated", p.received.updated.to_string()),
                    ("same", p.received.same.to_string()),
                    ("conflicts", p.received.conflicts.to_string()),
                    ("unsent", p.unsent.to_string()),
                ];
                vec![crate::output::say_with("cli.share.pushed", &vars)]
            })
        }
    }
}

/// `comptoir orders --everywhere`: every counter's orders, with the
/// counter; offline, this counter's own, said on standard error.
pub async fn orders_everywhere(app: &Comptoir, out: &Output, filter: &OrderFilter) -> Result<()> {
    let e = comptoir::app::share::orders_everywhere(app, filter).await?;
    if let Some(why) = &e.offline {
        eprintln!(
            "{}",
            crate::output::say_with("cli.share.only_here", &[("why", why.to_string())])
        );
    }
    out.print(&e.orders, || {
        e.orders
            .iter()
            .map(|o| format!("{:<8} {}", o.counter, order_line(&o.order)))
            .collect()
    })
}
