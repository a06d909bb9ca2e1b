-- Conflicts resolved on the server (issue 5): who resolved it (the device, and the person's
-- name as the app gave it), which side or value was chosen (JSON), alongside resolved_at.
ALTER TABLE conflicts ADD COLUMN resolved_by TEXT;
ALTER TABLE conflicts ADD COLUMN resolved_by_name TEXT;
ALTER TABLE conflicts ADD COLUMN resolution TEXT;
ALTER TABLE conflicts ADD COLUMN resolved_value TEXT;
