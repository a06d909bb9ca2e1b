//! HTTP routes of protocol v1, their extractors and the OpenAPI document.
//!
//! Every answer is JSON with `Cache-Control: no-store`; responses are gzip-compressed when
//! the client accepts it and request bodies may be gzip-compressed. Every refusal (malformed
//! JSON, wrong content type, oversized body, unknown route, wrong method) is a 4xx with the
//! JSON error `{code, message}`: see [`json_errors`].

use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chaski_wire::{
    self as wire, ApiError, ConflictList, ConflictQuery, EnrollRequest, EnrollResponse,
    HelloRequest, HelloResponse, NumberBlock, PullPage, PullQuery, PushRequest, PushResponse,
    ReserveRequest, ResolveRequest,
};
use serde::de::DeserializeOwned;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::decompression::RequestDecompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use utoipa::OpenApi;
use uuid::Uuid;

use crate::devices::{self, DeviceRow};
use crate::error::ServerError;
use crate::storage::Storage;
use crate::{conflicts, data_schema, numbers, pull, push};

/// Largest request body after decompression (a full push of 1000 changes fits easily).
pub const MAX_BODY_BYTES: usize = 16 * 1024 * 1024;

/// Shared state of the handlers.
#[derive(Clone, Debug)]
pub struct AppState {
    /// The database.
    pub storage: Storage,
}

/// Every route, as (method, path): the OpenAPI document must list exactly these.
pub const ROUTES: &[(&str, &str)] = &[
    ("post", "/v1/hello"),
    ("post", "/v1/enroll"),
    ("post", "/v1/push"),
    ("get", "/v1/pull"),
    ("post", "/v1/numbers/reserve"),
    ("get", "/v1/conflicts"),
    ("post", "/v1/conflicts/{conflict_id}/resolve"),
    ("get", "/v1/openapi.json"),
];

/// The application.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/v1/hello", post(hello))
        .route("/v1/enroll", post(enroll))
        .route("/v1/push", post(push))
        .route("/v1/pull", get(pull))
        .route("/v1/numbers/reserve", post(reserve))
        .route("/v1/conflicts", get(conflicts))
        .route(
            "/v1/conflicts/{conflict_id}/resolve",
            post(resolve_conflict),
        )
        .route("/v1/openapi.json", get(openapi))
        .fallback(not_found)
        .with_state(state)
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .layer(RequestDecompressionLayer::new().gzip(true))
        .layer(CompressionLayer::new().gzip(true))
        .layer(middleware::from_fn(json_errors))
        .layer(SetResponseHeaderLayer::overriding(
            CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(CatchPanicLayer::custom(|_| {
            ServerError::Store(crate::storage::StoreError::Schema("pánico".into())).into_response()
        }))
}

/// Turns every non-JSON error answer (axum's and tower-http's plain-text or empty 4xx/5xx:
/// 405, 415, 413, …) into the JSON error `{code, message}`.
async fn json_errors(req: Request, next: Next) -> Response {
    let resp = next.run(req).await;
    let status = resp.status();
    let is_json = resp
        .headers()
        .get(CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if (status.is_client_error() || status.is_server_error()) && !is_json {
        let (code, message) = match status {
            StatusCode::METHOD_NOT_ALLOWED => {
                ("method_not_allowed", "método HTTP no admitido en esta ruta")
            }
            StatusCode::PAYLOAD_TOO_LARGE => (
                wire::codes::TOO_LARGE,
                "solicitud demasiado grande; envíe lotes más pequeños",
            ),
            StatusCode::UNSUPPORTED_MEDIA_TYPE => (
                "unsupported_media_type",
                "envíe JSON (Content-Type: application/json), sin comprimir o con gzip",
            ),
            s if s.is_server_error() => (
                wire::codes::INTERNAL,
                "error interno del servidor; avise al administrador",
            ),
            _ => (wire::codes::BAD_REQUEST, "solicitud inválida"),
        };
        return (
            status,
            Json(ApiError {
                code: code.into(),
                message: message.into(),
            }),
        )
            .into_response();
    }
    resp
}

async fn not_found(uri: axum::http::Uri) -> ServerError {
    ServerError::NotFound(uri.path().chars().take(200).collect())
}

/// JSON body extractor whose refusals are [`ServerError`]s.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ServerError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(ApiJson(v)),
            Err(rej) if rej.status() == StatusCode::PAYLOAD_TOO_LARGE => Err(
                ServerError::TooLarge(format!("el cuerpo supera {MAX_BODY_BYTES} bytes")),
            ),
            Err(rej) if rej.status() == StatusCode::UNSUPPORTED_MEDIA_TYPE => {
                Err(ServerError::UnsupportedMediaType)
            }
            Err(rej) => Err(ServerError::BadRequest(
                rej.body_text().chars().take(300).collect(),
            )),
        }
    }
}

