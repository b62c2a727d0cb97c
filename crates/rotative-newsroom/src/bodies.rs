//! Story bodies: the library images they show, the lead image, and rendering them as readers
//! will see them. Every way in (the editor, story files, WordPress) follows these rules.

use std::collections::HashMap;

use rotative_domain::{AltText, MediaId};
use rotative_render::{FigureSource, StoredImage, figure_sources, render_body};
use rotative_store::{Audit, MediaRecord, MediaText, NewLeadImage};

use crate::{Actor, BodyProblem, Newsroom, NewsroomError, Refusal};

/// The body's size limit, in bytes of Markdown: far above any real story, low enough to keep
/// rendering and storage cheap.
pub const MAX_BODY_BYTES: usize = 512 * 1024;

/// What a body's images resolve to in the library.
#[derive(Debug, Default)]
pub struct BodyImages {
    /// Keyed by the name after `media:`, which is the library key.
    pub images: HashMap<String, StoredImage>,
    pub lead: Option<NewLeadImage>,
    /// Library keys, in order of appearance.
    pub keys: Vec<String>,
    /// Images neither the story nor the library describes: they block publication.
    pub missing_alt: Vec<String>,
}

/// The lead image, shown on lists, social cards and JSON-LD: the body's first figure that is
/// described, by the story (`figure`) or else by the library (`stored`). The one rule every way
/// in uses.
pub fn lead_image<'a>(
    figures: impl IntoIterator<Item = (&'a FigureSource, &'a StoredImage)>,
) -> Option<NewLeadImage> {
    figures.into_iter().find_map(|(figure, stored)| {
        let alt = figure
            .alt
            .clone()
            .or_else(|| AltText::parse(stored.alt.as_deref()?).ok())?;
        Some(NewLeadImage {
            storage_key: stored.key.clone(),
            alt,
            caption: figure.caption.clone().or_else(|| stored.caption.clone()),
            credit: figure.credit.clone().or_else(|| stored.credit.clone()),
        })
    })
}

impl Newsroom {
    /// The stored images a body refers to (`media:KEY`), each with the story's description or,
    /// where the story gives none, the library's.
    pub async fn body_images(&self, body: &str) -> Result<BodyImages, NewsroomError> {
        let figures = figure_sources(body)?;
        let mut found = BodyImages::default();
        for figure in &figures {
            // An image the body shows twice is looked up once.
            let stored = if let Some(stored) = found.images.get(&figure.name) {
                stored.clone()
            } else {
                let Some(media) = self.store.media_by_key(&figure.name).await? else {
                    return Err(NewsroomError::Body(BodyProblem::NotInLibrary(
                        figure.name.clone(),
                    )));
                };
                StoredImage {
                    key: media.storage_key,
                    width: media.width,
                    height: media.height,
                    animated: media.animated,
                    alt: media.description.alt,
                    caption: media.description.caption,
                    credit: media.description.credit,
                }
            };
            let described = figure.alt.is_some()
                || stored
                    .alt
                    .as_deref()
                    .is_some_and(|alt| AltText::parse(alt).is_ok());
            if !described && !found.missing_alt.contains(&figure.name) {
                found.missing_alt.push(figure.name.clone());
            }
            found.keys.push(stored.key.clone());
            found.images.insert(figure.name.clone(), stored);
        }
        found.lead = lead_image(
            figures
                .iter()
                .filter_map(|figure| Some((figure, found.images.get(&figure.name)?))),
        );
        Ok(found)
    }

    /// Renders a body on the blocking pool, within the account's share of the instance's CPU.
    pub async fn render(
        &self,
        actor: &Actor,
        markdown: &str,
        images: HashMap<String, StoredImage>,
    ) -> Result<String, NewsroomError> {
        let theme = std::sync::Arc::clone(&self.theme);
        let markdown = markdown.to_owned();
        let rendered = self
            .cpu_work
            .run(actor.id, move || render_body(&theme, &markdown, &images))
            .await?;
        Ok(rendered?)
    }

    /// The body alone, rendered as readers will see it.
    pub async fn preview(&self, actor: &Actor, body: &str) -> Result<String, NewsroomError> {
        let found = self.body_images(body).await?;
        self.render(actor, body, found.images).await
    }

    /// The images a body shows that nothing describes (none when the body cannot be read).
    pub async fn images_without_alt(&self, body: &str) -> Result<Vec<String>, NewsroomError> {
        match self.body_images(body).await {
            Ok(found) => Ok(found.missing_alt),
            Err(NewsroomError::Body(_)) => Ok(Vec::new()),
            Err(other) => Err(other),
        }
    }

