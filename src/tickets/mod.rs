//! Fibre address anomaly tickets (Orange Anomalie Adresse) at the counter:
//! a customer's building is missing from, or wrong in, the operator's
//! building list; the shop files a ticket for the commercial operator and
//! follows it until it is closed, within the regulatory deadlines.
//!
//! Every ticket read is kept in the cache (`cache`), which the list and
//! the page show when the operator cannot be reached. A ticket is filed
//! with Comptoir's reference in `externalId` when it has none, so that a
//! creation whose answer was lost is found again rather than filed twice.
//! A change is sent with the `ETag` last read; a 412 re-reads the ticket
//! and says what changed, and the cashier applies again.

mod attachments;
pub mod cache;
pub mod deadline;

pub use attachments::{attach, attach_bytes, download, open_attachment, AttachmentContent, FILE_TYPES, MAX_FILE};

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::providers::anomalie_adresse::client::{Page, Read};
use crate::providers::anomalie_adresse::lifecycle::{self as lc, ShopAction};
use crate::providers::anomalie_adresse::model::{
    Attachment, Note, StatusChange, Ticket, EVENT_ATTACHMENT, EVENT_ATTACHMENT_UPDATE, EVENT_NOTE, EVENT_UPDATE,
};
use crate::providers::anomalie_adresse::query::Query;
use crate::providers::anomalie_adresse::{rules, Client};
use crate::types::ProviderId;
use deadline::Deadline;
use serde::Serialize;
use serde_json::Value;

const P: ProviderId = ProviderId::AnomalieAdresse;

/// The Anomalie Adresse client in force (training or live), and whether it is training.
pub async fn client(app: &Comptoir) -> Result<(Client, bool, Option<String>)> {
    let (config, training) = app.provider_config(P).await?;
    let code_oc = config.get("code_oc").filter(|c| !c.is_empty()).map(str::to_string);
    Ok((
        Client::new(&config, training, app.tokens(), app.http().clone())?,
        training,
        code_oc,
    ))
}

/// A ticket as the window and the CLI show it.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct TicketView {
    pub id: String,
    pub ticket: Ticket,
    pub address: String,
    pub buildings: Vec<String>,
    pub customer: Option<String>,
    pub training: bool,
    pub deadline: Option<Deadline>,
    /// What the shop may do now.
    pub actions: Vec<ShopAction>,
    pub notes: Vec<Note>,
    pub attachments: Vec<Attachment>,
    /// When Comptoir last read it from the operator.
    pub read_at: String,
    /// Shown from the cache: the operator could not be reached.
    pub offline: bool,
}

/// One page of tickets.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct TicketList {
    pub items: Vec<TicketView>,
    /// `X-Total-Count` online; the cache's count offline.
    #[ts(type = "number | null")]
    pub total: Option<u64>,
    #[ts(type = "number | null")]
    pub result_count: Option<u64>,
    /// `operator` (the API's filter language), `cache` (the same query on
    /// Comptoir's copy: the operator cannot be reached) or `search` (the
    /// full-text search of Comptoir's copy).
    pub source: String,
    /// The query string sent (online).
    pub query: String,
}

fn state(t: &Ticket) -> lc::State<'_> {
    lc::State {
        status: t.status.as_deref().unwrap_or(lc::ACKNOWLEDGED),
        complexity: t.complexity.as_deref(),
        requalified: t.requalified(),
    }
}

fn view(c: cache::Cached, notes: Vec<Note>, attachments: Vec<Attachment>, offline: bool) -> TicketView {
    let now = chrono::Utc::now();
    TicketView {
        id: c.ticket.id.clone().unwrap_or_default(),
        address: cache::address_line(&c.raw),
        buildings: c.ticket.buildings(),
        deadline: deadline::of(&c.ticket, now),
        actions: lc::shop_actions(&state(&c.ticket)),
        customer: c.customer,
        training: c.training,
        read_at: c.read_at,
        ticket: c.ticket,
        notes,
        attachments,
        offline,
    }
}

