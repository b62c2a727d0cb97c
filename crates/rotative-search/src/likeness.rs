//! A story's likeness: the words that say what it is about, counted once when it is indexed and
//! kept beside it, as words (to weigh their rarity) and as numbers (to compare). A story's
//! closeness to another is then read from the words both kept, weighed by their rarity in the
//! archive: its page neither reads its text back from the index nor analyses it again, nor walks
//! any word's list of stories (together a third of an uncached story page,
//! docs/performance.md).

use std::{
    collections::HashMap,
    hash::{BuildHasherDefault, Hasher},
};

use tantivy::{
    Term,
    schema::Field,
    tokenizer::{TextAnalyzer, TokenStream},
};

/// Words kept per story: more than are weighed, so that those rarest in the archive as it
/// stands when the page is made can be chosen among them.
const KEPT: usize = 64;
/// Words of a story weighed against others'.
const WEIGHED: usize = 40;
/// Shorter words say little of a subject.
const MIN_BYTES: usize = 3;
/// How soon a word used again says little more (Okapi BM25's `k1`).
const SATURATION: f32 = 1.2;

/// One kept word: the field it was found in, its analysed form (as the index holds it) and how
/// often the story uses it there. `key` is the field and the word together, as kept.
#[derive(Debug, PartialEq)]
pub(crate) struct Word<'a> {
    pub field: Field,
    pub text: &'a str,
    pub count: u8,
    key: &'a [u8],
}

impl Word<'_> {
    pub(crate) fn term(&self) -> Term {
        Term::from_field_text(self.field, self.text)
    }

    /// The word as a number: its field and text hashed (FNV-1a, the same on every machine and
    /// in every version: the index keeps it), the lowest byte left for a count.
    fn number(&self) -> u64 {
        const PRIME: u64 = 0x0100_0000_01b3;
        let hash = self.key.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
            (hash ^ u64::from(*byte)).wrapping_mul(PRIME)
        });
        hash & !u64::from(u8::MAX)
    }
}

/// A story's kept words, as the index holds them.
pub(crate) struct Kept {
    /// A count, a length, a field number, then the word, for each.
    pub words: Vec<u8>,
    /// Each word's number with its count in the lowest byte.
    pub numbers: Vec<u64>,
}

/// The `KEPT` words of `texts` the story uses most (the longer first among equals: in French,
/// the rarer). `analyzer` is the index's own analysis without the language's function words.
pub(crate) fn keep(analyzer: &mut TextAnalyzer, texts: &[(Field, &str)]) -> Kept {
    let mut counts: HashMap<(u8, String), u32> = HashMap::new();
    for (field, text) in texts {
        let Ok(field) = u8::try_from(field.field_id()) else {
            continue;
        };
        let mut stream = analyzer.token_stream(text);
        while let Some(token) = stream.next() {
            if token.text.len() >= MIN_BYTES && u8::try_from(token.text.len()).is_ok() {
                *counts.entry((field, token.text.clone())).or_default() += 1;
            }
        }
    }
    let mut words: Vec<_> = counts.into_iter().collect();
    words.sort_unstable_by(|((_, a), a_count), ((_, b), b_count)| {
        b_count
            .cmp(a_count)
            .then(b.len().cmp(&a.len()))
            .then(a.cmp(b))
    });
    let mut bytes = Vec::new();
    for ((field, text), count) in words.into_iter().take(KEPT) {
        bytes.push(u8::try_from(count).unwrap_or(u8::MAX));
        bytes.push(u8::try_from(text.len()).unwrap_or(u8::MAX));
        bytes.push(field);
        bytes.extend_from_slice(text.as_bytes());
    }
    let numbers = decode(&bytes)
        .map(|word| word.number() | u64::from(word.count))
        .collect();
    Kept {
        words: bytes,
        numbers,
    }
}

/// The words `keep` kept; anything unreadable ends them.
pub(crate) fn decode(mut bytes: &[u8]) -> impl Iterator<Item = Word<'_>> {
    std::iter::from_fn(move || {
        let [count, length, rest @ ..] = bytes else {
            return None;
        };
        let (key, rest) = rest.split_at_checked(usize::from(*length) + 1)?;
        let (field, text) = key.split_first()?;
        let text = std::str::from_utf8(text).ok()?;
        bytes = rest;
        Some(Word {
            field: Field::from_field_id(u32::from(*field)),
            text,
            count: *count,
            key,
        })
    })
}

/// Okapi BM25's weight of a word found in `found_in` of `live` stories (`found_in` ≤ `live`).
#[expect(
    clippy::cast_precision_loss,
    reason = "a weight needs no more than f32's precision"
)]
pub(crate) fn rarity(found_in: u64, live: u64) -> f32 {
    let (found_in, live) = (found_in as f32, live as f32);
    (1.0 + (live - found_in + 0.5) / (found_in + 0.5)).ln()
}

/// The words a story is compared by: its `WEIGHED` best by use and rarity, each weighed against
/// the best of them and by its rarity again (a word few stories share says more when shared).
pub(crate) struct Likeness {
    /// By word number.
    weights: HashMap<u64, f32, BuildHasherDefault<Numbered>>,
    /// One bit per slot of `slot`, set for the weighed words: most of a candidate's words are
    /// none of them, and a bit tells so at a fraction of a look-up in `weights` (which was most
    /// of the time spent comparing).
    weighed: [u64; SLOTS / 64],
}

/// Bits of `Likeness::weighed`: with forty words set, about one word in a hundred that is not
/// weighed is looked up in vain.
const SLOTS: usize = 1 << SLOT_BITS;
const SLOT_BITS: u32 = 12;

