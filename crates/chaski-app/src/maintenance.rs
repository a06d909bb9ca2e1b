//! The app's use cases of preventive maintenance and provider escalations.
//!
//! The rules (due dates, the 48-hour verification, the 24-hour conformity, the escalation a
//! fault opens) are in `chaski_core::operations`; the records in `chaski_store`. What is left
//! for the shell is what only it can do:
//!
//! * **Today's Lima day.** The store's calendar takes `today` so its tests can pass any date;
//!   the command passes `lima_date(now)` (Peru has one time zone and no daylight saving).
//! * **Files.** The provider's report is a file the person chose in the open dialog: it is
//!   read here, refused above the store's size limit with a Spanish message on the field
//!   `path` *before* its bytes are loaded, and handed to the store, which keeps it by SHA-256.
//!   Opening it writes a copy under `<data dir>/informes-proveedor/` (the stored bytes are
//!   never handed out as a path into the database) and opens it in the system viewer, like
//!   "Imprimir" does for PDFs.
//! * **What the screens show of an escalation.** `ProviderEscalation` keeps dates; its status
//!   and the moment its conformity may be asked are methods of the core. The view adds them, so
//!   the UI never re-implements the 24-hour rule.

use std::path::Path;

use chaski_core::error::{Error, ErrorCode};
use chaski_core::ids::MaintenanceId;
use chaski_core::operations::maintenance::{MaintenancePerformer, MaintenanceStatus};
use chaski_core::operations::provider::{
    EscalationMeans, ProviderEscalation, ProviderEscalationStatus,
};
use chaski_core::time::lima_date;
use chaski_store::Store;
use chaski_store::documents::{MAX_FILE_BYTES, sha256_hex};
use chaski_store::operations::{MaintenanceCalendarEntry, MaintenanceFilter};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalogs::{CodeLabel, code_labels};
use crate::error::IpcError;
use crate::files::{OpenOutcome, Viewer, read_file_limited, storage_error, write_and_open};

/// Where copies of the providers' reports are written to be opened.
pub const REPORTS_DIR: &str = "informes-proveedor";

/// The closed lists of the maintenance and provider screens, labelled by the core.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MaintenanceCatalogs {
    /// Vencido, próximo, al día, sin registro.
    pub statuses: Vec<CodeLabel>,
    /// Proveedor / personal de soporte.
    pub performers: Vec<CodeLabel>,
    /// Correo, teléfono, oficio, portal, presencial.
    pub means: Vec<CodeLabel>,
    /// Escalado, completado, conforme, no conforme.
    pub escalation_statuses: Vec<CodeLabel>,
}

impl MaintenanceCatalogs {
    pub fn new() -> Self {
        Self {
            statuses: code_labels(
                MaintenanceStatus::ALL,
                MaintenanceStatus::code,
                MaintenanceStatus::label,
            ),
            performers: code_labels(
                MaintenancePerformer::ALL,
                MaintenancePerformer::code,
                MaintenancePerformer::label,
            ),
            means: code_labels(
                EscalationMeans::ALL,
                EscalationMeans::code,
                EscalationMeans::label,
            ),
            escalation_statuses: code_labels(
                ProviderEscalationStatus::ALL,
                ProviderEscalationStatus::code,
                ProviderEscalationStatus::label,
            ),
        }
    }
}

impl Default for MaintenanceCatalogs {
    fn default() -> Self {
        Self::new()
    }
}

/// The calendar as of a Lima day.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MaintenanceCalendar {
    /// The Lima day the entries were computed for.
    #[ts(type = "string")]
    pub today: NaiveDate,
    pub entries: Vec<MaintenanceCalendarEntry>,
}

/// The calendar of today (Lima).
pub fn calendar(
    store: &Store,
    filter: &MaintenanceFilter,
) -> Result<MaintenanceCalendar, IpcError> {
    let today = lima_date(Utc::now());
    Ok(MaintenanceCalendar {
        today,
        entries: store.maintenance_calendar(today, filter)?,
    })
}

