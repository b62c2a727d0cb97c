//! The words of every template, as readers and the newsroom read them, follow the French
//! typography that stories get (`french_typography`): a space that cannot break before « : »,
//! narrow ones before « ; ! ? » and inside « », typographic apostrophes and quotation marks.

#![allow(clippy::unwrap_used, reason = "test fixtures fail loudly")]

use std::path::{Path, PathBuf};

use rotative_domain::typography::french_typography;

/// Every template file: pages, the newsroom's, letters.
fn templates(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            found.extend(templates(&path));
        } else if path
            .extension()
            .is_some_and(|extension| extension == "html" || extension == "txt")
        {
            found.push(path);
        }
    }
    found.sort();
    found
}

/// Elements whose content is code or typed by people, never set as prose.
const VERBATIM: [&str; 5] = ["script", "style", "code", "pre", "textarea"];
/// Attributes whose values people read.
const READ_ATTRIBUTES: [&str; 4] = ["alt", "title", "aria-label", "placeholder"];

/// Whether a line is markup a macro writes into a tag (`name="value"`), not words.
fn is_attribute(line: &str) -> bool {
    line.split_once("=\"").is_some_and(|(name, value)| {
        !name.is_empty()
            && name.chars().all(|c| c.is_ascii_lowercase() || c == '-')
            && value.ends_with('"')
    })
}

/// Where the tag `rest` starts with ends: its `>`, not one inside a template statement.
fn tag_end(rest: &str) -> usize {
    let mut at = 0;
    while at < rest.len() {
        let here = &rest[at..];
        if let Some(close) = [("{%", "%}"), ("{{", "}}"), ("{#", "#}")]
            .into_iter()
            .find_map(|(open, close)| here.starts_with(open).then_some(close))
        {
            at += here.find(close).unwrap() + close.len();
        } else if here.starts_with('>') {
            return at;
        } else {
            at += here.chars().next().unwrap().len_utf8();
        }
    }
    rest.len()
}

/// The text as shown: character references read, an expression standing for a word.
fn decoded(text: &str) -> String {
    text.replace("&nbsp;", "\u{a0}")
        .replace("&#160;", "\u{a0}")
        .replace("&#8239;", "\u{202f}")
        .replace("&#x202F;", "\u{202f}")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
}

/// What a template shows people, line by line: its text outside tags and template statements
/// (each `{{ … }}` read as a word), and the attributes people read; code is left out.
fn shown_lines(source: &str, html: bool) -> Vec<String> {
    let mut text = String::new();
    let mut attributes = Vec::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix("{{") {
            let end = after.find("}}").unwrap();
            text.push('X');
            rest = &after[end + 2..];
        } else if let Some(after) = rest.strip_prefix("{%") {
            rest = &after[after.find("%}").unwrap() + 2..];
        } else if let Some(after) = rest.strip_prefix("{#") {
            rest = &after[after.find("#}").unwrap() + 2..];
        } else if html && c == '<' {
            let end = tag_end(rest);
            let tag = &rest[1..end];
            let name: String = tag
                .chars()
                .take_while(char::is_ascii_alphanumeric)
                .collect();
            for attribute in READ_ATTRIBUTES {
                if let Some(start) = tag.find(&format!(" {attribute}=\"")) {
                    let value = &tag[start + attribute.len() + 3..];
                    attributes.push(value[..value.find('"').unwrap()].to_owned());
                }
            }
            rest = &rest[end + 1..];
            if VERBATIM.contains(&name.as_str()) {
                let closing = format!("</{name}>");
                rest = &rest[rest.find(&closing).unwrap() + closing.len()..];
            }
        } else {
            text.push(c);
            rest = &rest[c.len_utf8()..];
        }
    }
    let expression = |value: &str| {
        let mut shown = value.to_owned();
        while let (Some(start), Some(end)) = (shown.find("{{"), shown.find("}}")) {
            shown.replace_range(start..end + 2, "X");
        }
        shown
    };
    text.lines()
        .map(str::to_owned)
        .chain(attributes.iter().map(|value| expression(value)))
        .map(|line| decoded(line.trim()))
        // What a macro writes into a tag: ` aria-invalid="true"`.
        .filter(|line| !line.is_empty() && !is_attribute(line))
        .collect()
}

#[test]
fn every_templates_words_are_set_as_french() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut wrong = Vec::new();
    for path in templates(&folder) {
        let source = std::fs::read_to_string(&path).unwrap();
        let html = path
            .extension()
            .is_some_and(|extension| extension == "html");
        for line in shown_lines(&source, html) {
            let set = french_typography(&line);
            if set != line {
                let visible = |s: &str| s.replace('\u{202f}', "⍽").replace('\u{a0}', "°");
                wrong.push(format!(
                    "{}: {}\n    → {}",
                    path.strip_prefix(&folder).unwrap().display(),
                    visible(&line),
                    visible(&set)
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} lines not in French typography:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn the_words_shown_leave_markup_and_code_out() {
    let source = "<p title=\"Le titre : {{ x }}\">Bonjour {{ name }} :</p>{% if a %}<code>a ? b</code>{% endif %}<input{% if a %} checked{% endif %}> Texte :";
    assert_eq!(
        shown_lines(source, true),
        ["Bonjour X : Texte :", "Le titre : X"]
    );
}
