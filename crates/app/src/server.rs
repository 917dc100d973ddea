//! Builds the whole service from a [`Config`]: store, ports, use cases, HTTP server and
//! background jobs. Tests call [`build`] with port 0 and drive the result over HTTP.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;
use std::time::Duration;

use actix_web::middleware::from_fn;
use actix_web::{HttpServer, web};
use anyhow::Context;
use latchkey_application::{
    AdminUsers, Bootstrap, BootstrapOutcome, GuestService, Identity, Policies, Ports, RateLimitSettings,
    Readiness, RingService,
};
use latchkey_domain::{PlainPassword, SessionPolicy};
use latchkey_http::{AppState, HttpConfig, ServerKeys, UseCases};
use latchkey_ports::{PasswordHasher, RingAuthAttemptStore, StoreHealth};
use secrecy::ExposeSecret;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::drain::{self, InFlight, Stopper};
use crate::metered::{MeteredLoginAudit, MeteredUnlockAudit};
use crate::ring_wiring::RingWiring;
use crate::security::{Argon2Hasher, OsRandom, SystemClock, server_secret};
use crate::shutdown;
use crate::stores::{self, StorePorts};

/// How often the rate-limit settings are re-read, so other instances' changes arrive.
const SETTINGS_REFRESH: Duration = Duration::from_secs(5);
/// How often the SQLite WAL is checkpointed in the background while it is written to,
/// and at most while it is not (`latchkey_sqlite::SqliteStore::spawn_checkpointer`).
const WAL_CHECKPOINT_BUSY: Duration = Duration::from_millis(50);
const WAL_CHECKPOINT_IDLE: Duration = Duration::from_secs(2);
/// How often expired and idle sessions are purged.
const SESSION_SWEEP: Duration = Duration::from_secs(600);
/// How long requests in progress may take to finish after a stop signal: above the
/// default unlock timeout (20 s), so a guest whose door is being opened gets the answer.
pub const SHUTDOWN_GRACE: Duration = Duration::from_secs(30);

/// A bound, not yet running server.
pub struct Server {
    pub addr: SocketAddr,
    /// `(username, generated password)` when this start created the first administrator;
    /// the password only when none was configured.
    pub bootstrap: Option<(String, Option<String>)>,
    /// The base of shareable links (the public URL, or `http://<addr>`).
    pub public_url: String,
    services: Services,
    server: actix_web::dev::Server,
    in_flight: Arc<InFlight>,
    jobs: Vec<JoinHandle<()>>,
    /// One handle on the store, dropped last by `run` (see [`drain::close_store`]).
    store: Arc<dyn StoreHealth>,
    listen_for_signals: bool,
}

/// The use cases the demo seeds its data through (the HTTP edge has its own copies).
#[derive(Debug, Clone)]
pub struct Services {
    pub admin: AdminUsers,
    pub ring: RingService,
    pub guest: GuestService,
}

impl std::fmt::Debug for Server {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("addr", &self.addr)
            .finish_non_exhaustive()
    }
}

