//! Every sentence readers and journalists read from the program, in French, in one place: what
//! error pages say, what the newsroom's forms and operations refuse (the application layer
//! reports it as data; this words it). A second interface language is a second module like
//! this one.

use rotative_domain::{
    CardDescription, CorrectionKind, ProfileDraft, ProfileProblem, RedirectProblem, Role,
    SearchAndSocialField, SectionDraft, SectionProblem, ShortHeadline, StoryAction, TokenScope,
    WorkflowError,
};
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
        .map(|name| format!("«\u{a0}{name}\u{a0}»"))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "Sans texte alternatif, une image n'est pas lisible par tous : décrivez ce que montre {list} (dans le texte ou dans la médiathèque) avant de publier."
    )
}

pub(crate) fn refusal(refusal: &Refusal) -> String {
    match refusal {
        Refusal::AlreadyLeads => "L'article est déjà en tête de la une.".into(),
        Refusal::NotOnFrontPage => "L'article n'est pas à la une.".into(),
        Refusal::TwiceOnFrontPage => "Un article ne figure qu'une fois à la une : choisissez-en un autre pour l'un des emplacements.".into(),
        Refusal::SectionTwiceOnFrontPage => "Une rubrique n'a qu'un bloc à la une.".into(),
        Refusal::LeavesInThePast => "L'heure à laquelle un article quitte la une est déjà passée : choisissez une heure à venir, ou aucune.".into(),
        Refusal::FrontPageSectionGone => "Une des rubriques choisies n'existe pas ou plus (fusionnée ou supprimée entre-temps) : la liste des blocs est à jour, vérifiez-la puis enregistrez.".into(),
        Refusal::NotForFrontPage => "Seuls les articles publiés vont à la une (ni brouillon, ni page du site) : l'un de ceux choisis ne l'est pas ou plus.".into(),
        Refusal::ImagesWithoutAlt(names) => missing_alt(names),
        Refusal::ScheduledInThePast => "L'heure de publication programmée est déjà passée.".into(),
        Refusal::NoScheduledTime => NO_PUBLICATION_TIME.into(),
        Refusal::EditedSinceRead => "L'article a été modifié depuis que vous l'avez ouvert : relisez la dernière version avant de le publier.".into(),
        Refusal::ShownInStoryOutOfReach(headline) => format!(
            "Cette image figure dans « {headline} », que votre rôle ne permet pas de modifier : demandez à un chef d'édition de changer sa description."
        ),
        Refusal::EmailTaken => EMAIL_IN_USE.into(),
        Refusal::NoteLength => NOTE_LENGTH.into(),
        Refusal::TokenName => {
            "Donnez au jeton un nom d'une ligne (l'outil ou le partenaire qui s'en sert), de 120 caractères au plus.".into()
        }
        Refusal::NoSuchToken => "Ce jeton n'existe pas ou a déjà été révoqué.".into(),
        Refusal::WebhookNotWeb => "L'adresse du webhook doit être une adresse web complète, en http ou https, sur une ligne : par exemple https://partenaire.example/rotative.".into(),
        Refusal::WebhookThisSite => "Un webhook ne peut pas viser le site lui-même : donnez l'adresse du serveur qui doit être prévenu.".into(),
        Refusal::WebhookWithoutEvents => "Choisissez au moins un événement à envoyer.".into(),
        Refusal::NoSuchWebhook => "Ce webhook n'existe pas ou a été supprimé.".into(),
        Refusal::NoSuchNotification => "Vous n'avez pas de notification à ce numéro.".into(),
        Refusal::NoSuchSection => "Cette rubrique n'existe pas ou a été fusionnée dans une autre.".into(),
        Refusal::NoSuchPage => "Cette page du site n'existe pas : seules les pages du site vont dans le pied de page.".into(),
        Refusal::PageTwiceInFooter => "Une page ne figure qu'une fois dans le pied de page.".into(),
        Refusal::PageNotPinned => "Une page du site ne se met pas à la une : seuls les articles y vont.".into(),
        Refusal::AddressOfTheSite(slug) => format!(
            "L'adresse /{slug}/ est déjà celle d'une rubrique, d'une page du site ou d'une page de Rotative : choisissez-en une autre."
        ),
        Refusal::SectionSlugTaken(slug) => format!(
            "Une autre rubrique a déjà l'adresse /{slug}/ : choisissez-en une autre, ou fusionnez les deux rubriques."
        ),
        Refusal::SectionHoldsStories => "Cette rubrique contient encore des articles : fusionnez-la dans une autre rubrique, qui les recevra avec leurs adresses.".into(),
        Refusal::MergeIntoItself => "Choisissez une autre rubrique que celle-ci pour la fusion.".into(),
        Refusal::Redirect(problems) => redirect_problems(problems)
            .into_iter()
            .map(|problem| problem.message)
            .collect::<Vec<_>>()
            .join(" "),
        Refusal::RedirectLoop => "Cette redirection ramènerait à son point de départ : la nouvelle adresse redirige déjà vers l'ancienne.".into(),
        Refusal::RedirectFromLivePage => "Le site répond déjà à cette adresse (un article, publié ou retiré, ou la page d'une rubrique) : une redirection n'y serait jamais suivie. Pour un article, changez plutôt son adresse depuis la rédaction.".into(),
        Refusal::RedirectExists(old) => format!("L'adresse {old} est déjà redirigée : supprimez d'abord cette redirection pour la changer."),
        Refusal::NoSuchRedirect => "Cette redirection n'existe pas ou a déjà été supprimée.".into(),
        Refusal::SlugEmpty => "L'adresse d'un article doit contenir au moins une lettre ou un chiffre.".into(),
        Refusal::SlugTaken(slug) => format!("Un autre article s'appelle déjà « {slug} » : choisissez une autre adresse."),
        Refusal::NoSuchByline => "Cette signature n'existe pas.".into(),
        Refusal::NoOwnByline => "Un autre compte signe déjà sous le nom du vôtre : ce profil est le sien, pas le vôtre. Demandez à un administrateur.".into(),
        Refusal::BylineTaken(name) => format!(
            "Une signature « {name} » existe déjà : modifiez-la plutôt que d'en créer une autre."
        ),
        Refusal::PhotoNotInLibrary(key) => photo_not_in_library(key),
        Refusal::OwnAdminRole => {
            "Vous ne pouvez pas retirer votre propre rôle d'administrateur.".into()
        }
        Refusal::AlreadyActive => "Ce compte a déjà un mot de passe : seul son titulaire le change.".into(),
        Refusal::LinkNotValid => "Ce lien ne sert plus : il a déjà servi, a expiré ou n’a jamais existé.".into(),
        Refusal::WrongCode => WRONG_CODE.into(),
        Refusal::TooManyCodes => TOO_MANY_CODES.into(),
        Refusal::NoSecondFactor => "Ce compte n’a pas de double authentification.".into(),
        Refusal::HasSecondFactor => "Ce compte a déjà une double authentification : désactivez-la d’abord pour en changer.".into(),
        Refusal::ChangedMeanwhile => {
            "L'article a changé d'état ou de texte entre-temps : rechargez la page et relisez-le."
                .into()
        }
    }
}

