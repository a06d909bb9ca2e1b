//! Statistics of a period (seed 000 §3.6, seed 002 §6.1, seed 004 Etapa 3) and the indicator
//! of seed 001 XI.
//!
//! The store computes the figures with SQL; the definitions live here, as types and as the
//! reference computation ([`monthly_indicator`]) the store's queries are tested against.
//!
//! **The indicator** *tiempo promedio de atención oportuna de incidencias* = (sum of the
//! attention time of the incidents reported in the month) / (number of incidents reported in
//! the month). Decisions the seed leaves open:
//! - "reported in the month": `received_at` falls in that Lima calendar month; only the kind
//!   *incidencia* counts (not requerimientos, consultas or ocurrencias);
//! - "attention time": the SLA clock's running time ([`crate::sla`]): reception to resolution
//!   minus the pauses that count;
//! - an incident still open at the cut-off (`as_of`: the report's instant, or now) counts in the
//!   denominator and contributes the time it has run so far; the row says how many are open,
//!   so nobody mistakes a provisional figure for a closed one.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::catalog::{AttentionKind, Channel};
use crate::error::{Error, ErrorCode, Result};
use crate::ids::TechnicianId;
use crate::time::lima_date;

/// Longest period accepted: ten years.
pub const MAX_PERIOD_DAYS: i64 = 3660;

/// A period of Lima calendar days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Period {
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
}

impl Period {
    /// Checks the ends: `to` not before `from`, at most ten years.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Period> {
        if to < from {
            return Err(Error::field(
                ErrorCode::RangoFechasInvalido,
                "to",
                "La fecha final del periodo es anterior a la inicial: corrija el periodo.",
            ));
        }
        if (to - from).num_days() > MAX_PERIOD_DAYS {
            return Err(Error::field(
                ErrorCode::RangoFechasInvalido,
                "from",
                "El periodo puede abarcar hasta diez años: acórtelo.",
            ));
        }
        Ok(Period { from, to })
    }

    /// The calendar month that contains `d`.
    pub fn month_of(d: NaiveDate) -> Period {
        let from = d.with_day(1).unwrap_or(d);
        let next = if from.month() == 12 {
            NaiveDate::from_ymd_opt(from.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(from.year(), from.month() + 1, 1)
        };
        let to = next.and_then(|n| n.pred_opt()).unwrap_or(from);
        Period { from, to }
    }

    /// The calendar year.
    pub fn year(y: i32) -> Option<Period> {
        Some(Period {
            from: NaiveDate::from_ymd_opt(y, 1, 1)?,
            to: NaiveDate::from_ymd_opt(y, 12, 31)?,
        })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }

    /// The months the period touches, as `YYYY-MM`.
    pub fn months(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut m = Period::month_of(self.from);
        while m.from <= self.to {
            out.push(month_key(m.from));
            match m.to.succ_opt() {
                Some(n) => m = Period::month_of(n),
                None => break,
            }
        }
        out
    }

    /// Days in the period.
    pub fn days(&self) -> i64 {
        (self.to - self.from).num_days() + 1
    }

    /// Day buckets up to two months, month buckets beyond.
    pub fn natural_granularity(&self) -> Granularity {
        if self.days() <= 62 {
            Granularity::Day
        } else {
            Granularity::Month
        }
    }
}

/// `YYYY-MM` of a day.
pub fn month_key(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Buckets of the received / resolved series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    Month,
}

/// A breakdown of the figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Dimension {
    Technician,
    Service,
    Category,
    Kind,
    Priority,
    Channel,
    /// SEDE: the unit.
    Unit,
}

/// What the statistics screen asks for. Empty filters do not filter.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct StatsQuery {
    pub period: Period,
    pub technician_id: Option<TechnicianId>,
    pub service_code: Option<String>,
    pub kind: Option<AttentionKind>,
    pub priority: Option<u8>,
    pub channel: Option<Channel>,
    pub unit_code: Option<String>,
    /// The breakdown table (default: by service).
    pub breakdown: Option<Dimension>,
    /// Day or month buckets (default: [`Period::natural_granularity`]).
    pub granularity: Option<Granularity>,
}

impl StatsQuery {
    pub fn new(period: Period) -> Self {
        StatsQuery {
            period,
            technician_id: None,
            service_code: None,
            kind: None,
            priority: None,
            channel: None,
            unit_code: None,
            breakdown: None,
            granularity: None,
        }
    }

