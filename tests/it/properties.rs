//! Random input at the core's edges: what a cashier types, what a provider
//! sends, what the search box receives. Nothing may panic, and every
//! accepted value must be what the API expects.

use comptoir::journal::{Journal, OrderFilter};
use comptoir::providers::orange_travel::{self, model};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn phone_numbers_are_refused_or_nine_digits(input in "\\PC{0,24}") {
        if let Ok(n) = orange_travel::normalize_msisdn(&input) {
            prop_assert_eq!(n.len(), 9);
            prop_assert!(n.bytes().all(|b| b.is_ascii_digit()));
        }
    }

    #[test]
    fn plausible_numbers_keep_their_last_nine_digits(d in "[1-9][0-9]{8}", sep in "[ .-]?") {
        let spaced: String = d.chars().map(|c| format!("{c}{sep}")).collect();
        prop_assert_eq!(orange_travel::normalize_msisdn(&format!("0{spaced}")).unwrap(), d.clone());
        prop_assert_eq!(orange_travel::normalize_msisdn(&format!("+33 {spaced}")).unwrap(), d);
    }

    #[test]
    fn sim_ids_are_refused_or_digits(input in "\\PC{0,30}") {
        if let Ok(s) = orange_travel::validate_sim_id(&input) {
            prop_assert!(s.bytes().all(|b| b.is_ascii_digit()) && (8..=22).contains(&s.len()));
        }
    }

    #[test]
    fn qr_payloads_are_refused_or_lpa(code in "\\PC{0,60}", smdp in proptest::option::of("\\PC{0,30}")) {
        if let Ok(p) = comptoir::qr::lpa_payload(&code, smdp.as_deref()) {
            prop_assert!(p.starts_with("LPA:1$"));
        }
    }

    #[test]
    fn provider_answers_never_panic_the_parsers(body in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = serde_json::from_slice::<Vec<model::Offer>>(&body);
        let _ = serde_json::from_slice::<model::Transaction>(&body);
        let _ = serde_json::from_slice::<model::UsageBalances>(&body);
        let _ = serde_json::from_slice::<model::ApiError>(&body);
    }

    #[test]
    fn json_shaped_answers_never_panic_the_parsers(v in arb_json()) {
        let text = v.to_string();
        let _ = serde_json::from_str::<Vec<model::Offer>>(&text);
        let _ = serde_json::from_str::<model::Transaction>(&text);
        let _ = serde_json::from_str::<model::SimStatus>(&text);
        let _ = serde_json::from_str::<model::GlobalBalances>(&text);
    }
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(serde_json::Value::from),
        "\\PC{0,12}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            proptest::collection::hash_map(
                prop_oneof![
                    Just("id".to_string()),
                    Just("status".to_string()),
                    Just("parameters".to_string()),
                    "[a-z_]{1,8}"
                ],
                inner,
                0..5
            )
            .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

#[test]
fn any_search_text_is_a_harmless_search() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let journal = rt.block_on(Journal::open(&dir.path().join("j.sqlite"))).unwrap();
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 256,
        ..ProptestConfig::default()
    });
    runner
        .run(&"\\PC{0,40}", |text| {
            let f = OrderFilter {
                search: Some(text),
                ..Default::default()
            };
            prop_assert!(rt.block_on(journal.list(&f)).is_ok());
            prop_assert!(rt.block_on(journal.count_up_to(&f, 10_000)).is_ok());
            Ok(())
        })
        .unwrap();
    for nasty in [
        "\"",
        "'; DROP TABLE orders; --",
        "a OR b",
        "NEAR(a b)",
        "*",
        "col:val",
        "^x",
        "(",
        "-x",
    ] {
        let f = OrderFilter {
            search: Some(nasty.into()),
            ..Default::default()
        };
        assert!(rt.block_on(journal.list(&f)).is_ok(), "{nasty}");
    }
}

/// Random text typed into the CLI's arguments: the binary never panics nor
/// fails as a bug (exit 1), a refusal (exit 2) changes nothing in the
/// journal, and a sale that went through is there once.
#[test]
fn random_command_line_input_is_refused_cleanly_or_served() {
    const TOPUP_FR: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";
    let rt = tokio::runtime::Runtime::new().unwrap();
    let host = rt.block_on(comptoir::registry::SimHost::start(0)).unwrap();
    host.state.amilon.set_delivery_delay(std::time::Duration::ZERO);
    let shop = crate::common::Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    let orders = |shop: &crate::common::Shop| {
        shop.json(&env, &["orders", "--limit", "10000"])
            .as_array()
            .unwrap()
            .len()
    };

    let text = || "\\PC{0,16}";
    let command = prop_oneof![
        (text(), text()).prop_map(|(a, b)| vec![
            "sell",
            "topup",
            "--offer",
            TOPUP_FR,
            "--msisdn",
            &a,
            "--customer",
            &b
        ]
        .into_iter()
        .map(String::from)
        .collect::<Vec<_>>()),
        text().prop_map(|a| ["sell", "topup", "--offer", TOPUP_FR, "--sim-id", &a]
            .map(String::from)
            .to_vec()),
        text().prop_map(|a| ["sell", "giftcard", "--product", "FNAC_25_EUR", "--quantity", &a]
            .map(String::from)
            .to_vec()),
        (text(), text(), text(), text()).prop_map(|(a, b, c, d)| [
            "orders", "--from", &a, "--to", &b, "--search", &c, "--sort", &d
        ]
        .map(String::from)
        .to_vec()),
        text().prop_map(|a| ["report", "daily", "--date", &a].map(String::from).to_vec()),
        text().prop_map(|a| ["order", "show", &a, "--reveal"].map(String::from).to_vec()),
        text().prop_map(|a| ["order", "print", &a, "--pdf", "/nonexistent/t.pdf"]
            .map(String::from)
            .to_vec()),
        text().prop_map(|a| ["config", "set", "printer.paper", &a].map(String::from).to_vec()),
        (text(), text(), text()).prop_map(
            |(a, b, c)| ["catalog", "--search", &a, "--country", &b, "--min-data", &c]
                .map(String::from)
                .to_vec()
        ),
    ];
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    });
    runner
        .run(&command, |args| {
            let before = orders(&shop);
            let mut all = vec!["--json"];
            all.extend(args.iter().map(String::as_str));
            let out = shop.run(&env, &all);
            let stderr = String::from_utf8_lossy(&out.stderr);
            prop_assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
            let code = out.status.code();
            prop_assert!(
                matches!(code, Some(0 | 2 | 3 | 4 | 5)),
                "{args:?} exited {code:?}: {stderr}"
            );
            let after = orders(&shop);
            match (code, args[0].as_str()) {
                (Some(0), "sell") => prop_assert_eq!(after, before + 1, "{:?}", args),
                (Some(2), _) => prop_assert_eq!(after, before, "a refusal writes nothing: {:?}", args),
                _ => {}
            }
            Ok(())
        })
        .unwrap();
    drop(host);
}
