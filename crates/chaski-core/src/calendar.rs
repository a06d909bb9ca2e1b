//! Business days (*días hábiles*, *días útiles*) and deadlines counted in them.
//!
//! A day is not working when it is a Saturday or Sunday, a national holiday of Peru, or a
//! non-working day decreed for the public sector (*día no laborable*, set each year by decreto
//! supremo) or a regional holiday that the central office distributes as reference data.
//!
//! National holidays (Decreto Legislativo 713 and its amendments): 1 January, Jueves and Viernes
//! Santo (from Easter, computed), 1 May, 7 June (from 2024, Ley 31788), 29 June, 23 July (from
//! 2023, Ley 31822), 28 and 29 July, 6 August (from 2022), 30 August, 8 October, 1 November,
//! 8, 9 (from 2022) and 25 December. The list lives here, in code, because it changes by law
//! and a law is a code change; what a government decrees for one year is data
//! ([`NonWorkingDay`]).
//!
//! Counting (TUO de la Ley 27444, arts. 144–146): a term of *n* días hábiles starts on the
//! business day after the act (the notification, the escalation), excludes every non-working
//! day, and its last day is the *n*-th business day. A term never ends on a non-working day.
//! Only whole days count: the time of day of the act does not matter.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::{Error, ErrorCode, Result, required_text};

/// A day that is not worked although it is a weekday: a decreed *día no laborable* or a
/// regional holiday. Reference data from the central office.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NonWorkingDay {
    /// `YYYY-MM-DD`.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// Why: "Día no laborable (D.S. N° 033-2025-PCM)".
    pub description: String,
}

/// One line of a holiday list as typed or imported: `dd/mm/aaaa` and a description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct NonWorkingDayInput {
    pub date: String,
    pub description: String,
}

impl NonWorkingDayInput {
    /// Reads a whole list; the first bad line refuses all of it (nothing half loaded). The
    /// error names the line (`days[3].date`).
    pub fn parse_all(lines: &[NonWorkingDayInput]) -> Result<Vec<NonWorkingDay>> {
        let mut out = Vec::with_capacity(lines.len());
        for (i, l) in lines.iter().enumerate() {
            let field = format!("days[{i}].date");
            let date = crate::time::parse_date(&l.date, &field).map_err(|e| {
                Error::field(
                    ErrorCode::FechaInvalida,
                    &field,
                    format!(
                        "Línea {} de la lista de días no laborables: {}",
                        i + 1,
                        e.message
                    ),
                )
            })?;
            let description = required_text(
                &l.description,
                &format!("days[{i}].description"),
                "Descripción del día no laborable",
                200,
            )?;
            out.push(NonWorkingDay { date, description });
        }
        Ok(out)
    }
}

/// Why a day is not worked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayOff {
    Weekend,
    Holiday { name: String },
    Decreed { description: String },
}

/// Easter Sunday of `year` (Gregorian; anonymous algorithm of Meeus/Jones/Butcher).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // The algorithm yields March or April with a valid day for every year chrono accepts.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

