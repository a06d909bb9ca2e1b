// The keyboard in a table whose rows open something: ↑ and ↓ move between the rows, Enter (or
// Space) opens the row. One handler for every such table.

/** `onkeydown` of a focusable row (`tabindex="0"`). */
export function rowKeys(event: KeyboardEvent, open: () => void) {
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    open();
  } else if (event.key === "ArrowDown" || event.key === "ArrowUp") {
    const row = event.currentTarget as HTMLElement;
    const next = event.key === "ArrowDown" ? row.nextElementSibling : row.previousElementSibling;
    if (next instanceof HTMLElement && next.tabIndex >= 0) {
      event.preventDefault();
      next.focus();
    }
  }
}
