//! The diagnostic of an asset (seed 001 act. 15, seed 003 §8.6): what the user reported, the
//! tests done (a checklist per asset kind), what was found, the parts needed, the warranty,
//! the time, the result *operativo / inoperativo* and what to do next.
//!
//! Rules:
//! - Insert-only. A correction is a new diagnostic that names the one it corrects, with a
//!   reason; only the latest diagnostic of the asset can be corrected, so the asset's
//!   operability always follows the latest word.
//! - Every test of the asset kind's checklist is answered once (passed / failed / not
//!   applicable); a failed test says what failed; not everything can be "not applicable".
//! - The result must agree with the tests: *inoperativo* needs a failed test; *operativo* is
//!   refused when an essential test failed (it does not power on, it does not boot…).
//! - The recommendation must agree with the result: an inoperative asset is not returned to
//!   its user nor formatted. Under warranty, the repair is the provider's (opening the case
//!   voids the warranty, seed 002 act. 5): "repair in place" is refused and "repair by the
//!   provider" needs whom to call.
//! - The 60-minute rule (seed 003 §8.6.4): when the estimated work passes 60 minutes the
//!   equipment is to be moved to the IT office; not moving it needs a reason. Both are stored.
//! - Each diagnostic appends an `operativo` / `inoperativo` asset event (seed 001 act. 15:
//!   it is recorded in the register of altas, bajas and traslados), which sets the asset's
//!   operability.
//!
//! One file, about 600 lines with its checklist tables: the diagnostic's rules, the formatting
//! checklist and the operability they decide are read together, and splitting them would
//! scatter one form's rules over several files.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::formatting::{FormatChecklist, is_formattable};
use super::{SHORT_MAX, TEXT_MAX, check_past_date};
use crate::asset::{
    AssetEvent, AssetEventKind, AssetKind, AssetStatus, CODE_ASSET_UNAVAILABLE, DocRef,
    Operability, PatrimonialCode, PersonBrief, coded_enum,
};
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{AssetEventId, AssetId, AttentionId, DiagnosticId, TechnicianId};

/// The `doc_kind` of the asset events a diagnostic appends.
pub const DOC_KIND_DIAGNOSTIC: &str = "diagnostic";

/// Above this many estimated minutes the equipment goes to the IT office (seed 003 §8.6.4).
pub const IT_OFFICE_MINUTES: u32 = 60;

/// Longest time accepted, in minutes (a week).
pub const MINUTES_MAX: u32 = 7 * 24 * 60;

coded_enum!(
    /// One test of the diagnostic checklist.
    CheckItem {
        Energia => "energia", "Encendido y alimentación eléctrica";
        EstadoFisico => "estado_fisico", "Estado físico (carcasa, cables, conectores)";
        Arranque => "arranque", "POST / arranque del sistema";
        Memoria => "memoria", "Memoria RAM";
        Disco => "disco", "Disco: salud SMART, lectura y escritura";
        SistemaOperativo => "sistema_operativo", "Sistema operativo y controladores";
        Bateria => "bateria", "Batería y cargador";
        Pantalla => "pantalla", "Pantalla / imagen";
        Teclado => "teclado", "Teclado y touchpad";
        Puertos => "puertos", "Puertos (USB, video, audio)";
        Red => "red", "Conexión de red";
        Cabezal => "cabezal", "Cabezal, tóner o cartucho";
        Rodillos => "rodillos", "Rodillos y alimentación de papel";
        PaginaPrueba => "pagina_prueba", "Página de prueba";
        Escaneo => "escaneo", "Escaneo de prueba";
        Funcionamiento => "funcionamiento", "Funcionamiento general";
    }
);

coded_enum!(
    /// The outcome of one test.
    CheckOutcome {
        Aprobado => "aprobado", "Aprobado";
        Fallido => "fallido", "Falló";
        NoAplica => "no_aplica", "No aplica";
    }
);

coded_enum!(
    /// What to do with the asset after the diagnostic.
    Recommendation {
        DevolverUsuario => "devolver_usuario", "Devolver al usuario";
        RepararEnSitio => "reparar_en_sitio", "Reparar en sitio";
        RepararProveedor => "reparar_proveedor", "Reparación por el proveedor";
        Formatear => "formatear", "Formatear";
        EnviarAlmacen => "enviar_almacen", "Enviar al almacén";
        ProponerBaja => "proponer_baja", "Proponer la baja";
    }
);

