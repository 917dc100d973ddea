//! Each thread's calls go out on that thread's own connections (`client/per_thread.rs`).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use latchkey_ring::{ApiAuth, RingClient, RingClientConfig, RingSecret};

use crate::support::hid;

/// An HTTP/1.1 server that answers every request 404 on a kept-alive connection and
/// counts the connections it accepted.
fn counting_server() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            std::thread::spawn(move || serve(stream));
        }
    });
    (base, accepted)
}

fn serve(stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut writer = stream;
    loop {
        let mut length = 0;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            if line == "\r\n" {
                break;
            }
            if let Some((name, value)) = line.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        if writer
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n")
            .is_err()
        {
            return;
        }
    }
}

/// One call from the current thread; its answer (a 404) does not matter here.
async fn call(client: &RingClient) {
    let (hid, token) = (hid(), RingSecret::from("token".to_owned()));
    let auth = ApiAuth {
        hardware_id: &hid,
        access_token: &token,
    };
    assert!(client.devices(&auth).await.is_err());
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn each_thread_calls_on_its_own_connection_and_keeps_it() {
    let (base, accepted) = counting_server();
    let config = RingClientConfig::new(base.clone(), base).with_request_timeout(Duration::from_secs(5));
    let client = RingClient::new(config).unwrap();

    // Thread A calls once and keeps its runtime running (so its idle connection stays
    // usable) until thread B is done; B calls twice meanwhile.
    let (a_called, wait_for_a) = std::sync::mpsc::channel();
    let (b_done, wait_for_b) = tokio::sync::oneshot::channel::<()>();
    let a = {
        let client = client.clone();
        std::thread::spawn(move || {
            current_thread().block_on(async {
                call(&client).await;
                a_called.send(()).unwrap();
                wait_for_b.await.unwrap();
            });
        })
    };
    wait_for_a.recv().unwrap();
    let b = std::thread::spawn(move || {
        current_thread().block_on(async {
            call(&client).await;
            call(&client).await;
        });
        b_done.send(()).unwrap();
    });
    b.join().unwrap();
    a.join().unwrap();
    // One shared client would have handed B the connection A opened, driven by A's
    // runtime on A's thread: one connection in all.
    assert_eq!(accepted.load(Ordering::SeqCst), 2);
}
