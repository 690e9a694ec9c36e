// Amounts and dates formatted for the chosen language.
import { locale } from "./i18n";

const tag = () => (locale() === "fr" ? "fr-FR" : "en-GB");

export function money(amount: number, currency = "EUR"): string {
  return new Intl.NumberFormat(tag(), { style: "currency", currency }).format(amount);
}

export function dateTime(rfc3339: string): string {
  return new Intl.DateTimeFormat(tag(), { dateStyle: "short", timeStyle: "short" }).format(new Date(rfc3339));
}

export function number(n: number): string {
  return new Intl.NumberFormat(tag(), { maximumFractionDigits: 1 }).format(n);
}

/** A calendar day (`YYYY-MM-DD`) in the chosen language, without time zone shifts. */
export function day(isoDay: string): string {
  const [y, m, d] = isoDay.split("-").map(Number);
  return new Intl.DateTimeFormat(tag(), { dateStyle: "long" }).format(new Date(y, m - 1, d));
}

/**
 * An amount as the cashier types it, in cents: `50`, `50,00`, `50.00`,
 * `1 234,50`, with or without `€` (the core's `parse_amount`). Null when
 * it is not an amount.
 */
export function parseAmount(text: string): number | null {
  const cleaned = text.trim().replace(/€/g, "").replace(/[\s\u00a0\u202f]/g, "");
  const m = cleaned.match(/^(\d{1,7})(?:[.,](\d{1,2}))?$/);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
}

/** Cents as the amount the cashier reads (`12,50 €`). */
export function cents(c: number, currency = "EUR"): string {
  return money(c / 100, currency);
}

/** Cents as typed back into a field, in the app's language (`12,50`, `12.50`). */
export function amountField(c: number): string {
  const text = (c / 100).toFixed(2);
  return locale() === "fr" ? text.replace(".", ",") : text;
}

/** A difference with its sign (`+13,00 €`, `-0,50 €`). */
export function signed(c: number, currency = "EUR"): string {
  return (c > 0 ? "+" : "") + cents(c, currency);
}

/** A time of day (`10:42`) in the chosen language. */
export function clock(rfc3339: string): string {
  return new Intl.DateTimeFormat(tag(), { timeStyle: "short" }).format(new Date(rfc3339));
}

/**
 * A line's number as the customer knows it: Orange keeps nine digits
 * (`684587587`), France writes `06 84 58 75 87`, Spain `612 34 56 78` (the
 * sale notes a Spanish line's `phone_country`); the core's `types::phone`.
 */
export function phone(stored: string | null | undefined, details?: unknown): string | null {
  if (!stored) return null;
  const country = details && typeof details === "object" ? (details as { phone_country?: unknown }).phone_country : null;
  // An eSIM's line comes from Orange already national (`0680655762`).
  if (country !== "ES" && /^0\d{9}$/.test(stored)) return stored.replace(/(\d\d)(?=\d)/g, "$1 ");
  if (!/^\d{9}$/.test(stored)) return stored;
  if (country === "ES") return `${stored.slice(0, 3)} ${stored.slice(3, 5)} ${stored.slice(5, 7)} ${stored.slice(7)}`;
  return `0${stored}`.replace(/(\d\d)(?=\d)/g, "$1 ");
}
