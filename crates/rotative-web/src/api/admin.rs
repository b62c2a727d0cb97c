//! What administrators do through the API besides webhooks: the newsroom's accounts and the
//! site's settings, as on the newsroom's « Comptes » and « Réglages » pages, under the same rules.

use axum::{
    body::Bytes,
    extract::{Path, State, rejection::BytesRejection},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use rotative_domain::{Email, Name, Role, UserId};
use rotative_newsroom::{NewsroomError, Refusal, SiteSettings};
use rotative_store::{Invitee, User};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{caller::Caller, json, write::body_or_default};
use crate::{
    AppError, AppState, FieldError,
    auth::recovery_code_hash,
    error::Problem,
    messages,
    newsroom::{password_links::invitation_link, two_factor::second_factor},
};

/// A newsroom account.
#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AccountView {
    id: i64,
    name: String,
    email: String,
    /// `contributor`, `journalist`, `editor` or `admin`.
    role: &'static str,
    /// False until its owner chose a password (invited, or imported from WordPress).
    active: bool,
    /// Whether it signs in with a second factor.
    two_factor: bool,
}

impl From<&User> for AccountView {
    fn from(user: &User) -> Self {
        Self {
            id: user.id.0,
            name: user.name.to_string(),
            email: user.email.to_string(),
            role: user.role.as_str(),
            active: user.password_hash.is_some(),
            two_factor: false,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub(crate) struct AccountList {
    accounts: Vec<AccountView>,
}

async fn accounts_answer(state: &AppState, status: StatusCode) -> Result<Response, AppError> {
    let accounts = state.store.users().await?;
    let with_two_factor = state.newsroom().accounts_with_two_factor().await?;
    let mut answer = json(&AccountList {
        accounts: accounts
            .iter()
            .map(|user| AccountView {
                two_factor: with_two_factor.contains(&user.id),
                ..AccountView::from(user)
            })
            .collect(),
    });
    *answer.status_mut() = status;
    Ok(answer)
}

/// The newsroom's accounts (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/accounts",
    operation_id = "list_accounts",
    tag = "Administration",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les comptes.", body = AccountList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn accounts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.actor().administers()?;
    accounts_answer(&state, StatusCode::OK).await
}

/// An account to open by invitation: its owner receives a link to choose their password.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountInput {
    email: String,
    name: String,
    /// `contributor`, `journalist`, `editor` or `admin`.
    role: String,
}

fn role(value: &str) -> Result<Role, AppError> {
    Role::parse(value).map_err(|_| {
        AppError::Invalid(vec![FieldError {
            field: "role".into(),
            message: messages::UNKNOWN_ROLE.to_owned(),
        }])
    })
}

/// Opens an account by invitation (administrators): its owner receives a link to choose their
/// password; answers every account.
#[utoipa::path(
    post,
    path = "/api/v1/accounts",
    operation_id = "add_account",
    tag = "Administration",
    security(("jeton" = [])),
    request_body(content = AccountInput, content_type = "application/json"),
    responses(
        (status = 201, description = "Les comptes, avec le nouveau ; l'invitation part par courriel.", body = AccountList),
        (status = 400, description = "JSON illisible, champ inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un compte a déjà cette adresse.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Adresse, nom ou rôle invalide.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn add_account(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.administers()?;
    let input: AccountInput = body_or_default(&headers, body)?;
    let mut problems = Vec::new();
    let mut problem = |field: &'static str| {
        problems.push(FieldError {
            field: field.into(),
            message: messages::ACCOUNT_FIELDS.to_owned(),
        });
    };
    let email = Email::parse(&input.email)
        .map_err(|_| problem("email"))
        .ok();
    let name = Name::parse(&input.name).map_err(|_| problem("name")).ok();
    let role = Role::parse(&input.role).map_err(|_| problem("role")).ok();
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(AppError::Invalid(problems));
    };
    let invitee = Invitee {
        email: &email,
        name: &name,
        role,
    };
    let link = invitation_link(&state.site());
    state
        .newsroom()
        .invite(Some(&actor), invitee, &link, &state.site())
        .await?;
    accounts_answer(&state, StatusCode::CREATED).await
}

