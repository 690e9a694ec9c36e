//! Printing a customer's ticket: the PDF (rendered to an image by poppler's
//! `pdftoppm`, its QR decoded back) and ESC/POS bytes received by a fake
//! thermal printer listening on loopback.

mod common;

use common::Shop;
use comptoir::sim::SimHost;
use std::io::Read;
use std::process::Command;

const ESIM_FR: &str = "07966928-d3a3-453e-9944-b7ff1081794d";

async fn esim_sold() -> (
    Shop,
    SimHost,
    std::collections::BTreeMap<String, String>,
    String,
    String,
) {
    let host = SimHost::start(0).await.unwrap();
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["config", "set", "shop.name", "Bazar de la Gare"]);
    shop.json(&env, &["config", "set", "locale", "fr"]);
    shop.json(&env, &["sync"]);
    shop.json(&env, &["keys", "generate"]);
    shop.json(&env, &["keys", "upload"]);
    let id = shop.json(&env, &["sell", "esim", "--offer", ESIM_FR])["id"]
        .as_str()
        .unwrap()
        .to_string();
    let code = shop.json(&env, &["order", "show", &id, "--reveal"])["secrets"]["activation_code"]
        .as_str()
        .unwrap()
        .to_string();
    (shop, host, env, id, code)
}

fn decode_png(path: &std::path::Path) -> Vec<String> {
    let img = image::open(path).unwrap().to_luma8();
    let mut prepared = rqrr::PreparedImage::prepare(img);
    prepared
        .detect_grids()
        .iter()
        .filter_map(|g| g.decode().ok())
        .map(|(_, s)| s)
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_pdf_ticket_carries_a_qr_that_scans_from_paper() {
    let (shop, _host, env, id, code) = esim_sold().await;
    for layout in ["receipt", "a4"] {
        let pdf = shop.dir.path().join(format!("{layout}.pdf"));
        shop.json(
            &env,
            &[
                "order",
                "print",
                &id,
                "--layout",
                layout,
                "--pdf",
                pdf.to_str().unwrap(),
            ],
        );
        let stem = shop.dir.path().join(layout);
        let status = Command::new("pdftoppm")
            .args(["-r", "200", "-png", "-singlefile"])
            .arg(&pdf)
            .arg(&stem)
            .status()
            .unwrap();
        assert!(status.success(), "poppler reads the PDF");
        assert_eq!(
            decode_png(&stem.with_extension("png")),
            vec![code.clone()],
            "{layout}: the QR decodes"
        );
        let keep = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tickets");
        std::fs::create_dir_all(&keep).unwrap();
        std::fs::copy(stem.with_extension("png"), keep.join(format!("{layout}.png"))).unwrap();
        let text = Command::new("pdftotext").arg(&pdf).arg("-").output().unwrap();
        let text = String::from_utf8_lossy(&text.stdout);
        for needle in [
            "Bazar de la Gare",
            "Orange Holiday Europe 30 Go",
            "30.00 EUR",
            "PUK",
            "Numéro",
            "pièce d'identité",
            "travel.orange.com/fr/orange-holidays",
        ] {
            assert!(text.contains(needle), "{layout}: `{needle}` missing in:\n{text}");
        }
    }
    let events = shop.json(&env, &["order", "show", &id])["events"].clone();
    assert!(
        events.as_array().unwrap().iter().any(|e| e["event"] == "print"),
        "printing is recorded"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thermal_printer_receives_the_qr_command_text_and_a_cut() {
    let (shop, _host, env, id, code) = esim_sold().await;
    let printer = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let target = format!("tcp://{}", printer.local_addr().unwrap());
    let received = std::thread::spawn(move || {
        let (mut conn, _) = printer.accept().unwrap();
        let mut bytes = Vec::new();
        conn.read_to_end(&mut bytes).unwrap();
        bytes
    });
    shop.json(&env, &["order", "print", &id, "--escpos", &target]);
    let bytes = received.join().unwrap();

    assert!(bytes.starts_with(&[0x1B, b'@']), "initialised");
    // GS ( k pL pH 49 80 48 <data>: the QR code's data, as sent.
    let at = bytes
        .windows(3)
        .position(|w| w == [0x1D, b'(', b'k'])
        .expect("a QR command");
    let store = bytes[at..]
        .windows(3)
        .position(|w| w == [49, 80, 48])
        .map(|p| at + p)
        .expect("QR store");
    let len = bytes[store - 2] as usize + 256 * bytes[store - 1] as usize - 3;
    assert_eq!(String::from_utf8_lossy(&bytes[store + 3..store + 3 + len]), code);
    assert!(bytes.windows(3).any(|w| w == [49, 69, 49]), "error correction M");
    assert!(bytes.windows(3).any(|w| w == [49, 81, 48]), "printed");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("Orange Holiday Europe 30 Go") && text.contains("30.00 EUR"));
    assert!(bytes.ends_with(&[0x1D, b'V', 66, 0]), "cut");

    // A device path works too; a printer that is off is a clear error.
    let device = shop.dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    shop.json(&env, &["order", "print", &id, "--escpos", device.to_str().unwrap()]);
    assert!(std::fs::read(&device).unwrap().ends_with(&[0x1D, b'V', 66, 0]));
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let e = shop.fails(
        &env,
        &["order", "print", &id, "--escpos", &format!("tcp://{closed}")],
        4,
    );
    assert_eq!(e["code"], "printer.unreachable");
}
