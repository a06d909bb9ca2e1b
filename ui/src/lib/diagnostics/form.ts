// What the diagnostic form computes apart from the DOM, so it can be tested: the rows of the
// checklist while they are answered, the form's fields turned into a `DiagnosticInput`, which
// element shows the core's message for each field, and the hints shown while typing (warranty,
// the 60-minute proposal). Every rule is decided by the core when the diagnostic is saved; the
// hints only say early what the core will say.
import { BackendError } from "../backend/call";
import type {
  Asset,
  CheckItem,
  CheckOutcome,
  CheckResult,
  ChecklistEntry,
  Diagnostic,
  DiagnosticCatalogs,
  DiagnosticInput,
  FormatChecklist,
  Operability,
  Recommendation,
} from "../backend";
import { backend } from "../backend";
import { formatPlainDate, parsePlainDate } from "../format";

/** The lists of the diagnostic form, asked once per session (they never change while running). */
let catalogs: Promise<DiagnosticCatalogs> | null = null;
export function diagnosticCatalogs(): Promise<DiagnosticCatalogs> {
  catalogs ??= backend.diagnostics.catalogs().catch((e: unknown) => {
    catalogs = null;
    throw e;
  });
  return catalogs;
}

/** One checklist row while it is answered. */
export type CheckRow = {
  item: CheckItem;
  label: string;
  essential: boolean;
  outcome: CheckOutcome | null;
  note: string;
};

/** The kind's checklist as unanswered rows; with `previous`, the answers of a diagnostic. */
export function checkRows(entries: readonly ChecklistEntry[], previous: readonly CheckResult[] = []): CheckRow[] {
  return entries.map((e) => {
    const old = previous.find((p) => p.item === e.item);
    return { item: e.item, label: e.label, essential: e.essential, outcome: old?.outcome ?? null, note: old?.note ?? "" };
  });
}

/** The answered rows (an unanswered one is left out: the core names what is missing). */
export function checkResults(rows: readonly CheckRow[]): CheckResult[] {
  return rows.flatMap((r) => (r.outcome ? [{ item: r.item, outcome: r.outcome, note: r.note.trim() || null }] : []));
}

/** The formatting checklist as the form starts it: nothing done, nothing written. */
export function emptyFormat(): FormatChecklist {
  return {
    backup_done: false,
    backup_location: null,
    no_backup_reason: null,
    low_level: false,
    read_write_problems: false,
    low_performance: false,
    ntfs_two_partitions: false,
    dhcp: false,
    local_admin_enabled: false,
    local_admin_password_set: false,
    computer_name: "",
    unnecessary_services_disabled: false,
    base_software_installed: false,
    remarks: null,
  };
}

/** The boolean steps of the formatting checklist the catalog lists (its `code`s). */
export type FormatStep =
  | "ntfs_two_partitions"
  | "dhcp"
  | "local_admin_enabled"
  | "local_admin_password_set"
  | "unnecessary_services_disabled"
  | "base_software_installed";

export function isFormatStep(code: string): code is FormatStep {
  return [
    "ntfs_two_partitions",
    "dhcp",
    "local_admin_enabled",
    "local_admin_password_set",
    "unnecessary_services_disabled",
    "base_software_installed",
  ].includes(code);
}

/** Everything the form holds, as typed. */
export type DiagnosticForm = {
  assetId: string;
  date: string;
  attentionId: string | null;
  symptoms: string;
  rows: CheckRow[];
  findings: string;
  partsNeeded: string;
  warrantyContact: string;
  timeSpent: string;
  estimated: string;
  moved: boolean;
  stayReason: string;
  result: Operability | "";
  recommendation: Recommendation | "";
  format: FormatChecklist;
  corrects: string | null;
  correctionReason: string;
};

const blank = (s: string | null | undefined): string | null => (s && s.trim() ? s.trim() : null);

/** "45" → 45; empty → 0 only where allowed; otherwise the refusal for `field`. */
export function parseMinutes(text: string, field: string, label: string): number {
  const t = text.trim();
  if (/^\d{1,6}$/.test(t)) return Number(t);
  throw new BackendError(
    "valor_invalido",
    `Escriba el «${label}» en minutos, como un número entero (por ejemplo 45).`,
    field,
  );
}

/** The form as the command takes it; throws a `BackendError` naming the field the form must fix. */
export function diagnosticInput(f: DiagnosticForm): DiagnosticInput {
  const date = parsePlainDate(f.date);
  if (!date) {
    throw new BackendError("fecha_invalida", "Escriba la fecha como dd/mm/aaaa, por ejemplo 23/11/2026.", "date");
  }
  const time_spent_minutes = parseMinutes(f.timeSpent, "time_spent_minutes", "Tiempo empleado");
  const estimated_minutes = parseMinutes(f.estimated, "estimated_minutes", "Tiempo estimado");
  if (!f.result) {
    throw new BackendError("campo_requerido", "Elija el resultado: «Operativo» o «Inoperativo».", "result");
  }
  if (!f.recommendation) {
    throw new BackendError("campo_requerido", "Elija la recomendación: qué hacer con el bien.", "recommendation");
  }
  const format =
    f.recommendation === "formatear"
      ? {
          ...f.format,
          backup_location: f.format.backup_done ? blank(f.format.backup_location) : null,
          no_backup_reason: f.format.backup_done ? null : blank(f.format.no_backup_reason),
          read_write_problems: f.format.low_level && f.format.read_write_problems,
          low_performance: f.format.low_level && f.format.low_performance,
          remarks: blank(f.format.remarks),
        }
      : null;
  return {
    asset_id: f.assetId,
    date,
    attention_id: f.attentionId,
    symptoms: f.symptoms,
    checks: checkResults(f.rows),
    findings: f.findings,
    parts_needed: blank(f.partsNeeded),
    warranty_contact: blank(f.warrantyContact),
    time_spent_minutes,
    estimated_minutes,
    moved_to_it_office: f.moved,
    stay_reason: f.moved ? null : blank(f.stayReason),
    result: f.result,
    recommendation: f.recommendation,
    format,
    corrects: f.corrects,
    correction_reason: f.corrects ? blank(f.correctionReason) : null,
  };
}

