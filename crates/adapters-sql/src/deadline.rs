//! A deadline on each store operation once it holds a connection.
//!
//! The pool bounds the wait for a connection (and the connect itself); nothing in the
//! driver bounds a statement on a connection whose peer stopped answering: a network
//! partition or a hung server leaves it waiting forever. So every port body runs
//! through [`__bounded!`](crate::__bounded) with its store's `query_timeout()`: past
//! it the caller gets [`StoreError::Unavailable`] (503), and the connection is closed
//! instead of going back to the pool, since it may be stuck mid-statement or on a dead
//! path. A statement the database received may still complete after that; the caller
//! was told "unavailable", never "done".

use std::future::Future;
use std::time::Duration;

use latchkey_ports::StoreError;

/// The database did not answer within `after`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expired {
    pub after: Duration,
}

impl From<Expired> for StoreError {
    fn from(e: Expired) -> Self {
        StoreError::Unavailable(format!("no answer from the database within {:?}", e.after))
    }
}

/// Runs `work`, giving up after `limit` (never when `None`).
///
/// # Errors
/// [`Expired`] when `work` did not finish in time; it has been dropped by then.
pub async fn within<T>(
    limit: Option<Duration>,
    work: impl Future<Output = Result<T, StoreError>>,
) -> Result<Result<T, StoreError>, Expired> {
    match limit {
        None => Ok(work.await),
        Some(after) => tokio::time::timeout(after, work)
            .await
            .map_err(|_| Expired { after }),
    }
}

/// Runs `$body`, a port body using the pooled connection `$pooled`, within
/// `$store.query_timeout()`. When that runs out the connection is closed rather than
/// returned to the pool and the result is `StoreError::Unavailable`.
#[doc(hidden)]
#[macro_export]
macro_rules! __bounded {
    ($store:expr, $pooled:ident, $body:block) => {{
        let outcome = $crate::deadline::within($store.query_timeout(), async $body).await;
        match outcome {
            ::core::result::Result::Ok(done) => done,
            ::core::result::Result::Err(expired) => {
                ::core::mem::drop(
                    $crate::__private::diesel_async::pooled_connection::deadpool::Object::take($pooled),
                );
                ::core::result::Result::Err(expired.into())
            }
        }
    }};
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn work_past_the_limit_is_dropped_and_unavailable() {
        let slow = async {
            tokio::time::sleep(Duration::from_secs(10)).await;
            Ok::<_, StoreError>(1)
        };
        let limit = Duration::from_millis(20);
        assert_eq!(within(Some(limit), slow).await, Err(Expired { after: limit }));
        assert!(matches!(
            StoreError::from(Expired {
                after: Duration::from_secs(2)
            }),
            StoreError::Unavailable(_)
        ));
    }

    #[tokio::test]
    async fn work_in_time_or_without_a_limit_keeps_its_result() {
        let quick = async { Ok::<_, StoreError>(1) };
        assert_eq!(within(Some(Duration::from_secs(2)), quick).await, Ok(Ok(1)));
        let failing = async { Err::<i32, _>(StoreError::NotFound) };
        assert_eq!(within(None, failing).await, Ok(Err(StoreError::NotFound)));
    }
}
