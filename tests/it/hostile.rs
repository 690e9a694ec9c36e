//! Issue 20: the defects found by trying the landed code as a hostile user
//! would, each reproduced here as it was found (real processes, real files
//! and devices, the simulators): files that never end, a device replaced
//! by a file, a note sent before the refusal, control characters sent and
//! echoed, header injection in a file name, an oversized query blamed on
//! the network, OpenAPI bounds not checked, two `comptoir sim`.

use crate::common::Shop;
use comptoir::providers::anomalie_adresse::sim::Scenario;
use comptoir::registry::SimHost;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

type Env = BTreeMap<String, String>;

fn creation() -> Value {
    json!({
        "@type": "AnomalieAdresse.creation", "code_oi": "ORNG", "ticketType": "CUSTOMER_REQUEST",
        "building": {"type": "IMMEUBLE", "newConstruction": true,
            "geographicLocation": [{"x": 1.6053, "y": 42.9639, "type": "WGS84"}],
            "address": {"postcode": "09000", "city": "Foix", "streetType": "RUE", "streetName": "de la Faurie", "streetNr": "3"}}
    })
}

fn write(shop: &Shop, name: &str, v: &Value) -> String {
    let path = shop.dir.path().join(name);
    std::fs::write(&path, v.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

async fn filed() -> (Shop, SimHost, Env, String) {
    let host = SimHost::start(0).await.unwrap();
    let env = host.env();
    let shop = Shop::new();
    let path = write(&shop, "ticket.json", &creation());
    let id = shop.json(&env, &["ticket", "new", "--file", &path])["id"]
        .as_str()
        .unwrap()
        .to_string();
    host.state.anomalie_adresse.set_scenario(&id, Scenario::Manual);
    (shop, host, env, id)
}

fn mkfifo(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

/// §2: `ticket new --file /dev/zero` read until the kernel killed it at
/// 24 GB; `ticket attach ID plan.png` (a link to /dev/zero) did the same; a
/// FIFO named `x.pdf` hung. Each is refused at once, exit 2, nothing sent.
#[tokio::test(flavor = "multi_thread")]
async fn files_that_never_end_or_block_are_refused_at_once() {
    let (shop, host, env, id) = filed().await;
    let e = shop.fails(&env, &["ticket", "new", "--file", "/dev/zero"], 2);
    assert_eq!(e["code"], "file.not_regular");
    let link = shop.dir.path().join("plan.png");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    let e = shop.fails(&env, &["ticket", "attach", &id, link.to_str().unwrap()], 2);
    assert_eq!(e["code"], "file.not_regular");
    let fifo = shop.dir.path().join("x.pdf");
    mkfifo(&fifo);
    let mut child = shop
        .cli(&env)
        .args(["--json", "ticket", "attach", &id, fifo.to_str().unwrap()])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = std::time::Instant::now();
    while child.try_wait().unwrap().is_none() {
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().unwrap();
            panic!("the FIFO blocked the command");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let fifo_json = shop.dir.path().join("t.json");
    mkfifo(&fifo_json);
    let e = shop.fails(&env, &["ticket", "new", "--file", fifo_json.to_str().unwrap()], 2);
    assert_eq!(e["code"], "file.not_regular");
    // A byte-order mark (Windows' Notepad) is accepted.
    let bom = shop.dir.path().join("bom.json");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    let mut other = creation();
    other["building"]["address"]["streetNr"] = json!("5");
    bytes.extend(other.to_string().bytes());
    std::fs::write(&bom, bytes).unwrap();
    shop.json(&env, &["ticket", "new", "--file", bom.to_str().unwrap()]);
    assert_eq!(host.faults().count("POST", "/attachment"), 0);
}

/// §3: `ticket attachment --out /dev/full` renamed a temporary file over the
/// device, printed success and left a 5 MB regular file at /dev/full. Run
/// in a private mount namespace would be kinder; /dev/full is checked to
/// be a character device before and after.
#[tokio::test(flavor = "multi_thread")]
async fn a_download_to_a_full_device_fails_and_the_device_stays() {
    use std::os::unix::fs::FileTypeExt;
    let (shop, _host, env, id) = filed().await;
    let photo = shop.dir.path().join("plaque.png");
    std::fs::write(&photo, vec![7u8; 50_000]).unwrap();
    let att = shop.json(&env, &["ticket", "attach", &id, photo.to_str().unwrap()]);
    let aid = att["id"].as_str().unwrap();
    assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
    let e = shop.fails(&env, &["ticket", "attachment", &id, aid, "--out", "/dev/full"], 4);
    assert_eq!(e["code"], "file.disk_full");
    assert!(
        std::fs::metadata("/dev/full").unwrap().file_type().is_char_device(),
        "/dev/full is still the device"
    );
    // A regular file is still written whole.
    let out = shop.dir.path().join("back.png");
    shop.json(
        &env,
        &["ticket", "attachment", &id, aid, "--out", out.to_str().unwrap()],
    );
    assert_eq!(std::fs::read(out).unwrap().len(), 50_000);
}

/// §5: on a ticket that is not PENDING, `ticket answer` posted the note to
/// the operator, then exited 2 "cannot go from ACKNOWLEDGED to
/// ACKNOWLEDGED". Checked first now, nothing sent, said in a cashier's words.
#[tokio::test(flavor = "multi_thread")]
async fn answering_a_ticket_the_operator_asked_nothing_about_sends_nothing() {
    let (shop, host, env, id) = filed().await;
    host.state
        .anomalie_adresse
        .operator_move(&id, "IN_PROGRESS", None, Some("SIMPLE"))
        .unwrap();
    let notes_before = host.faults().count("POST", "/note");
    let e = shop.fails(&env, &["ticket", "answer", &id, "Photo jointe"], 2);
    assert_eq!(e["code"], "anomalie_adresse.no_question");
    assert!(
        e["message"].as_str().unwrap().contains("has not asked for information"),
        "{e}"
    );
    assert_eq!(host.faults().count("POST", "/note"), notes_before, "no note sent");
}

/// §6: a street name holding NUL and U+202E was filed at the operator; a
/// note holding terminal escapes was printed raw by `ticket show`.
#[tokio::test(flavor = "multi_thread")]
async fn control_characters_are_refused_when_typed_and_escaped_when_shown() {
    let (shop, host, env, id) = filed().await;
    let posts = host.faults().count("POST", "/anomalie-adresse");
    let mut bad = creation();
    bad["building"]["address"]["streetName"] = json!("de la Faurie\u{0}\u{202E}");
    let path = write(&shop, "bad.json", &bad);
    let e = shop.fails(&env, &["ticket", "new", "--file", &path], 2);
    assert_eq!(e["code"], "anomalie_adresse.rule.bounds");
    assert_eq!(host.faults().count("POST", "/anomalie-adresse"), posts, "nothing filed");
    let e = shop.fails(&env, &["ticket", "note", &id, "efface\u{1b}[2J"], 2);
    assert_eq!(e["code"], "anomalie_adresse.bad_text");
    // The operator's own note with escapes: shown escaped.
    host.state
        .anomalie_adresse
        .operator_note(&id, "\u{1b}[2J\u{1b}]0;pwned\u{7}Merci")
        .unwrap();
    let out = shop.run(&env, &["ticket", "show", &id]);
    assert!(out.status.success());
    assert!(!out.stdout.contains(&0x1b), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(String::from_utf8_lossy(&out.stdout).contains("\\u{1b}[2J"));
}

/// §9: a file name holding CR/LF went raw into the multipart header and
/// the operator's 400 was blamed (exit 3). Refused here, exit 2, nothing sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_file_name_with_line_breaks_is_refused_before_sending() {
    let (shop, host, env, id) = filed().await;
    let evil = shop.dir.path().join("plan\r\nX-Injected: 1\r\n.png");
    std::fs::write(&evil, [1u8; 100]).unwrap();
    let e = shop.fails(&env, &["ticket", "attach", &id, evil.to_str().unwrap()], 2);
    assert_eq!(e["code"], "anomalie_adresse.bad_file_name");
    assert_eq!(host.faults().count("POST", "/attachment"), 0);
    // On the wire, whatever a name holds stays in its quotes.
    assert_eq!(
        comptoir::providers::anomalie_adresse::client::form_file_name("a\"b\r\n.png"),
        "a%22b%0D%0A.png"
    );
    // §12: an empty file is not sent either.
    let empty = shop.dir.path().join("vide.png");
    std::fs::write(&empty, b"").unwrap();
    let e = shop.fails(&env, &["ticket", "attach", &id, empty.to_str().unwrap()], 2);
    assert_eq!(e["code"], "anomalie_adresse.file_empty");
    assert_eq!(host.faults().count("POST", "/attachment"), 0);
}

/// §10: a 100 KB filter failed in URL building, was reported as
/// `provider.unreachable` (exit 4), and `ticket list` answered from the cache.
#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_query_is_bad_input_not_the_network() {
    let (shop, host, env, _id) = filed().await;
    let filter = format!("externalId={}", "x".repeat(100_000));
    let e = shop.fails(&env, &["ticket", "list", "--filter", &filter], 2);
    assert_eq!(e["code"], "anomalie_adresse.query_too_long");
    assert!(host.state.anomalie_adresse.queries().is_empty(), "nothing sent");
}

/// §12: each was sent: a 31-character `building.id`, a 10,000-digit
/// postcode, a 5,000-character `externalId`, WGS84 `x=1e308`.
#[tokio::test(flavor = "multi_thread")]
async fn what_the_openapi_bounds_never_leaves() {
    let (shop, host, env, _id) = filed().await;
    let posts = host.faults().count("POST", "/anomalie-adresse");
    let mut cases = Vec::new();
    let mut t = creation();
    t["building"]["id"] = json!("I".repeat(31));
    cases.push(t);
    let mut t = creation();
    t["building"]["address"]["postcode"] = json!("9".repeat(10_000));
    cases.push(t);
    let mut t = creation();
    t["externalId"] = json!("x".repeat(5000));
    cases.push(t);
    let mut t = creation();
    t["building"]["geographicLocation"][0]["x"] = json!(1e308);
    cases.push(t);
    for t in cases {
        let path = write(&shop, "bad.json", &t);
        let e = shop.fails(&env, &["ticket", "new", "--file", &path], 2);
        assert_eq!(e["code"], "anomalie_adresse.rule.bounds", "{e}");
    }
    assert_eq!(host.faults().count("POST", "/anomalie-adresse"), posts);
}

/// §13: a second `comptoir sim` on the same folder overwrote
/// `training/host.json` and, on exit, left it pointing at itself: the first
/// got no more traffic. The second now refuses, naming the first; the
/// first, stopped, leaves no registration behind.
#[test]
fn a_second_sim_refuses_while_the_first_runs() {
    let shop = Shop::new();
    let (mut first, env) = shop.serve_sim();
    let host_json = shop.data_dir().join("training/host.json");
    let before = std::fs::read_to_string(&host_json).unwrap();
    let out = shop.run(&BTreeMap::new(), &["--json", "sim", "--port", "0"]);
    assert_eq!(out.status.code(), Some(2), "{}", String::from_utf8_lossy(&out.stderr));
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["code"], "sim.already_running");
    assert_eq!(e["error"]["params"]["pid"], first.id());
    assert_eq!(
        std::fs::read_to_string(&host_json).unwrap(),
        before,
        "still the first's"
    );
    // The first still serves the installation's commands.
    let _ = env;
    shop.json(&BTreeMap::new(), &["sync", "--provider", "amilon"]);
    // SIGTERM: it ends and forgets itself.
    // SAFETY: a signal to our own child.
    unsafe { libc::kill(first.id() as i32, libc::SIGTERM) };
    first.wait().unwrap();
    assert!(!host_json.exists(), "no registration left pointing at a stopped sim");
}

/// Runs `args` with `--data-dir dir`, expecting exit 2 and `code`.
fn refused_in(shop: &Shop, dir: &std::path::Path, args: &[&str], code: &str) {
    let mut all = vec!["--json", "--data-dir", dir.to_str().unwrap()];
    all.extend_from_slice(args);
    let out = shop.run(&BTreeMap::new(), &all);
    assert_eq!(
        out.status.code(),
        Some(2),
        "{args:?} in {dir:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let e: Value = serde_json::from_slice(&out.stderr).unwrap();
    assert_eq!(e["error"]["code"], code, "{dir:?}");
}

/// §7: `--data-dir` a regular file, `/dev/null` or `/proc/self`; a
/// `settings.json` that is a folder; a journal of random bytes or cut in
/// half: each exited 1 with an OS or SQLite message, and `status` failed
/// too. Each is exit 2 with what to do; `status` still shows the folder;
/// the damaged journal is kept, and a copy beside it.
#[test]
fn bad_data_folders_are_said_in_words_and_status_always_answers() {
    let shop = Shop::new();
    let file = shop.dir.path().join("a-file");
    std::fs::write(&file, "x").unwrap();
    for dir in [file.as_path(), std::path::Path::new("/dev/null")] {
        refused_in(&shop, dir, &["orders"], "data_dir.not_a_folder");
        refused_in(&shop, dir, &["status"], "data_dir.not_a_folder");
    }
    refused_in(
        &shop,
        std::path::Path::new("/proc/self"),
        &["orders"],
        "data_dir.unusable",
    );
    let out = shop.run(&BTreeMap::new(), &["--data-dir", "/dev/null", "status"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("data folder: /dev/null"));

    let odd = shop.dir.path().join("odd");
    std::fs::create_dir_all(odd.join("settings.json")).unwrap();
    refused_in(&shop, &odd, &["config", "set", "locale", "fr"], "settings.unreadable");

    let random = shop.dir.path().join("random");
    std::fs::create_dir_all(&random).unwrap();
    let noise: Vec<u8> = (0..5000u32).map(|i| (i.wrapping_mul(2654435761) >> 13) as u8).collect();
    std::fs::write(random.join("journal.sqlite"), &noise).unwrap();
    refused_in(&shop, &random, &["orders"], "journal.damaged");
    refused_in(&shop, &random, &["status"], "journal.damaged");
    assert_eq!(
        std::fs::read(random.join("journal.sqlite")).unwrap(),
        noise,
        "never deleted"
    );
    assert_eq!(
        std::fs::read(random.join("journal.sqlite.damaged")).unwrap(),
        noise,
        "a copy kept"
    );

    let cut = shop.dir.path().join("cut");
    let seeded = shop.run(
        &BTreeMap::new(),
        &["--data-dir", cut.to_str().unwrap(), "seed", "--orders", "2000"],
    );
    assert!(seeded.status.success());
    let journal = cut.join("journal.sqlite");
    let len = std::fs::metadata(&journal).unwrap().len();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&journal)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    refused_in(&shop, &cut, &["orders"], "journal.damaged");
    assert!(cut.join("journal.sqlite.damaged").exists());
}

/// §4: `pay offer --name` took U+202E and 10,000 characters; they became
/// orders' `product_name`, and `import orders` of the shop's own export
/// then refused the whole file. One text rule now: such names are refused
/// where typed, and every order the commands write comes back from an
/// export into a new folder.
#[tokio::test(flavor = "multi_thread")]
async fn every_order_the_commands_write_comes_back_from_the_shops_export() {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let env = host.env();
    let shop = Shop::new();
    for bad in ["Carte\u{202E}Fnac".to_string(), "x".repeat(10_000), "a\u{2028}b".into()] {
        let e = shop.fails(
            &env,
            &["pay", "offer", "--id", "77", "--name", &bad, "--amount", "5"],
            2,
        );
        assert_eq!(e["code"], "internet_plus.bad_offer_name");
    }
    let e = shop.fails(
        &env,
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
            "--customer",
            "Jean\u{2028}Dupont",
        ],
        2,
    );
    assert!(!e["code"].as_str().unwrap().is_empty());
    // The longest, oddest names the rule allows.
    let name = format!("Carte « cadeau » ; \"Fnac\" = {}", "é".repeat(160));
    shop.json(
        &env,
        &["pay", "offer", "--id", "458723", "--name", &name, "--amount", "4.99"],
    );
    shop.json(&env, &["sync"]);
    shop.json(&env, &["keys", "generate"]);
    shop.json(&env, &["keys", "upload"]);
    shop.json(
        &env,
        &[
            "sell",
            "topup",
            "--offer",
            "7b977bd5-c7dc-4681-bf33-c4bd2eadc266",
            "--msisdn",
            "0684587587",
            "--customer",
            "=SUM(A1) Dupont",
        ],
    );
    shop.json(
        &env,
        &[
            "sell",
            "esim",
            "--offer",
            "07966928-d3a3-453e-9944-b7ff1081794d",
            "--customer",
            "Zoë 😀",
        ],
    );
    shop.json(
        &env,
        &["sell", "giftcard", "--product", "FNAC_25_EUR", "--quantity", "2"],
    );
    shop.json(
        &env,
        &[
            "pay",
            "session",
            "--offer",
            "458723",
            "--client-ip",
            "90.57.78.52",
            "--customer",
            "M. O'Brien",
        ],
    );
    let csv = shop.dir.path().join("all.csv");
    shop.json(&env, &["export", "orders", "--out", csv.to_str().unwrap()]);
    let new = Shop::new();
    let r = new.json(&env, &["import", "orders", csv.to_str().unwrap()]);
    let before = shop.json(&env, &["orders"]);
    assert_eq!(r["imported"], before.as_array().unwrap().len());
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["product_name"].as_str().unwrap().to_string())
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&new.json(&env, &["orders"])), names(&before));
    assert!(names(&before).contains(&name));
}

