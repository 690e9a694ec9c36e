-- The journal: one table of orders for every provider, an append-only
-- history of every change, and a full-text index for the Orders screen.
-- Migrations are only ever added, never edited.

CREATE TABLE orders (
    id            TEXT PRIMARY KEY,          -- local id, also the provider-side reference
    provider      TEXT NOT NULL CHECK (provider IN ('orange-travel', 'amilon', 'internet-plus', 'anomalie-adresse')),
    kind          TEXT NOT NULL CHECK (kind IN ('esim', 'topup', 'giftcard', 'payment', 'subscription', 'ticket')),
    status        TEXT NOT NULL CHECK (status IN ('pending', 'processing', 'delivered', 'failed', 'unknown', 'refunded', 'cancelled')),
    product_id    TEXT,
    product_name  TEXT NOT NULL DEFAULT '',
    quantity      INTEGER NOT NULL DEFAULT 1 CHECK (quantity > 0),
    customer_ref  TEXT,
    phone         TEXT,
    sim_id        TEXT,
    iccid         TEXT,
    provider_ref  TEXT,
    amount_cents  INTEGER NOT NULL CHECK (amount_cents >= 0),   -- price to the customer
    cost_cents    INTEGER,                                      -- what the provider charges the shop
    fees_cents    INTEGER,
    currency      TEXT NOT NULL DEFAULT 'EUR',
    training      INTEGER NOT NULL CHECK (training IN (0, 1)),
    details       TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details)),  -- non-secret provider data
    sealed        TEXT,                      -- secrets as the provider sent them (ciphertext), decrypted on demand
    created_at    TEXT NOT NULL,             -- RFC 3339, UTC
    updated_at    TEXT NOT NULL
);

CREATE INDEX orders_created_at ON orders (created_at DESC);
CREATE INDEX orders_status ON orders (status) WHERE status IN ('pending', 'unknown', 'processing');
CREATE INDEX orders_provider_ref ON orders (provider, provider_ref);

CREATE TABLE order_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id     TEXT NOT NULL REFERENCES orders (id),
    at           TEXT NOT NULL,
    event        TEXT NOT NULL,              -- created, status, note, reveal, ...
    from_status  TEXT,
    to_status    TEXT,
    message      TEXT NOT NULL DEFAULT ''
);

CREATE INDEX order_events_order ON order_events (order_id, seq);

-- History is evidence: it is appended to, never rewritten.
CREATE TRIGGER order_events_no_update BEFORE UPDATE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;
CREATE TRIGGER order_events_no_delete BEFORE DELETE ON order_events
BEGIN SELECT RAISE(ABORT, 'order_events is append-only'); END;

CREATE VIRTUAL TABLE orders_fts USING fts5 (
    id, customer_ref, phone, sim_id, iccid, product_name, provider_ref,
    content = 'orders', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER orders_fts_insert AFTER INSERT ON orders BEGIN
    INSERT INTO orders_fts (rowid, id, customer_ref, phone, sim_id, iccid, product_name, provider_ref)
    VALUES (new.rowid, new.id, new.customer_ref, new.phone, new.sim_id, new.iccid, new.product_name, new.provider_ref);
END;
CREATE TRIGGER orders_fts_delete AFTER DELETE ON orders BEGIN
    INSERT INTO orders_fts (orders_fts, rowid, id, customer_ref, phone, sim_id, iccid, product_name, provider_ref)
    VALUES ('delete', old.rowid, old.id, old.customer_ref, old.phone, old.sim_id, old.iccid, old.product_name, old.provider_ref);
END;
CREATE TRIGGER orders_fts_update AFTER UPDATE ON orders BEGIN
    INSERT INTO orders_fts (orders_fts, rowid, id, customer_ref, phone, sim_id, iccid, product_name, provider_ref)
    VALUES ('delete', old.rowid, old.id, old.customer_ref, old.phone, old.sim_id, old.iccid, old.product_name, old.provider_ref);
    INSERT INTO orders_fts (rowid, id, customer_ref, phone, sim_id, iccid, product_name, provider_ref)
    VALUES (new.rowid, new.id, new.customer_ref, new.phone, new.sim_id, new.iccid, new.product_name, new.provider_ref);
END;
