//! French text analysis: the same pipeline for indexing and for queries, so `Biélorusses`
//! matches `biélorusse`, `Bélarus` matches `belarus`, and `l'Ukraine` matches `ukraine`.

use std::sync::Arc;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

pub(crate) const FRENCH: &str = "fr";

/// Elided articles and pronouns (`l'`, `d'`, `qu'`…): the tokenizer splits them off at the
/// apostrophe, and they carry no meaning of their own.
const ELISIONS: [&str; 12] = [
    "l", "d", "qu", "n", "s", "j", "c", "m", "t", "jusqu", "lorsqu", "puisqu",
];

/// Lowercase, accents folded, elisions removed, French Snowball stems.
pub(crate) fn french() -> TextAnalyzer {
    french_stemming(BeginningLike::every_word())
}

/// The analysis of [`french`], for finding `stems` in a text (a search hit's snippet): a word
/// that begins otherwise than all of them is left unstemmed and blank, because French Snowball
/// changes only a word's ending. Stemming every word of a body was a third of a search.
pub(crate) fn french_finding(stems: &[String]) -> TextAnalyzer {
    french_stemming(BeginningLike::of(stems))
}

fn french_stemming(words: BeginningLike) -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            ELISIONS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(words)
        .filter(Stemmer::new(Language::French))
        .build()
}

/// Letters of a stem a word must begin with to have that stem.
const BEGINNING: usize = 3;

/// Blanks the words that cannot have any of a few stems, or none (`beginnings` is `None`).
#[derive(Clone)]
struct BeginningLike {
    beginnings: Option<Arc<[String]>>,
}

impl BeginningLike {
    fn of(stems: &[String]) -> Self {
        Self {
            beginnings: Some(
                stems
                    .iter()
                    .map(|stem| stem.chars().take(BEGINNING).collect())
                    .collect(),
            ),
        }
    }

    fn every_word() -> Self {
        Self { beginnings: None }
    }
}

impl TokenFilter for BeginningLike {
    type Tokenizer<T: Tokenizer> = BeginningLikeTokenizer<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        BeginningLikeTokenizer {
            beginnings: self.beginnings,
            inner: tokenizer,
        }
    }
}

#[derive(Clone)]
pub(crate) struct BeginningLikeTokenizer<T> {
    beginnings: Option<Arc<[String]>>,
    inner: T,
}

impl<T: Tokenizer> Tokenizer for BeginningLikeTokenizer<T> {
    type TokenStream<'a> = BeginningLikeStream<'a, T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        BeginningLikeStream {
            beginnings: self.beginnings.as_deref(),
            tail: self.inner.token_stream(text),
        }
    }
}

pub(crate) struct BeginningLikeStream<'a, T> {
    beginnings: Option<&'a [String]>,
    tail: T,
}

impl<T: TokenStream> TokenStream for BeginningLikeStream<'_, T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let Some(beginnings) = self.beginnings else {
            return true;
        };
        let token = self.tail.token_mut();
        if !beginnings
            .iter()
            .any(|beginning| token.text.starts_with(beginning.as_str()))
        {
            // Kept for its place in the text (a snippet's bounds), with no word to match.
            token.text.clear();
        }
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

/// The same analysis without the language's function words (« les », « dans », « sera »…):
/// the words left say what a text is about. Filtered before accents are folded, as the list
/// spells them.
pub(crate) fn french_subject_words() -> TextAnalyzer {
    let mut builder = TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .dynamic();
    if let Some(function_words) = StopWordFilter::new(Language::French) {
        builder = builder.filter_dynamic(function_words);
    }
    builder
        .filter_dynamic(AsciiFoldingFilter)
        .filter_dynamic(StopWordFilter::remove(
            ELISIONS.iter().map(|w| (*w).to_owned()),
        ))
        .filter_dynamic(Stemmer::new(Language::French))
        .build()
}

/// Plain text from the sanitised HTML of a body: tags dropped, the few entities the sanitiser
/// writes decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&nbsp;", "\u{a0}")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use tantivy::tokenizer::TokenStream;

    use super::*;

    fn tokens(text: &str) -> Vec<String> {
        let mut analyzer = french();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(token) = stream.next() {
            out.push(token.text.clone());
        }
        out
    }

    #[test]
    fn french_words_meet_their_variants() {
        assert_eq!(tokens("Biélorusses"), tokens("biélorusse"));
        assert_eq!(tokens("Bélarus"), tokens("belarus"));
        assert_eq!(tokens("l'Ukraine"), tokens("ukraine"));
        assert_eq!(tokens("l’Ukraine"), tokens("Ukraine"));
        assert_eq!(tokens("souverainetés"), tokens("souveraineté"));
    }

    #[test]
    fn subject_words_are_the_indexed_words_less_function_words() {
        let text = "Les Biélorusses sont dans l'Ukraine, à côté des élections.";
        let mut analyzer = french_subject_words();
        let mut stream = analyzer.token_stream(text);
        let mut subject = Vec::new();
        while let Some(token) = stream.next() {
            subject.push(token.text.clone());
        }
        let indexed = tokens(text);
        assert!(
            subject.iter().all(|word| indexed.contains(word)),
            "{subject:?}"
        );
        assert_eq!(subject, tokens("Biélorusses Ukraine côté élections"));
    }

    /// Where each word of `text` has `stem`, by `analyzer`.
    fn places(analyzer: &mut TextAnalyzer, text: &str, stem: &str) -> Vec<usize> {
        let mut stream = analyzer.token_stream(text);
        let mut found = Vec::new();
        while let Some(token) = stream.next() {
            if token.text == stem {
                found.push(token.offset_from);
            }
        }
        found
    }

    #[test]
    fn finding_stems_finds_every_word_that_has_them() {
        let text = "Prudence : il avance prudemment. Les chevaux du cheval-vapeur, les \
            tribunaux et le tribunal, nationaux ou nationale. Élections, électorale, \
            souverainetés ; l'Ukraine et les Biélorusses. Heureux, heureuse, heureusement ; \
            généralement logique, logiques. Évolutions révolutionnaires des quartiers, \
            marchés, rivières, écoles, gares et budgets budgétaires. Yeux, eu, œuvre, \
            naïveté, Noël, aïeul, cœur, ça, où, île, bâtiments.";
        let stems: std::collections::BTreeSet<String> = tokens(text).into_iter().collect();
        for stem in &stems {
            let everywhere = places(&mut french(), text, stem);
            let found = places(
                &mut french_finding(&[stem.clone(), "zzz".to_owned()]),
                text,
                stem,
            );
            assert_eq!(found, everywhere, "{stem}");
        }
        let mut finding = french_finding(&["budget".to_owned()]);
        let mut stream = finding.token_stream("Le port vote son budget");
        let mut words = Vec::new();
        while let Some(token) = stream.next() {
            words.push(token.text.clone());
        }
        assert_eq!(
            words,
            ["", "", "", "", "budget"],
            "other words kept in place, blank"
        );
    }

    #[test]
    fn html_becomes_text() {
        let text = html_to_text("<p>Il dit&nbsp;: «\u{202f}oui\u{202f}» &amp; <em>non</em></p>");
        assert!(
            text.contains("Il dit\u{a0}: «\u{202f}oui\u{202f}» &"),
            "{text}"
        );
        assert!(text.contains(" non ") && !text.contains('<'), "{text}");
    }
}
