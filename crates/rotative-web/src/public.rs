//! Readers' pages: home, articles, and the section, tag and author listings.

use axum::{
    Router,
    extract::{OriginalUri, Path, Query, State, rejection::QueryRejection},
    http::header,
    response::{Html, Redirect, Response},
    routing::get,
};
use rotative_domain::{
    Article, ArticleId, ArticlePath, ArticleSummary, ArticleUrlParts, Author, Correction,
    PageNumber, Pagination, RelatedCandidate, Section, Slug, Tag, rank_related,
};
use rotative_render::{
    FeedChannel, FeedEntry, FeedFormat, HomeSection, ListingKind, embed_origins, render_feed,
};
use rotative_store::{Listing, Reads, RelatedPool, StoryPage};
use serde::Deserialize;

use crate::{
    AppError, AppState, messages,
    page_cache::{Shown, Shows},
    policy,
};

const RELATED_COUNT: usize = 4;
const HOME_SECTION_COUNT: u32 = 4;

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/corrections/", get(corrections))
        .route(
            "/feed.atom",
            get(|state| site_feed(state, FeedFormat::Atom)),
        )
        .route("/feed.rss", get(|state| site_feed(state, FeedFormat::Rss)))
        .route(
            "/feed.json",
            get(|state| site_feed(state, FeedFormat::Json)),
        )
        .route("/sujet/{slug}/{file}", get(tag_feed))
        .route("/auteur/{slug}/{file}", get(author_feed))
        .route("/{section}/{file}", get(section_feed))
        .route("/sujet/{slug}/", get(tag))
        .route("/sujet/{slug}", get(add_trailing_slash))
        .route("/auteur/{slug}/", get(author))
        .route("/auteur/{slug}", get(add_trailing_slash))
        .route("/{section}/", get(section))
        .route("/{section}", get(to_section))
        .route("/{section}/{year}/{month}/{day}/{slug}", get(article))
}

#[derive(Deserialize)]
struct PageQuery {
    page: Option<String>,
}

/// The page asked for; a malformed or absurd number is a page that does not exist.
fn page_number(query: Result<Query<PageQuery>, QueryRejection>) -> Result<PageNumber, AppError> {
    match query {
        Ok(Query(PageQuery { page: None })) => Ok(PageNumber::FIRST),
        Ok(Query(PageQuery { page: Some(page) })) => {
            PageNumber::parse(&page).map_err(|_| AppError::NotFound)
        }
        Err(_) => Err(AppError::BadRequest(messages::UNREADABLE_ADDRESS)),
    }
}

fn slug(value: &str) -> Result<Slug, AppError> {
    Slug::parse(value).map_err(|_| AppError::NotFound)
}

/// `/monde` → `/monde/`: one address per page, for readers and search engines alike.
async fn add_trailing_slash(OriginalUri(uri): OriginalUri) -> Result<Redirect, AppError> {
    let path = uri.path();
    let last = path.rsplit('/').next().unwrap_or_default();
    slug(last)?;
    let target = match uri.query() {
        Some(query) => format!("{path}/?{query}"),
        None => format!("{path}/"),
    };
    Ok(Redirect::permanent(&target))
}

/// `/monde` → `/monde/` when there is such a section (or page); any other word at the root of the site
/// is a 404 at once (or an old address the redirect layer knows), not a redirect to a 404.
async fn to_section(
    State(state): State<AppState>,
    Path(section): Path<String>,
    uri: OriginalUri,
) -> Result<Redirect, AppError> {
    let slug = slug(&section)?;
    if state.store.section_by_slug(&slug).await?.is_none()
        && state
            .store
            .published_article(&ArticlePath::page(&slug))
            .await?
            .is_none()
    {
        return Err(AppError::NotFound);
    }
    add_trailing_slash(uri).await
}

