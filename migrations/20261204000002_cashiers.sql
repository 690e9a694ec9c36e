-- Cashiers, their sessions, and who did what (issue 21). The PIN is kept
-- only as an argon2id hash (with its salt, PHC string), in this table alone.
CREATE TABLE cashiers (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'manager', 'cashier')),
    pin_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    failures INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT,
    created_at TEXT NOT NULL
);

-- A command-line session: its token's SHA-256 (the token is in the data
-- folder's session file), whose it is, and when it was last used.
CREATE TABLE cashier_sessions (
    token_hash TEXT PRIMARY KEY,
    cashier_id INTEGER NOT NULL REFERENCES cashiers (id),
    started_at TEXT NOT NULL,
    last_used TEXT NOT NULL,
    ended_at TEXT
);

-- What a cashier did or tried that is not an order event: sign-ins, locks,
-- refusals, approvals, settings and key operations. Appended only.
CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    cashier TEXT,
    action TEXT NOT NULL,
    allowed INTEGER NOT NULL,
    approved_by TEXT,
    subject TEXT,
    detail TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_at ON audit (at);

-- Who sold an order, and who did each later step.
ALTER TABLE orders ADD COLUMN cashier TEXT;
ALTER TABLE order_events ADD COLUMN cashier TEXT;
