//! « La une »: editors choose the lead, the secondary row, the time a story leaves and the
//! sections' blocks, with plain forms or through the API under the same rules; readers see it
//! without a script; the slots left take the newest stories, so the page is never empty.

use axum::http::StatusCode;
use rotative_domain::{ArticleId, Role, SectionId, TokenScope};
use rotative_store::Listing;

use crate::api::{send_json, token_for};
use crate::helpers::{TestSite, story};
use crate::newsroom::{account, act, csrf, sign_in};

const NEWEST: &str = "Le port rouvre";
const CULTURE: &str = "La foire aux livres";
const SPORT: &str = "Le match nul";
const OLDEST: &str = "Les quais en fête";

/// Four published stories in three sections, newest first, then two older ones in each section
/// (so that each has a block beside the top stories), an editor and a journalist.
async fn site() -> TestSite {
    let mut stories = vec![
        story(NEWEST, "monde", ""),
        story(CULTURE, "culture", ""),
        story(SPORT, "sport", ""),
        story(OLDEST, "monde", ""),
    ];
    for section in ["monde", "culture", "sport", "monde", "culture", "sport"] {
        stories.push(story(
            &format!("Archives {section} {}", stories.len()),
            section,
            "",
        ));
    }
    let site = TestSite::with_stories(&stories, 10).await;
    account(&site, "julie@exemple.fr", "Julie Martin", Role::Journalist).await;
    account(&site, "chef@exemple.fr", "Paul Chef", Role::Editor).await;
    site
}

async fn story_id(site: &TestSite, headline: &str) -> ArticleId {
    site.state
        .store
        .published_summaries(Listing::Everything, 10, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|story| story.headline.as_ref() == headline)
        .unwrap()
        .id
}

async fn section_id(site: &TestSite, slug: &str) -> SectionId {
    site.state
        .store
        .section_records()
        .await
        .unwrap()
        .into_iter()
        .find(|record| record.section.slug.as_ref() == slug)
        .unwrap()
        .id
}

/// The headlines of the home page's top stories, in the order readers see them.
async fn top_stories(site: &TestSite) -> Vec<&'static str> {
    let home = site.get("/").await.body;
    let top = &home[home.find("id=\"a-la-une\"").unwrap()..];
    let top = &top[..top.find("</section>").unwrap()];
    let mut found: Vec<(usize, &'static str)> = [NEWEST, CULTURE, SPORT, OLDEST]
        .into_iter()
        .filter_map(|headline| top.find(headline).map(|at| (at, headline)))
        .collect();
    found.sort_unstable();
    found.into_iter().map(|(_, headline)| headline).collect()
}

/// The sections with a block on the home page, in order.
async fn blocks(site: &TestSite) -> Vec<String> {
    let home = site.get("/").await.body;
    home.split("<section class=\"section-block\"")
        .skip(1)
        .filter_map(|block| {
            let link = &block[block.find("<h2")?..];
            let start = link.find("href=\"/")? + 7;
            let end = start + link[start..].find('/')?;
            Some(link[start..end].to_owned())
        })
        .collect()
}

/// Sends « La une »'s form as the editor signed in with `chef` fills it.
async fn send(site: &TestSite, chef: &str, fields: &[(&str, &str)]) -> crate::helpers::Page {
    let token = csrf(site, chef).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    site.request("POST", "/redaction/une", Some(chef), Some(&form))
        .await
}

#[tokio::test]
async fn a_front_page_typed_wrong_comes_back_with_the_reasons_and_nothing_stored() {
    let site = site().await;
    let chef = sign_in(&site, "chef@exemple.fr").await;
    let oldest = story_id(&site, OLDEST).await.to_string();
    let wrong = send(
        &site,
        &chef,
        &[("slot-0", &oldest), ("leaves-0", "demain soir")],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("« demain soir » n"), "{}", wrong.body);
    assert!(
        wrong.body.contains("id=\"leaves-0-erreur\""),
        "{}",
        wrong.body
    );
    let twice = send(&site, &chef, &[("slot-0", &oldest), ("slot-3", &oldest)]).await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(twice.body.contains("ne figure qu"), "{}", twice.body);
    let past = send(
        &site,
        &chef,
        &[("slot-0", &oldest), ("leaves-0", "2020-01-01T08:00")],
    )
    .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(past.body.contains("déjà passée"), "{}", past.body);
    let story = send(&site, &chef, &[("slot-0", "douze")]).await;
    assert_eq!(story.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        story
            .body
            .contains("aria-describedby=\"slot-0-now slot-0-erreur\" aria-invalid=\"true\"")
            && story.body.contains("id=\"slot-0-erreur\""),
        "{}",
        story.body
    );
    // A section merged by someone else while the form was open: said, the form shown again.
    let gone = send(&site, &chef, &[("slot-0", &oldest), ("block-9999", "1")]).await;
    assert_eq!(gone.status, StatusCode::CONFLICT);
    assert!(gone.body.contains("existe pas ou plus"), "{}", gone.body);
    assert!(
        gone.body
            .contains(&format!("<option value=\"{oldest}\" selected>"))
    );
    let block = send(&site, &chef, &[("block-1", "premier")]).await;
    assert_eq!(block.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        block.body.contains("id=\"block-1-erreur\""),
        "{}",
        block.body
    );
    assert_eq!(
        top_stories(&site).await[0],
        NEWEST,
        "nothing stored on a refusal"
    );
}

