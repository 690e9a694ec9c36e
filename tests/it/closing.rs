//! The register's closings, on a clock the test controls: each command
//! runs under libfaketime (Debian's `faketime`), as if the computer's
//! clock said so. A day closes at the first sale after midnight, a month
//! and a fiscal year at the first sale after they end, with totals
//! checked against the sales; a clock set back into a closed day is
//! refused and records nothing.

use crate::common::{at, Shop};
use comptoir::registry::SimHost;
use serde_json::Value;
use std::collections::BTreeMap;
use std::time::Duration;

const ESIM_30: &str = "07966928-d3a3-453e-9944-b7ff1081794d";
const TOPUP_10: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
const FNAC_25: &str = "FNAC_25_EUR";

fn cents(v: &Value) -> i64 {
    (v.as_f64().unwrap_or(f64::NAN) * 100.0).round() as i64
}

fn closings(shop: &Shop, env: &BTreeMap<String, String>) -> Vec<Value> {
    let all = shop.json(env, &["register", "closings"]);
    let mut all = all.as_array().unwrap().clone();
    all.reverse();
    all
}

async fn shop() -> (Shop, SimHost, BTreeMap<String, String>) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    shop.json(&env, &["keys", "generate"]);
    shop.json(&env, &["keys", "upload"]);
    (shop, host, env)
}

