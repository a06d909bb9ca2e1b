// Turning a backend refusal into what a form shows: the message next to the field it names, or
// a banner when it names none. The UI never invents the message. Forms use it through
// `FormState` (form.svelte.ts), which also moves the focus.
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
