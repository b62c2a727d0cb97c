//! Rotative's mail: a [`Letter`] composed as a message with a plain-text part and an HTML part,
//! and the [`Postman`] that hands it over, to an SMTP server or, on a machine without one, as
//! `.eml` files in a folder (which any mail program opens; their links are logged).

use std::{path::PathBuf, sync::Arc, time::Duration};

use lettre::{
    AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor,
    message::{
        Mailbox, MultiPart,
        dkim::{
            DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
            DkimSigningKey, dkim_sign,
        },
        header::HeaderName,
    },
};

/// What is sent to one person: French text in both parts, the HTML one accessible on its own.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Letter {
    pub to_name: String,
    pub to_address: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why the mail settings cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("the sender address `{0}` is not an email address")]
    Sender(String),
    #[error("the SMTP address is not one (smtp://host:port, smtps://…): {0}")]
    Smtp(String),
    #[error("a password is only sent over TLS: leave `tls=` out, or write `tls=required`")]
    PasswordInClear,
    #[error("the DKIM key is not an RSA private key in PEM (PKCS #1): {0}")]
    DkimKey(String),
}

/// Why a letter was not handed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Failure {
    /// Worth trying again later: the server is unreachable, busy or refused for now.
    #[error("temporary failure: {0}")]
    Temporary(String),
    /// Trying again would fail the same way: no such address, a message refused.
    #[error("permanent failure: {0}")]
    Permanent(String),
}

/// Where letters go.
#[derive(Debug, Clone)]
enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(PathBuf),
}

/// Signs letters with DKIM (RFC 6376) for the sender's domain.
#[derive(Clone)]
struct Signer(Arc<DkimConfig>);

impl std::fmt::Debug for Signer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Signer")
    }
}

/// Hands letters over, from the site's address.
#[derive(Debug, Clone)]
pub struct Postman {
    transport: Transport,
    from: Mailbox,
    signer: Option<Signer>,
}

/// How long an SMTP exchange may take before the attempt counts as failed (and is retried).
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl Postman {
    /// Sends through the SMTP server at `url`: `smtp://host:port` as it is, `smtp://user:pass@host:587`
    /// only over STARTTLS (a password never crosses in clear), `smtps://host:465` over TLS from
    /// the start; `?tls=required` or `?tls=opportunistic` chooses for a plain `smtp://` without
    /// a password.
    pub fn smtp(url: &str, from: &str, site_name: &str) -> Result<Self, MailError> {
        let mut parsed = url::Url::parse(url).map_err(|e| MailError::Smtp(e.to_string()))?;
        let tls = parsed
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        if parsed.scheme() == "smtp" && parsed.password().is_some() {
            match tls.as_deref() {
                None => {
                    parsed.query_pairs_mut().append_pair("tls", "required");
                }
                Some("required") => {}
                // Opportunistic TLS would send the password in clear to a server (or someone
                // in between) that offers no STARTTLS.
                Some(_) => return Err(MailError::PasswordInClear),
            }
        }
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(parsed.as_str())
            .map_err(|e| MailError::Smtp(e.to_string()))?
            .timeout(Some(SMTP_TIMEOUT))
            .build();
        Ok(Self {
            transport: Transport::Smtp(transport),
            from: sender(from, site_name)?,
            signer: None,
        })
    }

    /// Writes each letter as an `.eml` file in `folder` instead of sending it.
    pub fn files(folder: PathBuf, from: &str, site_name: &str) -> Result<Self, MailError> {
        Ok(Self {
            transport: Transport::Files(folder),
            from: sender(from, site_name)?,
            signer: None,
        })
    }

    /// Signs every letter with DKIM: the RSA key `private_key_pem` (PKCS #1), published in DNS
    /// as `selector._domainkey.` and the sender's domain.
    pub fn signing_with(
        mut self,
        private_key_pem: &str,
        selector: &str,
    ) -> Result<Self, MailError> {
        let key = DkimSigningKey::new(private_key_pem, DkimSigningAlgorithm::Rsa)
            .map_err(|e| MailError::DkimKey(e.to_string()))?;
        let domain = self.from.email.domain().to_owned();
        // Relaxed for both: servers on the way may refold long (encoded French) headers.
        let canonicalization = DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        };
        let headers = ["From", "To", "Subject", "Date", "Message-ID"]
            .into_iter()
            .map(HeaderName::new_from_ascii_str)
            .collect();
        let config = DkimConfig::new(selector.to_owned(), domain, key, headers, canonicalization);
        self.signer = Some(Signer(Arc::new(config)));
        Ok(self)
    }

    /// The address letters come from when none is set: `redaction@` and the site's domain, or
    /// `redaction@localhost` for a site known by a bare address.
    #[must_use]
    pub fn default_sender(base_url: &str) -> String {
        let domain = url::Url::parse(base_url)
            .ok()
            .and_then(|url| url.domain().map(str::to_owned))
            .unwrap_or_else(|| "localhost".to_owned());
        format!("redaction@{domain}")
    }

    /// Whether letters are written as files (their links are then logged for whoever runs the
    /// site, who has no other way to follow them).
    #[must_use]
    pub fn writes_files(&self) -> bool {
        matches!(self.transport, Transport::Files(_))
    }

    /// Where the letters go, for the logs: the SMTP server, or the folder.
    pub fn destination(&self) -> String {
        match &self.transport {
            Transport::Smtp(_) => "SMTP".into(),
            Transport::Files(folder) => folder.display().to_string(),
        }
    }

    /// Hands a letter over. `key` names it for good: a letter handed over twice (after a crash
    /// between sending and recording it) keeps its `Message-ID`, so mail programs show it once.
    pub async fn send(&self, letter: &Letter, key: &str) -> Result<(), Failure> {
        let mut message = compose(&self.from, letter, key)?;
        if let Some(Signer(config)) = &self.signer {
            dkim_sign(&mut message, config);
        }
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(drop).map_err(|error| {
                if error.is_permanent() {
                    Failure::Permanent(error.to_string())
                } else {
                    Failure::Temporary(error.to_string())
                }
            }),
            Transport::Files(folder) => write_file(folder, key, &message.formatted()).await,
        }
    }
}

