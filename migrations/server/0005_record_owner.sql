-- Record ownership. A record belongs to the unit of its first accepted change: every one of
-- its field versions carries that unit (field_versions.unit), and a push from any other
-- unit's device is refused (record_foreign). Before this version a device could overwrite
-- another unit's fields, leaving a record with field versions of two units; such a record is
-- given to ONE of them here (the first by code), so that ownership is well defined. To review
-- them before upgrading:
--   SELECT entity, entity_id FROM field_versions GROUP BY entity, entity_id
--   HAVING COUNT(DISTINCT unit) > 1;
UPDATE field_versions SET unit = (
    SELECT MIN(f.unit) FROM field_versions f
    WHERE f.entity = field_versions.entity AND f.entity_id = field_versions.entity_id)
WHERE EXISTS (
    SELECT 1 FROM field_versions g
    WHERE g.entity = field_versions.entity AND g.entity_id = field_versions.entity_id
      AND g.unit <> field_versions.unit);
