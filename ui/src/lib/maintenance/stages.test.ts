// The maintenance and provider screens' wording and inputs: due dates, the 48-hour and 24-hour
// stages from the instants the backend gives, and the forms' dates typed in Lima time.
import { describe, expect, it } from "vitest";
import type { MaintenanceCalendarEntry, MaintenanceRecord, ProviderEscalationView } from "../backend";
import {
  completionAt,
  conformityStage,
  countByStatus,
  dueText,
  escalationInput,
  escalationOrigin,
  maintenanceInput,
  pendingText,
  verificationStage,
  type EscalationForm,
  type MaintenanceForm,
} from "./stages";

function entry(status: MaintenanceCalendarEntry["due"]["status"], days: number | null, due: string | null): MaintenanceCalendarEntry {
  return {
    asset_id: `a-${status}-${days}`, code: "740841000011", equipment: "IMPRESORA", kind: "impresora", site: null,
    office: null, custodian_name: null, interval_months: 4,
    due: { status, last_done: null, due, days_left: days },
  };
}

function record(performedAt: string, dueAt: string, verification: MaintenanceRecord["verification"] = null): MaintenanceRecord {
  return {
    id: "m1", unit_code: "UT-CUSCO", asset_id: "a1", asset_code: "740841000011", equipment: "IMPRESORA",
    performed_at: performedAt, performer: "proveedor", provider_name: "Servicios Andinos", technician_id: "t1",
    work_done: "Limpieza", remarks: null, verification_due_at: dueAt, verification, report_file_name: null,
    report_sha256: null, escalation_id: null, created_at: performedAt,
  };
}

function escalation(patch: Partial<ProviderEscalationView>): ProviderEscalationView {
  return {
    status: "escalado", status_label: "Escalado al proveedor", conformity_due_at: null, id: "e1", unit_code: "UT-CUSCO",
    attention_id: "at1", diagnostic_id: null, maintenance_id: null, asset_id: null, provider: "Canon Perú SA",
    contact: null, means: "telefono", escalated_at: "2026-11-20T14:00:00Z", description: "Cabezal dañado",
    provider_ticket: null, technician_id: "t1", completed_at: null, completion_note: null, conformity_at: null,
    conformity_accepted: null, conformity_remark: null, created_at: "2026-11-20T14:00:00Z",
    updated_at: "2026-11-20T14:00:00Z", ...patch,
  };
}

describe("dueText", () => {
  it("says how far the due date is, in days, with the date in dd/mm/aaaa", () => {
    expect(dueText(entry("vencido", -3, "2026-11-20"))).toBe("Vencido hace 3 días (20/11/2026)");
    expect(dueText(entry("vencido", -1, "2026-11-22"))).toBe("Vencido hace 1 día (22/11/2026)");
    expect(dueText(entry("proximo", 0, "2026-11-23"))).toBe("Vence hoy (23/11/2026)");
    expect(dueText(entry("proximo", 1, "2026-11-24"))).toBe("Vence en 1 día (24/11/2026)");
    expect(dueText(entry("al_dia", 120, "2027-03-23"))).toBe("Vence en 120 días (23/03/2027)");
    expect(dueText(entry("sin_registro", null, null))).toBe("Sin mantenimiento registrado");
  });

  it("counts every status, zero included", () => {
    const c = countByStatus([entry("vencido", -3, "2026-11-20"), entry("vencido", -9, "2026-11-14"), entry("al_dia", 90, "2027-02-21")]);
    expect(c).toEqual({ vencido: 2, proximo: 0, al_dia: 1, sin_registro: 0 });
  });
});

describe("verificationStage", () => {
  const r = record("2026-11-20T15:00:00Z", "2026-11-22T15:00:00Z");

  it("waits until 48 hours have passed, saying from when (Lima time)", () => {
    const s = verificationStage(r, new Date("2026-11-22T14:59:00Z"));
    expect(s.kind).toBe("wait");
    expect(s.text).toContain("a partir del 22/11/2026 10:00");
  });

  it("is due from the instant itself", () => {
    expect(verificationStage(r, new Date("2026-11-22T15:00:00Z")).kind).toBe("due");
  });

  it("shows what was found once recorded", () => {
    const done = record("2026-11-20T15:00:00Z", "2026-11-22T15:00:00Z", {
      at: "2026-11-23T14:00:00Z", faults_found: true, remarks: "Mancha las hojas",
    });
    const s = verificationStage(done, new Date("2026-11-23T15:00:00Z"));
    expect(s.kind).toBe("done");
    expect(s.text).toBe("Verificado el 23/11/2026 09:00, con fallas: Mancha las hojas");
  });
});

