//! « La une » in the newsroom, for editors: which story goes in each slot (the lead, then the
//! secondary row) and until when, and which sections have a block, in which order. Plain
//! selects and numbers work without a script; the page's script adds drag and drop over them.

use axum::{
    extract::{Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use jiff::tz::TimeZone;
use rotative_domain::{ArticleId, ArticleSummary, SectionId, Slug, local_input, local_time};
use rotative_store::{FRONT_PAGE_SLOTS, FrontPageArrangement, Listing, Placement};
use serde::{Deserialize, Serialize};

use super::{Refused, numbered, render};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, SignedIn},
    error::FieldError,
    messages,
};

const SCREEN: &str = "/redaction/une";
/// The newest published stories offered for each slot (with those already placed).
const CANDIDATES: u32 = 60;

/// A story the selects offer.
#[derive(Serialize)]
struct Candidate {
    id: ArticleId,
    label: String,
}

/// A slot as the form shows it: what is chosen and typed, and what readers see there now.
#[derive(Serialize)]
struct SlotView {
    number: usize,
    name: String,
    story: String,
    leaves: String,
    /// The headline readers see in this slot now.
    shown: Option<String>,
}

/// A section and the place of its block, as typed.
#[derive(Serialize)]
struct BlockView {
    id: SectionId,
    name: String,
    place: String,
}

/// What the form holds: the values stored, or those typed when the form is shown again.
struct Fields {
    slots: Vec<(String, String)>,
    blocks: Vec<(SectionId, String)>,
}

impl Fields {
    fn stored(arrangement: &FrontPageArrangement, zone: &TimeZone) -> Self {
        Self {
            slots: arrangement
                .slots
                .iter()
                .map(|slot| match slot {
                    None => (String::new(), String::new()),
                    Some(placement) => (
                        placement.story.to_string(),
                        placement
                            .leaves_at
                            .map(|at| local_input(at, zone))
                            .unwrap_or_default(),
                    ),
                })
                .collect(),
            blocks: (1_u32..)
                .zip(&arrangement.sections)
                .map(|(place, id)| (*id, place.to_string()))
                .collect(),
        }
    }

    fn typed(form: &[(String, String)]) -> Self {
        let value = |field: String| {
            form.iter()
                .find(|(name, _)| *name == field)
                .map(|(_, value)| value.clone())
                .unwrap_or_default()
        };
        Self {
            slots: (0..FRONT_PAGE_SLOTS)
                .map(|slot| (value(slot_field(slot)), value(leaves_field(slot))))
                .collect(),
            blocks: form
                .iter()
                .filter_map(|(field, place)| Some((block_id(field)?, place.clone())))
                .collect(),
        }
    }
}

fn slot_field(slot: usize) -> String {
    format!("slot-{slot}")
}

fn leaves_field(slot: usize) -> String {
    format!("leaves-{slot}")
}

fn block_id(field: &str) -> Option<SectionId> {
    field
        .strip_prefix("block-")
        .and_then(|id| id.parse().ok())
        .map(SectionId)
}

fn candidate(story: &ArticleSummary, zone: &TimeZone) -> Candidate {
    let date = rotative_render::DateView::new(story.published_at, zone).display;
    Candidate {
        id: story.id,
        label: format!("{} ({}, {date})", story.headline, story.section.name),
    }
}

