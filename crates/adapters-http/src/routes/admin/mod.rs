//! /api/admin: users, lockouts, the login audit and runtime limits. Admins only.

pub mod limits;
pub mod login_audit;
pub mod user;
pub mod users;
