// Typed work is never lost. While a person types, the form's fields are kept as a local draft
// (in the webview's own storage, on this computer, under this database's device id); when the
// same form is opened again (after Esc, a shortcut, a crash or closing the window), the draft is
// put back and the form says so, with a way to discard it. Saving the record removes the draft.
// A draft is never a record: it is not synchronised and nothing else reads it.
//
// `changed` tells whether the form differs from what was last saved or loaded; the shell asks
// before leaving a form with changes (see shell/leave.svelte.ts).

/** Where drafts are kept: the webview's localStorage, or a map in tests without one. */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const memory = new Map<string, string>();
const fallback: DraftStorage = {
  getItem: (k) => memory.get(k) ?? null,
  setItem: (k, v) => void memory.set(k, v),
  removeItem: (k) => void memory.delete(k),
};

function storage(): DraftStorage {
  try {
    if (typeof localStorage !== "undefined") return localStorage;
  } catch {
    // Storage refused (private mode): keep drafts for this session only.
  }
  return fallback;
}

let scope = "chaski";
/** Drafts belong to one database: the shell sets its device id once it knows it. */
export function setDraftScope(deviceId: string) {
  scope = `chaski:${deviceId}`;
}

type Stored<T> = { at: string; fields: T };

const PREFIX = () => `${scope}:draft:`;

function parse<T>(raw: string | null): Stored<T> | null {
  if (!raw) return null;
  try {
    const v = JSON.parse(raw) as Stored<T>;
    return v && typeof v === "object" && "fields" in v ? v : null;
  } catch {
    return null;
  }
}

export class Draft<T> {
  /** When the draft now shown was kept (ISO instant), if the form was filled from one. */
  restoredAt = $state<string | null>(null);
  /** The fields as last saved or loaded, as JSON. */
  private baseline = $state("");
  private current = $derived.by(() => JSON.stringify(this.read()));
  /** The form differs from what was last saved or loaded. */
  changed = $derived(this.current !== this.baseline);

  private readonly key: string;
  private readonly read: () => T;
  private readonly write: (fields: T) => void;
  private readonly store: DraftStorage;

  /**
   * @param key which form and record: `attention:new`, `attention:<id>`, `cargo:<id>`…
   * @param read the form's fields now (plain data)
   * @param write puts kept fields back into the form
   */
  constructor(key: string, read: () => T, write: (fields: T) => void, store: DraftStorage = storage()) {
    this.key = key;
    this.read = read;
    this.write = write;
    this.store = store;
  }

  private get storageKey() {
    return `${PREFIX()}${this.key}`;
  }

  /**
   * The form now shows what was saved or loaded (call after filling it). A draft kept for this
   * form that differs is put back, and `restoredAt` says when it was kept.
   */
  settle(): boolean {
    this.baseline = JSON.stringify(this.read());
    const kept = parse<T>(this.store.getItem(this.storageKey));
    if (!kept || JSON.stringify(kept.fields) === this.baseline) {
      this.store.removeItem(this.storageKey);
      return false;
    }
    this.write(kept.fields);
    this.restoredAt = kept.at;
    return true;
  }

  /** Keeps the fields as they are now (called as the person types). */
  keep() {
    if (!this.changed) {
      this.store.removeItem(this.storageKey);
      return;
    }
    const kept: Stored<T> = { at: new Date().toISOString(), fields: JSON.parse(this.current) as T };
    this.store.setItem(this.storageKey, JSON.stringify(kept));
  }

  /** The record was saved: the form shows it, the draft is gone. */
  saved() {
    this.baseline = JSON.stringify(this.read());
    this.restoredAt = null;
    this.store.removeItem(this.storageKey);
  }

  /** Throws the draft away: the form shows again what was saved or loaded. */
  discard() {
    this.store.removeItem(this.storageKey);
    this.restoredAt = null;
    if (this.baseline) this.write(JSON.parse(this.baseline) as T);
  }

  /** In a component: keeps the draft as the fields change (after `settle`). */
  track() {
    $effect(() => {
      void this.current;
      if (this.baseline === "") return;
      this.keep();
    });
  }
}
