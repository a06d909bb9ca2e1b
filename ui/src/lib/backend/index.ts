// The UI's only door to the backend. Components call `backend.attentions.create(...)`; the
// wrappers, types and error parsing below are generated from, or dictated by, the Rust side.
import { listen } from "@tauri-apps/api/event";
import { commands, type SyncStatus } from "./bindings";

export * from "./bindings";
export { BackendError, toBackendError } from "./call";

export const backend = {
  app: {
    status: commands.appStatus,
    setupUnits: commands.setupUnits,
    setup: commands.appSetup,
    loadDemo: commands.appLoadDemo,
  },
  reference: {
    all: commands.referenceData,
    technicians: commands.techniciansList,
  },
  persons: {
    search: commands.personsSearch,
    create: commands.personCreate,
  },
  attentions: {
    list: commands.attentionsList,
    get: commands.attentionGet,
    create: commands.attentionCreate,
    update: commands.attentionUpdate,
    transition: commands.attentionTransition,
    escalate: commands.attentionEscalate,
    conformity: commands.attentionConformity,
  },
  sync: {
    status: commands.syncStatus,
    configure: commands.syncConfigure,
    enroll: commands.syncEnroll,
    reenroll: commands.syncReenroll,
    now: commands.syncNow,
    conflicts: commands.syncConflicts,
    resolve: commands.syncResolve,
    rejections: commands.syncRejections,
    /** Calls `handler` with every new status the background sync sends (event `sync:status`).
     *  Resolves to the function that stops listening. */
    onStatus: (handler: (status: SyncStatus) => void): Promise<() => void> =>
      listen<SyncStatus>("sync:status", (event) => handler(event.payload)),
  },
} as const;

export type Backend = typeof backend;
