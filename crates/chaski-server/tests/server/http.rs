//! A small HTTP/1 client for the suite, on hyper (already under axum): the app's client
//! (`chaski-sync`, reqwest) is not linked by the server, not even in its tests. One
//! connection per request, plain or TLS with a given CA; request bodies above 1 KiB are
//! gzipped like the app's transport does, so the server's inflating path is exercised.

use std::io::Write;
use std::sync::Arc;

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, Request, StatusCode};
use chaski_wire::{
    ApiError, Conflict, ConflictList, EnrollRequest, EnrollResponse, HelloRequest, HelloResponse,
    NumberBlock, PullPage, PullQuery, PushRequest, PushResponse, ReserveRequest, ResolveRequest,
};
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use serde::Serialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

/// A client of one server (`http://127.0.0.1:PORT` or `https://localhost:PORT`).
#[derive(Clone)]
pub struct Http {
    base: String,
    tls: Option<tokio_rustls::TlsConnector>,
}

/// A request being built.
pub struct Req {
    http: Http,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// An answer, read whole.
#[derive(Debug)]
pub struct Resp {
    status: StatusCode,
    headers: HeaderMap,
    body: Bytes,
}

impl Http {
    /// Plain HTTP.
    pub fn new(base: &str) -> Self {
        Self {
            base: base.trim_end_matches('/').to_string(),
            tls: None,
        }
    }

    /// HTTPS trusting only `ca_pem`.
    pub fn with_ca(base: &str, ca_pem: &[u8]) -> Self {
        let mut roots = rustls::RootCertStore::empty();
        let mut reader = std::io::BufReader::new(ca_pem);
        for cert in rustls_pemfile_certs(&mut reader) {
            roots.add(cert).expect("CA certificate");
        }
        let config = rustls::ClientConfig::builder_with_provider(Arc::new(
            rustls::crypto::ring::default_provider(),
        ))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
        Self {
            base: base.trim_end_matches('/').to_string(),
            tls: Some(tokio_rustls::TlsConnector::from(Arc::new(config))),
        }
    }

    fn request(&self, method: Method, url: String) -> Req {
        Req {
            http: self.clone(),
            method,
            url,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn get(&self, url: impl Into<String>) -> Req {
        self.request(Method::GET, url.into())
    }

    pub fn post(&self, url: impl Into<String>) -> Req {
        self.request(Method::POST, url.into())
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

fn rustls_pemfile_certs(
    reader: &mut dyn std::io::BufRead,
) -> Vec<rustls::pki_types::CertificateDer<'static>> {
    use rustls::pki_types::pem::PemObject;
    let mut pem = Vec::new();
    reader.read_to_end(&mut pem).expect("read PEM");
    rustls::pki_types::CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .expect("PEM certificates")
}

impl Req {
    pub fn header(mut self, name: &str, value: impl Into<String>) -> Self {
        self.headers.push((name.to_string(), value.into()));
        self
    }

    pub fn bearer_auth(self, token: &str) -> Self {
        self.header("authorization", format!("Bearer {token}"))
    }

    pub fn body(mut self, body: impl Into<Vec<u8>>) -> Self {
        self.body = body.into();
        self
    }

    pub fn json(self, value: &impl Serialize) -> Self {
        let body = serde_json::to_vec(value).expect("serialize");
        self.header("content-type", "application/json").body(body)
    }

    /// Sends it; `Err` for a request that cannot be built (a header hyper refuses) or a
    /// connection that broke.
    pub async fn send(self) -> Result<Resp, String> {
        let uri: axum::http::Uri = self.url.parse().map_err(|e| format!("url: {e}"))?;
        let host = uri.host().ok_or("url without host")?.to_string();
        let port = uri.port_u16().ok_or("url without port")?;
        let mut builder = Request::builder()
            .method(self.method)
            .uri(uri.path_and_query().map_or("/", |p| p.as_str()))
            .header("host", format!("{host}:{port}"));
        for (k, v) in &self.headers {
            let name = HeaderName::from_bytes(k.as_bytes()).map_err(|e| e.to_string())?;
            let value = HeaderValue::from_str(v).map_err(|e| e.to_string())?;
            builder = builder.header(name, value);
        }
        let request = builder
            .body(Full::new(Bytes::from(self.body)))
            .map_err(|e| e.to_string())?;
        let addr = if host == "localhost" {
            format!("127.0.0.1:{port}")
        } else {
            format!("{host}:{port}")
        };
        let tcp = tokio::net::TcpStream::connect(addr)
            .await
            .map_err(|e| e.to_string())?;
        match &self.http.tls {
            Some(tls) => {
                let name =
                    rustls::pki_types::ServerName::try_from(host).map_err(|e| e.to_string())?;
                let stream = tls.connect(name, tcp).await.map_err(|e| e.to_string())?;
                exchange(TokioIo::new(stream), request).await
            }
            None => exchange(TokioIo::new(tcp), request).await,
        }
    }
}

async fn exchange<S>(io: S, request: Request<Full<Bytes>>) -> Result<Resp, String>
where
    S: hyper::rt::Read + hyper::rt::Write + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(io)
        .await
        .map_err(|e| e.to_string())?;
    tokio::spawn(conn);
    let resp = sender
        .send_request(request)
        .await
        .map_err(|e| e.to_string())?;
    let (parts, body) = resp.into_parts();
    let body = body.collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok(Resp {
        status: parts.status,
        headers: parts.headers,
        body,
    })
}

impl Resp {
    pub fn status(&self) -> StatusCode {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    pub async fn bytes(self) -> Result<Bytes, String> {
        Ok(self.body)
    }

    pub async fn json<T: DeserializeOwned>(self) -> Result<T, String> {
        serde_json::from_slice(&self.body).map_err(|e| e.to_string())
    }
}

/// Why an API call got no usable answer.
#[derive(Debug)]
pub enum TransportError {
    /// The server answered with an error.
    Api { status: u16, error: ApiError },
    /// No answer, or one that could not be read.
    Other(String),
}

impl std::fmt::Display for TransportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TransportError::Api { status, error } => {
                write!(f, "{status} {}: {}", error.code, error.message)
            }
            TransportError::Other(why) => f.write_str(why),
        }
    }
}

/// The protocol's requests, as a device makes them.
#[derive(Clone)]
pub struct Api {
    http: Http,
}

impl Api {
    pub fn new(http: Http) -> Self {
        Self { http }
    }

