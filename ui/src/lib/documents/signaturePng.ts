// A handwritten signature as vector strokes, rasterized and encoded as a transparent PNG
// without the canvas: the exported image is the same in every webview (and in the tests,
// where jsdom has no 2D canvas), and it is written directly as 8-bit grey + alpha, the form
// chaski-docs embeds (docs/documents.md), so nothing is converted on the way to the PDF.

/** One point of a stroke, in pad coordinates (CSS pixels of the pad). */
export interface StrokePoint {
  x: number;
  y: number;
}

export type Stroke = StrokePoint[];

/** Ink width in pad pixels. */
export const INK_WIDTH = 2.5;

/**
 * Rasterizes `strokes` on a `width` × `height` pad at `scale` output pixels per pad pixel.
 * Returns grey + alpha pixels (black ink, alpha = anti-aliased coverage), row by row.
 */
export function rasterize(strokes: Stroke[], width: number, height: number, scale: number): Uint8Array {
  const w = Math.max(1, Math.round(width * scale));
  const h = Math.max(1, Math.round(height * scale));
  const alpha = new Float32Array(w * h);
  const r = (INK_WIDTH * scale) / 2;
  for (const stroke of strokes) {
    if (stroke.length === 0) continue;
    // A single tap is a dot: a segment of length zero.
    const pts = stroke.length === 1 ? [stroke[0]!, stroke[0]!] : stroke;
    for (let i = 1; i < pts.length; i++) {
      const a = pts[i - 1]!;
      const b = pts[i]!;
      capsule(alpha, w, h, a.x * scale, a.y * scale, b.x * scale, b.y * scale, r);
    }
  }
  const out = new Uint8Array(w * h * 2);
  for (let i = 0; i < w * h; i++) {
    out[2 * i] = 0; // grey: black ink
    out[2 * i + 1] = Math.round(alpha[i]! * 255);
  }
  return out;
}

function capsule(a: Float32Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number, r: number) {
  const minX = Math.max(0, Math.floor(Math.min(x0, x1) - r - 1));
  const maxX = Math.min(w - 1, Math.ceil(Math.max(x0, x1) + r + 1));
  const minY = Math.max(0, Math.floor(Math.min(y0, y1) - r - 1));
  const maxY = Math.min(h - 1, Math.ceil(Math.max(y0, y1) + r + 1));
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  for (let y = minY; y <= maxY; y++) {
    for (let x = minX; x <= maxX; x++) {
      const px = x + 0.5 - x0;
      const py = y + 0.5 - y0;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / len2));
      const ex = px - t * dx;
      const ey = py - t * dy;
      const d = Math.sqrt(ex * ex + ey * ey);
      const cover = Math.max(0, Math.min(1, r + 0.5 - d));
      const k = y * w + x;
      if (cover > a[k]!) a[k] = cover;
    }
  }
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (let i = 0; i < bytes.length; i++) {
    a = (a + bytes[i]!) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

/** zlib data with stored (uncompressed) deflate blocks: always valid, used without CompressionStream. */
export function zlibStored(data: Uint8Array): Uint8Array {
  const blocks = Math.max(1, Math.ceil(data.length / 65535));
  const out = new Uint8Array(2 + data.length + blocks * 5 + 4);
  out[0] = 0x78;
  out[1] = 0x01;
  let o = 2;
  for (let b = 0; b < blocks; b++) {
    const start = b * 65535;
    const len = Math.min(65535, data.length - start);
    out[o++] = b === blocks - 1 ? 1 : 0;
    out[o++] = len & 0xff;
    out[o++] = len >>> 8;
    out[o++] = ~len & 0xff;
    out[o++] = (~len >>> 8) & 0xff;
    out.set(data.subarray(start, start + len), o);
    o += len;
  }
  const ad = adler32(data);
  out[o++] = ad >>> 24;
  out[o++] = (ad >>> 16) & 0xff;
  out[o++] = (ad >>> 8) & 0xff;
  out[o++] = ad & 0xff;
  return out;
}

async function zlibCompress(data: Uint8Array): Promise<Uint8Array> {
  if (typeof CompressionStream === "undefined") return zlibStored(data);
  const cs = new CompressionStream("deflate");
  const writer = cs.writable.getWriter();
  const reader = cs.readable.getReader();
  const parts: Uint8Array[] = [];
  // Write and read at the same time: the stream applies back-pressure.
  const written = writer.write(data as Uint8Array<ArrayBuffer>).then(() => writer.close());
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

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out.subarray(4, 8 + data.length)));
  return out;
}

/** The 8 bytes every PNG file starts with. */
export const PNG_SIGNATURE = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Encodes grey + alpha pixels (8 bits each) as a PNG file. */
export async function encodeGreyAlphaPng(pixels: Uint8Array, w: number, h: number): Promise<Uint8Array> {
  const ihdr = new Uint8Array(13);
  const v = new DataView(ihdr.buffer);
  v.setUint32(0, w);
  v.setUint32(4, h);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 4; // colour type: grey + alpha
  // compression 0, filter 0, interlace 0
  const raw = new Uint8Array(h * (1 + w * 2));
  for (let y = 0; y < h; y++) {
    raw[y * (1 + w * 2)] = 0; // filter: none
    raw.set(pixels.subarray(y * w * 2, (y + 1) * w * 2), y * (1 + w * 2) + 1);
  }
  const idat = await zlibCompress(raw);
  const parts = [PNG_SIGNATURE, chunk("IHDR", ihdr), chunk("IDAT", idat), chunk("IEND", new Uint8Array(0))];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Standard base64 of bytes (for IPC as a string). */
export function toBase64(bytes: Uint8Array): string {
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}
