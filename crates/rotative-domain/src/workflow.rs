//! Who may do what to a story, and which moves between editorial states exist. Pure rules,
//! checked on the server for every action; the newsroom only shows what these functions allow.

use serde::Serialize;
use thiserror::Error;

use crate::{ArticleStatus, ParseError};

/// What a newsroom account may do, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Writes drafts and submits them; cannot publish.
    Contributor,
    /// Writes and submits their own stories.
    Journalist,
    /// Edits, publishes, schedules, unpublishes and corrects every story; manages sections and tags.
    Editor,
    /// An editor who also manages accounts and site settings.
    Admin,
}

impl Role {
    pub const ALL: [Self; 4] = [
        Self::Contributor,
        Self::Journalist,
        Self::Editor,
        Self::Admin,
    ];

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(
            value,
            &Self::ALL,
            Self::as_str,
            "contributor, journalist, editor, admin",
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Contributor => "contributor",
            Self::Journalist => "journalist",
            Self::Editor => "editor",
            Self::Admin => "admin",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Contributor => "Contributeur",
            Self::Journalist => "Journaliste",
            Self::Editor => "Éditeur",
            Self::Admin => "Administrateur",
        }
    }

    fn is_editor(self) -> bool {
        self >= Self::Editor
    }
}

/// What an API token may do on its account's behalf.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenScope {
    /// Read what the account may read.
    Read,
    /// Also do what the account may do.
    Write,
}

impl TokenScope {
    pub const ALL: [Self; 2] = [Self::Read, Self::Write];

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(value, &Self::ALL, Self::as_str, "read, write")
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
        }
    }

    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Read => "Lecture",
            Self::Write => "Lecture et écriture",
        }
    }
}

/// Something a person does to a story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StoryAction {
    /// Change the text or its metadata.
    Edit,
    /// Ask an editor to review it.
    Submit,
    /// Take it back from review or from the schedule, to work on it again.
    ReturnToDraft,
    /// Put it in front of readers now.
    Publish,
    /// Put it in front of readers at a given time.
    Schedule,
    /// Take it away from readers; its address answers 410 Gone.
    Unpublish,
    /// Add a public, dated correction or update note.
    Correct,
    /// Make it the front page's lead story (those before it move one slot down).
    Pin,
    /// Take it off the front page: its slot takes the newest story.
    Unpin,
}

impl StoryAction {
    pub const ALL: [Self; 9] = [
        Self::Edit,
        Self::Submit,
        Self::ReturnToDraft,
        Self::Publish,
        Self::Schedule,
        Self::Unpublish,
        Self::Correct,
        Self::Pin,
        Self::Unpin,
    ];

    pub fn parse(value: &str) -> Result<Self, ParseError> {
        crate::error::parse_named(
            value,
            &Self::ALL,
            Self::as_str,
            "edit, submit, return_to_draft, publish, schedule, unpublish, correct, pin, unpin",
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::Submit => "submit",
            Self::ReturnToDraft => "return_to_draft",
            Self::Publish => "publish",
            Self::Schedule => "schedule",
            Self::Unpublish => "unpublish",
            Self::Correct => "correct",
            Self::Pin => "pin",
            Self::Unpin => "unpin",
        }
    }

    /// The verb shown on buttons and in the audit log.
    pub fn label_fr(self) -> &'static str {
        match self {
            Self::Edit => "Modifier",
            Self::Submit => "Soumettre à relecture",
            Self::ReturnToDraft => "Repasser en brouillon",
            Self::Publish => "Publier",
            Self::Schedule => "Programmer",
            Self::Unpublish => "Dépublier",
            Self::Correct => "Ajouter une correction",
            Self::Pin => "Mettre en tête de la une",
            Self::Unpin => "Retirer de la une",
        }
    }
}

/// Whose story it is, from the point of view of the person acting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ownership {
    Own,
    Others,
}

/// Why an action is refused, as data: the ways in say it in their readers' language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WorkflowError {
    #[error("the role does not allow this action on this story")]
    NotAllowed,
    #[error("cannot {} a story that is {}", action.as_str(), from.as_str())]
    IllegalMove {
        from: ArticleStatus,
        action: StoryAction,
    },
}

/// The state as an adjective after « un article ».
pub fn state_fr(state: ArticleStatus) -> &'static str {
    match state {
        ArticleStatus::Draft => "en brouillon",
        ArticleStatus::InReview => "en relecture",
        ArticleStatus::Scheduled => "programmé",
        ArticleStatus::Published => "publié",
        ArticleStatus::Unpublished => "dépublié",
    }
}

/// The state a story moves to, or why it cannot. `Edit`, `Correct`, `Pin` and `Unpin` keep the
/// state; only published stories go on the front page, which shows nothing else.
pub fn transition(
    from: ArticleStatus,
    action: StoryAction,
) -> Result<ArticleStatus, WorkflowError> {
    use ArticleStatus::{Draft, InReview, Published, Scheduled, Unpublished};
    use StoryAction::{
        Correct, Edit, Pin, Publish, ReturnToDraft, Schedule, Submit, Unpin, Unpublish,
    };
    let to = match (from, action) {
        (_, Edit) => Some(from),
        (Draft, Submit) => Some(InReview),
        (InReview | Scheduled | Unpublished, ReturnToDraft) => Some(Draft),
        (Draft | InReview | Scheduled | Unpublished, Publish)
        | (Published, Correct | Pin | Unpin) => Some(Published),
        (Draft | InReview | Scheduled, Schedule) => Some(Scheduled),
        (Published, Unpublish) => Some(Unpublished),
        _ => None,
    };
    to.ok_or(WorkflowError::IllegalMove { from, action })
}