    /// The images a new text of a public story would show undescribed that readers do not
    /// already see undescribed: a save may not make a public page less readable, yet an imported
    /// story whose old images lack alt text can still be corrected meanwhile.
    pub async fn newly_undescribed(
        &self,
        public_body: &str,
        new_body: &str,
    ) -> Result<Vec<String>, NewsroomError> {
        let public = self.images_without_alt(public_body).await?;
        let mut missing = self.images_without_alt(new_body).await?;
        missing.retain(|name| !public.contains(name));
        Ok(missing)
    }

    /// The headline of a story showing this image that the actor may not edit, if there is one:
    /// an image's description is part of every story showing it, so changing it takes the same
    /// right as editing each of them.
    pub async fn story_out_of_reach(
        &self,
        actor: &Actor,
        media: MediaId,
    ) -> Result<Option<String>, NewsroomError> {
        for id in self.store.stories_using_media(media).await? {
            let Some(story) = self.store.story_for_edit(id).await? else {
                continue;
            };
            if !actor.may_edit(&story) {
                return Ok(Some(story.headline.to_string()));
            }
        }
        Ok(None)
    }

    /// Describes a library image for every story showing it: refused when one of them is a
    /// story the actor may not edit. The description and its audit line are one transaction;
    /// the stories showing the image are then rendered again. Returns how many there are.
    pub async fn describe_image(
        &self,
        actor: &Actor,
        media: &MediaRecord,
        text: &MediaText,
    ) -> Result<usize, NewsroomError> {
        if let Some(headline) = self.story_out_of_reach(actor, media.id).await? {
            return Err(NewsroomError::Refused(Refusal::ShownInStoryOutOfReach(
                headline,
            )));
        }
        let audit = Audit::by(Some(actor.id), "media_describe").detail(&media.storage_key);
        self.store.describe_media(media.id, text, audit).await?;
        self.refresh_stories_using(actor, media.id).await
    }

    /// Renders again the stories that show an image whose library description changed, so
    /// pages show the new alt text, caption and credit. Returns how many stories show it.
    pub async fn refresh_stories_using(
        &self,
        actor: &Actor,
        media: MediaId,
    ) -> Result<usize, NewsroomError> {
        let ids = self.store.stories_using_media(media).await?;
        for &id in &ids {
            let Some(story) = self.store.story_for_edit(id).await? else {
                continue;
            };
            // A body that no longer renders (an image since removed, say) keeps its last
            // rendering until someone edits it.
            let found = match self.body_images(&story.body_markdown).await {
                Ok(found) => found,
                Err(NewsroomError::Body(_)) => continue,
                Err(other) => return Err(other),
            };
            let html = match self.render(actor, &story.body_markdown, found.images).await {
                Ok(html) => html,
                Err(NewsroomError::Body(_)) => continue,
                Err(other) => return Err(other),
            };
            self.store
                .refresh_rendering(id, &html, found.lead.as_ref())
                .await?;
        }
        Ok(ids.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn figure(name: &str, alt: Option<&str>) -> FigureSource {
        FigureSource {
            name: name.to_owned(),
            alt: alt.map(|alt| AltText::parse(alt).unwrap()),
            caption: Some(format!("Légende de {name}")),
            credit: None,
        }
    }

    fn stored(key: &str, alt: Option<&str>) -> StoredImage {
        StoredImage {
            key: key.to_owned(),
            width: 1200,
            height: 800,
            animated: false,
            alt: alt.map(str::to_owned),
            caption: None,
            credit: Some("Agence".to_owned()),
        }
    }

    #[test]
    fn the_lead_is_the_first_described_figure() {
        let figures = [
            figure("a.jpg", None),
            figure("b.jpg", None),
            figure("c.jpg", Some("Un pont")),
        ];
        let library = [
            stored("a.jpg", None),
            stored("b.jpg", Some("Une place")),
            stored("c.jpg", None),
        ];
        let lead = lead_image(figures.iter().zip(&library)).unwrap();
        assert_eq!(lead.storage_key, "b.jpg", "described by the library");
        assert_eq!(lead.alt.as_ref(), "Une place");
        assert_eq!(
            lead.caption.as_deref(),
            Some("Légende de b.jpg"),
            "the story's caption"
        );
        assert_eq!(
            lead.credit.as_deref(),
            Some("Agence"),
            "the library's credit"
        );

        let story_described = [figure("a.jpg", Some("Ce que montre l'image"))];
        let library = [stored("a.jpg", Some("Autre chose"))];
        let lead = lead_image(story_described.iter().zip(&library)).unwrap();
        assert_eq!(
            lead.alt.as_ref(),
            "Ce que montre l'image",
            "the story's words first"
        );

        let undescribed = [figure("a.jpg", None)];
        let library = [stored("a.jpg", None)];
        assert!(lead_image(undescribed.iter().zip(&library)).is_none());
    }
}
