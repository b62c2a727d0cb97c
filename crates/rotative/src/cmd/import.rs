//! `rotative import story FILE` and `rotative import wordpress FILE`

use std::path::Path;

use anyhow::Context;
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

/// Imports a WordPress export, saying how far it got (a line that rewrites itself on a
/// terminal, a line every hundred items otherwise), then what it did. Fails (exit 1) when any
/// item could not be imported.
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
    let terminal = std::io::stderr().is_terminal();
    let report = importer
        .import(file, |done, total| {
            if terminal {
                eprint!("\r{done}/{total} items");
            } else if done % 100 == 0 || done == total {
                eprintln!("{done}/{total} items");
            }
        })
        .await;
    if terminal {
        eprintln!();
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

fn print_report(report: &ImportReport) {
    println!("imported   {}", report.imported);
    println!(
        "unchanged  {} (imported by an earlier run)",
        report.unchanged
    );
    println!("skipped    {}", report.skipped.len());
    println!("failed     {}", report.failed.len());
    println!("redirects  {}", report.redirects);
    if report.unchanged > 0 && report.imported == 0 && report.failed.is_empty() {
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
            "note: {} sticky post(s): Rotative has no pinned stories yet",
            report.sticky
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
