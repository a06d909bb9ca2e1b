//! The catalogs of the help desk: channels, kinds, priorities, escalation levels and the
//! service catalog.
//!
//! Fixed sets that the rules depend on (channel, kind, status, priority 1–4, level 1–5) are
//! enums or range-checked numbers here; the service catalog (seed 003 §7.6) is data, kept in
//! the store's reference tables, because each agency adapts it. The store's migrations seed the
//! same codes, and a store test checks that both agree.

use std::fmt;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result};

macro_rules! code_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant),+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable code stored and sent on the wire.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }

            /// The Spanish label on screen.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Reads a stable code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

code_enum!(
    /// How the request reached the help desk (seeds 000, 001, 004).
    Channel {
        /// Llamada telefónica / anexo.
        Telefono => ("telefono", "Teléfono"),
        /// Correo electrónico (incl. the help desk account).
        Correo => ("correo", "Correo electrónico"),
        /// In person, at the reception desk (seed 000 §3.4).
        Presencial => ("presencial", "Presencial"),
        /// Asistencia remota (seed 001 act. 4).
        Remoto => ("remoto", "Asistencia remota"),
        /// Oficio or memorándum (seed 000 §3.5).
        Oficio => ("oficio", "Oficio / memorándum"),
        /// Official instant-messaging channels (seed 004).
        Mensajeria => ("mensajeria", "Mensajería instantánea"),
    }
);

code_enum!(
    /// What kind of attention it is (seed 002 §3.2; consulta from seeds 000 and 003).
    AttentionKind {
        /// Stops the person's normal work; takes time to solve.
        Incidencia => ("incidencia", "Incidencia"),
        /// Does not stop the work; can be attended at once.
        Ocurrencia => ("ocurrencia", "Ocurrencia"),
        /// A request for a change or more hardware/software functionality.
        Requerimiento => ("requerimiento", "Requerimiento"),
        /// A question answered with information, nothing changed.
        Consulta => ("consulta", "Consulta"),
    }
);

/// Prioridad 1–4 (seed 003 §7.4): 1 loss of service, 2 slowness, 3 equipment problems,
/// 4 training / a known functionality.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(try_from = "u8", into = "u8")]
#[ts(type = "number")]
pub struct Priority(u8);

impl Priority {
    /// Reads a priority, 1 to 4.
    pub fn new(value: u8) -> Result<Self> {
        if (1..=4).contains(&value) {
            Ok(Self(value))
        } else {
            Err(Error::field(
                ErrorCode::PrioridadInvalida,
                "priority",
                "La prioridad debe ser 1, 2, 3 o 4 (1 = pérdida del servicio).",
            ))
        }
    }

    /// 1 to 4.
    pub fn value(self) -> u8 {
        self.0
    }

    /// Short label from seed 003 §7.4.
    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "Pérdida del servicio",
            2 => "Lentitud en los servicios TIC",
            3 => "Problemas en el funcionamiento del equipo",
            _ => "Requerimiento de capacitación en el manejo de un sistema",
        }
    }
}

impl TryFrom<u8> for Priority {
    type Error = Error;
    fn try_from(v: u8) -> Result<Self> {
        Self::new(v)
    }
}

impl From<Priority> for u8 {
    fn from(p: Priority) -> u8 {
        p.0
    }
}

/// Nivel de escalamiento 1–5 (seed 003 §7.5): 1 help desk, 2 specialists on site, 3 database
/// and applications, 4 infrastructure, 5 internal services and external providers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(try_from = "u8", into = "u8")]
#[ts(type = "number")]
pub struct EscalationLevel(u8);

impl EscalationLevel {
    /// Level 1, where every attention starts.
    pub const FIRST: EscalationLevel = EscalationLevel(1);

    /// Reads a level, 1 to 5.
    pub fn new(value: u8) -> Result<Self> {
        if (1..=5).contains(&value) {
            Ok(Self(value))
        } else {
            Err(Error::field(
                ErrorCode::NivelEscalamientoInvalido,
                "escalation_level",
                "El nivel de escalamiento debe estar entre 1 y 5.",
            ))
        }
    }

    /// 1 to 5.
    pub fn value(self) -> u8 {
        self.0
    }

    /// Short label from seed 003 §7.5.
    pub fn label(self) -> &'static str {
        match self.0 {
            1 => "Nivel 1 – Mesa de ayuda",
            2 => "Nivel 2 – Especialista en sitio",
            3 => "Nivel 3 – Base de datos y aplicaciones",
            4 => "Nivel 4 – Infraestructura (conectividad y redes)",
            _ => "Nivel 5 – Servicios internos y proveedores externos",
        }
    }
}

impl TryFrom<u8> for EscalationLevel {
    type Error = Error;
    fn try_from(v: u8) -> Result<Self> {
        Self::new(v)
    }
}

impl From<EscalationLevel> for u8 {
    fn from(p: EscalationLevel) -> u8 {
        p.0
    }
}

/// A TIPO of the service catalog (seed 003 §7.6): the Anexo 01 column *tipología*.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct ServiceCategory {
    /// Stable code, e.g. `acceso`, `averia_hardware`.
    pub code: String,
    /// Name on screen, e.g. `Avería de Hardware`.
    pub name: String,
}

/// A SERVICIO of the catalog with its DESCRIPCIÓN DE SERVICIO.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Service {
    /// Stable code, e.g. `averia_hardware.impresoras`.
    pub code: String,
    pub category_code: String,
    pub name: String,
    pub description: String,
}

/// One row of a small fixed catalog, as the store returns it for selects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CatalogEntry {
    pub code: String,
    pub name: String,
    pub description: String,
}

/// One numbered level (priority or escalation level) with its seed text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct LevelEntry {
    pub level: u8,
    pub name: String,
    pub description: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(*c));
            assert_eq!(serde_json::to_value(c).expect("json"), c.code());
        }
        for k in AttentionKind::ALL {
            assert_eq!(AttentionKind::from_code(k.code()), Some(*k));
            assert_eq!(serde_json::to_value(k).expect("json"), k.code());
        }
        assert_eq!(Channel::ALL.len(), 6);
        assert_eq!(AttentionKind::ALL.len(), 4);
    }

    #[test]
    fn priority_and_level_ranges() {
        assert!((1..=4).all(|p| Priority::new(p).is_ok()));
        assert_eq!(
            Priority::new(0).map_err(|e| e.code),
            Err(ErrorCode::PrioridadInvalida)
        );
        assert!(Priority::new(5).is_err());
        assert!((1..=5).all(|l| EscalationLevel::new(l).is_ok()));
        assert!(EscalationLevel::new(0).is_err() && EscalationLevel::new(6).is_err());
        assert!(serde_json::from_str::<Priority>("7").is_err());
        assert_eq!(
            serde_json::from_str::<EscalationLevel>("3")
                .map(|l| l.value())
                .ok(),
            Some(3)
        );
    }
}