/// What the editor confirms once an action on a story went through.
pub(crate) fn action_done(action: StoryAction) -> &'static str {
    match action {
        StoryAction::Edit => "Enregistré.",
        StoryAction::Submit => "Article envoyé en relecture.",
        StoryAction::ReturnToDraft => "Article revenu à l'état de brouillon.",
        StoryAction::Publish => "Article publié.",
        StoryAction::Schedule => "Publication programmée.",
        StoryAction::Unpublish => "Article retiré du site.",
        StoryAction::Correct => "Note publiée sous l'article.",
        StoryAction::Pin => "Article mis en tête de la une.",
        StoryAction::Unpin => "Article retiré de la une.",
    }
}

pub(crate) fn workflow(error: WorkflowError) -> String {
    match error {
        WorkflowError::NotAllowed => {
            "Votre rôle ne permet pas cette action sur cet article.".to_owned()
        }
        WorkflowError::IllegalMove { from, action } => format!(
            "Impossible {} un article {}.",
            infinitive(action),
            rotative_domain::workflow::state_fr(from)
        ),
    }
}

/// The verb with its preposition, elided before a vowel (« de publier »).
fn infinitive(action: StoryAction) -> &'static str {
    match action {
        StoryAction::Edit => "de modifier",
        StoryAction::Submit => "de soumettre à relecture",
        StoryAction::ReturnToDraft => "de repasser en brouillon",
        StoryAction::Publish => "de publier",
        StoryAction::Schedule => "de programmer",
        StoryAction::Unpublish => "de dépublier",
        StoryAction::Correct => "de corriger publiquement",
        StoryAction::Pin => "de mettre en tête de la une",
        StoryAction::Unpin => "de retirer de la une",
    }
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
        "user_invite" => "Invitation envoyée",
        "invitation_accept" => "Invitation acceptée",
        "password_reset_request" => "Lien de nouveau mot de passe demandé",
        "password_reset" => "Nouveau mot de passe choisi par lien",
        "end_sessions" => "Sessions fermées",
        "two_factor_on" => "Double authentification activée",
        "two_factor_off" => "Double authentification désactivée",
        "two_factor_reset" => "Double authentification retirée par un administrateur",
        "two_factor_roles" => "Rôles tenus à la double authentification",
        "recovery_code_used" => "Code de secours utilisé",
        "recovery_codes_new" => "Nouveaux codes de secours",
        "settings" => "Réglages du site",
        "sign_in" => "Connexion",
        "change_password" => "Mot de passe changé",
        "token_add" => "Jeton d’API créé",
        "token_revoke" => "Jeton d’API révoqué",
        "webhook_add" => "Webhook ajouté",
        "webhook_remove" => "Webhook retiré",
        "section_add" => "Rubrique créée",
        "section_change" => "Rubrique modifiée",
        "section_order" => "Ordre des rubriques",
        "section_merge" => "Rubriques fusionnées",
        "section_remove" => "Rubrique supprimée",
        "page_create" => "Page du site créée",
        "footer" => "Pied de page",
        "front_page" => "La une arrangée",
        "byline_add" => "Signature créée",
        "byline_change" => "Profil modifié",
        "slug" => "Adresse changée",
        "redirect_add" => "Redirection ajoutée",
        "redirect_remove" => "Redirection supprimée",
        "redirect_hosts" => "Sites permis pour les redirections",
        other => {
            return StoryAction::parse(other)
                .map_or_else(|_| other.to_owned(), |action| action.label_fr().to_owned());
        }
    };
    label.to_owned()
}

/// A journal line's detail in the newsroom's words: roles, scopes, note kinds and publication
/// times are kept as codes (the API gives them so), and said in French here.
pub(crate) fn audit_detail(action: &str, detail: &str, zone: &jiff::tz::TimeZone) -> String {
    let role = |code: &str| {
        Role::parse(code).map_or_else(|_| code.to_owned(), |role| role.label_fr().to_owned())
    };
    if detail.is_empty() {
        return String::new();
    }
    match action {
        "publish" if detail == "scheduled" => "à l’heure programmée".to_owned(),
        "schedule" => detail.parse::<jiff::Timestamp>().map_or_else(
            |_| detail.to_owned(),
            |at| {
                format!(
                    "pour le {}",
                    rotative_render::DateView::new(at, zone).display
                )
            },
        ),
        "correct" => CorrectionKind::parse(detail)
            .map_or_else(|| detail.to_owned(), |kind| kind.label_fr().to_owned()),
        "restore" => format!("version {detail}"),
        "user_role" => match detail.rsplit_once(" → ") {
            Some((account, code)) => format!("{account} → {}", role(code)),
            None => detail.to_owned(),
        },
        "user_add" | "user_invite" | "token_add" => match (detail.rfind('('), detail.rfind(')')) {
            (Some(open), Some(close)) if open < close => {
                let code = &detail[open + 1..close];
                let word = TokenScope::parse(code)
                    .map_or_else(|_| role(code), |scope| scope.label_fr().to_owned());
                format!("{}({word}){}", &detail[..open], &detail[close + 1..])
            }
            _ => detail.to_owned(),
        },
        _ => detail.to_owned(),
    }
}

/// The journal's line for a run of autosaves, and how many there were.
pub(crate) const AUTOSAVES: &str = "Enregistrement automatique";

pub(crate) fn autosave_count(count: &str) -> String {
    format!("{count} fois")
}

/// Who a revision is by when no account wrote it.
pub(crate) const REVISION_BY_IMPORT: &str = "Import";

/// Who the journal shows for what no account did: scheduled publishing.
pub(crate) const AUDIT_BY_THE_SITE: &str = "Rotative (programmation)";

// Readers' error pages.
pub(crate) const NOT_FOUND: &str = "Cette page n'existe pas ou n'existe plus. Elle a peut-être été déplacée, ou l'adresse contient une faute de frappe.";
pub(crate) const STORY_WITHDRAWN: &str =
    "Cet article a été retiré par la rédaction. Il n'est plus disponible.";
pub(crate) const OLD_PAGE_GONE: &str =
    "Cette page de l'ancien site n'existe plus : aucun article publié ne s'y rattachait.";
pub(crate) const UNREADABLE_ADDRESS: &str =
    "L'adresse demandée contient des paramètres illisibles.";
pub(crate) const UNREADABLE_SEARCH: &str = "La recherche contient des paramètres illisibles.";
pub(crate) const OUR_FAULT: &str =
    "Une erreur s'est produite de notre côté. Elle a été enregistrée ; réessayez dans un instant.";
pub(crate) const TOO_MANY_VISITORS: &str =
    "Le site reçoit plus de visites qu'il ne peut en servir. Réessayez dans quelques secondes.";

// Refusals any newsroom form may meet.
pub(crate) const FORM_EXPIRED: &str =
    "Le formulaire a expiré ou ne vient pas de ce site. Rechargez la page et recommencez.";
pub(crate) const ROLE_FORBIDS: &str = "Votre rôle ne permet pas cette action.";
pub(crate) const BUSY: &str =
    "Votre compte a déjà un traitement en cours. Réessayez dans un instant.";
pub(crate) const EMAIL_IN_USE: &str = "Un compte utilise déjà cette adresse électronique.";
pub(crate) const ADDRESS_IN_USE: &str = "Un autre article occupe déjà cette adresse.";
pub(crate) const FOOTER_PLACE: &str = "Une place dans le pied de page est un nombre entier à partir de 1 (ou rien, pour l'en retirer).";
pub(crate) const FOOTER_SAVED: &str = "Le pied de page est enregistré.";

