-- Chaski central server, schema 1, for BOTH backends (SQLite and PostgreSQL).
-- Written in the SQL both accept, like the server's queries, so there is one schema and no
-- hand-copied second one to drift. A migration that needs a dialect of its own goes in
-- `sqlite/` and `postgres/` beside this file, with the same number in both.

CREATE TABLE units (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    central     BIGINT NOT NULL DEFAULT 0,
    last_seq    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);

CREATE TABLE enrolments (
    code_hash   TEXT PRIMARY KEY,
    unit        TEXT NOT NULL REFERENCES units(code),
    created_at  BIGINT NOT NULL,
    expires_at  BIGINT NOT NULL,
    used_at     BIGINT,
    device_id   TEXT
);

CREATE TABLE devices (
    device_id    TEXT PRIMARY KEY,
    unit         TEXT NOT NULL REFERENCES units(code),
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL UNIQUE,
    last_seq     BIGINT NOT NULL DEFAULT 0,
    enrolled_at  BIGINT NOT NULL,
    last_seen_at BIGINT,
    revoked_at   BIGINT
);

-- Every change a device pushed, accepted or rejected. Accepted ones carry their unit
-- sequence (server_seq), the only pull cursor.
CREATE TABLE changes (
    change_id    TEXT PRIMARY KEY,
    device_id    TEXT NOT NULL REFERENCES devices(device_id),
    device_seq   BIGINT NOT NULL,
    unit         TEXT NOT NULL,
    server_seq   BIGINT,
    status       TEXT NOT NULL,
    code         TEXT,
    content_hash TEXT NOT NULL,
    body         TEXT NOT NULL,
    received_at  BIGINT NOT NULL,
    UNIQUE (device_id, device_seq)
);
CREATE UNIQUE INDEX changes_unit_seq ON changes (unit, server_seq);

-- The winning version of every replicated field (last writer by HLC).
CREATE TABLE field_versions (
    entity      TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    field       TEXT NOT NULL,
    unit        TEXT NOT NULL,
    hlc         TEXT NOT NULL,
    device_id   TEXT NOT NULL,
    server_seq  BIGINT NOT NULL,
    value       TEXT NOT NULL,
    PRIMARY KEY (entity, entity_id, field)
);

CREATE TABLE conflicts (
    conflict_id   TEXT PRIMARY KEY,
    unit          TEXT NOT NULL,
    server_seq    BIGINT NOT NULL,
    entity        TEXT NOT NULL,
    entity_id     TEXT NOT NULL,
    field         TEXT NOT NULL,
    winner_value  TEXT NOT NULL,
    winner_hlc    TEXT NOT NULL,
    winner_device TEXT NOT NULL,
    loser_value   TEXT NOT NULL,
    loser_hlc     TEXT NOT NULL,
    loser_device  TEXT NOT NULL,
    created_at    BIGINT NOT NULL,
    resolved_at   BIGINT
);
CREATE INDEX conflicts_open ON conflicts (unit, resolved_at, created_at);

CREATE TABLE number_series (
    unit         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    year         BIGINT NOT NULL,
    next_number  BIGINT NOT NULL,
    PRIMARY KEY (unit, kind, year)
);

CREATE TABLE number_blocks (
    block_id     TEXT PRIMARY KEY,
    unit         TEXT NOT NULL,
    kind         TEXT NOT NULL,
    year         BIGINT NOT NULL,
    device_id    TEXT NOT NULL,
    first_number BIGINT NOT NULL,
    last_number  BIGINT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX number_blocks_device ON number_blocks (unit, kind, year, device_id);

CREATE TABLE doc_numbers (
    unit       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    year       BIGINT NOT NULL,
    number     BIGINT NOT NULL,
    entity_id  TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    PRIMARY KEY (unit, kind, year, number)
);
