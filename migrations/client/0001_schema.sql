-- Chaski client schema, version 1: reference tables, contacts, attentions, their histories,
-- full-text index, outbox and field versions.
-- Times are TEXT in UTC, RFC 3339 with milliseconds and a Z ('2026-03-02T15:00:00.000Z'),
-- so that text order is time order. Ids are UUIDv7 text.

-- Reference data (seeded by 0002, replaced later by the central server's).
CREATE TABLE unit (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sede_central', 'unidad_territorial')),
    sort INTEGER NOT NULL
);

CREATE TABLE service_category (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    sort INTEGER NOT NULL
);

CREATE TABLE service (
    code TEXT PRIMARY KEY,
    category_code TEXT NOT NULL REFERENCES service_category (code),
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    sort INTEGER NOT NULL
);

CREATE TABLE priority (
    level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 4),
    name TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE escalation_level (
    level INTEGER PRIMARY KEY CHECK (level BETWEEN 1 AND 5),
    name TEXT NOT NULL,
    description TEXT NOT NULL
);

CREATE TABLE channel (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    sort INTEGER NOT NULL
);

CREATE TABLE attention_kind (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    sort INTEGER NOT NULL
);

CREATE TABLE attention_status (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    sort INTEGER NOT NULL
);

-- This installation: one row, written at setup. Holds the persisted hybrid logical clock and
-- the last per-device outbox sequence, both advanced inside every writing transaction.
CREATE TABLE local_device (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    device_id TEXT NOT NULL,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    technician_id TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_hlc TEXT NOT NULL,
    last_device_seq INTEGER NOT NULL DEFAULT 0 CHECK (last_device_seq >= 0)
);

-- Local numbering series: the last correlative used per (unit, kind, year). Not replicated.
CREATE TABLE number_series (
    unit_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    last_seq INTEGER NOT NULL,
    PRIMARY KEY (unit_code, kind, year)
) WITHOUT ROWID;

-- Replicated records. Uniqueness rules that a merge could break (DNI, office name) are
-- enforced by the write path, not by UNIQUE constraints, so that a pulled record never fails
-- to apply; see docs/store.md.
CREATE TABLE office (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    name TEXT NOT NULL,
    created_at TEXT NOT NULL,
    name_folded TEXT GENERATED ALWAYS AS (lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(trim(name), 'á', 'a'), 'é', 'e'), 'í', 'i'), 'ó', 'o'), 'ú', 'u'), 'ü', 'u'), 'ñ', 'n'), 'Á', 'a'), 'É', 'e'), 'Í', 'i'), 'Ó', 'o'), 'Ú', 'u'), 'Ü', 'u'), 'Ñ', 'n'))) STORED
);
CREATE INDEX office_by_name ON office (unit_code, name_folded);

CREATE TABLE technician (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    last_names TEXT NOT NULL,
    first_names TEXT NOT NULL,
    dni TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE person (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    last_names TEXT NOT NULL,
    first_names TEXT NOT NULL,
    dni TEXT CHECK (dni IS NULL OR (length(dni) = 8 AND dni NOT GLOB '*[^0-9]*')),
    phones TEXT NOT NULL DEFAULT '[]',
    email TEXT,
    office_id TEXT REFERENCES office (id),
    -- folded "apellidos nombres dni email" for accent-insensitive search as you type;
    -- derived by SQLite, so it is never replicated and never stale
    search_text TEXT GENERATED ALWAYS AS (lower(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(last_names || ' ' || first_names || ' ' || coalesce(dni, '') || ' ' || coalesce(email, ''), 'á', 'a'), 'é', 'e'), 'í', 'i'), 'ó', 'o'), 'ú', 'u'), 'ü', 'u'), 'ñ', 'n'), 'Á', 'a'), 'É', 'e'), 'Í', 'i'), 'Ó', 'o'), 'Ú', 'u'), 'Ü', 'u'), 'Ñ', 'n'))) STORED,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX person_by_dni ON person (dni) WHERE dni IS NOT NULL;
CREATE INDEX person_by_name ON person (last_names, first_names);

