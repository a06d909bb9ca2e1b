// The person form shows the core's refusals where they belong: next to the field, with
// aria-invalid and the focus on it; and a duplicate DNI offers the existing person.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

import PersonForm from "./PersonForm.svelte";

beforeEach(() => invoke.mockReset());
afterEach(() => cleanup());

function fill(label: string, value: string) {
  const el = screen.getByLabelText(label, { exact: false }) as HTMLInputElement;
  el.value = value;
  return fireEvent.input(el);
}

describe("PersonForm", () => {
  it("shows the DNI refusal next to the DNI field and focuses it", async () => {
    invoke.mockRejectedValueOnce({
      code: "dni_invalido",
      message: "El DNI debe tener exactamente 8 dígitos (por ejemplo, 04567890).",
      field: "dni",
    });
    const onSaved = vi.fn();
    render(PersonForm, { onSaved, onCancel: vi.fn() });
    await fill("Apellidos", "Huamán Torres");
    await fill("Nombres", "Luis");
    await fill("DNI", "1234");
    await fireEvent.submit(screen.getByRole("button", { name: /Registrar/ }).closest("form")!);

    const message = await screen.findByText(/exactamente 8 dígitos/);
    expect(message.id).toBe("person-dni-error");
    const dni = document.getElementById("person-dni")!;
    expect(dni.getAttribute("aria-invalid")).toBe("true");
    expect(dni.getAttribute("aria-describedby")).toBe("person-dni-error");
    expect(document.activeElement).toBe(dni);
    // Only the DNI is marked: the other fields are not.
    expect(document.getElementById("person-last-names")!.getAttribute("aria-invalid")).toBe("false");
    expect(onSaved).not.toHaveBeenCalled();
    expect(invoke).toHaveBeenCalledWith("person_create", {
      input: { last_names: "Huamán Torres", first_names: "Luis", dni: "1234", phones: [], email: null, office: null },
    });
  });

  it("offers the existing person when the DNI is already registered", async () => {
    const existing = {
      id: "0190a0b2-0000-7000-8000-000000000009", unit_code: "UT-CUSCO", last_names: "Quispe Mamani",
      first_names: "Rosa", dni: "45678901", phones: [], email: null, office: null,
      created_at: "2026-01-05T14:00:00Z", updated_at: "2026-01-05T14:00:00Z",
    };
    invoke.mockRejectedValueOnce({
      code: "dni_duplicado",
      message: "Ya está registrada una persona con el DNI 45678901.",
      field: "dni",
      existing_person: existing,
    });
    const onSaved = vi.fn();
    render(PersonForm, { onSaved, onCancel: vi.fn() });
    await fill("Apellidos", "Quispe");
    await fill("Nombres", "Rosa");
    await fill("DNI", "45678901");
    await fireEvent.submit(document.querySelector("form")!);

    await screen.findByText(/Ya está registrada una persona/);
    const offer = await screen.findByTestId("existing-person");
    expect(offer.textContent).toContain("QUISPE MAMANI, Rosa");
    await fireEvent.click(screen.getByRole("button", { name: "Usar esta persona" }));
    expect(onSaved).toHaveBeenCalledWith(existing);
  });

  it("shows an error about no field of the form as a banner, and Esc cancels", async () => {
    invoke.mockRejectedValueOnce({ code: "error_almacenamiento", message: "No se pudo guardar ni leer los datos.", field: null });
    const onCancel = vi.fn();
    render(PersonForm, { onSaved: vi.fn(), onCancel });
    await fireEvent.submit(document.querySelector("form")!);
    await waitFor(() => expect(screen.getByRole("alert").textContent).toContain("No se pudo guardar"));
    await fireEvent.keyDown(document.getElementById("person-first-names")!, { key: "Escape" });
    expect(onCancel).toHaveBeenCalled();
  });
});
