//! `comptoir register verify`: every chain recomputed from its first
//! record (sequence, previous hash, hash, signature), the head file
//! checked against the journal, and the journal's receipts, payments,
//! refunds and orders checked against their records. The first defect is
//! named (which chain, which record, what), recorded, and exits 6.

use super::recount::{self, Facts};
use super::signing_key;
use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::closing::Recount;
use crate::journal::{hash_of_text, read_ahead, RawRecord, GENESIS};
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::Serialize;
use std::collections::BTreeMap;

/// What a clean verification checked.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Verified {
    #[ts(type = "number")]
    pub records: i64,
    /// Records per chain.
    #[ts(type = "Record<string, number>")]
    pub chains: BTreeMap<String, i64>,
    /// Receipts, refunds and orders checked against their records.
    #[ts(type = "number")]
    pub cross_checked: i64,
    pub ok: bool,
}

/// A defect: which chain and record, and what is wrong.
pub(super) fn tampered(chain: &str, seq: i64, what: &str, message: String) -> Error {
    Error::new(ErrorKind::Tampered, "register.tampered", message)
        .with("chain", chain)
        .with("seq", seq)
        .with("what", what)
}

const PAGE: i64 = 5000;

/// Verifies everything; `progress(done, total)` is told as records are read.
pub async fn verify(app: &Comptoir, progress: &(dyn Fn(i64, i64) + Sync)) -> Result<Verified> {
    let found = run(app, progress).await;
    if let Err(e) = &found {
        if e.kind == ErrorKind::Tampered {
            // Recorded: the defect found is itself part of the register.
            let details = serde_json::json!({"code": e.code, "params": e.params, "message": e.message});
            if let Err(w) = super::event(app, "integrity_defect", details).await {
                tracing::error!(code = %w.code, "the defect found could not be recorded");
            }
        }
    }
    found
}

async fn run(app: &Comptoir, progress: &(dyn Fn(i64, i64) + Sync)) -> Result<Verified> {
    let key = signing_key(app)?.verifying_key();
    let total = app.journal.register_count().await?;
    let heads = app.journal.register_heads().await?;
    let mut chains = BTreeMap::new();
    let mut done = 0;
    // The closings are few: read first, they are made again from the
    // takings as the chains stream past, with the facts the journal is
    // checked against (a million records are read once, none kept).
    let closings = app.journal.closings(None).await?;
    let mut recount = Recount::new(&closings);
    let mut facts = Facts::default();
    for (chain, (head, _)) in &heads {
        let mut read = |k| {
            done += k;
            progress(done, total)
        };
        let mut seen = |r: &RawRecord| facts.add(chain, r, &mut recount);
        let n = verify_chain(&key, chain, *head, Source::Journal(&app.journal), &mut read, &mut seen).await?;
        chains.insert(chain.clone(), n);
    }
    check_head_file(app, &key, &heads)?;
    recount::check_closings(&closings, recount)?;
    // Read after the chains, not beside them: read at once, the two
    // streams of rows woke each other's threads five times as often (410,000
    // context switches for 409,000 records) and the whole took longer.
    let cross_checked = recount::cross_check(&app.journal, &facts).await?;
    Ok(Verified {
        records: total,
        chains,
        cross_checked,
        ok: true,
    })
}

/// Where a chain's records are read: this counter's journal, or one
/// counter's copy in the shop's database.
enum Source<'a> {
    Journal(&'a crate::journal::Journal),
    Shop(&'a crate::shop::Shop, &'a str),
}

impl Source<'_> {
    /// The chain's records in sequence order, a page at a time, each read
    /// while the one before is checked (`journal::read_ahead`).
    fn pages(&self, chain: &str) -> tokio::sync::mpsc::Receiver<Result<Vec<RawRecord>>> {
        let next = |p: &[RawRecord]| p.last().map(|r| r.seq);
        let chain = chain.to_string();
        match self {
            Source::Journal(j) => {
                let j = (*j).clone();
                read_ahead(0, next, move |after| {
                    let (j, chain) = (j.clone(), chain.clone());
                    async move { j.register_raw_page(&chain, after, PAGE).await }
                })
            }
            Source::Shop(shop, counter) => {
                let (shop, counter) = ((*shop).clone(), counter.to_string());
                read_ahead(0, next, move |after| {
                    let (shop, counter, chain) = (shop.clone(), counter.clone(), chain.clone());
                    async move { shop.register_page_of(&counter, &chain, after, PAGE).await }
                })
            }
        }
    }
}

/// Recomputes a chain from its first record: sequence, link and hash of
/// every record (from its stored text: a million records are hashed,
/// not parsed). Signatures are checked where they seal what comes before:
/// every closing, and each chain's last record (the hashes link every
/// earlier record to it; the head file, signed too, says which is last).
async fn verify_chain(
    key: &VerifyingKey,
    chain: &str,
    head: i64,
    source: Source<'_>,
    read: &mut (dyn FnMut(i64) + Send),
    seen: &mut (dyn FnMut(&RawRecord) -> Result<()> + Send),
) -> Result<i64> {
    let (mut after, mut prev) = (0i64, GENESIS.to_string());
    let mut pages = source.pages(chain);
    loop {
        let page = pages.recv().await.unwrap_or_else(|| Ok(Vec::new()))?;
        if page.is_empty() {
            return Ok(after);
        }
        for r in &page {
            check_record(chain, r, after + 1, &prev)?;
            let seals = chain == crate::journal::closing::CHAIN || r.seq == head;
            if seals && !signed_by(key, r.hash.as_bytes(), r.signature.as_deref()) {
                return Err(tampered(
                    chain,
                    r.seq,
                    "signature",
                    format!("{chain} record {} is not signed by this installation's key", r.seq),
                ));
            }
            seen(r)?;
            after = r.seq;
            prev = r.hash.clone();
        }
        read(page.len() as i64);
    }
}

