//! The demo's data, created through the use cases (never SQL), and found again on the
//! next demo start instead of being duplicated. Only the Ring link is renewed every
//! start: the simulator keeps its tokens in memory, so last run's token is unknown to it.

use anyhow::{Context, anyhow};
use latchkey_application::{CreateLink, CreateUserCommand, LinkPageQuery, LinkView};
use latchkey_domain::{
    Actor, GuestLinkState, GuestLinkTemplate, IntercomId, PlainPassword, RingAccount, User,
};
use latchkey_ports::{Clock, Secret};
use latchkey_ring_sim::SimHandle;

use super::Demo;
use crate::console::{find_user, operator};
use crate::security::SystemClock;
use crate::server::Services;

pub const RESIDENT: &str = "resident";
/// Fixed so that every demo start can print a login that works; it guards demo data only.
pub const RESIDENT_PASSWORD: &str = "amber-otter-lantern-47";
const ACCOUNT_LABEL: &str = "Demo Ring account";
const TEMPLATE_NAME: &str = "Afternoon visit";
const LINK_LABEL: &str = "Demo guest";
/// How long a new demo link stays open, and how often it can be used.
const LINK_DAYS: i64 = 7;
const LINK_USES: i64 = 50;

/// What the banner tells the visitor to try.
#[derive(Debug)]
pub struct Seeded {
    pub resident: String,
    pub password: &'static str,
    pub ring_email: String,
    pub intercom: String,
    pub template: String,
    /// The guest link's token (the secret part of its URL).
    pub token: String,
    /// Whether the link was made by this start (false: an earlier one is still active).
    pub new_link: bool,
}

pub async fn seed(services: &Services, demo: &Demo) -> anyhow::Result<Seeded> {
    let resident = resident(services).await?;
    let actor = Actor {
        user_id: resident.id,
        role: resident.role,
    };
    let account = ring_account(services, actor, demo.sim.handle(), &demo.account.email).await?;
    let template = template(services, actor).await?;
    let intercom_id = IntercomId(demo.intercom.id);
    let (link, new_link) = match active_link(services, actor, intercom_id).await? {
        Some(link) => (link, false),
        None => (new_link(services, actor, &account, intercom_id).await?, true),
    };
    let token = link
        .token
        .ok_or_else(|| anyhow!("the demo link's URL cannot be unsealed"))?;
    Ok(Seeded {
        resident: resident.username.to_string(),
        password: RESIDENT_PASSWORD,
        ring_email: demo.account.email.clone(),
        intercom: format!("{} ({})", demo.intercom.description, demo.intercom.id),
        template: template.name,
        token: token.expose().to_owned(),
        new_link,
    })
}

/// The resident, created on the first demo start. A later start leaves them alone (the
/// visitor may have changed the password; the banner says how to reset it).
async fn resident(services: &Services) -> anyhow::Result<User> {
    if let Some(user) = find_user(&services.admin, RESIDENT).await? {
        return Ok(user);
    }
    services
        .admin
        .create(
            operator(),
            CreateUserCommand {
                username: RESIDENT.to_owned(),
                password: PlainPassword::new(RESIDENT_PASSWORD),
                role: None,
                first_name: Some("Robin".into()),
                last_name: Some("Resident".into()),
                structure: Some("Flat 3B".into()),
            },
        )
        .await
        .context("creating the demo resident")
}

/// Links (or re-links) the resident's Ring account with a token the simulator issues,
/// the way a resident pasting a refresh token would.
async fn ring_account(
    services: &Services,
    actor: Actor,
    sim: &SimHandle,
    email: &str,
) -> anyhow::Result<RingAccount> {
    let token = sim
        .issue_refresh_token(email)
        .context("issuing a simulated Ring token")?;
    let existing = services
        .ring
        .accounts(actor)
        .await
        .context("listing the demo Ring accounts")?
        .into_iter()
        .find(|a| a.is_default);
    services
        .ring
        .save_refresh_token(
            actor,
            &Secret::new(token),
            existing.map(|a| a.id),
            Some(ACCOUNT_LABEL),
        )
        .await
        .context("linking the demo Ring account")
}

async fn template(services: &Services, actor: Actor) -> anyhow::Result<GuestLinkTemplate> {
    let existing = services
        .guest
        .templates(actor)
        .await
        .context("listing the demo templates")?
        .into_iter()
        .find(|t| t.name == TEMPLATE_NAME);
    match existing {
        Some(t) => Ok(t),
        None => services
            .guest
            .create_template(actor, TEMPLATE_NAME, 4, Some(3))
            .await
            .context("creating the demo template"),
    }
}

/// The demo link from an earlier start, if it can still open the door (the demo
/// resident only has the links the demo made, so the first page holds it).
async fn active_link(
    services: &Services,
    actor: Actor,
    intercom: IntercomId,
) -> anyhow::Result<Option<LinkView>> {
    Ok(services
        .guest
        .links(actor, LinkPageQuery::new(None, None)?)
        .await
        .context("listing the demo guest links")?
        .links
        .into_iter()
        .find(|l| {
            l.state == GuestLinkState::Active
                && l.link.label.as_deref() == Some(LINK_LABEL)
                && l.link.intercom_id == intercom
                && l.token.is_some()
        }))
}

async fn new_link(
    services: &Services,
    actor: Actor,
    account: &RingAccount,
    intercom: IntercomId,
) -> anyhow::Result<LinkView> {
    let now = SystemClock.now();
    services
        .guest
        .create_link(
            actor,
            CreateLink {
                label: Some(LINK_LABEL.into()),
                intercom_id: Some(intercom),
                ring_account_id: Some(account.id),
                starts_at: None,
                expires_at: Some(now + time::Duration::days(LINK_DAYS)),
                max_uses: Some(LINK_USES),
                template_id: None,
            },
        )
        .await
        .context("creating the demo guest link")
}
