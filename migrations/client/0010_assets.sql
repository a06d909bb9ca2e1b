-- Asset register (issue 3): assets, their append-only history, and the two documents that
-- move them (cargo de asignación, traslado). See docs/assets.md.
--
-- An asset's custodian_id, site, office and status are a fold over its asset_event rows
-- (core::asset::fold). They are stored on the asset row for lists and filters, and written in
-- the same transaction as the event that changes them; a test replays the events and compares.

CREATE TABLE asset (
    -- local row number: the full-text index's rowid; never replicated
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    code TEXT NOT NULL CHECK (length(code) = 12 AND code NOT GLOB '*[^0-9]*'),
    denomination TEXT NOT NULL,
    kind TEXT NOT NULL,
    brand TEXT,
    model TEXT,
    serial TEXT,
    color TEXT,
    condition TEXT NOT NULL CHECK (condition IN ('N', 'B', 'R', 'M', 'X')),
    operability TEXT NOT NULL CHECK (operability IN ('operativo', 'inoperativo')),
    warranty_end TEXT,
    remarks TEXT,
    -- derived from asset_event (never edited by hand)
    site TEXT,
    office TEXT,
    custodian_id TEXT REFERENCES person (id),
    status TEXT NOT NULL CHECK (status IN ('en_uso', 'en_almacen', 'de_baja')),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
-- The código patrimonial is unique per unit; enforced by the write path (not UNIQUE, so a
-- pulled record never fails to apply), see docs/assets.md.
CREATE INDEX asset_by_code ON asset (code);
CREATE INDEX asset_by_kind ON asset (kind, code);
CREATE INDEX asset_by_site ON asset (site, code);
CREATE INDEX asset_by_custodian ON asset (custodian_id, code);
CREATE INDEX asset_by_condition ON asset (condition, code);
CREATE INDEX asset_by_operability ON asset (operability, code);
CREATE INDEX asset_by_status ON asset (status, code);
CREATE INDEX asset_by_serial ON asset (serial COLLATE NOCASE);
CREATE INDEX asset_by_brand ON asset (brand COLLATE NOCASE, code);

-- Substring search (code, serial, brand, model, denomination) with accents ignored.
CREATE VIRTUAL TABLE asset_fts USING fts5 (
    code,
    serial,
    brand,
    model,
    denomination,
    content = 'asset',
    content_rowid = 'seq',
    tokenize = 'trigram remove_diacritics 1'
);

CREATE TRIGGER asset_fts_insert AFTER INSERT ON asset BEGIN
    INSERT INTO asset_fts (rowid, code, serial, brand, model, denomination)
    VALUES (new.seq, new.code, coalesce(new.serial, ''), coalesce(new.brand, ''),
            coalesce(new.model, ''), new.denomination);
END;

CREATE TRIGGER asset_fts_delete AFTER DELETE ON asset BEGIN
    INSERT INTO asset_fts (asset_fts, rowid, code, serial, brand, model, denomination)
    VALUES ('delete', old.seq, old.code, coalesce(old.serial, ''), coalesce(old.brand, ''),
            coalesce(old.model, ''), old.denomination);
END;

CREATE TRIGGER asset_fts_update AFTER UPDATE OF code, serial, brand, model, denomination ON asset BEGIN
    INSERT INTO asset_fts (asset_fts, rowid, code, serial, brand, model, denomination)
    VALUES ('delete', old.seq, old.code, coalesce(old.serial, ''), coalesce(old.brand, ''),
            coalesce(old.model, ''), old.denomination);
    INSERT INTO asset_fts (rowid, code, serial, brand, model, denomination)
    VALUES (new.seq, new.code, coalesce(new.serial, ''), coalesce(new.brand, ''),
            coalesce(new.model, ''), new.denomination);
END;

-- The history: append-only. A row may be written again with the same values (an idempotent
-- sync apply), never changed or deleted.
CREATE TABLE asset_event (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL REFERENCES asset (id),
    kind TEXT NOT NULL CHECK (kind IN ('alta', 'inventario', 'asignacion', 'devolucion', 'traslado', 'baja')),
    at TEXT NOT NULL,
    custodian_id TEXT REFERENCES person (id),
    site TEXT,
    office TEXT,
    doc_kind TEXT CHECK (doc_kind IS NULL OR doc_kind IN ('assignment', 'transfer')),
    doc_id TEXT,
    doc_number TEXT,
    remarks TEXT,
    technician_id TEXT NOT NULL
);
CREATE INDEX asset_event_by_asset ON asset_event (asset_id, at, id);
CREATE INDEX asset_event_by_doc ON asset_event (doc_id) WHERE doc_id IS NOT NULL;

CREATE TRIGGER asset_event_append_only_update BEFORE UPDATE ON asset_event
WHEN old.asset_id IS NOT new.asset_id OR old.kind IS NOT new.kind OR old.at IS NOT new.at
  OR old.custodian_id IS NOT new.custodian_id OR old.site IS NOT new.site
  OR old.office IS NOT new.office OR old.doc_id IS NOT new.doc_id
BEGIN
    SELECT RAISE(ABORT, 'asset_event es de solo inserción');
END;

CREATE TRIGGER asset_event_append_only_delete BEFORE DELETE ON asset_event BEGIN
    SELECT RAISE(ABORT, 'asset_event es de solo inserción');
END;

-- Cargo de asignación (seed 001, Anexo N° 2). The rows are JSON arrays of
-- {asset_id, code, equipment, brand, remarks}: a document travels and is signed as one record.
CREATE TABLE assignment (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    status TEXT NOT NULL CHECK (status IN ('borrador', 'emitido', 'firmado', 'anulado')),
    year INTEGER,
    number INTEGER CHECK (number IS NULL OR number > 0),
    date TEXT NOT NULL,
    person_id TEXT NOT NULL REFERENCES person (id),
    office TEXT,
    withdrawn TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(withdrawn)),
    assigned TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(assigned)),
    technician_id TEXT NOT NULL REFERENCES technician (id),
    corrects_id TEXT REFERENCES assignment (id),
    attention_id TEXT,
    issued_at TEXT,
    signed_at TEXT,
    annulled_at TEXT,
    annul_reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (status NOT IN ('emitido', 'firmado') OR (number IS NOT NULL AND year IS NOT NULL)),
    CHECK (status <> 'anulado' OR (annul_reason IS NOT NULL AND trim(annul_reason) <> ''))
);
CREATE INDEX assignment_by_number ON assignment (unit_code, year, number);
CREATE INDEX assignment_by_signed ON assignment (signed_at) WHERE status = 'firmado';
CREATE INDEX assignment_by_person ON assignment (person_id, date);

