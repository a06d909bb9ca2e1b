//! How a sync client reaches the server.
//!
//! [`Transport`] is a trait so that tests can put faults between a real client and a real
//! server (drop, delay, duplicate, reorder, cut a connection mid-body) without mocking
//! either. [`HttpTransport`] is the real one: reqwest over rustls, gzip both ways, an
//! optional custom CA (government internal CAs are not in the public roots).

use std::io::Write;
use std::time::Duration;

use async_trait::async_trait;
use flate2::Compression;
use flate2::write::GzEncoder;
use reqwest::header::{AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE};
use serde::Serialize;
use serde::de::DeserializeOwned;

use uuid::Uuid;

use crate::wire::{
    ApiError, Conflict, ConflictList, EnrollRequest, EnrollResponse, HelloRequest, HelloResponse,
    NumberBlock, PullPage, PullQuery, PushRequest, PushResponse, ReserveRequest, ResolveRequest,
};

/// Why a request got no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum TransportError {
    /// The server could not be reached or the connection broke; try again later.
    #[error("no se pudo conectar con el servidor central: {0}. Revise la red; se reintentará.")]
    Network(String),
    /// The server answered with an error.
    #[error("el servidor respondió {status}: {}", .error.message)]
    Api {
        /// HTTP status.
        status: u16,
        /// The error body.
        error: ApiError,
    },
    /// The answer could not be read.
    #[error("respuesta ilegible del servidor: {0}")]
    Decode(String),
    /// The transport could not be set up (bad address or certificate).
    #[error("configuración de conexión inválida: {0}")]
    Config(String),
    /// The server's TLS certificate is not trusted (unknown CA, wrong name, expired). Not
    /// retryable: a person must add the institution's CA or fix the address.
    #[error("no se confía en el certificado del servidor central: {0}")]
    Certificate(String),
}

impl TransportError {
    /// Whether trying again later may succeed (network faults, 5xx, 408, 429).
    pub fn is_retryable(&self) -> bool {
        match self {
            TransportError::Network(_) | TransportError::Decode(_) => true,
            TransportError::Api { status, .. } => {
                *status >= 500 || *status == 408 || *status == 429
            }
            TransportError::Config(_) | TransportError::Certificate(_) => false,
        }
    }

    /// The server's error code, if the server answered with one.
    pub fn code(&self) -> Option<&str> {
        match self {
            TransportError::Api { error, .. } => Some(&error.code),
            _ => None,
        }
    }
}

/// The requests of protocol v1. `token` is the device's bearer token.
#[async_trait]
pub trait Transport: Send + Sync {
    /// `POST /v1/hello`.
    async fn hello(
        &self,
        token: Option<&str>,
        req: &HelloRequest,
    ) -> Result<HelloResponse, TransportError>;
    /// `POST /v1/enroll`.
    async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, TransportError>;
    /// `POST /v1/push`.
    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, TransportError>;
    /// `GET /v1/pull`.
    async fn pull(&self, token: &str, query: &PullQuery) -> Result<PullPage, TransportError>;
    /// `POST /v1/numbers/reserve`.
    async fn reserve(
        &self,
        token: &str,
        req: &ReserveRequest,
    ) -> Result<NumberBlock, TransportError>;
    /// `GET /v1/conflicts` (unresolved ones).
    async fn conflicts(&self, token: &str, unit: &str) -> Result<ConflictList, TransportError>;
    /// `POST /v1/conflicts/{conflict_id}/resolve`.
    async fn resolve_conflict(
        &self,
        token: &str,
        conflict_id: Uuid,
        req: &ResolveRequest,
    ) -> Result<Conflict, TransportError>;
}

/// Options of the real transport.
#[derive(Debug, Clone, Default)]
pub struct HttpOptions {
    /// PEM certificates to trust in addition to the system roots (an internal CA).
    pub extra_ca_pem: Vec<Vec<u8>>,
    /// Per-request timeout (default 60 s).
    pub timeout: Option<Duration>,
}

/// The real transport: HTTP(S) with reqwest and rustls.
#[derive(Debug, Clone)]
pub struct HttpTransport {
    base: String,
    http: reqwest::Client,
}

/// Request bodies above this size are gzipped.
const GZIP_ABOVE: usize = 1024;

