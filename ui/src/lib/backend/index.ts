// The UI's only door to the backend. Components call `backend.attentions.create(...)`; the
// wrappers, types and error parsing below are generated from, or dictated by, the Rust side.
import { commands } from "./bindings";

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
} as const;

export type Backend = typeof backend;
