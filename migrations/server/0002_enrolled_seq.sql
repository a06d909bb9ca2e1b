-- The device's last outbox sequence when it enrolled: its changes up to it were numbered
-- from its own local series (before it had blocks) and are registered, not block-checked.
ALTER TABLE devices ADD COLUMN enrolled_seq BIGINT NOT NULL DEFAULT 0;
