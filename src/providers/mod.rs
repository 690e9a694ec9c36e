//! One folder per provider API, wire only: its model (the document's field
//! names), its client (HTTP), its simulator, and its configuration fields.
//! Nothing here imports the app, a domain module or another provider.

pub mod amilon;
pub mod anomalie_adresse;
pub mod internet_plus;
pub mod orange_travel;

pub use crate::config::{Mode, ProviderConfig};
pub use crate::types::{Field, FieldRole, ProviderId};
