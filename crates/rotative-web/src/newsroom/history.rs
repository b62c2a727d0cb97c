//! Every revision of a story, word-level comparisons, restoring, and the audit log.

use axum::{
    extract::{Path, Query, State},
    response::{Html, Redirect},
};
use rotative_domain::{ArticleId, RevisionId, StoryAction, UserId};
use rotative_newsroom::Actor;
use rotative_store::{EditableStory, RevisionText, SaveKind, SaveOutcome, User};
use serde::{Deserialize, Serialize};
use std::time::{Duration, Instant};

use similar::{ChangeTag, DiffTag, TextDiff};

use super::{
    render,
    service::{StoryForm, content_from_form},
    when,
};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, NoFields, SignedIn},
    messages::{self, STATE_CHANGED},
};

/// A run of words that both texts share, or that one of them adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub(crate) struct DiffSegment {
    /// `same`, `removed` or `added`.
    pub kind: &'static str,
    pub text: String,
}

/// Longest a comparison may work: past it, what is left is shown as removed and added whole.
/// A word-level comparison of two long texts that share little grows with the product of their
/// lengths (two 250 KB revisions took 37 s before this budget).
const DIFF_BUDGET: Duration = Duration::from_millis(250);

/// Compares two texts line by line, then word by word within the lines that changed, merging
/// neighbouring words of the same kind; in bounded time ([`DIFF_BUDGET`]).
pub(crate) fn word_diff(old: &str, new: &str) -> Vec<DiffSegment> {
    let deadline = Instant::now() + DIFF_BUDGET;
    let mut segments: Vec<DiffSegment> = Vec::new();
    let mut push = |kind: &'static str, text: &str| match segments.last_mut() {
        Some(last) if last.kind == kind => last.text.push_str(text),
        _ => segments.push(DiffSegment {
            kind,
            text: text.to_owned(),
        }),
    };
    let lines = TextDiff::configure()
        .deadline(deadline)
        .diff_lines(old, new);
    let (old_lines, new_lines) = (lines.old_slices(), lines.new_slices());
    for op in lines.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let before = old_lines[old_range].concat();
        let after = new_lines[new_range].concat();
        match tag {
            DiffTag::Equal => push("same", &before),
            DiffTag::Delete => push("removed", &before),
            DiffTag::Insert => push("added", &after),
            DiffTag::Replace => {
                let words = TextDiff::configure()
                    .deadline(deadline)
                    .diff_words(&before, &after);
                for change in words.iter_all_changes() {
                    let kind = match change.tag() {
                        ChangeTag::Equal => "same",
                        ChangeTag::Delete => "removed",
                        ChangeTag::Insert => "added",
                    };
                    push(kind, change.value());
                }
            }
        }
    }
    segments
}

/// The comparisons a page shows, worked out on the blocking pool within the account's share.
pub(crate) async fn compare<const N: usize>(
    state: &AppState,
    account: UserId,
    pairs: [(String, String); N],
) -> Result<[Vec<DiffSegment>; N], AppError> {
    Ok(state
        .cpu_work()
        .run(account, move || {
            pairs.map(|(old, new)| word_diff(&old, &new))
        })
        .await?)
}

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    de: Option<RevisionId>,
    a: Option<RevisionId>,
}

#[derive(Serialize)]
struct RevisionRow {
    id: RevisionId,
    at: String,
    who: String,
    headline: String,
    conflict: bool,
    current: bool,
}