async fn cached_view(app: &Comptoir, id: &str, offline: bool) -> Result<TicketView> {
    let c = cache::get(&app.journal, id).await?.ok_or_else(|| unknown_ticket(id))?;
    let notes = cache::notes(&app.journal, id).await?;
    let attachments = cache::attachments(&app.journal, id).await?;
    Ok(view(c, notes, attachments, offline))
}

fn unknown_ticket(id: &str) -> Error {
    Error::invalid(
        "anomalie_adresse.unknown_ticket",
        format!("no ticket `{id}` in Comptoir; `comptoir ticket list` shows the operator's"),
    )
    .with("id", id)
}

fn is_offline(e: &Error) -> bool {
    e.kind == ErrorKind::Unavailable
}

/// Files a new ticket: checked locally first (nothing is sent when a
/// rule fails), `code_oc` from the shop's setting, `externalId` from
/// Comptoir when the ticket has none; `customer` is kept in the cache only.
pub async fn create(app: &Comptoir, ticket: Value, customer: Option<String>) -> Result<TicketView> {
    let customer = crate::sale::validate_customer_ref(customer)?;
    let (client, training, code_oc) = client(app).await?;
    let mut ticket = rules::prepare(ticket, code_oc.as_deref())?;
    let reference = match ticket.get("externalId").and_then(Value::as_str) {
        Some(r) => r.to_string(),
        None => {
            let r = crate::journal::new_order_id();
            ticket["externalId"] = Value::String(r.clone());
            r
        }
    };
    let read = match client.create(&ticket).await {
        Ok(read) => read,
        Err(e) if e.kind == ErrorKind::UnknownOutcome => find_filed(&client, &reference).await?.ok_or(e)?,
        Err(e) => return Err(e),
    };
    cache::put(
        &app.journal,
        &read.raw,
        read.etag.as_deref(),
        customer.as_deref(),
        training,
    )
    .await?;
    tracing::info!(id = ?read.ticket.id, %reference, "ticket filed");
    cached_view(app, read.ticket.id.as_deref().unwrap_or(""), false).await
}

/// A ticket filed with this reference, if the operator has it.
async fn find_filed(client: &Client, reference: &str) -> Result<Option<Read>> {
    let q = Query::new()
        .filter(&format!("externalId={reference}"))
        .map_err(|e| Error::invalid("anomalie_adresse.query", e.0))?;
    let page = client.list(&q).await?;
    match page.items.into_iter().next().and_then(|r| r.ticket.id) {
        Some(id) => client.get(&id).await.map(Some),
        None => Ok(None),
    }
}

/// Reads one ticket from the operator (with its notes and attachments)
/// into the cache; the cache alone when the operator cannot be reached.
pub async fn show(app: &Comptoir, id: &str) -> Result<TicketView> {
    let id = id.trim();
    let (client, training, _) = client(app).await?;
    match refresh(app, &client, training, id).await {
        Ok(()) => cached_view(app, id, false).await,
        Err(e) if is_offline(&e) && cache::get(&app.journal, id).await?.is_some() => cached_view(app, id, true).await,
        Err(e) => Err(e),
    }
}

async fn refresh(app: &Comptoir, client: &Client, training: bool, id: &str) -> Result<()> {
    let read = client.get(id).await?;
    cache::put(&app.journal, &read.raw, read.etag.as_deref(), None, training).await?;
    let notes = client.notes(id, &Query::new()).await?;
    cache::put_notes(&app.journal, id, &notes.items).await?;
    let attachments = client.attachments(id, &Query::new()).await?;
    cache::put_attachments(&app.journal, id, &attachments.items).await?;
    Ok(())
}

/// Adds one filter the user typed, checked before anything is sent.
/// The longest query string sent (choice: well under the 8 KB request line
/// that common servers accept). A longer one is bad input, refused before
/// anything is sent, never "unreachable" answered from the cache.
const MAX_QUERY: usize = 6000;

fn fits(q: &Query) -> Result<()> {
    let len = q.to_query_string().len();
    if len > MAX_QUERY {
        return Err(Error::invalid(
            "anomalie_adresse.query_too_long",
            format!("the filters make a query of {len} characters; the operator takes at most {MAX_QUERY}: use fewer or shorter filters"),
        )
        .with("length", len)
        .with("max", MAX_QUERY));
    }
    Ok(())
}

