//! The till through the real CLI against the simulators: a basket of
//! several providers paid by several means, the change, a line refused
//! and given back, a line unknown then settled by reconcile, the drawer
//! from its float to its close, receipt numbers under concurrent
//! counters, and a basket killed while it was being bought.

use crate::common::Shop;
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

const ESIM_30: &str = "07966928-d3a3-453e-9944-b7ff1081794d";
const TOPUP_10: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const FNAC_25: &str = "FNAC_25_EUR";

async fn setup() -> (Shop, SimHost, BTreeMap<String, String>) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    shop.json(&env, &["keys", "generate"]);
    shop.json(&env, &["keys", "upload"]);
    (shop, host, env)
}

/// `basket pay` expected to exit `exit`: the receipt printed on stdout.
fn pay(shop: &Shop, env: &BTreeMap<String, String>, args: &[&str], exit: i32) -> Value {
    let mut all = vec!["--json", "basket", "pay"];
    all.extend_from_slice(args);
    let out = shop.run(env, &all);
    assert_eq!(
        out.status.code(),
        Some(exit),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

fn add_mixed_basket(shop: &Shop, env: &BTreeMap<String, String>) {
    shop.json(env, &["basket", "add", "esim", "--offer", ESIM_30]);
    let b = shop.json(
        env,
        &["basket", "add", "giftcard", "--product", FNAC_25, "--quantity", "2"],
    );
    assert_eq!(b["total"], 80.0);
}

fn tenders(r: &Value) -> BTreeMap<String, f64> {
    r["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["tender"].as_str().unwrap().to_string(), p["amount"].as_f64().unwrap()))
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mixed_basket_paid_in_cash_and_by_card_gives_the_change_and_one_receipt() {
    let (shop, _host, env) = setup().await;
    shop.json(&env, &["shift", "open", "--float", "150,00"]);
    add_mixed_basket(&shop, &env);
    // A line added and removed stays out of the total.
    shop.json(
        &env,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    let b = shop.json(&env, &["basket", "remove", "3"]);
    assert_eq!(
        (b["total"].as_f64(), b["lines"].as_array().unwrap().len()),
        (Some(80.0), 2)
    );

    // 80 € due: 30 € on the card, 60 € handed over in cash: 10 € back.
    let r = pay(
        &shop,
        &env,
        &["--cash", "60", "--card", "30.00", "--authorisation", "A1B2C3"],
        0,
    );
    assert_eq!(r["number"], "C1-000001");
    assert_eq!((r["total"].as_f64(), r["change"].as_f64()), (Some(80.0), Some(10.0)));
    assert_eq!(
        tenders(&r),
        BTreeMap::from([("card".into(), 30.0), ("cash".into(), 50.0)])
    );
    let lines = r["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    for l in lines {
        assert_eq!(l["state"], "delivered", "{l}");
        assert_eq!(l["order"]["details"]["receipt"], "C1-000001");
    }
    assert_eq!(lines[1]["order"]["quantity"], 2);
    assert_eq!(r["refund_due"], 0.0);
    assert_eq!(r["settled"], true);
    // The basket is paid: the next one starts empty.
    assert_eq!(
        shop.json(&env, &["basket", "show"])["lines"].as_array().unwrap().len(),
        0
    );

    // One receipt: the customer's ticket holds both lines and the payments.
    let again = shop.json(&env, &["receipt", "show", "C1-000001"]);
    assert_eq!(
        again["lines"],
        r["lines"].clone().as_array().map(|_| again["lines"].clone()).unwrap()
    );
    let pdf = shop.dir.path().join("receipt.pdf");
    shop.json(&env, &["receipt", "print", "C1-000001", "--pdf", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    for words in [
        "C1-000001",
        "Orange Holiday Europe 30 Go",
        "Carte cadeau Fnac 25",
        "Espèces",
        "Carte bancaire",
        "Rendu",
        "A1B2C3",
    ] {
        assert!(text.contains(words), "{words} missing from the receipt: {text}");
    }
    // `order print` of either line prints that same receipt.
    let order = lines[0]["order"]["id"].as_str().unwrap();
    let pdf2 = shop.dir.path().join("order.pdf");
    shop.json(&env, &["order", "print", order, "--pdf", pdf2.to_str().unwrap()]);
    assert!(pdf_text(&pdf2).contains("C1-000001"));

    let x = shop.json(&env, &["shift", "report"]);
    assert_eq!(x["expected_cash"], 200.0, "150 float + 50 cash kept");
    assert_eq!(x["tenders"]["card"], 30.0);
}

/// The text of a PDF, as `pdftotext` reads it.
fn pdf_text(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .args([path.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_gift_card_the_provider_refuses_is_given_back_in_cash_and_the_receipt_says_so() {
    let (shop, host, env) = setup().await;
    shop.json(&env, &["shift", "open", "--float", "100"]);
    add_mixed_basket(&shop, &env);
    // Amilon has no money left for the cards: it refuses them.
    host.state.amilon.set_budget(0.0);
    // 50 € cash and the rest (30 €) by card: the 50 € of cards come back, in cash.
    let r = pay(&shop, &env, &["--cash", "50", "--card", "30"], 3);
    let lines = r["lines"].as_array().unwrap();
    assert_eq!(lines[0]["state"], "delivered");
    assert_eq!(lines[1]["state"], "refunded");
    assert_eq!(r["refund_due"], 50.0);
    let refunds = r["refunds"].as_array().unwrap();
    assert_eq!(refunds.len(), 1);
    assert_eq!(
        (refunds[0]["tender"].as_str(), refunds[0]["amount"].as_f64()),
        (Some("cash"), Some(50.0))
    );
    assert!(host.state.amilon.orders().is_empty(), "nothing bought at Amilon");
    let x = shop.json(&env, &["shift", "report"]);
    assert_eq!(x["expected_cash"], 100.0, "50 € taken, 50 € given back");
    assert_eq!(x["refunds"], 50.0);
    // A one-line sale refused gives its receipt and the refund with the error.
    let e = shop.fails(
        &env,
        &[
            "sell",
            "giftcard",
            "--product",
            FNAC_25,
            "--pay",
            "cash",
            "--given",
            "30",
        ],
        3,
    );
    assert_eq!(e["params"]["receipt"], "C1-000002");
    assert_eq!(e["params"]["refund_due"], 25.0);
    let pdf = shop.dir.path().join("r.pdf");
    shop.json(&env, &["receipt", "print", "C1-000001", "--pdf", pdf.to_str().unwrap()]);
    assert!(pdf_text(&pdf).contains("Non délivré : remboursé (Espèces)"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_line_whose_outcome_is_unknown_is_settled_by_reconcile_into_delivery_or_refund() {
    let (shop, host, env) = setup().await;
    // The gift card's answer is lost after Amilon ordered it: unknown,
    // then reconcile finds it delivered.
    host.inject(
        Fault::on(
            "/Orders/create/def116ef-7949-487f-801d-2b15b254ab89",
            FaultAction::DropAfterCommit,
        )
        .times(1),
    );
    // The top-up never reached Orange: unknown, then reconcile finds no
    // trace of it, and it is given back.
    host.inject(
        Fault::on("/distributors/transactions", FaultAction::DropBeforeCommit)
            .method("POST")
            .times(1),
    );
    shop.json(&env, &["basket", "add", "giftcard", "--product", FNAC_25]);
    shop.json(
        &env,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    let r = pay(&shop, &env, &["--cash", "35"], 5);
    let states: Vec<&str> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["to_settle", "to_settle"]);
    assert_eq!(r["settled"], false);
    let x = shop.json(&env, &["shift", "report"]);
    assert_eq!(x["unsettled"].as_array().unwrap().len(), 2);
    assert_eq!(x["float_counted"], false, "the sale opened the till");

    shop.json(&env, &["reconcile"]);
    let r = shop.json(&env, &["receipt", "show", "C1-000001"]);
    let states: Vec<&str> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["delivered", "refunded"]);
    assert_eq!(r["refund_due"], 10.0);
    assert_eq!(r["refunds"][0]["tender"], "cash");
    assert_eq!(host.state.amilon.orders().len(), 1, "ordered once");
    let x = shop.json(&env, &["shift", "report"]);
    assert_eq!(x["expected_cash"], 25.0, "35 € taken, 10 € given back on reconcile");
    assert!(x["unsettled"].as_array().unwrap().is_empty());
}

/// Money given back is a new ticket that names the receipt it cancels;
/// the receipt is never changed, and its reprint says by which ticket.
#[tokio::test(flavor = "multi_thread")]
async fn what_is_given_back_prints_as_a_cancellation_receipt_naming_the_receipt() {
    let (shop, host, env) = setup().await;
    // Amilon refuses the card at once; the top-up's answer is lost, and
    // reconcile later finds it never reached Orange: two refunds, at two
    // moments, make two cancellation receipts.
    host.state.amilon.set_budget(0.0);
    host.inject(
        Fault::on("/distributors/transactions", FaultAction::DropBeforeCommit)
            .method("POST")
            .times(1),
    );
    shop.json(&env, &["basket", "add", "giftcard", "--product", FNAC_25]);
    shop.json(
        &env,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    let r = pay(&shop, &env, &["--cash", "35"], 5);
    let numbers = |r: &Value| -> Vec<(String, f64, bool)> {
        r["corrections"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["number"].as_str().unwrap().to_string(),
                    c["amount"].as_f64().unwrap(),
                    c["whole"].as_bool().unwrap(),
                )
            })
            .collect()
    };
    assert_eq!(numbers(&r), [("C1-000001-R1".to_string(), 25.0, false)]);
    shop.json(&env, &["reconcile"]);
    let r = shop.json(&env, &["receipt", "show", "C1-000001"]);
    assert_eq!(
        numbers(&r),
        [
            ("C1-000001-R1".to_string(), 25.0, false),
            ("C1-000001-R2".to_string(), 10.0, false)
        ]
    );
    assert_eq!(r["corrections"][1]["lines"], serde_json::json!([2]));
    let c = shop.json(&env, &["receipt", "show", "C1-000001-R2"]);
    assert_eq!(c["receipt"], "C1-000001");

    let print = |number: &str, file: &str| {
        let pdf = shop.dir.path().join(file);
        shop.json(&env, &["receipt", "print", number, "--pdf", pdf.to_str().unwrap()]);
        // One line per ticket line, however the PDF wraps it.
        pdf_text(&pdf).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let first = print("C1-000001-R1", "r1.pdf");
    assert!(first.contains("Ticket d'annulation n° C1-000001-R1"), "{first}");
    assert!(
        first.contains("Ce ticket annule en partie le ticket n° C1-000001"),
        "{first}"
    );
    assert!(first.contains("-25,00"), "{first}");
    assert!(first.contains("Signature"), "the refund record's seal: {first}");
    assert!(!first.contains("DUPLICATA"), "its first print is the original: {first}");
    let topup = r["lines"][1]["name"].as_str().unwrap();
    assert!(!first.contains(topup), "only the lines it gives back: {first}");
    let again = print("C1-000001-R1", "r1-again.pdf");
    assert!(again.contains("DUPLICATA n° 1"), "{again}");
    // The receipt's own first print is still its original, and says by which tickets.
    let receipt = print("C1-000001", "receipt.pdf");
    assert!(!receipt.contains("DUPLICATA"), "{receipt}");
    assert!(receipt.contains("Corrigé par le ticket : C1-000001-R1"), "{receipt}");
    assert!(receipt.contains("Corrigé par le ticket : C1-000001-R2"), "{receipt}");

    // A one-line sale refused is cancelled whole.
    shop.fails(&env, &["sell", "giftcard", "--product", FNAC_25, "--pay", "card"], 3);
    let whole = print("C1-000002-R1", "whole.pdf");
    assert!(whole.contains("Ce ticket annule le ticket n° C1-000002"), "{whole}");
    let receipt = print("C1-000002", "receipt2.pdf");
    assert!(receipt.contains("Annulé par le ticket : C1-000002-R1"), "{receipt}");
    // Each print is in the register, the correction's apart from the receipt's.
    let e = shop.fails(&env, &["receipt", "print", "C1-000001-R9", "--pdf", "x.pdf"], 2);
    assert_eq!(e["code"], "till.no_receipt");
    let verify = shop.json(&env, &["register", "verify"]);
    assert_eq!(verify["ok"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shift_reports_the_exact_expected_cash_and_difference_at_its_close() {
    let (shop, host, env) = setup().await;
    shop.json(&env, &["shift", "open", "--float", "150,00"]);
    assert_eq!(
        shop.fails(&env, &["shift", "open", "--float", "10"], 2)["code"],
        "till.already_open"
    );
    // A top-up paid 20 € in cash for 10 €: 10 € kept.
    let sold = shop.json(
        &env,
        &[
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
        ],
    );
    assert_eq!(
        (
            sold["receipt"].as_str(),
            sold["tender"].as_str(),
            sold["change"].as_f64()
        ),
        (Some("C1-000001"), Some("cash"), Some(10.0))
    );
    assert_eq!(sold["status"], "delivered");
    // An eSIM by card: nothing in the drawer.
    shop.json(&env, &["sell", "esim", "--offer", ESIM_30, "--pay", "card"]);
    // A gift card paid 25 € in cash, refused: 25 € given back.
    host.state.amilon.set_budget(0.0);
    shop.fails(&env, &["sell", "giftcard", "--product", FNAC_25, "--pay", "cash"], 3);
    // A supplier paid from the drawer.
    shop.json(&env, &["cash", "out", "12,50", "--reason", "fournisseur de sacs"]);
    shop.json(&env, &["cash", "in", "5", "--reason", "monnaie"]);
    // An abandoned basket is recorded, not deleted.
    shop.json(&env, &["basket", "add", "esim", "--offer", ESIM_30]);
    shop.json(&env, &["basket", "clear"]);

    let closed = shop.json(&env, &["shift", "close", "--counted", "152.00"]);
    // 150 + 10 + 25 − 25 − 12.50 + 5 = 152.50
    assert_eq!(closed["expected_cash"], 152.5);
    assert_eq!(closed["counted_cash"], 152.0);
    assert_eq!(closed["difference"], -0.5);
    assert_eq!(closed["float"], 150.0);
    assert_eq!(closed["tenders"], serde_json::json!({"card": 30.0, "cash": 35.0}));
    assert_eq!(closed["refunds"], 25.0);
    assert_eq!(closed["abandoned_baskets"], 1);
    assert_eq!(closed["abandoned"], 30.0);
    assert_eq!(closed["receipts"], 3);
    assert!(closed["unsettled"].as_array().unwrap().is_empty());
    assert_eq!(shop.fails(&env, &["shift", "report"], 2)["code"], "till.not_open");
    // The day report splits the takings by means, with what was given back.
    let day = shop.json(&env, &["report", "daily"]);
    assert_eq!(
        day["tenders"],
        serde_json::json!([
            {"tender": "cash", "taken": 35.0, "refunded": 25.0},
            {"tender": "card", "taken": 30.0, "refunded": 0.0},
        ])
    );
    // The next sale opens the till with its float not counted, and says so.
    let out = shop.run(
        &env,
        &[
            "sell",
            "topup",
            "--offer",
            TOPUP_10,
            "--msisdn",
            "0684587587",
            "--pay",
            "card",
        ],
    );
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("float not counted"));
    assert_eq!(shop.json(&env, &["shift", "status"])["float_counted"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn eight_counters_paying_at_once_never_share_a_receipt_number() {
    let (shop, _host, env) = setup().await;
    let children: Vec<_> = (0..8)
        .map(|_| {
            shop.cli(&env)
                .args([
                    "--json",
                    "sell",
                    "topup",
                    "--offer",
                    TOPUP_10,
                    "--msisdn",
                    "0684587587",
                    "--pay",
                    "cash",
                ])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let mut numbers: Vec<String> = children
        .into_iter()
        .map(|c| {
            let out = c.wait_with_output().unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            let v: Value = serde_json::from_slice(&out.stdout).unwrap();
            v["receipt"].as_str().unwrap().to_string()
        })
        .collect();
    numbers.sort();
    let expected: Vec<String> = (1..=8).map(|n| format!("C1-{n:06}")).collect();
    assert_eq!(numbers, expected, "gap-free and unique");
    // They all went into the one shift the first sale opened.
    assert_eq!(shop.json(&env, &["shift", "report"])["receipts"], 8);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_basket_killed_while_its_lines_are_bought_is_finished_by_reconcile() {
    let (shop, host, env) = setup().await;
    // The top-up hangs after Orange committed it; the gift card hangs
    // before Amilon handled it.
    host.inject(
        Fault::on(
            "/distributors/transactions",
            FaultAction::DelayAfterCommit { ms: 30_000 },
        )
        .method("POST"),
    );
    host.inject(Fault::on(
        "/Orders/create/def116ef-7949-487f-801d-2b15b254ab89",
        FaultAction::Delay { ms: 30_000 },
    ));
    shop.json(
        &env,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    shop.json(&env, &["basket", "add", "giftcard", "--product", FNAC_25]);
    let mut child = shop
        .cli(&env)
        .args(["basket", "pay", "--card", "35"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    // Killed once both orders are written and sent.
    let journal = comptoir::journal::Journal::open(&shop.data_dir().join("journal.sqlite"))
        .await
        .unwrap();
    let start = std::time::Instant::now();
    while journal.list(&Default::default()).await.unwrap().len() < 2 {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "the top-up was never written"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    child.kill().unwrap();
    child.wait().unwrap();
    host.faults().clear();
    journal.close().await;

    // The receipt and its payment were there before any line was bought.
    let r = shop.json(&env, &["receipt", "show", "C1-000001"]);
    assert_eq!(tenders(&r), BTreeMap::from([("card".into(), 35.0)]));
    assert_eq!(r["settled"], false);
    shop.json(&env, &["reconcile"]);
    let r = shop.json(&env, &["receipt", "show", "C1-000001"]);
    let states: Vec<&str> = r["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["delivered", "refunded"], "{r}");
    assert_eq!(
        (r["refunds"][0]["tender"].as_str(), r["refund_due"].as_f64()),
        (Some("card"), Some(25.0))
    );
    assert!(
        host.state.amilon.orders().is_empty(),
        "the card Amilon never had is not bought later"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_line_whose_buyer_died_before_writing_its_order_is_given_back_not_bought() {
    let (shop, host, env) = setup().await;
    shop.json(&env, &["basket", "add", "giftcard", "--product", FNAC_25]);
    // The payment recorded by a process that died before it wrote the
    // line's order (the moment between the two writes).
    let journal = comptoir::journal::Journal::open(&shop.data_dir().join("journal.sqlite"))
        .await
        .unwrap();
    let basket = journal.current_basket("C1").await.unwrap().unwrap();
    let card = comptoir::journal::Payment {
        tender: comptoir::types::Tender::Card,
        amount_cents: 2500,
        given_cents: None,
        authorisation: None,
    };
    let (number, _) = journal
        .record_receipt(comptoir::journal::NewReceipt {
            counter: "C1",
            basket: &basket.id,
            total_cents: 2500,
            change_cents: 0,
            currency: "EUR",
            payments: &[card],
            customer_ref: None,
            training: false,
            tax: &comptoir::types::tax::default_for,
            siret: None,
        })
        .await
        .unwrap();
    let dead = serde_json::json!({"pid": 1u32 << 30, "start": 1, "boot": "gone"});
    sqlx::query("UPDATE receipts SET writer = ?")
        .bind(dead.to_string())
        .execute(journal.pool())
        .await
        .unwrap();
    journal.close().await;
    assert_eq!(
        shop.json(&env, &["receipt", "show", &number])["lines"][0]["state"],
        "to_settle"
    );
    shop.json(&env, &["reconcile"]);
    let r = shop.json(&env, &["receipt", "show", &number]);
    assert_eq!(r["lines"][0]["state"], "refunded");
    assert_eq!(r["refunds"][0]["reason"], "till.not_sent");
    assert_eq!(r["refund_due"], 25.0);
    assert!(
        host.state.amilon.orders().is_empty(),
        "never bought behind the customer's back"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_counters_code_and_the_means_taken_are_settings_checked_before_use() {
    let (shop, _host, env) = setup().await;
    assert_eq!(
        shop.fails(&env, &["config", "set", "counter.id", "caisse 2"], 2)["code"],
        "settings.bad_value"
    );
    shop.json(&env, &["config", "set", "counter.id", "CAISSE2"]);
    shop.json(&env, &["config", "set", "till.tenders", "cash"]);
    shop.json(
        &env,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    // The shop takes no card: refused before anything is recorded.
    assert_eq!(
        shop.fails(&env, &["basket", "pay", "--card", "10"], 2)["code"],
        "till.tender_refused"
    );
    assert_eq!(
        shop.fails(&env, &["basket", "pay", "--cash", "5"], 2)["code"],
        "till.short"
    );
    assert_eq!(
        shop.fails(&env, &["basket", "pay", "--cash", "5,123"], 2)["code"],
        "till.bad_amount"
    );
    let r = pay(&shop, &env, &["--cash", "10,00"], 0);
    assert_eq!(r["number"], "CAISSE2-000001");
    // The environment names the counter too (several on one machine).
    let mut other = env.clone();
    other.insert("COMPTOIR_COUNTER".into(), "C9".into());
    assert_eq!(shop.json(&other, &["basket", "show"])["counter"], "C9");
}
