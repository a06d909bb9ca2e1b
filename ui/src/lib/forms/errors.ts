// Turning a backend refusal into what a form shows: the message next to the field it names
// (and focus on that field), or a banner when it names none. The UI never invents the message.
import { BackendError, toBackendError } from "../backend/call";

export type FormErrors = {
  /** field name (as the backend names it) → Spanish message */
  fields: Record<string, string>;
  /** message not tied to a field */
  general: string | null;
};

export const noErrors = (): FormErrors => ({ fields: {}, general: null });

/**
 * Maps a backend error onto a form. `known` lists the fields this form shows; an error about
 * any other field is shown as a banner so it is never lost.
 */
export function formErrorsFrom(raw: unknown, known: readonly string[]): FormErrors {
  const err: BackendError = toBackendError(raw);
  if (err.field && known.includes(err.field)) {
    return { fields: { [err.field]: err.message }, general: null };
  }
  return { fields: {}, general: err.message };
}

/** Moves the focus to the input of the first field with an error (`${prefix}-${field}`). */
export function focusFirstError(errors: FormErrors, prefix: string, order: readonly string[]): void {
  const first = order.find((f) => errors.fields[f]);
  if (!first) return;
  const el = document.getElementById(`${prefix}-${first.replaceAll("_", "-")}`);
  el?.focus();
}

/** The DOM id of a field's input and of its error line. */
export const fieldId = (prefix: string, field: string) => `${prefix}-${field.replaceAll("_", "-")}`;
export const errorId = (prefix: string, field: string) => `${fieldId(prefix, field)}-error`;