CREATE TABLE attention (
    -- local row number: the full-text index's rowid; never replicated
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    year INTEGER NOT NULL,
    number INTEGER NOT NULL CHECK (number > 0),
    received_at TEXT NOT NULL,
    started_at TEXT,
    resolved_at TEXT,
    requester_id TEXT NOT NULL REFERENCES person (id),
    office_id TEXT REFERENCES office (id),
    problem TEXT NOT NULL,
    solution TEXT,
    service_code TEXT NOT NULL REFERENCES service (code),
    status TEXT NOT NULL REFERENCES attention_status (code),
    channel TEXT NOT NULL REFERENCES channel (code),
    kind TEXT NOT NULL REFERENCES attention_kind (code),
    priority INTEGER NOT NULL REFERENCES priority (level),
    escalation_level INTEGER NOT NULL REFERENCES escalation_level (level),
    technician_id TEXT NOT NULL REFERENCES technician (id),
    asset_code TEXT,
    conformity_accepted INTEGER CHECK (conformity_accepted IN (0, 1)),
    conformity_at TEXT,
    conformity_remark TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (status <> 'atendido' OR (solution IS NOT NULL AND trim(solution) <> '' AND resolved_at IS NOT NULL))
);
CREATE INDEX attention_by_number ON attention (unit_code, year, number);
CREATE INDEX attention_by_requester ON attention (requester_id, received_at);

CREATE TABLE attention_escalation (
    id TEXT PRIMARY KEY,
    attention_id TEXT NOT NULL REFERENCES attention (id),
    from_level INTEGER NOT NULL CHECK (from_level BETWEEN 1 AND 5),
    to_level INTEGER NOT NULL CHECK (to_level BETWEEN 1 AND 5),
    reason TEXT NOT NULL,
    technician_id TEXT NOT NULL REFERENCES technician (id),
    at TEXT NOT NULL
);
CREATE INDEX attention_escalation_by_attention ON attention_escalation (attention_id, at);

CREATE TABLE attention_status_change (
    id TEXT PRIMARY KEY,
    attention_id TEXT NOT NULL REFERENCES attention (id),
    from_status TEXT REFERENCES attention_status (code),
    to_status TEXT NOT NULL REFERENCES attention_status (code),
    reason TEXT,
    technician_id TEXT NOT NULL REFERENCES technician (id),
    at TEXT NOT NULL
);
CREATE INDEX attention_status_change_by_attention ON attention_status_change (attention_id, at);

-- Full-text index over problem and solution; accents ignored ("impresion" finds "impresión").
CREATE VIRTUAL TABLE attention_fts USING fts5 (
    problem,
    solution,
    content = 'attention',
    content_rowid = 'seq',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER attention_fts_insert AFTER INSERT ON attention BEGIN
    INSERT INTO attention_fts (rowid, problem, solution)
    VALUES (new.seq, new.problem, coalesce(new.solution, ''));
END;

CREATE TRIGGER attention_fts_delete AFTER DELETE ON attention BEGIN
    INSERT INTO attention_fts (attention_fts, rowid, problem, solution)
    VALUES ('delete', old.seq, old.problem, coalesce(old.solution, ''));
END;

CREATE TRIGGER attention_fts_update AFTER UPDATE OF problem, solution ON attention BEGIN
    INSERT INTO attention_fts (attention_fts, rowid, problem, solution)
    VALUES ('delete', old.seq, old.problem, coalesce(old.solution, ''));
    INSERT INTO attention_fts (rowid, problem, solution)
    VALUES (new.seq, new.problem, coalesce(new.solution, ''));
END;

-- Outbox: one row per replicated change (core::change::Change), dense device_seq 1, 2, 3, …
CREATE TABLE outbox (
    device_seq INTEGER PRIMARY KEY CHECK (device_seq > 0),
    change_id TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    op TEXT NOT NULL CHECK (op IN ('upsert', 'delete')),
    fields TEXT NOT NULL,
    hlc TEXT NOT NULL,
    unit_code TEXT NOT NULL,
    created_at TEXT NOT NULL
);

-- The HLC of the last write of every field of every record, for per-field last-writer-wins.
CREATE TABLE field_versions (
    entity TEXT NOT NULL,
    entity_id TEXT NOT NULL,
    field TEXT NOT NULL,
    hlc TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
) WITHOUT ROWID;