coded_enum!(
    /// The warranty on the diagnostic's date.
    WarrantyStatus {
        Vigente => "vigente", "En garantía";
        Vencida => "vencida", "Garantía vencida";
        SinGarantia => "sin_garantia", "Sin garantía registrada";
    }
);

/// The tests of the checklist for an asset kind, in the order the form shows them.
pub fn checklist_for(kind: AssetKind) -> &'static [CheckItem] {
    use CheckItem as C;
    match kind {
        AssetKind::Cpu | AssetKind::Servidor => &[
            C::Energia,
            C::EstadoFisico,
            C::Arranque,
            C::Memoria,
            C::Disco,
            C::SistemaOperativo,
            C::Puertos,
            C::Red,
        ],
        AssetKind::Laptop => &[
            C::Energia,
            C::Bateria,
            C::EstadoFisico,
            C::Arranque,
            C::Memoria,
            C::Disco,
            C::SistemaOperativo,
            C::Pantalla,
            C::Teclado,
            C::Puertos,
            C::Red,
        ],
        AssetKind::Monitor | AssetKind::Proyector => {
            &[C::Energia, C::EstadoFisico, C::Pantalla, C::Puertos]
        }
        AssetKind::Impresora => &[
            C::Energia,
            C::EstadoFisico,
            C::Cabezal,
            C::Rodillos,
            C::PaginaPrueba,
            C::Puertos,
            C::Red,
        ],
        AssetKind::Escaner => &[C::Energia, C::EstadoFisico, C::Escaneo, C::Puertos],
        AssetKind::Switch => &[C::Energia, C::EstadoFisico, C::Puertos, C::Red],
        AssetKind::Teclado
        | AssetKind::Mouse
        | AssetKind::Telefono
        | AssetKind::Token
        | AssetKind::Biometrico
        | AssetKind::Estabilizador
        | AssetKind::Otro => &[C::Energia, C::EstadoFisico, C::Funcionamiento],
    }
}

/// Whether a failure of `item` makes an asset of `kind` unusable (it does not power on, does
/// not boot, shows no image, does not print…): then the result cannot be *operativo*.
pub fn is_essential(kind: AssetKind, item: CheckItem) -> bool {
    use CheckItem as C;
    match item {
        C::Energia | C::Funcionamiento => true,
        C::Arranque => matches!(
            kind,
            AssetKind::Cpu | AssetKind::Laptop | AssetKind::Servidor
        ),
        C::Pantalla => matches!(kind, AssetKind::Monitor | AssetKind::Proyector),
        C::PaginaPrueba => kind == AssetKind::Impresora,
        C::Escaneo => kind == AssetKind::Escaner,
        C::Red => kind == AssetKind::Switch,
        _ => false,
    }
}

/// One answered test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CheckResult {
    pub item: CheckItem,
    pub outcome: CheckOutcome,
    /// What was seen; required when the test failed.
    pub note: Option<String>,
}

/// The warranty on `on`, from the asset's warranty end date.
pub fn warranty_status(warranty_end: Option<NaiveDate>, on: NaiveDate) -> WarrantyStatus {
    match warranty_end {
        None => WarrantyStatus::SinGarantia,
        Some(end) if end >= on => WarrantyStatus::Vigente,
        Some(_) => WarrantyStatus::Vencida,
    }
}

/// Whether the 60-minute rule proposes moving the equipment to the IT office.
pub fn proposes_it_office(estimated_minutes: u32) -> bool {
    estimated_minutes > IT_OFFICE_MINUTES
}

/// The 60-minute rule as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ItOfficeMove {
    /// The estimate passed 60 minutes, so the app proposed the move.
    pub proposed: bool,
    /// The equipment was moved to the IT office.
    pub moved: bool,
    /// Why it stayed although the move was proposed.
    pub stay_reason: Option<String>,
}

/// What the diagnostic form sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct DiagnosticInput {
    pub asset_id: AssetId,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The attention that asked for it, if any.
    pub attention_id: Option<AttentionId>,
    /// Síntomas reportados.
    pub symptoms: String,
    pub checks: Vec<CheckResult>,
    /// Hallazgos.
    pub findings: String,
    /// Repuestos necesarios.
    pub parts_needed: Option<String>,
    /// Under warranty: the provider to call (name, phone or email).
    pub warranty_contact: Option<String>,
    pub time_spent_minutes: u32,
    /// Estimated time of the whole diagnosis and repair (the 60-minute rule).
    pub estimated_minutes: u32,
    pub moved_to_it_office: bool,
    pub stay_reason: Option<String>,
    pub result: Operability,
    pub recommendation: Recommendation,
    /// The formatting checklist, with the recommendation "formatear".
    pub format: Option<FormatChecklist>,
    /// The diagnostic this one corrects (must be the asset's latest).
    pub corrects: Option<DiagnosticId>,
    pub correction_reason: Option<String>,
}