    /// Checks the period and the priority.
    pub fn validate(&self) -> Result<()> {
        Period::new(self.period.from, self.period.to)?;
        if let Some(p) = self.priority {
            crate::catalog::Priority::new(p)?;
        }
        Ok(())
    }
}

/// One row of a count table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct CountRow {
    pub key: String,
    pub label: String,
    #[ts(type = "number")]
    pub count: u64,
}

/// Received and resolved in one bucket (`YYYY-MM-DD` or `YYYY-MM`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct SeriesPoint {
    pub bucket: String,
    #[ts(type = "number")]
    pub received: u64,
    #[ts(type = "number")]
    pub resolved: u64,
}

/// The seed 001 indicator of one month.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct IndicatorRow {
    /// `YYYY-MM`.
    pub month: String,
    /// Incidents reported in the month (the denominator).
    #[ts(type = "number")]
    pub incidents: u64,
    /// Of those, how many are still open at the cut-off.
    #[ts(type = "number")]
    pub open: u64,
    /// Sum of their attention time, in minutes (the numerator).
    #[ts(type = "number")]
    pub total_minutes: i64,
    /// `total_minutes / incidents`; `None` with no incidents.
    pub average_minutes: Option<f64>,
}

/// SLA compliance of the attentions resolved in the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct SlaCompliance {
    #[ts(type = "number")]
    pub on_time: u64,
    #[ts(type = "number")]
    pub late: u64,
    /// `on_time / (on_time + late)`, 0–1; `None` when nothing was resolved.
    pub rate: Option<f64>,
    /// Open at the end of the period and already past their target.
    #[ts(type = "number")]
    pub overdue_open: u64,
}

/// Everything the Estadísticas screen and the monthly report show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct Statistics {
    pub query: StatsQuery,
    /// Received in the period.
    #[ts(type = "number")]
    pub received: u64,
    /// Resolved in the period (whenever received).
    #[ts(type = "number")]
    pub resolved: u64,
    /// Of the received in the period, by current status.
    pub by_status: Vec<CountRow>,
    pub granularity: Granularity,
    pub series: Vec<SeriesPoint>,
    /// Open at the start of the first day (received before, resolved on or after it, or never).
    #[ts(type = "number")]
    pub backlog_start: u64,
    /// Open at the end of the last day.
    #[ts(type = "number")]
    pub backlog_end: u64,
    pub indicator: Vec<IndicatorRow>,
    pub sla: SlaCompliance,
    /// Services with most attentions received in the period (analysis of causes), at most 10.
    pub top_causes: Vec<CountRow>,
    /// The breakdown asked for, most first.
    pub breakdown: Vec<CountRow>,
    pub breakdown_by: Dimension,
    /// `true` when nothing was received or resolved in the period (the screen says so).
    pub empty: bool,
}

/// One attention as the indicator needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IndicatorCase {
    pub kind: AttentionKind,
    pub received_at: DateTime<Utc>,
    /// Running time of the SLA clock at resolution or at the cut-off.
    pub attention_time: Duration,
    pub open: bool,
}

/// The indicator of the month that contains `month` (reference computation).
pub fn monthly_indicator(month: NaiveDate, cases: &[IndicatorCase]) -> IndicatorRow {
    let m = Period::month_of(month);
    let mut incidents = 0u64;
    let mut open = 0u64;
    let mut total = Duration::zero();
    for c in cases {
        if c.kind != AttentionKind::Incidencia || !m.contains(lima_date(c.received_at)) {
            continue;
        }
        incidents += 1;
        if c.open {
            open += 1;
        }
        total += c.attention_time;
    }
    let total_minutes = total.num_minutes();
    IndicatorRow {
        month: month_key(m.from),
        incidents,
        open,
        total_minutes,
        average_minutes: (incidents > 0).then(|| total_minutes as f64 / incidents as f64),
    }
}

