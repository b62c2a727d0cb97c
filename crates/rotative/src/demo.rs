//! Demo content for a new site: original stories written for Rotative, with illustrations the
//! program draws itself, dated relative to now so the site looks alive on first start.

use std::collections::HashMap;

use anyhow::Context;
use jiff::{Timestamp, ToSpan};
use rotative_domain::{Author, Name, ProfileLinks};
use rotative_import::{Importer, parse_story};
use rotative_media::illustration;
use rotative_render::Theme;
use rotative_store::{Audit, ProfileFields};
use serde::Deserialize;

use crate::site::OpenSite;

const STORIES: &[(&str, &str)] = &[
    (
        "01-vilnius-presse-exil.md",
        include_str!("../demo/01-vilnius-presse-exil.md"),
    ),
    (
        "02-baltique-cables.md",
        include_str!("../demo/02-baltique-cables.md"),
    ),
    ("04-tulle-pont.md", include_str!("../demo/04-tulle-pont.md")),
    (
        "07-bois-chauffage.md",
        include_str!("../demo/07-bois-chauffage.md"),
    ),
    (
        "10-marseille-bibliotheque.md",
        include_str!("../demo/10-marseille-bibliotheque.md"),
    ),
    (
        "12-comete-creuse.md",
        include_str!("../demo/12-comete-creuse.md"),
    ),
    ("03-bialowieza.md", include_str!("../demo/03-bialowieza.md")),
    (
        "05-lille-maraude.md",
        include_str!("../demo/05-lille-maraude.md"),
    ),
    (
        "08-entretien-fromagere.md",
        include_str!("../demo/08-entretien-fromagere.md"),
    ),
    (
        "11-tribune-festivals.md",
        include_str!("../demo/11-tribune-festivals.md"),
    ),
    (
        "13-loutre-bretagne.md",
        include_str!("../demo/13-loutre-bretagne.md"),
    ),
    (
        "06-cantines-locales.md",
        include_str!("../demo/06-cantines-locales.md"),
    ),
    ("09-livret-a.md", include_str!("../demo/09-livret-a.md")),
    (
        "14-grand-nord-pergelisol.md",
        include_str!("../demo/14-grand-nord-pergelisol.md"),
    ),
];

/// The site's pages, listed in its footer.
const PAGES: &[(&str, &str)] = &[
    (
        "pages/a-propos.md",
        include_str!("../demo/pages/a-propos.md"),
    ),
    (
        "pages/mentions-legales.md",
        include_str!("../demo/pages/mentions-legales.md"),
    ),
    (
        "pages/accessibilite.md",
        include_str!("../demo/pages/accessibilite.md"),
    ),
];

/// The figures of the project's last accessibility check (written by its test), which the
/// accessibility statement gives.
const ACCESSIBILITY_CHECK: &str = include_str!("../demo/pages/accessibilite.toml");

#[derive(Deserialize)]
struct AccessibilityCheck {
    checked_on: jiff::civil::Date,
    pages: u32,
    checks: u32,
    violations: u32,
}

/// A demo page's text, with the last accessibility check's figures where it names them.
fn with_check_figures(text: &str, time_zone: &jiff::tz::TimeZone) -> anyhow::Result<String> {
    let check: AccessibilityCheck =
        toml::from_str(ACCESSIBILITY_CHECK).context("the accessibility check's figures")?;
    let day = check
        .checked_on
        .at(12, 0, 0, 0)
        .to_zoned(time_zone.clone())?;
    Ok(text
        .replace(
            "{date}",
            &rotative_render::DateView::new(day.timestamp(), time_zone).day,
        )
        .replace("{pages}", &check.pages.to_string())
        .replace("{checks}", &check.checks.to_string())
        .replace("{violations}", &check.violations.to_string()))
}

const AUTHORS: &str = include_str!("../demo/authors.toml");

/// Hours between two demo stories, newest first.
const HOURS_APART: i64 = 7;

const ILLUSTRATION_SIZE: (u32, u32) = (1200, 675);

/// The setting that records that a site was offered demo content, once in its life.
const DEMO_SETTING: &str = "demo_content";

