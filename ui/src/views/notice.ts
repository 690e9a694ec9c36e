import { h } from "../dom";

export function notice(text: string, level: "info" | "success" | "warning" | "error"): HTMLElement {
  return h("div", { class: `notice ${level}`, role: level === "error" ? "alert" : "status" }, text);
}
