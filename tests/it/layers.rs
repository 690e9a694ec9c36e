//! The core's layers, as ARCHITECTURE.md writes them, checked against the
//! code: a module imports only from its own layer or those below, the
//! modules' import graph has no cycle, a provider's folder imports no other
//! provider, and the codemap names every source file (and no file that is
//! gone). The layer table is read from ARCHITECTURE.md itself, so the
//! document and the check cannot drift apart.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn architecture() -> String {
    std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md at the root")
}

/// Module → rank, from the rows of ARCHITECTURE.md's layer table:
/// `| 3 | domain | `esim`, `giftcard` | ... |`.
fn layers(doc: &str) -> BTreeMap<String, usize> {
    let section = doc.split("## Layers").nth(1).expect("a `## Layers` section");
    let mut ranks = BTreeMap::new();
    for line in section.lines().take_while(|l| !l.starts_with("## ")) {
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        let Some(rank) = cells.get(1).and_then(|c| c.parse::<usize>().ok()) else {
            continue;
        };
        for module in cells[3].split(',').map(|m| m.trim().trim_matches('`')) {
            if !module.is_empty() {
                assert!(
                    ranks.insert(module.to_string(), rank).is_none(),
                    "{module} in two layers"
                );
            }
        }
    }
    assert!(ranks.len() > 10, "the layer table was not found in ARCHITECTURE.md");
    ranks
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The module a file belongs to: `src/esim/card.rs` → `esim`,
/// `src/providers/amilon/sim.rs` → `providers::amilon`.
fn module_of(rel: &str) -> Option<String> {
    let parts: Vec<&str> = rel
        .trim_start_matches("src/")
        .trim_end_matches(".rs")
        .split('/')
        .collect();
    match parts.as_slice() {
        ["lib"] | ["bin", ..] => None,
        ["providers", "mod"] => Some("providers".into()),
        ["providers", name, ..] => Some(format!("providers::{name}")),
        [first, ..] => Some(first.to_string()),
        [] => None,
    }
}

/// The code of a file without its test module and its comments.
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every module of the crate a piece of code refers to through `crate::`,
/// including those inside `use crate::{a, b::{c, d}}` groups.
fn references(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if rest.starts_with('{') {
            let end = matching_brace(rest);
            group(&rest[1..end], &mut out);
            rest = &rest[end..];
        } else {
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            out.insert(module_path(&path));
        }
    }
    out
}

fn matching_brace(s: &str) -> usize {
    let mut depth = 0;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    s.len()
}

/// The modules named at the top of a `{...}` group; `providers::{a, b}`
/// names each provider.
fn group(s: &str, out: &mut BTreeSet<String>) {
    let mut depth = 0;
    let mut item = String::new();
    for c in s.chars().chain([',']) {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if c == ',' && depth == 0 {
            let item_trim = item.trim();
            if let Some((head, inner)) = item_trim.split_once("::{") {
                if head == "providers" {
                    let mut inner_set = BTreeSet::new();
                    group(inner.trim_end_matches('}'), &mut inner_set);
                    out.extend(inner_set.into_iter().map(|m| module_path(&format!("providers::{m}"))));
                } else {
                    out.insert(module_path(head));
                }
            } else if !item_trim.is_empty() {
                out.insert(module_path(item_trim));
            }
            item.clear();
        } else {
            item.push(c);
        }
    }
}

/// `esim::card::x` → `esim`; `providers::amilon::model` →
/// `providers::amilon`; `providers::ProviderId` → `providers`.
fn module_path(path: &str) -> String {
    let mut parts = path.split("::").map(str::trim).filter(|p| !p.is_empty());
    let first = parts.next().unwrap_or_default().to_string();
    if first == "providers" {
        if let Some(second) = parts
            .next()
            .filter(|s| s.chars().next().is_some_and(|c| c.is_lowercase()))
        {
            if second != "self" {
                return format!("providers::{second}");
            }
        }
    }
    first
}

