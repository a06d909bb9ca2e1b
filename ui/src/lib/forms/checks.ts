// What a form can say before sending, in the core's own words, so that every problem shows at
// once instead of one per attempt. Each is a hint that repeats a rule of the core: the core still
// checks everything when the form is sent.

/** The core's message for an empty required field. */
export function required(value: string | null | undefined, label: string): string | null {
  return value?.trim() ? null : `El campo «${label}» es obligatorio: complételo.`;
}

/** The core's message for a DNI that is not 8 digits. */
export function dniProblem(value: string): string | null {
  return /^\d{8}$/.test(value.trim()) ? null : "El DNI debe tener exactamente 8 dígitos (por ejemplo, 04567890).";
}
