//! Every revision of a story, word-level comparisons, restoring, and the audit log.

use axum::{
    Form,
    extract::{Path, Query, State},
    response::{Html, Redirect},
};
use jiff::Timestamp;
use rotative_domain::StoryAction;
use rotative_store::SaveOutcome;
use serde::{Deserialize, Serialize};
use similar::{ChangeTag, TextDiff};

use super::{
    render,
    service::{StoryForm, content_from_form, ownership, workflow_error},
};
use crate::{AppError, AppState, auth::SignedIn};

/// A run of words that both texts share, or that one of them adds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct DiffSegment {
    pub kind: &'static str,
    pub text: String,
}

/// Compares two texts word by word, merging neighbouring words of the same kind.
pub(crate) fn word_diff(old: &str, new: &str) -> Vec<DiffSegment> {
    let mut segments: Vec<DiffSegment> = Vec::new();
    for change in TextDiff::from_words(old, new).iter_all_changes() {
        let kind = match change.tag() {
            ChangeTag::Equal => "same",
            ChangeTag::Delete => "removed",
            ChangeTag::Insert => "added",
        };
        match segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(change.value()),
            _ => segments.push(DiffSegment {
                kind,
                text: change.value().to_owned(),
            }),
        }
    }
    segments
}

fn when(state: &AppState, seconds: i64) -> String {
    Timestamp::from_second(seconds)
        .map(|at| {
            at.to_zoned(state.site().time_zone.clone())
                .strftime("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

#[derive(Deserialize)]
pub(crate) struct CompareQuery {
    de: Option<i64>,
    a: Option<i64>,
}

#[derive(Serialize)]
struct RevisionRow {
    id: i64,
    at: String,
    who: String,
    headline: String,
    conflict: bool,
    current: bool,
}

pub(crate) async fn revisions(
    State(state): State<AppState>,
    who: SignedIn,
    Path(id): Path<i64>,
    Query(query): Query<CompareQuery>,
) -> Result<Html<String>, AppError> {
    let story = state
        .store
        .story_for_edit(id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mine = ownership(&who, &story) == rotative_domain::Ownership::Own;
    if !mine && !rotative_domain::workflow::can_manage_taxonomy(who.user.role) {
        return Err(AppError::Forbidden);
    }
    let list = state.store.revisions(id).await?;
    let rows: Vec<RevisionRow> = list
        .iter()
        .map(|r| RevisionRow {
            id: r.id,
            at: when(&state, r.at),
            who: r.user_name.clone().unwrap_or_else(|| "Import".into()),
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
            Some(minijinja::context! {
                from => from,
                to => to,
                headline => word_diff(&old.headline, &new.headline),
                standfirst => word_diff(old.standfirst.as_deref().unwrap_or(""), new.standfirst.as_deref().unwrap_or("")),
                body => word_diff(&old.body_markdown, &new.body_markdown),
            })
        }
        _ => None,
    };
    let page = minijinja::context! {
        id => id,
        headline => story.headline.as_ref(),
        revisions => rows,
        comparison => comparison,
        can_restore => rotative_domain::authorize(who.user.role, StoryAction::Edit, ownership(&who, &story), story.status).is_ok(),
    };
    Ok(Html(render(&state, &who, "newsroom/history.html", page)?))
}

#[derive(Deserialize)]
pub(crate) struct RestoreForm {
    csrf: String,
}

/// Restores a revision's text as a new revision; the story's section, tags and authors stay.
pub(crate) async fn restore(
    State(state): State<AppState>,
    who: SignedIn,
    Path((id, revision)): Path<(i64, i64)>,
    Form(form): Form<RestoreForm>,
) -> Result<Redirect, AppError> {
    who.check_csrf(&form.csrf)?;
    let story = state
        .store
        .story_for_edit(id)
        .await?
        .ok_or(AppError::NotFound)?;
    rotative_domain::authorize(
        who.user.role,
        StoryAction::Edit,
        ownership(&who, &story),
        story.status,
    )
    .map_err(workflow_error)?;
    let text = state
        .store
        .revision(id, revision)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut restored = StoryForm::from_story(&story);
    restored.headline = text.headline;
    restored.standfirst = text.standfirst.unwrap_or_default();
    restored.body = text.body_markdown;
    let content = content_from_form(&state, &restored, &who.user.name)
        .await?
        .map_err(|_| {
            AppError::Conflict("Cette version ne peut plus être restaurée telle quelle.".into())
        })?;
    match state
        .store
        .save_story(id, story.current_revision_id, &content, who.user.id)
        .await?
    {
        SaveOutcome::Saved { .. } => {
            state
                .store
                .audit(
                    Some(who.user.id),
                    Some(id),
                    "restore",
                    &revision.to_string(),
                )
                .await?;
            Ok(Redirect::to(&format!(
                "/redaction/articles/{id}/historique"
            )))
        }
        SaveOutcome::Conflict { .. } => Err(AppError::Conflict(
            "L'article a été modifié entre-temps : rechargez la page.".into(),
        )),
    }
}

pub(crate) async fn audit_log(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, AppError> {
    if !rotative_domain::workflow::can_manage_taxonomy(who.user.role) {
        return Err(AppError::Forbidden);
    }
    let entries: Vec<_> = state
        .store
        .audit_entries(None, 300)
        .await?
        .into_iter()
        .map(|entry| {
            let label = StoryAction::parse(&entry.action)
                .map_or(entry.action.clone(), |a| a.label_fr().to_owned());
            minijinja::context! {
                at => when(&state, entry.at),
                who => entry.user_name.unwrap_or_else(|| "Rotative (programmation)".into()),
                action => label,
                detail => entry.detail,
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
}
