//! WordPress exports (WXR 1.0 to 1.2), read as a stream: one author, term or item at a time, so a
//! site of any size is imported in constant memory.
//!
//! Only what WordPress writes is accepted: no document type (so no entity is ever defined, let
//! alone expanded: no billion laughs, no external file read), only XML's predefined entities and
//! character references, UTF-8 only. Elements are matched by namespace, not by prefix, so an
//! export whose prefixes differ still reads, and a look-alike namespace is ignored.

use std::io::{BufRead, Read};

use quick_xml::{
    NsReader,
    events::{BytesStart, Event},
    name::ResolveResult,
};
use thiserror::Error;

/// What went wrong, and where: a byte offset, turned into a line and column by [`locate`].
#[derive(Debug, Error, PartialEq, Eq)]
#[error("{problem} (byte {offset})")]
pub struct WxrError {
    pub problem: WxrProblem,
    pub offset: u64,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum WxrProblem {
    #[error("not well-formed XML: {0}")]
    Syntax(String),
    #[error("the file declares a document type; WordPress exports never do, and none is read")]
    DocumentType,
    #[error("the entity `&{0};` is not defined (only XML's own and character references are)")]
    UnknownEntity(String),
    #[error("the file is not UTF-8{0}; WordPress exports are, convert it first")]
    NotUtf8(String),
    #[error("not a WordPress export: {0}")]
    NotWxr(String),
    #[error("the file ends before the export does")]
    Truncated,
}

/// The site an export comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Channel {
    pub title: String,
    pub link: String,
    pub base_site_url: String,
    pub base_blog_url: String,
    pub version: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WpAuthor {
    pub login: String,
    pub email: String,
    pub display_name: String,
    pub first_name: String,
    pub last_name: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taxonomy {
    Category,
    Tag,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WpTerm {
    pub taxonomy: Taxonomy,
    pub slug: String,
    pub name: String,
    pub parent: String,
    pub description: String,
}

/// A term as an item lists it: `<category domain="post_tag" nicename="slug">Name</category>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemTerm {
    pub taxonomy: Taxonomy,
    pub slug: String,
    pub name: String,
}

/// A post, page, attachment or any other item, as exported.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WpItem {
    pub id: u64,
    pub title: String,
    pub link: String,
    pub guid: String,
    pub creator: String,
    pub content: String,
    pub excerpt: String,
    pub post_type: String,
    pub status: String,
    pub slug: String,
    /// `YYYY-MM-DD HH:MM:SS` in the site's zone, and in UTC when the export has it.
    pub date: String,
    pub date_gmt: String,
    pub modified: String,
    pub modified_gmt: String,
    pub parent: u64,
    pub sticky: bool,
    pub attachment_url: String,
    pub terms: Vec<ItemTerm>,
    pub meta: Vec<(String, String)>,
    pub comments: usize,
}

impl WpItem {
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.meta
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }
}

/// One thing an export holds, in the order it holds them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Author(WpAuthor),
    Term(WpTerm),
    Item(Box<WpItem>),
}

/// Which vocabulary an element belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// RSS's own elements (no namespace).
    Rss,
    Wp,
    Content,
    Excerpt,
    Dc,
    Other,
}

fn namespace(resolved: &ResolveResult<'_>) -> Ns {
    let ResolveResult::Bound(ns) = resolved else {
        return if matches!(resolved, ResolveResult::Unbound) {
            Ns::Rss
        } else {
            Ns::Other
        };
    };
    let uri = String::from_utf8_lossy(ns.as_ref());
    let wordpress = uri
        .strip_prefix("http://wordpress.org/export/")
        .or_else(|| uri.strip_prefix("https://wordpress.org/export/"));
    match wordpress {
        Some(rest) if rest.ends_with("/excerpt/") => Ns::Excerpt,
        Some(rest) if ["1.0/", "1.1/", "1.2/"].contains(&rest) => Ns::Wp,
        Some(_) => Ns::Other,
        None => match uri.as_ref() {
            "http://purl.org/rss/1.0/modules/content/" => Ns::Content,
            "http://purl.org/dc/elements/1.1/" => Ns::Dc,
            _ => Ns::Other,
        },
    }
}

/// What is being read at the moment.
enum Building {
    Nothing,
    Author(WpAuthor),
    Term(WpTerm),
    Item(Box<WpItem>),
}

