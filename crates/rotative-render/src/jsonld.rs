//! Structured data for search engines and link previews, from the same data as the visible page.

use rotative_domain::{Article, ArticleKind, Author, Claim};
use serde_json::{Value, json};

use crate::{
    EMBLEM_PATH, EMBLEM_SIZE, SharedImage, Site,
    dates::DateView,
    views::{LinkView, author_url},
};

/// The most precise schema.org type for each kind of story, so opinion is never labelled news.
fn schema_type(kind: ArticleKind) -> &'static str {
    match kind {
        ArticleKind::News | ArticleKind::Interview | ArticleKind::FactCheck => "NewsArticle",
        ArticleKind::Analysis | ArticleKind::Explainer => "AnalysisNewsArticle",
        ArticleKind::Opinion => "OpinionNewsArticle",
        ArticleKind::Report => "ReportageNewsArticle",
    }
}

pub fn breadcrumb_list(site: &Site, crumbs: &[LinkView]) -> Value {
    let items: Vec<Value> = crumbs
        .iter()
        .zip(1..)
        .map(|(crumb, position)| {
            json!({
                "@type": "ListItem",
                "position": position,
                "name": crumb.name,
                "item": site.absolute(&crumb.url),
            })
        })
        .collect();
    json!({ "@type": "BreadcrumbList", "itemListElement": items })
}

pub fn news_article(site: &Site, article: &Article, crumbs: &[LinkView]) -> Value {
    let url = site.absolute(article.path.as_ref());
    let published = article
        .published_at
        .map(|at| DateView::new(at, &site.time_zone).iso);
    let modified = DateView::new(article.updated_at, &site.time_zone).iso;
    let authors: Vec<Value> = article
        .authors
        .iter()
        .map(|author| {
            let mut person = json!({
                "@type": "Person",
                "name": author.name.as_ref(),
                "url": site.absolute(&author_url(author)),
            });
            if let Some(title) = &author.profile.job_title {
                person["jobTitle"] = json!(title);
            }
            person
        })
        .collect();
    let mut story = json!({
        "@type": schema_type(article.kind),
        "@id": format!("{url}#article"),
        "mainEntityOfPage": url,
        "url": url,
        "headline": article.search_headline(),
        "datePublished": published,
        "dateModified": modified,
        "author": authors,
        "articleSection": article.section.name.as_ref(),
        "inLanguage": "fr-FR",
        "isAccessibleForFree": true,
        "publisher": {
            "@type": "Organization",
            "name": site.name,
            "url": site.absolute("/"),
            "logo": {
                "@type": "ImageObject",
                "url": site.absolute(EMBLEM_PATH),
                "width": EMBLEM_SIZE,
                "height": EMBLEM_SIZE,
            },
        },
    });
    if article.search_headline() != article.headline.as_ref() {
        story["alternativeHeadline"] = json!(article.headline.as_ref());
    }
    if let Some(standfirst) = &article.standfirst {
        story["description"] = json!(standfirst.as_ref());
    }
    if let Some(figure) = &article.lead_image {
        let shared = SharedImage::of(figure);
        story["image"] = json!([{
            "@type": "ImageObject",
            "url": site.absolute(&shared.path),
            "width": shared.width,
            "height": shared.height,
            "caption": figure.caption,
            "creditText": figure.credit,
        }]);
    }
    if !article.sources.is_empty() {
        let citations: Vec<Value> = article
            .sources
            .iter()
            .map(|source| json!({ "@type": "CreativeWork", "name": source.label, "url": source.url }))
            .collect();
        story["citation"] = json!(citations);
    }
    if !article.tags.is_empty() {
        let keywords: Vec<&str> = article.tags.iter().map(|t| t.name.as_ref()).collect();
        story["keywords"] = json!(keywords);
    }
    let mut graph = vec![story, breadcrumb_list(site, crumbs)];
    if let Some(claim) = &article.claim {
        graph.push(claim_review(
            site,
            article,
            claim,
            &url,
            published.as_deref(),
        ));
    }
    json!({ "@context": "https://schema.org", "@graph": graph })
}

/// The verdict of a fact-check, so search engines can show it with the claim.
fn claim_review(
    site: &Site,
    article: &Article,
    claim: &Claim,
    url: &str,
    published: Option<&str>,
) -> Value {
    let mut rating = json!({ "@type": "Rating", "alternateName": claim.rating.label_fr() });
    if let Some(score) = claim.rating.score() {
        rating["ratingValue"] = json!(score);
        rating["bestRating"] = json!(5);
        rating["worstRating"] = json!(1);
    }
    let mut item = json!({ "@type": "Claim" });
    if let Some(author) = &claim.author {
        item["author"] = json!({ "@type": "Person", "name": author });
    }
    json!({
        "@type": "ClaimReview",
        "url": url,
        "claimReviewed": claim.text,
        "itemReviewed": item,
        "reviewRating": rating,
        "datePublished": published,
        "inLanguage": "fr-FR",
        "author": { "@type": "Organization", "name": site.name, "url": site.absolute("/") },
        "headline": article.headline.as_ref(),
    })
}

/// One of the site's pages (about, legal notice): a page of the publisher's, not an article.
pub fn web_page(site: &Site, page: &Article, crumbs: &[LinkView]) -> Value {
    let mut value = json!({
        "@context": "https://schema.org",
        "@type": "WebPage",
        "name": page.search_headline(),
        "url": site.absolute(page.path.as_ref()),
        "inLanguage": "fr-FR",
        "dateModified": DateView::new(page.updated_at, &site.time_zone).iso,
        "isPartOf": { "@type": "WebSite", "name": site.name, "url": site.absolute("/") },
        "breadcrumb": breadcrumb_list(site, crumbs),
    });
    if let Some(description) = page.social_description() {
        value["description"] = json!(description);
    }
    value
}

/// An author's page: the person, with what their profile tells readers.
pub fn profile_page(site: &Site, author: &Author) -> Value {
    let profile = &author.profile;
    let mut person = json!({
        "@type": "Person",
        "name": author.name.as_ref(),
        "url": site.absolute(&author_url(author)),
    });
    if let Some(bio) = &author.bio {
        person["description"] = json!(crate::bio_text(bio));
    }
    if let Some(title) = &profile.job_title {
        person["jobTitle"] = json!(title);
    }
    if let Some(photo) = &profile.photo {
        let shared = SharedImage::of(photo);
        person["image"] = json!({
            "@type": "ImageObject",
            "url": site.absolute(&shared.path),
            "width": shared.width,
            "height": shared.height,
            "caption": photo.alt.as_ref(),
        });
    }
    if let Some(email) = &profile.links.email {
        person["email"] = json!(email.as_ref());
    }
    let same_as = profile.links.same_as();
    if !same_as.is_empty() {
        person["sameAs"] = json!(same_as);
    }
    json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "mainEntity": person,
    })
}

/// Serialises JSON-LD for a `<script>` element: `<` is escaped so no text in the data can close
/// the element.
pub fn to_script_text(value: &Value) -> String {
    value.to_string().replace('<', "\\u003c")
}
