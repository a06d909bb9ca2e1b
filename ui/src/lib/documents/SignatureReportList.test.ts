// The verification list shows what verify() found, in Spanish, with the time in Lima.
import { afterEach, describe, expect, it } from "vitest";
import { cleanup, render, screen } from "@testing-library/svelte";

import SignatureReportList, { type SignatureReport } from "./SignatureReportList.svelte";

afterEach(() => cleanup());

const author: SignatureReport = {
  field_name: "Firma1",
  signer: "QUISPE HUAMAN Edwin FAU 20123456789 soft",
  reason: "Soy el autor del documento",
  signed_at: "2026-11-23T22:30:05-05:00",
  sub_filter: "ETSI.CAdES.detached",
  covers_whole_file: false,
  modified_after_signing: true,
  digest_valid: true,
  signature_valid: true,
  certificate_trusted: true,
  certificate_valid_at_signing: true,
  problems: [],
};

const approval: SignatureReport = {
  ...author,
  field_name: "Firma2",
  signer: "MAMANI CCAMA Rosa",
  reason: "Doy V° B°",
  // A UTC time from another producer is shown in Lima too.
  signed_at: "2026-11-24T04:00:00Z",
  covers_whole_file: true,
  modified_after_signing: false,
  certificate_trusted: false,
  problems: ["El certificado no proviene de una entidad de confianza configurada."],
};

describe("SignatureReportList", () => {
  it("shows signer, reason, Lima time, later changes and trust of each signature", () => {
    render(SignatureReportList, { reports: [author, approval] });
    const items = screen.getAllByTestId("signature-report");
    expect(items).toHaveLength(2);
    const [first, second] = items.map((li) => li.textContent ?? "");
    expect(screen.getByText("Firmas digitales (2)")).toBeTruthy();

    expect(first).toContain("QUISPE HUAMAN Edwin FAU 20123456789 soft");
    expect(first).toContain("Soy el autor del documento");
    expect(first).toContain("23/11/2026 22:30");
    expect(first).toContain("Firma íntegra");
    expect(first).toContain("Documento modificado después de la firma");
    expect(first).toContain("Certificado de confianza");

    expect(second).toContain("MAMANI CCAMA Rosa");
    expect(second).toContain("Doy V° B°");
    expect(second).toContain("23/11/2026 23:00");
    expect(second).not.toContain("modificado");
    expect(second).toContain("Certificado no reconocido");
    expect(second).toContain("entidad de confianza configurada");
  });

  it("a broken digest is shown as modified after the signature", () => {
    render(SignatureReportList, {
      reports: [{ ...author, digest_valid: false, modified_after_signing: false, certificate_valid_at_signing: false }],
    });
    const text = screen.getByTestId("signature-report").textContent ?? "";
    expect(text).toContain("Firma no válida: documento modificado después de la firma");
    expect(text).not.toContain("Firma íntegra");
    expect(text).toContain("no estaba vigente");
    expect(screen.getByTestId("signature-report").classList.contains("invalid")).toBe(true);
  });

  it("says so when the PDF has no signatures, and tolerates missing fields", () => {
    render(SignatureReportList, { reports: [] });
    expect(screen.getByText("El documento no tiene firmas digitales.")).toBeTruthy();
    cleanup();
    render(SignatureReportList, { reports: [{ ...author, signer: null, reason: null, signed_at: null }] });
    const text = screen.getByTestId("signature-report").textContent ?? "";
    expect(text).toContain("Firmante desconocido");
    expect(text).toContain("Sin motivo");
    expect(text).toContain("Sin fecha");
  });
});
