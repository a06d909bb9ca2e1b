// Tables: ↑/↓ move between rows, Enter opens the focused one.
import { afterEach, describe, expect, it, vi } from "vitest";
import { rowKeys } from "./rowKeys";

afterEach(() => (document.body.innerHTML = ""));

describe("rowKeys", () => {
  it("moves with the arrows and opens with Enter", () => {
    document.body.innerHTML = `<table><tbody><tr id="r1" tabindex="0"></tr><tr id="r2" tabindex="0"></tr></tbody></table>`;
    const opened = vi.fn();
    const rows = ["r1", "r2"].map((id) => document.getElementById(id)!);
    rows.forEach((r) => r.addEventListener("keydown", (e) => rowKeys(e, () => opened(r.id))));
    rows[0]!.focus();
    rows[0]!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", cancelable: true }));
    expect(document.activeElement?.id).toBe("r2");
    rows[1]!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowDown", cancelable: true }));
    expect(document.activeElement?.id).toBe("r2");
    rows[1]!.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowUp", cancelable: true }));
    expect(document.activeElement?.id).toBe("r1");
    rows[0]!.dispatchEvent(new KeyboardEvent("keydown", { key: "Enter", cancelable: true }));
    expect(opened).toHaveBeenCalledWith("r1");
  });
});
