-- Unnumbered drafts (issue 5): an enrolled device whose server number blocks are used up
-- offline still registers the attention, WITHOUT a number ("Borrador sin número"); the next
-- sync reserves blocks and numbers the drafts in creation order (Store::sync_number_drafts),
-- through the outbox, so the server checks each number against this device's block.
--
-- `year` stays NOT NULL: it is the year of reception, known at once, and it is the year whose
-- block numbers the draft later. Only `number` becomes nullable. SQLite cannot drop a NOT NULL,
-- so `attention` is rebuilt with the same columns and rows (the local `seq` is kept: it is the
-- full-text index's rowid), then its indexes and full-text triggers are recreated.
-- attention_escalation and attention_status_change reference attention(id): migrate() runs
-- migrations with foreign keys off and checks them (PRAGMA foreign_key_check) before commit,
-- as SQLite's documented table-rebuild procedure asks.
CREATE TABLE attention_new (
    -- local row number: the full-text index's rowid; never replicated
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    year INTEGER NOT NULL,
    -- NULL: a draft waiting for a number from the next sync's block
    number INTEGER CHECK (number IS NULL OR number > 0),
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
INSERT INTO attention_new (seq, id, unit_code, year, number, received_at, started_at, resolved_at,
    requester_id, office_id, problem, solution, service_code, status, channel, kind, priority,
    escalation_level, technician_id, asset_code, conformity_accepted, conformity_at,
    conformity_remark, created_at, created_by, updated_at, updated_by)
SELECT seq, id, unit_code, year, number, received_at, started_at, resolved_at,
    requester_id, office_id, problem, solution, service_code, status, channel, kind, priority,
    escalation_level, technician_id, asset_code, conformity_accepted, conformity_at,
    conformity_remark, created_at, created_by, updated_at, updated_by
FROM attention;
DROP TABLE attention;
ALTER TABLE attention_new RENAME TO attention;

CREATE INDEX attention_by_number ON attention (unit_code, year, number);
CREATE INDEX attention_by_requester ON attention (requester_id, received_at);
CREATE INDEX attention_by_received ON attention (received_at);
CREATE INDEX attention_by_status ON attention (status, received_at);
CREATE INDEX attention_by_service ON attention (service_code, received_at);
CREATE INDEX attention_by_technician ON attention (technician_id, received_at);
CREATE INDEX attention_by_asset_code
    ON attention (replace(replace(replace(asset_code, ' ', ''), '-', ''), '.', ''))
    WHERE asset_code IS NOT NULL;

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

-- The drafts THIS device registered, in creation order (local, never replicated): only the
-- device that created a draft may number it (from its own block), and a draft pulled from
-- another device is that device's to number. Kept across Store::sync_reset_device.
CREATE TABLE attention_draft (
    seq INTEGER PRIMARY KEY,
    attention_id TEXT NOT NULL UNIQUE REFERENCES attention (id),
    created_at TEXT NOT NULL
);
