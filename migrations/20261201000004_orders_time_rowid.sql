-- Orders' rowids follow their time (make bench, a search at a million
-- orders): rowid = the order's millisecond since 1970 (UTC) shifted left by
-- 20 bits, plus its rank among orders of the same millisecond. The full-text
-- index shares the rowid, so the newest (or oldest) matches of a search are
-- read straight from it in order, and the first page stops at 50 however
-- many orders match: 118 ms for a term in a fifth of the journal before.
-- New orders get their key in journal::time_rowid (the same formula).
-- Nothing refers to an order by rowid (its history names its id), and the
-- full-text index is rebuilt below; its triggers are set aside meanwhile so
-- that a million renumberings are not a million index updates.

DROP TRIGGER orders_fts_insert;
DROP TRIGGER orders_fts_delete;
DROP TRIGGER orders_fts_update;

UPDATE orders SET rowid = keyed.key
FROM (
    SELECT rowid AS old,
           (ms << 20) + row_number() OVER (PARTITION BY ms ORDER BY rowid) - 1 AS key
    FROM (SELECT rowid, CAST(round(unixepoch(created_at, 'subsec') * 1000) AS INTEGER) AS ms FROM orders)
) AS keyed
WHERE orders.rowid = keyed.old;

INSERT INTO orders_fts (orders_fts) VALUES ('rebuild');

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
