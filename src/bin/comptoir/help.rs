//! `--help` and clap's own refusals in the shop's language. The English is
//! what `args.rs` writes beside each command and argument; the French is
//! `help.fr.json`, keyed by that English (as gettext keys by its msgid),
//! so a text written twice is translated once. clap's own words (the
//! headings, "Print help", "[default: …]", its errors) are replaced here.
//! A test walks every command and fails on an English text without French.

use clap::builder::PossibleValue;
use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Arg, ArgAction, Command, CommandFactory};
use std::collections::BTreeMap;

const FR: &str = include_str!("help.fr.json");

/// The usage line and the lists under French headings, with the colon as
/// French writes it (clap writes "Usage:", "Commands:" itself otherwise).
fn template(cmd: &Command) -> String {
    let mut t = String::from("{before-help}{about-with-newline}\nUtilisation : {usage}\n");
    if cmd.has_subcommands() {
        t.push_str("\nCommandes :\n{subcommands}\n");
    }
    if cmd.get_positionals().next().is_some() {
        t.push_str("\nArguments :\n{positionals}\n");
    }
    t.push_str("\nOptions :\n{options}{after-help}");
    t
}

fn table() -> BTreeMap<String, String> {
    serde_json::from_str(FR).expect("help.fr.json is a JSON object of strings")
}

/// The command line's arguments as clap reads them, worded in `lang`.
pub fn command(lang: &str) -> Command {
    let cmd = Cli::command();
    if lang != "fr" {
        return cmd;
    }
    let table = table();
    let fr = |english: &str| table.get(english).cloned().unwrap_or_else(|| english.to_string());
    translate(cmd, &fr).disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("Affiche la version"),
    )
}

use crate::args::Cli;

fn translate(mut cmd: Command, fr: &dyn Fn(&str) -> String) -> Command {
    if let Some(about) = cmd.get_about().map(|a| a.to_string()) {
        cmd = cmd.about(fr(&about));
    }
    let template = template(&cmd);
    cmd = cmd
        .long_about(None)
        .help_template(template)
        .subcommand_value_name("COMMANDE")
        .disable_help_subcommand(true)
        .disable_help_flag(true)
        .arg(
            Arg::new("help")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche l'aide"),
        );
    let ids: Vec<String> = cmd.get_arguments().map(|a| a.get_id().to_string()).collect();
    for id in ids.into_iter().filter(|id| id != "help") {
        cmd = cmd.mut_arg(id, |a| translate_arg(a, fr));
    }
    let names: Vec<String> = cmd.get_subcommands().map(|c| c.get_name().to_string()).collect();
    for name in names {
        cmd = cmd.mut_subcommand(name, |c| translate(c, fr));
    }
    cmd
}

/// An argument's help, value names, default and possible values in French.
fn translate_arg(mut a: Arg, fr: &dyn Fn(&str) -> String) -> Arg {
    let mut help = a.get_help().map(|h| fr(&h.to_string())).unwrap_or_default();
    let defaults: Vec<String> = a
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if !defaults.is_empty() && !a.is_hide_default_value_set() && a.get_action().takes_values() {
        help.push_str(&format!(" [par défaut : {}]", defaults.join(", ")));
        a = a.hide_default_value(true);
    }
    let values: Vec<String> = a
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(PossibleValue::get_name)
        .map(str::to_string)
        .collect();
    if !values.is_empty() && a.get_action().takes_values() {
        help.push_str(&format!(" [valeurs : {}]", values.join(", ")));
        a = a.hide_possible_values(true);
    }
    if let Some(names) = value_names(&a) {
        a = a.value_names(
            names
                .iter()
                .map(|n| fr(&format!("<{n}>")).trim_matches(['<', '>']).to_string()),
        );
    }
    a.help(help.trim().to_string()).long_help(None)
}

/// What clap shows for the argument's value (`<NAME>`), when it takes one.
fn value_names(a: &Arg) -> Option<Vec<String>> {
    if !a.get_action().takes_values() {
        return None;
    }
    Some(match a.get_value_names() {
        Some(names) => names.iter().map(|n| n.to_string()).collect(),
        None => vec![a.get_id().to_string().to_uppercase()],
    })
}

