-- The shop's shared journal: every counter's rows as its SQLite journal
-- holds them (same columns, same text timestamps, so a row pushed twice
-- compares equal to what is stored), plus the counter that wrote it. No
-- foreign keys: a counter's rows arrive in its own order and are never
-- refused for arriving before what they name.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE counters (
    counter      text PRIMARY KEY,
    first_push_at timestamptz NOT NULL DEFAULT now(),
    last_push_at timestamptz NOT NULL DEFAULT now(),
    -- The counter's register key (PEM), to verify its chains here.
    public_key   text
);

CREATE TABLE orders (
    id           text PRIMARY KEY,
    counter      text NOT NULL,
    provider     text NOT NULL,
    kind         text NOT NULL,
    status       text NOT NULL,
    product_id   text,
    product_name text NOT NULL,
    quantity     bigint NOT NULL,
    customer_ref text,
    phone        text,
    sim_id       text,
    iccid        text,
    provider_ref text,
    amount_cents bigint NOT NULL,
    cost_cents   bigint,
    fees_cents   bigint,
    currency     text NOT NULL,
    training     bigint NOT NULL,
    details      text NOT NULL,
    sealed       text,
    created_at   text NOT NULL,
    updated_at   text NOT NULL,
    cashier      text,
    -- Search: words (names, references, ids) by prefix in a `simple`
    -- tsvector; digits (phone, ICCID) by substring with trigrams.
    words tsvector GENERATED ALWAYS AS (to_tsvector('simple',
        coalesce(product_name, '') || ' ' || coalesce(customer_ref, '') || ' ' || id || ' ' ||
        coalesce(provider_ref, '') || ' ' || coalesce(cashier, '') || ' ' || counter || ' ' ||
        coalesce(iccid, '') || ' ' || coalesce(sim_id, '') || ' ' ||
        regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g'))) STORED,
    digits text GENERATED ALWAYS AS (
        regexp_replace(coalesce(phone, ''), '[^0-9]', '', 'g') || ' ' || coalesce(iccid, '') || ' ' || coalesce(sim_id, '')) STORED
);
CREATE INDEX orders_created ON orders (created_at DESC, id DESC);
CREATE INDEX orders_counter_created ON orders (counter, created_at DESC);
CREATE INDEX orders_words ON orders USING gin (words);
CREATE INDEX orders_digits ON orders USING gin (digits gin_trgm_ops);

CREATE TABLE order_events (
    counter     text NOT NULL,
    seq         bigint NOT NULL,
    order_id    text NOT NULL,
    at          text NOT NULL,
    event       text NOT NULL,
    from_status text,
    to_status   text,
    message     text NOT NULL,
    cashier     text,
    PRIMARY KEY (counter, seq)
);
CREATE INDEX order_events_order ON order_events (order_id);

CREATE TABLE shifts (
    id             text PRIMARY KEY,
    counter        text NOT NULL,
    opened_at      text NOT NULL,
    opened_by      text,
    float_cents    bigint NOT NULL,
    float_counted  bigint NOT NULL,
    closed_at      text,
    closed_by      text,
    counted_cents  bigint,
    expected_cents bigint
);

CREATE TABLE baskets (
    id         text PRIMARY KEY,
    counter    text NOT NULL,
    status     text NOT NULL,
    cashier    text,
    created_at text NOT NULL,
    ended_at   text,
    ended_by   text,
    receipt    text
);

CREATE TABLE basket_lines (
    counter    text NOT NULL,
    basket     text NOT NULL,
    line       bigint NOT NULL,
    kind       text NOT NULL,
    provider   text NOT NULL,
    product    text,
    name       text NOT NULL,
    quantity   bigint NOT NULL,
    unit_cents bigint NOT NULL,
    currency   text NOT NULL,
    msisdn     text,
    sim_id     text,
    added_at   text NOT NULL,
    removed_at text,
    failure    text,
    PRIMARY KEY (basket, line)
);

CREATE TABLE receipts (
    number       text PRIMARY KEY,
    counter      text NOT NULL,
    seq          bigint NOT NULL,
    basket       text NOT NULL,
    shift        text NOT NULL,
    cashier      text,
    total_cents  bigint NOT NULL,
    change_cents bigint NOT NULL,
    currency     text NOT NULL,
    customer_ref text,
    created_at   text NOT NULL,
    writer       text,
    settled_at   text,
    training     bigint NOT NULL,
    UNIQUE (counter, seq)
);
CREATE INDEX receipts_created ON receipts (created_at);

CREATE TABLE tenders (
    counter       text NOT NULL,
    receipt       text NOT NULL,
    tender        text NOT NULL,
    amount_cents  bigint NOT NULL,
    given_cents   bigint,
    authorisation text,
    PRIMARY KEY (receipt, tender)
);

CREATE TABLE till_refunds (
    counter      text NOT NULL,
    id           bigint NOT NULL,
    receipt      text NOT NULL,
    line         bigint NOT NULL,
    tender       text NOT NULL,
    amount_cents bigint NOT NULL,
    shift        text,
    cashier      text,
    created_at   text NOT NULL,
    reason       text NOT NULL,
    PRIMARY KEY (counter, id)
);
CREATE INDEX till_refunds_created ON till_refunds (created_at);

CREATE TABLE cash_moves (
    counter      text NOT NULL,
    id           bigint NOT NULL,
    shift        text NOT NULL,
    direction    text NOT NULL,
    amount_cents bigint NOT NULL,
    reason       text NOT NULL,
    cashier      text,
    created_at   text NOT NULL,
    PRIMARY KEY (counter, id)
);

CREATE TABLE register (
    counter    text NOT NULL,
    chain      text NOT NULL,
    seq        bigint NOT NULL,
    at         text NOT NULL,
    payload    text NOT NULL,
    prev_hash  text NOT NULL,
    hash       text NOT NULL,
    signature  text,
    written_at text NOT NULL,
    PRIMARY KEY (counter, chain, seq)
);

-- What a counter pushed that differs from what is stored under the same
-- key (a counter restored from an old backup, two counters with one
-- code): kept for the owner, the stored row never overwritten. One row per
-- distinct incoming version, however often it is pushed again.
CREATE TABLE conflicts (
    id       bigserial PRIMARY KEY,
    counter  text NOT NULL,
    topic    text NOT NULL,
    key      jsonb NOT NULL,
    stored   jsonb NOT NULL,
    incoming jsonb NOT NULL,
    at       timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX conflicts_once ON conflicts (topic, (key::text), md5(incoming::text));

-- Append-only: what the register and the till record is never changed or
-- deleted here either. Rows that grow (an order's status, a shift closed,
-- a receipt settled) are updated by the push alone, under its rules
-- (shop::postgres), and never deleted.
CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the shop''s journal is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
END $$;
CREATE TRIGGER register_append_only BEFORE UPDATE OR DELETE ON register FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER order_events_append_only BEFORE UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER tenders_append_only BEFORE UPDATE OR DELETE ON tenders FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER cash_moves_append_only BEFORE UPDATE OR DELETE ON cash_moves FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER conflicts_append_only BEFORE UPDATE OR DELETE ON conflicts FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER orders_kept BEFORE DELETE ON orders FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER receipts_kept BEFORE DELETE ON receipts FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER shifts_kept BEFORE DELETE ON shifts FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER baskets_kept BEFORE DELETE ON baskets FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER basket_lines_kept BEFORE DELETE ON basket_lines FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER till_refunds_kept BEFORE DELETE ON till_refunds FOR EACH ROW EXECUTE FUNCTION refuse_change();
