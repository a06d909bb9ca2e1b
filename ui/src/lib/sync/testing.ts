// A complete SyncStatus for tests, with the fields a test cares about overridden.
import type { SyncStatus } from "../backend";

export function syncStatus(over: Partial<SyncStatus> = {}): SyncStatus {
  return {
    config: { server_url: "https://sync.entidad.gob.pe", ca_file: null },
    device_id: "0192f0c4-8c2a-7cc1-9d44-5f1a2b3c4d5e",
    unit: "UT-CUSCO",
    enrolled: true,
    activity: "en_espera",
    progress: null,
    pending_changes: 0,
    rejections: 0,
    apply_errors: 0,
    drafts_waiting: 0,
    last_success_at: null,
    last_attempt_at: null,
    next_attempt_at: null,
    last_error: null,
    last_summary: null,
    ...over,
  };
}
