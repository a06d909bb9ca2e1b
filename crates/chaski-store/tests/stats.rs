//! Statistics, SLA clocks and oficios on real SQLite files. The statistics queries are checked
//! against a plain recomputation in Rust (with the core's clock) over random data: the demo
//! data set plus random pauses of every kind, several periods, filters and breakdowns.

use std::collections::BTreeMap;

use chaski_core::ErrorCode;
use chaski_core::attention::{Attention, AttentionFilter, Page};
use chaski_core::calendar::NonWorkingDayInput;
use chaski_core::catalog::AttentionKind;
use chaski_core::official_letter::{LetterAction, LetterOutcome, LetterState, OfficialLetterInput};
use chaski_core::sla::{Pause, PauseInput, PauseKind, SlaClock, SlaPolicy, SlaTarget};
use chaski_core::stats::{
    Dimension, Granularity, IndicatorCase, Period, Statistics, StatsQuery, month_key,
    monthly_indicator,
};
use chaski_core::status::AttentionStatus;
use chaski_core::time::{lima_date, lima_day_end, lima_day_start};
use chaski_store::{Entity, SetupInput, Store, StoreError};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use rand::{Rng, SeedableRng, rngs::StdRng};

fn store(dir: &std::path::Path) -> Store {
    Store::create(
        dir.join("chaski.db"),
        &SetupInput {
            unit_code: "UT-CUSCO".into(),
            technician_last_names: "Huamán Ccori".into(),
            technician_first_names: "Rosa".into(),
            technician_dni: "41234567".into(),
        },
    )
    .expect("create")
}

fn code(e: &StoreError) -> ErrorCode {
    e.code()
}

fn all_attentions(s: &Store) -> Vec<Attention> {
    let mut out = Vec::new();
    for n in 1.. {
        let page = s
            .attentions_list(
                &AttentionFilter::default(),
                Page {
                    number: n,
                    size: 500,
                },
            )
            .expect("list");
        if page.items.is_empty() {
            break;
        }
        out.extend(page.items);
    }
    out
}

fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// Random non-overlapping pauses on about a third of the attentions, through the write path.
fn add_random_pauses(s: &Store, atts: &[Attention], rng: &mut StdRng, now: DateTime<Utc>) {
    s.write(|w| {
        let tech = w.technician_id().to_string();
        for a in atts {
            if !rng.gen_bool(0.35) {
                continue;
            }
            let end = a.resolved_at.unwrap_or(now);
            let span = (end - a.received_at).num_milliseconds();
            if span < 10 {
                continue;
            }
            let mut t = a.received_at + Duration::milliseconds(rng.gen_range(0..span / 2));
            for _ in 0..rng.gen_range(1..=2) {
                let kind = PauseKind::ALL[rng.gen_range(0..3)];
                let len = Duration::milliseconds(rng.gen_range(1..=span / 2 + 1));
                // Some pauses run past the resolution or stay open: the clip must handle them.
                let open = a.resolved_at.is_none()
                    && kind != PauseKind::Reprogramacion
                    && rng.gen_bool(0.5);
                let (until, ended) = match kind {
                    PauseKind::Reprogramacion => {
                        let u = t + len;
                        (Some(u), rng.gen_bool(0.3).then(|| t + len / 2))
                    }
                    _ if open => (None, None),
                    _ => (None, Some(t + len)),
                };
                w.insert(
                    Entity::AttentionPause,
                    uuid::Uuid::now_v7(),
                    chaski_store_fields(&a.id.to_string(), kind, t, until, ended, &tech),
                )?;
                if open {
                    break;
                }
                t = ended.or(until).unwrap_or(t) + Duration::minutes(1);
            }
        }
        Ok(())
    })
    .expect("pauses");
}

fn chaski_store_fields(
    attention: &str,
    kind: PauseKind,
    start: DateTime<Utc>,
    until: Option<DateTime<Utc>>,
    ended: Option<DateTime<Utc>>,
    tech: &str,
) -> serde_json::Map<String, serde_json::Value> {
    let v = serde_json::json!({
        "attention_id": attention, "kind": kind.code(), "reason": "Prueba",
        "starts_at": ts(start), "until_at": until.map(ts), "ended_at": ended.map(ts),
        "technician_id": tech, "created_at": ts(start),
    });
    v.as_object().cloned().unwrap_or_default()
}

