//! Plain input structs of every template. They are what the app fills from its store and
//! what the content hash covers (see `docs/documents.md`): change a field only together
//! with the hash version.

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

/// Identity of one generated document, shared by every template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    /// Document id (a UUID string, e.g. v7); printed in the footer and the QR code.
    pub document_id: String,
    /// Document number as printed, e.g. `007-2026` (`DocNumber`).
    pub number: String,
    /// When the document was issued; also the PDF creation and modification date.
    pub issued_at: DateTime<FixedOffset>,
}

/// The institutional header band, as in the seed forms (PERÚ mark, sector, programme,
/// form code, version).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FormHeader {
    /// Sector and entity lines printed next to the PERÚ mark, from the most general to the
    /// entity itself, e.g. `["Ministerio de Desarrollo e Inclusión Social", "Viceministerio
    /// de Prestaciones Sociales", "Programa Nacional de Alimentación Escolar Qali Warma"]`.
    /// Up to three are printed.
    pub entity_lines: Vec<String>,
    /// Form code, e.g. `PRO-044-PNAEQW-UTI-FOR-0001`.
    pub form_code: String,
    /// Form version, e.g. `01` (printed "Versión N° 01").
    pub version: String,
}

/// A person named on a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonRef {
    /// Full name as it must be printed.
    pub name: String,
    /// DNI (8 digits) or other identity document number; empty if unknown.
    pub dni: String,
}

/// Estado of an attention, as in the Anexo 01 legend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttentionStatus {
    /// Atendido.
    Attended,
    /// Pendiente.
    Pending,
    /// En progreso.
    InProgress,
}

impl AttentionStatus {
    /// Spanish label as printed on the form.
    pub fn label(self) -> &'static str {
        match self {
            Self::Attended => "Atendido",
            Self::Pending => "Pendiente",
            Self::InProgress => "En Progreso",
        }
    }
}

/// One row of the Anexo 01 register ("Formato de registro de atención de mesa de ayuda").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionRow {
    /// N° (correlative in the register).
    pub number: u32,
    /// Fecha.
    pub date: NaiveDate,
    /// Sede.
    pub site: String,
    /// Usuaria/o afectada/o o solicitante.
    pub requester: String,
    /// Área u oficina.
    pub office: String,
    /// Descripción del problema o requerimiento.
    pub problem: String,
    /// Descripción de la solución.
    pub solution: String,
    /// Tipología (TIPO column of the service catalogue).
    pub typology: String,
    /// Estado.
    pub status: AttentionStatus,
    /// Personal de soporte asignado.
    pub technician: String,
}

/// The Anexo 01 register over a date range (A4 landscape).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttentionRegister {
    /// Document identity.
    pub meta: DocumentMeta,
    /// Header band.
    pub header: FormHeader,
    /// Entity name printed in the data line, e.g. "Programa Nacional de Alimentación Escolar Qali Warma".
    pub entity_name: String,
    /// Unit (Sede Central or Unidad Territorial), e.g. "Unidad Territorial Cusco".
    pub unit: String,
    /// First day of the period.
    pub period_from: NaiveDate,
    /// Last day of the period.
    pub period_to: NaiveDate,
    /// Rows, printed in this order.
    pub rows: Vec<AttentionRow>,
    /// Who gives the first V° B° (Especialista TIC / Especialista informático).
    pub specialist: Option<PersonRef>,
    /// Who gives the second V° B° (Jefa/e de Unidad / Jefa/e de UT).
    pub chief: Option<PersonRef>,
}

/// One asset line of the cargo or the traslado: EQUIPO / MARCA / CÓDIGO SBN / OBSERVACIONES.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssetLine {
    /// Equipo (kind and model), e.g. "CPU HP ProDesk 400 G7".
    pub equipment: String,
    /// Marca.
    pub brand: String,
    /// Código SBN / código patrimonial (12 digits).
    pub sbn_code: String,
    /// Observaciones (serie, estado, accesorios).
    pub observations: String,
}

