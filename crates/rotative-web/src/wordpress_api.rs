//! The WordPress REST API, read-only, for a site that replaced a WordPress one: the apps and
//! partners that read `/wp-json/wp/v2/…` keep working. Stories are posts (and the site's pages,
//! pages), sections are categories, subjects are tags, bylines are
//! users, lead images are media, in WordPress's field shapes. A story imported from WordPress
//! keeps its WordPress id; a story written here is numbered from `NATIVE_IDS` up, so the two
//! never meet.

use std::collections::HashMap;

use axum::{
    Router,
    extract::{Path, RawQuery, State},
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use jiff::{Timestamp, tz::TimeZone};
use rotative_domain::{ArticleId, AuthorId, MediaId, SectionId, SubjectId};
use rotative_render::{Site, author_url, escaped, media_url, section_url, tag_url};
use rotative_search::SearchQuery;
use rotative_store::{WpFilter, WpPost};
use serde_json::{Value, json};

use crate::{
    AppError, AppState,
    api::json as json_answer,
    messages::api as messages,
    page_cache::{Shown, Shows},
};

/// Where the ids of stories written in Rotative start, above any WordPress post id.
const NATIVE_IDS: i64 = 1_000_000_000;
/// WordPress's own limit on `per_page`.
const MAX_PER_PAGE: u64 = 100;
const DEFAULT_PER_PAGE: u64 = 10;
/// Stories a search looks among, best first.
const SEARCH_DEPTH: usize = 1_000;

/// The id a story has here.
fn post_id(post: &WpPost) -> i64 {
    post.wordpress_id.unwrap_or(NATIVE_IDS + post.id.0)
}

/// An error in WordPress's shape (`code`, `message`, `data.status`), in French.
fn wp_error(status: u16, code: &str, message: &str) -> Response {
    let mut answer = json_answer(&json!({
        "code": code,
        "message": message,
        "data": {"status": status},
    }));
    *answer.status_mut() =
        axum::http::StatusCode::from_u16(status).unwrap_or(axum::http::StatusCode::BAD_REQUEST);
    answer
}

fn invalid_param(name: &str) -> Response {
    wp_error(400, "rest_invalid_param", &messages::wp_invalid_param(name))
}

/// A list's parameters, as WordPress reads them.
#[derive(Debug, Default)]
struct ListQuery {
    page: u64,
    per_page: u64,
    search: Option<String>,
    slug: Option<String>,
    categories: Vec<SectionId>,
    tags: Vec<SubjectId>,
    include: Vec<i64>,
    after: Option<Timestamp>,
    embed: bool,
    /// Terms of this post only.
    post: Option<i64>,
}

fn ids<T>(value: &str, make: fn(i64) -> T) -> Option<Vec<T>> {
    value
        .split(',')
        .filter(|id| !id.trim().is_empty())
        .map(|id| id.trim().parse().ok().map(make))
        .collect()
}

impl ListQuery {
    /// Reads the query; the name of a parameter it cannot read is the error.
    fn read(query: Option<&str>) -> Result<Self, String> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or_default())
            .map_err(|_| "query".to_owned())?;
        let mut list = Self {
            page: 1,
            per_page: DEFAULT_PER_PAGE,
            ..Self::default()
        };
        for (name, value) in pairs {
            let bad = || name.clone();
            match name.as_str() {
                "page" => {
                    list.page = value.parse().ok().filter(|n| *n >= 1).ok_or_else(bad)?;
                }
                "per_page" => {
                    list.per_page = value
                        .parse()
                        .ok()
                        .filter(|n| (1..=MAX_PER_PAGE).contains(n))
                        .ok_or_else(bad)?;
                }
                "search" => list.search = Some(value).filter(|v| !v.trim().is_empty()),
                "slug" => list.slug = Some(value),
                "categories" => list.categories = ids(&value, SectionId).ok_or_else(bad)?,
                "tags" => list.tags = ids(&value, SubjectId).ok_or_else(bad)?,
                "include" => list.include = ids(&value, |id| id).ok_or_else(bad)?,
                "after" => {
                    list.after = Some(wordpress_date(&value).ok_or_else(bad)?);
                }
                "_embed" => list.embed = true,
                "post" => list.post = Some(value.parse().ok().ok_or_else(bad)?),
                _ => {}
            }
        }
        Ok(list)
    }

    fn offset(&self) -> u64 {
        (self.page - 1).saturating_mul(self.per_page)
    }
}

