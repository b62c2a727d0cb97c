use thiserror::Error;

/// Why a piece of user input is not a valid domain value. Messages speak to the person who typed it.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ParseError {
    #[error("is empty")]
    Empty,
    #[error("is longer than {max} characters")]
    TooLong { max: usize },
    #[error("must be on one line")]
    MultiLine,
    #[error("has no letter or digit to make a URL from")]
    NoSlugCharacters,
    #[error("`{0}` is not a valid slug (lowercase ASCII letters, digits and single hyphens)")]
    InvalidSlug(String),
    #[error("`{value}` is not one of: {expected}")]
    UnknownValue {
        value: String,
        expected: &'static str,
    },
    #[error("`{0}` is not a valid page number")]
    InvalidPage(String),
    #[error("`{0}` is not a position in a list")]
    InvalidCursor(String),
    #[error("`{0}` is not a web address (http or https)")]
    InvalidUrl(String),
    #[error("is not an email address")]
    InvalidEmail,
    #[error("`{0}` is not a valid date path")]
    InvalidDate(String),
}

/// Finds the value of a closed set (kinds, states, roles…) whose stable name is `value`.
pub(crate) fn parse_named<T: Copy>(
    value: &str,
    all: &[T],
    name: fn(T) -> &'static str,
    expected: &'static str,
) -> Result<T, ParseError> {
    all.iter()
        .copied()
        .find(|candidate| name(*candidate) == value)
        .ok_or_else(|| ParseError::UnknownValue {
            value: value.to_owned(),
            expected,
        })
}
