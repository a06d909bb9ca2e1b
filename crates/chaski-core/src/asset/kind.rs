//! Closed lists that describe an asset: its kind, its SBN condition and whether it works.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::text::fold;

macro_rules! coded_enum {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $v:ident => $code:literal, $label:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $code)] $v,)*
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$v,)*];

            /// Stable code (database, IPC).
            pub fn code(self) -> &'static str {
                match self { $($name::$v => $code,)* }
            }

            /// Label on screen and paper.
            pub fn label(self) -> &'static str {
                match self { $($name::$v => $label,)* }
            }

            /// Reads the stable code.
            pub fn parse(s: &str) -> Option<Self> {
                Self::ALL.iter().copied().find(|v| v.code() == s)
            }
        }
    };
}
pub(crate) use coded_enum;

coded_enum!(
    /// The kind of equipment (seed 001's hardware list, plus what an SBN inventory holds).
    AssetKind {
        Cpu => "cpu", "CPU";
        Laptop => "laptop", "Laptop";
        Monitor => "monitor", "Monitor";
        Impresora => "impresora", "Impresora";
        Escaner => "escaner", "Escáner";
        Teclado => "teclado", "Teclado";
        Mouse => "mouse", "Mouse";
        Telefono => "telefono", "Teléfono";
        Token => "token", "Token";
        Biometrico => "biometrico", "Biométrico";
        Servidor => "servidor", "Servidor";
        Switch => "switch", "Switch";
        Proyector => "proyector", "Proyector multimedia";
        Estabilizador => "estabilizador", "Estabilizador / UPS";
        Otro => "otro", "Otro";
    }
);

coded_enum!(
    /// *Estado del bien* in the SBN inventory.
    AssetCondition {
        Nuevo => "N", "Nuevo";
        Bueno => "B", "Bueno";
        Regular => "R", "Regular";
        Malo => "M", "Malo";
        MuyMalo => "X", "Muy malo";
    }
);

coded_enum!(
    /// Result of the last diagnostic (seed 001 act. 15).
    Operability {
        Operativo => "operativo", "Operativo";
        Inoperativo => "inoperativo", "Inoperativo";
    }
);

impl AssetCondition {
    /// Reads what an inventory sheet says: the letter (`B`) or the word (`BUENO`, `Muy malo`).
    pub fn from_sheet(s: &str) -> Option<Self> {
        let f = fold(s);
        match f.as_str() {
            "n" | "nuevo" => Some(Self::Nuevo),
            "b" | "bueno" => Some(Self::Bueno),
            "r" | "regular" => Some(Self::Regular),
            "m" | "malo" => Some(Self::Malo),
            "x" | "muy malo" | "muymalo" => Some(Self::MuyMalo),
            _ => None,
        }
    }
}

impl AssetKind {
    /// Guesses the kind from the SBN denomination and the sheet's TIPO column
    /// (`UNIDAD CENTRAL DE PROCESO - CPU` → CPU). Unknown: [`AssetKind::Otro`].
    pub fn guess(denomination: &str, tipo: &str) -> Self {
        let text = format!(" {} {} ", fold(denomination), fold(tipo));
        let text: String = text
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { ' ' })
            .collect();
        let has = |w: &str| text.contains(w);
        let word = |w: &str| text.contains(&format!(" {w} "));
        if has("portatil") || word("laptop") || has("notebook") {
            Self::Laptop
        } else if has("servidor") || word("server") {
            Self::Servidor
        } else if has("unidad central de proceso") || word("cpu") || has("computadora personal") {
            Self::Cpu
        } else if has("monitor") || has("pantalla") {
            Self::Monitor
        } else if has("impresora") || has("multifuncional") {
            Self::Impresora
        } else if has("escaner") || has("scanner") {
            Self::Escaner
        } else if has("teclado") {
            Self::Teclado
        } else if word("mouse") || has("raton") {
            Self::Mouse
        } else if has("telefon") || has("celular") {
            Self::Telefono
        } else if word("token") {
            Self::Token
        } else if has("biometric") || has("huella") {
            Self::Biometrico
        } else if word("switch") || has("conmutador") {
            Self::Switch
        } else if has("proyector") {
            Self::Proyector
        } else if has("estabilizador") || word("ups") || has("no break") {
            Self::Estabilizador
        } else {
            Self::Otro
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for k in AssetKind::ALL {
            assert_eq!(AssetKind::parse(k.code()), Some(*k));
            assert_eq!(serde_json::to_value(k).expect("json"), k.code());
        }
        for c in AssetCondition::ALL {
            assert_eq!(AssetCondition::parse(c.code()), Some(*c));
            assert_eq!(AssetCondition::from_sheet(c.code()), Some(*c));
            assert_eq!(AssetCondition::from_sheet(c.label()), Some(*c));
        }
        assert_eq!(
            AssetCondition::from_sheet(" bueno "),
            Some(AssetCondition::Bueno)
        );
        assert_eq!(AssetCondition::from_sheet("Z"), None);
    }

    #[test]
    fn guesses_kinds_from_sbn_denominations() {
        for (d, want) in [
            ("UNIDAD CENTRAL DE PROCESO - CPU", AssetKind::Cpu),
            ("COMPUTADORA PORTATIL", AssetKind::Laptop),
            ("MONITOR A COLOR", AssetKind::Monitor),
            ("IMPRESORA LASER", AssetKind::Impresora),
            ("ESCANER", AssetKind::Escaner),
            ("TECLADO - KEYBOARD", AssetKind::Teclado),
            ("MOUSE", AssetKind::Mouse),
            ("TELEFONO IP", AssetKind::Telefono),
            ("LECTOR BIOMETRICO DE HUELLA", AssetKind::Biometrico),
            ("SWITCH PARA RED", AssetKind::Switch),
            ("SILLA GIRATORIA", AssetKind::Otro),
        ] {
            assert_eq!(AssetKind::guess(d, ""), want, "{d}");
        }
        assert_eq!(AssetKind::guess("EQUIPO", "Laptop"), AssetKind::Laptop);
    }
}
