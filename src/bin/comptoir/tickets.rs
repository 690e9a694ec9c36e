//! Orange Anomalie Adresse's commands: file a ticket, list and count the
//! operator's (the TMF query language, sent as given), follow one, add
//! notes and attachments, the shop's actions, the event feed.

use crate::args::{TicketCommand, TicketQuery};
use crate::output::Output;
use comptoir::providers::anomalie_adresse::lifecycle::ShopAction;
use comptoir::tickets::{self, TicketList, TicketView};
use comptoir::{Comptoir, Error, Result};
use serde_json::json;

/// The ticket file's size cap: a ticket is a few kilobytes.
const MAX_TICKET_FILE: u64 = 1024 * 1024;

fn summary(v: &TicketView) -> String {
    let t = &v.ticket;
    let due = v
        .deadline
        .as_ref()
        .map(|d| format!("  due {} ({})", crate::output::when(&d.due), d.state.replace('_', " ")))
        .unwrap_or_default();
    format!(
        "{}  {:<12} {:<30} {}  {}{}{}",
        v.id,
        t.status.as_deref().unwrap_or("?"),
        t.kind.as_deref().unwrap_or("").trim_start_matches("AnomalieAdresse."),
        v.buildings.first().map(String::as_str).unwrap_or("-"),
        v.address,
        due,
        if v.training { "  [training]" } else { "" }
    )
}

fn details(v: &TicketView) -> Vec<String> {
    let t = &v.ticket;
    let mut lines = vec![summary(v)];
    let mut field = |label: &str, value: Option<&str>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            lines.push(format!("  {label}: {x}"));
        }
    };
    field("name", t.name.as_deref());
    field("reference", t.external_id.as_deref());
    field("customer", v.customer.as_deref());
    field("complexity", t.complexity.as_deref());
    field("reason", t.status_change_reason.as_deref());
    field("details", t.status_change_details.as_deref());
    let expected = t.expected_resolution_date.as_deref().map(crate::output::when);
    field("expected by the operator", expected.as_deref());
    if let Some(d) = &v.deadline {
        lines.push(format!(
            "  deadline ({} case): {} from {} — {}",
            d.case,
            crate::output::when(&d.due),
            crate::output::when(&d.starts),
            d.state.replace('_', " ")
        ));
    }
    lines.push("  history:".into());
    for c in &t.status_change {
        let reason = c
            .change_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        lines.push(format!(
            "    {}  {}{}  by {}",
            c.change_date.as_deref().unwrap_or("?"),
            c.status.as_deref().unwrap_or("?"),
            reason,
            c.author.as_deref().unwrap_or("?")
        ));
    }
    for n in &v.notes {
        lines.push(format!(
            "  note {} ({}): {}",
            n.date.as_deref().unwrap_or(""),
            n.author.as_deref().unwrap_or(""),
            n.text.as_deref().unwrap_or("")
        ));
    }
    for a in &v.attachments {
        lines.push(format!(
            "  attachment {}  {}  {} bytes",
            a.id.as_deref().unwrap_or("?"),
            a.name.as_deref().unwrap_or(""),
            a.size.unwrap_or(0)
        ));
    }
    let actions: Vec<&str> = v.actions.iter().map(|a| a.as_str()).collect();
    lines.push(format!(
        "  the shop may: {}",
        if actions.is_empty() {
            "nothing more".into()
        } else {
            actions.join(", ")
        }
    ));
    if v.offline {
        lines.push(format!(
            "  (from Comptoir's copy of {}: the operator cannot be reached)",
            crate::output::when(&v.read_at)
        ));
    }
    lines
}

fn list_lines(l: &TicketList) -> Vec<String> {
    let mut lines: Vec<String> = l.items.iter().map(summary).collect();
    let total = l.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into());
    let from = match l.source.as_str() {
        "cache" => "Comptoir's copy (the operator cannot be reached)",
        "search" => "Comptoir's copy",
        _ => "the operator",
    };
    lines.push(format!("{} of {total} tickets, from {from}", l.items.len()));
    lines
}

fn read_ticket_file(path: &std::path::Path) -> Result<serde_json::Value> {
    // The one capped reader: a regular file of at most 1 MB (`/dev/zero`, a
    // FIFO or a link to a device is refused), a byte-order mark accepted.
    let text = comptoir::files::read_text_capped(path, MAX_TICKET_FILE, "ticket.file")?;
    serde_json::from_str(&text)
        .map_err(|e| Error::invalid("ticket.file", format!("{} is not JSON: {e}", path.display())))
}

/// What `ticket list` was given, parsed by clap.
#[derive(Default)]
struct ListArgs {
    filters: Vec<String>,
    sort: Option<String>,
    fields: Option<String>,
    offset: Option<u64>,
    limit: Option<u64>,
}

