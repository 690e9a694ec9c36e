//! Orange Anomalie Adresse through the CLI against its simulator: filing
//! (each local rule refusing before anything is sent), every filter
//! operator and alias really evaluated, paging headers and the exact query
//! sent, counts, every allowed and refused move of the shop, the 412 round
//! trip, notes, attachments up and down (and the 413), the event feed, the
//! operator's automatic closure, the cache offline, a creation whose answer
//! was lost found again rather than filed twice.

use crate::common::Shop;
use comptoir::providers::anomalie_adresse::sim::Scenario;
use comptoir::registry::SimHost;
use comptoir::sim::{Fault, FaultAction};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::time::Duration;

type Env = BTreeMap<String, String>;

async fn setup() -> (Shop, SimHost, Env) {
    let host = SimHost::start(0).await.unwrap();
    let env = host.env();
    (Shop::new(), host, env)
}

fn creation(city: &str, nr: &str) -> Value {
    json!({
        "@type": "AnomalieAdresse.creation", "code_oi": "ORNG", "ticketType": "CUSTOMER_REQUEST",
        "description": format!("Immeuble absent de l'IPE à {city}"),
        "building": {"type": "IMMEUBLE", "newConstruction": true,
            "geographicLocation": [{"x": 1.6053, "y": 42.9639, "type": "WGS84"}],
            "address": {"postcode": "09000", "city": city, "streetType": "RUE", "streetName": "de la Faurie", "streetNr": nr}}
    })
}

fn modification(buildings: &[&str], priority: &str) -> Value {
    let related: Vec<Value> = buildings
        .iter()
        .map(|b| json!({"id": b, "@referredType": "Building"}))
        .collect();
    json!({
        "@type": "AnomalieAdresse.modification", "code_oi": "ORNG", "priority": priority,
        "relatedEntity": related,
        "issues": {"building.address.streetName": {"value": "Rue Neuve", "description": "la rue a été renommée"}}
    })
}

fn write(shop: &Shop, name: &str, v: &Value) -> String {
    let path = shop.dir.path().join(name);
    std::fs::write(&path, v.to_string()).unwrap();
    path.to_string_lossy().into_owned()
}

/// Files a ticket; the operator then moves it only when the test says so.
fn file(shop: &Shop, host: &SimHost, env: &Env, ticket: &Value) -> String {
    let path = write(shop, "ticket.json", ticket);
    let v = shop.json(env, &["ticket", "new", "--file", &path, "--customer", "Mme Garcia"]);
    let id = v["id"].as_str().unwrap().to_string();
    host.state.anomalie_adresse.set_scenario(&id, Scenario::Manual);
    id
}

