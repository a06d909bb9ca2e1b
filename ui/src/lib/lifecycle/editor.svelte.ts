// What the three forms of a record with a lifecycle (cargo de asignación, traslado, informe
// técnico de baja) share: the record being edited, its date, the draft saved (created the first
// time), issued, signed and annulled through the same steps, one action at a time, and the
// core's refusal shown next to the field or table it names. Each form adds only its own fields:
// how a saved record fills them (`fill`) and what they send (`input`).
import type { AssetCatalogs, Lifecycle } from "../backend";
import { docNumberText, limaToday } from "../assets";
import { formatPlainDate } from "../format";
import { formErrorsFrom } from "../forms/errors";
import { Draft } from "../forms/draft.svelte";
import { documentDate, FormState } from "../forms/form.svelte";

/** What every record with a lifecycle has. */
export type LifecycleRecord = {
  id: string;
  date: string;
  lifecycle: Lifecycle;
  corrects: string | null;
  corrects_number: string | null;
  technician: { name: string };
};

/** The backend's calls for one kind of record. */
export type LifecycleApi<R, I> = {
  get: (id: string) => Promise<R>;
  create: (input: I) => Promise<R>;
  update: (id: string, input: I) => Promise<R>;
  issue: (id: string) => Promise<R>;
  sign: (id: string) => Promise<R>;
  annul: (id: string, reason: string) => Promise<R>;
};

/** The notices shown when each step went well. */
export type LifecycleTexts = { saved: string; issued: string; signed: string; annulled: string };

/** What the page of such a record is given (the screen that opens it decides). */
export type LifecycleFormProps = {
  catalogs: AssetCatalogs;
  /** The record shown; null for a new one. */
  id: string | null;
  /** A new record that corrects this signed one. */
  corrects?: string | null;
  onClose: () => void;
  /** A new record was saved for the first time. */
  onSaved: (id: string) => void;
  /** "Corregir con un nuevo …": a new record that corrects this one. */
  onCorrect: (id: string) => void;
};

/** How the page opens: what it reads first, how a correction starts, how a new one starts. */
export type OpenSteps<R> = {
  /** Reference lists the form needs (sites, causes); a failure is shown and the form still opens. */
  reference?: () => Promise<void>;
  /** A correction starts from the corrected record. */
  correct: (old: R) => void;
  /** A new record starts from what the page was given (an asset, for instance). */
  start?: () => Promise<void>;
  /** The DOM id of the first field to focus. */
  focus: string;
};

export type EditorOptions<R, I> = {
  /** DOM id prefix of the form's inputs (`cargo` → `cargo-person-id`). */
  prefix: string;
  /** The fields the form shows, as the core names them, in the order they appear. */
  fields: readonly string[];
  /** The fields that are item tables. */
  tables: readonly string[];
  api: LifecycleApi<R, I>;
  texts: LifecycleTexts;
  /** Puts a saved record's own fields into the form. */
  fill: (record: R) => void;
  /** What the form sends, from its own fields plus the date and the record corrected. */
  input: (common: { date: string; corrects: string | null }) => I;
  /** How the page opens. */
  open: OpenSteps<R>;
  /** The form's own fields as plain data, and how kept ones go back: the draft kept as the person types. */
  draft: { read: () => unknown; write: (fields: never) => void };
};

export const DRAFT_LIFECYCLE: Lifecycle = {
  status: "borrador",
  number: null,
  issued_at: null,
  signed_at: null,
  annulled_at: null,
  annul_reason: null,
};

export class LifecycleEditor<R extends LifecycleRecord, I> {
  record = $state<R | null>(null);
  date = $state(formatPlainDate(limaToday()));
  correctsNumber = $state<string | null>(null);
  editable = $derived(!this.record || this.record.lifecycle.status === "borrador");
  lifecycle = $derived(this.record?.lifecycle ?? DRAFT_LIFECYCLE);
  number = $derived(this.record ? docNumberText(this.record.lifecycle.number) : "");
  /** Issued or signed: the printed document can be made and signed. */
  printable = $derived(this.lifecycle.status === "emitido" || this.lifecycle.status === "firmado");

  readonly form: FormState;
  /** What was typed and not saved yet, kept on this computer while the record is a draft. */
  readonly draft: Draft<{ date: string; fields: unknown }>;
  readonly page: LifecycleFormProps;
  private readonly opts: EditorOptions<R, I>;

  constructor(page: LifecycleFormProps, opts: EditorOptions<R, I>) {
    this.page = page;
    this.opts = opts;
    this.form = new FormState(opts.prefix, opts.fields, { tables: opts.tables });
    const which = page.id ?? (page.corrects ? `corrige-${page.corrects}` : "nuevo");
    this.draft = new Draft(
      `${opts.prefix}:${which}`,
      () => ({ date: this.date, fields: opts.draft.read() }),
      (kept) => {
        this.date = kept.date;
        opts.draft.write(kept.fields as never);
      },
    );
  }

  /** Shows a record as it was read. */
  private show(r: R) {
    this.record = r;
    this.date = formatPlainDate(r.date);
    this.correctsNumber = r.corrects_number;
    this.opts.fill(r);
  }

  /** Shows a saved record: the form has no unsaved changes any more. */
  load(r: R) {
    this.show(r);
    this.draft.saved();
  }

  /**
   * Opens the page: the record `page.id`, else a correction of `page.corrects`, else a new one.
   * A failure is shown in the banner; the focus goes to the first field.
   */
  async open() {
    const steps = this.opts.open;
    try {
      await steps.reference?.();
    } catch (e) {
      this.form.banner(e);
    }
    try {
      if (this.page.id) {
        this.show(await this.opts.api.get(this.page.id));
      } else if (this.page.corrects) {
        const old = await this.opts.api.get(this.page.corrects);
        steps.correct(old);
        this.correctsNumber = docNumberText(old.lifecycle.number);
      } else {
        await steps.start?.();
      }
    } catch (e) {
      // A record that cannot be read is not about a field: the banner says why.
      this.form.banner(e);
      document.getElementById(steps.focus)?.focus();
      return;
    }
    // What was typed and not saved last time comes back (only a draft record can be edited).
    if (this.editable) this.draft.settle();
    document.getElementById(steps.focus)?.focus();
  }

  private input(): I {
    return this.opts.input({
      date: documentDate(this.date),
      corrects: this.record?.corrects ?? this.page.corrects ?? null,
    });
  }

  /** Saves the draft (creates it the first time); returns the saved record. */
  private async saveDraft(): Promise<R> {
    const data = this.input();
    const api = this.opts.api;
    const saved = this.record ? await api.update(this.record.id, data) : await api.create(data);
    this.load(saved);
    return saved;
  }

  save = (event?: Event) => {
    event?.preventDefault();
    const isNew = !this.record;
    return this.form.run(async () => {
      const saved = await this.saveDraft();
      if (isNew) this.page.onSaved(saved.id);
    }, this.opts.texts.saved);
  };

  issue = () =>
    this.form.run(async () => {
      const saved = await this.saveDraft();
      this.load(await this.opts.api.issue(saved.id));
    }, this.opts.texts.issued);

  sign = () =>
    this.form.run(async () => {
      if (this.record) this.load(await this.opts.api.sign(this.record.id));
    }, this.opts.texts.signed);

  annul = (reason: string) =>
    this.form.run(async () => {
      if (this.record) this.load(await this.opts.api.annul(this.record.id, reason));
    }, this.opts.texts.annulled);
}
