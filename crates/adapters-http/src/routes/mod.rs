//! Every route, registered in one place so that the OpenAPI document and the server
//! cannot disagree about what exists.

pub mod admin;
pub mod auth;
pub mod dto;
pub mod guest;
pub mod guest_links;
pub mod guest_page;
pub mod health;
pub mod responses;
pub mod ring;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    // The router tries routes in this order: a fixed path costs a string comparison, a
    // path with a parameter a (regex-lite) match. The fixed hot paths come first, then
    // the public guest routes, the busiest parameterised ones (no other route can match
    // `/api/guest/…`); behind twenty-odd other routes their matching was ~8% of a guest
    // lookup's CPU.
    cfg.service(health::health)
        .service(health::ready)
        .service(crate::metrics::metrics_endpoint)
        .service(auth::csrf::csrf)
        .service(auth::login::login)
        .service(auth::logout::logout)
        .service(auth::me::me)
        .service(auth::password::change_password)
        .service(guest::view::show_link)
        .service(guest::unlock::unlock)
        .service(admin::users::list_users)
        .service(admin::users::create_user)
        .service(admin::user::update_user)
        .service(admin::user::disable_user)
        .service(admin::user::delete_user_permanently)
        .service(admin::user::reset_password)
        .service(admin::user::unlock_user)
        .service(admin::login_audit::login_audit)
        .service(admin::limits::get_limits)
        .service(admin::limits::set_limits)
        .service(ring::accounts::list_accounts)
        .service(ring::accounts::create_account)
        .service(ring::accounts::update_account)
        .service(ring::accounts::delete_account)
        .service(ring::link::start)
        .service(ring::link::verify)
        .service(ring::link::save_token)
        .service(ring::link::test_token)
        .service(ring::devices::status)
        .service(ring::devices::summary)
        .service(ring::devices::health_history)
        .service(ring::devices::admin_devices)
        .service(ring::unlock::unlock)
        .service(ring::audit::my_audit)
        .service(ring::audit::admin_audit)
        .service(guest_links::templates::list_templates)
        .service(guest_links::templates::create_template)
        .service(guest_links::templates::delete_template)
        .service(guest_links::links::list_links)
        .service(guest_links::links::create_link)
        .service(guest_links::links::disable_link)
        .service(guest_links::expiry::patch_expiry)
        .service(guest_links::expiry::put_expiry);
}
