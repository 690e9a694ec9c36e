-- Last answers of provider lookups (SIM status, usage balances), so support
-- can show them with their age when the network is down.
CREATE TABLE provider_cache (
    key         TEXT PRIMARY KEY,    -- e.g. 'orange-travel:simstatus:<order id>'
    data        TEXT NOT NULL CHECK (json_valid(data)),
    fetched_at  TEXT NOT NULL
);
