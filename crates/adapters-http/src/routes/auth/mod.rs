//! /api/auth: CSRF tokens, login, logout, the current user, password change.

pub mod csrf;
pub mod login;
pub mod logout;
pub mod me;
pub mod password;
mod session_response;