/// One counter's register as the shop's database holds it.
#[derive(Debug, Clone, Serialize)]
pub struct CounterVerified {
    pub counter: String,
    pub records: i64,
    pub chains: BTreeMap<String, i64>,
}

/// `register verify --everywhere`, for one counter: each of its chains
/// recomputed on the server's copy (sequence, links, hashes) and sealed by
/// the key the counter pushed (every closing, each chain's last record).
/// What only the counter can check (its head file, its journal's receipts
/// against their records) is `verify` at that counter.
pub async fn verify_shared(shop: &crate::shop::Shop, counter: &crate::shop::CounterKey) -> Result<CounterVerified> {
    let name = &counter.counter;
    let heads = shop.register_heads_of(name).await?;
    let key = counter.public_key.as_deref().and_then(|pem| {
        use ed25519_dalek::pkcs8::DecodePublicKey;
        VerifyingKey::from_public_key_pem(pem).ok()
    });
    let Some(key) = key else {
        if heads.is_empty() {
            return Ok(CounterVerified {
                counter: name.clone(),
                records: 0,
                chains: BTreeMap::new(),
            });
        }
        return Err(tampered(
            "key",
            0,
            "no_key",
            format!("counter {name} shared its register without a readable public key: its records cannot be checked"),
        )
        .with("counter", name.as_str()));
    };
    let mut chains = BTreeMap::new();
    for (chain, head) in &heads {
        let source = Source::Shop(shop, name);
        let n = verify_chain(&key, chain, *head, source, &mut |_| {}, &mut |_| Ok(()))
            .await
            .map_err(|e| {
                let message = format!("counter {name}: {}", e.message);
                Error { message, ..e }.with("counter", name.as_str())
            })?;
        chains.insert(chain.clone(), n);
    }
    Ok(CounterVerified {
        counter: name.clone(),
        records: chains.values().sum(),
        chains,
    })
}

fn check_record(chain: &str, r: &RawRecord, expected_seq: i64, prev: &str) -> Result<()> {
    let seq = r.seq;
    if seq != expected_seq {
        return Err(tampered(
            chain,
            expected_seq,
            "missing",
            format!(
                "the {chain} chain jumps from record {} to {seq}: records are missing",
                expected_seq - 1
            ),
        ));
    }
    if r.prev_hash != prev {
        return Err(tampered(
            chain,
            seq,
            "link",
            format!("{chain} record {seq} does not follow the record before it (moved, swapped or removed)"),
        ));
    }
    if hash_of_text(&r.prev_hash, chain, seq, &r.at, &r.counter, &r.payload) != r.hash {
        return Err(tampered(
            chain,
            seq,
            "values",
            format!("{chain} record {seq} was changed after it was written (its values no longer give its hash)"),
        ));
    }
    Ok(())
}

fn signed_by(key: &VerifyingKey, message: &[u8], signature: Option<&str>) -> bool {
    use base64::Engine;
    let Some(sig) = signature.and_then(|s| base64::engine::general_purpose::STANDARD.decode(s).ok()) else {
        return false;
    };
    let Ok(sig) = Signature::from_slice(&sig) else {
        return false;
    };
    key.verify(message, &sig).is_ok()
}

/// The head file: signed by the key, and never ahead of the journal.
fn check_head_file(app: &Comptoir, key: &VerifyingKey, heads: &BTreeMap<String, (i64, String)>) -> Result<()> {
    let Some(path) = app.journal.head_path() else {
        return Ok(());
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(_) if heads.is_empty() => return Ok(()),
        Err(_) => {
            return Err(tampered(
                "head",
                0,
                "head_missing",
                format!("the register's head file {} is missing", path.display()),
            ))
        }
    };
    let file: serde_json::Value = serde_json::from_str(&text).map_err(|_| {
        tampered(
            "head",
            0,
            "head_unreadable",
            "the register's head file is not what Comptoir wrote".into(),
        )
    })?;
    let body = serde_json::json!({"v": file["v"], "chains": file["chains"]});
    let canonical = crate::journal::canonical(&body);
    if !signed_by(key, canonical.as_bytes(), file["signature"].as_str()) {
        return Err(tampered(
            "head",
            0,
            "head_signature",
            "the register's head file is not signed by this installation's key".into(),
        ));
    }
    for (chain, head) in file["chains"].as_object().into_iter().flatten() {
        let seq = head["seq"].as_i64().unwrap_or(0);
        let hash = head["hash"].as_str().unwrap_or("");
        if heads.get(chain).is_some_and(|(last, _)| *last == seq) && heads[chain].1 != hash {
            return Err(tampered(
                chain,
                seq,
                "head_differs",
                format!(
                    "the {chain} chain's record {seq} is not the one the head file names: the journal was replaced"
                ),
            ));
        }
        match heads.get(chain) {
            Some((last, _)) if *last >= seq => {}
            _ => {
                let has = heads.get(chain).map_or(0, |(s, _)| *s);
                return Err(tampered(
                    chain,
                    seq,
                    "cut_off",
                    format!("the {chain} chain ends at record {has} but reached {seq}: its last records were cut off, or an older copy of the journal was put back"),
                ));
            }
        }
    }
    Ok(())
}
