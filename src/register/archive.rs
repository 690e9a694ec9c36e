//! The register's archives and the tax office's export: a period (at
//! most one fiscal year, closed first) in open formats, with a signed
//! list of SHA-256 sums, verifiable with nothing but the file.
//!
//! What an archive holds (`docs/controle-fiscal.md` explains each file
//! to the auditor):
//! - `records.csv`: every register record of the period, each chain's
//!   run whole, with its values in canonical JSON, previous hash, hash
//!   and signature: enough to recompute every hash;
//! - `receipts.csv`, `payments.csv`: the receipts' lines and payments,
//!   flattened for a spreadsheet; `closings.json`: the period's closings;
//! - `schema.json`: each CSV's columns; `manifest.json`: the period, the
//!   shop, the software, each chain's first and last record;
//! - `public_key.pem`: the installation's key; `SHA256SUMS` (as
//!   `sha256sum -c` reads it) and `SHA256SUMS.sig`, its raw Ed25519
//!   signature (`openssl pkeyutl -verify -rawin` checks it).

use crate::context::Comptoir;
use crate::error::{Error, ErrorKind, Result};
use crate::journal::{hash_of, Period, Record};
use chrono::NaiveDate;
use ed25519_dalek::pkcs8::DecodePublicKey;
use ed25519_dalek::{Signature, Signer, Verifier, VerifyingKey};
use serde::Serialize;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;

pub const SUMS: &str = "SHA256SUMS";
pub const SUMS_SIG: &str = "SHA256SUMS.sig";
pub const KEY: &str = "public_key.pem";
/// The auditor's guide, shipped with every export.
pub const GUIDE: &str = include_str!("../../docs/controle-fiscal.md");

/// What was archived or exported.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct Archived {
    pub from: String,
    pub to: String,
    pub path: String,
    /// Records per chain.
    #[ts(type = "Record<string, number>")]
    pub records: BTreeMap<String, i64>,
    /// The files and their SHA-256.
    pub files: BTreeMap<String, String>,
}

/// What `verify-archive` checked.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
pub struct ArchiveVerified {
    pub from: String,
    pub to: String,
    #[ts(type = "number")]
    pub files: i64,
    #[ts(type = "Record<string, number>")]
    pub records: BTreeMap<String, i64>,
    pub ok: bool,
}

fn tampered(what: &str, file: &str, message: String) -> Error {
    Error::new(ErrorKind::Tampered, "register.tampered", message)
        .with("chain", "archive")
        .with("seq", 0)
        .with("what", what)
        .with("file", file)
}

/// The period asked, checked: in order, over, within one fiscal year.
fn period(app: &Comptoir, from: NaiveDate, to: NaiveDate) -> Result<()> {
    if to < from {
        return Err(Error::invalid(
            "register.bad_period",
            format!("the period ends ({to}) before it starts ({from})"),
        ));
    }
    let year = Period::year(from, app.journal.fiscal_year_end());
    if to > year.to {
        return Err(Error::invalid(
            "register.bad_period",
            format!(
                "an archive holds one fiscal year at most: {from} to {to} runs past the year's end ({})",
                year.to
            ),
        )
        .with("year_end", year.to.to_string()));
    }
    if to >= chrono::Local::now().date_naive() {
        return Err(Error::invalid(
            "register.not_due",
            format!("the period to {to} is not over yet: archive it once it is closed"),
        )
        .with("period", format!("{from}/{to}")));
    }
    Ok(())
}