    async fn call<T: DeserializeOwned>(&self, req: Req) -> Result<T, TransportError> {
        let resp = req.send().await.map_err(TransportError::Other)?;
        let status = resp.status();
        if status.is_success() {
            serde_json::from_slice(&resp.body).map_err(|e| TransportError::Other(e.to_string()))
        } else {
            let error =
                serde_json::from_slice::<ApiError>(&resp.body).unwrap_or_else(|_| ApiError {
                    code: if status.is_server_error() {
                        "internal".into()
                    } else {
                        "bad_request".into()
                    },
                    message: String::from_utf8_lossy(&resp.body)
                        .chars()
                        .take(200)
                        .collect(),
                });
            Err(TransportError::Api {
                status: status.as_u16(),
                error,
            })
        }
    }

    fn post(&self, path: &str, token: Option<&str>, body: &impl Serialize) -> Req {
        let json = serde_json::to_vec(body).expect("serialize");
        let mut req = self
            .http
            .post(self.http.url(path))
            .header("content-type", "application/json");
        if let Some(token) = token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        if json.len() > 1024 {
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
            enc.write_all(&json).expect("gzip");
            req.header("content-encoding", "gzip")
                .body(enc.finish().expect("gzip"))
        } else {
            req.body(json)
        }
    }

    fn get(&self, path_and_query: &str, token: &str) -> Req {
        self.http
            .get(self.http.url(path_and_query))
            .header("authorization", format!("Bearer {token}"))
    }

    pub async fn hello(
        &self,
        token: Option<&str>,
        req: &HelloRequest,
    ) -> Result<HelloResponse, TransportError> {
        self.call(self.post("/v1/hello", token, req)).await
    }

    pub async fn enroll(&self, req: &EnrollRequest) -> Result<EnrollResponse, TransportError> {
        self.call(self.post("/v1/enroll", None, req)).await
    }

    pub async fn push(
        &self,
        token: &str,
        req: &PushRequest,
    ) -> Result<PushResponse, TransportError> {
        self.call(self.post("/v1/push", Some(token), req)).await
    }

    pub async fn pull(&self, token: &str, query: &PullQuery) -> Result<PullPage, TransportError> {
        let mut q = format!(
            "/v1/pull?unit={}&after={}",
            escape(&query.unit),
            query.after
        );
        if let Some(limit) = query.limit {
            q.push_str(&format!("&limit={limit}"));
        }
        self.call(self.get(&q, token)).await
    }

    pub async fn reserve(
        &self,
        token: &str,
        req: &ReserveRequest,
    ) -> Result<NumberBlock, TransportError> {
        self.call(self.post("/v1/numbers/reserve", Some(token), req))
            .await
    }

    pub async fn conflicts(&self, token: &str, unit: &str) -> Result<ConflictList, TransportError> {
        self.call(self.get(&format!("/v1/conflicts?unit={}", escape(unit)), token))
            .await
    }

    pub async fn resolve_conflict(
        &self,
        token: &str,
        conflict_id: Uuid,
        req: &ResolveRequest,
    ) -> Result<Conflict, TransportError> {
        let path = format!("/v1/conflicts/{conflict_id}/resolve");
        self.call(self.post(&path, Some(token), req)).await
    }
}

/// Percent-encodes a query value.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