/// Reads an export entry by entry. The channel's description is known once the first entry is
/// returned (WordPress writes it first).
pub struct WxrReader<R: BufRead> {
    reader: NsReader<R>,
    buf: Vec<u8>,
    /// The open elements, innermost last.
    open: Vec<(Ns, String)>,
    text: String,
    building: Building,
    /// Inside an item: the term element being read, and the meta key/value being read.
    item_term: Option<ItemTerm>,
    meta: (String, String),
    channel: Channel,
    seen_rss: bool,
    finished: bool,
}

impl<R: BufRead> WxrReader<R> {
    pub fn new(source: R) -> Self {
        let mut reader = NsReader::from_reader(source);
        let config = reader.config_mut();
        config.check_end_names = true;
        config.trim_text(false);
        Self {
            reader,
            buf: Vec::with_capacity(8 * 1024),
            open: Vec::new(),
            text: String::new(),
            building: Building::Nothing,
            item_term: None,
            meta: (String::new(), String::new()),
            channel: Channel::default(),
            seen_rss: false,
            finished: false,
        }
    }

    pub fn channel(&self) -> &Channel {
        &self.channel
    }

    /// A problem found in what was just read: it ends at the reader's position.
    fn fail(&self, problem: WxrProblem) -> WxrError {
        WxrError {
            problem,
            offset: self.reader.buffer_position(),
        }
    }

    /// The next author, term or item, or `None` at the end of a complete export.
    pub fn next_entry(&mut self) -> Result<Option<Entry>, WxrError> {
        if self.finished {
            return Ok(None);
        }
        loop {
            self.buf.clear();
            let (resolved, event) = match self.reader.read_resolved_event_into(&mut self.buf) {
                Ok((resolved, event)) => (namespace(&resolved), event.into_owned()),
                Err(error) => {
                    let problem = match error {
                        quick_xml::Error::Encoding(e) => WxrProblem::NotUtf8(format!(" ({e})")),
                        other => WxrProblem::Syntax(other.to_string()),
                    };
                    // The parser knows where the faulty markup starts.
                    return Err(WxrError {
                        problem,
                        offset: self.reader.error_position(),
                    });
                }
            };
            match event {
                Event::Decl(decl) => self.check_declaration(&decl)?,
                Event::DocType(_) => return Err(self.fail(WxrProblem::DocumentType)),
                Event::Start(start) => self.start(resolved, &start)?,
                Event::Empty(start) => {
                    self.start(resolved, &start)?;
                    if let Some(entry) = self.end()? {
                        return Ok(Some(entry));
                    }
                }
                Event::End(_) => {
                    if let Some(entry) = self.end()? {
                        return Ok(Some(entry));
                    }
                }
                Event::Text(text) => {
                    let text = text
                        .xml_content()
                        .map_err(|e| self.fail(WxrProblem::NotUtf8(format!(" ({e})"))))?;
                    if text.contains("]]>") {
                        return Err(
                            self.fail(WxrProblem::Syntax("`]]>` outside a CDATA section".into()))
                        );
                    }
                    self.text.push_str(&text);
                }
                Event::CData(data) => {
                    let data = data
                        .xml_content()
                        .map_err(|e| self.fail(WxrProblem::NotUtf8(format!(" ({e})"))))?;
                    self.text.push_str(&data);
                }
                Event::GeneralRef(reference) => {
                    let resolved = match reference.resolve_char_ref() {
                        Ok(Some(c)) => Some(c),
                        Ok(None) => predefined_entity(&reference),
                        Err(e) => return Err(self.fail(WxrProblem::Syntax(e.to_string()))),
                    };
                    let Some(c) = resolved else {
                        let name = String::from_utf8_lossy(&reference).into_owned();
                        return Err(self.fail(WxrProblem::UnknownEntity(name)));
                    };
                    self.text.push(c);
                }
                Event::Eof => {
                    let at_end = |problem| WxrError {
                        problem,
                        offset: self.reader.buffer_position(),
                    };
                    if !self.seen_rss {
                        return Err(at_end(WxrProblem::NotWxr("no <rss> element".into())));
                    }
                    if !self.open.is_empty() {
                        return Err(at_end(WxrProblem::Truncated));
                    }
                    self.finished = true;
                    return Ok(None);
                }
                Event::Comment(_) | Event::PI(_) => {}
            }
        }
    }

    fn check_declaration(
        &self,
        declaration: &quick_xml::events::BytesDecl<'_>,
    ) -> Result<(), WxrError> {
        if let Some(Ok(encoding)) = declaration.encoding() {
            let encoding = String::from_utf8_lossy(&encoding).to_ascii_lowercase();
            if encoding != "utf-8" && encoding != "utf8" {
                return Err(self.fail(WxrProblem::NotUtf8(format!(" (it declares {encoding})"))));
            }
        }
        Ok(())
    }