/// The imports of every module of the core, by module.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/");
        let Some(module) = module_of(&rel) else { continue };
        let text = std::fs::read_to_string(&file).unwrap();
        let refs = references(&code(&text));
        let entry = graph.entry(module.clone()).or_default();
        entry.extend(refs.into_iter().filter(|r| *r != module && r != "self"));
    }
    graph
}

/// The rank of a module: its own row, else its parent's (`providers::x`
/// is ranked as `providers`).
fn rank(ranks: &BTreeMap<String, usize>, module: &str) -> usize {
    ranks
        .get(module)
        .or_else(|| ranks.get(module.split("::").next().unwrap()))
        .copied()
        .unwrap_or_else(|| panic!("ARCHITECTURE.md's layer table does not place `{module}`"))
}

#[test]
fn no_module_imports_from_a_layer_above_its_own() {
    let ranks = layers(&architecture());
    let mut upward = Vec::new();
    for (module, imports) in graph() {
        for import in imports {
            let (from, to) = (rank(&ranks, &module), rank(&ranks, &import));
            if to > from {
                upward.push(format!("{module} (layer {from}) imports {import} (layer {to})"));
            }
        }
    }
    assert!(upward.is_empty(), "upward imports:\n{}", upward.join("\n"));
}

#[test]
fn a_provider_folder_imports_no_other_provider() {
    for (module, imports) in graph() {
        if module.starts_with("providers::") {
            let others: Vec<_> = imports.iter().filter(|i| i.starts_with("providers::")).collect();
            assert!(others.is_empty(), "{module} imports {others:?}");
            assert!(!imports.contains("context"), "{module} uses Comptoir");
        }
    }
}

#[test]
fn the_modules_import_graph_has_no_cycle() {
    let graph = graph();
    fn visit(m: &str, graph: &BTreeMap<String, BTreeSet<String>>, path: &mut Vec<String>, done: &mut BTreeSet<String>) {
        if done.contains(m) {
            return;
        }
        if let Some(i) = path.iter().position(|p| p == m) {
            panic!("import cycle: {} -> {m}", path[i..].join(" -> "));
        }
        path.push(m.to_string());
        for next in graph.get(m).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(m.to_string());
    }
    let mut done = BTreeSet::new();
    for m in graph.keys() {
        visit(m, &graph, &mut Vec::new(), &mut done);
    }
}

/// Every source file the codemap must name: the core, the window's shell,
/// the UI's TypeScript, the integration tests.
fn source_files() -> Vec<String> {
    let mut files = Vec::new();
    for dir in ["src", "src-tauri/src", "tests/it"] {
        rust_files(&root().join(dir), &mut files);
    }
    fn ts(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() && !path.ends_with("bindings") {
                ts(&path, out);
            } else if path.extension().is_some_and(|e| e == "ts") {
                out.push(path);
            }
        }
    }
    ts(&root().join("ui/src"), &mut files);
    let mut rel: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(root()).unwrap().to_string_lossy().replace('\\', "/"))
        .collect();
    rel.sort();
    rel
}

#[test]
fn the_codemap_names_every_source_file_and_no_missing_one() {
    let doc = architecture();
    let missing: Vec<_> = source_files()
        .into_iter()
        .filter(|f| !doc.contains(&format!("`{f}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md's codemap lacks:\n{}",
        missing.join("\n")
    );
    let named: Vec<&str> = doc
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| {
            (s.ends_with(".rs") || s.ends_with(".ts")) && s.contains('/') && !s.contains(' ') && !s.contains('<')
        })
        .collect();
    let gone: Vec<_> = named.iter().filter(|f| !root().join(f).exists()).collect();
    assert!(
        gone.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {gone:?}"
    );
}

#[test]
fn the_reference_parser_sees_groups_and_paths() {
    let refs = references(
        "use crate::{esim, providers::{amilon, orange_travel::model::X}, types::ProviderId};\n\
         let x = crate::registry::fields(p); use crate::providers::ProviderId;",
    );
    let want: BTreeSet<String> = [
        "esim",
        "providers::amilon",
        "providers::orange_travel",
        "types",
        "registry",
        "providers",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(refs, want);
}
