//! The life of a numbered document that a person signs: the cargo de asignación, the traslado
//! and, later, the informe técnico de baja all share it.
//!
//! ```text
//! borrador ──emitir──▶ emitido ──firmar──▶ firmado (inmutable; aplica los eventos del bien)
//!    │                    │
//!    └──anular(motivo)────┴──▶ anulado (conserva su número; nunca se reutiliza)
//! ```
//!
//! - A draft (*borrador*) is freely editable and changes nothing else: it has no number.
//! - Issuing (*emitir*) gives it the next number of its series and freezes its content; it can
//!   be printed and taken to be signed.
//! - Signing (*firmar*) makes it immutable for ever and is the moment its effect happens (for a
//!   cargo: the assets change custodian).
//! - Annulling (*anular*) needs a reason; an issued document keeps its number, which is never
//!   handed out again. A signed document cannot be annulled: its effect already happened, so
//!   the correction is a new document that references it ([`Lifecycle::corrects`]) and undoes or
//!   amends the effect with its own rows.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};
use crate::numbering::DocNumber;

/// Code for edits to a document that is no longer a draft.
pub const CODE_DOCUMENT_FROZEN: ErrorCode = ErrorCode::DocumentoInmutable;

/// Where a document is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocStatus {
    /// Editable; no number; no effect.
    Borrador,
    /// Numbered and frozen; printable; waiting for signatures.
    Emitido,
    /// Signed by both people: immutable; its effect has been applied.
    Firmado,
    /// Annulled with a reason; keeps its number if it had one.
    Anulado,
}

impl DocStatus {
    /// Stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            DocStatus::Borrador => "borrador",
            DocStatus::Emitido => "emitido",
            DocStatus::Firmado => "firmado",
            DocStatus::Anulado => "anulado",
        }
    }

    /// Reads the stable code.
    pub fn parse(s: &str) -> Option<Self> {
        [
            DocStatus::Borrador,
            DocStatus::Emitido,
            DocStatus::Firmado,
            DocStatus::Anulado,
        ]
        .into_iter()
        .find(|d| d.code() == s)
    }

    /// Label on screen.
    pub fn label(self) -> &'static str {
        match self {
            DocStatus::Borrador => "Borrador",
            DocStatus::Emitido => "Emitido",
            DocStatus::Firmado => "Firmado",
            DocStatus::Anulado => "Anulado",
        }
    }

    /// Whether a document in this status may be printed: once issued (it has its number) and
    /// still when signed. A draft or an annulled one is refused, saying what to do; `what` is
    /// the document as the sentence names it ("El cargo de asignación").
    pub fn ensure_printable(self, what: &str) -> Result<()> {
        match self {
            DocStatus::Emitido | DocStatus::Firmado => Ok(()),
            DocStatus::Borrador => Err(Error::general(
                ErrorCode::DocumentoNoEmitido,
                format!(
                    "{what} es un borrador: emítalo primero (recibe su número) y luego genere el \
                     PDF."
                ),
            )),
            DocStatus::Anulado => Err(Error::general(
                ErrorCode::DocumentoNoEmitido,
                format!("{what} está anulado: ya no se imprime."),
            )),
        }
    }
}

/// What a person asks to do with a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DocAction {
    /// Change its content.
    Editar,
    /// Number it and freeze it.
    Emitir,
    /// Record that both people signed it.
    Firmar,
    /// Annul it (with a reason).
    Anular,
}

impl DocAction {
    fn verb(self) -> &'static str {
        match self {
            DocAction::Editar => "modificar",
            DocAction::Emitir => "emitir",
            DocAction::Firmar => "firmar",
            DocAction::Anular => "anular",
        }
    }
}

