//! Crash safety: writers save revisions while the server is killed (`SIGKILL`, no warning) at
//! random moments, again and again. Every save the server answered must be in the database
//! after each restart, and the database must pass SQLite's integrity check.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::Path,
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    thread,
    time::{Duration, SystemTime, UNIX_EPOCH},
};

use rotative_store::Store;

use crate::{
    helpers::{Server, add_user, agent, between, sign_in_over_http},
    scale::write_story,
};

const PASSWORD: &str = "un mot de passe solide";
const WRITERS: usize = 4;
/// Kills in one run; `ROTATIVE_CRASH_KILLS` asks for more (a longer hunt by hand).
fn kills() -> usize {
    std::env::var("ROTATIVE_CRASH_KILLS")
        .ok()
        .and_then(|kills| kills.parse().ok())
        .unwrap_or(20)
}

/// A small random generator: the kill moments need no more, and the seed is printed so a
/// failing run can be replayed (`ROTATIVE_CRASH_SEED`).
struct Moments(u64);

impl Moments {
    fn next_millis(&mut self, from: u64, to: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        from + self.0 % (to - from)
    }
}

/// Creates a story and returns its numeric id.
fn new_story(server: &Server, cookie: &str, writer: usize) -> i64 {
    let story = write_story(
        server,
        cookie,
        &format!("Plume {writer}, version 0"),
        "Premier jet.",
    );
    story.rsplit('/').next().unwrap().parse().unwrap()
}

/// Saves new versions of one story until the server stops answering; returns the headlines of
/// the saves the server acknowledged.
fn keep_saving(
    base: &str,
    cookie: &str,
    story: i64,
    writer: usize,
    round: usize,
    stop: &AtomicBool,
) -> Vec<String> {
    let server_address = format!("{base}/redaction/articles/{story}");
    let mut acknowledged = Vec::new();
    for version in 1.. {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let Ok(mut page) = agent().get(&server_address).header("cookie", cookie).call() else {
            break;
        };
        let Ok(html) = page.body_mut().read_to_string() else {
            break;
        };
        let field = |name: &str| {
            between(&html, &format!("name=\"{name}\" value=\""), "\"")
                .unwrap_or_default()
                .to_owned()
        };
        let headline = format!("Plume {writer}, tour {round}, version {version}");
        let saved = agent()
            .post(&server_address)
            .header("cookie", cookie)
            .send_form([
                ("csrf", field("csrf").as_str()),
                ("base_revision", field("base_revision").as_str()),
                ("headline", &headline),
                ("body", &format!("Texte de la version {version}.")),
                ("section", "France"),
                ("kind", "news"),
                ("intent", "save"),
            ]);
        match saved {
            Ok(answer) if answer.status() == 303 => acknowledged.push(headline),
            Ok(answer) => panic!("save answered {}", answer.status()),
            Err(_) => break,
        }
    }
    acknowledged
}

/// The headlines of every revision of each story, read straight from the database.
fn stored_revisions(database: &Path, stories: &[i64]) -> (BTreeMap<i64, BTreeSet<String>>, usize) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let store = Store::open_sqlite(database).await.unwrap();
        let mut found = BTreeMap::new();
        for &story in stories {
            let headlines = store
                .revisions(rotative_domain::ArticleId(story))
                .await
                .unwrap();
            found.insert(story, headlines.into_iter().map(|r| r.headline).collect());
        }
        let problems = store.integrity_problems().await.unwrap();
        store.close().await;
        (found, problems.len())
    })
}

#[test]
fn killed_at_random_moments_the_server_loses_no_acknowledged_save() {
    let seed = std::env::var("ROTATIVE_CRASH_SEED").map_or_else(
        |_| {
            let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap();
            (now.as_secs() ^ (u64::from(now.subsec_nanos()) << 20)) | 1
        },
        |seed| seed.parse().unwrap(),
    );
    eprintln!("kill moments from seed {seed} (ROTATIVE_CRASH_SEED={seed} replays them)");
    let mut moments = Moments(seed);
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("site");
    add_user(&data, "chef@exemple.fr", "Paul Chef", "editor", PASSWORD);
    let mut server = Server::start(&data, &["--no-demo"]);
    let cookie = sign_in_over_http(&server, "chef@exemple.fr", PASSWORD);
    let stories: Vec<i64> = (0..WRITERS)
        .map(|writer| new_story(&server, &cookie, writer))
        .collect();
    let mut acknowledged: Vec<(i64, String)> = Vec::new();
    let kills = kills();
    for round in 0..kills {
        let stop = Arc::new(AtomicBool::new(false));
        let writers: Vec<_> = stories
            .iter()
            .enumerate()
            .map(|(writer, &story)| {
                let (base, cookie, stop) = (server.base.clone(), cookie.clone(), stop.clone());
                thread::spawn(move || {
                    let saved = keep_saving(&base, &cookie, story, writer, round, &stop);
                    (story, saved)
                })
            })
            .collect();
        thread::sleep(Duration::from_millis(moments.next_millis(150, 900)));
        server.child.kill().unwrap();
        server.child.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        for writer in writers {
            let (story, saved) = writer.join().unwrap();
            acknowledged.extend(saved.into_iter().map(|headline| (story, headline)));
        }
        let (found, problems) = stored_revisions(&data.join("rotative.db"), &stories);
        assert_eq!(problems, 0, "integrity check after kill {round}");
        let lost: Vec<_> = acknowledged
            .iter()
            .filter(|(story, headline)| !found[story].contains(headline))
            .collect();
        assert!(lost.is_empty(), "after kill {round}, lost: {lost:?}");
        server = Server::start(&data, &["--no-demo"]);
    }
    assert!(
        acknowledged.len() >= kills * WRITERS,
        "only {} saves were made: the test did not write enough to mean anything",
        acknowledged.len()
    );
    eprintln!(
        "{kills} kills, {} acknowledged saves, none lost",
        acknowledged.len()
    );
    assert!(
        server.terminate().success(),
        "a clean stop after the last restart"
    );
    let checked = crate::helpers::rotative()
        .args(["check", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(
        checked.status.success(),
        "{}",
        String::from_utf8_lossy(&checked.stderr)
    );
}
