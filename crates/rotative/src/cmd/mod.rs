//! One module per subcommand.

mod import;
mod serve;

use crate::cli::{Command, ImportCommand};

pub async fn run(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Serve(args) => serve::run(args).await,
        Command::Import(ImportCommand::Story { file, site }) => import::story(&file, &site).await,
    }
}
