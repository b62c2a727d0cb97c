//! The theme: a folder of templates an operator may override without recompiling. Every template
//! of the default theme is compiled into the binary; a file of the same name in the operator's
//! folder takes its place.

use std::path::{Path, PathBuf};

use minijinja::{AutoEscape, Environment, Value};
use rotative_domain::french_typography;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::RenderError;

const EMBEDDED: &[(&str, &str)] = &[
    ("base.html", include_str!("../templates/base.html")),
    ("home.html", include_str!("../templates/home.html")),
    ("article.html", include_str!("../templates/article.html")),
    ("page.html", include_str!("../templates/page.html")),
    ("listing.html", include_str!("../templates/listing.html")),
    ("error.html", include_str!("../templates/error.html")),
    (
        "partials/card.html",
        include_str!("../templates/partials/card.html"),
    ),
    (
        "partials/figure.html",
        include_str!("../templates/partials/figure.html"),
    ),
    (
        "partials/picture.html",
        include_str!("../templates/partials/picture.html"),
    ),
    (
        "partials/profile.html",
        include_str!("../templates/partials/profile.html"),
    ),
    (
        "partials/embed.html",
        include_str!("../templates/partials/embed.html"),
    ),
    (
        "partials/pagination.html",
        include_str!("../templates/partials/pagination.html"),
    ),
    (
        "partials/notes.html",
        include_str!("../templates/partials/notes.html"),
    ),
    (
        "corrections.html",
        include_str!("../templates/corrections.html"),
    ),
    ("api.html", include_str!("../templates/api.html")),
    ("search.html", include_str!("../templates/search.html")),
    (
        "newsroom/base.html",
        include_str!("../templates/newsroom/base.html"),
    ),
    (
        "newsroom/front_page.html",
        include_str!("../templates/newsroom/front_page.html"),
    ),
    (
        "newsroom/sign_in.html",
        include_str!("../templates/newsroom/sign_in.html"),
    ),
    (
        "newsroom/password_link.html",
        include_str!("../templates/newsroom/password_link.html"),
    ),
    (
        "newsroom/forgotten_password.html",
        include_str!("../templates/newsroom/forgotten_password.html"),
    ),
    (
        "mail/password_reset.txt",
        include_str!("../templates/mail/password_reset.txt"),
    ),
    (
        "mail/password_reset.html",
        include_str!("../templates/mail/password_reset.html"),
    ),
    (
        "mail/notification.txt",
        include_str!("../templates/mail/notification.txt"),
    ),
    (
        "mail/notification.html",
        include_str!("../templates/mail/notification.html"),
    ),
    (
        "newsroom/notifications.html",
        include_str!("../templates/newsroom/notifications.html"),
    ),
    (
        "newsroom/notice_list.html",
        include_str!("../templates/newsroom/notice_list.html"),
    ),
    (
        "mail/invitation.txt",
        include_str!("../templates/mail/invitation.txt"),
    ),
    (
        "mail/invitation.html",
        include_str!("../templates/mail/invitation.html"),
    ),
    (
        "newsroom/second_step.html",
        include_str!("../templates/newsroom/second_step.html"),
    ),
    (
        "newsroom/recovery_codes.html",
        include_str!("../templates/newsroom/recovery_codes.html"),
    ),
    (
        "newsroom/security.html",
        include_str!("../templates/newsroom/security.html"),
    ),
    (
        "newsroom/password.html",
        include_str!("../templates/newsroom/password.html"),
    ),
    (
        "newsroom/dashboard.html",
        include_str!("../templates/newsroom/dashboard.html"),
    ),
    (
        "newsroom/editor.html",
        include_str!("../templates/newsroom/editor.html"),
    ),
    (
        "newsroom/history.html",
        include_str!("../templates/newsroom/history.html"),
    ),
    (
        "newsroom/audit.html",
        include_str!("../templates/newsroom/audit.html"),
    ),
    (
        "newsroom/accounts.html",
        include_str!("../templates/newsroom/accounts.html"),
    ),
    (
        "newsroom/settings.html",
        include_str!("../templates/newsroom/settings.html"),
    ),
    (
        "newsroom/redirects.html",
        include_str!("../templates/newsroom/redirects.html"),
    ),
    (
        "newsroom/pages.html",
        include_str!("../templates/newsroom/pages.html"),
    ),
    (
        "newsroom/sections.html",
        include_str!("../templates/newsroom/sections.html"),
    ),
    (
        "newsroom/section.html",
        include_str!("../templates/newsroom/section.html"),
    ),
    (
        "newsroom/bylines.html",
        include_str!("../templates/newsroom/bylines.html"),
    ),
    (
        "newsroom/byline.html",
        include_str!("../templates/newsroom/byline.html"),
    ),
    (
        "newsroom/byline_fields.html",
        include_str!("../templates/newsroom/byline_fields.html"),
    ),
    (
        "newsroom/section_fields.html",
        include_str!("../templates/newsroom/section_fields.html"),
    ),
    (
        "newsroom/tokens.html",
        include_str!("../templates/newsroom/tokens.html"),
    ),
    (
        "newsroom/webhooks.html",
        include_str!("../templates/newsroom/webhooks.html"),
    ),
    (
        "newsroom/webhook.html",
        include_str!("../templates/newsroom/webhook.html"),
    ),
    (
        "newsroom/preview.html",
        include_str!("../templates/newsroom/preview.html"),
    ),
    (
        "newsroom/library.html",
        include_str!("../templates/newsroom/library.html"),
    ),
    (
        "newsroom/media.html",
        include_str!("../templates/newsroom/media.html"),
    ),
    (
        "newsroom/upload_form.html",
        include_str!("../templates/newsroom/upload_form.html"),
    ),
];

