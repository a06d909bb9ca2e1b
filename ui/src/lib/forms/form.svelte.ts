// What the cargo and traslado forms share while an action runs (save the draft, issue, record
// the signatures, annul): one action at a time, the core's refusal next to the field or table it
// names (with the focus moved there), or a banner; a short notice when it went well.
import { BackendError } from "../backend/call";
import { formErrorsFrom, noErrors, type FormErrors } from "./errors";
import { parsePlainDate } from "../format";

/** The document's date typed as dd/mm/aaaa → "aaaa-mm-dd"; throws the refusal for `date`. */
export function documentDate(text: string): string {
  const d = parsePlainDate(text);
  if (!d) throw new BackendError("fecha_invalida", "Escriba la fecha como dd/mm/aaaa, por ejemplo 23/11/2026.", "date");
  return d;
}

export class DocActions {
  busy = $state(false);
  errors = $state<FormErrors>(noErrors());
  notice = $state<string | null>(null);

  /**
   * @param prefix DOM id prefix of the form's inputs (`cargo` → `cargo-person-id`).
   * @param fields the input fields the form shows, as the core names them.
   * @param tables the fields that are item tables: the focus goes to their "add" lookup.
   */
  private readonly prefix: string;
  private readonly fields: readonly string[];
  private readonly tables: readonly string[];

  constructor(prefix: string, fields: readonly string[], tables: readonly string[]) {
    this.prefix = prefix;
    this.fields = fields;
    this.tables = tables;
  }

  /** Shows a refusal and moves the focus to the first field it names. */
  show(raw: unknown) {
    this.errors = formErrorsFrom(raw, this.fields);
    const field = this.fields.find((f) => this.errors.fields[f]);
    if (!field) return;
    const id = `${this.prefix}-${field.replaceAll("_", "-")}`;
    document.getElementById(this.tables.includes(field) ? `${id}-add` : id)?.focus();
  }

  /** Runs one action unless another is running; `done` is shown when it succeeds. */
  async run(action: () => Promise<unknown>, done: string) {
    if (this.busy) return;
    this.busy = true;
    this.errors = noErrors();
    this.notice = null;
    try {
      await action();
      this.notice = done;
    } catch (e) {
      this.show(e);
    } finally {
      this.busy = false;
    }
  }

  err = (field: string): string | undefined => this.errors.fields[field];
  desc = (field: string): string | undefined =>
    this.errors.fields[field] ? `${this.prefix}-${field.replaceAll("_", "-")}-error` : undefined;
}
