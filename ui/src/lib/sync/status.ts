// What the sync status means for a person: the header's one-line summary, the progress bar,
// "hace 3 min". Pure functions of the backend's `SyncStatus`, so they are tested without a
// window.
import type { SyncActivity, SyncStatus } from "../backend";
import { formatDateTime } from "../format";

/** "12 cambios pendientes", "1 cambio pendiente", "" when none. */
export function pendingText(n: number): string {
  if (n <= 0) return "";
  return n === 1 ? "1 cambio pendiente" : `${n.toLocaleString("es-PE")} cambios pendientes`;
}

/** "3 atenciones esperan número", "1 atención espera número", "" when none. */
export function draftsText(n: number): string {
  if (n <= 0) return "";
  return n === 1 ? "1 atención espera número" : `${n.toLocaleString("es-PE")} atenciones esperan número`;
}

/** "hace un momento", "hace 5 min", "hace 2 h", else the Lima date and time. */
export function agoText(iso: string | null, now: Date = new Date()): string {
  if (!iso) return "nunca";
  const ms = now.getTime() - new Date(iso).getTime();
  if (!Number.isFinite(ms)) return "nunca";
  const min = Math.floor(ms / 60_000);
  if (min < 1) return "hace un momento";
  if (min < 60) return `hace ${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `hace ${h} h`;
  return formatDateTime(iso);
}

const LABELS: Record<SyncActivity, string> = {
  no_configurada: "Sin sincronización",
  sin_inscribir: "Equipo sin inscribir",
  en_espera: "Sincronizado",
  sincronizando: "Sincronizando…",
  sin_conexion: "Sin conexión",
  con_error: "Error de sincronización",
};

/** The tone of the indicator: ok, busy, warn (offline, not enrolled) or error. */
export function tone(status: SyncStatus): "ok" | "busy" | "warn" | "error" | "off" {
  switch (status.activity) {
    case "en_espera":
      return "ok";
    case "sincronizando":
      return "busy";
    case "sin_conexion":
    case "sin_inscribir":
      return "warn";
    case "con_error":
      return "error";
    default:
      return "off";
  }
}

/** Percentage of the running round (push or pull), or null when unknown. */
export function progressPercent(status: SyncStatus): number | null {
  const p = status.progress;
  if (!p || p.total <= 0) return null;
  return Math.max(0, Math.min(100, Math.round((p.done / p.total) * 100)));
}

/** "Recibiendo UT-CUSCO: 1.200 de 50.000", "Enviando 3 de 12". */
export function progressText(status: SyncStatus): string {
  const p = status.progress;
  if (!p) return "";
  const n = (v: number) => v.toLocaleString("es-PE");
  return p.stage === "recibiendo"
    ? `Recibiendo ${p.unit ?? ""}: ${n(p.done)} de ${n(p.total)}`
    : `Enviando ${n(p.done)} de ${n(p.total)} cambios`;
}

/** The header's one line: "Sin conexión · 12 cambios pendientes", "Sincronizado hace 3 min". */
export function headerText(status: SyncStatus, now: Date = new Date()): string {
  const parts: string[] = [LABELS[status.activity]];
  if (status.activity === "sincronizando") {
    const pct = progressPercent(status);
    if (pct !== null) parts[0] = `Sincronizando… ${pct} %`;
  } else if (status.activity === "en_espera" && status.last_success_at) {
    parts[0] = `Sincronizado ${agoText(status.last_success_at, now)}`;
  }
  const pending = pendingText(status.pending_changes);
  if (pending && status.activity !== "no_configurada") parts.push(pending);
  if (status.rejections > 0) parts.push(status.rejections === 1 ? "1 rechazo" : `${status.rejections} rechazos`);
  return parts.join(" · ");
}

/** Whether the screen should offer «Volver a inscribir» (new device id, data kept). */
export function needsReenrolment(status: SyncStatus): boolean {
  const code = status.last_error?.code;
  return code === "equipo_restaurado" || code === "equipo_revocado";
}
