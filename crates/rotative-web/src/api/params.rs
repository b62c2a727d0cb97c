//! A query string as the API reads it: each parameter named once, and only the parameters the
//! endpoint knows, so a misspelt filter is an error rather than a silently unfiltered list.

use std::collections::{HashMap, hash_map::Entry};

use crate::{AppError, FieldError, messages::api as messages};

/// Items a list gives when the client does not say, and the most it may ask for.
pub(crate) const DEFAULT_LIMIT: u32 = 20;
pub(crate) const MAX_LIMIT: u32 = 100;

pub(crate) struct Params {
    values: HashMap<String, String>,
    problems: Vec<FieldError>,
}

impl Params {
    /// Reads `query`, noting every parameter that is unknown or repeated.
    pub(crate) fn read(query: Option<&str>, known: &[&str]) -> Result<Self, AppError> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query.unwrap_or_default())
            .map_err(|_| AppError::BadRequest(crate::messages::UNREADABLE_ADDRESS))?;
        let mut params = Self {
            values: HashMap::with_capacity(pairs.len()),
            problems: Vec::new(),
        };
        for (name, value) in pairs {
            if !known.contains(&name.as_str()) {
                let message = messages::unknown_parameter(&name, known);
                params.problem(name, message);
                continue;
            }
            match params.values.entry(name) {
                Entry::Vacant(place) => {
                    place.insert(value);
                }
                Entry::Occupied(place) => {
                    let name = place.key().clone();
                    let message = messages::repeated_parameter(&name);
                    params.problem(name, message);
                }
            }
        }
        Ok(params)
    }

    fn problem(&mut self, field: String, message: String) {
        self.problems.push(FieldError {
            field: field.into(),
            message,
        });
    }

    /// The parameter's value, trimmed; an empty one is as if not given.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.values
            .get(name)
            .map(|value| value.trim())
            .filter(|value| !value.is_empty())
    }

    /// The parameter read by `parse`; a value it refuses is noted with `message`.
    pub(crate) fn parsed<T>(
        &mut self,
        name: &'static str,
        parse: impl FnOnce(&str) -> Option<T>,
        message: impl FnOnce() -> String,
    ) -> Option<T> {
        let value = self.text(name)?;
        let parsed = parse(value);
        if parsed.is_none() {
            self.problem(name.to_owned(), message());
        }
        parsed
    }

    /// How many items the client asks for: 1 to `MAX_LIMIT`, `DEFAULT_LIMIT` if unsaid.
    pub(crate) fn limit(&mut self) -> u32 {
        self.parsed(
            "limit",
            |value| {
                value
                    .parse::<u32>()
                    .ok()
                    .filter(|n| (1..=MAX_LIMIT).contains(n))
            },
            || messages::limit(MAX_LIMIT),
        )
        .unwrap_or(DEFAULT_LIMIT)
    }

    /// Notes a problem with a parameter the caller found wrong in its own way.
    pub(crate) fn refuse(&mut self, name: &'static str, message: &str) {
        self.problem(name.to_owned(), message.to_owned());
    }

    /// Every problem found, as one `400 Bad Request`; `Ok` when there was none.
    pub(crate) fn checked(self) -> Result<Self, AppError> {
        if self.problems.is_empty() {
            Ok(self)
        } else {
            Err(AppError::BadParameters(self.problems))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(query: &str, known: &[&str]) -> Vec<(String, String)> {
        let mut params = Params::read(Some(query), known).unwrap();
        params.limit();
        match params.checked() {
            Ok(_) => Vec::new(),
            Err(AppError::BadParameters(fields)) => fields
                .into_iter()
                .map(|field| (field.field.into_owned(), field.message))
                .collect(),
            Err(other) => panic!("{other:?}"),
        }
    }

    #[test]
    fn known_parameters_given_once_are_read() {
        let mut params =
            Params::read(Some("section=monde&limit=5&q="), &["section", "limit", "q"]).unwrap();
        assert_eq!(params.text("section"), Some("monde"));
        assert_eq!(params.text("q"), None);
        assert_eq!(params.limit(), 5);
        assert!(params.checked().is_ok());
    }

    #[test]
    fn every_wrong_parameter_is_named_in_french() {
        let found = problems("sectoin=monde&limit=0&limit=3", &["section", "limit"]);
        let fields: Vec<&str> = found.iter().map(|(field, _)| field.as_str()).collect();
        assert_eq!(fields, ["sectoin", "limit", "limit"]);
        assert!(found[0].1.contains("Paramètre inconnu : « sectoin »"));
        assert!(found[0].1.contains("« section »"));
        assert!(found[1].1.contains("plusieurs fois"));
        assert!(found[2].1.contains("de 1 à 100"));
        for limit in ["101", "abc", "-1"] {
            assert_eq!(problems(&format!("limit={limit}"), &["limit"]).len(), 1);
        }
    }
}