/// The state a document moves to when `action` is done in `from`, or why it cannot.
/// `what` names the document for the message (`el cargo`, `el traslado`).
pub fn next_status(from: DocStatus, action: DocAction, what: &str) -> Result<DocStatus> {
    use DocAction as A;
    use DocStatus as S;
    let refused = |why: &str, code: ErrorCode| {
        Err(Error::field(
            code,
            "status",
            format!(
                "No se puede {} {what} en estado «{}»: {why}",
                action.verb(),
                from.label()
            ),
        ))
    };
    match (from, action) {
        (S::Borrador, A::Editar) => Ok(S::Borrador),
        (S::Borrador, A::Emitir) => Ok(S::Emitido),
        (S::Borrador | S::Emitido, A::Anular) => Ok(S::Anulado),
        (S::Emitido, A::Firmar) => Ok(S::Firmado),
        (S::Borrador, A::Firmar) => refused(
            "primero emítalo para que tenga número y pueda imprimirse.",
            ErrorCode::TransicionNoPermitida,
        ),
        (S::Emitido, A::Editar) => refused(
            "ya tiene número y puede estar impreso. Anúlelo y elabore uno nuevo.",
            CODE_DOCUMENT_FROZEN,
        ),
        (S::Emitido, A::Emitir) => refused("ya fue emitido.", ErrorCode::TransicionNoPermitida),
        (S::Firmado, A::Editar | A::Anular) => refused(
            "está firmado y no puede cambiarse. Para corregirlo, elabore uno nuevo que haga referencia a este.",
            CODE_DOCUMENT_FROZEN,
        ),
        (S::Firmado, A::Emitir | A::Firmar) => {
            refused("ya está firmado.", ErrorCode::TransicionNoPermitida)
        }
        (S::Anulado, _) => refused(
            "fue anulado. Elabore uno nuevo si lo necesita.",
            CODE_DOCUMENT_FROZEN,
        ),
    }
}

/// The longest annulment reason accepted.
pub const REASON_MAX: usize = 500;

/// The lifecycle fields every signed document carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Lifecycle {
    pub status: DocStatus,
    /// Given when issued; kept when annulled.
    pub number: Option<DocNumber>,
    pub issued_at: Option<DateTime<Utc>>,
    pub signed_at: Option<DateTime<Utc>>,
    pub annulled_at: Option<DateTime<Utc>>,
    pub annul_reason: Option<String>,
}

impl Lifecycle {
    /// A new draft.
    pub fn draft() -> Self {
        Self {
            status: DocStatus::Borrador,
            number: None,
            issued_at: None,
            signed_at: None,
            annulled_at: None,
            annul_reason: None,
        }
    }

    /// Refuses unless the document is a draft.
    pub fn ensure_editable(&self, what: &str) -> Result<()> {
        next_status(self.status, DocAction::Editar, what).map(|_| ())
    }

    /// Issues the draft with `number`.
    pub fn issue(&mut self, number: DocNumber, at: DateTime<Utc>, what: &str) -> Result<()> {
        self.status = next_status(self.status, DocAction::Emitir, what)?;
        self.number = Some(number);
        self.issued_at = Some(at);
        Ok(())
    }

    /// Records the signatures.
    pub fn sign(&mut self, at: DateTime<Utc>, what: &str) -> Result<()> {
        self.status = next_status(self.status, DocAction::Firmar, what)?;
        self.signed_at = Some(at);
        Ok(())
    }

