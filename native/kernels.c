// Momentum Lab's native kernels (an optional Node-API addon; the WebAssembly kernels run where it is not built): the
// sparse first layer's two loops and the optimizer step. The sparse first layer of the MLP works on the WebAssembly memory itself, at the byte offsets the
// JavaScript side lays out (src-core/mlp/wasm/fast-net.ts), with 256-bit vectors where the CPU has AVX2:
//
//   gather:  a_b[j]  = b1[j] + sum over image b's nonzero pixels e (in pixel order) of x_e * W1[row_e + j]
//   scatter: gW1[row_e + j] += x_e * dh_b[j]   for b in order, e in pixel order; rows marked and listed as touched
//
// Every lane j is computed as the WebAssembly kernels compute it (src-core/mlp/wasm/assembly/kernels.ts): one
// float32 multiply, then one float32 add, term by term in the same order (no fused multiply-add: the build turns
// contraction off), so the results are theirs bit for bit whatever the vector width. Each call checks that every
// byte it will touch lies inside the memory, and throws a RangeError otherwise: nothing is read or written then.

#include <node_api.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  uint8_t *base;
  size_t len;
} Mem;

// The packed nonzero pixel: (byte offset of its row of W1) << 8 | grey level.
#define ROW(q) ((q) >> 8)
#define GREY(q) ((q) & 255u)

#define DEFINE_KERNELS(SUF, WIDTH, ATTR)                                                                              \
  typedef float vf_##SUF __attribute__((vector_size(WIDTH * 4), aligned(4)));                                        \
  ATTR static void gather_##SUF(uint8_t *m, uint32_t ab, int H, uint32_t w1, const uint32_t *pk, const float *unit,    \
                                int e0, int e1) {                                                                      \
    enum { V = WIDTH, P = 8 * WIDTH };                                                                                 \
    int j = 0;                                                                                                         \
    for (; j + P <= H; j += P) {                                                                                       \
      vf_##SUF *o = (vf_##SUF *)(m + ab + 4 * (uint32_t)j);                                                            \
      vf_##SUF a0 = o[0], a1 = o[1], a2 = o[2], a3 = o[3], a4 = o[4], a5 = o[5], a6 = o[6], a7 = o[7];                 \
      const uint8_t *lj = m + w1 + 4 * (uint32_t)j;                                                                    \
      for (int e = e0; e < e1; e++) {                                                                                  \
        const uint32_t q = pk[e];                                                                                      \
        const float x = unit[GREY(q)];                                                                                 \
        const vf_##SUF *r = (const vf_##SUF *)(lj + ROW(q));                                                           \
        a0 = a0 + x * r[0]; a1 = a1 + x * r[1]; a2 = a2 + x * r[2]; a3 = a3 + x * r[3];                                \
        a4 = a4 + x * r[4]; a5 = a5 + x * r[5]; a6 = a6 + x * r[6]; a7 = a7 + x * r[7];                                \
      }                                                                                                                \
      o[0] = a0; o[1] = a1; o[2] = a2; o[3] = a3; o[4] = a4; o[5] = a5; o[6] = a6; o[7] = a7;                          \
    }                                                                                                                  \
    for (; j + V <= H; j += V) {                                                                                       \
      vf_##SUF *o = (vf_##SUF *)(m + ab + 4 * (uint32_t)j);                                                            \
      vf_##SUF a0 = o[0];                                                                                              \
      const uint8_t *lj = m + w1 + 4 * (uint32_t)j;                                                                    \
      for (int e = e0; e < e1; e++) {                                                                                  \
        const uint32_t q = pk[e];                                                                                      \
        a0 = a0 + unit[GREY(q)] * *(const vf_##SUF *)(lj + ROW(q));                                                    \
      }                                                                                                                \
      o[0] = a0;                                                                                                       \
    }                                                                                                                  \
    for (; j < H; j++) {                                                                                               \
      float *o = (float *)(m + ab + 4 * (uint32_t)j);                                                                  \
      float a0 = *o;                                                                                                   \
      const uint8_t *lj = m + w1 + 4 * (uint32_t)j;                                                                    \
      for (int e = e0; e < e1; e++) {                                                                                  \
        const uint32_t q = pk[e];                                                                                      \
        a0 = a0 + unit[GREY(q)] * *(const float *)(lj + ROW(q));                                                       \
      }                                                                                                                \
      *o = a0;                                                                                                         \
    }                                                                                                                  \
  }                                                                                                                    \
  ATTR static void scatter_##SUF(uint8_t *m, uint32_t g, int H, uint32_t d, const uint32_t *pk, const float *unit,     \
                                 int e0, int e1) {                                                                     \
    enum { V = WIDTH, P = 8 * WIDTH };                                                                                 \
    int j = 0;                                                                                                         \
    for (; j + P <= H; j += P) {                                                                                       \
      const vf_##SUF *dv = (const vf_##SUF *)(m + d + 4 * (uint32_t)j);                                                \
      const vf_##SUF a0 = dv[0], a1 = dv[1], a2 = dv[2], a3 = dv[3], a4 = dv[4], a5 = dv[5], a6 = dv[6], a7 = dv[7];   \
      uint8_t *lj = m + g + 4 * (uint32_t)j;                                                                           \
      for (int e = e0; e < e1; e++) {                                                                                  \
        const uint32_t q = pk[e];                                                                                      \
        const float x = unit[GREY(q)];                                                                                 \
        vf_##SUF *r = (vf_##SUF *)(lj + ROW(q));                                                                       \
        r[0] = r[0] + x * a0; r[1] = r[1] + x * a1; r[2] = r[2] + x * a2; r[3] = r[3] + x * a3;                        \
        r[4] = r[4] + x * a4; r[5] = r[5] + x * a5; r[6] = r[6] + x * a6; r[7] = r[7] + x * a7;                        \
      }                                                                                                                \
    }                                                                                                                  \
    for (; j + V <= H; j += V) {                                                                                       \
      const vf_##SUF a0 = *(const vf_##SUF *)(m + d + 4 * (uint32_t)j);                                                \
      uint8_t *lj = m + g + 4 * (uint32_t)j;                                                                           \
      for (int e = e0; e < e1; e++) {                                                                                  \
        const uint32_t q = pk[e];                                                                                      \
        vf_##SUF *r = (vf_##SUF *)(lj + ROW(q));                                                                       \
        *r = *r + unit[GREY(q)] * a0;                                                                                  \
      }                                                                                                                \
    }                                                                                                                  \
    for (; j < H; j++) {                                                                                               \
      const float a0 = *(const float *)(m + d + 4 * (uint32_t)j);                                                      \
      uint8_t *lj = m + g + 4 * (uint32_t)j;                                                                           \
      for (int e = e0; e < e1; e++) {                                                                                  \
        const uint32_t q = pk[e];                                                                                      \
        float *r = (float *)(lj + ROW(q));                                                                             \
        *r = *r + unit[GREY(q)] * a0;                                                                                  \
      }                                                                                                                \
    }                                                                                                                  \
  }

