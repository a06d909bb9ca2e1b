-- Schema versions of the data (issue 5, for the record kinds of issue 6). A device says its
-- replicated-schema version at every hello (devices.schema_version); an accepted push raises
-- its unit's data_schema to the pushing device's version. A hello from a device whose version
-- is below the data_schema of a unit it reads is refused (426 client_outdated): an older
-- client would fail the CHECKs of the newer record kinds and park them as unappliable.
ALTER TABLE devices ADD COLUMN schema_version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE units ADD COLUMN data_schema BIGINT NOT NULL DEFAULT 1;
-- Units that already hold records of schema 2 (issue 6 entities).
UPDATE units SET data_schema = 2 WHERE code IN (
    SELECT DISTINCT unit FROM field_versions WHERE entity IN
        ('diagnostic', 'decommission_report', 'maintenance_plan', 'maintenance', 'provider_escalation'));
