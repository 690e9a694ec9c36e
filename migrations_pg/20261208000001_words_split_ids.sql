-- Ids and references are searched by their parts (`CPT-261205-C1-9103MT`
-- by `9103MT` or whole): PostgreSQL's parser read `-261205` as a negative
-- number, so a whole id typed into the search found nothing. Hyphens,
-- slashes, dots and underscores become spaces before the words are made.
ALTER TABLE orders DROP COLUMN words;
ALTER TABLE orders ADD COLUMN words tsvector GENERATED ALWAYS AS (to_tsvector('simple', translate(
    coalesce(product_name, '') || ' ' || coalesce(customer_ref, '') || ' ' || id || ' ' ||
    coalesce(provider_ref, '') || ' ' || coalesce(cashier, '') || ' ' || counter || ' ' ||
    coalesce(iccid, '') || ' ' || coalesce(sim_id, '') || ' ' ||
    regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'), '-/._', '    '))) STORED;
CREATE INDEX orders_words ON orders USING gin (words);
