//! The API's reference page (`/api/v1/`): the OpenAPI document the handlers make, read back
//! into a page for people, so the page and the document never disagree.

use axum::{extract::State, response::Html};
use rotative_render::{ApiGroup, ApiOperation, ApiParameter, ApiReference};
use serde_json::Value;

use crate::{AppError, AppState, page_cache::Shows};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}

/// A description as HTML: escaped, with its `code` in `<code>`.
fn described(value: &Value) -> String {
    rotative_render::escaped(value.as_str().unwrap_or_default())
        .split('`')
        .enumerate()
        .map(|(n, part)| {
            if n % 2 == 1 {
                format!("<code>{part}</code>")
            } else {
                part.to_owned()
            }
        })
        .collect()
}

fn operation(path: &str, method: &str, operation: &Value) -> ApiOperation {
    let parameters = operation["parameters"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|parameter| ApiParameter {
            name: text(&parameter["name"]),
            place: match parameter["in"].as_str() {
                Some("path") => "chemin",
                Some("query") => "adresse",
                Some("header") => "en-tête",
                _ => "",
            }
            .to_owned(),
            required: parameter["required"].as_bool().unwrap_or(false),
            description: described(&parameter["description"]),
        })
        .collect();
    let mut responses: Vec<(String, String)> = operation["responses"]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(status, response)| (status.clone(), described(&response["description"])))
        .collect();
    responses.sort();
    ApiOperation {
        method: method.to_uppercase(),
        path: path.to_owned(),
        summary: described(&operation["summary"]),
        description: described(&operation["description"]),
        token: operation["security"]
            .as_array()
            .is_some_and(|schemes| !schemes.is_empty()),
        parameters,
        body: operation["requestBody"]["content"]
            .as_object()
            .and_then(|content| content.keys().next().cloned()),
        responses,
    }
}

/// The reference, from the OpenAPI document: its tags in order, each with its operations.
pub(crate) fn reference(document: &Value) -> ApiReference {
    let mut groups: Vec<ApiGroup> = document["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|tag| ApiGroup {
            name: text(&tag["name"]),
            description: described(&tag["description"]),
            operations: Vec::new(),
        })
        .collect();
    for (path, item) in document["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            let Some(found) = item.get(method) else {
                continue;
            };
            let tag = found["tags"][0].as_str().unwrap_or_default();
            if let Some(group) = groups.iter_mut().find(|group| group.name == tag) {
                group.operations.push(operation(path, method, found));
            }
        }
    }
    ApiReference { groups }
}

/// The reference page, in the site's theme.
pub(crate) async fn page(
    State(state): State<AppState>,
    reference: std::sync::Arc<ApiReference>,
) -> Result<axum::response::Response, AppError> {
    let nav = state.nav().await?;
    let html = state.pages(&state.site(), &nav).api_reference(&reference)?;
    // The page changes with the site's name and sections only: site-wide changes.
    Ok(Shows::default().on(Html(html)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_show_their_code() {
        assert_eq!(
            described(&Value::from("Suivez `next` <ici>.")),
            "Suivez <code>next</code> &lt;ici&gt;."
        );
    }

    #[test]
    fn every_operation_of_the_document_is_on_the_page() {
        let document = serde_json::to_value(super::super::documented().document).unwrap();
        let reference = reference(&document);
        let listed: usize = reference
            .groups
            .iter()
            .map(|group| group.operations.len())
            .sum();
        let described: usize = document["paths"]
            .as_object()
            .unwrap()
            .values()
            .map(|item| METHODS.iter().filter(|m| item.get(**m).is_some()).count())
            .sum();
        assert_eq!(listed, described);
        let me = reference
            .groups
            .iter()
            .flat_map(|group| &group.operations)
            .find(|operation| operation.path == "/api/v1/me")
            .unwrap();
        assert!(me.token);
        let untold: Vec<_> = reference
            .groups
            .iter()
            .flat_map(|group| &group.operations)
            .filter(|operation| operation.summary.is_empty())
            .map(|operation| format!("{} {}", operation.method, operation.path))
            .collect();
        assert!(untold.is_empty(), "no French summary: {untold:?}");
    }
}
