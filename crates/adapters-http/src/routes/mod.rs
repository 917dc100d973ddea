//! Every route, registered in one place so that the OpenAPI document and the server
//! cannot disagree about what exists.

pub mod admin;
pub mod auth;
pub mod dto;
pub mod health;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(health::health)
        .service(health::ready)
        .service(auth::csrf::csrf)
        .service(auth::login::login)
        .service(auth::logout::logout)
        .service(auth::me::me)
        .service(auth::password::change_password)
        .service(admin::users::list_users)
        .service(admin::users::create_user)
        .service(admin::user::update_user)
        .service(admin::user::disable_user)
        .service(admin::user::delete_user_permanently)
        .service(admin::user::reset_password)
        .service(admin::user::unlock_user)
        .service(admin::login_audit::login_audit)
        .service(admin::limits::get_limits)
        .service(admin::limits::set_limits);
}
