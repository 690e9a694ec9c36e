//! HTTP client of Orange Anomalie Adresse: the ticket resource, its list in
//! the TMF query language (sent exactly as given), its count (`HEAD`),
//! creation, update with `If-Match`, notes, attachments (multipart up,
//! bytes down) and the event feed. Tokens come from the shared manager
//! (Orange's v2 token URL; a 401, code 42, renews once).

use super::model::{ApiError, Attachment, Event, Note, Ticket};
use super::query::Query;
use crate::auth::{excerpt, TokenManager};
use crate::config::ProviderConfig;
use crate::error::{Error, ErrorKind, Result};
use crate::http::{Api, Effect};
use crate::types::ProviderId;
use reqwest::header::{HeaderMap, ETAG, IF_MATCH};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use std::sync::Arc;

const P: ProviderId = ProviderId::AnomalieAdresse;

#[derive(Clone)]
pub struct Client {
    api: Api,
}

/// One ticket as read, with the `ETag` to send back in `If-Match`.
#[derive(Debug, Clone)]
pub struct Read {
    pub ticket: Ticket,
    /// The ticket exactly as the operator sent it.
    pub raw: Value,
    pub etag: Option<String>,
}

/// One page of a list, with the paging headers.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `X-Total-Count`: every item the filters match.
    pub total: Option<u64>,
    /// `X-Result-Count`: the items in this page.
    pub result_count: Option<u64>,
}

impl Client {
    /// `training`: the configuration points at the in-process simulator.
    pub fn new(
        config: &ProviderConfig,
        training: bool,
        tokens: Arc<TokenManager>,
        http: reqwest::Client,
    ) -> Result<Self> {
        let mut source = super::token_source(config)?;
        source.persist = !training;
        Ok(Client {
            api: Api {
                provider: P,
                base: config.require(P, "url")?.trim_end_matches('/').to_string(),
                source,
                tokens,
                http,
                api_error,
            },
        })
    }

    /// `GET {base}/{id}`.
    pub async fn get(&self, id: &str) -> Result<Read> {
        let res = self
            .api
            .send(Method::GET, &format!("/{}", segment(id)), Effect::Read, &|r| r)
            .await?;
        read_ticket(res, Effect::Read).await
    }