struct Row {
    a: Attention,
    pauses: Vec<Pause>,
}

fn matches(q: &StatsQuery, a: &Attention) -> bool {
    q.technician_id.is_none_or(|t| t == a.technician_id)
        && q.service_code.as_ref().is_none_or(|s| *s == a.service_code)
        && q.kind.is_none_or(|k| k == a.kind)
        && q.priority.is_none_or(|p| p == a.priority.value())
        && q.channel.is_none_or(|c| c == a.channel)
        && q.unit_code.as_ref().is_none_or(|u| *u == a.unit_code)
}

/// The statistics computed the plain way: every row, the core's clock, no SQL.
fn naive(rows: &[Row], q: &StatsQuery, policy: &SlaPolicy, now: DateTime<Utc>) -> Statistics {
    let p = q.period;
    let (start, end) = (lima_day_start(p.from), lima_day_end(p.to));
    let rows: Vec<&Row> = rows.iter().filter(|r| matches(q, &r.a)).collect();
    let gran = q.granularity.unwrap_or_else(|| p.natural_granularity());
    let bucket = |d: NaiveDate| match gran {
        Granularity::Day => d.format("%Y-%m-%d").to_string(),
        Granularity::Month => month_key(d),
    };
    let mut series: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    let mut d = p.from;
    while d <= p.to {
        series.entry(bucket(d)).or_default();
        d = d.succ_opt().expect("next");
    }
    let in_period = |t: DateTime<Utc>| t >= start && t < end;
    let mut by_status: BTreeMap<&str, u64> = BTreeMap::new();
    let (mut received, mut resolved, mut on_time, mut late, mut overdue) = (0, 0, 0, 0, 0);
    let cut = now.min(end);
    let mut cases = Vec::new();
    let mut dims: BTreeMap<String, u64> = BTreeMap::new();
    let mut causes: BTreeMap<String, u64> = BTreeMap::new();
    for r in &rows {
        let a = &r.a;
        let clock = SlaClock::new(a.received_at, a.resolved_at, &r.pauses, policy);
        let target = policy.target(a.priority.value(), &a.service_code);
        cases.push(IndicatorCase {
            kind: a.kind,
            received_at: a.received_at,
            attention_time: clock.read(now).running,
            open: a.resolved_at.is_none(),
        });
        if in_period(a.received_at) {
            received += 1;
            *by_status.entry(a.status.code()).or_default() += 1;
            series
                .entry(bucket(lima_date(a.received_at)))
                .or_default()
                .0 += 1;
            let key = match q.breakdown.unwrap_or(Dimension::Service) {
                Dimension::Technician => a.technician_id.to_string(),
                Dimension::Service => a.service_code.clone(),
                Dimension::Category => a.category_code.clone(),
                Dimension::Kind => a.kind.code().to_string(),
                Dimension::Priority => a.priority.value().to_string(),
                Dimension::Channel => a.channel.code().to_string(),
                Dimension::Unit => a.unit_code.clone(),
            };
            *dims.entry(key).or_default() += 1;
            *causes.entry(a.service_code.clone()).or_default() += 1;
        }
        if let Some(res) = a.resolved_at.filter(|t| in_period(*t)) {
            resolved += 1;
            series.entry(bucket(lima_date(res))).or_default().1 += 1;
            if let Some(t) = target {
                if clock.read(res).running <= t {
                    on_time += 1;
                } else {
                    late += 1;
                }
            }
        }
        let open_at_cut = a.received_at < cut && a.resolved_at.is_none_or(|t| t >= cut);
        if open_at_cut {
            let c2 = SlaClock::new(a.received_at, None, &r.pauses, policy);
            if target.is_some_and(|t| c2.read(cut).running > t) {
                overdue += 1;
            }
        }
    }
    let backlog = |t: DateTime<Utc>| {
        rows.iter()
            .filter(|r| r.a.received_at < t && r.a.resolved_at.is_none_or(|x| x >= t))
            .count() as u64
    };
    let sorted = |m: BTreeMap<String, u64>| {
        let mut v: Vec<(String, u64)> = m.into_iter().collect();
        v.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        v
    };
    let indicator = p
        .months()
        .iter()
        .map(|m| {
            let first = NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").expect("m");
            monthly_indicator(first, &cases)
        })
        .collect();
    Statistics {
        query: q.clone(),
        received,
        resolved,
        by_status: AttentionStatus::ALL
            .iter()
            .map(|s| chaski_core::stats::CountRow {
                key: s.code().into(),
                label: s.label().into(),
                count: by_status.get(s.code()).copied().unwrap_or(0),
            })
            .collect(),
        granularity: gran,
        series: series
            .into_iter()
            .map(
                |(bucket, (received, resolved))| chaski_core::stats::SeriesPoint {
                    bucket,
                    received,
                    resolved,
                },
            )
            .collect(),
        backlog_start: backlog(start),
        backlog_end: backlog(cut.max(start)),
        indicator,
        sla: chaski_core::stats::SlaCompliance {
            on_time,
            late,
            rate: (on_time + late > 0).then(|| on_time as f64 / (on_time + late) as f64),
            overdue_open: overdue,
        },
        // Labels are compared by key below.
        top_causes: sorted(causes)
            .into_iter()
            .take(10)
            .map(|(key, count)| chaski_core::stats::CountRow {
                label: key.clone(),
                key,
                count,
            })
            .collect(),
        breakdown: sorted(dims)
            .into_iter()
            .map(|(key, count)| chaski_core::stats::CountRow {
                label: key.clone(),
                key,
                count,
            })
            .collect(),
        breakdown_by: q.breakdown.unwrap_or(Dimension::Service),
        empty: received == 0 && resolved == 0,
    }
}