// The optimizer step on n floats, in float64 as HeavyBall.step and the WebAssembly step(): with d = 0,
// v' = -lr * g (v untouched); else v' = d * v - lr * g, stored as float32; w = float32(w + v') with v' in float64;
// g = 0. Returns 1 when every new w is finite. Conversions float32 -> float64 are exact and float64 -> float32
// rounds to nearest, as WebAssembly's promote and demote do.
#define DEFINE_STEP(SUF, ATTR)                                                                                         \
  ATTR static int step_##SUF(float *restrict w, float *restrict g, float *restrict v, int n, double lr, double d) {    \
    int ok = 1;                                                                                                        \
    if (d == 0) {                                                                                                      \
      for (int i = 0; i < n; i++) {                                                                                    \
        const double vi = -lr * (double)g[i];                                                                          \
        const float nw = (float)((double)w[i] + vi);                                                                   \
        w[i] = nw;                                                                                                     \
        g[i] = 0;                                                                                                      \
        ok &= (nw - nw) == 0;                                                                                          \
      }                                                                                                                \
    } else {                                                                                                           \
      for (int i = 0; i < n; i++) {                                                                                    \
        const double vi = d * (double)v[i] - lr * (double)g[i];                                                        \
        v[i] = (float)vi;                                                                                              \
        const float nw = (float)((double)w[i] + vi);                                                                   \
        w[i] = nw;                                                                                                     \
        g[i] = 0;                                                                                                      \
        ok &= (nw - nw) == 0;                                                                                          \
      }                                                                                                                \
    }                                                                                                                  \
    return ok;                                                                                                         \
  }

DEFINE_KERNELS(base, 4, )
DEFINE_STEP(base, )
#if defined(__x86_64__) && defined(__GNUC__)
DEFINE_KERNELS(avx2, 8, __attribute__((target("avx2"))))
DEFINE_STEP(avx2, __attribute__((target("avx2"))))
#endif

