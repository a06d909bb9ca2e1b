// What the informe de baja and the warehouse review screens compute for display: the rows while
// they are edited, the text of a diagnostic, the causal hints. No rule of the work is decided
// here; the core checks every row when the draft is saved, issued and signed.
import type {
  Asset,
  CauseOption,
  DecommissionCause,
  DecommissionItem,
  DecommissionItemInput,
  DecommissionReport,
  Diagnostic,
  DiagnosticBrief,
  WarehouseEntry,
  WarehouseReviewItemInput,
} from "../backend";
import { formatPlainDate } from "../format";

/** A row of the informe while it is edited. */
export type BajaRow = {
  asset_id: string;
  code: string;
  equipment: string;
  brand: string | null;
  cause: DecommissionCause;
  remarks: string;
  /** Read when the asset is added; the store copies it into the row when the draft is saved. */
  diagnostic: DiagnosticBrief | null;
};

/** An asset chosen in the lookup: causal O by default (the most common in the warehouse). */
export function rowFromAsset(a: Asset, cause: DecommissionCause = "O"): BajaRow {
  return { asset_id: a.id, code: a.code, equipment: a.denomination, brand: a.brand, cause, remarks: "", diagnostic: null };
}

/** A saved row back to its editable form. */
export function rowFromItem(i: DecommissionItem): BajaRow {
  return {
    asset_id: i.asset_id,
    code: i.code,
    equipment: [i.equipment, i.model].filter(Boolean).join(" "),
    brand: i.brand,
    cause: i.cause,
    remarks: i.remarks ?? "",
    diagnostic: i.last_diagnostic,
  };
}

/** The newest of an asset's diagnostics (`diagnostics_of_asset`, newest first) as a row shows it. */
export function latestBrief(diagnostics: readonly Diagnostic[]): DiagnosticBrief | null {
  const d = diagnostics[0];
  return d ? { id: d.id, date: d.date, result: d.result, findings: d.findings } : null;
}

/** What the form sends. */
export function rowInputs(rows: readonly BajaRow[]): DecommissionItemInput[] {
  return rows.map((r) => ({ asset_id: r.asset_id, cause: r.cause, remarks: r.remarks.trim() || null }));
}

/** "Inoperativo (23/11/2026): placa madre en corto", as the PDF prints it; "" when none. */
export function diagnosticText(d: DiagnosticBrief | null | undefined): string {
  if (!d) return "";
  const head = `${d.result === "inoperativo" ? "Inoperativo" : "Operativo"} (${formatPlainDate(d.date)})`;
  return d.findings.trim() ? `${head}: ${d.findings.trim()}` : head;
}

/** What a causal asks for, as a hint under the select ("" when nothing). */
export function causeHint(c: CauseOption | undefined): string {
  if (!c) return "";
  if (c.needs_inoperative) return "Requiere que el último diagnóstico diga «Inoperativo».";
  if (c.needs_diagnostic) return "Requiere un diagnóstico del bien.";
  if (c.needs_remark) return "Escriba en «Observaciones» cuál es la causal.";
  return "";
}

/** The codes of the report's assets, for the list ("740899500123, 740880370077"). */
export function assetCodes(r: DecommissionReport): string {
  return r.items.map((i) => i.code).join(", ");
}

/** The conclusion printed under section III (fixed text of the form). */
export function conclusionText(count: number): string {
  return `Se propone la baja de ${count} bien(es) por las causales indicadas, y se remite el presente informe para el trámite de baja ante la Oficina de Administración, conforme a la normativa del Sistema Nacional de Abastecimiento.`;
}

/** One line of the warehouse review while it is edited. */
export type ReviewMark = { obsolete: boolean; remarks: string };

/** The review's rows: every listed asset, obsolete or not (the review covers all of them). */
export function reviewInputs(
  stock: readonly WarehouseEntry[],
  marks: Readonly<Record<string, ReviewMark>>,
): WarehouseReviewItemInput[] {
  return stock.map((e) => {
    const m = marks[e.asset_id];
    return { asset_id: e.asset_id, obsolete: m?.obsolete ?? false, remarks: m?.remarks.trim() || null };
  });
}
