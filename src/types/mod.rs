//! The leaf types every layer speaks in: which provider, what kind of order,
//! its status, money in cents, a provider's configuration fields. They
//! import nothing of Comptoir but `error`.

pub mod cents;
pub mod countries;
mod order;
pub mod phone;
mod provider;
pub mod tax;
pub mod tender;
pub mod text;
pub mod units;
pub mod words;

pub use order::{OrderKind, OrderStatus};
pub use provider::{Field, FieldRole, ProviderId};
pub use tender::Tender;
