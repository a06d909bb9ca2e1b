// The decisions of the document panel and the sign dialog: signature lines per form, version
// chains and which version can be signed, and what "Firmar" sends.
import { describe, expect, it } from "vitest";
import type { GeneratedDocument } from "../backend";
import { canSign, chains, defaultReason, formatSize, padsFor, signRequest, suggestedName } from "./panel";

function doc(id: string, version: number, previous: string | null, signatures = version - 1): GeneratedDocument {
  return {
    id, unit_code: "UT-CUSCO", kind: "cargo-asignacion", number: "N° 007-2026", source_id: "s",
    version, previous_id: previous, content_sha256: "c".repeat(64), file_sha256: "f".repeat(64),
    file_size: 40_000, signature_count: signatures, created_at: "2026-11-23T15:00:00Z", created_by: "t",
  };
}

describe("padsFor", () => {
  it("gives each form its two signature lines", () => {
    expect(padsFor("assignment").map((p) => p.label)).toEqual([
      "Firma del servidor/a",
      "Firma del servidor/a de la UAST",
    ]);
    expect(padsFor("assignment").map((p) => p.role)).toEqual(["employee", "technician"]);
    expect(padsFor("register").map((p) => p.role)).toEqual(["technician", "approver"]);
    expect(padsFor("transfer").map((p) => p.role)).toEqual(["technician", "employee"]);
    expect(padsFor("decommission").map((p) => p.role)).toEqual(["technician", "approver"]);
    expect(padsFor("diagnostic")).toEqual([
      { role: "technician", label: "Diagnosticado por" },
      { role: "employee", label: "Recibe (usuario/a o proveedor)" },
    ]);
  });
});

describe("chains", () => {
  it("groups versions by previous_id, newest document first, and only the latest is signable", () => {
    const a1 = doc("a1", 1, null);
    const a2 = doc("a2", 2, "a1");
    const b1 = doc("b1", 1, null);
    const a3 = doc("a3", 3, "a2");
    const grouped = chains([a1, a2, b1, a3]);
    expect(grouped.map((c) => c.first.id)).toEqual(["b1", "a1"]);
    const a = grouped[1]!;
    expect(a.versions.map((v) => v.id)).toEqual(["a1", "a2", "a3"]);
    expect(a.latest.id).toBe("a3");
    expect(canSign(a3, a)).toBe(true);
    expect(canSign(a2, a)).toBe(false);
    expect(canSign(b1, grouped[0]!)).toBe(true);
  });

  it("survives an empty list and a broken chain", () => {
    expect(chains([])).toEqual([]);
    // A version whose predecessor is missing is not shown as a document of its own.
    expect(chains([doc("x2", 2, "missing")])).toEqual([]);
  });
});

describe("signRequest", () => {
  const form = { pfxPath: " /home/ana/firma.pfx ", password: "secreta", remember: true, reason: "author" as const };

  it("asks for the PFX file first", () => {
    const r = signRequest("d", { ...form, pfxPath: "  " }, { keyringAvailable: true, passwordRemembered: false });
    expect(r).toEqual({ ok: false, field: "pfx_path", message: expect.stringContaining("PFX") });
  });

  it("asks for the password unless one is remembered", () => {
    const r = signRequest("d", { ...form, password: "" }, { keyringAvailable: true, passwordRemembered: false });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.field).toBe("password");
    const remembered = signRequest("d", { ...form, password: "" }, { keyringAvailable: true, passwordRemembered: true });
    expect(remembered).toEqual({
      ok: true,
      request: { id: "d", pfx_path: "/home/ana/firma.pfx", password: null, remember: false, reason: "author" },
    });
  });

  it("remembers only a typed password, and only with a keyring", () => {
    const yes = signRequest("d", form, { keyringAvailable: true, passwordRemembered: false });
    expect(yes.ok && yes.request.remember).toBe(true);
    expect(yes.ok && yes.request.password).toBe("secreta");
    const noKeyring = signRequest("d", form, { keyringAvailable: false, passwordRemembered: false });
    expect(noKeyring.ok && noKeyring.request.remember).toBe(false);
  });
});

describe("small helpers", () => {
  it("proposes the author first and V° B° after", () => {
    expect(defaultReason(0)).toBe("author");
    expect(defaultReason(1)).toBe("approval");
  });

  it("formats sizes and file names", () => {
    expect(formatSize(512)).toBe("512 B");
    expect(formatSize(66_700)).toBe("65.1 KB");
    expect(formatSize(3 * 1024 * 1024)).toBe("3.0 MB");
    expect(suggestedName(doc("a", 2, "x"))).toBe("cargo-asignacion-007-2026-v2.pdf");
    expect(suggestedName({ ...doc("r", 1, null), kind: "registro-atenciones", number: null })).toBe("registro-atenciones-v1.pdf");
  });
});
