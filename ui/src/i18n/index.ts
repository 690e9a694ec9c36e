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
  if (byCode in dictionaries[current]) return t(byCode, paramsInWords(e.params ?? {}));
  return t(`kind.${e.kind}` as Key);
}

/** An error's `status`, `from` or `to` that is an order status, in words
 * (`delivered` → `Livrée`), and its `reason` (the core's English) read
 * against the `reason.*` sentences, as the core's `words::error` does. */
function paramsInWords(params: Record<string, unknown>): Record<string, unknown> {
  const out = { ...params };
  if (typeof out.reason === "string") out.reason = readAs("reason.", out.reason) ?? out.reason;
  for (const name of ["status", "from", "to"]) {
    const key = `status.${String(out[name])}` as Key;
    if (typeof out[name] === "string" && key in dictionaries[current]) out[name] = dictionaries[current][key];
  }
  return out;
}

/**
 * A note of an order's history as the journal keeps it (the core's English,
 * written when it happened), in the window's language: read against the
 * English of the `note.*` sentences (the most literal reading wins), its
 * variable parts carried over; a failure's note (an error code) as its
 * sentence when that needs no detail; anything else as written. The same
 * reading as the core's `types::words::note`, for the command line.
 */
export function noteText(message: string): string {
  const said = readAs("note.", message);
  if (said !== null) return said;
  const sentence = dictionaries[current][`code.${message}` as Key];
  if (/^[a-z0-9_]+(\.[a-z0-9_]+)+$/.test(message) && sentence && !sentence.includes("{")) return sentence;
  return message;
}

/** `message`, the core's English, read against the English of the sentences
 * under `prefix` (the most literal reading wins), said in the window's
 * language with its variable parts carried over; null when none reads so. */
function readAs(prefix: string, message: string): string | null {
  let best: { literal: number; key: Key; vars: Record<string, string> } | null = null;
  for (const [key, template] of Object.entries(en) as [Key, string][]) {
    if (!key.startsWith(prefix)) continue;
    const vars = matched(template, message);
    if (!vars) continue;
    const literal = template.replace(/\{\w+\}/g, "").length;
    if (!best || literal > best.literal) best = { literal, key, vars };
  }
  if (!best) return null;
  const found = best;
  return dictionaries[current][found.key].replace(/\{(\w+)\}/g, (_, n: string) => found.vars[n] ?? "");
}

/** `message` read as `template` (`paid for order {order}`): its values, or null. */
function matched(template: string, message: string): Record<string, string> | null {
  const parts = template.split(/\{(\w+)\}/); // literal, name, literal, name, ..., literal
  if (!message.startsWith(parts[0])) return null;
  let rest = message.slice(parts[0].length);
  const vars: Record<string, string> = {};
  for (let i = 1; i < parts.length; i += 2) {
    const literal = parts[i + 1];
    const last = i + 2 >= parts.length;
    let end: number;
    if (last) {
      if (!rest.endsWith(literal)) return null;
      end = rest.length - literal.length;
    } else {
      if (literal === "") return null;
      end = rest.indexOf(literal);
      if (end < 0) return null;
    }
    vars[parts[i]] = rest.slice(0, end);
    rest = rest.slice(end + literal.length);
  }
  return rest === "" ? vars : null;
}

export type { Key };