impl Server {
    pub fn handle(&self) -> actix_web::dev::ServerHandle {
        self.server.handle()
    }

    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Stops like SIGTERM does: no new connections, requests in progress finish (with
    /// every worker still alive, see [`drain`](crate::drain)), then the workers stop.
    pub fn stopper(&self) -> Stopper {
        Stopper {
            server: self.server.handle(),
            in_flight: self.in_flight.clone(),
            grace: SHUTDOWN_GRACE,
        }
    }

    /// Serves until stopped: by SIGTERM or SIGINT (unless signals are disabled), the
    /// [`stopper`](Self::stopper) or the [`handle`](Self::handle). Stopping lets
    /// in-flight requests finish (up to [`SHUTDOWN_GRACE`]), then stops the background
    /// jobs, then closes the store's connection pool.
    pub async fn run(self) -> std::io::Result<()> {
        let signals = self
            .listen_for_signals
            .then(|| tokio::spawn(shutdown::stop_on_signal(self.stopper())));
        let Self {
            server,
            jobs,
            store,
            services,
            ..
        } = self;
        drop(services);
        let result = server.await;
        if let Some(signals) = signals {
            signals.abort();
        }
        for job in &jobs {
            job.abort();
        }
        for job in jobs {
            // Cancelled, or already ended: either way its handles are dropped now.
            let _ = job.await;
        }
        tracing::info!("background jobs stopped");
        drain::close_store(store).await;
        result
    }
}

/// Extra switches for embedding (tests).
#[derive(Debug, Clone, Copy, Default)]
pub struct BuildOptions {
    /// Leave SIGINT/SIGTERM alone (the test harness owns the process).
    pub disable_signals: bool,
}

/// The identity policies the configuration sets (also used by the `admin` commands).
pub(crate) fn policies(config: &Config) -> Policies {
    Policies {
        session: SessionPolicy {
            idle_timeout: time::Duration::minutes(config.session_idle_minutes),
            absolute_lifetime: time::Duration::hours(config.session_absolute_hours),
            ..SessionPolicy::default()
        },
        ..Policies::default()
    }
}

fn cores() -> usize {
    std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2)
}

pub async fn build(config: &Config, options: BuildOptions) -> anyhow::Result<Server> {
    let secret = server_secret::load_or_create(
        config.secret.as_ref().map(|s| s.expose_secret()),
        &config.data_dir,
    )?;
    let workers = config.workers.unwrap_or_else(cores);
    let stores::ServerStores {
        requests: mut store,
        background,
    } = stores::open_for_server(config.database_url.expose_secret(), config.db_pool_size, workers).await?;
    // Every unlock and login attempt writes one audit row: count them there.
    store.unlock_audit = Arc::new(MeteredUnlockAudit(store.unlock_audit.clone()));
    store.login_audit = Arc::new(MeteredLoginAudit(store.login_audit.clone()));
    let cores = cores();
    let ring_wiring = RingWiring::new(config, &background, &secret)?;
    let (ring, guest) = ring_wiring.services(&store);
    let (background_ring, background_guest) = ring_wiring.services(&background);
    let ring_attempts = background.ring_attempts.clone();
    let store_handle = store.health.clone();
    let checkpointer = store
        .sqlite
        .as_ref()
        .map(|sqlite| sqlite.spawn_checkpointer(WAL_CHECKPOINT_BUSY, WAL_CHECKPOINT_IDLE));
    // One hashing pool; start-up and the jobs read and write through the background pool.
    let hasher: Arc<dyn PasswordHasher> = Arc::new(Argon2Hasher::new(cores)?);
    let ports = identity_ports(&store, hasher.clone());
    let background_ports = identity_ports(&background, hasher);
    let policies = policies(config);

    let outcome = Bootstrap::new(background_ports.clone(), policies)
        .ensure_admin(
            config.admin_username.as_deref(),
            config
                .admin_password
                .as_ref()
                .map(|p| PlainPassword::new(p.expose_secret())),
        )
        .await
        .context("creating the first administrator")?;
    let bootstrap = match outcome {
        BootstrapOutcome::AlreadyInitialised => None,
        BootstrapOutcome::AdminCreated {
            username,
            generated_password,
        } => Some((username, generated_password.map(|p| p.expose().to_owned()))),
    };

    let limits = RateLimitSettings::new(background_ports.settings.clone());
    limits.refresh().await.context("reading rate-limit settings")?;
    let services = Services {
        admin: AdminUsers::new(background_ports.clone(), policies),
        ring: background_ring.clone(),
        guest: background_guest,
    };
    let use_cases = UseCases {
        identity: Identity::new(ports.clone(), policies),
        admin: AdminUsers::new(ports.clone(), policies),
        ring: ring.clone(),
        guest,
        limits: limits.clone(),
        readiness: Readiness::new(ports.health.clone()),
    };
    let listener = TcpListener::bind(config.bind).with_context(|| format!("binding {}", config.bind))?;
    let addr = listener.local_addr()?;
    let public_url = config.public_url_for(addr);
    let http_config = HttpConfig {
        secure: config.is_tls(),
        trusted_proxies: config.trusted_proxies.clone(),
        public_url: public_url.clone(),
    };
    let state = web::Data::new(AppState::new(use_cases, ServerKeys::derive(&secret), http_config));
    let app_state = state.clone();
    let in_flight = web::Data::new(InFlight::default());
    let counter = in_flight.clone();
    let server = HttpServer::new(move || {
        latchkey_http::app(app_state.clone())
            .app_data(counter.clone())
            .wrap(from_fn(drain::track))
    })
    .workers(workers)
    .shutdown_timeout(SHUTDOWN_GRACE.as_secs())
    // Our own handler (see `run`): actix treats SIGINT as a forced stop that drops
    // in-flight requests; an operator's Ctrl-C deserves the same grace as SIGTERM.
    .disable_signals()
    .listen(listener)?
    .run();

    let mut jobs = vec![
        spawn_settings_refresh(limits),
        spawn_session_sweep(background_ports, policies, ring_attempts),
        spawn_health_poller(background_ring, config),
    ];
    jobs.extend(checkpointer);
    Ok(Server {
        addr,
        bootstrap,
        public_url,
        services,
        server,
        in_flight: in_flight.into_inner(),
        jobs,
        store: store_handle,
        listen_for_signals: !options.disable_signals,
    })
}

