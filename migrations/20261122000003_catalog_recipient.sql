-- How a top-up is addressed: 'msisdn' (a phone number) or 'sim_id'; NULL for
-- products that are not sent to a line (eSIMs, gift cards).
ALTER TABLE catalog_items ADD COLUMN recipient TEXT CHECK (recipient IN ('msisdn', 'sim_id'));