/// What the rules need to know of the asset.
#[derive(Debug, Clone, PartialEq)]
pub struct DiagnosticAsset {
    pub code: PatrimonialCode,
    pub kind: AssetKind,
    pub status: AssetStatus,
    pub warranty_end: Option<NaiveDate>,
    /// The asset's latest diagnostic, if any.
    pub latest_diagnostic: Option<DiagnosticId>,
}

/// A [`DiagnosticInput`] that passed every rule, texts trimmed.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidDiagnostic {
    pub symptoms: String,
    pub checks: Vec<CheckResult>,
    pub findings: String,
    pub parts_needed: Option<String>,
    pub warranty: WarrantyStatus,
    pub warranty_contact: Option<String>,
    pub it_office: ItOfficeMove,
    pub format: Option<FormatChecklist>,
    pub correction_reason: Option<String>,
}

/// A stored diagnostic, with what the ficha técnica de diagnóstico prints.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Diagnostic {
    pub id: DiagnosticId,
    pub unit_code: String,
    pub asset_id: AssetId,
    pub asset_code: PatrimonialCode,
    pub asset_kind: AssetKind,
    /// The asset's denomination.
    pub equipment: String,
    pub brand: Option<String>,
    pub model: Option<String>,
    pub serial: Option<String>,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub attention_id: Option<AttentionId>,
    pub technician_id: TechnicianId,
    pub technician: PersonBrief,
    pub symptoms: String,
    pub checks: Vec<CheckResult>,
    pub findings: String,
    pub parts_needed: Option<String>,
    pub warranty: WarrantyStatus,
    #[ts(type = "string | null")]
    pub warranty_end: Option<NaiveDate>,
    pub warranty_contact: Option<String>,
    pub time_spent_minutes: u32,
    pub estimated_minutes: u32,
    pub it_office: ItOfficeMove,
    pub result: Operability,
    pub recommendation: Recommendation,
    pub format: Option<FormatChecklist>,
    pub corrects: Option<DiagnosticId>,
    pub correction_reason: Option<String>,
    /// The diagnostic that corrected this one, if any (derived).
    pub corrected_by: Option<DiagnosticId>,
    pub created_at: DateTime<Utc>,
}

fn incoherent(field: &str, message: impl Into<String>) -> Error {
    Error::field(ErrorCode::ResultadoIncoherente, field, message)
}

fn check_checks(kind: AssetKind, checks: &[CheckResult]) -> Result<Vec<CheckResult>> {
    let expected = checklist_for(kind);
    let mut out = Vec::with_capacity(checks.len());
    for (i, c) in checks.iter().enumerate() {
        if !expected.contains(&c.item) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "checks",
                format!(
                    "La prueba «{}» no corresponde a un bien de tipo «{}»: quítela.",
                    c.item.label(),
                    kind.label()
                ),
            ));
        }
        if checks[..i].iter().any(|o| o.item == c.item) {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "checks",
                format!(
                    "La prueba «{}» figura dos veces: deje una sola respuesta.",
                    c.item.label()
                ),
            ));
        }
        let note = optional_text(c.note.as_deref(), "checks", "Nota de la prueba", SHORT_MAX)?;
        if c.outcome == CheckOutcome::Fallido && note.is_none() {
            return Err(Error::field(
                ErrorCode::ChecklistIncompleto,
                "checks",
                format!(
                    "La prueba «{}» falló: escriba en su nota qué se observó.",
                    c.item.label()
                ),
            ));
        }
        out.push(CheckResult {
            item: c.item,
            outcome: c.outcome,
            note,
        });
    }
    let missing: Vec<&str> = expected
        .iter()
        .filter(|e| !checks.iter().any(|c| c.item == **e))
        .map(|e| e.label())
        .collect();
    if !missing.is_empty() {
        return Err(Error::field(
            ErrorCode::ChecklistIncompleto,
            "checks",
            format!(
                "Faltan pruebas del diagnóstico: {}. Márquelas como aprobada, fallida o no aplica.",
                missing.join(", ")
            ),
        ));
    }
    if out.iter().all(|c| c.outcome == CheckOutcome::NoAplica) {
        return Err(Error::field(
            ErrorCode::ChecklistIncompleto,
            "checks",
            "Todas las pruebas figuran como «No aplica»: registre al menos una prueba realizada.",
        ));
    }
    // Show them in checklist order whatever order the form sent.
    out.sort_by_key(|c| expected.iter().position(|e| *e == c.item));
    Ok(out)
}

