// The UI's only door to the backend. Components call `backend.attentions.create(...)`; the
// wrappers, types and error parsing below are generated from, or dictated by, the Rust side.
import { open, save } from "@tauri-apps/plugin-dialog";
import { commands, events } from "./bindings";
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
    onStatus: events.syncStatus,
  },
  documents: {
    render: commands.documentRender,
    versions: commands.generatedDocumentsOf,
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
  /** Preventive maintenance and escalations to providers. */
  maintenance: {
    catalogs: commands.maintenanceCatalogs,
    plans: commands.maintenancePlans,
    setPlan: commands.maintenancePlanSet,
    calendar: commands.maintenanceCalendar,
    create: commands.maintenanceCreate,
    get: commands.maintenanceGet,
    ofAsset: commands.maintenancesOfAsset,
    unverified: commands.maintenancesUnverified,
    verify: commands.maintenanceVerify,
    attachReport: commands.maintenanceAttachReport,
    openReport: commands.maintenanceReportOpen,
    /** Chooses the provider's report (PDF or a scan); `null` when the person cancels. */
    pickReport: async (): Promise<string | null> => {
      const chosen = await open({
        title: "Elegir el informe del proveedor",
        multiple: false,
        directory: false,
        filters: [
          { name: "Informe (PDF o imagen)", extensions: ["pdf", "PDF", "jpg", "jpeg", "png", "JPG", "PNG"] },
          { name: "Todos los archivos", extensions: ["*"] },
        ],
      });
      return typeof chosen === "string" ? chosen : null;
    },
    escalations: {
      create: commands.providerEscalationCreate,
      list: commands.providerEscalations,
      complete: commands.providerEscalationComplete,
      conformity: commands.providerEscalationConformity,
    },
  },
  dialogs: { pickPdf, pickPfx, pickCertificate, pickSavePath },
  decommission: {
    causes: commands.decommissionCauses,
    create: commands.decommissionCreate,
    update: commands.decommissionUpdate,
    get: commands.decommissionGet,
    issue: commands.decommissionIssue,
    sign: commands.decommissionSign,
    annul: commands.decommissionAnnul,
    list: commands.decommissionList,
    fromReview: commands.decommissionFromReview,
    warehouse: {
      stock: commands.warehouseStock,
      review: commands.warehouseReviewCreate,
      reviews: commands.warehouseReviews,
    },
  },
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
    documents: commands.assetDocumentsList,
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
      onProgress: events.inventoryProgress,
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
