-- Sync client state (owned by the sync client; versions 0100+). Local only: never replicated.

-- Push acknowledgement: every outbox entry with device_seq <= acked_seq is on the server.
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    acked_seq INTEGER NOT NULL DEFAULT 0 CHECK (acked_seq >= 0),
    last_sync_at TEXT
);
INSERT INTO sync_state (id, acked_seq) VALUES (1, 0);

-- Pull cursor per unit: the last server sequence applied. Advanced in the same transaction
-- as the page it ends.
CREATE TABLE sync_cursor (
    unit_code TEXT PRIMARY KEY,
    server_seq INTEGER NOT NULL CHECK (server_seq >= 0),
    updated_at TEXT NOT NULL
) WITHOUT ROWID;

-- Changes of this device the server refused (document_signed, number_used, ...): shown to
-- the person, never re-sent.
CREATE TABLE sync_rejection (
    device_seq INTEGER PRIMARY KEY,
    change_id TEXT NOT NULL,
    code TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Pulled changes that could not be applied here (unknown entity from a newer schema, a
-- constraint this file enforces): kept, counted and shown, so nothing is lost silently.
CREATE TABLE sync_apply_error (
    change_id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    server_seq INTEGER NOT NULL,
    body TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL
);

-- Document-number blocks the server reserved for this device.
CREATE TABLE sync_number_block (
    block_id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL,
    kind TEXT NOT NULL,
    year INTEGER NOT NULL,
    first_number INTEGER NOT NULL,
    last_number INTEGER NOT NULL,
    next_number INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    CHECK (first_number <= next_number AND next_number <= last_number + 1)
);
CREATE INDEX sync_number_block_free ON sync_number_block (unit_code, kind, year, first_number);
