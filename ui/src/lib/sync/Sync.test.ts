// The Sincronización screen: refusals next to their field, the progress bar during a pull from
// the background's events, and a conflict resolved with the value the person picks.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import type { SyncStatus } from "../backend";
import { syncStatus } from "./testing";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
let emit: ((s: SyncStatus) => void) | null = null;
vi.mock("@tauri-apps/api/event", () => ({
  listen: (_name: string, handler: (e: { payload: SyncStatus }) => void) => {
    emit = (payload) => handler({ payload });
    return Promise.resolve(() => (emit = null));
  },
}));

import Sync from "./Sync.svelte";

/** Answers commands by name; anything else fails the test. */
function backendAnswers(answers: Record<string, (args: Record<string, unknown>) => unknown>) {
  invoke.mockImplementation((cmd: string, args: Record<string, unknown>) => {
    const answer = answers[cmd];
    if (!answer) return Promise.reject(`unexpected command ${cmd}`);
    try {
      return Promise.resolve(answer(args));
    } catch (e) {
      return Promise.reject(e);
    }
  });
}

beforeEach(() => {
  invoke.mockReset();
});
afterEach(() => cleanup());

describe("Sync screen", () => {
  it("shows a refused server address next to its field and focuses it", async () => {
    backendAnswers({
      sync_status: () => syncStatus({ config: { server_url: null, ca_file: null }, activity: "no_configurada", enrolled: false }),
      sync_rejections: () => [],
      sync_configure: () => {
        throw { code: "valor_invalido", field: "server_url", message: "La dirección del servidor «x» no es válida: debe empezar con https://." };
      },
    });
    render(Sync);
    await screen.findByText("Sin sincronización");
    const url = screen.getByLabelText(/Dirección del servidor/) as HTMLInputElement;
    url.value = "x";
    await fireEvent.input(url);
    await fireEvent.submit(url.closest("form")!);
    const msg = await screen.findByText(/debe empezar con https/);
    expect(msg.id).toBe("sync-url-error");
    expect(url.getAttribute("aria-invalid")).toBe("true");
    await waitFor(() => expect(document.activeElement).toBe(url));
    expect(invoke).toHaveBeenCalledWith("sync_configure", { input: { server_url: "x", ca_file: null } });
  });

  it("enrols with the code and shows a wrong code on the code field", async () => {
    backendAnswers({
      sync_status: () => syncStatus({ enrolled: false, activity: "sin_inscribir" }),
      sync_rejections: () => [],
      sync_enroll: () => {
        throw { code: "codigo_inscripcion_invalido", field: "code", message: "El código de inscripción no es válido: no existe, ya se usó o venció." };
      },
    });
    render(Sync);
    await screen.findByText(/Equipo sin inscribir/);
    const code = document.getElementById("sync-code") as HTMLInputElement;
    code.value = "2222-2222-2222";
    await fireEvent.input(code);
    await fireEvent.submit(code.closest("form")!);
    expect((await screen.findByText(/ya se usó o venció/)).id).toBe("sync-code-error");
    expect(invoke).toHaveBeenCalledWith("sync_enroll", { input: { code: "2222-2222-2222", device_name: null } });
  });

  it("follows the background's events: progress bar during a pull, then the error in Spanish", async () => {
    backendAnswers({ sync_status: () => syncStatus(), sync_rejections: () => [] });
    render(Sync);
    await screen.findByText(/Sincronizado/);
    emit!(syncStatus({ activity: "sincronizando", progress: { stage: "recibiendo", unit: "UT-CUSCO", done: 2000, total: 8000 } }));
    const bar = (await screen.findByRole("progressbar")) as HTMLProgressElement;
    expect(bar.value).toBe(25);
    expect(screen.getByText(/Recibiendo UT-CUSCO/)).toBeTruthy();
    emit!(syncStatus({
      activity: "sin_conexion",
      pending_changes: 3,
      last_error: { code: "servidor_inalcanzable", field: null, message: "Sin conexión con el servidor central. Puede seguir trabajando." },
    }));
    expect(await screen.findByText(/Sin conexión · 3 cambios pendientes/)).toBeTruthy();
    expect(screen.getByRole("alert").textContent).toMatch(/Puede seguir trabajando/);
    expect(screen.queryByRole("progressbar")).toBeNull();
  });

  it("lists a conflict with both values and keeps the one the person picks", async () => {
    backendAnswers({
      sync_status: () => syncStatus(),
      sync_rejections: () => [],
      sync_conflicts: () => [{
        conflict_id: "c1", entity: "attention", entity_label: "atención", entity_id: "a1", field: "problem",
        winner_value: "Versión de A", loser_value: "Versión de B", winner_is_mine: false, loser_is_mine: true,
      }],
      sync_resolve: () => syncStatus({ pending_changes: 1 }),
    });
    render(Sync);
    await fireEvent.click(await screen.findByRole("button", { name: "Consultar conflictos" }));
    expect(await screen.findByText("Versión de A")).toBeTruthy();
    expect(screen.getByText("Versión de B")).toBeTruthy();
    expect(screen.getByText(/\(de este equipo\)/)).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Usar el otro" }));
    await waitFor(() => expect(invoke).toHaveBeenCalledWith("sync_resolve", { input: { conflict_id: "c1", keep: "loser" } }));
    await waitFor(() => expect(screen.queryByText("Versión de A")).toBeNull());
  });
});
