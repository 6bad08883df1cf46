// Runs a test body with TARIFFSIM_CACHE set to `value` (undefined: unset), restoring the caller's value after.
export function withCacheEnv(value: string | undefined, body: () => void): void {
  const before = process.env.TARIFFSIM_CACHE;
  try {
    if (value === undefined) delete process.env.TARIFFSIM_CACHE;
    else process.env.TARIFFSIM_CACHE = value;
    body();
  } finally {
    if (before === undefined) delete process.env.TARIFFSIM_CACHE;
    else process.env.TARIFFSIM_CACHE = before;
  }
}
