//! Searching: any text a reader types (quotes make a phrase; everything else is words), narrowed
//! by section and dates, ranked by relevance with a gentle boost for recent stories.

use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    ops::Bound,
};

use jiff::Timestamp;
use rotative_domain::{ArticleId, Slug};
use tantivy::{
    DocAddress, DocSet, Score, Searcher, TERMINATED, TantivyDocument, Term,
    collector::{Count, TopDocs},
    columnar::Column,
    query::{BooleanQuery, Occur, Query, QueryParser, RangeQuery, TermQuery},
    schema::Field,
    schema::{IndexRecordOption, Value},
    snippet::SnippetGenerator,
};

use crate::{
    SearchError, SearchIndex, analysis,
    index::{LIKENESS, LIKENESS_NUMBERS},
    likeness::{self, Likeness},
};

/// Longest query read: anything beyond is noise (and a cost).
const MAX_QUERY_CHARS: usize = 200;
/// Longest snippet of a hit, in characters.
const SNIPPET_CHARS: usize = 220;
/// Half-life, in days, of the boost recent stories get.
const RECENCY_DAYS: f32 = 30.0;

/// What a reader asked for.
#[derive(Debug, Clone, Default)]
pub struct SearchQuery {
    pub text: String,
    pub section: Option<Slug>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub offset: usize,
    pub limit: usize,
}

/// One story found, with a passage where the words appear (HTML, words in `<mark>`).
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    pub id: ArticleId,
    pub path: String,
    pub headline: String,
    pub standfirst: Option<String>,
    pub section_slug: String,
    pub section_name: String,
    pub published_at: Timestamp,
    pub snippet_html: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SearchResults {
    pub total: usize,
    pub hits: Vec<SearchHit>,
}

/// Keeps what a reader typed from being read as query syntax, except double quotes (phrases).
/// Unbalanced quotes are closed.
fn sanitize(text: &str) -> String {
    let mut clean: String = text
        .chars()
        .take(MAX_QUERY_CHARS)
        .map(|c| {
            if c.is_alphanumeric() || c == '"' || c == '\'' || c == '’' || c == '-' {
                c
            } else {
                ' '
            }
        })
        .collect();
    if clean.matches('"').count() % 2 == 1 {
        clean.push('"');
    }
    clean
}