fn ids(list: &Value) -> Vec<String> {
    let mut ids: Vec<String> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn oi(host: &SimHost, id: &str, status: &str, reason: Option<&str>, complexity: Option<&str>) {
    host.state
        .anomalie_adresse
        .operator_move(id, status, reason, complexity)
        .unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_creation_is_filed_with_the_shops_code_and_reference() {
    let (shop, host, env) = setup().await;
    let path = write(&shop, "t.json", &creation("Foix", "12"));
    let v = shop.json(&env, &["ticket", "new", "--file", &path, "--customer", "Mme Garcia"]);
    assert_eq!(v["ticket"]["status"], "ACKNOWLEDGED");
    assert_eq!(v["ticket"]["code_oc"], "CPTR", "the shop's code fills code_oc");
    assert!(v["ticket"]["externalId"].as_str().unwrap().starts_with("CPT-"));
    assert_eq!(v["customer"], "Mme Garcia");
    assert_eq!(v["address"], "12 RUE de la Faurie, 09000 Foix");
    assert_eq!(v["actions"], json!(["cancel"]));
    // The customer stays in the shop: the operator never sees the name.
    let sent = host.state.anomalie_adresse.tickets();
    assert_eq!(sent.len(), 1);
    assert!(!sent[0].to_string().contains("Garcia"));
    // Its own code in the environment wins over the simulator's.
    let mut mine = env.clone();
    mine.insert("COMPTOIR_ANOMALIE_ADRESSE_CODE_OC".into(), "SHOP".into());
    let v = shop.json(&mine, &["ticket", "new", "--file", &path]);
    assert_eq!(v["ticket"]["code_oc"], "SHOP");
    // Read back, with the ETag.
    let id = v["id"].as_str().unwrap();
    let shown = shop.json(&env, &["ticket", "show", id]);
    assert_eq!(shown["ticket"]["statusChange"][0]["status"], "ACKNOWLEDGED");
    assert_eq!(shown["offline"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn every_rule_refuses_before_anything_is_sent() {
    let (shop, host, env) = setup().await;
    let mut no_address = creation("Foix", "12");
    no_address["building"]["address"] = json!({"city": "Foix", "streetName": "de la Faurie"});
    let mut bad_oi = creation("Foix", "12");
    bad_oi["code_oi"] = json!("orange");
    let cases = [
        (no_address, "identification"),
        (bad_oi, "code_oi"),
        (
            json!({"@type": "AnomalieAdresse.modification", "code_oi": "ORNG", "issues": {"building.name": {"value": ["B"]}}}),
            "building_id",
        ),
        (
            json!({"@type": "AnomalieAdresse.modification", "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}],
                "issues": {"building.address.city": {"description": "faux"}}}),
            "target_value",
        ),
        (
            json!({"@type": "AnomalieAdresse.nbLogements", "code_oi": "ORNG", "relatedEntity": [{"id": "IMB/1"}, {"id": "IMB/2"}],
                "issues": {"building.housingsNumber": {"value": 12}}}),
            "one_building",
        ),
        (json!({"@type": "Signalement"}), "type"),
    ];
    for (ticket, rule) in cases {
        let path = write(&shop, "bad.json", &ticket);
        let e = shop.fails(&env, &["ticket", "new", "--file", &path], 2);
        assert_eq!(e["code"], format!("anomalie_adresse.rule.{rule}"), "{ticket}");
        assert!(!e["message"].as_str().unwrap().is_empty());
    }
    // A bulk report needs only the correction table's keys.
    let bulk = json!({"@type": "AnomalieAdresse.modification", "code_oi": "ORNG",
        "relatedEntity": [{"id": "IMB/09001/X/000E"}, {"id": "IMB/09001/X/000Q"}],
        "issues": {"building.address.streetName": {"description": "voie renommée"}}});
    let path = write(&shop, "bulk.json", &bulk);
    assert_eq!(host.faults().count("POST", "/anomalie-adresse"), 0, "nothing was sent");
    shop.json(&env, &["ticket", "new", "--file", &path]);
    assert_eq!(host.faults().count("POST", "/anomalie-adresse"), 1);
    // Bad filters never leave either.
    for bad in ["name[like]=x", "age[gt,num]=ten", "name[match]=(", "name[is]=nothing"] {
        let e = shop.fails(&env, &["ticket", "list", "--filter", bad], 2);
        assert_eq!(e["code"], "anomalie_adresse.query", "{bad}");
    }
    assert!(host.state.anomalie_adresse.queries().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn every_operator_and_alias_is_evaluated_by_the_simulator() {
    use comptoir::providers::anomalie_adresse::query::{Op, OPERATORS};
    let (shop, host, env) = setup().await;
    let a = file(&shop, &host, &env, &modification(&["IMB/09001/X/000E"], "HIGH"));
    let b = file(
        &shop,
        &host,
        &env,
        &modification(&["IMB/09001/X/000Q", "IMB/09001/X/000R"], "LOW"),
    );
    let c = file(&shop, &host, &env, &creation("Foix", "3"));
    oi(&host, &a, "IN_PROGRESS", None, Some("SIMPLE"));
    let sorted = |v: Vec<&String>| {
        let mut v: Vec<String> = v.into_iter().cloned().collect();
        v.sort();
        v
    };
    let (ab, bc, all) = (sorted(vec![&a, &b]), sorted(vec![&b, &c]), sorted(vec![&a, &b, &c]));
    let only = |x: &String| vec![x.clone()];
    // One case per operator: the field, the value, the tickets it keeps.
    let cases: Vec<(Op, &str, String, Vec<String>)> = vec![
        (Op::Eq, "priority", "HIGH".into(), only(&a)),
        (Op::Ne, "priority", "HIGH".into(), bc.clone()),
        (Op::Gt, "priority", "HIGH".into(), bc.clone()), // LOW > HIGH as text; c has the default LOW
        (Op::Gte, "priority", "LOW".into(), bc.clone()),
        (Op::Lt, "priority", "LOW".into(), only(&a)),
        (Op::Lte, "priority", "HIGH".into(), only(&a)),
        (Op::Match, "relatedEntity.id", "^IMB/09001/X/000[QR]$".into(), only(&b)),
        (Op::NotMatch, "relatedEntity.id", "000E".into(), bc.clone()),
        (Op::Is, "complexity", "notexists".into(), bc.clone()),
        (Op::IsNot, "complexity", "exists".into(), bc.clone()),
        (Op::In, "status", "IN_PROGRESS,PENDING".into(), only(&a)),
        (Op::NotIn, "status", "IN_PROGRESS,PENDING".into(), bc.clone()),
        (
            Op::ElemMatchJson,
            "relatedEntity",
            r#"{"id":"IMB/09001/X/000R"}"#.into(),
            only(&b),
        ),
        (
            Op::NotElemMatchJson,
            "relatedEntity",
            r#"{"id":"IMB/09001/X/000E"}"#.into(),
            bc.clone(),
        ),
    ];
    for (op, field, value, expected) in &cases {
        let aliases = OPERATORS.iter().find(|(o, _)| o == op).unwrap().1;
        for alias in aliases {
            let filter = format!("{field}[{alias}]={value}");
            let got = ids(&shop.json(&env, &["ticket", "list", "--filter", &filter]));
            assert_eq!(&got, expected, "{filter}");
        }
    }
    // The bare form is equality; numbers compare as numbers with `num`
    // (its three aliases) and as text without.
    assert_eq!(
        ids(&shop.json(&env, &["ticket", "list", "--filter", "priority=HIGH"])),
        only(&a)
    );
    host.state.anomalie_adresse.touch(&a, "sizeRefs", json!(10));
    host.state.anomalie_adresse.touch(&b, "sizeRefs", json!(9));
    assert_eq!(
        ids(&shop.json(&env, &["ticket", "list", "--filter", "sizeRefs[gt]=5"])),
        only(&b),
        "text: \"10\" < \"5\""
    );
    for typed in ["num", "numeric", "number"] {
        let f = format!("sizeRefs[gt,{typed}]=5");
        assert_eq!(ids(&shop.json(&env, &["ticket", "list", "--filter", &f])), ab, "{f}");
    }
    assert_eq!(
        ids(&shop.json(&env, &["ticket", "list", "--filter", "sizeRefs[in,num]=9,11"])),
        only(&b)
    );
    // Every value `is` knows, each alias: only `a` is qualified, so only
    // it has an expected resolution date.
    for (f, expected) in [
        ("expectedResolutionDate[is]=null", bc.clone()),
        ("expectedResolutionDate[is]=nnull", only(&a)),
        ("expectedResolutionDate[is]=notnull", only(&a)),
        ("expectedResolutionDate[is]=notexists", vec![]),
    ] {
        assert_eq!(
            ids(&shop.json(&env, &["ticket", "list", "--filter", f])),
            expected,
            "{f}"
        );
    }
    for (f, expected) in [
        ("issues[is]=object", ab.clone()),
        ("relatedEntity[is]=array", ab.clone()),
        ("relatedEntity[is]=notempty", ab.clone()),
        ("relatedEntity[is]=nempty", ab.clone()),
        ("notes[is]=empty", vec![]),
        ("building[is]=exists", only(&c)),
        ("building[is]=nexists", ab.clone()),
        ("sizeRefs[is]=int", ab.clone()),
        ("sizeRefs[is]=integer", ab.clone()),
        ("name[is]=string", all.clone()),
        ("building.newConstruction[is]=bool", only(&c)),
        ("building.newConstruction[is]=boolean", only(&c)),
        ("creationDate[is]=date", all.clone()),
        ("name[is]=date", vec![]),
        ("statusChange[is]=empty", vec![]),
    ] {
        assert_eq!(
            ids(&shop.json(&env, &["ticket", "list", "--filter", f])),
            expected,
            "{f}"
        );
    }
    // Several filters: all must hold; dotted keys of the issues map are found whole.
    let got = ids(&shop.json(
        &env,
        &[
            "ticket",
            "list",
            "--filter",
            "@type=AnomalieAdresse.modification",
            "--filter",
            "issues.building.address.streetName.value=Rue Neuve",
            "--filter",
            "priority[!=]=HIGH",
        ],
    ));
    assert_eq!(got, only(&b));
}

#[tokio::test(flavor = "multi_thread")]
async fn paging_sorting_fields_and_exactly_the_parameters_given() {
    let (shop, host, env) = setup().await;
    let mut made = Vec::new();
    for (i, p) in ["LOW", "HIGH", "MEDIUM", "LOW", "HIGH"].iter().enumerate() {
        made.push(file(
            &shop,
            &host,
            &env,
            &modification(&[&format!("IMB/09001/X/{i:04}")], p),
        ));
    }
    let page = shop.json(
        &env,
        &[
            "ticket",
            "list",
            "--sort=+priority,-name",
            "--offset",
            "1",
            "--limit",
            "2",
        ],
    );
    assert_eq!(page["total"], 5, "X-Total-Count");
    assert_eq!(page["result_count"], 2, "X-Result-Count");
    assert_eq!(page["source"], "operator");
    // HIGH (names 5, 2), LOW (4, 1), MEDIUM (3): skip one, take two.
    let names: Vec<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["ticket"]["name"].as_str().unwrap())
        .collect();
    assert!(
        names[0].ends_with("000002") && names[1].ends_with("000004"),
        "{names:?}"
    );
    // The literal `+` arrives as a `+`, and in the order typed.
    let sent = host.state.anomalie_adresse.queries();
    assert_eq!(sent.last().unwrap(), "sort=%2Bpriority%2C-name&offset=1&limit=2");
    // Nothing added when nothing is asked: no default limit, no fields.
    shop.json(&env, &["ticket", "list"]);
    assert_eq!(host.state.anomalie_adresse.queries().last().unwrap(), "");
    shop.json(
        &env,
        &[
            "ticket",
            "list",
            "--limit",
            "3",
            "--filter",
            "priority=LOW",
            "--fields",
            "id,status",
        ],
    );
    assert_eq!(
        host.state.anomalie_adresse.queries().last().unwrap(),
        "limit=3&priority=LOW&fields=id%2Cstatus"
    );
    // Fields: only the first-level fields asked for, and those the OpenAPI
    // requires of a ticket (`@type`, `code_oi`, `code_oc`).
    let page = shop.json(
        &env,
        &["ticket", "list", "--fields", "id,status", "--filter", "priority=HIGH"],
    );
    for t in page["items"].as_array().unwrap() {
        let mut keys: Vec<&String> = t["ticket"]
            .as_object()
            .unwrap()
            .iter()
            .filter(|(_, v)| !v.is_null() && v != &&json!([]))
            .map(|(k, _)| k)
            .collect();
        keys.sort();
        assert_eq!(keys, vec!["@type", "code_oc", "code_oi", "id", "status"]);
    }
    // Count: HEAD with X-Total-Count.
    assert_eq!(
        shop.json(&env, &["ticket", "count", "--filter", "priority=LOW"])["total"],
        2
    );
    assert_eq!(host.faults().count("HEAD", "/anomalie-adresse"), 1);
    // The operator's 400 (limit over 100) is shown with its reason.
    let e = shop.fails(&env, &["ticket", "list", "--limit", "500"], 3);
    assert_eq!(e["code"], "anomalie_adresse.bad_request");
    assert!(e["message"].as_str().unwrap().contains("limit is at most 100"), "{e}");
    // Text output carries the total too.
    let out = shop.run(&env, &["ticket", "list", "--limit", "1"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("1 of 5 tickets"));
    let _ = made;
}

fn status(shop: &Shop, env: &Env, id: &str) -> String {
    shop.json(env, &["ticket", "show", id])["ticket"]["status"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn every_move_of_the_shop_allowed_or_refused_with_the_reason() {
    let (shop, host, env) = setup().await;
    // Drives a fresh ticket to a status through the operator's moves.
    let at = |target: &str| {
        let id = file(&shop, &host, &env, &creation("Foix", "1"));
        let path: &[(&str, Option<&str>)] = match target {
            "ACKNOWLEDGED" => &[],
            "IN_PROGRESS" => &[("IN_PROGRESS", None)],
            "PENDING" => &[("IN_PROGRESS", None), ("PENDING", Some("WAITING_INFORMATION"))],
            "RESOLVED" => &[("IN_PROGRESS", None), ("RESOLVED", Some("RESOLVED"))],
            "REJECTED" => &[("REJECTED", Some("INVALID"))],
            _ => unreachable!(),
        };
        for (s, r) in path {
            oi(&host, &id, s, *r, Some("SIMPLE"));
        }
        shop.json(&env, &["ticket", "show", &id]);
        id
    };
    let table = [
        ("ACKNOWLEDGED", "cancel", Some("CANCELED")),
        ("ACKNOWLEDGED", "accept", None),
        ("ACKNOWLEDGED", "refuse", None),
        ("IN_PROGRESS", "cancel", Some("CANCELED")),
        ("IN_PROGRESS", "accept", None),
        ("PENDING", "cancel", Some("CANCELED")),
        ("PENDING", "refuse", None),
        ("RESOLVED", "accept", Some("CLOSED")),
        ("RESOLVED", "refuse", Some("ACKNOWLEDGED")),
        ("RESOLVED", "cancel", None),
        ("REJECTED", "cancel", None),
    ];
    for (from, action, to) in table {
        let id = at(from);
        match to {
            Some(to) => {
                let v = shop.json(&env, &["ticket", action, &id, "--reason", "par le magasin"]);
                assert_eq!(v["ticket"]["status"], to, "{from} {action}");
                assert_eq!(status(&shop, &env, &id), to);
            }
            None => {
                let before = host.faults().count("PATCH", &id);
                let e = shop.fails(&env, &["ticket", action, &id], 2);
                assert_eq!(e["code"], "anomalie_adresse.not_allowed", "{from} {action}");
                assert!(!e["message"].as_str().unwrap().is_empty());
                assert_eq!(
                    host.faults().count("PATCH", &id),
                    before,
                    "refused locally: nothing sent"
                );
            }
        }
    }
    // Answering a request for information: a note, then back to the operator.
    let id = at("PENDING");
    let v = shop.json(&env, &["ticket", "answer", &id, "Photo de la plaque jointe"]);
    assert_eq!(v["ticket"]["status"], "ACKNOWLEDGED");
    assert_eq!(v["ticket"]["statusChangeReason"], "INFORMATION_PROVIDED");
    let notes: Vec<&str> = v["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["text"].as_str().unwrap())
        .collect();
    assert!(notes.contains(&"Photo de la plaque jointe"), "{notes:?}");
    // Closed is final.
    let id = at("RESOLVED");
    shop.json(&env, &["ticket", "accept", &id]);
    let e = shop.fails(&env, &["ticket", "refuse", &id], 2);
    assert!(e["message"].as_str().unwrap().contains("no further change"), "{e}");
    // The operator's own 403 on a forbidden change is explained too.
    let (client, _, _) = client(&env, shop.dir.path()).await;
    let id = at("IN_PROGRESS");
    let e = client
        .patch(
            &id,
            &json!({"status": "CLOSED", "statusChangeReason": "RESOLUTION_ACCEPTED"}),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.code, "anomalie_adresse.forbidden");
    assert!(e.message.contains("IN_PROGRESS to CLOSED"), "{}", e.message);
}

async fn client(env: &Env, dir: &std::path::Path) -> (comptoir::providers::anomalie_adresse::Client, bool, ()) {
    let mut config = comptoir::config::ProviderConfig::default();
    config.insert("url", env["COMPTOIR_ANOMALIE_ADRESSE_URL"].clone());
    config.insert("token_url", env["COMPTOIR_ANOMALIE_ADRESSE_TOKEN_URL"].clone());
    config.insert("client_id", env["COMPTOIR_ANOMALIE_ADRESSE_CLIENT_ID"].clone());
    config.insert_secret(
        "client_secret",
        comptoir::secrets::Secret::new(env["COMPTOIR_ANOMALIE_ADRESSE_CLIENT_SECRET"].clone()),
    );
    let http = comptoir::http::client();
    let tokens = std::sync::Arc::new(comptoir::auth::TokenManager::new(
        http.clone(),
        comptoir::secrets::SecretStore::new(comptoir::secrets::Backend::Kernel, dir),
    ));
    (
        comptoir::providers::anomalie_adresse::Client::new(&config, true, tokens, http).unwrap(),
        true,
        (),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_changed_meanwhile_is_read_again_and_applied_again() {
    let (shop, host, env) = setup().await;
    let id = file(&shop, &host, &env, &creation("Foix", "7"));
    shop.json(&env, &["ticket", "show", &id]);
    // Listing keeps the ETag last read (a list carries none).
    shop.json(&env, &["ticket", "list"]);
    // Someone else (another counter, the operator's portal) changes it.
    host.state.anomalie_adresse.touch(&id, "priority", json!("HIGH"));
    let e = shop.fails(&env, &["ticket", "cancel", &id], 3);
    assert_eq!(e["code"], "anomalie_adresse.stale");
    assert!(e["message"].as_str().unwrap().contains("priority"), "{e}");
    let changed: Vec<&str> = e["params"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["field"].as_str().unwrap())
        .collect();
    assert_eq!(changed, vec!["priority"]);
    assert_eq!(status(&shop, &env, &id), "ACKNOWLEDGED", "nothing was changed");
    // Applied again on the new reading.
    let v = shop.json(&env, &["ticket", "cancel", &id]);
    assert_eq!(v["ticket"]["status"], "CANCELED");
    // The operator moved the ticket since the shop read it: said the same way.
    let id = file(&shop, &host, &env, &creation("Foix", "8"));
    oi(&host, &id, "IN_PROGRESS", None, Some("SIMPLE"));
    oi(&host, &id, "RESOLVED", Some("RESOLVED"), None);
    let e = shop.fails(&env, &["ticket", "accept", &id], 3);
    assert_eq!(e["code"], "anomalie_adresse.stale");
    assert!(e["message"].as_str().unwrap().contains("RESOLVED"), "{e}");
    assert_eq!(
        shop.json(&env, &["ticket", "accept", &id])["ticket"]["status"],
        "CLOSED"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn notes_and_attachments_up_and_down() {
    let (shop, host, env) = setup().await;
    let id = file(&shop, &host, &env, &creation("Foix", "9"));
    shop.json(&env, &["ticket", "note", &id, "Le client passe jeudi"]);
    let photo = shop.dir.path().join("plaque.png");
    let bytes: Vec<u8> = (0..70_000u32).map(|i| (i * 7 % 251) as u8).collect();
    std::fs::write(&photo, &bytes).unwrap();
    let att = shop.json(
        &env,
        &[
            "ticket",
            "attach",
            &id,
            photo.to_str().unwrap(),
            "--description",
            "plaque de rue",
        ],
    );
    assert_eq!(att["mimeType"], "image/png");
    assert_eq!(att["size"], 70_000);
    let shown = shop.json(&env, &["ticket", "show", &id]);
    assert_eq!(shown["notes"][0]["text"], "Le client passe jeudi");
    assert_eq!(shown["attachments"][0]["name"], "plaque.png");
    let out = shop.dir.path().join("back.png");
    let aid = att["id"].as_str().unwrap();
    shop.json(
        &env,
        &["ticket", "attachment", &id, aid, "--out", out.to_str().unwrap()],
    );
    assert_eq!(std::fs::read(&out).unwrap(), bytes);
    // A type the operator does not take never leaves.
    let exe = shop.dir.path().join("setup.exe");
    std::fs::write(&exe, b"MZ").unwrap();
    let e = shop.fails(&env, &["ticket", "attach", &id, exe.to_str().unwrap()], 2);
    assert_eq!(e["code"], "anomalie_adresse.file_type");
    assert_eq!(host.faults().count("POST", "/attachment"), 1);
    // Over the operator's limit: its 413, explained.
    let big = shop.dir.path().join("plan.pdf");
    std::fs::write(
        &big,
        vec![b'%'; comptoir::providers::anomalie_adresse::sim::MAX_ATTACHMENT + 1],
    )
    .unwrap();
    let e = shop.fails(&env, &["ticket", "attach", &id, big.to_str().unwrap()], 3);
    assert_eq!(e["code"], "anomalie_adresse.too_large");
    assert!(e["message"].as_str().unwrap().contains("smaller"), "{e}");
    // Counted with HEAD, filtered as lists are.
    use comptoir::providers::anomalie_adresse::query::Query;
    let (client, _, _) = client(&env, shop.dir.path()).await;
    assert_eq!(client.count_notes(&id, &Query::new()).await.unwrap(), 1);
    assert_eq!(client.count_attachments(&id, &Query::new()).await.unwrap(), 1);
    let pngs = Query::new().filter("mimeType=image/png").unwrap();
    assert_eq!(client.count_attachments(&id, &pngs).await.unwrap(), 1);
    let pdfs = Query::new().filter("mimeType=application/pdf").unwrap();
    assert_eq!(client.count_attachments(&id, &pdfs).await.unwrap(), 0);
    let listed = client
        .notes(&id, &Query::new().filter("author=OC").unwrap())
        .await
        .unwrap();
    assert_eq!((listed.items.len(), listed.total), (1, Some(1)));
    // An unknown attachment is the operator's 404.
    let e = shop.fails(
        &env,
        &["ticket", "attachment", &id, "nope", "--out", out.to_str().unwrap()],
        3,
    );
    assert_eq!(e["code"], "anomalie_adresse.not_found");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_event_feed_refreshes_followed_tickets_and_the_operator_closes_by_itself() {
    let (shop, host, env) = setup().await;
    let path = write(&shop, "t.json", &creation("Foix", "5"));
    let id = shop.json(&env, &["ticket", "new", "--file", &path])["id"]
        .as_str()
        .unwrap()
        .to_string();
    host.state.anomalie_adresse.set_scenario(&id, Scenario::Complex);
    let sim = &host.state.anomalie_adresse;
    sim.advance(Duration::from_secs(130)); // qualified simple
    sim.advance(Duration::from_secs(130)); // reclassified complex
    let r = shop.json(&env, &["ticket", "sync"]);
    assert_eq!(r["tickets"], json!([id]));
    // The cache has the operator's moves without reading the ticket.
    let found = shop.json(&env, &["ticket", "search", "Foix"]);
    let t = &found["items"][0];
    assert_eq!(t["ticket"]["status"], "IN_PROGRESS");
    assert_eq!(t["ticket"]["complexity"], "COMPLEX");
    assert_eq!(t["deadline"]["case"], "complex");
    // Nothing new: nothing refreshed.
    assert_eq!(shop.json(&env, &["ticket", "sync"])["events"], 0);
    sim.advance(Duration::from_secs(130)); // resolved
    sim.advance(Duration::from_secs(8 * 24 * 3600)); // a week unanswered: closed
    shop.json(&env, &["ticket", "sync"]);
    let t = &shop.json(&env, &["ticket", "search", &id])["items"][0];
    assert_eq!(t["ticket"]["status"], "CLOSED");
    assert_eq!(t["ticket"]["statusChangeReason"], "DELAY_VALIDATION_EXPIRED");
    let reasons: Vec<Value> = t["ticket"]["statusChange"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["changeReason"].clone())
        .collect();
    assert!(reasons.contains(&json!("REQUALIFIED")), "{reasons:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn offline_the_cache_answers_and_says_so() {
    let (shop, host, env) = setup().await;
    let id = file(&shop, &host, &env, &modification(&["IMB/09001/X/000E"], "HIGH"));
    file(&shop, &host, &env, &modification(&["IMB/09001/X/000F"], "LOW"));
    shop.json(&env, &["ticket", "list"]);
    host.inject(Fault::on(
        "/anomalie-adresse",
        FaultAction::Status {
            status: 503,
            body: None,
        },
    ));
    host.inject(Fault::on(
        &id,
        FaultAction::Status {
            status: 503,
            body: None,
        },
    ));
    let v = shop.json(&env, &["ticket", "show", &id]);
    assert_eq!(v["offline"], true);
    let l = shop.json(&env, &["ticket", "list", "--filter", "priority=HIGH"]);
    assert_eq!(l["source"], "cache");
    assert_eq!(ids(&l), vec![id.clone()]);
    let found = shop.json(&env, &["ticket", "search", "IMB/09001/X/000E"]);
    assert_eq!(ids(&found), vec![id]);
    assert_eq!(shop.json(&env, &["ticket", "search", "Garcia"])["total"], 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_creation_whose_answer_was_lost_is_found_not_filed_twice() {
    let (shop, host, env) = setup().await;
    host.inject(
        Fault::on("/anomalie-adresse", FaultAction::DropAfterCommit)
            .method("POST")
            .times(1),
    );
    let path = write(&shop, "t.json", &creation("Foix", "4"));
    let v = shop.json(&env, &["ticket", "new", "--file", &path]);
    assert_eq!(host.state.anomalie_adresse.tickets().len(), 1);
    assert_eq!(v["ticket"]["id"], host.state.anomalie_adresse.tickets()[0]["id"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_token_is_renewed_once() {
    let (shop, host, env) = setup().await;
    file(&shop, &host, &env, &creation("Foix", "2"));
    let issued = host.state.anomalie_adresse.oauth.issued();
    host.state.anomalie_adresse.oauth.expire_all();
    let l = shop.json(&env, &["ticket", "list"]);
    assert_eq!(l["total"], 1);
    assert_eq!(host.state.anomalie_adresse.oauth.issued(), issued + 1, "one renewal");
}

#[tokio::test(flavor = "multi_thread")]
async fn training_mode_files_against_the_simulator_out_of_the_box() {
    let shop = Shop::new();
    let none = Env::new();
    let path = write(&shop, "t.json", &creation("Foix", "6"));
    let v = shop.json(&none, &["ticket", "new", "--file", &path]);
    assert_eq!(v["training"], true);
    assert_eq!(v["ticket"]["code_oc"], "CPTR");
    let status = shop.run(&none, &["status"]);
    assert!(!String::from_utf8_lossy(&status.stdout).contains("no simulator yet"));
}