impl HttpTransport {
    /// A transport to `base_url` (e.g. `https://sync.example.gob.pe`). Plain `http://` is
    /// refused except to this same computer (`localhost`, `127.0.0.1`, `[::1]`): a token sent
    /// in clear over an office network can be read by anyone on it. See
    /// [`HttpTransport::new_allowing_plain_http`].
    pub fn new(base_url: &str, options: &HttpOptions) -> Result<Self, TransportError> {
        if let Some(rest) = base_url.trim().strip_prefix("http://")
            && !is_loopback(rest)
        {
            return Err(TransportError::Config(format!(
                "la dirección del servidor «{base_url}» usa http:// sin cifrar: use https:// \
                 (http:// solo se admite hacia este mismo equipo, p. ej. http://127.0.0.1)"
            )));
        }
        Self::new_allowing_plain_http(base_url, options)
    }

    /// Like [`HttpTransport::new`], but also accepts plain `http://` to any host: only when
    /// told so explicitly (a closed test network).
    pub fn new_allowing_plain_http(
        base_url: &str,
        options: &HttpOptions,
    ) -> Result<Self, TransportError> {
        let base = base_url.trim().trim_end_matches('/').to_string();
        if !(base.starts_with("http://") || base.starts_with("https://")) {
            return Err(TransportError::Config(format!(
                "la dirección del servidor «{base_url}» debe empezar con https:// (o http:// en pruebas)"
            )));
        }
        let mut builder = reqwest::Client::builder()
            .use_rustls_tls()
            .gzip(true)
            .timeout(options.timeout.unwrap_or(Duration::from_secs(60)))
            .connect_timeout(Duration::from_secs(10));
        for pem in &options.extra_ca_pem {
            let cert = reqwest::Certificate::from_pem(pem).map_err(|e| {
                TransportError::Config(format!("el certificado de la CA no es un PEM válido: {e}"))
            })?;
            builder = builder.add_root_certificate(cert);
        }
        let http = builder
            .build()
            .map_err(|e| TransportError::Config(e.to_string()))?;
        Ok(Self { base, http })
    }

    async fn send<T: DeserializeOwned>(
        &self,
        req: reqwest::RequestBuilder,
    ) -> Result<T, TransportError> {
        let resp = req
            .send()
            .await
            .map_err(|e| match certificate_problem(&e) {
                Some(why) => TransportError::Certificate(why),
                None => TransportError::Network(e.to_string()),
            })?;
        let status = resp.status();
        let bytes = resp
            .bytes()
            .await
            .map_err(|e| TransportError::Network(e.to_string()))?;
        if status.is_success() {
            serde_json::from_slice(&bytes).map_err(|e| TransportError::Decode(e.to_string()))
        } else {
            let error = serde_json::from_slice::<ApiError>(&bytes).unwrap_or_else(|_| ApiError {
                code: if status.is_server_error() {
                    "internal".into()
                } else {
                    "bad_request".into()
                },
                message: String::from_utf8_lossy(&bytes).chars().take(200).collect(),
            });
            Err(TransportError::Api {
                status: status.as_u16(),
                error,
            })
        }
    }

    fn post_json(
        &self,
        path: &str,
        token: Option<&str>,
        body: &impl Serialize,
    ) -> Result<reqwest::RequestBuilder, TransportError> {
        let json = serde_json::to_vec(body).map_err(|e| TransportError::Decode(e.to_string()))?;
        let mut req = self
            .http
            .post(format!("{}{path}", self.base))
            .header(CONTENT_TYPE, "application/json");
        if let Some(token) = token {
            req = req.header(AUTHORIZATION, format!("Bearer {token}"));
        }
        if json.len() > GZIP_ABOVE {
            let mut enc = GzEncoder::new(Vec::with_capacity(json.len() / 4), Compression::fast());
            enc.write_all(&json)
                .map_err(|e| TransportError::Decode(e.to_string()))?;
            let gz = enc
                .finish()
                .map_err(|e| TransportError::Decode(e.to_string()))?;
            req = req.header(CONTENT_ENCODING, "gzip").body(gz);
        } else {
            req = req.body(json);
        }
        Ok(req)
    }
}

