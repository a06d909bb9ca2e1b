// The office follows the chosen requester unless it was typed by hand on this form.
import { describe, expect, it } from "vitest";
import { officeAfterRequester } from "./requester";

describe("officeAfterRequester", () => {
  it("replaces the previous requester's office with the new one's", () => {
    expect(officeAfterRequester("Abastecimiento", "Tesorería", false)).toBe("Abastecimiento");
  });

  it("empties the office when the new requester has none (the core fills it from the person)", () => {
    expect(officeAfterRequester(null, "Tesorería", false)).toBe("");
  });

  it("keeps an office typed by hand on this form", () => {
    expect(officeAfterRequester("Abastecimiento", "Mesa de partes", true)).toBe("Mesa de partes");
  });

  it("follows the requester again when the office typed by hand was erased", () => {
    expect(officeAfterRequester("Abastecimiento", "  ", true)).toBe("Abastecimiento");
  });
});
