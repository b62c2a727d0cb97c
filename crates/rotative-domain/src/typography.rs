//! French typography for text that readers see: the spaces and marks a French copy editor would
//! set. Applied to text nodes only when rendering — never to URLs, code or HTML attributes.

/// Espace fine insécable: before `; ! ?` and inside « ».
pub const NARROW_NBSP: char = '\u{202F}';
/// Espace insécable: before `:`.
pub const NBSP: char = '\u{A0}';

const URL_STARTS: [&str; 4] = ["http://", "https://", "www.", "mailto:"];

fn is_space(c: char) -> bool {
    matches!(c, ' ' | NBSP | NARROW_NBSP | '\u{2009}')
}

fn trim_trailing_spaces(out: &mut String) {
    while out.ends_with(is_space) {
        out.pop();
    }
}

/// Replaces whatever spaces end `out` with `space`; right after « the quote's own narrow space wins.
fn set_space_before(out: &mut String, space: char) {
    trim_trailing_spaces(out);
    out.push(if out.ends_with('«') {
        NARROW_NBSP
    } else {
        space
    });
}

/// A high punctuation mark takes its space only at the end of a word, so `10:30`, `a?b` and
/// `?!` stay as typed. The no-break spaces this function inserts do not count as word ends, so a
/// second pass changes nothing.
fn ends_a_word(next: Option<char>) -> bool {
    next.is_none_or(|c| {
        (c.is_whitespace() && c != NBSP && c != NARROW_NBSP)
            || matches!(c, '!' | '?' | ';' | '»' | ')' | '"' | '’' | '.' | ',' | '…')
    })
}

fn opens_quote(out: &str, next: Option<char>) -> bool {
    match out.chars().next_back() {
        None => next.is_some_and(|c| !c.is_whitespace()),
        Some(prev) => prev.is_whitespace() || matches!(prev, '(' | '[' | '—' | '–' | '\'' | '’'),
    }
}

/// Returns `text` with French typographic spacing: narrow no-break space before `; ! ?` and inside
/// « », no-break space before `:`, typographic apostrophe, and straight or English double quotes
/// turned into « » (English quotes inside « » stay, as French second-level quotes). Idempotent, so
/// text that is already correct is left as it is; URLs in the text are kept.
pub fn french_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    let mut rest = text;
    // For each open “: whether it became « (first level) or stayed (inside « »).
    let mut english_quotes: Vec<bool> = Vec::new();
    let mut guillemets = 0_usize;
    while let Some(c) = rest.chars().next() {
        if let Some(url_len) = URL_STARTS
            .iter()
            .any(|start| rest.starts_with(start))
            .then(|| rest.find(char::is_whitespace).unwrap_or(rest.len()))
        {
            out.push_str(&rest[..url_len]);
            rest = &rest[url_len..];
            continue;
        }
        rest = &rest[c.len_utf8()..];
        let next = rest.chars().next();
        match c {
            '\'' if out.ends_with(char::is_alphabetic) => out.push('’'),
            ';' | '!' | '?' if ends_a_word(next) && !out.ends_with(['!', '?']) => {
                set_space_before(&mut out, NARROW_NBSP);
                out.push(c);
            }
            ':' if ends_a_word(next) && !out.is_empty() => {
                set_space_before(&mut out, NBSP);
                out.push(':');
            }
            '«' => {
                guillemets += 1;
                out.push('«');
                rest = rest.trim_start_matches(is_space);
                out.push(NARROW_NBSP);
            }
            '“' => {
                let converted = guillemets == 0;
                english_quotes.push(converted);
                if converted {
                    guillemets += 1;
                    out.push('«');
                    rest = rest.trim_start_matches(is_space);
                    out.push(NARROW_NBSP);
                } else {
                    out.push('“');
                }
            }
            '”' if english_quotes.pop().unwrap_or(guillemets == 0) => {
                guillemets = guillemets.saturating_sub(1);
                set_space_before(&mut out, NARROW_NBSP);
                out.push('»');
            }
            '"' if opens_quote(&out, next) => {
                guillemets += 1;
                out.push('«');
                rest = rest.trim_start_matches(is_space);
                out.push(NARROW_NBSP);
            }
            '»' | '"' => {
                guillemets = guillemets.saturating_sub(1);
                set_space_before(&mut out, NARROW_NBSP);
                out.push('»');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn visible(s: &str) -> String {
        s.replace(NARROW_NBSP, "⍽").replace(NBSP, "°")
    }

    #[test]
    fn french_spacing_table() {
        let cases = [
            ("Pourquoi ?", "Pourquoi⍽?"),
            ("Pourquoi?", "Pourquoi⍽?"),
            ("Vraiment ?!", "Vraiment⍽?!"),
            ("Il a dit : oui", "Il°a dit°: oui"),
            ("Il a dit: oui", "Il a dit°: oui"),
            ("un; deux", "un⍽; deux"),
            ("« Bonjour »", "«⍽Bonjour⍽»"),
            ("«Bonjour»", "«⍽Bonjour⍽»"),
            ("\"Bonjour\", dit-il", "«⍽Bonjour⍽», dit-il"),
            ("l'Ukraine et aujourd'hui", "l’Ukraine et aujourd’hui"),
            ("un “pur suicide”.", "un «⍽pur suicide⍽»."),
            ("« Il a dit “non” »", "«⍽Il a dit “non”⍽»"),
            ("à 10:30 précises", "à 10:30 précises"),
            (
                "voir https://exemple.fr/?a=1&b=2; puis",
                "voir https://exemple.fr/?a=1&b=2; puis",
            ),
            ("écrire à mailto:x@y.fr !", "écrire à mailto:x@y.fr⍽!"),
        ];
        for (input, expected) in cases {
            let got = visible(&french_typography(input));
            // `°` in the expectation stands only for the space before the colon.
            let expected = expected.replacen("Il°a", "Il a", 1);
            assert_eq!(got, expected, "{input}");
        }
    }

    #[test]
    fn leaves_plain_text_alone() {
        let plain = "Une phrase sans ponctuation haute, avec des virgules.";
        assert_eq!(french_typography(plain), plain);
    }

    proptest! {
        #[test]
        fn idempotent(text in "[a-zé '\":;!?«»“” .0-9]{0,60}") {
            let once = french_typography(&text);
            prop_assert_eq!(french_typography(&once), once.clone());
        }

        #[test]
        fn keeps_every_letter(text in "\\PC{0,80}") {
            let letters = |s: &str| s.chars().filter(|c| c.is_alphanumeric()).collect::<String>();
            prop_assert_eq!(letters(&french_typography(&text)), letters(&text));
        }
    }
}
