//! Accounts, for administrators: who works in the newsroom, with which role. A new account is
//! opened by invitation: its owner receives a link to choose their password.

use axum::{
    extract::{Path, Query, State},
    http::StatusCode,
    response::{Html, IntoResponse, Redirect, Response},
};
use rotative_domain::{Email, Name, Role, UserId};
use rotative_newsroom::{NewsroomError, Refusal};
use rotative_store::Invitee;
use serde::{Deserialize, Serialize};

use super::{password_links::invitation_link, render, when};
use crate::{
    AppError, AppState,
    auth::{CsrfForm, NoFields, SignedIn},
    messages,
};

#[derive(Serialize)]
struct AccountRow {
    id: UserId,
    name: String,
    email: String,
    role: &'static str,
    is_me: bool,
    /// No password yet: invited, or imported; a new invitation can be sent.
    inactive: bool,
    /// Signs in with a second factor, which an administrator may take off.
    two_factor: bool,
}

/// A letter given up on, as the page lists it.
#[derive(Serialize)]
struct UndeliveredRow {
    to: String,
    subject: String,
    queued: String,
    given_up: String,
    error: String,
}

/// What the invitation form holds: empty, or as typed when it comes back.
#[derive(Default, Deserialize, Serialize)]
pub(crate) struct AccountForm {
    email: String,
    name: String,
    role: String,
}

#[derive(Deserialize)]
pub(crate) struct ListQuery {
    /// Set once an invitation was sent, to say so.
    invitation: Option<String>,
    /// How many invitations « Inviter tous les comptes à activer » sent.
    invitations: Option<usize>,
    /// Set once an account's second factor was taken off.
    #[serde(rename = "double-authentification-retiree")]
    two_factor_removed: Option<String>,
    /// Set once the roles required to use a second factor were saved.
    #[serde(rename = "double-authentification-exigee")]
    two_factor_required: Option<String>,
}

