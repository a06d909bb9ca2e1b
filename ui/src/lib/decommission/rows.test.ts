import { describe, expect, it } from "vitest";
import type { CauseOption, DecommissionItem, WarehouseEntry } from "../backend";
import { causeHint, conclusionText, diagnosticText, latestBrief, reviewInputs, rowFromItem, rowInputs } from "./rows";

const cause = (code: string, d: boolean, i: boolean, r: boolean): CauseOption => ({
  code,
  label: code,
  needs_diagnostic: d,
  needs_inoperative: i,
  needs_remark: r,
});

describe("informe de baja rows", () => {
  const item: DecommissionItem = {
    asset_id: "a1",
    code: "740899500123",
    equipment: "UNIDAD CENTRAL DE PROCESO - CPU",
    brand: "Dell",
    model: "OptiPlex 380",
    serial: "7XK2L41",
    condition: "M",
    cause: "M",
    last_diagnostic: { id: "d1", date: "2026-11-20", result: "inoperativo", findings: " Placa en corto " },
    remarks: null,
  };

  it("turns a saved row into an editable one and back", () => {
    const row = rowFromItem(item);
    expect(row.equipment).toBe("UNIDAD CENTRAL DE PROCESO - CPU OptiPlex 380");
    expect(row.remarks).toBe("");
    expect(rowInputs([{ ...row, remarks: "  Sin disco " }])).toEqual([
      { asset_id: "a1", cause: "M", remarks: "Sin disco" },
    ]);
    expect(rowInputs([row])[0]!.remarks).toBeNull();
  });

  it("prints the diagnostic as the PDF does", () => {
    expect(diagnosticText(item.last_diagnostic)).toBe("Inoperativo (20/11/2026): Placa en corto");
    expect(diagnosticText({ id: "d", date: "2026-01-05", result: "operativo", findings: "" })).toBe(
      "Operativo (05/01/2026)",
    );
    expect(diagnosticText(null)).toBe("");
  });

  it("takes the newest diagnostic of the asset", () => {
    expect(latestBrief([])).toBeNull();
    const newest = { id: "d2", date: "2026-11-22", result: "inoperativo", findings: "Fuente quemada" };
    const rows = [newest, { ...newest, id: "d1", date: "2026-10-01", result: "operativo" }] as unknown as Parameters<
      typeof latestBrief
    >[0];
    expect(latestBrief(rows)).toEqual(newest);
  });

  it("says what each causal asks for", () => {
    expect(causeHint(cause("M", true, true, false))).toContain("Inoperativo");
    expect(causeHint(cause("O", true, false, false))).toContain("diagnóstico");
    expect(causeHint(cause("S", false, false, true))).toContain("Observaciones");
    expect(causeHint(cause("E", false, false, false))).toBe("");
    expect(conclusionText(2)).toContain("baja de 2 bien(es)");
  });
});

describe("warehouse review", () => {
  const entry = (id: string): WarehouseEntry => ({
    asset_id: id,
    code: "74089950000" + id.slice(-1),
    denomination: "CPU",
    kind: "cpu",
    brand: null,
    model: null,
    serial: null,
    condition: "R",
    operability: "operativo",
    last_diagnostic: null,
    proposed_in: null,
    last_review_date: null,
    last_review_obsolete: null,
  });

  it("covers every listed asset, with the marks typed", () => {
    expect(
      reviewInputs([entry("a1"), entry("a2")], { a2: { obsolete: true, remarks: " No admite Windows 11 " } }),
    ).toEqual([
      { asset_id: "a1", obsolete: false, remarks: null },
      { asset_id: "a2", obsolete: true, remarks: "No admite Windows 11" },
    ]);
  });
});