fn check_result(
    kind: AssetKind,
    checks: &[CheckResult],
    result: Operability,
    recommendation: Recommendation,
) -> Result<()> {
    let failed: Vec<&CheckResult> = checks
        .iter()
        .filter(|c| c.outcome == CheckOutcome::Fallido)
        .collect();
    match result {
        Operability::Inoperativo if failed.is_empty() => {
            return Err(incoherent(
                "result",
                "El resultado es «Inoperativo» pero ninguna prueba falló: marque la prueba que falló o cambie el resultado.",
            ));
        }
        Operability::Operativo => {
            if let Some(c) = failed.iter().find(|c| is_essential(kind, c.item)) {
                return Err(incoherent(
                    "result",
                    format!(
                        "La prueba «{}» falló y sin ella el bien no puede usarse: el resultado debe ser «Inoperativo».",
                        c.item.label()
                    ),
                ));
            }
        }
        Operability::Inoperativo => {}
    }
    if result == Operability::Inoperativo
        && matches!(
            recommendation,
            Recommendation::DevolverUsuario | Recommendation::Formatear
        )
    {
        return Err(incoherent(
            "recommendation",
            format!(
                "Un bien inoperativo no puede «{}»: elija reparar, enviar al almacén o proponer la baja.",
                recommendation.label().to_lowercase()
            ),
        ));
    }
    if recommendation == Recommendation::Formatear && !is_formattable(kind) {
        return Err(Error::field(
            ErrorCode::ValorInvalido,
            "recommendation",
            format!(
                "Un bien de tipo «{}» no se formatea: elija otra recomendación.",
                kind.label()
            ),
        ));
    }
    Ok(())
}

