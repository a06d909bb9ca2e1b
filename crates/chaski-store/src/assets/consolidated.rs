//! The monthly consolidated list for Patrimonio (seed 001, act. 14): every signed cargo and
//! traslado of the unit in a month (by date of signature, America/Lima), one row per asset
//! moved, exportable as CSV for the proveído to the Unidad de Abastecimiento.

use chaski_core::document::DocStatus;
use chaski_core::error::{Error as DomainError, ErrorCode};
use chaski_core::time::{lima_day_start, to_lima};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::documents::{assignment, transfer};
use crate::Store;
use crate::codec::{parse_id, ts};
use crate::error::Result;

/// One asset moved by one signed document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MovementRow {
    /// "Cargo de asignación" or "Traslado".
    pub document: String,
    /// `N° 007-2026`.
    pub number: String,
    #[ts(type = "string")]
    pub signed_on: NaiveDate,
    /// "Asignación", "Retiro" or "Traslado".
    pub movement: String,
    pub code: String,
    pub equipment: String,
    pub brand: Option<String>,
    /// Who or where it comes from.
    pub from: String,
    /// Who or where it goes to.
    pub to: String,
    pub remarks: Option<String>,
}

/// The list of a month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct MonthlyMovements {
    pub year: i32,
    pub month: u32,
    pub unit_code: String,
    pub rows: Vec<MovementRow>,
}

const WAREHOUSE: &str = "Almacén de soporte técnico";

impl Store {
    /// Every signed cargo and traslado signed in `month` of `year` (Lima time), oldest first.
    pub fn monthly_movements(&self, year: i32, month: u32) -> Result<MonthlyMovements> {
        let bad = || {
            DomainError::field(
                ErrorCode::FechaInvalida,
                "month",
                "Elija un mes válido (1 a 12).",
            )
        };
        let first = NaiveDate::from_ymd_opt(year, month, 1).ok_or_else(bad)?;
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        }
        .ok_or_else(bad)?;
        let (from, to) = (ts(lima_day_start(first)), ts(lima_day_start(next)));
        self.read(|c| {
            let unit_code: String =
                c.query_row("SELECT unit_code FROM local_device WHERE id = 1", [], |r| r.get(0))?;
            let docs: Vec<(String, String, String)> = c
                .prepare_cached(
                    "SELECT 'assignment', id, signed_at FROM assignment WHERE status = ?1 AND signed_at >= ?2 AND signed_at < ?3 \
                     UNION ALL SELECT 'transfer', id, signed_at FROM transfer WHERE status = ?1 AND signed_at >= ?2 AND signed_at < ?3 \
                     ORDER BY 3, 2",
                )?
                .query_map(rusqlite::params![DocStatus::Firmado.code(), from, to], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            let mut rows = Vec::new();
            for (kind, id, _) in docs {
                if kind == "assignment" {
                    let a = assignment(c, parse_id(&id)?)?;
                    let number = a.lifecycle.number.as_ref().map(|n| n.text()).unwrap_or_default();
                    let on = a.lifecycle.signed_at.map(|t| to_lima(t).date_naive()).unwrap_or(a.date);
                    let person = match &a.office {
                        Some(o) => format!("{} ({o})", a.person.name),
                        None => a.person.name.clone(),
                    };
                    for it in &a.withdrawn {
                        rows.push(MovementRow {
                            document: "Cargo de asignación".into(),
                            number: number.clone(),
                            signed_on: on,
                            movement: "Retiro".into(),
                            code: it.code.to_string(),
                            equipment: it.equipment.clone(),
                            brand: it.brand.clone(),
                            from: person.clone(),
                            to: WAREHOUSE.into(),
                            remarks: it.remarks.clone(),
                        });
                    }
                    for it in &a.assigned {
                        rows.push(MovementRow {
                            document: "Cargo de asignación".into(),
                            number: number.clone(),
                            signed_on: on,
                            movement: "Asignación".into(),
                            code: it.code.to_string(),
                            equipment: it.equipment.clone(),
                            brand: it.brand.clone(),
                            from: String::new(),
                            to: person.clone(),
                            remarks: it.remarks.clone(),
                        });
                    }
                } else {
                    let t = transfer(c, parse_id(&id)?)?;
                    let number = t.lifecycle.number.as_ref().map(|n| n.text()).unwrap_or_default();
                    let on = t.lifecycle.signed_at.map(|x| to_lima(x).date_naive()).unwrap_or(t.date);
                    for it in &t.items {
                        rows.push(MovementRow {
                            document: "Traslado".into(),
                            number: number.clone(),
                            signed_on: on,
                            movement: "Traslado".into(),
                            code: it.code.to_string(),
                            equipment: it.equipment.clone(),
                            brand: it.brand.clone(),
                            from: t.origin_site.clone(),
                            to: t.destination_site.clone(),
                            remarks: it.remarks.clone(),
                        });
                    }
                }
            }
            Ok(MonthlyMovements { year, month, unit_code, rows })
        })
    }

    /// The month's list as CSV: UTF-8 with BOM (so Excel shows the accents), comma-separated,
    /// CRLF line ends, Spanish headers.
    pub fn monthly_movements_csv(&self, year: i32, month: u32) -> Result<Vec<u8>> {
        let m = self.monthly_movements(year, month)?;
        Ok(movements_csv(&m))
    }
}

/// One CSV field: quoted when needed, and a text that a spreadsheet would take for a formula
/// (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) gets a leading `'`, so
/// opening the file never runs anything (OWASP "CSV injection").
fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Renders the list as CSV.
pub fn movements_csv(m: &MonthlyMovements) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    out.push_str("DOCUMENTO,NUMERO,FECHA_FIRMA,MOVIMIENTO,CODIGO_PATRIMONIAL,EQUIPO,MARCA,DE,A,OBSERVACIONES\r\n");
    for r in &m.rows {
        let on = format!(
            "{:02}/{:02}/{}",
            r.signed_on.day(),
            r.signed_on.month(),
            r.signed_on.year()
        );
        let cells = [
            r.document.as_str(),
            r.number.as_str(),
            on.as_str(),
            r.movement.as_str(),
            r.code.as_str(),
            r.equipment.as_str(),
            r.brand.as_deref().unwrap_or(""),
            r.from.as_str(),
            r.to.as_str(),
            r.remarks.as_deref().unwrap_or(""),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_field(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::csv_field;

    #[test]
    fn formulas_stay_text_in_csv() {
        assert_eq!(csv_field("=cmd|' /C calc'!A0"), "'=cmd|' /C calc'!A0");
        assert_eq!(csv_field("+51 984"), "'+51 984");
        assert_eq!(csv_field("-1"), "'-1");
        assert_eq!(csv_field("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_field("=1,2"), "\"'=1,2\"");
        assert_eq!(csv_field("Sede Cusco"), "Sede Cusco");
        assert_eq!(csv_field("a \"b\""), "\"a \"\"b\"\"\"");
    }
}
