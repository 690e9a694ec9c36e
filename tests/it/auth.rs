//! The shared token manager against a simulated token endpoint.

use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Router;
use comptoir::auth::{Grant, TokenManager, TokenSource};
use comptoir::secrets::{Backend, Secret, SecretStore};
use comptoir::sim::oauth::{OAuthSim, SimGrant};
use comptoir::ErrorKind;
use std::sync::Arc;

const PASSWORD: &str = "p@ss w$rd#&=+%20 ok";

struct Endpoint {
    url: String,
    oauth: Arc<OAuthSim>,
    _dir: tempfile::TempDir,
    store: SecretStore,
}

async fn endpoint(grant: SimGrant) -> Endpoint {
    let oauth = Arc::new(OAuthSim::new(grant, 300, serde_json::json!({"code": 42})));
    let o = oauth.clone();
    let o2 = oauth.clone();
    let app = Router::new()
        .route(
            "/token",
            post(move |h: HeaderMap, body: String| async move { o.token(&h, &body) }),
        )
        .route(
            "/api",
            get(move |h: HeaderMap| async move {
                match o2.check(&h) {
                    Ok(()) => axum::response::IntoResponse::into_response("ok"),
                    Err(r) => r,
                }
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let dir = tempfile::tempdir().unwrap();
    let store = SecretStore::new(Backend::Kernel, dir.path());
    Endpoint {
        url,
        oauth,
        _dir: dir,
        store,
    }
}

fn password_source(url: &str, password: &str) -> TokenSource {
    TokenSource {
        token_url: format!("{url}/token"),
        grant: Grant::Password {
            client_id: "amilon-client".into(),
            client_secret: Secret::new("client s€cret&"),
            username: "shop@example.com".into(),
            password: Secret::new(password),
        },
        persist: true,
    }
}

fn password_grant() -> SimGrant {
    SimGrant::Password {
        client_id: "amilon-client".into(),
        client_secret: "client s€cret&".into(),
        username: "shop@example.com".into(),
        password: PASSWORD.into(),
    }
}

#[tokio::test]
async fn password_grant_survives_special_characters_and_is_reused() {
    let ep = endpoint(password_grant()).await;
    let tm = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    let src = password_source(&ep.url, PASSWORD);
    let a = tm.token(&src).await.unwrap();
    let b = tm.token(&src).await.unwrap();
    assert_eq!(a, b);
    assert_eq!(ep.oauth.issued(), 1);

    // A second manager (another process) finds it in the keyring.
    let other = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    assert_eq!(other.token(&src).await.unwrap(), a);
    assert_eq!(ep.oauth.issued(), 1);
}

#[tokio::test]
async fn a_401_renews_the_token_and_retries_once() {
    let ep = endpoint(password_grant()).await;
    let tm = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    let src = password_source(&ep.url, PASSWORD);
    let http = reqwest::Client::new();
    let api = format!("{}/api", ep.url);
    assert_eq!(
        tm.send(&src, |t| http.get(&api).bearer_auth(t)).await.unwrap().status(),
        200
    );
    ep.oauth.expire_all();
    assert_eq!(
        tm.send(&src, |t| http.get(&api).bearer_auth(t)).await.unwrap().status(),
        200
    );
    assert_eq!(ep.oauth.issued(), 2);
}

#[tokio::test]
async fn bad_credentials_are_a_config_error_without_the_secret() {
    let ep = endpoint(password_grant()).await;
    let tm = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    let e = tm.token(&password_source(&ep.url, "wrong p@ss")).await.unwrap_err();
    assert_eq!(e.kind, ErrorKind::Config);
    assert_eq!(e.provider.as_ref().map(|p| p.code.as_str()), Some("invalid_grant"));
    assert!(!format!("{e} {e:?}").contains("wrong p@ss"));
}

#[tokio::test]
async fn never_more_than_fifty_token_requests_a_minute() {
    let ep = endpoint(password_grant()).await;
    let tm = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    let src = password_source(&ep.url, PASSWORD);
    for _ in 0..50 {
        let t = tm.token(&src).await.unwrap();
        tm.invalidate(&src, &t).unwrap();
    }
    let e = tm.token(&src).await.unwrap_err();
    assert_eq!(e.code, "auth.rate_limited");
    assert_eq!(e.kind, ErrorKind::Unavailable);
    assert_eq!(ep.oauth.issued(), 50, "the 51st request was never sent");
}

#[tokio::test]
async fn a_429_from_the_token_endpoint_says_when_to_retry() {
    let ep = endpoint(password_grant()).await;
    // Fill the simulator's own window from another client id's point of view.
    let http = reqwest::Client::new();
    for _ in 0..50 {
        http.post(format!("{}/token", ep.url))
            .form(&[("grant_type", "nope")])
            .send()
            .await
            .unwrap();
    }
    let tm = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    let e = tm.token(&password_source(&ep.url, PASSWORD)).await.unwrap_err();
    assert_eq!(e.code, "auth.rate_limited");
    assert_eq!(e.params["seconds"], 60);
}

#[tokio::test]
async fn client_credentials_use_a_basic_header() {
    let ep = endpoint(SimGrant::ClientCredentials {
        client_id: "id".into(),
        client_secret: "se:cret".into(),
    })
    .await;
    let tm = TokenManager::new(reqwest::Client::new(), ep.store.clone());
    let src = TokenSource {
        token_url: format!("{}/token", ep.url),
        grant: Grant::ClientCredentials {
            client_id: "id".into(),
            client_secret: Secret::new("se:cret"),
        },
        persist: false,
    };
    tm.token(&src).await.unwrap();
    assert_eq!(ep.oauth.issued(), 1);
}
