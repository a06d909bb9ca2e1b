// The typed backend module: right command names and argument shapes, and every rejection
// parsed once into a BackendError. Only Tauri's `invoke` is mocked, at the module boundary.
import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import { backend, BackendError, commands, events, type AttentionInput, type NewPerson } from "./index";

const input: AttentionInput = {
  received_at: null,
  requester_id: "0190a0b2-0000-7000-8000-000000000001",
  office: "Abastecimiento",
  channel: "telefono",
  kind: "incidencia",
  service_code: "averia_hardware.impresoras",
  priority: 2,
  problem: "La impresora no imprime",
  solution: null,
  asset_code: null,
  technician_id: null,
};

beforeEach(() => invoke.mockReset());

describe("backend", () => {
  it("calls each command by its Rust name with named arguments", async () => {
    invoke.mockResolvedValueOnce({ attention: { id: "x" } });
    const out = await backend.attentions.create(input);
    expect(invoke).toHaveBeenCalledWith("attention_create", { input });
    expect(out).toEqual({ attention: { id: "x" } });

    invoke.mockResolvedValueOnce({ items: [], page: { number: 1, size: 50 }, total: 0 });
    await backend.attentions.list(
      { statuses: [], priority: null, kind: null, channel: null, category_code: null, service_code: null,
        technician_id: null, requester_id: null, from: null, to: null, text: "impresion" },
      { number: 1, size: 50 },
    );
    expect(invoke).toHaveBeenLastCalledWith("attentions_list", expect.objectContaining({ page: { number: 1, size: 50 } }));

    invoke.mockResolvedValueOnce({ attention: { id: "x" } });
    await backend.attentions.transition("x", { action: "resolve", solution: "Se cambió el tóner" });
    expect(invoke).toHaveBeenLastCalledWith("attention_transition", {
      id: "x",
      transition: { action: "resolve", solution: "Se cambió el tóner" },
    });

    invoke.mockResolvedValueOnce({ phase: "needs_setup", db_path: "/tmp/chaski.sqlite3" });
    expect(await backend.app.status()).toEqual({ phase: "needs_setup", db_path: "/tmp/chaski.sqlite3" });
    expect(invoke).toHaveBeenLastCalledWith("app_status", {});
  });

  it("turns the core's refusal into a BackendError with code, message and field", async () => {
    invoke.mockRejectedValueOnce({
      code: "solucion_requerida",
      message: "Describa la solución antes de marcar la atención como Atendida.",
      field: "solution",
    });
    const err = await backend.attentions.transition("x", { action: "resolve", solution: null }).catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.code).toBe("solucion_requerida");
    expect(err.field).toBe("solution");
    expect(err.message).toContain("solución");
  });

  it("keeps the existing person of a duplicate DNI", async () => {
    const existing = { id: "p1", last_names: "Quispe", first_names: "Ana", dni: "12345678" };
    invoke.mockRejectedValueOnce({
      code: "dni_duplicado",
      message: "Ya hay una persona con el DNI 12345678.",
      field: "dni",
      existing_person: existing,
    });
    const person: NewPerson = { last_names: "Quispe", first_names: "Ana", dni: "12345678", phones: [], email: null, office: null };
    const err = await backend.persons.create(person).catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.existingPerson).toEqual(existing);
  });

  it("never shows a raw Tauri failure as if it were the person's fault", async () => {
    invoke.mockRejectedValueOnce("command attention_create not found");
    const err = await backend.attentions.create(input).catch((e) => e);
    expect(err).toBeInstanceOf(BackendError);
    expect(err.code).toBe("ipc_failed");
    expect(err.field).toBeUndefined();
    expect(err.message).toContain("command attention_create not found");
    expect(err.message).not.toMatch(/algo salió mal/i);
  });

  it("reaches every generated command and event listener from the namespaced object", () => {
    const reachable = new Set<unknown>();
    const walk = (node: object) => {
      for (const value of Object.values(node)) {
        if (typeof value === "function") reachable.add(value);
        else if (value && typeof value === "object") walk(value);
      }
    };
    walk(backend);
    const missing = [...Object.entries(commands), ...Object.entries(events)]
      .filter(([, fn]) => !reachable.has(fn))
      .map(([name]) => name);
    expect(missing).toEqual([]);
  });
});
