//! Internet+ Box through the CLI against its simulator (both operators):
//! sessions, the signed return and each way it can be forged, confirm,
//! cancel, refund, consult, subscriptions, every documented error code, the
//! operator routing, delivery before confirmation (and cancellation when it
//! fails), the 24 hours, and a SIGKILL between the return and the
//! confirmation settled by `reconcile` without billing or delivering twice.

use crate::common::Shop;
use comptoir::journal::{Journal, OrderFilter, OrderStatus, StatusUpdate};
use comptoir::providers::internet_plus::{signature, sim};
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

const ORANGE_IP: &str = "90.57.78.52";
const BYTEL_IP: &str = "176.150.1.2";
const ONE_OFF: &str = "458723";
const MONTHLY: &str = "1111";

async fn setup() -> (Shop, SimHost, BTreeMap<String, String>) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    // The shop lists its console's offers in Settings (the CLI can use others too).
    shop.json(
        &env,
        &[
            "pay",
            "offer",
            "--id",
            ONE_OFF,
            "--name",
            "Recharge 4,99 €",
            "--amount",
            "4.99",
        ],
    );
    shop.json(
        &env,
        &[
            "pay",
            "offer",
            "--id",
            MONTHLY,
            "--name",
            "Mensuel 2 €",
            "--amount",
            "2",
            "--period",
            "MONTHLY",
        ],
    );
    (shop, host, env)
}

fn session(shop: &Shop, env: &BTreeMap<String, String>, offer: &str, ip: &str) -> Value {
    shop.json(
        env,
        &[
            "pay",
            "session",
            "--offer",
            offer,
            "--client-ip",
            ip,
            "--customer",
            "Dupont",
        ],
    )
}

/// The customer on the operator's page; the signed return URL it redirects to.
fn customer(host: &SimHost, order: &Value, confirm: bool) -> String {
    let sid = order["details"]["session_id"].as_str().unwrap();
    host.state
        .internet_plus
        .answer_page(sid, confirm)
        .expect("an open session")
}

/// The next calls to `path` get W-HA's documented error body instead.
fn w_ha_says(host: &SimHost, path: &str, status: u16, code: i64, message: &str, description: &str) {
    host.faults().clear();
    host.inject(Fault::on(
        path,
        FaultAction::Status {
            status,
            body: Some(json!({"code": code, "message": message, "description": description})),
        },
    ));
}

/// Offer 2222 sells a Fnac gift card (Amilon's catalog synced first).
fn sells_a_gift_card(shop: &Shop, env: &BTreeMap<String, String>) {
    shop.json(env, &["sync", "--provider", "amilon"]);
    let offer = [
        "pay",
        "offer",
        "--id",
        "2222",
        "--name",
        "Fnac 25 €",
        "--amount",
        "25",
        "--sells",
        "amilon:FNAC_25_EUR",
    ];
    shop.json(env, &offer);
}

fn status_of(v: &Value) -> &str {
    v["status"].as_str().unwrap()
}

