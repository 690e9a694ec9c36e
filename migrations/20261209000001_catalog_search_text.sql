-- Each item's searchable text (name, id, supplier, countries by code and
-- name, tags), folded (lower case, no accents) when the catalog is synced,
-- so that a search is a LIKE with its LIMIT in SQL instead of every row read
-- and folded in Rust on each keystroke. NULL: written before this column,
-- folded on the first search (the partial index finds them at once).
ALTER TABLE catalog_items ADD COLUMN search_text TEXT;
CREATE INDEX catalog_items_unfolded ON catalog_items (provider) WHERE search_text IS NULL;
