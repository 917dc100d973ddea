//! Prometheus metrics: the process-wide recorder, the `GET /metrics` route and the
//! per-request measurements.
//!
//! Labels are bounded and secret-free: routes are the registered *templates*
//! (`/api/guest/{token}`), never the requested path, so no token can reach a label;
//! anything that matched no route is `unmatched`.

use std::sync::OnceLock;
use std::time::Duration;

use actix_web::{HttpResponse, get};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Seconds; from sub-millisecond lookups to Ring's 20 s unlock deadline.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 20.0,
];

static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the process-wide recorder once (later calls, as in tests that start many
/// servers in one process, reuse it). `false` if another recorder was installed first.
pub fn install() -> bool {
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Suffix("_seconds".into()), LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            describe();
            spawn_upkeep(handle.clone());
            Some(handle)
        })
        .is_some()
}

/// How often recorded latencies are folded into their histograms.
const UPKEEP_PERIOD: Duration = Duration::from_secs(5);
// Linux shows at most 15 characters of a thread name.
const UPKEEP_THREAD: &str = "metrics-upkeep";

/// The recorder keeps every latency sample (24 bytes) until upkeep folds it into its
/// histogram; upkeep used to run only when `/metrics` was scraped, so a server nobody
/// scraped grew by 24 bytes per request, for good.
fn spawn_upkeep(handle: PrometheusHandle) {
    let started = std::thread::Builder::new()
        .name(UPKEEP_THREAD.into())
        .spawn(move || {
            loop {
                std::thread::sleep(UPKEEP_PERIOD);
                handle.run_upkeep();
            }
        });
    if let Err(e) = started {
        tracing::warn!(error = %e, "metrics upkeep thread did not start; latency samples are folded only when /metrics is scraped");
    }
}

fn describe() {
    metrics::describe_counter!(
        "latchkey_http_requests_total",
        "HTTP requests by route template, method and status"
    );
    metrics::describe_histogram!(
        "latchkey_http_request_duration_seconds",
        metrics::Unit::Seconds,
        "HTTP request latency by route template"
    );
    metrics::describe_counter!(
        "latchkey_rate_limited_total",
        "Requests refused by a rate limit (429), by route template"
    );
    metrics::describe_counter!(
        "latchkey_unlocks_total",
        "Unlock attempts by actor (user, guest) and outcome"
    );
    metrics::describe_counter!("latchkey_logins_total", "Login attempts by outcome");
    metrics::describe_histogram!(
        "latchkey_ring_call_duration_seconds",
        metrics::Unit::Seconds,
        "Ring call latency by operation"
    );
    metrics::describe_counter!(
        "latchkey_ring_call_errors_total",
        "Failed Ring calls by operation and error code"
    );
}

/// Records one finished request.
pub fn record_request(method: &str, route: &str, status: u16, elapsed: Duration) {
    let status_label = status.to_string();
    // Extension methods are client-chosen strings: fold them into one label.
    // (`&'static str` labels are borrowed by the recorder, not copied per request.)
    let method: &'static str = match method {
        "GET" => "GET",
        "HEAD" => "HEAD",
        "POST" => "POST",
        "PUT" => "PUT",
        "PATCH" => "PATCH",
        "DELETE" => "DELETE",
        "OPTIONS" => "OPTIONS",
        _ => "OTHER",
    };
    metrics::counter!(
        "latchkey_http_requests_total",
        "method" => method,
        "route" => route.to_owned(),
        "status" => status_label
    )
    .increment(1);
    metrics::histogram!("latchkey_http_request_duration_seconds", "route" => route.to_owned())
        .record(elapsed.as_secs_f64());
    if status == 429 {
        metrics::counter!("latchkey_rate_limited_total", "route" => route.to_owned()).increment(1);
    }
}

/// Everything recorded so far, in the Prometheus text format.
#[utoipa::path(tag = "health",
    responses((status = 200, description = "Prometheus text exposition format (HTTP requests, latency, unlocks, logins, Ring calls, rate-limit rejections)", body = String, content_type = "text/plain")))]
#[get("/metrics")]
pub async fn metrics_endpoint() -> HttpResponse {
    let body = match HANDLE.get() {
        Some(Some(handle)) => {
            handle.run_upkeep();
            handle.render()
        }
        _ => String::new(),
    };
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Names of this process's threads.
    #[cfg(target_os = "linux")]
    fn thread_names() -> Vec<String> {
        std::fs::read_dir("/proc/self/task")
            .unwrap()
            .filter_map(|t| std::fs::read_to_string(t.ok()?.path().join("comm")).ok())
            .map(|n| n.trim().to_owned())
            .collect()
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn installing_the_recorder_starts_one_upkeep_thread() {
        assert!(install());
        assert!(install(), "a second install reuses the recorder");
        // A new thread names itself once it runs: give it a moment.
        let upkeep = || thread_names().into_iter().filter(|n| n == UPKEEP_THREAD).count();
        let deadline = std::time::Instant::now() + Duration::from_secs(5);
        while upkeep() == 0 && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        assert_eq!(upkeep(), 1, "latency samples would pile up until a scrape");
    }
}