/** A correction starts from the diagnostic it corrects: every answer copied, the date today. */
export function formFrom(d: Diagnostic, entries: readonly ChecklistEntry[], today: string): DiagnosticForm {
  return {
    assetId: d.asset_id,
    date: formatPlainDate(today),
    attentionId: d.attention_id,
    symptoms: d.symptoms,
    rows: checkRows(entries, d.checks),
    findings: d.findings,
    partsNeeded: d.parts_needed ?? "",
    warrantyContact: d.warranty_contact ?? "",
    timeSpent: String(d.time_spent_minutes),
    estimated: String(d.estimated_minutes),
    moved: d.it_office.moved,
    stayReason: d.it_office.stay_reason ?? "",
    result: d.result,
    recommendation: d.recommendation,
    format: d.format ? { ...d.format } : emptyFormat(),
    corrects: d.id,
    correctionReason: "",
  };
}

/** The element that shows (and takes the focus for) the core's message about each field. */
export const FIELD_ELEMENTS: Readonly<Record<string, string>> = {
  asset_id: "diagnostic-asset",
  date: "diagnostic-date",
  attention_id: "diagnostic-attention-id",
  symptoms: "diagnostic-symptoms",
  checks: "diagnostic-checks",
  findings: "diagnostic-findings",
  parts_needed: "diagnostic-parts-needed",
  warranty_contact: "diagnostic-warranty-contact",
  time_spent_minutes: "diagnostic-time-spent-minutes",
  estimated_minutes: "diagnostic-estimated-minutes",
  stay_reason: "diagnostic-stay-reason",
  result: "diagnostic-outcome",
  recommendation: "diagnostic-recommendation",
  format: "diagnostic-recommendation",
  backup_location: "format-backup-location",
  no_backup_reason: "format-no-backup-reason",
  low_level: "format-low-level",
  computer_name: "format-computer-name",
  remarks: "format-remarks",
  corrects: "diagnostic-correction-reason",
  correction_reason: "diagnostic-correction-reason",
};

/** The fields the form shows, in the order they appear (the focus goes to the first refused). */
export const FIELDS: readonly string[] = Object.keys(FIELD_ELEMENTS);

/** The first element of the checklist a message about `checks` should focus: the first
 * unanswered row, or the first failed row without a note, or the table's first radio. */
export function checksFocus(rows: readonly CheckRow[]): string | null {
  const unanswered = rows.find((r) => !r.outcome);
  if (unanswered) return `check-${unanswered.item}-aprobado`;
  const noNote = rows.find((r) => r.outcome === "fallido" && !r.note.trim());
  if (noNote) return `check-${noNote.item}-note`;
  const first = rows[0];
  return first ? `check-${first.item}-aprobado` : null;
}

/** The warranty as the form shows it before saving (the core decides and stores it on save:
 * the last day of the warranty still counts). `date` is the diagnostic's "aaaa-mm-dd". */
export function warrantyHint(
  asset: Pick<Asset, "warranty_end">,
  date: string | null,
): { status: "vigente" | "vencida" | "sin_garantia"; text: string } {
  const end = asset.warranty_end;
  if (!end) return { status: "sin_garantia", text: "Sin garantía registrada." };
  if (date && end >= date) {
    return {
      status: "vigente",
      text: `En garantía hasta el ${formatPlainDate(end)}: la reparación corresponde al proveedor (abrir el equipo anula la garantía). Anote a quién llamar.`,
    };
  }
  return { status: "vencida", text: `Garantía vencida el ${formatPlainDate(end)}.` };
}

/** Whether the 60-minute rule proposes moving the equipment to the IT office (the estimate is
 * above the threshold). */
export function proposesItOffice(estimated: string, threshold: number): boolean {
  const t = estimated.trim();
  return /^\d+$/.test(t) && Number(t) > threshold;
}

/** The recommendations the form offers for a kind: "Formatear" only for kinds that have an
 * operating system (the core refuses it for the rest). */
export function recommendationsFor(c: DiagnosticCatalogs, kind: string): DiagnosticCatalogs["recommendations"] {
  const formattable = (c.formattable_kinds as readonly string[]).includes(kind);
  return c.recommendations.filter((r) => r.code !== "formatear" || formattable);
}

/** "23/11/2026 · Inoperativo · Proponer la baja" for the asset's list of diagnostics. */
export function diagnosticSummary(d: Diagnostic, c: DiagnosticCatalogs): string {
  const label = (list: { code: string; label: string }[], code: string) => list.find((x) => x.code === code)?.label ?? code;
  return `${formatPlainDate(d.date)} · ${label(c.results, d.result)} · ${label(c.recommendations, d.recommendation)}`;
}

/** Only the asset's latest diagnostic can be corrected (the list is newest first). */
export function canCorrect(d: Diagnostic, ofAsset: readonly Diagnostic[]): boolean {
  return ofAsset[0]?.id === d.id && d.corrected_by === null;
}
