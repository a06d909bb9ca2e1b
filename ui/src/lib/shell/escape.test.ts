// The one Escape key: only the newest layer closes, so an open list closes before the form
// behind it, and a closed layer no longer answers.
import { afterEach, describe, expect, it } from "vitest";
import { escapeLayer, openLayers } from "./escape.svelte";

const press = (key = "Escape") => {
  const event = new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true });
  document.body.dispatchEvent(event);
  return event;
};

describe("escape layers", () => {
  const removers: (() => void)[] = [];
  afterEach(() => {
    removers.splice(0).forEach((r) => r());
  });

  it("closes the newest layer first: the list, then the form", () => {
    const closed: string[] = [];
    removers.push(escapeLayer(() => closed.push("form")));
    // A suggestion list opens while the form is shown, and closes itself when Escape closes it.
    const closeList = escapeLayer(() => {
      closed.push("list");
      closeList();
    });
    expect(press().defaultPrevented).toBe(true);
    expect(closed).toEqual(["list"]);
    press();
    expect(closed).toEqual(["list", "form"]);
  });

  it("does nothing for other keys, nor when no layer is open, nor when a field already handled it", () => {
    const closed: string[] = [];
    removers.push(escapeLayer(() => closed.push("form")));
    press("Enter");
    const handled = new KeyboardEvent("keydown", { key: "Escape", bubbles: true, cancelable: true });
    handled.preventDefault();
    document.body.dispatchEvent(handled);
    expect(closed).toEqual([]);
    removers.pop()!();
    expect(openLayers()).toBe(0);
    expect(press().defaultPrevented).toBe(false);
  });
});