/// The query options in the order they were typed (`filter`, `sort`...):
/// the API receives its parameters in the user's order.
fn typed_order(args: impl Iterator<Item = String>) -> Vec<&'static str> {
    let names = ["filter", "sort", "fields", "offset", "limit"];
    args.filter_map(|a| {
        let name = a.strip_prefix("--")?.split('=').next()?.to_string();
        names.iter().find(|n| **n == name).copied()
    })
    .collect()
}

impl ListArgs {
    /// The query, its parameters in `order` (then any not found there).
    fn in_order(self, order: &[&str]) -> Result<comptoir::providers::anomalie_adresse::query::Query> {
        let mut q = comptoir::providers::anomalie_adresse::query::Query::new();
        let mut filters = self.filters.into_iter();
        let (mut sort, mut fields, mut offset, mut limit) = (self.sort, self.fields, self.offset, self.limit);
        let all = ["filter", "sort", "fields", "offset", "limit"];
        for name in order.iter().chain(all.iter()) {
            q = match *name {
                "filter" => match filters.next() {
                    Some(f) => tickets::add_filter(q, &f)?,
                    None => q,
                },
                "sort" => match sort.take() {
                    Some(s) => q.sort(&s),
                    None => q,
                },
                "fields" => match fields.take() {
                    Some(f) => q.fields(&f),
                    None => q,
                },
                "offset" => match offset.take() {
                    Some(n) => q.offset(n),
                    None => q,
                },
                _ => match limit.take() {
                    Some(n) => q.limit(n),
                    None => q,
                },
            };
        }
        for f in filters {
            q = tickets::add_filter(q, &f)?;
        }
        Ok(q)
    }
}

pub async fn ticket(app: &Comptoir, out: &Output, command: TicketCommand) -> Result<()> {
    let show = |v: TicketView| out.print(&v, || details(&v));
    let act = |id: String, action: ShopAction, reason: Option<String>| async move {
        tickets::act(app, &id, action, reason.as_deref()).await
    };
    match command {
        TicketCommand::New { file, customer } => show(tickets::create(app, read_ticket_file(&file)?, customer).await?),
        TicketCommand::List {
            query,
            sort,
            fields,
            offset,
            limit,
        } => {
            let given = ListArgs {
                filters: query.filters,
                sort,
                fields,
                offset,
                limit,
            };
            let q = given.in_order(&typed_order(std::env::args()))?;
            let l = tickets::list(app, &q).await?;
            out.print(&l, || list_lines(&l))
        }
        TicketCommand::Count {
            query: TicketQuery { filters },
        } => {
            let q = ListArgs {
                filters,
                ..Default::default()
            }
            .in_order(&[])?;
            let n = tickets::count(app, &q).await?;
            out.print(&json!({"total": n}), || vec![n.to_string()])
        }
        TicketCommand::Search { text, limit, offset } => {
            let l = tickets::search(app, &text, limit, offset).await?;
            out.print(&l, || list_lines(&l))
        }
        TicketCommand::Show { id } => show(tickets::show(app, &id).await?),
        TicketCommand::Note { id, text } => {
            let n = tickets::note(app, &id, &text).await?;
            out.print(&n, || vec![format!("note {} added", n.id.as_deref().unwrap_or(""))])
        }
        TicketCommand::Attach { id, file, description } => {
            let a = tickets::attach(app, &id, &file, description.as_deref()).await?;
            out.print(&a, || {
                vec![format!(
                    "attachment {} added ({} bytes)",
                    a.id.as_deref().unwrap_or(""),
                    a.size.unwrap_or(0)
                )]
            })
        }
        TicketCommand::Attachment {
            id,
            attachment,
            out: path,
        } => {
            let n = tickets::download(app, &id, &attachment, &path).await?;
            out.print(&json!({"file": path, "bytes": n}), || {
                vec![format!("{} written ({n} bytes)", path.display())]
            })
        }
        TicketCommand::Cancel { id, reason } => show(act(id, ShopAction::Cancel, reason).await?),
        TicketCommand::Accept { id, reason } => show(act(id, ShopAction::Accept, reason).await?),
        TicketCommand::Refuse { id, reason } => show(act(id, ShopAction::Refuse, reason).await?),
        TicketCommand::Answer { id, text } => show(tickets::answer(app, &id, &text).await?),
        TicketCommand::Sync => {
            let r = tickets::sync(app).await?;
            out.print(&r, || {
                let mut lines = vec![format!(
                    "{} events read; {} tickets refreshed",
                    r.events,
                    r.tickets.len()
                )];
                lines.extend(r.tickets.iter().map(|t| format!("  {t}")));
                lines
            })
        }
    }
}
