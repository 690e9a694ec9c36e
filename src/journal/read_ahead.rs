//! Pages read one ahead of their reader. `verify` reads a million records
//! a page at a time and checks each page (hashes, values, facts kept)
//! before asking for the next: read after one another, SQLite's thread
//! and the checks took turns on two cores. Read ahead on a task of their
//! own, the next page is read while this one is checked.

use crate::error::Result;
use std::future::Future;
use tokio::sync::mpsc::Receiver;

/// Pages from `fetch(first)`, then `fetch(next(&page))` for each page,
/// until a page is empty, `next` gives nothing, or a read fails (its error
/// is the last item). At most two pages wait unread; a reader that stops
/// (dropping the receiver) stops the reading at its next page.
pub fn read_ahead<K, T, Fut>(
    first: K,
    next: impl Fn(&[T]) -> Option<K> + Send + 'static,
    fetch: impl Fn(K) -> Fut + Send + 'static,
) -> Receiver<Result<Vec<T>>>
where
    K: Send + 'static,
    T: Send + 'static,
    Fut: Future<Output = Result<Vec<T>>> + Send,
{
    let (tx, rx) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        let mut key = first;
        loop {
            let page = fetch(key).await;
            let following = match &page {
                Ok(p) if !p.is_empty() => next(p),
                _ => None,
            };
            if tx.send(page).await.is_err() {
                return;
            }
            match following {
                Some(k) => key = k,
                None => return,
            }
        }
    });
    rx
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn pages_come_in_order_and_stop_at_the_first_empty_one_or_error() {
        let mut pages = read_ahead(
            0u32,
            |p: &[u32]| p.last().copied(),
            |after| async move { Ok((after + 1..=after + 3).filter(|n| *n <= 7).collect::<Vec<_>>()) },
        );
        let mut all = Vec::new();
        while let Some(page) = pages.recv().await {
            let page = page.unwrap();
            if page.is_empty() {
                break;
            }
            all.extend(page);
        }
        assert_eq!(all, (1..=7).collect::<Vec<_>>());
        assert!(pages.recv().await.is_none(), "nothing after the empty page");

        let mut failing = read_ahead(
            0u32,
            |p: &[u32]| p.last().copied(),
            |after| async move {
                if after >= 3 {
                    Err(crate::error::Error::internal(
                        "test.read",
                        "the disk said no".to_string(),
                    ))
                } else {
                    Ok(vec![after + 1, after + 2, after + 3])
                }
            },
        );
        assert_eq!(failing.recv().await.unwrap().unwrap(), vec![1, 2, 3]);
        assert!(failing.recv().await.unwrap().is_err());
        assert!(failing.recv().await.is_none(), "nothing after the error");
    }
}