#[tokio::test(flavor = "multi_thread")]
async fn days_months_and_fiscal_years_close_by_themselves_with_exact_totals() {
    let (shop, _host, env) = shop().await;
    let dec31 = at(&env, "2026-12-31 23:40:00");
    shop.json(&dec31, &["shift", "open", "--float", "100"]);
    // VAT at 20 % (the eSIM, sold in the shop's name), out of scope
    // (a top-up as the operator's agent, a gift card as a multi-purpose voucher).
    shop.json(&dec31, &["basket", "add", "esim", "--offer", ESIM_30]);
    shop.json(
        &dec31,
        &["basket", "add", "topup", "--offer", TOPUP_10, "--msisdn", "0684587587"],
    );
    shop.json(&dec31, &["basket", "add", "giftcard", "--product", FNAC_25]);
    let paid = shop.json(&dec31, &["basket", "pay", "--cash", "50", "--card", "15"]);
    assert_eq!(cents(&paid["total"]), 6500, "{paid}");
    assert!(closings(&shop, &dec31).is_empty(), "the day is not over");

    // The first sale after midnight closes the day, the month and the year.
    let jan1 = at(&env, "2027-01-01 00:10:00");
    shop.json(
        &jan1,
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
    let made = closings(&shop, &jan1);
    let kinds: Vec<(&str, &str)> = made
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["period"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("day", "2026-12-31"),
            ("month", "2026-12"),
            ("year", "2026-01-01/2026-12-31")
        ]
    );
    for c in &made {
        assert_eq!(c["receipts"], 1, "{c}");
        assert_eq!(cents(&c["period_total"]), 6500, "{c}");
        assert_eq!(cents(&c["perpetual_total"]), 6500, "{c}");
        assert_eq!(cents(&c["perpetual_absolute"]), 6500, "{c}");
        // 30 € at 20 %: 25,00 € excluding tax and 5,00 € of tax.
        let rate = &c["by_rate"][0];
        assert_eq!(
            (
                rate["rate"].as_i64(),
                cents(&rate["base"]),
                cents(&rate["tax"]),
                cents(&rate["total"])
            ),
            (Some(2000), 2500, 500, 3000),
            "{c}"
        );
        assert_eq!(cents(&c["out_of_scope"]), 3500, "{c}");
        let tenders: BTreeMap<String, i64> = c["tenders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["tender"].as_str().unwrap().to_string(), cents(&t["amount"])))
            .collect();
        assert_eq!(
            tenders,
            BTreeMap::from([("card".into(), 1500), ("cash".into(), 5000)]),
            "{c}"
        );
        assert!(c["signature"].is_string(), "{c}");
    }

    // The next day's closing carries the perpetual totals on.
    let jan2 = at(&env, "2027-01-02 09:00:00");
    let e = shop.json(&jan2, &["register", "close", "day"]);
    assert_eq!(e["period"], "2027-01-01", "{e}");
    assert_eq!(e["made"], true, "{e}");
    assert_eq!(cents(&e["period_total"]), 1000, "{e}");
    assert_eq!(cents(&e["perpetual_total"]), 7500, "{e}");
    let again = shop.json(&jan2, &["register", "close", "day", "--date", "2027-01-01"]);
    assert_eq!(
        (again["made"].as_bool(), again["seq"].clone()),
        (Some(false), e["seq"].clone())
    );
    let today = shop.fails(&jan2, &["register", "close", "day", "--date", "2027-01-02"], 2);
    assert_eq!(today["code"], "register.not_due", "{today}");

    // The printout, roll and A4.
    let pdf = shop.data_dir().join("closing.pdf");
    let printed = shop.json(
        &jan2,
        &[
            "register",
            "close",
            "year",
            "--date",
            "2026-06-01",
            "--pdf",
            pdf.to_str().unwrap(),
            "--layout",
            "a4",
        ],
    );
    assert_eq!(printed["kind"], "year");
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));

    let v = shop.json(&jan2, &["register", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["chains"]["closing"], 4, "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clock_set_back_into_a_closed_day_sells_nothing() {
    let (shop, _host, env) = shop().await;
    let sell = [
        "sell",
        "topup",
        "--offer",
        TOPUP_10,
        "--msisdn",
        "0684587587",
        "--pay",
        "card",
    ];
    shop.json(&at(&env, "2026-12-03 18:00:00"), &sell);
    shop.json(&at(&env, "2026-12-04 10:00:00"), &sell);
    let back = at(&env, "2026-12-03 19:00:00");
    let e = shop.fails(&back, &sell, 2);
    assert_eq!(e["code"], "register.closed_period", "{e}");
    assert_eq!(e["params"]["closed"], "2026-12-03", "{e}");
    assert!(e["message"].as_str().unwrap().contains("clock"), "{e}");
    // Nothing was recorded, nor bought: two receipts, two orders.
    let right = at(&env, "2026-12-04 10:05:00");
    let orders = shop.json(&right, &["orders"]);
    assert_eq!(orders.as_array().unwrap().len(), 2, "{orders}");
    shop.json(&right, &sell);
    let v = shop.json(&right, &["register", "verify"]);
    assert_eq!(v["chains"]["receipt"], 3, "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_closing_edited_in_the_file_is_found() {
    let (shop, _host, env) = shop().await;
    let sell = [
        "sell",
        "topup",
        "--offer",
        TOPUP_10,
        "--msisdn",
        "0684587587",
        "--pay",
        "cash",
    ];
    shop.json(&at(&env, "2026-12-03 18:00:00"), &sell);
    shop.json(&at(&env, "2026-12-04 10:00:00"), &sell);
    let path = shop.data_dir().join("journal.sqlite");
    let sql = "DROP TRIGGER register_append_only_update;
        UPDATE register SET payload = json_set(payload, '$.period_total', 1) WHERE chain = 'closing';";
    use sqlx::Connection;
    let options = sqlx::sqlite::SqliteConnectOptions::new().filename(&path);
    let mut c = sqlx::SqliteConnection::connect_with(&options).await.unwrap();
    sqlx::raw_sql(sql).execute(&mut c).await.unwrap();
    c.close().await.unwrap();
    let e = shop.fails(&at(&env, "2026-12-04 10:05:00"), &["register", "verify"], 6);
    assert_eq!(e["params"]["chain"], "closing", "{e}");
    assert_eq!(e["params"]["seq"], 1, "{e}");
}