/// Where a word number's bit is in `Likeness::weighed`: its highest bits, FNV-1a's best mixed.
fn slot(word: u64) -> (usize, u64) {
    let slot = usize::try_from(word >> (u64::BITS - SLOT_BITS)).unwrap_or_default();
    (slot / 64, 1 << (slot % 64))
}

/// Word numbers are hashes already: a map of them takes them as they are.
#[derive(Default)]
struct Numbered(u64);

impl Hasher for Numbered {
    fn finish(&self) -> u64 {
        // The lowest byte is left for counts (zero here): the map places a number by its
        // lowest bits and tells numbers apart by its highest, so the high half is folded in.
        self.0 ^ (self.0 >> 32)
    }

    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*byte);
        }
    }

    fn write_u64(&mut self, number: u64) {
        self.0 = number;
    }
}

impl Likeness {
    /// From a story's kept words, each with its rarity in the archive now.
    pub(crate) fn new(mut words: Vec<(Word<'_>, f32)>) -> Self {
        let score = |(word, rarity): &(Word<'_>, f32)| f32::from(word.count) * rarity;
        words.sort_by(|a, b| score(b).total_cmp(&score(a)));
        words.truncate(WEIGHED);
        let best = words.first().map_or(1.0, score);
        let weights: HashMap<_, _, _> = words
            .iter()
            .map(|pair| (pair.0.number(), score(pair) / best * pair.1))
            .collect();
        let mut weighed = [0; SLOTS / 64];
        for word in weights.keys() {
            let (at, bit) = slot(*word);
            weighed[at] |= bit;
        }
        Self { weights, weighed }
    }

    /// How close a story with these kept word numbers is: the weights of the words both use,
    /// each as often as that story uses it (with diminishing returns). 0 when they share none.
    pub(crate) fn closeness(&self, numbers: impl Iterator<Item = u64>) -> f32 {
        numbers
            .filter_map(|number| {
                let word = number & !u64::from(u8::MAX);
                let (at, bit) = slot(word);
                if self.weighed[at] & bit == 0 {
                    return None;
                }
                let weight = self.weights.get(&word)?;
                let count = f32::from(u8::try_from(number & u64::from(u8::MAX)).ok()?);
                Some(weight * count * (SATURATION + 1.0) / (count + SATURATION))
            })
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::french_subject_words;

    const HEADLINE: Field = Field::from_field_id(2);
    const BODY: Field = Field::from_field_id(4);

    /// « tramway » is in few stories, the other words (« gare »…) in most.
    fn rated(word: Word<'_>) -> (Word<'_>, f32) {
        let rarity = if word.text.starts_with("tram") {
            rarity(3, 1_000)
        } else {
            rarity(900, 1_000)
        };
        (word, rarity)
    }

    fn numbered_words(count: u32) -> String {
        (0..count)
            .map(|n| format!("mot{n}"))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn kept(headline: &str, body: &str) -> Kept {
        keep(
            &mut french_subject_words(),
            &[(HEADLINE, headline), (BODY, body)],
        )
    }

    #[test]
    fn the_most_used_words_are_kept_without_function_words() {
        let kept = kept(
            "Le tramway prolongé",
            "Le tramway de la ville sera prolongé. Les travaux du tramway commencent dans la \
             ville en mars, et le tramway roulera en 2028.",
        );
        let words: Vec<Word<'_>> = decode(&kept.words).collect();
        assert_eq!(
            (words[0].field, words[0].text, words[0].count),
            (BODY, "tramway", 3)
        );
        assert!(
            words
                .iter()
                .any(|w| w.field == HEADLINE && w.text == "tramway")
        );
        assert!(
            words
                .iter()
                .all(|w| !["les", "dans", "sera", "et", "la"].contains(&w.text)),
            "{words:?}"
        );
        assert_eq!(kept.numbers.len(), words.len());
        assert_eq!(kept.numbers[0] & 0xff, 3, "the count in the lowest byte");
        assert_ne!(
            words[0].number(),
            words.iter().find(|w| w.field == HEADLINE).unwrap().number(),
            "a word is numbered with its field"
        );
        let many = numbered_words(200);
        let kept = self::kept("", &many);
        assert_eq!(decode(&kept.words).count(), KEPT);
        assert_eq!(
            decode(&kept.words[..kept.words.len() - 1]).count(),
            KEPT - 1,
            "cut short"
        );
    }

    #[test]
    fn stories_sharing_rare_words_are_closest() {
        let tram = kept(
            "Le tramway prolongé",
            "Le tramway ira jusqu'à la gare en 2028.",
        );
        let other_tram = kept(
            "Travaux du tramway",
            "Les travaux du tramway gênent la gare.",
        );
        let market = kept(
            "Le marché de Noël",
            "Le marché ouvre ses chalets près de la gare.",
        );
        let unrelated = kept("Autre chose", "Rien en commun.");
        let likeness = Likeness::new(decode(&tram.words).map(rated).collect());
        let closeness = |kept: &Kept| likeness.closeness(kept.numbers.iter().copied());
        assert!(closeness(&other_tram) > closeness(&market));
        assert!(closeness(&market) > 0.0, "« gare » is shared");
        assert!(closeness(&unrelated) == 0.0);
        assert!(Likeness::new(Vec::new()).closeness(tram.numbers.into_iter()) == 0.0);
        assert!(rarity(1, 1_000) > rarity(500, 1_000));
        assert!(rarity(1_000, 1_000) > 0.0);
    }

    #[test]
    fn the_rarest_of_the_most_used_words_are_weighed() {
        let many = numbered_words(50);
        let kept = kept("", &many);
        let words: Vec<_> = decode(&kept.words).map(|w| (w, 1.0)).collect();
        assert_eq!(Likeness::new(words).weights.len(), WEIGHED);
    }
}