pub fn add_filter(q: Query, written: &str) -> Result<Query> {
    q.filter(written)
        .map_err(|e| Error::invalid("anomalie_adresse.query", format!("{e}")).with("filter", written))
}

/// A list query as the window sends it: the filters, then sort, fields,
/// offset and limit, in that order, each only when given.
#[derive(ts_rs::TS, Debug, Clone, Default, serde::Deserialize)]
pub struct ListQuery {
    pub filters: Vec<String>,
    pub sort: Option<String>,
    pub fields: Option<String>,
    #[ts(type = "number | null")]
    pub offset: Option<u64>,
    #[ts(type = "number | null")]
    pub limit: Option<u64>,
}

impl ListQuery {
    pub fn query(&self) -> Result<Query> {
        let mut q = Query::new();
        for f in &self.filters {
            q = add_filter(q, f)?;
        }
        if let Some(s) = self.sort.as_deref().filter(|s| !s.is_empty()) {
            q = q.sort(s);
        }
        if let Some(f) = self.fields.as_deref().filter(|f| !f.is_empty()) {
            q = q.fields(f);
        }
        if let Some(n) = self.offset {
            q = q.offset(n);
        }
        if let Some(n) = self.limit {
            q = q.limit(n);
        }
        Ok(q)
    }
}

/// The operator's list with exactly the query given; whole tickets are
/// kept in the cache. Offline, the same query is evaluated on the cache.
pub async fn list(app: &Comptoir, q: &Query) -> Result<TicketList> {
    let (client, training, _) = client(app).await?;
    fits(q)?;
    match client.list(q).await {
        Ok(page) => online_list(app, training, q, page).await,
        Err(e) if is_offline(&e) => offline_list(app, training, q).await,
        Err(e) => Err(e),
    }
}

async fn online_list(app: &Comptoir, training: bool, q: &Query, page: Page<Read>) -> Result<TicketList> {
    let whole = q.fields_value().is_none();
    let mut items = Vec::new();
    for read in page.items {
        let id = read.ticket.id.clone().unwrap_or_default();
        if whole && !id.is_empty() {
            // A list carries no ETag: the one last read stands while the
            // ticket is the same version; a newer one is named by its
            // `@version`, as the event feed's tickets are.
            let known = cache::get(&app.journal, &id).await?;
            let etag = match known {
                Some(k) if k.raw["@version"] == read.raw["@version"] => k.etag,
                _ => read.ticket.version.as_ref().map(|v| format!("\"{v}\"")),
            };
            cache::put(&app.journal, &read.raw, etag.as_deref(), None, training).await?;
            if let Some(k) = cache::get(&app.journal, &id).await? {
                items.push(view(k, vec![], vec![], false));
                continue;
            }
        }
        items.push(view(
            cache::Cached {
                raw: read.raw,
                ticket: read.ticket,
                etag: None,
                customer: None,
                training,
                read_at: crate::journal::now_rfc3339(),
            },
            vec![],
            vec![],
            false,
        ));
    }
    Ok(TicketList {
        items,
        total: page.total,
        result_count: page.result_count,
        source: "operator".into(),
        query: q.to_query_string(),
    })
}

async fn offline_list(app: &Comptoir, training: bool, q: &Query) -> Result<TicketList> {
    let all = cache::all(&app.journal, training).await?;
    let raws: Vec<Value> = all.iter().map(|c| c.raw.clone()).collect();
    let (page, total) = crate::providers::anomalie_adresse::query::answer(raws, q, u64::MAX, &["id", "@type"]);
    let mut items = Vec::new();
    for raw in page {
        let id = raw["id"].as_str().unwrap_or("").to_string();
        match all.iter().find(|c| c.ticket.id.as_deref() == Some(id.as_str())) {
            Some(c) if q.fields_value().is_none() => items.push(view(c.clone(), vec![], vec![], true)),
            _ => items.push(view(
                cache::Cached {
                    ticket: serde_json::from_value(raw.clone()).unwrap_or_default(),
                    raw,
                    etag: None,
                    customer: None,
                    training,
                    read_at: String::new(),
                },
                vec![],
                vec![],
                true,
            )),
        }
    }
    let n = items.len() as u64;
    Ok(TicketList {
        items,
        total: Some(total as u64),
        result_count: Some(n),
        source: "cache".into(),
        query: q.to_query_string(),
    })
}

