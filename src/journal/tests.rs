use super::*;
use serde_json::json;

pub(crate) fn sample(provider: ProviderId, kind: OrderKind, name: &str) -> NewOrder {
    NewOrder {
        provider,
        kind,
        product_id: Some("offer-1".into()),
        product_name: name.into(),
        quantity: 1,
        customer_ref: Some("Dupont".into()),
        phone: Some("684587587".into()),
        sim_id: None,
        amount_cents: 1250,
        cost_cents: Some(792),
        fees_cents: Some(0),
        currency: "EUR".into(),
        training: true,
        details: json!({"offer": "offer-1"}),
    }
}

async fn journal() -> (tempfile::TempDir, Journal) {
    let dir = tempfile::tempdir().unwrap();
    let j = Journal::open(&dir.path().join("journal.sqlite")).await.unwrap();
    (dir, j)
}

#[tokio::test]
async fn opens_in_wal_mode_and_migrates_twice_without_harm() {
    let (dir, j) = journal().await;
    let mode: String = sqlx::query_scalar("PRAGMA journal_mode")
        .fetch_one(j.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    drop(j);
    Journal::open(&dir.path().join("journal.sqlite")).await.unwrap();
}

#[tokio::test]
async fn create_writes_pending_with_a_created_event() {
    let (_d, j) = journal().await;
    let o = j
        .create_order(sample(ProviderId::OrangeTravel, OrderKind::Topup, "Topup 10 €"))
        .await
        .unwrap();
    assert_eq!(o.status, OrderStatus::Pending);
    assert!(o.id.starts_with("CPT-"), "{}", o.id);
    let events = j.events(&o.id).await.unwrap();
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event, "created");
    assert_eq!(events[0].to_status, Some(OrderStatus::Pending));
}

#[tokio::test]
async fn status_changes_follow_the_lifecycle_and_are_recorded() {
    let (_d, j) = journal().await;
    let o = j
        .create_order(sample(ProviderId::Amilon, OrderKind::Giftcard, "Fnac 25"))
        .await
        .unwrap();
    let upd = StatusUpdate {
        provider_ref: Some("AM-1".into()),
        details: Some(json!({"vouchers": 1})),
        message: "accepted".into(),
        ..Default::default()
    };
    let o2 = j.set_status(&o.id, OrderStatus::Processing, upd).await.unwrap();
    assert_eq!(o2.provider_ref.as_deref(), Some("AM-1"));
    assert_eq!(o2.details, json!({"offer": "offer-1", "vouchers": 1}));
    j.set_status(&o.id, OrderStatus::Delivered, StatusUpdate::default())
        .await
        .unwrap();
    let e = j
        .set_status(&o.id, OrderStatus::Pending, StatusUpdate::default())
        .await
        .unwrap_err();
    assert_eq!(e.code, "order.bad_transition");
    assert_eq!(j.get(&o.id).await.unwrap().status, OrderStatus::Delivered);
    let events: Vec<_> = j
        .events(&o.id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.to_status)
        .collect();
    assert_eq!(
        events,
        vec![
            Some(OrderStatus::Pending),
            Some(OrderStatus::Processing),
            Some(OrderStatus::Delivered)
        ]
    );
}

#[tokio::test]
async fn history_cannot_be_rewritten() {
    let (_d, j) = journal().await;
    let o = j
        .create_order(sample(ProviderId::OrangeTravel, OrderKind::Esim, "eSIM"))
        .await
        .unwrap();
    let r = sqlx::query("UPDATE order_events SET message = 'x' WHERE order_id = ?")
        .bind(&o.id)
        .execute(j.pool())
        .await;
    assert!(r.is_err());
    let r = sqlx::query("DELETE FROM order_events WHERE order_id = ?")
        .bind(&o.id)
        .execute(j.pool())
        .await;
    assert!(r.is_err());
}

