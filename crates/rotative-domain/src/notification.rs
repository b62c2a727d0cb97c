//! Newsroom notifications: what a person is told of the stories they write or review, and who
//! is told of what.

use jiff::{Timestamp, tz::TimeZone};
use serde::Serialize;

use crate::{
    ArticleStatus, ParseError, StoryAction,
    typography::{NARROW_NBSP, NBSP},
};

/// Something that happened to a story that someone in the newsroom should hear of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// A story waits for review (told to the editors).
    Submitted,
    /// A story went back to the draft state, from review, the schedule or off the site (told
    /// to its writers).
    Returned,
    /// A story was published (told to its writers).
    Published,
    /// A story was set to go out at a given time (told to its writers).
    Scheduled,
    /// A scheduled story went out at its time (told to its writers).
    ScheduledPublished,
    /// A story was taken away from readers (told to its writers).
    Unpublished,
    /// A public correction or update was added under a story (told to its writers).
    Corrected,
}

/// Who hears of a story's event: the editors of the newsroom, or the story's writers (the
/// account that made it and the accounts of its bylines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Editors,
    Writers,
}

impl NoticeKind {
    pub const ALL: [Self; 7] = [
        Self::Submitted,
        Self::Returned,
        Self::Published,
        Self::Scheduled,
        Self::ScheduledPublished,
        Self::Unpublished,
        Self::Corrected,
    ];

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(
            value,
            &Self::ALL,
            Self::as_str,
            "submitted, returned, published, scheduled, scheduled_published, unpublished, corrected",
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Submitted => "submitted",
            Self::Returned => "returned",
            Self::Published => "published",
            Self::Scheduled => "scheduled",
            Self::ScheduledPublished => "scheduled_published",
            Self::Unpublished => "unpublished",
            Self::Corrected => "corrected",
        }
    }

    /// What a person chooses to receive by email, in the words of the preferences form.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Submitted => "Un article est soumis à relecture",
            Self::Returned => "Votre article repasse en brouillon",
            Self::Published => "Votre article est publié",
            Self::Scheduled => "Votre article est programmé",
            Self::ScheduledPublished => "Votre article programmé paraît",
            Self::Unpublished => "Votre article est dépublié",
            Self::Corrected => {
                "Une note publique (correction ou mise à jour) est ajoutée à votre article"
            }
        }
    }

    /// What happened, in a sentence set in French typography: `actor` did it (none: the
    /// scheduler) to the story `headline`.
    pub fn sentence_fr(self, actor: Option<&str>, headline: &str) -> String {
        let who = actor.unwrap_or("Quelqu’un");
        let story = format!("«{NARROW_NBSP}{headline}{NARROW_NBSP}»");
        match self {
            Self::Submitted => format!("{who} a soumis {story} à relecture."),
            Self::Returned => format!("{who} a repassé {story} en brouillon."),
            Self::Published => format!("{who} a publié {story}."),
            Self::Scheduled => format!("{who} a programmé la parution de {story}."),
            Self::ScheduledPublished => format!("{story} a paru à l’heure prévue."),
            Self::Unpublished => {
                format!("{who} a dépublié {story}{NBSP}: les lecteurs ne le voient plus.")
            }
            Self::Corrected => format!("{who} a ajouté une note publique à {story}."),
        }
    }

    /// A letter's subject for one notification.
    pub fn subject_fr(self, headline: &str) -> String {
        let what = match self {
            Self::Submitted => "À relire",
            Self::Returned => "Repassé en brouillon",
            Self::Published => "Publié",
            Self::Scheduled => "Programmé",
            Self::ScheduledPublished => "Paru",
            Self::Unpublished => "Dépublié",
            Self::Corrected => "Note publique ajoutée",
        };
        format!("{what}{NBSP}: {headline}")
    }

    pub fn audience(self) -> Audience {
        match self {
            Self::Submitted => Audience::Editors,
            _ => Audience::Writers,
        }
    }

    /// The kinds a role hears of: only those who review hear of stories waiting for review.
    pub fn heard_by(self, role: crate::Role) -> bool {
        self.audience() == Audience::Writers || crate::workflow::can_manage_taxonomy(role)
    }

    /// What a workflow action taken by a person on a story in state `from` tells others, if
    /// anything (moving a story on the front page tells no one).
    pub fn of_action(action: StoryAction, from: ArticleStatus) -> Option<Self> {
        match action {
            StoryAction::Submit => Some(Self::Submitted),
            StoryAction::ReturnToDraft if from != ArticleStatus::Draft => Some(Self::Returned),
            StoryAction::Publish => Some(Self::Published),
            StoryAction::Schedule => Some(Self::Scheduled),
            StoryAction::Unpublish => Some(Self::Unpublished),
            StoryAction::Correct => Some(Self::Corrected),
            StoryAction::Edit
            | StoryAction::ReturnToDraft
            | StoryAction::Pin
            | StoryAction::Unpin => None,
        }
    }
}