/// The cached tickets the words match (building id, address, customer,
/// ticket id or name, reference): the counter's search, offline.
pub async fn search(app: &Comptoir, text: &str, limit: i64, offset: i64) -> Result<TicketList> {
    let training = matches!(app.mode(P)?, crate::config::Mode::Training);
    let (found, total) = cache::search(&app.journal, training, text, limit, offset).await?;
    let items: Vec<TicketView> = found.into_iter().map(|c| view(c, vec![], vec![], true)).collect();
    let n = items.len() as u64;
    Ok(TicketList {
        items,
        total: Some(total as u64),
        result_count: Some(n),
        source: "search".into(),
        query: String::new(),
    })
}

/// `HEAD`: how many tickets the filters match.
pub async fn count(app: &Comptoir, q: &Query) -> Result<u64> {
    fits(q)?;
    let (client, _, _) = client(app).await?;
    client.count(q).await
}

/// Adds the shop's note.
pub async fn note(app: &Comptoir, id: &str, text: &str) -> Result<Note> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Error::invalid("anomalie_adresse.empty_note", "a note needs some text"));
    }
    // What the shop types reaches the operator as typed: no control or
    // format characters (a terminal escape, U+202E), line breaks allowed.
    crate::types::text::check("the note", text, 4000, true)
        .map_err(|why| Error::invalid("anomalie_adresse.bad_text", why).with("field", "note"))?;
    let (client, _, _) = client(app).await?;
    let note = client.add_note(id.trim(), text).await?;
    cache::put_notes(&app.journal, id.trim(), std::slice::from_ref(&note)).await?;
    Ok(note)
}

/// One field that differs between two readings of a ticket.
#[derive(ts_rs::TS, Debug, Clone, Serialize, PartialEq)]
pub struct Change {
    pub field: String,
    #[ts(type = "unknown")]
    pub before: Value,
    #[ts(type = "unknown")]
    pub after: Value,
}

/// What changed between two readings (the first-level fields, bookkeeping aside).
pub fn changes(before: &Value, after: &Value) -> Vec<Change> {
    let skip = ["@version", "lastUpdateDate"];
    let empty = serde_json::Map::new();
    let (b, a) = (
        before.as_object().unwrap_or(&empty),
        after.as_object().unwrap_or(&empty),
    );
    let mut keys: Vec<&String> = b.keys().chain(a.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !skip.contains(&k.as_str()))
        .filter(|k| b.get(*k) != a.get(*k))
        .map(|k| Change {
            field: k.clone(),
            before: b.get(k).cloned().unwrap_or(Value::Null),
            after: a.get(k).cloned().unwrap_or(Value::Null),
        })
        .collect()
}

/// One of the shop's actions, sent with the ETag last read. Refused
/// locally when the lifecycle does not allow it now. When someone changed
/// the ticket meanwhile (412), the ticket is read again and the error says
/// what changed (`changes`); applying again uses the new reading.
pub async fn act(app: &Comptoir, id: &str, action: ShopAction, details: Option<&str>) -> Result<TicketView> {
    let id = id.trim();
    let (client, training, _) = client(app).await?;
    let known = allowed(app, &client, training, id, action).await?;
    let (to, reason) = action.target();
    let mut change = serde_json::json!({"status": to, "statusChangeReason": reason});
    if let Some(d) = details.map(str::trim).filter(|d| !d.is_empty()) {
        change["statusChangeDetails"] = Value::String(d.to_string());
    }
    match client.patch(id, &change, known.etag.as_deref()).await {
        Ok(read) => {
            cache::put(&app.journal, &read.raw, read.etag.as_deref(), None, training).await?;
            cached_view(app, id, false).await
        }
        Err(e) if e.code == "anomalie_adresse.stale" => {
            refresh(app, &client, training, id).await?;
            let now = cache::get(&app.journal, id).await?.ok_or_else(|| unknown_ticket(id))?;
            Err(stale(&known.raw, &now.raw))
        }
        Err(e) => Err(e),
    }
}