/// Every file of the period's archive, by name.
async fn contents(
    app: &Comptoir,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<(BTreeMap<String, Vec<u8>>, BTreeMap<String, i64>)> {
    period(app, from, to)?;
    app.journal.close_due().await?;
    let key = super::signing_key(app)?;
    let public = super::public_pem(&key.verifying_key())?;
    let (from_s, to_s) = (from.to_string(), to.to_string());
    let mut records: Vec<Record> = Vec::new();
    let mut counts = BTreeMap::new();
    for chain in app.journal.register_heads().await?.keys() {
        let within: Vec<Record> = app
            .journal
            .register_page(chain, 0, i64::MAX)
            .await?
            .into_iter()
            .filter(|r| {
                // A closing belongs to the period it closes (it is made
                // after it), any other record to the day it was made.
                let day = match r.values["to"].as_str() {
                    Some(to) if r.chain == crate::journal::closing::CHAIN => Some(to),
                    _ => r.at.get(..10),
                };
                day.is_some_and(|d| d >= from_s.as_str() && d <= to_s.as_str())
            })
            .collect();
        counts.insert(chain.clone(), within.len() as i64);
        records.extend(within);
    }
    let mut files = BTreeMap::new();
    files.insert("records.csv".to_string(), records_csv(&records)?);
    files.insert("receipts.csv".to_string(), receipts_csv(&records)?);
    files.insert("payments.csv".to_string(), payments_csv(&records)?);
    let closings: Vec<Value> = records
        .iter()
        .filter(|r| r.chain == crate::journal::closing::CHAIN)
        .map(|r| json!({"seq": r.seq, "at": r.at, "counter": r.counter, "values": r.values, "hash": r.hash, "signature": r.signature}))
        .collect();
    files.insert("closings.json".to_string(), pretty(&Value::Array(closings)));
    files.insert("schema.json".to_string(), pretty(&schema()));
    let settings = app.settings()?;
    let chains: BTreeMap<&str, Value> = counts
        .keys()
        .filter_map(|c| {
            let run: Vec<&Record> = records.iter().filter(|r| &r.chain == c).collect();
            let (first, last) = (run.first()?, run.last()?);
            Some((
                c.as_str(),
                json!({"first": first.seq, "last": last.seq, "prev_hash": first.prev_hash, "last_hash": last.hash}),
            ))
        })
        .collect();
    let manifest = json!({"format": 1, "from": from_s, "to": to_s, "counter": app.journal.counter(),
        "siret": settings.get_str(crate::settings::SIRET), "shop": settings.get_str(crate::settings::SHOP_NAME),
        "software": format!("Comptoir {}", env!("CARGO_PKG_VERSION")), "made_at": crate::journal::now_rfc3339(),
        "chains": chains});
    files.insert("manifest.json".to_string(), pretty(&manifest));
    files.insert(KEY.to_string(), public.into_bytes());
    let sums: String = files
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", crate::journal::hex(&Sha256::digest(bytes))))
        .collect();
    files.insert(SUMS_SIG.to_string(), key.sign(sums.as_bytes()).to_bytes().to_vec());
    files.insert(SUMS.to_string(), sums.into_bytes());
    Ok((files, counts))
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(v).expect("JSON");
    s.push('\n');
    s.into_bytes()
}

fn csv_of(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let bad = |e: csv::Error| Error::internal("register.archive_csv", e.to_string());
    w.write_record(header).map_err(bad)?;
    for row in rows {
        w.write_record(&row).map_err(bad)?;
    }
    w.into_inner()
        .map_err(|e| Error::internal("register.archive_csv", e.to_string()))
}

const RECORD_COLUMNS: [&str; 8] = [
    "chain",
    "seq",
    "at",
    "counter",
    "values",
    "prev_hash",
    "hash",
    "signature",
];

fn records_csv(records: &[Record]) -> Result<Vec<u8>> {
    csv_of(
        &RECORD_COLUMNS,
        records.iter().map(|r| {
            vec![
                r.chain.clone(),
                r.seq.to_string(),
                r.at.clone(),
                r.counter.clone(),
                crate::journal::canonical(&r.values),
                r.prev_hash.clone(),
                r.hash.clone(),
                r.signature.clone().unwrap_or_default(),
            ]
        }),
    )
}

fn receipts_csv(records: &[Record]) -> Result<Vec<u8>> {
    let header = [
        "number",
        "at",
        "counter",
        "cashier",
        "line",
        "kind",
        "product",
        "name",
        "quantity",
        "unit_cents",
        "amount_cents",
        "tax",
        "rate_bp",
        "receipt_total_cents",
    ];
    let rows = records.iter().filter(|r| r.chain == "receipt").flat_map(|r| {
        let v = &r.values;
        let s = |x: &Value| match x {
            Value::Null => String::new(),
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        v["lines"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(move |l| {
                vec![
                    s(&v["number"]),
                    r.at.clone(),
                    r.counter.clone(),
                    s(&v["cashier"]),
                    s(&l["line"]),
                    s(&l["kind"]),
                    s(&l["product"]),
                    s(&l["name"]),
                    s(&l["quantity"]),
                    s(&l["unit"]),
                    s(&l["amount"]),
                    s(&l["tax"]),
                    s(&l["rate"]),
                    s(&v["total"]),
                ]
            })
    });
    csv_of(&header, rows)
}

fn payments_csv(records: &[Record]) -> Result<Vec<u8>> {
    let header = ["number", "at", "tender", "amount_cents", "change_cents"];
    let rows = records.iter().filter(|r| r.chain == "receipt").flat_map(|r| {
        let v = &r.values;
        v["payments"]
            .as_array()
            .cloned()
            .unwrap_or_default()
            .into_iter()
            .map(move |p| {
                vec![
                    v["number"].as_str().unwrap_or("").to_string(),
                    r.at.clone(),
                    p["tender"].as_str().unwrap_or("").to_string(),
                    p["amount"].to_string(),
                    v["change"].to_string(),
                ]
            })
    });
    csv_of(&header, rows)
}

/// Each CSV's columns, as a Table Schema (frictionlessdata.io) reads them.
fn schema() -> Value {
    let field = |name: &str, ty: &str, description: &str| json!({"name": name, "type": ty, "description": description});
    json!({
        "records.csv": {"fields": [
            field("chain", "string", "the chain: receipt, refund, print, event, closing, training"),
            field("seq", "integer", "the record's number in its chain, from 1, without gaps"),
            field("at", "datetime", "when it was recorded, local time with its offset (RFC 3339)"),
            field("counter", "string", "the counter that recorded it"),
            field("values", "object", "the record's values, canonical JSON (sorted keys, amounts in cents)"),
            field("prev_hash", "string", "the previous record's hash (64 zeros for the first)"),
            field("hash", "string", "SHA-256 of prev_hash, a line feed and the canonical JSON of {v, chain, seq, at, counter, values}"),
            field("signature", "string", "Ed25519 signature of the hash (its hex text), base64"),
        ]},
        "receipts.csv": {"fields": [
            field("number", "string", "the receipt's number, counter-sequence"),
            field("at", "datetime", "when it was paid"),
            field("counter", "string", "the counter"),
            field("cashier", "string", "who sold"),
            field("line", "integer", "the line's number on the receipt"),
            field("kind", "string", "esim, topup, giftcard, payment"),
            field("product", "string", "the provider's product"),
            field("name", "string", "the product's name"),
            field("quantity", "integer", "how many"),
            field("unit_cents", "integer", "unit price including tax, in cents"),
            field("amount_cents", "integer", "quantity × unit price, in cents"),
            field("tax", "string", "the VAT treatment: agent, mpv (multi-purpose voucher) or vat:RATE"),
            field("rate_bp", "integer", "the VAT rate in basis points (2000 = 20 %); empty outside VAT"),
            field("receipt_total_cents", "integer", "the receipt's total including tax, in cents"),
        ]},
        "payments.csv": {"fields": [
            field("number", "string", "the receipt's number"),
            field("at", "datetime", "when it was paid"),
            field("tender", "string", "cash, card, internet-plus"),
            field("amount_cents", "integer", "what this means paid of the total, in cents"),
            field("change_cents", "integer", "the change given back on the receipt, in cents"),
        ]},
    })
}

/// `register archive`: the period's archive as one zip file.
pub async fn archive(app: &Comptoir, from: NaiveDate, to: NaiveDate, out: &Path) -> Result<Archived> {
    let (files, records) = contents(app, from, to).await?;
    let key = super::signing_key(app)?;
    let code = "register.archive_unwritable";
    crate::files::write_whole(out, code, |w| {
        let io = |e: std::io::Error| crate::files::io_error(out, code, &e);
        let mut bytes = std::io::Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut bytes);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated)
                .last_modified_time(zip::DateTime::default());
            for (name, data) in &files {
                zip.start_file(name.as_str(), options)
                    .map_err(|e| Error::internal(code, e.to_string()))?;
                zip.write_all(data).map_err(io)?;
            }
            // The seal's room: the zip's comment, last in the file.
            zip.set_comment("=".repeat(SEAL_LEN));
            zip.finish().map_err(|e| Error::internal(code, e.to_string()))?;
        }
        let mut bytes = bytes.into_inner();
        seal(&key, &mut bytes);
        w.write_all(&bytes).map_err(io)
    })?;
    done(app, "archive", from, to, out, records, &files).await
}