// The front page (« la une »).
pub(crate) const FRONT_PAGE_SAVED: &str = "La une est enregistrée : les lecteurs la voient déjà.";
pub(crate) const FRONT_PAGE_STORY: &str = "Choisissez un article de la liste, ou « Automatique ».";
pub(crate) const FRONT_PAGE_BLOCK: &str = "La place d'un bloc est un nombre entier à partir de 1 (ou rien, pour que la rubrique n'ait pas de bloc).";

/// A time to leave the front page that is not one, quoted.
pub(crate) fn front_page_leaves(typed: &str) -> String {
    format!(
        "« {typed} » n'est pas une date et une heure : donnez-en une, par exemple 2026-12-04 18:30, ou rien pour que l'article reste à la une."
    )
}

/// A slot of the front page, by its number from 0 (the lead).
pub(crate) fn front_page_slot(number: usize) -> String {
    if number == 0 {
        "Article principal".to_owned()
    } else {
        format!("Article secondaire {number}")
    }
}

// Signing in and passwords.
pub(crate) const WRONG_SIGN_IN: &str = "Adresse ou mot de passe incorrect.";
pub(crate) const TOO_MANY_SIGN_INS: &str =
    "Trop de tentatives de connexion échouées. Réessayez dans quinze minutes.";
pub(crate) const TOO_MANY_WRONG_PASSWORDS: &str =
    "Trop de mots de passe actuels erronés. Réessayez dans quinze minutes.";
pub(crate) const WRONG_CURRENT_PASSWORD: &str = "Le mot de passe actuel est incorrect.";
pub(crate) const NEW_PASSWORD_TOO_SHORT: &str =
    "Le nouveau mot de passe doit compter au moins dix caractères.";
pub(crate) const NEW_PASSWORDS_DIFFER: &str = "Les deux saisies du nouveau mot de passe diffèrent.";
pub(crate) const UNREADABLE_PASSWORD: &str = "Mot de passe illisible.";

// Accounts and settings, for administrators.
pub(crate) const ACCOUNT_FIELDS: &str =
    "Indiquez une adresse électronique valide, un nom et un rôle.";
pub(crate) const INVITATION_SENT: &str = "Invitation en cours d’envoi : le lien qu’elle contient sert une seule fois, pendant sept jours.";

/// What « Inviter tous les comptes à activer » did.
pub(crate) fn invitations_sent(count: usize) -> String {
    match count {
        0 => "Aucun compte n’attendait d’invitation.".to_owned(),
        1 => "Une invitation en cours d’envoi.".to_owned(),
        n => format!("{n} invitations en cours d’envoi."),
    }
}
pub(crate) const PASSWORD_CHOSEN: &str =
    "Votre mot de passe est enregistré : connectez-vous avec votre adresse et ce mot de passe.";
pub(crate) const NO_SUCH_SESSION: &str =
    "Aucune session ouverte de ce compte n'a cet identifiant : elle a peut-être déjà été fermée.";
pub(crate) const WRONG_CODE: &str = "Code incorrect ou déjà utilisé : saisissez le code que l’application affiche maintenant, ou un code de secours.";
pub(crate) const TOO_MANY_CODES: &str =
    "Trop de codes erronés pour ce compte. Réessayez dans quinze minutes.";
pub(crate) const QR_CODE_LABEL: &str =
    "Code QR à scanner avec votre application d’authentification";
pub(crate) const TWO_FACTOR_READY: &str = "La double authentification est activée. Vos autres sessions sont fermées : chaque connexion demandera désormais un code.";
pub(crate) const TWO_FACTOR_READY_AT_SIGN_IN: &str =
    "La double authentification est activée : vous êtes connecté.";
pub(crate) const NEW_RECOVERY_CODES: &str =
    "Voici vos nouveaux codes de secours : les anciens ne servent plus.";
pub(crate) const TWO_FACTOR_OFF: &str = "La double authentification est désactivée : un mot de passe suffit de nouveau pour vous connecter.";
pub(crate) const TWO_FACTOR_REMOVED: &str = "Double authentification retirée : les sessions du compte sont fermées, et il se connecte de nouveau avec son seul mot de passe (ou active de nouveau la double authentification, si son rôle l’exige).";
pub(crate) const TWO_FACTOR_ROLES_SAVED: &str = "C’est noté. Les comptes de ces rôles sans double authentification ont été déconnectés : ils l’activeront à leur prochaine connexion.";
pub(crate) const BACK_TO_SIGN_IN: &str = "Revenir à la connexion";
pub(crate) const BACK_TO_SECURITY: &str = "Revenir à « Sécurité »";
pub(crate) const UNKNOWN_DEVICE: &str = "Navigateur inconnu";
pub(crate) const NOTIFICATIONS_READ: &str = "Toutes vos notifications sont marquées comme lues.";
pub(crate) const NOTIFICATION_SETTINGS_SAVED: &str =
    "Vos choix de notifications par courriel sont enregistrés.";
pub(crate) const UNKNOWN_NOTIFICATION_KIND: &str =
    "Ce genre de notification n'existe pas : rechargez la page et choisissez de nouveau.";
pub(crate) const SESSION_ENDED: &str =
    "La session est fermée : ce navigateur devra se reconnecter.";
pub(crate) const OTHER_SESSIONS_ENDED: &str =
    "Toutes vos autres sessions sont fermées ; celle-ci reste ouverte.";
pub(crate) const NEW_PASSWORD_CHOSEN: &str = "Votre nouveau mot de passe est enregistré et les sessions ouvertes avec l’ancien sont fermées : connectez-vous avec votre adresse et ce mot de passe.";
pub(crate) const RESET_EMAIL_INVALID: &str =
    "Cette adresse n’est pas valide : vérifiez-la (par exemple nom@exemple.fr).";
pub(crate) const TOO_MANY_RESETS: &str = "Trop de demandes de nouveau mot de passe pour cette adresse ou depuis cet appareil. Réessayez dans une heure ; un lien déjà reçu reste valable une heure après son envoi.";
pub(crate) const UNKNOWN_ROLE: &str = "Rôle inconnu.";
pub(crate) const SETTINGS_BOUNDS: &str = "Le nom est obligatoire (120 caractères au plus), la description compte 300 caractères au plus, et une page montre de 1 à 100 articles.";

pub(crate) const SECTION_ADDRESS_IN_USE: &str =
    "Une autre rubrique a déjà cette adresse : choisissez-en une autre.";
pub(crate) const BYLINE_ADDRESS_IN_USE: &str = "Une autre signature a déjà l'adresse que ce nom donnerait : modifiez-la plutôt que d'en créer une autre.";
pub(crate) const REDIRECT_SOURCE_IN_USE: &str = "Cette adresse est déjà redirigée.";
pub(crate) const UNKNOWN_DIRECTION: &str =
    "Indiquez si la rubrique monte ou descend dans la navigation.";
pub(crate) const CHOOSE_MERGE_TARGET: &str =
    "Choisissez la rubrique qui recevra les articles de celle-ci.";

