// The UI's only door to the backend. Components call `backend.attentions.create(...)`; the
// wrappers, types and error parsing below are generated from, or dictated by, the Rust side.
import { commands } from "./bindings";
import { pickCertificate, pickPdf, pickPfx, pickSavePath } from "./dialogs";

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
  documents: {
    render: commands.documentRender,
    versions: commands.documentsOf,
    sign: commands.documentSign,
    signatures: commands.documentSignatures,
    verify: commands.documentVerify,
    open: commands.documentOpen,
    saveAs: commands.documentSaveAs,
    keyringAvailable: commands.keyringStatus,
    certificateFile: commands.certificateFile,
    forgetPassword: commands.certificatePasswordForget,
    trustedRoots: commands.trustedRootsList,
    addTrustedRoot: commands.trustedRootAdd,
    removeTrustedRoot: commands.trustedRootRemove,
  },
  dialogs: { pickPdf, pickPfx, pickCertificate, pickSavePath },
} as const;

export type Backend = typeof backend;
