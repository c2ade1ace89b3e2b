// @ts-nocheck -- AssemblyScript source (compiled by scripts/build-wasm.mjs with asc), not TypeScript for tsc.
//
// The two sparse first-layer loops of the sharpness meter's Hessian-vector
// product (src-core/train/sharpness/hvp.ts), in float64 SIMD lanes (f64x2).
// Each output element sums the same terms in the same order as the
// TypeScript loops (no fused multiply-add in WebAssembly): the results are
// equal to theirs bit for bit. Every argument is a byte offset into the
// memory the JavaScript side lays out (sparse-first-layer.ts).
//
// An image set is CSR: start[b] .. start[b + 1] (i32) index its nonzeros in
// `packed`, one u32 each: pixel << 8 | grey; x = unit[grey] (f64, the
// lab's grey / 255 as float32, widened).

// rows[b*H + j] += sum_{e of image b} x_e * w[pixel_e*H + j], for b < N, j < H: 16 lanes (8 f64x2) per pass.
export function gatherAll(rows: usize, H: i32, w: usize, start: usize, packed: usize, unit: usize, N: i32): void {
  sweep(false, rows, H, w, start, packed, unit, N);
}

// g[pixel_e*H + j] += x_e * d[b*H + j] for every nonzero e of image b, images b < N in order, j < H.
export function scatterAll(g: usize, H: i32, d: usize, start: usize, packed: usize, unit: usize, N: i32): void {
  sweep(true, d, H, g, start, packed, unit, N);
}

// The one walk both loops make: for every image b < N, every hidden unit j < H (16 lanes per pass, then 2, then 1),
// every nonzero e of image b in order, between a = rows[b*H + j] (float64) and l = layer[pixel_e*H + j]:
// gather (scatter false) a += x_e * l; scatter l += x_e * a. Inlined with a constant `scatter`, so each export
// compiles to its own loop with no branch on it.
@inline
function sweep(
  scatter: bool, rows: usize, H: i32, layer: usize, start: usize, packed: usize, unit: usize, N: i32
): void {
  const rowBytes = <usize>H << 3;
  for (let b = 0; b < N; b++) {
    const e0 = load<i32>(start + (<usize>b << 2));
    const e1 = load<i32>(start + (<usize>b << 2), 4);
    const rb = rows + <usize>b * rowBytes;
    let j = 0;
    for (; j + 16 <= H; j += 16) {
      const o = rb + (<usize>j << 3);
      let a0 = v128.load(o), a1 = v128.load(o, 16), a2 = v128.load(o, 32), a3 = v128.load(o, 48);
      let a4 = v128.load(o, 64), a5 = v128.load(o, 80), a6 = v128.load(o, 96), a7 = v128.load(o, 112);
      const lj = layer + (<usize>j << 3);
      for (let e = e0; e < e1; e++) {
        const v = load<u32>(packed + (<usize>e << 2));
        const x = f64x2.splat(load<f64>(unit + (<usize>(v & 255) << 3)));
        const r = lj + <usize>(v >>> 8) * rowBytes;
        if (scatter) {
          v128.store(r, f64x2.add(v128.load(r), f64x2.mul(x, a0)));
          v128.store(r, f64x2.add(v128.load(r, 16), f64x2.mul(x, a1)), 16);
          v128.store(r, f64x2.add(v128.load(r, 32), f64x2.mul(x, a2)), 32);
          v128.store(r, f64x2.add(v128.load(r, 48), f64x2.mul(x, a3)), 48);
          v128.store(r, f64x2.add(v128.load(r, 64), f64x2.mul(x, a4)), 64);
          v128.store(r, f64x2.add(v128.load(r, 80), f64x2.mul(x, a5)), 80);
          v128.store(r, f64x2.add(v128.load(r, 96), f64x2.mul(x, a6)), 96);
          v128.store(r, f64x2.add(v128.load(r, 112), f64x2.mul(x, a7)), 112);
        } else {
          a0 = f64x2.add(a0, f64x2.mul(x, v128.load(r)));
          a1 = f64x2.add(a1, f64x2.mul(x, v128.load(r, 16)));
          a2 = f64x2.add(a2, f64x2.mul(x, v128.load(r, 32)));
          a3 = f64x2.add(a3, f64x2.mul(x, v128.load(r, 48)));
          a4 = f64x2.add(a4, f64x2.mul(x, v128.load(r, 64)));
          a5 = f64x2.add(a5, f64x2.mul(x, v128.load(r, 80)));
          a6 = f64x2.add(a6, f64x2.mul(x, v128.load(r, 96)));
          a7 = f64x2.add(a7, f64x2.mul(x, v128.load(r, 112)));
        }
      }
      if (!scatter) {
        v128.store(o, a0); v128.store(o, a1, 16); v128.store(o, a2, 32); v128.store(o, a3, 48);
        v128.store(o, a4, 64); v128.store(o, a5, 80); v128.store(o, a6, 96); v128.store(o, a7, 112);
      }
    }
    for (; j + 2 <= H; j += 2) {
      const o = rb + (<usize>j << 3);
      let a0 = v128.load(o);
      const lj = layer + (<usize>j << 3);
      for (let e = e0; e < e1; e++) {
        const v = load<u32>(packed + (<usize>e << 2));
        const x = f64x2.splat(load<f64>(unit + (<usize>(v & 255) << 3)));
        const r = lj + <usize>(v >>> 8) * rowBytes;
        if (scatter) v128.store(r, f64x2.add(v128.load(r), f64x2.mul(x, a0)));
        else a0 = f64x2.add(a0, f64x2.mul(x, v128.load(r)));
      }
      if (!scatter) v128.store(o, a0);
    }
    for (; j < H; j++) {
      const o = rb + (<usize>j << 3);
      let a0 = load<f64>(o);
      const lj = layer + (<usize>j << 3);
      for (let e = e0; e < e1; e++) {
        const v = load<u32>(packed + (<usize>e << 2));
        const r = lj + <usize>(v >>> 8) * rowBytes;
        if (scatter) store<f64>(r, load<f64>(r) + load<f64>(unit + (<usize>(v & 255) << 3)) * a0);
        else a0 += load<f64>(unit + (<usize>(v & 255) << 3)) * load<f64>(r);
      }
      if (!scatter) store<f64>(o, a0);
    }
  }
}