/// The site's address, with its name as the sender's name.
fn sender(from: &str, site_name: &str) -> Result<Mailbox, MailError> {
    let address = from
        .parse()
        .map_err(|_| MailError::Sender(from.to_owned()))?;
    Ok(Mailbox::new(Some(site_name.to_owned()), address))
}

/// The message for a letter: `Date` now, a `Message-ID` made from `key`, a text part and an
/// HTML part as alternatives; names and subject encoded as headers require, so nothing in them
/// can start a header of its own.
fn compose(from: &Mailbox, letter: &Letter, key: &str) -> Result<Message, Failure> {
    let address = letter
        .to_address
        .parse()
        .map_err(|_| Failure::Permanent(format!("not an address: {}", letter.to_address)))?;
    let domain = from.email.domain();
    Message::builder()
        .from(from.clone())
        .to(Mailbox::new(Some(one_line(&letter.to_name)), address))
        .subject(one_line(&letter.subject))
        .date_now()
        .message_id(Some(format!("<{key}@{domain}>")))
        .multipart(MultiPart::alternative_plain_html(
            letter.text.clone(),
            letter.html.clone(),
        ))
        .map_err(|e| Failure::Permanent(e.to_string()))
}

/// A header's text on one line: line breaks become spaces.
fn one_line(text: &str) -> String {
    text.split(['\r', '\n']).collect::<Vec<_>>().join(" ")
}

