-- Gift cards: the retailer's logo (a file name in the data folder's image
-- cache, shown offline) and the quantities the provider allows per order.
ALTER TABLE catalog_items ADD COLUMN logo TEXT;
ALTER TABLE catalog_items ADD COLUMN min_quantity INTEGER;
ALTER TABLE catalog_items ADD COLUMN max_quantity INTEGER;
