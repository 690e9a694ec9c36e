//! Structured logs with `tracing`, to a file in the data folder that rolls
//! over every day (14 days kept). Nothing secret is ever logged: secrets are
//! `Secret` values, which print as `***`.

use crate::error::Result;
use crate::paths::logs_dir;
use std::path::Path;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::{fmt, prelude::*, EnvFilter};

/// Starts logging; keep the guard alive for the life of the process (it
/// flushes the file on drop). `COMPTOIR_LOG` sets the level (default `info`).
pub fn init(data_dir: &Path) -> Result<WorkerGuard> {
    crate::files::private_dir(data_dir)?;
    let dir = logs_dir(data_dir);
    crate::files::private_dir(&dir)?;
    let appender = tracing_appender::rolling::Builder::new()
        .rotation(tracing_appender::rolling::Rotation::DAILY)
        .filename_prefix("comptoir")
        .filename_suffix("log")
        .max_log_files(14)
        .build(&dir)
        .map_err(|e| crate::error::Error::internal("logging.init", format!("cannot open the log folder: {e}")))?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("COMPTOIR_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    // A second init in one process (tests) keeps the first subscriber.
    let _ = tracing_subscriber::registry()
        .with(filter)
        .with(fmt::layer().with_writer(writer).with_ansi(false).with_target(false))
        .try_init();
    Ok(guard)
}
