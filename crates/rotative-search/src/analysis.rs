//! French text analysis: the same pipeline for indexing and for queries, so `Biélorusses`
//! matches `biélorusse`, `Bélarus` matches `belarus`, and `l'Ukraine` matches `ukraine`.

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer,
};

pub(crate) const FRENCH: &str = "fr";

/// Elided articles and pronouns (`l'`, `d'`, `qu'`…): the tokenizer splits them off at the
/// apostrophe, and they carry no meaning of their own.
const ELISIONS: [&str; 12] = [
    "l", "d", "qu", "n", "s", "j", "c", "m", "t", "jusqu", "lorsqu", "puisqu",
];

/// Lowercase, accents folded, elisions removed, French Snowball stems.
pub(crate) fn french() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(40))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            ELISIONS.iter().map(|w| (*w).to_owned()),
        ))
        .filter(Stemmer::new(Language::French))
        .build()
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