impl DiagnosticInput {
    /// Checks every rule against the asset's present; `today` is the Lima calendar day.
    pub fn validate(&self, asset: &DiagnosticAsset, today: NaiveDate) -> Result<ValidDiagnostic> {
        if asset.status == AssetStatus::DeBaja {
            return Err(Error::field(
                CODE_ASSET_UNAVAILABLE,
                "asset_id",
                format!(
                    "El bien {} está dado de baja: ya no se diagnostica.",
                    asset.code
                ),
            ));
        }
        check_past_date(self.date, today, "date", "Fecha del diagnóstico")?;
        let symptoms = required_text(&self.symptoms, "symptoms", "Síntomas reportados", TEXT_MAX)?;
        let checks = check_checks(asset.kind, &self.checks)?;
        let findings = required_text(&self.findings, "findings", "Hallazgos", TEXT_MAX)?;
        let parts_needed = optional_text(
            self.parts_needed.as_deref(),
            "parts_needed",
            "Repuestos necesarios",
            TEXT_MAX,
        )?;
        check_result(asset.kind, &checks, self.result, self.recommendation)?;
        for (v, field, label) in [
            (
                self.time_spent_minutes,
                "time_spent_minutes",
                "Tiempo empleado",
            ),
            (
                self.estimated_minutes,
                "estimated_minutes",
                "Tiempo estimado",
            ),
        ] {
            if v > MINUTES_MAX {
                return Err(Error::field(
                    ErrorCode::ValorInvalido,
                    field,
                    format!(
                        "El «{label}» ({v} minutos) pasa de una semana ({MINUTES_MAX} minutos): revise la cifra."
                    ),
                ));
            }
        }
        let warranty = warranty_status(asset.warranty_end, self.date);
        let warranty_contact = optional_text(
            self.warranty_contact.as_deref(),
            "warranty_contact",
            "Proveedor de la garantía",
            SHORT_MAX,
        )?;
        if warranty == WarrantyStatus::Vigente {
            let until = asset
                .warranty_end
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default();
            if self.recommendation == Recommendation::RepararEnSitio {
                return Err(incoherent(
                    "recommendation",
                    format!(
                        "El bien está en garantía hasta el {until}: la reparación corresponde al proveedor. Elija «Reparación por el proveedor»."
                    ),
                ));
            }
            if self.recommendation == Recommendation::RepararProveedor && warranty_contact.is_none()
            {
                return Err(Error::required(
                    "warranty_contact",
                    "Proveedor de la garantía (a quién llamar)",
                ));
            }
        }
        let proposed = proposes_it_office(self.estimated_minutes);
        let stay_reason = if proposed && !self.moved_to_it_office {
            let r = optional_text(
                self.stay_reason.as_deref(),
                "stay_reason",
                "Motivo para no trasladar",
                SHORT_MAX,
            )?;
            if r.is_none() {
                return Err(Error::field(
                    ErrorCode::MotivoRequerido,
                    "stay_reason",
                    format!(
                        "El trabajo tomará más de {IT_OFFICE_MINUTES} minutos: traslade el equipo a la oficina de TI (y avise al usuario por correo) o escriba por qué se queda."
                    ),
                ));
            }
            r
        } else {
            None
        };
        let format = match (&self.format, self.recommendation) {
            (Some(f), Recommendation::Formatear) => Some(f.validate(asset.kind, &asset.code)?),
            (Some(_), _) => {
                return Err(Error::field(
                    ErrorCode::ValorInvalido,
                    "format",
                    "La lista de formateo solo va con la recomendación «Formatear»: quítela o cambie la recomendación.",
                ));
            }
            (None, _) => None,
        };
        let correction_reason = match self.corrects {
            None => None,
            Some(target) => {
                if asset.latest_diagnostic != Some(target) {
                    return Err(Error::field(
                        ErrorCode::ValorInvalido,
                        "corrects",
                        format!(
                            "Solo puede corregirse el último diagnóstico del bien {}: ábralo y corríjalo desde ahí.",
                            asset.code
                        ),
                    ));
                }
                let r = optional_text(
                    self.correction_reason.as_deref(),
                    "correction_reason",
                    "Motivo de la corrección",
                    SHORT_MAX,
                )?;
                if r.is_none() {
                    return Err(Error::field(
                        ErrorCode::MotivoRequerido,
                        "correction_reason",
                        "Escriba qué corrige este diagnóstico respecto del anterior.",
                    ));
                }
                r
            }
        };
        Ok(ValidDiagnostic {
            symptoms,
            checks,
            findings,
            parts_needed,
            warranty,
            warranty_contact,
            it_office: ItOfficeMove {
                proposed,
                moved: self.moved_to_it_office,
                stay_reason,
            },
            format,
            correction_reason,
        })
    }
}

