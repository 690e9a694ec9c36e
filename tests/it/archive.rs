//! The register's archives and the tax office's export: an archive
//! verifies with nothing but the file, and one byte changed anywhere in
//! it is found (exit 6); the export verifies with `sha256sum` and
//! `openssl` as the auditor's guide says.

use crate::common::{at, Shop};
use comptoir::registry::SimHost;
use std::collections::BTreeMap;
use std::process::Command;
use std::time::Duration;

const TOPUP_10: &str = "7b977bd5-c7dc-4681-bf33-c4bd2eadc266";

/// A shop with two days of sales, archived on the third.
async fn archived() -> (Shop, SimHost, BTreeMap<String, String>, std::path::PathBuf) {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
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
    shop.json(&at(&env, "2026-12-02 11:00:00"), &sell);
    shop.json(&at(&env, "2026-12-03 16:00:00"), &sell);
    let zip = shop.dir.path().join("register-2026-12.zip");
    let dec5 = at(&env, "2026-12-05 09:00:00");
    let a = shop.json(
        &dec5,
        &[
            "register",
            "archive",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-04",
            "--out",
            zip.to_str().unwrap(),
        ],
    );
    assert_eq!(a["records"]["receipt"], 2, "{a}");
    assert_eq!(a["records"]["closing"], 2, "{a}");
    (shop, host, dec5, zip)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_archive_verifies_alone_and_any_byte_changed_is_found() {
    let (shop, _host, env, zip) = archived().await;
    let v = shop.json(&BTreeMap::new(), &["register", "verify-archive", zip.to_str().unwrap()]);
    assert_eq!(v["ok"], true, "{v}");
    assert_eq!(v["records"]["receipt"], 2, "{v}");
    let bytes = std::fs::read(&zip).unwrap();
    // One byte flipped, at offsets spread over the whole file (headers,
    // compressed data, the central directory, the seal) and at its end.
    let step = (bytes.len() / 23).max(1);
    let offsets: Vec<usize> = (0..bytes.len()).step_by(step).chain([bytes.len() - 1]).collect();
    for offset in offsets {
        let mut changed = bytes.clone();
        changed[offset] ^= 0x01;
        let bad = shop.dir.path().join("changed.zip");
        std::fs::write(&bad, &changed).unwrap();
        let e = shop.fails(&env, &["register", "verify-archive", bad.to_str().unwrap()], 6);
        assert_eq!(e["code"], "register.tampered", "byte {offset}: {e}");
        assert_eq!(e["params"]["chain"], "archive", "byte {offset}: {e}");
    }
    // The archive is itself a recorded event, and the register verifies.
    let v = shop.json(&env, &["register", "verify"]);
    assert_eq!(v["ok"], true, "{v}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_period_not_over_or_longer_than_a_fiscal_year_is_refused() {
    let (shop, _host, env, _zip) = archived().await;
    let out = shop.dir.path().join("x.zip");
    let out = out.to_str().unwrap();
    let e = shop.fails(
        &env,
        &[
            "register",
            "archive",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-05",
            "--out",
            out,
        ],
        2,
    );
    assert_eq!(e["code"], "register.not_due", "{e}");
    let e = shop.fails(
        &env,
        &[
            "register",
            "archive",
            "--from",
            "2026-06-01",
            "--to",
            "2027-01-31",
            "--out",
            out,
        ],
        2,
    );
    assert_eq!(e["code"], "register.bad_period", "{e}");
    assert!(!std::path::Path::new(out).exists());
}

#[tokio::test(flavor = "multi_thread")]
async fn the_export_verifies_with_sha256sum_and_openssl_as_the_guide_says() {
    let (shop, _host, env, _zip) = archived().await;
    let dir = shop.dir.path().join("export");
    let e = shop.json(
        &env,
        &[
            "register",
            "export",
            "--from",
            "2026-12-01",
            "--to",
            "2026-12-04",
            "--out",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(e["records"]["receipt"], 2, "{e}");
    let guide = std::fs::read_to_string(dir.join("LISEZMOI-controle-fiscal.md")).unwrap();
    assert!(guide.contains("sha256sum -c SHA256SUMS"));
    let sums = Command::new("sha256sum")
        .args(["-c", "SHA256SUMS"])
        .current_dir(&dir)
        .output()
        .unwrap();
    assert!(sums.status.success(), "{}", String::from_utf8_lossy(&sums.stdout));
    let verify = |dir: &std::path::Path| {
        Command::new("openssl")
            .args([
                "pkeyutl",
                "-verify",
                "-pubin",
                "-inkey",
                "public_key.pem",
                "-rawin",
                "-in",
                "SHA256SUMS",
            ])
            .args(["-sigfile", "SHA256SUMS.sig"])
            .current_dir(dir)
            .output()
            .unwrap()
    };
    let ok = verify(&dir);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    // The receipts as a spreadsheet reads them: two lines of 10,00 € outside VAT (agent).
    let receipts = std::fs::read_to_string(dir.join("receipts.csv")).unwrap();
    assert_eq!(receipts.lines().count(), 3, "{receipts}");
    assert!(
        receipts.lines().nth(1).unwrap().contains(",1000,1000,agent,,1000"),
        "{receipts}"
    );
    // A sum changed: openssl's check fails, and so does sha256sum's.
    let text = std::fs::read_to_string(dir.join("SHA256SUMS")).unwrap();
    let changed = text.replacen(&text[..1], if &text[..1] == "0" { "1" } else { "0" }, 1);
    std::fs::write(dir.join("SHA256SUMS"), changed).unwrap();
    assert!(!verify(&dir).status.success());
}