/// An escalation with what the screens derive from it (by the core's rules).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ProviderEscalationView {
    #[serde(flatten)]
    pub escalation: ProviderEscalation,
    pub status: ProviderEscalationStatus,
    pub status_label: String,
    /// From when the user's conformity may be recorded (24 hours after the completion).
    pub conformity_due_at: Option<DateTime<Utc>>,
}

impl From<ProviderEscalation> for ProviderEscalationView {
    fn from(escalation: ProviderEscalation) -> Self {
        let status = escalation.status();
        Self {
            status,
            status_label: status.label().to_string(),
            conformity_due_at: escalation.conformity_due_at(),
            escalation,
        }
    }
}

/// "Concluido por el proveedor": when, and what the provider did.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct EscalationCompletion {
    pub completed_at: DateTime<Utc>,
    pub completion_note: String,
}

/// The user's conformity, asked at least 24 hours after the completion.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, TS)]
pub struct EscalationConformity {
    pub accepted: bool,
    /// What still fails (required when not accepted: the case goes back to the provider).
    #[serde(default)]
    pub remark: Option<String>,
}

/// Attaches the provider's report at `path` (read here, at most the store's limit).
pub fn attach_report(
    store: &Store,
    id: MaintenanceId,
    path: &str,
) -> Result<chaski_core::operations::maintenance::MaintenanceRecord, IpcError> {
    // The record is looked up first: a missing maintenance is not blamed on the file.
    store.maintenance_get(id)?;
    let bytes = read_file_limited(
        path,
        "path",
        "el informe del proveedor",
        MAX_FILE_BYTES as u64,
    )?;
    let name = Path::new(path.trim())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if bytes.is_empty() {
        return Err(IpcError(Error::field(
            ErrorCode::ValorInvalido,
            "path",
            format!("El archivo «{name}» está vacío: elija el informe del proveedor."),
        )));
    }
    Ok(store.maintenance_attach_report(id, &name, &bytes)?)
}

/// A file name that is safe in any folder: letters, digits, `.`, `-` and `_`; the rest `_`.
fn safe_file_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let cleaned = cleaned.trim_start_matches('.');
    if cleaned.is_empty() {
        "informe".to_string()
    } else {
        cleaned.chars().take(120).collect()
    }
}

/// "Ver informe": writes a copy of the report under `<data dir>/informes-proveedor/` (named
/// by the asset's code, the hash and the original name) and opens it.
pub fn open_report(
    store: &Store,
    data_dir: &Path,
    id: MaintenanceId,
    viewer: &Viewer,
) -> Result<OpenOutcome, IpcError> {
    let record = store.maintenance_get(id)?;
    let bytes = store.maintenance_report_file(id)?;
    let dir = data_dir.join(REPORTS_DIR);
    std::fs::create_dir_all(&dir).map_err(|e| storage_error("crear la carpeta", &dir, &e))?;
    let sha = sha256_hex(&bytes);
    let short = sha.get(..8).unwrap_or(&sha);
    let original = record.report_file_name.as_deref().unwrap_or("informe");
    let file = dir.join(format!(
        "{}-{short}-{}",
        record.asset_code.as_str(),
        safe_file_name(original)
    ));
    write_and_open(&file, &bytes, viewer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_carry_the_core_labels() {
        let c = MaintenanceCatalogs::new();
        let codes: Vec<&str> = c.statuses.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["vencido", "proximo", "al_dia", "sin_registro"]);
        assert!(c.means.iter().any(|m| m.label == "Correo electrónico"));
        assert_eq!(c.performers.len(), 2);
        assert_eq!(c.escalation_statuses.len(), 4);
    }

    #[test]
    fn report_copies_get_safe_names() {
        assert_eq!(
            safe_file_name("Informe técnico N° 12.pdf"),
            "Informe_técnico_N__12.pdf"
        );
        assert_eq!(safe_file_name("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(safe_file_name("..."), "informe");
        assert_eq!(safe_file_name(""), "informe");
    }
}
