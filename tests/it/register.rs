//! The register tampered with as an auditor would, on the real SQLite
//! file: each change is found by `comptoir register verify` (exit 6),
//! naming the chain, the record and what is wrong; a clean register
//! verifies; reprints say DUPLICATA with their number.

use crate::common::Shop;
use comptoir::registry::SimHost;
use serde_json::Value;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{Connection, SqliteConnection};
use std::collections::BTreeMap;
use std::time::Duration;

const TOPUP_10: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const FNAC_25: &str = "FNAC_25_EUR";

/// A shop with three receipts (the second with a gift card refused and
/// given back) and one reprint.
async fn shop_with_sales() -> (Shop, SimHost, BTreeMap<String, String>) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    shop.json(&env, &["shift", "open", "--float", "100"]);
    let topup = [
        "sell",
        "topup",
        "--offer",
        TOPUP_10,
        "--msisdn",
        "0684587587",
        "--pay",
        "cash",
        "--given",
        "20",
    ];
    shop.json(&env, &topup);
    shop.json(
        &env,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    shop.json(&env, &["basket", "add", "giftcard", "--product", FNAC_25]);
    host.state.amilon.set_budget(0.0);
    let out = shop.run(&env, &["--json", "basket", "pay", "--cash", "35"]);
    assert_eq!(out.status.code(), Some(3), "{}", String::from_utf8_lossy(&out.stderr));
    shop.json(&env, &topup);
    (shop, host, env)
}

async fn sqlite(shop: &Shop) -> SqliteConnection {
    let path = shop.data_dir().join("journal.sqlite");
    SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(path))
        .await
        .unwrap()
}

async fn exec(shop: &Shop, sql: &str) {
    let mut c = sqlite(shop).await;
    sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
}

/// `register verify` expected to find a defect: its params.
fn defect(shop: &Shop, env: &BTreeMap<String, String>) -> Value {
    let e = shop.fails(env, &["register", "verify"], 6);
    assert_eq!(e["code"], "register.tampered", "{e}");
    e["params"].clone()
}

const OPEN_UP: &str = "DROP TRIGGER register_append_only_update; DROP TRIGGER register_append_only_delete;";

