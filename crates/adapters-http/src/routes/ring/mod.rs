//! /api/ring: linked Ring accounts, linking (with 2FA), intercoms, health, unlock;
//! /api/audit and /api/admin/{devices,audit}.

pub mod accounts;
pub mod audit;
pub mod devices;
pub mod dto;
pub mod link;
pub mod unlock;
