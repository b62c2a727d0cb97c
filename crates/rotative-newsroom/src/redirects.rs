//! Redirects as editors manage them: the list with how often each was followed, additions
//! (checked, flattened: never a chain, never a loop), removals; the hosts outside the site a
//! redirect may lead to are the administrators' to allow.

use rotative_domain::{RedirectDraft, allowed_hosts};
use rotative_store::{Audit, RedirectAdded, RedirectRecord, StoreError, Taken};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// The setting that lists the hosts redirects may lead to.
const ALLOWED_HOSTS: &str = "redirects.allowed_hosts";
/// Days the newsroom's counts of followed redirects cover.
pub const REDIRECT_HITS_DAYS: i64 = 30;

/// Today, in the unit followed redirects are counted by: days since 1970 (UTC).
pub fn redirect_hits_day() -> i64 {
    jiff::Timestamp::now().as_second().div_euclid(86_400)
}

impl Newsroom {
    /// Redirects by old address from after `after`, those whose addresses hold `words`, each
    /// with the times readers followed it in the last `REDIRECT_HITS_DAYS` days.
    pub async fn redirects(
        &self,
        actor: &Actor,
        words: &str,
        after: &str,
        limit: u32,
    ) -> Result<Vec<RedirectRecord>, NewsroomError> {
        actor.manages_sections()?;
        let since = redirect_hits_day() - REDIRECT_HITS_DAYS + 1;
        Ok(self
            .store
            .redirect_records(words, after, limit, since)
            .await?)
    }

    /// The hosts outside the site that redirects may lead to.
    pub async fn redirect_hosts(&self) -> Result<Vec<String>, NewsroomError> {
        let typed = self.store.setting(ALLOWED_HOSTS).await?;
        Ok(allowed_hosts(typed.as_deref().unwrap_or_default()))
    }

    /// Lets redirects lead to these hosts (administrators).
    pub async fn allow_redirect_hosts(
        &self,
        actor: &Actor,
        typed: &str,
    ) -> Result<Vec<String>, NewsroomError> {
        actor.administers()?;
        let hosts = allowed_hosts(typed);
        let value = hosts.join(", ");
        let audit = Audit::by(Some(actor.id), "redirect_hosts").detail(&value);
        self.store
            .change_settings(&[(ALLOWED_HOSTS, &value)], audit)
            .await?;
        Ok(hosts)
    }

    /// Adds a redirect as typed; answers it as stored: its old address as a path, and where it
    /// leads (where its target itself led, if it did).
    pub async fn add_redirect(
        &self,
        actor: &Actor,
        old: &str,
        target: &str,
        site_url: &str,
    ) -> Result<RedirectDraft, NewsroomError> {
        actor.manages_sections()?;
        let hosts = self.redirect_hosts().await?;
        let draft = RedirectDraft::parse(old, target, site_url, &hosts)
            .map_err(|problems| NewsroomError::Refused(Refusal::Redirect(problems)))?;
        let detail = format!("{} → {}", draft.old, draft.target);
        let audit = Audit::by(Some(actor.id), "redirect_add").detail(&detail);
        match self
            .store
            .add_manual_redirect(&draft.old, &draft.target, audit)
            .await
        {
            Ok(RedirectAdded::Added(target)) => Ok(RedirectDraft {
                old: draft.old,
                target,
            }),
            Ok(RedirectAdded::Loop) => Err(NewsroomError::Refused(Refusal::RedirectLoop)),
            Ok(RedirectAdded::LivePage) => {
                Err(NewsroomError::Refused(Refusal::RedirectFromLivePage))
            }
            Err(StoreError::AlreadyExists(Taken::RedirectSource)) => {
                Err(NewsroomError::Refused(Refusal::RedirectExists(draft.old)))
            }
            Err(other) => Err(other.into()),
        }
    }

    pub async fn remove_redirect(&self, actor: &Actor, old: &str) -> Result<(), NewsroomError> {
        actor.manages_sections()?;
        let audit = Audit::by(Some(actor.id), "redirect_remove").detail(old);
        if self.store.remove_redirect(old, audit).await? {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::NoSuchRedirect))
        }
    }
}