/// A change to an account.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct AccountChange {
    /// `contributor`, `journalist`, `editor` or `admin`.
    role: Option<String>,
}

fn account_id(id: &str) -> Result<UserId, AppError> {
    id.parse()
        .map(UserId)
        .map_err(|_| AppError::Missing(messages::api::NO_SUCH_ACCOUNT.to_owned()))
}

/// Changes an account's role, as the « Comptes » page does; answers every account.
#[utoipa::path(
    patch,
    path = "/api/v1/accounts/{id}",
    operation_id = "change_account",
    tag = "Administration",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant du compte.")),
    request_body(content = AccountChange, content_type = "application/json"),
    responses(
        (status = 200, description = "Les comptes, après le changement.", body = AccountList),
        (status = 400, description = "JSON illisible, champ inconnu.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun compte n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Un administrateur qui retirerait son propre rôle.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Rôle inconnu.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change_account(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.administers()?;
    let change: AccountChange = body_or_default(&headers, body)?;
    let id = account_id(&id)?;
    if let Some(new_role) = change.role.as_deref().map(role).transpose()? {
        state.newsroom().change_role(&actor, id, new_role).await?;
    }
    accounts_answer(&state, StatusCode::OK).await
}

/// Sends a new invitation to an account that has no password yet (imported, or whose
/// invitation expired), as « Envoyer une invitation »; answers every account.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/{id}/invitation",
    operation_id = "invite_account",
    tag = "Administration",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant du compte.")),
    responses(
        (status = 200, description = "Les comptes ; l'invitation part par courriel.", body = AccountList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun compte n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le compte a déjà un mot de passe.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn invite_account(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.administers()?;
    let id = account_id(&id)?;
    let link = invitation_link(&state.site());
    state
        .newsroom()
        .invite_again(Some(&actor), id, &link, &state.site())
        .await?;
    accounts_answer(&state, StatusCode::OK).await
}

/// Sends an invitation to every account that has no password yet, as « Inviter tous les
/// comptes à activer »; answers every account.
#[utoipa::path(
    post,
    path = "/api/v1/accounts/invitations",
    operation_id = "invite_inactive_accounts",
    tag = "Administration",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les comptes ; les invitations partent par courriel.", body = AccountList),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn invite_inactive_accounts(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    state
        .newsroom()
        .invite_inactive(
            Some(&actor),
            || invitation_link(&state.site()),
            &state.site(),
        )
        .await?;
    accounts_answer(&state, StatusCode::OK).await
}

/// The settings administrators change.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct SettingsView {
    name: String,
    /// 300 characters at most.
    description: String,
    /// Stories a listing page shows: 1 to 100.
    page_size: u32,
    /// Whether feeds carry whole stories.
    feed_full_text: bool,
}

fn settings_answer(state: &AppState) -> Response {
    let site = state.site();
    json(&SettingsView {
        name: site.name.clone(),
        description: site.description.clone(),
        page_size: site.page_size,
        feed_full_text: site.feed_full_text,
    })
}

/// The site's settings (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/settings",
    tag = "Administration",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les réglages.", body = SettingsView),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn settings(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.actor().administers()?;
    Ok(settings_answer(&state))
}

