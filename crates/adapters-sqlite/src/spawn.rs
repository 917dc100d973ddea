//! How SQLite's blocking calls run: on tokio's blocking pool, and never abandoned.
//!
//! diesel-async's default spawner waits for an abandoned query with
//! `block_in_place`, which panics on a current-thread runtime — and every actix-web
//! worker is one. A query future is abandoned whenever actix drops a request early (a
//! sibling extractor failed, the client went away), so the default would crash workers.
//! Detaching instead would hand the pooled connection to the next request while the
//! old query still holds it. So when a pending query is dropped, this waits for it on
//! the spot: the worker thread blocks for the rest of one SQLite statement, and the
//! connection returns to the pool only once it is really free.

use std::error::Error;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc;
use std::task::{Context, Poll};

use diesel_async::sync_connection_wrapper::SpawnBlocking;
use futures::future::BoxFuture;
use tokio::task::JoinHandle;

type BoxError = Box<dyn Error + Send + Sync + 'static>;

#[derive(Debug, Default, Clone, Copy)]
pub struct WaitOnDrop;

impl SpawnBlocking for WaitOnDrop {
    fn spawn_blocking<'a, R>(
        &mut self,
        task: impl FnOnce() -> R + Send + 'static,
    ) -> BoxFuture<'a, Result<R, BoxError>>
    where
        R: Send + 'static,
    {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Outside any runtime there is nothing to keep responsive: run it here.
            let result = task();
            return Box::pin(std::future::ready(Ok(result)));
        };
        // The sender lives exactly as long as the task; its drop is the "done" signal.
        let (done, finished) = mpsc::sync_channel::<()>(0);
        let handle = runtime.spawn_blocking(move || {
            let _done = done;
            task()
        });
        Box::pin(Pending {
            handle,
            finished: Some(finished),
        })
    }

    fn get_runtime() -> Self {
        WaitOnDrop
    }
}

struct Pending<R> {
    handle: JoinHandle<R>,
    finished: Option<mpsc::Receiver<()>>,
}

impl<R> Future for Pending<R> {
    type Output = Result<R, BoxError>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match Pin::new(&mut self.handle).poll(cx) {
            Poll::Ready(result) => {
                self.finished = None;
                Poll::Ready(result.map_err(BoxError::from))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<R> Drop for Pending<R> {
    fn drop(&mut self) {
        if let Some(finished) = self.finished.take() {
            // Returns once the task ends (its sender is dropped), however it ends.
            let _ = finished.recv();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn dropping_a_pending_query_on_a_current_thread_runtime_waits_instead_of_panicking() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        rt.block_on(async move {
            let fut = WaitOnDrop.spawn_blocking(move || {
                std::thread::sleep(Duration::from_millis(50));
                flag.store(true, Ordering::SeqCst);
            });
            // Poll once so the task is running, then abandon it.
            let _ = tokio::time::timeout(Duration::from_millis(1), fut).await;
        });
        assert!(
            ran.load(Ordering::SeqCst),
            "the query finished before the drop returned"
        );
    }

    #[tokio::test]
    async fn completed_queries_return_their_value() {
        assert_eq!(WaitOnDrop.spawn_blocking(|| 7).await.unwrap(), 7);
    }
}
