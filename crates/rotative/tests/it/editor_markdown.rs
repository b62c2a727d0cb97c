//! The rich editor keeps Markdown the stored form: every demo body, and every body the WordPress
//! import makes of the fixtures' posts, read by the editor's own code (the bundled module, under
//! Node.js) and written back, comes back byte for byte when untouched, changes only in the block
//! edited, and, written anew block by block, still renders to the same page.

use std::{collections::HashMap, io::Write as _, path::Path, process::Stdio};

use rotative_import::{
    parse_story, wp_content,
    wxr::{Entry, WxrReader},
};
use rotative_render::{EDITOR_ROUND_TRIP_MODULE, StoredImage, Theme, figure_sources, render_body};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoundTrip {
    untouched: String,
    rewritten: String,
    preserved: bool,
    edited: Option<String>,
    expected_edited: Option<String>,
}

fn bodies() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut bodies = Vec::new();
    let mut demo: Vec<_> = std::fs::read_dir(root.join("demo"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "md") && !path.ends_with("README.md"))
        .collect();
    demo.sort();
    for path in demo {
        let story = parse_story(&std::fs::read_to_string(&path).unwrap()).unwrap();
        bodies.push((path.display().to_string(), story.body));
    }
    // Shapes that once tripped the editor: blocks that run on without a blank line, lists, link
    // definitions, HTML and tables inside quotations, character references.
    for (n, tricky) in [
        "- Un point\n\nLa suite.\n",
        "# Titre\nUn paragraphe collé.",
        "Une phrase\n> puis une citation",
        "[lien]: https://exemple.fr/a\n\nVoir [lien].",
        "[lien]: https://exemple.fr/a",
        "> Une citation\n> <div>en HTML</div>\n",
        "- Un point\n\n  | a | b |\n  |---|---|\n  | 1 | 2 |\n",
        "Un\n\n\n\nDeux\r\n",
        "Intertitre\n==========\n\n1) premier\n2) second\n",
        "Du *gras* au mi*lieu* d’un mot, et `du code`.\n\n    en retrait\n",
    ]
    .into_iter()
    .enumerate()
    {
        bodies.push((format!("cas {n}"), tricky.to_owned()));
    }
    let fixtures = root.join("../../../shared/fixtures/wxr");
    let mut exports: Vec<_> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    exports.sort();
    for path in exports {
        let bytes = std::fs::read(&path).unwrap();
        let mut reader = WxrReader::new(bytes.as_slice());
        // Broken exports are the importer's to refuse; the bodies read before the break count.
        while let Ok(Some(entry)) = reader.next_entry() {
            let Entry::Item(item) = entry else { continue };
            if item.content.trim().is_empty() {
                continue;
            }
            let name = format!("{} ({})", path.display(), item.title);
            bodies.push((name, wp_content::convert(&item.content).body));
        }
    }
    bodies
}

fn round_trips(bodies: &[String]) -> Vec<RoundTrip> {
    let folder = tempfile::tempdir().unwrap();
    let module = folder.path().join("editor-round-trip.mjs");
    std::fs::write(&module, EDITOR_ROUND_TRIP_MODULE).unwrap();
    let mut node = std::process::Command::new("node")
        .arg(&module)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("Node.js runs the editor's module");
    let input = serde_json::to_vec(bodies).unwrap();
    let mut stdin = node.stdin.take().unwrap();
    let writer = std::thread::spawn(move || stdin.write_all(&input).unwrap());
    let output = node.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(output.status.success(), "the editor's module failed");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The page a body makes, with every image it names standing in the library, its white space
/// collapsed as browsers collapse it.
fn rendered(theme: &Theme, markdown: &str) -> Result<String, String> {
    let images: HashMap<String, StoredImage> = figure_sources(markdown)
        .map_err(|e| e.to_string())?
        .into_iter()
        .map(|figure| {
            let stored = StoredImage {
                key: format!("{}.jpg", figure.name.len()),
                width: 1200,
                height: 800,
                animated: false,
                alt: Some("Image".into()),
                caption: None,
                credit: None,
            };
            (figure.name, stored)
        })
        .collect();
    // Line breaks typed inside a paragraph come back as spaces: the same to a reader's browser.
    render_body(theme, markdown, &images)
        .map(|html| html.split_whitespace().collect::<Vec<_>>().join(" "))
        .map_err(|e| e.to_string())
}

fn first_difference(got: &str, expected: &str) -> String {
    let at = got
        .char_indices()
        .zip(expected.chars())
        .find(|((_, a), b)| a != b)
        .map_or(got.len().min(expected.len()), |((at, _), _)| at);
    let around = |text: &str| {
        text.get(at.saturating_sub(80)..)
            .unwrap_or("")
            .chars()
            .take(160)
            .collect::<String>()
    };
    format!("\n  got: …{}\n  was: …{}", around(got), around(expected))
}

#[test]
fn every_body_survives_the_rich_editor() {
    let theme = Theme::embedded();
    let (names, texts): (Vec<String>, Vec<String>) = bodies().into_iter().unzip();
    assert!(
        texts.len() > 40,
        "the demo and the fixtures give bodies ({})",
        texts.len()
    );
    let results = round_trips(&texts);
    let mut edited = 0;
    for ((name, text), result) in names.iter().zip(&texts).zip(&results) {
        assert!(
            result.preserved,
            "{name}: its blocks are kept as typed:\n{text}"
        );
        assert_eq!(
            &result.untouched, text,
            "{name}: opened and saved, unchanged"
        );
        if let (Some(got), Some(expected)) = (&result.edited, &result.expected_edited) {
            assert_eq!(got, expected, "{name}: only the edited paragraph changes");
            edited += 1;
        }
        let (rewritten, original) = (rendered(&theme, &result.rewritten), rendered(&theme, text));
        assert!(
            rewritten == original,
            "{name}: written anew, the page is the same; it differs at {}\nwritten anew:\n{}",
            first_difference(&format!("{rewritten:?}"), &format!("{original:?}")),
            result.rewritten
        );
    }
    assert!(edited > 20, "bodies edited: {edited}");
}
