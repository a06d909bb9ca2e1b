// The asset screens' display helpers: document numbers, import progress, the rows of a cargo
// while edited, months for Patrimonio's list.
import { describe, expect, it } from "vitest";
import type { Asset } from "../backend";
import {
  addItem,
  docNumberText,
  itemFromAsset,
  itemInputs,
  labelOf,
  limaToday,
  monthlyFileName,
  parseMonth,
  progressPercent,
  progressText,
  recentMonths,
} from "./index";

const asset = (id: string, code: string): Asset => ({
  id, unit_code: "UT-CUSCO", code, denomination: "UNIDAD CENTRAL DE PROCESO - CPU", kind: "cpu", brand: "HP",
  model: null, serial: null, color: null, condition: "B", operability: "operativo", warranty_end: null,
  site: null, office: null, custodian_id: null, custodian_name: null, status: "en_almacen", in_warehouse: true,
  remarks: null, created_at: "2026-11-23T15:00:00Z", updated_at: "2026-11-23T15:00:00Z",
});

describe("asset helpers", () => {
  it("formats document numbers as N° 007-2026, and nothing for a draft", () => {
    expect(docNumberText({ kind: "assignment", unit_code: "UT-CUSCO", year: 2026, seq: 7 })).toBe("N° 007-2026");
    expect(docNumberText({ kind: "transfer", unit_code: "UT-CUSCO", year: 2027, seq: 1234 })).toBe("N° 1234-2027");
    expect(docNumberText(null)).toBe("");
  });

  it("labels codes from the catalogs and falls back to the code", () => {
    const list = [{ code: "B", label: "Bueno" }];
    expect(labelOf(list, "B")).toBe("Bueno");
    expect(labelOf(list, "Z")).toBe("Z");
    expect(labelOf(list, null)).toBe("");
  });

  it("reports import progress in whole percent and in Spanish", () => {
    expect(progressPercent(null)).toBe(0);
    expect(progressPercent({ phase: "revision", done: 0, total: 0 })).toBe(0);
    expect(progressPercent({ phase: "revision", done: 500, total: 20000 })).toBe(2);
    expect(progressPercent({ phase: "escritura", done: 20000, total: 20000 })).toBe(100);
    expect(progressText({ phase: "revision", done: 500, total: 20000 })).toMatch(/^Revisando fila 500 de 20.000$/);
    expect(progressText({ phase: "escritura", done: 250, total: 1000 })).toMatch(/^Guardando fila 250 de 1.000$/);
  });

  it("keeps each asset once in a document table and sends empty remarks as none", () => {
    const a = itemFromAsset(asset("a", "740899500012"));
    let rows = addItem([], a);
    rows = addItem(rows, { ...a, remarks: "otra vez" });
    expect(rows).toHaveLength(1);
    rows = addItem(rows, itemFromAsset(asset("b", "740880370020")));
    rows[1]!.remarks = "  con cable  ";
    expect(itemInputs(rows)).toEqual([
      { asset_id: "a", remarks: null },
      { asset_id: "b", remarks: "con cable" },
    ]);
  });

  it("computes Lima's date, months and the CSV file name", () => {
    // 02:00 UTC on 1 December is still 30 November in Lima.
    expect(limaToday(new Date("2026-12-01T02:00:00Z"))).toBe("2026-11-30");
    expect(limaToday(new Date("2026-12-01T05:00:00Z"))).toBe("2026-12-01");
    expect(parseMonth("2026-11")).toEqual({ year: 2026, month: 11 });
    expect(parseMonth("2026-13")).toBeNull();
    expect(parseMonth("noviembre")).toBeNull();
    const months = recentMonths("2026-02-10", 3);
    expect(months.map((m) => m.value)).toEqual(["2026-02", "2026-01", "2025-12"]);
    expect(months[2]!.label).toBe("diciembre de 2025");
    expect(monthlyFileName("UT-CUSCO", 2026, 3)).toBe("movimientos-UT-CUSCO-2026-03.csv");
  });
});

describe("document links of the asset page", () => {
  it("opens each kind on its own screen, with its name", async () => {
    const { docLinkKind, docLinkLabel } = await import("./index");
    expect(docLinkKind("transfer")).toBe("transfer");
    expect(docLinkKind("decommission")).toBe("decommission");
    expect(docLinkKind("assignment")).toBe("assignment");
    expect(docLinkLabel("decommission")).toBe("Informe de baja");
    expect(docLinkLabel("assignment")).toBe("Cargo");
  });
});
