// The asset lookup of the attention form and of the cargo tables: it searches the register as
// the person types (through the backend's asset list), Enter picks the only match, and assets
// already in the table are not offered again.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import AssetLookup from "./AssetLookup.svelte";

const cpu = {
  id: "a1", unit_code: "UT-CUSCO", code: "740899500012", denomination: "UNIDAD CENTRAL DE PROCESO - CPU",
  kind: "cpu", brand: "HP", model: "ProDesk 400", serial: "MXL2041ABC", color: null, condition: "B",
  operability: "operativo", warranty_end: null, site: "Sede Wanchaq", office: "Logística", custodian_id: "p1",
  custodian_name: "HUAMÁN TORRES, Luis", status: "en_uso", in_warehouse: false, remarks: null,
  created_at: "2026-11-23T15:00:00Z", updated_at: "2026-11-23T15:00:00Z",
};

beforeEach(() => invoke.mockReset());
afterEach(() => cleanup());

async function type(text: string) {
  const box = document.getElementById("lk") as HTMLInputElement;
  box.value = text;
  await fireEvent.input(box);
  return box;
}

describe("AssetLookup", () => {
  it("searches by what is typed and Enter picks the only match, keeping its code", async () => {
    invoke.mockResolvedValue({ items: [cpu], page: { number: 1, size: 8 }, total: 1, total_exact: true });
    const onSelect = vi.fn();
    render(AssetLookup, { id: "lk", keepText: true, onSelect });
    const box = await type("mxl2041");
    await screen.findByText(/A cargo de HUAMÁN TORRES, Luis/);
    expect(invoke).toHaveBeenLastCalledWith("assets_list", {
      filter: expect.objectContaining({ q: "mxl2041", kind: null }),
      page: { number: 1, size: 8 },
    });
    await fireEvent.keyDown(box, { key: "Enter" });
    expect(onSelect).toHaveBeenCalledWith(cpu);
    expect(box.value).toBe("740899500012");
    expect(screen.queryByRole("listbox")).toBeNull();
  });

  it("does not offer an asset already chosen, and says when nothing matches", async () => {
    invoke.mockResolvedValue({ items: [cpu], page: { number: 1, size: 8 }, total: 1, total_exact: true });
    render(AssetLookup, { id: "lk", exclude: ["a1"], onSelect: vi.fn() });
    await type("7408");
    await screen.findByText(/Ningún bien coincide con «7408»/);
    expect(screen.queryByText(/A cargo de/)).toBeNull();
  });

  it("shows the backend's message when the search fails", async () => {
    invoke.mockRejectedValueOnce({ code: "base_bloqueada", message: "La base de datos está ocupada; inténtelo otra vez." });
    render(AssetLookup, { id: "lk", onSelect: vi.fn() });
    await type("74");
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("ocupada"));
  });
});
