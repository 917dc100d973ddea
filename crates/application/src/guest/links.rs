//! /api/guest-links: a resident's own links.

use latchkey_domain::guest_link::{parse_label, parse_max_uses};
use latchkey_domain::{
    Actor, GuestLink, GuestLinkError, GuestLinkId, GuestLinkState, IntercomId, RingAccountId,
};
use latchkey_ports::{LinkSlice, NewGuestLink, OwnedGuestLink};
use time::OffsetDateTime;

use super::token::{GuestToken, seal_context};
use super::{GuestService, MAX_LABEL_CHARS};
use crate::AppError;

#[derive(Debug, Clone, Default)]
pub struct CreateLink {
    pub label: Option<String>,
    pub intercom_id: Option<IntercomId>,
    pub ring_account_id: Option<RingAccountId>,
    /// Defaults to now.
    pub starts_at: Option<OffsetDateTime>,
    /// Required unless a template gives the duration.
    pub expires_at: Option<OffsetDateTime>,
    pub max_uses: Option<i64>,
    pub template_id: Option<i64>,
}

/// A link as its owner sees it: its state now, and the token when it could be unsealed.
#[derive(Debug, Clone)]
pub struct LinkView {
    pub link: GuestLink,
    pub state: GuestLinkState,
    pub token: Option<GuestToken>,
}

/// Which of a resident's links to list: newest first, `limit` of them, older than
/// `before` (the previous page's `next_before`) when given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkPageQuery {
    pub before: Option<GuestLinkId>,
    pub limit: u32,
}

impl LinkPageQuery {
    pub const DEFAULT_LIMIT: u32 = 100;
    pub const MAX_LIMIT: u32 = 500;

    pub fn new(before: Option<i64>, limit: Option<i64>) -> Result<Self, AppError> {
        let limit = limit.unwrap_or(i64::from(Self::DEFAULT_LIMIT));
        let limit = u32::try_from(limit)
            .ok()
            .filter(|l| (1..=Self::MAX_LIMIT).contains(l))
            .ok_or_else(|| AppError::validation("limit", format!("must be from 1 to {}", Self::MAX_LIMIT)))?;
        let before = match before {
            Some(id) if id > 0 => Some(GuestLinkId(id)),
            Some(_) => return Err(AppError::validation("before", "must be a positive link id")),
            None => None,
        };
        Ok(Self { before, limit })
    }
}

/// One page of links, and where the next one starts (`None` on the last page).
#[derive(Debug, Clone)]
pub struct LinkPage {
    pub links: Vec<LinkView>,
    pub next_before: Option<GuestLinkId>,
}

impl From<GuestLinkError> for AppError {
    fn from(e: GuestLinkError) -> Self {
        match e {
            GuestLinkError::EmptyWindow
            | GuestLinkError::WindowTooLong { .. }
            | GuestLinkError::ExpiryInPast => AppError::validation("expiresAt", e),
            GuestLinkError::MaxUses { .. } => AppError::validation("maxUses", e),
            GuestLinkError::Duration { .. } => AppError::validation("durationHours", e),
            GuestLinkError::Disabled | GuestLinkError::UsedUp => AppError::GuestLinkNotExtendable(e),
        }
    }
}

