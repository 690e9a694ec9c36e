//! CSV export of the journal: the columns are documented in the README and
//! stay in this order (spreadsheets and the import rely on them).

use super::{cents, Order};
use crate::error::Result;
use std::io::Write;

/// The last column, `cashier` (who sold), came with accounts: a file from
/// before them has the first 19 and still imports.
pub const CSV_COLUMNS: [&str; 20] = [
    "id",
    "created_at",
    "updated_at",
    "provider",
    "kind",
    "status",
    "provider_ref",
    "product_id",
    "product_name",
    "quantity",
    "amount",
    "cost",
    "fees",
    "currency",
    "customer_ref",
    "phone",
    "sim_id",
    "iccid",
    "training",
    "cashier",
];

/// Writes orders as UTF-8 CSV with a header. `delimiter` is `,` or `;`
/// (French spreadsheet software expects `;`).
/// What a spreadsheet reads as the start of a formula (and the guard itself).
pub const FORMULA_STARTS: &[char] = &['=', '+', '-', '@', '\t', '\r', '\''];

/// A text cell a spreadsheet shows as text: one leading `'` before what
/// would start a formula (`=HYPERLINK(...)` in a customer reference, a
/// phone `+33...`); `import orders` takes it off again.
pub fn text_cell(v: &str) -> String {
    if v.starts_with(FORMULA_STARTS) {
        format!("'{v}")
    } else {
        v.to_string()
    }
}

pub fn write_csv<W: Write>(out: W, orders: &[Order], delimiter: u8) -> Result<()> {
    let mut csv = CsvOut::new(out, delimiter)?;
    orders.iter().try_for_each(|o| csv.write(o))?;
    csv.finish()
}

/// The journal's CSV written one order at a time (an export streams
/// every order of the journal through it).
pub struct CsvOut<W: Write> {
    w: csv::Writer<W>,
    /// `,` with the `;` delimiter (the French convention), else `.`.
    decimal_comma: bool,
}

fn csv_err(e: csv::Error) -> crate::error::Error {
    crate::files::csv_error(None, "export.write", e)
}

impl<W: Write> CsvOut<W> {
    /// Starts the file with its header.
    pub fn new(out: W, delimiter: u8) -> Result<Self> {
        let mut w = csv::WriterBuilder::new().delimiter(delimiter).from_writer(out);
        w.write_record(CSV_COLUMNS).map_err(csv_err)?;
        Ok(CsvOut {
            w,
            decimal_comma: delimiter == b';',
        })
    }

    pub fn write(&mut self, o: &Order) -> Result<()> {
        let opt = |v: &Option<String>| text_cell(v.as_deref().unwrap_or_default());
        // With `;` (a French spreadsheet's), amounts take a decimal comma;
        // `import orders` reads either.
        let amount = |c: i64| {
            let s = cents::format(c);
            if self.decimal_comma {
                s.replace('.', ",")
            } else {
                s
            }
        };
        let money = |v: Option<i64>| v.map(amount).unwrap_or_default();
        self.w
            .write_record([
                o.id.clone(),
                o.created_at.clone(),
                o.updated_at.clone(),
                o.provider.as_str().to_string(),
                o.kind.as_str().to_string(),
                o.status.as_str().to_string(),
                opt(&o.provider_ref),
                opt(&o.product_id),
                text_cell(&o.product_name),
                o.quantity.to_string(),
                amount(o.amount_cents),
                money(o.cost_cents),
                money(o.fees_cents),
                o.currency.clone(),
                opt(&o.customer_ref),
                opt(&o.phone_for_people()),
                opt(&o.sim_id),
                opt(&o.iccid),
                o.training.to_string(),
                opt(&o.cashier),
            ])
            .map_err(csv_err)
    }

    /// Flushes what is buffered; a failure (a full disk) is an error here.
    pub fn finish(mut self) -> Result<()> {
        self.w
            .flush()
            .map_err(|e| crate::files::io_error(std::path::Path::new("the export"), "export.write", &e))
    }
}