/// Writes the message to `folder/key.eml`, whole or not at all.
async fn write_file(folder: &std::path::Path, key: &str, message: &[u8]) -> Result<(), Failure> {
    let name: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let temporary = |e: std::io::Error| Failure::Temporary(e.to_string());
    tokio::fs::create_dir_all(folder).await.map_err(temporary)?;
    // Letters carry links that open accounts: the folder is its owner's alone.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tokio::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o700))
            .await
            .map_err(temporary)?;
    }
    let part = folder.join(format!(".{name}.eml.part"));
    tokio::fs::write(&part, message).await.map_err(temporary)?;
    let path = folder.join(format!("{name}.eml"));
    tokio::fs::rename(&part, &path).await.map_err(temporary)?;
    tracing::info!(path = %path.display(), "mail written as a file");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter() -> Letter {
        Letter {
            to_name: "Élise Durand\r\nBcc: victime@example.org".into(),
            to_address: "elise@example.org".into(),
            subject: "Votre invitation à « La Gazette »\nX-Injected: oui".into(),
            text: "Bonjour,\n\nLe lien : https://exemple.fr/redaction/invitation/abc\n".into(),
            html: "<p>Bonjour,</p><p><a href=\"https://exemple.fr/\">Le lien</a></p>".into(),
        }
    }

    #[test]
    fn a_letter_has_both_parts_encoded_headers_and_no_header_of_its_own() {
        let from = sender("redaction@exemple.fr", "La Gazette").unwrap();
        let message = compose(&from, &letter(), "rotative.outbox-7").unwrap();
        let raw = String::from_utf8(message.formatted()).unwrap();
        let headers = raw.split("\r\n\r\n").next().unwrap();
        assert!(raw.is_ascii(), "French text is encoded: {raw}");
        assert!(headers.contains("Message-ID: <rotative.outbox-7@exemple.fr>"));
        assert!(headers.contains("Date: "));
        assert!(raw.contains("multipart/alternative"));
        assert!(raw.contains("text/plain") && raw.contains("text/html"));
        for line in headers.lines() {
            assert!(
                !line.starts_with("Bcc:") && !line.starts_with("X-Injected:"),
                "{headers}"
            );
        }
        assert_eq!(message.envelope().to().len(), 1);
    }

    #[test]
    fn the_default_sender_is_at_the_sites_domain() {
        assert_eq!(
            Postman::default_sender("https://www.gazette.fr"),
            "redaction@www.gazette.fr"
        );
        assert_eq!(
            Postman::default_sender("http://127.0.0.1:8080"),
            "redaction@localhost"
        );
    }

    #[test]
    fn smtp_addresses_are_read_and_a_password_needs_tls() {
        assert!(Postman::smtp("smtp://127.0.0.1:2525", "a@exemple.fr", "Site").is_ok());
        assert!(Postman::smtp("smtps://mail.exemple.fr", "a@exemple.fr", "Site").is_ok());
        assert!(
            Postman::smtp(
                "smtp://moi:secret@mail.exemple.fr:587",
                "a@exemple.fr",
                "Site"
            )
            .is_ok()
        );
        assert!(matches!(
            Postman::smtp("http://exemple.fr", "a@exemple.fr", "Site"),
            Err(MailError::Smtp(_))
        ));
        assert!(matches!(
            Postman::smtp(
                "smtp://moi:secret@mail.exemple.fr:587?tls=opportunistic",
                "a@exemple.fr",
                "Site"
            ),
            Err(MailError::PasswordInClear)
        ));
        assert!(matches!(
            Postman::smtp("smtp://127.0.0.1", "pas une adresse", "Site"),
            Err(MailError::Sender(_))
        ));
    }

    #[test]
    fn a_dkim_key_that_is_not_one_is_refused() {
        let postman =
            Postman::files(PathBuf::from("boite"), "redaction@gazette.example", "Site").unwrap();
        assert!(matches!(
            postman.signing_with("pas une clef", "rotative"),
            Err(MailError::DkimKey(_))
        ));
    }

    #[tokio::test]
    async fn without_a_server_letters_are_written_as_files() {
        let folder = tempfile::tempdir().unwrap();
        let postman = Postman::files(folder.path().join("outbox"), "a@exemple.fr", "Site").unwrap();
        postman.send(&letter(), "rotative.outbox-1").await.unwrap();
        let written =
            std::fs::read_to_string(folder.path().join("outbox/rotative_outbox-1.eml")).unwrap();
        assert!(written.contains("Message-ID: <rotative.outbox-1@exemple.fr>"));
        let unknown = Letter {
            to_address: "personne".into(),
            ..letter()
        };
        assert!(matches!(
            postman.send(&unknown, "x").await,
            Err(Failure::Permanent(_))
        ));
    }
}