async fn screen(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    typed: Option<&[(String, String)]>,
    refused: Refused,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let zone = state.site().time_zone.clone();
    let arrangement = state.newsroom().front_page(&who.actor()).await?;
    let fields = typed.map_or_else(|| Fields::stored(&arrangement, &zone), Fields::typed);
    let mut offered = state
        .store
        .published_summaries(Listing::Everything, CANDIDATES, 0)
        .await?;
    let older: Vec<ArticleId> = arrangement
        .slots
        .iter()
        .flatten()
        .map(|placement| placement.story)
        .filter(|id| offered.iter().all(|story| story.id != *id))
        .collect();
    offered.extend(state.store.published_summaries_by_ids(&older).await?);
    let candidates: Vec<Candidate> = offered.iter().map(|s| candidate(s, &zone)).collect();
    let shown = state.store.front_page().await?.slots;
    let slots: Vec<SlotView> = fields
        .slots
        .into_iter()
        .zip(shown)
        .enumerate()
        .map(|(number, ((story, leaves), shown))| SlotView {
            number,
            name: messages::front_page_slot(number),
            story,
            // A date field holds a date or nothing: what was typed instead is in its message.
            leaves: if local_time(&zone, &leaves).is_some() {
                leaves
            } else {
                String::new()
            },
            shown: shown.map(|story| story.headline.to_string()),
        })
        .collect();
    let mut blocks: Vec<BlockView> = state
        .newsroom()
        .sections(&who.actor())
        .await?
        .into_iter()
        .filter(|record| record.section.slug != pages_slug())
        .map(|record| BlockView {
            id: record.id,
            place: fields
                .blocks
                .iter()
                .find(|(id, _)| *id == record.id)
                .map(|(_, place)| place.clone())
                .unwrap_or_default(),
            name: record.section.name.to_string(),
        })
        .collect();
    // The blocks in their order (as numbered), then the sections without one.
    blocks.sort_by_key(|block| block.place.trim().parse::<u32>().unwrap_or(u32::MAX));
    let html = render(
        state,
        who,
        "newsroom/front_page.html",
        minijinja::context! {
            slots => slots,
            candidates => candidates,
            blocks => blocks,
            refused => refused,
            done => done,
            script => &state.theme.front_page_script().url,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

/// The address of the section that files the site's pages, which has no block.
fn pages_slug() -> Slug {
    rotative_domain::Section::for_pages().slug
}

#[derive(Deserialize)]
pub(crate) struct ScreenQuery {
    /// Set once the front page was saved, to say so.
    fait: Option<String>,
}

pub(crate) async fn show(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ScreenQuery>,
) -> Result<Response, AppError> {
    let done = query.fait.is_some().then_some(messages::FRONT_PAGE_SAVED);
    screen(&state, &who, StatusCode::OK, None, Refused::default(), done).await
}

/// The arrangement the form asks for, or what is wrong with each field.
fn arrangement(
    form: &[(String, String)],
    zone: &TimeZone,
) -> Result<FrontPageArrangement, AppError> {
    let typed = Fields::typed(form);
    let mut problems = Vec::new();
    let mut arrangement = FrontPageArrangement::default();
    for (slot, (story, leaves)) in typed.slots.iter().enumerate() {
        let (story, leaves) = (story.trim(), leaves.trim());
        if story.is_empty() {
            continue;
        }
        let Ok(id) = story.parse().map(ArticleId) else {
            problems.push(FieldError {
                field: slot_field(slot).into(),
                message: messages::FRONT_PAGE_STORY.into(),
            });
            continue;
        };
        let leaves_at = if leaves.is_empty() {
            None
        } else if let Some(at) = local_time(zone, leaves) {
            Some(at)
        } else {
            problems.push(FieldError {
                field: leaves_field(slot).into(),
                message: messages::front_page_leaves(leaves),
            });
            None
        };
        arrangement.slots[slot] = Some(Placement {
            story: id,
            leaves_at,
        });
    }
    let (sections, wrong_places) = numbered(form, "block-", messages::FRONT_PAGE_BLOCK, SectionId);
    problems.extend(wrong_places);
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    arrangement.sections = sections;
    Ok(arrangement)
}

pub(crate) async fn arrange(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let zone = state.site().time_zone.clone();
    let arranged = match arrangement(&form, &zone) {
        Ok(arrangement) => state
            .newsroom()
            .arrange_front_page(&who.actor(), &arrangement)
            .await
            .map_err(AppError::from),
        Err(invalid) => Err(invalid),
    };
    match arranged {
        Ok(()) => Ok(Redirect::to(&format!("{SCREEN}?fait=une")).into_response()),
        Err(error) => {
            let (status, refused) = Refused::of(error)?;
            screen(&state, &who, status, Some(&form), refused, None).await
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
    fn the_form_gives_each_slot_its_story_and_time_and_the_blocks_their_order() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let arrangement = arrangement(
            &typed(&[
                ("csrf", "x"),
                ("slot-0", "12"),
                ("leaves-0", "2026-12-04T18:30"),
                ("slot-1", ""),
                ("leaves-1", "2026-12-04T18:30"),
                ("slot-2", " 7 "),
                ("leaves-2", ""),
                ("block-3", "2"),
                ("block-1", "1"),
                ("block-9", ""),
            ]),
            &paris,
        )
        .unwrap();
        let lead = arrangement.slots[0].unwrap();
        assert_eq!(lead.story, ArticleId(12));
        assert_eq!(
            lead.leaves_at.map(|at| at.to_string()),
            Some("2026-12-04T17:30:00Z".into())
        );
        assert_eq!(arrangement.slots[1], None, "an empty slot has no time");
        assert_eq!(
            arrangement.slots[2],
            Some(Placement {
                story: ArticleId(7),
                leaves_at: None
            })
        );
        assert_eq!(arrangement.sections, [SectionId(1), SectionId(3)]);
    }

    #[test]
    fn each_field_typed_wrong_is_named() {
        let paris = TimeZone::get("Europe/Paris").unwrap();
        let Err(AppError::Invalid(problems)) = arrangement(
            &typed(&[
                ("slot-0", "douze"),
                ("slot-1", "4"),
                ("leaves-1", "demain"),
                ("block-2", "0"),
            ]),
            &paris,
        ) else {
            panic!("accepted");
        };
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_ref()).collect();
        assert_eq!(fields, ["slot-0", "leaves-1", "block-2"]);
    }
}