async fn home(State(state): State<AppState>) -> Result<Response, AppError> {
    let front = state.store.front_page().await?;
    let top: Vec<_> = front.stories().cloned().collect();
    let sections = state.published_sections().await?;
    let mut shows = Shows::listing(Listing::Everything, top.iter().map(|story| story.id));
    let mut blocks = Vec::with_capacity(front.sections.len());
    // The blocks editors chose, of the sections readers can reach.
    let chosen = front
        .sections
        .iter()
        .filter_map(|id| sections.stored.iter().find(|(shown, _)| shown == id));
    // Enough for a full block once the stories at the top are left out.
    let wanted = u32::try_from(top.len())
        .unwrap_or(u32::MAX)
        .saturating_add(HOME_SECTION_COUNT);
    for (id, section) in chosen {
        let candidates = state
            .store
            .published_summaries(Listing::Section(*id), wanted, 0)
            .await?;
        let stories = candidates
            .into_iter()
            .filter(|story| top.iter().all(|t| t.id != story.id))
            .take(HOME_SECTION_COUNT as usize)
            .collect::<Vec<_>>();
        shows.items.push(Shown::Listing(Listing::Section(*id)));
        shows
            .items
            .extend(stories.iter().map(|story| Shown::Story(story.id)));
        blocks.push(HomeSection {
            section: section.clone(),
            stories,
        });
    }
    Ok(shows.on(Html(
        state
            .pages(&state.site(), &sections.nav)
            .home(&top, &blocks)?,
    )))
}

async fn article(
    State(state): State<AppState>,
    Path((section, year, month, day, slug)): Path<(String, String, String, String, String)>,
) -> Result<Response, AppError> {
    let parts = ArticleUrlParts {
        section: &section,
        year: &year,
        month: &month,
        day: &day,
        slug: &slug,
    };
    let path = ArticlePath::from_parts(parts).map_err(|_| AppError::NotFound)?;
    let mut reads = state.store.reads().await?;
    let Some(StoryPage {
        article,
        corrections,
        ranking,
    }) = reads.story_page(&path).await?
    else {
        drop(reads);
        // A story taken down keeps its address, which says so: 410, not 404.
        return Err(if state.store.is_unpublished_path(&path).await? {
            AppError::Gone
        } else {
            AppError::NotFound
        });
    };
    let (related, shows) = related(&state, &mut reads, &ranking).await?;
    drop(reads);
    story_response(&state, &article, &related, &corrections, shows).await
}

/// One of the site's pages (`/a-propos/`), at the address a section would have: asked for when
/// no section answers there.
async fn site_page(state: &AppState, value: &str) -> Result<Response, AppError> {
    let path = ArticlePath::page(&slug(value)?);
    let mut reads = state.store.reads().await?;
    let Some(StoryPage {
        article,
        corrections,
        ..
    }) = reads.story_page(&path).await?
    else {
        drop(reads);
        return Err(if state.store.is_unpublished_path(&path).await? {
            AppError::Gone
        } else {
            AppError::NotFound
        });
    };
    drop(reads);
    let shows = Shows::new(vec![Shown::Story(article.id)]);
    story_response(state, &article, &[], &corrections, shows).await
}

/// A story's page, or a page of the site's, with what it shows for the page cache.
async fn story_response(
    state: &AppState,
    article: &Article,
    related: &[ArticleSummary],
    corrections: &[Correction],
    shows: Shows,
) -> Result<Response, AppError> {
    let nav = state.nav().await?;
    let html = state
        .pages(&state.site(), &nav)
        .article(article, related, corrections)?;
    let frames = embed_origins(&article.body_html);
    if frames.is_empty() {
        return Ok(shows.on(Html(html)));
    }
    // A story with embeds runs the click-to-load script and may frame those providers, only.
    let policy = policy::content_security_policy(policy::Allowed {
        scripts: true,
        connect: false,
        frames: &frames,
    });
    Ok(shows.on(([(header::CONTENT_SECURITY_POLICY, policy)], Html(html))))
}