fn wha_status(host: &SimHost, trx: &str) -> String {
    host.state
        .internet_plus
        .transactions()
        .into_iter()
        .find(|(id, _)| id == trx)
        .map(|(_, s)| s)
        .unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_payment_goes_session_return_confirm_consult_refund() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, ONE_OFF, ORANGE_IP);
    assert_eq!(status_of(&order), "pending");
    assert_eq!(order["amount"], 4.99);
    assert_eq!(order["details"]["operator"], "orange");
    assert!(order["details"]["panel_url"]
        .as_str()
        .unwrap()
        .contains("/internet-plus/ppo/"));
    assert!(order["details"]["expires_at"].is_string());
    let id = order["id"].as_str().unwrap().to_string();

    // The same order asks again: W-HA's idempotency by requestMerchantId.
    let url = customer(&host, &order, true);
    let authorized = shop.json(&env, &["pay", "return", &url]);
    assert_eq!(status_of(&authorized), "processing");
    let trx = authorized["provider_ref"].as_str().unwrap().to_string();
    assert_eq!(wha_status(&host, &trx), "AUTHORIZED");
    // The same genuine return again changes nothing.
    let again = shop.json(&env, &["pay", "return", &url]);
    assert_eq!(again["updated_at"], authorized["updated_at"]);

    // Confirm by W-HA's transaction id: the call goes to Orange's base, never Bouygues'.
    let confirmed = shop.json(&env, &["pay", "confirm", &trx]);
    assert_eq!(status_of(&confirmed), "delivered");
    assert_eq!(wha_status(&host, &trx), "CONFIRMED");
    assert_eq!(host.faults().count("POST", "/orange/trxServices/confirm"), 1);
    assert_eq!(host.faults().count("POST", "/bytel/trxServices/confirm"), 0);

    let consulted = shop.json(&env, &["pay", "consult", &id]);
    assert_eq!(consulted["transaction"]["status"], "CONFIRMED");

    // Refund: reason and comment checked here, once only.
    let e = shop.fails(
        &env,
        &["pay", "refund", &id, "--reason", "EDITOR_WHATEVER", "--comment", "x"],
        2,
    );
    assert_eq!(e["code"], "internet_plus.bad_reason");
    let e = shop.fails(
        &env,
        &["pay", "refund", &id, "--reason", "EDITOR_EXPECTATION", "--comment", " "],
        2,
    );
    assert_eq!(e["code"], "internet_plus.no_comment");
    let refunded = shop.json(
        &env,
        &[
            "pay",
            "refund",
            &id,
            "--reason",
            "EDITOR_EXPECTATION",
            "--comment",
            "changed mind",
        ],
    );
    assert_eq!(status_of(&refunded), "refunded");
    assert_eq!(wha_status(&host, &trx), "REFUNDED");
    let e = shop.fails(
        &env,
        &[
            "pay",
            "refund",
            &id,
            "--reason",
            "EDITOR_EXPECTATION",
            "--comment",
            "again",
        ],
        2,
    );
    assert_eq!(e["code"], "internet_plus.not_refundable");
    assert_eq!(host.faults().count("POST", "/trxServices/refund"), 1);

    // The ticket says how it was paid.
    let pdf = shop.dir.path().join("t.pdf");
    shop.json(&env, &["order", "print", &id, "--pdf", pdf.to_str().unwrap()]);
    let text = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains(&trx), "{text}");
    assert!(text.contains("Internet+ Box"), "{text}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_customers_ip_is_checked_here_and_w_ha_names_the_operator() {
    let (shop, host, env) = setup().await;
    let e = shop.fails(
        &env,
        &["pay", "session", "--offer", ONE_OFF, "--client-ip", "257.234.340.55"],
        2,
    );
    assert_eq!(e["code"], "internet_plus.bad_ip");
    let e = shop.fails(
        &env,
        &["pay", "session", "--offer", ONE_OFF, "--client-ip", "192.168.1.20"],
        2,
    );
    assert_eq!(e["code"], "internet_plus.4042");
    assert_eq!(host.state.internet_plus.sessions(), 0, "nothing was sent");
    assert!(
        shop.json(&env, &["orders"]).as_array().unwrap().is_empty(),
        "nothing was written"
    );

    // Public, but neither operator's: W-HA's 4043, the order failed.
    let e = shop.fails(
        &env,
        &["pay", "session", "--offer", ONE_OFF, "--client-ip", "8.8.8.8"],
        3,
    );
    assert_eq!(e["code"], "internet_plus.4043");
    assert_eq!(e["provider_code"], "4043");
    let e = shop.fails(
        &env,
        &["pay", "session", "--offer", "9999", "--client-ip", ORANGE_IP],
        3,
    );
    assert_eq!(e["code"], "internet_plus.4041_offer");
    let orders = shop.json(&env, &["orders"]);
    assert!(
        orders.as_array().unwrap().iter().all(|o| o["status"] == "failed"),
        "{orders}"
    );

    let bytel = session(&shop, &env, ONE_OFF, BYTEL_IP);
    assert_eq!(bytel["details"]["operator"], "bytel");
    let url = customer(&host, &bytel, true);
    let trx = shop.json(&env, &["pay", "return", &url])["provider_ref"]
        .as_str()
        .unwrap()
        .to_string();
    shop.json(&env, &["pay", "cancel", &trx]);
    assert_eq!(host.faults().count("POST", "/bytel/trxServices/cancel"), 1);
    assert_eq!(host.faults().count("POST", "/orange/trxServices/cancel"), 0);
    assert_eq!(wha_status(&host, &trx), "CANCELLED");
    let e = shop.fails(&env, &["pay", "confirm", &trx], 2);
    assert_eq!(e["code"], "internet_plus.not_authorized");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_return_is_believed_only_when_signed_for_one_of_our_waiting_orders() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let id = order["id"].as_str().unwrap();
    let url = customer(&host, &order, true);
    let (base, query) = url.split_once('?').unwrap();
    let refuse = |u: &str, code: &str| {
        let e = shop.fails(&env, &["pay", "return", u], 2);
        assert_eq!(e["code"], code, "{u}");
    };
    refuse(
        &url.replace("purchaseSuccess", "purchaseFailure"),
        "internet_plus.bad_signature",
    );
    refuse(&url.replace(id, "CPT-000000-AAAAAA"), "internet_plus.bad_signature");
    let unsigned: String = query
        .split('&')
        .filter(|p| !p.starts_with("h="))
        .collect::<Vec<_>>()
        .join("&");
    refuse(&format!("{base}?{unsigned}"), "internet_plus.unsigned_return");
    // Signed with W-HA's key, but for an order this shop does not have, or another session.
    let forged = |q: &str| format!("{base}?{q}&h={}", signature::sign(sim::HMAC_SECRET, q));
    refuse(
        &forged(&unsigned.replace(id, "CPT-000000-AAAAAA")),
        "internet_plus.unknown_order",
    );
    let sid = order["details"]["session_id"].as_str().unwrap();
    refuse(
        &forged(&unsigned.replace(sid, "another-session")),
        "internet_plus.wrong_session",
    );
    // Another merchant's key.
    let mut other = env.clone();
    other.insert(
        "COMPTOIR_INTERNET_PLUS_HMAC_SECRET".into(),
        "someone else's secret".into(),
    );
    let e = shop.fails(&other, &["pay", "return", &url], 2);
    assert_eq!(e["code"], "internet_plus.bad_signature");
    let still = shop.json(&env, &["order", "show", id]);
    assert_eq!(still["order"]["status"], "pending", "no refusal changed the order");

    // The customer cancels on the page: the order ends cancelled; no other return then.
    let order2 = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let cancelled = shop.json(&env, &["pay", "return", &customer(&host, &order2, false)]);
    assert_eq!(status_of(&cancelled), "cancelled");
    shop.json(&env, &["pay", "return", &url]); // the first order's genuine return still works
    let q2 = format!(
        "trxId=x&requestMerchantId={}&sid={}&action=purchaseSuccess",
        order2["id"].as_str().unwrap(),
        order2["details"]["session_id"].as_str().unwrap()
    );
    refuse(&forged(&q2), "internet_plus.not_waiting");
}

