//! The training world kept in the data folder: what each simulated provider
//! knows of the shop (stock, transactions, the shop's key, orders...), so a
//! walkthrough in separate CLI commands behaves like the window. One file a
//! provider under `training/`, written atomically after every request the
//! simulators serve, read when a process starts them.
//!
//! A long-lived process (the window, `comptoir sim`) also registers itself
//! in `training/host.json`; another process of the same installation then
//! uses those simulators instead of starting its own, so the window and a
//! CLI command live in one world at the same moment.

use crate::types::ProviderId;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where an installation keeps its training world.
pub fn dir(data_dir: &Path) -> PathBuf {
    data_dir.join("training")
}

/// Each provider's side of the world, as the registry gathers it.
pub type Snapshot = Arc<dyn Fn() -> Vec<(ProviderId, Value)> + Send + Sync>;

/// What the saving middleware needs: how to take the world, and where to put it.
#[derive(Clone)]
pub struct Keeper {
    pub snapshot: Snapshot,
    pub dir: PathBuf,
    /// One save at a time within the process (a save is a few small files).
    pub lock: Arc<std::sync::Mutex<()>>,
}

/// The world as last kept: one JSON value a provider; a provider whose file
/// is missing or unreadable starts afresh.
pub fn load(dir: &Path) -> Vec<(ProviderId, Value)> {
    ProviderId::ALL
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(dir.join(format!("{}.json", p.as_str()))).ok()?;
            match serde_json::from_str(&text) {
                Ok(v) => Some((p, v)),
                Err(e) => {
                    tracing::warn!(provider = %p, "the kept training world is unreadable, starting afresh: {e}");
                    None
                }
            }
        })
        .collect()
}

/// Writes each provider's side of the world, each file replaced whole (a
/// unique temporary file, then a rename), so a reader never sees half of one.
pub fn save(keeper: &Keeper) {
    let _one_at_a_time = keeper.lock.lock().unwrap_or_else(|e| e.into_inner());
    if let Err(e) = std::fs::create_dir_all(&keeper.dir) {
        tracing::warn!("cannot keep the training world: {e}");
        return;
    }
    for (provider, value) in (keeper.snapshot)() {
        let path = keeper.dir.join(format!("{}.json", provider.as_str()));
        if let Err(e) = write_atomically(&path, value.to_string().as_bytes()) {
            tracing::warn!(%provider, "cannot keep the training world: {e}");
        }
    }
}

/// Replaces `path` whole, readable by this user only: the simulators' side
/// holds what a provider keeps (the invented vouchers of training).
fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension(format!("{}.{}.tmp", std::process::id(), rand::random::<u32>()));
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    file.write_all(bytes)?;
    drop(file);
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Middleware: serves the request, then keeps the world as it now is.
pub async fn save_after(State(keeper): State<Keeper>, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let keeper = keeper.clone();
    // Off the async workers: writing files blocks.
    let _ = tokio::task::spawn_blocking(move || save(&keeper)).await;
    res
}

/// Registers this process as the one serving the installation's
/// simulators at `addr`, for the installation's other processes.
pub fn register(dir: &Path, addr: SocketAddr) {
    let entry = json!({"addr": addr.to_string(), "process": crate::process::me()});
    let _ = std::fs::create_dir_all(dir);
    if let Err(e) = write_atomically(&dir.join("host.json"), entry.to_string().as_bytes()) {
        tracing::warn!("cannot register the training simulators: {e}");
    }
}

/// Held while a process decides whether to serve the installation's
/// simulators and registers itself: two `comptoir sim` started together
/// would otherwise both find none running and both register.
pub fn lock_host(dir: &Path) -> std::io::Result<std::fs::File> {
    std::fs::create_dir_all(dir)?;
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("host.lock"))?;
    lock.lock()?;
    Ok(lock)
}

/// Forgets this process as the installation's simulators (on exit), unless
/// another registered since: then the file is theirs.
pub fn unregister(dir: &Path) {
    let path = dir.join("host.json");
    let mine = std::fs::read_to_string(&path)
        .ok()
        .and_then(|t| serde_json::from_str::<Value>(&t).ok())
        .is_some_and(|e| e.get("process") == Some(&crate::process::me()));
    if mine {
        let _ = std::fs::remove_file(path);
    }
}

/// The simulators another process of this installation serves, when that
/// process is still running and answers.
pub async fn shared(dir: &Path) -> Option<SocketAddr> {
    shared_by(dir).await.map(|(addr, _)| addr)
}

/// `shared`, with the serving process's id.
pub async fn shared_by(dir: &Path) -> Option<(SocketAddr, u64)> {
    let text = std::fs::read_to_string(dir.join("host.json")).ok()?;
    let entry: Value = serde_json::from_str(&text).ok()?;
    if crate::process::alive(entry.get("process")?) != Some(true) {
        return None;
    }
    let pid = entry["process"]["pid"].as_u64().unwrap_or(0);
    let addr: SocketAddr = entry.get("addr")?.as_str()?.parse().ok()?;
    let connect = tokio::net::TcpStream::connect(addr);
    match tokio::time::timeout(std::time::Duration::from_secs(2), connect).await {
        Ok(Ok(_)) => Some((addr, pid)),
        _ => None,
    }
}
