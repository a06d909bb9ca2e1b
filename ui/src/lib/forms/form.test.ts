// The one way forms show what is wrong and run their actions: one action at a time, the core's
// refusal next to the field or table it names (focus on the table's lookup), every problem found
// before sending shown at once in field order, a typed date checked before sending.
import { afterEach, describe, expect, it } from "vitest";
import { documentDate, FormState } from "./form.svelte";

afterEach(() => (document.body.innerHTML = ""));

describe("FormState", () => {
  it("shows a refusal about a table next to it and focuses the table's lookup", async () => {
    document.body.innerHTML = `<input id="cargo-assigned-add" /><input id="cargo-date" />`;
    const a = new FormState("cargo", ["date", "assigned"], { tables: ["assigned"] });
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
    const a = new FormState("cargo", ["date"]);
    await a.run(async () => {
      throw { code: "transicion_no_permitida", message: "Un borrador no puede firmarse: emítalo primero.", field: null };
    }, "x");
    expect(a.errors.general).toContain("emítalo primero");
    await a.run(async () => {}, "Firmas registradas.");
    expect(a.errors.general).toBeNull();
    expect(a.notice).toBe("Firmas registradas.");
  });

  it("runs one action at a time", async () => {
    const a = new FormState("cargo", []);
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
    const a = new FormState("cargo", ["date"]);
    await a.run(async () => documentDate("31/02/2026"), "x");
    expect(a.err("date")).toContain("dd/mm/aaaa");
    expect(document.activeElement?.id).toBe("cargo-date");
  });

  it("shows every problem found before sending at once, and focuses the first in field order", () => {
    document.body.innerHTML = `<input id="setup-unit" /><input id="setup-last-names" /><input id="setup-dni" />`;
    const f = new FormState("setup", ["unit_code", "last_names", "dni"], { ids: { unit_code: "setup-unit" } });
    // Given out of order: the focus still goes to the first field of the form.
    const ok = f.check({ dni: "Escriba los 8 dígitos del DNI.", unit_code: "Elija su unidad.", last_names: null });
    expect(ok).toBe(false);
    expect(f.err("dni")).toContain("8 dígitos");
    expect(f.err("unit_code")).toBe("Elija su unidad.");
    expect(f.err("last_names")).toBeUndefined();
    expect(f.desc("unit_code")).toBe("setup-unit-error");
    expect(f.desc("last_names", true)).toBe("setup-last-names-hint");
    expect(f.desc("last_names")).toBeUndefined();
    expect(document.activeElement?.id).toBe("setup-unit");
    expect(f.check({ dni: "" })).toBe(true);
  });

  it("computes the notice from the result and says whether the action succeeded", async () => {
    const f = new FormState("att", ["problem"]);
    expect(await f.run(async () => 7, (n) => `Atención N° ${n} registrada.`)).toBe(true);
    expect(f.notice).toBe("Atención N° 7 registrada.");
    expect(await f.run(async () => { throw { code: "campo_requerido", message: "Describa el problema.", field: "problem" }; })).toBe(false);
    expect(f.notice).toBeNull();
    expect(f.err("problem")).toBe("Describa el problema.");
  });
});