/// The national holidays of Peru in `year`, in date order.
pub fn national_holidays(year: i32) -> Vec<(NaiveDate, &'static str)> {
    let easter = easter_sunday(year);
    let mut days: Vec<(Option<NaiveDate>, &'static str)> = vec![
        (NaiveDate::from_ymd_opt(year, 1, 1), "Año Nuevo"),
        (Some(easter - Duration::days(3)), "Jueves Santo"),
        (Some(easter - Duration::days(2)), "Viernes Santo"),
        (NaiveDate::from_ymd_opt(year, 5, 1), "Día del Trabajo"),
        (
            NaiveDate::from_ymd_opt(year, 6, 29),
            "San Pedro y San Pablo",
        ),
        (
            NaiveDate::from_ymd_opt(year, 7, 28),
            "Día de la Independencia",
        ),
        (
            NaiveDate::from_ymd_opt(year, 7, 29),
            "Día de la Gran Parada Militar",
        ),
        (NaiveDate::from_ymd_opt(year, 8, 30), "Santa Rosa de Lima"),
        (NaiveDate::from_ymd_opt(year, 10, 8), "Combate de Angamos"),
        (
            NaiveDate::from_ymd_opt(year, 11, 1),
            "Día de Todos los Santos",
        ),
        (
            NaiveDate::from_ymd_opt(year, 12, 8),
            "Inmaculada Concepción",
        ),
        (NaiveDate::from_ymd_opt(year, 12, 25), "Navidad"),
    ];
    if year >= 2024 {
        days.push((
            NaiveDate::from_ymd_opt(year, 6, 7),
            "Batalla de Arica y Día de la Bandera",
        ));
    }
    if year >= 2023 {
        days.push((
            NaiveDate::from_ymd_opt(year, 7, 23),
            "Día de la Fuerza Aérea del Perú",
        ));
    }
    if year >= 2022 {
        days.push((NaiveDate::from_ymd_opt(year, 8, 6), "Batalla de Junín"));
        days.push((NaiveDate::from_ymd_opt(year, 12, 9), "Batalla de Ayacucho"));
    }
    let mut out: Vec<(NaiveDate, &'static str)> = days
        .into_iter()
        .filter_map(|(d, n)| d.map(|d| (d, n)))
        .collect();
    out.sort_by_key(|(d, _)| *d);
    out
}

/// Longest term accepted, in business days (a year and a half of them): a guard so that a
/// mistyped number cannot loop for ever.
pub const MAX_TERM_DAYS: u32 = 400;

/// The calendar of working days of a unit: weekends, national holidays and the decreed days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCalendar {
    decreed: BTreeMap<NaiveDate, String>,
}

impl BusinessCalendar {
    /// Weekends and national holidays only.
    pub fn national() -> Self {
        Self::default()
    }

    /// Adds the decreed non-working days (a later description of the same date wins).
    pub fn with_decreed(mut self, days: impl IntoIterator<Item = NonWorkingDay>) -> Self {
        for d in days {
            self.decreed.insert(d.date, d.description);
        }
        self
    }

    /// Why `d` is not a working day, or `None` if it is one.
    pub fn day_off(&self, d: NaiveDate) -> Option<DayOff> {
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return Some(DayOff::Weekend);
        }
        if let Some((_, name)) = national_holidays(d.year())
            .into_iter()
            .find(|(h, _)| *h == d)
        {
            return Some(DayOff::Holiday {
                name: name.to_string(),
            });
        }
        self.decreed.get(&d).map(|description| DayOff::Decreed {
            description: description.clone(),
        })
    }

    /// Whether `d` is a business day.
    pub fn is_business_day(&self, d: NaiveDate) -> bool {
        if matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        if self.decreed.contains_key(&d) {
            return false;
        }
        !is_national_holiday(d)
    }

    /// The first business day strictly after `d`.
    pub fn next_business_day(&self, d: NaiveDate) -> NaiveDate {
        let mut x = d;
        loop {
            match x.succ_opt() {
                Some(n) => x = n,
                None => return x,
            }
            if self.is_business_day(x) {
                return x;
            }
        }
    }

    /// The last day of a term of `days` business days that starts with the act on `from`
    /// (counted from the next business day; `days = 0` is the act's day moved to a business day).
    pub fn add_business_days(&self, from: NaiveDate, days: u32) -> Result<NaiveDate> {
        if days > MAX_TERM_DAYS {
            return Err(Error::field(
                ErrorCode::ValorInvalido,
                "days",
                format!("El plazo admite como máximo {MAX_TERM_DAYS} días hábiles: corríjalo."),
            ));
        }
        if days == 0 {
            return Ok(if self.is_business_day(from) {
                from
            } else {
                self.next_business_day(from)
            });
        }
        let mut x = from;
        for _ in 0..days {
            x = self.next_business_day(x);
        }
        Ok(x)
    }

    /// How many business days of a term that starts with the act on `from` have elapsed by the
    /// end of `on` (0 on the act's day; the day counted as 1 is the first business day after).
    pub fn business_days_elapsed(&self, from: NaiveDate, on: NaiveDate) -> u32 {
        let mut n = 0u32;
        let mut x = from;
        while x < on {
            match x.succ_opt() {
                Some(next) => x = next,
                None => break,
            }
            if self.is_business_day(x) {
                n = n.saturating_add(1);
            }
        }
        n
    }
}

