//! Starting and stopping the actix-web server on the caller's tokio runtime.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::dev::ServerHandle;
use actix_web::{App, HttpServer, web};
use tokio::task::JoinHandle;

use crate::config::SimConfig;
use crate::error::SimError;
use crate::handle::SimHandle;
use crate::routes;
use crate::state::SimState;

/// Entry point: starts simulators.
#[derive(Debug)]
pub struct RingSimulator;

impl RingSimulator {
    /// Starts a simulator on `127.0.0.1` with an OS-chosen port.
    ///
    /// Must be called inside a tokio runtime (e.g. a `#[tokio::test]`): the server future is
    /// spawned on it, and actix runs its workers on their own threads.
    pub fn start(config: SimConfig) -> Result<RunningSim, SimError> {
        Self::start_on(config, SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// Starts a simulator listening on `addr`.
    pub fn start_on(config: SimConfig, addr: SocketAddr) -> Result<RunningSim, SimError> {
        let runtime = tokio::runtime::Handle::try_current().map_err(|_| SimError::NoRuntime)?;
        let workers = config.workers.max(1);
        let state = Arc::new(SimState::new(config)?);
        let listener = TcpListener::bind(addr)?;
        let addr = listener.local_addr()?;
        let data = web::Data::from(Arc::clone(&state));
        let server = HttpServer::new(move || App::new().app_data(data.clone()).configure(routes::configure))
            .workers(workers)
            // The owner decides when to stop (tests, or the binary on Ctrl-C).
            .disable_signals()
            // Hanging requests are released by `stop`, so a short grace period is enough.
            .shutdown_timeout(1)
            .listen(listener)?
            .run();
        let server_handle = server.handle();
        let task = runtime.spawn(server);
        Ok(RunningSim {
            base_url: format!("http://{addr}"),
            addr,
            handle: SimHandle::new(Arc::clone(&state)),
            state,
            server: server_handle,
            task,
        })
    }
}

/// A simulator that is serving requests. Dropping it without `stop` leaves the server running
/// until the runtime shuts down.
#[derive(Debug)]
pub struct RunningSim {
    base_url: String,
    addr: SocketAddr,
    handle: SimHandle,
    state: Arc<SimState>,
    server: ServerHandle,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningSim {
    /// `http://127.0.0.1:<port>`: both the OAuth and the API base URL.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The bound socket address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The control handle (fault injection, counters, accounts).
    pub fn handle(&self) -> &SimHandle {
        &self.handle
    }

    /// Releases hanging requests and stops the server gracefully.
    pub async fn stop(self) -> Result<(), SimError> {
        self.state.begin_shutdown();
        self.server.stop(true).await;
        match self.task.await {
            Ok(result) => result.map_err(SimError::from),
            // The task was cancelled or panicked: the server is gone either way.
            Err(_) => Ok(()),
        }
    }
}
