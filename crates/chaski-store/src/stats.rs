//! Statistics of a period on the local store: the figures of `chaski_core::stats::Statistics`,
//! computed by a handful of aggregate queries (no row is read into Rust).
//!
//! - Lima days in SQL: times are stored in UTC; a Lima day is `datetime(t, '-5 hours')`. Peru
//!   has kept UTC−5 without daylight saving since 1994, so the fixed offset is exact for every
//!   record this app can hold; the period bounds themselves come from `chaski_core::time`.
//! - Attention time in SQL follows `chaski_core::sla::SlaClock` in milliseconds: end − received
//!   − the counted pauses clipped to [received, end]. Pauses of one attention never overlap
//!   (the write path refuses a second open pause), so their sum is their union.
//! - One scan of the received range (extended to whole months for the indicator) grouped by
//!   Lima day, status and kind feeds the counts, the received series and the indicator; one scan
//!   of the resolved range feeds the resolved series and the SLA compliance; the backlog is two
//!   index counts per instant; the breakdown and the top causes are two small GROUP BYs.
//!
//! The test `stats_equal_naive_recomputation` checks every figure against a plain Rust
//! recomputation over random data.

use std::collections::BTreeMap;

use chaski_core::catalog::{AttentionKind, Channel, Priority};
use chaski_core::sla::{PauseKind, SlaPolicy};
use chaski_core::stats::{
    CountRow, Dimension, Granularity, IndicatorRow, Period, SeriesPoint, SlaCompliance, Statistics,
    StatsQuery, month_key,
};
use chaski_core::status::AttentionStatus;
use chaski_core::time::{lima_day_end, lima_day_start};
use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use crate::Store;
use crate::codec::ts;
use crate::error::Result;

/// Milliseconds since the epoch of a stored time expression.
fn ms(expr: &str) -> String {
    format!("CAST(round(unixepoch({expr}, 'subsec') * 1000) AS INTEGER)")
}

/// `paused` CTE: counted pause time per attention, clipped to [received, `end_expr`].
fn paused_cte(end_expr: &str, policy: &SlaPolicy) -> String {
    let kinds: Vec<String> = PauseKind::ALL
        .iter()
        .filter(|k| policy.stops_clock(**k))
        .map(|k| format!("'{}'", k.code()))
        .collect();
    let eff_end = "CASE WHEN p.ended_at IS NULL THEN p.until_at WHEN p.until_at IS NULL THEN p.ended_at \
                   ELSE min(p.ended_at, p.until_at) END";
    format!(
        "paused AS (SELECT p.attention_id AS aid, \
         sum(max(0, min({pe}, {e}) - max({ps}, {r}))) AS ms \
         FROM attention_pause p JOIN attention a ON a.id = p.attention_id \
         WHERE p.kind IN ({kinds}) GROUP BY p.attention_id)",
        pe = ms(&format!("coalesce({eff_end}, {end_expr})")),
        e = ms(end_expr),
        ps = ms("p.starts_at"),
        r = ms("a.received_at"),
        kinds = if kinds.is_empty() {
            "NULL".to_string()
        } else {
            kinds.join(", ")
        },
    )
}

/// The running time of `a` in ms, with the clock's end at `end_expr`.
fn running_ms(end_expr: &str) -> String {
    format!(
        "(max({e}, {r}) - {r} - coalesce(pz.ms, 0))",
        e = ms(end_expr),
        r = ms("a.received_at")
    )
}

/// The target of `a` in ms (service's own, else the priority's), NULL without one.
const TARGET_JOIN: &str = "LEFT JOIN sla_target tsv ON tsv.priority = a.priority AND tsv.service_code = a.service_code \
     LEFT JOIN sla_target tpr ON tpr.priority = a.priority AND tpr.service_code = ''";
const TARGET_MS: &str = "(coalesce(tsv.minutes, tpr.minutes) * 60000)";

