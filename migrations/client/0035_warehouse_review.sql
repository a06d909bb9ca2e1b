-- Warehouse review (issue 6, seed 001 act. 17–18): the specialist goes through the stock of
-- the UAST warehouse and marks the obsolete equipment, which then goes to a baja proposal.
-- Insert-only like a diagnostic: a later review supersedes it, none is edited. Rows are JSON
-- (asset data on the review's day, the decision and its remark), like the informe's rows.
CREATE TABLE warehouse_review (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    date TEXT NOT NULL,
    technician_id TEXT NOT NULL,
    items TEXT NOT NULL CHECK (json_valid(items) AND json_array_length(items) > 0),
    remarks TEXT,
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL
);
CREATE INDEX warehouse_review_by_date ON warehouse_review (unit_code, date);

-- A sync apply may rewrite a row with the same values; any real change is refused.
CREATE TRIGGER warehouse_review_insert_only_update BEFORE UPDATE ON warehouse_review
WHEN old.date IS NOT new.date OR old.items IS NOT new.items OR old.remarks IS NOT new.remarks
  OR old.technician_id IS NOT new.technician_id OR old.created_at IS NOT new.created_at
BEGIN
    SELECT RAISE(ABORT, 'warehouse_review es de solo inserción: registre una nueva revisión');
END;

CREATE TRIGGER warehouse_review_insert_only_delete BEFORE DELETE ON warehouse_review BEGIN
    SELECT RAISE(ABORT, 'warehouse_review es de solo inserción');
END;
