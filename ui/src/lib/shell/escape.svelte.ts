// The one Escape key of the app, in layers. Whatever can be closed with Escape (a form, a
// dialog, an open suggestion list, an inline "Anular…" box) opens a layer while it is open; the
// key closes only the newest layer. A list opened inside a form is newer than the form, so Esc
// closes the list and never the form behind it; a second Esc then closes the form.
type Layer = { close: () => void };

const layers: Layer[] = [];
let listening = false;

function onKeydown(event: KeyboardEvent) {
  if (event.key !== "Escape" || event.defaultPrevented) return;
  const top = layers[layers.length - 1];
  if (!top) return;
  event.preventDefault();
  event.stopPropagation();
  top.close();
}

/** Opens a layer that Escape closes by calling `close`; returns what removes the layer. */
export function escapeLayer(close: () => void): () => void {
  if (!listening) {
    window.addEventListener("keydown", onKeydown);
    listening = true;
  }
  const layer: Layer = { close };
  layers.push(layer);
  return () => {
    const i = layers.indexOf(layer);
    if (i >= 0) layers.splice(i, 1);
  };
}

/**
 * In a component: a layer that lives as long as the component, or only while `open()` is true
 * (it becomes the newest layer each time it opens).
 */
export function useEscape(close: () => void, open?: () => boolean) {
  $effect(() => {
    if (open && !open()) return;
    return escapeLayer(() => close());
  });
}

/** How many layers are open (for tests). */
export const openLayers = () => layers.length;
