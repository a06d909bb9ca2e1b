import { describe, expect, it } from "vitest";
import { syncStatus } from "./testing";
import { agoText, draftsText, headerText, needsReenrolment, pendingText, progressPercent, progressText } from "./status";

describe("sync status for people", () => {
  const now = new Date("2026-11-23T20:00:00Z");

  it("says offline with the pending changes, as the header shows it", () => {
    expect(headerText(syncStatus({ activity: "sin_conexion", pending_changes: 12 }), now)).toBe(
      "Sin conexión · 12 cambios pendientes",
    );
    expect(headerText(syncStatus({ activity: "sin_conexion", pending_changes: 1 }), now)).toBe(
      "Sin conexión · 1 cambio pendiente",
    );
    expect(headerText(syncStatus({ activity: "no_configurada", pending_changes: 40 }), now)).toBe(
      "Sin sincronización",
    );
  });

  it("says when it last synced, and shows rejections", () => {
    const s = syncStatus({ last_success_at: "2026-11-23T19:57:00Z", rejections: 2 });
    expect(headerText(s, now)).toBe("Sincronizado hace 3 min · 2 rechazos");
    expect(agoText("2026-11-23T19:59:40Z", now)).toBe("hace un momento");
    expect(agoText("2026-11-23T17:00:00Z", now)).toBe("hace 3 h");
    expect(agoText("2026-11-20T17:00:00Z", now)).toBe("20/11/2026 12:00");
    expect(agoText(null, now)).toBe("nunca");
  });

  it("turns a large pull into a percentage and a sentence", () => {
    const s = syncStatus({
      activity: "sincronizando",
      progress: { stage: "recibiendo", unit: "UT-CUSCO", done: 12_500, total: 50_000 },
    });
    expect(progressPercent(s)).toBe(25);
    expect(headerText(s, now)).toBe("Sincronizando… 25 %");
    expect(progressText(s)).toMatch(/^Recibiendo UT-CUSCO: 12.500 de 50.000$/);
    expect(progressPercent(syncStatus({ progress: { stage: "enviando", unit: null, done: 0, total: 0 } }))).toBeNull();
    expect(pendingText(0)).toBe("");
  });

  it("says how many attentions wait for a number", () => {
    expect(draftsText(0)).toBe("");
    expect(draftsText(1)).toBe("1 atención espera número");
    expect(draftsText(3)).toBe("3 atenciones esperan número");
  });

  it("offers re-enrolment only after a restored or revoked device", () => {
    const err = (code: "equipo_restaurado" | "equipo_revocado" | "servidor_inalcanzable") =>
      syncStatus({ activity: "con_error", last_error: { code, message: "…", field: null } });
    expect(needsReenrolment(err("equipo_restaurado"))).toBe(true);
    expect(needsReenrolment(err("equipo_revocado"))).toBe(true);
    expect(needsReenrolment(err("servidor_inalcanzable"))).toBe(false);
    expect(needsReenrolment(syncStatus())).toBe(false);
  });
});