fn keys(rows: &[chaski_core::stats::CountRow]) -> Vec<(String, u64)> {
    rows.iter().map(|r| (r.key.clone(), r.count)).collect()
}

fn assert_same(got: &Statistics, want: &Statistics, what: &str) {
    assert_eq!(got.received, want.received, "{what}: received");
    assert_eq!(got.resolved, want.resolved, "{what}: resolved");
    assert_eq!(got.by_status, want.by_status, "{what}: by status");
    assert_eq!(got.granularity, want.granularity, "{what}: granularity");
    assert_eq!(got.series, want.series, "{what}: series");
    assert_eq!(
        got.backlog_start, want.backlog_start,
        "{what}: backlog start"
    );
    assert_eq!(got.backlog_end, want.backlog_end, "{what}: backlog end");
    assert_eq!(got.indicator, want.indicator, "{what}: indicator");
    assert_eq!(got.sla, want.sla, "{what}: sla");
    assert_eq!(
        keys(&got.top_causes),
        keys(&want.top_causes),
        "{what}: causes"
    );
    assert_eq!(
        keys(&got.breakdown),
        keys(&want.breakdown),
        "{what}: breakdown"
    );
    assert_eq!(got.empty, want.empty, "{what}: empty");
}

#[test]
fn stats_equal_naive_recomputation() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store(dir.path());
    s.load_demo_data_sized(15, 1_500).expect("demo");
    // Stored times have milliseconds: compare at a millisecond instant.
    let now = DateTime::parse_from_rfc3339(&ts(Utc::now()))
        .expect("now")
        .with_timezone(&Utc);
    let mut rng = StdRng::seed_from_u64(0x57A7_5000);
    let atts = all_attentions(&s);
    assert_eq!(atts.len(), 1_500);
    add_random_pauses(&s, &atts, &mut rng, now);
    let rows: Vec<Row> = atts
        .into_iter()
        .map(|a| {
            let pauses = s.attention_sla(a.id, now).expect("sla").pauses;
            Row { a, pauses }
        })
        .collect();
    assert!(rows.iter().filter(|r| !r.pauses.is_empty()).count() > 300);
    // A service with a target of its own exercises the per-service join.
    let mut policy = SlaPolicy::default();
    policy.targets.push(SlaTarget {
        priority: 3,
        service_code: Some("averia_hardware.impresoras".into()),
        minutes: 120,
    });
    let today = lima_date(now);
    let mut queries = Vec::new();
    for back in [0, 1, 5, 11] {
        let m = Period::month_of(today - Duration::days(30 * back));
        queries.push(StatsQuery::new(m));
    }
    let year = Period::new(today - Duration::days(364), today).expect("year");
    queries.push(StatsQuery::new(year));
    let dims = [
        Dimension::Technician,
        Dimension::Category,
        Dimension::Kind,
        Dimension::Priority,
        Dimension::Channel,
        Dimension::Unit,
    ];
    for (i, dim) in dims.iter().enumerate() {
        let mut q = StatsQuery::new(year);
        q.breakdown = Some(*dim);
        q.granularity = Some(if i % 2 == 0 {
            Granularity::Day
        } else {
            Granularity::Month
        });
        queries.push(q);
    }
    let sample = &rows[rng.gen_range(0..rows.len())].a;
    let mut q = StatsQuery::new(year);
    q.technician_id = Some(sample.technician_id);
    q.kind = Some(AttentionKind::Incidencia);
    queries.push(q);
    let mut q = StatsQuery::new(year);
    q.service_code = Some(sample.service_code.clone());
    q.priority = Some(sample.priority.value());
    q.channel = Some(sample.channel);
    q.unit_code = Some("UT-CUSCO".into());
    queries.push(q);
    // A random period that starts and ends mid-month.
    let a = today - Duration::days(rng.gen_range(100..300));
    queries.push(StatsQuery::new(
        Period::new(a, a + Duration::days(rng.gen_range(0..80))).expect("p"),
    ));

    for provider_wait_pauses in [false, true] {
        let policy = SlaPolicy {
            provider_wait_pauses,
            ..policy.clone()
        };
        s.sla_policy_set(&policy).expect("policy");
        for (i, q) in queries.iter().enumerate() {
            let got = s.statistics(q, now).expect("stats");
            let want = naive(&rows, q, &policy, now);
            assert_same(
                &got,
                &want,
                &format!("query {i} (provider pauses {provider_wait_pauses})"),
            );
        }
    }
    // The month in the middle has data; a period in the future is an empty report, not an error.
    let future = Period::month_of(today + Duration::days(400));
    let st = s.statistics(&StatsQuery::new(future), now).expect("future");
    assert!(st.empty && st.received == 0 && st.indicator[0].average_minutes.is_none());
    // Labels are names, not codes.
    let st = s.statistics(&StatsQuery::new(year), now).expect("year");
    assert!(st.received > 1_000);
    assert!(
        st.top_causes.iter().all(|r| r.label != r.key),
        "{:?}",
        st.top_causes
    );
}

