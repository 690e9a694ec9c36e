-- The software version the register last recorded is looked up at every
-- start: a partial index keeps that one row away from a scan of every
-- technical event (logins add up over the years).
CREATE INDEX register_software_version ON register(seq)
    WHERE chain = 'event' AND json_extract(payload, '$.event') = 'software_version';