async fn corrections(State(state): State<AppState>) -> Result<Response, AppError> {
    let entries: Vec<_> = state
        .store
        .corrections(None, 200)
        .await?
        .into_iter()
        .filter_map(|entry| {
            entry
                .path
                .map(|path| (entry.correction, entry.headline, path))
        })
        .collect();
    let nav = state.nav().await?;
    Ok(Shows::new(vec![Shown::EveryStory]).on(Html(
        state.pages(&state.site(), &nav).corrections(&entries)?,
    )))
}

/// Stories in a feed: enough for a reader who checks once a day.
const FEED_LENGTH: u32 = 30;

fn feed_format(file: &str) -> Result<FeedFormat, AppError> {
    FeedFormat::from_file_name(file).ok_or(AppError::NotFound)
}

async fn feed_response(
    state: &AppState,
    format: FeedFormat,
    channel: FeedChannel,
    listing: Listing,
) -> Result<Response, AppError> {
    let items = state
        .store
        .published_feed_items(listing, FEED_LENGTH)
        .await?;
    let entries: Vec<FeedEntry<'_>> = items
        .iter()
        .map(|item| FeedEntry {
            summary: &item.summary,
            body_html: &item.body_html,
            updated_at: item.updated_at,
        })
        .collect();
    let body = render_feed(
        &state.site(),
        format,
        &channel,
        &entries,
        state.site().feed_full_text,
    )?;
    let shows = Shows::listing(listing, items.iter().map(|item| item.summary.id));
    Ok(shows.on(([(header::CONTENT_TYPE, format.content_type())], body)))
}

async fn site_feed(
    State(state): State<AppState>,
    format: FeedFormat,
) -> Result<Response, AppError> {
    let channel = FeedChannel {
        title: state.site().name.clone(),
        description: state.site().description.clone(),
        page_path: "/".into(),
    };
    feed_response(&state, format, channel, Listing::Everything).await
}

/// Stories sharing the most tags, then the closest text, then the section, then the newest;
/// never the story itself. With them, what the story's page shows: itself, them, and the
/// listings they were picked from (a story entering one may be related from now on).
async fn related(
    state: &AppState,
    reads: &mut Reads,
    story: &RelatedCandidate,
) -> Result<(Vec<ArticleSummary>, Shows), AppError> {
    let id = story.id;
    let mut shows = Shows::new(vec![Shown::Story(id)]);
    let RelatedPool {
        mut candidates,
        site_wide,
    } = reads.related_candidates(story, RELATED_COUNT).await?;
    // Text similarity from the search index refines the order; without it, tags and sections
    // still decide.
    let among: Vec<ArticleId> = candidates.iter().map(|candidate| candidate.id).collect();
    match state.search.similar(id, &among) {
        Ok(similar) => {
            for candidate in &mut candidates {
                candidate.similarity = similar.get(&candidate.id).copied().unwrap_or_default();
            }
        }
        Err(error) => tracing::warn!(?error, "related articles without text similarity"),
    }
    let ids = rank_related(story, &candidates, RELATED_COUNT);
    shows.items.extend(ids.iter().copied().map(Shown::Story));
    shows
        .items
        .push(Shown::Listing(Listing::Section(story.section_id)));
    shows.items.extend(
        story
            .tag_ids
            .iter()
            .map(|tag| Shown::Listing(Listing::Tag(*tag))),
    );
    if site_wide {
        shows.items.push(Shown::Listing(Listing::Everything));
    }
    Ok((reads.published_summaries_by_ids(&ids).await?, shows))
}

/// The three kinds of listing readers reach by a slug.
#[derive(Clone, Copy)]
enum ListingRoute {
    Section,
    Tag,
    Author,
}

/// A listing found by its slug, owning what its page and feeds show.
enum Found {
    /// A section and what its editors wrote of it.
    Section(Section, Option<String>),
    Tag(Tag),
    /// Boxed: a byline carries its whole profile.
    Author(Box<Author>),
}