fn text_of(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

impl SearchIndex {
    /// Runs a search. An empty or meaningless query finds nothing (and is no error).
    pub fn search(&self, query: &SearchQuery) -> Result<SearchResults, SearchError> {
        let f = self.fields;
        let text = sanitize(&query.text);
        if text.trim().is_empty() {
            return Ok(SearchResults::default());
        }
        let mut parser = QueryParser::for_index(
            &self.index,
            vec![f.headline, f.standfirst, f.body, f.tags, f.authors],
        );
        parser.set_conjunction_by_default();
        parser.set_field_boost(f.headline, 3.0);
        parser.set_field_boost(f.tags, 2.0);
        parser.set_field_boost(f.standfirst, 1.5);
        let (words, _ignored) = parser.parse_query_lenient(&text);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(section) = &query.section {
            let term = Term::from_field_text(f.section, section.as_ref());
            clauses.push((
                Occur::Must,
                Box::new(TermQuery::new(term, IndexRecordOption::Basic)),
            ));
        }
        if query.from.is_some() || query.to.is_some() {
            let bound = |at: Option<Timestamp>, inclusive: fn(Term) -> Bound<Term>| {
                at.map_or(Bound::Unbounded, |at| {
                    inclusive(Term::from_field_i64(f.published_at, at.as_second()))
                })
            };
            let range = RangeQuery::new(
                bound(query.from, Bound::Included),
                bound(query.to, Bound::Included),
            );
            clauses.push((Occur::Must, Box::new(range)));
        }
        // The words alone when nothing narrows them: a single word is then a union of its
        // fields' postings, which tantivy walks block by block, skipping those that cannot
        // reach the best scores (block-max WAND), instead of scoring every story that has it.
        let single_word =
            clauses.is_empty() && !text.contains('"') && text.split_whitespace().count() == 1;
        let combined: Box<dyn Query> = if clauses.is_empty() {
            words.box_clone()
        } else {
            clauses.insert(0, (Occur::Must, words.box_clone()));
            Box::new(BooleanQuery::new(clauses))
        };
        let searcher = self.reader.searcher();
        let wanted = query.offset + query.limit.max(1);
        let best_matches = TopDocs::with_limit(wanted.max(RERANKED));
        // A single word alone is pruned, then counted apart without scoring; anything else is
        // scored in full anyway (an intersection has no pruning), so it is counted on the way.
        let (best, total) = if single_word {
            (
                searcher.search(&*combined, &best_matches)?,
                searcher.search(&*combined, &Count)?,
            )
        } else {
            searcher.search(&*combined, &(best_matches, Count))?
        };
        let found = by_recency(&searcher, best, query.offset, query.limit.max(1));
        let snippets = snippet_generator(&searcher, &*words, f.body)?;
        let mut hits = Vec::with_capacity(found.len());
        for address in found {
            let doc: TantivyDocument = searcher.doc(address)?;
            let mut snippet = snippets.snippet_from_doc(&doc);
            snippet.set_snippet_prefix_postfix("<mark>", "</mark>");
            let id = doc
                .get_first(f.id)
                .and_then(|v| v.as_u64())
                .unwrap_or_default();
            let published = doc
                .get_first(f.published_at)
                .and_then(|v| v.as_i64())
                .unwrap_or_default();
            hits.push(SearchHit {
                id: ArticleId(i64::try_from(id).unwrap_or_default()),
                path: text_of(&doc, f.path).unwrap_or_default(),
                headline: text_of(&doc, f.headline).unwrap_or_default(),
                standfirst: text_of(&doc, f.standfirst),
                section_slug: text_of(&doc, f.section).unwrap_or_default(),
                section_name: text_of(&doc, f.section_name).unwrap_or_default(),
                published_at: Timestamp::from_second(published).unwrap_or(Timestamp::UNIX_EPOCH),
                snippet_html: framed(
                    &snippet.to_html(),
                    snippet.fragment(),
                    &text_of(&doc, f.body).unwrap_or_default(),
                ),
            });
        }
        Ok(SearchResults { total, hits })
    }
}

/// What finds the best passage of each hit's `field` for `query`: as tantivy's own
/// (`SnippetGenerator::create`: each word weighed by its rarity), but only the words that may
/// be the query's are stemmed (`analysis::french_finding`).
fn snippet_generator(
    searcher: &Searcher,
    query: &dyn Query,
    field: Field,
) -> Result<SnippetGenerator, SearchError> {
    let mut terms = BTreeSet::new();
    query.query_terms(&mut |term, _| {
        if term.field() == field {
            terms.insert(term);
        }
    });
    let mut weights = BTreeMap::new();
    for term in terms {
        let value = term.value();
        let Some(word) = value.as_str() else {
            continue;
        };
        let found_in = searcher.doc_freq(term)?;
        if found_in > 0 {
            #[expect(clippy::cast_precision_loss, reason = "a weight needs no precision")]
            weights.insert(word.to_owned(), 1.0 / (1.0 + found_in as Score));
        }
    }
    let words: Vec<String> = weights.keys().cloned().collect();
    Ok(SnippetGenerator::new(
        weights,
        analysis::french_finding(&words),
        field,
        SNIPPET_CHARS,
    ))
}

/// A snippet as readers see it: « … » where the story's words go on before or after it (the
/// fragment starts and ends on words, leaving out the punctuation that closes its last one).
fn framed(html: &str, fragment: &str, body: &str) -> String {
    let fragment = fragment.trim();
    let Some(start) = body.find(fragment).filter(|_| !fragment.is_empty()) else {
        return html.to_owned();
    };
    let has_words = |text: &str| text.chars().any(char::is_alphanumeric);
    let before = if has_words(&body[..start]) {
        "…\u{a0}"
    } else {
        ""
    };
    let after = if has_words(&body[start + fragment.len()..]) {
        "\u{a0}…"
    } else {
        ""
    };
    format!("{before}{}{after}", html.trim())
}

/// Best matches by relevance that the recency boost orders (those after them keep the order of
/// relevance): the same for every page, so pages neither repeat nor skip a story. The boost is
/// at most +50 %: a story after them would need to be among the newest and nearly as relevant.
const RERANKED: usize = 100;

/// The relevance-ordered `best` matches, the first `RERANKED` of them boosted for their recency
/// (at most +50 % for today's stories, fading by half every month) and ordered so: `limit` of
/// them from `offset`.
fn by_recency(
    searcher: &Searcher,
    best: Vec<(Score, DocAddress)>,
    offset: usize,
    limit: usize,
) -> Vec<DocAddress> {
    let now = Timestamp::now().as_second();
    let mut best = best.into_iter();
    let mut boosted: Vec<(Score, DocAddress)> = best
        .by_ref()
        .take(RERANKED)
        .map(|(score, address)| {
            let published = searcher
                .segment_reader(address.segment_ord)
                .fast_fields()
                .i64("published_at")
                .ok()
                .and_then(|dates| dates.first(address.doc_id));
            let Some(published) = published else {
                return (score, address);
            };
            #[expect(
                clippy::cast_precision_loss,
                reason = "an age in days needs no precision"
            )]
            let age_days = (now - published).max(0) as f32 / 86_400.0;
            let boost = 1.0 + 0.5 * 0.5_f32.powf(age_days / RECENCY_DAYS);
            (score * boost, address)
        })
        .collect();
    boosted.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    boosted
        .into_iter()
        .chain(best)
        .skip(offset)
        .take(limit)
        .map(|(_, address)| address)
        .collect()
}