describe("pendingText", () => {
  it("gives the plazo before 48 hours and asks to verify after", () => {
    const r = record("2026-11-20T15:00:00Z", "2026-11-22T15:00:00Z");
    expect(pendingText(r, new Date("2026-11-21T15:00:00Z"))).toBe("Desde el 22/11/2026 10:00");
    expect(pendingText(r, new Date("2026-11-22T15:00:00Z"))).toBe("Verificar ahora");
  });
});

describe("conformityStage", () => {
  it("asks for the completion first, then waits 24 hours, then is due", () => {
    expect(conformityStage(escalation({})).kind).toBe("wait");
    expect(conformityStage(escalation({})).text).toContain("conclusión");
    const completed = escalation({
      status: "completado", completed_at: "2026-11-22T15:00:00Z", conformity_due_at: "2026-11-23T15:00:00Z",
    });
    const early = conformityStage(completed, new Date("2026-11-23T10:00:00Z"));
    expect(early.kind).toBe("wait");
    expect(early.text).toContain("a partir del 23/11/2026 10:00");
    expect(conformityStage(completed, new Date("2026-11-23T15:00:00Z")).kind).toBe("due");
  });

  it("shows the recorded answer", () => {
    const no = escalation({
      status: "no_conforme", completed_at: "2026-11-21T15:00:00Z", conformity_due_at: "2026-11-22T15:00:00Z",
      conformity_at: "2026-11-23T15:00:00Z", conformity_accepted: false, conformity_remark: "Sigue fallando",
    });
    expect(conformityStage(no).text).toBe("Usuario no conforme: Sigue fallando (23/11/2026 10:00)");
  });
});

describe("maintenanceInput", () => {
  const form: MaintenanceForm = {
    assetId: "a1", performedAt: "20/11/2026 10:00", performer: "proveedor", providerName: "  Servicios Andinos ",
    workDone: "Limpieza", remarks: " ",
  };

  it("turns the Lima date into UTC and blanks into null", () => {
    const b = maintenanceInput(form);
    expect(b).toEqual({
      ok: true,
      value: {
        asset_id: "a1", performed_at: "2026-11-20T15:00:00Z", performer: "proveedor", provider_name: "Servicios Andinos",
        work_done: "Limpieza", remarks: null,
      },
    });
  });

  it("drops the provider's name when the unit's staff did it", () => {
    const b = maintenanceInput({ ...form, performer: "tecnico" });
    expect(b.ok && b.value.provider_name).toBeNull();
  });

  it("names the field of what is missing or malformed", () => {
    expect(maintenanceInput({ ...form, assetId: null })).toMatchObject({ ok: false, field: "asset_id" });
    const bad = maintenanceInput({ ...form, performedAt: "31/02/2026 10:00" });
    expect(bad).toMatchObject({ ok: false, field: "performed_at" });
    expect(!bad.ok && bad.message).toContain("dd/mm/aaaa hh:mm");
  });
});

describe("escalationInput", () => {
  const form: EscalationForm = {
    attentionId: "at1", diagnosticId: null, maintenanceId: null, assetId: null, provider: "Canon Perú SA",
    contact: "", means: "telefono", escalatedAt: "23/11/2026 08:15", description: "Cabezal dañado", providerTicket: " CAN-1 ",
  };

  it("sends what the backend checks, with the date in UTC", () => {
    const b = escalationInput(form);
    expect(b).toMatchObject({
      ok: true,
      value: { attention_id: "at1", escalated_at: "2026-11-23T13:15:00Z", contact: null, provider_ticket: "CAN-1" },
    });
  });

  it("refuses a malformed date on its field", () => {
    expect(escalationInput({ ...form, escalatedAt: "ayer" })).toMatchObject({ ok: false, field: "escalated_at" });
    expect(completionAt("23/11/2026")).toMatchObject({ ok: false, field: "completed_at" });
    expect(completionAt("23/11/2026 18:00")).toEqual({ ok: true, value: "2026-11-23T23:00:00Z" });
  });

  it("names where an escalation came from", () => {
    expect(escalationOrigin(escalation({}))).toBe("Atención");
    expect(escalationOrigin(escalation({ maintenance_id: "m1" }))).toBe("Mantenimiento");
  });
});