/// Why a section typed into a story cannot be made.
pub(crate) fn section_address_of_a_page(section: &rotative_domain::Section) -> String {
    format!(
        "Une rubrique « {} » aurait l'adresse /{}/, celle d'une page du site (à propos, mentions légales…) : choisissez un autre nom.",
        section.name, section.slug
    )
}

pub(crate) fn section_address_reserved(section: &rotative_domain::Section) -> String {
    format!(
        "Une rubrique « {} » aurait l'adresse /{}/, celle d'une page du site : choisissez un autre nom.",
        section.name, section.slug
    )
}

/// What is wrong with a section as typed, field by field.
pub(crate) fn section_problems(problems: &[SectionProblem]) -> Vec<crate::error::FieldError> {
    problems
        .iter()
        .map(|problem| {
            let (field, message) = match problem {
                SectionProblem::Name(_) => (
                    "name",
                    "Donnez à la rubrique un nom d'une ligne, de 120 caractères au plus.".to_owned(),
                ),
                SectionProblem::SlugPath => (
                    "slug",
                    "L'adresse d'une rubrique est un seul mot ou des mots liés par des tirets, sans « / » ni « . » : par exemple economie-verte.".to_owned(),
                ),
                SectionProblem::SlugEmpty => (
                    "slug",
                    "L'adresse doit contenir au moins une lettre ou un chiffre.".to_owned(),
                ),
                SectionProblem::SlugReserved(slug) => (
                    "slug",
                    format!("L'adresse /{slug}/ est celle d'une page du site : choisissez-en une autre."),
                ),
                SectionProblem::DescriptionTooLong => (
                    "description",
                    format!(
                        "La description compte {} caractères au plus.",
                        SectionDraft::MAX_DESCRIPTION_CHARS
                    ),
                ),
            };
            crate::error::FieldError {
                field: field.into(),
                message,
            }
        })
        .collect()
}

pub(crate) fn photo_not_in_library(key: &str) -> String {
    format!(
        "La médiathèque n'a pas d'image « {key} » : copiez sa clé depuis la fiche de l'image (« À coller dans le texte d'un article »)."
    )
}

/// What is wrong with a profile as typed, field by field.
pub(crate) fn profile_problems(problems: &[ProfileProblem]) -> Vec<crate::error::FieldError> {
    problems
        .iter()
        .map(|problem| {
            let (field, message) = match problem {
                ProfileProblem::Name(_) => (
                    "name",
                    "Donnez le nom tel qu'il signe les articles : au moins une lettre ou un chiffre, sur une ligne, 120 caractères au plus.".to_owned(),
                ),
                ProfileProblem::JobTitle(_) => (
                    "job_title",
                    format!(
                        "La fonction tient sur une ligne, de {} caractères au plus : par exemple « Correspondante à Vilnius ».",
                        ProfileDraft::MAX_JOB_TITLE_CHARS
                    ),
                ),
                ProfileProblem::BioTooLong => (
                    "bio",
                    format!(
                        "La biographie compte {} caractères au plus.",
                        ProfileDraft::MAX_BIO_CHARS
                    ),
                ),
                ProfileProblem::Website(_) => (
                    "website",
                    "Le site est une adresse web complète, en http ou https : par exemple https://claire-dubois.fr/.".to_owned(),
                ),
                ProfileProblem::Email => (
                    "email",
                    "Cette adresse électronique n'est pas valide : par exemple claire@exemple.fr.".to_owned(),
                ),
                ProfileProblem::Fediverse => (
                    "fediverse",
                    "Le compte du fédivers s'écrit @nom@serveur (par exemple @claire@piaille.fr) ou en adresse https complète.".to_owned(),
                ),
                ProfileProblem::PhotoAlt(_) => (
                    "photo_alt",
                    "Décrivez la photo en une ligne de 500 caractères au plus (ce qu'elle montre, pour qui ne la voit pas) : sans description, elle n'est pas publiée.".to_owned(),
                ),
            };
            crate::error::FieldError {
                field: field.into(),
                message,
            }
        })
        .collect()
}

/// What is wrong with a redirect as typed, field by field.
pub(crate) fn redirect_problems(problems: &[RedirectProblem]) -> Vec<crate::error::FieldError> {
    problems
        .iter()
        .map(|problem| {
            let (field, message) = match problem {
                RedirectProblem::NotAPath => (
                    "old",
                    "L'ancienne adresse est un chemin de ce site, qui commence par « / » : par exemple /2019/05/ancien-article/.".to_owned(),
                ),
                RedirectProblem::AnsweredHere => (
                    "old",
                    "Les adresses de la rédaction, de l'API et du thème ne se redirigent pas.".to_owned(),
                ),
                RedirectProblem::NotAnAddress => (
                    "target",
                    "La nouvelle adresse est un chemin de ce site (/monde/) ou une adresse web complète (https://…).".to_owned(),
                ),
                RedirectProblem::ExternalHost(host) => (
                    "target",
                    format!("Le site {host} n'est pas dans la liste des sites permis : un administrateur peut l'y ajouter."),
                ),
                RedirectProblem::ToItself => (
                    "target",
                    "Une adresse ne peut pas rediriger vers elle-même.".to_owned(),
                ),
            };
            crate::error::FieldError {
                field: field.into(),
                message,
            }
        })
        .collect()
}

// The story form.
pub(crate) const UNKNOWN_ACTION: &str = "Action inconnue.";
pub(crate) const NO_PUBLICATION_TIME: &str = "Indiquez la date et l'heure de publication.";
pub(crate) const UNKNOWN_NOTE_KIND: &str = "Type de note inconnu.";
pub(crate) const NOTE_LENGTH: &str = "La note doit compter entre 1 et 2 000 caractères.";
pub(crate) const CHOOSE_KIND: &str = "Choisissez un type d'article.";
pub(crate) const EMPTY_BODY: &str = "Le texte de l'article est vide.";
pub(crate) const CHOOSE_SECTION: &str = "Choisissez ou nommez une rubrique.";
pub(crate) const CHOOSE_VERDICT: &str = "Choisissez un verdict.";
pub(crate) const CLAIM_TOO_LONG: &str = "L'affirmation vérifiée compte 500 caractères au plus.";
pub(crate) const FACT_CHECK_WITHOUT_CLAIM: &str =
    "Une vérification indique l'affirmation vérifiée et son verdict.";
pub(crate) const CLAIM_WITHOUT_FACT_CHECK: &str = "Seule une vérification porte une affirmation et un verdict : videz ces champs ou changez le type.";
pub(crate) const REVISION_NOT_RESTORABLE: &str =
    "Cette version ne peut plus être restaurée telle quelle.";
pub(crate) const SAVED_MEANWHILE: &str = "L'article a été modifié entre-temps : rechargez la page.";

pub(crate) fn headline_rule(max_chars: usize) -> String {
    format!("Le titre est obligatoire et tient sur une ligne de {max_chars} caractères au plus.")
}

pub(crate) fn standfirst_rule(max_chars: usize) -> String {
    format!("Le chapeau compte {max_chars} caractères au plus.")
}