fn is_national_holiday(d: NaiveDate) -> bool {
    let (m, day, y) = (d.month(), d.day(), d.year());
    let fixed = matches!(
        (m, day),
        (1, 1)
            | (5, 1)
            | (6, 29)
            | (7, 28)
            | (7, 29)
            | (8, 30)
            | (10, 8)
            | (11, 1)
            | (12, 8)
            | (12, 25)
    ) || (y >= 2024 && (m, day) == (6, 7))
        || (y >= 2023 && (m, day) == (7, 23))
        || (y >= 2022 && matches!((m, day), (8, 6) | (12, 9)));
    if fixed {
        return true;
    }
    if m == 3 || m == 4 {
        let easter = easter_sunday(y);
        return d == easter - Duration::days(3) || d == easter - Duration::days(2);
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn easter_known_years() {
        // Published Easter Sundays.
        for (y, m, day) in [
            (2019, 4, 21),
            (2020, 4, 12),
            (2021, 4, 4),
            (2022, 4, 17),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2028, 4, 16),
            (2038, 4, 25),
        ] {
            assert_eq!(easter_sunday(y), d(y, m, day), "{y}");
        }
    }

    #[test]
    fn national_holidays_follow_the_laws_of_each_year() {
        // 2024 per gob.pe/feriados: 16 holidays, Jueves/Viernes Santo on 28–29 March.
        let h2024: Vec<NaiveDate> = national_holidays(2024).into_iter().map(|x| x.0).collect();
        assert_eq!(h2024.len(), 16);
        assert!(h2024.contains(&d(2024, 3, 28)) && h2024.contains(&d(2024, 3, 29)));
        assert!(h2024.contains(&d(2024, 6, 7)));
        // 7 June became a holiday in 2024; 23 July in 2023; 6 August and 9 December in 2022.
        assert!(!national_holidays(2023).iter().any(|x| x.0 == d(2023, 6, 7)));
        assert!(
            national_holidays(2023)
                .iter()
                .any(|x| x.0 == d(2023, 7, 23))
        );
        assert!(
            !national_holidays(2022)
                .iter()
                .any(|x| x.0 == d(2022, 7, 23))
        );
        assert!(
            national_holidays(2022)
                .iter()
                .any(|x| x.0 == d(2022, 12, 9))
        );
        assert!(!national_holidays(2021).iter().any(|x| x.0 == d(2021, 8, 6)));
        // The fast check agrees with the list for every day of several years.
        let cal = BusinessCalendar::national();
        for y in 2019..=2030 {
            let list: Vec<NaiveDate> = national_holidays(y).into_iter().map(|x| x.0).collect();
            let mut x = d(y, 1, 1);
            while x.year() == y {
                assert_eq!(is_national_holiday(x), list.contains(&x), "{x}");
                let weekend = matches!(x.weekday(), Weekday::Sat | Weekday::Sun);
                assert_eq!(
                    cal.is_business_day(x),
                    !weekend && !list.contains(&x),
                    "{x}"
                );
                assert_eq!(cal.day_off(x).is_none(), cal.is_business_day(x), "{x}");
                x = x.succ_opt().expect("next");
            }
        }
    }

    #[test]
    fn terms_against_known_dates() {
        let cal = BusinessCalendar::national().with_decreed([
            NonWorkingDay {
                date: d(2025, 5, 2),
                description: "Día no laborable (sector público)".into(),
            },
            NonWorkingDay {
                date: d(2024, 12, 23),
                description: "Día no laborable (sector público)".into(),
            },
        ]);
        // (act, n, last day): worked by hand on a printed calendar.
        let table = [
            // Monday 2 March 2026 + 6: Tue 3 … Tue 10 March.
            (d(2026, 3, 2), 6, d(2026, 3, 10)),
            // Friday: counting starts Monday.
            (d(2026, 3, 6), 1, d(2026, 3, 9)),
            // Act on a Saturday: the first day is Monday.
            (d(2026, 3, 7), 1, d(2026, 3, 9)),
            // Holy week 2026: Thu 2 and Fri 3 April are holidays. Act Wed 1 April + 1 → Mon 6.
            (d(2026, 4, 1), 1, d(2026, 4, 6)),
            (d(2026, 3, 30), 6, d(2026, 4, 9)),
            // Holy week 2024: 28–29 March. Act Mon 25 March + 6 → Thu 4 April.
            (d(2024, 3, 25), 6, d(2024, 4, 4)),
            // Fiestas Patrias 2025: 23 (Wed), 28 (Mon), 29 (Tue) July. Act Tue 22 + 6:
            // 24, 25, 30, 31 July, 1, 4 August.
            (d(2025, 7, 22), 6, d(2025, 8, 4)),
            // Decreed 2 May 2025 (Friday after Labour Day): act Wed 30 April + 2 → Mon 5, Tue 6.
            (d(2025, 4, 30), 2, d(2025, 5, 6)),
            // December 2024: 9 (Mon) holiday, 23 decreed, 25 holiday.
            (d(2024, 12, 6), 1, d(2024, 12, 10)),
            (d(2024, 12, 20), 3, d(2024, 12, 27)),
            // 2023 had no 7 June holiday: Tue 6 June + 1 → Wed 7.
            (d(2023, 6, 6), 1, d(2023, 6, 7)),
            (d(2024, 6, 6), 1, d(2024, 6, 10)),
            // Year end 2025: 25 Dec (Thu), 1 Jan (Thu). Act Wed 24 Dec + 6 → 26, 29, 30, 31,
            // 2, 5 January 2026.
            (d(2025, 12, 24), 6, d(2026, 1, 5)),
            // The oficio archive from Mon 2 March 2026: 3–31 March are 21 business days, day 22
            // is Wed 1 April, and day 23 skips Holy Thursday and Friday to Mon 6 April.
            (d(2026, 3, 2), 21, d(2026, 3, 31)),
            (d(2026, 3, 2), 22, d(2026, 4, 1)),
            (d(2026, 3, 2), 23, d(2026, 4, 6)),
            // 0 days: the act's day itself, moved to a business day.
            (d(2026, 3, 2), 0, d(2026, 3, 2)),
            (d(2026, 3, 7), 0, d(2026, 3, 9)),
        ];
        for (from, n, due) in table {
            assert_eq!(cal.add_business_days(from, n), Ok(due), "{from} + {n}");
            if n > 0 {
                assert_eq!(cal.business_days_elapsed(from, due), n, "{from} .. {due}");
                assert_eq!(
                    cal.business_days_elapsed(from, due - Duration::days(1)),
                    n - 1,
                    "{from} .. day before {due}"
                );
            }
        }
        assert_eq!(
            cal.add_business_days(d(2026, 3, 2), MAX_TERM_DAYS + 1)
                .map_err(|e| e.code),
            Err(ErrorCode::ValorInvalido)
        );
    }

    #[test]
    fn a_term_never_ends_on_a_day_off() {
        let cal = BusinessCalendar::national();
        let mut x = d(2022, 1, 1);
        while x < d(2028, 1, 1) {
            for n in [1, 6, 21, 22] {
                let due = cal.add_business_days(x, n).expect("due");
                assert!(cal.is_business_day(due), "{x} + {n} = {due}");
                assert!(due > x);
            }
            x = x.succ_opt().expect("next");
        }
    }

    #[test]
    fn decreed_list_with_a_bad_date_is_refused_whole() {
        let ok = NonWorkingDayInput {
            date: "02/05/2025".into(),
            description: "Día no laborable".into(),
        };
        let bad = NonWorkingDayInput {
            date: "31/02/2025".into(),
            description: "Día no laborable".into(),
        };
        let e = NonWorkingDayInput::parse_all(&[ok.clone(), bad]).expect_err("bad date");
        assert_eq!(e.code, ErrorCode::FechaInvalida);
        assert_eq!(e.field.as_deref(), Some("days[1].date"));
        assert!(e.message.contains("Línea 2"), "{}", e.message);
        let no_desc = NonWorkingDayInput {
            description: " ".into(),
            ..ok.clone()
        };
        let e = NonWorkingDayInput::parse_all(&[no_desc]).expect_err("no description");
        assert_eq!(e.field.as_deref(), Some("days[0].description"));
        let days = NonWorkingDayInput::parse_all(&[ok]).expect("ok");
        let cal = BusinessCalendar::national().with_decreed(days);
        assert!(!cal.is_business_day(d(2025, 5, 2)));
        assert!(matches!(
            cal.day_off(d(2025, 5, 2)),
            Some(DayOff::Decreed { .. })
        ));
    }
}
