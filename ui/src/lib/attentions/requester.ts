// The office of an attention follows its requester: choosing another person puts that person's
// office in the form, unless the office was typed by hand on this form (then it is kept: the
// person knows better). An empty office is filled by the core from the requester when saved.

/** The office the form shows after the requester changes. */
export function officeAfterRequester(
  requesterOffice: string | null | undefined,
  current: string,
  typedByHand: boolean,
): string {
  return typedByHand && current.trim() ? current : (requesterOffice ?? "");
}
