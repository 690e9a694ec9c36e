// The PIN pad: the accounts to tap, the code as dots, digits on screen;
// the keyboard's digits (numeric keypad included), Backspace and Enter
// work too. Used to sign in, after a lock, and for a manager's approval.
import type { Account } from "../api";
import { asCoreError } from "../api";
import { h, clear } from "../dom";
import { errorText, t, type Key } from "../i18n";

export interface PadOptions {
  id: string;
  title: string;
  hint: string;
  accounts: Account[];
  submit: (name: string, pin: string) => Promise<void>;
  cancel?: () => void;
}

/** The pad; `detach()` stops its keyboard listener. */
export function pinPad(o: PadOptions): { el: HTMLElement; detach: () => void } {
  let chosen = o.accounts.length === 1 ? o.accounts[0].name : "";
  let pin = "";
  let busy = false;
  const dots = h("div", { class: "pin-dots", id: `${o.id}-dots`, "aria-live": "polite" });
  const error = h("p", { class: "pin-error", id: `${o.id}-error`, role: "alert" });
  const names = h("div", { class: "pin-names" });
  const drawNames = () =>
    clear(
      names,
      o.accounts.map((a) =>
        h(
          "button",
          {
            class: a.name === chosen ? "pin-name chosen" : "pin-name",
            "data-name": a.name,
            type: "button",
            onclick: () => {
              chosen = a.name;
              pin = "";
              error.textContent = "";
              draw();
            },
          },
          h("span", { class: "who" }, a.name),
          h("span", { class: "role" }, t(`role.${a.role}` as Key)),
        ),
      ),
    );
  const draw = () => {
    drawNames();
    dots.textContent = pin ? "●".repeat(pin.length) : t("pin.code");
    dots.classList.toggle("empty", !pin);
  };
  const send = async () => {
    if (busy || !chosen || pin.length < 4) return;
    busy = true;
    try {
      await o.submit(chosen, pin);
    } catch (e) {
      error.textContent = errorText(asCoreError(e));
    } finally {
      pin = "";
      busy = false;
      draw();
    }
  };
  const press = (k: string) => {
    if (/^[0-9]$/.test(k) && pin.length < 8) pin += k;
    else if (k === "back") pin = pin.slice(0, -1);
    else if (k === "clear") pin = "";
    else if (k === "ok") return void send();
    draw();
  };
  const key = (label: string, k: string, cls = "") =>
    h("button", { type: "button", class: `pin-key ${cls}`, "data-key": k, onclick: () => press(k) }, label);
  const keys = h(
    "div",
    { class: "pin-keys" },
    ["1", "2", "3", "4", "5", "6", "7", "8", "9"].map((d) => key(d, d)),
    key("⌫", "back", "small"),
    key("0", "0"),
    key(t("pin.ok"), "ok", "primary"),
  );
  const onKey = (e: KeyboardEvent) => {
    if (!el.isConnected) return;
    // The numeric keypad's digits, whether Num Lock is on (a digit) or off
    // (an arrow: its code still says which key).
    const digit = /^[0-9]$/.test(e.key) ? e.key : /^Numpad[0-9]$/.test(e.code) ? e.code.slice(6) : null;
    if (digit) press(digit);
    else if (e.key === "Backspace") press("back");
    else if (e.key === "Enter") press("ok");
    else if (e.key === "Escape" && o.cancel) o.cancel();
    else return;
    e.preventDefault();
  };
  document.addEventListener("keydown", onKey);
  const el = h(
    "div",
    { class: "pin-pad", id: o.id },
    h("h2", {}, o.title),
    h("p", { class: "hint" }, o.hint),
    names,
    dots,
    keys,
    error,
    o.cancel && h("button", { type: "button", class: "pin-cancel", id: `${o.id}-cancel`, onclick: o.cancel }, t("pin.cancel")),
  );
  draw();
  return { el, detach: () => document.removeEventListener("keydown", onKey) };
}
