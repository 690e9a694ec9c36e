-- The register (French anti-fraud rules for tills): one gap-free chain
-- per kind of record, each record's hash over the previous one's and its
-- values, signed. Nothing here is ever updated or deleted: the triggers
-- refuse it, whoever asks.
CREATE TABLE register (
    chain TEXT NOT NULL,
    seq INTEGER NOT NULL,
    -- Local time with its offset, to the second: what the record says.
    at TEXT NOT NULL,
    counter TEXT NOT NULL,
    -- The record's values in canonical form (sorted-key compact JSON).
    payload TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL,
    -- Ed25519 over the hash, base64 (NULL: written with no key at hand).
    signature TEXT,
    written_at TEXT NOT NULL,
    PRIMARY KEY (chain, seq)
);
CREATE INDEX register_receipt ON register(json_extract(payload, '$.receipt')) WHERE chain IN ('refund', 'print');

CREATE TRIGGER register_append_only_update BEFORE UPDATE ON register
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: a correction is a new record');
END;
CREATE TRIGGER register_append_only_delete BEFORE DELETE ON register
BEGIN
    SELECT RAISE(ABORT, 'the register is append-only: nothing is deleted');
END;

-- When the register began: receipts and refunds from before it (none in
-- a shop's life, only on a journal that tried the till before the
-- register existed) have no record to be checked against. Written once.
CREATE TABLE register_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO register_meta (key, value) VALUES ('started_at', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
CREATE TRIGGER register_meta_fixed_update BEFORE UPDATE ON register_meta
BEGIN
    SELECT RAISE(ABORT, 'the register''s start is written once');
END;
CREATE TRIGGER register_meta_fixed_delete BEFORE DELETE ON register_meta
BEGIN
    SELECT RAISE(ABORT, 'the register''s start is written once');
END;
