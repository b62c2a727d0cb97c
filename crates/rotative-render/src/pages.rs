//! Whole pages: each function takes domain data and returns the HTML a reader receives.

use minijinja::context;
use rotative_domain::{
    Article, ArticlePath, ArticleSummary, Author, Correction, PageLink, Pagination, Section, Slug,
    Tag,
};
use serde::Serialize;

use crate::{
    BylineView, FeedChannel, RenderError, SharedImage, Site, Theme,
    body::embed_origins,
    dates::DateView,
    jsonld,
    views::{
        CardView, ImageView, LinkView, PageMeta, author_url, feed_links, section_url, tag_url,
    },
};

#[derive(Serialize)]
struct SiteView<'a> {
    name: &'a str,
    description: &'a str,
    stylesheet: &'a str,
}

#[derive(Serialize)]
struct ClaimView {
    text: String,
    author: Option<String>,
    rating: &'static str,
    verdict: &'static str,
}

#[derive(Serialize)]
struct NoteView {
    kind: &'static str,
    label: &'static str,
    note: String,
    date: DateView,
    headline: Option<String>,
    url: Option<String>,
}

#[derive(Serialize)]
struct NavItem {
    name: String,
    url: String,
    current: bool,
}

/// What every page links to: the sections in the masthead, the site's pages in the footer.
#[derive(Debug, Clone, Default)]
pub struct SiteNav {
    pub sections: Vec<Section>,
    pub footer: Vec<PageLink>,
}

/// What a page is, for the link that leads to it to say so (`aria-current`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Current<'a> {
    Nothing,
    Section(&'a Slug),
    Page(&'a ArticlePath),
}

/// Every page's links, as its templates read them.
#[derive(Serialize)]
struct NavView {
    sections: Vec<NavItem>,
    footer: Vec<NavItem>,
}

/// A section block on the home page.
#[derive(Debug, Clone)]
pub struct HomeSection {
    pub section: Section,
    pub stories: Vec<ArticleSummary>,
}

/// The API's reference, as its page lists it: groups of operations, each described.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiReference {
    pub groups: Vec<ApiGroup>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiGroup {
    pub name: String,
    pub description: String,
    pub operations: Vec<ApiOperation>,
}

/// An operation of the API; its texts are HTML already (escaped, with `<code>`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiOperation {
    pub method: String,
    pub path: String,
    /// Its first sentence, then the rest.
    pub summary: String,
    pub description: String,
    /// Whether it needs a token.
    pub token: bool,
    pub parameters: Vec<ApiParameter>,
    /// The body's media type, if it takes one.
    pub body: Option<String>,
    pub responses: Vec<(String, String)>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ApiParameter {
    pub name: String,
    /// `path`, `query` or `header`.
    pub place: String,
    pub required: bool,
    pub description: String,
}

/// A search as the results page shows it: what was asked, what was found, where the pages are.
#[derive(Debug, Clone, Serialize)]
pub struct SearchPage {
    pub query: String,
    pub section: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub total: usize,
    pub page: u32,
    pub total_pages: u32,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub hits: Vec<SearchHitView>,
    /// When nothing is found: the latest stories, to read something anyway.
    pub latest: Vec<ArticleSummary>,
    /// The same words without the section and date filters, when some are set.
    pub unfiltered: Option<String>,
}

/// One result, its passage already marked up by the search index (escaped text and `<mark>`).
#[derive(Debug, Clone, Serialize)]
pub struct SearchHitView {
    pub url: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub section_name: String,
    pub section_url: String,
    pub published_at: jiff::Timestamp,
    pub snippet_html: String,
}

/// Which listing a page shows.
#[derive(Debug, Clone, Copy)]
pub enum ListingKind<'a> {
    /// A section, with the description its editors wrote, if any.
    Section(&'a Section, Option<&'a str>),
    Tag(&'a Tag),
    Author(&'a Author),
}

impl ListingKind<'_> {
    /// The feeds of this listing, named like its page.
    pub fn feed_channel(self, site_name: &str) -> FeedChannel {
        let (name, description) = match self {
            Self::Section(section, description) => (
                section.name.as_ref(),
                description.map_or_else(
                    || format!("Les articles de la rubrique {}", section.name),
                    str::to_owned,
                ),
            ),
            Self::Tag(tag) => (
                tag.name.as_ref(),
                format!("Les articles sur le sujet {}", tag.name),
            ),
            Self::Author(author) => (
                author.name.as_ref(),
                format!("Les articles de {}", author.name),
            ),
        };
        FeedChannel {
            title: format!("{site_name} – {name}"),
            description,
            page_path: self.path(),
        }
    }

    fn path(self) -> String {
        match self {
            Self::Section(section, _) => section_url(section),
            Self::Tag(tag) => tag_url(tag),
            Self::Author(author) => author_url(author),
        }
    }
}

#[derive(Serialize)]
struct ArticleView {
    headline: String,
    standfirst: Option<String>,
    kind: &'static str,
    kind_label: &'static str,
    section: LinkView,
    authors: Vec<LinkView>,
    /// The bylines with a profile, shown at the story's foot.
    bylines: Vec<BylineView>,
    published: Option<DateView>,
    updated: Option<DateView>,
    body_html: String,
    tags: Vec<LinkView>,
    sources: Vec<rotative_domain::Source>,
    claim: Option<ClaimView>,
    image: Option<ImageView>,
    shared_image: Option<SharedImage>,
    /// The card a shared link makes: its headline and description.
    social_headline: String,
    social_description: Option<String>,
}

/// Renders pages for one site with one theme; `nav` is what every page links to.
pub struct Pages<'a> {
    theme: &'a Theme,
    site: &'a Site,
    nav: &'a SiteNav,
}

