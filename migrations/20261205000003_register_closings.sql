-- Training receipts are dummies: recorded in their own chain, in no total.
ALTER TABLE receipts ADD COLUMN training INTEGER NOT NULL DEFAULT 0;
-- A receipt's record found by its number (refunds take their line's tax
-- from it; the ticket prints its signature's extract).
CREATE INDEX register_number ON register(json_extract(payload, '$.number')) WHERE chain IN ('receipt', 'training');
CREATE INDEX register_training_receipt ON register(json_extract(payload, '$.receipt')) WHERE chain = 'training';
-- Closings found by kind and period.
CREATE INDEX register_closing ON register(json_extract(payload, '$.kind'), json_extract(payload, '$.period')) WHERE chain = 'closing';
