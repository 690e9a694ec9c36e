//! Comptoir's core: everything the window and the `comptoir` CLI share.
//! No Tauri in here, so it builds and tests without WebKit.

pub mod app;
pub mod auth;
pub mod catalog;
pub mod crypto;
pub mod error;
pub mod esim;
pub mod giftcard;
pub mod http;
pub mod journal;
pub mod logging;
pub mod lookup;
pub mod paths;
pub mod printer;
pub mod providers;
pub mod qr;
pub mod report;
pub mod sale;
pub mod seal;
pub mod secrets;
pub mod seed;
pub mod settings;
pub mod sim;
pub mod ticket;

pub use app::{Comptoir, Options};
pub use error::{Error, ErrorKind, Result};
