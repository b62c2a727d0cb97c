//! Rotative's domain: the types a newsroom talks about and the rules between them.
//! Owns: articles, sections, tags, authors, figures, slugs, permalinks, French typography, related ranking.
//! Never: I/O, async, SQL or HTTP — every function here is pure and tested without a runtime.

mod article;
mod claim;
mod correction;
mod embed;
mod error;
mod ids;
mod local_time;
mod notification;
mod pagination;
mod permalink;
mod profile;
mod redirect;
mod related;
mod sharing;
mod slug;
mod source;
mod taxonomy;
mod text;
pub mod typography;
mod webhook;
pub mod workflow;

pub use article::{
    Article, ArticleKind, ArticleStatus, ArticleSummary, ClaimMismatch, Figure, PageLink,
    check_claim,
};
pub use claim::{Claim, ClaimRating};
pub use correction::{Correction, CorrectionKind};
pub use embed::{Embed, Provider};
pub use error::ParseError;
pub use ids::{
    ArticleId, AuthorId, CorrectionId, DeliveryId, LetterId, MediaId, NotificationId, RevisionId,
    SectionId, SubjectId, TokenId, UserId, WebhookId,
};
pub use local_time::{day_start, local_input, local_time};
pub use notification::{Audience, DIGEST_HOUR, NoticeKind, digest_hour_before, recipients};
pub use pagination::{After, PageNumber, Pagination};
pub use permalink::{ArticlePath, ArticleUrlParts};
pub use profile::{PhotoChoice, Profile, ProfileDraft, ProfileForm, ProfileLinks, ProfileProblem};
pub use redirect::{RedirectDraft, RedirectProblem, allowed_hosts, matched_as, requested_forms};
pub use related::{RelatedCandidate, rank_related};
pub use sharing::{SearchAndSocial, SearchAndSocialField};
pub use slug::Slug;
pub use source::{Source, web_address};
pub use taxonomy::{Author, Section, SectionDraft, SectionProblem, Tag, is_reserved_section_slug};
pub use text::{
    AltText, CardDescription, Email, Headline, Name, ShortHeadline, Standfirst, without_controls,
};
pub use typography::french_typography;
pub use webhook::{WebhookEvent, WebhookUrlProblem, check_webhook_url, is_public_address};
pub use workflow::{
    Ownership, Role, StoryAction, TokenScope, WorkflowError, authorize, can, transition,
};
