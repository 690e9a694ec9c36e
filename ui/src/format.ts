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
