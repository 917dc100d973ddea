#![doc = include_str!("../README.md")]

pub mod auth;
pub mod client_ip;
pub mod errors;
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing;
pub mod json;
pub mod metrics;
pub mod middleware;
pub mod openapi;
pub mod problem;
pub mod rate_limit;
pub mod routes;
pub mod state;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::{App, web};
use utoipa::OpenApi;
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;

pub use auth::ServerKeys;
pub use client_ip::TrustedProxies;
pub use problem::{ApiError, Problem};
pub use state::{AppState, HttpConfig, UseCases};

/// The whole HTTP application: routes, docs, error handlers and middleware.
pub fn app(
    state: web::Data<AppState>,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    crate::metrics::install();
    let secure = state.config.secure;
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts();
    let known_routes = web::Data::new(middleware::KnownRoutes::new(&api));
    app.app_data(state)
        .app_data(known_routes)
        .app_data(middleware::query_config())
        .app_data(middleware::path_config())
        .app_data(web::PayloadConfig::new(json::MAX_BODY_BYTES))
        .service(SwaggerUi::new("/api/docs/{_:.*}").url("/api/openapi.json", api))
        .configure(routes::guest_page::configure)
        .default_service(web::to(middleware::not_found))
        .wrap(middleware::security_headers(secure))
        .wrap(actix_web::middleware::from_fn(middleware::request_log))
}

/// The OpenAPI document, built from the same registrations the server uses.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    App::new()
        .into_utoipa_app()
        .openapi(openapi::ApiDoc::openapi())
        .configure(routes::configure)
        .split_for_parts()
        .1
}
