//! An account's own sessions: listed with the browser each was opened from, ended one by one or
//! all but one. Only their owner sees or ends them.

use rotative_store::{Audit, Ending, OpenSession};

use crate::{Actor, Newsroom, NewsroomError};

/// How long sessions live, which the way in that opens them decides.
#[derive(Debug, Clone, Copy)]
pub struct SessionLimits {
    /// A session unused this long has ended.
    pub idle_seconds: i64,
    /// A session this old has ended, however often it was used.
    pub lifetime_seconds: i64,
}

impl Newsroom {
    /// The actor's sessions still alive, the most recently used first.
    pub async fn open_sessions(
        &self,
        actor: &Actor,
        limits: SessionLimits,
    ) -> Result<Vec<OpenSession>, NewsroomError> {
        Ok(self
            .store
            .sessions_of(actor.id, limits.idle_seconds, limits.lifetime_seconds)
            .await?)
    }

    /// Ends some of the actor's sessions; returns how many ended (none when the session named is
    /// not the actor's, or has ended already, by sign-out or by being left idle past `limits`).
    pub async fn end_sessions(
        &self,
        actor: &Actor,
        ending: Ending<'_>,
        limits: SessionLimits,
    ) -> Result<u64, NewsroomError> {
        if let Ending::One(token_hash) = ending {
            let open = self.open_sessions(actor, limits).await?;
            if !open.iter().any(|session| session.token_hash == token_hash) {
                return Ok(0);
            }
        }
        Ok(self
            .store
            .end_sessions_of(actor.id, ending, Audit::by(Some(actor.id), "end_sessions"))
            .await?)
    }
}
