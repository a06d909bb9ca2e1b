//! The formatting checklist of seed 001 act. 16: before formatting, the user's documents are
//! backed up to the shared folder of their office; a low-level format only for read/write
//! problems or low performance; NTFS with two partitions; IP by DHCP; the local administrator
//! account enabled with a password; the computer named after the CPU's código patrimonial;
//! unnecessary services disabled; the base software installed.
//!
//! It is stored with the diagnostic that recommends the format. A format without a recorded
//! backup is accepted only with an explicit reason (the user had nothing to keep, the disk
//! cannot be read…), because losing someone's documents is the one mistake that cannot be
//! undone. A step left undone must be explained in the remarks.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::SHORT_MAX;
use crate::asset::{AssetKind, PatrimonialCode};
use crate::error::{Error, ErrorCode, Result, optional_text};

/// The checklist as the form sends it and as it is stored (after [`FormatChecklist::validate`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct FormatChecklist {
    /// The user's documents and settings were backed up.
    pub backup_done: bool,
    /// Where the backup is (the shared folder of the user's office).
    pub backup_location: Option<String>,
    /// Why there is no backup (required when `backup_done` is false).
    pub no_backup_reason: Option<String>,
    /// A low-level format was done.
    pub low_level: bool,
    /// Cause of a low-level format: read/write problems.
    pub read_write_problems: bool,
    /// Cause of a low-level format: low performance.
    pub low_performance: bool,
    /// File system NTFS, two partitions.
    pub ntfs_two_partitions: bool,
    /// Network card gets its IP from DHCP.
    pub dhcp: bool,
    /// Local administrator account enabled…
    pub local_admin_enabled: bool,
    /// …with a password.
    pub local_admin_password_set: bool,
    /// The computer name: must be the código patrimonial of the CPU.
    pub computer_name: String,
    /// Unnecessary services disabled.
    pub unnecessary_services_disabled: bool,
    /// Base software installed (from the unit's installers).
    pub base_software_installed: bool,
    /// Remarks; required to explain any step not done.
    pub remarks: Option<String>,
}

/// Kinds of equipment that are formatted (they have an operating system).
pub fn is_formattable(kind: AssetKind) -> bool {
    matches!(
        kind,
        AssetKind::Cpu | AssetKind::Laptop | AssetKind::Servidor
    )
}

impl FormatChecklist {
    /// The mandatory steps in checklist order: the field that records it, its label (as it
    /// reads inside a sentence) and whether it was done. The form and the ficha show them.
    pub fn steps(&self) -> [(&'static str, &'static str, bool); 6] {
        [
            (
                "ntfs_two_partitions",
                "NTFS con dos particiones",
                self.ntfs_two_partitions,
            ),
            ("dhcp", "IP por DHCP", self.dhcp),
            (
                "local_admin_enabled",
                "cuenta de administrador local habilitada",
                self.local_admin_enabled,
            ),
            (
                "local_admin_password_set",
                "clave de la cuenta de administrador local",
                self.local_admin_password_set,
            ),
            (
                "unnecessary_services_disabled",
                "servicios innecesarios deshabilitados",
                self.unnecessary_services_disabled,
            ),
            (
                "base_software_installed",
                "software base instalado",
                self.base_software_installed,
            ),
        ]
    }

