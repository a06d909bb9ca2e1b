import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatPlainDate, parseLimaDateTime, parsePlainDate } from "./index";

describe("dates in Lima", () => {
  it("shows an UTC instant as the Lima date and time", () => {
    // 03:30 UTC on the 24th is still the 23rd in Lima (UTC-5).
    expect(formatDate("2026-11-24T03:30:00Z")).toBe("23/11/2026");
    expect(formatDateTime("2026-11-24T03:30:00Z")).toBe("23/11/2026 22:30");
  });

  it("parses dd/mm/aaaa hh:mm typed in Lima into UTC", () => {
    expect(parseLimaDateTime("23/11/2026 22:30")).toBe("2026-11-24T03:30:00Z");
    expect(parseLimaDateTime("31/02/2026 10:00")).toBeNull();
    expect(parseLimaDateTime("23/11/2026 24:00")).toBeNull();
    expect(parseLimaDateTime("2026-11-23 10:00")).toBeNull();
  });

  it("round-trips plain dates", () => {
    expect(parsePlainDate("1/2/2026")).toBe("2026-02-01");
    expect(parsePlainDate("29/02/2025")).toBeNull();
    expect(formatPlainDate("2026-02-01")).toBe("01/02/2026");
  });
});
