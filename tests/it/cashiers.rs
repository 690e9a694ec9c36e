//! Cashiers through the real CLI: accounts and PINs, sessions, the rights
//! table refusing and recording, a manager's approval letting one action
//! through, five wrong PINs locking, idle sessions ending, and the PIN's
//! hash kept out of every file but the journal's accounts table.

use crate::common::{all_files, contains, Shop};
use comptoir::journal::Journal;
use comptoir::registry::SimHost;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

type Env = BTreeMap<String, String>;

const OWNER_PIN: &str = "48213597";
const MANAGER_PIN: &str = "7314";
const CASHIER_PIN: &str = "2580";

/// Runs with `--json`, `stdin` fed: (exit code, stdout JSON or null, stderr error or null).
fn run(shop: &Shop, env: &Env, args: &[&str], stdin: &str) -> (i32, Value, Value) {
    let out = shop.with_stdin(env, args, stdin);
    let ok = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    let err = serde_json::from_slice::<Value>(&out.stderr)
        .map(|v| v["error"].clone())
        .unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), ok, err)
}

fn ok(shop: &Shop, env: &Env, args: &[&str], stdin: &str) -> Value {
    let (code, v, e) = run(shop, env, args, stdin);
    assert_eq!(code, 0, "{args:?}: {e}");
    v
}

fn refused(shop: &Shop, env: &Env, args: &[&str], stdin: &str, code: &str) -> Value {
    let (exit, _, e) = run(shop, env, args, stdin);
    assert_eq!(exit, 2, "{args:?}: {e}");
    assert_eq!(e["code"], code, "{args:?}: {e}");
    e
}

fn login(shop: &Shop, env: &Env, name: &str, pin: &str) {
    ok(shop, env, &["login", name], &format!("{pin}\n"));
}

