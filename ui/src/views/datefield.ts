// A day typed and shown in the app's language (`31/12/2026` in French and
// in English as the window writes it), never in WebKit's own locale: a
// date input follows the system's, which showed 12/01/2026, month first, in
// a French window. The day itself is kept as ISO (`2026-12-31`) in
// `dataset.iso` for the core; a day that does not exist is marked invalid.
import { h } from "../dom";
import { locale, t, type Key } from "../i18n";

function shown(iso: string): string {
  const [y, m, d] = iso.split("-");
  return iso ? `${d}/${m}/${y}` : "";
}

/** `31/12/2026`, `31/12/26`, `31.12.2026`, `31-12-2026` → `2026-12-31`; `""` → `""`. */
export function parseDay(text: string): string | null {
  const v = text.trim();
  if (!v) return "";
  const m = v.match(/^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/);
  if (!m) return null;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3].length === 2 ? `20${m[3]}` : m[3])];
  const date = new Date(y, mo - 1, d);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** Sets a field made by `dateField` to an ISO day. */
export function setDay(el: HTMLInputElement, iso: string): void {
  el.dataset.iso = iso;
  el.value = shown(iso);
  el.removeAttribute("aria-invalid");
}

export function dateField(id: string, label: Key, iso = ""): HTMLInputElement {
  const el = h("input", {
    id,
    class: "date-field",
    inputmode: "numeric",
    autocomplete: "off",
    "aria-label": t(label),
    placeholder: locale() === "fr" ? "jj/mm/aaaa" : "dd/mm/yyyy",
    value: shown(iso),
  });
  el.dataset.iso = iso;
  el.addEventListener("change", (ev) => {
    const day = parseDay(el.value);
    if (day === null) {
      // Not a day: said, and the filter is not changed.
      el.setAttribute("aria-invalid", "true");
      el.title = t("date.invalid");
      ev.stopImmediatePropagation();
      return;
    }
    el.removeAttribute("aria-invalid");
    el.title = "";
    el.dataset.iso = day;
    el.value = shown(day);
  });
  return el;
}
