//! Newsroom accounts, managed by administrators: adding one, changing a role, giving an
//! imported author's account its first password. Each change and its audit line are one
//! transaction.

use rotative_domain::{Email, Name, Role, UserId, workflow::can_manage_users};
use rotative_store::{Audit, StoreError};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// An account to add, its password already hashed.
#[derive(Debug, Clone, Copy)]
pub struct NewAccount<'a> {
    pub email: &'a Email,
    pub name: &'a Name,
    pub role: Role,
    pub password_hash: &'a str,
}

impl Actor {
    /// Whether the actor administers the site: its accounts and its settings.
    pub fn administers(&self) -> Result<(), NewsroomError> {
        if can_manage_users(self.role) {
            Ok(())
        } else {
            Err(NewsroomError::Forbidden)
        }
    }
}

impl Newsroom {
    /// Adds an account; returns its id.
    pub async fn add_account(
        &self,
        actor: &Actor,
        account: NewAccount<'_>,
    ) -> Result<UserId, NewsroomError> {
        actor.administers()?;
        let detail = format!("{} ({})", account.email, account.role.as_str());
        let audit = Audit::by(Some(actor.id), "user_add").detail(&detail);
        let created = self
            .store
            .create_user(
                account.email,
                account.name,
                account.role,
                Some(account.password_hash),
                audit,
            )
            .await;
        match created {
            Err(StoreError::AlreadyExists(_)) => Err(NewsroomError::Refused(Refusal::EmailTaken)),
            other => Ok(other?),
        }
    }

    /// Gives an account another role; an administrator cannot give up their own, so the site
    /// always keeps one.
    pub async fn change_role(
        &self,
        actor: &Actor,
        account: UserId,
        role: Role,
    ) -> Result<(), NewsroomError> {
        actor.administers()?;
        if account == actor.id && role != Role::Admin {
            return Err(NewsroomError::Refused(Refusal::OwnAdminRole));
        }
        let detail = format!("#{account} → {}", role.as_str());
        let audit = Audit::by(Some(actor.id), "user_role").detail(&detail);
        if self.store.set_role(account, role, audit).await? {
            Ok(())
        } else {
            Err(StoreError::NotFound("account").into())
        }
    }

    /// Gives an account that has no password (an imported author) a provisional one.
    pub async fn activate_account(
        &self,
        actor: &Actor,
        account: UserId,
        password_hash: &str,
    ) -> Result<(), NewsroomError> {
        actor.administers()?;
        let detail = format!("#{account}");
        let audit = Audit::by(Some(actor.id), "user_activate").detail(&detail);
        if self
            .store
            .activate_user(account, password_hash, audit)
            .await?
        {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::AlreadyActive))
        }
    }
}