    /// The labels of the mandatory steps not marked as done, in checklist order.
    pub fn missing_steps(&self) -> Vec<&'static str> {
        self.steps()
            .into_iter()
            .filter(|(_, _, done)| !done)
            .map(|(_, label, _)| label)
            .collect()
    }

    /// Checks the rules for an asset of `kind` whose código patrimonial is `code` (the CPU's,
    /// or the laptop's), and returns the checklist with its texts trimmed.
    pub fn validate(&self, kind: AssetKind, code: &PatrimonialCode) -> Result<FormatChecklist> {
        if !is_formattable(kind) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "format",
                format!(
                    "Un bien de tipo «{}» no se formatea: quite la lista de formateo.",
                    kind.label()
                ),
            ));
        }
        let mut v = self.clone();
        v.backup_location = optional_text(
            self.backup_location.as_deref(),
            "backup_location",
            "Ubicación del respaldo",
            SHORT_MAX,
        )?;
        v.no_backup_reason = optional_text(
            self.no_backup_reason.as_deref(),
            "no_backup_reason",
            "Motivo de no respaldar",
            SHORT_MAX,
        )?;
        v.remarks = optional_text(
            self.remarks.as_deref(),
            "remarks",
            "Observaciones del formateo",
            super::TEXT_MAX,
        )?;
        if v.backup_done {
            if v.backup_location.is_none() {
                return Err(Error::required(
                    "backup_location",
                    "Ubicación del respaldo (carpeta compartida del órgano)",
                ));
            }
            v.no_backup_reason = None;
        } else if v.no_backup_reason.is_none() {
            return Err(Error::field(
                ErrorCode::RespaldoRequerido,
                "no_backup_reason",
                "No se registró el respaldo de los documentos del usuario: respáldelos e indique dónde, o escriba por qué no se respaldaron.",
            ));
        }
        if v.low_level && !(v.read_write_problems || v.low_performance) {
            return Err(Error::field(
                ErrorCode::ChecklistIncompleto,
                "low_level",
                "El formateo a bajo nivel solo corresponde con problemas de lectura y escritura o bajo rendimiento: marque la causa o desmarque el formateo a bajo nivel.",
            ));
        }
        let name = v.computer_name.trim().to_uppercase();
        if name != code.as_str() {
            let shown = if name.is_empty() { "(vacío)" } else { &name };
            return Err(Error::field(
                ErrorCode::NombreEquipoInvalido,
                "computer_name",
                format!(
                    "El nombre del equipo «{shown}» debe ser el código patrimonial del CPU, {}: corrija «Nombre del equipo».",
                    code.as_str()
                ),
            ));
        }
        v.computer_name = name;
        let missing = v.missing_steps();
        if !missing.is_empty() && v.remarks.is_none() {
            return Err(Error::field(
                ErrorCode::ChecklistIncompleto,
                "remarks",
                format!(
                    "Faltan pasos del formateo: {}. Complételos o explique en «Observaciones del formateo» por qué no se hicieron.",
                    missing.join(", ")
                ),
            ));
        }
        Ok(v)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn complete(code: &str) -> FormatChecklist {
        FormatChecklist {
            backup_done: true,
            backup_location: Some(" \\\\srv\\logistica\\respaldos\\quispe ".into()),
            no_backup_reason: None,
            low_level: false,
            read_write_problems: false,
            low_performance: false,
            ntfs_two_partitions: true,
            dhcp: true,
            local_admin_enabled: true,
            local_admin_password_set: true,
            computer_name: code.into(),
            unnecessary_services_disabled: true,
            base_software_installed: true,
            remarks: None,
        }
    }

    fn code() -> PatrimonialCode {
        PatrimonialCode::parse("740899500012").expect("code")
    }

    #[test]
    fn a_complete_checklist_passes_trimmed() {
        let v = complete("740899500012")
            .validate(AssetKind::Cpu, &code())
            .expect("ok");
        assert_eq!(
            v.backup_location.as_deref(),
            Some("\\\\srv\\logistica\\respaldos\\quispe")
        );
        assert!(v.missing_steps().is_empty());
        assert!(
            complete(" 740899500012 ")
                .validate(AssetKind::Laptop, &code())
                .is_ok()
        );
    }

    #[test]
    fn backup_location_or_an_explicit_reason() {
        let mut c = complete("740899500012");
        c.backup_location = Some("  ".into());
        let e = c.validate(AssetKind::Cpu, &code()).expect_err("where");
        assert_eq!(e.code, ErrorCode::CampoRequerido);
        assert_eq!(e.field.as_deref(), Some("backup_location"));
        c.backup_done = false;
        let e = c.validate(AssetKind::Cpu, &code()).expect_err("reason");
        assert_eq!(e.code, ErrorCode::RespaldoRequerido);
        assert_eq!(e.field.as_deref(), Some("no_backup_reason"));
        assert!(e.message.contains("por qué"), "{}", e.message);
        c.no_backup_reason = Some("Disco ilegible, el usuario no tenía archivos locales".into());
        let v = c.validate(AssetKind::Cpu, &code()).expect("explained");
        assert!(!v.backup_done);
        // A reason typed while a backup is recorded is dropped: the backup is what counts.
        let mut c = complete("740899500012");
        c.no_backup_reason = Some("x".into());
        assert_eq!(
            c.validate(AssetKind::Cpu, &code())
                .expect("ok")
                .no_backup_reason,
            None
        );
    }

    #[test]
    fn low_level_only_with_a_cause() {
        let mut c = complete("740899500012");
        c.low_level = true;
        let e = c.validate(AssetKind::Cpu, &code()).expect_err("cause");
        assert_eq!(e.code, ErrorCode::ChecklistIncompleto);
        assert_eq!(e.field.as_deref(), Some("low_level"));
        c.read_write_problems = true;
        assert!(c.validate(AssetKind::Cpu, &code()).is_ok());
        c.read_write_problems = false;
        c.low_performance = true;
        assert!(c.validate(AssetKind::Cpu, &code()).is_ok());
    }

    #[test]
    fn computer_name_is_the_cpu_code() {
        for bad in ["PC-LOGISTICA-01", "", "74089950001", "7408 9950 0012"] {
            let e = complete(bad)
                .validate(AssetKind::Cpu, &code())
                .expect_err(bad);
            assert_eq!(e.code, ErrorCode::NombreEquipoInvalido, "{bad}");
            assert_eq!(e.field.as_deref(), Some("computer_name"));
            assert!(e.message.contains("740899500012"), "{}", e.message);
        }
    }

    #[test]
    fn missing_steps_need_remarks() {
        let mut c = complete("740899500012");
        c.dhcp = false;
        c.base_software_installed = false;
        assert_eq!(
            c.missing_steps(),
            vec!["IP por DHCP", "software base instalado"]
        );
        let e = c.validate(AssetKind::Cpu, &code()).expect_err("steps");
        assert_eq!(e.code, ErrorCode::ChecklistIncompleto);
        assert!(e.message.contains("IP por DHCP"), "{}", e.message);
        c.remarks = Some("Red con IP fija por ser equipo de la central telefónica".into());
        assert!(c.validate(AssetKind::Cpu, &code()).is_ok());
    }

    #[test]
    fn only_computers_are_formatted() {
        for k in AssetKind::ALL {
            let r = complete("740899500012").validate(*k, &code());
            assert_eq!(r.is_ok(), is_formattable(*k), "{k:?}");
            if let Err(e) = r {
                assert_eq!(e.code, ErrorCode::ValorInvalido);
            }
        }
    }
}
