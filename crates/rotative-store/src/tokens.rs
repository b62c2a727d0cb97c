//! API tokens: made for an account, known by their hash, revoked but kept for the record.

use rotative_domain::{Name, TokenId, TokenScope, UserId};
use sqlx::FromRow;

use crate::{
    Store, StoreError, now_seconds, rows,
    users::{Audit, USER_COLUMNS, User, UserRow, insert_audit},
};

/// A token as the newsroom lists it (never the token itself: only its hash is stored).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiToken {
    pub id: TokenId,
    pub owner: UserId,
    pub owner_name: Name,
    pub name: String,
    pub scope: TokenScope,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub revoked_at: Option<i64>,
}

/// Who a live token acts as, and what it may do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenHolder {
    pub token: TokenId,
    pub user: User,
    pub scope: TokenScope,
}

/// A token to record.
#[derive(Debug, Clone, Copy)]
pub struct NewToken<'a> {
    pub owner: UserId,
    pub name: &'a str,
    pub scope: TokenScope,
    pub token_hash: &'a str,
}

#[derive(FromRow)]
struct TokenRow {
    id: i64,
    user_id: i64,
    owner_name: String,
    name: String,
    scope: String,
    created_at: i64,
    last_used_at: Option<i64>,
    revoked_at: Option<i64>,
}

impl TryFrom<TokenRow> for ApiToken {
    type Error = StoreError;

    fn try_from(row: TokenRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: TokenId(row.id),
            owner: UserId(row.user_id),
            owner_name: rows::name(&row.owner_name)?,
            name: row.name,
            scope: scope(&row.scope)?,
            created_at: row.created_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
        })
    }
}

fn scope(value: &str) -> Result<TokenScope, StoreError> {
    TokenScope::parse(value).map_err(|e| StoreError::corrupt("token scope", e))
}

#[derive(FromRow)]
struct HolderRow {
    #[sqlx(flatten)]
    user: UserRow,
    token_id: i64,
    scope: String,
    last_used_at: Option<i64>,
}

impl Store {
    pub async fn create_token(
        &self,
        token: NewToken<'_>,
        audit: Audit<'_>,
    ) -> Result<TokenId, StoreError> {
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO api_tokens (user_id, name, scope, token_hash, created_at)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(token.owner.0)
        .bind(token.name)
        .bind(token.scope.as_str())
        .bind(token.token_hash)
        .bind(now_seconds())
        .fetch_one(&mut *tx)
        .await?;
        insert_audit(&mut tx, None, audit).await?;
        tx.commit().await?;
        Ok(TokenId(id))
    }

    /// The account a live token acts as, and what it may do; `None` for a token that does not
    /// exist or was revoked. Its last use is noted (at most once a minute, to spare writes).
    pub async fn token_holder(&self, token_hash: &str) -> Result<Option<TokenHolder>, StoreError> {
        let row: Option<HolderRow> = sqlx::query_as(&format!(
            "SELECT {USER_COLUMNS}, t.id AS token_id, t.scope, t.last_used_at FROM api_tokens t
             JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL"
        ))
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?;
        let Some(row) = row else { return Ok(None) };
        let now = now_seconds();
        if row.last_used_at.is_none_or(|last| now - last > 60) {
            sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2")
                .bind(now)
                .bind(row.token_id)
                .execute(&self.pool)
                .await?;
        }
        Ok(Some(TokenHolder {
            token: TokenId(row.token_id),
            user: row.user.try_into()?,
            scope: scope(&row.scope)?,
        }))
    }

    /// Tokens, newest first: one account's, or everybody's.
    pub async fn tokens(&self, owner: Option<UserId>) -> Result<Vec<ApiToken>, StoreError> {
        let rows: Vec<TokenRow> = sqlx::query_as(
            "SELECT t.id, t.user_id, u.name AS owner_name, t.name, t.scope, t.created_at,
                t.last_used_at, t.revoked_at
             FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE $1 IS NULL OR t.user_id = $1 ORDER BY t.id DESC",
        )
        .bind(owner.map(|id| id.0))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(ApiToken::try_from).collect()
    }

    /// Revokes a token (of this owner, if one is given); false if there was no such live token.
    pub async fn revoke_token(
        &self,
        id: TokenId,
        owner: Option<UserId>,
        audit: Audit<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let revoked = sqlx::query(
            "UPDATE api_tokens SET revoked_at = $1
             WHERE id = $2 AND revoked_at IS NULL AND ($3 IS NULL OR user_id = $3)",
        )
        .bind(now_seconds())
        .bind(id.0)
        .bind(owner.map(|id| id.0))
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if revoked {
            insert_audit(&mut tx, None, audit).await?;
        }
        tx.commit().await?;
        Ok(revoked)
    }
}
