// The cargo and traslado forms' action runner: one action at a time, the core's refusal next to
// the field or table it names (focus on the table's lookup), a typed date checked before sending.
import { afterEach, describe, expect, it } from "vitest";
import { DocActions, documentDate } from "./form.svelte";

afterEach(() => (document.body.innerHTML = ""));

describe("DocActions", () => {
  it("shows a refusal about a table next to it and focuses the table's lookup", async () => {
    document.body.innerHTML = `<input id="cargo-assigned-add" /><input id="cargo-date" />`;
    const a = new DocActions("cargo", ["date", "assigned"], ["assigned"]);
    await a.run(async () => {
      throw { code: "bien_no_disponible", message: "El bien 740899500001 está asignado a MAMANI QUISPE, Rosa.", field: "assigned" };
    }, "Cargo emitido.");
    expect(a.err("assigned")).toContain("está asignado a");
    expect(a.desc("assigned")).toBe("cargo-assigned-error");
    expect(a.notice).toBeNull();
    expect(a.busy).toBe(false);
    expect(document.activeElement?.id).toBe("cargo-assigned-add");
  });

  it("puts a refusal about no field of the form in the banner, and reports success", async () => {
    const a = new DocActions("cargo", ["date"], []);
    await a.run(async () => {
      throw { code: "transicion_no_permitida", message: "Un borrador no puede firmarse: emítalo primero.", field: null };
    }, "x");
    expect(a.errors.general).toContain("emítalo primero");
    await a.run(async () => {}, "Firmas registradas.");
    expect(a.errors.general).toBeNull();
    expect(a.notice).toBe("Firmas registradas.");
  });

  it("runs one action at a time", async () => {
    const a = new DocActions("cargo", [], []);
    let release = () => {};
    let calls = 0;
    const first = a.run(() => { calls++; return new Promise<void>((r) => (release = r)); }, "uno");
    await a.run(async () => { calls++; }, "dos");
    release();
    await first;
    expect(calls).toBe(1);
    expect(a.notice).toBe("uno");
  });

  it("reads the document date as dd/mm/aaaa and refuses anything else next to the date", async () => {
    expect(documentDate("23/11/2026")).toBe("2026-11-23");
    document.body.innerHTML = `<input id="cargo-date" />`;
    const a = new DocActions("cargo", ["date"], []);
    await a.run(async () => documentDate("31/02/2026"), "x");
    expect(a.err("date")).toContain("dd/mm/aaaa");
    expect(document.activeElement?.id).toBe("cargo-date");
  });
});
