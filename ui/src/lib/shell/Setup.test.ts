// First-run setup says everything that is missing at once, in the order of the fields, with the
// focus on the first; only a complete form reaches the backend.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import Setup from "./Setup.svelte";

const UNITS = [{ code: "UT-CUSCO", name: "UT Cusco", kind: "ut" }];

beforeEach(() => {
  invoke.mockReset();
  invoke.mockImplementation(async (command: string) => (command === "setup_units" ? UNITS : null));
});
afterEach(() => cleanup());

describe("Setup", () => {
  it("shows every missing field at once and focuses the first", async () => {
    render(Setup, { dbPath: "/tmp/chaski.db", onDone: vi.fn() });
    await waitFor(() => expect(screen.getByRole("option", { name: "UT Cusco" })).toBeTruthy());
    const dni = document.getElementById("setup-dni") as HTMLInputElement;
    dni.value = "4567890";
    await fireEvent.input(dni);
    await fireEvent.submit(document.querySelector("form")!);

    expect(document.getElementById("setup-unit-error")?.textContent).toContain("Unidad");
    expect(document.getElementById("setup-last-names-error")?.textContent).toContain("Apellidos");
    expect(document.getElementById("setup-first-names-error")?.textContent).toContain("Nombres");
    expect(document.getElementById("setup-dni-error")?.textContent).toContain("8 dígitos");
    expect(document.getElementById("setup-dni")?.getAttribute("aria-describedby")).toBe("setup-dni-error");
    expect(document.activeElement?.id).toBe("setup-unit");
    expect(invoke).not.toHaveBeenCalledWith("app_setup", expect.anything());
  });
});
