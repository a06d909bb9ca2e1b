// What the maintenance and provider screens compute for display: due-date wording, where a
// maintenance's 48-hour verification and an escalation's 24-hour conformity stand (from the
// instants the backend gives: `verification_due_at`, `conformity_due_at`), and the inputs the
// forms send. The rules themselves are the core's; the backend refuses what they do not allow.
import type {
  MaintenanceCalendarEntry,
  MaintenanceInput,
  MaintenancePerformer,
  MaintenanceRecord,
  MaintenanceStatus,
  ProviderEscalationInput,
  ProviderEscalationView,
  EscalationMeans,
} from "../backend";
import { formatDateTime, formatPlainDate, parseLimaDateTime } from "../format";

/** The tabs of the maintenance screen. */
export type MaintenanceTab = "calendar" | "register" | "plans" | "providers";

/** The calendar's groups, in the order the calendar lists them. */
export const STATUS_ORDER: readonly MaintenanceStatus[] = ["vencido", "proximo", "sin_registro", "al_dia"];

/** "vence en 12 días", "vence hoy", "vencido hace 3 días", "sin mantenimiento registrado". */
export function dueText(entry: Pick<MaintenanceCalendarEntry, "due">): string {
  const { due, days_left: days } = entry.due;
  if (!due || days === null) return "Sin mantenimiento registrado";
  const date = formatPlainDate(due);
  if (days < 0) return `Vencido hace ${-days} ${-days === 1 ? "día" : "días"} (${date})`;
  if (days === 0) return `Vence hoy (${date})`;
  return `Vence en ${days} ${days === 1 ? "día" : "días"} (${date})`;
}

/** Count of calendar entries per status. */
export function countByStatus(entries: readonly MaintenanceCalendarEntry[]): Record<MaintenanceStatus, number> {
  const out: Record<MaintenanceStatus, number> = { vencido: 0, proximo: 0, al_dia: 0, sin_registro: 0 };
  for (const e of entries) out[e.due.status] += 1;
  return out;
}

export type Stage =
  | { kind: "done"; text: string }
  | { kind: "wait"; text: string }
  | { kind: "due"; text: string };

/** Where the 48-hour verification of a maintenance stands at `now`. */
export function verificationStage(record: MaintenanceRecord, now: Date = new Date()): Stage {
  const v = record.verification;
  if (v) {
    const what = v.faults_found ? `con fallas: ${v.remarks ?? ""}` : "sin fallas";
    return { kind: "done", text: `Verificado el ${formatDateTime(v.at)}, ${what}` };
  }
  if (now.getTime() < new Date(record.verification_due_at).getTime()) {
    return {
      kind: "wait",
      text: `Plazo: la verificación a las 48 horas se registra a partir del ${formatDateTime(record.verification_due_at)}.`,
    };
  }
  return { kind: "due", text: "Pasaron 48 horas: verifique el equipo con el usuario y registre el resultado." };
}

/** The short "plazo" of a maintenance waiting for its verification, for the pending list. */
export function pendingText(record: MaintenanceRecord, now: Date = new Date()): string {
  return now.getTime() < new Date(record.verification_due_at).getTime()
    ? `Desde el ${formatDateTime(record.verification_due_at)}`
    : "Verificar ahora";
}

/** Where the 24-hour conformity of an escalation stands at `now`. */
export function conformityStage(e: ProviderEscalationView, now: Date = new Date()): Stage {
  if (e.conformity_at) {
    const what = e.conformity_accepted ? "conforme" : `no conforme: ${e.conformity_remark ?? ""}`;
    return { kind: "done", text: `Usuario ${what} (${formatDateTime(e.conformity_at)})` };
  }
  if (!e.completed_at || !e.conformity_due_at) {
    return { kind: "wait", text: "Falta registrar la conclusión del servicio por el proveedor." };
  }
  if (now.getTime() < new Date(e.conformity_due_at).getTime()) {
    return {
      kind: "wait",
      text: `Plazo: la conformidad del usuario se consulta a partir del ${formatDateTime(e.conformity_due_at)}.`,
    };
  }
  return { kind: "due", text: "Pasaron 24 horas: consulte la conformidad del usuario." };
}

/** A form's value or the field's Spanish message. */
export type Built<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

const DATE_HINT = "Escriba la fecha y la hora como dd/mm/aaaa hh:mm (por ejemplo 23/11/2026 09:30).";

function instant(text: string, field: string): Built<string> {
  const value = parseLimaDateTime(text);
  return value ? { ok: true, value } : { ok: false, field, message: DATE_HINT };
}

const blankToNull = (s: string): string | null => (s.trim() ? s.trim() : null);

export type MaintenanceForm = {
  assetId: string | null;
  performedAt: string;
  performer: MaintenancePerformer;
  providerName: string;
  workDone: string;
  remarks: string;
};

/** The maintenance form as the backend takes it; the date typed in Lima time. */
export function maintenanceInput(f: MaintenanceForm): Built<MaintenanceInput> {
  if (!f.assetId) return { ok: false, field: "asset_id", message: "Elija el bien al que se le hizo el mantenimiento." };
  const at = instant(f.performedAt, "performed_at");
  if (!at.ok) return at;
  return {
    ok: true,
    value: {
      asset_id: f.assetId,
      performed_at: at.value,
      performer: f.performer,
      provider_name: f.performer === "proveedor" ? blankToNull(f.providerName) : null,
      work_done: f.workDone,
      remarks: blankToNull(f.remarks),
    },
  };
}

export type EscalationForm = {
  attentionId: string | null;
  diagnosticId: string | null;
  maintenanceId: string | null;
  assetId: string | null;
  provider: string;
  contact: string;
  means: EscalationMeans;
  escalatedAt: string;
  description: string;
  providerTicket: string;
};

/** The escalation form as the backend takes it. */
export function escalationInput(f: EscalationForm): Built<ProviderEscalationInput> {
  const at = instant(f.escalatedAt, "escalated_at");
  if (!at.ok) return at;
  return {
    ok: true,
    value: {
      attention_id: f.attentionId,
      diagnostic_id: f.diagnosticId,
      maintenance_id: f.maintenanceId,
      asset_id: f.assetId,
      provider: f.provider,
      contact: blankToNull(f.contact),
      means: f.means,
      escalated_at: at.value,
      description: f.description,
      provider_ticket: blankToNull(f.providerTicket),
    },
  };
}

/** Parses the completion's date typed in Lima time. */
export function completionAt(text: string): Built<string> {
  return instant(text, "completed_at");
}

/** What an escalation came from, in words. */
export function escalationOrigin(e: ProviderEscalationView): string {
  if (e.maintenance_id) return "Mantenimiento";
  if (e.diagnostic_id) return "Diagnóstico";
  if (e.attention_id) return "Atención";
  return "";
}
