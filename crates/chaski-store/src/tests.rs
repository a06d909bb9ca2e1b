//! Store tests on real SQLite files in temporary directories.

use std::path::Path;

use chaski_core::ErrorCode;
use chaski_core::attention::{AttentionFilter, AttentionInput, Page};
use chaski_core::catalog::{AttentionKind, Channel};
use chaski_core::ids::{AttentionId, PersonId};
use chaski_core::person::NewPerson;
use chaski_core::status::{AttentionStatus, ConformityInput, EscalationInput, Transition};
use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;

fn setup() -> SetupInput {
    SetupInput {
        unit_code: "UT-CUSCO".into(),
        technician_last_names: "Huamán Ccori".into(),
        technician_first_names: "Rosa".into(),
        technician_dni: "41234567".into(),
    }
}

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::create(dir.path().join("chaski.db"), &setup()).expect("create");
    (dir, store)
}

fn person(store: &Store, last: &str, dni: Option<&str>) -> PersonId {
    store
        .person_create(&NewPerson {
            last_names: last.into(),
            first_names: "Luz".into(),
            dni: dni.map(str::to_string),
            phones: vec!["987654321".into()],
            email: Some("luz@qw.gob.pe".into()),
            office: Some("Área de Logística".into()),
        })
        .expect("person")
        .id
}

fn input(requester: PersonId, problem: &str) -> AttentionInput {
    AttentionInput {
        received_at: None,
        requester_id: requester,
        office: None,
        channel: Channel::Telefono,
        kind: AttentionKind::Incidencia,
        service_code: "averia_hardware.impresoras".into(),
        priority: 3,
        problem: problem.into(),
        solution: None,
        asset_code: None,
        technician_id: None,
    }
}

/// The attentions the list's search box finds for `q`, newest first.
fn search(store: &Store, q: &str) -> Vec<AttentionId> {
    store
        .attentions_list(
            &AttentionFilter {
                text: Some(q.into()),
                ..Default::default()
            },
            Page::default(),
        )
        .expect("list")
        .items
        .into_iter()
        .map(|x| x.id)
        .collect()
}

fn code<T: std::fmt::Debug>(r: Result<T>) -> ErrorCode {
    r.expect_err("should fail").code()
}

fn count(store: &Store, table: &str) -> i64 {
    store
        .read(|c| Ok(c.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?))
        .expect("count")
}

/// Every outbox row, the device's last sequence and the field-version rows.
fn sync_state(store: &Store) -> (Vec<u64>, u64, i64) {
    let changes = store.outbox_after(0, 1_000_000).expect("outbox");
    let seqs = changes.iter().map(|c| c.device_seq).collect();
    let last = store.outbox_stats().expect("stats").last_device_seq;
    (seqs, last, count(store, "field_versions"))
}

fn assert_dense(store: &Store) {
    let (seqs, last, _) = sync_state(store);
    assert_eq!(
        seqs,
        (1..=last).collect::<Vec<_>>(),
        "outbox must be 1..=n without gaps"
    );
}

// ---------------------------------------------------------------- migrations

fn schema(conn: &rusqlite::Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
        .expect("prepare");
    stmt.query_map([], |r| r.get(0))
        .expect("query")
        .collect::<rusqlite::Result<_>>()
        .expect("rows")
}

fn reference_dump(conn: &rusqlite::Connection) -> String {
    let mut out = String::new();
    for table in [
        "unit",
        "service_category",
        "service",
        "priority",
        "escalation_level",
        "channel",
        "attention_kind",
        "attention_status",
    ] {
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM {table} ORDER BY 1"))
            .expect("prepare");
        let n = stmt.column_count();
        let rows = stmt
            .query_map([], |r| {
                (0..n)
                    .map(|i| {
                        r.get::<_, rusqlite::types::Value>(i)
                            .map(|v| format!("{v:?}"))
                    })
                    .collect::<rusqlite::Result<Vec<_>>>()
            })
            .expect("query");
        for row in rows {
            out.push_str(&row.expect("row").join("|"));
            out.push('\n');
        }
    }
    out
}

#[test]
fn migrations_from_empty_and_from_every_earlier_version_give_the_same_schema() {
    let dir = tempfile::tempdir().expect("tempdir");
    let full_path = dir.path().join("full.db");
    let mut full = rusqlite::Connection::open(&full_path).expect("open");
    migrate::migrate(&mut full, None).expect("migrate");
    let want = schema(&full);
    let want_ref = reference_dump(&full);
    assert_eq!(
        migrate::current_version(&full).expect("v"),
        migrate::latest_version()
    );
    let user_version: i64 = full
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("uv");
    assert_eq!(user_version, migrate::latest_version());
    let versions: Vec<u32> = migrate::migrations().iter().map(|m| m.version).collect();
    assert!(versions.len() >= 3 && versions.windows(2).all(|w| w[0] < w[1]));
    for (i, &k) in std::iter::once(&0).chain(versions.iter()).enumerate() {
        let path = dir.path().join(format!("from_{k}.db"));
        {
            let mut c = rusqlite::Connection::open(&path).expect("open");
            migrate::migrate(&mut c, Some(k)).expect("partial");
            assert_eq!(migrate::current_version(&c).expect("v"), i64::from(k));
            let applied: i64 = if k == 0 {
                0
            } else {
                c.query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
                    .expect("count")
            };
            assert_eq!(applied, i as i64, "one bookkeeping row per migration");
        }
        let mut c = rusqlite::Connection::open(&path).expect("reopen");
        migrate::migrate(&mut c, None).expect("rest");
        assert_eq!(schema(&c), want, "schema after 1..{k} then the rest");
        assert_eq!(
            reference_dump(&c),
            want_ref,
            "reference data after 1..{k} then the rest"
        );
        let rows: i64 = c
            .query_row("SELECT count(*) FROM schema_migrations", [], |r| r.get(0))
            .expect("count");
        assert_eq!(rows, versions.len() as i64);
    }
}

/// A file migrated by a build that lacked a store migration numbered below the sync client's
/// (0030 written after 0100 and 0101) gets it when a newer build opens it.
#[test]
fn a_migration_numbered_below_the_current_version_is_still_applied() {
    let all = migrate::migrations();
    let Some(late) = all.iter().position(|m| m.version == 30) else {
        panic!("0030 is embedded");
    };
    let older: Vec<migrate::Migration> = all
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != late)
        .map(|(_, m)| *m)
        .collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = rusqlite::Connection::open(dir.path().join("x.db")).expect("open");
    c.pragma_update(None, "foreign_keys", "ON").expect("fk");
    migrate::migrate_with(&mut c, &older, None).expect("older build");
    assert!(migrate::current_version(&c).expect("v") > 30);
    let has = |c: &rusqlite::Connection| -> i64 {
        c.query_row(
            "SELECT count(*) FROM sqlite_master WHERE name = 'diagnostic'",
            [],
            |r| r.get(0),
        )
        .expect("q")
    };
    assert_eq!(has(&c), 0);
    migrate::migrate(&mut c, None).expect("newer build");
    assert_eq!(has(&c), 1, "0030 applied although the file was at 0101");
    let mut full = rusqlite::Connection::open(dir.path().join("full.db")).expect("open");
    migrate::migrate(&mut full, None).expect("full");
    assert_eq!(schema(&c), schema(&full));
    let user_version: i64 = c
        .query_row("PRAGMA user_version", [], |r| r.get(0))
        .expect("uv");
    assert_eq!(user_version, migrate::latest_version());
}

