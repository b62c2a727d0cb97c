//! Uncached render of a long story's page: what a reader waits for when the page cache does not
//! hold it (first read, or just after an edit). The reference, measured in the same run, is the
//! template engine alone writing the same body into a one-line template: the ratio is what the
//! theme's page (header, byline, figures, related stories, JSON-LD) costs on top.
//! Run: `cargo bench -p rotative-render --bench render`.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmark fixtures fail loudly"
)]

#[path = "../tests/support/mod.rs"]
mod support;

use std::collections::HashMap;

use criterion::{Criterion, criterion_group, criterion_main};
use rotative_render::{Pages, StoredImage, Theme, render_body};

/// About 1,400 words in twelve paragraphs, a quotation and a list: a long news story.
fn long_markdown() -> String {
    let sentence = "Les délégués du conseil régional ont voté le budget du port après une \
                    nuit de discussions, sous le regard des élus de l'opposition.";
    let mut text = String::new();
    for paragraph in 0..12 {
        for _ in 0..5 {
            text.push_str(sentence);
            text.push(' ');
        }
        text.push_str("\n\n");
        if paragraph == 4 {
            text.push_str(
                "> « Nous avons fait ce que la ville attendait », a dit la présidente.\n\n",
            );
        }
        if paragraph == 8 {
            text.push_str("- Le quai nord rouvre en mars ;\n- le quai sud, en juin.\n\n");
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    let theme = Theme::embedded();
    let site = support::site();
    let nav = support::nav();
    let images: HashMap<String, StoredImage> = HashMap::new();
    let mut article = support::article();
    article.body_html = render_body(&theme, &long_markdown(), &images).unwrap();
    let related: Vec<_> = (2..6).map(support::summary).collect();
    let pages = Pages::new(&theme, &site, &nav);

    let mut engine = minijinja::Environment::new();
    engine
        .add_template("bare", "<main>{{ body|safe }}</main>")
        .unwrap();
    let bare = engine.get_template("bare").unwrap();

    let mut group = c.benchmark_group("article page");
    group.bench_function("reference: the body alone in a bare template", |b| {
        b.iter(|| {
            bare.render(minijinja::context! { body => &article.body_html })
                .unwrap()
        });
    });
    group.bench_function("rotative: the whole page", |b| {
        b.iter(|| pages.article(&article, &related, &[]).unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
