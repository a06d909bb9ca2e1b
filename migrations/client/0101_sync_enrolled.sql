-- When this device was enrolled with the central server (NULL: standalone). Once enrolled,
-- documents are numbered from server-reserved blocks (replication::take_block_number).
ALTER TABLE sync_state ADD COLUMN enrolled_at TEXT;