/// A date as WordPress takes it: RFC 3339, or without a zone (read as UTC).
fn wordpress_date(value: &str) -> Option<Timestamp> {
    value
        .parse::<Timestamp>()
        .ok()
        .or_else(|| format!("{value}Z").parse().ok())
}

/// A date as WordPress writes it: `date` in the site's time, `date_gmt` in UTC, no zone.
fn dates(seconds: i64, zone: &TimeZone) -> (String, String) {
    let at = Timestamp::from_second(seconds).unwrap_or_default();
    (
        at.to_zoned(zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S")
            .to_string(),
        at.strftime("%Y-%m-%dT%H:%M:%S").to_string(),
    )
}

/// A page of a list with WordPress's headers: `X-WP-Total`, `X-WP-TotalPages`, and `Link` to
/// the pages around it with the same filters. A page past the last is WordPress's 400.
fn paged(
    state: &AppState,
    path: &str,
    query: Option<&str>,
    list: &ListQuery,
    total: u64,
    items: &[Value],
) -> Response {
    let pages = total.div_ceil(list.per_page);
    if list.page > pages.max(1) {
        return wp_error(
            400,
            "rest_post_invalid_page_number",
            messages::WP_PAGE_PAST_THE_END,
        );
    }
    let mut answer = Shows::new(vec![Shown::EveryStory]).on(json_answer(&items));
    let headers = answer.headers_mut();
    headers.insert("x-wp-total", HeaderValue::from(total));
    headers.insert("x-wp-totalpages", HeaderValue::from(pages));
    let site = state.site();
    let kept: Vec<(String, String)> =
        serde_urlencoded::from_str::<Vec<(String, String)>>(query.unwrap_or_default())
            .unwrap_or_default()
            .into_iter()
            .filter(|(name, _)| name != "page")
            .collect();
    let link = |page: u64, rel: &str| {
        let mut pairs = kept.clone();
        pairs.push(("page".to_owned(), page.to_string()));
        format!(
            "<{}/wp-json/wp/v2/{path}?{}>; rel=\"{rel}\"",
            site.base_url,
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let mut links = Vec::new();
    if list.page > 1 && list.page <= pages {
        links.push(link(list.page - 1, "prev"));
    }
    if list.page < pages {
        links.push(link(list.page + 1, "next"));
    }
    if let Ok(value) = HeaderValue::try_from(links.join(", "))
        && !links.is_empty()
    {
        headers.insert(header::LINK, value);
    }
    answer
}

fn rendered(text: &str) -> Value {
    json!({"rendered": text})
}

/// Names of the sections, subjects and bylines a page of posts refers to, for `_embed`.
struct Names {
    sections: HashMap<SectionId, Value>,
    subjects: HashMap<SubjectId, Value>,
    authors: HashMap<AuthorId, Value>,
}

async fn names(state: &AppState) -> Result<Names, AppError> {
    let site = state.site();
    let (in_sections, in_subjects) = state.store.published_counts().await?;
    let sections = state
        .published_sections()
        .await?
        .stored
        .iter()
        .map(|(id, section)| {
            let count = in_sections.get(id).copied().unwrap_or(0);
            (*id, category(&site, *id, section, count))
        })
        .collect();
    let subjects = state
        .store
        .published_subjects(None, u32::MAX)
        .await?
        .iter()
        .map(|(id, tag)| {
            let count = in_subjects.get(id).copied().unwrap_or(0);
            (*id, tag_term(&site, *id, tag, count))
        })
        .collect();
    let authors = state
        .store
        .published_authors(None, u32::MAX)
        .await?
        .iter()
        .map(|(id, author)| (*id, user(&site, *id, author)))
        .collect();
    Ok(Names {
        sections,
        subjects,
        authors,
    })
}

fn category(site: &Site, id: SectionId, section: &rotative_domain::Section, count: u64) -> Value {
    json!({
        "id": id.0, "count": count, "description": "", "link": site.absolute(&section_url(section)),
        "name": escaped(section.name.as_ref()), "slug": section.slug.as_ref(), "taxonomy": "category",
        "parent": 0, "meta": [],
    })
}

fn tag_term(site: &Site, id: SubjectId, tag: &rotative_domain::Tag, count: u64) -> Value {
    json!({
        "id": id.0, "count": count, "description": "", "link": site.absolute(&tag_url(tag)),
        "name": escaped(tag.name.as_ref()), "slug": tag.slug.as_ref(), "taxonomy": "post_tag", "meta": [],
    })
}

fn user(site: &Site, id: AuthorId, author: &rotative_domain::Author) -> Value {
    json!({
        "id": id.0, "name": escaped(author.name.as_ref()), "url": "",
        "description": escaped(author.bio.as_deref().unwrap_or_default()),
        "link": site.absolute(&author_url(author)), "slug": author.slug.as_ref(),
        "avatar_urls": {}, "meta": [],
    })
}

async fn media_item(state: &AppState, id: MediaId) -> Result<Option<Value>, AppError> {
    let Some(media) = state.store.media_by_id(id).await? else {
        return Ok(None);
    };
    let site = state.site();
    let (date, date_gmt) = dates(media.created_at, &site.time_zone);
    let url = site.absolute(&media_url(&media.storage_key));
    Ok(Some(json!({
        "id": media.id.0, "date": date, "date_gmt": date_gmt, "slug": media.storage_key,
        "status": "inherit", "type": "attachment", "link": url,
        // What the image shows, never the uploader's file name (private, and not HTML).
        "title": rendered(&escaped(media.description.alt.as_deref().unwrap_or_default())),
        "alt_text": media.description.alt.clone().unwrap_or_default(),
        "caption": rendered(&media.description.caption.clone().map(|caption| format!("<p>{}</p>\n", escaped(&caption))).unwrap_or_default()),
        "media_type": "image", "mime_type": media.content_type,
        "media_details": {"width": media.width, "height": media.height, "sizes": {}},
        "source_url": url,
    })))
}

async fn post_value(
    state: &AppState,
    post: &WpPost,
    kind: &str,
    names: Option<&Names>,
) -> Result<Value, AppError> {
    let site = state.site();
    let id = post_id(post);
    let link = site.absolute(&post.path);
    let (date, date_gmt) = dates(post.published_at, &site.time_zone);
    let (modified, modified_gmt) = dates(post.updated_at, &site.time_zone);
    let api = |path: String| format!("{}/wp-json/wp/v2/{path}", site.base_url);
    let collection = if kind == "page" { "pages" } else { "posts" };
    let mut value = json!({
        "id": id, "date": date, "date_gmt": date_gmt, "guid": rendered(&link),
        "modified": modified, "modified_gmt": modified_gmt, "slug": post.slug,
        "status": "publish", "type": kind, "link": link,
        "title": rendered(&escaped(&post.headline)),
        "content": {"rendered": post.body_html, "protected": false},
        "excerpt": {"rendered": post.standfirst.as_ref().map(|text| format!("<p>{}</p>\n", escaped(text))).unwrap_or_default(), "protected": false},
        "author": post.authors.first().map_or(0, |author| author.0),
        "featured_media": post.lead_media.map_or(0, |media| media.0),
        "comment_status": "closed", "ping_status": "closed", "sticky": false, "template": "",
        "format": "standard", "meta": [],
        "categories": [post.section.0],
        "tags": post.subjects.iter().map(|subject| subject.0).collect::<Vec<_>>(),
        "_links": {
            "self": [{"href": api(format!("{collection}/{id}"))}],
            "collection": [{"href": api(collection.to_owned())}],
            "author": post.authors.iter().map(|author| json!({"embeddable": true, "href": api(format!("users/{author}"))})).collect::<Vec<_>>(),
            "wp:featuredmedia": post.lead_media.map(|media| vec![json!({"embeddable": true, "href": api(format!("media/{media}"))})]).unwrap_or_default(),
            "wp:term": [
                {"taxonomy": "category", "embeddable": true, "href": api(format!("categories?post={id}"))},
                {"taxonomy": "post_tag", "embeddable": true, "href": api(format!("tags?post={id}"))},
            ],
        },
    });
    if let Some(names) = names {
        let media = match post.lead_media {
            Some(media) => media_item(state, media).await?.into_iter().collect(),
            None => Vec::new(),
        };
        value["_embedded"] = json!({
            "author": post.authors.iter().filter_map(|id| names.authors.get(id)).collect::<Vec<_>>(),
            "wp:featuredmedia": media,
            "wp:term": [
                names.sections.get(&post.section).into_iter().collect::<Vec<_>>(),
                post.subjects.iter().filter_map(|id| names.subjects.get(id)).collect::<Vec<_>>(),
            ],
        });
    }
    Ok(value)
}

/// The stories a list's filters and search leave, as a filter for the store.
async fn story_filter(
    state: &AppState,
    list: &ListQuery,
) -> Result<(Option<Vec<ArticleId>>, bool), AppError> {
    let mut among: Option<Vec<ArticleId>> = None;
    if let Some(text) = &list.search {
        let query = SearchQuery {
            text: text.chars().take(200).collect(),
            section: None,
            from: None,
            to: None,
            offset: 0,
            limit: SEARCH_DEPTH,
        };
        let searching = state.clone();
        let results = tokio::task::spawn_blocking(move || searching.search.search(&query))
            .await
            .unwrap_or_else(|failed| std::panic::resume_unwind(failed.into_panic()))?;
        among = Some(results.hits.iter().map(|hit| hit.id).collect());
    }
    if !list.include.is_empty() {
        let mut included = Vec::new();
        for id in &list.include {
            if let Some(story) = story_of(state, *id).await? {
                included.push(story);
            }
        }
        among = Some(match among {
            Some(found) => found
                .into_iter()
                .filter(|id| included.contains(id))
                .collect(),
            None => included,
        });
    }
    Ok((among, list.embed))
}

/// The published post (`false`) or page (`true`), of the kinds asked, that a WordPress-side id
/// names.
async fn post_by_id(state: &AppState, id: i64, kinds: &[bool]) -> Result<Option<WpPost>, AppError> {
    let Some(story) = story_of(state, id).await? else {
        return Ok(None);
    };
    for &pages in kinds {
        let filter = WpFilter {
            pages,
            among: Some(&[story]),
            ..WpFilter::default()
        };
        let (_, posts) = state.store.wordpress_posts(&filter, 0, 1).await?;
        if let Some(post) = posts.into_iter().find(|post| post_id(post) == id) {
            return Ok(Some(post));
        }
    }
    Ok(None)
}

/// The story a WordPress-side id names.
async fn story_of(state: &AppState, id: i64) -> Result<Option<ArticleId>, AppError> {
    if id > NATIVE_IDS {
        return Ok(Some(ArticleId(id - NATIVE_IDS)));
    }
    Ok(state.store.imported_from_wordpress(id).await?)
}

async fn list_posts(state: &AppState, query: Option<&str>, pages: bool) -> Response {
    let list = match ListQuery::read(query) {
        Ok(list) => list,
        Err(name) => return invalid_param(&name),
    };
    answer(async {
        let (among, embed) = story_filter(state, &list).await?;
        let filter = WpFilter {
            pages,
            among: among.as_deref(),
            slug: list.slug.as_deref(),
            sections: &list.categories,
            subjects: &list.tags,
            after: list.after,
        };
        let (total, posts) = state
            .store
            .wordpress_posts(
                &filter,
                list.offset(),
                u32::try_from(list.per_page).unwrap_or(10),
            )
            .await?;
        let names = if embed {
            Some(names(state).await?)
        } else {
            None
        };
        let kind = if pages { "page" } else { "post" };
        let mut items = Vec::with_capacity(posts.len());
        for post in &posts {
            items.push(post_value(state, post, kind, names.as_ref()).await?);
        }
        let path = if pages { "pages" } else { "posts" };
        Ok(paged(state, path, query, &list, total, &items))
    })
    .await
}

async fn one_post(state: &AppState, id: &str, query: Option<&str>, pages: bool) -> Response {
    let missing = || wp_error(404, "rest_post_invalid_id", messages::WP_NO_SUCH_POST);
    let Some(id) = id.parse::<i64>().ok() else {
        return missing();
    };
    let embed = ListQuery::read(query).is_ok_and(|list| list.embed);
    answer(async {
        let Some(post) = post_by_id(state, id, &[pages]).await? else {
            return Ok(missing());
        };
        let names = if embed {
            Some(names(state).await?)
        } else {
            None
        };
        let kind = if pages { "page" } else { "post" };
        let value = post_value(state, &post, kind, names.as_ref()).await?;
        Ok(Shows::new(vec![Shown::Story(post.id)]).on(json_answer(&value)))
    })
    .await
}

/// A handler's result as WordPress answers it: a failure of ours is a 500 in its shape.
async fn answer(work: impl Future<Output = Result<Response, AppError>>) -> Response {
    match work.await {
        Ok(response) => response,
        Err(error) => {
            tracing::error!(?error, "a WordPress API answer failed");
            wp_error(500, "rest_error", crate::messages::OUR_FAULT)
        }
    }
}

async fn posts(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    list_posts(&state, query.as_deref(), false).await
}

async fn post(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    one_post(&state, &id, query.as_deref(), false).await
}

async fn pages(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    list_posts(&state, query.as_deref(), true).await
}

async fn page(
    State(state): State<AppState>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    one_post(&state, &id, query.as_deref(), true).await
}

/// A list of terms or users, filtered and paged as WordPress does.
fn term_page(state: &AppState, path: &str, query: Option<&str>, mut items: Vec<Value>) -> Response {
    let list = match ListQuery::read(query) {
        Ok(list) => list,
        Err(name) => return invalid_param(&name),
    };
    if let Some(slug) = &list.slug {
        items.retain(|item| item["slug"] == slug.as_str());
    }
    if let Some(search) = &list.search {
        let search = search.to_lowercase();
        // Terms and users by name, media by title.
        items.retain(|item| {
            item["name"]
                .as_str()
                .or(item["title"]["rendered"].as_str())
                .is_some_and(|name| name.to_lowercase().contains(&search))
        });
    }
    if !list.include.is_empty() {
        items.retain(|item| {
            item["id"]
                .as_i64()
                .is_some_and(|id| list.include.contains(&id))
        });
    }
    let total = items.len() as u64;
    let page: Vec<Value> = items
        .into_iter()
        .skip(usize::try_from(list.offset()).unwrap_or(usize::MAX))
        .take(usize::try_from(list.per_page).unwrap_or(10))
        .collect();
    paged(state, path, query, &list, total, &page)
}

fn one_term(items: Vec<Value>, id: &str, code: &str, message: &str) -> Response {
    let found = id
        .parse::<i64>()
        .ok()
        .and_then(|id| items.into_iter().find(|item| item["id"] == id));
    match found {
        Some(item) => Shows::new(vec![Shown::EveryStory]).on(json_answer(&item)),
        None => wp_error(404, code, message),
    }
}

async fn term_list(
    state: &AppState,
    which: &str,
    query: Option<&str>,
) -> Result<Vec<Value>, AppError> {
    let names = names(state).await?;
    let mut items: Vec<Value> = match which {
        // Pages are in no category: the section they are filed under holds only them, and is
        // not among the published ones.
        "categories" => names.sections.into_values().collect(),
        "tags" => names.subjects.into_values().collect(),
        _ => names.authors.into_values().collect(),
    };
    let post = ListQuery::read(query).ok().and_then(|list| list.post);
    if let Some(post) = post {
        let terms: Vec<i64> = match post_by_id(state, post, &[false, true]).await? {
            Some(post) if which == "categories" => vec![post.section.0],
            Some(post) if which == "tags" => post.subjects.iter().map(|id| id.0).collect(),
            _ => Vec::new(),
        };
        items.retain(|item| item["id"].as_i64().is_some_and(|id| terms.contains(&id)));
    }
    items.sort_by(|a, b| a["name"].as_str().cmp(&b["name"].as_str()));
    Ok(items)
}

async fn categories(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    answer(async {
        Ok(term_page(
            &state,
            "categories",
            query.as_deref(),
            term_list(&state, "categories", query.as_deref()).await?,
        ))
    })
    .await
}

async fn tags(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    answer(async {
        Ok(term_page(
            &state,
            "tags",
            query.as_deref(),
            term_list(&state, "tags", query.as_deref()).await?,
        ))
    })
    .await
}

async fn users(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    answer(async {
        Ok(term_page(
            &state,
            "users",
            query.as_deref(),
            term_list(&state, "users", query.as_deref()).await?,
        ))
    })
    .await
}

async fn category_by_id(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    answer(async {
        Ok(one_term(
            term_list(&state, "categories", None).await?,
            &id,
            "rest_term_invalid",
            messages::WP_NO_SUCH_TERM,
        ))
    })
    .await
}

async fn tag_by_id(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    answer(async {
        Ok(one_term(
            term_list(&state, "tags", None).await?,
            &id,
            "rest_term_invalid",
            messages::WP_NO_SUCH_TERM,
        ))
    })
    .await
}

async fn user_by_id(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    answer(async {
        Ok(one_term(
            term_list(&state, "users", None).await?,
            &id,
            "rest_user_invalid_id",
            messages::WP_NO_SUCH_USER,
        ))
    })
    .await
}

/// The lead images of published stories: what WordPress clients know as attachments.
async fn media(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    answer(async {
        let mut items = Vec::new();
        for id in state.store.published_lead_media().await? {
            if let Some(item) = media_item(&state, id).await? {
                items.push(item);
            }
        }
        Ok(term_page(&state, "media", query.as_deref(), items))
    })
    .await
}

async fn media_by_id(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    let missing = || wp_error(404, "rest_post_invalid_id", messages::WP_NO_SUCH_MEDIA);
    answer(async {
        let Some(id) = id.parse().ok().map(MediaId) else {
            return Ok(missing());
        };
        if !state.store.published_lead_media().await?.contains(&id) {
            return Ok(missing());
        }
        Ok(match media_item(&state, id).await? {
            Some(item) => Shows::new(vec![Shown::EveryStory]).on(json_answer(&item)),
            None => missing(),
        })
    })
    .await
}

/// The index a client reads first: the site, and the `wp/v2` namespace.
async fn index(State(state): State<AppState>) -> Response {
    let site = state.site();
    let routes: serde_json::Map<String, Value> = [
        "posts", "posts/(?P<id>[\\d]+)", "pages", "pages/(?P<id>[\\d]+)", "categories",
        "categories/(?P<id>[\\d]+)", "tags", "tags/(?P<id>[\\d]+)", "users",
        "users/(?P<id>[\\d]+)", "media", "media/(?P<id>[\\d]+)",
    ]
    .into_iter()
    .map(|route| {
        (
            format!("/wp/v2/{route}"),
            json!({"namespace": "wp/v2", "methods": ["GET"], "endpoints": [{"methods": ["GET"], "args": {}}]}),
        )
    })
    .collect();
    let value = json!({
        "name": site.name, "description": site.description, "url": site.base_url,
        "home": site.base_url, "gmt_offset": 0, "timezone_string": site.time_zone.iana_name().unwrap_or("UTC"),
        "namespaces": ["wp/v2"], "authentication": [], "routes": routes,
    });
    Shows::default().on(json_answer(&value)).into_response()
}

pub(crate) fn router(state: &AppState) -> Router<AppState> {
    Router::new()
        .route("/wp-json", get(index))
        .route("/wp-json/", get(index))
        .route("/wp-json/wp/v2/posts", get(posts))
        .route("/wp-json/wp/v2/posts/{id}", get(post))
        .route("/wp-json/wp/v2/pages", get(pages))
        .route("/wp-json/wp/v2/pages/{id}", get(page))
        .route("/wp-json/wp/v2/categories", get(categories))
        .route("/wp-json/wp/v2/categories/{id}", get(category_by_id))
        .route("/wp-json/wp/v2/tags", get(tags))
        .route("/wp-json/wp/v2/tags/{id}", get(tag_by_id))
        .route("/wp-json/wp/v2/users", get(users))
        .route("/wp-json/wp/v2/users/{id}", get(user_by_id))
        .route("/wp-json/wp/v2/media", get(media))
        .route("/wp-json/wp/v2/media/{id}", get(media_by_id))
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::page_cache::layer::serve,
        ))
        // As WordPress does: any site's scripts may read what any reader may.
        .layer(
            tower_http::cors::CorsLayer::new()
                .allow_origin(tower_http::cors::AllowOrigin::any())
                .allow_methods([axum::http::Method::GET, axum::http::Method::HEAD])
                .expose_headers([
                    axum::http::HeaderName::from_static("x-wp-total"),
                    axum::http::HeaderName::from_static("x-wp-totalpages"),
                    header::LINK,
                ]),
        )
}
