//! What readers learn of a byline beside its stories and on its page: a photo, a job title, a
//! bio, and where the person is found elsewhere.

use serde::Serialize;

use crate::{AltText, Email, Figure, Name, ParseError, web_address};

/// Where a byline is found outside the site. The website and the fediverse account are shown
/// with `rel="me"`, which lets a fediverse server verify that the page and the account belong
/// to one person.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ProfileLinks {
    pub website: Option<String>,
    pub email: Option<Email>,
    pub fediverse: Option<String>,
}

impl ProfileLinks {
    pub fn is_empty(&self) -> bool {
        self.website.is_none() && self.email.is_none() && self.fediverse.is_none()
    }

    /// The addresses that say who the person is elsewhere, for `sameAs` in JSON-LD.
    pub fn same_as(&self) -> Vec<&str> {
        [&self.website, &self.fediverse]
            .into_iter()
            .filter_map(Option::as_deref)
            .collect()
    }
}

/// A byline's profile besides its name and bio; empty for a byline nobody described yet.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Profile {
    pub job_title: Option<String>,
    /// A portrait from the media library, always described (its caption and credit unused).
    pub photo: Option<Figure>,
    pub links: ProfileLinks,
}

/// A library image chosen as a portrait, before the library confirms it holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoChoice {
    /// The image's key in the library, as the library gives it to paste (`media:KEY`).
    pub key: String,
    pub alt: AltText,
}

/// A profile as typed in the newsroom's form or sent to the API, before it is checked.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProfileForm<'a> {
    pub name: &'a str,
    pub job_title: &'a str,
    pub bio: &'a str,
    pub website: &'a str,
    pub email: &'a str,
    pub fediverse: &'a str,
    pub photo: &'a str,
    pub photo_alt: &'a str,
}

/// A profile that passed every check but the library's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileDraft {
    pub name: Name,
    pub job_title: Option<String>,
    /// Markdown, as the person wrote it.
    pub bio: Option<String>,
    pub links: ProfileLinks,
    pub photo: Option<PhotoChoice>,
}

/// What is wrong with a profile as typed, field by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProfileProblem {
    Name(ParseError),
    JobTitle(ParseError),
    BioTooLong,
    Website(ParseError),
    Email,
    /// Neither an `https` address nor an account written `@name@server`.
    Fediverse,
    /// A photo without a description, or with one too long or on several lines.
    PhotoAlt(ParseError),
}

impl ProfileDraft {
    pub const MAX_JOB_TITLE_CHARS: usize = 120;
    pub const MAX_BIO_CHARS: usize = 2000;

    pub fn parse(form: ProfileForm<'_>) -> Result<Self, Vec<ProfileProblem>> {
        let mut problems = Vec::new();
        let name = keep(
            &mut problems,
            // A byline's page is at its name's letters: a name without any has no address.
            Name::parse(form.name)
                .and_then(|name| crate::Slug::from_title(name.as_ref()).map(|_| name))
                .map_err(ProfileProblem::Name),
        );
        let job_title = keep(
            &mut problems,
            optional(form.job_title, |title| {
                crate::text::bounded_text(title, Self::MAX_JOB_TITLE_CHARS, true)
                    .map_err(ProfileProblem::JobTitle)
            }),
        );
        let bio = keep(
            &mut problems,
            optional(form.bio, |bio| {
                // A line break counts once, as the form's field counts it.
                let bio = crate::without_controls(bio).replace("\r\n", "\n");
                if bio.chars().count() > Self::MAX_BIO_CHARS {
                    Err(ProfileProblem::BioTooLong)
                } else {
                    Ok(bio)
                }
            }),
        );
        let website = keep(
            &mut problems,
            optional(form.website, |url| {
                web_address(url).map_err(ProfileProblem::Website)
            }),
        );
        let email = keep(
            &mut problems,
            optional(form.email, |email| {
                Email::parse(email).map_err(|_| ProfileProblem::Email)
            }),
        );
        let fediverse = keep(&mut problems, optional(form.fediverse, fediverse_address));
        let photo = keep(
            &mut problems,
            optional(form.photo, |photo| {
                let alt = AltText::parse(form.photo_alt).map_err(ProfileProblem::PhotoAlt)?;
                // Nothing like a key in it: the library is asked for what was pasted, and says
                // it holds no such image.
                let key = Some(library_key(photo)).filter(|key| !key.is_empty());
                Ok(PhotoChoice {
                    key: key.unwrap_or(photo).to_owned(),
                    alt,
                })
            }),
        );
        match (name, job_title, bio, website, email, fediverse, photo) {
            (
                Some(name),
                Some(job_title),
                Some(bio),
                Some(website),
                Some(email),
                Some(fediverse),
                Some(photo),
            ) if problems.is_empty() => Ok(Self {
                name,
                job_title,
                bio,
                links: ProfileLinks {
                    website,
                    email,
                    fediverse,
                },
                photo,
            }),
            _ => Err(problems),
        }
    }
}

/// The value, or nothing with its problem noted.
fn keep<T>(problems: &mut Vec<ProfileProblem>, result: Result<T, ProfileProblem>) -> Option<T> {
    result.map_err(|problem| problems.push(problem)).ok()
}

