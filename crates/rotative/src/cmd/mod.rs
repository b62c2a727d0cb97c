//! One module per subcommand.

mod backup;
mod check;
mod import;
mod search;
mod serve;
mod token;
mod user;
mod webhook;

use crate::cli::{
    Command, ImportCommand, SearchCommand, TokenCommand, UserCommand, WebhookCommand,
};

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(*args).await,
        Command::Import(ImportCommand::Story { file, site }) => import::story(&file, &site).await,
        Command::Import(ImportCommand::Wordpress {
            file,
            uploads,
            site,
        }) => import::wordpress(&file, uploads.as_deref(), &site).await,
        Command::Search(SearchCommand::Reindex { site }) => search::reindex(&site).await,
        Command::Backup { file, site } => backup::backup(&file, &site).await,
        Command::Restore { file, site } => backup::restore(&file, &site).await,
        Command::Check { site, theme } => check::run(&site, theme.as_deref()).await,
        Command::User(UserCommand::Add { account, site }) => user::add(&account, &site).await,
        Command::User(UserCommand::Invite { account, site }) => user::invite(&account, &site).await,
        Command::User(UserCommand::RemoveTwoFactor { email, site }) => {
            user::remove_two_factor(&email, &site).await
        }
        Command::Token(TokenCommand::Add {
            email,
            name,
            scope,
            site,
        }) => token::add(&email, &name, &scope, &site).await,
        Command::Webhook(WebhookCommand::Add { url, events, site }) => {
            webhook::add(&url, &events, &site).await
        }
        Command::Webhook(WebhookCommand::List { site }) => webhook::list(&site).await,
        Command::Webhook(WebhookCommand::Remove { id, site }) => webhook::remove(id, &site).await,
    }
}