/// The WHERE fragment of the filters and its parameters (numbered from `first`).
fn filters(q: &StatsQuery, params: &mut Vec<Sql>) -> String {
    let mut sql = String::new();
    let mut add = |col: &str, v: Sql, params: &mut Vec<Sql>| {
        params.push(v);
        sql.push_str(&format!(" AND {col} = ?{}", params.len()));
    };
    if let Some(t) = q.technician_id {
        add("a.technician_id", Sql::Text(t.to_string()), params);
    }
    if let Some(s) = &q.service_code {
        add("a.service_code", Sql::Text(s.clone()), params);
    }
    if let Some(k) = q.kind {
        add("a.kind", Sql::Text(k.code().into()), params);
    }
    if let Some(p) = q.priority {
        add("a.priority", Sql::Integer(i64::from(p)), params);
    }
    if let Some(c) = q.channel {
        add("a.channel", Sql::Text(c.code().into()), params);
    }
    if let Some(u) = &q.unit_code {
        add("a.unit_code", Sql::Text(u.clone()), params);
    }
    sql
}

fn param(params: &mut Vec<Sql>, v: Sql) -> String {
    params.push(v);
    format!("?{}", params.len())
}

fn lima_day_sql(col: &str) -> String {
    format!("substr(datetime({col}, '-5 hours'), 1, 10)")
}

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

/// Attentions received before `t` minus those resolved before it: open at `t`.
fn backlog_at(c: &Connection, q: &StatsQuery, t: DateTime<Utc>) -> Result<u64> {
    let mut p = Vec::new();
    let f = filters(q, &mut p);
    let tp = param(&mut p, Sql::Text(ts(t)));
    let sql = format!(
        "SELECT (SELECT count(*) FROM attention a WHERE a.received_at < {tp}{f}) - \
                (SELECT count(*) FROM attention a WHERE a.resolved_at < {tp}{f})"
    );
    let n: i64 = c.query_row(&sql, rusqlite::params_from_iter(p), |r| r.get(0))?;
    Ok(u64::try_from(n).unwrap_or(0))
}

fn labels(c: &Connection, dim: Dimension) -> Result<BTreeMap<String, String>> {
    let sql = match dim {
        Dimension::Technician => "SELECT id, last_names || ', ' || first_names FROM technician",
        Dimension::Service => "SELECT code, name FROM service",
        Dimension::Category => "SELECT code, name FROM service_category",
        Dimension::Unit => "SELECT code, name FROM unit",
        Dimension::Kind => {
            return Ok(AttentionKind::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string()))
                .collect());
        }
        Dimension::Channel => {
            return Ok(Channel::ALL
                .iter()
                .map(|k| (k.code().to_string(), k.label().to_string()))
                .collect());
        }
        Dimension::Priority => {
            return Ok((1..=4u8)
                .filter_map(|p| Priority::new(p).ok())
                .map(|p| {
                    (
                        p.value().to_string(),
                        format!("{} – {}", p.value(), p.label()),
                    )
                })
                .collect());
        }
    };
    let mut st = c.prepare_cached(sql)?;
    let rows = st
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<BTreeMap<_, _>>>()?;
    Ok(rows)
}

fn dimension_sql(dim: Dimension) -> (&'static str, &'static str) {
    match dim {
        Dimension::Technician => ("a.technician_id", ""),
        Dimension::Service => ("a.service_code", ""),
        Dimension::Category => (
            "s.category_code",
            "JOIN service s ON s.code = a.service_code",
        ),
        Dimension::Kind => ("a.kind", ""),
        Dimension::Priority => ("CAST(a.priority AS TEXT)", ""),
        Dimension::Channel => ("a.channel", ""),
        Dimension::Unit => ("a.unit_code", ""),
    }
}

fn count_by(
    c: &Connection,
    q: &StatsQuery,
    dim: Dimension,
    start: &str,
    end: &str,
    limit: Option<u32>,
) -> Result<Vec<CountRow>> {
    let (col, join) = dimension_sql(dim);
    let mut p = Vec::new();
    let sp = param(&mut p, Sql::Text(start.into()));
    let ep = param(&mut p, Sql::Text(end.into()));
    let f = filters(q, &mut p);
    let lim = limit.map(|l| format!(" LIMIT {l}")).unwrap_or_default();
    let sql = format!(
        "SELECT {col} AS k, count(*) AS n FROM attention a {join} \
         WHERE a.received_at >= {sp} AND a.received_at < {ep}{f} \
         GROUP BY k ORDER BY n DESC, k{lim}"
    );
    let names = labels(c, dim)?;
    let mut st = c.prepare(&sql)?;
    let rows = st
        .query_map(rusqlite::params_from_iter(p), |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(key, n)| CountRow {
            label: names.get(&key).cloned().unwrap_or_else(|| key.clone()),
            key,
            count: u64::try_from(n).unwrap_or(0),
        })
        .collect())
}