/// clap's refusal of the arguments, in French: what was wrong, the usage
/// line, and where to read more (clap writes English otherwise).
pub fn refusal(e: &clap::Error) -> Option<String> {
    let ctx = |k: ContextKind| match e.get(k) {
        Some(ContextValue::String(s)) => Some(s.clone()),
        Some(ContextValue::Strings(s)) => Some(s.join(", ")),
        Some(ContextValue::Number(n)) => Some(n.to_string()),
        _ => None,
    };
    let arg = ctx(ContextKind::InvalidArg).unwrap_or_default();
    let value = ctx(ContextKind::InvalidValue).unwrap_or_default();
    let what = match e.kind() {
        ErrorKind::InvalidValue => match ctx(ContextKind::ValidValue) {
            Some(valid) => format!("la valeur « {value} » n'est pas acceptée pour {arg} (valeurs possibles : {valid})"),
            None => format!("{arg} attend une valeur"),
        },
        ErrorKind::ValueValidation => {
            format!("la valeur « {value} » n'est pas acceptée pour {arg} : {}", source_fr(e))
        }
        ErrorKind::UnknownArgument => format!("l'argument « {arg} » n'existe pas ici"),
        ErrorKind::InvalidSubcommand => {
            format!("la commande « {} » n'existe pas", ctx(ContextKind::InvalidSubcommand)?)
        }
        ErrorKind::MissingRequiredArgument => format!("il manque : {arg}"),
        ErrorKind::MissingSubcommand => "il manque la commande".to_string(),
        ErrorKind::ArgumentConflict => match ctx(ContextKind::PriorArg) {
            Some(prior) => format!("{arg} ne peut pas être donné avec {prior}"),
            None => format!("{arg} ne peut être donné qu'une fois"),
        },
        ErrorKind::TooManyValues => format!("la valeur « {value} » est de trop pour {arg}"),
        ErrorKind::WrongNumberOfValues | ErrorKind::TooFewValues => {
            format!("{arg} n'a pas le bon nombre de valeurs")
        }
        ErrorKind::NoEquals => format!("{arg} attend sa valeur après « = »"),
        ErrorKind::InvalidUtf8 => "un argument n'est pas du texte UTF-8".to_string(),
        _ => return None,
    };
    // clap keeps the usage line only in what it renders.
    let rendered = e.render().to_string();
    let usage = rendered
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .map(|l| format!("\n\n{}", l.replacen("Usage:", "Utilisation :", 1)))
        .unwrap_or_default();
    Some(format!("erreur : {what}{usage}\n\nPour en savoir plus : « --help »."))
}

