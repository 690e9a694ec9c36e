//! The CLI in ordinary situations a shop meets (issue "two counters, a full
//! disk and a surprising answer"): a reader that stops reading, a full disk,
//! a file that never ends, arguments refused with `--json`, a name that
//! reads backwards, a reconciliation in the other mode.

use crate::common::Shop;
use comptoir::journal::{Journal, NewOrder, OrderKind, OrderStatus, StatusUpdate};
use comptoir::providers::ProviderId;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};

fn none() -> BTreeMap<String, String> {
    BTreeMap::new()
}

/// stderr holds exactly one JSON object: the error.
fn one_json_error(stderr: &[u8]) -> Value {
    let text = String::from_utf8_lossy(stderr);
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| panic!("not one JSON object ({e}): {text}"));
    v["error"].clone()
}

#[test]
fn a_reader_that_stops_reading_is_a_clean_end() {
    let shop = Shop::new();
    shop.json(&none(), &["seed", "--orders", "3000"]);
    let mut child = shop
        .cli(&none())
        .args(["orders", "--limit", "3000"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // `| head -1`: the reader is gone after one line.
    let out = child.wait_with_output().unwrap();
    assert!(first.starts_with("CPT-"), "{first}");
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn with_json_refused_arguments_are_one_json_error() {
    let shop = Shop::new();
    let out = shop.run(&none(), &["--json", "sell", "topup", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    let e = one_json_error(&out.stderr);
    assert_eq!(e["kind"], "invalid_input");
    assert_eq!(e["code"], "cli.bad_arguments");
    assert!(e["message"].as_str().unwrap().contains("--bogus"), "{e}");
    // Without --json, clap's own words; help is still help.
    let out = shop.run(&none(), &["sell", "topup", "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
    assert!(shop.run(&none(), &["--json", "--help"]).status.success());
}

#[test]
fn a_full_disk_and_a_folder_that_is_not_there_say_so_and_leave_no_half_file() {
    let shop = Shop::new();
    shop.json(&none(), &["seed", "--orders", "50"]);
    let e = shop.fails(&none(), &["export", "orders", "--out", "/dev/full"], 4);
    assert_eq!(e["code"], "file.disk_full");
    assert!(e["message"].as_str().unwrap().contains("disk is full"), "{e}");
    let e = shop.fails(&none(), &["report", "daily", "--csv", "/dev/full"], 4);
    assert_eq!(e["code"], "file.disk_full");
    let nowhere = shop.dir.path().join("no/such/folder/orders.csv");
    let e = shop.fails(&none(), &["export", "orders", "--out", nowhere.to_str().unwrap()], 2);
    assert_eq!(e["code"], "export.cannot_write");
    // A good export replaces the old file whole, and leaves nothing beside it.
    let out = shop.dir.path().join("orders.csv");
    std::fs::write(&out, "old").unwrap();
    shop.json(&none(), &["export", "orders", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 51);
    let beside: Vec<_> = std::fs::read_dir(shop.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert!(
        beside.iter().all(|n| !n.to_string_lossy().ends_with(".part")),
        "{beside:?}"
    );
}

#[test]
fn files_that_never_end_are_refused_before_they_fill_the_memory() {
    let shop = Shop::new();
    // Not a regular file: refused before a byte is read (issue 20 §2).
    let e = shop.fails(&none(), &["import", "orders", "/dev/zero"], 2);
    assert_eq!(e["code"], "file.not_regular");
    let out = shop.with_stdin(&none(), &["keys", "import", "/dev/zero"], "a long passphrase here\n");
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(one_json_error(&out.stderr)["code"], "file.not_regular");
    // A regular file over the cap: too large.
    let big = shop.dir.path().join("big.key");
    std::fs::write(&big, vec![b'x'; 1024 * 1024 + 1]).unwrap();
    let out = shop.with_stdin(
        &none(),
        &["keys", "import", big.to_str().unwrap()],
        "a long passphrase here\n",
    );
    assert_eq!(one_json_error(&out.stderr)["code"], "file.too_large");
}

#[test]
fn a_customer_name_that_reads_backwards_is_refused() {
    let shop = Shop::new();
    shop.json(&none(), &["sync", "--provider", "orange-travel"]);
    let offer = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
    for bad in ["Dupont\u{202E}tnop", "Du\u{200B}pont", "Dupont\u{2066}"] {
        let e = shop.fails(
            &none(),
            &[
                "sell",
                "topup",
                "--offer",
                offer,
                "--msisdn",
                "0612345678",
                "--customer",
                bad,
            ],
            2,
        );
        assert_eq!(e["code"], "sale.bad_customer_ref", "{bad:?}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn reconcile_in_the_other_mode_names_what_it_cannot_settle() {
    let shop = Shop::new();
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let live = journal
        .create_order(NewOrder {
            provider: ProviderId::OrangeTravel,
            kind: OrderKind::Topup,
            product_id: Some("offer".into()),
            product_name: "Recharge 10 €".into(),
            quantity: 1,
            customer_ref: None,
            phone: Some("612345678".into()),
            sim_id: None,
            amount_cents: 1000,
            cost_cents: None,
            fees_cents: None,
            currency: "EUR".into(),
            training: false,
            details: json!({}),
        })
        .await
        .unwrap();
    journal
        .set_status(&live.id, OrderStatus::Unknown, StatusUpdate::default())
        .await
        .unwrap();
    drop(journal);
    let out = shop.run(&none(), &["--json", "--training", "reconcile"]);
    assert_eq!(out.status.code(), Some(4), "{}", String::from_utf8_lossy(&out.stderr));
    let e = one_json_error(&out.stderr);
    assert_eq!(e["code"], "reconcile.incomplete");
    assert_eq!(e["params"]["orders"], json!([live.id]));
    // In words: which order, and how to settle it.
    let out = shop.run(&none(), &["--training", "reconcile"]);
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains(&live.id) && said.contains("made live"), "{said}");
    assert_eq!(out.status.code(), Some(4));
}

const HEADER: &str = "id,created_at,updated_at,provider,kind,status,provider_ref,product_id,product_name,quantity,amount,cost,fees,currency,customer_ref,phone,sim_id,iccid,training";

fn line(id: &str, created: &str, name: &str, amount: &str, customer: &str) -> String {
    format!("{id},{created},{created},orange-travel,topup,delivered,TRX-1,offer,{name},1,{amount},7.92,2.08,EUR,{customer},612345678,,,false")
}

fn import(shop: &Shop, rows: &[String]) -> std::process::Output {
    let path = shop.dir.path().join("in.csv");
    std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    shop.run(&none(), &["--json", "import", "orders", path.to_str().unwrap()])
}

fn refused(out: &std::process::Output) -> Value {
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    one_json_error(&out.stderr)
}

#[test]
fn an_import_is_all_or_nothing_and_takes_only_what_a_sale_would() {
    let shop = Shop::new();
    let good = line(
        "CPT-261101-AAAAAA",
        "2026-11-01T10:00:00.000Z",
        "Recharge 10 €",
        "10.00",
        "Dupont",
    );
    let cases = [
        (
            line("CPT-261101-BBBBBB", "2026-11-01T10:00:00Z", "Recharge", "-5.00", "x"),
            3,
            "amount",
        ),
        (
            line(
                "CPT-261101-BBBBBB",
                "2026-11-01T10:00:00Z",
                "Recharge",
                "92233720368547758.99",
                "x",
            ),
            3,
            "amount",
        ),
        (
            line(
                "CPT-261101-AAAAAA",
                "2026-11-01T10:00:00Z",
                "Recharge 20 €",
                "20.00",
                "x",
            ),
            3,
            "other data",
        ),
        (
            line(
                "CPT-261101-BBBBBB",
                "2026-11-01T10:00:00Z",
                "\"Recharge\nCPT-FAKE  forged line\"",
                "10.00",
                "x",
            ),
            3,
            "control",
        ),
        (
            line(
                "CPT-261101-BBBBBB",
                "2026-11-01T10:00:00Z",
                "Recharge",
                "10.00",
                &"x".repeat(2_000_000),
            ),
            3,
            "longer",
        ),
        (
            line(
                "CPT-261101-BBBBBB",
                "2026-11-01T10:00:00Z",
                "Recharge",
                "10.00",
                "Du\u{202E}pont",
            ),
            3,
            "invisible",
        ),
    ];
    for (bad, at, why) in &cases {
        let e = refused(&import(&shop, &[good.clone(), bad.clone()]));
        assert_eq!(e["code"], "import.bad_line", "{why}");
        assert_eq!(e["params"]["line"], *at, "{why}: {e}");
        assert!(e["params"]["reason"].as_str().unwrap().contains(why), "{why}: {e}");
        assert_eq!(
            shop.json(&none(), &["orders"]).as_array().unwrap().len(),
            0,
            "nothing imported"
        );
    }
    // Dates with an offset are filed under their day in UTC.
    let late = line(
        "CPT-261101-CCCCCC",
        "2026-11-01T23:30:00-02:00",
        "Recharge",
        "10.00",
        "Martin",
    );
    let out = import(&shop, &[good.clone(), late]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let o = shop.json(&none(), &["order", "show", "CPT-261101-CCCCCC"]);
    assert_eq!(o["order"]["created_at"], "2026-11-02T01:30:00.000Z");
    // The same file again: the same orders, skipped; one changed: refused.
    let again: Value = serde_json::from_slice(&import(&shop, std::slice::from_ref(&good)).stdout).unwrap();
    assert_eq!(
        (again["imported"].as_u64(), again["skipped"].as_u64()),
        (Some(0), Some(1))
    );
    let changed = line(
        "CPT-261101-AAAAAA",
        "2026-11-01T10:00:00.000Z",
        "Recharge 10 €",
        "11.00",
        "Dupont",
    );
    let e = refused(&import(&shop, &[changed]));
    assert!(e["message"].as_str().unwrap().contains("already in the journal"), "{e}");
}

#[test]
fn exported_formulas_are_shown_as_text_and_read_back_unchanged() {
    let shop = Shop::new();
    let formula = "\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"";
    let rows = [
        line(
            "CPT-261101-DDDDDD",
            "2026-11-01T10:00:00.000Z",
            "@Recharge",
            "10.00",
            formula,
        ),
        line(
            "CPT-261101-EEEEEE",
            "2026-11-01T10:00:00.000Z",
            "Recharge",
            "10.00",
            "'quoted",
        ),
    ];
    assert!(import(&shop, &rows).status.success());
    let out = shop.dir.path().join("out.csv");
    shop.json(&none(), &["export", "orders", "--out", out.to_str().unwrap()]);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("'=HYPERLINK("), "{text}");
    assert!(text.contains(",'@Recharge,"), "{text}");
    assert!(
        !text.contains(",=HYPERLINK") && !text.contains(",\"=HYPERLINK"),
        "{text}"
    );
    // Another shop imports it: every value as it was.
    let other = Shop::new();
    assert!(other
        .run(&none(), &["import", "orders", out.to_str().unwrap()])
        .status
        .success());
    let d = other.json(&none(), &["order", "show", "CPT-261101-DDDDDD"]);
    assert_eq!(d["order"]["customer_ref"], "=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(d["order"]["product_name"], "@Recharge");
    let e = other.json(&none(), &["order", "show", "CPT-261101-EEEEEE"]);
    assert_eq!(e["order"]["customer_ref"], "'quoted");
}

#[tokio::test(flavor = "multi_thread")]
async fn reports_and_exports_count_every_order_of_the_period_not_ten_thousand() {
    let shop = Shop::new();
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let day = chrono::Local::now().date_naive();
    let noon = day
        .and_hms_opt(12, 0, 0)
        .unwrap()
        .and_local_timezone(chrono::Local)
        .unwrap();
    let orders: Vec<comptoir::journal::Order> = (0..10_500)
        .map(|i| comptoir::journal::Order {
            id: format!("CPT-X-{i:06}"),
            provider: ProviderId::OrangeTravel,
            kind: OrderKind::Topup,
            status: OrderStatus::Delivered,
            provider_ref: None,
            product_id: Some("offer".into()),
            product_name: "Recharge 10 €".into(),
            quantity: 1,
            customer_ref: None,
            phone: None,
            sim_id: None,
            iccid: None,
            amount_cents: 1000,
            cost_cents: Some(792),
            fees_cents: Some(208),
            currency: "EUR".into(),
            training: false,
            details: json!({}),
            created_at: noon
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            updated_at: noon
                .with_timezone(&chrono::Utc)
                .to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            cashier: None,
        })
        .collect();
    journal.insert_orders(&orders, "test").await.unwrap();
    drop(journal);
    let today = day.to_string();
    let r = shop.json(&none(), &["report", "daily", "--date", &today]);
    assert_eq!(r["totals"][0]["sales"], 10_500, "{}", r["totals"]);
    assert_eq!(r["totals"][0]["amount"].as_f64(), Some(105_000.0));
    let out = shop.dir.path().join("all.csv");
    let n = shop.json(&none(), &["export", "orders", "--out", out.to_str().unwrap()]);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 10_501, "{n}");
}

#[test]
fn bounds_on_fees_and_seeds_are_refused_not_panicked() {
    let shop = Shop::new();
    shop.json(&none(), &["sync", "--provider", "orange-travel"]);
    let offer = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
    let e = shop.fails(
        &none(),
        &[
            "offers",
            "customize",
            offer,
            "--fees",
            "1e308",
            "--fees-type",
            "percent",
        ],
        2,
    );
    assert_eq!(e["code"], "offers.bad_fees");
    let e = shop.fails(&none(), &["seed", "--days", "9223372036854775807"], 2);
    assert_eq!(e["code"], "seed.bad_size");
}

#[cfg(unix)]
#[test]
fn the_data_folder_and_its_files_are_the_users_only_and_an_empty_journal_is_said() {
    use std::os::unix::fs::PermissionsExt;
    let shop = Shop::new();
    // An older install left the folder open to all.
    std::fs::create_dir_all(shop.data_dir()).unwrap();
    std::fs::set_permissions(shop.data_dir(), std::fs::Permissions::from_mode(0o755)).unwrap();
    shop.json(&none(), &["seed", "--orders", "20"]);
    shop.json(&none(), &["config", "set", "shop.name", "Tabac du Centre"]);
    let csv = shop.dir.path().join("orders.csv");
    shop.json(&none(), &["export", "orders", "--out", csv.to_str().unwrap()]);
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&shop.data_dir()), 0o700);
    for (path, _) in crate::common::all_files(&shop.data_dir()) {
        assert_eq!(mode(&path) & 0o077, 0, "{} is {:o}", path.display(), mode(&path));
    }
    assert_eq!(mode(&csv), 0o600);
    // A journal cut to 0 bytes is not silently started afresh.
    let other = Shop::new();
    std::fs::create_dir_all(other.data_dir()).unwrap();
    std::fs::write(other.data_dir().join("journal.sqlite"), b"").unwrap();
    let e = other.fails(&none(), &["orders"], 2);
    assert_eq!(e["code"], "journal.empty_file");
    assert_eq!(
        std::fs::metadata(other.data_dir().join("journal.sqlite"))
            .unwrap()
            .len(),
        0,
        "left as it was"
    );
}

/// A small disk of its own for the shop (a tmpfs: this runs as root, as CI
/// does), unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl SmallDisk {
    fn mount(dir: &std::path::Path, megabytes: u32) -> SmallDisk {
        std::fs::create_dir_all(dir).unwrap();
        let status = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "tmpfs"])
            .arg(dir)
            .status()
            .expect("mount runs");
        assert!(status.success(), "this test mounts a small tmpfs (as root, as CI runs)");
        SmallDisk(dir.to_path_buf())
    }

    /// Fills what is left of it; returns the filler to remove later.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write;
        let filler = self.0.join("filler");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0u8; 64 * 1024];
        while f.write_all(&block).is_ok() {}
        let _ = f.flush();
        filler
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount").arg("-l").arg(&self.0).status();
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_full_disk_after_the_provider_answered_is_an_unknown_outcome_settled_later() {
    use comptoir::registry::SimHost;
    use comptoir::sim::{Fault, FaultAction};
    let shop = Shop::new();
    let disk = SmallDisk::mount(&shop.data_dir(), 8);
    let host = SimHost::start(0).await.unwrap();
    let env = host.env();
    shop.json(&env, &["sync", "--provider", "orange-travel"]);
    // Orange makes the top-up, then its answer takes a while: meanwhile
    // the disk fills up.
    host.inject(
        Fault::on("/distributors/transactions", FaultAction::DelayAfterCommit { ms: 2500 })
            .method("POST")
            .times(1),
    );
    let seller = shop
        .cli(&env)
        .args([
            "--json",
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0612345678",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The order is written pending, and the purchase sent, before the disk fills.
    let start = std::time::Instant::now();
    while host.faults().count("POST", "/distributors/transactions") == 0 {
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "the sale never reached Orange"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    let filler = disk.fill();
    let out = seller.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    let e = one_json_error(&out.stderr);
    assert_eq!(e["code"], "journal.unrecorded", "{e}");
    assert!(e["message"].as_str().unwrap().contains("do not sell it again"), "{e}");
    assert_eq!(host.state.orange_travel.transactions().len(), 1, "Orange made it");
    // Room again: reconciliation settles it, without selling twice.
    std::fs::remove_file(filler).unwrap();
    let settled = shop.json(&env, &["reconcile"]);
    assert_eq!(settled[0]["to"], "delivered", "{settled}");
    assert_eq!(host.state.orange_travel.transactions().len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_read_only_data_folder_reads_and_says_why_it_cannot_write() {
    let shop = Shop::new();
    let disk = SmallDisk::mount(&shop.data_dir(), 16);
    shop.json(&none(), &["seed", "--orders", "30"]);
    shop.json(&none(), &["config", "set", "shop.name", "Tabac du Centre"]);
    // With accounts, a signed-in cashier still reads (the session's last
    // use cannot be recorded there, and need not be).
    let added = shop.with_stdin(&none(), &["cashier", "add", "Sophie", "--role", "owner"], "48213597\n");
    assert!(added.status.success());
    assert!(shop
        .with_stdin(&none(), &["login", "Sophie"], "48213597\n")
        .status
        .success());
    let status = std::process::Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(&disk.0)
        .status()
        .unwrap();
    assert!(status.success());
    // Reading works: the orders, one order, the settings, a report.
    let orders = shop.json(&none(), &["orders", "--limit", "100"]);
    assert_eq!(orders.as_array().unwrap().len(), 30);
    let id = orders[0]["id"].as_str().unwrap();
    shop.json(&none(), &["order", "show", id]);
    assert_eq!(shop.json(&none(), &["config", "get"])["shop.name"], "Tabac du Centre");
    shop.json(&none(), &["report", "daily"]);
    // Writing says what is wrong (exit 2), and changes nothing.
    // Refused by the settings file, or first by the audit trail that would
    // record who changed it (with an account signed in).
    let e = shop.fails(&none(), &["config", "set", "shop.name", "Autre"], 2);
    assert!(
        e["message"].as_str().unwrap().contains("cannot be written") || e["code"] == "journal.read_only",
        "{e}"
    );
    let e = shop.fails(&none(), &["seed", "--orders", "1"], 2);
    assert_eq!(e["code"], "journal.read_only", "{e}");
    assert_eq!(
        shop.json(&none(), &["orders", "--limit", "100"])
            .as_array()
            .unwrap()
            .len(),
        30
    );
}

#[test]
fn a_french_export_has_decimal_commas_and_imports_back_the_same_amounts() {
    let shop = Shop::new();
    let rows = [line(
        "CPT-261101-FFFFFF",
        "2026-11-01T10:00:00.000Z",
        "\"Recharge 12,34 €\"",
        "12.34",
        "Dupont",
    )];
    assert!(import(&shop, &rows).status.success());
    let out = shop.dir.path().join("fr.csv");
    shop.json(
        &none(),
        &["export", "orders", "--out", out.to_str().unwrap(), "--delimiter", ";"],
    );
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("id;created_at;"), "{text}");
    assert!(text.contains(";12,34;7,92;2,08;EUR;"), "{text}");
    assert!(
        text.contains(";06 12 34 56 78;"),
        "the number as people write it: {text}"
    );
    let other = Shop::new();
    assert!(other
        .run(&none(), &["import", "orders", out.to_str().unwrap()])
        .status
        .success());
    let o = other.json(&none(), &["order", "show", "CPT-261101-FFFFFF"]);
    assert_eq!(o["order"]["amount"].as_f64(), Some(12.34));
    assert_eq!(o["order"]["cost"].as_f64(), Some(7.92));
    assert_eq!(o["order"]["product_name"], "Recharge 12,34 €");
    assert_eq!(o["order"]["phone"], "612345678", "back in Orange's form");
    let shown = other.run(&none(), &["order", "show", "CPT-261101-FFFFFF"]);
    let text = String::from_utf8_lossy(&shown.stdout);
    assert!(text.contains("Phone: 06 12 34 56 78"), "{text}");
}

#[test]
fn the_text_output_writes_amounts_in_the_shops_language() {
    let shop = Shop::new();
    let rows = [line(
        "CPT-261101-GGGGGG",
        "2026-11-01T10:00:00.000Z",
        "Recharge 10 €",
        "10.00",
        "Dupont",
    )];
    assert!(import(&shop, &rows).status.success());
    let text = |shop: &Shop, args: &[&str]| String::from_utf8(shop.run(&none(), args).stdout).unwrap();
    assert!(
        text(&shop, &["orders"]).contains("€10.00"),
        "{}",
        text(&shop, &["orders"])
    );
    shop.json(&none(), &["config", "set", "locale", "fr"]);
    let fr = text(&shop, &["orders"]);
    assert!(fr.contains("10,00\u{a0}€"), "{fr}");
    let report = text(&shop, &["report", "daily", "--date", "2026-11-01"]);
    assert!(
        report.contains("10,00\u{a0}€") && !report.contains("10.00 EUR"),
        "{report}"
    );
    // JSON keeps plain numbers.
    assert_eq!(shop.json(&none(), &["orders"])[0]["amount"].as_f64(), Some(10.0));
}

/// Issue 25: the shop's days are its local days. A sale at 00:30 in Paris
/// (23:30 UTC the evening before) belongs to the day it was made in Paris,
/// in the order list's filters and in the day's report alike.
#[test]
fn a_sale_at_half_past_midnight_in_paris_belongs_to_that_local_day() {
    let shop = Shop::new();
    let id = "CPT-261204-MIDNIT";
    let out = import(
        &shop,
        &[line(id, "2026-12-03T23:30:00.000Z", "Recharge 10 €", "10.00", "Nuit")],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut paris = none();
    paris.insert("TZ".into(), "Europe/Paris".into());
    let ids = |args: &[&str]| -> Vec<String> {
        let mut all = vec!["orders"];
        all.extend_from_slice(args);
        shop.json(&paris, &all)
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&["--from", "2026-12-04", "--to", "2026-12-04"]), [id]);
    assert!(ids(&["--from", "2026-12-03", "--to", "2026-12-03"]).is_empty());
    let sales = |day: &str| -> i64 {
        let report = shop.json(&paris, &["report", "daily", "--date", day]);
        report["totals"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["sales"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(sales("2026-12-04"), 1);
    assert_eq!(sales("2026-12-03"), 0);
    // And the list shows the time the clock in the shop showed.
    let text = String::from_utf8_lossy(&shop.run(&paris, &["orders"]).stdout).to_string();
    assert!(text.contains("00:30") && !text.contains("23:30"), "{text}");
    // The same sale seen from UTC falls on the 3rd: the boundary is the zone's.
    let mut utc = none();
    utc.insert("TZ".into(), "UTC".into());
    let on_third = shop.json(&utc, &["orders", "--from", "2026-12-03", "--to", "2026-12-03"]);
    assert_eq!(on_third.as_array().unwrap().len(), 1);
}