impl SearchIndex {
    /// How close each of `candidates` is to this story in its words (higher is closer; those
    /// sharing none are left out). Only the candidates are compared, each found by its id and
    /// its likeness words read beside it: the cost does not grow with the archive. A story not
    /// in the index (not published) is close to none.
    pub fn similar(
        &self,
        article_id: ArticleId,
        candidates: &[ArticleId],
    ) -> Result<HashMap<ArticleId, f32>, SearchError> {
        let searcher = self.reader.searcher();
        // A candidate picked twice (for two subjects) is compared once.
        let mut wanted = candidates.to_vec();
        wanted.push(article_id);
        wanted.sort_unstable();
        wanted.dedup();
        let addresses = self.addresses(&searcher, &wanted)?;
        let Some(own) = addresses
            .iter()
            .find(|(_, id)| *id == article_id)
            .map(|(address, _)| *address)
        else {
            return Ok(HashMap::new());
        };
        let own_words = kept_words(&searcher, own)?;
        let likeness = rated_likeness(&searcher, &own_words)?;
        let mut similar = HashMap::new();
        let mut numbers: Option<(u32, Column<u64>)> = None;
        for (address, id) in addresses.into_iter().filter(|(_, id)| *id != article_id) {
            if numbers
                .as_ref()
                .is_none_or(|(segment, _)| *segment != address.segment_ord)
            {
                let column = searcher
                    .segment_reader(address.segment_ord)
                    .fast_fields()
                    .u64(LIKENESS_NUMBERS)?;
                numbers = Some((address.segment_ord, column));
            }
            let Some((_, column)) = &numbers else {
                continue;
            };
            let closeness = likeness.closeness(column.values_for_doc(address.doc_id));
            if closeness > 0.0 {
                similar.insert(id, closeness);
            }
        }
        Ok(similar)
    }

