-- The outbox (issue 24): what this counter has not yet shared with the
-- shop's database, written by triggers in the same transaction as the row
-- itself, so no write path can forget it and a crash loses neither. Off
-- until a database is set (share_state 'sharing'); turning it on queues
-- the whole history once (shop::outbox::start). A row is named by its key
-- as a JSON array and read again when pushed, so an order changed three
-- times before a push is sent once, as it is now.
CREATE TABLE outbox (
    seq   INTEGER PRIMARY KEY AUTOINCREMENT,
    topic TEXT NOT NULL,
    key   TEXT NOT NULL,
    -- When it was queued: the oldest unshared sale the cashier is told of.
    at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE TABLE share_state (key TEXT PRIMARY KEY, value TEXT NOT NULL);

CREATE TRIGGER orders_outbox_insert AFTER INSERT ON orders
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('orders', json_array(NEW.id)); END;

CREATE TRIGGER orders_outbox_update AFTER UPDATE ON orders
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('orders', json_array(NEW.id)); END;

CREATE TRIGGER order_events_outbox_insert AFTER INSERT ON order_events
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('order_events', json_array(NEW.seq)); END;

CREATE TRIGGER shifts_outbox_insert AFTER INSERT ON shifts
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('shifts', json_array(NEW.id)); END;

CREATE TRIGGER shifts_outbox_update AFTER UPDATE ON shifts
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('shifts', json_array(NEW.id)); END;

CREATE TRIGGER baskets_outbox_insert AFTER INSERT ON baskets
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('baskets', json_array(NEW.id)); END;

CREATE TRIGGER baskets_outbox_update AFTER UPDATE ON baskets
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('baskets', json_array(NEW.id)); END;

CREATE TRIGGER basket_lines_outbox_insert AFTER INSERT ON basket_lines
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('basket_lines', json_array(NEW.basket, NEW.line)); END;

CREATE TRIGGER basket_lines_outbox_update AFTER UPDATE ON basket_lines
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('basket_lines', json_array(NEW.basket, NEW.line)); END;

CREATE TRIGGER receipts_outbox_insert AFTER INSERT ON receipts
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('receipts', json_array(NEW.number)); END;

CREATE TRIGGER receipts_outbox_update AFTER UPDATE ON receipts
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('receipts', json_array(NEW.number)); END;

CREATE TRIGGER tenders_outbox_insert AFTER INSERT ON tenders
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('tenders', json_array(NEW.receipt, NEW.tender)); END;

CREATE TRIGGER till_refunds_outbox_insert AFTER INSERT ON till_refunds
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('till_refunds', json_array(NEW.id)); END;

CREATE TRIGGER till_refunds_outbox_update AFTER UPDATE ON till_refunds
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('till_refunds', json_array(NEW.id)); END;

CREATE TRIGGER cash_moves_outbox_insert AFTER INSERT ON cash_moves
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('cash_moves', json_array(NEW.id)); END;

CREATE TRIGGER register_outbox_insert AFTER INSERT ON register
WHEN EXISTS (SELECT 1 FROM share_state WHERE key = 'sharing')
BEGIN INSERT INTO outbox (topic, key) VALUES ('register', json_array(NEW.chain, NEW.seq)); END;
