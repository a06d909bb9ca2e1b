//! Where this device's central server is: `sync.json` in the data directory.
//!
//! The server address and the path of an extra CA certificate are **app configuration, not
//! store data**: they describe this machine's network (a path on its disk, an address that
//! may differ per site or change with a proxy), they must never replicate, and they must be
//! readable before and independently of the database (a refused or not-yet-created database
//! still lets the person see and fix them). So they live in a small JSON file next to the
//! database, in the same data directory (`--data-dir`/`CHASKI_DATA_DIR` in tests), written
//! atomically (temporary file + rename). The device token is NOT here: it lives in the OS
//! keyring ([`super::token`]).

use std::path::{Path, PathBuf};

use chaski_core::error::{Error, ErrorCode};
use chaski_sync::transport::{HttpOptions, HttpTransport};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::IpcError;

/// File name of the sync configuration inside the data directory.
pub const CONFIG_FILE_NAME: &str = "sync.json";

/// What the person configured on the Sincronización screen.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncConfig {
    /// The central server, e.g. `https://sync.ejemplo.gob.pe` (None: sync is off).
    #[serde(default)]
    pub server_url: Option<String>,
    /// A PEM file with the certificate of an internal CA to trust besides the system roots.
    #[serde(default)]
    pub ca_file: Option<String>,
}

/// What `sync_configure` receives from the screen; empty texts mean "none".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SyncConfigInput {
    pub server_url: String,
    #[serde(default)]
    pub ca_file: Option<String>,
}

impl SyncConfig {
    /// The configuration in `data_dir` (default when there is no file yet).
    pub fn load(data_dir: &Path) -> Result<Self, IpcError> {
        let path = data_dir.join(CONFIG_FILE_NAME);
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Self::default()),
            Err(e) => return Err(config_io(&path, &e)),
        };
        serde_json::from_str(&text).map_err(|e| {
            IpcError(Error::general(
                ErrorCode::ErrorAlmacenamiento,
                format!(
                    "El archivo de configuración de sincronización {} está dañado ({e}). \
                     Vuelva a ingresar la dirección del servidor en Sincronización.",
                    path.display()
                ),
            ))
        })
    }

    /// Writes the configuration atomically (temporary file, then rename).
    pub fn save(&self, data_dir: &Path) -> Result<(), IpcError> {
        std::fs::create_dir_all(data_dir).map_err(|e| IpcError::data_dir(data_dir, &e))?;
        let path = data_dir.join(CONFIG_FILE_NAME);
        let tmp = data_dir.join(format!("{CONFIG_FILE_NAME}.tmp"));
        let json = serde_json::to_vec_pretty(self).map_err(|e| config_io(&path, &e.into()))?;
        std::fs::write(&tmp, json).map_err(|e| config_io(&tmp, &e))?;
        std::fs::rename(&tmp, &path).map_err(|e| config_io(&path, &e))
    }

    /// Checks and normalizes what the person typed; reads the CA file to prove it is usable.
    pub fn from_input(input: &SyncConfigInput) -> Result<Self, IpcError> {
        let server_url = normalize_server_url(&input.server_url)?;
        let ca_file = match input.ca_file.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(path) => Some(path.to_string()),
        };
        let config = Self {
            server_url: Some(server_url),
            ca_file,
        };
        config.transport_with_timeout(std::time::Duration::from_secs(60))?;
        Ok(config)
    }

    /// The HTTP transport this configuration describes, with a per-request timeout.
    pub fn transport_with_timeout(
        &self,
        timeout: std::time::Duration,
    ) -> Result<HttpTransport, IpcError> {
        let Some(url) = &self.server_url else {
            return Err(not_configured());
        };
        let mut options = HttpOptions {
            timeout: Some(timeout),
            ..HttpOptions::default()
        };
        if let Some(ca) = &self.ca_file {
            options.extra_ca_pem.push(read_ca(Path::new(ca))?);
        }
        HttpTransport::new(url, &options).map_err(|e| {
            IpcError(Error::field(
                ErrorCode::ValorInvalido,
                "server_url",
                format!("No se pudo preparar la conexión con el servidor: {e}. Revise la dirección y el certificado."),
            ))
        })
    }
}

/// `sincronizacion_no_configurada`.
pub fn not_configured() -> IpcError {
    IpcError(Error::field(
        ErrorCode::SincronizacionNoConfigurada,
        "server_url",
        "Este equipo aún no tiene un servidor central configurado. Ingrese la dirección del \
         servidor en Sincronización (se la da el administrador).",
    ))
}

fn config_io(path: &Path, e: &std::io::Error) -> IpcError {
    IpcError(Error::general(
        ErrorCode::ErrorAlmacenamiento,
        format!(
            "No se pudo leer o guardar la configuración de sincronización {} ({e}). Revise los \
             permisos de la carpeta de datos.",
            path.display()
        ),
    ))
}

fn bad_url(typed: &str, why: &str) -> IpcError {
    IpcError(Error::field(
        ErrorCode::ValorInvalido,
        "server_url",
        format!(
            "La dirección del servidor «{}» no es válida: {why}. Escríbala completa, por ejemplo \
             https://sincronizacion.ejemplo.gob.pe",
            typed.chars().take(80).collect::<String>()
        ),
    ))
}

