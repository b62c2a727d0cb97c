//! Fixed data for rendering: a site, a section, a signed story with a lead image, summaries.
//! Shared by the page tests and the render benchmark.

use jiff::{Timestamp, tz::TimeZone};
use rotative_domain::{
    AltText, Article, ArticleId, ArticleKind, ArticlePath, ArticleStatus, ArticleSummary, Author,
    Figure, Headline, MediaId, Name, PageLink, SearchAndSocial, Section, Slug, Standfirst, Tag,
};
use rotative_render::{Site, SiteNav};

pub fn site() -> Site {
    Site {
        name: "Rotative".into(),
        base_url: "https://journal.example".into(),
        description: "Un journal d'essai".into(),
        time_zone: TimeZone::get("Europe/Paris").unwrap(),
        feed_full_text: true,
        page_size: 10,
    }
}

pub fn section() -> Section {
    Section::named(Name::parse("Monde").unwrap()).unwrap()
}

pub fn author() -> Author {
    Author {
        bio: Some("Correspondante en Europe de l'Est.".into()),
        ..Author::named(Name::parse("Claire Dubois").unwrap()).unwrap()
    }
}

pub fn figure() -> Figure {
    Figure {
        media: MediaId(1),
        key: format!("{}.jpg", "0".repeat(32)),
        width: 1200,
        height: 675,
        animated: false,
        alt: AltText::parse("Une place enneigée à Minsk").unwrap(),
        caption: Some("La place, un matin d'hiver".into()),
        credit: Some("Illustration Rotative".into()),
    }
}

pub fn article() -> Article {
    let slug = Slug::parse("minsk-sous-pression").unwrap();
    let published: Timestamp = "2026-11-24T07:00:00Z".parse().unwrap();
    Article {
        id: ArticleId(7),
        path: ArticlePath::new(&section().slug, &slug, published, &site().time_zone),
        slug,
        headline: Headline::parse("Minsk sous pression : l'armée s'interroge").unwrap(),
        standfirst: Some(Standfirst::parse("Des officiers écrivent au président.").unwrap()),
        body_html: "<p>Texte.</p>".into(),
        kind: ArticleKind::Analysis,
        status: ArticleStatus::Published,
        section: section(),
        tags: vec![Tag::named(Name::parse("Bélarus").unwrap()).unwrap()],
        authors: vec![
            author(),
            Author::named(Name::parse("Marc Lefèvre").unwrap()).unwrap(),
        ],
        lead_image: Some(figure()),
        sources: vec![
            rotative_domain::Source::parse(
                "La lettre des officiers",
                "https://exemple.fr/lettre.pdf",
            )
            .unwrap(),
        ],
        claim: None,
        search_and_social: SearchAndSocial::default(),
        published_at: Some(published),
        updated_at: "2026-11-24T15:30:00Z".parse().unwrap(),
        is_page: false,
    }
}

/// What every page links to: one section, and the legal notice in the footer.
pub fn nav() -> SiteNav {
    SiteNav {
        sections: vec![section()],
        footer: vec![PageLink {
            title: Headline::parse("Mentions légales").unwrap(),
            path: ArticlePath::page(&Slug::parse("mentions-legales").unwrap()),
        }],
    }
}

pub fn summary(n: i64) -> ArticleSummary {
    let a = article();
    ArticleSummary {
        id: ArticleId(n),
        path: a.path,
        headline: Headline::parse(&format!("Titre {n} <b>échappé</b>")).unwrap(),
        standfirst: a.standfirst,
        kind: ArticleKind::News,
        section: a.section,
        authors: a.authors,
        lead_image: Some(figure()),
        published_at: a.published_at.unwrap(),
    }
}
