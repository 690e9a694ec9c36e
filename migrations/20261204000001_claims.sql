-- Who is acting on a subject right now (a payment being delivered): one
-- row per subject, taken inside a write transaction so that exactly one
-- process wins. `holder` is the process (pid, start, boot, token) while it
-- acts, NULL once it let go; a holder that died is taken over.
CREATE TABLE claims (
    subject TEXT PRIMARY KEY,
    holder TEXT,
    taken_at TEXT NOT NULL
);