pub(crate) fn statistics(c: &Connection, q: &StatsQuery, now: DateTime<Utc>) -> Result<Statistics> {
    q.validate()?;
    let period = q.period;
    let policy = crate::time::sla_policy(c)?;
    let start_t = lima_day_start(period.from);
    let end_t = lima_day_end(period.to);
    let (start, end) = (ts(start_t), ts(end_t));
    let now_text = ts(now);
    let granularity = q
        .granularity
        .unwrap_or_else(|| period.natural_granularity());
    let bucket_of = |d: NaiveDate| match granularity {
        Granularity::Day => d.format("%Y-%m-%d").to_string(),
        Granularity::Month => month_key(d),
    };

    // 1. Received over the whole months of the period, by Lima day, status and kind.
    let first_month = Period::month_of(period.from).from;
    let last_month = Period::month_of(period.to).to;
    let mut p = Vec::new();
    let asof = param(&mut p, Sql::Text(now_text.clone()));
    let ms_start = param(&mut p, Sql::Text(ts(lima_day_start(first_month))));
    let ms_end = param(&mut p, Sql::Text(ts(lima_day_end(last_month))));
    let f = filters(q, &mut p);
    let end_expr = format!("coalesce(a.resolved_at, {asof})");
    let sql = format!(
        "WITH {cte} SELECT {d} AS day, a.status, a.kind = 'incidencia' AS inc, count(*), \
           sum(CASE WHEN a.kind = 'incidencia' THEN {run} ELSE 0 END), \
           sum(a.resolved_at IS NULL) \
         FROM attention a LEFT JOIN paused pz ON pz.aid = a.id \
         WHERE a.received_at >= {ms_start} AND a.received_at < {ms_end}{f} \
         GROUP BY day, a.status, inc",
        cte = paused_cte(&end_expr, &policy),
        d = lima_day_sql("a.received_at"),
        run = running_ms(&end_expr),
    );
    let mut received = 0u64;
    let mut by_status: BTreeMap<String, u64> = BTreeMap::new();
    let mut series: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut indicator: BTreeMap<String, (u64, u64, i64)> = BTreeMap::new();
    {
        let mut st = c.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(p))?;
        while let Some(r) = rows.next()? {
            let d = day(&r.get::<_, String>(0)?);
            let status: String = r.get(1)?;
            let inc: bool = r.get(2)?;
            let n = u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0);
            let run: i64 = r.get(4)?;
            let open = u64::try_from(r.get::<_, i64>(5)?).unwrap_or(0);
            if inc {
                let m = indicator.entry(month_key(d)).or_default();
                m.0 += n;
                m.1 += open;
                m.2 += run;
            }
            if period.contains(d) {
                received += n;
                *by_status.entry(status).or_default() += n;
                series.entry(bucket_of(d)).or_default().0 += n;
            }
        }
    }

    // 2. Resolved in the period, by Lima day, with the SLA verdict.
    let mut p = Vec::new();
    let sp = param(&mut p, Sql::Text(start.clone()));
    let ep = param(&mut p, Sql::Text(end.clone()));
    let f = filters(q, &mut p);
    let sql = format!(
        "WITH {cte} SELECT {d} AS day, count(*), \
           sum(CASE WHEN {target} IS NOT NULL AND {run} <= {target} THEN 1 ELSE 0 END), \
           sum(CASE WHEN {target} IS NOT NULL AND {run} > {target} THEN 1 ELSE 0 END) \
         FROM attention a LEFT JOIN paused pz ON pz.aid = a.id {TARGET_JOIN} \
         WHERE a.resolved_at >= {sp} AND a.resolved_at < {ep}{f} GROUP BY day",
        cte = paused_cte("a.resolved_at", &policy),
        d = lima_day_sql("a.resolved_at"),
        run = running_ms("a.resolved_at"),
        target = TARGET_MS,
    );
    let (mut resolved, mut on_time, mut late) = (0u64, 0u64, 0u64);
    {
        let mut st = c.prepare(&sql)?;
        let mut rows = st.query(rusqlite::params_from_iter(p))?;
        while let Some(r) = rows.next()? {
            let d = day(&r.get::<_, String>(0)?);
            let n = u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0);
            resolved += n;
            on_time += u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0);
            late += u64::try_from(r.get::<_, i64>(3)?).unwrap_or(0);
            series.entry(bucket_of(d)).or_default().1 += n;
        }
    }

    // 3. Open at the end of the period (or now, if earlier) and past their target.
    let cut = if now < end_t { now } else { end_t };
    let mut p = Vec::new();
    let cutp = param(&mut p, Sql::Text(ts(cut)));
    let f = filters(q, &mut p);
    let sql = format!(
        "WITH {cte} SELECT count(*) FROM attention a LEFT JOIN paused pz ON pz.aid = a.id {TARGET_JOIN} \
         WHERE a.received_at < {cutp} AND (a.resolved_at IS NULL OR a.resolved_at >= {cutp}){f} \
           AND {target} IS NOT NULL AND {run} > {target}",
        cte = paused_cte(&cutp, &policy),
        run = running_ms(&cutp),
        target = TARGET_MS,
    );
    let overdue_open: i64 = c.query_row(&sql, rusqlite::params_from_iter(p), |r| r.get(0))?;

    // 4. Backlog, breakdown, causes.
    let backlog_start = backlog_at(c, q, start_t)?;
    let backlog_end = backlog_at(c, q, cut.max(start_t))?;
    let breakdown_by = q.breakdown.unwrap_or(Dimension::Service);
    let breakdown = count_by(c, q, breakdown_by, &start, &end, None)?;
    let top_causes = if breakdown_by == Dimension::Service {
        breakdown.iter().take(10).cloned().collect()
    } else {
        count_by(c, q, Dimension::Service, &start, &end, Some(10))?
    };

    // Buckets with nothing still appear, so charts show the gaps.
    let mut d = period.from;
    while d <= period.to {
        series.entry(bucket_of(d)).or_default();
        match d.succ_opt() {
            Some(n) => d = n,
            None => break,
        }
    }
    let indicator = period
        .months()
        .into_iter()
        .map(|m| {
            let (incidents, open, total_ms) = indicator.get(&m).copied().unwrap_or_default();
            let total_minutes = total_ms.div_euclid(60_000);
            IndicatorRow {
                month: m,
                incidents,
                open,
                total_minutes,
                average_minutes: (incidents > 0).then(|| total_minutes as f64 / incidents as f64),
            }
        })
        .collect();
    let by_status = AttentionStatus::ALL
        .iter()
        .map(|s| CountRow {
            key: s.code().to_string(),
            label: s.label().to_string(),
            count: by_status.get(s.code()).copied().unwrap_or(0),
        })
        .collect();
    Ok(Statistics {
        query: q.clone(),
        received,
        resolved,
        by_status,
        granularity,
        series: series
            .into_iter()
            .map(|(bucket, (received, resolved))| SeriesPoint {
                bucket,
                received,
                resolved,
            })
            .collect(),
        backlog_start,
        backlog_end,
        indicator,
        sla: SlaCompliance {
            on_time,
            late,
            rate: (on_time + late > 0).then(|| on_time as f64 / (on_time + late) as f64),
            overdue_open: u64::try_from(overdue_open).unwrap_or(0),
        },
        top_causes,
        breakdown,
        breakdown_by,
        empty: received == 0 && resolved == 0,
    })
}

impl Store {
    /// The statistics of a period at `now` (open attentions count their time up to `now`).
    pub fn statistics(&self, q: &StatsQuery, now: DateTime<Utc>) -> Result<Statistics> {
        self.read(|c| statistics(c, q, now))
    }
}