    /// Annuls with a reason; the number (if any) is kept.
    pub fn annul(&mut self, reason: &str, at: DateTime<Utc>, what: &str) -> Result<()> {
        let next = next_status(self.status, DocAction::Anular, what)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::field(
                ErrorCode::MotivoRequerido,
                "reason",
                format!("Escriba el motivo por el que anula {what}."),
            ));
        }
        if reason.chars().count() > REASON_MAX {
            return Err(Error::field(
                ErrorCode::CampoMuyLargo,
                "reason",
                format!("El motivo admite como máximo {REASON_MAX} caracteres: acórtelo."),
            ));
        }
        self.status = next;
        self.annul_reason = Some(reason.to_string());
        self.annulled_at = Some(at);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::numbering::DocKind;

    fn number(seq: u32) -> DocNumber {
        DocNumber {
            kind: DocKind::Assignment,
            unit_code: "UT-CUSCO".into(),
            year: 2026,
            seq,
        }
    }

    #[test]
    fn every_transition_is_allowed_or_refused_as_documented() {
        use DocAction as A;
        use DocStatus as S;
        let all_s = [S::Borrador, S::Emitido, S::Firmado, S::Anulado];
        let all_a = [A::Editar, A::Emitir, A::Firmar, A::Anular];
        let allowed = [
            (S::Borrador, A::Editar, S::Borrador),
            (S::Borrador, A::Emitir, S::Emitido),
            (S::Borrador, A::Anular, S::Anulado),
            (S::Emitido, A::Firmar, S::Firmado),
            (S::Emitido, A::Anular, S::Anulado),
        ];
        for s in all_s {
            for a in all_a {
                let got = next_status(s, a, "el cargo");
                match allowed.iter().find(|(f, x, _)| *f == s && *x == a) {
                    Some((_, _, to)) => assert_eq!(got, Ok(*to), "{s:?} {a:?}"),
                    None => {
                        let e = got.expect_err("refused");
                        assert!(
                            matches!(
                                e.code,
                                ErrorCode::TransicionNoPermitida | CODE_DOCUMENT_FROZEN
                            ),
                            "{s:?} {a:?}"
                        );
                        assert!(e.message.contains("el cargo"), "{}", e.message);
                    }
                }
            }
        }
    }

    #[test]
    fn signed_is_immutable_and_cannot_be_annulled() {
        let mut l = Lifecycle::draft();
        l.issue(number(7), Utc::now(), "el cargo").expect("issue");
        l.sign(Utc::now(), "el cargo").expect("sign");
        let e = l.ensure_editable("el cargo").expect_err("frozen");
        assert_eq!(e.code, CODE_DOCUMENT_FROZEN);
        assert!(e.message.contains("haga referencia"), "{}", e.message);
        let e = l
            .annul("error", Utc::now(), "el cargo")
            .expect_err("no annul");
        assert_eq!(e.code, CODE_DOCUMENT_FROZEN);
        assert_eq!(l.status, DocStatus::Firmado);
    }

    #[test]
    fn annulment_keeps_the_number_and_needs_a_reason() {
        let mut l = Lifecycle::draft();
        l.issue(number(12), Utc::now(), "el cargo").expect("issue");
        let e = l.annul("   ", Utc::now(), "el cargo").expect_err("reason");
        assert_eq!(e.code, ErrorCode::MotivoRequerido);
        assert_eq!(l.status, DocStatus::Emitido);
        l.annul("Se consignó otro servidor", Utc::now(), "el cargo")
            .expect("annul");
        assert_eq!(l.status, DocStatus::Anulado);
        assert_eq!(
            l.number.as_ref().map(DocNumber::text).as_deref(),
            Some("N° 012-2026")
        );
        assert!(l.sign(Utc::now(), "el cargo").is_err());
        assert!(l.issue(number(13), Utc::now(), "el cargo").is_err());
        assert_eq!(l.number.as_ref().map(|n| n.seq), Some(12));
    }

    #[test]
    fn a_draft_must_be_issued_before_signing() {
        let mut l = Lifecycle::draft();
        let e = l.sign(Utc::now(), "el traslado").expect_err("not issued");
        assert_eq!(e.code, ErrorCode::TransicionNoPermitida);
        assert!(e.message.contains("emítalo"));
        assert!(l.ensure_editable("el traslado").is_ok());
    }

    #[test]
    fn status_codes_round_trip() {
        for s in [
            DocStatus::Borrador,
            DocStatus::Emitido,
            DocStatus::Firmado,
            DocStatus::Anulado,
        ] {
            assert_eq!(DocStatus::parse(s.code()), Some(s));
            assert_eq!(serde_json::to_value(s).expect("json"), s.code());
        }
    }

    #[test]
    fn only_issued_and_signed_documents_print() {
        assert!(DocStatus::Emitido.ensure_printable("El cargo").is_ok());
        assert!(DocStatus::Firmado.ensure_printable("El cargo").is_ok());
        let draft = DocStatus::Borrador
            .ensure_printable("El traslado")
            .expect_err("a draft");
        assert_eq!(draft.code, ErrorCode::DocumentoNoEmitido);
        assert!(
            draft.message.starts_with("El traslado es un borrador"),
            "{draft:?}"
        );
        let annulled = DocStatus::Anulado
            .ensure_printable("El cargo")
            .expect_err("annulled");
        assert_eq!(annulled.code, ErrorCode::DocumentoNoEmitido);
        assert!(annulled.message.contains("anulado"), "{annulled:?}");
    }
}
