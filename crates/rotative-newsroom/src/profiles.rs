//! Bylines and their profiles: everyone describes their own (photo, job title, bio, links);
//! editors describe anyone's, agencies' and guests' included, and add bylines for those who
//! have no account.

use rotative_domain::{Author, AuthorId, ProfileDraft, workflow::can_manage_taxonomy};
use rotative_store::{Audit, BylineRecord, ProfileFields, StoreError, Taken, User};

use crate::{Actor, Newsroom, NewsroomError, Refusal};

/// How many bylines the newsroom's list shows at once: a search finds the others.
pub const BYLINES_LISTED: u32 = 200;

impl Newsroom {
    /// Bylines whose name holds `search`, by name, for editors.
    pub async fn bylines(
        &self,
        actor: &Actor,
        search: &str,
    ) -> Result<Vec<BylineRecord>, NewsroomError> {
        actor.manages_sections()?;
        Ok(self.store.byline_records(search, BYLINES_LISTED).await?)
    }

    /// The byline an account signs with: the one its name makes, until an editor renames it.
    pub async fn own_byline(&self, account: &User) -> Result<AuthorId, NewsroomError> {
        let byline = Author::named(account.name.clone())
            .map_err(|_| NewsroomError::Refused(Refusal::NoOwnByline))?;
        self.store
            .account_byline(account.id, &byline)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::NoOwnByline))
    }

    /// A byline with its profile, for whoever may describe it.
    pub async fn byline(
        &self,
        account: &User,
        id: AuthorId,
    ) -> Result<BylineRecord, NewsroomError> {
        // Editors (and administrators) describe every byline; the others, the one they sign with.
        if !can_manage_taxonomy(account.role) && self.own_byline(account).await? != id {
            return Err(NewsroomError::Forbidden);
        }
        self.store
            .byline_record(id)
            .await?
            .ok_or(NewsroomError::Refused(Refusal::NoSuchByline))
    }

    /// A byline for someone without an account (a guest, an agency), described from the start.
    pub async fn add_byline(
        &self,
        actor: &Actor,
        draft: &ProfileDraft,
    ) -> Result<AuthorId, NewsroomError> {
        actor.manages_sections()?;
        let byline = Author::named(draft.name.clone())
            .map_err(|_| NewsroomError::Refused(Refusal::NoSuchByline))?;
        let audit = Audit::by(Some(actor.id), "byline_add").detail(draft.name.as_ref());
        let photo = self.photo(draft).await?;
        let fields = fields(draft, photo.as_ref());
        self.store
            .create_byline(&byline.slug, fields, audit)
            .await
            .map_err(|error| match error {
                StoreError::AlreadyExists(Taken::BylineSlug) => {
                    NewsroomError::Refused(Refusal::BylineTaken(draft.name.to_string()))
                }
                other => other.into(),
            })
    }

    /// Saves a byline's profile, and its name for editors (a name is who readers believe wrote
    /// a story: the others keep theirs); its page keeps its address.
    pub async fn describe_byline(
        &self,
        account: &User,
        id: AuthorId,
        draft: &ProfileDraft,
    ) -> Result<(), NewsroomError> {
        let before = self.byline(account, id).await?;
        let mut draft = draft.clone();
        if !can_manage_taxonomy(account.role) {
            draft.name = before.author.name;
        }
        let draft = &draft;
        let photo = self.photo(draft).await?;
        let audit = Audit::by(Some(account.id), "byline_change").detail(draft.name.as_ref());
        let found = self
            .store
            .change_byline(id, fields(draft, photo.as_ref()), audit)
            .await?;
        found
            .then_some(())
            .ok_or(NewsroomError::Refused(Refusal::NoSuchByline))
    }

    /// The library image a profile chose, which must be the library's.
    async fn photo(
        &self,
        draft: &ProfileDraft,
    ) -> Result<Option<(rotative_domain::MediaId, rotative_domain::AltText)>, NewsroomError> {
        let Some(choice) = &draft.photo else {
            return Ok(None);
        };
        let media = self.store.media_by_key(&choice.key).await?.ok_or_else(|| {
            NewsroomError::Refused(Refusal::PhotoNotInLibrary(choice.key.clone()))
        })?;
        Ok(Some((media.id, choice.alt.clone())))
    }
}

fn fields<'a>(
    draft: &'a ProfileDraft,
    photo: Option<&'a (rotative_domain::MediaId, rotative_domain::AltText)>,
) -> ProfileFields<'a> {
    ProfileFields {
        name: &draft.name,
        bio: draft.bio.as_deref(),
        job_title: draft.job_title.as_deref(),
        photo: photo.map(|(media, alt)| (*media, alt)),
        links: &draft.links,
    }
}
