//! What the newsroom's operations refuse, said to journalists in French: the application layer
//! reports it as data, and this is the one place that words it.

use rotative_domain::{StoryAction, WorkflowError};
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
        Refusal::ShownInStoryOutOfReach(headline) => format!(
            "Cette image figure dans « {headline} », que votre rôle ne permet pas de modifier : demandez à un chef d'édition de changer sa description."
        ),
        Refusal::EmailTaken => "Un compte existe déjà avec cette adresse.".into(),
        Refusal::OwnAdminRole => {
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur.".into()
        }
        Refusal::AlreadyActive => "Ce compte est déjà actif, ou n’existe pas : seul son titulaire change son mot de passe.".into(),
        Refusal::ChangedMeanwhile => {
            "L'article a changé d'état ou de texte entre-temps : rechargez la page et relisez-le."
                .into()
        }
    }
}

pub(crate) fn workflow(error: WorkflowError) -> String {
    error.to_string()
}

/// An audit line's action as the newsroom's journal shows it.
pub(crate) fn audit_action(action: &str) -> String {
    let label = match action {
        "create" => "Création",
        "edit" => "Enregistrement",
        "restore" => "Version restaurée",
        "media_upload" => "Image envoyée",
        "media_describe" => "Image décrite",
        "user_add" => "Compte créé",
        "user_role" => "Rôle changé",
        "user_activate" => "Compte activé",
        "settings" => "Réglages du site",
        "sign_in" => "Connexion",
        "change_password" => "Mot de passe changé",
        other => {
            return StoryAction::parse(other)
                .map_or_else(|_| other.to_owned(), |action| action.label_fr().to_owned());
        }
    };
    label.to_owned()
}

/// Who the journal shows for what no account did: scheduled publishing.
pub(crate) const AUDIT_BY_THE_SITE: &str = "Rotative (programmation)";
