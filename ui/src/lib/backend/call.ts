// The single place where the UI talks to Tauri and where errors are parsed.
// Every generated command wrapper in bindings.ts goes through `call`.
import { invoke } from "@tauri-apps/api/core";
import type { ErrorCode, Person } from "./bindings";

/** An error from the backend: a stable code, a Spanish message, and the field it refers to. */
export class BackendError extends Error {
  /** The core's stable code, or `ipc_failed` when the call itself broke (a bug of the app). */
  readonly code: ErrorCode | "ipc_failed";
  readonly field: string | undefined;
  /** For `dni_duplicado`: the person who already has that DNI. */
  readonly existingPerson: Person | undefined;

  constructor(code: ErrorCode | "ipc_failed", message: string, field?: string, existingPerson?: Person) {
    super(message);
    this.name = "BackendError";
    this.code = code;
    this.field = field;
    this.existingPerson = existingPerson;
  }
}

type IpcErrorShape = { code: ErrorCode; message: string; field?: string | null; existing_person?: Person };

function isIpcErrorShape(value: unknown): value is IpcErrorShape {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.code === "string" &&
    typeof v.message === "string" &&
    (v.field === undefined || v.field === null || typeof v.field === "string")
  );
}

/** Turns whatever `invoke` rejected with into a `BackendError`. */
export function toBackendError(raw: unknown): BackendError {
  if (raw instanceof BackendError) return raw;
  if (isIpcErrorShape(raw)) {
    return new BackendError(raw.code, raw.message, raw.field ?? undefined, raw.existing_person ?? undefined);
  }
  // Tauri itself rejects with a plain string when a command is missing or its arguments do not
  // deserialize: that is a bug of the app, not of the person's input. Say so, with the detail.
  const detail = raw instanceof Error ? raw.message : String(raw);
  return new BackendError(
    "ipc_failed",
    `La aplicación no pudo completar la operación (${detail}). Reinicie Chaski; si se repite, informe este mensaje.`,
  );
}

/** Invokes a Tauri command; rejects only with `BackendError`. */
export async function call<T>(command: string, args: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw toBackendError(raw);
  }
}