#[derive(Deserialize)]
struct AuthorsFile {
    author: Vec<AuthorEntry>,
}

#[derive(Deserialize)]
struct AuthorEntry {
    name: String,
    job_title: String,
    bio: String,
}

/// Adds the demo to a site that has never had any content; a site whose stories were all
/// deleted stays empty.
pub async fn load_if_new(site: &OpenSite, theme: &Theme) -> anyhow::Result<()> {
    // Claimed first, so that of several instances starting on one new database, one loads it.
    if !site.store.claim_setting(DEMO_SETTING, "loading").await? {
        return Ok(());
    }
    if !site.store.is_empty().await? {
        site.store
            .set_setting(DEMO_SETTING, "skipped: the site had content")
            .await?;
        return Ok(());
    }
    tracing::info!(stories = STORIES.len(), "new site: adding demo content");
    let authors: AuthorsFile = toml::from_str(AUTHORS).context("demo authors")?;
    for entry in authors.author {
        let name = Name::parse(&entry.name)?;
        let id = site
            .store
            .ensure_author(&Author::named(name.clone())?)
            .await?;
        let profile = ProfileFields {
            name: &name,
            bio: Some(&entry.bio),
            job_title: Some(&entry.job_title),
            photo: None,
            links: &ProfileLinks::default(),
        };
        site.store
            .change_byline(id, profile, Audit::by(None, "byline_change"))
            .await?;
    }
    let importer = Importer {
        store: &site.store,
        storage: &site.storage,
        theme,
        time_zone: &site.time_zone,
    };
    let now = Timestamp::now();
    for ((file, text), age) in STORIES.iter().zip(0_i64..) {
        let mut story = parse_story(text).with_context(|| format!("demo story {file}"))?;
        story.published_at = Some(now - (1 + age * HOURS_APART).hours());
        let mut images = HashMap::new();
        for figure in &story.figures {
            let (width, height) = ILLUSTRATION_SIZE;
            images.insert(
                figure.name.clone(),
                illustration::draw(&figure.name, width, height)?,
            );
        }
        importer
            .import(story, &images)
            .await
            .with_context(|| format!("demo story {file}"))?;
    }
    for (file, text) in PAGES {
        let text = with_check_figures(text, &site.time_zone)?;
        let mut page = parse_story(&text).with_context(|| format!("demo page {file}"))?;
        page.published_at = Some(now - (30 * 24).hours());
        importer
            .import(page, &HashMap::new())
            .await
            .with_context(|| format!("demo page {file}"))?;
    }
    site.store.set_setting(DEMO_SETTING, "loaded").await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_story_parses_and_is_illustrated() {
        let mut sections = std::collections::HashSet::new();
        let mut authors = std::collections::HashSet::new();
        for (file, text) in STORIES {
            let story = parse_story(text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(!story.figures.is_empty(), "{file} has an illustration");
            assert!(story.body.contains("\n> "), "{file} has a quotation");
            assert!(!story.tags.is_empty(), "{file} has tags");
            sections.insert(story.section.slug);
            authors.extend(story.authors.into_iter().map(|a| a.slug));
        }
        assert!(STORIES.len() >= 12);
        assert!(sections.len() >= 3);
        assert!(authors.len() >= 3);
        let listed = toml::from_str::<AuthorsFile>(AUTHORS).unwrap();
        assert_eq!(
            listed.author.len(),
            authors.len(),
            "every demo byline has a bio"
        );
    }

    #[test]
    fn every_demo_page_parses_and_goes_in_the_footer() {
        let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        for (file, text) in PAGES {
            let text = with_check_figures(text, &paris).unwrap();
            assert!(!text.contains("{pages}"), "{file}: every figure is given");
            let page = parse_story(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
            assert!(page.is_page, "{file} is a page");
            assert!(page.footer_position.is_some(), "{file} is in the footer");
        }
    }

    #[test]
    fn the_readme_counts_the_demo_stories() {
        let readme = include_str!("../../../README.md");
        let numbers = [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ];
        let said = format!("{} demo stories", numbers[STORIES.len()]);
        assert!(readme.contains(&said), "the README should say « {said} »");
    }
}
