//! `rotative user add --email E --name NAME --role ROLE` (password on standard input),
//! `rotative user invite --email E --name NAME --role ROLE`, and
//! `rotative user remove-two-factor --email E`.

use std::{io::BufRead, sync::Arc};

use anyhow::{Context, bail};
use rotative_domain::{Email, Name, Role};
use rotative_newsroom::Newsroom;
use rotative_store::{Audit, Invitee};
use rotative_web::auth::{MIN_PASSWORD_CHARS, hash_password};

use crate::{
    cli::{AccountArgs, SiteArgs},
    site::OpenSite,
};

/// The account's fields as typed on the command line.
fn account_fields(account: &AccountArgs) -> anyhow::Result<(Email, Name, Role)> {
    let AccountArgs { email, name, role } = account;
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: `{email}` {e}"))?;
    let name = Name::parse(name).map_err(|e| anyhow::anyhow!("--name: {e}"))?;
    let role = Role::parse(role).map_err(|e| anyhow::anyhow!("--role: {e}"))?;
    Ok((email, name, role))
}

pub async fn invite(account: &AccountArgs, args: &SiteArgs) -> anyhow::Result<()> {
    let (email, name, role) = account_fields(account)?;
    let site = OpenSite::open(args).await?;
    if args.base_url.is_none() && site.settings.base_url.is_none() {
        bail!(
            "the invitation's link must point at the public site: give --base-url \
             (or ROTATIVE_BASE_URL, or base_url in the settings file)"
        );
    }
    let public = site.site(args, "");
    let newsroom = Newsroom::new(site.store.clone(), Arc::new(OpenSite::theme(None)?));
    let link = rotative_web::invitation_link(&public);
    let invitee = Invitee {
        email: &email,
        name: &name,
        role,
    };
    let invited = newsroom.invite(None, invitee, &link, &public).await;
    site.store.close().await;
    let id = invited.map_err(|e| anyhow::anyhow!("cannot invite {email}: {e}"))?;
    println!(
        "account {id} invited: {email}, {}; the link, valid seven days, opens {}",
        role.as_str(),
        public.base_url
    );
    eprintln!(
        "the letter is sent by the running server (without --smtp, written under {})",
        args.data.join("outbox").display()
    );
    Ok(())
}

pub async fn add(account: &AccountArgs, args: &SiteArgs) -> anyhow::Result<()> {
    let (email, name, role) = account_fields(account)?;
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

pub async fn remove_two_factor(email: &str, args: &SiteArgs) -> anyhow::Result<()> {
    let email = Email::parse(email).map_err(|e| anyhow::anyhow!("--email: `{email}` {e}"))?;
    let site = OpenSite::open(args).await?;
    let Some(user) = site.store.user_by_email(&email).await? else {
        site.store.close().await;
        bail!("no account has the address {email}");
    };
    let detail = email.to_string();
    let removed = site
        .store
        .disable_two_factor(
            user.id,
            None,
            Audit::by(None, "two_factor_reset").detail(&detail),
        )
        .await?;
    site.store.close().await;
    if removed {
        println!("{email}: second factor removed, sessions ended; it signs in with its password");
    } else {
        println!("{email} had no second factor: nothing changed");
    }
    Ok(())
}
