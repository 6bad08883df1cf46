// A counter-based random number generator: every number is a pure function of (key, counter), so draw d of
// sweep s gives the same values on any worker, in any order, and after any retry. The mixer is Philox-style in
// spirit but simpler: SplitMix64's finaliser (Steele, Lea & Flood 2014) applied to a 64-bit state built from a
// hash of the key and the counter, in BigInt-free 32-bit halves. Pure.

/** 32-bit FNV-1a hash of a string (key → seed). */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < text.length; k++) {
    h ^= text.charCodeAt(k);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a bijection that mixes every input bit into every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Uniform number in [0, 1) for (key, a, b, c): 53 random bits from two 32-bit words, each the finaliser applied
 * twice to a different combination of the counters. `a`, `b`, `c` are non-negative integers below 2^32 (draw,
 * parameter, component).
 */
export function uniformAt(key: number, a: number, b: number, c: number): number {
  const x = fmix32((key ^ fmix32(a + 0x9e3779b9)) >>> 0);
  const y = fmix32((x ^ fmix32((b * 0x7feb352d + c) >>> 0)) >>> 0);
  const hi = fmix32((y ^ 0x68e31da4) >>> 0) >>> 5; // 27 bits
  const lo = fmix32((y + 0x1b56c4e9 + c) >>> 0) >>> 6; // 26 bits
  return (hi * 67108864 + lo) / 9007199254740992;
}

/** A stream of uniforms for one (sweep key, draw, parameter): the k-th call returns uniformAt(key, draw, param, k). */
export function streamAt(key: number, draw: number, param: number): () => number {
  let k = 0;
  return () => uniformAt(key, draw, param, k++);
}

/** Standard normal by Box–Muller from two uniforms of a stream (deterministic, no cached second value). */
export function normalFrom(next: () => number): number {
  const u1 = 1 - next(); // (0, 1]
  const u2 = next();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
