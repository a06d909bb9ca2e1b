// The diagnostic form's logic: checklist rows, the input it sends (and the local refusals that
// name a field), the element of each field's message, the warranty and 60-minute hints, the
// recommendations per kind, and which diagnostic can be corrected.
import { describe, expect, it } from "vitest";
import { BackendError } from "../backend/call";
import type { ChecklistEntry, Diagnostic, DiagnosticCatalogs } from "../backend";
import {
  FIELD_ELEMENTS,
  canCorrect,
  checkResults,
  checkRows,
  checksFocus,
  diagnosticInput,
  diagnosticSummary,
  emptyFormat,
  formFrom,
  proposesItOffice,
  recommendationsFor,
  warrantyHint,
  type DiagnosticForm,
} from "./form";

const entries: ChecklistEntry[] = [
  { item: "energia", label: "Encendido y alimentación eléctrica", essential: true },
  { item: "arranque", label: "POST / arranque del sistema", essential: true },
  { item: "memoria", label: "Memoria RAM", essential: false },
];

const catalogs: DiagnosticCatalogs = {
  outcomes: [
    { code: "aprobado", label: "Aprobado" },
    { code: "fallido", label: "Falló" },
    { code: "no_aplica", label: "No aplica" },
  ],
  results: [
    { code: "operativo", label: "Operativo" },
    { code: "inoperativo", label: "Inoperativo" },
  ],
  recommendations: [
    { code: "devolver_usuario", label: "Devolver al usuario" },
    { code: "formatear", label: "Formatear" },
    { code: "proponer_baja", label: "Proponer la baja" },
  ],
  warranty: [],
  check_items: [],
  format_steps: [],
  formattable_kinds: ["cpu", "laptop", "servidor"],
  it_office_minutes: 60,
};

function form(): DiagnosticForm {
  const rows = checkRows(entries);
  rows[0]!.outcome = "fallido";
  rows[0]!.note = "  No enciende  ";
  rows[1]!.outcome = "fallido";
  rows[1]!.note = "Sin POST";
  rows[2]!.outcome = "no_aplica";
  return {
    assetId: "a1",
    date: "20/11/2026",
    attentionId: null,
    symptoms: "No enciende",
    rows,
    findings: "Placa dañada",
    partsNeeded: "  ",
    warrantyContact: "",
    timeSpent: " 95 ",
    estimated: "120",
    moved: true,
    stayReason: "queda escrito pero no se envía",
    result: "inoperativo",
    recommendation: "proponer_baja",
    format: emptyFormat(),
    corrects: null,
    correctionReason: "ignorado sin corrección",
  };
}

function diagnostic(id: string, correctedBy: string | null = null): Diagnostic {
  return {
    id, unit_code: "UT-CUSCO", asset_id: "a1", asset_code: "740899500123", asset_kind: "cpu",
    equipment: "CPU", brand: null, model: null, serial: null, date: "2026-11-20", attention_id: "t1",
    technician_id: "tec", technician: { name: "QUISPE MAMANI, Rosa Elena", dni: "41236587", office: null },
    symptoms: "No enciende", checks: [{ item: "energia", outcome: "fallido", note: "Nada" }],
    findings: "Placa", parts_needed: null, warranty: "sin_garantia", warranty_end: null, warranty_contact: null,
    time_spent_minutes: 30, estimated_minutes: 90, it_office: { proposed: true, moved: false, stay_reason: "Usuario presente" },
    result: "inoperativo", recommendation: "proponer_baja", format: null, corrects: null, correction_reason: null,
    corrected_by: correctedBy, created_at: "2026-11-20T15:00:00Z",
  };
}

describe("checklist rows", () => {
  it("starts unanswered, keeps a previous diagnostic's answers, and sends only answered rows", () => {
    const rows = checkRows(entries, [{ item: "arranque", outcome: "aprobado", note: "OK" }]);
    expect(rows.map((r) => r.outcome)).toEqual([null, "aprobado", null]);
    expect(rows[1]!.note).toBe("OK");
    expect(checkResults(rows)).toEqual([{ item: "arranque", outcome: "aprobado", note: "OK" }]);
  });

  it("focuses the first unanswered row, then a failed row without its note", () => {
    const rows = checkRows(entries);
    expect(checksFocus(rows)).toBe("check-energia-aprobado");
    rows.forEach((r) => (r.outcome = "aprobado"));
    rows[2]!.outcome = "fallido";
    expect(checksFocus(rows)).toBe("check-memoria-note");
  });
});

