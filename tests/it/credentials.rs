//! Settings' credentials for every provider: saved from the form, tested by
//! asking the provider (here its simulator, as if live) for a token, and
//! the provider's status following.

use comptoir::providers::ProviderId;
use comptoir::registry::SimHost;
use comptoir::secrets::Backend;
use comptoir::{Comptoir, Options};
use std::collections::BTreeMap;

async fn open(dir: &std::path::Path) -> Comptoir {
    Comptoir::open(Options {
        data_dir: Some(dir.to_path_buf()),
        training: false,
        secret_store: Some(Backend::Kernel),
        share_training: false,
    })
    .await
    .unwrap()
}

/// The form's values that point Amilon at `host`, as a shop types them.
fn amilon_form(host: &SimHost, password: &str) -> BTreeMap<String, String> {
    let config = host.training_config(ProviderId::Amilon).unwrap();
    let mut values: BTreeMap<String, String> = ["url", "token_url", "client_id", "username", "contract_id"]
        .into_iter()
        .map(|f| (f.to_string(), config.get(f).unwrap().to_string()))
        .collect();
    values.insert("client_secret".into(), comptoir::sim::CLIENT_SECRET.into());
    values.insert("password".into(), password.into());
    values
}

#[tokio::test(flavor = "multi_thread")]
async fn amilon_credentials_from_the_form_are_tested_with_a_token() {
    let host = SimHost::start(0).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;

    // With nothing set, the test asks the simulator (training).
    let t = app.test_connection(ProviderId::Amilon).await.unwrap();
    assert!(t.training);

    app.set_credentials(ProviderId::Amilon, &amilon_form(&host, "wrong password"))
        .unwrap();
    let status = app.status().await.unwrap();
    let amilon = status
        .providers
        .iter()
        .find(|p| p.provider == ProviderId::Amilon)
        .unwrap();
    assert_eq!(amilon.mode, "live");
    let e = app.test_connection(ProviderId::Amilon).await.unwrap_err();
    assert_eq!(e.code, "auth.rejected", "{e:?}");
    assert_eq!(e.provider.as_ref().map(|p| p.code.as_str()), Some("invalid_grant"));

    let tokens_before = host
        .faults()
        .calls()
        .get("POST /amilon/connect/token")
        .copied()
        .unwrap_or(0);
    app.set_credentials(
        ProviderId::Amilon,
        &[(
            "password".to_string(),
            comptoir::providers::amilon::sim::PASSWORD.to_string(),
        )]
        .into(),
    )
    .unwrap();
    let t = app.test_connection(ProviderId::Amilon).await.unwrap();
    assert!(!t.training);
    let tokens_after = host.faults().calls()["POST /amilon/connect/token"];
    assert_eq!(tokens_after, tokens_before + 1, "one token request, no more");

    // The next call uses the token the test got.
    let contract = comptoir::giftcard::assortment::contract(&app).await.unwrap();
    assert_eq!(host.faults().calls()["POST /amilon/connect/token"], tokens_after);
    assert!(!contract.from_cache);

    app.clear_credentials(ProviderId::Amilon).unwrap();
    assert!(app.test_connection(ProviderId::Amilon).await.unwrap().training);
    for name in ["amilon.client_secret", "amilon.password"] {
        assert!(app.secrets().get(name).unwrap().is_none());
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn every_provider_answers_in_training_and_an_unreachable_one_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    // In training every provider's simulator token endpoint answers.
    for p in [ProviderId::InternetPlus, ProviderId::AnomalieAdresse] {
        assert!(app.test_connection(p).await.unwrap().training, "{p}");
    }

    // Live, but nothing listens there: unavailable, named as such.
    let values = [
        ("auth_url", "http://127.0.0.1:9/authServices"),
        ("client_id", "shop"),
        ("client_secret", "s"),
        ("hmac_secret", "h"),
        ("return_url", "http://127.0.0.1:1/internet-plus/return"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    app.set_credentials(ProviderId::InternetPlus, &values).unwrap();
    let e = app.test_connection(ProviderId::InternetPlus).await.unwrap_err();
    assert_eq!(e.code, "auth.unreachable", "{e:?}");
    app.clear_credentials(ProviderId::InternetPlus).unwrap();
}

/// Every value a setting or a provider's field refuses is said in French
/// with why, in French: the reason each rule writes in English is read
/// against the `reason.*` sentences, so no English reaches a French shop
/// (`Valeur refusée pour locale : les valeurs possibles sont fr, en.`).
#[tokio::test(flavor = "multi_thread")]
async fn every_refused_setting_says_why_in_french() {
    let dir = tempfile::tempdir().unwrap();
    let app = open(dir.path()).await;
    let mut keys: Vec<String> = comptoir::settings::KEYS.iter().map(|(k, _)| k.to_string()).collect();
    for p in ProviderId::ALL {
        keys.extend(comptoir::registry::fields(p).iter().map(|f| p.key(f)));
    }
    let bad = [
        "\u{7}".to_string(),
        "x".repeat(700),
        "zz".into(),
        "12".into(),
        "postgres://u:p@h/db".into(),
        "mysql://h/db".into(),
    ];
    let mut reasons = 0;
    for key in &keys {
        for value in &bad {
            let Err(e) = app.check_setting(key, Some(&serde_json::Value::String(value.clone()))) else {
                continue;
            };
            if e.code != "settings.bad_value" {
                continue;
            }
            reasons += 1;
            let reason = e.params["reason"].as_str().unwrap();
            let fr = comptoir::types::words::error("fr", &e);
            assert!(
                !fr.contains(reason),
                "{key} = {value:?}: the English reason is left: {fr}"
            );
            assert!(fr.starts_with("Valeur refusée pour"), "{fr}");
        }
    }
    assert!(reasons > 20, "only {reasons} refusals seen");
    let e = app
        .check_setting("locale", Some(&serde_json::Value::String("xx".into())))
        .unwrap_err();
    assert_eq!(
        comptoir::types::words::error("fr", &e),
        "Valeur refusée pour locale : les valeurs possibles sont fr, en."
    );
}