typedef void (*GatherFn)(uint8_t *, uint32_t, int, uint32_t, const uint32_t *, const float *, int, int);
typedef int (*StepFn)(float *restrict, float *restrict, float *restrict, int, double, double);
static GatherFn gather_fn = gather_base;
static GatherFn scatter_fn = scatter_base;
static StepFn step_fn = step_base;
static const char *width_name = "128-bit";

// ---- Node-API glue ----

#define CHECK(call)                                                                                                    \
  do {                                                                                                                 \
    if ((call) != napi_ok) {                                                                                           \
      napi_throw_error(env, NULL, "momentum-lab kernels: a Node-API call failed");                                     \
      return NULL;                                                                                                     \
    }                                                                                                                  \
  } while (0)

static int get_mem(napi_env env, napi_value v, Mem *out) {
  bool is;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return 0;
  napi_typedarray_type type;
  size_t length, offset;
  void *data;
  napi_value ab;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, &ab, &offset) != napi_ok) return 0;
  if (type != napi_uint8_array || offset != 0) return 0;
  out->base = (uint8_t *)data;
  out->len = length;
  return 1;
}

// True when [at, at + bytes) lies inside the memory and at is aligned to align.
static int inside(const Mem *m, uint64_t at, uint64_t bytes, uint64_t align) {
  return at % align == 0 && at <= m->len && bytes <= m->len - at;
}

#define RANGE(cond, what)                                                                                              \
  do {                                                                                                                 \
    if (!(cond)) {                                                                                                     \
      napi_throw_range_error(env, NULL, "momentum-lab kernels: " what " lies outside the memory");                     \
      return NULL;                                                                                                     \
    }                                                                                                                  \
  } while (0)

// The arguments both batch calls share: (memory, out/g, H, w1/d-or-b1, ..., start, packed, unit, idx, count).
static int get_u32s(napi_env env, napi_value *argv, int from, int n, uint32_t *out) {
  for (int i = 0; i < n; i++) {
    double x;
    if (napi_get_value_double(env, argv[from + i], &x) != napi_ok) return 0;
    if (!(x >= 0 && x <= 4294967295.0) || x != (double)(uint32_t)x) return 0;
    out[i] = (uint32_t)x;
  }
  return 1;
}

// Checks image n's nonzeros (start table and packed entries) and returns them; 0 when out of range.
static int image_entries(const Mem *m, uint32_t start, uint32_t packed, uint32_t n, uint32_t rowLimit, int *e0,
                         int *e1) {
  if (!inside(m, (uint64_t)start + 4ull * n, 8, 4)) return 0;
  const int32_t s0 = *(const int32_t *)(m->base + start + 4ull * n);
  const int32_t s1 = *(const int32_t *)(m->base + start + 4ull * n + 4);
  if (s0 < 0 || s1 < s0 || !inside(m, (uint64_t)packed + 4ull * (uint32_t)s0, 4ull * (uint32_t)(s1 - s0), 4)) return 0;
  const uint32_t *pk = (const uint32_t *)(m->base + packed);
  for (int e = s0; e < s1; e++)
    if (ROW(pk[e]) > rowLimit) return 0;
  *e0 = s0;
  *e1 = s1;
  return 1;
}

// gather(memory, a, H, w1, b1, start, packed, unit, idx, count): a_b = b1 + the image's sum, b < count.
static napi_value Gather(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Mem m;
  uint32_t u[9];
  if (argc != 10 || !get_mem(env, argv[0], &m) || !get_u32s(env, argv, 1, 9, u)) {
    napi_throw_type_error(env, NULL, "momentum-lab kernels: gather(memory, a, H, w1, b1, start, packed, unit, idx, count)");
    return NULL;
  }
  const uint32_t a = u[0], H = u[1], w1 = u[2], b1 = u[3], start = u[4], packed = u[5], unit = u[6], idx = u[7],
                 count = u[8];
  const uint64_t hb = 4ull * H;
  RANGE(H >= 1 && H <= 65536, "the hidden width");
  RANGE(inside(&m, a, hb * count, 4), "the activations");
  RANGE(inside(&m, b1, hb, 4), "b1");
  RANGE(inside(&m, unit, 1024, 4), "the grey-level table");
  RANGE(inside(&m, idx, 4ull * count, 4), "the image list");
  RANGE(inside(&m, w1, hb, 4) && m.len - w1 >= hb, "W1");
  const uint32_t rowLimit = (uint32_t)(m.len - w1 - hb); // the largest row offset whose H floats fit
  int e0, e1;
  // Every image checked before anything is written.
  for (uint32_t b = 0; b < count; b++)
    RANGE(image_entries(&m, start, packed, *(const uint32_t *)(m.base + idx + 4ull * b), rowLimit, &e0, &e1),
          "an image's nonzero pixels");
  for (uint32_t b = 0; b < count; b++) {
    const uint32_t n = *(const uint32_t *)(m.base + idx + 4ull * b);
    e0 = *(const int32_t *)(m.base + start + 4ull * n); // checked above
    e1 = *(const int32_t *)(m.base + start + 4ull * n + 4);
    memcpy(m.base + a + hb * b, m.base + b1, hb);
    gather_fn(m.base, (uint32_t)(a + hb * b), (int)H, w1, (const uint32_t *)(m.base + packed),
              (const float *)(m.base + unit), e0, e1);
  }
  return NULL;
}

