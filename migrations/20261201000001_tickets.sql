-- Anomalie Adresse tickets the shop filed or read, as last read from the
-- operator: searchable offline with the same full-text search as orders.
-- Migrations are only ever added, never edited.

CREATE TABLE tickets (
    id           TEXT PRIMARY KEY,           -- the operator's id
    training     INTEGER NOT NULL CHECK (training IN (0, 1)),
    kind         TEXT NOT NULL DEFAULT '',   -- @type
    status       TEXT NOT NULL DEFAULT '',
    name         TEXT NOT NULL DEFAULT '',
    external_id  TEXT,                       -- Comptoir's reference (externalId)
    buildings    TEXT NOT NULL DEFAULT '',   -- building ids, space separated
    address      TEXT NOT NULL DEFAULT '',   -- the address as one line
    customer     TEXT,                       -- who asked at the counter (kept here only)
    etag         TEXT,                       -- sent back in If-Match
    data         TEXT NOT NULL CHECK (json_valid(data)),  -- the ticket as last read, status history included
    created_at   TEXT NOT NULL,
    read_at      TEXT NOT NULL               -- when Comptoir last read it
);

CREATE INDEX tickets_read_at ON tickets (training, read_at DESC);

CREATE TABLE ticket_notes (
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    id         TEXT NOT NULL,
    data       TEXT NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (ticket_id, id)
);

CREATE TABLE ticket_attachments (
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    id         TEXT NOT NULL,
    data       TEXT NOT NULL CHECK (json_valid(data)),
    PRIMARY KEY (ticket_id, id)
);

-- Where the event feed was last read up to, per mode.
CREATE TABLE ticket_feed (
    training   INTEGER PRIMARY KEY CHECK (training IN (0, 1)),
    last_time  TEXT NOT NULL
);

CREATE VIRTUAL TABLE tickets_fts USING fts5 (
    id, name, external_id, buildings, address, customer,
    content = 'tickets', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
    INSERT INTO tickets_fts (rowid, id, name, external_id, buildings, address, customer)
    VALUES (new.rowid, new.id, new.name, new.external_id, new.buildings, new.address, new.customer);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, id, name, external_id, buildings, address, customer)
    VALUES ('delete', old.rowid, old.id, old.name, old.external_id, old.buildings, old.address, old.customer);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE ON tickets BEGIN
    INSERT INTO tickets_fts (tickets_fts, rowid, id, name, external_id, buildings, address, customer)
    VALUES ('delete', old.rowid, old.id, old.name, old.external_id, old.buildings, old.address, old.customer);
    INSERT INTO tickets_fts (rowid, id, name, external_id, buildings, address, customer)
    VALUES (new.rowid, new.id, new.name, new.external_id, new.buildings, new.address, new.customer);
END;