/// Query extractor whose refusals are [`ServerError`]s.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => Err(ServerError::BadRequest(
                rej.body_text().chars().take(300).collect(),
            )),
        }
    }
}

/// A request that must carry a well-formed bearer token, checked from the headers BEFORE the
/// body is read: a request without one is refused without reading (let alone inflating and
/// parsing) up to [`MAX_BODY_BYTES`]. The token itself is checked against the database in
/// the request's own storage job ([`as_device`]).
pub struct RequireToken;

impl<S: Send + Sync> FromRequestParts<S> for RequireToken {
    type Rejection = ServerError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        bearer(&parts.headers)?.ok_or(ServerError::TokenMissing)?;
        Ok(RequireToken)
    }
}

fn bearer(headers: &HeaderMap) -> Result<Option<String>, ServerError> {
    let Some(value) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ServerError::TokenInvalid)?;
    let token = value
        .strip_prefix("Bearer ")
        .ok_or(ServerError::TokenMissing)?
        .trim();
    if token.is_empty() || token.len() > 200 {
        return Err(ServerError::TokenInvalid);
    }
    Ok(Some(token.to_string()))
}

/// Runs `f` for the device holding the request's token, in ONE storage job: the device row is
/// read (and revocation checked) in the same transaction as the work, which also halves the
/// jobs per request on the single SQLite worker.
async fn as_device<R, F>(state: &AppState, headers: &HeaderMap, f: F) -> Result<R, ServerError>
where
    F: FnOnce(&mut dyn crate::storage::Tx, DeviceRow) -> Result<R, ServerError> + Send + 'static,
    R: Send + 'static,
{
    let token = bearer(headers)?.ok_or(ServerError::TokenMissing)?;
    state
        .storage
        .run(move |tx| {
            let device = devices::device_by_token(tx, &token)?.ok_or(ServerError::TokenInvalid)?;
            if device.revoked {
                return Err(ServerError::DeviceRevoked);
            }
            f(tx, device)
        })
        .await
}

/// Picks the protocol version and checks the schema versions (see `docs/sync.md`).
pub fn negotiate(req: &HelloRequest) -> Result<u32, ServerError> {
    let top = req.protocol_max.min(wire::PROTOCOL_VERSION);
    if req.protocol_min > req.protocol_max || top < req.protocol_min.max(wire::PROTOCOL_MIN) {
        return Err(ServerError::ProtocolUnsupported {
            client_min: req.protocol_min,
            client_max: req.protocol_max,
            server_min: wire::PROTOCOL_MIN,
            server_max: wire::PROTOCOL_VERSION,
        });
    }
    let (client, server) = (req.schema_version, wire::SCHEMA_VERSION);
    if client > server {
        return Err(ServerError::ServerOutdated { client, server });
    }
    if client + 1 < server {
        return Err(ServerError::ClientOutdated { client, server });
    }
    Ok(top)
}

/// Opens a sync: negotiates versions and, with a token, describes the device.
#[utoipa::path(post, path = "/v1/hello", request_body = HelloRequest,
    responses(
        (status = 200, description = "Versions agreed", body = HelloResponse),
        (status = 401, description = "Token unknown or device revoked", body = ApiError),
        (status = 409, description = "device_restored (old backup or clone) or server_outdated", body = ApiError),
        (status = 426, description = "protocol_unsupported or client_outdated (also when a unit the device reads holds data of a newer schema)", body = ApiError),
    ),
    security((), ("device_token" = [])))]
