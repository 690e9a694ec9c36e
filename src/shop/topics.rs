//! The one table of what a counter shares: each topic is a table of the
//! journal, the same table in the shop's database, its key, its columns,
//! and the rule for a row pushed again with other values. The outbox's
//! triggers (migrations/…_outbox.sql) and the PostgreSQL schema
//! (migrations_pg/) name the same tables and keys.

/// What a row pushed again under a stored key may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Nothing: any difference is a conflict (the register, events, payments).
    Fixed,
    /// Everything but `frozen`, when its `updated_at` is later (an order
    /// whose status moved on at its own counter).
    Newer { frozen: &'static [&'static str] },
    /// Only what was empty (a shift closed, a receipt settled, a basket
    /// paid): every value already stored must come back the same.
    FillIn,
}

#[derive(Debug)]
pub struct Topic {
    pub name: &'static str,
    pub key: &'static [&'static str],
    /// The journal's columns, in order (the shop's table adds `counter`
    /// where the journal's has none).
    pub columns: &'static [&'static str],
    /// Whether the journal's table has its own `counter` column.
    pub has_counter: bool,
    pub rule: Rule,
}

/// In the order a batch is written (what is named before what names it).
pub const TOPICS: &[Topic] = &[
    Topic {
        name: "shifts",
        key: &["id"],
        columns: &[
            "id",
            "counter",
            "opened_at",
            "opened_by",
            "float_cents",
            "float_counted",
            "closed_at",
            "closed_by",
            "counted_cents",
            "expected_cents",
        ],
        has_counter: true,
        rule: Rule::FillIn,
    },
    Topic {
        name: "baskets",
        key: &["id"],
        columns: &[
            "id",
            "counter",
            "status",
            "cashier",
            "created_at",
            "ended_at",
            "ended_by",
            "receipt",
        ],
        has_counter: true,
        // An open basket is paid or abandoned once: its status moves on.
        rule: Rule::Newer {
            frozen: &["id", "counter", "created_at"],
        },
    },
    Topic {
        name: "basket_lines",
        key: &["basket", "line"],
        columns: &[
            "basket",
            "line",
            "kind",
            "provider",
            "product",
            "name",
            "quantity",
            "unit_cents",
            "currency",
            "msisdn",
            "sim_id",
            "added_at",
            "removed_at",
            "failure",
        ],
        has_counter: false,
        rule: Rule::FillIn,
    },
    Topic {
        name: "orders",
        key: &["id"],
        columns: &[
            "id",
            "provider",
            "kind",
            "status",
            "product_id",
            "product_name",
            "quantity",
            "customer_ref",
            "phone",
            "sim_id",
            "iccid",
            "provider_ref",
            "amount_cents",
            "cost_cents",
            "fees_cents",
            "currency",
            "training",
            "details",
            "sealed",
            "created_at",
            "updated_at",
            "cashier",
        ],
        has_counter: false,
        rule: Rule::Newer {
            frozen: &["id", "counter", "provider", "kind", "created_at"],
        },
    },
    Topic {
        name: "order_events",
        key: &["seq"],
        columns: &[
            "seq",
            "order_id",
            "at",
            "event",
            "from_status",
            "to_status",
            "message",
            "cashier",
        ],
        has_counter: false,
        rule: Rule::Fixed,
    },
    Topic {
        name: "receipts",
        key: &["number"],
        columns: &[
            "number",
            "counter",
            "seq",
            "basket",
            "shift",
            "cashier",
            "total_cents",
            "change_cents",
            "currency",
            "customer_ref",
            "created_at",
            "writer",
            "settled_at",
            "training",
        ],
        has_counter: true,
        rule: Rule::FillIn,
    },
    Topic {
        name: "tenders",
        key: &["receipt", "tender"],
        columns: &["receipt", "tender", "amount_cents", "given_cents", "authorisation"],
        has_counter: false,
        rule: Rule::Fixed,
    },
    Topic {
        name: "till_refunds",
        key: &["id"],
        columns: &[
            "id",
            "receipt",
            "line",
            "tender",
            "amount_cents",
            "shift",
            "cashier",
            "created_at",
            "reason",
        ],
        has_counter: false,
        rule: Rule::FillIn,
    },
    Topic {
        name: "cash_moves",
        key: &["id"],
        columns: &[
            "id",
            "shift",
            "direction",
            "amount_cents",
            "reason",
            "cashier",
            "created_at",
        ],
        has_counter: false,
        rule: Rule::Fixed,
    },
    Topic {
        name: "register",
        key: &["chain", "seq"],
        columns: &[
            "chain",
            "seq",
            "at",
            "counter",
            "payload",
            "prev_hash",
            "hash",
            "signature",
            "written_at",
        ],
        has_counter: true,
        rule: Rule::Fixed,
    },
];

impl Topic {
    pub fn named(name: &str) -> Option<&'static Topic> {
        TOPICS.iter().find(|t| t.name == name)
    }

    /// The key in the shop's database: a counter's own numbers (events,
    /// refunds, cash moves, register records) are unique per counter only.
    pub fn shop_key(&self) -> Vec<&'static str> {
        let per_counter = matches!(self.name, "order_events" | "till_refunds" | "cash_moves" | "register");
        let mut k = Vec::new();
        if per_counter {
            k.push("counter");
        }
        k.extend(self.key.iter().copied());
        k
    }

    /// The shop's columns: the journal's, with `counter` added.
    pub fn shop_columns(&self) -> Vec<&'static str> {
        let mut c: Vec<&'static str> = self.columns.to_vec();
        if !self.has_counter {
            c.push("counter");
        }
        c
    }
}