impl Found {
    fn kind(&self) -> ListingKind<'_> {
        match self {
            Self::Section(section, description) => {
                ListingKind::Section(section, description.as_deref())
            }
            Self::Tag(tag) => ListingKind::Tag(tag),
            Self::Author(author) => ListingKind::Author(author),
        }
    }
}

/// The listing at this address and how many published stories it holds. A section, subject or
/// author exists for readers only once it has a published story: one typed into a draft has no
/// page, so unpublished work is never revealed.
async fn find(
    state: &AppState,
    route: ListingRoute,
    value: &str,
) -> Result<(Listing, Found, u64), AppError> {
    let slug = slug(value)?;
    let found = match route {
        ListingRoute::Section => match state.store.section_by_slug(&slug).await? {
            // The section the site's pages are filed under holds no story: no page of its own.
            Some((id, section)) => {
                let shown = state.published_sections().await?;
                shown.is_shown(id).then(|| {
                    let description = shown.description(id).map(str::to_owned);
                    (Listing::Section(id), Found::Section(section, description))
                })
            }
            None => None,
        },
        ListingRoute::Tag => state
            .store
            .tag_by_slug(&slug)
            .await?
            .map(|(id, tag)| (Listing::Tag(id), Found::Tag(tag))),
        ListingRoute::Author => state
            .store
            .author_by_slug(&slug)
            .await?
            .map(|(id, author)| (Listing::Author(id), Found::Author(Box::new(author)))),
    };
    let (listing, found) = found.ok_or(AppError::NotFound)?;
    let total = state.store.count_published(listing).await?;
    if total == 0 {
        return Err(AppError::NotFound);
    }
    Ok((listing, found, total))
}

async fn listing_page(
    state: &AppState,
    route: ListingRoute,
    value: &str,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    let page = page_number(query)?;
    let (listing, found, total) = find(state, route, value).await?;
    let pagination = Pagination::new(page, state.site().page_size, total);
    if pagination.is_out_of_range() {
        return Err(AppError::NotFound);
    }
    let stories = state
        .store
        .published_summaries(listing, pagination.per_page, pagination.offset())
        .await?;
    let nav = state.nav().await?;
    let shows = Shows::listing(listing, stories.iter().map(|story| story.id)).paged();
    Ok(shows.on(Html(state.pages(&state.site(), &nav).listing(
        found.kind(),
        &stories,
        &pagination,
    )?)))
}

async fn listing_feed(
    state: &AppState,
    route: ListingRoute,
    value: &str,
    file: &str,
) -> Result<Response, AppError> {
    let format = feed_format(file)?;
    let (listing, found, _) = find(state, route, value).await?;
    feed_response(
        state,
        format,
        found.kind().feed_channel(&state.site().name),
        listing,
    )
    .await
}

async fn section(
    State(state): State<AppState>,
    Path(section): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    match listing_page(&state, ListingRoute::Section, &section, query).await {
        Err(AppError::NotFound) => site_page(&state, &section).await,
        answer => answer,
    }
}

async fn tag(
    State(state): State<AppState>,
    Path(tag): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    listing_page(&state, ListingRoute::Tag, &tag, query).await
}

async fn author(
    State(state): State<AppState>,
    Path(author): Path<String>,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Result<Response, AppError> {
    listing_page(&state, ListingRoute::Author, &author, query).await
}

async fn section_feed(
    State(state): State<AppState>,
    Path((section, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    listing_feed(&state, ListingRoute::Section, &section, &file).await
}

async fn tag_feed(
    State(state): State<AppState>,
    Path((tag, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    listing_feed(&state, ListingRoute::Tag, &tag, &file).await
}

async fn author_feed(
    State(state): State<AppState>,
    Path((author, file)): Path<(String, String)>,
) -> Result<Response, AppError> {
    listing_feed(&state, ListingRoute::Author, &author, &file).await
}
