//! Stopping on SIGTERM (service managers, `docker stop`) and SIGINT (Ctrl-C) alike:
//! stop accepting, let in-flight requests finish, then return from `Server::run`. A second
//! signal while requests are still finishing stops at once.

use crate::drain::Stopper;

pub(crate) async fn stop_on_signal(server: Stopper) {
    let mut signals = match Signals::install() {
        Ok(signals) => signals,
        Err(e) => {
            // The default behaviour stays: the signal ends the process.
            tracing::warn!(error = %e, "cannot listen for SIGTERM/SIGINT");
            return;
        }
    };
    let first = signals.next().await;
    tracing::info!(signal = first, "shutting down: finishing in-flight requests");
    let graceful = tokio::spawn({
        let server = server.clone();
        async move { server.stop().await }
    });
    let second = signals.next().await;
    tracing::warn!(signal = second, "second signal: stopping without waiting");
    server.stop_now().await;
    let _ = graceful.await;
}

#[cfg(unix)]
struct Signals {
    term: tokio::signal::unix::Signal,
    int: tokio::signal::unix::Signal,
}

#[cfg(unix)]
impl Signals {
    fn install() -> std::io::Result<Self> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            term: signal(SignalKind::terminate())?,
            int: signal(SignalKind::interrupt())?,
        })
    }

    async fn next(&mut self) -> &'static str {
        tokio::select! {
            _ = self.term.recv() => "SIGTERM",
            _ = self.int.recv() => "SIGINT",
        }
    }
}

#[cfg(not(unix))]
struct Signals;

#[cfg(not(unix))]
impl Signals {
    fn install() -> std::io::Result<Self> {
        Ok(Self)
    }

    async fn next(&mut self) -> &'static str {
        match tokio::signal::ctrl_c().await {
            Ok(()) => "Ctrl-C",
            // Cannot listen: never report a signal.
            Err(_) => std::future::pending().await,
        }
    }
}