fn spawn_health_poller(ring: RingService, config: &Config) -> JoinHandle<()> {
    let every = Duration::from_secs(config.health_poll_secs);
    let retention = time::Duration::days(config.health_retention_days);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        loop {
            tick.tick().await;
            match ring.poll_health(retention).await {
                Ok(n) => tracing::debug!(snapshots = n, "health poll"),
                Err(e) => tracing::warn!(error = %e, "health poll failed"),
            }
        }
    })
}

/// The identity slice's ports on `store` (also used by the `admin` commands).
pub(crate) fn ports(store: StorePorts) -> anyhow::Result<Ports> {
    Ok(identity_ports(&store, Arc::new(Argon2Hasher::new(cores())?)))
}

/// The identity slice's ports on `store`, hashing with `hasher`.
fn identity_ports(store: &StorePorts, hasher: Arc<dyn PasswordHasher>) -> Ports {
    Ports {
        users: store.users.clone(),
        sessions: store.sessions.clone(),
        login_audit: store.login_audit.clone(),
        settings: store.settings.clone(),
        health: store.health.clone(),
        hasher,
        clock: Arc::new(SystemClock),
        random: Arc::new(OsRandom),
    }
}

fn spawn_settings_refresh(limits: RateLimitSettings) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SETTINGS_REFRESH);
        loop {
            tick.tick().await;
            if let Err(e) = limits.refresh().await {
                tracing::warn!(error = %e, "could not refresh rate-limit settings; keeping the last known");
            }
        }
    })
}

/// Purges stale sessions, and pending Ring logins (with their sealed credentials)
/// once they expire.
fn spawn_session_sweep(
    ports: Ports,
    policies: Policies,
    ring_attempts: Arc<dyn RingAuthAttemptStore>,
) -> JoinHandle<()> {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(SESSION_SWEEP);
        loop {
            tick.tick().await;
            let now = ports.clock.now();
            match ports
                .sessions
                .delete_stale_sessions(now, now - policies.session.idle_timeout)
                .await
            {
                Ok(0) => {}
                Ok(n) => tracing::info!(deleted = n, "swept stale sessions"),
                Err(e) => tracing::warn!(error = %e, "session sweep failed"),
            }
            if let Err(e) = ring_attempts.delete_expired_ring_auth_attempts(now).await {
                tracing::warn!(error = %e, "sweep of expired Ring logins failed");
            }
        }
    })
}
