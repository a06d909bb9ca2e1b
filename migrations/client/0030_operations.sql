-- Hardware operations (issue 6): diagnostics, informes técnicos de baja, maintenance plans and
-- records, escalations to third-party providers. See docs/operations.md.
--
-- 1. asset_event learns three kinds: 'operativo' / 'inoperativo' (a diagnostic's result, which
--    sets asset.operability) and 'baja_propuesta' (a signed informe técnico de baja); and two
--    document kinds: 'diagnostic' and 'decommission'. SQLite cannot alter a CHECK, so the
--    table is rebuilt with the same columns, rows, indexes and append-only triggers. Nothing
--    references asset_event, so the rebuild is local to it.

CREATE TABLE asset_event_new (
    id TEXT PRIMARY KEY,
    asset_id TEXT NOT NULL REFERENCES asset (id),
    kind TEXT NOT NULL CHECK (kind IN ('alta', 'inventario', 'asignacion', 'devolucion', 'traslado', 'baja',
                                       'operativo', 'inoperativo', 'baja_propuesta')),
    at TEXT NOT NULL,
    custodian_id TEXT REFERENCES person (id),
    site TEXT,
    office TEXT,
    doc_kind TEXT CHECK (doc_kind IS NULL OR doc_kind IN ('assignment', 'transfer', 'diagnostic', 'decommission')),
    doc_id TEXT,
    doc_number TEXT,
    remarks TEXT,
    technician_id TEXT NOT NULL
);
INSERT INTO asset_event_new (id, asset_id, kind, at, custodian_id, site, office, doc_kind, doc_id,
                             doc_number, remarks, technician_id)
SELECT id, asset_id, kind, at, custodian_id, site, office, doc_kind, doc_id, doc_number, remarks,
       technician_id
FROM asset_event;
DROP TABLE asset_event;
ALTER TABLE asset_event_new RENAME TO asset_event;
CREATE INDEX asset_event_by_asset ON asset_event (asset_id, at, id);
CREATE INDEX asset_event_by_doc ON asset_event (doc_id) WHERE doc_id IS NOT NULL;
CREATE INDEX asset_event_by_kind ON asset_event (kind, asset_id) WHERE kind IN ('baja_propuesta', 'operativo', 'inoperativo');

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

-- 2. Diagnostic (insert-only). checks and format are JSON written by chaski_core types.
CREATE TABLE diagnostic (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    asset_id TEXT NOT NULL REFERENCES asset (id),
    date TEXT NOT NULL,
    attention_id TEXT,
    technician_id TEXT NOT NULL,
    symptoms TEXT NOT NULL,
    checks TEXT NOT NULL CHECK (json_valid(checks)),
    findings TEXT NOT NULL,
    parts_needed TEXT,
    warranty TEXT NOT NULL CHECK (warranty IN ('vigente', 'vencida', 'sin_garantia')),
    warranty_end TEXT,
    warranty_contact TEXT,
    time_spent_minutes INTEGER NOT NULL CHECK (time_spent_minutes >= 0),
    estimated_minutes INTEGER NOT NULL CHECK (estimated_minutes >= 0),
    it_office_proposed INTEGER NOT NULL CHECK (it_office_proposed IN (0, 1)),
    moved_to_it_office INTEGER NOT NULL CHECK (moved_to_it_office IN (0, 1)),
    stay_reason TEXT,
    result TEXT NOT NULL CHECK (result IN ('operativo', 'inoperativo')),
    recommendation TEXT NOT NULL,
    format TEXT CHECK (format IS NULL OR json_valid(format)),
    corrects_id TEXT REFERENCES diagnostic (id),
    correction_reason TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK (corrects_id IS NULL OR (correction_reason IS NOT NULL AND trim(correction_reason) <> ''))
);
CREATE INDEX diagnostic_by_asset ON diagnostic (asset_id, created_at, id);
CREATE INDEX diagnostic_by_corrects ON diagnostic (corrects_id) WHERE corrects_id IS NOT NULL;

CREATE TRIGGER diagnostic_insert_only_update BEFORE UPDATE ON diagnostic
WHEN old.asset_id IS NOT new.asset_id OR old.date IS NOT new.date OR old.checks IS NOT new.checks
  OR old.symptoms IS NOT new.symptoms OR old.findings IS NOT new.findings
  OR old.result IS NOT new.result OR old.recommendation IS NOT new.recommendation
  OR old.format IS NOT new.format OR old.corrects_id IS NOT new.corrects_id
  OR old.parts_needed IS NOT new.parts_needed OR old.created_at IS NOT new.created_at
BEGIN
    SELECT RAISE(ABORT, 'diagnostic es de solo inserción: registre un diagnóstico que corrija este');
END;

CREATE TRIGGER diagnostic_insert_only_delete BEFORE DELETE ON diagnostic BEGIN
    SELECT RAISE(ABORT, 'diagnostic es de solo inserción');
END;

-- 3. Informe técnico de baja: the cargo's lifecycle and shape (items as JSON rows).
CREATE TABLE decommission_report (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    status TEXT NOT NULL CHECK (status IN ('borrador', 'emitido', 'firmado', 'anulado')),
    year INTEGER,
    number INTEGER CHECK (number IS NULL OR number > 0),
    date TEXT NOT NULL,
    items TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(items)),
    justification TEXT NOT NULL,
    chief_name TEXT,
    chief_position TEXT,
    technician_id TEXT NOT NULL,
    corrects_id TEXT REFERENCES decommission_report (id),
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
CREATE INDEX decommission_report_by_number ON decommission_report (unit_code, year, number);

