// French and English. The language comes from Settings, else the system.
// Error messages are looked up by the core's stable `code`, then by `kind`.
// The sentences are kept by area, each file with both languages side by
// side (TypeScript checks that English has every French key).
import type { CoreError } from "../api";
import * as shell from "./shell";
import * as counter from "./counter";
import * as words from "./words";
import * as settings from "./settings";
import * as errors from "./errors";
import * as payments from "./payments";
import * as tickets from "./tickets";
import * as cashier from "./cashier";
import * as till from "./till";

export type Locale = "fr" | "en";

const fr = { ...shell.fr, ...counter.fr, ...words.fr, ...settings.fr, ...errors.fr, ...payments.fr, ...tickets.fr, ...cashier.fr, ...till.fr };
type Key = keyof typeof fr;
const en: Record<Key, string> = { ...shell.en, ...counter.en, ...words.en, ...settings.en, ...errors.en, ...payments.en, ...tickets.en, ...cashier.en, ...till.en };

// The system's language as the core reads it (the same for the window and
// the command line); WebKit's own guess is only the fallback, as it does
// not always follow LANG (it answered English under LANG=fr_FR.UTF-8).
let system: Locale | null = null;

const dictionaries: Record<Locale, Record<Key, string>> = { fr, en };
let current: Locale = systemLocale();

export function setSystemLocale(locale: Locale | null): void {
  system = locale;
}

export function systemLocale(): Locale {
  return system ?? ((navigator.language || "fr").toLowerCase().startsWith("fr") ? "fr" : "en");
}

export function setLocale(locale: Locale): void {
  current = locale;
  document.documentElement.lang = locale;
}

export function locale(): Locale {
  return current;
}

export function t(key: Key, params: Record<string, unknown> = {}): string {
  const text = dictionaries[current][key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) => String(params[name] ?? ""));
}

/**
 * A counted phrase: `key.one` or `key.other` as the language's plural
 * rules choose for `n` (French counts 0 and 1 as one, English 1 alone).
 */
export function plural(key: string, n: number, params: Record<string, unknown> = {}): string {
  const form = new Intl.PluralRules(current === "fr" ? "fr-FR" : "en-GB").select(n) === "one" ? "one" : "other";
  return t(`${key}.${form}` as Key, { n, ...params });
}

/** A sentence for a core error: by its code when known, else by its kind. */
export function errorText(e: CoreError): string {
  const byCode = `code.${e.code}` as Key;
  if (byCode in dictionaries[current]) return t(byCode, e.params ?? {});
  return t(`kind.${e.kind}` as Key);
}

export type { Key };