async fn hello(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiJson(req): ApiJson<HelloRequest>,
) -> Result<Json<HelloResponse>, ServerError> {
    let protocol = negotiate(&req)?;
    let device = match bearer(&headers)? {
        None => None,
        Some(_) => {
            let last = req.last_device_seq;
            let schema = req.schema_version;
            Some(
                as_device(&state, &headers, move |tx, device| {
                    if let Some(client) = last
                        && client < device.last_seq
                    {
                        return Err(ServerError::DeviceRestored {
                            server: device.last_seq,
                            client,
                        });
                    }
                    data_schema::check_data_schema(tx, &device, schema)?;
                    devices::device_info(tx, &device)
                })
                .await?,
            )
        }
    };
    Ok(Json(HelloResponse {
        protocol,
        schema_version: wire::SCHEMA_VERSION,
        server_version: env!("CARGO_PKG_VERSION").to_string(),
        device,
        server_time_ms: Some(chrono::Utc::now().timestamp_millis()),
    }))
}

/// Exchanges a one-time enrolment code for a device token.
#[utoipa::path(post, path = "/v1/enroll", request_body = EnrollRequest,
    responses(
        (status = 200, description = "Enrolled; keep the token in the OS keyring", body = EnrollResponse),
        (status = 403, description = "enrolment_invalid", body = ApiError),
        (status = 409, description = "device_exists, or enrolment_unit_mismatch (the code is for another unit than `unit`; not consumed)", body = ApiError),
    ))]
async fn enroll(
    State(state): State<AppState>,
    ApiJson(req): ApiJson<EnrollRequest>,
) -> Result<Json<EnrollResponse>, ServerError> {
    if req.code.len() > 64 {
        return Err(ServerError::EnrolmentInvalid);
    }
    let token = crate::secrets::new_token();
    let t = token.clone();
    let device = state
        .storage
        .run(move |tx| {
            devices::enroll(
                tx,
                &req.code,
                req.device_id,
                &req.device_name,
                &t,
                req.last_device_seq.unwrap_or(0),
                req.unit.as_deref(),
            )
        })
        .await?;
    Ok(Json(EnrollResponse {
        device_id: device.device_id,
        unit: device.unit,
        central: device.central,
        token,
    }))
}

/// Pushes outbox entries (dense device sequence) in one transaction.
#[utoipa::path(post, path = "/v1/push", request_body = PushRequest,
    responses(
        (status = 200, description = "Per-entry results and the last acknowledged sequence", body = PushResponse),
        (status = 400, description = "bad_request or device_mismatch", body = ApiError),
        (status = 401, description = "token_missing, token_invalid or device_revoked", body = ApiError),
        (status = 409, description = "sequence_gap or fork", body = ApiError),
        (status = 413, description = "too_large", body = ApiError),
    ),
    security(("device_token" = [])))]
async fn push(
    State(state): State<AppState>,
    _token: RequireToken,
    headers: HeaderMap,
    ApiJson(req): ApiJson<PushRequest>,
) -> Result<Json<PushResponse>, ServerError> {
    let resp = as_device(&state, &headers, move |tx, device| {
        let resp = push::push(tx, &device, &req)?;
        data_schema::raise_data_schema(tx, &device, &resp)?;
        Ok(resp)
    })
    .await?;
    Ok(Json(resp))
}

/// A page of a unit's changes after the client's cursor, in server-sequence order.
#[utoipa::path(get, path = "/v1/pull", params(PullQuery),
    responses(
        (status = 200, description = "A page; empty when up to date", body = PullPage),
        (status = 401, description = "token_missing, token_invalid or device_revoked", body = ApiError),
        (status = 403, description = "unit_forbidden", body = ApiError),
    ),
    security(("device_token" = [])))]
async fn pull(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<PullQuery>,
) -> Result<Json<PullPage>, ServerError> {
    let page = as_device(&state, &headers, move |tx, device| {
        pull::pull(tx, &device, &q.unit, q.after, q.limit)
    })
    .await?;
    Ok(Json(page))
}

/// Reserves a block of document numbers for the calling device in its own unit.
#[utoipa::path(post, path = "/v1/numbers/reserve", request_body = ReserveRequest,
    responses(
        (status = 200, description = "The reserved block", body = NumberBlock),
        (status = 400, description = "bad_request", body = ApiError),
        (status = 401, description = "token_missing, token_invalid or device_revoked", body = ApiError),
    ),
    security(("device_token" = [])))]