/// What a story's words for search engines and shared links must be.
pub(crate) fn search_and_social_rule(field: SearchAndSocialField) -> String {
    match field {
        SearchAndSocialField::SearchHeadline => format!(
            "Le titre pour les moteurs de recherche tient sur une ligne de {} caractères au plus.",
            ShortHeadline::MAX_CHARS
        ),
        SearchAndSocialField::SocialHeadline => format!(
            "Le titre pour les réseaux sociaux tient sur une ligne de {} caractères au plus.",
            ShortHeadline::MAX_CHARS
        ),
        SearchAndSocialField::SocialDescription => format!(
            "La description pour les réseaux sociaux compte {} caractères au plus.",
            CardDescription::MAX_CHARS
        ),
    }
}

pub(crate) fn body_too_large(max_kilobytes: usize) -> String {
    format!("Le texte dépasse la taille maximale ({max_kilobytes} Ko). Il n'a pas été enregistré.")
}

pub(crate) fn unknown_section(name: &str) -> String {
    format!(
        "La rubrique « {name} » n'existe pas : choisissez-en une dans la liste. Seuls les chefs d'édition créent des rubriques."
    )
}

pub(crate) fn unreadable_source(line: &str) -> String {
    format!(
        "Source « {line} » : écrivez un libellé, une barre verticale, puis une adresse https://…"
    )
}

pub(crate) fn unreadable_name(name: &str) -> String {
    format!("« {name} » n'est pas un nom valable.")
}

// The media library and uploads.
pub(crate) const ALT_TOO_LONG: &str =
    "Le texte alternatif tient en une phrase de 250 caractères au plus.";
pub(crate) const MALFORMED_UPLOAD: &str = "Le formulaire d'envoi est mal formé.";
pub(crate) const UPLOAD_INCOMPLETE: &str = "Le fichier n'a pas été reçu en entier.";
pub(crate) const NOT_AN_IMAGE: &str = "Ce fichier n'est pas une image JPEG, PNG, WebP ou GIF. Les images SVG et les autres fichiers ne sont pas acceptés.";
pub(crate) const DAMAGED_IMAGE: &str = "L'image est endommagée ou incomplète : elle ne peut pas être lue. Envoyez le fichier d'origine.";
pub(crate) const NO_FILE: &str = "Choisissez un fichier image à envoyer.";

pub(crate) fn caption_too_long(max_chars: usize) -> String {
    format!("La légende et le crédit comptent {max_chars} caractères au plus.")
}

pub(crate) fn upload_too_large(megabytes: u64) -> String {
    format!(
        "Le fichier dépasse la taille maximale de {megabytes} Mo. Réduisez l'image avant de l'envoyer."
    )
}

pub(crate) fn too_many_pixels(width: u32, height: u32, megapixels: u64) -> String {
    format!(
        "L'image mesure {width} × {height} pixels, au-delà de la limite de {megapixels} mégapixels."
    )
}

/// A new API token's rights were not among those offered.
pub(crate) const TOKEN_SCOPE: &str =
    "Choisissez les droits du jeton : lecture, ou lecture et écriture.";

/// The API's answers: what a client did wrong, said to the developer reading the response.
pub(crate) mod api {
    pub(crate) fn unknown_parameter(name: &str, known: &[&str]) -> String {
        let known = known
            .iter()
            .map(|name| format!("« {name} »"))
            .collect::<Vec<_>>()
            .join(", ");
        format!("Paramètre inconnu : « {name} ». Paramètres possibles ici : {known}.")
    }

    pub(crate) fn repeated_parameter(name: &str) -> String {
        format!("Le paramètre « {name} » est donné plusieurs fois : donnez-le une seule fois.")
    }

    pub(crate) fn limit(max: u32) -> String {
        format!("« limit » doit être un nombre entier de 1 à {max}.")
    }

    pub(crate) const UNREAD: &str = "« unread » vaut « true » ou « false ».";
    pub(crate) const BEFORE: &str =
        "« before » doit être l'identifiant d'une notification : reprenez « next_before ».";
    pub(crate) const NO_NOTIFICATION_SETTINGS: &str = "le corps est vide : envoyez vos choix en JSON (« email », la liste des genres reçus par courriel, et « daily_digest »)";

    pub(crate) fn too_many_ids(max: usize) -> String {
        format!(
            "« ids » nomme {max} notifications au plus : envoyez les autres dans un autre appel, ou aucune liste pour les marquer toutes."
        )
    }

    pub(crate) fn unknown_notification_kind(name: &str) -> String {
        format!(
            "Genre de notification inconnu : « {name} ». Genres possibles : {}.",
            rotative_domain::NoticeKind::ALL
                .map(|kind| format!("« {} »", kind.as_str()))
                .join(", ")
        )
    }

    pub(crate) const CURSOR: &str = "« cursor » n'est pas une position que l'API a donnée : reprenez l'adresse « next » de la réponse précédente.";
    pub(crate) const UPDATED_SINCE: &str = "« updated_since » doit être une date et une heure RFC 3339, par exemple 2026-12-01T08:00:00Z.";
    pub(crate) const SINCE: &str =
        "« since » doit être un numéro de changement : un nombre entier positif ou nul.";
    pub(crate) const SEARCH_FILTERS: &str = "Une recherche (« q ») se filtre seulement par rubrique (« section ») : retirez « subject », « author » et « updated_since », ou la recherche.";
    pub(crate) const NO_TOKEN: &str = "Cette adresse demande un jeton d'API valide : envoyez-le dans l'en-tête « Authorization: Bearer … ».";
    pub(crate) const READ_ONLY_TOKEN: &str =
        "Ce jeton ne permet que la lecture : créez un jeton « lecture et écriture » pour agir.";
    pub(crate) const NO_SUCH_STORY_FOR_ACCOUNT: &str = "Aucun article n'a cet identifiant.";
    pub(crate) const BODY_TOO_LARGE: &str =
        "Le corps de la requête dépasse 2 Mo : rien n'a été enregistré.";
    pub(crate) const NO_CORRECTION: &str =
        "le corps est vide : envoyez la note en JSON (« kind » et « note »)";
    pub(crate) const NO_STORY: &str = "le corps est vide : envoyez l'article en JSON";
    pub(crate) const COMMA_IN_LIST: &str =
        "Un sujet ou un nom d'auteur ne peut pas contenir de virgule.";
    pub(crate) const BAR_IN_SOURCE: &str =
        "Le nom et l'adresse d'une source ne peuvent contenir ni « | » ni retour à la ligne.";
    pub(crate) const NOT_JSON: &str =
        "Le corps de la requête doit être du JSON (« Content-Type: application/json »).";

    pub(crate) fn bad_json(error: &str) -> String {
        format!("Le JSON envoyé est illisible ou ne correspond pas à ce qui est attendu : {error}.")
    }

    pub(crate) const IF_MATCH_REQUIRED: &str = "Une modification doit dire de quelle version elle part : envoyez l'en-tête « If-Match » avec l'ETag lu sur /api/v1/stories/{id}/editable.";

    /// An edit made from a revision that is no longer the story's.
    pub(crate) fn stale(
        current: rotative_domain::RevisionId,
        kept: Option<rotative_domain::RevisionId>,
    ) -> String {
        let kept = match kept {
            Some(kept) => format!(
                " Votre texte n'est pas perdu : il est gardé comme version {kept} dans l'historique."
            ),
            None => " Rien n'a été enregistré.".to_owned(),
        };
        format!(
            "L'article a changé depuis la version que vous avez lue : la version actuelle est la {current} (ETag « \"rev-{current}\" »).{kept} Relisez-la, puis renvoyez vos changements."
        )
    }

