//! Time: stored in UTC, shown in America/Lima as dd/mm/aaaa.
//!
//! Peru has no daylight saving time today, but the conversion goes through the tz database
//! (chrono-tz) rather than a fixed −05:00 so that historical dates stay right. Day-based
//! filters ("del 01/03/2026 al 31/03/2026") mean Lima days and are turned into UTC instants here.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::America::Lima;
use chrono_tz::Tz;

use crate::error::{Error, ErrorCode, Result};

/// The instant in Lima time.
pub fn to_lima(t: DateTime<Utc>) -> DateTime<Tz> {
    t.with_timezone(&Lima)
}

/// `23/11/2026`.
pub fn format_date(t: DateTime<Utc>) -> String {
    to_lima(t).format("%d/%m/%Y").to_string()
}

/// `23/11/2026 10:49`.
pub fn format_date_time(t: DateTime<Utc>) -> String {
    to_lima(t).format("%d/%m/%Y %H:%M").to_string()
}

/// The Lima calendar day of the instant (due dates, "today" of a plan).
pub fn lima_date(t: DateTime<Utc>) -> NaiveDate {
    to_lima(t).date_naive()
}

/// The year of the instant in Lima (numbering series change at Lima's New Year).
pub fn lima_year(t: DateTime<Utc>) -> i32 {
    to_lima(t).year()
}

/// Reads `dd/mm/aaaa`.
pub fn parse_date(text: &str, field: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%d/%m/%Y").map_err(|_| {
        Error::field(
            ErrorCode::FechaInvalida,
            field,
            format!(
                "La fecha «{}» no es válida: escríbala como dd/mm/aaaa.",
                text.trim()
            ),
        )
    })
}

/// The UTC instant when the Lima day `d` starts.
pub fn lima_day_start(d: NaiveDate) -> DateTime<Utc> {
    let naive = d.and_time(NaiveTime::MIN);
    match Lima.from_local_datetime(&naive).earliest() {
        Some(t) => t.with_timezone(&Utc),
        // A day that starts in a gap (not the case for Lima today): fall back to −05:00.
        None => Utc.from_utc_datetime(&naive) + chrono::Duration::hours(5),
    }
}

/// The UTC instant when the Lima day `d` ends (start of the next day, exclusive).
pub fn lima_day_end(d: NaiveDate) -> DateTime<Utc> {
    match d.succ_opt() {
        Some(next) => lima_day_start(next),
        None => lima_day_start(d) + chrono::Duration::days(1),
    }
}

/// Milliseconds since the Unix epoch, never negative (for the HLC).
pub fn unix_ms(t: DateTime<Utc>) -> u64 {
    u64::try_from(t.timestamp_millis()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shows_lima_dates() {
        let t = Utc
            .with_ymd_and_hms(2026, 11, 24, 3, 30, 0)
            .single()
            .expect("t");
        assert_eq!(format_date(t), "23/11/2026");
        assert_eq!(format_date_time(t), "23/11/2026 22:30");
        let ny = Utc
            .with_ymd_and_hms(2027, 1, 1, 2, 0, 0)
            .single()
            .expect("t");
        assert_eq!(lima_year(ny), 2026);
    }

    #[test]
    fn parses_dd_mm_aaaa_and_bounds_the_lima_day() {
        let d = parse_date("01/03/2026", "from").expect("date");
        assert_eq!(d, NaiveDate::from_ymd_opt(2026, 3, 1).expect("d"));
        assert_eq!(lima_day_start(d).to_rfc3339(), "2026-03-01T05:00:00+00:00");
        assert_eq!(lima_day_end(d).to_rfc3339(), "2026-03-02T05:00:00+00:00");
        for bad in ["2026-03-01", "31/02/2026", "1/3/26x", ""] {
            let e = parse_date(bad, "from").expect_err(bad);
            assert_eq!(e.code, ErrorCode::FechaInvalida);
            assert_eq!(e.field.as_deref(), Some("from"));
        }
    }
}
