//! Escalation to a third-party provider (seed 001 act. 8–9, seed 002 §5 act. 5–7): when the
//! unit cannot solve it, or the equipment is under warranty, the case goes to the provider
//! (printer technicians, monitoring service, the warranty's vendor). Recorded: who, when, by
//! what means, what was asked; then the provider's completion; then, at least 24 hours after
//! the completion, the user's conformity (act. 9 → "pasadas las 24 horas de finalizado el
//! servicio"). A *no conforme* needs a remark and sends the case back to act. 8: a new
//! escalation.
//!
//! ```text
//! escalado ──concluir──▶ completado ──(≥ 24 h) conformidad──▶ conforme | no_conforme
//! ```

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{SHORT_MAX, TEXT_MAX};
use crate::asset::coded_enum;
use crate::error::{Error, ErrorCode, Result, optional_text, required_text};
use crate::ids::{
    AssetId, AttentionId, DiagnosticId, MaintenanceId, ProviderEscalationId, TechnicianId,
};

/// Hours after the provider's completion before the user's conformity is recorded.
pub const CONFORMITY_HOURS: i64 = 24;

coded_enum!(
    /// How the provider was contacted.
    EscalationMeans {
        Correo => "correo", "Correo electrónico";
        Telefono => "telefono", "Teléfono";
        Oficio => "oficio", "Oficio";
        Portal => "portal", "Portal o mesa de ayuda del proveedor";
        Presencial => "presencial", "Presencial";
    }
);

coded_enum!(
    /// Where an escalation stands.
    ProviderEscalationStatus {
        Escalado => "escalado", "Escalado al proveedor";
        Completado => "completado", "Servicio concluido, falta la conformidad";
        Conforme => "conforme", "Conforme";
        NoConforme => "no_conforme", "No conforme";
    }
);

/// What the escalation form sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderEscalationInput {
    pub attention_id: Option<AttentionId>,
    pub diagnostic_id: Option<DiagnosticId>,
    pub maintenance_id: Option<MaintenanceId>,
    pub asset_id: Option<AssetId>,
    /// The provider (company or person).
    pub provider: String,
    /// Who at the provider, and how to reach them.
    pub contact: Option<String>,
    pub means: EscalationMeans,
    pub escalated_at: DateTime<Utc>,
    /// What was asked of the provider.
    pub description: String,
    /// The provider's ticket or case number.
    pub provider_ticket: Option<String>,
}

/// A [`ProviderEscalationInput`] after validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProviderEscalation {
    pub provider: String,
    pub contact: Option<String>,
    pub description: String,
    pub provider_ticket: Option<String>,
}

impl ProviderEscalationInput {
    /// Checks the escalation: it comes from an attention, a diagnostic or a maintenance; the
    /// provider and the request are written; it did not happen in the future.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<ValidProviderEscalation> {
        if self.attention_id.is_none()
            && self.diagnostic_id.is_none()
            && self.maintenance_id.is_none()
        {
            return Err(Error::field(
                ErrorCode::CampoRequerido,
                "attention_id",
                "Indique la atención, el diagnóstico o el mantenimiento que se escala al proveedor.",
            ));
        }
        if self.escalated_at > now {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "escalated_at",
                "La fecha del escalamiento es posterior a este momento: corríjala.",
            ));
        }
        Ok(ValidProviderEscalation {
            provider: required_text(&self.provider, "provider", "Proveedor", SHORT_MAX)?,
            contact: optional_text(self.contact.as_deref(), "contact", "Contacto", SHORT_MAX)?,
            description: required_text(
                &self.description,
                "description",
                "Detalle del pedido",
                TEXT_MAX,
            )?,
            provider_ticket: optional_text(
                self.provider_ticket.as_deref(),
                "provider_ticket",
                "N° de ticket del proveedor",
                SHORT_MAX,
            )?,
        })
    }
}

