//! The newsroom's CPU work, off the threads that answer requests: rendering and sanitising a
//! body (Markdown of up to 512 KB), comparing revisions, decoding an uploaded image. Each takes
//! milliseconds to seconds, which on an async worker would hold up every reader that worker
//! serves. The work runs on the blocking pool, as many at once as the instance has cores and
//! one at a time per account, so a person pasting large texts in a loop slows only their own
//! previews.

use std::{
    collections::HashMap,
    sync::{Arc, Mutex, PoisonError},
    time::Duration,
};

use rotative_domain::UserId;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// The account's work, or the instance's, did not get its turn in time: try again shortly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("too busy")]
pub struct Busy;

/// Pieces of work one account may have under way at once; its others wait their turn, and the
/// instance keeps room for everyone else's.
const PER_ACCOUNT: usize = 1;
/// How long work waits for its turn before the request is refused as too busy.
const WAIT: Duration = Duration::from_secs(10);

pub struct CpuWork {
    all: Arc<Semaphore>,
    accounts: Mutex<HashMap<UserId, Arc<Semaphore>>>,
    wait: Duration,
}

impl Default for CpuWork {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        Self {
            all: Arc::new(Semaphore::new(cores.max(PER_ACCOUNT + 1))),
            accounts: Mutex::default(),
            wait: WAIT,
        }
    }
}

impl CpuWork {
    /// Runs `work` on the blocking pool when `account` and the instance have room for it.
    pub async fn run<T: Send + 'static>(
        &self,
        account: UserId,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, Busy> {
        let own = self.account(account);
        let permits = tokio::time::timeout(self.wait, async {
            let own = Arc::clone(&own).acquire_owned().await;
            let all = Arc::clone(&self.all).acquire_owned().await;
            own.and_then(|own| all.map(|all| (own, all)))
        })
        .await;
        let result = match permits {
            Ok(Ok(permits)) => run_blocking(permits, work).await,
            Ok(Err(_)) | Err(_) => Err(Busy),
        };
        self.forget_idle(account, &own);
        result
    }

    fn account(&self, account: UserId) -> Arc<Semaphore> {
        let mut accounts = self.accounts.lock().unwrap_or_else(PoisonError::into_inner);
        Arc::clone(
            accounts
                .entry(account)
                .or_insert_with(|| Arc::new(Semaphore::new(PER_ACCOUNT))),
        )
    }

    /// Drops an account's entry once nothing of it is running or waiting, so the map holds only
    /// the accounts rendering now.
    fn forget_idle(&self, account: UserId, own: &Arc<Semaphore>) {
        let mut accounts = self.accounts.lock().unwrap_or_else(PoisonError::into_inner);
        // Two references: the map's and the caller's.
        if Arc::strong_count(own) == 2 && own.available_permits() == PER_ACCOUNT {
            accounts.remove(&account);
        }
    }
}

async fn run_blocking<T: Send + 'static>(
    permits: (OwnedSemaphorePermit, OwnedSemaphorePermit),
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, Busy> {
    // The permits go with the work: work whose request was abandoned still counts until it
    // ends.
    tokio::task::spawn_blocking(move || {
        let result = work();
        drop(permits);
        result
    })
    .await
    .map_err(|_| Busy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn one_account_cannot_take_every_render() {
        let renders = Arc::new(CpuWork {
            wait: Duration::from_millis(300),
            ..CpuWork::default()
        });
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let hold = Arc::new(Mutex::new(hold));
        let busy: Vec<_> = (0..PER_ACCOUNT)
            .map(|_| {
                let renders = Arc::clone(&renders);
                let hold = Arc::clone(&hold);
                tokio::spawn(async move {
                    renders
                        .run(UserId(1), move || {
                            let _ = hold.lock().map(|hold| hold.recv());
                        })
                        .await
                })
            })
            .collect();
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(
            renders.run(UserId(2), || 42).await.unwrap(),
            42,
            "another account renders meanwhile"
        );
        let refused = renders.run(UserId(1), || ()).await;
        assert!(
            matches!(refused, Err(Busy)),
            "one more render of the busy account waits, then is refused"
        );
        for _ in 0..PER_ACCOUNT {
            release.send(()).unwrap();
        }
        for task in busy {
            task.await.unwrap().unwrap();
        }
        assert!(renders.run(UserId(1), || ()).await.is_ok());
        assert!(
            renders.accounts.lock().unwrap().is_empty(),
            "idle accounts are forgotten"
        );
    }
}
