// The signature pad turns a stroke drawn with the pointer into a transparent PNG, and clear
// empties it. jsdom has neither PointerEvent nor a 2D canvas: the events are MouseEvents named
// like pointer events (what the handlers read is the same), and the PNG never comes from the
// canvas (signaturePng.ts), so what is checked here is what the app sends.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen } from "@testing-library/svelte";

import SignaturePad from "./SignaturePad.svelte";
import { PNG_SIGNATURE, encodeGreyAlphaPng, rasterize, toBase64, zlibStored } from "./signaturePng";

// jsdom has no 2D canvas and logs "Not implemented" for getContext: answer null, as a
// webview without a canvas would (the pad then only skips drawing the ink on screen).
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, "getContext").mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

function pointer(el: Element, type: string, x: number, y: number) {
  const e = new MouseEvent(type, { bubbles: true, cancelable: true, clientX: x, clientY: y, button: 0 });
  Object.defineProperty(e, "pointerId", { value: 7 });
  el.dispatchEvent(e);
}

function draw(canvas: Element, points: [number, number][]) {
  points.forEach(([x, y], i) => pointer(canvas, i === 0 ? "pointerdown" : "pointermove", x, y));
  const [x, y] = points[points.length - 1]!;
  pointer(canvas, "pointerup", x, y);
}

/** zlib inflate with the web platform's DecompressionStream (what a webview has too). */
async function inflate(data: Uint8Array): Promise<Uint8Array> {
  const ds = new DecompressionStream("deflate");
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  const written = writer.write(data as Uint8Array<ArrayBuffer>).then(() => writer.close());
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  await written;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Decodes our PNG (IHDR + one IDAT) into grey + alpha pixels. */
async function decode(png: Uint8Array) {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  expect(Array.from(png.subarray(0, 8))).toEqual(Array.from(PNG_SIGNATURE));
  let o = 8;
  let w = 0;
  let h = 0;
  let colourType = -1;
  const idat: Uint8Array[] = [];
  const types: string[] = [];
  while (o < png.length) {
    const len = view.getUint32(o);
    const type = String.fromCharCode(...png.subarray(o + 4, o + 8));
    types.push(type);
    const data = png.subarray(o + 8, o + 8 + len);
    if (type === "IHDR") {
      w = view.getUint32(o + 8);
      h = view.getUint32(o + 12);
      colourType = data[9]!;
    }
    if (type === "IDAT") idat.push(data);
    o += 12 + len;
  }
  expect(types).toEqual(["IHDR", "IDAT", "IEND"]);
  const all = new Uint8Array(idat.reduce((n, p) => n + p.length, 0));
  idat.reduce((o, p) => (all.set(p, o), o + p.length), 0);
  const raw = await inflate(all);
  expect(raw.length).toBe(h * (1 + 2 * w));
  const alpha = (x: number, y: number) => raw[y * (1 + 2 * w) + 1 + 2 * x + 1]!;
  return { w, h, colourType, alpha };
}

describe("SignaturePad", () => {
  it("exports a drawn stroke as a transparent grey+alpha PNG, and clear empties it", async () => {
    const onchange = vi.fn();
    const { component } = render(SignaturePad, { label: "Firma del servidor/a", id: "emp", width: 200, height: 80, scale: 2, onchange });
    const canvas = document.getElementById("emp-canvas")!;
    expect(component.isEmpty()).toBe(true);
    expect(await component.toPng()).toBeNull();
    const clear = screen.getByRole("button", { name: "Borrar y volver a firmar" }) as HTMLButtonElement;
    expect(clear.disabled).toBe(true);

    draw(canvas, [[20, 40], [60, 30], [100, 50], [180, 40]]);
    expect(onchange).toHaveBeenLastCalledWith(true);
    expect(component.isEmpty()).toBe(false);
    await screen.findByText("Firma registrada.");

    const png = (await component.toPng())!;
    expect(png.length).toBeGreaterThan(67); // more than an empty 1×1 PNG
    const img = await decode(png);
    expect([img.w, img.h, img.colourType]).toEqual([400, 160, 4]);
    // Ink on the stroke (pad (60,30) → output (120,60)), transparent far from it.
    expect(img.alpha(120, 60)).toBe(255);
    expect(img.alpha(5, 150)).toBe(0);
    expect(img.alpha(395, 5)).toBe(0);
    const b64 = (await component.toPngBase64())!;
    expect(b64.startsWith("iVBORw0KGgo")).toBe(true); // base64 of the PNG signature

    // Keyboard: the buttons are real buttons, reachable with Tab and pressed with Enter/Space.
    expect(clear.disabled).toBe(false);
    clear.focus();
    expect(document.activeElement).toBe(clear);
    await fireEvent.click(clear);
    expect(component.isEmpty()).toBe(true);
    expect(await component.toPng()).toBeNull();
    expect(onchange).toHaveBeenLastCalledWith(false);
    await screen.findByText(/Firme dentro del recuadro/);
  });

  it("undo removes only the last stroke; a tap is a dot", async () => {
    const { component } = render(SignaturePad, { label: "Firma del técnico", id: "tec", width: 100, height: 50, scale: 1 });
    const canvas = document.getElementById("tec-canvas")!;
    draw(canvas, [[10, 10], [30, 10]]);
    draw(canvas, [[80, 40]]);
    let img = await decode((await component.toPng())!);
    expect(img.alpha(20, 10)).toBe(255);
    expect(img.alpha(80, 40)).toBeGreaterThan(100);
    await fireEvent.click(screen.getByRole("button", { name: "Deshacer trazo" }));
    img = await decode((await component.toPng())!);
    expect(img.alpha(20, 10)).toBe(255);
    expect(img.alpha(80, 40)).toBe(0);
  });

  it("ignores moves of another pointer and of a secondary button", async () => {
    const { component } = render(SignaturePad, { label: "Firma", id: "x", width: 100, height: 50, scale: 1 });
    const canvas = document.getElementById("x-canvas")!;
    const right = new MouseEvent("pointerdown", { bubbles: true, clientX: 10, clientY: 10, button: 2 });
    canvas.dispatchEvent(right);
    pointer(canvas, "pointermove", 50, 20);
    expect(component.isEmpty()).toBe(true);
  });
});

describe("signaturePng", () => {
  it("stored-block zlib (no CompressionStream) inflates back to the same bytes", async () => {
    // More than one stored block (65 535 bytes each).
    const data = new Uint8Array(70_000).map((_, i) => (i * 31) & 0xff);
    const back = await inflate(zlibStored(data));
    expect(back.length).toBe(data.length);
    expect(back.findIndex((b, i) => b !== data[i])).toBe(-1);
  });

  it("encodes what it rasterizes", async () => {
    const px = rasterize([[{ x: 0, y: 5 }, { x: 10, y: 5 }]], 10, 10, 1);
    const png = await encodeGreyAlphaPng(px, 10, 10);
    const img = await decode(png);
    expect(img.alpha(5, 5)).toBe(255);
    expect(img.alpha(5, 0)).toBe(0);
    expect(toBase64(new Uint8Array([0xff, 0x00, 0x41]))).toBe(btoa("\xff\x00A"));
  });
});
