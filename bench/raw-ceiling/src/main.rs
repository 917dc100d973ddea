//! `raw-ceiling <bind> <database-url> [pool-size]`: the framework + driver ceiling of
//! `cargo xtask bench`.
//!
//! One endpoint, `GET /api/guest/{token}`, doing what the server's guest lookup does at
//! its core and nothing else: hash the token (SHA-256, hex), run the same query (the link
//! joined to its owner and Ring account, by token hash) through a raw `tokio-postgres`
//! client from a `deadpool-postgres` pool with `prepare_cached`, answer a small JSON.
//! No rate limit, no middleware, no logging: whatever the real server adds on top is
//! its own cost.

use std::error::Error;

use actix_web::{App, HttpResponse, HttpServer, web};
use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tokio_postgres::NoTls;
use tokio_postgres::types::{FromSql, Type};

/// The server's `find_guest_link_by_token`, written out by hand.
const LOOKUP: &str = "SELECT gl.id, gl.owner_id, gl.ring_account_id, gl.intercom_id, gl.label, \
     gl.starts_at, gl.expires_at, gl.max_uses, gl.uses, gl.created_at, \
     (gl.disabled_at IS NOT NULL OR u.disabled OR ra.deleted_at IS NOT NULL) \
     FROM guest_links gl \
     INNER JOIN users u ON u.id = gl.owner_id \
     INNER JOIN ring_accounts ra ON ra.id = gl.ring_account_id \
     WHERE gl.token_hash = $1 LIMIT 1";

/// A `TIMESTAMP` column decoded from its binary form (µs since 2000-01-01), as diesel does.
struct Timestamp(OffsetDateTime);

impl<'a> FromSql<'a> for Timestamp {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, Box<dyn Error + Sync + Send>> {
        let micros = i64::from_be_bytes(raw.try_into()?);
        let unix_nanos = (i128::from(micros) + 946_684_800_000_000) * 1_000;
        Ok(Self(OffsetDateTime::from_unix_timestamp_nanos(unix_nanos)?))
    }

    fn accepts(ty: &Type) -> bool {
        *ty == Type::TIMESTAMP
    }
}

fn rfc3339(t: &Timestamp) -> String {
    t.0.format(&Rfc3339).unwrap_or_default()
}

async fn lookup(pool: web::Data<Pool>, token: web::Path<String>) -> HttpResponse {
    let hash = hex::encode(Sha256::digest(token.as_bytes()));
    let client = match pool.get().await {
        Ok(client) => client,
        Err(_) => return HttpResponse::ServiceUnavailable().finish(),
    };
    let row = match client.prepare_cached(LOOKUP).await {
        Ok(stmt) => client.query_opt(&stmt, &[&hash]).await,
        Err(e) => Err(e),
    };
    let row = match row {
        Ok(Some(row)) => row,
        Ok(None) => return HttpResponse::NotFound().finish(),
        Err(_) => return HttpResponse::ServiceUnavailable().finish(),
    };
    let decoded = (|| -> Result<serde_json::Value, tokio_postgres::Error> {
        let label: Option<String> = row.try_get(4)?;
        let starts: Timestamp = row.try_get(5)?;
        let expires: Timestamp = row.try_get(6)?;
        let max_uses: Option<i32> = row.try_get(7)?;
        let uses: i32 = row.try_get(8)?;
        let disabled: bool = row.try_get(10)?;
        let now = OffsetDateTime::now_utc();
        let valid = !disabled && starts.0 <= now && now < expires.0 && max_uses.is_none_or(|max| uses < max);
        Ok(json!({
            "token": token.as_str(),
            "label": label,
            "startsAt": rfc3339(&starts),
            "expiresAt": rfc3339(&expires),
            "valid": valid,
            "state": if valid { "active" } else { "inactive" },
        }))
    })();
    match decoded {
        Ok(body) => HttpResponse::Ok().json(body),
        Err(_) => HttpResponse::InternalServerError().finish(),
    }
}

#[actix_web::main]
async fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(bind), Some(url)) = (args.first(), args.get(1)) else {
        anyhow::bail!("usage: raw-ceiling <bind> <database-url> [pool-size]");
    };
    let pool_size: usize = args.get(2).map_or(Ok(8), |s| s.parse())?;
    let manager = Manager::from_config(
        url.parse::<tokio_postgres::Config>()?,
        NoTls,
        ManagerConfig {
            recycling_method: RecyclingMethod::Fast,
        },
    );
    let pool = Pool::builder(manager).max_size(pool_size).build()?;
    drop(pool.get().await?);
    let data = web::Data::new(pool);
    let server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .route("/api/guest/{token}", web::get().to(lookup))
            .route("/ready", web::get().to(HttpResponse::Ok))
    })
    .bind(bind.as_str())?;
    println!("raw-ceiling listening on {bind} (pool {pool_size})");
    server.run().await?;
    Ok(())
}
