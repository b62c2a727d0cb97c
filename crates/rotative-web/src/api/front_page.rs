//! « La une » through the API, for editors: the same arrangement as the newsroom's screen, under
//! the same rules. `POST /api/v1/stories/{id}/pin` still makes one story the lead.

use axum::{
    body::Bytes,
    extract::{State, rejection::BytesRejection},
    http::HeaderMap,
    response::Response,
};
use jiff::Timestamp;
use rotative_domain::{ArticleId, SectionId};
use rotative_store::{FRONT_PAGE_SLOTS, FrontPageArrangement, Placement};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::Caller, json, write::body_or_default};
use crate::{
    AppError, AppState,
    error::{FieldError, Problem},
    messages,
};

/// A slot of the front page: the story an editor put there, and the one readers see.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct SlotView {
    /// The story an editor chose; `null`: the newest story not already shown.
    story: Option<i64>,
    /// When the chosen story leaves the front page (RFC 3339); `null`: it stays.
    #[schema(value_type = Option<String>, format = DateTime)]
    leaves_at: Option<Timestamp>,
    /// The story readers see in this slot now; `null` when the site has too few stories.
    shown: Option<i64>,
}

/// The front page as editors arranged it.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct FrontPageView {
    /// Five slots: the lead story, then the row of secondary stories.
    slots: Vec<SlotView>,
    /// The sections given a block under the stories, in order.
    sections: Vec<i64>,
}

/// A slot as a client fills it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SlotInput {
    /// A published story's id.
    story: i64,
    /// When it leaves the front page (RFC 3339, in the future); absent: it stays.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    leaves_at: Option<Timestamp>,
}

/// The front page as a client arranges it.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct FrontPageInput {
    /// Up to five slots, the lead first; `null` (or a slot left out at the end): the newest
    /// story not already shown.
    slots: Vec<Option<SlotInput>>,
    /// The sections given a block, in order; those not named have none.
    sections: Vec<i64>,
}

impl FrontPageInput {
    fn arrangement(self) -> Result<FrontPageArrangement, AppError> {
        if self.slots.len() > FRONT_PAGE_SLOTS {
            return Err(AppError::Invalid(vec![FieldError {
                field: "slots".into(),
                message: messages::api::FRONT_PAGE_SLOTS.into(),
            }]));
        }
        let mut arrangement = FrontPageArrangement {
            sections: self.sections.into_iter().map(SectionId).collect(),
            ..FrontPageArrangement::default()
        };
        for (slot, input) in arrangement.slots.iter_mut().zip(self.slots) {
            *slot = input.map(|input| Placement {
                story: ArticleId(input.story),
                leaves_at: input.leaves_at,
            });
        }
        Ok(arrangement)
    }
}

async fn answer(state: &AppState, caller: &Caller) -> Result<Response, AppError> {
    let arrangement = state.newsroom().front_page(&caller.actor()).await?;
    let shown = state.store.front_page().await?.slots;
    let slots = arrangement
        .slots
        .iter()
        .zip(&shown)
        .map(|(slot, shown)| SlotView {
            story: slot.map(|placement| placement.story.0),
            leaves_at: slot.and_then(|placement| placement.leaves_at),
            shown: shown.as_ref().map(|story| story.id.0),
        })
        .collect();
    Ok(json(&FrontPageView {
        slots,
        sections: arrangement.sections.iter().map(|id| id.0).collect(),
    }))
}

/// The front page as editors arranged it, and what readers see in each slot (editors).
#[utoipa::path(
    get,
    path = "/api/v1/newsroom/front-page",
    operation_id = "front_page",
    tag = "Rédaction",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les emplacements de la une et les blocs de rubrique.", body = FrontPageView),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte n'arrange pas la une.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn show(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    answer(&state, &caller).await
}

/// Arranges the front page: each slot's story and the time it leaves, and the sections' blocks
/// (editors).
#[utoipa::path(
    put,
    path = "/api/v1/newsroom/front-page",
    operation_id = "arrange_front_page",
    tag = "Rédaction",
    security(("jeton" = [])),
    request_body(content = FrontPageInput, content_type = "application/json"),
    responses(
        (status = 200, description = "La une, telle qu'arrangée.", body = FrontPageView),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le rôle du compte n'arrange pas la une, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un des articles n'est pas publié, ou est une page du site ; ou une des rubriques n'existe pas (ou plus).", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Plus de cinq emplacements, un article ou une rubrique nommés deux fois, ou une heure de départ passée.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn arrange(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let input: Option<FrontPageInput> = body_or_default(&headers, body)?;
    let arrangement = input
        .ok_or(AppError::BadJson(messages::api::NO_FRONT_PAGE.to_owned()))?
        .arrangement()?;
    state
        .newsroom()
        .arrange_front_page(&actor, &arrangement)
        .await?;
    answer(&state, &caller).await
}
