//! Claims: one process at a time acts on a subject (a payment being
//! delivered), decided by the journal so that processes (two windows, the
//! window and a CLI command, eight counters) agree. A claim is taken in a
//! `BEGIN IMMEDIATE` transaction and committed before the holder acts, so
//! exactly one writer wins, durably; a holder that died (SIGKILL, power
//! cut) is taken over, since `process::alive` can tell.

use super::{now_rfc3339, Journal};
use crate::error::Result;
use rand::Rng;
use sqlx::Row;

/// A claim this process holds until `Journal::release`.
#[derive(Debug, Clone)]
pub struct Claim {
    pub subject: String,
    token: String,
}

/// What taking a claim gave.
#[derive(Debug)]
pub enum Claimed {
    Won(Claim),
    /// Another live holder (this process too, for a second concurrent call).
    HeldBy(serde_json::Value),
}

impl Journal {
    /// Takes `subject` for this process unless another live holder has it.
    pub async fn claim(&self, subject: &str) -> Result<Claimed> {
        let token = format!("{:016x}", rand::thread_rng().gen::<u64>());
        let mut me = crate::process::me();
        if let Some(obj) = me.as_object_mut() {
            obj.insert("token".into(), token.clone().into());
        } else {
            me = serde_json::json!({"token": token});
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT holder FROM claims WHERE subject = ?")
            .bind(subject)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(row) = row {
            let holder: Option<String> = row.get("holder");
            if let Some(h) = holder.and_then(|h| serde_json::from_str::<serde_json::Value>(&h).ok()) {
                // Unknown liveness (no /proc) counts as alive: never two at once.
                if crate::process::alive(&h) != Some(false) {
                    return Ok(Claimed::HeldBy(h));
                }
                tracing::warn!(subject, holder = %h, "taking over a claim whose holder died");
            }
        }
        sqlx::query(
            "INSERT INTO claims (subject, holder, taken_at) VALUES (?, ?, ?)
             ON CONFLICT (subject) DO UPDATE SET holder = excluded.holder, taken_at = excluded.taken_at",
        )
        .bind(subject)
        .bind(me.to_string())
        .bind(now_rfc3339())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Claimed::Won(Claim {
            subject: subject.to_string(),
            token,
        }))
    }

    /// Lets go of a claim this process holds (a no-op when it was taken over).
    pub async fn release(&self, claim: &Claim) -> Result<()> {
        sqlx::query("UPDATE claims SET holder = NULL WHERE subject = ? AND json_extract(holder, '$.token') = ?")
            .bind(&claim.subject)
            .bind(&claim.token)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_holder_at_a_time_then_the_next_and_a_dead_one_is_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        let j = Journal::open(&dir.path().join("journal.sqlite")).await.unwrap();
        let Claimed::Won(first) = j.claim("payment:A").await.unwrap() else {
            panic!("the first claim wins")
        };
        assert!(matches!(j.claim("payment:A").await.unwrap(), Claimed::HeldBy(_)));
        assert!(matches!(j.claim("payment:B").await.unwrap(), Claimed::Won(_)));
        j.release(&first).await.unwrap();
        let Claimed::Won(_) = j.claim("payment:A").await.unwrap() else {
            panic!("released, it can be taken again")
        };
        // A holder whose process is gone (a PID that is not running).
        sqlx::query("UPDATE claims SET holder = ? WHERE subject = 'payment:A'")
            .bind(serde_json::json!({"pid": 1u32 << 30, "start": 1, "boot": "gone", "token": "x"}).to_string())
            .execute(j.pool())
            .await
            .unwrap();
        assert!(matches!(j.claim("payment:A").await.unwrap(), Claimed::Won(_)));
    }
}
