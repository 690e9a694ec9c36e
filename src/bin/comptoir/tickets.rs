//! Orange Anomalie Adresse's commands: file a ticket, list and count the
//! operator's (the TMF query language, sent as given), follow one, add
//! notes and attachments, the shop's actions, the event feed.

use crate::args::{TicketCommand, TicketQuery};
use crate::output::{label, say, say_with, Output};
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
        .map(|d| {
            let vars = [
                ("due", crate::output::when(&d.due)),
                ("state", deadline_state(&d.state, &d.due)),
            ];
            format!("  {}", say_with("cli.ticket.due", &vars))
        })
        .unwrap_or_default();
    format!(
        "{}  {:<12} {:<30} {}  {}{}{}",
        v.id,
        t.status
            .as_deref()
            .map(|s| say(&format!("tstatus.{s}")))
            .unwrap_or_else(|| "?".into()),
        t.kind.as_deref().unwrap_or("").trim_start_matches("AnomalieAdresse."),
        v.buildings.first().map(String::as_str).unwrap_or("-"),
        v.address,
        due,
        if v.training {
            format!("  {}", say("cli.training"))
        } else {
            String::new()
        }
    )
}

fn details(v: &TicketView) -> Vec<String> {
    let t = &v.ticket;
    let mut lines = vec![summary(v)];
    let mut field = |label_key: &str, value: Option<&str>| {
        if let Some(x) = value.filter(|x| !x.is_empty()) {
            lines.push(format!("  {}{x}", label(label_key)));
        }
    };
    field("cli.ticket.name", t.name.as_deref());
    field("cli.ticket.reference", t.external_id.as_deref());
    field("cli.ticket.customer", v.customer.as_deref());
    field("cli.ticket.complexity", t.complexity.as_deref());
    field("cli.ticket.reason", t.status_change_reason.as_deref());
    field("cli.ticket.details", t.status_change_details.as_deref());
    let expected = t.expected_resolution_date.as_deref().map(crate::output::when);
    field("cli.ticket.expected", expected.as_deref());
    if let Some(d) = &v.deadline {
        let vars = [
            ("case", say(&format!("deadline.case.{}", d.case))),
            ("due", crate::output::when(&d.due)),
            ("starts", crate::output::when(&d.starts)),
            ("state", deadline_state(&d.state, &d.due)),
        ];
        lines.push(format!("  {}", say_with("cli.ticket.deadline", &vars)));
    }
    lines.push(format!("  {}", label("cli.ticket.history").trim_end()));
    for c in &t.status_change {
        let reason = c
            .change_reason
            .as_deref()
            .map(|r| format!(" ({r})"))
            .unwrap_or_default();
        let by = [("author", c.author.clone().unwrap_or_else(|| "?".into()))];
        lines.push(format!(
            "    {}  {}{}  {}",
            c.change_date.as_deref().map_or_else(|| "?".into(), crate::output::when),
            c.status
                .as_deref()
                .map(|s| say(&format!("tstatus.{s}")))
                .unwrap_or_else(|| "?".into()),
            reason,
            say_with("cli.ticket.by", &by)
        ));
    }
    for n in &v.notes {
        let vars = [
            ("at", n.date.as_deref().map(crate::output::when).unwrap_or_default()),
            ("author", n.author.clone().unwrap_or_default()),
            ("text", n.text.clone().unwrap_or_default()),
        ];
        lines.push(format!("  {}", say_with("cli.ticket.note", &vars)));
    }
    for a in &v.attachments {
        let vars = [
            ("id", a.id.clone().unwrap_or_else(|| "?".into())),
            ("name", a.name.clone().unwrap_or_default()),
            ("size", a.size.unwrap_or(0).to_string()),
        ];
        lines.push(format!("  {}", say_with("cli.ticket.attachment", &vars)));
    }
    let actions: Vec<String> = v
        .actions
        .iter()
        .map(|a| say(&format!("ticket.action.{}", a.as_str())))
        .collect();
    let actions = if actions.is_empty() {
        say("cli.ticket.nothing_more")
    } else {
        actions.join(", ")
    };
    lines.push(format!("  {}", say_with("cli.ticket.may", &[("actions", actions)])));
    if v.offline {
        let at = [("at", crate::output::when(&v.read_at))];
        lines.push(format!("  {}", say_with("cli.ticket.offline", &at)));
    }
    lines
}

fn list_lines(l: &TicketList) -> Vec<String> {
    let mut lines: Vec<String> = l.items.iter().map(summary).collect();
    let total = l.total.map(|t| t.to_string()).unwrap_or_else(|| "?".into());
    let from = match l.source.as_str() {
        "cache" => "cli.ticket.from_cache",
        "search" => "cli.ticket.from_search",
        _ => "cli.ticket.from_operator",
    };
    let vars = [("n", l.items.len().to_string()), ("total", total), ("from", say(from))];
    lines.push(say_with("cli.ticket.listed", &vars));
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
            out.print(&n, || {
                vec![say_with(
                    "cli.ticket.note_added",
                    &[("id", n.id.clone().unwrap_or_default())],
                )]
            })
        }
        TicketCommand::Attach { id, file, description } => {
            let a = tickets::attach(app, &id, &file, description.as_deref()).await?;
            out.print(&a, || {
                let vars = [
                    ("id", a.id.clone().unwrap_or_default()),
                    ("size", a.size.unwrap_or(0).to_string()),
                ];
                vec![say_with("cli.ticket.attached", &vars)]
            })
        }
        TicketCommand::Attachment {
            id,
            attachment,
            out: path,
        } => {
            let n = tickets::download(app, &id, &attachment, &path).await?;
            out.print(&json!({"file": path, "bytes": n}), || {
                vec![say_with(
                    "cli.ticket.written",
                    &[("path", path.display().to_string()), ("size", n.to_string())],
                )]
            })
        }
        TicketCommand::Cancel { id, reason } => show(act(id, ShopAction::Cancel, reason).await?),
        TicketCommand::Accept { id, reason } => show(act(id, ShopAction::Accept, reason).await?),
        TicketCommand::Refuse { id, reason } => show(act(id, ShopAction::Refuse, reason).await?),
        TicketCommand::Answer { id, text } => show(tickets::answer(app, &id, &text).await?),
        TicketCommand::Sync => {
            let r = tickets::sync(app).await?;
            out.print(&r, || {
                let vars = [
                    ("events", r.events.to_string()),
                    ("tickets", r.tickets.len().to_string()),
                ];
                let mut lines = vec![say_with("cli.ticket.synced", &vars)];
                lines.extend(r.tickets.iter().map(|t| format!("  {t}")));
                lines
            })
        }
    }
}

/// A deadline's state in the shop's words (`dans les temps, avant le …`).
fn deadline_state(state: &str, due: &str) -> String {
    say_with(&format!("deadline.{state}"), &[("date", crate::output::when(due))])
}
