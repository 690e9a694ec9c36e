//! Printing a customer's ticket: the PDF (rendered to an image by poppler's
//! `pdftoppm`, its QR decoded back), ESC/POS bytes received by a fake
//! thermal printer listening on loopback, and the computer's printing: a
//! private CUPS scheduler whose queue sends jobs to a printer on loopback.

use crate::common::Shop;
use comptoir::registry::SimHost;
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

/// Renders every page of a PDF at 200 dpi and decodes the QR codes on them,
/// in page order.
fn decode_pdf(pdf: &std::path::Path) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", "200", "-png"])
        .arg(pdf)
        .arg(dir.path().join("page"))
        .status()
        .unwrap();
    assert!(status.success(), "poppler reads the PDF");
    let mut pages: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    pages.iter().flat_map(|p| decode_png(p)).collect()
}

fn pdf_text(pdf: &std::path::Path) -> String {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
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
            "30,00",
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
    assert!(
        text.contains("Orange Holiday Europe 30 Go") && text.contains("30,00"),
        "{text}"
    );
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

#[tokio::test(flavor = "multi_thread")]
async fn a_gift_card_ticket_carries_each_voucher_with_its_qr_code() {
    let host = SimHost::start(0).await.unwrap();
    host.state.amilon.set_delivery_delay(std::time::Duration::ZERO);
    let shop = Shop::new();
    let env = host.env();
    shop.json(&env, &["config", "set", "locale", "en"]);
    shop.json(&env, &["sync", "--provider", "amilon"]);
    let order = shop.json(
        &env,
        &["sell", "giftcard", "--product", "FNAC_25_EUR", "--quantity", "3"],
    );
    let id = order["id"].as_str().unwrap();
    let shown = shop.json(&env, &["order", "show", id, "--reveal"]);
    let vouchers = shown["secrets"]["vouchers"].as_array().unwrap().clone();
    assert_eq!(vouchers.len(), 3);
    let payloads: Vec<String> = vouchers
        .iter()
        .map(|v| v["url"].as_str().or(v["code"].as_str()).unwrap().to_string())
        .collect();

    for layout in ["a4", "receipt"] {
        let pdf = shop.dir.path().join(format!("gift-{layout}.pdf"));
        shop.json(
            &env,
            &["order", "print", id, "--layout", layout, "--pdf", pdf.to_str().unwrap()],
        );
        assert_eq!(decode_pdf(&pdf), payloads, "{layout}: every voucher's QR, in order");
        let text = pdf_text(&pdf);
        for v in &vouchers {
            let code = v["code"].as_str().unwrap();
            assert!(
                text.contains(&format!("Code: {code}")),
                "{layout}: {code} under its QR:\n{text}"
            );
        }
        assert!(
            text.contains("Gift card 3/3") && text.contains("€75.00"),
            "{layout}:\n{text}"
        );
    }
    // Printing opened the vouchers: the history says so, as for a reveal.
    let events = shop.json(&env, &["order", "show", id])["events"].clone();
    let events = events.as_array().unwrap();
    assert!(events.iter().filter(|e| e["event"] == "print").count() >= 2);
    assert!(events.iter().any(|e| e["event"] == "reveal"));
}

/// A CUPS scheduler of the test's own, on a free loopback port, with one raw
/// queue whose device is `socket://` (AppSocket, as office printers speak) to
/// a listener of the test's: what CUPS delivers to the printer is what the
/// test reads.
struct PrintServer {
    dir: tempfile::TempDir,
    cupsd: std::process::Child,
    server: String,
}

impl PrintServer {
    fn start() -> PrintServer {
        let dir = tempfile::tempdir().unwrap();
        // The backend runs as CUPS's own user, which must reach the spool.
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let root = dir.path().display().to_string();
        for sub in ["spool", "cache", "state", "log"] {
            std::fs::create_dir(dir.path().join(sub)).unwrap();
        }
        std::fs::write(
            dir.path().join("cupsd.conf"),
            format!(
                "Listen 127.0.0.1:{port}\nLogLevel warn\nWebInterface No\nBrowsing No\nDefaultAuthType None\n\
                 <Location />\n  Order allow,deny\n  Allow all\n</Location>\n\
                 <Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
            ),
        )
        .unwrap();
        std::fs::write(
            dir.path().join("cups-files.conf"),
            format!(
                "ServerRoot {root}\nRequestRoot {root}/spool\nCacheDir {root}/cache\nStateDir {root}/state\n\
                 ErrorLog {root}/log/error_log\nAccessLog {root}/log/access_log\nPageLog {root}/log/page_log\n\
                 ServerBin /usr/lib/cups\nDataDir /usr/share/cups\n"
            ),
        )
        .unwrap();
        let cupsd = Command::new("/usr/sbin/cupsd")
            .args(["-f", "-c"])
            .arg(dir.path().join("cupsd.conf"))
            .arg("-s")
            .arg(dir.path().join("cups-files.conf"))
            .spawn()
            .expect("CUPS is installed (scripts/setup)");
        let server = format!("127.0.0.1:{port}");
        let started = std::time::Instant::now();
        while !String::from_utf8_lossy(
            &Command::new("lpstat")
                .arg("-r")
                .env("CUPS_SERVER", &server)
                .output()
                .unwrap()
                .stdout,
        )
        .contains("is running")
        {
            assert!(started.elapsed().as_secs() < 20, "cupsd started");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        PrintServer { dir, cupsd, server }
    }

    /// Adds a raw queue to a printer listening on loopback; returns the listener.
    fn add_printer(&self, name: &str, default: bool) -> std::net::TcpListener {
        let printer = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let uri = format!("socket://{}", printer.local_addr().unwrap());
        let status = Command::new("/usr/sbin/lpadmin")
            .args(["-p", name, "-E", "-v", &uri, "-m", "raw"])
            .env("CUPS_SERVER", &self.server)
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(status.success(), "lpadmin added {name}");
        if default {
            let status = Command::new("/usr/sbin/lpadmin")
                .args(["-d", name])
                .env("CUPS_SERVER", &self.server)
                .status()
                .unwrap();
            assert!(status.success());
        }
        printer
    }
}

impl Drop for PrintServer {
    fn drop(&mut self) {
        let _ = self.cupsd.kill();
        let _ = self.cupsd.wait();
        let _ = &self.dir;
    }
}

/// What one print job brought to the printer.
fn receive(printer: std::net::TcpListener) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let (mut conn, _) = printer.accept().unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(30))).unwrap();
        let mut bytes = Vec::new();
        conn.read_to_end(&mut bytes).unwrap();
        bytes
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn the_computers_printer_receives_the_ticket_through_cups() {
    let (shop, _host, mut env, id, code) = esim_sold().await;
    let cups = PrintServer::start();
    env.insert("CUPS_SERVER".into(), cups.server.clone());
    let office = cups.add_printer("Office", true);
    let counter = cups.add_printer("Counter-80", false);

    let listed = shop.json(&env, &["printers"]);
    assert_eq!(
        listed,
        serde_json::json!([{"name": "Counter-80", "default": false}, {"name": "Office", "default": true}])
    );

    // Named on the command line, in A4.
    let job = receive(counter);
    let printed = shop.json(
        &env,
        &["order", "print", &id, "--printer", "Counter-80", "--layout", "a4"],
    );
    assert_eq!(printed["to"], "Counter-80");
    assert!(printed["job"].as_str().unwrap().starts_with("Counter-80-"));
    let bytes = job.join().unwrap();
    assert!(bytes.starts_with(b"%PDF-"), "the raw queue passes the PDF as is");
    let pdf = shop.dir.path().join("printed.pdf");
    std::fs::write(&pdf, &bytes).unwrap();
    assert_eq!(decode_pdf(&pdf), vec![code.clone()], "the printed QR scans");
    assert!(pdf_text(&pdf).contains("Bazar de la Gare"));

    // Nothing named: the system's default, in the paper chosen in Settings.
    shop.json(&env, &["config", "set", "printer.paper", "receipt"]);
    let job = receive(office);
    let printed = shop.json(&env, &["order", "print", &id]);
    assert_eq!(printed["to"], "default");
    let bytes = job.join().unwrap();
    let mediabox = String::from_utf8_lossy(&bytes);
    assert!(mediabox.contains("/MediaBox [0 0 226.77 "), "80 mm wide");
    let prints = |shop: &Shop| {
        shop.json(&env, &["order", "show", &id])["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == "print")
            .count()
    };
    assert_eq!(prints(&shop), 2);

    // A printer the computer does not have, a name that is no queue name, a
    // bad paper, and CUPS down: clear errors, and the history gains nothing.
    let e = shop.fails(&env, &["order", "print", &id, "--printer", "Gone"], 2);
    assert_eq!(
        (e["code"].as_str(), e["params"]["printer"].as_str()),
        (Some("printer.unknown"), Some("Gone"))
    );
    let e = shop.fails(&env, &["order", "print", &id, "--printer=-x"], 2);
    assert_eq!(e["code"], "printer.bad_name");
    let e = shop.fails(&env, &["config", "set", "printer.paper", "letter"], 2);
    assert_eq!(e["code"], "ticket.bad_layout");
    let mut down = env.clone();
    down.insert("CUPS_SERVER".into(), "127.0.0.1:1".into());
    let e = shop.fails(&down, &["order", "print", &id], 4);
    assert_eq!(e["code"], "printer.system_down");
    let e = shop.fails(&down, &["printers"], 4);
    assert_eq!(e["code"], "printer.system_down", "not an empty list");
    assert_eq!(prints(&shop), 2, "failed prints are not in the history");
}

/// What a French shop writes reaches the paper: every letter code page 858
/// has (decoded back by iconv, not by Comptoir's own table), the nearest
/// letter for the others; and the PDF's whole WinAnsi range.
#[tokio::test(flavor = "multi_thread")]
async fn french_letters_reach_the_thermal_printer_and_the_pdf() {
    let (shop, _host, env, id, _code) = esim_sold().await;
    let name = "Hôtel Île Ça Noël ÂÊÎÔÛ ½ «»";
    shop.json(&env, &["config", "set", "shop.name", name]);
    shop.json(
        &env,
        &["config", "set", "shop.address", "1 rue de l’Église – 75001 Paris…"],
    );
    let device = shop.dir.path().join("lp0");
    std::fs::write(&device, b"").unwrap();
    shop.json(&env, &["order", "print", &id, "--escpos", device.to_str().unwrap()]);
    let bytes = std::fs::read(&device).unwrap();
    let text: Vec<u8> = bytes.iter().copied().filter(|b| *b >= 0x20).collect();
    let decoded = std::process::Command::new("iconv")
        .args(["-f", "CP858", "-t", "UTF-8"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(&text)?;
            child.wait_with_output()
        })
        .unwrap();
    let decoded = String::from_utf8_lossy(&decoded.stdout);
    assert!(decoded.contains(name), "{decoded}");
    assert!(decoded.contains("1 rue de l'Église - 75001 Paris..."), "{decoded}");
    assert!(!decoded.contains('?'), "no letter lost: {decoded}");

    let shop_name = "Cœur d’Artichaut — Tabac";
    shop.json(&env, &["config", "set", "shop.name", shop_name]);
    let pdf = shop.dir.path().join("ticket.pdf");
    shop.json(&env, &["order", "print", &id, "--pdf", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(text.contains(shop_name), "{text}");
    // A French ticket writes its amounts as French does; an English one as English.
    let french = |l: &str| l.replace('\u{a0}', " ").trim() == "30,00 €";
    assert!(text.lines().any(french), "{text}");
    shop.json(&env, &["config", "set", "locale", "en"]);
    shop.json(&env, &["order", "print", &id, "--pdf", pdf.to_str().unwrap()]);
    assert!(pdf_text(&pdf).contains("€30.00"));
}

/// Every line of a receipt stays on the 80 mm roll (and on A4), however
/// long the shop's name and address or the product's name: the words'
/// boxes, as pdftotext measures them, end before the right margin.
#[tokio::test(flavor = "multi_thread")]
async fn no_text_runs_past_the_margin() {
    let (shop, _host, env, id, _code) = esim_sold().await;
    let catalog = shop.json(&env, &["catalog"]);
    let longest = catalog
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["name"].as_str())
        .max_by_key(|n| n.chars().count())
        .unwrap()
        .to_string();
    shop.json(
        &env,
        &[
            "config",
            "set",
            "shop.name",
            &format!("Tabac-Presse du Centre Commercial — {longest}"),
        ],
    );
    shop.json(
        &env,
        &[
            "config",
            "set",
            "shop.address",
            "Galerie marchande, 128 boulevard du Maréchal-de-Lattre-de-Tassigny, 13008 Marseille",
        ],
    );
    for (layout, width_mm, margin_mm) in [("receipt", 80.0, 4.0), ("a4", 210.0, 20.0)] {
        let pdf = shop.dir.path().join(format!("wide-{layout}.pdf"));
        shop.json(
            &env,
            &[
                "order",
                "print",
                &id,
                "--pdf",
                pdf.to_str().unwrap(),
                "--layout",
                layout,
            ],
        );
        let html = Command::new("pdftotext")
            .arg("-bbox")
            .arg(&pdf)
            .arg("-")
            .output()
            .unwrap();
        let html = String::from_utf8_lossy(&html.stdout);
        let limit = (width_mm - margin_mm) * 72.0 / 25.4 + 0.5;
        let mut words = 0;
        for part in html.split("<word ").skip(1) {
            let x_max: f64 = part
                .split("xMax=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
                .parse()
                .unwrap();
            let word = part
                .split('>')
                .nth(1)
                .unwrap_or_default()
                .split('<')
                .next()
                .unwrap_or_default();
            assert!(
                x_max <= limit,
                "{layout}: `{word}` ends at {x_max:.1} pt, past {limit:.1}"
            );
            words += 1;
        }
        assert!(words > 20, "{layout}: the ticket's words were read");
        if layout == "receipt" {
            let keep = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tickets");
            std::fs::create_dir_all(&keep).unwrap();
            std::fs::copy(&pdf, keep.join("receipt-long-names.pdf")).unwrap();
        }
    }
}

/// A slow thermal printer does not freeze the counter: while the ticket
/// waits on the device (a FIFO nobody reads yet), the runtime's other tasks
/// go on, with one worker thread for the print and the ticker alike.
#[tokio::test(flavor = "multi_thread", worker_threads = 1)]
async fn a_slow_printer_never_blocks_the_runtime() {
    let (shop, _host, _env, id, _code) = esim_sold().await;
    let fifo = shop.dir.path().join("slow-printer");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    let app = std::sync::Arc::new(
        comptoir::Comptoir::open(comptoir::Options {
            data_dir: Some(shop.data_dir()),
            training: false,
            secret_store: Some(comptoir::secrets::Backend::Kernel),
            share_training: false,
        })
        .await
        .unwrap(),
    );
    let ticks = std::sync::Arc::new(std::sync::atomic::AtomicU32::new(0));
    let counting = ticks.clone();
    let ticker = tokio::spawn(async move {
        loop {
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
            counting.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    // The printer "wakes up" after half a second: a reader opens the FIFO.
    let reading = fifo.clone();
    let reader = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(500));
        std::fs::read(reading).unwrap()
    });
    let to = comptoir::app::print::Destination::Escpos(Some(fifo.display().to_string()));
    let (printing, order) = (app.clone(), id.clone());
    let printed = tokio::spawn(async move { comptoir::app::print::print(&printing, &order, to, None).await })
        .await
        .unwrap()
        .unwrap();
    let during = ticks.load(std::sync::atomic::Ordering::SeqCst);
    ticker.abort();
    assert!(
        reader.join().unwrap().ends_with(&[0x1D, b'V', 66, 0]),
        "the ticket arrived"
    );
    assert!(
        during >= 20,
        "the runtime went on while printing ({during} ticks in 500 ms)"
    );
    assert_eq!(printed.order, id);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_print_that_failed_records_no_reveal_one_that_printed_does() {
    let (shop, _host, env, id, _code) = esim_sold().await;
    let reveals = |shop: &Shop| {
        let events = shop.json(&env, &["order", "show", &id])["events"].clone();
        events
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["event"] == "reveal")
            .map(|e| e["message"].as_str().unwrap_or("").to_string())
            .collect::<Vec<_>>()
    };
    let before = reveals(&shop).len();
    // Nothing listens on the thermal printer's port: nothing was shown.
    let out = shop.run(
        &env,
        &["--json", "order", "print", &id, "--escpos", "tcp://127.0.0.1:9"],
    );
    assert!(!out.status.success());
    let bad_name = shop.run(&env, &["--json", "order", "print", &id, "--printer", "no-such-printer"]);
    assert!(!bad_name.status.success());
    assert_eq!(reveals(&shop).len(), before, "a failed print shows nothing");
    let pdf = shop.dir.path().join("t.pdf");
    shop.json(&env, &["order", "print", &id, "--pdf", pdf.to_str().unwrap()]);
    let after = reveals(&shop);
    assert_eq!(after.len(), before + 1);
    assert!(after.last().unwrap().contains("printed"), "{after:?}");
}

/// A top-up's ticket writes the line's number as the customer knows it
/// (`06 84 58 75 87`), while the journal keeps Orange's nine digits (a
/// Spanish line's groups are `types::phone`'s; training's Spanish supplier
/// is in outage).
#[tokio::test(flavor = "multi_thread")]
async fn a_top_ups_number_is_printed_as_the_customer_knows_it() {
    let (shop, _host, env, _, _) = esim_sold().await;
    let sell = |offer: &str, number: &str| {
        shop.json(&env, &["sell", "topup", "--offer", offer, "--msisdn", number])["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let french = sell("7b977bd5-c7dc-4681-bf33-c4bd2eadc266", "+33 6 84 58 75 87");
    assert_eq!(
        shop.json(&env, &["order", "show", &french])["order"]["phone"],
        "684587587"
    );
    let pdf = shop.dir.path().join("topup.pdf");
    shop.json(&env, &["order", "print", &french, "--pdf", pdf.to_str().unwrap()]);
    let text = pdf_text(&pdf);
    assert!(text.contains("06 84 58 75 87"), "{text}");
    assert!(!text.contains("684587587"), "{text}");
}
