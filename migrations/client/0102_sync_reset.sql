-- Resync after a restored backup or a cloned disk (Store::sync_reset_device): the device
-- takes a new id and its sequences start again at 1, so a refused change is now identified by
-- (device_id, device_seq). Rejections of the old id are kept (shown to the person), not lost
-- to a key collision with the new id's sequences.
CREATE TABLE sync_rejection_v2 (
    device_id TEXT NOT NULL,
    device_seq INTEGER NOT NULL,
    change_id TEXT NOT NULL,
    code TEXT NOT NULL,
    at TEXT NOT NULL,
    PRIMARY KEY (device_id, device_seq)
);
INSERT INTO sync_rejection_v2 (device_id, device_seq, change_id, code, at)
SELECT (SELECT device_id FROM local_device WHERE id = 1), device_seq, change_id, code, at
FROM sync_rejection ORDER BY device_seq;
DROP TABLE sync_rejection;
ALTER TABLE sync_rejection_v2 RENAME TO sync_rejection;