/// A stored escalation to a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ProviderEscalation {
    pub id: ProviderEscalationId,
    pub unit_code: String,
    pub attention_id: Option<AttentionId>,
    pub diagnostic_id: Option<DiagnosticId>,
    pub maintenance_id: Option<MaintenanceId>,
    pub asset_id: Option<AssetId>,
    pub provider: String,
    pub contact: Option<String>,
    pub means: EscalationMeans,
    pub escalated_at: DateTime<Utc>,
    pub description: String,
    pub provider_ticket: Option<String>,
    pub technician_id: TechnicianId,
    pub completed_at: Option<DateTime<Utc>>,
    pub completion_note: Option<String>,
    pub conformity_at: Option<DateTime<Utc>>,
    pub conformity_accepted: Option<bool>,
    pub conformity_remark: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ProviderEscalation {
    /// Where it stands.
    pub fn status(&self) -> ProviderEscalationStatus {
        match (self.completed_at, self.conformity_accepted) {
            (None, _) => ProviderEscalationStatus::Escalado,
            (Some(_), None) => ProviderEscalationStatus::Completado,
            (Some(_), Some(true)) => ProviderEscalationStatus::Conforme,
            (Some(_), Some(false)) => ProviderEscalationStatus::NoConforme,
        }
    }

    /// From when the user's conformity may be recorded.
    pub fn conformity_due_at(&self) -> Option<DateTime<Utc>> {
        self.completed_at
            .map(|t| t + Duration::hours(CONFORMITY_HOURS))
    }

    /// Records the provider's completion at `at` (not before the escalation, not in the
    /// future), with a note of what the provider did.
    pub fn complete(&mut self, at: DateTime<Utc>, note: &str, now: DateTime<Utc>) -> Result<()> {
        if self.status() != ProviderEscalationStatus::Escalado {
            return Err(Error::field(
                ErrorCode::TransicionNoPermitida,
                "completed_at",
                "La conclusión del proveedor ya fue registrada.",
            ));
        }
        if at < self.escalated_at {
            return Err(Error::field(
                ErrorCode::RangoFechasInvalido,
                "completed_at",
                format!(
                    "La conclusión no puede ser anterior al escalamiento ({}): corrija la fecha.",
                    crate::time::format_date_time(self.escalated_at)
                ),
            ));
        }
        if at > now {
            return Err(Error::field(
                ErrorCode::FechaInvalida,
                "completed_at",
                "La fecha de conclusión es posterior a este momento: corríjala.",
            ));
        }
        self.completion_note = Some(required_text(
            note,
            "completion_note",
            "Lo que hizo el proveedor",
            TEXT_MAX,
        )?);
        self.completed_at = Some(at);
        Ok(())
    }

    /// Records the user's conformity, at least 24 hours after the completion; *no conforme*
    /// needs a remark.
    pub fn record_conformity(
        &mut self,
        accepted: bool,
        remark: Option<&str>,
        now: DateTime<Utc>,
    ) -> Result<()> {
        let refused = |m: &str| {
            Err(Error::field(
                ErrorCode::TransicionNoPermitida,
                "conformity",
                m.to_string(),
            ))
        };
        match self.status() {
            ProviderEscalationStatus::Escalado => {
                return refused("Primero registre la conclusión del servicio por el proveedor.");
            }
            ProviderEscalationStatus::Conforme | ProviderEscalationStatus::NoConforme => {
                return refused(
                    "La conformidad ya fue registrada. Si hay una nueva falla, escale de nuevo.",
                );
            }
            ProviderEscalationStatus::Completado => {}
        }
        if let Some(due) = self.conformity_due_at()
            && now < due
        {
            return Err(Error::field(
                ErrorCode::PlazoNoCumplido,
                "conformity",
                format!(
                    "La conformidad se consulta pasadas {CONFORMITY_HOURS} horas de concluido el servicio: a partir del {}.",
                    crate::time::format_date_time(due)
                ),
            ));
        }
        let remark = optional_text(remark, "conformity_remark", "Observación", TEXT_MAX)?;
        if !accepted && remark.is_none() {
            return Err(Error::field(
                ErrorCode::MotivoRequerido,
                "conformity_remark",
                "Escriba qué falla reporta el usuario: el caso vuelve al proveedor.",
            ));
        }
        self.conformity_accepted = Some(accepted);
        self.conformity_remark = remark;
        self.conformity_at = Some(now);
        Ok(())
    }

    /// After a *no conforme*: the new escalation to the same provider, for the same case.
    pub fn re_escalation(&self, now: DateTime<Utc>) -> Option<ProviderEscalationInput> {
        (self.status() == ProviderEscalationStatus::NoConforme).then(|| ProviderEscalationInput {
            attention_id: self.attention_id,
            diagnostic_id: self.diagnostic_id,
            maintenance_id: self.maintenance_id,
            asset_id: self.asset_id,
            provider: self.provider.clone(),
            contact: self.contact.clone(),
            means: self.means,
            escalated_at: now,
            description: format!(
                "No conforme: {}",
                self.conformity_remark.clone().unwrap_or_default()
            ),
            provider_ticket: self.provider_ticket.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, d, h, 0, 0)
            .single()
            .expect("t")
    }

    fn input() -> ProviderEscalationInput {
        ProviderEscalationInput {
            attention_id: Some(AttentionId::new()),
            diagnostic_id: None,
            maintenance_id: None,
            asset_id: None,
            provider: " Servicios Andinos SAC ".into(),
            contact: Some("Jorge, 984 123 456".into()),
            means: EscalationMeans::Correo,
            escalated_at: at(20, 14),
            description: "Impresora no toma papel".into(),
            provider_ticket: None,
        }
    }

    fn escalation() -> ProviderEscalation {
        let i = input();
        let v = i.validate(at(20, 15)).expect("valid");
        ProviderEscalation {
            id: ProviderEscalationId::new(),
            unit_code: "UT-CUSCO".into(),
            attention_id: i.attention_id,
            diagnostic_id: None,
            maintenance_id: None,
            asset_id: None,
            provider: v.provider,
            contact: v.contact,
            means: i.means,
            escalated_at: i.escalated_at,
            description: v.description,
            provider_ticket: None,
            technician_id: TechnicianId::new(),
            completed_at: None,
            completion_note: None,
            conformity_at: None,
            conformity_accepted: None,
            conformity_remark: None,
            created_at: at(20, 15),
            updated_at: at(20, 15),
        }
    }

    #[test]
    fn an_escalation_needs_a_source_a_provider_and_a_request() {
        let now = at(20, 15);
        assert_eq!(
            input().validate(now).expect("ok").provider,
            "Servicios Andinos SAC"
        );
        let mut i = input();
        i.attention_id = None;
        let e = i.validate(now).expect_err("source");
        assert_eq!(e.code, ErrorCode::CampoRequerido);
        i.diagnostic_id = Some(DiagnosticId::new());
        i.validate(now).expect("from a diagnostic");
        let mut i = input();
        i.provider = " ".into();
        assert_eq!(
            i.validate(now).map_err(|e| e.field),
            Err(Some("provider".into()))
        );
        let mut i = input();
        i.description = "".into();
        assert_eq!(
            i.validate(now).map_err(|e| e.field),
            Err(Some("description".into()))
        );
        let mut i = input();
        i.escalated_at = at(20, 16);
        assert_eq!(
            i.validate(now).map_err(|e| e.code),
            Err(ErrorCode::FechaInvalida)
        );
        for m in EscalationMeans::ALL {
            assert_eq!(EscalationMeans::parse(m.code()), Some(*m));
        }
    }

    #[test]
    fn completion_then_conformity_after_24_hours() {
        let mut e = escalation();
        assert_eq!(e.status(), ProviderEscalationStatus::Escalado);
        assert_eq!(e.conformity_due_at(), None);
        let err = e
            .record_conformity(true, None, at(23, 9))
            .expect_err("not done");
        assert_eq!(err.code, ErrorCode::TransicionNoPermitida);
        let err = e
            .complete(at(20, 13), "Cambió rodillos", at(21, 9))
            .expect_err("before");
        assert_eq!(err.code, ErrorCode::RangoFechasInvalido);
        let err = e
            .complete(at(22, 9), "Cambió rodillos", at(21, 9))
            .expect_err("future");
        assert_eq!(err.code, ErrorCode::FechaInvalida);
        let err = e.complete(at(21, 8), " ", at(21, 9)).expect_err("note");
        assert_eq!(err.code, ErrorCode::CampoRequerido);
        assert_eq!(
            e.status(),
            ProviderEscalationStatus::Escalado,
            "nothing changed"
        );
        e.complete(at(21, 8), "Cambió rodillos", at(21, 9))
            .expect("done");
        assert_eq!(e.status(), ProviderEscalationStatus::Completado);
        let err = e
            .complete(at(21, 9), "otra", at(21, 10))
            .expect_err("twice");
        assert_eq!(err.code, ErrorCode::TransicionNoPermitida);
        // 21/11 08:00 UTC + 24 h = 22/11 08:00 UTC = 22/11 03:00 Lima.
        let err = e
            .record_conformity(true, None, at(22, 7))
            .expect_err("too early");
        assert_eq!(err.code, ErrorCode::PlazoNoCumplido);
        assert!(err.message.contains("22/11/2026 03:00"), "{}", err.message);
        e.record_conformity(true, None, at(22, 8)).expect("on time");
        assert_eq!(e.status(), ProviderEscalationStatus::Conforme);
        assert_eq!(e.re_escalation(at(22, 9)), None);
        let err = e
            .record_conformity(false, Some("x"), at(23, 8))
            .expect_err("once");
        assert_eq!(err.code, ErrorCode::TransicionNoPermitida);
    }

    #[test]
    fn no_conforme_needs_a_remark_and_goes_back_to_the_provider() {
        let mut e = escalation();
        e.complete(at(21, 8), "Cambió rodillos", at(21, 9))
            .expect("done");
        let err = e
            .record_conformity(false, Some("  "), at(23, 9))
            .expect_err("remark");
        assert_eq!(err.code, ErrorCode::MotivoRequerido);
        e.record_conformity(false, Some("Sigue atascando"), at(23, 9))
            .expect("no conforme");
        assert_eq!(e.status(), ProviderEscalationStatus::NoConforme);
        let again = e.re_escalation(at(23, 10)).expect("again");
        assert_eq!(again.provider, e.provider);
        assert_eq!(again.attention_id, e.attention_id);
        assert!(again.description.contains("Sigue atascando"));
        again.validate(at(23, 10)).expect("valid");
    }
}