    /// `GET {base}?{query}`: exactly the parameters given, in their order.
    pub async fn list(&self, query: &Query) -> Result<Page<Read>> {
        let page: Page<Value> = self.page(&with_query("", query)).await?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|raw| Read {
                    ticket: serde_json::from_value(raw.clone()).unwrap_or_default(),
                    raw,
                    etag: None,
                })
                .collect(),
            total: page.total,
            result_count: page.result_count,
        })
    }

    /// `HEAD {base}?{filters}`: `X-Total-Count`.
    pub async fn count(&self, query: &Query) -> Result<u64> {
        self.head(&with_query("", query)).await
    }

    /// `POST {base}`: 201 with the ticket and its `ETag`. It spends nothing,
    /// but a lost answer may have filed it: that outcome is unknown, and the
    /// caller looks for its `externalId` before filing it again.
    pub async fn create(&self, ticket: &Value) -> Result<Read> {
        let res = self
            .api
            .send(Method::POST, "", Effect::Write, &|r| r.json(ticket))
            .await
            .map_err(filed_maybe)?;
        read_ticket(res, Effect::Write).await.map_err(filed_maybe)
    }

    /// `PATCH {base}/{id}` with `If-Match`: a 412 means the ticket changed
    /// since `etag` was read (`anomalie_adresse.stale`).
    pub async fn patch(&self, id: &str, change: &Value, etag: Option<&str>) -> Result<Read> {
        let res = self
            .api
            .send(Method::PATCH, &format!("/{}", segment(id)), Effect::Write, &|r| {
                let r = r.json(change);
                match etag {
                    Some(tag) => r.header(IF_MATCH, tag),
                    None => r,
                }
            })
            .await?;
        read_ticket(res, Effect::Write).await
    }

    pub async fn notes(&self, id: &str, query: &Query) -> Result<Page<Note>> {
        self.typed_page(&with_query(&format!("/{}/note", segment(id)), query))
            .await
    }

    pub async fn count_notes(&self, id: &str, query: &Query) -> Result<u64> {
        self.head(&with_query(&format!("/{}/note", segment(id)), query)).await
    }

    pub async fn add_note(&self, id: &str, text: &str) -> Result<Note> {
        let body = serde_json::json!({"text": text});
        self.api
            .call(
                Method::POST,
                &format!("/{}/note", segment(id)),
                Some(body),
                Effect::Write,
            )
            .await
    }

    pub async fn attachments(&self, id: &str, query: &Query) -> Result<Page<Attachment>> {
        self.typed_page(&with_query(&format!("/{}/attachment", segment(id)), query))
            .await
    }

    pub async fn count_attachments(&self, id: &str, query: &Query) -> Result<u64> {
        self.head(&with_query(&format!("/{}/attachment", segment(id)), query))
            .await
    }

    /// `POST {base}/{id}/attachment` as multipart: the `file` part and the
    /// `attachment` part (its name and description, JSON).
    pub async fn add_attachment(
        &self,
        id: &str,
        name: &str,
        mime: &str,
        bytes: Vec<u8>,
        description: Option<&str>,
    ) -> Result<Attachment> {
        let meta = serde_json::json!({"name": name, "description": description});
        let form = || -> reqwest::multipart::Form {
            let file = reqwest::multipart::Part::bytes(bytes.clone())
                .file_name(form_file_name(name))
                .mime_str(mime)
                .expect("a known MIME type");
            let attachment = reqwest::multipart::Part::text(meta.to_string())
                .mime_str("application/json")
                .expect("JSON");
            reqwest::multipart::Form::new()
                .part("file", file)
                .part("attachment", attachment)
        };
        let res = self
            .api
            .send(
                Method::POST,
                &format!("/{}/attachment", segment(id)),
                Effect::Write,
                &|r| r.multipart(form()),
            )
            .await?;
        crate::http::json_body(P, res, Effect::Write).await
    }

    /// `GET {base}/{id}/attachment/{attachment}/content`: the file's bytes.
    pub async fn download(&self, id: &str, attachment: &str) -> Result<Vec<u8>> {
        let path = format!("/{}/attachment/{}/content", segment(id), segment(attachment));
        let res = self
            .api
            .send(Method::GET, &path, Effect::Read, &|r| {
                r.header(reqwest::header::ACCEPT, "*/*")
            })
            .await?;
        res.bytes()
            .await
            .map(|b| b.to_vec())
            .map_err(|e| crate::http::unreachable(P, &crate::auth::describe(e)))
    }

    /// `GET {base}/event?{query}`: the feed Comptoir polls.
    pub async fn events(&self, query: &Query) -> Result<Page<Event>> {
        self.typed_page(&with_query("/event", query)).await
    }

    async fn typed_page<T: serde::de::DeserializeOwned + Default>(&self, path: &str) -> Result<Page<T>> {
        let page: Page<Value> = self.page(path).await?;
        Ok(Page {
            items: page
                .items
                .into_iter()
                .map(|v| serde_json::from_value(v).unwrap_or_default())
                .collect(),
            total: page.total,
            result_count: page.result_count,
        })
    }

    async fn page(&self, path: &str) -> Result<Page<Value>> {
        let res = self.api.send(Method::GET, path, Effect::Read, &|r| r).await?;
        let (total, result_count) = (
            header_u64(res.headers(), "x-total-count"),
            header_u64(res.headers(), "x-result-count"),
        );
        let body: Value = crate::http::json_body(P, res, Effect::Read).await?;
        let items = match body {
            Value::Array(items) => items,
            Value::Null => vec![],
            one => vec![one],
        };
        Ok(Page {
            items,
            total,
            result_count,
        })
    }

    async fn head(&self, path: &str) -> Result<u64> {
        let res = self.api.send(Method::HEAD, path, Effect::Read, &|r| r).await?;
        header_u64(res.headers(), "x-total-count").ok_or_else(|| {
            Error::unavailable(
                "anomalie_adresse.no_count",
                "Orange Anomalie Adresse answered the count without X-Total-Count",
            )
        })
    }
}

fn with_query(path: &str, query: &Query) -> String {
    let q = query.to_query_string();
    if q.is_empty() {
        path.to_string()
    } else {
        format!("{path}?{q}")
    }
}

