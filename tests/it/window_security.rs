//! The window's hardening, read from the files Tauri uses: a strict content
//! security policy, no remote content, and capabilities that grant the page
//! nothing beyond the app's own commands and events.

use std::path::Path;

fn read_json(path: &str) -> serde_json::Value {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    serde_json::from_str(&std::fs::read_to_string(&full).unwrap()).unwrap()
}

#[test]
fn the_content_security_policy_is_strict() {
    let conf = read_json("tauri.conf.json");
    let csp = conf["app"]["security"]["csp"].as_str().expect("a CSP is set");
    let directives: Vec<&str> = csp.split(';').map(str::trim).collect();
    for needed in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(directives.contains(&needed), "CSP lacks `{needed}`: {csp}");
    }
    for banned in ["'unsafe-inline'", "'unsafe-eval'", "https:", "http:", "*"] {
        let allowed_ipc = banned == "http:" && csp.contains("http://ipc.localhost");
        let hits = csp.matches(banned).count();
        assert!(hits == 0 || (allowed_ipc && hits == 1), "CSP allows {banned}: {csp}");
    }
}

#[test]
fn the_window_shows_only_the_bundled_ui() {
    let conf = read_json("tauri.conf.json");
    for w in conf["app"]["windows"].as_array().unwrap() {
        assert!(
            w.get("url").is_none_or(|u| !u.as_str().unwrap_or("").contains("://")),
            "remote window: {w}"
        );
    }
    assert_eq!(conf["build"]["frontendDist"], "ui/dist");
}

#[test]
fn capabilities_grant_nothing_beyond_the_apps_own_commands() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src-tauri/capabilities");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let cap: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        seen += 1;
        assert_eq!(cap["windows"], serde_json::json!(["main"]), "{}", path.display());
        assert!(cap.get("remote").is_none(), "no remote origin may call the app");
        for p in cap["permissions"].as_array().unwrap() {
            let name = p.as_str().unwrap_or_else(|| p["identifier"].as_str().unwrap());
            assert_eq!(name, "core:event:default", "unexpected permission {name}");
        }
    }
    assert_eq!(seen, 1);
}
