//! What editors and API clients type into the newsroom's smaller forms: a byline's profile (and
//! its Markdown bio as readers get it), a redirect, a section, a story's words for search
//! engines and shared links. Fields are separated by U+001F in the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rotative_domain::{
    ProfileDraft, ProfileForm, RedirectDraft, SearchAndSocial, SectionDraft, allowed_hosts,
    requested_forms,
};

fuzz_target!(|text: &str| {
    let mut fields = text.split('\u{1f}');
    let mut next = || fields.next().unwrap_or_default();
    let form = ProfileForm {
        name: next(),
        job_title: next(),
        bio: next(),
        website: next(),
        email: next(),
        fediverse: next(),
        photo: next(),
        photo_alt: next(),
    };
    let _ = ProfileDraft::parse(form);
    let html = rotative_render::bio_html(form.bio);
    assert!(!html.contains("<script"), "a bio never carries a script");
    let _ = rotative_render::bio_text(form.bio);

    let (old, target, hosts) = (next(), next(), next());
    let _ = RedirectDraft::parse(old, target, "https://journal.example", &allowed_hosts(hosts));
    let _ = requested_forms(old);

    let _ = SectionDraft::parse(next(), next(), next(), true);
    let _ = SearchAndSocial::parse(next(), next(), next());
});
