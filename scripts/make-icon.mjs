#!/usr/bin/env node
// Draws the app icon, resources/icon.png (512 x 512 RGBA), with no
// dependencies and no network: a rounded square in the lab's blue, the
// heavy-ball trajectory of a damped oscillation in white settling onto its
// minimum, and the ball in Okabe–Ito orange. The PNG is written by hand
// (signature, IHDR, one zlib-compressed IDAT, IEND; CRC-32 per chunk).
// electron-builder derives the .icns (macOS) and .ico (Windows) from it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { deflateSync } from 'node:zlib';

const SIZE = 512;
const SS = 4; // supersamples per axis, for anti-aliased edges
const out = resolve(dirname(new URL(import.meta.url).pathname), '..', 'resources', 'icon.png');

const mix = (a, b, t) => a + (b - a) * t;

// The trajectory: x_t of heavy-ball on x^2/2 (lr 0.5, d 0.6), drawn left to right.
const pts = [];
{
  let x = 1;
  let v = 0;
  for (let t = 0; t <= 16; t++) {
    pts.push([mix(92, 420, t / 16), 256 - x * 150]);
    v = 0.6 * v - 0.5 * x;
    x += v;
  }
}

function distToSegment(px, py, [ax, ay], [bx, by]) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

function insideRoundedSquare(x, y) {
  const m = 24;
  const r = 96;
  const cx = Math.min(Math.max(x, m + r), SIZE - m - r);
  const cy = Math.min(Math.max(y, m + r), SIZE - m - r);
  return Math.hypot(x - cx, y - cy) <= r;
}

/** Colour of one sample point: [r, g, b, a] in 0..1. */
function sample(x, y) {
  if (!insideRoundedSquare(x, y)) return [0, 0, 0, 0];
  const t = y / SIZE;
  let c = [mix(0.22, 0.1, t), mix(0.48, 0.3, t), mix(0.92, 0.72, t), 1];
  // The minimum: a faint horizontal line.
  if (Math.abs(y - 256) < 2.5 && x > 80 && x < 432) c = [mix(c[0], 1, 0.35), mix(c[1], 1, 0.35), mix(c[2], 1, 0.35), 1];
  let d = Infinity;
  for (let i = 1; i < pts.length; i++) d = Math.min(d, distToSegment(x, y, pts[i - 1], pts[i]));
  if (d < 12) c = [1, 1, 1, 1];
  const [bx, by] = pts[pts.length - 1];
  if (Math.hypot(x - bx, y - by) < 34) c = [0.835, 0.369, 0, 1]; // #d55e00
  return c;
}

const rgba = Buffer.alloc(SIZE * SIZE * 4);
for (let y = 0; y < SIZE; y++) {
  for (let x = 0; x < SIZE; x++) {
    let r = 0;
    let g = 0;
    let b = 0;
    let a = 0;
    for (let sy = 0; sy < SS; sy++) {
      for (let sx = 0; sx < SS; sx++) {
        const c = sample(x + (sx + 0.5) / SS, y + (sy + 0.5) / SS);
        r += c[0] * c[3];
        g += c[1] * c[3];
        b += c[2] * c[3];
        a += c[3];
      }
    }
    const o = (y * SIZE + x) * 4;
    rgba[o] = a ? Math.round((r / a) * 255) : 0;
    rgba[o + 1] = a ? Math.round((g / a) * 255) : 0;
    rgba[o + 2] = a ? Math.round((b / a) * 255) : 0;
    rgba[o + 3] = Math.round((a / (SS * SS)) * 255);
  }
}

// CRC-32 (ISO 3309, as PNG uses it), table-driven.
const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(SIZE, 0);
ihdr.writeUInt32BE(SIZE, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // colour type: RGBA
// Each scanline starts with filter type 0 (none).
const raw = Buffer.alloc(SIZE * (SIZE * 4 + 1));
for (let y = 0; y < SIZE; y++) rgba.copy(raw, y * (SIZE * 4 + 1) + 1, y * SIZE * 4, (y + 1) * SIZE * 4);
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, png);
console.log(`wrote ${out} (${SIZE}x${SIZE}, ${png.length} bytes)`);