#[tokio::test]
async fn editors_arrange_the_front_page_with_plain_forms_and_readers_see_it() {
    let site = site().await;
    assert_eq!(
        top_stories(&site).await,
        [NEWEST, CULTURE, SPORT, OLDEST],
        "untouched, the newest stories"
    );
    assert_eq!(blocks(&site).await, ["monde", "culture", "sport"]);

    let chef = sign_in(&site, "chef@exemple.fr").await;
    let screen = site
        .request("GET", "/redaction/une", Some(&chef), None)
        .await;
    assert_eq!(screen.status, StatusCode::OK);
    assert!(screen.body.contains("<legend>Article principal</legend>"));
    assert!(
        screen.body.contains(&format!(
            "Les lecteurs y voient&nbsp;: «&#8239;{NEWEST}&#8239;»"
        )),
        "{}",
        screen.body
    );
    assert!(
        screen.body.contains("href=\"/redaction/une\""),
        "in the menu"
    );

    let oldest = story_id(&site, OLDEST).await.to_string();
    let sport = story_id(&site, SPORT).await.to_string();
    let [sport_block, monde_block, culture_block] = [
        format!("block-{}", section_id(&site, "sport").await),
        format!("block-{}", section_id(&site, "monde").await),
        format!("block-{}", section_id(&site, "culture").await),
    ];

    // The oldest story leads until tomorrow, sport is second; the third slot takes the newest.
    let tomorrow = (jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24))
        .to_zoned(site.state.site().time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M")
        .to_string();
    let saved = send(
        &site,
        &chef,
        &[
            ("slot-0", &oldest),
            ("leaves-0", &tomorrow),
            ("slot-1", &sport),
            ("slot-2", ""),
            (&sport_block, "1"),
            (&monde_block, "2"),
            (&culture_block, ""),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(saved.header("location"), Some("/redaction/une?fait=une"));
    assert_eq!(top_stories(&site).await, [OLDEST, SPORT, NEWEST, CULTURE]);
    assert_eq!(
        blocks(&site).await,
        ["sport", "monde"],
        "no block for culture"
    );
    let screen = site
        .request("GET", "/redaction/une?fait=une", Some(&chef), None)
        .await;
    assert!(screen.body.contains("La une est enregistrée"));
    assert!(screen.body.contains(&format!("value=\"{tomorrow}\"")));
    assert!(
        screen
            .body
            .contains(&format!("<option value=\"{oldest}\" selected>{OLDEST}"))
    );
    screen_follows_the_arrangement(&site, &chef, &screen.body, &sport).await;

    // « Mettre en tête de la une » in the story editor: the others move one slot down.
    let culture = format!("/redaction/articles/{}", story_id(&site, CULTURE).await);
    assert_eq!(
        act(&site, &chef, &culture, "pin", "").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(top_stories(&site).await, [CULTURE, OLDEST, SPORT, NEWEST]);
    assert_eq!(
        act(&site, &chef, &culture, "unpin", "").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        top_stories(&site).await[0],
        NEWEST,
        "its slot takes the newest"
    );

    // A story taken off the site leaves the front page.
    let oldest_editor = format!("/redaction/articles/{oldest}");
    assert_eq!(
        act(&site, &chef, &oldest_editor, "unpublish", "").await,
        StatusCode::SEE_OTHER
    );
    assert!(!top_stories(&site).await.contains(&OLDEST));
    let arranged = site.state.store.front_page_arrangement().await.unwrap();
    assert!(
        arranged
            .slots
            .iter()
            .flatten()
            .all(|placement| placement.story.to_string() != oldest)
    );
}

/// After the save: the blocks listed in their order, and a story of the secondary row offered
/// both to lead and to leave.
async fn screen_follows_the_arrangement(site: &TestSite, chef: &str, screen: &str, sport: &str) {
    let mut places = Vec::new();
    for slug in ["sport", "monde", "culture"] {
        let block = format!("id=\"block-{}\"", section_id(site, slug).await);
        places.push(screen.find(&block).unwrap());
    }
    assert!(
        places.is_sorted(),
        "the blocks in their order, then the sections without one"
    );
    let sport_editor = site
        .request(
            "GET",
            &format!("/redaction/articles/{sport}"),
            Some(chef),
            None,
        )
        .await;
    assert!(sport_editor.body.contains("Mettre en tête de la une"));
    assert!(sport_editor.body.contains("Retirer de la une"));
}

#[tokio::test]
async fn the_api_arranges_the_front_page_under_the_same_rules_and_a_story_leaves_in_time() {
    let site = site().await;
    let editor = token_for(&site, "chef@exemple.fr", TokenScope::Write).await;
    let put = |body: String| {
        let editor = editor.clone();
        let site = &site;
        async move {
            send_json(
                site,
                "PUT",
                "/api/v1/newsroom/front-page",
                Some(&editor),
                &body,
            )
            .await
        }
    };
    let sport = story_id(&site, SPORT).await;
    let newest = story_id(&site, NEWEST).await;
    let monde = section_id(&site, "monde").await;

    let read = send_json(
        &site,
        "GET",
        "/api/v1/newsroom/front-page",
        Some(&editor),
        "",
    )
    .await;
    assert_eq!(read.status, StatusCode::OK);
    let read: serde_json::Value = serde_json::from_str(&read.body).unwrap();
    assert_eq!(read["slots"].as_array().unwrap().len(), 5);
    assert_eq!(read["slots"][0]["story"], serde_json::Value::Null);
    assert_eq!(read["slots"][0]["shown"], newest.0);

    let six =
        put(r#"{"slots": [null, null, null, null, null, null], "sections": []}"#.into()).await;
    assert_eq!(six.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", six.body);
    let twice = put(format!(
        r#"{{"slots": [{{"story": {sport}}}, {{"story": {sport}}}], "sections": []}}"#
    ))
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = put(r#"{"slots": [{"story": 9999}], "sections": []}"#.into()).await;
    assert_eq!(unknown.status, StatusCode::CONFLICT, "{}", unknown.body);
    let no_section = put(r#"{"slots": [], "sections": [9999]}"#.into()).await;
    assert_eq!(
        no_section.status,
        StatusCode::CONFLICT,
        "{}",
        no_section.body
    );
    let past = put(format!(
        r#"{{"slots": [{{"story": {sport}, "leaves_at": "2020-01-01T00:00:00Z"}}], "sections": []}}"#
    ))
    .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reader = token_for(&site, "julie@exemple.fr", TokenScope::Write).await;
    let journalist = send_json(
        &site,
        "PUT",
        "/api/v1/newsroom/front-page",
        Some(&reader),
        r#"{"slots": [], "sections": []}"#,
    )
    .await;
    assert_eq!(journalist.status, StatusCode::FORBIDDEN);

    // Sport leads for two seconds; one block, Monde's.
    let soon = jiff::Timestamp::now() + jiff::SignedDuration::from_secs(2);
    let arranged = put(format!(
        r#"{{"slots": [{{"story": {sport}, "leaves_at": "{soon}"}}], "sections": [{monde}]}}"#
    ))
    .await;
    assert_eq!(arranged.status, StatusCode::OK, "{}", arranged.body);
    let arranged: serde_json::Value = serde_json::from_str(&arranged.body).unwrap();
    assert_eq!(arranged["slots"][0]["story"], sport.0);
    assert_eq!(arranged["slots"][0]["shown"], sport.0);
    assert_eq!(arranged["sections"], serde_json::json!([monde.0]));
    assert_eq!(top_stories(&site).await, [SPORT, NEWEST, CULTURE, OLDEST]);
    assert_eq!(blocks(&site).await, ["monde"]);

    // What the scheduling job does every second.
    let leave_due = || async { site.state.newsroom().leave_front_page_due().await.unwrap() };
    assert_eq!(leave_due().await, 0, "not yet");
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(leave_due().await, 1);
    // What each instance's follower of the change log does within a second.
    site.state.follow_changes().await.unwrap();
    assert_eq!(top_stories(&site).await, [NEWEST, CULTURE, SPORT, OLDEST]);
}