/// 0103 rebuilds `attention` (number nullable for unnumbered drafts) with foreign keys
/// pointing at it: rows, local `seq` (the full-text rowid), search, histories and their
/// references survive; triggers and indexes are back; a NULL number is accepted afterwards.
#[test]
fn the_attention_rebuild_keeps_rows_search_and_references() {
    let all = migrate::migrations();
    let before: Vec<migrate::Migration> = all.iter().copied().filter(|m| m.version < 103).collect();
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = rusqlite::Connection::open(dir.path().join("x.db")).expect("open");
    c.pragma_update(None, "foreign_keys", "ON").expect("fk");
    migrate::migrate_with(&mut c, &before, None).expect("before 0103");
    let t = "2026-03-02T15:00:00.000Z";
    c.execute_batch(&format!(
        "INSERT INTO technician (id, unit_code, last_names, first_names, dni, created_at, updated_at)
           VALUES ('t1', 'UT-CUSCO', 'Quispe', 'Ana', '41234567', '{t}', '{t}');
         INSERT INTO person (id, unit_code, last_names, first_names, created_at, created_by, updated_at, updated_by)
           VALUES ('p1', 'UT-CUSCO', 'Mamani', 'Luz', '{t}', 't1', '{t}', 't1');
         INSERT INTO attention (seq, id, unit_code, year, number, received_at, requester_id, problem,
             service_code, status, channel, kind, priority, escalation_level, technician_id,
             created_at, created_by, updated_at, updated_by)
           VALUES (7, 'a1', 'UT-CUSCO', 2026, 12, '{t}', 'p1', 'Impresión borrosa en Tesorería',
             'averia_hardware.impresoras', 'pendiente', 'telefono', 'incidencia', 3, 1, 't1',
             '{t}', 't1', '{t}', 't1');
         INSERT INTO attention_status_change (id, attention_id, from_status, to_status, technician_id, at)
           VALUES ('s1', 'a1', 'pendiente', 'en_progreso', 't1', '{t}');"
    ))
    .expect("data before 0103");
    migrate::migrate(&mut c, None).expect("0103");
    let fk: fn(&rusqlite::Connection) -> i64 = |c| {
        c.prepare("PRAGMA foreign_key_check")
            .expect("check")
            .query_map([], |_| Ok(()))
            .expect("rows")
            .count() as i64
    };
    assert_eq!(fk(&c), 0);
    let fks: bool = c
        .query_row("PRAGMA foreign_keys", [], |r| r.get(0))
        .expect("fk");
    assert!(fks, "foreign keys are back on after migrating");
    let row: (i64, i64) = c
        .query_row(
            "SELECT seq, number FROM attention WHERE id = 'a1'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row kept");
    assert_eq!(row, (7, 12));
    let found: i64 = c
        .query_row(
            "SELECT rowid FROM attention_fts WHERE attention_fts MATCH 'impresion'",
            [],
            |r| r.get(0),
        )
        .expect("search still finds it");
    assert_eq!(found, 7);
    // The triggers are back: an edit is searchable, a new row too, and a draft is accepted.
    c.execute(
        "UPDATE attention SET problem = 'Monitor sin señal' WHERE id = 'a1'",
        [],
    )
    .expect("edit");
    let hits: i64 = c
        .query_row(
            "SELECT count(*) FROM attention_fts WHERE attention_fts MATCH 'senal'",
            [],
            |r| r.get(0),
        )
        .expect("search");
    assert_eq!(hits, 1);
    c.execute(
        &format!(
            "INSERT INTO attention (id, unit_code, year, number, received_at, requester_id, problem,
                 service_code, status, channel, kind, priority, escalation_level, technician_id,
                 created_at, created_by, updated_at, updated_by)
             VALUES ('a2', 'UT-CUSCO', 2026, NULL, '{t}', 'p1', 'Borrador', 'averia_hardware.impresoras',
                 'pendiente', 'telefono', 'incidencia', 3, 1, 't1', '{t}', 't1', '{t}', 't1')"
        ),
        [],
    )
    .expect("a draft without number");
    let err = c.execute("UPDATE attention SET number = 0 WHERE id = 'a2'", []);
    assert!(err.is_err(), "numbers stay positive");
    let err = c.execute("DELETE FROM attention WHERE id = 'a1'", []);
    assert!(err.is_err(), "the status change still references it");
    let mut full = rusqlite::Connection::open(dir.path().join("full.db")).expect("open");
    migrate::migrate(&mut full, None).expect("full");
    assert_eq!(schema(&c), schema(&full));
}

/// 0030 rebuilds asset_event to widen its CHECKs: the history written before is kept, and the
/// table stays append-only.
#[test]
fn the_asset_event_rebuild_keeps_the_history_and_its_triggers() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = rusqlite::Connection::open(dir.path().join("x.db")).expect("open");
    c.pragma_update(None, "foreign_keys", "ON").expect("fk");
    migrate::migrate(&mut c, Some(20)).expect("up to 0020");
    let unit: String = c
        .query_row("SELECT code FROM unit LIMIT 1", [], |r| r.get(0))
        .expect("a seeded unit");
    c.execute(
        "INSERT INTO asset (id, unit_code, code, denomination, kind, condition, operability, status, \
         created_at, created_by, updated_at, updated_by) VALUES ('a1', ?1, '740899500012', 'CPU', 'cpu', \
         'B', 'operativo', 'en_almacen', 't', 'u', 't', 'u')",
        [&unit],
    )
    .expect("asset");
    for (id, kind, at) in [
        ("e1", "alta", "2026-01-01"),
        ("e2", "traslado", "2026-02-01"),
    ] {
        c.execute(
            "INSERT INTO asset_event (id, asset_id, kind, at, site, technician_id) VALUES (?1, 'a1', ?2, ?3, 'Sede', 't')",
            [id, kind, at],
        )
        .expect("event");
    }
    let before: Vec<(String, String, String)> = {
        let mut st = c
            .prepare("SELECT id, kind, at FROM asset_event ORDER BY id")
            .expect("q");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("collect")
    };
    migrate::migrate(&mut c, None).expect("rest");
    let after: Vec<(String, String, String)> = {
        let mut st = c
            .prepare("SELECT id, kind, at FROM asset_event ORDER BY id")
            .expect("q");
        st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .expect("rows")
            .collect::<rusqlite::Result<_>>()
            .expect("collect")
    };
    assert_eq!(before, after);
    c.execute(
        "INSERT INTO asset_event (id, asset_id, kind, at, doc_kind, doc_id, technician_id) \
         VALUES ('e3', 'a1', 'baja_propuesta', '2026-03-01', 'decommission', 'r1', 't')",
        [],
    )
    .expect("new kinds are accepted");
    let err = c
        .execute("INSERT INTO asset_event (id, asset_id, kind, at, technician_id) VALUES ('e4', 'a1', 'otra', 'x', 't')", [])
        .expect_err("unknown kind");
    assert!(err.to_string().contains("CHECK"), "{err}");
    for sql in [
        "DELETE FROM asset_event WHERE id = 'e1'",
        "UPDATE asset_event SET kind = 'baja' WHERE id = 'e2'",
    ] {
        let err = c.execute(sql, []).expect_err(sql);
        assert!(err.to_string().contains("solo inserción"), "{sql}: {err}");
    }
}

#[test]
fn a_failing_migration_leaves_the_file_at_the_previous_version() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut c = rusqlite::Connection::open(dir.path().join("x.db")).expect("open");
    // A table in the way makes 0001 fail half-way (after it has created other tables).
    c.execute_batch("CREATE TABLE attention_kind (x);")
        .expect("block");
    let err = migrate::migrate(&mut c, None).expect_err("must fail");
    assert!(matches!(err, StoreError::Sqlite(_)));
    assert_eq!(migrate::current_version(&c).expect("v"), 0);
    let tables: Vec<String> = schema(&c);
    assert_eq!(tables.len(), 1, "nothing of 0001 may remain: {tables:?}");
}

#[test]
fn an_older_file_is_migrated_when_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.db");
    {
        let mut c = rusqlite::Connection::open(&path).expect("open");
        c.pragma_update(None, "journal_mode", "WAL").expect("wal");
        migrate::migrate(&mut c, Some(2)).expect("v2");
        let device = chaski_core::ids::DeviceId::new();
        let tech = chaski_core::ids::TechnicianId::new();
        c.execute(
            "INSERT INTO local_device (id, device_id, unit_code, technician_id, created_at, last_hlc) VALUES (1, ?1, 'UT-PUNO', ?2, '2026-01-01T00:00:00.000Z', ?3)",
            rusqlite::params![device.to_string(), tech.to_string(), chaski_core::hlc::Hlc::zero(device.uuid()).encode()],
        )
        .expect("device");
        c.execute(
            "INSERT INTO technician (id, unit_code, last_names, first_names, dni, created_at, updated_at) VALUES (?1, 'UT-PUNO', 'Apaza', 'Wilber', '40000001', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
            [tech.to_string()],
        )
        .expect("tech");
    }
    let store = Store::open(&path).expect("open old");
    let profile = store.profile().expect("profile");
    assert_eq!(profile.schema_version, migrate::latest_version());
    assert_eq!(profile.unit.name, "UT Puno");
    let p = person(&store, "Mamani", None);
    store
        .attention_create(&input(p, "Sin red"))
        .expect("works after migration");
}