    fn attribute(&self, start: &BytesStart<'_>, name: &[u8]) -> Result<String, WxrError> {
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| self.fail(WxrProblem::Syntax(e.to_string())))?;
            if attribute.key.local_name().as_ref() == name {
                return attribute
                    .unescape_value()
                    .map(std::borrow::Cow::into_owned)
                    .map_err(|e| self.fail(WxrProblem::Syntax(e.to_string())));
            }
        }
        Ok(String::new())
    }

    fn start(&mut self, ns: Ns, start: &BytesStart<'_>) -> Result<(), WxrError> {
        let local = String::from_utf8_lossy(start.local_name().as_ref()).into_owned();
        let depth = self.open.len();
        if depth == 0 {
            if ns != Ns::Rss || local != "rss" {
                return Err(self.fail(WxrProblem::NotWxr(format!(
                    "the document is <{local}>, not <rss>"
                ))));
            }
            self.seen_rss = true;
        }
        let in_channel = depth == 2;
        let opens_entry = matches!(
            (ns, local.as_str()),
            (Ns::Rss, "item") | (Ns::Wp, "author" | "category" | "tag" | "term")
        );
        if in_channel && opens_entry {
            match self.channel.version.as_str() {
                "1.0" | "1.1" | "1.2" => {}
                "" => {
                    return Err(self.fail(WxrProblem::NotWxr(
                        "no <wp:wxr_version> before the content".into(),
                    )));
                }
                other => {
                    return Err(self.fail(WxrProblem::NotWxr(format!(
                        "WXR version `{other}` is not one of 1.0, 1.1, 1.2"
                    ))));
                }
            }
            self.building = match local.as_str() {
                "item" => Building::Item(Box::default()),
                "author" => Building::Author(WpAuthor::default()),
                other => Building::Term(WpTerm {
                    taxonomy: match other {
                        "category" => Taxonomy::Category,
                        "tag" => Taxonomy::Tag,
                        _ => Taxonomy::Other,
                    },
                    slug: String::new(),
                    name: String::new(),
                    parent: String::new(),
                    description: String::new(),
                }),
            };
        }
        let in_item = matches!(self.building, Building::Item(_)) && depth == 3;
        if in_item && ns == Ns::Rss && local == "category" {
            let domain = self.attribute(start, b"domain")?;
            let slug = self.attribute(start, b"nicename")?;
            self.item_term = Some(ItemTerm {
                taxonomy: match domain.as_str() {
                    "category" | "" => Taxonomy::Category,
                    "post_tag" => Taxonomy::Tag,
                    _ => Taxonomy::Other,
                },
                slug,
                name: String::new(),
            });
        }
        if let (true, Ns::Wp, "comment", Building::Item(item)) =
            (in_item, ns, local.as_str(), &mut self.building)
        {
            item.comments += 1;
        }
        self.open.push((ns, local));
        self.text.clear();
        Ok(())
    }

    /// Closes the innermost element; returns an entry when that element was one.
    fn end(&mut self) -> Result<Option<Entry>, WxrError> {
        let Some((ns, local)) = self.open.pop() else {
            return Err(self.fail(WxrProblem::Syntax(
                "a closing tag without its opening".into(),
            )));
        };
        let text = std::mem::take(&mut self.text);
        let depth = self.open.len();
        if depth == 2 {
            self.channel_field(ns, &local, text.trim());
            return Ok(self.finish_entry());
        }
        match &mut self.building {
            Building::Item(_) => self.item_field(ns, &local, depth, text),
            Building::Author(author) => author_field(author, ns, &local, &text),
            Building::Term(term) => term_field(term, ns, &local, &text),
            Building::Nothing => {}
        }
        Ok(None)
    }

    fn finish_entry(&mut self) -> Option<Entry> {
        match std::mem::replace(&mut self.building, Building::Nothing) {
            Building::Nothing => None,
            Building::Author(author) => Some(Entry::Author(author)),
            Building::Term(term) => Some(Entry::Term(term)),
            Building::Item(item) => Some(Entry::Item(item)),
        }
    }

    fn channel_field(&mut self, ns: Ns, local: &str, text: &str) {
        if !matches!(self.building, Building::Nothing) {
            return;
        }
        let field = match (ns, local) {
            (Ns::Rss, "title") => &mut self.channel.title,
            (Ns::Rss, "link") => &mut self.channel.link,
            (Ns::Wp, "base_site_url") => &mut self.channel.base_site_url,
            (Ns::Wp, "base_blog_url") => &mut self.channel.base_blog_url,
            (Ns::Wp, "wxr_version") => &mut self.channel.version,
            _ => return,
        };
        text.clone_into(field);
    }

    fn item_field(&mut self, ns: Ns, local: &str, depth: usize, text: String) {
        let Building::Item(item) = &mut self.building else {
            return;
        };
        if depth == 4 && ns == Ns::Wp {
            match local {
                "meta_key" => self.meta.0 = text.trim().to_owned(),
                "meta_value" => self.meta.1 = text,
                _ => {}
            }
            return;
        }
        if depth != 3 {
            return;
        }
        let trimmed = text.trim();
        let field = match (ns, local) {
            (Ns::Rss, "title") => &mut item.title,
            (Ns::Rss, "link") => &mut item.link,
            (Ns::Rss, "guid") => &mut item.guid,
            (Ns::Dc, "creator") => &mut item.creator,
            (Ns::Wp, "post_type") => &mut item.post_type,
            (Ns::Wp, "status") => &mut item.status,
            (Ns::Wp, "post_name") => &mut item.slug,
            (Ns::Wp, "post_date") => &mut item.date,
            (Ns::Wp, "post_date_gmt") => &mut item.date_gmt,
            (Ns::Wp, "post_modified") => &mut item.modified,
            (Ns::Wp, "post_modified_gmt") => &mut item.modified_gmt,
            (Ns::Wp, "attachment_url") => &mut item.attachment_url,
            (Ns::Rss, "category") => {
                if let Some(mut term) = self.item_term.take() {
                    trimmed.clone_into(&mut term.name);
                    item.terms.push(term);
                }
                return;
            }
            (Ns::Content, "encoded") => {
                item.content = text;
                return;
            }
            (Ns::Excerpt, "encoded") => {
                item.excerpt = text;
                return;
            }
            (Ns::Wp, "post_id") => {
                item.id = trimmed.parse().unwrap_or_default();
                return;
            }
            (Ns::Wp, "post_parent") => {
                item.parent = trimmed.parse().unwrap_or_default();
                return;
            }
            (Ns::Wp, "is_sticky") => {
                item.sticky = trimmed == "1";
                return;
            }
            (Ns::Wp, "postmeta") => {
                let (key, value) = std::mem::take(&mut self.meta);
                if !key.is_empty() {
                    item.meta.push((key, value));
                }
                return;
            }
            _ => return,
        };
        trimmed.clone_into(field);
    }
}

