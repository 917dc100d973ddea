//! A JSON body extractor whose errors name the field at fault and never become a 500.
//!
//! Errors are deferred to the handler (`into_inner()?`): actix runs a handler's
//! extractors concurrently and stops at the first failure, so an eager body error
//! would both answer 400 before authentication could answer 401/403, and cancel the
//! authentication's database call midway.

use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::web::Bytes;
use actix_web::{FromRequest, HttpRequest};
use futures::future::LocalBoxFuture;
use serde::de::DeserializeOwned;

use crate::problem::ApiError;

/// Largest JSON body any endpoint accepts.
pub const MAX_BODY_BYTES: usize = 64 * 1024;

#[derive(Debug)]
pub struct Json<T>(Result<T, ApiError>);

impl<T> Json<T> {
    /// The parsed body, or the 4xx explaining why there is none.
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

fn is_json(req: &HttpRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|mime| {
            let mime = mime.trim().to_ascii_lowercase();
            mime == "application/json" || (mime.starts_with("application/") && mime.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// Parses `bytes` into `T`, naming the offending field (`a.b[2]`) on failure.
///
/// The whole body is read as one JSON value first, so bytes that are not UTF-8 in a
/// field the DTO ignores, or anything after the object, are refused too (both found by
/// `cargo xtask fuzz`). Every body the API takes is a JSON object: anything else is refused here, as serde
/// would read a struct from an array positionally (`[null, null]`). A number with a zero
/// fraction (`5.0`) is the integer it equals: JSON Schema's `integer` — what the API
/// document says — admits it, so integer fields accept it.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut value: serde_json::Value =
        serde_json::from_slice(bytes).map_err(|err| ApiError::bad_request("invalid_body", describe(&err)))?;
    if !value.is_object() {
        return Err(ApiError::bad_request(
            "invalid_body",
            "the body must be a JSON object",
        ));
    }
    integral_floats_as_integers(&mut value);
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        let api = ApiError::bad_request("invalid_body", describe(&inner));
        // Serde reports a missing field at the parent path; name it from the message.
        match missing_field(&inner) {
            Some(missing) => api.field(missing),
            None if path != "." => api.field(path),
            None => api,
        }
    })
}

fn integral_floats_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            // Bounds are powers of two, exact in f64; inside them the cast is exact too.
            const I64_END: f64 = 9_223_372_036_854_775_808.0;
            const U64_END: f64 = 18_446_744_073_709_551_616.0;
            if let Some(f) = n.as_f64().filter(|f| n.is_f64() && f.fract() == 0.0) {
                if (-I64_END..I64_END).contains(&f) {
                    *value = Value::from(f as i64);
                } else if (0.0..U64_END).contains(&f) {
                    *value = Value::from(f as u64);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(integral_floats_as_integers),
        Value::Null | Value::Bool(_) | Value::String(_) => {}
    }
}

fn describe(err: &serde_json::Error) -> String {
    use serde_json::error::Category;
    match err.classify() {
        Category::Syntax | Category::Eof => format!("the body is not valid JSON ({err})"),
        Category::Data => err.to_string(),
        Category::Io => "the body could not be read".to_owned(),
    }
}

fn missing_field(err: &serde_json::Error) -> Option<String> {
    let msg = err.to_string();
    let rest = msg.strip_prefix("missing field `")?;
    rest.split('`').next().map(str::to_owned)
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = std::convert::Infallible;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let json = is_json(req);
        let too_big = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<usize>().ok())
            .is_some_and(|len| len > MAX_BODY_BYTES);
        let bytes = Bytes::from_request(req, payload);
        Box::pin(async move {
            if too_big {
                return Ok(Json(Err(payload_too_large())));
            }
            if !json {
                return Ok(Json(Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                )
                .detail("send the body as application/json"))));
            }
            Ok(Json(match bytes.await {
                Ok(bytes) => parse(&bytes),
                Err(_) => Err(payload_too_large()),
            }))
        })
    }
}

fn payload_too_large() -> ApiError {
    ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large")
        .detail(format!("the body must be at most {MAX_BODY_BYTES} bytes"))
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    #[allow(dead_code)]
    struct Body {
        name: String,
        max_uses: Option<u32>,
    }

    #[test]
    fn names_the_wrong_typed_field() {
        let err = parse::<Body>(br#"{"name":"a","maxUses":"x"}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("maxUses"));
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
    }

    #[test]
    fn names_the_missing_field() {
        let err = parse::<Body>(br#"{}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("name"));
    }

    #[test]
    fn integral_floats_are_integers() {
        let body = parse::<Body>(br#"{"name":"a","maxUses":5.0}"#).unwrap();
        assert_eq!(body.max_uses, Some(5));
        let err = parse::<Body>(br#"{"name":"a","maxUses":5.5}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("maxUses"));
        let err = parse::<Body>(br#"{"name":"a","maxUses":-1.0}"#).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("maxUses"));
        assert!(parse::<Body>(br#"{"name":"a","maxUses":1e300}"#).is_err());
    }

    #[test]
    fn syntax_errors_and_unknown_fields_are_400() {
        assert_eq!(parse::<Body>(b"{not json").unwrap_err().code, "invalid_body");
        assert_eq!(
            parse::<Body>(br#"{"name":"a","evil":1}"#).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
        assert_eq!(parse::<Body>(b"").unwrap_err().status, StatusCode::BAD_REQUEST);
        // serde alone would take an array for a struct, field by field.
        assert_eq!(parse::<Body>(br#"["a", 1]"#).unwrap_err().code, "invalid_body");
        assert_eq!(parse::<Body>(b"null").unwrap_err().code, "invalid_body");
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Lenient {
        name: String,
    }

    /// Found by `cargo xtask fuzz` (json_bodies): bytes that are not UTF-8 passed in
    /// the string of a field the DTO ignores.
    #[test]
    fn a_body_is_utf8_throughout() {
        assert!(parse::<Lenient>(br#"{"name":"a","extra":"x"}"#).is_ok());
        let err = parse::<Lenient>(b"{\"name\":\"a\",\"extra\":\"\xbe\xbe\"}").unwrap_err();
        assert_eq!((err.status, err.code), (StatusCode::BAD_REQUEST, "invalid_body"));
    }

    /// Found by `cargo xtask fuzz` (json_bodies): a body was accepted with anything
    /// after its object, and as an array of the fields' values.
    #[test]
    fn only_one_object_is_a_body() {
        assert!(parse::<Body>(b" {\"name\":\"a\"} \r\n").is_ok());
        for bad in [
            &br#"{"name":"a"}refreshToken"#[..],
            br#"{"name":"a"} {"name":"b"}"#,
            br#"{"name":"a"}}"#,
            br#"["a", 3]"#,
            br#" ["a"]"#,
            b"\"a\"",
            b"null",
        ] {
            let err = parse::<Body>(bad).unwrap_err();
            assert_eq!(
                (err.status, err.code),
                (StatusCode::BAD_REQUEST, "invalid_body"),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }
}

/// Query-string parameters, with errors deferred like [`Json`]'s.
#[derive(Debug)]
pub struct Query<T>(Result<T, ApiError>);

impl<T> Query<T> {
    pub fn into_inner(self) -> Result<T, ApiError> {
        self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Query<T> {
    type Error = std::convert::Infallible;
    type Future = std::future::Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let parsed = actix_web::web::Query::<T>::from_query(req.query_string())
            .map(actix_web::web::Query::into_inner)
            .map_err(|e| ApiError::bad_request("invalid_query", e.to_string()));
        std::future::ready(Ok(Query(parsed)))
    }
}