/// The asset event that records a diagnostic's result (always appended: seed 001 act. 15
/// records every diagnostic in the register of altas, bajas and traslados).
pub fn operability_event(
    diagnostic: DiagnosticId,
    asset_id: AssetId,
    result: Operability,
    recommendation: Recommendation,
    at: DateTime<Utc>,
    technician: TechnicianId,
) -> AssetEvent {
    AssetEvent {
        id: AssetEventId::new(),
        asset_id,
        kind: AssetEventKind::for_operability(result),
        at,
        custodian_id: None,
        site: None,
        office: None,
        document: Some(DocRef {
            kind: DOC_KIND_DIAGNOSTIC.to_string(),
            id: diagnostic.uuid(),
            number: None,
        }),
        remarks: Some(format!("Recomendación: {}", recommendation.label())),
        technician_id: technician,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::asset::{AssetState, fold, last_operability};
    use crate::operations::formatting::tests::complete;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("date")
    }

    fn cpu() -> DiagnosticAsset {
        DiagnosticAsset {
            code: PatrimonialCode::parse("740899500012").expect("code"),
            kind: AssetKind::Cpu,
            status: AssetStatus::EnUso,
            warranty_end: None,
            latest_diagnostic: None,
        }
    }

    fn all(kind: AssetKind, outcome: CheckOutcome) -> Vec<CheckResult> {
        checklist_for(kind)
            .iter()
            .map(|i| CheckResult {
                item: *i,
                outcome,
                note: None,
            })
            .collect()
    }

    fn input() -> DiagnosticInput {
        DiagnosticInput {
            asset_id: AssetId::new(),
            date: day(2026, 11, 20),
            attention_id: None,
            symptoms: " No enciende desde el lunes ".into(),
            checks: all(AssetKind::Cpu, CheckOutcome::Aprobado),
            findings: "Equipo operativo tras limpiar contactos".into(),
            parts_needed: None,
            warranty_contact: None,
            time_spent_minutes: 30,
            estimated_minutes: 45,
            moved_to_it_office: false,
            stay_reason: None,
            result: Operability::Operativo,
            recommendation: Recommendation::DevolverUsuario,
            format: None,
            corrects: None,
            correction_reason: None,
        }
    }

    fn fail(d: &mut DiagnosticInput, item: CheckItem, note: Option<&str>) {
        for c in &mut d.checks {
            if c.item == item {
                c.outcome = CheckOutcome::Fallido;
                c.note = note.map(str::to_string);
            }
        }
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 23);

    fn today() -> NaiveDate {
        day(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn a_plain_diagnostic_passes_trimmed() {
        let v = input().validate(&cpu(), today()).expect("ok");
        assert_eq!(v.symptoms, "No enciende desde el lunes");
        assert_eq!(v.warranty, WarrantyStatus::SinGarantia);
        assert!(!v.it_office.proposed);
        assert_eq!(v.checks.len(), checklist_for(AssetKind::Cpu).len());
    }

    #[test]
    fn every_kind_has_a_checklist_with_an_essential_test() {
        for k in AssetKind::ALL {
            let list = checklist_for(*k);
            assert!(list.contains(&CheckItem::Energia), "{k:?}");
            assert!(list.iter().any(|i| is_essential(*k, *i)), "{k:?}");
            for (i, item) in list.iter().enumerate() {
                assert!(!list[..i].contains(item), "{k:?} repeats {item:?}");
            }
        }
        assert!(checklist_for(AssetKind::Impresora).contains(&CheckItem::Rodillos));
        assert!(checklist_for(AssetKind::Laptop).contains(&CheckItem::Bateria));
        assert!(!checklist_for(AssetKind::Monitor).contains(&CheckItem::Disco));
    }

    #[test]
    fn the_checklist_must_be_complete_and_failures_explained() {
        let mut d = input();
        d.checks.retain(|c| c.item != CheckItem::Disco);
        let e = d.validate(&cpu(), today()).expect_err("missing");
        assert_eq!(e.code, ErrorCode::ChecklistIncompleto);
        assert!(e.message.contains("Disco"), "{}", e.message);

        let mut d = input();
        d.checks.push(CheckResult {
            item: CheckItem::Memoria,
            outcome: CheckOutcome::Aprobado,
            note: None,
        });
        assert_eq!(
            d.validate(&cpu(), today()).map_err(|e| e.code),
            Err(ErrorCode::ValorInvalido)
        );

        let mut d = input();
        d.checks.push(CheckResult {
            item: CheckItem::Rodillos,
            outcome: CheckOutcome::NoAplica,
            note: None,
        });
        let e = d
            .validate(&cpu(), today())
            .expect_err("printer test on a CPU");
        assert_eq!(e.code, ErrorCode::ValorInvalido);
        assert!(e.message.contains("Rodillos"), "{}", e.message);

        let mut d = input();
        fail(&mut d, CheckItem::Puertos, Some("  "));
        let e = d.validate(&cpu(), today()).expect_err("note");
        assert_eq!(e.code, ErrorCode::ChecklistIncompleto);
        assert!(e.message.contains("Puertos"), "{}", e.message);

        let mut d = input();
        d.checks = all(AssetKind::Cpu, CheckOutcome::NoAplica);
        let e = d.validate(&cpu(), today()).expect_err("nothing tested");
        assert_eq!(e.code, ErrorCode::ChecklistIncompleto);
    }

    #[test]
    fn checks_come_back_in_checklist_order() {
        let mut d = input();
        d.checks.reverse();
        let v = d.validate(&cpu(), today()).expect("ok");
        let order: Vec<CheckItem> = v.checks.iter().map(|c| c.item).collect();
        assert_eq!(order, checklist_for(AssetKind::Cpu));
    }

    #[test]
    fn the_result_must_agree_with_the_tests() {
        let mut d = input();
        d.result = Operability::Inoperativo;
        d.recommendation = Recommendation::RepararEnSitio;
        let e = d.validate(&cpu(), today()).expect_err("nothing failed");
        assert_eq!(e.code, ErrorCode::ResultadoIncoherente);
        assert_eq!(e.field.as_deref(), Some("result"));
        fail(
            &mut d,
            CheckItem::Disco,
            Some("SMART: 120 sectores reasignados"),
        );
        d.validate(&cpu(), today())
            .expect("inoperative with a failure");

        let mut d = input();
        fail(
            &mut d,
            CheckItem::Arranque,
            Some("No pasa el POST, 3 pitidos"),
        );
        let e = d.validate(&cpu(), today()).expect_err("essential failed");
        assert_eq!(e.code, ErrorCode::ResultadoIncoherente);
        assert!(e.message.contains("POST"), "{}", e.message);

        // A non-essential failure can leave it operative.
        let mut d = input();
        fail(
            &mut d,
            CheckItem::Puertos,
            Some("Un USB frontal sin respuesta"),
        );
        d.validate(&cpu(), today())
            .expect("operative with a minor fault");
    }

    #[test]
    fn the_recommendation_must_agree_with_the_result() {
        for (rec, ok) in [
            (Recommendation::DevolverUsuario, false),
            (Recommendation::Formatear, false),
            (Recommendation::RepararEnSitio, true),
            (Recommendation::RepararProveedor, true),
            (Recommendation::EnviarAlmacen, true),
            (Recommendation::ProponerBaja, true),
        ] {
            let mut d = input();
            fail(&mut d, CheckItem::Energia, Some("Fuente quemada"));
            d.result = Operability::Inoperativo;
            d.recommendation = rec;
            let r = d.validate(&cpu(), today());
            assert_eq!(r.is_ok(), ok, "{rec:?}: {r:?}");
            if let Err(e) = r {
                assert_eq!(e.code, ErrorCode::ResultadoIncoherente);
                assert_eq!(e.field.as_deref(), Some("recommendation"));
            }
        }
        let mut d = input();
        d.checks = all(AssetKind::Monitor, CheckOutcome::Aprobado);
        d.recommendation = Recommendation::Formatear;
        let monitor = DiagnosticAsset {
            kind: AssetKind::Monitor,
            ..cpu()
        };
        assert_eq!(
            d.validate(&monitor, today()).map_err(|e| e.code),
            Err(ErrorCode::ValorInvalido)
        );
    }

    #[test]
    fn under_warranty_the_provider_repairs() {
        let mut asset = cpu();
        asset.warranty_end = Some(day(2027, 3, 31));
        let mut d = input();
        fail(&mut d, CheckItem::Energia, Some("No enciende"));
        d.result = Operability::Inoperativo;
        d.recommendation = Recommendation::RepararEnSitio;
        let e = d.validate(&asset, today()).expect_err("warranty");
        assert_eq!(e.code, ErrorCode::ResultadoIncoherente);
        assert!(e.message.contains("31/03/2027"), "{}", e.message);
        d.recommendation = Recommendation::RepararProveedor;
        let e = d.validate(&asset, today()).expect_err("who to call");
        assert_eq!(e.code, ErrorCode::CampoRequerido);
        assert_eq!(e.field.as_deref(), Some("warranty_contact"));
        d.warranty_contact = Some("Soporte HP 0800-10111".into());
        let v = d.validate(&asset, today()).expect("ok");
        assert_eq!(v.warranty, WarrantyStatus::Vigente);
        // The last day of the warranty still counts; the next day it is over.
        assert_eq!(
            warranty_status(Some(day(2026, 11, 20)), day(2026, 11, 20)),
            WarrantyStatus::Vigente
        );
        assert_eq!(
            warranty_status(Some(day(2026, 11, 19)), day(2026, 11, 20)),
            WarrantyStatus::Vencida
        );
        asset.warranty_end = Some(day(2026, 1, 1));
        d.recommendation = Recommendation::RepararEnSitio;
        assert_eq!(
            d.validate(&asset, today()).expect("expired").warranty,
            WarrantyStatus::Vencida
        );
    }

    #[test]
    fn the_sixty_minute_rule() {
        assert!(!proposes_it_office(60));
        assert!(proposes_it_office(61));
        let mut d = input();
        d.estimated_minutes = 60;
        assert!(!d.validate(&cpu(), today()).expect("60").it_office.proposed);
        d.estimated_minutes = 90;
        let e = d.validate(&cpu(), today()).expect_err("move or say why");
        assert_eq!(e.code, ErrorCode::MotivoRequerido);
        assert_eq!(e.field.as_deref(), Some("stay_reason"));
        assert!(e.message.contains("60 minutos"), "{}", e.message);
        d.moved_to_it_office = true;
        let v = d.validate(&cpu(), today()).expect("moved");
        assert_eq!(
            v.it_office,
            ItOfficeMove {
                proposed: true,
                moved: true,
                stay_reason: None
            }
        );
        d.moved_to_it_office = false;
        d.stay_reason = Some("Servidor en rack, no se desmonta".into());
        let v = d.validate(&cpu(), today()).expect("explained");
        assert!(v.it_office.proposed && !v.it_office.moved);
        assert!(v.it_office.stay_reason.is_some());
        d.estimated_minutes = MINUTES_MAX + 1;
        assert_eq!(
            d.validate(&cpu(), today()).map_err(|e| e.code),
            Err(ErrorCode::ValorInvalido)
        );
    }

    #[test]
    fn format_checklist_only_with_the_format_recommendation() {
        let mut d = input();
        d.format = Some(complete("740899500012"));
        let e = d.validate(&cpu(), today()).expect_err("not formatting");
        assert_eq!(e.field.as_deref(), Some("format"));
        d.recommendation = Recommendation::Formatear;
        assert!(d.validate(&cpu(), today()).expect("ok").format.is_some());
        d.format = Some(complete("PC-01"));
        assert_eq!(
            d.validate(&cpu(), today()).map_err(|e| e.code),
            Err(ErrorCode::NombreEquipoInvalido)
        );
    }

    #[test]
    fn corrections_target_the_latest_and_need_a_reason() {
        let first = DiagnosticId::new();
        let mut asset = cpu();
        let mut d = input();
        d.corrects = Some(first);
        let e = d.validate(&asset, today()).expect_err("no such diagnostic");
        assert_eq!(e.field.as_deref(), Some("corrects"));
        asset.latest_diagnostic = Some(DiagnosticId::new());
        assert_eq!(
            d.validate(&asset, today()).map_err(|e| e.code),
            Err(ErrorCode::ValorInvalido),
            "an older one"
        );
        asset.latest_diagnostic = Some(first);
        let e = d.validate(&asset, today()).expect_err("reason");
        assert_eq!(e.code, ErrorCode::MotivoRequerido);
        d.correction_reason = Some("Se consignó mal el disco".into());
        d.validate(&asset, today()).expect("ok");
    }

    #[test]
    fn dates_and_decommissioned_assets() {
        let mut d = input();
        d.date = day(2026, 11, 24);
        assert_eq!(
            d.validate(&cpu(), today()).map_err(|e| e.code),
            Err(ErrorCode::FechaInvalida)
        );
        let gone = DiagnosticAsset {
            status: AssetStatus::DeBaja,
            ..cpu()
        };
        let e = input().validate(&gone, today()).expect_err("baja");
        assert_eq!(e.code, CODE_ASSET_UNAVAILABLE);
        let mut d = input();
        d.symptoms = " ".into();
        assert_eq!(
            d.validate(&cpu(), today()).map_err(|e| e.code),
            Err(ErrorCode::CampoRequerido)
        );
        let mut d = input();
        d.findings = "x".repeat(TEXT_MAX + 1);
        assert_eq!(
            d.validate(&cpu(), today()).map_err(|e| e.code),
            Err(ErrorCode::CampoMuyLargo)
        );
    }

    #[test]
    fn the_result_sets_operability_through_an_event() {
        let a = AssetId::new();
        let mut h = vec![AssetEvent {
            id: AssetEventId::new(),
            asset_id: a,
            kind: AssetEventKind::Alta,
            at: Utc::now(),
            custodian_id: None,
            site: Some("Sede Cusco".into()),
            office: None,
            document: None,
            remarks: None,
            technician_id: TechnicianId::new(),
        }];
        let before: AssetState = fold(&h);
        let id = DiagnosticId::new();
        let e = operability_event(
            id,
            a,
            Operability::Inoperativo,
            Recommendation::ProponerBaja,
            Utc::now(),
            TechnicianId::new(),
        );
        assert_eq!(e.kind, AssetEventKind::Inoperativo);
        assert_eq!(
            e.document.as_ref().map(|d| (d.kind.as_str(), d.id)),
            Some((DOC_KIND_DIAGNOSTIC, id.uuid()))
        );
        assert!(e.remarks.as_deref().is_some_and(|r| r.contains("baja")));
        h.push(e);
        assert_eq!(fold(&h), before);
        assert_eq!(last_operability(&h), Some(Operability::Inoperativo));
    }
}
