// The one way a form shows what is wrong: every message next to the field it names, all at
// once, and the focus on the first of them in the order the fields appear; a message about no
// field of the form goes to the banner, so it is never lost. The same object runs the form's
// actions one at a time and keeps the short notice shown when one went well. The UI never
// invents a rule: what it checks itself (a date typed as dd/mm/aaaa) the core checks again.
import { BackendError } from "../backend/call";
import { parsePlainDate } from "../format";
import { confirm } from "../shell/toast.svelte";
import { formErrorsFrom, noErrors, type FormErrors } from "./errors";

/** A date typed as dd/mm/aaaa → "aaaa-mm-dd"; throws the refusal for `date`. */
export function documentDate(text: string): string {
  const d = parsePlainDate(text);
  if (!d) throw new BackendError("fecha_invalida", "Escriba la fecha como dd/mm/aaaa, por ejemplo 23/11/2026.", "date");
  return d;
}

export type FormOptions = {
  /** Fields that are item tables: the focus goes to their "add" lookup (`${id}-add`). */
  tables?: readonly string[];
  /** DOM ids that do not follow `${prefix}-${field}` (field → id). */
  ids?: Readonly<Record<string, string>>;
  /** Where the focus goes for a field whose target depends on what is shown (a checklist row). */
  focus?: (field: string) => string | null | undefined;
};

/** Problems found before sending: field → message; empty or undefined entries are no problem. */
export type Problems = Readonly<Record<string, string | null | undefined>>;

export class FormState {
  busy = $state(false);
  errors = $state<FormErrors>(noErrors());
  notice = $state<string | null>(null);

  readonly prefix: string;
  /** The fields the form shows, as the core names them, in the order they appear. */
  readonly fields: readonly string[];
  private readonly tables: readonly string[];
  private readonly ids: Readonly<Record<string, string>>;
  private readonly focusOf: FormOptions["focus"];

  constructor(prefix: string, fields: readonly string[], options: FormOptions = {}) {
    this.prefix = prefix;
    this.fields = fields;
    this.tables = options.tables ?? [];
    this.ids = options.ids ?? {};
    this.focusOf = options.focus;
  }

  /** The DOM id of a field's input (`att` + `requester_id` → `att-requester-id`). */
  id = (field: string): string => this.ids[field] ?? `${this.prefix}-${field.replaceAll("_", "-")}`;

  /** The message for a field, if any. */
  err = (field: string): string | undefined => this.errors.fields[field];

  /** `aria-describedby` of a field's input: its error line, else its hint (when it has one). */
  desc = (field: string, hint = false): string | undefined =>
    this.errors.fields[field] ? `${this.id(field)}-error` : hint ? `${this.id(field)}-hint` : undefined;

  /** Forgets the messages and the notice (a new attempt starts clean). */
  clear() {
    this.errors = noErrors();
    this.notice = null;
  }

  /** Shows a backend refusal (or errors already built) and focuses the first field it names. */
  show(raw: unknown) {
    this.errors = isFormErrors(raw) ? raw : formErrorsFrom(raw, this.fields);
    this.focusFirst();
  }

  /** Shows a failure that is about no field (a list that could not be read) in the banner. */
  banner(raw: unknown) {
    this.errors = formErrorsFrom(raw, []);
  }

  /**
   * Shows every problem found before sending, all at once, and focuses the first in field order.
   * Returns true when there is none (the form may be sent).
   */
  check(problems: Problems): boolean {
    const fields: Record<string, string> = {};
    for (const [field, message] of Object.entries(problems)) if (message) fields[field] = message;
    if (Object.keys(fields).length === 0) return true;
    this.errors = { fields, general: null };
    this.focusFirst();
    return false;
  }

  /** Moves the focus to the first field with a message, in the order the fields appear. */
  focusFirst() {
    const named = Object.keys(this.errors.fields);
    const first = this.fields.find((f) => this.errors.fields[f]) ?? named[0];
    if (!first) return;
    const id = this.id(first);
    const target = this.focusOf?.(first) ?? (this.tables.includes(first) ? `${id}-add` : id);
    document.getElementById(target)?.focus();
  }

  /**
   * Runs one action unless another is running; on success shows `done` (or what it computes from
   * the result) in the form and as the shell's short confirmation, on refusal the messages.
   * Returns whether it succeeded.
   */
  async run<T>(action: () => Promise<T>, done?: string | ((result: T) => string | null)): Promise<boolean> {
    if (this.busy) return false;
    this.busy = true;
    this.clear();
    try {
      const result = await action();
      this.notice = typeof done === "function" ? done(result) : (done ?? null);
      if (this.notice) confirm(this.notice);
      return true;
    } catch (e) {
      this.show(e);
      return false;
    } finally {
      this.busy = false;
    }
  }
}

function isFormErrors(v: unknown): v is FormErrors {
  return typeof v === "object" && v !== null && "fields" in v && "general" in v && !("code" in v);
}