async fn reserve(
    State(state): State<AppState>,
    _token: RequireToken,
    headers: HeaderMap,
    ApiJson(req): ApiJson<ReserveRequest>,
) -> Result<Json<NumberBlock>, ServerError> {
    let block = as_device(&state, &headers, move |tx, device| {
        numbers::reserve(tx, &device, &req)
    })
    .await?;
    Ok(Json(block))
}

/// Conflicts of a unit still to review (all of them with `include_resolved=true`).
#[utoipa::path(get, path = "/v1/conflicts", params(ConflictQuery),
    responses(
        (status = 200, description = "Conflicts, oldest first (unresolved only unless include_resolved=true)", body = ConflictList),
        (status = 403, description = "unit_forbidden", body = ApiError),
    ),
    security(("device_token" = [])))]
async fn conflicts(
    State(state): State<AppState>,
    headers: HeaderMap,
    ApiQuery(q): ApiQuery<ConflictQuery>,
) -> Result<Json<ConflictList>, ServerError> {
    let conflicts = as_device(&state, &headers, move |tx, device| {
        conflicts::conflicts(tx, &device, &q.unit, q.include_resolved.unwrap_or(false))
    })
    .await?;
    Ok(Json(ConflictList { conflicts }))
}

/// Marks a conflict resolved: who (this device, and the person's name), when, and the side or
/// value chosen. The device then writes the chosen value as a new ordinary change. Only the
/// conflict's unit (or the central office) may resolve it.
#[utoipa::path(post, path = "/v1/conflicts/{conflict_id}/resolve", request_body = ResolveRequest,
    params(("conflict_id" = Uuid, Path, description = "The conflict's id (from GET /v1/conflicts)")),
    responses(
        (status = 200, description = "The conflict, resolved (a retry with the same choice gets the same answer)", body = wire::Conflict),
        (status = 400, description = "bad_request (value missing or not allowed for the choice)", body = ApiError),
        (status = 401, description = "token_missing, token_invalid or device_revoked", body = ApiError),
        (status = 404, description = "conflict_unknown: no such conflict in a unit this device may resolve", body = ApiError),
        (status = 409, description = "conflict_resolved: already resolved with another choice", body = ApiError),
    ),
    security(("device_token" = [])))]
async fn resolve_conflict(
    State(state): State<AppState>,
    _token: RequireToken,
    headers: HeaderMap,
    axum::extract::Path(conflict_id): axum::extract::Path<String>,
    ApiJson(req): ApiJson<ResolveRequest>,
) -> Result<Json<wire::Conflict>, ServerError> {
    let conflict_id = Uuid::parse_str(&conflict_id).map_err(|_| {
        ServerError::BadRequest(format!(
            "conflict_id: «{}» no es un identificador de conflicto",
            conflict_id.chars().take(60).collect::<String>()
        ))
    })?;
    let conflict = as_device(&state, &headers, move |tx, device| {
        conflicts::resolve_conflict(tx, &device, conflict_id, &req)
    })
    .await?;
    Ok(Json(conflict))
}

/// This document.
#[utoipa::path(get, path = "/v1/openapi.json",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API")))]
async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

struct SecurityAddon;

impl utoipa::Modify for SecurityAddon {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "device_token",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "The token returned by /v1/enroll (Authorization: Bearer <token>).",
                    ))
                    .build(),
            ),
        );
    }
}

/// The OpenAPI document, generated from the handlers and the wire types.
#[derive(OpenApi)]
#[openapi(
    info(title = "Chaski sync API", version = "1",
        description = "Central server of Chaski: enrolment, push/pull of changes, number blocks. See docs/sync.md."),
    paths(hello, enroll, push, pull, reserve, conflicts, resolve_conflict, openapi),
    components(schemas(
        ApiError, HelloRequest, HelloResponse, wire::DeviceInfo, EnrollRequest, EnrollResponse,
        PushRequest, PushResponse, wire::EntryResult, wire::EntryStatus, PullPage,
        wire::ServerChange, ReserveRequest, NumberBlock, wire::Conflict, ConflictList,
        ResolveRequest, wire::ResolutionChoice
    )),
    modifiers(&SecurityAddon)
)]
pub struct ApiDoc;