// scatter(memory, g, H, dh, start, packed, unit, idx, count, mark, list, listLen): gW1 += x_e dh_b, rows listed.
static napi_value Scatter(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Mem m;
  uint32_t u[11];
  if (argc != 12 || !get_mem(env, argv[0], &m) || !get_u32s(env, argv, 1, 11, u)) {
    napi_throw_type_error(env, NULL,
                          "momentum-lab kernels: scatter(memory, g, H, dh, start, packed, unit, idx, count, mark, list, listLen)");
    return NULL;
  }
  const uint32_t g = u[0], H = u[1], dh = u[2], start = u[3], packed = u[4], unit = u[5], idx = u[6], count = u[7],
                 mark = u[8], list = u[9], listLen = u[10];
  const uint64_t hb = 4ull * H;
  RANGE(H >= 1 && H <= 65536, "the hidden width");
  RANGE(inside(&m, dh, hb * count, 4), "dh");
  RANGE(inside(&m, unit, 1024, 4), "the grey-level table");
  RANGE(inside(&m, idx, 4ull * count, 4), "the image list");
  RANGE(inside(&m, listLen, 4, 4), "the list's length");
  RANGE(inside(&m, g, hb, 4) && m.len - g >= hb, "the gradient");
  const uint32_t rowLimit = (uint32_t)(m.len - g - hb);
  int32_t len = *(const int32_t *)(m.base + listLen);
  const uint32_t *pk = (const uint32_t *)(m.base + packed);
  int e0, e1;
  // Everything checked before anything is written: each image's pixels and their marks, and room in the list for
  // every pixel of the batch (more than it can need: a row is listed once).
  uint64_t total = 0;
  for (uint32_t b = 0; b < count; b++) {
    RANGE(image_entries(&m, start, packed, *(const uint32_t *)(m.base + idx + 4ull * b), rowLimit, &e0, &e1),
          "an image's nonzero pixels");
    for (int e = e0; e < e1; e++)
      RANGE(inside(&m, (uint64_t)mark + (ROW(pk[e]) >> 2), 1, 1), "the touched-row marks");
    total += (uint64_t)(e1 - e0);
  }
  RANGE(len >= 0 && inside(&m, list, 4ull * ((uint64_t)len + total), 4), "the touched-row list");
  for (uint32_t b = 0; b < count; b++) {
    const uint32_t n = *(const uint32_t *)(m.base + idx + 4ull * b);
    e0 = *(const int32_t *)(m.base + start + 4ull * n); // checked above
    e1 = *(const int32_t *)(m.base + start + 4ull * n + 4);
    for (int e = e0; e < e1; e++) {
      const uint32_t off = ROW(pk[e]);
      if (m.base[mark + (off >> 2)] == 0) {
        m.base[mark + (off >> 2)] = 1;
        *(int32_t *)(m.base + list + 4ull * (uint32_t)len) = (int32_t)off;
        len++;
      }
    }
    scatter_fn(m.base, g, (int)H, (uint32_t)(dh + hb * b), pk, (const float *)(m.base + unit), e0, e1);
  }
  *(int32_t *)(m.base + listLen) = len;
  return NULL;
}

static int get_f64s(napi_env env, napi_value *argv, int from, int n, double *out) {
  for (int i = 0; i < n; i++)
    if (napi_get_value_double(env, argv[from + i], &out[i]) != napi_ok) return 0;
  return 1;
}

static napi_value boolean(napi_env env, int value) {
  napi_value r;
  return napi_get_boolean(env, value != 0, &r) == napi_ok ? r : NULL;
}