/// An empty field is no value; a filled one must pass `parse`.
fn optional<T>(
    typed: &str,
    parse: impl FnOnce(&str) -> Result<T, ProfileProblem>,
) -> Result<Option<T>, ProfileProblem> {
    let typed = typed.trim();
    if typed.is_empty() {
        Ok(None)
    } else {
        parse(typed).map(Some)
    }
}

/// A fediverse account's page: typed as its address, or as `@name@server` (how people share
/// an account), which becomes `https://server/@name`.
fn fediverse_address(typed: &str) -> Result<String, ProfileProblem> {
    if let Some((name, server)) = typed
        .strip_prefix('@')
        .and_then(|rest| rest.split_once('@'))
    {
        let name_ok = !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
        return if name_ok {
            web_address(&format!("https://{server}/@{name}")).map_err(|_| ProfileProblem::Fediverse)
        } else {
            Err(ProfileProblem::Fediverse)
        };
    }
    web_address(typed).map_err(|_| ProfileProblem::Fediverse)
}

/// The library key in what a person pastes: the key itself, `media:KEY`, or the whole Markdown
/// image the library offers to paste (`![…](media:KEY)`).
fn library_key(pasted: &str) -> &str {
    let after = pasted
        .rsplit_once("media:")
        .map_or(pasted, |(_, after)| after);
    let end = after
        .find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_')))
        .unwrap_or(after.len());
    &after[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ProfileForm<'static> {
        ProfileForm {
            name: "Claire Dubois",
            ..ProfileForm::default()
        }
    }

    #[test]
    fn a_profile_as_typed_is_folded_into_its_fields() {
        let draft = ProfileDraft::parse(ProfileForm {
            job_title: " Correspondante à Vilnius ",
            bio: "Elle couvre les *pays baltes*.\r\nAvant : Kyiv.",
            website: "https://claire.example.org/",
            email: "Claire@Example.org",
            fediverse: "@claire@piaille.fr",
            photo: "![](media:ab12cd.jpg)",
            photo_alt: "Claire Dubois, souriante, devant la mer",
            ..form()
        })
        .unwrap();
        assert_eq!(draft.job_title.as_deref(), Some("Correspondante à Vilnius"));
        assert_eq!(
            draft.bio.as_deref(),
            Some("Elle couvre les *pays baltes*.\nAvant : Kyiv.")
        );
        assert_eq!(draft.links.email.unwrap().as_ref(), "claire@example.org");
        assert_eq!(
            draft.links.fediverse.as_deref(),
            Some("https://piaille.fr/@claire")
        );
        assert_eq!(draft.photo.unwrap().key, "ab12cd.jpg");
        let bare = ProfileDraft::parse(form()).unwrap();
        assert_eq!(bare.photo, None);
        assert!(bare.links.is_empty());
    }

    #[test]
    fn a_photo_without_alt_and_bad_links_are_refused_together() {
        let problems = ProfileDraft::parse(ProfileForm {
            name: " ",
            website: "javascript:alert(1)",
            email: "claire",
            fediverse: "@claire",
            photo: "media:ab12cd.jpg",
            photo_alt: "  ",
            job_title: "Grand\nreporter",
            ..form()
        })
        .unwrap_err();
        assert_eq!(
            problems,
            vec![
                ProfileProblem::Name(ParseError::Empty),
                ProfileProblem::JobTitle(ParseError::MultiLine),
                ProfileProblem::Website(ParseError::InvalidUrl("javascript:alert(1)".into())),
                ProfileProblem::Email,
                ProfileProblem::Fediverse,
                ProfileProblem::PhotoAlt(ParseError::Empty),
            ]
        );
        // A bio as long as the field allows, its line breaks sent as CRLF, passes.
        let full = format!("{}\r\n{}", "a".repeat(999), "b".repeat(1000));
        let draft = ProfileDraft::parse(ProfileForm {
            bio: &full,
            ..form()
        })
        .unwrap();
        assert_eq!(
            draft.bio.unwrap().chars().count(),
            ProfileDraft::MAX_BIO_CHARS
        );
        // Nothing like a key: what was pasted is what the library is asked for.
        let pasted = ProfileDraft::parse(ProfileForm {
            photo: "/media/ab12-640.webp",
            photo_alt: "Un portrait",
            ..form()
        })
        .unwrap();
        assert_eq!(pasted.photo.unwrap().key, "/media/ab12-640.webp");
        let long = "a".repeat(ProfileDraft::MAX_BIO_CHARS + 1);
        assert_eq!(
            ProfileDraft::parse(ProfileForm {
                bio: &long,
                ..form()
            })
            .unwrap_err(),
            vec![ProfileProblem::BioTooLong]
        );
        let no_letter = ProfileDraft::parse(ProfileForm {
            name: "— ? —",
            ..form()
        })
        .unwrap_err();
        assert!(matches!(no_letter[..], [ProfileProblem::Name(_)]));
    }

    #[test]
    fn library_keys_are_found_in_what_people_paste() {
        for pasted in [
            "ab12.webp",
            "media:ab12.webp",
            "![Un port](media:ab12.webp \"Légende\")",
        ] {
            assert_eq!(library_key(pasted), "ab12.webp", "{pasted}");
        }
    }
}