/// §11: `config set` stored any key (`""`, a newline, `nope`) and any value
/// (`anomalie_adresse.code_oc abc`, `orange_travel.url "http://[::1"`,
/// `internet_plus.offers` as text, which then broke `pay offers`);
/// `config unset nope` said "removed"; a credential written as a number in
/// a hand-edited settings.json silently put the provider back in training.
#[test]
fn settings_are_known_and_typed_and_a_broken_file_is_reported() {
    let shop = Shop::new();
    let none = BTreeMap::new();
    for key in ["", "a\nb", "nope"] {
        let e = shop.fails(&none, &["config", "set", key, "x"], 2);
        assert_eq!(e["code"], "config.unknown_key", "{key:?}");
    }
    let e = shop.fails(&none, &["config", "unset", "nope"], 2);
    assert_eq!(e["code"], "config.unknown_key");
    for (key, value) in [
        ("anomalie_adresse.code_oc", "abc"),
        ("orange_travel.url", "http://[::1"),
        ("orange_travel.url", "ftp://example.com"),
        ("amilon.culture", "french"),
        ("locale", "klingon"),
        ("printer.escpos", "printer-in-the-back"),
        ("shop.name", "Tabac\u{202E}"),
    ] {
        let e = shop.fails(&none, &["config", "set", key, value], 2);
        assert_eq!(e["code"], "settings.bad_value", "{key} {value}");
    }
    let e = shop.fails(&none, &["config", "set", "internet_plus.offers", "text"], 2);
    assert_eq!(e["code"], "config.managed");
    let e = shop.fails(&none, &["config", "set", "amilon.password", "hunter2"], 2);
    assert_eq!(e["code"], "config.secret_in_settings");
    shop.json(&none, &["pay", "offers"]);
    for (key, value) in [
        ("anomalie_adresse.code_oc", "CPTR"),
        ("locale", "fr"),
        ("printer.escpos", "tcp://192.168.1.50:9100"),
        ("shop.name", "Tabac de la Gare"),
    ] {
        shop.json(&none, &["config", "set", key, value]);
    }
    shop.json(&none, &["config", "unset", "shop.name"]);
    // A credential written by hand as a number: reported, not training.
    let path = shop.data_dir().join("settings.json");
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    v["amilon.username"] = json!(42);
    std::fs::write(&path, v.to_string()).unwrap();
    let e = shop.fails(&none, &["sync", "--provider", "amilon"], 2);
    assert_eq!(e["code"], "settings.bad_value");
    assert!(e["message"].as_str().unwrap().contains("amilon.username"), "{e}");
}
