//! The command line, a contract: tests, docs and operators' scripts rely on it (DESIGN §7).

use std::{net::SocketAddr, path::PathBuf};

use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "rotative",
    version,
    about = "Rotative, a news publishing platform"
)]
pub struct Cli {
    /// How log lines are written to stderr: `text` for people, `json` (one object a line, with
    /// the request id of each request's lines) for log collectors.
    #[arg(
        long,
        global = true,
        env = "ROTATIVE_LOG_FORMAT",
        default_value = "text"
    )]
    pub log_format: LogFormat,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the public site.
    Serve(Box<ServeArgs>),
    /// Bring content in from files.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Manage newsroom accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Manage API tokens.
    #[command(subcommand)]
    Token(TokenCommand),
    /// Manage webhooks: addresses told when readers' stories change.
    #[command(subcommand)]
    Webhook(WebhookCommand),
    /// Manage the search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Copy a running site (database, media, settings) into one file, without stopping it.
    /// For sites on SQLite and a local media folder; PostgreSQL and S3 have their own tools.
    Backup {
        /// The file to write (a tar archive).
        file: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Bring a site back from a backup file, onto an empty data folder.
    Restore {
        /// A file written by `rotative backup`.
        file: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Check that settings, database, media storage, search index and theme are usable.
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Folder of templates that replace the default theme's.
        #[arg(long, env = "ROTATIVE_THEME")]
        theme: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Rebuild the search index from the database (it is only a cache of it).
    Reindex {
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account; the password is read from standard input, never from the command line
    /// (the site's first administrator; invite the others).
    Add {
        #[command(flatten)]
        account: AccountArgs,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Open an account by invitation: its owner receives a link to choose their password, valid
    /// seven days (sent by the running server, or written under DATA/outbox/ without --smtp).
    Invite {
        #[command(flatten)]
        account: AccountArgs,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Take the second factor off an account whose owner lost their device and recovery codes
    /// (the last administrator too): its sessions end, and it signs in with its password.
    RemoveTwoFactor {
        #[arg(long)]
        email: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// An account as the command line names it.
#[derive(Debug, Args)]
pub struct AccountArgs {
    #[arg(long)]
    pub email: String,
    #[arg(long)]
    pub name: String,
    /// contributor, journalist, editor or admin
    #[arg(long)]
    pub role: String,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Make an API token acting as an account; it is printed once, only its hash is kept.
    Add {
        /// The account the token acts as.
        #[arg(long)]
        email: String,
        /// What the token is for (the tool or partner using it).
        #[arg(long)]
        name: String,
        /// read (the default) or write
        #[arg(long, default_value = "read")]
        scope: String,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum WebhookCommand {
    /// Tell an address of events, signed the Standard Webhooks way; prints the secret once.
    Add {
        /// Where to POST each event (http or https, not the site itself).
        url: String,
        /// Comma-separated: story.published, story.updated, story.unpublished, correction.added
        #[arg(long)]
        events: String,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// List the webhooks, their events and their deliveries waiting or given up.
    List {
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Stop telling an address: removes the webhook and its delivery log.
    Remove {
        id: i64,
        #[command(flatten)]
        site: SiteArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import one story: TOML front matter between `+++` lines, then the Markdown body.
    Story {
        /// The story file; images it names as `media:NAME` are files next to it.
        file: PathBuf,
        #[command(flatten)]
        site: SiteArgs,
    },
    /// Import a WordPress export (Tools › Export in WordPress): posts, pages, authors,
    /// categories and tags, with every old address redirected to its new one. Safe to run again.
    Wordpress {
        /// The export file (WXR, `.xml`).
        file: PathBuf,
        /// A copy of the old site's `wp-content/uploads` folder: the images stories show are
        /// taken from it into the media library.
        #[arg(long)]
        uploads: Option<PathBuf>,
        #[command(flatten)]
        site: SiteArgs,
    },
}

/// Where a site keeps its data: every command that touches the site takes these.
#[derive(Debug, Clone, Args)]
pub struct SiteArgs {
    /// Folder for the SQLite database and local media.
    #[arg(long, env = "ROTATIVE_DATA", default_value = "rotative-data")]
    pub data: PathBuf,
    /// Database: a SQLite file (`sqlite://PATH` or a path) or a PostgreSQL server
    /// (`postgres://USER@HOST/DB`), which several instances of the site share; defaults to
    /// DATA/rotative.db.
    #[arg(long, env = "ROTATIVE_DATABASE", hide_env_values = true)]
    pub database: Option<String>,
    /// Media storage: a folder (or `file://PATH`), or an S3-compatible bucket
    /// (`s3://BUCKET/PREFIX`, configured by the usual `AWS_*` variables); defaults to DATA/media.
    #[arg(long, env = "ROTATIVE_MEDIA")]
    pub media: Option<String>,
    /// Site settings file (TOML); defaults to DATA/rotative.toml when it exists.
    #[arg(long, env = "ROTATIVE_CONFIG")]
    pub config: Option<PathBuf>,
    /// The site's public address, for canonical links (default: the listen address).
    #[arg(long, env = "ROTATIVE_BASE_URL")]
    pub base_url: Option<String>,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Address and port to listen on (port 0 picks a free one).
    #[arg(long, env = "ROTATIVE_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// Address and port for Prometheus's `/metrics` (off unless given): kept apart from the
    /// public address so readers never see it.
    #[arg(long, env = "ROTATIVE_METRICS_LISTEN")]
    pub metrics_listen: Option<SocketAddr>,
    /// Do not add demo content to a new embedded site.
    #[arg(long, env = "ROTATIVE_NO_DEMO", conflicts_with = "demo")]
    pub no_demo: bool,
    /// Add demo content to a new site on the database given by `--database` too (only the
    /// embedded default site gets it otherwise).
    #[arg(long, env = "ROTATIVE_DEMO")]
    pub demo: bool,
    /// Folder of templates that replace the default theme's.
    #[arg(long, env = "ROTATIVE_THEME")]
    pub theme: Option<PathBuf>,
    /// Largest image file the newsroom may upload, in megabytes.
    #[arg(long, env = "ROTATIVE_MAX_UPLOAD_MB", default_value_t = 25)]
    pub max_upload_mb: u64,
    /// Memory for readers' pages kept ready to send, in megabytes (each page is kept as is,
    /// gzipped and in Brotli: about 30 KB for a long story).
    #[arg(long, env = "ROTATIVE_PAGE_CACHE_MB", default_value_t = 64)]
    pub page_cache_mb: usize,
    /// Connections answered at once (lowered to what the open-file limit allows); beyond it,
    /// health probes are still answered and readers are asked to come back.
    #[arg(long, env = "ROTATIVE_MAX_CONNECTIONS", default_value_t = 4096)]
    pub max_connections: usize,
    /// Address of a reverse proxy in front of this server (repeat, or separate with commas): its
    /// `X-Forwarded-For` then names the client that sign-in limits apply to.
    #[arg(long, env = "ROTATIVE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxy: Vec<std::net::IpAddr>,
    /// After SIGTERM or Ctrl-C, seconds the answers in flight have to finish before they are cut.
    #[arg(long, env = "ROTATIVE_SHUTDOWN_GRACE", default_value_t = 10)]
    pub shutdown_grace: u64,
    /// The waits, in seconds, before each new attempt at a webhook delivery the receiver
    /// failed; a delivery is given up past the last, or a day after its event.
    #[arg(
        long,
        env = "ROTATIVE_WEBHOOK_RETRY_SECONDS",
        value_delimiter = ',',
        default_value = "5,300,1800,7200,18000,36000,36000"
    )]
    pub webhook_retry_seconds: Vec<u64>,
    /// Let webhooks reach this machine and private networks (a receiver beside the site);
    /// without it, only public addresses are sent to.
    #[arg(long, env = "ROTATIVE_WEBHOOK_ALLOW_INTERNAL")]
    pub webhook_allow_internal: bool,
    /// Requests a minute each API token may make, steadily, on each instance.
    #[arg(long, env = "ROTATIVE_API_REQUESTS_PER_MINUTE", default_value_t = 600)]
    pub api_requests_per_minute: u32,
    /// Requests an API token may make at once on top of that rate.
    #[arg(long, env = "ROTATIVE_API_BURST", default_value_t = 60)]
    pub api_burst: u32,
    /// The SMTP server letters go through: `smtp://host:25` as it is, `smtp://user:password@host:587`
    /// over STARTTLS (always, with a password), `smtps://user:password@host:465` over TLS.
    /// Without it, letters are written as `.eml` files under DATA/outbox/ and their links logged.
    #[arg(long, env = "ROTATIVE_SMTP", hide_env_values = true)]
    pub smtp: Option<String>,
    /// The address letters come from (default: `redaction@` and the site's domain).
    #[arg(long, env = "ROTATIVE_MAIL_FROM")]
    pub mail_from: Option<String>,
    /// The waits, in seconds, before each new attempt at a letter the SMTP server did not take
    /// for now; the last repeats, and a letter is given up a day after it was written.
    #[arg(
        long,
        env = "ROTATIVE_MAIL_RETRY_SECONDS",
        value_delimiter = ',',
        default_value = "60,300,900,3600"
    )]
    pub mail_retry_seconds: Vec<u64>,
    /// Signs letters with DKIM using this RSA private key (PEM, PKCS #1), whose public half is
    /// published as `SELECTOR._domainkey.` and the sender's domain.
    #[arg(long, env = "ROTATIVE_DKIM_KEY")]
    pub dkim_key: Option<PathBuf>,
    /// The DKIM selector the public key is published under.
    #[arg(long, env = "ROTATIVE_DKIM_SELECTOR", default_value = "rotative")]
    pub dkim_selector: String,
}

impl ServeArgs {
    /// Demo content goes into the embedded default site, so a first start shows a living site;
    /// a database named by `--database` (a production one, say) gets it only when asked.
    pub fn wants_demo(&self) -> bool {
        self.demo || (self.site.database.is_none() && !self.no_demo)
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn verify_cli() {
        Cli::command().debug_assert();
    }
}
