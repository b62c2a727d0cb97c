//! The site's pages in the newsroom, for editors: the list, with each page's place in the
//! footer (set with plain numbers, so no script is needed), and the way to a new page. A page is
//! written, revised and published in the story editor.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{ArticleId, workflow::state_fr};
use rotative_store::PageRecord;
use serde::{Deserialize, Serialize};

use super::{Refused, numbered, render};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    messages,
};

const LIST: &str = "/redaction/pages";

/// A page as the newsroom's list shows it, with its place in the footer as typed.
#[derive(Serialize)]
struct PageRow {
    id: ArticleId,
    headline: String,
    state: &'static str,
    path: Option<String>,
    position: String,
}

async fn list_page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    typed: Option<&[(String, String)]>,
    refused: Refused,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let rows: Vec<PageRow> = state
        .newsroom()
        .pages(&who.actor())
        .await?
        .into_iter()
        .map(|record: PageRecord| {
            let typed_position = typed.and_then(|typed| {
                typed
                    .iter()
                    .find(|(field, _)| *field == position_field(record.id))
                    .map(|(_, value)| value.clone())
            });
            PageRow {
                id: record.id,
                headline: record.headline,
                state: state_fr(record.status),
                path: record.path.map(|path| path.to_string()),
                position: typed_position.unwrap_or_else(|| {
                    record
                        .footer_position
                        .map(|position| position.to_string())
                        .unwrap_or_default()
                }),
            }
        })
        .collect();
    let html = render(
        state,
        who,
        "newsroom/pages.html",
        minijinja::context! { pages => rows, refused => refused, done => done },
    )?;
    Ok((status, Html(html)).into_response())
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    /// Set once the footer was saved, to say so.
    fait: Option<String>,
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let refused = Refused::default();
    let done = query.fait.is_some().then_some(messages::FOOTER_SAVED);
    list_page(&state, &who, StatusCode::OK, None, refused, done).await
}

/// The field that holds a page's place in the footer.
fn position_field(id: ArticleId) -> String {
    format!("place-{id}")
}

/// The pages in the footer's order, from the places typed (empty: not in the footer); pages
/// given the same place keep the list's order.
fn footer_order(typed: &[(String, String)]) -> Result<Vec<ArticleId>, AppError> {
    let (order, problems) = numbered(typed, "place-", messages::FOOTER_PLACE, ArticleId);
    if problems.is_empty() {
        Ok(order)
    } else {
        Err(AppError::Invalid(problems))
    }
}

pub(crate) async fn arrange_footer(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let arranged = match footer_order(&form) {
        Ok(order) => state
            .newsroom()
            .arrange_footer(&who.actor(), &order)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid),
    };
    match arranged {
        Ok(()) => Ok(Redirect::to(&format!("{LIST}?fait=pied-de-page")).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            list_page(&state, &who, status, Some(&form), refused, None).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(field, value)| ((*field).to_owned(), (*value).to_owned()))
            .collect()
    }

    #[test]
    fn the_footer_follows_the_places_typed_and_leaves_out_the_empty_ones() {
        let order = footer_order(&typed(&[
            ("csrf", "x"),
            ("place-4", "2"),
            ("place-7", ""),
            ("place-9", " 1 "),
            ("place-3", "2"),
        ]))
        .unwrap();
        assert_eq!(order, vec![ArticleId(9), ArticleId(4), ArticleId(3)]);
    }

    #[test]
    fn a_place_that_is_not_a_number_from_one_is_refused_beside_its_field() {
        for bad in ["0", "-1", "premier", "1.5"] {
            let Err(AppError::Invalid(problems)) =
                footer_order(&typed(&[("place-4", bad), ("place-5", "1")]))
            else {
                panic!("{bad} accepted");
            };
            assert_eq!(problems.len(), 1);
            assert_eq!(problems[0].field, "place-4");
        }
    }
}