/// Why a value was refused, from the parsers of `args.rs`, in French.
fn source_fr(e: &clap::Error) -> String {
    use std::error::Error as _;
    // The core's own refusals (an unknown provider, status, kind) have
    // their sentence in the shared table.
    if let Some(core) = e.source().and_then(|s| s.downcast_ref::<comptoir::Error>()) {
        return comptoir::types::words::error("fr", core);
    }
    let why = e.source().map(|s| s.to_string()).unwrap_or_default();
    if why.contains("is not a date as YYYY-MM-DD") {
        return "ce n'est pas une date AAAA-MM-JJ".into();
    }
    if why.contains("invalid digit") || why.contains("invalid float") {
        return "ce n'est pas un nombre".into();
    }
    table().get(&why).cloned().unwrap_or(why)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    /// Every English text the command line shows, as the table keys it.
    fn english(cmd: &Command, out: &mut BTreeSet<String>) {
        if let Some(about) = cmd.get_about() {
            out.insert(about.to_string());
        }
        for a in cmd.get_arguments() {
            if let Some(h) = a.get_help() {
                out.insert(h.to_string());
            }
            for n in value_names(a).unwrap_or_default() {
                out.insert(format!("<{n}>"));
            }
        }
        for sub in cmd.get_subcommands() {
            english(sub, out);
        }
    }

    #[test]
    fn every_command_and_argument_has_its_french_and_nothing_stale() {
        let mut texts = BTreeSet::new();
        english(&Cli::command(), &mut texts);
        let table = table();
        let missing: Vec<&String> = texts.iter().filter(|t| !table.contains_key(*t)).collect();
        let stale: Vec<&String> = table
            .keys()
            .filter(|k| !texts.contains(*k) && !k.starts_with('!'))
            .collect();
        if std::env::var_os("COMPTOIR_WRITE_HELP").is_some() {
            let todo: BTreeMap<&String, &str> = missing.iter().map(|m| (*m, "")).collect();
            std::fs::write("/tmp/help-missing.json", serde_json::to_string_pretty(&todo).unwrap()).unwrap();
        }
        assert!(
            missing.is_empty(),
            "{} texts without French: {missing:#?}",
            missing.len()
        );
        assert!(stale.is_empty(), "French for texts no longer shown: {stale:#?}");
    }

    fn help_of(lang: &str, args: &[&str]) -> String {
        let e = command(lang)
            .try_get_matches_from(std::iter::once("comptoir").chain(args.iter().copied()))
            .expect_err("help is an early exit");
        assert_eq!(e.kind(), ErrorKind::DisplayHelp);
        e.render().to_string()
    }

    #[test]
    fn a_french_shop_reads_its_help_in_french() {
        let top = help_of("fr", &["--help"]);
        assert!(top.contains("Utilisation : comptoir"), "{top}");
        assert!(top.contains("Commandes :\n"), "{top}");
        assert!(top.contains("Options :\n"), "{top}");
        assert!(top.contains("comptoir [OPTIONS] <COMMANDE>"), "{top}");
        assert!(top.contains("Affiche l'aide"), "{top}");
        assert!(!top.contains("Usage:") && !top.contains("Print help"), "{top}");
        let sell = help_of("fr", &["sell", "topup", "--help"]);
        assert!(sell.contains("Numéro de téléphone"), "{sell}");
        assert!(!sell.contains("Phone number"), "{sell}");
        let export = help_of("fr", &["export", "orders", "--help"]);
        assert!(export.contains("[par défaut : ,]"), "{export}");
        assert!(export.contains("[valeurs : ,, ;]"), "{export}");
        assert!(
            !export.contains("default:") && !export.contains("possible values"),
            "{export}"
        );
        // English stays as written.
        let en = help_of("en", &["sell", "topup", "--help"]);
        assert!(en.contains("Phone number") && en.contains("Usage:"), "{en}");
    }

    #[test]
    fn every_french_help_screen_renders() {
        // Each command's help, built and rendered: a French value name or
        // heading clap refuses (a panic in debug) fails here, not at a shop.
        fn walk(cmd: &Command, path: Vec<String>) {
            let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
            args.push("--help");
            let text = help_of("fr", &args);
            assert!(text.contains("Utilisation :"), "{path:?}: {text}");
            for sub in cmd.get_subcommands() {
                let mut p = path.clone();
                p.push(sub.get_name().to_string());
                walk(sub, p);
            }
        }
        walk(&Cli::command(), vec![]);
    }

    #[test]
    fn clap_refusals_are_french() {
        let refuse = |args: &[&str]| {
            let e = command("fr")
                .try_get_matches_from(std::iter::once("comptoir").chain(args.iter().copied()))
                .expect_err("refused");
            refusal(&e).unwrap_or_else(|| panic!("no French for {:?}: {e}", e.kind()))
        };
        let bad_value = refuse(&["cashier", "add", "Léa", "--role", "boss"]);
        assert!(
            bad_value.contains("« boss »") && bad_value.contains("owner"),
            "{bad_value}"
        );
        let unknown = refuse(&["orders", "--colour"]);
        assert!(unknown.contains("« --colour » n'existe pas"), "{unknown}");
        let day = refuse(&["orders", "--from", "12/04/2026"]);
        assert!(day.contains("AAAA-MM-JJ"), "{day}");
        let missing = refuse(&["sell", "esim"]);
        assert!(missing.contains("il manque : --offer"), "{missing}");
        assert!(missing.contains("Utilisation : comptoir sell esim"), "{missing}");
        let provider = refuse(&["orders", "--provider", "bogus"]);
        assert!(provider.contains("Fournisseur inconnu « bogus »"), "{provider}");
        let command = refuse(&["vendre"]);
        assert!(command.contains("« vendre »"), "{command}");
    }
}
