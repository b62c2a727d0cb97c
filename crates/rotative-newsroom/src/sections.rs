//! Sections as editors manage them: add, rename (a new slug takes every old address with it),
//! describe, hide from the navigation, reorder, merge one into another, remove an empty one.

use rotative_domain::{SectionDraft, SectionId, workflow::can_manage_taxonomy};
use rotative_store::{Audit, SectionFields, SectionRecord, SectionRemoval, StoreError, Taken};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// Which way a section moves in the navigation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    Earlier,
    Later,
}

impl Actor {
    /// Sections are the editors' (and administrators').
    pub fn manages_sections(&self) -> Result<(), NewsroomError> {
        if can_manage_taxonomy(self.role) {
            Ok(())
        } else {
            Err(NewsroomError::Forbidden)
        }
    }
}

fn fields(draft: &SectionDraft) -> SectionFields<'_> {
    SectionFields {
        section: &draft.section,
        description: &draft.description,
        in_navigation: draft.in_navigation,
    }
}

/// A slug another section has is said with the slug.
fn slug_taken(draft: &SectionDraft) -> impl FnOnce(StoreError) -> NewsroomError + '_ {
    move |error| match error {
        StoreError::AlreadyExists(Taken::SectionSlug) => {
            NewsroomError::Refused(Refusal::SectionSlugTaken(draft.section.slug.to_string()))
        }
        other => other.into(),
    }
}

impl Newsroom {
    /// Refuses the address of one of the site's pages, for a section.
    async fn check_section_slug(&self, draft: &SectionDraft) -> Result<(), NewsroomError> {
        if self.store.is_page_slug(&draft.section.slug).await? {
            return Err(NewsroomError::Refused(Refusal::AddressOfTheSite(
                draft.section.slug.to_string(),
            )));
        }
        Ok(())
    }

    /// Every section, with its story counts, in the navigation's order.
    pub async fn sections(&self, actor: &Actor) -> Result<Vec<SectionRecord>, NewsroomError> {
        actor.manages_sections()?;
        Ok(self.store.section_records().await?)
    }

    pub async fn section(
        &self,
        actor: &Actor,
        id: SectionId,
    ) -> Result<SectionRecord, NewsroomError> {
        actor.manages_sections()?;
        self.store
            .section_record(id)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::NoSuchSection))
    }

    pub async fn add_section(
        &self,
        actor: &Actor,
        draft: &SectionDraft,
    ) -> Result<SectionId, NewsroomError> {
        actor.manages_sections()?;
        self.check_section_slug(draft).await?;
        let audit = Audit::by(Some(actor.id), "section_add").detail(draft.section.name.as_ref());
        self.store
            .create_section(fields(draft), audit)
            .await
            .map_err(slug_taken(draft))
    }

    /// Changes a section; a new slug keeps every old address alive with a 301.
    pub async fn change_section(
        &self,
        actor: &Actor,
        id: SectionId,
        draft: &SectionDraft,
    ) -> Result<(), NewsroomError> {
        actor.manages_sections()?;
        let before = self.section(actor, id).await?;
        if before.section.slug != draft.section.slug {
            self.check_section_slug(draft).await?;
        }
        let detail = if before.section.slug == draft.section.slug {
            draft.section.name.to_string()
        } else {
            format!(
                "{} : /{}/ → /{}/",
                draft.section.name, before.section.slug, draft.section.slug
            )
        };
        let audit = Audit::by(Some(actor.id), "section_change").detail(&detail);
        let found = self
            .store
            .change_section(id, fields(draft), audit)
            .await
            .map_err(slug_taken(draft))?;
        found
            .then_some(())
            .ok_or(NewsroomError::Refused(Refusal::NoSuchSection))
    }

    /// Moves a section one place earlier or later in the navigation.
    pub async fn shift_section(
        &self,
        actor: &Actor,
        id: SectionId,
        shift: Shift,
    ) -> Result<(), NewsroomError> {
        let mut order: Vec<SectionId> = self
            .sections(actor)
            .await?
            .iter()
            .map(|record| record.id)
            .collect();
        let at = order
            .iter()
            .position(|section| *section == id)
            .ok_or(NewsroomError::Refused(Refusal::NoSuchSection))?;
        let other = match shift {
            Shift::Earlier => at.checked_sub(1),
            Shift::Later => Some(at + 1).filter(|next| *next < order.len()),
        };
        let Some(other) = other else {
            return Ok(());
        };
        order.swap(at, other);
        self.reorder_sections(actor, &order).await
    }

    /// Puts the sections in this order in the navigation; those not named follow.
    pub async fn reorder_sections(
        &self,
        actor: &Actor,
        order: &[SectionId],
    ) -> Result<(), NewsroomError> {
        let records = self.sections(actor).await?;
        let detail = order
            .iter()
            .filter_map(|id| records.iter().find(|record| record.id == *id))
            .map(|record| record.section.name.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        let audit = Audit::by(Some(actor.id), "section_order").detail(&detail);
        Ok(self.store.reorder_sections(order, audit).await?)
    }

    /// Files every story of `from` in `into` and removes `from`: its addresses lead to `into`'s.
    pub async fn merge_section(
        &self,
        actor: &Actor,
        from: SectionId,
        into: SectionId,
    ) -> Result<(), NewsroomError> {
        actor.manages_sections()?;
        if from == into {
            return Err(NewsroomError::Refused(Refusal::MergeIntoItself));
        }
        let (merged, kept) = (
            self.section(actor, from).await?,
            self.section(actor, into).await?,
        );
        let detail = format!("{} → {}", merged.section.name, kept.section.name);
        let audit = Audit::by(Some(actor.id), "section_merge").detail(&detail);
        let found = self.store.merge_section(from, into, audit).await?;
        found
            .then_some(())
            .ok_or(NewsroomError::Refused(Refusal::NoSuchSection))
    }

    /// Removes a section that files no story; one that does can only be merged.
    pub async fn remove_section(&self, actor: &Actor, id: SectionId) -> Result<(), NewsroomError> {
        let record = self.section(actor, id).await?;
        let audit =
            Audit::by(Some(actor.id), "section_remove").detail(record.section.name.as_ref());
        match self.store.remove_section(id, audit).await? {
            SectionRemoval::Removed => Ok(()),
            SectionRemoval::NotFound => Err(NewsroomError::Refused(Refusal::NoSuchSection)),
            SectionRemoval::HoldsStories => {
                Err(NewsroomError::Refused(Refusal::SectionHoldsStories))
            }
        }
    }
}