/// An id as one path segment, whatever it holds (a uuid stays as it is).
fn segment(id: &str) -> String {
    const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(id.trim(), SEGMENT).to_string()
}

fn header_u64(h: &HeaderMap, name: &str) -> Option<u64> {
    h.get(name)?.to_str().ok()?.trim().parse().ok()
}

async fn read_ticket(res: reqwest::Response, effect: Effect) -> Result<Read> {
    let etag = res
        .headers()
        .get(ETAG)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body: Value = crate::http::json_body(P, res, effect).await?;
    let (ticket, raw) = Ticket::from_answer(&body).ok_or_else(|| {
        Error::new(
            if effect == Effect::Write {
                ErrorKind::UnknownOutcome
            } else {
                ErrorKind::Unavailable
            },
            "provider.bad_answer",
            "Orange Anomalie Adresse sent a ticket Comptoir cannot read",
        )
        .with_provider("bad_answer", excerpt(&body.to_string()))
    })?;
    // A version in the body stands for a missing ETag header.
    let etag = etag.or_else(|| ticket.version.as_ref().map(|v| format!("\"{v}\"")));
    Ok(Read { ticket, raw, etag })
}

/// An unknown outcome of a creation, said for a ticket rather than a sale.
fn filed_maybe(e: Error) -> Error {
    if e.kind != ErrorKind::UnknownOutcome {
        return e;
    }
    let mut said = Error::new(
        ErrorKind::UnknownOutcome,
        "anomalie_adresse.maybe_filed",
        "Orange Anomalie Adresse did not answer: the ticket may have been filed. Comptoir looks for it by its reference before filing it again",
    );
    said.provider = e.provider;
    said
}

/// The operator's errors, `{code, reason, message}` shown with the reason.
fn api_error(status: StatusCode, body: &str, effect: Effect) -> Error {
    let parsed: ApiError = serde_json::from_str(body).unwrap_or_default();
    let said: Vec<String> = [&parsed.reason, &parsed.message, &parsed.description]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .cloned()
        .collect();
    let said = if said.is_empty() {
        status.to_string()
    } else {
        said.join(": ")
    };
    let (kind, code, text) = match status.as_u16() {
        400 => (
            ErrorKind::Refused,
            "anomalie_adresse.bad_request",
            "the operator refused the request as invalid",
        ),
        401 => (
            ErrorKind::Config,
            "anomalie_adresse.401",
            "Orange refused the access token twice; check the client id and secret in Settings",
        ),
        403 => (
            ErrorKind::Refused,
            "anomalie_adresse.forbidden",
            "the operator refused this change: the ticket's lifecycle does not allow it now",
        ),
        404 => (
            ErrorKind::Refused,
            "anomalie_adresse.not_found",
            "the operator knows no such ticket or attachment",
        ),
        412 => (
            ErrorKind::Refused,
            "anomalie_adresse.stale",
            "someone changed the ticket since it was read; read it again, check what changed and apply again",
        ),
        413 => (
            ErrorKind::Refused,
            "anomalie_adresse.too_large",
            "the file is larger than the operator accepts; send a smaller photo (or a PDF of the plan)",
        ),
        s if s >= 500 && effect == Effect::Write => (
            ErrorKind::UnknownOutcome,
            "provider.outcome_unknown",
            "Orange Anomalie Adresse failed while making the change; read the ticket to see whether it was made",
        ),
        s if s >= 500 || s == 429 => (
            ErrorKind::Unavailable,
            "anomalie_adresse.unavailable",
            "Orange Anomalie Adresse is unavailable; try again later",
        ),
        _ => (
            ErrorKind::Refused,
            "anomalie_adresse.refused",
            "the operator refused the request",
        ),
    };
    Error::new(kind, code, format!("{text} ({said})"))
        .with("reason", parsed.reason.clone().unwrap_or_default())
        .with_provider(
            parsed.code.unwrap_or_else(|| status.as_u16().to_string()),
            excerpt(&said),
        )
}

/// A file name as a multipart `filename` parameter (RFC 7578 §4.2, done as
/// browsers do): CR, LF and the double quote percent-encoded, so a name can
/// never end the header or start another (the domain refuses such names
/// anyway; this is the wire's own guarantee).
pub fn form_file_name(name: &str) -> String {
    name.replace('\r', "%0D").replace('\n', "%0A").replace('"', "%22")
}