/// The ticket as last read, once the lifecycle allows the shop's `action`
/// on it; nothing is sent otherwise.
async fn allowed(
    app: &Comptoir,
    client: &Client,
    training: bool,
    id: &str,
    action: ShopAction,
) -> Result<cache::Cached> {
    if cache::get(&app.journal, id).await?.is_none() {
        refresh(app, client, training, id).await?;
    }
    let known = cache::get(&app.journal, id).await?.ok_or_else(|| unknown_ticket(id))?;
    let (to, reason) = action.target();
    if let Err(why) = lc::check(&state(&known.ticket), to, Some(reason), lc::Actor::Oc) {
        // Refused on what the shop last read; the operator may have moved
        // the ticket since. Read it again: still refused, say why; allowed
        // now, it changed under the cashier's eyes: say what changed.
        refresh(app, client, training, id).await?;
        let fresh = cache::get(&app.journal, id).await?.ok_or_else(|| unknown_ticket(id))?;
        return Err(
            match lc::check(&state(&fresh.ticket), to, Some(reason), lc::Actor::Oc) {
                Ok(()) => stale(&known.raw, &fresh.raw),
                Err(why_now) => Error::invalid(
                    "anomalie_adresse.not_allowed",
                    format!(
                        "cannot {} this ticket: {}",
                        action.as_str(),
                        if fresh.raw == known.raw { why } else { why_now }
                    ),
                )
                .with("action", action.as_str())
                .with("status", fresh.ticket.status.clone().unwrap_or_default()),
            },
        );
    }
    Ok(known)
}

/// The ticket changed since the shop read it: what changed, to check
/// before applying again (the new reading is now the one sent).
fn stale(before: &Value, after: &Value) -> Error {
    let diff = changes(before, after);
    let said: Vec<String> = diff
        .iter()
        .filter(|c| c.field != "statusChange")
        .map(|c| format!("{}: {} → {}", c.field, c.before, c.after))
        .collect();
    Error::new(
        ErrorKind::Refused,
        "anomalie_adresse.stale",
        format!(
            "someone changed the ticket since it was read ({}); check it and apply again",
            said.join("; ")
        ),
    )
    .with("changes", serde_json::to_value(&diff).unwrap_or_default())
}

/// Answers the operator's request for information: the note, then the
/// ticket back to the operator (`INFORMATION_PROVIDED`).
/// Checked first: on a ticket the operator has not asked about, nothing is
/// sent (the note once went out before the refusal).
pub async fn answer(app: &Comptoir, id: &str, text: &str) -> Result<TicketView> {
    let (client, training, _) = client(app).await?;
    allowed(app, &client, training, id.trim(), ShopAction::Answer)
        .await
        .map_err(|e| {
            if e.code != "anomalie_adresse.not_allowed" {
                return e;
            }
            let status = e.params.get("status").and_then(|s| s.as_str()).unwrap_or("").to_string();
            Error::invalid(
                "anomalie_adresse.no_question",
                format!("the operator has not asked for information on this ticket (it is {status}): nothing was sent; add a note instead"),
            )
            .with("status", status)
        })?;
    note(app, id, text).await?;
    act(app, id, ShopAction::Answer, Some(text)).await
}

/// What one poll of the event feed did.
#[derive(ts_rs::TS, Debug, Clone, Serialize, Default)]
pub struct FeedReport {
    pub events: usize,
    /// The followed tickets the events changed.
    pub tickets: Vec<String>,
    /// The last event's time, where the next poll starts.
    pub until: Option<String>,
}

