//! Every page of the default theme rendered from fixed data: a template error fails here, and the
//! article page is kept as a snapshot so any change to what readers get is seen in review.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "test fixtures fail loudly"
)]

mod support;

use rotative_domain::{Name, PageNumber, Pagination, Tag};
use rotative_render::{HomeSection, ListingKind, Pages, Theme};
use support::{article, author, nav, section, site, summary};

#[test]
fn article_page_snapshot() {
    let theme = Theme::embedded();
    let site = site();
    let nav = nav();
    let html = Pages::new(&theme, &site, &nav)
        .article(&article(), &[summary(2)], &[])
        .unwrap();
    let html = html.replace(&theme.stylesheet().url, "/theme/style.[hash].css");
    insta::assert_snapshot!(html);
}

#[test]
fn every_other_page_renders() {
    let theme = Theme::embedded();
    let site = site();
    let nav = nav();
    let pages = Pages::new(&theme, &site, &nav);
    let home = pages
        .home(
            &[summary(1), summary(2)],
            &[HomeSection {
                section: section(),
                stories: vec![summary(3)],
            }],
        )
        .unwrap();
    assert!(home.contains("<h1"), "home has a heading");
    assert!(
        home.contains("Titre 1 &lt;b&gt;échappé&lt;/b&gt;"),
        "escaped: {home}"
    );
    let pagination = Pagination::new(PageNumber::parse("2").unwrap(), 1, 3);
    let tag = Tag::named(Name::parse("Bélarus").unwrap()).unwrap();
    for kind in [
        ListingKind::Section(&section(), None),
        ListingKind::Tag(&tag),
        ListingKind::Author(&author()),
    ] {
        let html = pages.listing(kind, &[summary(4)], &pagination).unwrap();
        assert!(html.contains("rel=\"prev\""), "{html}");
        assert!(html.contains("?page=3"), "{html}");
    }
    let author_page = pages
        .listing(ListingKind::Author(&author()), &[], &pagination)
        .unwrap();
    assert!(author_page.contains("ProfilePage") && author_page.contains("Correspondante"));
    let not_found = pages.error(404, "Cette page n'existe pas.").unwrap();
    assert!(not_found.contains("Page introuvable") && not_found.contains("lang=\"fr\""));
}

#[test]
fn a_page_of_the_site_is_its_text_with_no_byline_and_every_page_lists_the_footer() {
    let theme = Theme::embedded();
    let site = site();
    let nav = nav();
    let mut legal = article();
    legal.is_page = true;
    legal.path = rotative_domain::ArticlePath::page(
        &rotative_domain::Slug::parse("mentions-legales").unwrap(),
    );
    legal.headline = rotative_domain::Headline::parse("Mentions légales").unwrap();
    let html = Pages::new(&theme, &site, &nav)
        .article(&legal, &[], &[])
        .unwrap();
    let html = html.replace(&theme.stylesheet().url, "/theme/style.[hash].css");
    insta::assert_snapshot!(html);
    assert!(!html.contains("class=\"byline\""), "no byline");
    assert!(html.contains("\"@type\":\"WebPage\""));
    assert!(
        html.contains(r#"<a href="/mentions-legales/" aria-current="page">Mentions légales</a>"#),
        "the footer says which page this is"
    );
    let story = Pages::new(&theme, &site, &nav)
        .article(&article(), &[], &[])
        .unwrap();
    assert!(story.contains(r#"<a href="/mentions-legales/">Mentions légales</a>"#));
}

#[test]
fn fact_checks_show_their_verdict_and_carry_a_claim_review() {
    let theme = Theme::embedded();
    let site = site();
    let nav = nav();
    let mut fact_check = article();
    fact_check.kind = rotative_domain::ArticleKind::FactCheck;
    fact_check.claim = Some(
        rotative_domain::Claim::parse(
            "La brigade compte dix mille hommes.",
            Some("Un ministre"),
            rotative_domain::ClaimRating::MostlyFalse,
        )
        .unwrap(),
    );
    let html = Pages::new(&theme, &site, &nav)
        .article(&fact_check, &[], &[])
        .unwrap();
    assert!(html.contains(">Vérification</p>"), "the kind is visible");
    assert!(html.contains("Notre verdict&nbsp;: <strong>Plutôt faux</strong>"));
    assert!(html.contains("\"@type\":\"ClaimReview\""));
    assert!(html.contains("\"claimReviewed\":\"La brigade compte dix mille hommes.\""));
    assert!(html.contains("\"ratingValue\":2"));
}

#[test]
fn feeds_snapshot() {
    use rotative_render::{FeedChannel, FeedEntry, FeedFormat, render_feed};
    let site = site();
    let channel = FeedChannel {
        title: "Rotative – Monde".into(),
        description: "Les articles de la rubrique Monde".into(),
        page_path: "/monde/".into(),
    };
    let story = summary(2);
    let body = "<p>Texte avec une <a href=\"/monde/\">rubrique</a> et <img src=\"/media/x.jpg\" alt=\"\">.</p>";
    let entries = [FeedEntry {
        summary: &story,
        body_html: body,
        updated_at: "2026-11-24T15:30:00Z".parse().unwrap(),
    }];
    for format in FeedFormat::ALL {
        let feed = render_feed(&site, format, &channel, &entries, true).unwrap();
        insta::assert_snapshot!(format.file_name(), feed);
    }
    let summary_only = render_feed(&site, FeedFormat::Atom, &channel, &entries, false).unwrap();
    assert!(
        !summary_only.contains("<content"),
        "a summary-only feed carries no body"
    );
}