#[tokio::test(flavor = "multi_thread")]
async fn subscriptions_are_confirmed_consulted_listed_and_terminated() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, MONTHLY, ORANGE_IP);
    assert_eq!(order["kind"], "subscription");
    let authorized = shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
    let sub = authorized["details"]["subscription_id"].as_str().unwrap().to_string();
    let confirmed = shop.json(&env, &["subs", "confirm", &sub]);
    assert_eq!(status_of(&confirmed), "delivered");
    let s = shop.json(&env, &["subs", "consult", &sub]);
    assert_eq!(s["status"], "ACTIVE");
    assert_eq!(s["trxList"][0]["status"], "CONFIRMED");
    let user = s["userId"].as_str().unwrap().to_string();
    let list = shop.json(&env, &["subs", "list", "--user", &user]);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["subId"], sub.as_str(), "the list says subscriptionId");
    assert_eq!(shop.json(&env, &["subs", "list", "--user", "nobody"]), json!([]));

    let at_due = shop.json(&env, &["subs", "terminate", &sub, "--at-due"]);
    assert_eq!(at_due["status"], "ACTIVE");
    assert!(at_due["subscriptionClosingDate"].is_string());
    let now = shop.json(&env, &["subs", "terminate", &sub]);
    assert_eq!(now["status"], "CLOSED_BY_REQUEST");
    let e = shop.fails(&env, &["subs", "consult", "unknown-sub"], 2);
    assert_eq!(e["code"], "internet_plus.unknown_subscription");
}