/// Changes the site's settings, as « Réglages » does: every page follows, on every instance.
#[utoipa::path(
    put,
    path = "/api/v1/settings",
    operation_id = "change_settings",
    tag = "Administration",
    security(("jeton" = [])),
    request_body(content = SettingsView, content_type = "application/json"),
    responses(
        (status = 200, description = "Les réglages, changés.", body = SettingsView),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un réglage hors des limites.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn change_settings(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.administers()?;
    let input: Option<SettingsView> = body_or_default(&headers, body)?;
    let input = input.ok_or(AppError::BadJson(messages::api::NO_SETTINGS.to_owned()))?;
    let settings = SiteSettings::parse(
        &input.name,
        &input.description,
        &input.page_size.to_string(),
        input.feed_full_text,
    )
    .ok_or_else(|| AppError::Unprocessable(messages::SETTINGS_BOUNDS.to_owned()))?;
    state.newsroom().change_settings(&actor, &settings).await?;
    state.set_site(settings.applied_to((*state.site()).clone()));
    Ok(settings_answer(&state))
}

/// Takes the second factor off an account, as « Retirer la double authentification » on
/// « Comptes » (administrators: for someone who lost their device; every session of the account
/// ends), or off the token's own account when its role does not require one.
#[utoipa::path(
    delete,
    path = "/api/v1/accounts/{id}/two-factor",
    request_body(content = Option<ConfirmInput>, content_type = "application/json"),
    operation_id = "remove_two_factor",
    tag = "Administration",
    security(("jeton" = [])),
    params(("id" = i64, Path, description = "L'identifiant du compte.")),
    responses(
        (status = 204, description = "Retirée."),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte d'un autre sans administrer le site, un rôle qui l'exige, ou un jeton en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Aucun compte n'a cet identifiant.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Le compte n'a pas de double authentification.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Son propre compte, sans un code valable (`code`).", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Trop de codes erronés pour ce compte : réessayez dans quinze minutes.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn remove_two_factor(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    let id = account_id(&id)?;
    let confirm: ConfirmInput = body_or_default(&headers, body)?;
    let typed_hash = confirm.code.as_deref().map(recovery_code_hash);
    let confirmation = confirm
        .code
        .as_deref()
        .zip(typed_hash.as_deref())
        .map(|(typed, hash)| second_factor(typed, hash));
    match state
        .newsroom()
        .disable_two_factor(&actor, id, None, confirmation)
        .await
    {
        Ok(()) => Ok(StatusCode::NO_CONTENT.into_response()),
        Err(NewsroomError::Refused(Refusal::WrongCode)) => {
            Err(AppError::Invalid(vec![FieldError {
                field: "code".into(),
                message: messages::WRONG_CODE.to_owned(),
            }]))
        }
        Err(other) => Err(other.into()),
    }
}

/// One of the account's own codes, which confirms a change to its own second factor.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ConfirmInput {
    /// The code the app shows now, or a recovery code (then used up); not needed to take it off
    /// another's account.
    code: Option<String>,
}

/// The roles that must sign in with a second factor.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct TwoFactorRoles {
    /// Among `contributor`, `journalist`, `editor` and `admin`.
    roles: Vec<String>,
}

async fn two_factor_roles_answer(state: &AppState) -> Result<Response, AppError> {
    let roles = state.newsroom().two_factor_roles().await?;
    Ok(json(&TwoFactorRoles {
        roles: roles.iter().map(|role| role.as_str().to_owned()).collect(),
    }))
}

/// The roles that must sign in with a second factor (administrators).
#[utoipa::path(
    get,
    path = "/api/v1/accounts/two-factor-roles",
    tag = "Administration",
    security(("jeton" = [])),
    responses(
        (status = 200, description = "Les rôles.", body = TwoFactorRoles),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn two_factor_roles(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, AppError> {
    caller.actor().administers()?;
    two_factor_roles_answer(&state).await
}

/// Requires a second factor of these roles, as « Double authentification » on « Comptes »:
/// accounts of those roles without one are signed out, and set it up at their next sign-in.
#[utoipa::path(
    put,
    path = "/api/v1/accounts/two-factor-roles",
    operation_id = "require_two_factor",
    tag = "Administration",
    security(("jeton" = [])),
    request_body(content = TwoFactorRoles, content_type = "application/json"),
    responses(
        (status = 200, description = "Les rôles, changés.", body = TwoFactorRoles),
        (status = 400, description = "JSON illisible, champ inconnu ou manquant.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Jeton absent, inconnu ou révoqué.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Le compte n'administre pas le site, ou le jeton est en lecture seule.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Le corps n'est pas du JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Un rôle inconnu.", body = Problem, content_type = "application/problem+json"),
    )
)]
pub(crate) async fn require_two_factor(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, AppError> {
    let actor = caller.writer()?;
    actor.administers()?;
    let wanted: Option<TwoFactorRoles> = body_or_default(&headers, body)?;
    let wanted = wanted.ok_or(AppError::BadJson(messages::api::NO_ROLES.to_owned()))?;
    let roles = wanted
        .roles
        .iter()
        .map(|name| role(name))
        .collect::<Result<Vec<Role>, AppError>>()?;
    state.newsroom().require_two_factor(&actor, &roles).await?;
    two_factor_roles_answer(&state).await
}