// ---------------------------------------------------------------- refusing files

fn bytes(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("read")
}

fn sidecars(path: &Path) -> Vec<String> {
    ["-wal", "-shm", "-journal"]
        .iter()
        .filter(|s| {
            let mut p = path.as_os_str().to_os_string();
            p.push(s);
            Path::new(&p).exists()
        })
        .map(|s| s.to_string())
        .collect()
}

#[test]
fn a_file_that_is_not_a_database_is_refused_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chaski.db");
    let garbage: Vec<u8> = (0..20_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&path, &garbage).expect("write");
    let e = Store::open(&path).expect_err("refused");
    assert!(matches!(e, StoreError::Corrupt { .. }), "{e:?}");
    assert_eq!(e.code(), ErrorCode::BaseCorrupta);
    assert_eq!(bytes(&path), garbage);
    assert!(sidecars(&path).is_empty());
    // Empty SQLite file or another program's database: not ours, also refused.
    std::fs::write(&path, b"").expect("empty");
    assert_eq!(code(Store::open(&path)), ErrorCode::BaseCorrupta);
    assert!(bytes(&path).is_empty());
}

#[test]
fn a_damaged_database_is_refused_untouched() {
    let (dir, store) = new_store();
    store.load_demo_data_sized(3, 150).expect("demo");
    drop(store);
    let path = dir.path().join("chaski.db");
    let mut data = bytes(&path);
    let page = 4096;
    assert!(data.len() > 12 * page);
    // Scribble over a few b-tree pages in the middle of the file.
    for p in [6, 9, 10] {
        for b in &mut data[p * page + 8..(p + 1) * page - 8] {
            *b = 0x5A;
        }
    }
    std::fs::write(&path, &data).expect("write");
    let e = Store::open(&path).expect_err("refused");
    assert_eq!(e.code(), ErrorCode::BaseCorrupta, "{e:?}");
    assert_eq!(bytes(&path), data, "the file must not change");
    assert!(sidecars(&path).is_empty());
}

#[test]
fn a_file_from_a_newer_version_is_refused_untouched() {
    let (dir, store) = new_store();
    drop(store);
    let path = dir.path().join("chaski.db");
    {
        let c = rusqlite::Connection::open(&path).expect("open");
        c.execute(
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', '2030-01-01T00:00:00.000Z')",
            [],
        )
        .expect("future");
        c.pragma_update(None, "user_version", 9999).expect("uv");
    }
    let before = bytes(&path);
    let e = Store::open(&path).expect_err("refused");
    match &e {
        StoreError::NewerVersion { found, known, .. } => {
            assert_eq!((*found, *known), (9999, migrate::latest_version()))
        }
        other => panic!("expected NewerVersion, got {other:?}"),
    }
    assert_eq!(e.code(), ErrorCode::BaseVersionNueva);
    assert!(e.to_domain().message.contains("actualice Chaski"));
    assert_eq!(bytes(&path), before);
    assert!(sidecars(&path).is_empty());
}

#[test]
fn a_second_instance_on_the_same_file_is_refused() {
    let (dir, store) = new_store();
    let path = dir.path().join("chaski.db");
    person(&store, "Quispe", Some("40000002"));
    let before = bytes(&path);
    let e = Store::open(&path).expect_err("locked");
    assert!(matches!(e, StoreError::Locked(_)), "{e:?}");
    assert_eq!(e.code(), ErrorCode::BaseBloqueada);
    assert_eq!(bytes(&path), before);
    // The first instance keeps working; once it closes, the file opens again.
    person(&store, "Mamani", Some("40000003"));
    drop(store);
    let again = Store::open(&path).expect("open after the first closed");
    assert_eq!(again.persons_search("", 10).expect("search").len(), 2);
}

#[test]
fn missing_and_existing_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("no-existe.db");
    assert_eq!(code(Store::open(&path)), ErrorCode::BaseNoExiste);
    assert!(!path.exists(), "open must not create the file");
    let (dir2, store) = new_store();
    drop(store);
    let existing = dir2.path().join("chaski.db");
    let before = bytes(&existing);
    assert_eq!(
        code(Store::create(&existing, &setup())),
        ErrorCode::BaseYaExiste
    );
    assert_eq!(bytes(&existing), before);
    let bad_unit = SetupInput {
        unit_code: "UT-ATLANTIDA".into(),
        ..setup()
    };
    assert_eq!(
        code(Store::create(&path, &bad_unit)),
        ErrorCode::ValorInvalido
    );
    assert!(!path.exists());
    let bad_dni = SetupInput {
        technician_dni: "123".into(),
        ..setup()
    };
    let e = Store::create(&path, &bad_dni).expect_err("dni");
    assert_eq!(
        (e.code(), e.field()),
        (ErrorCode::DniInvalido, Some("technician_dni"))
    );
}

#[test]
fn setup_makes_a_device_and_its_technician_through_the_outbox() {
    let (_dir, store) = new_store();
    let p = store.profile().expect("profile");
    assert_eq!(p.unit.code, "UT-CUSCO");
    assert_eq!(p.technician.full_name(), "HUAMÁN CCORI, Rosa");
    assert_eq!(p.device_id.uuid().get_version_num(), 7);
    let changes = store.outbox_after(0, 10).expect("outbox");
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].entity, "technician");
    assert_eq!(changes[0].device_id, p.device_id.uuid());
    assert_eq!(changes[0].unit, "UT-CUSCO");
}

// ---------------------------------------------------------------- outbox

#[test]
fn every_write_appends_dense_outbox_changes_with_increasing_clock() {
    let (_dir, store) = new_store();
    let p = person(&store, "Quispe", Some("40000004"));
    let a = store
        .attention_create(&input(p, "No imprime"))
        .expect("a")
        .attention
        .id;
    store
        .attention_transition(a, &Transition::Start)
        .expect("start");
    store
        .attention_escalate(
            a,
            &EscalationInput {
                to_level: 2,
                reason: "En sitio".into(),
            },
        )
        .expect("escalate");
    store
        .attention_transition(
            a,
            &Transition::Resolve {
                solution: Some("Tóner nuevo".into()),
            },
        )
        .expect("resolve");
    store
        .attention_set_conformity(
            a,
            &ConformityInput {
                accepted: true,
                at: None,
                remark: None,
            },
        )
        .expect("conformity");
    store.load_demo_data_sized(5, 100).expect("demo");
    assert_dense(&store);
    let changes = store.outbox_after(0, 1_000_000).expect("outbox");
    assert!(
        changes.windows(2).all(|w| w[0].hlc < w[1].hlc),
        "HLC strictly increasing"
    );
    // Changes carry only what changed: the start sets status, started_at and the touch fields.
    let start = changes
        .iter()
        .find(|c| {
            c.entity == "attention"
                && c.fields.get("status") == Some(&serde_json::json!("en_progreso"))
        })
        .expect("start change");
    let mut keys: Vec<&str> = start.fields.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["started_at", "status", "updated_at", "updated_by"]);
    // field versions: the creation row '*' and the per-field rows of later updates.
    store
        .read(|c| {
            let v = write::field_version(c, Entity::Attention, &a.to_string(), "status")?
                .expect("status");
            let last_status = changes
                .iter()
                .filter(|ch| ch.entity_id == a.uuid() && ch.fields.contains_key("status"))
                .map(|ch| ch.hlc)
                .max()
                .expect("status changes");
            assert_eq!(v, last_status);
            let created = changes
                .iter()
                .find(|ch| ch.entity_id == a.uuid())
                .expect("creation")
                .hlc;
            assert_eq!(
                write::field_version(c, Entity::Attention, &a.to_string(), "problem")?,
                Some(created)
            );
            assert_eq!(
                write::field_version(c, Entity::Attention, "nada", "problem")?,
                None
            );
            Ok(())
        })
        .expect("versions");
    // Nothing changed, nothing replicated.
    let before = sync_state(&store);
    let same = store.person_get(p).expect("p");
    store
        .person_update(
            p,
            &NewPerson {
                last_names: same.last_names.clone(),
                first_names: same.first_names.clone(),
                dni: same.dni.as_ref().map(|d| d.to_string()),
                phones: same.phones.iter().map(|x| x.as_str().to_string()).collect(),
                email: same.email.as_ref().map(|e| e.as_str().to_string()),
                office: same.office.as_ref().map(|o| o.name.clone()),
            },
        )
        .expect("no-op update");
    assert_eq!(sync_state(&store), before);
}

