// Tiny string helpers for writing WAT from TypeScript: locals, loops, SIMD idioms, an inline exp.
// Pure text builders with no knowledge of any particular kernel.

/** `(local.get $name)`. */
export const get = (name: string) => `(local.get $${name})`;
/** `(local.set $name value)`. */
export const set = (name: string, value: string) => `(local.set $${name} ${value})`;
/** `name += value` for an i32 local. */
export const add = (name: string, value: string | number) =>
  set(name, `(i32.add ${get(name)} ${typeof value === 'number' ? `(i32.const ${value})` : value})`);
/** `count` copies of `body(i)`, newline-separated. */
export const repeat = (count: number, body: (i: number) => string) =>
  Array.from({ length: count }, (_, i) => body(i)).join('\n');
/** Byte address `base + index·4` of a float element. */
export const at = (base: string, index: string) => `(i32.add ${base} (i32.shl ${index} (i32.const 2)))`;
/** Local declarations `(local $a type) ...`. */
export const locals = (type: 'i32' | 'f32' | 'f64' | 'v128', ...names: string[]) =>
  names.map((n) => `(local $${n} ${type})`).join(' ');

/** A `block`/`loop` pair that runs `body` while `cond` (an i32 expression) is true. */
export function whileLoop(label: string, cond: string, body: string): string {
  return `(block $${label}_done (loop $${label}
  (br_if $${label}_done (i32.eqz ${cond}))
  ${body}
  (br $${label})))`;
}

/** How a loop body loads and stores one step: four lanes, or a single element in lane 0 (the tail). */
interface Lanes {
  /** True in the one-element tail, where only lane 0 is meaningful. */
  readonly tail: boolean;
  /** Loads 4 floats; in the tail one float, splatted (`fill: 'splat'`) or with zero lanes (`fill: 'zero'`). */
  load(address: string, fill?: 'splat' | 'zero'): string;
  /** Stores 4 floats; in the tail only lane 0. */
  store(address: string, value: string): string;
}

const VECTOR: Lanes = {
  tail: false,
  load: (address) => `(v128.load align=4 ${address})`,
  store: (address, value) => `(v128.store align=4 ${address} ${value})`,
};
const TAIL: Lanes = {
  tail: true,
  load: (address, fill = 'splat') =>
    fill === 'zero' ? `(v128.load32_zero align=4 ${address})` : `(v128.load32_splat align=4 ${address})`,
  store: (address, value) => `(v128.store32_lane align=4 0 ${address} ${value})`,
};

/** for (j = start; j < end; j++) in steps of 4 with a one-element tail; `j` must be an i32 local. */
export function loop4(
  label: string,
  j: string,
  start: string,
  end: string,
  body: (l: Lanes) => string,
): string {
  return `${set(j, start)}
  ${whileLoop(label, `(i32.le_s (i32.add ${get(j)} (i32.const 4)) ${end})`, `${body(VECTOR)}\n${add(j, 4)}`)}
  ${whileLoop(`${label}_t`, `(i32.lt_s ${get(j)} ${end})`, `${body(TAIL)}\n${add(j, 1)}`)}`;
}

/** Adds `value` (v128) into v128 local `vec`, or, in the tail, its lane 0 into f32 local `scalar`. */
export const accumulate = (l: Lanes, vec: string, scalar: string, value: string) =>
  l.tail
    ? set(scalar, `(f32.add ${get(scalar)} (f32x4.extract_lane 0 ${value}))`)
    : set(vec, `(f32x4.add ${get(vec)} ${value})`);

/** Horizontal sum of the four lanes of a v128 expression held in local `v`. */
export const hsum = (v: string) =>
  `(f32.add (f32.add (f32x4.extract_lane 0 ${get(v)}) (f32x4.extract_lane 1 ${get(v)}))
            (f32.add (f32x4.extract_lane 2 ${get(v)}) (f32x4.extract_lane 3 ${get(v)})))`;
/** Horizontal max of the four lanes of local `v`. */
export const hmax = (v: string) =>
  `(f32.max (f32.max (f32x4.extract_lane 0 ${get(v)}) (f32x4.extract_lane 1 ${get(v)}))
            (f32.max (f32x4.extract_lane 2 ${get(v)}) (f32x4.extract_lane 3 ${get(v)})))`;
/** A v128 constant with four equal f32 lanes. */
export const f4 = (value: number) => {
  const s = Math.fround(value).toPrecision(9);
  return `(v128.const f32x4 ${s} ${s} ${s} ${s})`;
};

/** Locals `expInline` needs (declare once per function). */
export const EXP_LOCALS = locals('v128', 'ex_x', 'ex_n', 'ex_p', 'ex_k');

// 1.5·2^23: adding it rounds to an integer held in the low mantissa bits, cheaper than nearest + trunc_sat.
const MAGIC = 12582912;

/**
 * Statements setting v128 local `dst` to exp(`src` expression) per lane (Cephes expf: Cody–Waite range
 * reduction plus a degree-5 polynomial, relative error ~2e-7). Inputs above 80 clamp there, so
 * 1/(1 + exp(x)) never goes subnormal; below -87.3 the result is 0.
 */
export function expInline(dst: string, src: string): string {
  const x = get('ex_x');
  const poly = [
    1.98756915e-4, 1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1,
  ];
  let p = f4(poly[0]!);
  for (const c of poly.slice(1)) p = `(f32x4.add (f32x4.mul ${p} ${x}) ${f4(c)})`;
  // Inputs below the smallest normal result flush to 0 (the mask), so exp(-inf) and far tails are exact zeros.
  return `${set('ex_x', src)}
  ${set('ex_k', `(f32x4.ge ${x} ${f4(-87.33654)})`)}
  ${set('ex_x', `(f32x4.pmin (f32x4.pmax ${x} ${f4(-87.33654)}) ${f4(80)})`)}
  ${set('ex_k', `(v128.and ${get('ex_k')} ${f4(1)})`)}
  ${set('ex_n', `(f32x4.add (f32x4.mul ${x} ${f4(Math.LOG2E)}) ${f4(MAGIC)})`)}
  ${set('ex_p', `(f32x4.sub ${get('ex_n')} ${f4(MAGIC)})`)}
  ${set('ex_x', `(f32x4.sub (f32x4.sub ${x} (f32x4.mul ${get('ex_p')} ${f4(0.693359375)})) (f32x4.mul ${get('ex_p')} ${f4(-2.1219444e-4)}))`)}
  ${set('ex_k', `(f32x4.mul ${get('ex_k')} (i32x4.shl (i32x4.add ${get('ex_n')} (v128.const i32x4 127 127 127 127)) (i32.const 23)))`)}
  ${set(dst, `(f32x4.mul ${get('ex_k')} (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul ${p} ${x}) ${x}) ${x}) ${f4(1)}))`)}`;
}
