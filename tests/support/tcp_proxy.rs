//! A TCP proxy a test can break: the server under test talks to PostgreSQL through it,
//! and the test decides when the network fails and how.
//!
//! - [`cut`](TcpProxy::cut): every live connection is closed at once, and new ones are
//!   accepted and closed straight away (the database restarted, or went away).
//! - [`blackhole`](TcpProxy::blackhole): nothing is forwarded any more, in either
//!   direction, on live connections and on new ones, which are accepted and then never
//!   answered (a partition, a hung server). Bytes sent meanwhile are held, never
//!   delivered.
//! - [`restore`](TcpProxy::restore): new connections are forwarded again. Connections
//!   that lived through a blackhole are closed then (without delivering what they
//!   held), as a partition that ends with its connections reset.

use std::net::SocketAddr;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::JoinHandle;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    Forward,
    Cut,
    Blackhole,
}

/// The mode, and the epoch that connections belong to: a connection ends when the
/// epoch it started in does.
#[derive(Debug, Clone, Copy)]
struct State {
    mode: Mode,
    epoch: u64,
}

pub struct TcpProxy {
    addr: SocketAddr,
    state: watch::Sender<State>,
    accept: JoinHandle<()>,
}

impl TcpProxy {
    /// Listens on `127.0.0.1:0` and forwards every connection to `upstream`.
    pub async fn start(upstream: SocketAddr) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (state, watcher) = watch::channel(State {
            mode: Mode::Forward,
            epoch: 0,
        });
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                let _ = client.set_nodelay(true);
                tokio::spawn(serve(client, upstream, watcher.clone()));
            }
        });
        Self { addr, state, accept }
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Closes every live connection and refuses new ones until [`restore`](Self::restore).
    pub fn cut(&self) {
        self.state.send_modify(|s| {
            s.mode = Mode::Cut;
            s.epoch += 1;
        });
    }

    /// Stops forwarding anything, on live connections and new ones alike.
    pub fn blackhole(&self) {
        self.state.send_modify(|s| s.mode = Mode::Blackhole);
    }

    /// Forwards new connections again; closes those that lived through a blackhole.
    pub fn restore(&self) {
        self.state.send_modify(|s| {
            if s.mode != Mode::Forward {
                s.mode = Mode::Forward;
                s.epoch += 1;
            }
        });
    }
}

impl Drop for TcpProxy {
    fn drop(&mut self) {
        self.accept.abort();
        // Dropping `state` ends every connection task (their receivers see it closed).
    }
}

async fn serve(client: TcpStream, upstream: SocketAddr, mut watcher: watch::Receiver<State>) {
    let State { mode, epoch } = *watcher.borrow_and_update();
    match mode {
        Mode::Cut => return,
        // Accepted, never answered: hold the socket until the epoch ends.
        Mode::Blackhole => {
            ended(&mut watcher, epoch).await;
            return;
        }
        Mode::Forward => {}
    }
    let Ok(server) = TcpStream::connect(upstream).await else {
        return;
    };
    let _ = server.set_nodelay(true);
    let (from_client, to_client) = client.into_split();
    let (from_server, to_server) = server.into_split();
    let mut end = watcher.clone();
    tokio::select! {
        () = pump(from_client, to_server, watcher.clone(), epoch) => {}
        () = pump(from_server, to_client, watcher, epoch) => {}
        () = ended(&mut end, epoch) => {}
    }
    // Every half is dropped here: both sockets close.
}

/// Copies one direction, holding each chunk while the proxy is blackholed.
async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    mut watcher: watch::Receiver<State>,
    epoch: u64,
) {
    let mut buf = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) | Err(_) => return,
            Ok(n) => n,
        };
        let open = watcher
            .wait_for(|s| s.epoch != epoch || s.mode == Mode::Forward)
            .await
            .is_ok_and(|s| s.epoch == epoch);
        if !open || to.write_all(&buf[..n]).await.is_err() {
            return;
        }
    }
}

/// Returns once the proxy leaves `epoch` (or is dropped).
async fn ended(watcher: &mut watch::Receiver<State>, epoch: u64) {
    let _ = watcher.wait_for(|s| s.epoch != epoch).await;
}