#[tokio::test]
async fn search_finds_by_phone_prefix_name_and_reference() {
    let (_d, j) = journal().await;
    let a = j
        .create_order(sample(
            ProviderId::OrangeTravel,
            OrderKind::Topup,
            "Topup Orange Espagne",
        ))
        .await
        .unwrap();
    let mut other = sample(ProviderId::Amilon, OrderKind::Giftcard, "Carte cadeau Fnac");
    other.phone = None;
    other.customer_ref = Some("Martin".into());
    let b = j.create_order(other).await.unwrap();
    j.set_status(
        &b.id,
        OrderStatus::Processing,
        StatusUpdate {
            provider_ref: Some("AMI-778899".into()),
            ..Default::default()
        },
    )
    .await
    .unwrap();

    let ids = |v: Vec<Order>| v.into_iter().map(|o| o.id).collect::<Vec<_>>();
    let f = |s: &str| OrderFilter {
        search: Some(s.into()),
        ..Default::default()
    };
    assert_eq!(ids(j.list(&f("6845")).await.unwrap()), vec![a.id.clone()]);
    // A number as the cashier types it finds the line as the provider keeps it.
    for typed in ["0684", "06 84 58", "+33 6 84 58 75 87", "0033684"] {
        assert_eq!(ids(j.list(&f(typed)).await.unwrap()), vec![a.id.clone()], "{typed}");
    }
    assert!(j.list(&f("0699")).await.unwrap().is_empty());
    assert_eq!(ids(j.list(&f("espagne")).await.unwrap()), vec![a.id.clone()]);
    assert_eq!(ids(j.list(&f("AMI-778")).await.unwrap()), vec![b.id.clone()]);
    assert_eq!(ids(j.list(&f("martin fnac")).await.unwrap()), vec![b.id.clone()]);
    assert!(j.list(&f("\"unbalanced")).await.unwrap().is_empty());
    assert_eq!(j.count_up_to(&OrderFilter::default(), 10).await.unwrap(), 2);
}

#[tokio::test]
async fn filters_combine() {
    let (_d, j) = journal().await;
    let a = j
        .create_order(sample(ProviderId::OrangeTravel, OrderKind::Topup, "t"))
        .await
        .unwrap();
    let mut live = sample(ProviderId::Amilon, OrderKind::Giftcard, "g");
    live.training = false;
    let b = j.create_order(live).await.unwrap();
    let by = |f: OrderFilter| {
        let j = j.clone();
        async move { j.list(&f).await.unwrap().into_iter().map(|o| o.id).collect::<Vec<_>>() }
    };
    assert_eq!(
        by(OrderFilter {
            provider: Some(ProviderId::Amilon),
            ..Default::default()
        })
        .await,
        vec![b.id.clone()]
    );
    assert_eq!(
        by(OrderFilter {
            training: Some(true),
            ..Default::default()
        })
        .await,
        vec![a.id.clone()]
    );
    assert_eq!(
        by(OrderFilter {
            status: Some(OrderStatus::Delivered),
            ..Default::default()
        })
        .await,
        Vec::<String>::new()
    );
    let today = Local::now().date_naive();
    assert_eq!(
        by(OrderFilter {
            from: Some(today),
            to: Some(today),
            ..Default::default()
        })
        .await
        .len(),
        2
    );
    let tomorrow = today.succ_opt().unwrap();
    assert!(by(OrderFilter {
        from: Some(tomorrow),
        ..Default::default()
    })
    .await
    .is_empty());
    // Newest first.
    assert_eq!(by(OrderFilter::default()).await, vec![b.id, a.id]);
}

#[tokio::test]
async fn bad_input_writes_nothing() {
    let (_d, j) = journal().await;
    let mut bad = sample(ProviderId::OrangeTravel, OrderKind::Topup, "t");
    bad.quantity = 0;
    assert_eq!(j.create_order(bad).await.unwrap_err().code, "order.bad_quantity");
    assert_eq!(j.count_up_to(&OrderFilter::default(), 10).await.unwrap(), 0);
}

#[tokio::test]
async fn csv_has_the_documented_columns() {
    let (_d, j) = journal().await;
    j.create_order(sample(ProviderId::OrangeTravel, OrderKind::Topup, "Topup; 10 €"))
        .await
        .unwrap();
    let orders = j.list(&OrderFilter::default()).await.unwrap();
    let mut out = Vec::new();
    write_csv(&mut out, &orders, b';').unwrap();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert_eq!(lines.next().unwrap(), CSV_COLUMNS.join(";"));
    let row = lines.next().unwrap();
    assert!(row.contains("\"Topup; 10 €\""), "{row}");
    assert!(row.contains(";12,50;7,92;0,00;EUR;"), "a decimal comma with `;`: {row}");
    let mut out = Vec::new();
    write_csv(&mut out, &orders, b',').unwrap();
    assert!(String::from_utf8(out).unwrap().contains(",12.50,7.92,0.00,EUR,"));
}