#[test]
fn a_failed_write_leaves_neither_the_row_nor_the_outbox_entry() {
    let (_dir, store) = new_store();
    person(&store, "Quispe", Some("40000005"));
    let before = sync_state(&store);
    let persons = count(&store, "person");
    let offices = count(&store, "office");
    // Fail in the middle: a person and a new office are written, then the write fails.
    let r: Result<()> = store.write(|w| {
        persons::create_person(
            w,
            &NewPerson {
                last_names: "Condori".into(),
                first_names: "Edith".into(),
                office: Some("Oficina nueva".into()),
                ..Default::default()
            },
        )?;
        assert!(
            w.conn()
                .query_row("SELECT count(*) FROM outbox", [], |r| r.get::<_, i64>(0))?
                > before.0.len() as i64
        );
        Err(StoreError::BadData("fallo forzado".into()))
    });
    assert!(r.is_err());
    assert_eq!(sync_state(&store), before);
    assert_eq!(count(&store, "person"), persons);
    assert_eq!(count(&store, "office"), offices);
    // A failure inside SQLite (foreign key) half-way through a command.
    let r: Result<()> = store.write(|w| {
        offices_then_bad_attention(w)?;
        Ok(())
    });
    assert_eq!(r.expect_err("fk").code(), ErrorCode::ErrorAlmacenamiento);
    assert_eq!(sync_state(&store), before);
    assert_eq!(count(&store, "office"), offices);
    // Refused commands of the public API write nothing either.
    assert_eq!(
        code(store.attention_create(&input(PersonId::new(), "x"))),
        ErrorCode::ValorInvalido
    );
    assert_eq!(sync_state(&store), before);
    // The next write continues the sequence without a gap.
    person(&store, "Mamani", None);
    assert_dense(&store);
    assert_eq!(sync_state(&store).1, before.1 + 1);
}

fn offices_then_bad_attention(w: &mut Writer<'_>) -> Result<()> {
    persons::office_for(w, "Otra oficina")?;
    let mut f = fields! { "unit_code" => "UT-CUSCO", "year" => 2026, "number" => 1 };
    f.insert(
        "requester_id".into(),
        serde_json::json!(PersonId::new().to_string()),
    );
    w.insert(Entity::Attention, uuid::Uuid::now_v7(), f)
}

// ---------------------------------------------------------------- contacts

#[test]
fn duplicate_dni_is_refused_with_the_existing_person() {
    let (_dir, store) = new_store();
    let first = person(&store, "Peña Núñez", Some("45678912"));
    let before = sync_state(&store);
    let e = store
        .person_create(&NewPerson {
            last_names: "Otro".into(),
            first_names: "Nombre".into(),
            dni: Some(" 45678912 ".into()),
            ..Default::default()
        })
        .expect_err("duplicate");
    assert_eq!(
        (e.code(), e.field()),
        (ErrorCode::DniDuplicado, Some("dni"))
    );
    let d = e.to_domain();
    assert_eq!(d.existing_person.as_ref().map(|p| p.id), Some(first));
    assert!(d.message.contains("PEÑA NÚÑEZ, Luz"), "{}", d.message);
    let json = serde_json::to_value(&d).expect("json");
    assert_eq!(json["code"], "dni_duplicado");
    assert_eq!(json["existing_person"]["dni"], "45678912");
    assert_eq!(sync_state(&store), before);
    assert_eq!(count(&store, "person"), 1);
    // Editing another person to that DNI is refused too; keeping one's own DNI is fine.
    let other = person(&store, "Rojas", Some("45678913"));
    let mut edit = NewPerson {
        last_names: "Rojas".into(),
        first_names: "Luz".into(),
        dni: Some("45678912".into()),
        ..Default::default()
    };
    assert_eq!(
        code(store.person_update(other, &edit)),
        ErrorCode::DniDuplicado
    );
    edit.dni = Some("45678913".into());
    edit.phones = vec!["912345678".into()];
    let updated = store.person_update(other, &edit).expect("own dni");
    assert_eq!(updated.phones.len(), 1);
    assert_eq!(updated.office, None);
    assert_eq!(
        code(store.person_create(&NewPerson {
            last_names: "X".into(),
            first_names: "Y".into(),
            dni: Some("1234".into()),
            ..Default::default()
        })),
        ErrorCode::DniInvalido
    );
}

#[test]
fn person_search_ignores_accents_and_case_and_matches_dni_and_email() {
    let (_dir, store) = new_store();
    let a = person(&store, "Peña Núñez", Some("45678912"));
    let b = person(&store, "Pena Ruiz", Some("45678999"));
    person(&store, "Quispe Mamani", None);
    let ids = |q: &str| -> Vec<PersonId> {
        store
            .persons_search(q, 10)
            .expect("search")
            .into_iter()
            .map(|p| p.id)
            .collect()
    };
    assert_eq!(ids("nunez"), vec![a]);
    assert_eq!(ids("NÚÑEZ luz"), vec![a]);
    assert_eq!(ids("peña"), vec![a, b]);
    assert_eq!(ids("pena"), vec![a, b]);
    assert_eq!(ids("45678999"), vec![b]);
    assert_eq!(ids("4567"), vec![a, b]);
    assert_eq!(ids("luz@qw").len(), 3, "email");
    assert!(ids("100%_").is_empty(), "LIKE wildcards are escaped");
    assert_eq!(ids("").len(), 3);
    // Offices are shared by name, accents and case ignored.
    let offices = store.offices_list().expect("offices");
    assert_eq!(offices.len(), 1);
    let c = store
        .person_create(&NewPerson {
            last_names: "Soto".into(),
            first_names: "Inés".into(),
            office: Some("  AREA   de logistica ".into()),
            ..Default::default()
        })
        .expect("c");
    assert_eq!(c.office.map(|o| o.name), Some("Área de Logística".into()));
    assert_eq!(store.offices_list().expect("offices").len(), 1);
}

// ---------------------------------------------------------------- attentions

#[test]
fn full_text_search_ignores_accents() {
    let (_dir, store) = new_store();
    let p = person(&store, "Quispe", None);
    let a = store
        .attention_create(&input(p, "La impresión sale con manchas"))
        .expect("a")
        .attention
        .id;
    let b = store
        .attention_create(&input(p, "Sin conexión a internet"))
        .expect("b")
        .attention
        .id;
    store
        .attention_transition(
            b,
            &Transition::Resolve {
                solution: Some("Se cambió el cable de red del módulo".into()),
            },
        )
        .expect("resolve");
    let find = |q: &str| search(&store, q);
    assert_eq!(find("impresion"), vec![a]);
    assert_eq!(find("IMPRESIÓN"), vec![a]);
    assert_eq!(find("impres"), vec![a], "prefix search");
    assert_eq!(find("conexion"), vec![b]);
    assert_eq!(find("modulo"), vec![b], "the solution is searched too");
    assert_eq!(find("cable conexión"), vec![b], "every word must match");
    assert!(find("cable impresion").is_empty());
    assert!(
        find("\"' OR *").is_empty(),
        "FTS syntax characters are not interpreted"
    );
    // Editing the problem re-indexes it.
    let mut edit = input(p, "El monitor parpadea");
    edit.office = None;
    let received = store.attention_get(a).expect("get").attention.received_at;
    let updated = store.attention_update(a, &edit).expect("update").attention;
    assert_eq!(
        updated.received_at, received,
        "an edit without a time keeps the reception time"
    );
    assert!(find("impresion").is_empty());
    assert_eq!(find("parpadea"), vec![a]);
}

