//! Newsroom accounts, managed by administrators: changing a role (accounts are opened by
//! invitation, `invitations`). Each change and its audit line are one transaction.

use rotative_domain::{Role, UserId, workflow::can_manage_users};
use rotative_store::{Audit, StoreError};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

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
}
