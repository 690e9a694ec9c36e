-- The countries an eSIM covers, by name (Orange's Country objects or its
-- /countries list), so the counter's search finds "Espagne" as well as ES.
ALTER TABLE catalog_items ADD COLUMN country_names TEXT NOT NULL DEFAULT '';
