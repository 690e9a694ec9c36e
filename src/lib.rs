//! Comptoir's core: everything the window and the `comptoir` CLI share.
//! No Tauri in here, so it builds and tests without WebKit. The layers,
//! from the bottom, and the rule that each imports only from below, are in
//! ARCHITECTURE.md; `tests/it/layers.rs` checks them.

// Leaf types.
pub mod error;
pub mod files;
pub mod paths;
pub mod types;

// Services.
pub mod accounts;
pub mod auth;
pub mod catalog;
pub mod config;
pub mod crypto;
pub mod http;
pub mod journal;
pub mod logging;
pub mod printer;
pub mod process;
pub mod qr;
pub mod seal;
pub mod secrets;
pub mod settings;
pub mod shop;
pub mod sim;

// Provider APIs, wire only.
pub mod providers;

// Domain.
pub mod cashier;
pub mod context;
pub mod counters;
pub mod esim;
pub mod giftcard;
pub mod lookup;
pub mod payments;
pub mod receipt;
pub mod register;
pub mod report;
pub mod sale;
pub mod seed;
pub mod tickets;
pub mod till;

// The one place that chooses per provider.
pub mod registry;

// What the shells call.
pub mod app;

pub use app::{Comptoir, Options};
pub use error::{Error, ErrorKind, Result};
