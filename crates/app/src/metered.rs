//! Port decorators that count what passes through them, for `/metrics`: every unlock
//! attempt (each writes exactly one audit row; a guest's that took a use is counted when
//! it is settled), every login attempt (likewise), and the
//! latency and errors of every Ring call. Labels come from closed sets (actor kind,
//! outcome, operation, stable error code), never from user input.

use std::sync::Arc;
use std::time::Instant;

use latchkey_domain::{
    IntercomId, LoginAuditEvent, RingAccount, RingAccountId, UnlockEvent, UnlockOutcome, UserId,
};
use latchkey_ports::{
    GatewayError, IntercomGateway, IntercomHealth, IntercomInfo, LoginAuditStore, NewLoginAudit,
    NewUnlockEvent, Page, PendingUnlock, RingLocationInfo, Secret, StoreError, UnlockAuditStore,
    UnlockFailure,
};

/// Counts `latchkey_unlocks_total{actor, outcome}` as rows are written.
pub struct MeteredUnlockAudit(pub Arc<dyn UnlockAuditStore>);

#[async_trait::async_trait]
impl UnlockAuditStore for MeteredUnlockAudit {
    async fn record_unlock(&self, event: NewUnlockEvent) -> Result<(), StoreError> {
        metrics::counter!(
            "latchkey_unlocks_total",
            "actor" => event.actor.kind(),
            "outcome" => event.outcome.as_str()
        )
        .increment(1);
        self.0.record_unlock(event).await
    }

    async fn settle_unlock(
        &self,
        pending: PendingUnlock,
        outcome: UnlockOutcome,
        error_code: Option<String>,
    ) -> Result<(), StoreError> {
        // Settled rows are guest attempts that took a use; their pending row was not
        // counted when it was written with the use (the link store wrote it).
        metrics::counter!(
            "latchkey_unlocks_total",
            "actor" => "guest",
            "outcome" => outcome.as_str()
        )
        .increment(1);
        self.0.settle_unlock(pending, outcome, error_code).await
    }

    async fn list_unlocks(
        &self,
        user_id: Option<UserId>,
        offset: u64,
        limit: u64,
    ) -> Result<Page<UnlockEvent>, StoreError> {
        self.0.list_unlocks(user_id, offset, limit).await
    }
}

/// Counts `latchkey_logins_total{outcome}` as rows are written.
pub struct MeteredLoginAudit(pub Arc<dyn LoginAuditStore>);

#[async_trait::async_trait]
impl LoginAuditStore for MeteredLoginAudit {
    async fn record_login(&self, event: NewLoginAudit) -> Result<(), StoreError> {
        metrics::counter!("latchkey_logins_total", "outcome" => event.outcome.as_str()).increment(1);
        self.0.record_login(event).await
    }

    async fn list_logins(&self, offset: u64, limit: u64) -> Result<Page<LoginAuditEvent>, StoreError> {
        self.0.list_logins(offset, limit).await
    }
}

/// Times every Ring call: `latchkey_ring_call_duration_seconds{op}` and
/// `latchkey_ring_call_errors_total{op, code}`.
pub struct MeteredGateway(pub Arc<dyn IntercomGateway>);

fn observe<T>(op: &'static str, started: Instant, result: Result<T, &GatewayError>) {
    metrics::histogram!("latchkey_ring_call_duration_seconds", "op" => op)
        .record(started.elapsed().as_secs_f64());
    if let Err(e) = result {
        metrics::counter!("latchkey_ring_call_errors_total", "op" => op, "code" => e.code()).increment(1);
    }
}

#[async_trait::async_trait]
impl IntercomGateway for MeteredGateway {
    async fn log_in(
        &self,
        hardware_id: &str,
        email: &str,
        password: &Secret,
        code: Option<Secret>,
    ) -> Result<Secret, GatewayError> {
        let started = Instant::now();
        let r = self.0.log_in(hardware_id, email, password, code).await;
        observe("log_in", started, r.as_ref().map(|_| ()));
        r
    }

    async fn test_token(
        &self,
        hardware_id: &str,
        refresh_token: &Secret,
    ) -> Result<Vec<RingLocationInfo>, GatewayError> {
        let started = Instant::now();
        let r = self.0.test_token(hardware_id, refresh_token).await;
        observe("test_token", started, r.as_ref().map(|_| ()));
        r
    }

    async fn intercoms(&self, account: &RingAccount) -> Result<Vec<IntercomInfo>, GatewayError> {
        let started = Instant::now();
        let r = self.0.intercoms(account).await;
        observe("intercoms", started, r.as_ref().map(|_| ()));
        r
    }

    async fn health(
        &self,
        account: &RingAccount,
        intercom: IntercomId,
    ) -> Result<IntercomHealth, GatewayError> {
        let started = Instant::now();
        let r = self.0.health(account, intercom).await;
        observe("health", started, r.as_ref().map(|_| ()));
        r
    }

    async fn unlock(&self, account: &RingAccount, intercom: IntercomId) -> Result<(), UnlockFailure> {
        let started = Instant::now();
        let r = self.0.unlock(account, intercom).await;
        observe("unlock", started, r.as_ref().map(|_| ()).map_err(|f| &f.error));
        r
    }

    async fn forget(&self, account: RingAccountId) {
        self.0.forget(account).await;
    }
}