fn author_field(author: &mut WpAuthor, ns: Ns, local: &str, text: &str) {
    if ns != Ns::Wp {
        return;
    }
    let text = text.trim().to_owned();
    match local {
        "author_login" => author.login = text,
        "author_email" => author.email = text,
        "author_display_name" => author.display_name = text,
        "author_first_name" => author.first_name = text,
        "author_last_name" => author.last_name = text,
        _ => {}
    }
}

fn term_field(term: &mut WpTerm, ns: Ns, local: &str, text: &str) {
    if ns != Ns::Wp {
        return;
    }
    let text = text.trim().to_owned();
    match local {
        "category_nicename" | "tag_slug" | "term_slug" => term.slug = text,
        "cat_name" | "tag_name" | "term_name" => term.name = text,
        "category_parent" | "term_parent" => term.parent = text,
        "category_description" | "tag_description" | "term_description" => {
            term.description = text;
        }
        "term_taxonomy" => {
            term.taxonomy = match text.as_str() {
                "category" => Taxonomy::Category,
                "post_tag" => Taxonomy::Tag,
                _ => Taxonomy::Other,
            };
        }
        _ => {}
    }
}

/// XML's five predefined entities; any other name is undefined (no document type defines one).
fn predefined_entity(name: &[u8]) -> Option<char> {
    match name {
        b"amp" => Some('&'),
        b"lt" => Some('<'),
        b"gt" => Some('>'),
        b"quot" => Some('"'),
        b"apos" => Some('\''),
        _ => None,
    }
}

/// The line and column (from 1) of a byte offset, read again from the start of the file: only
/// an error pays for it.
pub fn locate(source: impl Read, offset: u64) -> std::io::Result<(u64, u64)> {
    let (mut line, mut column) = (1, 1);
    let mut bytes = std::io::BufReader::new(source.take(offset)).bytes();
    while let Some(byte) = bytes.next().transpose()? {
        if byte == b'\n' {
            line += 1;
            column = 1;
        } else if byte & 0xC0 != 0x80 {
            column += 1;
        }
    }
    Ok((line, column))
}