/// Whether `role` may do `action` to a story in `state` that is `ownership` theirs.
/// Contributors touch only their own drafts; journalists their own stories until they are
/// published; editors and admins every story.
pub fn can(role: Role, action: StoryAction, ownership: Ownership, state: ArticleStatus) -> bool {
    if role.is_editor() {
        return true;
    }
    if ownership == Ownership::Others {
        return false;
    }
    match (role, action) {
        (Role::Contributor, StoryAction::Edit | StoryAction::Submit) => {
            state == ArticleStatus::Draft
        }
        (Role::Journalist, StoryAction::Edit | StoryAction::Submit) => {
            matches!(state, ArticleStatus::Draft | ArticleStatus::InReview)
        }
        (Role::Journalist, StoryAction::ReturnToDraft) => state == ArticleStatus::InReview,
        _ => false,
    }
}

/// Checks both rules at once: permission first (so nobody learns about states they may not
/// touch), then the move itself. Returns the new state.
pub fn authorize(
    role: Role,
    action: StoryAction,
    ownership: Ownership,
    state: ArticleStatus,
) -> Result<ArticleStatus, WorkflowError> {
    if !can(role, action, ownership, state) {
        return Err(WorkflowError::NotAllowed);
    }
    transition(state, action)
}

/// Newsroom powers beyond stories.
pub fn can_manage_taxonomy(role: Role) -> bool {
    role.is_editor()
}

pub fn can_manage_users(role: Role) -> bool {
    role == Role::Admin
}

#[cfg(test)]
mod tests {
    use ArticleStatus::{Draft, InReview, Published, Scheduled, Unpublished};
    use Ownership::{Others, Own};
    use Role::{Admin, Contributor, Editor, Journalist};
    use StoryAction::{Correct, Edit, Publish, ReturnToDraft, Submit, Unpublish};

    use super::*;

    /// Every (state, action) pair: the expected new state, or `None` for an illegal move.
    #[test]
    fn transition_table() {
        let table: [(ArticleStatus, [Option<ArticleStatus>; 9]); 5] = [
            //          Edit            Submit          ReturnToDraft  Publish          Schedule         Unpublish          Correct          Pin              Unpin
            (
                Draft,
                [
                    Some(Draft),
                    Some(InReview),
                    None,
                    Some(Published),
                    Some(Scheduled),
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            (
                InReview,
                [
                    Some(InReview),
                    None,
                    Some(Draft),
                    Some(Published),
                    Some(Scheduled),
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            (
                Scheduled,
                [
                    Some(Scheduled),
                    None,
                    Some(Draft),
                    Some(Published),
                    Some(Scheduled),
                    None,
                    None,
                    None,
                    None,
                ],
            ),
            (
                Published,
                [
                    Some(Published),
                    None,
                    None,
                    None,
                    None,
                    Some(Unpublished),
                    Some(Published),
                    Some(Published),
                    Some(Published),
                ],
            ),
            (
                Unpublished,
                [
                    Some(Unpublished),
                    None,
                    Some(Draft),
                    Some(Published),
                    None,
                    None,
                    None,
                    None,
                    None,
                ],
            ),
        ];
        for (state, row) in table {
            for (action, expected) in StoryAction::ALL.into_iter().zip(row) {
                assert_eq!(
                    transition(state, action).ok(),
                    expected,
                    "{state:?} + {action:?}"
                );
            }
        }
    }

    /// Every (role, ownership, action, state): allowed or not.
    #[test]
    fn permission_table() {
        let states = ArticleStatus::ALL;
        for role in [Editor, Admin] {
            for ownership in [Own, Others] {
                for action in StoryAction::ALL {
                    for state in states {
                        assert!(can(role, action, ownership, state), "{role:?} {action:?}");
                    }
                }
            }
        }
        for role in [Contributor, Journalist] {
            for action in StoryAction::ALL {
                for state in states {
                    assert!(
                        !can(role, action, Others, state),
                        "{role:?} on others' {state:?}"
                    );
                    let expected = matches!(
                        (role, action, state),
                        (_, Edit | Submit, Draft)
                            | (Journalist, Edit | Submit | ReturnToDraft, InReview)
                    );
                    assert_eq!(
                        can(role, action, Own, state),
                        expected,
                        "{role:?} {action:?} own {state:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn refusals_say_why() {
        assert_eq!(
            authorize(Contributor, Publish, Own, Draft),
            Err(WorkflowError::NotAllowed)
        );
        assert_eq!(
            authorize(Editor, Unpublish, Others, Draft),
            Err(WorkflowError::IllegalMove {
                from: Draft,
                action: Unpublish
            })
        );
        assert_eq!(authorize(Journalist, Submit, Own, Draft), Ok(InReview));
        assert_eq!(authorize(Editor, Correct, Others, Published), Ok(Published));
        assert_eq!(
            authorize(Journalist, StoryAction::Pin, Own, Published),
            Err(WorkflowError::NotAllowed)
        );
        assert_eq!(
            authorize(Editor, StoryAction::Pin, Others, Draft),
            Err(WorkflowError::IllegalMove {
                from: Draft,
                action: StoryAction::Pin
            })
        );
    }

    #[test]
    fn only_admins_manage_users() {
        assert!(can_manage_users(Admin));
        assert!(!can_manage_users(Editor));
        assert!(can_manage_taxonomy(Editor) && !can_manage_taxonomy(Journalist));
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
    }
}
