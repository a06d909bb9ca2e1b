// What the asset screens compute for display: document numbers, labels of closed lists, the
// import's progress, the rows of a cargo or traslado while they are edited, months. No rule of
// the work is decided here; the core checks every document when it is saved, issued and signed.
import type {
  Asset,
  AssetCatalogs,
  DocItem,
  DocItemInput,
  DocNumber,
  ImportProgress,
} from "../backend";

/** `{seq: 7, year: 2026}` → "N° 007-2026"; a draft has none. */
export function docNumberText(n: DocNumber | null | undefined): string {
  if (!n) return "";
  return `N° ${String(n.seq).padStart(3, "0")}-${n.year}`;
}

/** The label of a code in one of the asset catalogs (the code itself if unknown). */
export function labelOf(list: AssetCatalogs[keyof AssetCatalogs], code: string | null | undefined): string {
  if (!code) return "";
  return list.find((c) => c.code === code)?.label ?? code;
}

/** Percentage (0–100, whole) of an import phase. */
export function progressPercent(p: ImportProgress | null | undefined): number {
  if (!p || p.total <= 0) return 0;
  return Math.min(100, Math.floor((p.done / p.total) * 100));
}

const numberFormat = new Intl.NumberFormat("es-PE");

/** "Revisando fila 500 de 20 000" / "Guardando bien 250 de 20 000". */
export function progressText(p: ImportProgress | null | undefined): string {
  if (!p) return "";
  const done = numberFormat.format(p.done);
  const total = numberFormat.format(p.total);
  return p.phase === "revision" ? `Revisando fila ${done} de ${total}` : `Guardando fila ${done} de ${total}`;
}

/** A row of a document's table while it is edited: the asset as shown, and its remark. */
export type EditableItem = {
  asset_id: string;
  code: string;
  equipment: string;
  brand: string | null;
  remarks: string;
};

/** An asset chosen in the lookup becomes a table row (EQUIPO / MARCA / CÓDIGO SBN). */
export function itemFromAsset(a: Asset): EditableItem {
  return { asset_id: a.id, code: a.code, equipment: a.denomination, brand: a.brand, remarks: "" };
}

/** A saved document row back to its editable form. */
export function itemFromDoc(d: DocItem): EditableItem {
  return { asset_id: d.asset_id, code: d.code, equipment: d.equipment, brand: d.brand, remarks: d.remarks ?? "" };
}

/** Adds the row unless the asset is already in the table (the core would refuse the twin). */
export function addItem(items: EditableItem[], item: EditableItem): EditableItem[] {
  return items.some((i) => i.asset_id === item.asset_id) ? items : [...items, item];
}

/** What the form sends: the asset and its remark (empty → none). */
export function itemInputs(items: EditableItem[]): DocItemInput[] {
  return items.map((i) => ({ asset_id: i.asset_id, remarks: i.remarks.trim() || null }));
}

/** Today's date in Lima as "aaaa-mm-dd" (Lima is UTC−05:00 all year). */
export function limaToday(now: Date = new Date()): string {
  return new Date(now.getTime() - 5 * 3600_000).toISOString().slice(0, 10);
}

/** "aaaa-mm" → `{year, month}`, or null. */
export function parseMonth(text: string): { year: number; month: number } | null {
  const m = /^\s*(\d{4})-(\d{1,2})\s*$/.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? { year, month } : null;
}

const MONTHS = [
  "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
  "noviembre", "diciembre",
];

/** The last `count` months, newest first, as `{value: "2026-11", label: "noviembre de 2026"}`. */
export function recentMonths(today: string, count = 12): { value: string; label: string }[] {
  let year = Number(today.slice(0, 4));
  let month = Number(today.slice(5, 7));
  const out: { value: string; label: string }[] = [];
  for (let i = 0; i < count; i++) {
    out.push({ value: `${year}-${String(month).padStart(2, "0")}`, label: `${MONTHS[month - 1]} de ${year}` });
    month--;
    if (month === 0) {
      month = 12;
      year--;
    }
  }
  return out;
}

/** The file name proposed when saving a month's list: "movimientos-UT-CUSCO-2026-11.csv". */
export function monthlyFileName(unitCode: string, year: number, month: number): string {
  return `movimientos-${unitCode}-${year}-${String(month).padStart(2, "0")}.csv`;
}

/** Which screen opens a document named in an asset's history or documents list. */
export function docLinkKind(kind: string): "assignment" | "transfer" | "decommission" {
  return kind === "transfer" || kind === "decommission" ? kind : "assignment";
}

/** How that document is named on the asset's page. */
export function docLinkLabel(kind: string): string {
  return kind === "transfer" ? "Traslado" : kind === "decommission" ? "Informe de baja" : "Cargo";
}
