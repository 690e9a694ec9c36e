-- Catalog cache: what each provider sells, as last synced, for offline display.
CREATE TABLE catalog_items (
    provider            TEXT NOT NULL,
    id                  TEXT NOT NULL,
    type                TEXT NOT NULL CHECK (type IN ('esim', 'topup', 'giftcard')),
    name                TEXT NOT NULL,
    price_cents         INTEGER NOT NULL,
    cost_cents          INTEGER,
    currency            TEXT NOT NULL,
    stock               INTEGER,
    available           INTEGER NOT NULL CHECK (available IN (0, 1)),
    unavailable_reason  TEXT,
    supplier            TEXT,
    countries           TEXT NOT NULL DEFAULT '',    -- space-separated ISO codes
    data_gb             REAL,
    validity_days       REAL,
    tags                TEXT NOT NULL DEFAULT '',
    raw                 TEXT NOT NULL CHECK (json_valid(raw)),  -- the provider's item as sent
    synced_at           TEXT NOT NULL,
    PRIMARY KEY (provider, id)
);

CREATE TABLE catalog_syncs (
    provider   TEXT PRIMARY KEY,
    synced_at  TEXT NOT NULL,
    items      INTEGER NOT NULL
);
