// The system's open and save dialogs (tauri-plugin-dialog), behind the backend door like every
// other call: components ask for a path and get `null` when the person cancels.
import { open, save } from "@tauri-apps/plugin-dialog";

function single(picked: string | string[] | null): string | null {
  if (Array.isArray(picked)) return picked[0] ?? null;
  return picked;
}

/** Chooses a PDF file to verify. */
export async function pickPdf(): Promise<string | null> {
  return single(await open({ title: "Elegir un PDF", multiple: false, directory: false,
    filters: [{ name: "Documentos PDF", extensions: ["pdf", "PDF"] }] }));
}

/** Chooses the specialist's certificate file (PKCS#12). */
export async function pickPfx(): Promise<string | null> {
  return single(await open({ title: "Elegir el certificado digital", multiple: false, directory: false,
    filters: [{ name: "Certificado digital (PFX/P12)", extensions: ["pfx", "p12", "PFX", "P12"] }] }));
}

/** Chooses a root CA certificate file. */
export async function pickCertificate(): Promise<string | null> {
  return single(await open({ title: "Elegir un certificado raíz", multiple: false, directory: false,
    filters: [{ name: "Certificados", extensions: ["cer", "crt", "der", "pem", "CER", "CRT", "DER", "PEM"] }] }));
}

/** Asks where to save a PDF; `defaultName` is the suggested file name. */
export async function pickSavePath(defaultName: string): Promise<string | null> {
  return await save({ title: "Guardar PDF como", defaultPath: defaultName,
    filters: [{ name: "Documentos PDF", extensions: ["pdf"] }] });
}