#[test]
fn status_rules_are_enforced_by_the_store() {
    let (_dir, store) = new_store();
    let p = person(&store, "Quispe", None);
    let a = store
        .attention_create(&input(p, "No imprime"))
        .expect("a")
        .attention;
    assert_eq!(a.status, AttentionStatus::Pendiente);
    assert_eq!(a.escalation_level.value(), 1);
    let id = a.id;
    let before = sync_state(&store);
    assert_eq!(
        code(store.attention_transition(id, &Transition::Resolve { solution: None })),
        ErrorCode::SolucionRequerida
    );
    assert_eq!(
        code(store.attention_transition(id, &Transition::Reopen { reason: "x".into() })),
        ErrorCode::TransicionNoPermitida
    );
    assert_eq!(
        code(store.attention_set_conformity(
            id,
            &ConformityInput {
                accepted: true,
                at: None,
                remark: None
            }
        )),
        ErrorCode::TransicionNoPermitida
    );
    assert_eq!(sync_state(&store), before, "refusals write nothing");
    let started = store
        .attention_transition(id, &Transition::Start)
        .expect("start")
        .attention;
    assert!(started.started_at.is_some() && started.resolved_at.is_none());
    assert_eq!(
        code(store.attention_transition(id, &Transition::Start)),
        ErrorCode::TransicionNoPermitida
    );
    let esc = store
        .attention_escalate(
            id,
            &EscalationInput {
                to_level: 4,
                reason: "Falla de red del piso".into(),
            },
        )
        .expect("escalate");
    assert_eq!(esc.attention.escalation_level.value(), 4);
    assert_eq!(esc.escalations.len(), 1);
    let e = &esc.escalations[0];
    assert_eq!(
        (e.from_level.value(), e.to_level.value(), e.reason.as_str()),
        (1, 4, "Falla de red del piso")
    );
    assert_eq!(e.technician_name, "HUAMÁN CCORI, Rosa");
    assert_eq!(
        code(store.attention_escalate(
            id,
            &EscalationInput {
                to_level: 4,
                reason: "x".into()
            }
        )),
        ErrorCode::NivelEscalamientoInvalido
    );
    assert_eq!(
        code(store.attention_escalate(
            id,
            &EscalationInput {
                to_level: 6,
                reason: "x".into()
            }
        )),
        ErrorCode::NivelEscalamientoInvalido
    );
    assert_eq!(
        code(store.attention_escalate(
            id,
            &EscalationInput {
                to_level: 2,
                reason: " ".into()
            }
        )),
        ErrorCode::MotivoRequerido
    );
    let done = store
        .attention_transition(
            id,
            &Transition::Resolve {
                solution: Some("Se cambió el switch".into()),
            },
        )
        .expect("resolve");
    assert_eq!(done.attention.status, AttentionStatus::Atendido);
    assert!(done.attention.resolved_at.is_some());
    assert_eq!(
        done.attention.solution.as_deref(),
        Some("Se cambió el switch")
    );
    // An attended attention keeps its solution when edited.
    let mut edit = input(p, "No imprime");
    edit.solution = None;
    assert_eq!(
        code(store.attention_update(id, &edit)),
        ErrorCode::SolucionRequerida
    );
    assert_eq!(
        code(store.attention_escalate(
            id,
            &EscalationInput {
                to_level: 5,
                reason: "x".into()
            }
        )),
        ErrorCode::TransicionNoPermitida
    );
    let conf = store
        .attention_set_conformity(
            id,
            &ConformityInput {
                accepted: false,
                at: None,
                remark: Some("Sigue fallando".into()),
            },
        )
        .expect("conformity");
    assert_eq!(
        conf.attention.conformity.as_ref().map(|c| c.accepted),
        Some(false)
    );
    assert_eq!(
        code(store.attention_transition(id, &Transition::Reopen { reason: "".into() })),
        ErrorCode::MotivoRequerido
    );
    let reopened = store
        .attention_transition(
            id,
            &Transition::Reopen {
                reason: "El usuario no está conforme".into(),
            },
        )
        .expect("reopen");
    assert_eq!(reopened.attention.status, AttentionStatus::EnProgreso);
    assert_eq!(reopened.attention.resolved_at, None);
    assert_eq!(reopened.attention.conformity, None);
    let history: Vec<(Option<AttentionStatus>, AttentionStatus)> = reopened
        .status_changes
        .iter()
        .map(|s| (s.from_status, s.to_status))
        .collect();
    assert_eq!(
        history,
        vec![
            (
                Some(AttentionStatus::Pendiente),
                AttentionStatus::EnProgreso
            ),
            (Some(AttentionStatus::EnProgreso), AttentionStatus::Atendido),
            (Some(AttentionStatus::Atendido), AttentionStatus::EnProgreso),
        ]
    );
    assert_eq!(
        reopened.status_changes[2].reason.as_deref(),
        Some("El usuario no está conforme")
    );
    assert_dense(&store);
    // The database itself refuses an Atendido row without solution (defence in depth).
    let r = store.read(|c| {
        Ok(c.execute(
            "UPDATE attention SET status = 'atendido', solution = NULL, resolved_at = NULL WHERE id = ?1",
            [id.to_string()],
        )?)
    });
    assert!(r.is_err());
}

#[test]
fn numbers_are_per_unit_and_year() {
    let (_dir, store) = new_store();
    let p = person(&store, "Quispe", None);
    let lima = |y, m, d, h| -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().expect("t") + Duration::hours(5)
    };
    let at = |t: DateTime<Utc>| {
        let mut i = input(p, "x");
        i.received_at = Some(t);
        store.attention_create(&i).expect("create").attention
    };
    let a = at(lima(2025, 12, 31, 22));
    let b = at(lima(2026, 1, 1, 8));
    let c = at(lima(2025, 6, 1, 9));
    let d = at(lima(2026, 1, 2, 8));
    assert_eq!(
        (
            a.number.as_ref().expect("numbered").year,
            a.number.as_ref().expect("numbered").seq
        ),
        (2025, 1)
    );
    assert_eq!(
        (
            b.number.as_ref().expect("numbered").year,
            b.number.as_ref().expect("numbered").seq
        ),
        (2026, 1)
    );
    assert_eq!(
        (
            c.number.as_ref().expect("numbered").year,
            c.number.as_ref().expect("numbered").seq
        ),
        (2025, 2)
    );
    assert_eq!(d.number_text, "N° 002-2026");
    assert_eq!(d.number.as_ref().expect("numbered").unit_code, "UT-CUSCO");
    assert_eq!(
        store
            .attention_by_number("N° 2-2025")
            .expect("by number")
            .id,
        c.id
    );
    assert_eq!(
        code(store.attention_by_number("N° 9-2025")),
        ErrorCode::NoEncontrado
    );
    assert_eq!(
        code(store.attention_by_number("abc")),
        ErrorCode::NumeroDocumentoInvalido
    );
    // Moving the reception to another year would break the series: refused.
    let mut edit = input(p, "x");
    edit.received_at = Some(lima(2026, 1, 3, 8));
    assert_eq!(
        code(store.attention_update(a.id, &edit)),
        ErrorCode::FechaInvalida
    );
}

#[test]
fn an_enrolled_device_numbers_from_its_server_blocks() {
    let (_dir, store) = new_store();
    let p = person(&store, "Quispe", None);
    let local = store
        .attention_create(&input(p, "antes"))
        .expect("standalone")
        .attention;
    assert_eq!(local.number.as_ref().expect("numbered").seq, 1);
    store.sync_mark_enrolled().expect("enrolled");
    let year = local.number.as_ref().expect("numbered").year;
    // No block (offline, or enrolled before the first sync): saved as an unnumbered draft.
    let d1 = store
        .attention_create(&input(p, "borrador uno"))
        .expect("draft")
        .attention;
    assert_eq!(d1.number, None);
    assert_eq!(d1.number_text, chaski_core::numbering::DRAFT_TEXT);
    let insert = store.outbox_after(0, 100).expect("outbox");
    let insert = insert.last().expect("insert");
    assert_eq!(insert.fields.get("number"), Some(&serde_json::Value::Null));
    assert_eq!(insert.fields.get("year"), Some(&serde_json::json!(year)));
    let d2 = store
        .attention_create(&input(p, "borrador dos"))
        .expect("draft")
        .attention;
    assert_eq!(
        store.sync_drafts_by_year().expect("drafts"),
        vec![(year, 2)]
    );
    assert_eq!(store.sync_number_drafts().expect("nothing to take"), 0);
    store
        .sync_add_block(&replication::BlockInput {
            block_id: uuid::Uuid::now_v7(),
            unit_code: "UT-CUSCO".into(),
            kind: "attention".into(),
            year,
            first: 101,
            last: 103,
        })
        .expect("block");
    // Drafts are waiting: a new attention waits behind them (numbers follow creation order).
    let d3 = store
        .attention_create(&input(p, "borrador tres"))
        .expect("draft")
        .attention;
    assert_eq!(d3.number, None);
    let before = store.outbox_stats().expect("stats").last_device_seq;
    assert_eq!(store.sync_number_drafts().expect("numbered"), 3);
    let seqs: Vec<u32> = [d1.id, d2.id, d3.id]
        .iter()
        .map(|id| {
            let a = store.attention_get(*id).expect("get").attention;
            assert_ne!(a.number_text, chaski_core::numbering::DRAFT_TEXT);
            a.number.expect("numbered now").seq
        })
        .collect();
    assert_eq!(seqs, vec![101, 102, 103], "creation order");
    // One outbox change per numbered draft, carrying year and number.
    let numbering = store.outbox_after(before, 100).expect("outbox");
    assert_eq!(numbering.len(), 3);
    for (c, n) in numbering.iter().zip([101, 102, 103]) {
        assert_eq!(c.fields.get("number"), Some(&serde_json::json!(n)));
        assert_eq!(c.fields.get("year"), Some(&serde_json::json!(year)));
    }
    assert_dense(&store);
    assert!(store.sync_drafts_by_year().expect("drafts").is_empty());
    assert_eq!(store.sync_number_drafts().expect("again"), 0, "idempotent");
    // The block is used up: the next one is a draft again, and stays one.
    let d4 = store
        .attention_create(&input(p, "borrador cuatro"))
        .expect("draft")
        .attention;
    assert_eq!(d4.number, None);
    assert_eq!(store.sync_number_drafts().expect("none left"), 0);
    assert_eq!(
        store
            .attention_get(d4.id)
            .expect("get")
            .attention
            .number_text,
        chaski_core::numbering::DRAFT_TEXT
    );
}