pub(crate) async fn revisions(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<ArticleId>,
    Query(query): Query<CompareQuery>,
) -> Result<Html<String>, AppError> {
    let story = state
        .store
        .story_for_edit(id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !who.actor().may_see_history(&story) {
        return Err(AppError::Forbidden);
    }
    let list = state.store.revisions(id).await?;
    let rows: Vec<RevisionRow> = list
        .iter()
        .map(|r| RevisionRow {
            id: r.id,
            at: when(&state, r.at),
            who: r
                .user_name
                .clone()
                .unwrap_or_else(|| messages::REVISION_BY_IMPORT.into()),
            headline: r.headline.clone(),
            conflict: r.conflict,
            current: r.id == story.current_revision_id,
        })
        .collect();
    let from = query.de.or_else(|| list.get(1).map(|r| r.id));
    let to = query.a.or_else(|| list.first().map(|r| r.id));
    let comparison = match (from, to) {
        (Some(from), Some(to)) => {
            let old = state
                .store
                .revision(id, from)
                .await?
                .ok_or(AppError::NotFound)?;
            let new = state
                .store
                .revision(id, to)
                .await?
                .ok_or(AppError::NotFound)?;
            let RevisionDiff {
                headline,
                standfirst,
                body,
            } = revision_diff(&state, who.user.id, old, new).await?;
            Some(minijinja::context! {
                from => from,
                to => to,
                headline => headline,
                standfirst => standfirst,
                body => body,
            })
        }
        _ => None,
    };
    let page = minijinja::context! {
        id => id,
        headline => story.headline.as_ref(),
        revisions => rows,
        comparison => comparison,
        can_restore => who.actor().may_edit(&story),
    };
    Ok(Html(render(&state, &who, "newsroom/history.html", page)?))
}

/// How two revisions differ, field by field.
pub(crate) struct RevisionDiff {
    pub headline: Vec<DiffSegment>,
    pub standfirst: Vec<DiffSegment>,
    pub body: Vec<DiffSegment>,
}

/// Compares two revisions' texts within the account's share of the CPU.
pub(crate) async fn revision_diff(
    state: &AppState,
    account: UserId,
    old: RevisionText,
    new: RevisionText,
) -> Result<RevisionDiff, AppError> {
    let [headline, standfirst, body] = compare(
        state,
        account,
        [
            (old.headline, new.headline),
            (
                old.standfirst.unwrap_or_default(),
                new.standfirst.unwrap_or_default(),
            ),
            (old.body_markdown, new.body_markdown),
        ],
    )
    .await?;
    Ok(RevisionDiff {
        headline,
        standfirst,
        body,
    })
}

/// Restores a revision's text as a new revision, for the account; the story's section, tags
/// and authors stay. Gives the new revision.
pub(crate) async fn restore_revision(
    state: &AppState,
    account: &User,
    story: &EditableStory,
    revision: RevisionId,
) -> Result<RevisionId, AppError> {
    let actor = Actor::from(account);
    actor.may(StoryAction::Edit, story)?;
    let text = state
        .store
        .revision(story.id, revision)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut restored = StoryForm::from_story(story);
    restored.headline = text.headline;
    restored.standfirst = text.standfirst.unwrap_or_default();
    restored.body = text.body_markdown;
    let content = match content_from_form(state, &restored, account).await {
        Ok(content) => content,
        Err(AppError::Invalid(_)) => {
            return Err(AppError::Conflict(messages::REVISION_NOT_RESTORABLE.into()));
        }
        Err(other) => return Err(other),
    };
    let restoring = SaveKind::Restore {
        revision_id: revision,
    };
    match state
        .newsroom()
        .save(
            &actor,
            story,
            &content,
            story.current_revision_id,
            restoring,
        )
        .await?
    {
        SaveOutcome::Saved { revision_id } => Ok(revision_id),
        SaveOutcome::StateChanged { .. } => Err(AppError::Conflict(STATE_CHANGED.into())),
        SaveOutcome::Conflict { .. } => Err(AppError::Conflict(messages::SAVED_MEANWHILE.into())),
    }
}

pub(crate) async fn restore(
    State(state): State<AppState>,
    Path((id, revision)): Path<(ArticleId, RevisionId)>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Redirect, AppError> {
    let story = state
        .store
        .story_for_edit(id)
        .await?
        .ok_or(AppError::NotFound)?;
    restore_revision(&state, &who.user, &story, revision).await?;
    Ok(Redirect::to(&format!(
        "/redaction/articles/{id}/historique"
    )))
}

pub(crate) async fn audit_log(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, AppError> {
    if !who.actor().may_read_audit_log() {
        return Err(AppError::Forbidden);
    }
    let entries: Vec<_> = state
        .store
        .audit_entries(None, 300)
        .await?
        .into_iter()
        .map(|entry| {
            let (label, detail) = match entry.action.as_str() {
                // One line for a run of autosaves, counting them.
                "autosave" => (
                    messages::AUTOSAVES.to_owned(),
                    messages::autosave_count(&entry.detail),
                ),
                action => (
                    messages::audit_action(action),
                    messages::audit_detail(action, &entry.detail, &state.site().time_zone),
                ),
            };
            minijinja::context! {
                at => when(&state, entry.at),
                who => entry.user_name.unwrap_or_else(|| messages::AUDIT_BY_THE_SITE.into()),
                action => label,
                detail => detail,
                article_id => entry.article_id,
                headline => entry.headline,
            }
        })
        .collect();
    Ok(Html(render(
        &state,
        &who,
        "newsroom/audit.html",
        minijinja::context! { entries => entries },
    )?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_diff_marks_what_changed() {
        let diff = word_diff("Le chat dort ici", "Le chien dort ici");
        let kinds: Vec<_> = diff.iter().map(|s| (s.kind, s.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("same", "Le "),
                ("removed", "chat"),
                ("added", "chien"),
                ("same", " dort ici")
            ]
        );
    }

    /// Two long revisions sharing little: word by word, this took 37 s for 250 KB each.
    #[test]
    fn long_unrelated_revisions_compare_within_the_budget() {
        use std::fmt::Write as _;
        let text = |seed: u64| {
            (0..50_000_u64).fold(String::new(), |mut text, n| {
                let _ = write!(text, "m{} ", (n * 7_919 + seed) % 10_007);
                text
            })
        };
        let (old, new) = (text(1), text(2));
        assert!(old.len() > 250_000);
        let started = Instant::now();
        let diff = word_diff(&old, &new);
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "{:?}",
            started.elapsed()
        );
        let rebuilt = |kind| {
            diff.iter()
                .filter(|s| s.kind == "same" || s.kind == kind)
                .map(|s| s.text.as_str())
                .collect::<String>()
        };
        assert_eq!(rebuilt("removed"), old, "nothing of the old text is lost");
        assert_eq!(rebuilt("added"), new, "nothing of the new text is lost");
    }

    #[test]
    fn only_the_changed_lines_are_compared_word_by_word() {
        let diff = word_diff("Un.\nDeux trois.\nQuatre.\n", "Un.\nDeux cinq.\nQuatre.\n");
        let kinds: Vec<_> = diff.iter().map(|s| (s.kind, s.text.as_str())).collect();
        assert_eq!(
            kinds,
            [
                ("same", "Un.\nDeux "),
                ("removed", "trois."),
                ("added", "cinq."),
                ("same", "\nQuatre.\n")
            ]
        );
    }
}