#[tokio::test(flavor = "multi_thread")]
async fn a_clean_register_verifies_and_names_its_key() {
    let (shop, _host, env) = shop_with_sales().await;
    // A login, a setting changed: technical events, chained too.
    let out = shop.with_stdin(&env, &["cashier", "add", "Sophie", "--role", "owner"], "48213597\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let out = shop.with_stdin(&env, &["login", "Sophie"], "48213597\n");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    shop.json(&env, &["config", "set", "shop.name", "Bazar"]);
    let v = shop.json(&env, &["register", "verify"]);
    assert_eq!(v["ok"], true);
    assert!(v["chains"]["event"].as_i64().unwrap() >= 2, "{v}");
    assert_eq!(v["chains"]["receipt"], 3);
    assert_eq!(v["chains"]["refund"], 1);
    assert!(v["cross_checked"].as_i64().unwrap() >= 3 + 1 + 3);
    let key = shop.run(&env, &["register", "key"]);
    let pem = String::from_utf8_lossy(&key.stdout);
    assert!(pem.starts_with("-----BEGIN PUBLIC KEY-----"), "{pem}");
    // openssl reads it as an Ed25519 public key.
    let file = shop.dir.path().join("key.pem");
    std::fs::write(&file, pem.as_bytes()).unwrap();
    let out = std::process::Command::new("openssl")
        .args(["pkey", "-pubin", "-in", file.to_str().unwrap(), "-noout", "-text"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("ED25519"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The register refuses to be changed, whoever asks.
    let mut c = sqlite(&shop).await;
    let e = sqlx::query("UPDATE register SET counter = 'X'")
        .execute(&mut c)
        .await
        .unwrap_err();
    assert!(e.to_string().contains("append-only"), "{e}");
    assert!(sqlx::query("DELETE FROM register").execute(&mut c).await.is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_amount_changed_in_a_record_is_found() {
    let (shop, _host, env) = shop_with_sales().await;
    exec(&shop, &format!("{OPEN_UP} UPDATE register SET payload = replace(payload, '\"total\":1000', '\"total\":100') WHERE chain = 'receipt' AND seq = 1;")).await;
    let p = defect(&shop, &env);
    assert_eq!(
        (p["chain"].as_str(), p["seq"].as_i64(), p["what"].as_str()),
        (Some("receipt"), Some(1), Some("values"))
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_a_payment_or_a_status_edited_in_the_journal_is_found() {
    let (shop, _host, env) = shop_with_sales().await;
    exec(
        &shop,
        "UPDATE receipts SET total_cents = 500 WHERE number = 'C1-000003';",
    )
    .await;
    let p = defect(&shop, &env);
    assert_eq!(
        (p["chain"].as_str(), p["what"].as_str()),
        (Some("receipt"), Some("journal_differs"))
    );
    exec(
        &shop,
        "UPDATE receipts SET total_cents = 1000 WHERE number = 'C1-000003';",
    )
    .await;
    shop.json(&env, &["register", "verify"]);

    exec(
        &shop,
        "UPDATE tenders SET amount_cents = 100 WHERE receipt = 'C1-000001';",
    )
    .await;
    assert_eq!(defect(&shop, &env)["what"], "journal_differs");
    exec(
        &shop,
        "UPDATE tenders SET amount_cents = 1000 WHERE receipt = 'C1-000001';",
    )
    .await;

    // The gift card given back, turned into a delivered one.
    exec(&shop, "UPDATE orders SET status = 'delivered' WHERE json_extract(details, '$.receipt') = 'C1-000002' AND provider = 'amilon';").await;
    assert_eq!(defect(&shop, &env)["what"], "order_differs");
    exec(&shop, "UPDATE orders SET status = 'failed' WHERE json_extract(details, '$.receipt') = 'C1-000002' AND provider = 'amilon';").await;
    exec(
        &shop,
        "UPDATE orders SET amount_cents = 1 WHERE json_extract(details, '$.receipt') = 'C1-000001';",
    )
    .await;
    assert_eq!(defect(&shop, &env)["what"], "order_differs");
}

/// A receipt removed from the journal, its payments with it, is found and
/// named by its record, as is one that never had a record.
#[tokio::test(flavor = "multi_thread")]
async fn a_receipt_removed_from_the_journal_is_found() {
    let (shop, _host, env) = shop_with_sales().await;
    exec(
        &shop,
        "PRAGMA foreign_keys = OFF; DELETE FROM tenders WHERE receipt = 'C1-000003';
         DELETE FROM receipts WHERE number = 'C1-000003';",
    )
    .await;
    let e = shop.fails(&env, &["register", "verify"], 6);
    assert_eq!(
        (e["params"]["chain"].as_str(), e["params"]["what"].as_str()),
        (Some("receipt"), Some("deleted")),
        "{e}"
    );
    assert!(e["message"].as_str().unwrap().contains("C1-000003"), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_record_deleted_or_two_swapped_is_found() {
    let (shop, _host, env) = shop_with_sales().await;
    let saved = shop.dir.path().join("saved.sqlite");
    exec(&shop, &format!("VACUUM INTO '{}';", saved.display())).await;
    exec(
        &shop,
        &format!("{OPEN_UP} DELETE FROM register WHERE chain = 'receipt' AND seq = 2;"),
    )
    .await;
    let p = defect(&shop, &env);
    assert_eq!(
        (p["chain"].as_str(), p["seq"].as_i64(), p["what"].as_str()),
        (Some("receipt"), Some(2), Some("missing"))
    );

    // Swapped: the records of receipts 1 and 3 exchange their values.
    std::fs::copy(&saved, shop.data_dir().join("journal.sqlite")).unwrap();
    exec(
        &shop,
        &format!(
            "{OPEN_UP} UPDATE register SET payload = CASE seq WHEN 1 THEN (SELECT payload FROM register WHERE chain = 'receipt' AND seq = 3)
               ELSE (SELECT payload FROM register WHERE chain = 'receipt' AND seq = 1) END
             WHERE chain = 'receipt' AND seq IN (1, 3);"
        ),
    )
    .await;
    let p = defect(&shop, &env);
    assert_eq!((p["chain"].as_str(), p["seq"].as_i64()), (Some("receipt"), Some(1)));
}

#[tokio::test(flavor = "multi_thread")]
async fn the_last_records_cut_off_or_an_older_copy_put_back_is_found_by_the_head() {
    let (shop, _host, env) = shop_with_sales().await;
    let older = shop.dir.path().join("older.sqlite");
    exec(&shop, &format!("VACUUM INTO '{}';", older.display())).await;
    let topup = [
        "sell",
        "topup",
        "--offer",
        TOPUP_10,
        "--msisdn",
        "0684587587",
        "--pay",
        "card",
    ];
    shop.json(&env, &topup);
    shop.json(&env, &["register", "verify"]);
    // The last receipt's record and the receipt cut off together.
    exec(&shop, &format!("{OPEN_UP} DELETE FROM register WHERE chain = 'receipt' AND seq = 4; DELETE FROM tenders WHERE receipt = 'C1-000004'; DELETE FROM receipts WHERE number = 'C1-000004'; UPDATE orders SET details = json_remove(details, '$.receipt') WHERE json_extract(details, '$.receipt') = 'C1-000004';")).await;
    let p = defect(&shop, &env);
    assert_eq!(
        (p["chain"].as_str(), p["what"].as_str()),
        (Some("receipt"), Some("cut_off")),
        "{p}"
    );
    // Yesterday's copy of the journal put back.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(shop.data_dir().join(format!("journal.sqlite{suffix}")));
    }
    std::fs::copy(&older, shop.data_dir().join("journal.sqlite")).unwrap();
    let p = defect(&shop, &env);
    assert_eq!(p["what"], "cut_off");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_reprint_says_duplicata_with_its_number_and_is_recorded() {
    let (shop, _host, env) = shop_with_sales().await;
    let text = |n: u32| {
        let pdf = shop.dir.path().join(format!("print-{n}.pdf"));
        shop.json(&env, &["receipt", "print", "C1-000001", "--pdf", pdf.to_str().unwrap()]);
        let out = std::process::Command::new("pdftotext")
            .args([pdf.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    assert!(!text(1).contains("DUPLICATA"), "the first print is the original");
    assert!(text(2).contains("DUPLICATA n° 1"));
    assert!(text(3).contains("DUPLICATA n° 2"));
    let v = shop.json(&env, &["register", "verify"]);
    assert_eq!(v["chains"]["print"], 3);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_journal_from_before_the_register_verifies_after_the_upgrade() {
    // Yesterday's schema (every migration before the register's), with a
    // receipt the till wrote then.
    let shop = Shop::new();
    let old = shop.dir.path().join("old-migrations");
    std::fs::create_dir_all(&old).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.as_str() < "20261205000002" {
            std::fs::copy(&path, old.join(&name)).unwrap();
        }
    }
    std::fs::create_dir_all(shop.data_dir()).unwrap();
    let path = shop.data_dir().join("journal.sqlite");
    let mut c = SqliteConnection::connect_with(&SqliteConnectOptions::new().filename(&path).create_if_missing(true))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(old.as_path())
        .await
        .unwrap()
        .run(&mut c)
        .await
        .unwrap();
    sqlx::raw_sql(
        "INSERT INTO shifts (id, counter, opened_at, float_cents, float_counted) VALUES ('S-1', 'C1', '2026-12-04T08:00:00.000Z', 0, 0);
         INSERT INTO baskets (id, counter, status, created_at) VALUES ('B-1', 'C1', 'paid', '2026-12-04T09:00:00.000Z');
         INSERT INTO receipts (number, counter, seq, basket, shift, total_cents, change_cents, currency, created_at)
           VALUES ('C1-000001', 'C1', 1, 'B-1', 'S-1', 1000, 0, 'EUR', '2026-12-04T09:00:00.000Z');
         INSERT INTO tenders (receipt, tender, amount_cents) VALUES ('C1-000001', 'cash', 1000);",
    )
    .execute(&mut c)
    .await
    .unwrap();
    c.close().await.unwrap();
    let env = BTreeMap::new();
    let v = shop.json(&env, &["register", "verify"]);
    assert_eq!(v["ok"], true);
    // The register's start is written once: moving it back is refused.
    let mut c = sqlite(&shop).await;
    assert!(sqlx::query("UPDATE register_meta SET value = '2000-01-01'")
        .execute(&mut c)
        .await
        .is_err());
}

#[tokio::test(flavor = "multi_thread")]
async fn each_software_version_is_recorded_once_in_the_register() {
    let (shop, _host, env) = shop_with_sales().await;
    let version = env!("CARGO_PKG_VERSION");
    // The first start after the register's first record names this version;
    // the starts after it, of the same version, add nothing.
    for _ in 0..3 {
        shop.json(&env, &["status"]);
    }
    let events = shop.json(&env, &["register", "events", "--limit", "100"]);
    let versions: Vec<&Value> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["values"]["event"] == "software_version")
        .collect();
    assert_eq!(versions.len(), 1, "{events}");
    assert_eq!(versions[0]["values"]["details"]["to"], version);
    let v = shop.json(&env, &["register", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
    // The text says it too, in words, with the shop's date.
    let out = shop.run(&env, &["register", "events"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&format!("software version  — → {version}")), "{text}");
}

/// The register's technical events include every setting changed, with
/// what it was and what it became, and every operation on the keys, also
/// in a shop without accounts (where no right is checked, so nothing was
/// recorded before); a value refused, or set to what it was, records
/// nothing. The text names them in words, not as JSON.
#[tokio::test(flavor = "multi_thread")]
async fn a_setting_changed_or_a_key_made_is_recorded_even_without_accounts() {
    let shop = Shop::new();
    let env = BTreeMap::new();
    let settings = |shop: &Shop| -> Vec<Value> {
        let all = shop.json(&env, &["register", "events", "--limit", "100"]);
        let mut found: Vec<Value> = all
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["values"]["event"] == "setting")
            .map(|r| r["values"]["details"].clone())
            .collect();
        found.reverse(); // oldest first
        found
    };
    shop.json(&env, &["config", "set", "shop.siret", "73282932000074"]);
    shop.json(&env, &["config", "set", "shop.siret", "73282932000074"]);
    let refused = shop.run(&env, &["--json", "config", "set", "shop.siret", "12"]);
    assert_eq!(refused.status.code(), Some(2));
    shop.json(&env, &["config", "set", "shop.siret", "44306184100047"]);
    shop.json(&env, &["config", "unset", "shop.siret"]);
    let seen = settings(&shop);
    let expected = [
        (Value::Null, Value::from("73282932000074")),
        (Value::from("73282932000074"), Value::from("44306184100047")),
        (Value::from("44306184100047"), Value::Null),
    ];
    assert_eq!(seen.len(), expected.len(), "{seen:?}");
    for (d, (from, to)) in seen.iter().zip(expected) {
        assert_eq!(d["key"], "shop.siret", "{d}");
        assert_eq!((d["from"].clone(), d["to"].clone()), (from, to), "{d}");
    }
    // A key made is recorded with its public fingerprint, nothing secret.
    let out = shop.run(&env, &["--json", "keys", "generate"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let all = shop.json(&env, &["register", "events", "--limit", "100"]);
    let made: Vec<&Value> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["values"]["event"] == "key_generated")
        .collect();
    assert_eq!(made.len(), 1, "{all}");
    let fingerprint = made[0]["values"]["details"]["fingerprint"].as_str().unwrap();
    assert!(fingerprint.len() >= 16, "{fingerprint}");
    assert!(!all.to_string().contains("PRIVATE KEY"));
    let v = shop.json(&env, &["register", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
    // In words, in both languages.
    let text = |lang: &str| {
        let mut env = env.clone();
        env.insert("LANG".into(), lang.into());
        String::from_utf8_lossy(&shop.run(&env, &["register", "events", "--limit", "100"]).stdout).to_string()
    };
    let en = text("en_GB.UTF-8");
    assert!(
        en.contains("setting changed  shop.siret: 73282932000074 → 44306184100047"),
        "{en}"
    );
    assert!(en.contains("setting changed  shop.siret: — → 73282932000074"), "{en}");
    assert!(
        en.contains(&format!("distributor key generated  fingerprint: {fingerprint}")),
        "{en}"
    );
    assert!(!en.contains('{'), "{en}");
    let fr = text("fr_FR.UTF-8");
    assert!(fr.contains("réglage modifié  shop.siret : 44306184100047 → —"), "{fr}");
    assert!(
        fr.contains(&format!("clé de distributeur créée  empreinte : {fingerprint}")),
        "{fr}"
    );
}

/// Settings › Register and VAT: read with their defaults, saved whole or
/// not at all, the fiscal year's end taken by the running journal at once,
/// and only what the shop changed recorded in the register.
#[tokio::test(flavor = "multi_thread")]
async fn the_register_and_vat_settings_are_saved_whole_or_not_at_all() {
    use comptoir::register::fiscal;
    let dir = tempfile::tempdir().unwrap();
    let app = comptoir::Comptoir::open(comptoir::Options {
        data_dir: Some(dir.path().to_path_buf()),
        training: true,
        secret_store: Some(comptoir::secrets::Backend::Kernel),
        share_training: false,
    })
    .await
    .unwrap();
    let before = fiscal::settings(&app).unwrap();
    assert_eq!((before.siret.as_str(), before.fiscal_year_end.as_str()), ("", "12-31"));
    let treatment =
        |s: &fiscal::FiscalSettings, kind: &str| s.taxes.iter().find(|c| c.kind == kind).unwrap().treatment.clone();
    assert_eq!(treatment(&before, "esim"), "vat:20");
    assert_eq!(treatment(&before, "topup"), "agent");
    assert_eq!(before.taxes.len(), 4);
    // A SIRET refused: nothing is written, not even the good values beside it.
    let mut new = before.clone();
    new.siret = "12".into();
    new.fiscal_year_end = "06-30".into();
    new.taxes.iter_mut().find(|c| c.kind == "topup").unwrap().treatment = "vat:20".into();
    let e = fiscal::set_settings(&app, &new).unwrap_err();
    assert_eq!(e.code, "settings.bad_value", "{e:?}");
    assert_eq!(fiscal::settings(&app).unwrap(), before);
    // A whole save; the SIRET typed in groups.
    new.siret = "732 829 320 00074".into();
    fiscal::set_settings(&app, &new).unwrap();
    let after = fiscal::settings(&app).unwrap();
    assert_eq!(after.siret, "73282932000074");
    assert_eq!(after.fiscal_year_end, "06-30");
    assert_eq!(treatment(&after, "topup"), "vat:20");
    assert_eq!(treatment(&after, "giftcard"), "mpv");
    assert_eq!(app.journal.fiscal_year_end(), 6);
    let mut changed: Vec<String> = app
        .journal
        .register_events(100)
        .await
        .unwrap()
        .iter()
        .filter(|r| r.values["event"] == "setting")
        .map(|r| r.values["details"]["key"].as_str().unwrap().to_string())
        .collect();
    changed.sort();
    assert_eq!(
        changed,
        ["register.fiscal_year_end", "shop.siret", "tax.orange-travel.topup"]
    );
}