/// Anexo N° 2, "Cargo de asignación de equipos de cómputo" (A4 portrait).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    /// Document identity; `meta.number` is printed after "N°" in the title.
    pub meta: DocumentMeta,
    /// Header band.
    pub header: FormHeader,
    /// Short name of the support unit, used in "Firma del Servidor/a de la UAST".
    pub support_unit: String,
    /// Fecha.
    pub date: NaiveDate,
    /// Servidor/a who receives (and returns) the assets.
    pub employee: PersonRef,
    /// Órgano / unidad orgánica of the employee.
    pub office: String,
    /// "Se retira los siguientes bienes del órgano y/o unidad orgánica".
    pub retired: Vec<AssetLine>,
    /// "Se asigna los siguientes bienes al órgano y/o unidad orgánica".
    pub assigned: Vec<AssetLine>,
    /// Servidor/a of the support unit (technician) who delivers.
    pub technician: PersonRef,
    /// Copy note; `None` prints the seed's text ("Se hace entrega de una copia …").
    pub copy_note: Option<String>,
}

/// Formato de traslado de equipos entre sedes (A4 portrait).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transfer {
    /// Document identity.
    pub meta: DocumentMeta,
    /// Header band.
    pub header: FormHeader,
    /// Fecha del traslado.
    pub date: NaiveDate,
    /// Sede de origen.
    pub origin_site: String,
    /// Sede de destino.
    pub destination_site: String,
    /// Motivo del traslado.
    pub reason: String,
    /// Bienes trasladados.
    pub assets: Vec<AssetLine>,
    /// Who hands the assets over.
    pub delivered_by: PersonRef,
    /// Office or role of who hands over, e.g. "Soporte técnico – UTI".
    pub delivered_by_office: String,
    /// Who receives them at the destination.
    pub received_by: PersonRef,
    /// Office of who receives.
    pub received_by_office: String,
}

/// Which signature line a handwritten signature belongs to.
///
/// Mapping per template: cargo — `Employee` = "Firma del Servidor/a", `Technician` =
/// "Firma del Servidor/a de la UAST"; traslado — `Technician` = "Entrega", `Employee` =
/// "Recibe"; register — `Technician` = V° B° Especialista, `Approver` = V° B° Jefa/e.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum SignerRole {
    /// The servidor(a) / user who receives or hands over.
    Employee,
    /// The support technician / specialist.
    Technician,
    /// The chief who gives the V° B°.
    Approver,
}

impl SignerRole {
    /// Spanish label used in error messages.
    pub fn label(self) -> &'static str {
        match self {
            Self::Employee => "servidor/a",
            Self::Technician => "técnico/a",
            Self::Approver => "jefa/e",
        }
    }
}

/// A handwritten signature drawn on screen: a transparent PNG plus who signed and when.
/// Not part of the content hash (see `docs/documents.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandSignature {
    /// Which line it goes on.
    pub role: SignerRole,
    /// PNG bytes (transparent background).
    pub png: Vec<u8>,
    /// Signer's name printed under the line.
    pub name: String,
    /// Signer's DNI printed under the line.
    pub dni: String,
    /// Date printed under the line.
    pub signed_on: NaiveDate,
}

/// Any document this crate renders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Document {
    /// Anexo 01 register.
    AttentionRegister(AttentionRegister),
    /// Cargo de asignación.
    Assignment(Assignment),
    /// Traslado.
    Transfer(Transfer),
}

impl Document {
    /// The identity block of whichever document this is.
    pub fn meta(&self) -> &DocumentMeta {
        match self {
            Self::AttentionRegister(d) => &d.meta,
            Self::Assignment(d) => &d.meta,
            Self::Transfer(d) => &d.meta,
        }
    }

    /// Template name used for file names and logs: `registro-atenciones`, `cargo-asignacion`,
    /// `traslado`.
    pub fn template_name(&self) -> &'static str {
        match self {
            Self::AttentionRegister(_) => "registro-atenciones",
            Self::Assignment(_) => "cargo-asignacion",
            Self::Transfer(_) => "traslado",
        }
    }
}
