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
            Some(handle)
        })
        .is_some()
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