const STYLESHEET: &str = include_str!("../templates/style.css");
/// The story editor, bundled from `editor/` by build.rs.
const EDITOR_SCRIPT: &str = include_str!(concat!(env!("OUT_DIR"), "/editor.js"));
const EMBEDS_SCRIPT: &str = include_str!("../templates/embeds.js");
const FRONT_PAGE_SCRIPT: &str = include_str!("../templates/newsroom/front-page.js");

/// A file the theme serves besides pages, and the URL it is served at; the URL carries a hash of
/// the content so browsers and CDNs may keep it forever.
#[derive(Debug, Clone)]
pub struct Asset {
    pub body: String,
    pub url: String,
    pub content_type: &'static str,
}

impl Asset {
    fn new(body: String, stem: &str, extension: &str, content_type: &'static str) -> Self {
        // SHA-256 rather than std's hasher, whose output may change between Rust releases: an
        // asset's address must stay the same for the same bytes, on every build and instance.
        let digest = Sha256::digest(body.as_bytes());
        let url = format!("/theme/{stem}.{}.{extension}", hex::encode(&digest[..8]));
        Self {
            body,
            url,
            content_type,
        }
    }

    fn stylesheet(css: String) -> Self {
        Self::new(css, "style", "css", "text/css; charset=utf-8")
    }

    fn script(source: &str, stem: &str) -> Self {
        Self::new(
            source.to_owned(),
            stem,
            "js",
            "text/javascript; charset=utf-8",
        )
    }
}

/// A letter's words: its subject, its plain text and its HTML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterText {
    pub subject: String,
    pub text: String,
    pub html: String,
}

#[derive(Debug)]
pub struct Theme {
    env: Environment<'static>,
    stylesheet: Asset,
    /// The newsroom editor's script.
    editor_script: Asset,
    /// Click-to-load for embeds, the one script a reader's page may load, and only when a story
    /// has an embed.
    embeds_script: Asset,
    /// Drag and drop on the newsroom's front page screen, over its plain form.
    front_page_script: Asset,
}

fn embedded_template(name: &str) -> Option<&'static str> {
    EMBEDDED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, source)| *source)
}

/// Text put into HTML outside the templates (the WordPress API's `rendered` fields, the API
/// reference), escaped as the templates escape it.
#[must_use]
pub fn escaped(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    escape_html(text, &mut out);
    out
}

/// HTML-escapes the five characters that matter. Unlike the engine's default it leaves `/` alone,
/// so URLs stay readable in the page source and in what crawlers see.
fn escape_html(text: &str, out: &mut String) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn environment(folder: Option<PathBuf>) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_formatter(|out, state, value: &Value| match value.as_str() {
        Some(text) if state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            let mut escaped = String::with_capacity(text.len() + 16);
            escape_html(text, &mut escaped);
            out.write_str(&escaped).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    });
    env.set_trim_blocks(true);
    env.set_lstrip_blocks(true);
    env.add_filter("typo", |text: &str| french_typography(text));
    let from_folder = folder.map(minijinja::path_loader);
    env.set_loader(move |name| {
        if let Some(load) = &from_folder
            && let Some(source) = load(name)?
        {
            return Ok(Some(source));
        }
        Ok(embedded_template(name).map(str::to_owned))
    });
    env
}

impl Theme {
    /// The default theme, as compiled into the binary.
    pub fn embedded() -> Self {
        Self::assemble(None, STYLESHEET.to_owned())
    }

