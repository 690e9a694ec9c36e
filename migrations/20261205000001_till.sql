-- The till: shifts (the drawer from its float to its count), baskets and
-- their lines, receipts with their payments, refunds and cash moves.
-- Nothing here is deleted: an abandoned basket and a removed line are
-- marked, a refund is a row of its own.

CREATE TABLE shifts (
    id TEXT PRIMARY KEY,
    counter TEXT NOT NULL,
    opened_at TEXT NOT NULL,
    opened_by TEXT,
    float_cents INTEGER NOT NULL,
    -- 0: opened by a sale with nobody counting the drawer.
    float_counted INTEGER NOT NULL,
    closed_at TEXT,
    closed_by TEXT,
    counted_cents INTEGER,
    expected_cents INTEGER
);
-- One open shift per counter, whoever opens it.
CREATE UNIQUE INDEX shifts_open ON shifts(counter) WHERE closed_at IS NULL;

CREATE TABLE baskets (
    id TEXT PRIMARY KEY,
    counter TEXT NOT NULL,
    -- open, paid, abandoned
    status TEXT NOT NULL,
    cashier TEXT,
    created_at TEXT NOT NULL,
    ended_at TEXT,
    ended_by TEXT,
    receipt TEXT
);
CREATE UNIQUE INDEX baskets_open ON baskets(counter) WHERE status = 'open';

CREATE TABLE basket_lines (
    basket TEXT NOT NULL REFERENCES baskets(id),
    line INTEGER NOT NULL,
    -- esim, topup, giftcard
    kind TEXT NOT NULL,
    provider TEXT NOT NULL,
    product TEXT NOT NULL,
    name TEXT NOT NULL,
    quantity INTEGER NOT NULL,
    unit_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    msisdn TEXT,
    sim_id TEXT,
    added_at TEXT NOT NULL,
    removed_at TEXT,
    -- The error code of a line refused before any order was written (an
    -- offer gone from the catalog), or `till.not_sent` for one whose
    -- buyer died before sending it.
    failure TEXT,
    PRIMARY KEY (basket, line)
);

CREATE TABLE receipts (
    number TEXT PRIMARY KEY,
    counter TEXT NOT NULL,
    seq INTEGER NOT NULL,
    basket TEXT NOT NULL REFERENCES baskets(id),
    shift TEXT NOT NULL REFERENCES shifts(id),
    cashier TEXT,
    total_cents INTEGER NOT NULL,
    change_cents INTEGER NOT NULL,
    currency TEXT NOT NULL,
    customer_ref TEXT,
    created_at TEXT NOT NULL,
    -- The process buying its lines (process::me), to tell one still
    -- buying from one that died.
    writer TEXT,
    -- Set once every line is delivered, or refunded.
    settled_at TEXT,
    UNIQUE (counter, seq)
);
CREATE INDEX receipts_shift ON receipts(shift);
CREATE INDEX receipts_open ON receipts(settled_at) WHERE settled_at IS NULL;

CREATE TABLE tenders (
    receipt TEXT NOT NULL REFERENCES receipts(number),
    tender TEXT NOT NULL,
    -- What this means pays of the total (cash: handed over minus change).
    amount_cents INTEGER NOT NULL,
    -- Cash: what the customer handed over.
    given_cents INTEGER,
    authorisation TEXT,
    PRIMARY KEY (receipt, tender)
);

CREATE TABLE till_refunds (
    id INTEGER PRIMARY KEY,
    receipt TEXT NOT NULL REFERENCES receipts(number),
    line INTEGER NOT NULL,
    tender TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    -- The shift open when it was given back (NULL until one opens).
    shift TEXT REFERENCES shifts(id),
    cashier TEXT,
    created_at TEXT NOT NULL,
    reason TEXT NOT NULL,
    UNIQUE (receipt, line, tender)
);
CREATE INDEX till_refunds_shift ON till_refunds(shift);

CREATE TABLE cash_moves (
    id INTEGER PRIMARY KEY,
    shift TEXT NOT NULL REFERENCES shifts(id),
    -- in, out
    direction TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    reason TEXT NOT NULL,
    cashier TEXT,
    created_at TEXT NOT NULL
);

-- A receipt's orders, found by the receipt their details name.
CREATE INDEX orders_receipt ON orders(json_extract(details, '$.receipt'))
    WHERE json_extract(details, '$.receipt') IS NOT NULL;