#[tokio::test(flavor = "multi_thread")]
async fn what_an_offer_sells_is_delivered_before_the_customer_is_billed() {
    let (shop, host, env) = setup().await;
    sells_a_gift_card(&shop, &env);
    let order = session(&shop, &env, "2222", ORANGE_IP);
    assert_eq!(order["amount"], 25.0);
    let id = order["id"].as_str().unwrap().to_string();
    shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
    let confirmed = shop.json(&env, &["pay", "confirm", &id]);
    assert_eq!(status_of(&confirmed), "delivered");
    let orders = shop.json(&env, &["orders", "--provider", "amilon"]);
    assert_eq!(orders.as_array().unwrap().len(), 1);
    assert_eq!(orders[0]["status"], "delivered");
    assert_eq!(orders[0]["details"]["paid_by"], id.as_str());
    assert_eq!(host.state.amilon.orders().len(), 1);
    // Counted at the till with the other means: a receipt paid by Internet+.
    let number = confirmed["details"]["receipt"]
        .as_str()
        .expect("a till receipt")
        .to_string();
    let receipt = shop.json(&env, &["receipt", "show", &number]);
    assert_eq!(receipt["payments"][0]["tender"], "internet-plus");
    assert_eq!(receipt["payments"][0]["amount"], 25.0);
    assert_eq!(receipt["lines"][0]["state"], "delivered");
    assert_eq!(shop.json(&env, &["shift", "report"])["tenders"]["internet-plus"], 25.0);
    assert_eq!(
        shop.json(&env, &["report", "daily"])["tenders"][0]["tender"],
        "internet-plus"
    );

    // Delivery fails: the payment is cancelled, the customer is not billed.
    host.state.amilon.set_unavailable("FNAC_25_EUR");
    let order = session(&shop, &env, "2222", ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    let trx = shop.json(&env, &["pay", "return", &customer(&host, &order, true)])["provider_ref"]
        .as_str()
        .unwrap()
        .to_string();
    let e = shop.fails(&env, &["pay", "confirm", &id], 3);
    assert_eq!(e["code"], "internet_plus.cancelled_undelivered");
    assert_eq!(wha_status(&host, &trx), "CANCELLED");
    assert_eq!(shop.json(&env, &["order", "show", &id])["order"]["status"], "cancelled");
}

#[tokio::test(flavor = "multi_thread")]
async fn killed_between_the_return_and_the_confirmation_reconcile_bills_and_delivers_once() {
    let (shop, host, env) = setup().await;
    sells_a_gift_card(&shop, &env);
    let order = session(&shop, &env, "2222", ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    let trx = shop.json(&env, &["pay", "return", &customer(&host, &order, true)])["provider_ref"]
        .as_str()
        .unwrap()
        .to_string();
    // W-HA's confirmation hangs; the process is killed once the gift card is delivered.
    host.inject(Fault::on(
        "/orange/trxServices/confirm",
        FaultAction::Delay { ms: 20_000 },
    ));
    let mut child = shop.cli(&env).args(["pay", "confirm", &id]).spawn().unwrap();
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let start = std::time::Instant::now();
    loop {
        let delivered = journal
            .list(&OrderFilter::default())
            .await
            .unwrap()
            .iter()
            .any(|o| o.details["paid_by"] == id.as_str() && o.status == OrderStatus::Delivered);
        if delivered && host.faults().count("POST", "/orange/trxServices/confirm") == 1 {
            break;
        }
        assert!(start.elapsed() < Duration::from_secs(20), "the delivery never happened");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
    host.faults().clear();
    assert_eq!(wha_status(&host, &trx), "AUTHORIZED");
    let done = shop.json(&env, &["reconcile"]);
    assert!(
        done.as_array()
            .unwrap()
            .iter()
            .any(|c| c["order"] == id.as_str() && c["to"] == "delivered"),
        "{done}"
    );
    assert_eq!(wha_status(&host, &trx), "CONFIRMED");
    assert_eq!(host.state.amilon.orders().len(), 1, "delivered once");
    // The killed process's confirmation never reached W-HA; reconcile's
    // did. Again: nothing more to do, nothing billed twice.
    shop.json(&env, &["reconcile"]);
    assert_eq!(host.faults().count("POST", "/orange/trxServices/confirm"), 2);
    assert_eq!(wha_status(&host, &trx), "CONFIRMED");
}

#[tokio::test(flavor = "multi_thread")]
async fn after_24_hours_w_ha_cancels_and_an_expired_session_is_no_sale() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    let trx = shop.json(&env, &["pay", "return", &customer(&host, &order, true)])["provider_ref"]
        .as_str()
        .unwrap()
        .to_string();
    host.state.internet_plus.advance(Duration::from_secs(25 * 3600));
    assert_eq!(wha_status(&host, &trx), "CANCELLED");
    let done = shop.json(&env, &["reconcile"]);
    assert!(
        done.as_array()
            .unwrap()
            .iter()
            .any(|c| c["order"] == id.as_str() && c["to"] == "cancelled"),
        "{done}"
    );

    // A session whose page expired with no return.
    let pending = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let pid = pending["id"].as_str().unwrap();
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let past = StatusUpdate {
        details: Some(json!({"expires_at": "2020-01-01T00:00:00+00:00"})),
        message: "test: the page expired".into(),
        ..Default::default()
    };
    journal.set_status(pid, OrderStatus::Pending, past).await.unwrap();
    let done = shop.json(&env, &["reconcile"]);
    assert!(
        done.as_array()
            .unwrap()
            .iter()
            .any(|c| c["order"] == pid && c["to"] == "failed"),
        "{done}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_documented_error_has_its_code() {
    let (shop, host, env) = setup().await;
    let http = reqwest::Client::new();
    let root = host.root();
    let token_url = format!("{root}{}/oauth/v3/token", sim::AUTH_PATH);
    let basic = (comptoir::sim::CLIENT_ID, Some(comptoir::sim::CLIENT_SECRET));
    let token = |form: &'static str, json: bool| {
        let mut req = http.post(&token_url).basic_auth(basic.0, basic.1);
        req = if json {
            req.header("content-type", "application/json").body("{}")
        } else {
            req.header("content-type", "application/x-www-form-urlencoded")
                .body(form)
        };
        req.send()
    };
    let code = |v: Value| v["code"].as_i64().unwrap();
    assert_eq!(code(token("", false).await.unwrap().json().await.unwrap()), 4001);
    assert_eq!(
        code(token("grant_type=password", false).await.unwrap().json().await.unwrap()),
        4003
    );
    assert_eq!(code(token("", true).await.unwrap().json().await.unwrap()), 5001);
    let ok: Value = token("grant_type=client_credentials", false)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(ok["expires_in"].is_string(), "W-HA writes expires_in as a string");
    // 401 without a body on the API.
    let r = http
        .post(format!("{root}{}/getPaymentSession", sim::AUTH_PATH))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.text().await.unwrap().is_empty());

    // The client names each: 4011 with a wrong secret.
    let mut wrong = env.clone();
    wrong.insert("COMPTOIR_INTERNET_PLUS_CLIENT_SECRET".into(), "wrong".into());
    let e = shop.fails(
        &wrong,
        &["pay", "session", "--offer", ONE_OFF, "--client-ip", ORANGE_IP],
        2,
    );
    assert_eq!(e["code"], "internet_plus.4011");
    // 4041 on an unknown transaction, 4220 on a second confirmation.
    let order = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
    w_ha_says(
        &host,
        "/orange/trxServices/confirm",
        422,
        4220,
        "INVALID_TRX_STATUS",
        "Invalid transaction status",
    );
    let e = shop.fails(&env, &["pay", "confirm", &id], 3);
    assert_eq!(e["code"], "internet_plus.4220");
    w_ha_says(
        &host,
        "/orange/trxServices/consultTransaction",
        404,
        4041,
        "TRANSACTION_NOT_FOUND",
        "Transaction not found",
    );
    let e = shop.fails(&env, &["pay", "consult", &id], 3);
    assert_eq!(e["code"], "internet_plus.4041_transaction");
    w_ha_says(
        &host,
        "/getPaymentSession",
        500,
        5001,
        "INTERNAL_ERROR",
        "JSON parse error: message...",
    );
    let e = shop.fails(
        &env,
        &["pay", "session", "--offer", ONE_OFF, "--client-ip", ORANGE_IP],
        1,
    );
    assert_eq!(e["code"], "internet_plus.5001");
    w_ha_says(
        &host,
        "/getPaymentSession",
        400,
        4002,
        "INVALID_PARAMETER",
        "clientIp must not be blank",
    );
    let e = shop.fails(
        &env,
        &["pay", "session", "--offer", ONE_OFF, "--client-ip", ORANGE_IP],
        2,
    );
    assert_eq!(e["code"], "internet_plus.4002_client_ip");
}

/// Each documented error body, as W-HA sends it, becomes its stable code and
/// the CLI's exit code; the provider's own code is kept for support.
#[tokio::test(flavor = "multi_thread")]
async fn each_documented_error_body_is_named() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, MONTHLY, ORANGE_IP);
    let authorized = shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
    let id = authorized["id"].as_str().unwrap().to_string();
    let sub = authorized["details"]["subscription_id"].as_str().unwrap().to_string();
    let cases: &[(&str, u16, i64, &str, &str, &str, i32)] = &[
        (
            "/getPaymentSession",
            400,
            4001,
            "MISSING_PARAMETER",
            "Missing parameter requestMerchantId",
            "internet_plus.4001",
            1,
        ),
        (
            "/getPaymentSession",
            400,
            4002,
            "INVALID_PARAMETER",
            "offerId must not be blank",
            "internet_plus.4002_offer_id",
            2,
        ),
        (
            "/getPaymentSession",
            404,
            4041,
            "OFFER_NOT_FOUND",
            "Offer not found : x",
            "internet_plus.4041_offer",
            3,
        ),
        (
            "/getPaymentSession",
            404,
            4042,
            "INVALID_IP",
            "Invalid IP",
            "internet_plus.4042",
            3,
        ),
        (
            "/getPaymentSession",
            404,
            4043,
            " OPERATOR_PARAM_NOT_FOUND",
            " Operator param not found",
            "internet_plus.4043",
            3,
        ),
        (
            "/getPaymentSession",
            500,
            5000,
            "INTERNAL_ERROR",
            "Content type 'application/json' not supported",
            "internet_plus.5000",
            1,
        ),
        (
            "/consultSubscription",
            404,
            4041,
            "SUBSCRIPTION_NOT_FOUND",
            "Subscription not found",
            "internet_plus.4041_subscription",
            3,
        ),
    ];
    for (path, status, code, message, description, expected, exit) in cases {
        w_ha_says(&host, path, *status, *code, message, description);
        let args: Vec<&str> = if path.contains("Subscription") {
            vec!["subs", "consult", &sub]
        } else {
            vec!["pay", "session", "--offer", ONE_OFF, "--client-ip", ORANGE_IP]
        };
        let e = shop.fails(&env, &args, *exit);
        assert_eq!(e["code"], *expected, "{path} {code}");
        assert_eq!(e["provider_code"], code.to_string(), "{path} {code}");
    }
    // 401 with no body on the API, twice (the token renewed once): the credentials.
    host.faults().clear();
    host.inject(Fault::on(
        "/orange/trxServices/consultTransaction",
        FaultAction::Status {
            status: 401,
            body: None,
        },
    ));
    let e = shop.fails(&env, &["pay", "consult", &id], 2);
    assert_eq!(e["code"], "internet_plus.401");
}

