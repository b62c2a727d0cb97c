//! API tokens. Each acts as one account, with that account's role as it is when the token is
//! used. A person makes, sees and revokes their own; administrators see and revoke everybody's,
//! and make them for anyone (`rotative token add`).

use rotative_domain::{Name, TokenId};
use rotative_store::{ApiToken, Audit, NewToken};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

impl Newsroom {
    /// Records a token (its hash: the way in made the token and shows it once).
    pub async fn issue_token(
        &self,
        actor: &Actor,
        token: NewToken<'_>,
    ) -> Result<TokenId, NewsroomError> {
        if token.owner != actor.id {
            actor.administers()?;
        }
        let name =
            Name::parse(token.name).map_err(|_| NewsroomError::Refused(Refusal::TokenName))?;
        let detail = format!(
            "{name} ({}) pour le compte {}",
            token.scope.as_str(),
            token.owner
        );
        let audit = Audit::by(Some(actor.id), "token_add").detail(&detail);
        let token = NewToken {
            name: name.as_ref(),
            ..token
        };
        Ok(self.store.create_token(token, audit).await?)
    }

    /// The tokens the actor may see: their own, or everybody's for an administrator.
    pub async fn tokens(&self, actor: &Actor) -> Result<Vec<ApiToken>, NewsroomError> {
        Ok(self.store.tokens(owner_filter(actor)).await?)
    }

    /// Revokes a token the actor may see; one already revoked, or out of reach, is not found.
    pub async fn revoke_token(&self, actor: &Actor, id: TokenId) -> Result<(), NewsroomError> {
        let detail = id.to_string();
        let audit = Audit::by(Some(actor.id), "token_revoke").detail(&detail);
        if self
            .store
            .revoke_token(id, owner_filter(actor), audit)
            .await?
        {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::NoSuchToken))
        }
    }
}

/// Whose tokens the actor may see and revoke: their own, or (`None`) everybody's.
fn owner_filter(actor: &Actor) -> Option<rotative_domain::UserId> {
    actor.administers().is_err().then_some(actor.id)
}