/// Records the archive or export as an event, and says what it wrote.
async fn done(
    app: &Comptoir,
    what: &str,
    from: NaiveDate,
    to: NaiveDate,
    path: &Path,
    records: BTreeMap<String, i64>,
    files: &BTreeMap<String, Vec<u8>>,
) -> Result<Archived> {
    let (from, to, path) = (from.to_string(), to.to_string(), path.display().to_string());
    super::event(app, what, json!({"from": from, "to": to, "path": path})).await?;
    Ok(Archived {
        from,
        to,
        path,
        records,
        files: sums_of(files),
    })
}

/// A seal is the base64 of an Ed25519 signature: 88 characters.
const SEAL_LEN: usize = 88;

/// Signs every byte of the zip before its comment and writes the
/// signature as the comment: one byte changed anywhere in the file (even
/// a field a zip reader ignores) breaks the seal.
fn seal(key: &ed25519_dalek::SigningKey, bytes: &mut [u8]) {
    use base64::Engine;
    let n = bytes.len() - SEAL_LEN;
    let sig = base64::engine::general_purpose::STANDARD.encode(key.sign(&bytes[..n]).to_bytes());
    bytes[n..].copy_from_slice(sig.as_bytes());
}

fn check_seal(key: &VerifyingKey, bytes: &[u8]) -> Result<()> {
    use base64::Engine;
    let broken = || {
        tampered(
            "seal",
            "",
            "the archive's seal does not match its bytes: the file was changed".into(),
        )
    };
    let n = bytes
        .len()
        .checked_sub(SEAL_LEN)
        .filter(|n| *n >= 22)
        .ok_or_else(broken)?;
    let eocd = &bytes[n - 22..n];
    if eocd[..4] != [0x50, 0x4b, 0x05, 0x06] || eocd[20..22] != (SEAL_LEN as u16).to_le_bytes() {
        return Err(broken());
    }
    let sig = base64::engine::general_purpose::STANDARD
        .decode(&bytes[n..])
        .ok()
        .and_then(|s| Signature::from_slice(&s).ok())
        .ok_or_else(broken)?;
    key.verify(&bytes[..n], &sig).map_err(|_| broken())
}