#[test]
fn bad_periods_and_policies_are_refused_with_the_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store(dir.path());
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).expect("d");
    let q = StatsQuery::new(Period {
        from: d(2026, 3, 2),
        to: d(2026, 3, 1),
    });
    let e = s.statistics(&q, Utc::now()).expect_err("end before start");
    assert_eq!(code(&e), ErrorCode::RangoFechasInvalido);
    assert_eq!(e.field(), Some("to"));
    let mut p = SlaPolicy::default();
    p.targets[2].minutes = 0;
    let e = s.sla_policy_set(&p).expect_err("zero");
    assert_eq!(e.field(), Some("targets[2].minutes"));
    assert_eq!(
        s.sla_policy().expect("policy"),
        SlaPolicy::default(),
        "nothing half written"
    );
    // A holiday list with a malformed date: nothing replaced.
    s.non_working_days_set(&[NonWorkingDayInput {
        date: "02/05/2025".into(),
        description: "Día no laborable".into(),
    }])
    .expect("ok list");
    let e = s
        .non_working_days_set(&[
            NonWorkingDayInput {
                date: "26/12/2025".into(),
                description: "Día no laborable".into(),
            },
            NonWorkingDayInput {
                date: "32/12/2025".into(),
                description: "Día no laborable".into(),
            },
        ])
        .expect_err("bad date");
    assert_eq!(e.field(), Some("days[1].date"));
    let days = s.non_working_days().expect("days");
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].date, d(2025, 5, 2));
    assert!(
        !s.business_calendar()
            .expect("cal")
            .is_business_day(d(2025, 5, 2))
    );
}

