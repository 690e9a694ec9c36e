-- The Orders screen's kind filter at a million orders (make bench): its
-- count read from an index rather than from the orders themselves, and
-- its first page in date order or amount order read from an index in that
-- order (gift cards, highest first: p95 5.3 ms for the page and its count
-- with no kind index; 300 ms with the date index alone, which SQLite then
-- chose and sorted a quarter of the journal by amount).
CREATE INDEX orders_kind_created ON orders (kind, created_at DESC);
CREATE INDEX orders_kind_amount ON orders (kind, amount_cents DESC, created_at DESC);
