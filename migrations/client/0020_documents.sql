-- Generated documents (issue 4): every rendered or signed PDF the app produced, one row per
-- version. See docs/documents.md, "Generated documents in the store".
--
-- * generated_document is a replicated record (written through the store's Writer, so every
--   row also lands in the outbox). A new signature never changes a row: it makes a new
--   version that references the previous one (previous_id), and its file must extend the
--   previous file byte for byte (a PAdES signature is an incremental update).
-- * The PDF bytes live in generated_document_file, a LOCAL table addressed by their SHA-256
--   (identical bytes are stored once). It is not replicated (the outbox carries JSON, not
--   50 KB blobs); shipping files to the server is a later step of sync.
-- * Both tables refuse UPDATE and DELETE by trigger: once written, a document's bytes and
--   its metadata never change, whoever asks.

CREATE TABLE generated_document (
    id TEXT PRIMARY KEY,
    unit_code TEXT NOT NULL REFERENCES unit (code),
    -- chaski_docs::Document::template_name(): attention_register, assignment, transfer, ...
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
    -- "N° 007-2026"; NULL for documents without a number (the register of a date range)
    number TEXT,
    -- the record it was made from (an assignment, a transfer); NULL for a register
    source_id TEXT,
    version INTEGER NOT NULL CHECK (version >= 1),
    previous_id TEXT REFERENCES generated_document (id),
    content_sha256 TEXT NOT NULL CHECK (length(content_sha256) = 64),
    file_sha256 TEXT NOT NULL CHECK (length(file_sha256) = 64),
    file_size INTEGER NOT NULL CHECK (file_size > 0),
    signature_count INTEGER NOT NULL CHECK (signature_count >= 0),
    created_at TEXT NOT NULL,
    created_by TEXT NOT NULL,
    CHECK ((version = 1) = (previous_id IS NULL))
);
-- A version has at most one successor: the history of a document is a line, never a tree.
CREATE UNIQUE INDEX generated_document_successor ON generated_document (previous_id)
    WHERE previous_id IS NOT NULL;
CREATE INDEX generated_document_by_source ON generated_document (source_id, created_at);
CREATE INDEX generated_document_by_kind ON generated_document (kind, created_at);

CREATE TABLE generated_document_file (
    sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
    bytes BLOB NOT NULL
);

CREATE TRIGGER generated_document_immutable BEFORE UPDATE ON generated_document
WHEN old.kind IS NOT new.kind OR old.number IS NOT new.number
    OR old.source_id IS NOT new.source_id OR old.version IS NOT new.version
    OR old.previous_id IS NOT new.previous_id OR old.content_sha256 IS NOT new.content_sha256
    OR old.file_sha256 IS NOT new.file_sha256 OR old.file_size IS NOT new.file_size
    OR old.signature_count IS NOT new.signature_count OR old.unit_code IS NOT new.unit_code
    OR old.created_at IS NOT new.created_at OR old.created_by IS NOT new.created_by
BEGIN
    SELECT RAISE (ABORT, 'documento_inmutable: un documento generado no se modifica; genere una nueva versión');
END;

CREATE TRIGGER generated_document_no_delete BEFORE DELETE ON generated_document
BEGIN
    SELECT RAISE (ABORT, 'documento_inmutable: un documento generado no se elimina');
END;

CREATE TRIGGER generated_document_file_immutable BEFORE UPDATE ON generated_document_file
BEGIN
    SELECT RAISE (ABORT, 'documento_inmutable: el archivo de un documento no se modifica');
END;

CREATE TRIGGER generated_document_file_no_delete BEFORE DELETE ON generated_document_file
BEGIN
    SELECT RAISE (ABORT, 'documento_inmutable: el archivo de un documento no se elimina');
END;
