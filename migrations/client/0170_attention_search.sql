-- One search box finds an attention by what people see and say: its N° (with or without the
-- year), the requester's name or DNI, the office, the asset's code, and the words of the problem
-- and the solution. The full-text index grows from problem + solution to those six columns.
--
-- Numbered 0170, after 0103: 0103 rebuilds `attention` (dropping every trigger on it), so a
-- migration that puts triggers on `attention` must come after it, also on a new database. A
-- later migration that rebuilds `attention` again must recreate the triggers below.
--
-- The index is contentless (it keeps no copy of the text) with `contentless_delete`, so a row is
-- removed by rowid alone: a requester renamed or an office renamed re-indexes their attentions
-- without knowing what was indexed before. rowid = attention.seq, as before, so a search still
-- streams matches newest registration first (ORDER BY rowid DESC).
--
-- Kept by triggers, so every write is covered: the app's own, the demo's, and the changes
-- applied from sync (they write the same tables).

DROP TRIGGER attention_fts_insert;
DROP TRIGGER attention_fts_delete;
DROP TRIGGER attention_fts_update;
DROP TABLE attention_fts;

CREATE VIRTUAL TABLE attention_fts USING fts5 (
    -- "N° 007-2026 7 2026", or "borrador" for an unnumbered draft
    number,
    -- apellidos, nombres and DNI of the requester
    requester,
    office,
    -- the asset's code as typed, and with spaces, dots and dashes taken out
    asset,
    problem,
    solution,
    content = '',
    contentless_delete = 1,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- What the index holds for one attention: a view, so the triggers and the first fill agree.
CREATE VIEW attention_search_doc AS
SELECT a.seq AS seq,
       CASE WHEN a.number IS NULL THEN 'borrador'
            ELSE 'N° ' || printf('%03d', a.number) || '-' || a.year || ' ' || a.number || ' ' || a.year
       END AS number,
       coalesce(p.last_names || ' ' || p.first_names || ' ' || coalesce(p.dni, ''), '') AS requester,
       coalesce(o.name, '') AS office,
       coalesce(a.asset_code || ' ' || replace(replace(replace(a.asset_code, ' ', ''), '-', ''), '.', ''), '') AS asset,
       a.problem AS problem,
       coalesce(a.solution, '') AS solution,
       a.id AS attention_id,
       a.requester_id AS requester_id,
       a.office_id AS office_id
FROM attention a
LEFT JOIN person p ON p.id = a.requester_id
LEFT JOIN office o ON o.id = a.office_id;

INSERT INTO attention_fts (rowid, number, requester, office, asset, problem, solution)
SELECT seq, number, requester, office, asset, problem, solution FROM attention_search_doc;

CREATE TRIGGER attention_fts_insert AFTER INSERT ON attention BEGIN
    INSERT INTO attention_fts (rowid, number, requester, office, asset, problem, solution)
    SELECT seq, number, requester, office, asset, problem, solution
    FROM attention_search_doc WHERE attention_id = new.id;
END;

CREATE TRIGGER attention_fts_delete AFTER DELETE ON attention BEGIN
    DELETE FROM attention_fts WHERE rowid = old.seq;
END;

CREATE TRIGGER attention_fts_update
AFTER UPDATE OF number, year, requester_id, office_id, asset_code, problem, solution ON attention BEGIN
    DELETE FROM attention_fts WHERE rowid = old.seq;
    INSERT INTO attention_fts (rowid, number, requester, office, asset, problem, solution)
    SELECT seq, number, requester, office, asset, problem, solution
    FROM attention_search_doc WHERE attention_id = new.id;
END;

CREATE TRIGGER attention_fts_person AFTER UPDATE OF last_names, first_names, dni ON person BEGIN
    DELETE FROM attention_fts WHERE rowid IN (SELECT seq FROM attention WHERE requester_id = new.id);
    INSERT INTO attention_fts (rowid, number, requester, office, asset, problem, solution)
    SELECT seq, number, requester, office, asset, problem, solution
    FROM attention_search_doc WHERE requester_id = new.id;
END;

CREATE TRIGGER attention_fts_office AFTER UPDATE OF name ON office BEGIN
    DELETE FROM attention_fts WHERE rowid IN (SELECT seq FROM attention WHERE office_id = new.id);
    INSERT INTO attention_fts (rowid, number, requester, office, asset, problem, solution)
    SELECT seq, number, requester, office, asset, problem, solution
    FROM attention_search_doc WHERE office_id = new.id;
END;

-- An office is found by id when its attentions are re-indexed.
CREATE INDEX attention_by_office ON attention (office_id) WHERE office_id IS NOT NULL;