// step(memory, w, g, v, n, lr, d): the optimizer step on n floats (v untouched when d = 0); true if all finite.
static napi_value Step(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Mem m;
  uint32_t u[4];
  double h[2];
  if (argc != 7 || !get_mem(env, argv[0], &m) || !get_u32s(env, argv, 1, 4, u) || !get_f64s(env, argv, 5, 2, h)) {
    napi_throw_type_error(env, NULL, "momentum-lab kernels: step(memory, w, g, v, n, lr, d)");
    return NULL;
  }
  const uint32_t w = u[0], g = u[1], v = u[2], n = u[3];
  RANGE(n <= (1u << 30) && inside(&m, w, 4ull * n, 4) && inside(&m, g, 4ull * n, 4), "the weights or gradients");
  RANGE(h[1] == 0 || inside(&m, v, 4ull * n, 4), "the velocities");
  return boolean(env, step_fn((float *)(m.base + w), (float *)(m.base + g), (float *)(m.base + v), (int)n, h[0], h[1]));
}

// stepRows(memory, w, g, v, H, lr, d, mark, list, listLen): step() on each listed row (byte offsets of an H-wide
// matrix), its mark cleared; the list emptied. True if all finite.
static napi_value StepRows(napi_env env, napi_callback_info info) {
  size_t argc = 10;
  napi_value argv[10];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  Mem m;
  uint32_t u[4], t[3];
  double h[2];
  if (argc != 10 || !get_mem(env, argv[0], &m) || !get_u32s(env, argv, 1, 4, u) || !get_f64s(env, argv, 5, 2, h) ||
      !get_u32s(env, argv, 7, 3, t)) {
    napi_throw_type_error(env, NULL, "momentum-lab kernels: stepRows(memory, w, g, v, H, lr, d, mark, list, listLen)");
    return NULL;
  }
  const uint32_t w = u[0], g = u[1], v = u[2], H = u[3], mark = t[0], list = t[1], listLen = t[2];
  const uint64_t hb = 4ull * H;
  RANGE(H >= 1 && H <= 65536 && inside(&m, listLen, 4, 4), "the list's length");
  const int32_t len = *(const int32_t *)(m.base + listLen);
  RANGE(len >= 0 && inside(&m, list, 4ull * (uint32_t)len, 4), "the touched-row list");
  const int32_t *rows = (const int32_t *)(m.base + list);
  for (int32_t r = 0; r < len; r++) {
    const uint64_t off = (uint32_t)rows[r];
    RANGE(rows[r] >= 0 && off % 4 == 0 && inside(&m, w + off, hb, 4) && inside(&m, g + off, hb, 4) &&
              (h[1] == 0 || inside(&m, v + off, hb, 4)) && inside(&m, mark + (off >> 2), 1, 1),
          "a touched row");
  }
  int ok = 1;
  for (int32_t r = 0; r < len; r++) {
    const uint32_t off = (uint32_t)rows[r];
    ok &= step_fn((float *)(m.base + w + off), (float *)(m.base + g + off), (float *)(m.base + v + off), (int)H, h[0],
                  h[1]);
    m.base[mark + (off >> 2)] = 0;
  }
  *(int32_t *)(m.base + listLen) = 0;
  return boolean(env, ok);
}

NAPI_MODULE_INIT(/* napi_env env, napi_value exports */) {
#if defined(__x86_64__) && defined(__GNUC__)
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx2")) {
    gather_fn = gather_avx2;
    scatter_fn = scatter_avx2;
    step_fn = step_avx2;
    width_name = "256-bit (AVX2)";
  }
#endif
  napi_value fn, w;
  if (napi_create_function(env, "gather", NAPI_AUTO_LENGTH, Gather, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "gather", fn) != napi_ok ||
      napi_create_function(env, "scatter", NAPI_AUTO_LENGTH, Scatter, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "scatter", fn) != napi_ok ||
      napi_create_function(env, "step", NAPI_AUTO_LENGTH, Step, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "step", fn) != napi_ok ||
      napi_create_function(env, "stepRows", NAPI_AUTO_LENGTH, StepRows, NULL, &fn) != napi_ok ||
      napi_set_named_property(env, exports, "stepRows", fn) != napi_ok ||
      napi_create_string_utf8(env, width_name, NAPI_AUTO_LENGTH, &w) != napi_ok ||
      napi_set_named_property(env, exports, "vectors", w) != napi_ok)
    return NULL;
  return exports;
}
