// Leaving a form with changes asks first. A form with a draft opens a guard while it is shown;
// the shell asks every open guard before it changes the screen (a sidebar button, an Alt
// shortcut, Esc or "Cancelar", which all go through the shell) and before the window closes.
// The typed work is kept as a draft either way: the question is whether to leave now, and
// whether to throw the changes away.

export type LeaveGuard = {
  /** The form has changes that are not saved. */
  changed: () => boolean;
  /** Throws the changes and the draft away. */
  discard: () => void;
};

const guards = new Set<LeaveGuard>();

/** In a component: a guard that lives as long as the component. */
export function useLeaveGuard(guard: LeaveGuard) {
  $effect(() => {
    guards.add(guard);
    return () => void guards.delete(guard);
  });
}

/** Some open form has changes that are not saved. */
export function unsavedChanges(): boolean {
  for (const g of guards) if (g.changed()) return true;
  return false;
}

/** Throws away the changes of every open form that has some. */
export function discardChanges() {
  for (const g of guards) if (g.changed()) g.discard();
}
