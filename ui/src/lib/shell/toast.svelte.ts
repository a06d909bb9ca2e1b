// A short confirmation after every save, shown by the shell for a few seconds: it stays visible
// when the form that saved closes or is replaced by the saved record's page.
export const toast = $state({ text: null as string | null });

let timer: ReturnType<typeof setTimeout> | undefined;

/** Shows `text` for four seconds (a newer one replaces it). */
export function confirm(text: string) {
  toast.text = text;
  clearTimeout(timer);
  timer = setTimeout(() => (toast.text = null), 4000);
}
