// The decisions of the document panel and the sign dialog, apart from the DOM so they can be
// tested: which signature lines a form has, how versions are grouped and which one can be
// signed, and what the sign dialog sends.
import type { GeneratedDocument, SignRequest } from "../backend";

export type DocumentKindName = "register" | "assignment" | "transfer" | "decommission" | "diagnostic";
export type SignerRoleName = "employee" | "technician" | "approver";
export type ReasonName = "author" | "conformity" | "approval";

/** The handwritten signature lines of each form, in the order they are printed. */
export function padsFor(kind: DocumentKindName, supportUnit = "UAST"): { role: SignerRoleName; label: string }[] {
  switch (kind) {
    case "assignment":
      return [
        { role: "employee", label: "Firma del servidor/a" },
        { role: "technician", label: `Firma del servidor/a de la ${supportUnit}` },
      ];
    case "transfer":
      return [
        { role: "technician", label: "Entrega: firma del técnico/a" },
        { role: "employee", label: "Recibe: firma del servidor/a" },
      ];
    case "register":
      return [
        { role: "technician", label: "V° B° Especialista TIC" },
        { role: "approver", label: "V° B° Jefa/e de Unidad" },
      ];
    case "decommission":
      return [
        { role: "technician", label: "Elaborado por: firma del especialista" },
        { role: "approver", label: "V° B° Jefa/e de la unidad" },
      ];
    case "diagnostic":
      return [
        { role: "technician", label: "Diagnosticado por" },
        { role: "employee", label: "Recibe (usuario/a o proveedor)" },
      ];
  }
}

/** The reasons ("Motivo") a digital signature can give, with the text printed in the stamp. */
export const REASONS: readonly { value: ReasonName; label: string }[] = [
  { value: "author", label: "Soy el autor del documento" },
  { value: "conformity", label: "En señal de conformidad" },
  { value: "approval", label: "Doy V° B°" },
];

/** The reason a new signature most likely has: the first one is the author's, later ones V° B°. */
export function defaultReason(signatureCount: number): ReasonName {
  return signatureCount === 0 ? "author" : "approval";
}

/** One generated document: its versions, oldest first. */
export interface DocumentChain {
  first: GeneratedDocument;
  versions: GeneratedDocument[];
  latest: GeneratedDocument;
}

/**
 * Groups the versions returned by `documents_of` (oldest first, several documents possibly)
 * into chains by `previous_id`; newest document first.
 */
export function chains(all: readonly GeneratedDocument[]): DocumentChain[] {
  const byPrevious = new Map<string, GeneratedDocument>();
  for (const d of all) if (d.previous_id) byPrevious.set(d.previous_id, d);
  const out: DocumentChain[] = [];
  for (const d of all) {
    if (d.previous_id) continue;
    const versions = [d];
    let next = byPrevious.get(d.id);
    while (next && versions.length <= all.length) {
      versions.push(next);
      next = byPrevious.get(next.id);
    }
    out.push({ first: d, versions, latest: versions[versions.length - 1]! });
  }
  return out.reverse();
}

/** Only the latest version of a document can receive a new signature. */
export function canSign(doc: GeneratedDocument, chain: DocumentChain): boolean {
  return chain.latest.id === doc.id;
}

export interface SignForm {
  pfxPath: string;
  password: string;
  remember: boolean;
  reason: ReasonName;
}

/**
 * What the dialog sends, or the message to show next to a field. An empty password is allowed
 * only when one is remembered for the chosen file; "Recordar" only with a typed password and a
 * keyring.
 */
export function signRequest(
  id: string,
  form: SignForm,
  opts: { keyringAvailable: boolean; passwordRemembered: boolean },
): { ok: true; request: SignRequest } | { ok: false; field: "pfx_path" | "password"; message: string } {
  const pfx = form.pfxPath.trim();
  if (!pfx) {
    return { ok: false, field: "pfx_path", message: "Elija el archivo de su certificado digital (PFX o P12)." };
  }
  if (!form.password && !opts.passwordRemembered) {
    return { ok: false, field: "password", message: "Escriba la contraseña del certificado." };
  }
  return {
    ok: true,
    request: {
      id,
      pfx_path: pfx,
      password: form.password ? form.password : null,
      remember: opts.keyringAvailable && form.remember && form.password.length > 0,
      reason: form.reason,
    },
  };
}

/** "12.3 KB" */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** The file name suggested by "Guardar como…". */
export function suggestedName(doc: GeneratedDocument): string {
  const number = (doc.number ?? "").replace(/^N\s*[°º.]*\s*/, "").replace(/[^0-9A-Za-z-]/g, "");
  const base = number ? `${doc.kind}-${number}` : doc.kind;
  return `${base}-v${doc.version}.pdf`;
}
