-- The Orders screen sorts by amount too; this keeps such a page instant on a
-- large journal as orders_created_at does for the date.
CREATE INDEX orders_amount ON orders (amount_cents DESC, created_at DESC);
