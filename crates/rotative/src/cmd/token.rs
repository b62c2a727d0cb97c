//! `rotative token add --email E --name NAME [--scope read|write]`: an API token for an
//! account, printed once (only its hash is stored).

use anyhow::{Context, bail};
use rotative_domain::{Email, Name, TokenScope};
use rotative_store::{Audit, NewToken};
use rotative_web::auth::{new_api_token, token_hash};

use crate::{cli::SiteArgs, site::OpenSite};

pub async fn add(email: &str, name: &str, scope: &str, args: &SiteArgs) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: `{email}` {e}"))?;
    let name = Name::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let scope = TokenScope::parse(scope).map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
    let site = OpenSite::open(args).await?;
    let Some(owner) = site
        .store
        .user_by_email(&email)
        .await
        .context("cannot read the accounts")?
    else {
        bail!("no account has the address {email}: create it first with `rotative user add`");
    };
    let secret = new_api_token();
    let hash = token_hash(&secret);
    let detail = format!("{name} ({}) pour le compte {}", scope.as_str(), owner.id);
    site.store
        .create_token(
            NewToken {
                owner: owner.id,
                name: name.as_ref(),
                scope,
                token_hash: &hash,
            },
            Audit::by(None, "token_add").detail(&detail),
        )
        .await?;
    site.store.close().await;
    eprintln!(
        "token \"{name}\" ({}) for {email}: copy it now, it is not shown again",
        scope.as_str()
    );
    println!("{secret}");
    Ok(())
}
