//! `rotative import story FILE` and `rotative import wordpress FILE`

use std::path::Path;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressState, ProgressStyle};
use std::fmt;
use std::io::IsTerminal;

use rotative_import::{ImportReport, Importer, WordPressImporter};

use crate::{cli::SiteArgs, site::OpenSite};

/// The address a site answers on when nothing else is said (the default `--listen`).
const DEFAULT_BASE_URL: &str = "http://127.0.0.1:8080";

pub async fn story(file: &Path, args: &SiteArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    let theme = OpenSite::theme(None)?;
    let importer = Importer {
        store: &site.store,
        storage: &site.storage,
        theme: &theme,
        time_zone: &site.time_zone,
    };
    let story = importer
        .import_file(file)
        .await
        .with_context(|| file.display().to_string())?;
    match story.path {
        Some(path) => println!(
            "{}",
            site.site(args, DEFAULT_BASE_URL).absolute(path.as_ref())
        ),
        None => println!("draft saved (story {})", story.id),
    }
    site.store.close().await;
    Ok(())
}

/// Imports a WordPress export, saying how far it got (a progress bar on a terminal, a line
/// every hundred items otherwise), then what it did. Fails (exit 1) when any item could not be
/// imported.
pub async fn wordpress(file: &Path, uploads: Option<&Path>, args: &SiteArgs) -> anyhow::Result<()> {
    let site = OpenSite::open(args).await?;
    let theme = OpenSite::theme(None)?;
    let importer = WordPressImporter {
        store: &site.store,
        storage: &site.storage,
        theme: &theme,
        time_zone: &site.time_zone,
        uploads,
    };
    let bar = std::io::stderr().is_terminal().then(progress_bar);
    let report = importer
        .import(file, |done, total| match &bar {
            Some(bar) => {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            }
            None if done % 100 == 0 || done == total => eprintln!("{done}/{total} items"),
            None => {}
        })
        .await;
    if let Some(bar) = bar {
        // The report follows on the same terminal: the bar gives way to it.
        bar.finish_and_clear();
    }
    site.store.close().await;
    let report = report?;
    print_report(&report);
    if report.failed.is_empty() {
        Ok(())
    } else {
        anyhow::bail!("{} item(s) could not be imported", report.failed.len())
    }
}

/// Items done out of all, with the rate and the time left; redrawn a few times a second.
fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    let style =
        ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} items  {rate}  {eta} left")
            .map(|style| {
                style.progress_chars("█▉▊▋▌▍▎▏ ").with_key(
                    "rate",
                    |state: &ProgressState, out: &mut dyn fmt::Write| {
                        let _ = write!(out, "{:.0}/s", state.per_sec());
                    },
                )
            });
    if let Ok(style) = style {
        bar.set_style(style);
    }
    bar
}

fn print_report(report: &ImportReport) {
    println!("imported   {}", report.imported);
    println!(
        "updated    {} (changed at the source since an earlier run)",
        report.updated
    );
    println!(
        "unchanged  {} (imported by an earlier run)",
        report.unchanged
    );
    println!("skipped    {}", report.skipped.len());
    println!("failed     {}", report.failed.len());
    println!("redirects  {}", report.redirects);
    println!(
        "accounts   {} (without a password: an admin activates them under Comptes)",
        report.accounts
    );
    if report.unchanged > 0
        && report.imported == 0
        && report.updated == 0
        && report.failed.is_empty()
    {
        println!("nothing changed: every item was already imported");
    }
    for (item, reason) in &report.failed {
        println!("  failed:  {item}: {reason}");
    }
    for (item, reason) in &report.skipped {
        println!("  skipped: {item}: {reason}");
    }
    if report.scheduled > 0 {
        println!(
            "note: {} scheduled post(s) will go live at their date",
            report.scheduled
        );
    }
    if report.sticky > 0 {
        println!(
            "note: {} sticky post(s) put on the front page (« la une »), in its free slots",
            report.sticky
        );
    }
    if !report.authors_without_account.is_empty() {
        println!(
            "note: no account for {} (no valid email address in the export): bylines only",
            report.authors_without_account.join(", ")
        );
    }
    if report.comments > 0 {
        println!(
            "note: {} comment(s) not imported (Rotative has no comments yet)",
            report.comments
        );
    }
    if !report.unknown_shortcodes.is_empty() {
        let names: Vec<&str> = report
            .unknown_shortcodes
            .iter()
            .map(String::as_str)
            .collect();
        println!("note: shortcodes kept as text: [{}]", names.join("], ["));
    }
    if !report.images_left_out.is_empty() {
        println!(
            "note: {} image(s) left out of the stories: not in --uploads, or not a JPEG, PNG, WebP or GIF",
            report.images_left_out.len()
        );
    }
}
