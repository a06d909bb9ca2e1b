// A form's draft: kept as the person types, put back when the same form opens again, gone when
// the record is saved or the draft discarded; drafts of two databases never meet.
import { describe, expect, it } from "vitest";
import { Draft, setDraftScope, type DraftStorage } from "./draft.svelte";

function memoryStorage(): DraftStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (k) => data.get(k) ?? null,
    setItem: (k, v) => void data.set(k, v),
    removeItem: (k) => void data.delete(k),
  };
}

/** A form with two fields, as a component would hold them. */
function form(key: string, store: DraftStorage) {
  const f = $state({ problem: "", office: "" });
  const draft = new Draft(key, () => ({ ...f }), (kept) => Object.assign(f, kept), store);
  return { f, draft };
}

describe("Draft", () => {
  it("keeps what was typed and puts it back when the form opens again", () => {
    setDraftScope("device-1");
    const store = memoryStorage();
    const first = form("attention:new", store);
    first.draft.settle();
    expect(first.draft.changed).toBe(false);
    first.f.problem = "La impresora no imprime";
    expect(first.draft.changed).toBe(true);
    first.draft.keep();

    // Esc, a shortcut or a closed window: the form is gone; opened again, it comes back.
    const again = form("attention:new", store);
    expect(again.draft.settle()).toBe(true);
    expect(again.f.problem).toBe("La impresora no imprime");
    expect(again.draft.restoredAt).not.toBeNull();
    expect(again.draft.changed).toBe(true);
  });

  it("forgets the draft once the record is saved, or when it is discarded", () => {
    setDraftScope("device-1");
    const store = memoryStorage();
    const a = form("attention:new", store);
    a.draft.settle();
    a.f.problem = "Sin red";
    a.draft.keep();
    a.draft.saved();
    expect(a.draft.changed).toBe(false);
    expect(form("attention:new", store).draft.settle()).toBe(false);

    const b = form("attention:x", store);
    b.draft.settle();
    b.f.office = "Tesorería";
    b.draft.keep();
    b.draft.discard();
    expect(b.f.office).toBe("");
    expect(b.draft.restoredAt).toBeNull();
    expect(b.draft.changed).toBe(false);
    expect(form("attention:x", store).draft.settle()).toBe(false);
  });

  it("keeps nothing for a form without changes, and nothing crosses to another database", () => {
    const store = memoryStorage();
    setDraftScope("device-1");
    const a = form("attention:new", store);
    a.draft.settle();
    a.draft.keep();
    expect(store.data.size).toBe(0);
    a.f.problem = "Pantalla azul";
    a.draft.keep();
    expect(store.data.size).toBe(1);

    setDraftScope("device-2");
    expect(form("attention:new", store).draft.settle()).toBe(false);
    setDraftScope("device-1");
    expect(form("attention:new", store).draft.settle()).toBe(true);
  });
});
