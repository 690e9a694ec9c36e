// The core's errors by their stable code (`code.<code>`), kept in
// errors.json: the command line (the core's `types::words`) reads the same
// table, so a French shop reads the same sentence in the window and the
// terminal.
import table from "./errors.json";

export const fr = table.fr;
export const en: Record<keyof typeof fr, string> = table.en;