    fn assemble(folder: Option<PathBuf>, css: String) -> Self {
        Self {
            env: environment(folder),
            stylesheet: Asset::stylesheet(css),
            editor_script: Asset::script(EDITOR_SCRIPT, "editor"),
            embeds_script: Asset::script(EMBEDS_SCRIPT, "embeds"),
            front_page_script: Asset::script(FRONT_PAGE_SCRIPT, "front-page"),
        }
    }

    /// The default theme with the operator's templates (and `style.css`) from `folder` in front.
    /// Every template is compiled now, so a broken override stops start-up, not a reader's page.
    pub fn with_overrides(folder: &Path) -> Result<Self, RenderError> {
        let unreadable = |source| RenderError::ThemeFolder {
            path: folder.display().to_string(),
            source,
        };
        std::fs::metadata(folder).map_err(unreadable)?;
        let css = match std::fs::read_to_string(folder.join("style.css")) {
            Ok(css) => css,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => STYLESHEET.to_owned(),
            Err(e) => return Err(unreadable(e)),
        };
        let theme = Self::assemble(Some(folder.to_owned()), css);
        for (name, _) in EMBEDDED {
            theme.env.get_template(name)?;
        }
        Ok(theme)
    }

    pub fn render<S: Serialize>(&self, name: &str, context: &S) -> Result<String, RenderError> {
        Ok(self.env.get_template(name)?.render(context)?)
    }

    /// A letter as the theme words it: the first line of `mail/{name}.txt` is its subject,
    /// the rest its plain text; `mail/{name}.html` is its HTML part.
    pub fn render_letter<S: Serialize>(
        &self,
        name: &str,
        context: &S,
    ) -> Result<LetterText, RenderError> {
        let text = self.render(&format!("mail/{name}.txt"), context)?;
        let (subject, text) = text.split_once('\n').unwrap_or((text.as_str(), ""));
        Ok(LetterText {
            subject: subject.trim().to_owned(),
            text: text.trim_start().to_owned(),
            html: self.render(&format!("mail/{name}.html"), context)?,
        })
    }

    pub fn stylesheet(&self) -> &Asset {
        &self.stylesheet
    }

    pub fn editor_script(&self) -> &Asset {
        &self.editor_script
    }

    pub fn embeds_script(&self) -> &Asset {
        &self.embeds_script
    }

    pub fn front_page_script(&self) -> &Asset {
        &self.front_page_script
    }

    /// The asset served at `url`, if any.
    pub fn asset(&self, url: &str) -> Option<&Asset> {
        [
            &self.stylesheet,
            &self.editor_script,
            &self.embeds_script,
            &self.front_page_script,
        ]
        .into_iter()
        .find(|asset| asset.url == url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_served_at_its_address() {
        let theme = Theme::embedded();
        for asset in [
            theme.stylesheet(),
            theme.editor_script(),
            theme.embeds_script(),
        ] {
            assert_eq!(
                theme.asset(&asset.url).map(|a| a.url.as_str()),
                Some(asset.url.as_str())
            );
        }
    }

    #[test]
    fn an_assets_address_depends_on_its_bytes_alone() {
        // The first 16 hex digits of SHA-256 over the bytes, whichever build serves them.
        let asset = Asset::stylesheet("p { color: black }".into());
        assert_eq!(asset.url, "/theme/style.02c7567ee546840e.css");
    }

    #[test]
    fn every_embedded_template_compiles() {
        let theme = Theme::embedded();
        for (name, _) in EMBEDDED {
            if let Err(error) = theme.env.get_template(name) {
                panic!("{name}: {error:#}");
            }
        }
    }

    #[test]
    fn operator_templates_take_precedence() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("theme");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::create_dir_all(dir.join("partials")).unwrap();
        std::fs::write(
            dir.join("partials/figure.html"),
            "<figure>{{ alt }}</figure>",
        )
        .unwrap();
        std::fs::write(dir.join("style.css"), "body{color:red}").unwrap();
        let theme = Theme::with_overrides(&dir).unwrap();
        let out = theme
            .render(
                "partials/figure.html",
                &minijinja::context! { alt => "<x>" },
            )
            .unwrap();
        assert_eq!(
            out, "<figure>&lt;x&gt;</figure>",
            "overridden and still escaped"
        );
        assert_eq!(theme.stylesheet().body, "body{color:red}");
        assert_ne!(theme.stylesheet().url, Theme::embedded().stylesheet().url);
        std::fs::write(dir.join("error.html"), "{% if %}").unwrap();
        assert!(
            Theme::with_overrides(&dir).is_err(),
            "a broken override fails at start"
        );
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(
            Theme::with_overrides(&dir).is_err(),
            "a missing folder fails at start"
        );
    }
}