/// Drafts survive closing the app; a block that covers only part of them numbers the oldest
/// first, the rest keep waiting in order; a draft pulled from another device is never
/// numbered here.
#[test]
fn drafts_survive_a_restart_and_are_numbered_oldest_first_across_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("chaski.db");
    let ids: Vec<AttentionId>;
    let year;
    {
        let store = Store::create(&path, &setup()).expect("create");
        store.sync_mark_enrolled().expect("enrolled");
        let p = person(&store, "Mamani", None);
        ids = (0..3)
            .map(|i| {
                store
                    .attention_create(&input(p, &format!("offline {i}")))
                    .expect("draft")
                    .attention
                    .id
            })
            .collect();
        year = store
            .attention_get(ids[0])
            .expect("get")
            .attention
            .received_at;
    }
    let year = chaski_core::time::lima_year(year);
    let store = Store::open(&path).expect("reopen");
    assert_eq!(
        store.sync_drafts_by_year().expect("drafts"),
        vec![(year, 3)]
    );
    let block = |first, last| replication::BlockInput {
        block_id: uuid::Uuid::now_v7(),
        unit_code: "UT-CUSCO".into(),
        kind: "attention".into(),
        year,
        first,
        last,
    };
    store.sync_add_block(&block(7, 8)).expect("block");
    assert_eq!(store.sync_number_drafts().expect("two"), 2);
    let n = |id: AttentionId| store.attention_get(id).expect("get").attention.number;
    assert_eq!(n(ids[0]).map(|n| n.seq), Some(7));
    assert_eq!(n(ids[1]).map(|n| n.seq), Some(8));
    assert_eq!(n(ids[2]), None);
    assert_eq!(
        store.sync_drafts_by_year().expect("drafts"),
        vec![(year, 1)]
    );
    store.sync_add_block(&block(50, 59)).expect("block");
    assert_eq!(store.sync_number_drafts().expect("one"), 1);
    assert_eq!(n(ids[2]).map(|n| n.seq), Some(50));
    // Another device's draft arrives by pull: not this device's to number.
    let other = uuid::Uuid::now_v7();
    let theirs = uuid::Uuid::now_v7();
    let mut change = store
        .outbox_after(0, 1000)
        .expect("outbox")
        .into_iter()
        .find(|c| c.entity == "attention" && c.fields.contains_key("problem"))
        .expect("an insert to copy");
    change.change_id = uuid::Uuid::now_v7();
    change.device_id = other;
    change.device_seq = 1;
    change.entity_id = theirs;
    change.hlc = chaski_core::hlc::Hlc {
        wall_ms: 1,
        counter: 0,
        device: other,
    };
    change
        .fields
        .insert("number".into(), serde_json::Value::Null);
    let r = store
        .sync_apply_page("UT-CUSCO", &[(1, change)], 1)
        .expect("apply");
    assert_eq!(r.applied, 1);
    assert_eq!(store.sync_number_drafts().expect("not ours"), 0);
    assert_eq!(n(AttentionId::from(theirs)), None);
    assert!(store.sync_drafts_by_year().expect("drafts").is_empty());
}

#[test]
fn list_filters_and_paging() {
    let (_dir, store) = new_store();
    let p1 = person(&store, "Quispe", Some("40000010"));
    let p2 = person(&store, "Mamani", Some("40000011"));
    let t0 = Utc::now() - Duration::days(40);
    let mut made = Vec::new();
    for i in 0..30u32 {
        let mut inp = input(if i % 3 == 0 { p2 } else { p1 }, &format!("Caso {i}"));
        inp.received_at = Some(t0 + Duration::days(i64::from(i)));
        inp.priority = (i % 4 + 1) as u8;
        inp.kind = AttentionKind::ALL[(i % 4) as usize];
        inp.channel = Channel::ALL[(i % 6) as usize];
        inp.service_code = if i % 5 == 0 {
            "interconexion.vpn".into()
        } else {
            "averia_hardware.impresoras".into()
        };
        let a = store.attention_create(&inp).expect("create").attention;
        if i % 2 == 0 {
            store
                .attention_transition(a.id, &Transition::Start)
                .expect("start");
        }
        if i % 6 == 0 {
            store
                .attention_transition(
                    a.id,
                    &Transition::Resolve {
                        solution: Some("Listo".into()),
                    },
                )
                .expect("resolve");
        }
        made.push((i, a.id));
    }
    let status_of = |i: u32| {
        if i.is_multiple_of(6) {
            AttentionStatus::Atendido
        } else if i.is_multiple_of(2) {
            AttentionStatus::EnProgreso
        } else {
            AttentionStatus::Pendiente
        }
    };
    let list = |f: AttentionFilter| -> Vec<AttentionId> {
        let page = store
            .attentions_list(
                &f,
                Page {
                    number: 1,
                    size: 500,
                },
            )
            .expect("list");
        assert_eq!(page.total as usize, page.items.len());
        assert!(page.total_exact);
        page.items.into_iter().map(|a| a.id).collect()
    };
    let want = |pred: &dyn Fn(u32) -> bool| -> Vec<AttentionId> {
        made.iter()
            .rev()
            .filter(|(i, _)| pred(*i))
            .map(|(_, id)| *id)
            .collect()
    };
    assert_eq!(
        list(AttentionFilter::default()),
        want(&|_| true),
        "newest first"
    );
    assert_eq!(
        list(AttentionFilter {
            statuses: vec![AttentionStatus::Pendiente],
            ..Default::default()
        }),
        want(&|i| status_of(i) == AttentionStatus::Pendiente)
    );
    assert_eq!(
        list(AttentionFilter {
            statuses: vec![AttentionStatus::Atendido, AttentionStatus::EnProgreso],
            ..Default::default()
        }),
        want(&|i| status_of(i) != AttentionStatus::Pendiente)
    );
    assert_eq!(
        list(AttentionFilter {
            priority: Some(2),
            ..Default::default()
        }),
        want(&|i| i % 4 == 1)
    );
    assert_eq!(
        list(AttentionFilter {
            kind: Some(AttentionKind::Consulta),
            ..Default::default()
        }),
        want(&|i| i % 4 == 3)
    );
    assert_eq!(
        list(AttentionFilter {
            channel: Some(Channel::Oficio),
            ..Default::default()
        }),
        want(&|i| i % 6 == 4)
    );
    assert_eq!(
        list(AttentionFilter {
            service_code: Some("interconexion.vpn".into()),
            ..Default::default()
        }),
        want(&|i| i % 5 == 0)
    );
    assert_eq!(
        list(AttentionFilter {
            category_code: Some("averia_hardware".into()),
            ..Default::default()
        }),
        want(&|i| i % 5 != 0)
    );
    assert_eq!(
        list(AttentionFilter {
            requester_id: Some(p2),
            ..Default::default()
        }),
        want(&|i| i % 3 == 0)
    );
    let tech = store.profile().expect("profile").technician.id;
    assert_eq!(
        list(AttentionFilter {
            technician_id: Some(tech),
            ..Default::default()
        })
        .len(),
        30
    );
    assert!(
        list(AttentionFilter {
            technician_id: Some(chaski_core::ids::TechnicianId::new()),
            ..Default::default()
        })
        .is_empty()
    );
    let lima_day = |i: i64| chaski_core::time::to_lima(t0 + Duration::days(i)).date_naive();
    assert_eq!(
        list(AttentionFilter {
            from: Some(lima_day(10)),
            to: Some(lima_day(14)),
            ..Default::default()
        }),
        want(&|i| (10..=14).contains(&i))
    );
    assert_eq!(
        list(AttentionFilter {
            from: Some(lima_day(10)),
            statuses: vec![AttentionStatus::Pendiente],
            priority: Some(2),
            text: Some("caso".into()),
            ..Default::default()
        }),
        want(&|i| i >= 10 && status_of(i) == AttentionStatus::Pendiente && i % 4 == 1)
    );
    assert_eq!(
        code(store.attentions_list(
            &AttentionFilter {
                from: Some(lima_day(5)),
                to: Some(lima_day(1)),
                ..Default::default()
            },
            Page::default()
        )),
        ErrorCode::RangoFechasInvalido
    );
    // Paging: pages of 7 cover the list exactly once, in order.
    let mut paged = Vec::new();
    for n in 1..=5 {
        let page = store
            .attentions_list(&AttentionFilter::default(), Page { number: n, size: 7 })
            .expect("page");
        assert_eq!(page.total, 30);
        assert_eq!(page.items.len(), if n <= 4 { 7 } else { 2 });
        paged.extend(page.items.into_iter().map(|a| a.id));
    }
    assert_eq!(paged, want(&|_| true));
    let empty = store
        .attentions_list(&AttentionFilter::default(), Page { number: 9, size: 7 })
        .expect("past the end");
    assert!(empty.items.is_empty());
    // The list row carries what the Anexo 01 columns show.
    let first = &store
        .attentions_list(&AttentionFilter::default(), Page::default())
        .expect("l")
        .items[0];
    assert_eq!(first.unit_name, "UT Cusco");
    assert_eq!(first.category_name, "Avería de Hardware");
    assert_eq!(first.office_name.as_deref(), Some("Área de Logística"));
    assert_eq!(first.requester_name, "QUISPE, Luz");
}

