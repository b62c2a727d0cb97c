//! The site's pages (about, legal notice, contact, accessibility): written, revised and
//! published as stories are, by the editors, at `/{slug}/`; listed in every page's footer in
//! the order editors choose.

use std::collections::BTreeSet;

use rotative_domain::{ArticleId, ArticleKind, Section, Slug, is_reserved_section_slug};
use rotative_store::{Audit, PageRecord, Store, StoreError, StoryContent};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// A page's content: a text of the site's, filed apart from the stories, with no byline, subject,
/// kind of journalism or claim.
pub fn as_page(mut content: StoryContent) -> StoryContent {
    content.section = Section::for_pages();
    content.kind = ArticleKind::News;
    content.tags.clear();
    content.authors.clear();
    content.claim = None;
    content
}

/// A new page's slug, the rule of every way in: the one asked for or one made from its title,
/// made unique among the site's stories and pages and never an address a section or the site
/// answers at (`/a-propos-2/` when a section is called « À propos »).
pub async fn page_slug(
    store: &Store,
    wanted: Option<&Slug>,
    title: &str,
) -> Result<Slug, StoreError> {
    let base = wanted.cloned().unwrap_or_else(|| Slug::for_headline(title));
    let mut taken = store.section_addresses().await?;
    if is_reserved_section_slug(&base) {
        taken.insert(base.clone());
    }
    store.free_article_slug(&base, &taken).await
}

impl Newsroom {
    /// Every page, those in the footer first, in its order.
    pub async fn pages(&self, actor: &Actor) -> Result<Vec<PageRecord>, NewsroomError> {
        actor.manages_sections()?;
        Ok(self.store.pages().await?)
    }

    /// Stores a new page as a draft; its address comes from its headline, away from every
    /// section's and the site's own.
    pub async fn create_page(
        &self,
        actor: &Actor,
        content: StoryContent,
    ) -> Result<ArticleId, NewsroomError> {
        actor.manages_sections()?;
        let content = as_page(content);
        let slug = page_slug(&self.store, None, content.headline.as_ref()).await?;
        self.insert_draft(actor, slug, content, true).await
    }

    /// Puts these pages in the footer, in this order, and every other page out of it.
    pub async fn arrange_footer(
        &self,
        actor: &Actor,
        pages: &[ArticleId],
    ) -> Result<(), NewsroomError> {
        actor.manages_sections()?;
        let unique: BTreeSet<&ArticleId> = pages.iter().collect();
        if unique.len() != pages.len() {
            return Err(NewsroomError::Refused(Refusal::PageTwiceInFooter));
        }
        let detail = pages
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let audit = Audit::by(Some(actor.id), "footer").detail(&detail);
        if self.store.arrange_footer(pages, audit).await? {
            Ok(())
        } else {
            Err(NewsroomError::Refused(Refusal::NoSuchPage))
        }
    }

    /// Refuses an address a section or the site's own pages answer at, for a page.
    pub(crate) async fn check_page_slug(&self, slug: &Slug) -> Result<(), NewsroomError> {
        if is_reserved_section_slug(slug) || self.store.section_addresses().await?.contains(slug) {
            return Err(NewsroomError::Refused(Refusal::AddressOfTheSite(
                slug.to_string(),
            )));
        }
        Ok(())
    }
}
