//! What the newsroom's operations refuse, said to journalists in French: the application layer
//! reports it as data, and this is the one place that words it.

use rotative_domain::WorkflowError;
use rotative_newsroom::{BodyProblem, Refusal};

/// Why a save was refused because the story moved meanwhile (an editor published it, say).
pub(crate) const STATE_CHANGED: &str = "L'article a changé d'état entre-temps et vous ne pouvez plus le modifier : votre texte n'a pas été enregistré. Copiez-le, puis rechargez la page.";

pub(crate) fn body_problem(problem: &BodyProblem) -> String {
    match problem {
        BodyProblem::NotInLibrary(name) => {
            format!("L'image « {name} » n'est pas dans la médiathèque.")
        }
        BodyProblem::ExternalImage(url) => format!(
            "L'image « {url} » vient d'un autre site : seules les images de la médiathèque sont publiées."
        ),
        BodyProblem::MissingAlt(names) => missing_alt(names),
        BodyProblem::InvalidAlt(name) => {
            format!("Le texte alternatif de l'image « {name} » est trop long.")
        }
        BodyProblem::TooDeep { limit } => format!(
            "Le texte imbrique plus de {limit} niveaux de citations, de listes ou de balises : simplifiez sa structure. Il n'a pas été enregistré."
        ),
    }
}

pub(crate) fn missing_alt(names: &[String]) -> String {
    let list = names
        .iter()
        .map(|name| format!("« {name} »"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Sans texte alternatif, une image n'est pas lisible par tous : décrivez ce que montre {list} (dans le texte ou dans la médiathèque) avant de publier."
    )
}

pub(crate) fn refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::AlreadyPinned => "L'article est déjà à la une.".into(),
        Refusal::NotPinned => "L'article n'est pas à la une.".into(),
        Refusal::ImagesWithoutAlt(names) => missing_alt(names),
        Refusal::ScheduledInThePast => "L'heure de publication programmée est déjà passée.".into(),
        Refusal::NoScheduledTime => "Indiquez la date et l'heure de publication.".into(),
        Refusal::EditedSinceRead => "L'article a été modifié depuis que vous l'avez ouvert : relisez la dernière version avant de le publier.".into(),
        Refusal::ChangedMeanwhile => {
            "L'article a changé d'état ou de texte entre-temps : rechargez la page et relisez-le."
                .into()
        }
    }
}

pub(crate) fn workflow(error: WorkflowError) -> String {
    error.to_string()
}