// ---------------------------------------------------------------- reference and demo

#[test]
fn reference_data_matches_the_core_and_the_seeds() {
    let (_dir, store) = new_store();
    let r = store.reference_data().expect("reference");
    let codes = |v: &[chaski_core::catalog::CatalogEntry]| {
        v.iter().map(|e| e.code.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        codes(&r.channels),
        Channel::ALL
            .iter()
            .map(|c| c.code().to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        codes(&r.kinds),
        AttentionKind::ALL
            .iter()
            .map(|c| c.code().to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        codes(&r.statuses),
        AttentionStatus::ALL
            .iter()
            .map(|c| c.code().to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        r.priorities.iter().map(|p| p.level).collect::<Vec<_>>(),
        [1, 2, 3, 4]
    );
    assert_eq!(
        r.escalation_levels
            .iter()
            .map(|p| p.level)
            .collect::<Vec<_>>(),
        [1, 2, 3, 4, 5]
    );
    // Seed 003 §7.6: 8 TIPO, 33 SERVICIO rows.
    assert_eq!(r.service_categories.len(), 8);
    assert_eq!(r.services.len(), 33);
    assert!(
        r.services
            .iter()
            .any(|s| s.name == "Criptográfico (Tokens)" && s.description.starts_with("Asignación"))
    );
    for s in &r.services {
        assert!(
            s.code.starts_with(&format!("{}.", s.category_code)),
            "{}",
            s.code
        );
    }
    let units = Store::seeded_units().expect("units without a file");
    assert_eq!(units, r.units);
    assert_eq!(units[0].code, "SEDE-CENTRAL");
    for code in [
        "UT-CUSCO",
        "UT-ANCASH-1",
        "UT-LIMA-CALLAO",
        "UT-MADRE-DE-DIOS",
    ] {
        assert!(units.iter().any(|u| u.code == code), "{code}");
    }
    assert!(
        units
            .iter()
            .all(|u| chaski_core::unit::is_unit_code(&u.code))
    );
    assert!(units.len() >= 25);
}

#[test]
fn demo_data_is_realistic_and_goes_through_the_outbox() {
    let (_dir, store) = new_store();
    let s = store.load_demo_data_sized(11, 400).expect("demo");
    assert_eq!(s.attentions, 400);
    assert_eq!(count(&store, "attention"), 400);
    assert_eq!(store.technicians_list().expect("t").len(), 3);
    for st in AttentionStatus::ALL {
        let n = store
            .attentions_list(
                &AttentionFilter {
                    statuses: vec![*st],
                    ..Default::default()
                },
                Page::default(),
            )
            .expect("list")
            .total;
        assert!(n > 0, "demo has {st:?}");
    }
    assert!(count(&store, "attention_escalation") > 0);
    assert!(count(&store, "attention WHERE conformity_accepted IS NOT NULL") > 0);
    let oldest = store
        .attentions_list(
            &AttentionFilter::default(),
            Page {
                number: 8,
                size: 50,
            },
        )
        .expect("last page")
        .items;
    let age = Utc::now() - oldest.last().expect("oldest").received_at;
    assert!(age > Duration::days(300), "spread over the year");
    assert_dense(&store);
    // Deterministic texts: the same seed in another file gives the same problems in order.
    let (_dir2, other) = new_store();
    other.load_demo_data_sized(11, 400).expect("demo");
    let texts = |st: &Store| -> Vec<String> {
        st.attentions_list(
            &AttentionFilter::default(),
            Page {
                number: 1,
                size: 100,
            },
        )
        .expect("l")
        .items
        .into_iter()
        .map(|a| format!("{}|{}|{}", a.number_text, a.problem, a.requester_name))
        .collect()
    };
    assert_eq!(texts(&store), texts(&other));
}

#[test]
fn store_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Store>();
}

#[test]
fn a_device_reset_restamps_unacknowledged_changes_under_the_new_id_and_keeps_the_data() {
    let (_dir, store) = new_store();
    let first = person(&store, "Quispe", Some("40000001"));
    let second = person(&store, "Mamani", Some("40000002"));
    let before = store.outbox_after(0, 1_000).expect("outbox");
    let old_device = before[0].device_id;
    // The server had acknowledged all but the last two entries, refused one of them, and this
    // device held a pull cursor and a number block.
    let last = before.len() as u64;
    store
        .sync_acknowledge(
            last - 2,
            &[replication::Rejection {
                device_seq: 1,
                change_id: before[0].change_id,
                code: "invalid_change".into(),
            }],
        )
        .expect("ack");
    store.sync_mark_enrolled().expect("enrolled");
    store.sync_apply_page("UT-CUSCO", &[], 7).expect("cursor");
    store
        .sync_add_block(&replication::BlockInput {
            block_id: uuid::Uuid::now_v7(),
            unit_code: "UT-CUSCO".into(),
            kind: "attention".into(),
            year: 2026,
            first: 1,
            last: 10,
        })
        .expect("block");
    let people_before = store.replica_snapshot(write::Entity::Person).expect("snap");

    // The same id again is refused without changes.
    assert!(store.sync_reset_device(old_device).is_err());
    let new_device = uuid::Uuid::now_v7();
    let report = store.sync_reset_device(new_device).expect("reset");
    assert_eq!(report.old_device_id, old_device);
    assert_eq!(report.dropped_acknowledged, last - 2);
    assert_eq!(report.restamped, 2);
    assert_eq!(report.blocks_dropped, 1);

    // The two unacknowledged entries, renumbered 1 and 2, same ids, times and contents.
    let after = store.outbox_after(0, 1_000).expect("outbox");
    assert_eq!(after.len(), 2);
    for (i, (new, old)) in after.iter().zip(&before[before.len() - 2..]).enumerate() {
        assert_eq!(new.device_seq, i as u64 + 1);
        assert_eq!(new.device_id, new_device);
        assert_eq!(new.hlc.device, new_device);
        assert_eq!(
            (new.hlc.wall_ms, new.hlc.counter),
            (old.hlc.wall_ms, old.hlc.counter)
        );
        assert_eq!(
            (
                new.change_id,
                &new.entity,
                new.entity_id,
                &new.fields,
                new.created_at
            ),
            (
                old.change_id,
                &old.entity,
                old.entity_id,
                &old.fields,
                old.created_at
            )
        );
        // Their field versions moved to the new stamp.
        let fv = store
            .read(|c| {
                write::field_version(
                    c,
                    write::Entity::from_table(&new.entity).expect("entity"),
                    &new.entity_id.to_string(),
                    "last_names",
                )
            })
            .expect("fv")
            .expect("version");
        assert_eq!(fv.device, new_device);
    }
    assert_dense(&store);
    assert_eq!(
        store.profile().expect("profile").device_id.uuid(),
        new_device
    );
    assert_eq!(store.sync_acked_seq().expect("acked"), 0);
    assert!(!store.sync_is_enrolled().expect("enrolled"));
    assert!(store.sync_cursors().expect("cursors").is_empty());
    assert_eq!(
        store
            .block_numbers_left("UT-CUSCO", "attention", 2026)
            .expect("left"),
        0
    );
    // Data kept; the old rejection too, and a new one with the same sequence is not lost.
    assert_eq!(
        store.replica_snapshot(write::Entity::Person).expect("snap"),
        people_before
    );
    store
        .sync_acknowledge(
            1,
            &[replication::Rejection {
                device_seq: 1,
                change_id: after[0].change_id,
                code: "number_used".into(),
            }],
        )
        .expect("ack");
    let rejections = store.sync_rejections().expect("rejections");
    assert_eq!(
        rejections
            .iter()
            .map(|r| r.code.as_str())
            .collect::<Vec<_>>(),
        vec!["invalid_change", "number_used"]
    );
    // New writes continue the new id's dense sequence and its clock.
    let third = person(&store, "Condori", Some("40000003"));
    let tail = store.outbox_after(2, 10).expect("tail");
    assert_eq!(tail.len(), 1);
    assert_eq!(tail[0].device_id, new_device);
    assert!(tail[0].hlc > after[1].hlc);
    assert_ne!(first, third);
    assert_ne!(second, third);
}

/// One search box: an attention is found by its N° (with or without the year), the
/// requester's name or DNI, the office, the asset's code and its words; renaming the person or
/// the office re-indexes their attentions, and an attention that arrives by sync is found too.
#[test]
fn one_search_finds_by_number_requester_dni_office_asset_and_text() {
    let (_dir, store) = new_store();
    let quispe = person(&store, "Quispe Mamani", Some("45678901"));
    let huaman = person(&store, "Huamán Torres", Some("41112222"));
    let mut first = input(quispe, "La impresora no imprime");
    first.office = Some("Tesorería".into());
    first.asset_code = Some("7408-9950-0012".into());
    let a = store.attention_create(&first).expect("a").attention;
    let b = store
        .attention_create(&input(huaman, "Sin conexión a internet"))
        .expect("b")
        .attention;
    let n = a.number.clone().expect("numbered");
    let (na, year) = (n.seq, n.year);
    let find = |q: &str| {
        let mut ids = search(&store, q);
        ids.sort();
        ids
    };
    // The N°, as shown, without the padding, with or without the year.
    assert_eq!(find(&a.number_text), vec![a.id]);
    assert_eq!(find(&na.to_string()), vec![a.id]);
    assert_eq!(find(&format!("{na:03}-{year}")), vec![a.id]);
    assert_eq!(find(&format!("N° {na}/{year}")), vec![a.id]);
    assert!(
        find(&format!("{na}-{}", year + 1)).is_empty(),
        "another year's N°"
    );
    // The requester's name (accents ignored, a prefix while typing) and DNI.
    assert_eq!(find("huaman"), vec![b.id]);
    assert_eq!(find("Quispe Mam"), vec![a.id]);
    assert_eq!(find("45678901"), vec![a.id]);
    assert_eq!(find("41112222"), vec![b.id]);
    // Up to six digits read as a N°: a DNI's first digits do not pull in other attentions.
    assert!(find("4111").is_empty());
    // The office (typed on the attention) and the asset's code, as typed or as digits.
    assert_eq!(find("tesoreria"), vec![a.id]);
    assert_eq!(find("740899500012"), vec![a.id]);
    assert_eq!(find("7408-9950-0012"), vec![a.id]);
    // The words, as before.
    assert_eq!(find("internet"), vec![b.id]);
    assert_eq!(
        find("impresora quispe"),
        vec![a.id],
        "words from several columns"
    );

    // Renaming the person re-indexes their attentions.
    let renamed = NewPerson {
        last_names: "Condori Apaza".into(),
        first_names: "Luz".into(),
        dni: Some("45678901".into()),
        phones: vec![],
        email: None,
        office: None,
    };
    store.person_update(quispe, &renamed).expect("rename");
    assert_eq!(find("condori"), vec![a.id]);
    assert!(find("quispe").is_empty());
    // Renaming the office too.
    store
        .conn()
        .execute(
            "UPDATE office SET name = 'Tesorería General' WHERE name = 'Tesorería'",
            [],
        )
        .expect("office renamed");
    assert_eq!(find("general"), vec![a.id]);

    // Another device's store receives both attentions by sync and finds them the same way.
    let dir = tempfile::tempdir().expect("tempdir");
    let other = Store::create(dir.path().join("other.db"), &setup()).expect("other");
    let changes: Vec<(u64, chaski_core::change::Change)> = store
        .outbox_after(0, 1000)
        .expect("outbox")
        .into_iter()
        .enumerate()
        .map(|(i, c)| (i as u64 + 1, c))
        .collect();
    let last = changes.len() as u64;
    other
        .sync_apply_page("UT-CUSCO", &changes, last)
        .expect("apply");
    let found = |q: &str| search(&other, q).len();
    assert_eq!(found(&a.number_text), 1);
    assert_eq!(found("condori"), 1);
    assert_eq!(found("41112222"), 1);
    assert_eq!(found("internet"), 1);
}

#[test]
fn a_pulled_change_is_applied_only_inside_the_unit_whose_series_carries_it() {
    let (_dir, store) = new_store();
    let p = person(&store, "Quispe", Some("40000099"));
    let insert = store
        .outbox_after(0, 1000)
        .expect("outbox")
        .into_iter()
        .find(|c| c.entity == "person" && c.entity_id == p.uuid())
        .expect("the person's insert");
    let other = uuid::Uuid::now_v7();
    let remote = |seq: u64, entity_id: uuid::Uuid, unit: &str, fields: serde_json::Value| {
        let mut c = insert.clone();
        c.change_id = uuid::Uuid::now_v7();
        c.device_id = other;
        c.device_seq = seq;
        c.entity_id = entity_id;
        c.unit = unit.into();
        // A whole record: the insert's fields with these on top.
        if let serde_json::Value::Object(m) = fields {
            c.fields.extend(m);
        }
        c.hlc = chaski_core::hlc::Hlc {
            wall_ms: u64::MAX / 4_000,
            counter: 0,
            device: other,
        };
        c
    };
    let before = store.person_get(p).expect("get");
    // 1. The series of UT-PUNO carries a change to this unit's person (same id): refused.
    // 2. A change of UT-PUNO arriving in this unit's series: refused.
    // 3. A new record in UT-PUNO's series claiming this unit: refused.
    // 4. A new record of UT-PUNO in its own series: applied.
    let fresh = uuid::Uuid::now_v7();
    let r = store
        .sync_apply_page(
            "UT-PUNO",
            &[
                (
                    1,
                    remote(
                        1,
                        p.uuid(),
                        "UT-PUNO",
                        serde_json::json!({"last_names": "Pisado"}),
                    ),
                ),
                (
                    2,
                    remote(
                        2,
                        uuid::Uuid::now_v7(),
                        "UT-PUNO",
                        serde_json::json!({"unit_code": "UT-CUSCO", "dni": "40000098"}),
                    ),
                ),
                (
                    3,
                    remote(
                        3,
                        fresh,
                        "UT-PUNO",
                        serde_json::json!({"unit_code": "UT-PUNO", "dni": "40000097"}),
                    ),
                ),
            ],
            3,
        )
        .expect("apply");
    assert_eq!((r.applied, r.failed), (1, 2), "{r:?}");
    let r = store
        .sync_apply_page(
            "UT-CUSCO",
            &[(
                1,
                remote(
                    4,
                    p.uuid(),
                    "UT-PUNO",
                    serde_json::json!({"last_names": "Pisado"}),
                ),
            )],
            1,
        )
        .expect("apply");
    assert_eq!((r.applied, r.failed), (0, 1), "{r:?}");
    assert_eq!(store.person_get(p).expect("get"), before);
}