CREATE TRIGGER decommission_report_frozen BEFORE UPDATE ON decommission_report
WHEN old.status IN ('firmado', 'anulado')
BEGIN
    SELECT RAISE(ABORT, 'documento firmado o anulado: no se modifica');
END;

CREATE TRIGGER decommission_report_links_insert AFTER INSERT ON decommission_report BEGIN
    INSERT OR IGNORE INTO asset_doc_link (asset_id, doc_kind, doc_id)
    SELECT json_extract(j.value, '$.asset_id'), 'decommission', new.id
    FROM json_each(new.items) AS j;
END;

CREATE TRIGGER decommission_report_links_update AFTER UPDATE OF items ON decommission_report BEGIN
    DELETE FROM asset_doc_link WHERE doc_kind = 'decommission' AND doc_id = old.id;
    INSERT OR IGNORE INTO asset_doc_link (asset_id, doc_kind, doc_id)
    SELECT json_extract(j.value, '$.asset_id'), 'decommission', new.id
    FROM json_each(new.items) AS j;
END;

-- 4. Maintenance plan per asset kind. Its id is derived from (unit, kind), so two devices of
--    one unit that edit the same plan offline write the same record (merged field by field),
--    never two plans for one kind.
CREATE TABLE maintenance_plan (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    asset_kind TEXT NOT NULL,
    interval_months INTEGER NOT NULL CHECK (interval_months BETWEEN 1 AND 36),
    active INTEGER NOT NULL CHECK (active IN (0, 1)),
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE INDEX maintenance_plan_by_kind ON maintenance_plan (unit_code, asset_kind);

-- 5. Maintenance record. The 48-hour verification and the provider's report are set once.
CREATE TABLE maintenance (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    asset_id TEXT NOT NULL REFERENCES asset (id),
    performed_at TEXT NOT NULL,
    performer TEXT NOT NULL CHECK (performer IN ('proveedor', 'tecnico')),
    provider_name TEXT,
    technician_id TEXT NOT NULL,
    work_done TEXT NOT NULL,
    remarks TEXT,
    verification_at TEXT,
    verification_faults INTEGER CHECK (verification_faults IS NULL OR verification_faults IN (0, 1)),
    verification_remarks TEXT,
    report_file_name TEXT,
    report_sha256 TEXT CHECK (report_sha256 IS NULL OR length(report_sha256) = 64),
    escalation_id TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (performer <> 'proveedor' OR (provider_name IS NOT NULL AND trim(provider_name) <> ''))
);
CREATE INDEX maintenance_by_asset ON maintenance (asset_id, performed_at);

CREATE TRIGGER maintenance_once BEFORE UPDATE ON maintenance
WHEN old.asset_id IS NOT new.asset_id OR old.performed_at IS NOT new.performed_at
  OR old.work_done IS NOT new.work_done
  OR (old.verification_at IS NOT NULL AND (old.verification_at IS NOT new.verification_at
      OR old.verification_faults IS NOT new.verification_faults))
  OR (old.report_sha256 IS NOT NULL AND old.report_sha256 IS NOT new.report_sha256)
BEGIN
    SELECT RAISE(ABORT, 'mantenimiento: el registro, su verificación y su informe no se modifican');
END;

CREATE TRIGGER maintenance_no_delete BEFORE DELETE ON maintenance BEGIN
    SELECT RAISE(ABORT, 'mantenimiento: no se elimina');
END;

-- The provider's report files, local (not replicated, like generated_document_file),
-- addressed by SHA-256, immutable.
CREATE TABLE maintenance_report_file (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL
);

CREATE TRIGGER maintenance_report_file_immutable BEFORE UPDATE ON maintenance_report_file BEGIN
    SELECT RAISE(ABORT, 'el informe del proveedor no se modifica');
END;

CREATE TRIGGER maintenance_report_file_no_delete BEFORE DELETE ON maintenance_report_file BEGIN
    SELECT RAISE(ABORT, 'el informe del proveedor no se elimina');
END;

-- 6. Escalation to a third-party provider.
CREATE TABLE provider_escalation (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    attention_id TEXT,
    diagnostic_id TEXT,
    maintenance_id TEXT,
    asset_id TEXT,
    provider TEXT NOT NULL,
    contact TEXT,
    means TEXT NOT NULL,
    escalated_at TEXT NOT NULL,
    description TEXT NOT NULL,
    provider_ticket TEXT,
    technician_id TEXT NOT NULL,
    completed_at TEXT,
    completion_note TEXT,
    conformity_at TEXT,
    conformity_accepted INTEGER CHECK (conformity_accepted IS NULL OR conformity_accepted IN (0, 1)),
    conformity_remark TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    CHECK (attention_id IS NOT NULL OR diagnostic_id IS NOT NULL OR maintenance_id IS NOT NULL),
    CHECK (conformity_at IS NULL OR completed_at IS NOT NULL)
);
CREATE INDEX provider_escalation_open ON provider_escalation (escalated_at) WHERE conformity_at IS NULL;
CREATE INDEX provider_escalation_by_attention ON provider_escalation (attention_id) WHERE attention_id IS NOT NULL;
CREATE INDEX provider_escalation_by_asset ON provider_escalation (asset_id) WHERE asset_id IS NOT NULL;
