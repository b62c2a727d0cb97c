//! `rotative user add --email E --name NAME --role ROLE` (password on standard input)

use std::io::BufRead;

use anyhow::{Context, bail};
use rotative_domain::{Email, Name, Role};
use rotative_store::Audit;
use rotative_web::auth::{MIN_PASSWORD_CHARS, hash_password};

use crate::{cli::SiteArgs, site::OpenSite};

pub async fn add(email: &str, name: &str, role: &str, args: &SiteArgs) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: `{email}` {e}"))?;
    let name = Name::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let role = Role::parse(role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .context("cannot read the password from standard input")?;
    let password = password.trim_end_matches(['\n', '\r']);
    if password.chars().count() < MIN_PASSWORD_CHARS {
        bail!(
            "the password (on standard input) must have at least {MIN_PASSWORD_CHARS} characters"
        );
    }
    let hash =
        hash_password(password).map_err(|e| anyhow::anyhow!("cannot hash the password: {e}"))?;
    let site = OpenSite::open(args).await?;
    let detail = format!("{email} ({})", role.as_str());
    let id = site
        .store
        .create_user(
            &email,
            &name,
            role,
            Some(&hash),
            Audit::by(None, "user_add").detail(&detail),
        )
        .await?;
    println!("account {id} created: {email}, {}", role.as_str());
    site.store.close().await;
    Ok(())
}