/// Minutes as `2 h 05 min` (or `45 min`), for screens and paper.
pub fn format_minutes(minutes: f64) -> String {
    let m = minutes.round().max(0.0) as i64;
    let (h, mm) = (m / 60, m % 60);
    if h == 0 {
        format!("{mm} min")
    } else {
        format!("{h} h {mm:02} min")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn lima(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        // Lima is UTC−5.
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0)
            .single()
            .expect("t")
            + Duration::hours(5)
    }

    /// March 2026, computed by hand:
    /// - INC-1 received 02/03 09:00, resolved 02/03 11:30 → 150 min;
    /// - INC-2 received 10/03 15:00, resolved 11/03 10:00 with a 60-min user wait → 19 h − 1 h
    ///   = 1080 min;
    /// - INC-3 received 31/03 23:30 (Lima; already 1 April in UTC), resolved 01/04 00:30 → 60;
    /// - INC-4 received 28/02 23:59 Lima: February, not counted;
    /// - a requerimiento in March: not an incident, not counted;
    /// - INC-5 received 20/03 08:00, still open at the cut-off with 500 min run → counts.
    ///
    /// Sum = 150 + 1080 + 60 + 500 = 1790 min over 4 incidents = 447.5 min.
    #[test]
    fn indicator_against_a_hand_computed_month() {
        let mins = Duration::minutes;
        let cases = [
            IndicatorCase {
                kind: AttentionKind::Incidencia,
                received_at: lima(2026, 3, 2, 9, 0),
                attention_time: mins(150),
                open: false,
            },
            IndicatorCase {
                kind: AttentionKind::Incidencia,
                received_at: lima(2026, 3, 10, 15, 0),
                attention_time: mins(1080),
                open: false,
            },
            IndicatorCase {
                kind: AttentionKind::Incidencia,
                received_at: lima(2026, 3, 31, 23, 30),
                attention_time: mins(60),
                open: false,
            },
            IndicatorCase {
                kind: AttentionKind::Incidencia,
                received_at: lima(2026, 2, 28, 23, 59),
                attention_time: mins(999),
                open: false,
            },
            IndicatorCase {
                kind: AttentionKind::Requerimiento,
                received_at: lima(2026, 3, 5, 10, 0),
                attention_time: mins(999),
                open: false,
            },
            IndicatorCase {
                kind: AttentionKind::Incidencia,
                received_at: lima(2026, 3, 20, 8, 0),
                attention_time: mins(500),
                open: true,
            },
        ];
        let day = NaiveDate::from_ymd_opt(2026, 3, 17).expect("d");
        let row = monthly_indicator(day, &cases);
        assert_eq!(row.month, "2026-03");
        assert_eq!((row.incidents, row.open, row.total_minutes), (4, 1, 1790));
        assert_eq!(row.average_minutes, Some(447.5));
        assert_eq!(format_minutes(447.5), "7 h 28 min");
        let feb = monthly_indicator(NaiveDate::from_ymd_opt(2026, 2, 1).expect("d"), &cases);
        assert_eq!((feb.incidents, feb.total_minutes), (1, 999));
        let empty = monthly_indicator(NaiveDate::from_ymd_opt(2026, 5, 1).expect("d"), &cases);
        assert_eq!((empty.incidents, empty.average_minutes), (0, None));
    }

    #[test]
    fn periods() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("d");
        assert_eq!(
            Period::new(d(2026, 3, 2), d(2026, 3, 1)).map_err(|e| (e.code, e.field)),
            Err((ErrorCode::RangoFechasInvalido, Some("to".into())))
        );
        assert!(Period::new(d(2000, 1, 1), d(2026, 1, 1)).is_err());
        let feb = Period::month_of(d(2024, 2, 10));
        assert_eq!((feb.from, feb.to), (d(2024, 2, 1), d(2024, 2, 29)));
        assert_eq!(Period::month_of(d(2025, 12, 31)).to, d(2025, 12, 31));
        let p = Period::new(d(2025, 11, 15), d(2026, 2, 1)).expect("p");
        assert_eq!(p.months(), ["2025-11", "2025-12", "2026-01", "2026-02"]);
        assert_eq!(p.natural_granularity(), Granularity::Month);
        assert_eq!(feb.natural_granularity(), Granularity::Day);
        assert_eq!(Period::year(2026).expect("y").days(), 365);
        assert_eq!(format_minutes(45.0), "45 min");
        let mut q = StatsQuery::new(feb);
        q.priority = Some(5);
        assert_eq!(
            q.validate().map_err(|e| e.code),
            Err(ErrorCode::PrioridadInvalida)
        );
    }
}