    pub(crate) fn rate_limited(seconds: u64) -> String {
        format!(
            "Ce jeton a fait trop de requêtes en peu de temps : réessayez dans {seconds} s (en-tête « Retry-After »)."
        )
    }

    pub(crate) const NO_WEBHOOK: &str =
        "le corps est vide : envoyez le webhook en JSON (« url » et « events »)";
    pub(crate) const UNKNOWN_STATUS: &str =
        "« status » doit être draft, in_review, scheduled, published ou unpublished.";
    pub(crate) const PAGE: &str = "« page » doit être un nombre entier à partir de 1.";
    pub(crate) const NO_SUCH_ACCOUNT: &str = "Aucun compte n'a cet identifiant.";
    pub(crate) const NO_PROFILE: &str = "le corps est vide : envoyez le profil en JSON (« name », et si vous le souhaitez « job_title », « bio », « photo » avec « photo_alt », « website », « email », « fediverse »)";
    pub(crate) const NO_PAGE: &str = "le corps est vide : envoyez la page en JSON (« headline », « body », et si vous le souhaitez « standfirst »)";
    pub(crate) const NO_FRONT_PAGE: &str = "le corps est vide : envoyez la une en JSON (« slots », l'article principal d'abord, et « sections »)";
    pub(crate) const FRONT_PAGE_SLOTS: &str =
        "La une a cinq emplacements : l'article principal et quatre articles secondaires.";
    pub(crate) const NO_FOOTER: &str =
        "le corps est vide : envoyez en JSON les pages du pied de page, dans l'ordre (« pages »)";
    pub(crate) const NO_SECTION: &str = "le corps est vide : envoyez la rubrique en JSON (« name », et si vous le souhaitez « slug », « description », « in_navigation »)";
    pub(crate) const NO_MERGE_TARGET: &str =
        "le corps est vide : envoyez en JSON la rubrique qui reçoit les articles (« into »)";
    pub(crate) const NO_ORDER: &str =
        "le corps est vide : envoyez en JSON les rubriques dans leur ordre (« sections »)";
    pub(crate) const NO_SLUG: &str =
        "le corps est vide : envoyez la nouvelle adresse en JSON (« slug »)";
    pub(crate) const NO_REDIRECT: &str =
        "le corps est vide : envoyez la redirection en JSON (« old », « target »)";
    pub(crate) const NO_REDIRECT_SOURCE: &str =
        "indiquez l'ancienne adresse de la redirection à supprimer (« old »)";
    pub(crate) const NO_HOSTS: &str =
        "le corps est vide : envoyez les sites permis en JSON (« allowed_hosts »)";
    pub(crate) const NO_ROLES: &str = "le corps est vide : envoyez les rôles en JSON (« roles », une liste, vide pour n'en exiger aucun)";
    pub(crate) const NO_SETTINGS: &str = "le corps est vide : envoyez les réglages en JSON (« name », « description », « page_size », « feed_full_text »)";
    pub(crate) fn wp_invalid_param(name: &str) -> String {
        format!("Paramètre invalide : « {name} ».")
    }
    pub(crate) const WP_PAGE_PAST_THE_END: &str =
        "Le numéro de page demandé dépasse le nombre de pages.";
    pub(crate) const WP_NO_SUCH_POST: &str = "Identifiant d'article invalide.";
    pub(crate) const WP_NO_SUCH_TERM: &str = "Terme inexistant.";
    pub(crate) const WP_NO_SUCH_USER: &str = "Identifiant d'utilisateur invalide.";
    pub(crate) const WP_NO_SUCH_MEDIA: &str = "Identifiant de média invalide.";
    pub(crate) const NO_SUCH_MEDIA: &str = "Aucune image de la médiathèque n'a cet identifiant.";
    pub(crate) const NO_SUCH_WEBHOOK: &str = "Aucun webhook n'a cet identifiant.";

    pub(crate) fn unknown_event(name: &str) -> String {
        format!(
            "Événement inconnu : « {name} ». Événements possibles : story.published, story.updated, story.unpublished, correction.added."
        )
    }

    pub(crate) const NO_SUCH_REVISION: &str =
        "Cet article n'a pas de version avec cet identifiant.";

    pub(crate) fn unknown_action(action: &str) -> String {
        format!(
            "Action inconnue : « {action} ». Actions possibles : submit, return, publish, schedule, unpublish, pin, unpin."
        )
    }

    pub(crate) const NO_SUCH_STORY: &str = "Aucun article publié n'a cet identifiant : il n'existe pas, n'est pas encore publié ou a été retiré.";

    pub(crate) fn no_such_section(slug: &str) -> String {
        format!("Aucune rubrique publiée n'a l'identifiant « {slug} ».")
    }

    pub(crate) fn no_such_subject(slug: &str) -> String {
        format!("Aucun sujet publié n'a l'identifiant « {slug} ».")
    }

    pub(crate) fn no_such_author(slug: &str) -> String {
        format!("Aucun auteur publié n'a l'identifiant « {slug} ».")
    }