describe("diagnosticInput", () => {
  it("trims, drops empty texts, and leaves out what does not apply", () => {
    const input = diagnosticInput(form());
    expect(input.date).toBe("2026-11-20");
    expect(input.time_spent_minutes).toBe(95);
    expect(input.estimated_minutes).toBe(120);
    expect(input.parts_needed).toBeNull();
    expect(input.stay_reason).toBeNull(); // moved: no reason to stay
    expect(input.correction_reason).toBeNull(); // not a correction
    expect(input.format).toBeNull(); // not "formatear"
    expect(input.checks[0]).toEqual({ item: "energia", outcome: "fallido", note: "No enciende" });
  });

  it("sends the formatting checklist only to format, without the fields that do not apply", () => {
    const f = form();
    f.result = "operativo";
    f.recommendation = "formatear";
    f.format = { ...emptyFormat(), backup_done: true, backup_location: " \\\\srv\\resp ", no_backup_reason: "x",
      low_level: false, read_write_problems: true, computer_name: "740899500123", remarks: " " };
    const format = diagnosticInput(f).format;
    expect(format?.backup_location).toBe("\\\\srv\\resp");
    expect(format?.no_backup_reason).toBeNull();
    expect(format?.read_write_problems).toBe(false);
    expect(format?.remarks).toBeNull();
  });

  it("refuses locally, naming the field, what cannot be sent", () => {
    const refused = (change: (f: DiagnosticForm) => void): BackendError => {
      const f = form();
      change(f);
      try {
        diagnosticInput(f);
      } catch (e) {
        return e as BackendError;
      }
      throw new Error("not refused");
    };
    expect(refused((f) => (f.date = "31/02/2026")).field).toBe("date");
    const minutes = refused((f) => (f.estimated = "hora y media"));
    expect(minutes.field).toBe("estimated_minutes");
    expect(minutes.message).toContain("Tiempo estimado");
    expect(refused((f) => (f.timeSpent = "")).field).toBe("time_spent_minutes");
    expect(refused((f) => (f.result = "")).field).toBe("result");
    expect(refused((f) => (f.recommendation = "")).field).toBe("recommendation");
  });
});

describe("corrections", () => {
  it("copies every answer, dates it today and names the corrected diagnostic", () => {
    const f = formFrom(diagnostic("d1"), entries, "2026-11-23");
    expect(f.date).toBe("23/11/2026");
    expect(f.corrects).toBe("d1");
    expect(f.attentionId).toBe("t1");
    expect(f.rows[0]!.outcome).toBe("fallido");
    expect(f.rows[1]!.outcome).toBeNull();
    expect(f.stayReason).toBe("Usuario presente");
    expect(f.correctionReason).toBe("");
  });

  it("offers Corregir only on the asset's latest diagnostic", () => {
    const newest = diagnostic("d2");
    const old = diagnostic("d1", "d2");
    expect(canCorrect(newest, [newest, old])).toBe(true);
    expect(canCorrect(old, [newest, old])).toBe(false);
  });
});

describe("hints and lists", () => {
  it("shows the warranty on the diagnostic's date, the last day included", () => {
    expect(warrantyHint({ warranty_end: "2026-11-20" }, "2026-11-20").status).toBe("vigente");
    expect(warrantyHint({ warranty_end: "2026-11-19" }, "2026-11-20").text).toBe("Garantía vencida el 19/11/2026.");
    expect(warrantyHint({ warranty_end: null }, "2026-11-20").status).toBe("sin_garantia");
  });

  it("proposes the IT office only above the threshold", () => {
    expect(proposesItOffice("60", 60)).toBe(false);
    expect(proposesItOffice(" 61 ", 60)).toBe(true);
    expect(proposesItOffice("mucho", 60)).toBe(false);
  });

  it("offers Formatear only for kinds with an operating system", () => {
    expect(recommendationsFor(catalogs, "cpu").map((r) => r.code)).toContain("formatear");
    expect(recommendationsFor(catalogs, "impresora").map((r) => r.code)).not.toContain("formatear");
  });

  it("summarises a diagnostic with the catalog's labels", () => {
    expect(diagnosticSummary(diagnostic("d1"), catalogs)).toBe("20/11/2026 · Inoperativo · Proponer la baja");
  });

  it("maps every field the core names to an element of the form", () => {
    for (const field of ["checks", "result", "stay_reason", "no_backup_reason", "computer_name", "correction_reason"]) {
      expect(FIELD_ELEMENTS[field]).toBeTruthy();
    }
    expect(FIELD_ELEMENTS.result).toBe("diagnostic-outcome");
  });
});