async fn page(
    state: &AppState,
    who: &SignedIn,
    status: StatusCode,
    typed: &AccountForm,
    error: Option<&str>,
    done: Option<&str>,
) -> Result<Response, AppError> {
    let newsroom = state.newsroom();
    let with_two_factor = newsroom.accounts_with_two_factor().await?;
    let accounts: Vec<AccountRow> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|user| AccountRow {
            id: user.id,
            name: user.name.to_string(),
            email: user.email.to_string(),
            role: user.role.as_str(),
            is_me: user.id == who.user.id,
            inactive: user.password_hash.is_none(),
            two_factor: with_two_factor.contains(&user.id),
        })
        .collect();
    let required = newsroom.two_factor_roles().await?;
    let undelivered: Vec<UndeliveredRow> = state
        .newsroom()
        .undelivered_letters(&who.actor())
        .await?
        .into_iter()
        .map(|letter| UndeliveredRow {
            to: letter.to_address,
            subject: letter.subject,
            queued: when(state, letter.created_at),
            given_up: when(state, letter.given_up_at),
            error: letter.last_error,
        })
        .collect();
    let roles: Vec<(&str, &str, bool)> = Role::ALL
        .into_iter()
        .map(|r| (r.as_str(), r.label_fr(), required.contains(&r)))
        .collect();
    let html = render(
        state,
        who,
        "newsroom/accounts.html",
        minijinja::context! {
            accounts => accounts,
            undelivered => undelivered,
            roles => roles,
            typed => typed,
            error => error,
            done => done,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

pub(crate) async fn list(
    State(state): State<AppState>,
    who: SignedIn,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    let done = if let Some(count) = query.invitations {
        Some(messages::invitations_sent(count))
    } else if query.invitation.is_some() {
        Some(messages::INVITATION_SENT.to_owned())
    } else if query.two_factor_removed.is_some() {
        Some(messages::TWO_FACTOR_REMOVED.to_owned())
    } else if query.two_factor_required.is_some() {
        Some(messages::TWO_FACTOR_ROLES_SAVED.to_owned())
    } else {
        None
    };
    let empty = AccountForm::default();
    page(&state, &who, StatusCode::OK, &empty, None, done.as_deref()).await
}

/// Opens an account by invitation.
pub(crate) async fn create(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<AccountForm>,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    let parsed = (
        Email::parse(&form.email),
        Name::parse(&form.name),
        Role::parse(&form.role),
    );
    let (Ok(email), Ok(name), Ok(role)) = parsed else {
        let error = messages::ACCOUNT_FIELDS;
        return page(
            &state,
            &who,
            StatusCode::UNPROCESSABLE_ENTITY,
            &form,
            Some(error),
            None,
        )
        .await;
    };
    let invitee = Invitee {
        email: &email,
        name: &name,
        role,
    };
    let link = invitation_link(&state.site());
    let invited = state
        .newsroom()
        .invite(Some(&who.actor()), invitee, &link, &state.site())
        .await;
    match invited {
        Ok(_) => Ok(Redirect::to("/redaction/comptes?invitation").into_response()),
        Err(NewsroomError::Refused(refusal @ Refusal::EmailTaken)) => {
            let error = messages::refusal(&refusal);
            page(
                &state,
                &who,
                StatusCode::CONFLICT,
                &form,
                Some(&error),
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
pub(crate) struct RoleChange {
    role: String,
}

pub(crate) async fn change_role(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    CsrfForm { who, form }: CsrfForm<RoleChange>,
) -> Result<Redirect, AppError> {
    who.actor().administers()?;
    let role = Role::parse(&form.role).map_err(|_| AppError::BadRequest(messages::UNKNOWN_ROLE))?;
    state.newsroom().change_role(&who.actor(), id, role).await?;
    Ok(Redirect::to("/redaction/comptes"))
}

/// Sends a new invitation to an account that has no password yet (imported from WordPress,
/// or whose invitation expired).
pub(crate) async fn invite_again(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    who.actor().administers()?;
    let link = invitation_link(&state.site());
    let invited = state
        .newsroom()
        .invite_again(Some(&who.actor()), id, &link, &state.site())
        .await;
    match invited {
        Ok(()) => Ok(Redirect::to("/redaction/comptes?invitation").into_response()),
        // Its owner chose a password since the page was shown: said there.
        Err(NewsroomError::Refused(refusal @ Refusal::AlreadyActive)) => {
            let error = messages::refusal(&refusal);
            let empty = AccountForm::default();
            page(
                &state,
                &who,
                StatusCode::CONFLICT,
                &empty,
                Some(&error),
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

/// Sends an invitation to every account that has no password yet.
pub(crate) async fn invite_inactive(
    State(state): State<AppState>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    let invited = state
        .newsroom()
        .invite_inactive(
            Some(&who.actor()),
            || invitation_link(&state.site()),
            &state.site(),
        )
        .await?;
    Ok(Redirect::to(&format!("/redaction/comptes?invitations={invited}")).into_response())
}

/// Takes the second factor off an account whose owner lost their device: its sessions end, and
/// it signs in with its password alone (or sets a second factor up again, if its role requires
/// one).
pub(crate) async fn remove_two_factor(
    State(state): State<AppState>,
    Path(id): Path<UserId>,
    CsrfForm { who, .. }: CsrfForm<NoFields>,
) -> Result<Response, AppError> {
    state
        .newsroom()
        .disable_two_factor(&who.actor(), id, None, None)
        .await?;
    Ok(Redirect::to("/redaction/comptes?double-authentification-retiree").into_response())
}

/// The roles required to use a second factor: a box for each, named as the role.
#[derive(Deserialize)]
pub(crate) struct RequiredRoles {
    contributor: Option<String>,
    journalist: Option<String>,
    editor: Option<String>,
    admin: Option<String>,
}

/// Requires a second factor of the roles ticked; accounts of those roles without one are signed
/// out, and set it up at their next sign-in.
pub(crate) async fn require_two_factor(
    State(state): State<AppState>,
    CsrfForm { who, form }: CsrfForm<RequiredRoles>,
) -> Result<Response, AppError> {
    let roles: Vec<Role> = [
        (&form.contributor, Role::Contributor),
        (&form.journalist, Role::Journalist),
        (&form.editor, Role::Editor),
        (&form.admin, Role::Admin),
    ]
    .into_iter()
    .filter(|(ticked, _)| ticked.is_some())
    .map(|(_, role)| role)
    .collect();
    state
        .newsroom()
        .require_two_factor(&who.actor(), &roles)
        .await?;
    Ok(Redirect::to("/redaction/comptes?double-authentification-exigee").into_response())
}
