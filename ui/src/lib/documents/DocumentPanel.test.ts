// The document panel talks to the backend as the Rust side expects (generated_documents_of with the
// source, document_render with the drawn signatures) and the sign dialog shows refusals next to
// their field; "Recordar contraseña" appears only when a keyring answers.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/svelte";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));
vi.mock("@tauri-apps/plugin-dialog", () => ({ open: vi.fn(async () => null), save: vi.fn(async () => null) }));

import DocumentPanel from "./DocumentPanel.svelte";
import type { GeneratedDocument } from "../backend";

const v1: GeneratedDocument = {
  id: "0193a000-0000-7000-8000-000000000001", unit_code: "UT-CUSCO", kind: "cargo-asignacion",
  number: "N° 007-2026", source_id: "0193a000-0000-7000-8000-0000000000aa", version: 1, previous_id: null,
  content_sha256: "c".repeat(64), file_sha256: "f".repeat(64), file_size: 38_400, signature_count: 0,
  created_at: "2026-11-23T15:00:00Z", created_by: "t",
};

type Handler = (args: Record<string, unknown>) => unknown;

function backend(handlers: Record<string, Handler>) {
  invoke.mockImplementation(async (cmd: string, args: Record<string, unknown>) => {
    const h = handlers[cmd];
    if (!h) throw new Error(`unexpected command ${String(cmd)} ${JSON.stringify(args)}`);
    return h(args);
  });
}

beforeEach(() => {
  invoke.mockReset();
});
afterEach(() => cleanup());

describe("DocumentPanel", () => {
  it("lists the versions of its source and shows the cargo's two signature lines", async () => {
    backend({ generated_documents_of: () => [v1] });
    render(DocumentPanel, { kind: "assignment", sourceId: v1.source_id });
    await screen.findByText("Versión 1");
    expect(invoke).toHaveBeenCalledWith("generated_documents_of", {
      source: { kind: "assignment", source_id: v1.source_id, from: null, to: null },
    });
    expect(screen.getByText("Firma del servidor/a")).toBeTruthy();
    expect(screen.getByText("Firma del servidor/a de la UAST")).toBeTruthy();
    expect(screen.getByText("sin firma digital")).toBeTruthy();
  });

  it("generates a PDF for the register's period without drawn signatures", async () => {
    let rendered: unknown = null;
    let listed: GeneratedDocument[] = [];
    backend({
      generated_documents_of: () => listed,
      document_render: (args) => {
        rendered = args;
        listed = [{ ...v1, kind: "registro-atenciones", number: null }];
        return listed[0];
      },
    });
    const onchange = vi.fn();
    render(DocumentPanel, { kind: "register", from: "2026-11-01", to: "2026-11-30", onchange });
    await screen.findByText(/Aún no se generó/);
    await fireEvent.click(screen.getByRole("button", { name: "Generar PDF" }));
    await screen.findByText(/PDF generado \(versión 1/);
    expect(rendered).toEqual({
      input: {
        source: { kind: "register", source_id: null, from: "2026-11-01", to: "2026-11-30" },
        hand_signatures: [],
        approver: null,
      },
    });
    await waitFor(() => expect(onchange).toHaveBeenCalledTimes(1));
  });

  it("shows a wrong password next to the password and hides 'Recordar' without a keyring", async () => {
    backend({
      generated_documents_of: () => [v1],
      keyring_status: () => false,
      certificate_file: () => ({ fingerprint: "a".repeat(64), password_remembered: false }),
      document_sign: () => {
        throw {
          code: "docs.pfx_wrong_password",
          message: "La contraseña del certificado digital (archivo PFX/P12) es incorrecta. Escríbala de nuevo.",
          field: "password",
        };
      },
    });
    render(DocumentPanel, { kind: "assignment", sourceId: v1.source_id });
    await fireEvent.click(await screen.findByRole("button", { name: "Firmar digitalmente" }));
    await screen.findByRole("dialog");
    expect(document.getElementById("sign-remember")).toBeNull();

    const pfx = document.getElementById("sign-pfx") as HTMLInputElement;
    pfx.value = "/home/ana/firma.pfx";
    await fireEvent.input(pfx);
    await fireEvent.change(pfx);
    const password = document.getElementById("sign-password") as HTMLInputElement;
    password.value = "equivocada";
    await fireEvent.input(password);
    await fireEvent.submit(password.closest("form")!);

    const message = await screen.findByText(/es incorrecta/);
    expect(message.id).toBe("sign-password-error");
    expect(password.getAttribute("aria-invalid")).toBe("true");
    expect(document.activeElement).toBe(password);
    const sent = invoke.mock.calls.find(([cmd]) => cmd === "document_sign")?.[1];
    expect(sent).toEqual({
      input: { id: v1.id, pfx_path: "/home/ana/firma.pfx", password: "equivocada", remember: false, reason: "author" },
    });
  });

  it("offers 'Recordar contraseña' when the keyring answers and signs with the remembered one", async () => {
    const signed = { ...v1, id: "0193a000-0000-7000-8000-000000000002", version: 2, previous_id: v1.id, signature_count: 1 };
    let list: GeneratedDocument[] = [v1];
    backend({
      generated_documents_of: () => list,
      keyring_status: () => true,
      certificate_file: () => ({ fingerprint: "a".repeat(64), password_remembered: true }),
      document_signatures: () => [],
      document_sign: () => {
        list = [v1, signed];
        return { document: signed, password_remembered: false, notice: null };
      },
    });
    render(DocumentPanel, { kind: "assignment", sourceId: v1.source_id });
    await fireEvent.click(await screen.findByRole("button", { name: "Firmar digitalmente" }));
    await waitFor(() => expect(document.getElementById("sign-remember")).not.toBeNull());
    const pfx = document.getElementById("sign-pfx") as HTMLInputElement;
    pfx.value = "/home/ana/firma.pfx";
    await fireEvent.input(pfx);
    await fireEvent.change(pfx);
    await screen.findByText(/Hay una contraseña recordada/);
    await fireEvent.submit(pfx.closest("form")!);
    await screen.findByText(/Documento firmado digitalmente \(versión 2\)/);
    const sent = invoke.mock.calls.find(([cmd]) => cmd === "document_sign")?.[1] as { input: { password: unknown } };
    expect(sent.input.password).toBeNull();
    // Only the latest version can be signed.
    expect(screen.getAllByRole("button", { name: "Firmar digitalmente" })).toHaveLength(1);
  });
});
