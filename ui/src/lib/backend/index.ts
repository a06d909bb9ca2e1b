// The UI's only door to the backend. Components call `backend.attentions.create(...)`; the
// wrappers, types and error parsing below are generated from, or dictated by, the Rust side.
import { listen } from "@tauri-apps/api/event";
import { open, save } from "@tauri-apps/plugin-dialog";
import { commands, type ImportProgress, type SyncStatus } from "./bindings";
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
  assets: {
    catalogs: commands.assetCatalogs,
    list: commands.assetsList,
    sites: commands.assetSites,
    detail: commands.assetDetail,
    byCode: commands.assetByCode,
    create: commands.assetCreate,
    update: commands.assetUpdate,
    registerBaja: commands.assetRegisterBaja,
    /** Cargos and traslados (the "Cargos y traslados" register). */
    documents: commands.documentsList,
    assignment: {
      create: commands.assignmentCreate,
      update: commands.assignmentUpdate,
      get: commands.assignmentGet,
      issue: commands.assignmentIssue,
      sign: commands.assignmentSign,
      annul: commands.assignmentAnnul,
    },
    transfer: {
      create: commands.transferCreate,
      update: commands.transferUpdate,
      get: commands.transferGet,
      issue: commands.transferIssue,
      sign: commands.transferSign,
      annul: commands.transferAnnul,
    },
    monthly: commands.monthlyMovements,
    exportMonthly: commands.monthlyMovementsExport,
    inventory: {
      preview: commands.inventoryPreview,
      apply: commands.inventoryApply,
      discard: commands.inventoryDiscard,
      /** Calls `handler` with each progress step of the preview and the import; returns the
       * function that stops listening. */
      onProgress: (handler: (p: ImportProgress) => void): Promise<() => void> =>
        listen<ImportProgress>("inventory-progress", (event) => handler(event.payload)),
    },
  },
  diagnostics: {
    catalogs: commands.diagnosticCatalogs,
    checklist: commands.checklistFor,
    create: commands.diagnosticCreate,
    get: commands.diagnosticGet,
    ofAsset: commands.diagnosticsOfAsset,
    attentionByNumber: commands.attentionByNumber,
  },
  /** The operating system's file dialogs; `null` when the person cancels. */
  files: {
    pickInventory: async (): Promise<string | null> => {
      const chosen = await open({
        title: "Elegir el inventario (SBN / SIGA)",
        multiple: false,
        directory: false,
        filters: [{ name: "Inventario (Excel o CSV)", extensions: ["xlsx", "csv", "txt"] }],
      });
      return typeof chosen === "string" ? chosen : null;
    },
    saveCsv: (defaultPath: string): Promise<string | null> =>
      save({ title: "Guardar como CSV", defaultPath, filters: [{ name: "CSV", extensions: ["csv"] }] }),
  },
} as const;

export type Backend = typeof backend;
