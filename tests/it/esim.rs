//! The whole eSIM sale through the CLI, as a shop going live would do it:
//! key pair, upload, sync, sale, QR code, and the QR decoded back.

use crate::common::{all_files, contains, Shop};
use comptoir::registry::SimHost;

const ESIM_FR: &str = "07966928-d3a3-453e-9944-b7ff1081794d"; // whole LPA code
const ESIM_WT: &str = "1b2c3d4e-0000-4000-8000-000000000003"; // matching id + smdp_url

pub(crate) fn decode(png: &[u8]) -> String {
    let img = image::load_from_memory(png).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    let grids = prepared.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().unwrap().1
}

#[tokio::test(flavor = "multi_thread")]
async fn keys_sync_sell_qr_and_decode() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);

    // No key yet: refused before anything is written or sent.
    let e = shop.fails(&env, &["sell", "esim", "--offer", ESIM_FR], 2);
    assert_eq!(e["code"], "orange_travel.no_local_key");
    assert_eq!(shop.json(&env, &["orders"]).as_array().unwrap().len(), 0);

    let generated = shop.json(&env, &["keys", "generate"]);
    assert!(generated["public_key"]
        .as_str()
        .unwrap()
        .starts_with("-----BEGIN PUBLIC KEY-----"));
    let e = shop.fails(&env, &["keys", "generate"], 2);
    assert_eq!(e["code"], "orange_travel.key_exists", "never replaced by accident");
    assert_eq!(shop.json(&env, &["keys", "status"])["ready"], false);

    // A key the shop holds but Orange does not: Orange refuses the eSIM.
    let e = shop.fails(&env, &["sell", "esim", "--offer", ESIM_FR], 3);
    assert_eq!(e["code"], "orange_travel.no_key");
    assert_eq!(shop.json(&env, &["orders"])[0]["status"], "failed");

    let status = shop.json(&env, &["keys", "upload"]);
    assert_eq!(status["ready"], true);
    assert_eq!(status["server"], generated["fingerprint"]);

    for offer in [ESIM_FR, ESIM_WT] {
        let order = shop.json(&env, &["sell", "esim", "--offer", offer, "--customer", "Martin"]);
        assert_eq!(order["status"], "delivered");
        assert!(order["iccid"].as_str().unwrap().starts_with("8933"));
        assert!(order["phone"].as_str().is_some());
        let id = order["id"].as_str().unwrap();

        let png = shop.dir.path().join(format!("{id}.png"));
        shop.json(&env, &["order", "qr", id, "--out", png.to_str().unwrap()]);
        let payload = decode(&std::fs::read(&png).unwrap());
        assert!(payload.starts_with("LPA:1$smdp."), "{payload}");
        assert_eq!(payload.split('$').count(), 3);
        let svg = shop.dir.path().join(format!("{id}.svg"));
        shop.json(&env, &["order", "qr", id, "--out", svg.to_str().unwrap()]);
        assert!(std::fs::read_to_string(&svg).unwrap().contains("<svg"));

        let hidden = shop.json(&env, &["order", "show", id]);
        assert!(hidden.get("secrets").is_none(), "secrets only with --reveal");
        let revealed = shop.json(&env, &["order", "show", id, "--reveal"]);
        assert_eq!(revealed["secrets"]["activation_code"], payload.as_str());
        let puk = revealed["secrets"]["puk"].as_str().unwrap().to_string();
        assert!(puk.len() >= 8, "{puk}");

        // Each reveal is in the history; the code itself is nowhere on disk.
        let events = shop.json(&env, &["order", "show", id])["events"].clone();
        assert_eq!(
            events
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["event"] == "reveal")
                .count(),
            3,
            "two QR files and one --reveal"
        );
        for (path, bytes) in all_files(&shop.data_dir()) {
            assert!(!contains(&bytes, &payload), "activation code in {}", path.display());
            assert!(!contains(&bytes, &puk), "PUK in clear in {}", path.display());
            assert!(!contains(&bytes, "PRIVATE KEY"), "private key in {}", path.display());
        }
    }
    assert_eq!(host.state.orange_travel.transactions().len(), 2);

    let e = shop.fails(&env, &["order", "qr", "CPT-000000-NOPE00", "--out", "x.png"], 2);
    assert_eq!(e["code"], "order.not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_key_backup_brings_past_codes_back() {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["sync"]);
    shop.json(&env, &["keys", "generate"]);
    shop.json(&env, &["keys", "upload"]);
    let order = shop.json(&env, &["sell", "esim", "--offer", ESIM_FR]);
    let id = order["id"].as_str().unwrap();
    let qr = shop.dir.path().join("qr.png");
    let qr_arg = qr.to_str().unwrap();
    shop.json(&env, &["order", "qr", id, "--out", qr_arg]);
    let payload = decode(&std::fs::read(&qr).unwrap());

    let backup = shop.dir.path().join("backup.pem");
    let backup_arg = backup.to_str().unwrap();
    let out = shop.with_stdin(
        &env,
        &["keys", "export", "--out", backup_arg],
        "horse battery staple\nhorse battery stapel\n",
    );
    assert_eq!(out.status.code(), Some(2), "mismatched passphrases");
    assert!(!backup.exists(), "nothing written");
    let out = shop.with_stdin(
        &env,
        &["keys", "export", "--out", backup_arg],
        "horse battery staple\nhorse battery staple\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&backup).unwrap().permissions().mode() & 0o777, 0o600);
    assert!(std::fs::read_to_string(&backup)
        .unwrap()
        .starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));

    // The key is lost (replaced): past codes cannot be read...
    shop.json(&env, &["keys", "generate", "--force"]);
    let e = shop.fails(&env, &["order", "qr", id, "--out", qr_arg], 2);
    assert_eq!(e["code"], "crypto.wrong_key");
    // ...until the backup is restored, with its passphrase only.
    let out = shop.with_stdin(&env, &["keys", "import", backup_arg, "--force"], "wrong passphrase!\n");
    assert_eq!(out.status.code(), Some(2));
    let out = shop.with_stdin(
        &env,
        &["keys", "import", backup_arg, "--force"],
        "horse battery staple\n",
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    shop.json(&env, &["order", "qr", id, "--out", qr_arg]);
    assert_eq!(decode(&std::fs::read(&qr).unwrap()), payload);
}