impl GuestService {
    pub async fn create_link(&self, actor: Actor, cmd: CreateLink) -> Result<LinkView, AppError> {
        let now = self.ports.clock.now();
        let label = parse_label(cmd.label.as_deref(), MAX_LABEL_CHARS)
            .map_err(|e| AppError::validation("label", e))?;
        let intercom_id = cmd
            .intercom_id
            .ok_or_else(|| AppError::validation("intercomId", "is required"))?;
        let starts_at = cmd.starts_at.unwrap_or(now);
        let (expires_at, max_uses) = match cmd.template_id {
            Some(id) => {
                let template = self
                    .ports
                    .templates
                    .get_guest_template(id, actor.user_id)
                    .await
                    .map_err(AppError::store("guest link template"))?;
                let (_, end, uses) = template.expand(starts_at);
                // Values given explicitly win over the template's.
                (
                    cmd.expires_at.unwrap_or(end),
                    cmd.max_uses.or(uses.map(i64::from)),
                )
            }
            None => (
                cmd.expires_at
                    .ok_or_else(|| AppError::validation("expiresAt", "is required"))?,
                cmd.max_uses,
            ),
        };
        let max_uses = parse_max_uses(max_uses)?;
        self.policy.check_window(starts_at, expires_at)?;
        if expires_at <= now {
            return Err(AppError::validation("expiresAt", "must be in the future"));
        }

        let account = match cmd.ring_account_id {
            Some(id) => self
                .ports
                .accounts
                .get_ring_account(id, actor.user_id)
                .await
                .map_err(AppError::store("ring account"))?,
            None => self
                .ports
                .accounts
                .list_ring_accounts(actor.user_id)
                .await?
                .into_iter()
                .find(|a| a.is_default)
                .ok_or(AppError::NotFound {
                    resource: "ring account",
                })?,
        };
        // The intercom must be one this account can open; Ring is the authority.
        let intercoms = self.ports.gateway.intercoms(&account).await?;
        if !intercoms.iter().any(|i| i.id == intercom_id) {
            return Err(AppError::NotFound { resource: "intercom" });
        }

        let token = GuestToken::new(self.ports.random.token());
        let token_hash = token.hash();
        let sealed_token = self
            .ports
            .secret_box
            .seal(token.expose().as_bytes(), &seal_context(actor.user_id))
            .map_err(|e| AppError::Internal(format!("sealing a guest token: {e}")))?;
        let link = self
            .ports
            .links
            .create_guest_link(NewGuestLink {
                owner_id: actor.user_id,
                ring_account_id: account.id,
                intercom_id,
                label,
                token_hash,
                sealed_token,
                starts_at,
                expires_at,
                max_uses,
                now,
            })
            .await
            .map_err(AppError::store("user"))?;
        Ok(LinkView {
            state: link.state(now),
            link,
            token: Some(token),
        })
    }

    /// The caller's links, newest first.
    pub async fn links(&self, actor: Actor, page: LinkPageQuery) -> Result<LinkPage, AppError> {
        let now = self.ports.clock.now();
        // One more than asked tells whether another page follows, without a count.
        let slice = LinkSlice {
            before: page.before,
            limit: page.limit.saturating_add(1),
        };
        let mut owned = self.ports.links.list_guest_links(actor.user_id, slice).await?;
        let more = owned.len() > page.limit as usize;
        owned.truncate(page.limit as usize);
        let next_before = more.then(|| owned.last().map(|o| o.link.id)).flatten();
        Ok(LinkPage {
            links: owned.into_iter().map(|o| self.view_of(o, now)).collect(),
            next_before,
        })
    }

    fn view_of(&self, owned: OwnedGuestLink, now: OffsetDateTime) -> LinkView {
        let token = self.unseal(&owned);
        LinkView {
            state: owned.link.state(now),
            link: owned.link,
            token,
        }
    }

    /// The owner's copy of the token. A link whose copy cannot be opened (the server
    /// secret changed) is still listed, without a URL, rather than hiding the others.
    fn unseal(&self, owned: &OwnedGuestLink) -> Option<GuestToken> {
        let link = &owned.link;
        let opened = self
            .ports
            .secret_box
            .open(&owned.sealed_token, &seal_context(link.owner_id))
            .ok()
            .and_then(|bytes| String::from_utf8(bytes).ok());
        if opened.is_none() {
            tracing::warn!(
                link_id = link.id.0,
                "a guest link's sealed token cannot be opened"
            );
        }
        opened.map(GuestToken::new)
    }

    /// Disables a link for good (DELETE /api/guest-links/:id).
    pub async fn disable_link(&self, actor: Actor, id: GuestLinkId) -> Result<(), AppError> {
        self.ports
            .links
            .disable_guest_link(id, actor.user_id, self.ports.clock.now())
            .await
            .map_err(AppError::store("guest link"))
    }

    /// Moves a link's expiry; returns the stored value.
    pub async fn set_expiry(
        &self,
        actor: Actor,
        id: GuestLinkId,
        expires_at: OffsetDateTime,
    ) -> Result<OffsetDateTime, AppError> {
        let now = self.ports.clock.now();
        let link = self
            .ports
            .links
            .get_guest_link(id, actor.user_id)
            .await
            .map_err(AppError::store("guest link"))?;
        link.check_new_expiry(&self.policy, expires_at, now)?;
        let updated = self
            .ports
            .links
            .set_guest_link_expiry(id, actor.user_id, expires_at, now)
            .await
            .map_err(AppError::store("guest link"))?;
        Ok(updated.expires_at)
    }
}
