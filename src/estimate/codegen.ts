// The one code-generating kernel cache of the estimator. Hot loops over rows with several interleaved variables
// run about 2× faster in V8 when unrolled for their shape, so ./kernels.ts and ./row-kernels.ts generate them
// once per shape with `new Function` and keep them here by name. Where code generation is not allowed (a strict
// Content-Security-Policy in a browser) `generate` returns null from then on and the callers use their generic
// loops. Pure.

const cache = new Map<string, unknown>();
let codegenAllowed = true;

/** A function with these parameter names and body, or null where code generation is not allowed. */
export function generate<K>(params: string[], body: string): K | null {
  if (!codegenAllowed) return null;
  try {
    return new Function(...params, body) as K;
  } catch {
    codegenAllowed = false;
    return null;
  }
}

/** The generated kernels by name (names carry their family and shape, e.g. `sweep:3,2,1`). */
export const kernelCache = {
  get<K>(name: string): K | undefined {
    return cache.get(name) as K | undefined;
  },
  set<K>(name: string, k: K): K {
    cache.set(name, k);
    return k;
  },
};

/** For tests: turn code generation off (or back on) to exercise the generic loops; empties the cache. */
export function setCodegen(allowed: boolean): void {
  codegenAllowed = allowed;
  cache.clear();
}