impl<'a> Pages<'a> {
    pub fn new(theme: &'a Theme, site: &'a Site, nav: &'a SiteNav) -> Self {
        Self { theme, site, nav }
    }

    fn site_view(&self) -> SiteView<'a> {
        SiteView {
            name: &self.site.name,
            description: &self.site.description,
            stylesheet: &self.theme.stylesheet().url,
        }
    }

    /// The links of every page; `current` is the section, or the site's page, being shown.
    fn nav(&self, current: Current<'_>) -> NavView {
        NavView {
            sections: self
                .nav
                .sections
                .iter()
                .map(|section| NavItem {
                    name: section.name.to_string(),
                    url: section_url(section),
                    current: current == Current::Section(&section.slug),
                })
                .collect(),
            footer: self
                .nav
                .footer
                .iter()
                .map(|page| NavItem {
                    name: page.title.to_string(),
                    url: page.path.to_string(),
                    current: current == Current::Page(&page.path),
                })
                .collect(),
        }
    }

    fn cards(&self, stories: &[ArticleSummary]) -> Vec<CardView> {
        stories
            .iter()
            .map(|s| CardView::new(s, &self.site.time_zone))
            .collect()
    }

    pub fn article(
        &self,
        article: &Article,
        related: &[ArticleSummary],
        corrections: &[Correction],
    ) -> Result<String, RenderError> {
        self.article_page(article, related, corrections, None)
    }

    /// A story not yet published, as its page will be, for the newsroom: said to be a preview,
    /// with the way back to its editor (`back`).
    pub fn article_preview(&self, article: &Article, back: &str) -> Result<String, RenderError> {
        self.article_page(article, &[], &[], Some(back))
    }

    fn article_page(
        &self,
        article: &Article,
        related: &[ArticleSummary],
        corrections: &[Correction],
        preview_back: Option<&str>,
    ) -> Result<String, RenderError> {
        if article.is_page {
            return self.site_page(article, corrections, preview_back);
        }
        let tz = &self.site.time_zone;
        let canonical = self.site.absolute(article.path.as_ref());
        let crumbs = [
            LinkView {
                name: "Accueil".into(),
                url: "/".into(),
            },
            LinkView::from(&article.section),
            LinkView {
                name: article.headline.to_string(),
                url: article.path.to_string(),
            },
        ];
        let view = ArticleView {
            headline: article.headline.to_string(),
            standfirst: article.standfirst.as_ref().map(ToString::to_string),
            kind: article.kind.as_str(),
            kind_label: article.kind.label_fr(),
            section: (&article.section).into(),
            authors: article.authors.iter().map(LinkView::from).collect(),
            bylines: article
                .authors
                .iter()
                .map(BylineView::of)
                .filter(BylineView::is_described)
                .collect(),
            published: article.published_at.map(|at| DateView::new(at, tz)),
            // A public note is an update even when it came within the publication's second.
            updated: (article.was_updated() || !corrections.is_empty())
                .then(|| DateView::new(article.updated_at, tz)),
            body_html: article.body_html.clone(),
            tags: article.tags.iter().map(LinkView::from).collect(),
            sources: article.sources.clone(),
            claim: article.claim.as_ref().map(|c| ClaimView {
                text: c.text.clone(),
                author: c.author.clone(),
                rating: c.rating.as_str(),
                verdict: c.rating.label_fr(),
            }),
            image: article.lead_image.as_ref().map(ImageView::from),
            shared_image: article.lead_image.as_ref().map(|figure| {
                let mut shared = SharedImage::of(figure);
                shared.path = self.site.absolute(&shared.path);
                shared
            }),
            social_headline: article.social_headline().to_owned(),
            social_description: article.social_description().map(str::to_owned),
        };
        let meta = PageMeta {
            title: article.search_headline().to_owned(),
            description: view.standfirst.clone(),
            canonical: Some(canonical),
            ..PageMeta::default()
        };
        let jsonld = jsonld::to_script_text(&jsonld::news_article(self.site, article, &crumbs));
        self.theme.render(
            "article.html",
            &context! {
                site => self.site_view(),
                nav => self.nav(Current::Section(&article.section.slug)),
                page => meta,
                article => view,
                breadcrumbs => crumbs,
                related => self.cards(related),
                corrections => self.notes(corrections),
                embeds_script => (!embed_origins(&article.body_html).is_empty())
                    .then(|| self.theme.embeds_script().url.as_str()),
                jsonld => jsonld,
                preview_back => preview_back,
            },
        )
    }

    /// One of the site's pages (about, legal notice): its text and when it last changed, with
    /// no byline, section or related stories.
    fn site_page(
        &self,
        page: &Article,
        corrections: &[Correction],
        preview_back: Option<&str>,
    ) -> Result<String, RenderError> {
        let crumbs = [
            LinkView {
                name: "Accueil".into(),
                url: "/".into(),
            },
            LinkView {
                name: page.headline.to_string(),
                url: page.path.to_string(),
            },
        ];
        let meta = PageMeta {
            title: page.search_headline().to_owned(),
            description: page.standfirst.as_ref().map(ToString::to_string),
            canonical: Some(self.site.absolute(page.path.as_ref())),
            ..PageMeta::default()
        };
        let jsonld = jsonld::to_script_text(&jsonld::web_page(self.site, page, &crumbs));
        self.theme.render(
            "page.html",
            &context! {
                site => self.site_view(),
                nav => self.nav(Current::Page(&page.path)),
                page => meta,
                headline => page.headline.as_ref(),
                standfirst => page.standfirst.as_ref().map(AsRef::as_ref),
                social_headline => page.social_headline(),
                social_description => page.social_description(),
                updated => DateView::new(page.updated_at, &self.site.time_zone),
                body_html => page.body_html.as_str(),
                breadcrumbs => crumbs,
                corrections => self.notes(corrections),
                embeds_script => (!embed_origins(&page.body_html).is_empty())
                    .then(|| self.theme.embeds_script().url.as_str()),
                jsonld => jsonld,
                preview_back => preview_back,
            },
        )
    }

    pub fn home(
        &self,
        top: &[ArticleSummary],
        sections: &[HomeSection],
    ) -> Result<String, RenderError> {
        #[derive(Serialize)]
        struct SectionBlock {
            section: LinkView,
            stories: Vec<CardView>,
        }
        let blocks: Vec<SectionBlock> = sections
            .iter()
            .filter(|block| !block.stories.is_empty())
            .map(|block| SectionBlock {
                section: (&block.section).into(),
                stories: self.cards(&block.stories),
            })
            .collect();
        let meta = PageMeta {
            title: self.site.name.clone(),
            description: Some(self.site.description.clone()),
            canonical: Some(self.site.absolute("/")),
            ..PageMeta::default()
        };
        self.theme.render(
            "home.html",
            &context! {
                site => self.site_view(),
                nav => self.nav(Current::Nothing),
                page => meta,
                top => self.cards(top),
                sections => blocks,
            },
        )
    }

    pub fn listing(
        &self,
        kind: ListingKind<'_>,
        stories: &[ArticleSummary],
        pagination: &Pagination,
    ) -> Result<String, RenderError> {
        let path = kind.path();
        let page_url = |page: u32| {
            if page == 1 {
                path.clone()
            } else {
                format!("{path}?page={page}")
            }
        };
        let profile = match kind {
            ListingKind::Author(author) => Some(BylineView::of(author)),
            ListingKind::Section(..) | ListingKind::Tag(_) => None,
        };
        let (kind_name, name, title, description, current, intro, jsonld) = match kind {
            ListingKind::Section(section, description) => (
                "section",
                section.name.to_string(),
                section.name.to_string(),
                description.map_or_else(
                    || format!("Les articles de la rubrique {}", section.name),
                    str::to_owned,
                ),
                Some(&section.slug),
                description.map(str::to_owned),
                None,
            ),
            ListingKind::Tag(tag) => (
                "tag",
                tag.name.to_string(),
                format!("Sujet : {}", tag.name),
                format!("Les articles sur le sujet {}", tag.name),
                None,
                None,
                None,
            ),
            ListingKind::Author(author) => (
                "author",
                author.name.to_string(),
                author.name.to_string(),
                author.bio.as_deref().map_or_else(
                    || format!("Les articles de {}", author.name),
                    crate::bio_text,
                ),
                None,
                None,
                Some(jsonld::to_script_text(&jsonld::profile_page(
                    self.site, author,
                ))),
            ),
        };
        let title = if pagination.page > 1 {
            format!("{title} – page {}", pagination.page)
        } else {
            title
        };
        let meta = PageMeta {
            title,
            description: Some(description),
            canonical: Some(self.site.absolute(&page_url(pagination.page))),
            prev: pagination.previous().map(page_url),
            next: pagination.next().map(page_url),
            feeds: feed_links(&format!("{} – {name}", self.site.name), &path),
        };
        self.theme.render(
            "listing.html",
            &context! {
                site => self.site_view(),
                nav => self.nav(current.map_or(Current::Nothing, Current::Section)),
                page => meta,
                kind => kind_name,
                name => name,
                intro => intro,
                profile => profile,
                stories => self.cards(stories),
                pagination => pagination,
                jsonld => jsonld,
            },
        )
    }

    fn notes(&self, corrections: &[Correction]) -> Vec<NoteView> {
        corrections
            .iter()
            .map(|c| NoteView {
                kind: c.kind.as_str(),
                label: c.kind.label_fr(),
                note: c.note.clone(),
                date: DateView::new(c.at, &self.site.time_zone),
                headline: None,
                url: None,
            })
            .collect()
    }

    /// Every public correction and update, newest first, each with the story it belongs to.
    pub fn corrections(
        &self,
        entries: &[(Correction, String, String)],
    ) -> Result<String, RenderError> {
        let notes: Vec<NoteView> = entries
            .iter()
            .map(|(c, headline, url)| NoteView {
                headline: Some(headline.clone()),
                url: Some(url.clone()),
                ..self.notes(std::slice::from_ref(c)).remove(0)
            })
            .collect();
        let meta = PageMeta {
            title: "Corrections et mises à jour".into(),
            description: Some("Les corrections et mises à jour publiées par la rédaction.".into()),
            canonical: Some(self.site.absolute("/corrections/")),
            ..PageMeta::default()
        };
        self.theme.render(
            "corrections.html",
            &context! { site => self.site_view(), nav => self.nav(Current::Nothing), page => meta, notes => notes },
        )
    }

    /// The search page: the form, then results or, when there are none, suggestions.
    pub fn search(&self, search: &SearchPage) -> Result<String, RenderError> {
        let title = if search.query.is_empty() {
            "Recherche".to_owned()
        } else {
            format!("Recherche : {}", search.query)
        };
        let meta = PageMeta {
            title,
            description: Some(format!(
                "Rechercher dans les articles de {}",
                self.site.name
            )),
            prev: search.prev.clone(),
            next: search.next.clone(),
            ..PageMeta::default()
        };
        let hits: Vec<_> = search
            .hits
            .iter()
            .map(|hit| {
                context! {
                    hit => hit,
                    date => DateView::new(hit.published_at, &self.site.time_zone),
                }
            })
            .collect();
        let sections: Vec<_> = self
            .nav
            .sections
            .iter()
            .map(|s| context! { slug => s.slug.as_ref(), name => s.name.as_ref() })
            .collect();
        self.theme.render(
            "search.html",
            &context! {
                site => self.site_view(),
                nav => self.nav(Current::Nothing),
                page => meta,
                search => search,
                hits => hits,
                sections => sections,
                latest => self.cards(&search.latest),
                noindex => true,
            },
        )
    }

    /// A page for readers when something is missing or failed; `status` picks the wording.
    /// The API's reference, for developers: every operation, from the OpenAPI document.
    pub fn api_reference(&self, reference: &ApiReference) -> Result<String, RenderError> {
        let meta = PageMeta {
            title: "L’API du site".into(),
            description: Some(format!(
                "Lire et publier sur {} depuis une application : la référence de l’API.",
                self.site.name
            )),
            canonical: Some(self.site.absolute("/api/v1/")),
            ..PageMeta::default()
        };
        self.theme.render(
            "api.html",
            &context! { site => self.site_view(), nav => self.nav(Current::Nothing), page => meta, reference => reference },
        )
    }

    pub fn error(&self, status: u16, message: &str) -> Result<String, RenderError> {
        let title = match status {
            404 => "Page introuvable",
            410 => "Article retiré",
            403 => "Action refusée",
            409 => "Action impossible",
            429 => "Trop de tentatives",
            400..=499 => "Demande impossible",
            _ => "Erreur du serveur",
        };
        let meta = PageMeta {
            title: title.to_owned(),
            ..PageMeta::default()
        };
        let sections: Vec<LinkView> = self.nav.sections.iter().map(LinkView::from).collect();
        self.theme.render(
            "error.html",
            &context! {
                site => self.site_view(),
                nav => self.nav(Current::Nothing),
                page => meta,
                status => status,
                title => title,
                message => message,
                sections => sections,
            },
        )
    }
}