#[test]
fn pauses_through_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store(dir.path());
    s.load_demo_data_sized(3, 60).expect("demo");
    let open = all_attentions(&s)
        .into_iter()
        .find(|a| a.status != AttentionStatus::Atendido)
        .expect("an open attention");
    let before = s.outbox_stats().expect("outbox");
    let e = s
        .attention_pause(
            open.id,
            &PauseInput {
                kind: PauseKind::EsperaUsuario,
                reason: "  ".into(),
                until: None,
            },
        )
        .expect_err("no reason");
    assert_eq!(code(&e), ErrorCode::MotivoRequerido);
    assert_eq!(s.outbox_stats().expect("outbox"), before, "nothing written");
    let sla = s
        .attention_pause(
            open.id,
            &PauseInput {
                kind: PauseKind::EsperaUsuario,
                reason: "El usuario no contesta el teléfono".into(),
                until: None,
            },
        )
        .expect("pause");
    assert_eq!(sla.pauses.len(), 1);
    // An open-ended wait holds the clock: no due instant, unless the target had passed before.
    assert!(
        sla.due_at.is_none_or(|d| d <= sla.pauses[0].starts_at),
        "{:?}",
        sla.due_at
    );
    let e = s
        .attention_pause(
            open.id,
            &PauseInput {
                kind: PauseKind::EsperaProveedor,
                reason: "Garantía".into(),
                until: None,
            },
        )
        .expect_err("already paused");
    assert_eq!(code(&e), ErrorCode::TransicionNoPermitida);
    let sla = s.attention_resume(open.id).expect("resume");
    assert!(sla.pauses[0].ended_at.is_some());
    assert!(s.attention_resume(open.id).is_err());
    let closed = all_attentions(&s)
        .into_iter()
        .find(|a| a.status == AttentionStatus::Atendido)
        .expect("an attended attention");
    let e = s
        .attention_pause(
            closed.id,
            &PauseInput {
                kind: PauseKind::Reprogramacion,
                reason: "Viaje".into(),
                until: Some(Utc::now() + Duration::days(2)),
            },
        )
        .expect_err("attended");
    assert_eq!(code(&e), ErrorCode::TransicionNoPermitida);
}

#[test]
fn oficios_through_the_store() {
    let dir = tempfile::tempdir().expect("tempdir");
    let s = store(dir.path());
    let today = lima_date(Utc::now());
    let cal = s.business_calendar().expect("cal");
    // Escalated 30 business days ago: its archive close is due; another escalated today.
    let mut old = today;
    for _ in 0..30 {
        old = old.pred_opt().expect("prev");
        while !cal.is_business_day(old) {
            old = old.pred_opt().expect("prev");
        }
    }
    let input = |escalated: NaiveDate, has: bool| OfficialLetterInput {
        number: "Oficio N° 045-2026-MDW/GM".into(),
        sender: "Municipalidad Distrital de Wanchaq".into(),
        sgd_reference: Some("SGD 2026-001234".into()),
        received_on: escalated.format("%d/%m/%Y").to_string(),
        escalated_on: escalated.format("%d/%m/%Y").to_string(),
        has_location_data: has,
        attention_ids: vec![],
    };
    let a = s.official_letter_create(&input(old, false)).expect("old");
    assert_eq!(a.state, LetterState::Vencido);
    let b = s.official_letter_create(&input(today, false)).expect("new");
    assert_eq!(b.state, LetterState::EnPlazo);
    let c = s
        .official_letter_create(&input(today, true))
        .expect("with data");
    assert_eq!(c.state, LetterState::EnAtencion);
    let a = s
        .official_letter_act(a.letter.id, &LetterAction::ArchiveWithoutData)
        .expect("archive");
    assert_eq!(a.state, LetterState::CierrePropuesto);
    let due = s
        .official_letters(&[LetterState::CierrePropuesto], today)
        .expect("list");
    assert_eq!(due.len(), 1);
    let a = s
        .official_letter_act(a.letter.id, &LetterAction::CloseArchived)
        .expect("close");
    assert_eq!(a.state, LetterState::Cerrado);
    let e = s
        .official_letter_act(
            c.letter.id,
            &LetterAction::Close {
                outcome: LetterOutcome::NoProcede,
                reason: None,
            },
        )
        .expect_err("reason");
    assert_eq!(code(&e), ErrorCode::MotivoRequerido);
    let e = s
        .official_letter_act(b.letter.id, &LetterAction::CloseArchived)
        .expect_err("not archived");
    assert_eq!(code(&e), ErrorCode::TransicionNoPermitida);
    let bad = OfficialLetterInput {
        escalated_on: "31/02/2026".into(),
        ..input(today, true)
    };
    let e = s.official_letter_create(&bad).expect_err("bad date");
    assert_eq!(e.field(), Some("escalated_on"));
    assert_eq!(s.official_letters(&[], today).expect("all").len(), 3);
    assert_eq!(
        s.official_letters(&[LetterState::Cerrado], today)
            .expect("closed")
            .len(),
        1
    );
}
