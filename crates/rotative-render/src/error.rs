use thiserror::Error;

#[derive(Debug, Error)]
pub enum RenderError {
    #[error("template error")]
    Template(#[from] minijinja::Error),
    #[error("image `{0}` must be an uploaded file (`media:NAME`), not an outside address")]
    ExternalImage(String),
    #[error("image `{0}` has no alt text: describe what it shows")]
    MissingAlt(String),
    #[error("image `{name}`: alt text {problem}")]
    InvalidAlt { name: String, problem: String },
    #[error("image `{0}` is not in the media library")]
    UnknownImage(String),
    /// Elements nested deeper than any story needs: refused before the sanitiser, whose work
    /// grows with the square of the depth.
    #[error("the body nests elements more than {limit} levels deep")]
    TooDeep { limit: usize },
    #[error("could not write a feed")]
    Feed(#[from] std::io::Error),
    #[error("cannot read theme folder {path}: {source}")]
    ThemeFolder {
        path: String,
        source: std::io::Error,
    },
}
