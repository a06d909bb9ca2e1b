// Dates and times as people in Peru read them: dd/mm/aaaa, 24-hour clock, America/Lima.
// Instants are stored in UTC (RFC 3339 strings); Lima has had no daylight saving since 1994,
// so its offset is a constant -05:00.

const LIMA = "America/Lima";
const LIMA_OFFSET = "-05:00";

const dateFormat = new Intl.DateTimeFormat("es-PE", {
  timeZone: LIMA,
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
});
const timeFormat = new Intl.DateTimeFormat("es-PE", {
  timeZone: LIMA,
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

/** "2026-11-23T15:30:00Z" → "23/11/2026" (Lima date). */
export function formatDate(instant: string | null | undefined): string {
  if (!instant) return "";
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return "";
  return dateFormat.format(d);
}

/** "2026-11-23T15:30:00Z" → "23/11/2026 10:30" (Lima). */
export function formatDateTime(instant: string | null | undefined): string {
  if (!instant) return "";
  const d = new Date(instant);
  if (Number.isNaN(d.getTime())) return "";
  return `${dateFormat.format(d)} ${timeFormat.format(d)}`;
}

/** A plain calendar date "2026-11-23" → "23/11/2026" (no time zone involved). */
export function formatPlainDate(date: string | null | undefined): string {
  if (!date) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : date;
}

function validDate(y: number, mo: number, d: number): boolean {
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** "23/11/2026" → "2026-11-23", or null when it is not a real dd/mm/aaaa date. */
export function parsePlainDate(text: string): string | null {
  const m = /^\s*(\d{1,2})\/(\d{1,2})\/(\d{4})\s*$/.exec(text);
  if (!m) return null;
  const d = Number(m[1]);
  const mo = Number(m[2]);
  const y = Number(m[3]);
  if (!validDate(y, mo, d)) return null;
  return `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

/** "23/11/2026 10:30" (Lima) → "2026-11-23T15:30:00Z", or null when malformed. */
export function parseLimaDateTime(text: string): string | null {
  const m = /^\s*(\d{1,2}\/\d{1,2}\/\d{4})\s+(\d{1,2}):(\d{2})\s*$/.exec(text);
  if (!m) return null;
  const date = parsePlainDate(m[1] ?? "");
  const h = Number(m[2]);
  const min = Number(m[3]);
  if (!date || h > 23 || min > 59) return null;
  const local = `${date}T${String(h).padStart(2, "0")}:${String(min).padStart(2, "0")}:00${LIMA_OFFSET}`;
  return new Date(local).toISOString().replace(".000Z", "Z");
}

/** The current Lima time as "dd/mm/aaaa hh:mm", to prefill a form. */
export function nowLima(): string {
  return formatDateTime(new Date().toISOString());
}

/** The current Lima date as "dd/mm/aaaa". */
export function todayLima(): string {
  return formatDate(new Date().toISOString());
}