/// `https://host[:port][/path]` without spaces, credentials, query or fragment; the trailing
/// slash is removed. `http://` is accepted (test servers, a TLS proxy on the same machine).
pub fn normalize_server_url(typed: &str) -> Result<String, IpcError> {
    let url = typed.trim();
    if url.is_empty() {
        return Err(IpcError(Error::required(
            "server_url",
            "Dirección del servidor",
        )));
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url[8..]
    } else if lower.starts_with("http://") {
        &url[7..]
    } else {
        return Err(bad_url(url, "debe empezar con https://"));
    };
    if url.chars().any(char::is_whitespace) {
        return Err(bad_url(url, "no puede contener espacios"));
    }
    if url.contains(['?', '#']) {
        return Err(bad_url(url, "no lleva «?» ni «#»"));
    }
    let authority = rest.split('/').next().unwrap_or_default();
    if authority.contains('@') {
        return Err(bad_url(url, "no lleva usuario ni contraseña"));
    }
    let (host, port, host_chars) = if let Some(inner) = authority.strip_prefix('[') {
        // An IPv6 literal: [::1]:8787
        let Some((host, after)) = inner.split_once(']') else {
            return Err(bad_url(url, "falta «]» en la dirección IPv6"));
        };
        if !after.is_empty() && !after.starts_with(':') {
            return Err(bad_url(url, "después de «]» solo puede ir «:puerto»"));
        }
        (host, after.strip_prefix(':'), "-.:")
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port), "-."),
            None => (authority, None, "-."),
        }
    };
    if port.is_some_and(|p| p.parse::<u16>().map_or(true, |p| p == 0)) {
        return Err(bad_url(url, "el puerto debe ser un número entre 1 y 65535"));
    }
    if host.is_empty()
        || !host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || host_chars.contains(c))
    {
        return Err(bad_url(
            url,
            "falta el nombre del servidor o tiene caracteres no permitidos",
        ));
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Reads a CA certificate file and checks it holds at least one PEM certificate.
fn read_ca(path: &Path) -> Result<Vec<u8>, IpcError> {
    let bad = |why: String| {
        IpcError(Error::field(
            ErrorCode::ValorInvalido,
            "ca_file",
            format!(
                "El certificado de la CA «{}» no se puede usar: {why}. Elija el archivo .pem o \
                 .crt que le dio el administrador, o deje el campo vacío si el servidor usa un \
                 certificado público.",
                path.display()
            ),
        ))
    };
    let bytes = std::fs::read(path).map_err(|e| bad(format!("no se pudo leer ({e})")))?;
    if !String::from_utf8_lossy(&bytes).contains("-----BEGIN CERTIFICATE-----") {
        return Err(bad("no contiene un certificado en formato PEM".into()));
    }
    HttpTransport::new(
        "https://comprobacion.invalid",
        &HttpOptions {
            extra_ca_pem: vec![bytes.clone()],
            timeout: None,
        },
    )
    .map_err(|e| bad(e.to_string()))?;
    Ok(bytes)
}

/// The path of the configuration file in `data_dir`.
pub fn path_in(data_dir: &Path) -> PathBuf {
    data_dir.join(CONFIG_FILE_NAME)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_addresses_are_normalized_or_refused_with_the_field() {
        for (typed, want) in [
            (
                "https://sync.ejemplo.gob.pe/",
                "https://sync.ejemplo.gob.pe",
            ),
            ("  http://127.0.0.1:8787 ", "http://127.0.0.1:8787"),
            (
                "https://ejemplo.gob.pe/chaski/",
                "https://ejemplo.gob.pe/chaski",
            ),
            ("HTTPS://Ejemplo.gob.pe", "HTTPS://Ejemplo.gob.pe"),
            ("http://[::1]:8787", "http://[::1]:8787"),
        ] {
            assert_eq!(
                normalize_server_url(typed).as_deref().ok(),
                Some(want),
                "{typed}"
            );
        }
        for typed in [
            "",
            "sync.ejemplo.gob.pe",
            "ftp://x",
            "https://",
            "https://exa mple.pe",
            "https://user:pw@ejemplo.pe",
            "https://ejemplo.pe:99999",
            "https://ejemplo.pe:abc",
            "https://ejemplo.pe/?a=1",
            "https://ej_emplo.pe",
            "https://ejemplo.pe:0",
            "http://[::1",
        ] {
            let e = normalize_server_url(typed).expect_err(typed);
            assert_eq!(e.0.field.as_deref(), Some("server_url"), "{typed}");
            assert!(
                matches!(
                    e.code(),
                    ErrorCode::ValorInvalido | ErrorCode::CampoRequerido
                ),
                "{typed}: {e}"
            );
        }
    }

    #[test]
    fn missing_or_unreadable_ca_files_are_refused_on_the_ca_field() {
        let dir = tempfile::tempdir().expect("tempdir");
        let not_pem = dir.path().join("ca.txt");
        std::fs::write(&not_pem, "hola").expect("write");
        for path in [dir.path().join("no-existe.pem"), not_pem] {
            let e = SyncConfig::from_input(&SyncConfigInput {
                server_url: "https://ejemplo.gob.pe".into(),
                ca_file: Some(path.display().to_string()),
            })
            .expect_err("refused");
            assert_eq!(e.0.field.as_deref(), Some("ca_file"), "{e}");
            assert!(e.0.message.contains("certificado de la CA"), "{e}");
        }
    }

    #[test]
    fn configuration_round_trips_through_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        assert_eq!(
            SyncConfig::load(dir.path()).expect("load"),
            SyncConfig::default()
        );
        let config = SyncConfig::from_input(&SyncConfigInput {
            server_url: "http://127.0.0.1:9/".into(),
            ca_file: Some("  ".into()),
        })
        .expect("valid");
        config.save(dir.path()).expect("save");
        assert_eq!(SyncConfig::load(dir.path()).expect("load"), config);
        assert_eq!(config.server_url.as_deref(), Some("http://127.0.0.1:9"));
        assert_eq!(config.ca_file, None);
        std::fs::write(path_in(dir.path()), "{no es json").expect("write");
        let e = SyncConfig::load(dir.path()).expect_err("corrupt");
        assert!(e.0.message.contains("dañado"), "{e}");
    }
}
