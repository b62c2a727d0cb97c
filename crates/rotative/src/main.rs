//! The `rotative` command: parses the command line and hands over to one subcommand.

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;

mod cli;
mod cmd;
mod config;
mod demo;
mod site;

/// Memory in the kernel's 4 KiB pages, not 2 MiB ones: each 2 MiB page the allocator touches
/// again after giving it back is zeroed whole, a tenth of an uncached story page's time, and
/// half-used ones swell the resident memory (docs/performance.md, sixth pass).
fn without_huge_pages() {
    #[cfg(target_os = "linux")]
    if let Err(error) = rustix::thread::disable_transparent_huge_pages(true) {
        eprintln!("warning: transparent huge pages stay on: {error}");
    }
}

/// Microsoft's mimalloc: a request allocates and frees many small buffers, which glibc's
/// allocator handles more slowly (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    without_huge_pages();
    let cli = cli::Cli::parse();
    // Kept to the end: dropping it writes out the lines still queued.
    let _logs_written = init_tracing(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    let outcome = runtime.block_on(cmd::run(cli.command));
    // Work still running on the blocking pool (a render whose request was cut at shutdown) does
    // not hold the process up.
    runtime.shutdown_timeout(std::time::Duration::from_secs(1));
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            // One line: what failed and why, in the words of each layer.
            let chain: Vec<String> = error.chain().map(ToString::to_string).collect();
            eprintln!("error: {}", chain.join(": "));
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr; `RUST_LOG` narrows or widens them. A thread of their own writes them, so
/// the access log's line per request never holds up a thread that answers readers; when it
/// falls behind, callers wait rather than lines being lost.
fn init_tracing(format: cli::LogFormat) -> tracing_appender::non_blocking::WorkerGuard {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
        tracing_subscriber::EnvFilter::new("info,sqlx=warn,tantivy=warn,tower_http=info")
    });
    let (writer, guard) = tracing_appender::non_blocking::NonBlockingBuilder::default()
        .lossy(false)
        .finish(std::io::stderr());
    let logs = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    match format {
        cli::LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        // Each line carries the spans it happened in: the request's method, address and id.
        cli::LogFormat::Json => logs
            .json()
            .with_current_span(true)
            .with_span_list(true)
            .init(),
    }
    guard
}