-- Traslado between sites (seed 001, act. 10). Items as in assignment.
CREATE TABLE transfer (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    status TEXT NOT NULL CHECK (status IN ('borrador', 'emitido', 'firmado', 'anulado')),
    year INTEGER,
    number INTEGER CHECK (number IS NULL OR number > 0),
    date TEXT NOT NULL,
    origin_site TEXT NOT NULL,
    destination_site TEXT NOT NULL,
    items TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items)),
    reason TEXT NOT NULL,
    handed_by TEXT REFERENCES person (id),
    received_by TEXT REFERENCES person (id),
    technician_id TEXT NOT NULL REFERENCES technician (id),
    corrects_id TEXT REFERENCES transfer (id),
    issued_at TEXT,
    signed_at TEXT,
    annulled_at TEXT,
    annul_reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (status NOT IN ('emitido', 'firmado') OR (number IS NOT NULL AND year IS NOT NULL)),
    CHECK (status <> 'anulado' OR (annul_reason IS NOT NULL AND trim(annul_reason) <> ''))
);
CREATE INDEX transfer_by_number ON transfer (unit_code, year, number);
CREATE INDEX transfer_by_signed ON transfer (signed_at) WHERE status = 'firmado';

-- A signed or annulled document never changes, whatever path writes it (UI, sync apply).
CREATE TRIGGER assignment_frozen BEFORE UPDATE ON assignment
WHEN old.status IN ('firmado', 'anulado')
BEGIN
    SELECT RAISE(ABORT, 'documento firmado o anulado: no se modifica');
END;

CREATE TRIGGER transfer_frozen BEFORE UPDATE ON transfer
WHEN old.status IN ('firmado', 'anulado')
BEGIN
    SELECT RAISE(ABORT, 'documento firmado o anulado: no se modifica');
END;

-- Local index: which documents mention which asset (for the asset's page). Derived by
-- triggers from the JSON rows, so it is right whatever path wrote the document; not replicated.
CREATE TABLE asset_doc_link (
    asset_id TEXT NOT NULL,
    doc_kind TEXT NOT NULL,
    doc_id TEXT NOT NULL,
    PRIMARY KEY (asset_id, doc_kind, doc_id)
) WITHOUT ROWID;

CREATE TRIGGER assignment_links_insert AFTER INSERT ON assignment BEGIN
    INSERT OR IGNORE INTO asset_doc_link (asset_id, doc_kind, doc_id)
    SELECT json_extract(j.value, '$.asset_id'), 'assignment', new.id
    FROM json_each(new.withdrawn) AS j
    UNION
    SELECT json_extract(j.value, '$.asset_id'), 'assignment', new.id
    FROM json_each(new.assigned) AS j;
END;

CREATE TRIGGER assignment_links_update AFTER UPDATE OF withdrawn, assigned ON assignment BEGIN
    DELETE FROM asset_doc_link WHERE doc_kind = 'assignment' AND doc_id = old.id;
    INSERT OR IGNORE INTO asset_doc_link (asset_id, doc_kind, doc_id)
    SELECT json_extract(j.value, '$.asset_id'), 'assignment', new.id
    FROM json_each(new.withdrawn) AS j
    UNION
    SELECT json_extract(j.value, '$.asset_id'), 'assignment', new.id
    FROM json_each(new.assigned) AS j;
END;

CREATE TRIGGER transfer_links_insert AFTER INSERT ON transfer BEGIN
    INSERT OR IGNORE INTO asset_doc_link (asset_id, doc_kind, doc_id)
    SELECT json_extract(j.value, '$.asset_id'), 'transfer', new.id
    FROM json_each(new.items) AS j;
END;

CREATE TRIGGER transfer_links_update AFTER UPDATE OF items ON transfer BEGIN
    DELETE FROM asset_doc_link WHERE doc_kind = 'transfer' AND doc_id = old.id;
    INSERT OR IGNORE INTO asset_doc_link (asset_id, doc_kind, doc_id)
    SELECT json_extract(j.value, '$.asset_id'), 'transfer', new.id
    FROM json_each(new.items) AS j;
END;

-- The attention's asset field is free text (issue 2); this lets an asset's page find its
-- attentions by código patrimonial (spaces, dashes and dots ignored) without a scan. The
-- query must use exactly this expression (store::assets::ATTENTION_ASSET_CODE_EXPR).
CREATE INDEX attention_by_asset_code
    ON attention (replace(replace(replace(asset_code, ' ', ''), '-', ''), '.', ''))
    WHERE asset_code IS NOT NULL;
