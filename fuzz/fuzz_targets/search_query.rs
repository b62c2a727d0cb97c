//! What readers type into the search box, on an index built in memory.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotative_search::{SearchIndex, SearchQuery};

fuzz_target!(|input: (&str, u16)| {
    thread_local! {
        static INDEX: SearchIndex = SearchIndex::in_memory().expect("an index in memory");
    }
    let (text, offset) = input;
    let query = SearchQuery {
        text: text.to_owned(),
        offset: usize::from(offset),
        limit: 10,
        ..SearchQuery::default()
    };
    INDEX.with(|index| {
        index.search(&query).expect("a query is answered, never refused");
    });
});
