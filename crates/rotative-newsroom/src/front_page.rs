//! « La une »: editors arrange the front page as a lead story, a row of secondary stories, each
//! with the time it may leave, and one block per chosen section. A pin (the story editor's « À
//! la une » button) makes a story the lead.

use std::collections::BTreeSet;

use jiff::Timestamp;
use rotative_store::{ArrangementRefused, Audit, FRONT_PAGE_ARRANGED, FrontPageArrangement};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

impl Newsroom {
    /// The front page as editors arranged it.
    pub async fn front_page(&self, actor: &Actor) -> Result<FrontPageArrangement, NewsroomError> {
        actor.manages_sections()?;
        Ok(self.store.front_page_arrangement().await?)
    }

    /// Arranges the front page: each slot's story (none: the newest not shown takes it) and
    /// the time it leaves, and the sections given a block, in order.
    pub async fn arrange_front_page(
        &self,
        actor: &Actor,
        arrangement: &FrontPageArrangement,
    ) -> Result<(), NewsroomError> {
        actor.manages_sections()?;
        let placed: Vec<_> = arrangement.slots.iter().flatten().collect();
        let stories: BTreeSet<_> = placed.iter().map(|placement| placement.story).collect();
        if stories.len() != placed.len() {
            return Err(NewsroomError::Refused(Refusal::TwiceOnFrontPage));
        }
        let sections: BTreeSet<_> = arrangement.sections.iter().collect();
        if sections.len() != arrangement.sections.len() {
            return Err(NewsroomError::Refused(Refusal::SectionTwiceOnFrontPage));
        }
        let now = Timestamp::now();
        if placed
            .iter()
            .any(|placement| placement.leaves_at.is_some_and(|at| at <= now))
        {
            return Err(NewsroomError::Refused(Refusal::LeavesInThePast));
        }
        let detail = audit_detail(arrangement);
        let audit = Audit::by(Some(actor.id), FRONT_PAGE_ARRANGED).detail(&detail);
        match self.store.arrange_front_page(arrangement, audit).await? {
            Ok(()) => Ok(()),
            Err(ArrangementRefused::NotAPublishedStory(_)) => {
                Err(NewsroomError::Refused(Refusal::NotForFrontPage))
            }
            Err(ArrangementRefused::NoSuchSection(_)) => {
                Err(NewsroomError::Refused(Refusal::FrontPageSectionGone))
            }
        }
    }

    /// Takes off the front page the stories whose time to leave has come.
    pub async fn leave_front_page_due(&self) -> Result<u64, NewsroomError> {
        Ok(self.store.leave_front_page_due().await?)
    }
}

/// The arrangement as the audit log keeps it: « 12 (jusqu'au …), -, 14, -, - ; rubriques 3, 1 ».
fn audit_detail(arrangement: &FrontPageArrangement) -> String {
    let slots: Vec<String> = arrangement
        .slots
        .iter()
        .map(|slot| match slot {
            None => "-".to_owned(),
            Some(placement) => match placement.leaves_at {
                Some(at) => format!("{} (until {at})", placement.story),
                None => placement.story.to_string(),
            },
        })
        .collect();
    let sections: Vec<String> = arrangement
        .sections
        .iter()
        .map(ToString::to_string)
        .collect();
    format!("{}; sections {}", slots.join(", "), sections.join(", "))
}