/// A shop with an owner, a manager and a cashier, a gift card sold
/// yesterday by the owner; nobody signed in at the end.
async fn shop_with_staff() -> (Shop, SimHost, Env, String) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let env = host.env();
    let shop = Shop::new();
    // A fresh install acts as its owner: it sells in training at once.
    assert_eq!(ok(&shop, &env, &["whoami"], "")["role"], "owner");
    ok(&shop, &env, &["sync"], "");
    refused(
        &shop,
        &env,
        &["cashier", "add", "Lea", "--role", "cashier"],
        "2580\n",
        "cashier.first_owner",
    );
    ok(
        &shop,
        &env,
        &["cashier", "add", "Sophie", "--role", "owner"],
        &format!("{OWNER_PIN}\n"),
    );
    refused(&shop, &env, &["orders"], "", "cashier.login_required");
    ok(&shop, &env, &["status"], "");
    login(&shop, &env, "Sophie", OWNER_PIN);
    ok(
        &shop,
        &env,
        &["cashier", "add", "Marc", "--role", "manager"],
        &format!("{MANAGER_PIN}\n"),
    );
    ok(
        &shop,
        &env,
        &["cashier", "add", "Lea", "--role", "cashier"],
        &format!("{CASHIER_PIN}\n"),
    );
    let sold = ok(
        &shop,
        &env,
        &["sell", "giftcard", "--product", "FNAC_25_EUR", "--quantity", "1"],
        "",
    );
    let id = sold["id"].as_str().unwrap().to_string();
    assert_eq!(sold["cashier"], "Sophie");
    // Sold yesterday (the journal's date moved back a day).
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let yesterday = (chrono::Utc::now() - chrono::Duration::days(1)).to_rfc3339();
    sqlx::query("UPDATE orders SET created_at = ? WHERE id = ?")
        .bind(yesterday)
        .bind(&id)
        .execute(journal.pool())
        .await
        .unwrap();
    ok(&shop, &env, &["logout"], "");
    (shop, host, env, id)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_cashier_is_refused_what_the_table_refuses_and_each_attempt_is_recorded() {
    let (shop, _host, env, yesterdays) = shop_with_staff().await;
    login(&shop, &env, "Lea", CASHIER_PIN);
    assert_eq!(ok(&shop, &env, &["whoami"], "")["name"], "Lea");
    let csv = shop.dir.path().join("x.csv");
    std::fs::write(&csv, "id\n").unwrap();
    let attempts: [(&[&str], &str, &str); 5] = [
        (&["order", "show", &yesterdays, "--reveal"], "", "reveal_any"),
        (
            &[
                "pay",
                "refund",
                "CPT-X",
                "--reason",
                "EDITOR_EXPECTATION",
                "--comment",
                "x",
            ],
            "",
            "manage",
        ),
        (
            &[
                "offers",
                "customize",
                "07966928-d3a3-453e-9944-b7ff1081794d",
                "--fees",
                "1",
            ],
            "",
            "administer",
        ),
        (&["import", "orders", csv.to_str().unwrap()], "", "administer"),
        (&["keys", "generate", "--force"], "", "administer"),
    ];
    for (args, stdin, right) in attempts {
        let e = refused(&shop, &env, args, stdin, "cashier.forbidden");
        assert_eq!(e["params"]["right"], right, "{args:?}");
    }
    // Her own sale of today: she may show its vouchers.
    let mine = ok(
        &shop,
        &env,
        &["sell", "giftcard", "--product", "FNAC_25_EUR", "--quantity", "1"],
        "",
    );
    assert_eq!(mine["cashier"], "Lea");
    let shown = ok(
        &shop,
        &env,
        &["order", "show", mine["id"].as_str().unwrap(), "--reveal"],
        "",
    );
    assert!(shown["secrets"]["vouchers"].as_array().is_some_and(|v| !v.is_empty()));
    assert_eq!(shown["events"][0]["cashier"], "Lea");
    // Nothing changed: no key was generated.
    assert_eq!(ok(&shop, &env, &["keys", "status"], "")["ready"], false);
    ok(&shop, &env, &["logout"], "");
    login(&shop, &env, "Sophie", OWNER_PIN);
    let trail = ok(&shop, &env, &["cashier", "audit", "--limit", "100"], "");
    let refusals: Vec<&Value> = trail
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["cashier"] == "Lea" && e["allowed"] == false)
        .collect();
    assert_eq!(refusals.len(), 5, "{trail}");
    // What the owner changed is kept with her name too.
    assert!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["cashier"] == "Sophie" && e["action"] == "right:administer" && e["allowed"] == true),
        "{trail}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_managers_approval_lets_exactly_one_action_through() {
    let (shop, _host, env, yesterdays) = shop_with_staff().await;
    login(&shop, &env, "Lea", CASHIER_PIN);
    let reveal = ["--approve", "Marc", "order", "show", yesterdays.as_str(), "--reveal"];
    refused(&shop, &env, &reveal, "0000\n", "cashier.bad_pin");
    let shown = ok(&shop, &env, &reveal, &format!("{MANAGER_PIN}\n"));
    assert!(shown["secrets"]["vouchers"].as_array().is_some_and(|v| !v.is_empty()));
    // The next command has no approval.
    refused(
        &shop,
        &env,
        &["order", "show", &yesterdays, "--reveal"],
        "",
        "cashier.forbidden",
    );
    // A manager cannot approve what only an owner may do.
    let csv = shop.dir.path().join("x.csv");
    std::fs::write(&csv, "id\n").unwrap();
    refused(
        &shop,
        &env,
        &["--approve", "Marc", "import", "orders", csv.to_str().unwrap()],
        &format!("{MANAGER_PIN}\n"),
        "cashier.forbidden",
    );
    // A cashier approves nothing.
    refused(
        &shop,
        &env,
        &["--approve", "Lea", "order", "show", &yesterdays, "--reveal"],
        &format!("{CASHIER_PIN}\n"),
        "cashier.not_approver",
    );
    ok(&shop, &env, &["logout"], "");
    login(&shop, &env, "Sophie", OWNER_PIN);
    let trail = ok(&shop, &env, &["cashier", "audit"], "");
    assert!(
        trail
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["cashier"] == "Lea" && e["approved_by"] == "Marc" && e["allowed"] == true),
        "the approval is recorded with both names: {trail}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn five_wrong_pins_lock_and_sessions_end_on_logout_and_when_idle() {
    let (shop, _host, env, _) = shop_with_staff().await;
    for tries_left in (1..5).rev() {
        let e = refused(&shop, &env, &["login", "Lea"], "1111\n", "cashier.bad_pin");
        assert_eq!(e["params"]["tries_left"], tries_left);
    }
    let e = refused(&shop, &env, &["login", "Lea"], "1111\n", "cashier.locked");
    assert_eq!(e["params"]["minutes"], 5);
    refused(
        &shop,
        &env,
        &["login", "Lea"],
        &format!("{CASHIER_PIN}\n"),
        "cashier.locked",
    );
    // An owner's reset unlocks.
    login(&shop, &env, "Sophie", OWNER_PIN);
    ok(&shop, &env, &["cashier", "pin", "Lea"], "9753\n");
    ok(&shop, &env, &["config", "set", "cashier.lock_minutes", "1"], "");
    ok(&shop, &env, &["logout"], "");
    refused(&shop, &env, &["orders"], "", "cashier.login_required");
    refused(&shop, &env, &["logout"], "", "cashier.login_required");
    login(&shop, &env, "Lea", "9753");
    ok(&shop, &env, &["orders"], "");
    // A minute and more without a command: the session has ended.
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let past = (chrono::Utc::now() - chrono::Duration::seconds(90)).to_rfc3339();
    sqlx::query("UPDATE cashier_sessions SET last_used = ? WHERE ended_at IS NULL")
        .bind(past)
        .execute(journal.pool())
        .await
        .unwrap();
    refused(&shop, &env, &["orders"], "", "cashier.session_ended");
    refused(&shop, &env, &["orders"], "", "cashier.login_required");
    // A session file is no key: a forged token opens nothing.
    std::fs::write(shop.data_dir().join("session.json"), r#"{"token":"00"}"#).unwrap();
    refused(&shop, &env, &["orders"], "", "cashier.login_required");
    // The PIN is never taken from the command line or the environment.
    let e = refused(&shop, &env, &["login", "Lea", "9753"], "", "cli.bad_arguments");
    assert!(!e.to_string().contains("9753 "), "{e}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pin_and_its_hash_are_in_no_file_but_the_accounts_table() {
    let (shop, _host, env, _) = shop_with_staff().await;
    login(&shop, &env, "Sophie", OWNER_PIN);
    ok(&shop, &env, &["orders"], "");
    refused(&shop, &env, &["login", "Marc"], "0000\n", "cashier.bad_pin");
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let hashes: Vec<String> = sqlx::query_scalar("SELECT pin_hash FROM cashiers")
        .fetch_all(journal.pool())
        .await
        .unwrap();
    assert!(hashes.iter().all(|h| h.starts_with("$argon2id$")), "{hashes:?}");
    drop(journal);
    for (path, bytes) in all_files(shop.dir.path()) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.starts_with("journal.sqlite") {
            continue; // the accounts table's own file (and its write-ahead log)
        }
        assert!(!contains(&bytes, OWNER_PIN), "the PIN in {path:?}");
        for h in &hashes {
            assert!(!contains(&bytes, h), "a PIN hash in {path:?}");
        }
    }
}