/// Whether the authority (and path) after `http://` names this computer.
fn is_loopback(rest: &str) -> bool {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit('@').next().unwrap_or("");
    let host = if let Some(v6) = authority.strip_prefix('[') {
        v6.split(']').next().unwrap_or("")
    } else {
        authority.split(':').next().unwrap_or("")
    };
    host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// If `e` failed because the server's certificate was refused, says why in Spanish and what
/// to do. rustls reports it inside reqwest's error chain wrapped in `io::Error`s, whose
/// `source()` skips the wrapped error: hence the descent through `get_ref`.
fn certificate_problem(e: &reqwest::Error) -> Option<String> {
    fn rustls_error<'a>(err: &'a (dyn std::error::Error + 'static)) -> Option<&'a rustls::Error> {
        if let Some(r) = err.downcast_ref::<rustls::Error>() {
            return Some(r);
        }
        let inner = err.downcast_ref::<std::io::Error>()?.get_ref()?;
        rustls_error(inner)
    }
    let mut cur: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(err) = cur {
        let tls = rustls_error(err);
        if let Some(rustls::Error::InvalidCertificate(c)) = tls {
            use rustls::CertificateError as C;
            let why = match c {
                C::UnknownIssuer => {
                    "lo emitió una autoridad (CA) que este equipo no conoce. Agregue el certificado de la CA de su institución (PEM) en la configuración de sincronización".to_string()
                }
                C::NotValidForName | C::NotValidForNameContext { .. } => {
                    "no corresponde a la dirección del servidor. Revise la dirección configurada (debe ser el nombre que figura en el certificado)".to_string()
                }
                C::Expired | C::ExpiredContext { .. } => {
                    "está vencido. El administrador del servidor debe renovarlo; revise también la fecha y hora de este equipo".to_string()
                }
                C::NotValidYet | C::NotValidYetContext { .. } => {
                    "aún no es válido. Revise la fecha y hora de este equipo".to_string()
                }
                C::Revoked => "fue revocado. Avise al administrador del servidor".to_string(),
                other => format!(
                    "fue rechazado ({other:?}). Avise al administrador del servidor"
                ),
            };
            return Some(why);
        }
        cur = err.source();
    }
    None
}

#[async_trait]
impl Transport for HttpTransport {
    async fn hello(
        &self,
        token: Option<&str>,
        req: &HelloRequest,
    ) -> Result<HelloResponse, TransportError> {
        self.send(self.post_json("/v1/hello", token, req)?).await
    }

    async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, TransportError> {
        self.send(self.post_json("/v1/enroll", None, req)?).await
    }

    async fn push(&self, token: &str, req: &PushRequest) -> Result<PushResponse, TransportError> {
        self.send(self.post_json("/v1/push", Some(token), req)?)
            .await
    }

    async fn pull(&self, token: &str, query: &PullQuery) -> Result<PullPage, TransportError> {
        let mut params = vec![
            ("unit", query.unit.clone()),
            ("after", query.after.to_string()),
        ];
        if let Some(limit) = query.limit {
            params.push(("limit", limit.to_string()));
        }
        let req = self
            .http
            .get(format!("{}/v1/pull", self.base))
            .query(&params)
            .header(AUTHORIZATION, format!("Bearer {token}"));
        self.send(req).await
    }

    async fn reserve(
        &self,
        token: &str,
        req: &ReserveRequest,
    ) -> Result<NumberBlock, TransportError> {
        self.send(self.post_json("/v1/numbers/reserve", Some(token), req)?)
            .await
    }

    async fn conflicts(&self, token: &str, unit: &str) -> Result<ConflictList, TransportError> {
        let req = self
            .http
            .get(format!("{}/v1/conflicts", self.base))
            .query(&[("unit", unit)])
            .header(AUTHORIZATION, format!("Bearer {token}"));
        self.send(req).await
    }

    async fn resolve_conflict(
        &self,
        token: &str,
        conflict_id: Uuid,
        req: &ResolveRequest,
    ) -> Result<Conflict, TransportError> {
        let path = format!("/v1/conflicts/{conflict_id}/resolve");
        self.send(self.post_json(&path, Some(token), req)?).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_http_is_refused_except_to_this_computer() {
        let o = HttpOptions::default();
        for ok in [
            "http://127.0.0.1:8080",
            "http://localhost:1",
            "http://[::1]:9/",
            "http://127.0.0.2",
            "https://sync.example.gob.pe",
        ] {
            assert!(HttpTransport::new(ok, &o).is_ok(), "{ok}");
        }
        for bad in [
            "http://sync.example.gob.pe",
            "http://10.0.0.5:8080",
            "http://localhost.evil.pe",
            "http://127.0.0.1.evil.pe/",
            "http://user@sync.example.gob.pe",
        ] {
            let e = HttpTransport::new(bad, &o).expect_err(bad);
            assert!(e.to_string().contains("https://"), "{bad}: {e}");
        }
        assert!(HttpTransport::new_allowing_plain_http("http://10.0.0.5:8080", &o).is_ok());
    }
}