/// Polls the event feed from where the last poll stopped (a desktop app
/// has no public URL to receive the operator's `POST`s) and refreshes the
/// cached tickets the events are about. Events about tickets the shop does
/// not follow are passed over.
pub async fn sync(app: &Comptoir) -> Result<FeedReport> {
    let (client, training, _) = client(app).await?;
    let mut report = FeedReport {
        until: cache::feed_position(&app.journal, training).await?,
        ..Default::default()
    };
    loop {
        let mut q = Query::new();
        if let Some(t) = &report.until {
            q = q
                .filter(&format!("time[gt]={t}"))
                .map_err(|e| Error::internal("anomalie_adresse.query", e.0))?;
        }
        let q = q.sort("time").limit(100);
        let page = client.events(&q).await?;
        let n = page.items.len();
        for e in page.items {
            report.events += 1;
            if let Some(t) = &e.time {
                report.until = Some(t.clone());
            }
            let Some(subject) = e.subject.clone() else { continue };
            if cache::get(&app.journal, &subject).await?.is_none() {
                continue;
            }
            match e.kind.as_deref() {
                Some(EVENT_UPDATE) => {
                    let etag = e.data["@version"].as_str().map(|v| format!("\"{v}\""));
                    cache::put(&app.journal, &e.data, etag.as_deref(), None, training).await?;
                }
                Some(EVENT_NOTE) => {
                    let n: Note = serde_json::from_value(e.data.clone()).unwrap_or_default();
                    cache::put_notes(&app.journal, &subject, &[n]).await?;
                }
                Some(EVENT_ATTACHMENT | EVENT_ATTACHMENT_UPDATE) => {
                    let a: Attachment = serde_json::from_value(e.data.clone()).unwrap_or_default();
                    cache::put_attachments(&app.journal, &subject, &[a]).await?;
                }
                _ => continue,
            }
            if !report.tickets.contains(&subject) {
                report.tickets.push(subject);
            }
        }
        if let Some(t) = &report.until {
            cache::set_feed_position(&app.journal, training, t).await?;
        }
        if n < 100 {
            break;
        }
    }
    Ok(report)
}

/// One address field of the form: the document's IPE name, where a
/// creation carries it, the `issues` key that corrects it, its labels.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct FormField {
    pub ipe: String,
    pub issue: String,
    pub building_path: String,
    pub label_fr: String,
    pub label_en: String,
}

/// What the window's guided form is built from: the core's own tables, so
/// the form and the rules cannot drift apart.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct TicketForm {
    pub address_fields: Vec<FormField>,
    pub issue_keys: Vec<String>,
    /// Each identification method of a creation and the fields it needs.
    pub identification: Vec<(String, Vec<String>)>,
    pub file_types: Vec<String>,
    /// The shop's commercial-operator code in force (the simulator's in training).
    pub code_oc: Option<String>,
    pub training: bool,
}

pub async fn form(app: &Comptoir) -> Result<TicketForm> {
    let (config, training) = app.provider_config(P).await?;
    let code_oc = config.get("code_oc").filter(|c| !c.is_empty()).map(str::to_string);
    Ok(form_spec(code_oc, training))
}

/// The form's tables, with the shop's code and mode.
pub fn form_spec(code_oc: Option<String>, training: bool) -> TicketForm {
    TicketForm {
        address_fields: rules::ADDRESS_FIELDS
            .iter()
            .map(|f| FormField {
                ipe: f.ipe.into(),
                issue: f.issue.into(),
                building_path: f.building_path.into(),
                label_fr: f.label_fr.into(),
                label_en: f.label_en.into(),
            })
            .collect(),
        issue_keys: rules::ISSUE_KEYS.iter().map(|k| k.to_string()).collect(),
        identification: rules::IDENTIFICATION_METHODS
            .iter()
            .map(|(n, f)| (n.to_string(), f.iter().map(|x| x.to_string()).collect()))
            .collect(),
        file_types: FILE_TYPES.iter().map(|(e, _)| e.to_string()).collect(),
        code_oc,
        training,
    }
}

/// The status history, oldest first.
pub fn history(t: &Ticket) -> &[StatusChange] {
    &t.status_change
}
