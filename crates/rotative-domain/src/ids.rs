//! What identifies each stored thing: a number the database gave it, typed so a story's id
//! cannot be passed where an account's is expected.

use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! ids {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i64);

        impl From<i64> for $name {
            fn from(value: i64) -> Self {
                Self(value)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

ids! {
    /// A story.
    ArticleId;
    /// One saved version of a story.
    RevisionId;
    /// A newsroom account.
    UserId;
    /// A section of the site.
    SectionId;
    /// A subject (a tag) stories are filed under.
    SubjectId;
    /// A byline: an author's public profile.
    AuthorId;
    /// An image in the media library; figures point at media by id, never by file path.
    MediaId;
    /// A public correction or update note on a story.
    CorrectionId;
    /// A token the API knows an account by.
    TokenId;
    /// An address the site tells of changes to its stories.
    WebhookId;
    /// One event to send to one webhook, with its attempts.
    DeliveryId;
    /// A letter in the outbox.
    LetterId;
    /// Something a newsroom account was told of.
    NotificationId;
}
