//! Comptoir's core: everything the window and the `comptoir` CLI share.
//! No Tauri in here, so it builds and tests without WebKit.

pub mod error;
pub mod journal;
pub mod paths;
pub mod providers;
pub mod secrets;
pub mod settings;

pub use error::{Error, ErrorKind, Result};