    /// Where in the index each of these stories is, sorted by address; stories not in it are
    /// left out. Each id is one look-up in each segment's dictionary of ids.
    fn addresses(
        &self,
        searcher: &Searcher,
        ids: &[ArticleId],
    ) -> Result<Vec<(DocAddress, ArticleId)>, SearchError> {
        let mut found = Vec::with_capacity(ids.len());
        for (ord, segment) in searcher.segment_readers().iter().enumerate() {
            let ord = u32::try_from(ord).unwrap_or(u32::MAX);
            let ids_index = segment.inverted_index(self.fields.id)?;
            for id in ids {
                let term =
                    Term::from_field_u64(self.fields.id, u64::try_from(id.0).unwrap_or_default());
                let postings = ids_index
                    .read_postings(&term, IndexRecordOption::Basic)
                    .map_err(|e| SearchError::Index(e.into()))?;
                let Some(mut postings) = postings else {
                    continue;
                };
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if segment
                        .alive_bitset()
                        .is_none_or(|alive| alive.is_alive(doc))
                    {
                        found.push((DocAddress::new(ord, doc), *id));
                        break;
                    }
                    doc = postings.advance();
                }
            }
        }
        found.sort_unstable_by_key(|(address, _)| *address);
        Ok(found)
    }
}

/// The likeness words a story kept when it was indexed (`likeness::decode` reads them).
fn kept_words(searcher: &Searcher, story: DocAddress) -> Result<Vec<u8>, SearchError> {
    let mut bytes = Vec::new();
    let column = searcher
        .segment_reader(story.segment_ord)
        .fast_fields()
        .bytes(LIKENESS)?;
    if let Some(column) = column {
        for ord in column.term_ords(story.doc_id) {
            column
                .ord_to_bytes(ord, &mut bytes)
                .map_err(|e| SearchError::Index(e.into()))?;
        }
    }
    Ok(bytes)
}

/// What stories are compared to this one by: its kept words, with their rarity in the
/// archive now.
fn rated_likeness(searcher: &Searcher, words: &[u8]) -> Result<Likeness, SearchError> {
    // A word's count of stories includes deleted ones until segments merge: one counted
    // in more stories than are live is in (nearly) all of them and says nothing of likeness.
    let live = searcher.num_docs();
    let mut rated = Vec::new();
    for word in likeness::decode(words) {
        let found_in = searcher.doc_freq(&word.term())?;
        if (1..=live).contains(&found_in) {
            rated.push((word, likeness::rarity(found_in, live)));
        }
    }
    Ok(Likeness::new(rated))
}

#[cfg(test)]
mod tests {
    use super::framed;

    #[test]
    fn a_snippet_says_where_the_text_goes_on() {
        let body = "Le port rouvre lundi. Les dockers reprennent le travail après trois semaines.";
        assert_eq!(
            framed(
                "Les <mark>dockers</mark> reprennent",
                "Les dockers reprennent",
                body
            ),
            "…\u{a0}Les <mark>dockers</mark> reprennent\u{a0}…"
        );
        assert_eq!(
            framed("Le <mark>port</mark> rouvre", "Le port rouvre", body),
            "Le <mark>port</mark> rouvre\u{a0}…",
            "nothing before the start"
        );
        let last_words = "le travail après trois semaines";
        assert_eq!(
            framed(last_words, last_words, body),
            format!("…\u{a0}{last_words}"),
            "only the full stop after the end"
        );
        let whole = body.trim_end_matches('.');
        assert_eq!(framed(whole, whole, body), whole, "the whole text");
        assert_eq!(framed("", "", body), "");
    }

    #[test]
    fn tantivys_fragments_leave_the_last_full_stop_out() {
        use tantivy::{
            Index, TantivyDocument,
            schema::{STORED, Schema, TEXT},
            snippet::SnippetGenerator,
        };
        let mut schema = Schema::builder();
        let body = schema.add_text_field("body", TEXT | STORED);
        let index = Index::create_in_ram(schema.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let text = "Le port rouvre lundi.";
        let mut doc = TantivyDocument::default();
        doc.add_text(body, text);
        writer.add_document(doc).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let query = tantivy::query::TermQuery::new(
            tantivy::Term::from_field_text(body, "port"),
            tantivy::schema::IndexRecordOption::Basic,
        );
        let snippets = SnippetGenerator::create(&searcher, &query, body).unwrap();
        let stored: TantivyDocument = searcher.doc(tantivy::DocAddress::new(0, 0)).unwrap();
        let snippet = snippets.snippet_from_doc(&stored);
        assert_eq!(
            framed(&snippet.to_html(), snippet.fragment(), text),
            snippet.to_html()
        );
    }
}