/// A payment confirmed by `n` processes at once: their outputs.
fn confirm_together(shop: &Shop, env: &BTreeMap<String, String>, id: &str, n: usize) -> Vec<std::process::Output> {
    let children: Vec<_> = (0..n)
        .map(|_| {
            shop.cli(env)
                .args(["--json", "pay", "confirm", id])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    children.into_iter().map(|c| c.wait_with_output().unwrap()).collect()
}

fn error_code(out: &std::process::Output) -> String {
    serde_json::from_slice::<Value>(&out.stderr).map_or_else(
        |_| String::from_utf8_lossy(&out.stderr).into_owned(),
        |v| v["error"]["code"].as_str().unwrap_or_default().to_string(),
    )
}

/// Issue 20 §1, reproduced: `pay confirm $ID & pay confirm $ID & wait`
/// delivered two Amilon gift cards for one payment W-HA billed once (4 of 8
/// rounds). Eight processes, ten rounds: one delivered order per payment,
/// one order at Amilon; the seven others exit 2 naming what happened.
#[tokio::test(flavor = "multi_thread")]
async fn eight_processes_confirming_one_payment_deliver_one_gift_card() {
    let (shop, host, env) = setup().await;
    sells_a_gift_card(&shop, &env);
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    // Amilon's contract is read again by each delivery and answers slowly:
    // the time between "no gift card yet for this payment" and the order
    // written is wide, as it was when the defect was found.
    let contract = format!("/contracts/{}", comptoir::providers::amilon::sim::CONTRACT_ID);
    host.inject(Fault::on(&contract, FaultAction::Delay { ms: 400 }));
    for round in 0..10 {
        let order = session(&shop, &env, "2222", ORANGE_IP);
        let id = order["id"].as_str().unwrap().to_string();
        shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
        for key in ["amilon:contract:live", "amilon:contract:training"] {
            journal.cache_forget(key).await.unwrap();
        }
        let outs = confirm_together(&shop, &env, &id, 8);
        // One gift card for the payment, in the journal and at Amilon.
        let paid: Vec<Value> = shop
            .json(&env, &["orders", "--provider", "amilon"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|o| o["details"]["paid_by"] == id.as_str())
            .cloned()
            .collect();
        assert_eq!(paid.len(), 1, "round {round}: {paid:?}");
        assert_eq!(
            host.state.amilon.orders().len(),
            round + 1,
            "round {round}: at Amilon too"
        );
        let won: Vec<_> = outs.iter().filter(|o| o.status.success()).collect();
        assert_eq!(won.len(), 1, "round {round}: one confirm wins");
        let confirmed: Value = serde_json::from_slice(&won[0].stdout).unwrap();
        assert_eq!(confirmed["status"], "delivered");
        let delivered_order = confirmed["details"]["delivered_order"].as_str().unwrap().to_string();
        assert_eq!(paid[0]["id"], delivered_order.as_str());
        for lost in outs.iter().filter(|o| !o.status.success()) {
            assert_eq!(lost.status.code(), Some(2), "{}", String::from_utf8_lossy(&lost.stderr));
            let code = error_code(lost);
            assert!(
                code == "internet_plus.delivery_in_progress" || code == "internet_plus.already_delivered",
                "{code}"
            );
            if code == "internet_plus.already_delivered" {
                let e: Value = serde_json::from_slice(&lost.stderr).unwrap();
                assert_eq!(e["error"]["params"]["delivered_order"], delivered_order.as_str());
            }
        }
    }
}

/// Issue 20 §1: a `pay cancel` while a confirm was delivering left the
/// payment cancelled (customer not billed) and the gift card delivered.
/// Ten rounds, the cancel started during the delivery or at the same time:
/// never a delivered product on a cancelled payment.
#[tokio::test(flavor = "multi_thread")]
async fn a_cancel_racing_a_confirm_never_leaves_a_delivered_product_unbilled() {
    let (shop, host, env) = setup().await;
    sells_a_gift_card(&shop, &env);
    for round in 0..10 {
        let order = session(&shop, &env, "2222", ORANGE_IP);
        let id = order["id"].as_str().unwrap().to_string();
        shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
        host.faults().clear();
        if round % 2 == 0 {
            // Amilon takes its time: the cancel arrives mid-delivery.
            host.inject(Fault::on("/complete", FaultAction::Delay { ms: 1500 }));
        }
        let run = |args: &[&str]| {
            shop.cli(&env)
                .arg("--json")
                .args(args)
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        };
        let confirm = run(&["pay", "confirm", &id]);
        if round % 2 == 0 {
            std::thread::sleep(Duration::from_millis(700));
        }
        let cancel = run(&["pay", "cancel", &id]).wait_with_output().unwrap();
        let confirm = confirm.wait_with_output().unwrap();
        let payment = shop.json(&env, &["order", "show", &id])["order"].clone();
        let delivered = shop
            .json(&env, &["orders", "--provider", "amilon"])
            .as_array()
            .unwrap()
            .iter()
            .any(|o| o["details"]["paid_by"] == id.as_str() && o["status"] == "delivered");
        assert!(
            !(delivered && payment["status"] == "cancelled"),
            "round {round}: delivered on a cancelled payment"
        );
        if round % 2 == 0 {
            assert!(confirm.status.success(), "{}", String::from_utf8_lossy(&confirm.stderr));
            assert_eq!(cancel.status.code(), Some(2));
            let code = error_code(&cancel);
            assert!(
                code == "internet_plus.delivery_in_progress" || code == "internet_plus.cancel_delivered",
                "{code}"
            );
            assert_eq!(payment["status"], "delivered");
        } else {
            assert!(
                confirm.status.success() ^ cancel.status.success(),
                "exactly one of them acts: confirm {:?} cancel {:?}",
                confirm.status,
                cancel.status
            );
        }
    }
    host.faults().clear();
}

/// Issue 20 §8: once `reconcile` marked an expired session `failed`, a
/// genuine signed return arriving later was refused, and W-HA kept an
/// authorized transaction the shop could neither record nor cancel. It is
/// recorded and cancelled at W-HA now, said in the output; given again,
/// nothing more is sent.
#[tokio::test(flavor = "multi_thread")]
async fn a_late_genuine_return_after_reconcile_is_recorded_and_cancelled_at_w_ha() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    let journal = Journal::open(&shop.data_dir().join("journal.sqlite")).await.unwrap();
    let past = StatusUpdate {
        details: Some(json!({"expires_at": "2020-01-01T00:00:00+00:00"})),
        message: "test: the page expired".into(),
        ..Default::default()
    };
    journal.set_status(&id, OrderStatus::Pending, past).await.unwrap();
    shop.json(&env, &["reconcile"]);
    assert_eq!(shop.json(&env, &["order", "show", &id])["order"]["status"], "failed");
    // The customer had confirmed on the page all the same.
    let url = customer(&host, &order, true);
    let e = shop.fails(&env, &["pay", "return", &url], 3);
    assert_eq!(e["code"], "internet_plus.late_return_cancelled");
    let trx = e["params"]["transaction"].as_str().unwrap().to_string();
    assert_eq!(wha_status(&host, &trx), "CANCELLED");
    let shown = shop.json(&env, &["order", "show", &id])["order"].clone();
    assert_eq!(shown["status"], "failed");
    assert_eq!(shown["details"]["late_transaction_id"], trx.as_str());
    assert_eq!(shown["details"]["late_cancelled"], true);
    let cancels = host.faults().count("POST", "/trxServices/cancel");
    let e = shop.fails(&env, &["pay", "return", &url], 3);
    assert_eq!(e["code"], "internet_plus.late_return_cancelled");
    assert_eq!(
        host.faults().count("POST", "/trxServices/cancel"),
        cancels,
        "cancelled once"
    );
}

/// Issue 20's minor items, each as found: `pay consult` on a payment the
/// customer cancelled said "no return received"; `subs terminate --at-due`
/// hid W-HA's closing date; `--client-ip ::ffff:90.57.78.52` passed the
/// check but was sent mapped; `pay offer --sells` took a product the
/// catalog does not have.
#[tokio::test(flavor = "multi_thread")]
async fn minor_items_consult_terminate_mapped_ip_and_sells() {
    let (shop, host, env) = setup().await;
    let order = session(&shop, &env, ONE_OFF, ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    shop.json(&env, &["pay", "return", &customer(&host, &order, false)]);
    let e = shop.fails(&env, &["pay", "consult", &id], 2);
    assert!(
        e["message"]
            .as_str()
            .unwrap()
            .contains("cancelled on the operator's page"),
        "{e}"
    );

    let sub = session(&shop, &env, MONTHLY, ORANGE_IP);
    let returned = shop.json(&env, &["pay", "return", &customer(&host, &sub, true)]);
    let sid = returned["details"]["subscription_id"].as_str().unwrap().to_string();
    shop.json(&env, &["subs", "confirm", &sid]);
    let out = shop.run(&env, &["subs", "terminate", &sid, "--at-due"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("closes on"),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );

    let mapped = session(&shop, &env, ONE_OFF, "::ffff:90.57.78.52");
    assert_eq!(mapped["details"]["client_ip"], "90.57.78.52");
    assert_eq!(mapped["details"]["operator"], "orange");

    let e = shop.fails(
        &env,
        &[
            "pay",
            "offer",
            "--id",
            "3333",
            "--name",
            "Rien",
            "--amount",
            "5",
            "--sells",
            "amilon:NO_SUCH_CARD",
        ],
        2,
    );
    assert_eq!(e["code"], "internet_plus.unknown_sells");
}

/// Issue 20 §1: the payment and what it delivered point at each other
/// wherever a person looks: `pay confirm`'s output, `order show` of either,
/// the payment's printed ticket (with the vouchers' lines), and a refund
/// says the vouchers stay valid.
#[tokio::test(flavor = "multi_thread")]
async fn a_payment_and_its_gift_card_name_each_other_and_a_refund_says_the_card_stays_valid() {
    let (shop, host, env) = setup().await;
    sells_a_gift_card(&shop, &env);
    shop.json(&env, &["config", "set", "locale", "fr"]);
    let order = session(&shop, &env, "2222", ORANGE_IP);
    let id = order["id"].as_str().unwrap().to_string();
    shop.json(&env, &["pay", "return", &customer(&host, &order, true)]);
    host.state.amilon.set_delivery_delay(Duration::from_secs(2));
    let out = shop.run(&env, &["pay", "confirm", &id]);
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    assert!(out.status.success());
    // The cards take a few seconds to come: said while it waits, in French.
    let waiting = String::from_utf8_lossy(&out.stderr);
    assert!(
        waiting.contains(&format!("livraison de ce que paie {id} (1s)")),
        "{waiting}"
    );
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let card = shop.json(&env, &["order", "show", &id])["order"]["details"]["delivered_order"]
        .as_str()
        .unwrap()
        .to_string();
    // In the shop's language (French here), both ways.
    assert!(text.contains(&format!("payé pour la commande : {card}")), "{text}");
    let shown = shop.run(&env, &["order", "show", &card]);
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(
        shown.contains(&format!("payée par le paiement Internet+ {id}")),
        "{shown}"
    );
    let pdf = shop.dir.path().join("payment.pdf");
    shop.json(&env, &["order", "print", &id, "--pdf", pdf.to_str().unwrap()]);
    let printed = std::process::Command::new("pdftotext")
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&printed.stdout);
    assert!(printed.contains("Commande payée"), "{printed}");
    assert!(printed.contains(&card), "{printed}");
    assert!(
        printed.replace('\u{a0}', " ").contains("Code : FNAC-"),
        "the voucher's lines, French colons: {printed}"
    );
    let keep = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tickets");
    std::fs::create_dir_all(&keep).unwrap();
    std::fs::copy(&pdf, keep.join("payment-with-gift-card.pdf")).unwrap();
    let refunded = shop.json(
        &env,
        &[
            "pay",
            "refund",
            &id,
            "--reason",
            "EDITOR_EXPECTATION",
            "--comment",
            "changed mind",
        ],
    );
    assert_eq!(refunded["details"]["product_after_refund"], "stays_valid");
    let out = shop.run(&env, &["order", "show", &id]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("reste valable"));
    assert_eq!(
        shop.json(&env, &["order", "show", &card])["order"]["status"],
        "delivered"
    );
}