    /// What each operation of the API does, as its published description says it, by method
    /// and path.
    pub(crate) fn operation_summary(method: &str, path: &str) -> Option<&'static str> {
        Some(match (method, path) {
            ("get", "/api/v1/stories") => {
                "Les articles publiés, du plus récent au plus ancien, ou les meilleurs résultats d'une recherche (`q`)."
            }
            ("post", "/api/v1/stories") => {
                "Écrit un nouveau brouillon, comme « Nouvel article » ; il appartient au compte du jeton."
            }
            ("get", "/api/v1/stories/{id}") => {
                "Un article publié, en entier : son texte en HTML et tel qu'écrit, tous les fichiers de son image, ses sources, son affirmation vérifiée et ses corrections."
            }
            ("patch", "/api/v1/stories/{id}") => {
                "Modifie les champs d'un article, comme « Enregistrer », à partir de la version nommée par `If-Match` (son `ETag`, ou `*`). Si l'article a changé depuis, rien n'est appliqué : 412, avec l'`ETag` de la version actuelle, et le texte envoyé est gardé dans l'historique."
            }
            ("get", "/api/v1/stories/{id}/editable") => {
                "Un article tel que la rédaction le modifie, dans n'importe quel état (brouillons compris) : ses champs comme `POST /api/v1/stories` les prend, son état, et sa version (`ETag`)."
            }
            ("post", "/api/v1/stories/{id}/actions/{action}") => {
                "Fait avancer un article dans le circuit de publication, comme les boutons de la rédaction : `submit` (à relire), `return` (en brouillon), `publish`, `schedule`, `unpublish`, `pin` et `unpin` (la une)."
            }
            ("post", "/api/v1/stories/{id}/corrections") => {
                "Ajoute une correction ou une mise à jour à un article publié, montrée aux lecteurs sous l'article et sur la page des corrections (chefs d'édition et administrateurs)."
            }
            ("get", "/api/v1/stories/{id}/revisions") => {
                "Toutes les versions d'un article, de la plus récente à la plus ancienne, comme son historique (son auteur, les chefs d'édition et les administrateurs)."
            }
            ("get", "/api/v1/stories/{id}/revisions/{revision}") => "Le texte d'une version.",
            ("get", "/api/v1/stories/{id}/revisions/{revision}/diff") => {
                "Ce qui a changé d'une version à l'autre (par défaut, depuis la précédente), mot à mot, comme l'historique le montre."
            }
            ("post", "/api/v1/stories/{id}/revisions/{revision}/restore") => {
                "Rend à l'article le texte d'une version, comme nouvelle version (rubrique, sujets et auteurs restent), comme « Restaurer »."
            }
            ("get", "/api/v1/sections") => {
                "Les rubriques qui ont un article publié, dans l'ordre de la navigation."
            }
            ("get", "/api/v1/subjects") => "Les sujets qui ont un article publié, par identifiant.",
            ("get", "/api/v1/authors") => "Les auteurs qui ont un article publié, par identifiant.",
            ("get", "/api/v1/corrections") => {
                "Les corrections et mises à jour de tous les articles publiés, de la plus récente à la plus ancienne."
            }
            ("get", "/api/v1/changes") => {
                "Ce qui a changé après la position `since`, du plus ancien au plus récent : partez de 0 pour copier tout le site, puis suivez `next`. Les articles jamais montrés aux lecteurs n'y sont pas ; un article changé plusieurs fois dans une réponse n'y figure qu'une fois."
            }
            ("get", "/api/v1/newsroom/stories") => {
                "Les articles de la rédaction dans tous les états, comme le tableau de bord : ceux du compte d'abord ; un contributeur ne voit que les siens."
            }
            ("post", "/api/v1/preview") => {
                "Un texte tel que les lecteurs le verront, comme l'aperçu de l'éditeur ; rien n'est enregistré."
            }
            ("get", "/api/v1/audit") => {
                "Le journal : qui a fait quoi, quand (chefs d'édition et administrateurs)."
            }
            ("get", "/api/v1/media") => {
                "La médiathèque, de l'image la plus récente à la plus ancienne, ou les images dont la description contient des mots (`q`), comme « Médiathèque »."
            }
            ("post", "/api/v1/media") => {
                "Ajoute une image à la médiathèque, comme l'envoi de la rédaction : mêmes limites de taille et de pixels, même nettoyage (métadonnées retirées, image vérifiée)."
            }
            ("get", "/api/v1/media/{id}") => "Une image de la médiathèque.",
            ("patch", "/api/v1/media/{id}") => {
                "Change la description d'une image, comme sa page dans la rédaction : les articles qui la montrent suivent. Une image montrée dans un article que le compte ne peut pas modifier est refusée (403)."
            }
            ("get", "/api/v1/settings") => "Les réglages du site (administrateurs).",
            ("put", "/api/v1/settings") => {
                "Change les réglages du site, comme « Réglages » : toutes les pages suivent, sur toutes les instances."
            }
            ("get", "/api/v1/webhooks") => "Les webhooks du site (administrateurs).",
            ("post", "/api/v1/webhooks") => {
                "Ajoute un webhook (administrateurs), comme le formulaire de la rédaction ; répond par son secret de signature, une seule fois."
            }
            ("get", "/api/v1/webhooks/{id}/deliveries") => {
                "Les derniers envois d'un webhook, du plus récent au plus ancien."
            }
            ("delete", "/api/v1/webhooks/{id}") => {
                "Supprime un webhook et son journal d'envois : plus rien ne lui est envoyé."
            }
            ("post", "/api/v1/stories/{id}/slug") => {
                "Change la fin de l'adresse d'un article, comme « Adresse de l'article » : une fois publié, son ancienne adresse redirige vers la nouvelle (301), comme les redirections qui y menaient."
            }
            _ => {
                return site_operation_summary(method, path)
                    .or_else(|| account_operation_summary(method, path));
            }
        })
    }

    /// What each operation on the token's own account (its tokens, sessions and notifications)
    /// does, in French.
    fn account_operation_summary(method: &str, path: &str) -> Option<&'static str> {
        Some(match (method, path) {
            ("get", "/api/v1/me") => {
                "Le compte au nom duquel le jeton agit, son rôle et les droits du jeton : de quoi vérifier un jeton avant de s'en servir."
            }
            ("get", "/api/v1/tokens") => {
                "Les jetons d'API du compte (ceux de tous pour un administrateur), du plus récent au plus ancien. Un jeton ne peut pas en créer un autre : la rédaction ou `rotative token add` les créent."
            }
            ("get", "/api/v1/sessions") => {
                "Les sessions du compte ouvertes dans un navigateur, la plus récemment utilisée d'abord, comme « Sécurité » les liste : le navigateur de chacune, quand elle a été ouverte et utilisée. Aucune adresse IP n'est gardée."
            }
            ("delete", "/api/v1/sessions") => {
                "Ferme toutes les sessions du compte ouvertes dans un navigateur (un ordinateur perdu, par exemple) ; répond par leur nombre. Les jetons d'API restent valables."
            }
            ("get", "/api/v1/notifications") => {
                "Les notifications du compte, de la plus récente à la plus ancienne, comme « Notifications » les montre : un article soumis à relecture (aux éditeurs), repassé en brouillon, publié, programmé, paru à l'heure prévue, dépublié ou corrigé (à ceux qui le signent). Jamais pour ce que le compte a fait lui-même."
            }
            ("post", "/api/v1/notifications/read") => {
                "Marque comme lues les notifications nommées (« ids »), ou toutes si le corps est vide."
            }
            ("get", "/api/v1/notifications/settings") => {
                "Les genres de notifications que le compte reçoit par courriel, et s'il les reçoit en un seul courriel par jour."
            }
            ("put", "/api/v1/notifications/settings") => {
                "Choisit les genres de notifications reçus par courriel (« email ») et le courriel quotidien (« daily_digest ») ; les notifications restent toujours dans la rédaction."
            }
            ("delete", "/api/v1/sessions/{id}") => {
                "Ferme une session du compte : son navigateur devra se reconnecter."
            }
            ("delete", "/api/v1/tokens/{id}") => {
                "Révoque un jeton à la portée du compte : il cesse aussitôt de fonctionner, sur toutes les instances."
            }
            _ => return None,
        })
    }

    /// What each operation that runs the site (accounts, sections, redirects) does, in French.
    fn site_operation_summary(method: &str, path: &str) -> Option<&'static str> {
        Some(match (method, path) {
            ("get", "/api/v1/accounts") => "Les comptes de la rédaction (administrateurs).",
            ("delete", "/api/v1/accounts/{id}/two-factor") => {
                "Retire la double authentification d'un compte dont le titulaire a perdu son téléphone (administrateurs ; toutes ses sessions se ferment), ou celle du compte du jeton quand son rôle ne l'exige pas."
            }
            ("get", "/api/v1/accounts/two-factor-roles") => {
                "Les rôles tenus de se connecter avec une double authentification (administrateurs)."
            }
            ("put", "/api/v1/accounts/two-factor-roles") => {
                "Exige la double authentification de ces rôles, comme « Comptes » : leurs comptes qui ne l'ont pas sont déconnectés et l'activeront à leur prochaine connexion."
            }
            ("post", "/api/v1/accounts") => {
                "Ouvre un compte par invitation (administrateurs) : son titulaire reçoit par courriel un lien pour choisir son mot de passe, valable sept jours ; répond par tous les comptes."
            }
            ("patch", "/api/v1/accounts/{id}") => {
                "Change le rôle d'un compte, comme « Comptes » ; répond par tous les comptes."
            }
            ("post", "/api/v1/accounts/{id}/invitation") => {
                "Envoie une nouvelle invitation à un compte qui n'a pas encore de mot de passe (importé, ou dont l'invitation a expiré) ; répond par tous les comptes."
            }
            ("post", "/api/v1/accounts/invitations") => {
                "Envoie une invitation à chaque compte qui n'a pas encore de mot de passe, comme « Inviter tous les comptes à activer » ; répond par tous les comptes."
            }
            ("get", "/api/v1/newsroom/bylines") => {
                "Les signatures dont le nom contient `q`, par nom, avec leur profil et le nombre de leurs articles (chefs d'édition)."
            }
            ("post", "/api/v1/newsroom/bylines") => {
                "Crée la signature d'une agence ou d'un invité sans compte, avec son profil, comme « Signatures » (chefs d'édition)."
            }
            ("get", "/api/v1/newsroom/bylines/me") => {
                "La signature du compte du jeton et son profil, comme « Mon profil »."
            }
            ("get", "/api/v1/newsroom/bylines/{id}") => {
                "Une signature et son profil : photo, fonction, biographie, liens (chefs d'édition, ou le compte qui signe ainsi)."
            }
            ("put", "/api/v1/newsroom/bylines/{id}") => {
                "Change le nom et le profil d'une signature ; sa page et celles de ses articles le montrent aussitôt (chefs d'édition, ou le compte qui signe ainsi)."
            }
            ("get", "/api/v1/newsroom/sections") => {
                "Toutes les rubriques, même sans article publié, dans l'ordre de la navigation, avec le nombre de leurs articles (chefs d'édition)."
            }
            ("post", "/api/v1/newsroom/sections") => {
                "Crée une rubrique, en dernier dans la navigation, comme « Rubriques » (chefs d'édition)."
            }
            ("put", "/api/v1/newsroom/sections/order") => {
                "Range les rubriques dans la navigation ; celles qui ne sont pas nommées suivent."
            }
            ("put", "/api/v1/newsroom/sections/{id}") => {
                "Change le nom, l'adresse, la description d'une rubrique, ou la retire de la navigation : ses anciennes adresses et celles de ses articles redirigent (301) vers les nouvelles."
            }
            ("delete", "/api/v1/newsroom/sections/{id}") => {
                "Supprime une rubrique vide ; une rubrique qui contient des articles se fusionne."
            }
            ("post", "/api/v1/newsroom/sections/{id}/merge") => {
                "Fusionne une rubrique dans une autre, qui reçoit ses articles ; ses adresses redirigent (301) vers celles de l'autre."
            }
            ("get", "/api/v1/newsroom/pages") => {
                "Les pages du site (à propos, mentions légales…), dans tous leurs états, celles du pied de page d'abord (chefs d'édition)."
            }
            ("post", "/api/v1/newsroom/pages") => {
                "Écrit une nouvelle page du site en brouillon, comme « Nouvelle page » ; elle se modifie et se publie ensuite comme un article, à l'adresse /{slug}/."
            }
            ("put", "/api/v1/newsroom/pages/footer") => {
                "Choisit les pages que le pied de chaque page du site montre, dans cet ordre ; les autres en sortent."
            }
            ("get", "/api/v1/newsroom/front-page") => {
                "La une telle qu'arrangée (l'article choisi pour chaque emplacement et l'heure où il la quitte) et l'article que les lecteurs y voient, comme « La une » (chefs d'édition)."
            }
            ("put", "/api/v1/newsroom/front-page") => {
                "Arrange la une : l'article de chaque emplacement (l'article principal d'abord ; vide, le plus récent qui n'y est pas déjà) et l'heure où il la quitte, puis les rubriques qui ont un bloc, dans l'ordre."
            }
            ("get", "/api/v1/newsroom/redirects") => {
                "Les redirections du site par ancienne adresse, avec le nombre de fois où chacune a été suivie en 30 jours, comme « Redirections »."
            }
            ("post", "/api/v1/newsroom/redirects") => {
                "Ajoute une redirection : elle mène à l'adresse finale, et celles qui menaient à son ancienne adresse aussi ; jamais de chaîne ni de boucle."
            }
            ("delete", "/api/v1/newsroom/redirects") => "Supprime une redirection.",
            ("put", "/api/v1/newsroom/redirects/hosts") => {
                "Les autres sites vers lesquels une redirection peut mener (administrateurs)."
            }
            _ => return None,
        })
    }

    /// The title of a problem (RFC 9457) of each status: what kind of failure it is.
    pub(crate) fn problem_title(status: u16) -> &'static str {
        match status {
            400 => "Requête invalide",
            401 => "Authentification requise",
            403 => "Action interdite",
            404 => "Introuvable",
            405 => "Méthode non permise",
            408 => "Délai dépassé",
            409 => "Conflit",
            410 => "Supprimé",
            412 => "Version périmée",
            413 => "Contenu trop volumineux",
            415 => "Type de contenu non pris en charge",
            428 => "Version à préciser",
            422 => "Contenu invalide",
            429 => "Trop de requêtes",
            500..=599 => "Erreur du serveur",
            _ => "Requête refusée",
        }
    }
}