/// The hour of the site's day at which daily digests go.
pub const DIGEST_HOUR: i8 = 7;

/// When the latest digest hour struck, at or before `now`, in the site's time zone: an account
/// whose last digest went before then gets one now.
pub fn digest_hour_before(now: Timestamp, zone: &TimeZone) -> Timestamp {
    let today = now.to_zoned(zone.clone()).date();
    let at = |day: jiff::civil::Date| {
        day.at(DIGEST_HOUR, 0, 0, 0)
            .to_zoned(zone.clone())
            .map_or(now, |zoned| zoned.timestamp())
    };
    let struck = at(today);
    if struck <= now {
        struck
    } else {
        today.yesterday().map_or(struck, at)
    }
}

/// Who is told of an event: the audience, never the person who did it (`actor`; none for the
/// scheduler), each once.
pub fn recipients(
    audience: impl IntoIterator<Item = crate::UserId>,
    actor: Option<crate::UserId>,
) -> Vec<crate::UserId> {
    let mut told: Vec<crate::UserId> = audience
        .into_iter()
        .filter(|&id| Some(id) != actor)
        .collect();
    told.sort_unstable();
    told.dedup();
    told
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Role, UserId};

    #[test]
    fn names_read_back() {
        for kind in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(kind.as_str()), Ok(kind));
        }
        assert!(NoticeKind::parse("mentioned").is_err());
    }

    #[test]
    fn each_action_tells_of_its_own_kind() {
        use ArticleStatus::{Draft, InReview, Published, Scheduled};
        assert_eq!(
            NoticeKind::of_action(StoryAction::Submit, Draft),
            Some(NoticeKind::Submitted)
        );
        assert_eq!(
            NoticeKind::of_action(StoryAction::ReturnToDraft, InReview),
            Some(NoticeKind::Returned)
        );
        assert_eq!(
            NoticeKind::of_action(StoryAction::ReturnToDraft, Scheduled),
            Some(NoticeKind::Returned)
        );
        assert_eq!(
            NoticeKind::of_action(StoryAction::Correct, Published),
            Some(NoticeKind::Corrected)
        );
        for quiet in [StoryAction::Edit, StoryAction::Pin, StoryAction::Unpin] {
            assert_eq!(NoticeKind::of_action(quiet, Published), None);
        }
    }

    #[test]
    fn sentences_name_who_did_it_and_the_story_in_french_typography() {
        let sentence = NoticeKind::Submitted.sentence_fr(Some("Léa Martin"), "La crue");
        assert_eq!(
            sentence,
            "Léa Martin a soumis «\u{202f}La crue\u{202f}» à relecture."
        );
        assert_eq!(crate::french_typography(&sentence), sentence);
        assert_eq!(
            NoticeKind::ScheduledPublished.sentence_fr(None, "La crue"),
            "«\u{202f}La crue\u{202f}» a paru à l’heure prévue."
        );
        for kind in NoticeKind::ALL {
            let sentence = kind.sentence_fr(Some("Léa"), "La crue");
            assert_eq!(crate::french_typography(&sentence), sentence, "{kind:?}");
        }
        assert_eq!(
            NoticeKind::Published.subject_fr("La crue"),
            "Publié\u{a0}: La crue"
        );
    }

    #[test]
    fn only_reviewers_hear_of_stories_to_review() {
        assert!(NoticeKind::Submitted.heard_by(Role::Editor));
        assert!(NoticeKind::Submitted.heard_by(Role::Admin));
        assert!(!NoticeKind::Submitted.heard_by(Role::Journalist));
        assert!(NoticeKind::Published.heard_by(Role::Contributor));
    }

    #[test]
    fn digests_go_once_a_day_at_the_digest_hour() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let at = |text: &str| text.parse::<Timestamp>().unwrap();
        // 7:00 in Paris is 6:00 UTC in winter.
        assert_eq!(
            digest_hour_before(at("2026-12-04T09:30:00Z"), &paris),
            at("2026-12-04T06:00:00Z")
        );
        assert_eq!(
            digest_hour_before(at("2026-12-04T05:59:00Z"), &paris),
            at("2026-12-03T06:00:00Z")
        );
        assert_eq!(
            digest_hour_before(at("2026-07-01T05:00:00Z"), &paris),
            at("2026-07-01T05:00:00Z")
        );
    }

    #[test]
    fn nobody_hears_of_their_own_act_and_nobody_twice() {
        let told = recipients(
            [UserId(3), UserId(1), UserId(3), UserId(2)],
            Some(UserId(2)),
        );
        assert_eq!(told, [UserId(1), UserId(3)]);
        assert_eq!(recipients([UserId(1)], None), [UserId(1)]);
    }
}