#[test]
fn order_json_shows_amounts_in_units() {
    let o = Order {
        id: "CPT-1".into(),
        provider: ProviderId::OrangeTravel,
        kind: OrderKind::Esim,
        status: OrderStatus::Delivered,
        provider_ref: None,
        product_id: None,
        product_name: "x".into(),
        quantity: 1,
        customer_ref: None,
        phone: None,
        sim_id: None,
        iccid: None,
        amount_cents: 2750,
        cost_cents: None,
        fees_cents: Some(5),
        currency: "EUR".into(),
        training: false,
        details: json!({}),
        created_at: "2026-01-01T00:00:00.000Z".into(),
        updated_at: "2026-01-01T00:00:00.000Z".into(),
        cashier: None,
    };
    let v = serde_json::to_value(&o).unwrap();
    assert_eq!(v["amount"], json!(27.5));
    assert_eq!(v["fees"], json!(0.05));
    assert_eq!(v["provider"], "orange-travel");
    assert_eq!(v["status"], "delivered");
}

#[tokio::test]
async fn sorts_by_date_and_amount_and_pages_in_that_sort() {
    let (_d, j) = journal().await;
    let mut ids = Vec::new();
    for (name, cents) in [("a", 1000), ("b", 3000), ("c", 2000), ("d", 3000)] {
        let mut o = sample(ProviderId::OrangeTravel, OrderKind::Topup, name);
        o.amount_cents = cents;
        ids.push(j.create_order(o).await.unwrap().product_name);
        // created_at has millisecond resolution: keep the four apart.
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    let names = |sort: Sort, offset: u32, limit: u32| {
        let j = j.clone();
        async move {
            let f = OrderFilter {
                sort,
                offset: Some(offset),
                limit: Some(limit),
                ..Default::default()
            };
            j.list(&f)
                .await
                .unwrap()
                .into_iter()
                .map(|o| o.product_name)
                .collect::<Vec<_>>()
        }
    };
    assert_eq!(names(Sort::Newest, 0, 10).await, ["d", "c", "b", "a"]);
    assert_eq!(names(Sort::Oldest, 0, 10).await, ["a", "b", "c", "d"]);
    // Equal amounts: the newer first.
    assert_eq!(names(Sort::Highest, 0, 10).await, ["d", "b", "c", "a"]);
    assert_eq!(names(Sort::Lowest, 0, 10).await, ["a", "c", "d", "b"]);
    assert_eq!(names(Sort::Highest, 2, 2).await, ["c", "a"], "the second page");
    assert_eq!("highest".parse::<Sort>().unwrap(), Sort::Highest);
    assert_eq!("price".parse::<Sort>().unwrap_err().code, "order.bad_sort");
}

/// An order written as an import writes it, dated `created_at`.
fn imported(id: &str, created_at: &str, name: &str, provider: ProviderId) -> Order {
    Order {
        id: id.into(),
        provider,
        kind: OrderKind::Giftcard,
        status: OrderStatus::Delivered,
        provider_ref: None,
        product_id: None,
        product_name: name.into(),
        quantity: 1,
        customer_ref: Some("Dupont".into()),
        phone: None,
        sim_id: None,
        iccid: None,
        amount_cents: 1000,
        cost_cents: None,
        fees_cents: None,
        currency: "EUR".into(),
        training: false,
        details: json!({}),
        created_at: created_at.into(),
        updated_at: created_at.into(),
        cashier: None,
    }
}

/// Orders written in no particular order (an import of old ones after new
/// sales, several in one millisecond): rowids follow time all the same, and
/// a search's pages read in the index's order are the pages of the sort.
#[tokio::test]
async fn a_search_pages_in_date_order_whatever_order_orders_were_written() {
    use rand::seq::SliceRandom;
    let (_d, j) = journal().await;
    let mut rng = rand::thread_rng();
    let mut orders: Vec<Order> = (0..400)
        .map(|i| {
            // Every fifth shares its millisecond with the one before.
            let ms = 1_600_000_000_000i64 + (i - i % 5 / 4) * 7_919_993;
            let at = DateTime::from_timestamp_millis(ms)
                .unwrap()
                .to_rfc3339_opts(SecondsFormat::Millis, true);
            let name = if i % 3 == 0 { "Holiday 30 €" } else { "Fnac 25 €" };
            let provider = if i % 2 == 0 {
                ProviderId::Amilon
            } else {
                ProviderId::OrangeTravel
            };
            imported(&format!("IMP-{i:04}"), &at, name, provider)
        })
        .collect();
    orders.shuffle(&mut rng);
    let (first, second) = orders.split_at(150);
    j.insert_orders(second, "test").await.unwrap();
    j.create_order(sample(ProviderId::Amilon, OrderKind::Giftcard, "Holiday 50 €"))
        .await
        .unwrap();
    j.insert_orders(first, "test").await.unwrap();

    // Time order, and among orders of one millisecond the order of writing.
    let by_rowid: Vec<(String, i64)> = sqlx::query_as("SELECT created_at, rowid FROM orders ORDER BY rowid")
        .fetch_all(j.pool())
        .await
        .unwrap();
    assert_eq!(by_rowid.len(), 401);
    for pair in by_rowid.windows(2) {
        assert!(pair[0].0 <= pair[1].0, "rowid order is time order: {pair:?}");
    }
    for (at, rowid) in &by_rowid {
        assert_eq!(time_key::millis(*rowid), time_key::base(at).unwrap() >> 20, "{at}");
    }

    let everything = j
        .list(&OrderFilter {
            limit: Some(1000),
            ..Default::default()
        })
        .await
        .unwrap();
    for sort in [Sort::Newest, Sort::Oldest] {
        for provider in [None, Some(ProviderId::Amilon)] {
            let mut truth: Vec<&Order> = everything
                .iter()
                .filter(|o| o.product_name.starts_with("Holiday") && provider.is_none_or(|p| o.provider == p))
                .collect();
            if sort == Sort::Oldest {
                truth.reverse();
            }
            for offset in [0, 50, 100, 130] {
                let page = j
                    .list(&OrderFilter {
                        search: Some("holiday".into()),
                        provider,
                        sort,
                        limit: Some(50),
                        offset: Some(offset),
                        ..Default::default()
                    })
                    .await
                    .unwrap();
                let want: Vec<&str> = truth
                    .iter()
                    .skip(offset as usize)
                    .take(50)
                    .map(|o| o.id.as_str())
                    .collect();
                let got: Vec<&str> = page.iter().map(|o| o.id.as_str()).collect();
                assert_eq!(got, want, "{sort:?} {provider:?} from {offset}");
            }
        }
    }
}

#[tokio::test]
async fn counts_stop_past_the_cap() {
    let (_d, j) = journal().await;
    for _ in 0..5 {
        j.create_order(sample(ProviderId::Amilon, OrderKind::Giftcard, "Fnac 25"))
            .await
            .unwrap();
    }
    let all = OrderFilter::default();
    assert_eq!(j.count_up_to(&all, 10).await.unwrap(), 5);
    assert_eq!(j.count_up_to(&all, 5).await.unwrap(), 5, "exactly the cap");
    assert_eq!(j.count_up_to(&all, 3).await.unwrap(), 4, "the cap and one more");
    let search = OrderFilter {
        search: Some("fnac".into()),
        ..Default::default()
    };
    assert_eq!(j.count_up_to(&search, 2).await.unwrap(), 3);
    assert_eq!(
        j.count_up_to(&search, 10).await.unwrap(),
        5,
        "a search alone, in the index"
    );
    let narrowed = OrderFilter {
        provider: Some(ProviderId::OrangeTravel),
        ..search.clone()
    };
    assert_eq!(j.count_up_to(&narrowed, 10).await.unwrap(), 0, "a search and a field");
}

/// A journal written before rowids followed time: opening it renumbers its
/// orders in time order and rebuilds the search over them.
#[tokio::test]
async fn an_older_journal_is_renumbered_in_time_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.sqlite");
    let older = dir.path().join("older-migrations");
    std::fs::create_dir(&older).unwrap();
    for entry in std::fs::read_dir(concat!(env!("CARGO_MANIFEST_DIR"), "/migrations")).unwrap() {
        let entry = entry.unwrap();
        if entry.file_name().to_string_lossy().as_ref() < "20261201000004" {
            std::fs::copy(entry.path(), older.join(entry.file_name())).unwrap();
        }
    }
    let pool = SqlitePool::connect_with(SqliteConnectOptions::new().filename(&path).create_if_missing(true))
        .await
        .unwrap();
    sqlx::migrate::Migrator::new(older.as_path())
        .await
        .unwrap()
        .run(&pool)
        .await
        .unwrap();
    for (id, at, name) in [
        ("OLD-2", "2024-05-02T10:00:00.000Z", "Holiday b"),
        ("OLD-3", "2025-01-01T00:00:00.000Z", "Holiday c"),
        ("OLD-1", "2023-01-01T08:30:00.250Z", "Holiday a"),
        ("OLD-4", "2023-01-01T08:30:00.250Z", "Fnac"),
    ] {
        sqlx::query(
            "INSERT INTO orders (id, provider, kind, status, product_name, amount_cents, training, created_at, updated_at)
             VALUES (?, 'amilon', 'giftcard', 'delivered', ?, 100, 0, ?, ?)",
        )
        .bind(id)
        .bind(name)
        .bind(at)
        .bind(at)
        .execute(&pool)
        .await
        .unwrap();
    }
    pool.close().await;

    let j = Journal::open(&path).await.unwrap();
    let wal = std::fs::metadata(dir.path().join("journal.sqlite-wal")).map_or(0, |m| m.len());
    assert_eq!(wal, 0, "the migration's writes are merged into the journal at once");
    let ids: Vec<String> = sqlx::query_scalar("SELECT id FROM orders ORDER BY rowid")
        .fetch_all(j.pool())
        .await
        .unwrap();
    assert_eq!(ids, ["OLD-1", "OLD-4", "OLD-2", "OLD-3"]);
    let rowid: i64 = sqlx::query_scalar("SELECT rowid FROM orders WHERE id = 'OLD-4'")
        .fetch_one(j.pool())
        .await
        .unwrap();
    assert_eq!(
        rowid,
        time_key::base("2023-01-01T08:30:00.250Z").unwrap() + 1,
        "second in its millisecond"
    );
    let found: Vec<String> = j
        .list(&OrderFilter {
            search: Some("holiday".into()),
            ..Default::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|o| o.id)
        .collect();
    assert_eq!(found, ["OLD-3", "OLD-2", "OLD-1"]);
    // A new sale after them takes the next rowid of its own millisecond.
    let new = j
        .create_order(sample(ProviderId::Amilon, OrderKind::Giftcard, "Holiday d"))
        .await
        .unwrap();
    let found = j
        .list(&OrderFilter {
            search: Some("holiday".into()),
            limit: Some(1),
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(found[0].id, new.id);
}

#[tokio::test]
async fn the_register_records_each_software_version_once_and_only_once_it_holds_something() {
    let (_dir, j) = journal().await;
    // An empty register: nothing to say which software wrote it yet.
    assert!(j.record_version("0.1.0").await.unwrap().is_none());
    assert_eq!(j.register_count().await.unwrap(), 0);
    // The first record brings the version that wrote it, in the same write.
    j.append("event", serde_json::json!({"event": "login", "cashier": "Léa"}))
        .await
        .unwrap();
    let events = j.register_events(10).await.unwrap();
    assert_eq!(events.len(), 2);
    assert_eq!(events[1].values["event"], "software_version");
    let this = env!("CARGO_PKG_VERSION");
    assert_eq!(
        events[1].values["details"],
        serde_json::json!({"from": null, "to": this})
    );
    assert!(j.record_version(this).await.unwrap().is_none());
    // Another version starts: it names the one before it, once.
    let next = j.record_version("9.0.0").await.unwrap().expect("recorded");
    assert_eq!(next.values["details"], serde_json::json!({"from": this, "to": "9.0.0"}));
    assert!(j.record_version("9.0.0").await.unwrap().is_none());
    let last = j.record_version("9.1.0").await.unwrap().expect("recorded");
    assert_eq!(
        last.values["details"],
        serde_json::json!({"from": "9.0.0", "to": "9.1.0"})
    );
    assert_eq!(last.seq, next.seq + 1);
    assert_eq!(j.recorded_version().await.unwrap().as_deref(), Some("9.1.0"));
    let events = j.register_events(10).await.unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(events[0].values["event"], "software_version", "newest first");
}

/// An eSIM's line as Orange gave it (`0622491813`) reads back from an
/// export as the journal's nine digits: the same order, not a conflict.
#[tokio::test]
async fn an_esim_exported_with_its_line_imports_back_as_already_there() {
    let (_d, j) = journal().await;
    let mut o = imported(
        "CPT-261205-AX7K5E",
        "2026-12-05T15:14:22.025Z",
        "Zen",
        ProviderId::OrangeTravel,
    );
    o.kind = OrderKind::Esim;
    o.phone = Some("0622491813".into());
    j.insert_orders(&[o.clone()], "test").await.unwrap();
    let mut csv = Vec::new();
    super::export::write_csv(&mut csv, &[o], b';').unwrap();
    let back = super::import::parse_csv(&String::from_utf8(csv).unwrap()).unwrap();
    let r = j.insert_orders(&back, "test").await.unwrap();
    assert_eq!((r.imported, r.skipped), (0, 1));
}