#[cfg(test)]
mod tests {
    use rotative_domain::{ArticleStatus, Ownership, Role, authorize};

    use super::*;

    #[test]
    fn the_journal_says_codes_in_words() {
        let paris = jiff::tz::TimeZone::get("Europe/Paris").unwrap();
        assert_eq!(
            audit_detail("schedule", "2026-12-02T06:00:00Z", &paris),
            "pour le 2\u{a0}décembre\u{a0}2026 à 7\u{a0}h\u{a0}00"
        );
        assert_eq!(audit_detail("correct", "update", &paris), "Mise à jour");
        assert_eq!(
            audit_detail("user_role", "#3 → editor", &paris),
            "#3 → Éditeur"
        );
        assert_eq!(
            audit_detail("user_add", "lea@exemple.fr (contributor)", &paris),
            "lea@exemple.fr (Contributeur)"
        );
        assert_eq!(
            audit_detail("token_add", "Appli (write) pour le compte 2", &paris),
            "Appli (Lecture et écriture) pour le compte 2"
        );
        assert_eq!(audit_action("webhook_add"), "Webhook ajouté");
        assert_eq!(
            audit_detail("publish", "scheduled", &paris),
            "à l’heure programmée"
        );
        assert_eq!(audit_detail("restore", "", &paris), "");
    }

    #[test]
    fn refusals_say_why_in_french() {
        let illegal = authorize(
            Role::Editor,
            StoryAction::Unpublish,
            Ownership::Others,
            ArticleStatus::Draft,
        )
        .unwrap_err();
        assert_eq!(
            workflow(illegal),
            "Impossible de dépublier un article en brouillon."
        );
        let pin = authorize(
            Role::Editor,
            StoryAction::Pin,
            Ownership::Others,
            ArticleStatus::Draft,
        )
        .unwrap_err();
        assert_eq!(
            workflow(pin),
            "Impossible de mettre en tête de la une un article en brouillon."
        );
    }
}