/// `register export`: the same files in a folder, with the auditor's guide.
pub async fn export(app: &Comptoir, from: NaiveDate, to: NaiveDate, dir: &Path) -> Result<Archived> {
    let (mut files, records) = contents(app, from, to).await?;
    files.insert("LISEZMOI-controle-fiscal.md".to_string(), GUIDE.as_bytes().to_vec());
    let code = "register.export_unwritable";
    std::fs::create_dir_all(dir).map_err(|e| crate::files::io_error(dir, code, &e))?;
    for (name, data) in &files {
        let path = dir.join(name);
        crate::files::write_whole(&path, code, |w| {
            w.write_all(data).map_err(|e| crate::files::io_error(&path, code, &e))
        })?;
    }
    done(app, "export", from, to, dir, records, &files).await
}

fn sums_of(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<String, String> {
    files
        .iter()
        .map(|(n, b)| (n.clone(), crate::journal::hex(&Sha256::digest(b))))
        .collect()
}

/// `register verify-archive`: the archive checked with nothing but itself.
pub fn verify_archive(path: &Path) -> Result<ArchiveVerified> {
    let bytes = std::fs::read(path).map_err(|e| crate::files::io_error(path, "register.archive_unreadable", &e))?;
    let files = read_zip(path, &bytes)?;
    let get = |name: &str| {
        files
            .get(name)
            .ok_or_else(|| tampered("missing", name, format!("the archive has no {name}")))
    };
    let key_pem = String::from_utf8_lossy(get(KEY)?).to_string();
    let key = VerifyingKey::from_public_key_pem(&key_pem)
        .map_err(|_| tampered("key", KEY, format!("{KEY} is not an Ed25519 public key")))?;
    check_seal(&key, &bytes)?;
    let sums = get(SUMS)?;
    let sig = Signature::from_slice(get(SUMS_SIG)?)
        .map_err(|_| tampered("signature", SUMS_SIG, format!("{SUMS_SIG} is not a signature")))?;
    key.verify(sums, &sig).map_err(|_| {
        tampered(
            "signature",
            SUMS,
            format!("{SUMS} is not signed by the archive's key: the list of sums was changed"),
        )
    })?;
    let mut listed = 0;
    for line in String::from_utf8_lossy(sums).lines() {
        let Some((hash, name)) = line.split_once("  ") else {
            continue;
        };
        let data = get(name)?;
        if crate::journal::hex(&Sha256::digest(data)) != hash {
            return Err(tampered(
                "sum",
                name,
                format!("{name} is not the file that was archived (its SHA-256 differs)"),
            ));
        }
        listed += 1;
    }
    if let Some(extra) = files
        .keys()
        .find(|n| *n != SUMS && *n != SUMS_SIG && !String::from_utf8_lossy(sums).contains(&format!("  {n}\n")))
    {
        return Err(tampered("extra", extra, format!("{extra} was added to the archive")));
    }
    let records = check_records(&key, get("records.csv")?)?;
    let manifest: Value = serde_json::from_slice(get("manifest.json")?)
        .map_err(|_| tampered("manifest", "manifest.json", "manifest.json is not JSON".into()))?;
    Ok(ArchiveVerified {
        from: manifest["from"].as_str().unwrap_or("").to_string(),
        to: manifest["to"].as_str().unwrap_or("").to_string(),
        files: listed,
        records,
        ok: true,
    })
}

fn read_zip(path: &Path, bytes: &[u8]) -> Result<BTreeMap<String, Vec<u8>>> {
    let file = std::io::Cursor::new(bytes);
    let not_zip =
        |e: zip::result::ZipError| tampered("zip", "", format!("{} is not a whole archive: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).map_err(not_zip)?;
    let mut files = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(not_zip)?;
        let name = f.name().to_string();
        let mut data = Vec::new();
        // A changed byte fails the entry's CRC (or its inflation) here.
        f.read_to_end(&mut data)
            .map_err(|e| tampered("zip", &name, format!("{name} in the archive is damaged: {e}")))?;
        files.insert(name, data);
    }
    Ok(files)
}

/// Each chain's run: consecutive, linked, each hash recomputed, signed.
fn check_records(key: &VerifyingKey, csv_bytes: &[u8]) -> Result<BTreeMap<String, i64>> {
    let file = "records.csv";
    let mut reader = csv::Reader::from_reader(csv_bytes);
    let mut last: BTreeMap<String, (i64, String)> = BTreeMap::new();
    let mut counts = BTreeMap::new();
    for row in reader.records() {
        let row = row.map_err(|e| tampered("records", file, format!("{file} cannot be read: {e}")))?;
        let col = |i: usize| row.get(i).unwrap_or("").to_string();
        let (chain, at, counter) = (col(0), col(2), col(3));
        let seq: i64 = col(1).parse().unwrap_or(0);
        let values: Value = serde_json::from_str(&col(4)).unwrap_or(Value::Null);
        let (prev, hash, signature) = (col(5), col(6), col(7));
        let here = |what: &str, message: String| {
            tampered(what, file, message)
                .with("record_chain", chain.as_str())
                .with("record", seq)
        };
        if let Some((s, h)) = last.get(&chain) {
            if seq != s + 1 || &prev != h {
                return Err(here(
                    "link",
                    format!("{chain} record {seq} does not follow record {s} in the archive"),
                ));
            }
        }
        if hash_of(&prev, &chain, seq, &at, &counter, &values) != hash {
            return Err(here(
                "values",
                format!("{chain} record {seq} in the archive was changed (its values no longer give its hash)"),
            ));
        }
        use base64::Engine;
        let signed = base64::engine::general_purpose::STANDARD
            .decode(&signature)
            .ok()
            .and_then(|s| Signature::from_slice(&s).ok())
            .is_some_and(|s| key.verify(hash.as_bytes(), &s).is_ok());
        if !signed {
            return Err(here(
                "signature",
                format!("{chain} record {seq} in the archive is not signed by its key"),
            ));
        }
        *counts.entry(chain.clone()).or_insert(0) += 1;
        last.insert(chain, (seq, hash));
    }
    Ok(counts)
}
