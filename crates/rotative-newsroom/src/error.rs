//! What can stop a newsroom operation, as data: the ways in (the newsroom's pages, the command
//! line, an importer) say it in their own words.

use rotative_domain::WorkflowError;
use rotative_render::RenderError;
use rotative_store::StoreError;
use thiserror::Error;

use crate::cpu_work::Busy;

#[derive(Debug, Error)]
pub enum NewsroomError {
    /// The person's role or relation to the story does not allow it.
    #[error("not allowed")]
    Forbidden,
    /// The story is not in a state this action applies to.
    #[error("{0}")]
    Workflow(WorkflowError),
    /// The body cannot be published as written.
    #[error("body: {0:?}")]
    Body(BodyProblem),
    /// The action cannot apply to the story as it is now.
    #[error("refused: {0:?}")]
    Refused(Refusal),
    /// The account (or the instance) has too much work under way: try again shortly.
    #[error(transparent)]
    Busy(#[from] Busy),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Render(RenderError),
}

impl From<WorkflowError> for NewsroomError {
    fn from(error: WorkflowError) -> Self {
        match error {
            WorkflowError::NotAllowed => Self::Forbidden,
            illegal @ WorkflowError::IllegalMove { .. } => Self::Workflow(illegal),
        }
    }
}

impl From<RenderError> for NewsroomError {
    fn from(error: RenderError) -> Self {
        match BodyProblem::from_render(&error) {
            Some(problem) => Self::Body(problem),
            None => Self::Render(error),
        }
    }
}

/// What is wrong with a body's text or images.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyProblem {
    /// An image named `media:NAME` that the library does not hold.
    NotInLibrary(String),
    /// An image from another site: readers' browsers never call a third party.
    ExternalImage(String),
    /// Images that neither the story nor the library describes.
    MissingAlt(Vec<String>),
    /// An image whose alt text is too long.
    InvalidAlt(String),
    /// Quotations, lists or tags nested deeper than the limit.
    TooDeep { limit: usize },
}

impl BodyProblem {
    fn from_render(error: &RenderError) -> Option<Self> {
        Some(match error {
            RenderError::ExternalImage(url) => Self::ExternalImage(url.clone()),
            RenderError::MissingAlt(name) => Self::MissingAlt(vec![name.clone()]),
            RenderError::InvalidAlt { name, .. } => Self::InvalidAlt(name.clone()),
            RenderError::UnknownImage(name) => Self::NotInLibrary(name.clone()),
            RenderError::TooDeep { limit } => Self::TooDeep { limit: *limit },
            _ => return None,
        })
    }
}

/// Why an action does not apply to the story as it is now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The story leads the front page already.
    AlreadyLeads,
    NotOnFrontPage,
    /// A story named in two slots of the front page.
    TwiceOnFrontPage,
    /// A section given two blocks on the front page.
    SectionTwiceOnFrontPage,
    /// A story set to leave the front page at a time already past.
    LeavesInThePast,
    /// Only published stories (not the site's pages) go on the front page.
    NotForFrontPage,
    /// A section given a block on the front page no longer exists (merged or deleted since
    /// the form was read).
    FrontPageSectionGone,
    /// Publication waits for these images to be described.
    ImagesWithoutAlt(Vec<String>),
    /// A publication time in the past.
    ScheduledInThePast,
    /// No publication time was given.
    NoScheduledTime,
    /// Saved since the person read it: they must read the latest version first.
    EditedSinceRead,
    /// Moved or saved by someone else meanwhile.
    ChangedMeanwhile,
    /// A library image shown in a story (this headline) the actor may not edit: its
    /// description is part of that story.
    ShownInStoryOutOfReach(String),
    /// An account already uses this email address.
    EmailTaken,
    /// An administrator giving up their own role.
    OwnAdminRole,
    /// The account already has a password: only its owner changes it.
    AlreadyActive,
    /// A link (an invitation's, a forgotten password's) that served, expired or never existed.
    LinkNotValid,
    /// A second factor's code that does not match, or served already.
    WrongCode,
    /// Too many wrong codes for the account lately.
    TooManyCodes,
    /// The account has no second factor to change.
    NoSecondFactor,
    /// The account has a second factor already: it must be turned off before another is set.
    HasSecondFactor,
    /// A public note empty or longer than `MAX_NOTE_CHARS`.
    NoteLength,
    /// A token's name empty, on several lines or too long.
    TokenName,
    /// No live token with this id within the actor's reach.
    NoSuchToken,
    /// A webhook address that is not `http(s)`.
    WebhookNotWeb,
    /// A webhook address on the site itself.
    WebhookThisSite,
    /// A webhook that asks for no event.
    WebhookWithoutEvents,
    NoSuchWebhook,
    NoSuchNotification,
    NoSuchSection,
    NoSuchPage,
    /// A page named twice in the footer's order.
    PageTwiceInFooter,
    /// A page is not a story: it never goes on the front page.
    PageNotPinned,
    /// A section, a page or the site's own pages answer at `/{slug}/` already.
    AddressOfTheSite(String),
    /// Another section has this slug.
    SectionSlugTaken(String),
    /// A section still filing stories: only a merge takes it away.
    SectionHoldsStories,
    MergeIntoItself,
    /// A redirect as typed, and what is wrong with it.
    Redirect(Vec<rotative_domain::RedirectProblem>),
    /// Its target leads back to it.
    RedirectLoop,
    /// A story lives at the address: readers would never be redirected.
    RedirectFromLivePage,
    /// This address is redirected already.
    RedirectExists(String),
    NoSuchRedirect,
    /// A slug with no letter or digit.
    SlugEmpty,
    /// Another story has this slug.
    SlugTaken(String),
    NoSuchByline,
    /// The account's name makes no byline of its own: it has no letter or digit, or another
    /// account signs with it.
    NoOwnByline,
    /// Another byline has the address this name makes.
    BylineTaken(String),
    /// A profile photo that is not in the media library (the key as given).
    PhotoNotInLibrary(String),
}
