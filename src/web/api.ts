// Client of the tariffsim HTTP API (issue 14) for the runs too long for the page (trade war, sweeps):
// POST /v1/runs {kind, …} → 200 with the result, or 202 with Location → poll GET /v1/runs/{id} until it
// succeeds → GET /v1/runs/{id}/result. Every failure is an ApiUnavailable (no server answered) or an ApiError
// (the server's problem+json detail), so the page can say what happened. Pure (fetch is injected).
export class ApiUnavailable extends Error {}
export class ApiError extends Error {}

type Fetch = (input: string, init?: { method?: string; headers?: Record<string, string>; body?: string }) => Promise<{ ok: boolean; status: number; headers: { get(name: string): string | null }; json(): Promise<unknown> }>;

const NEEDS_SERVER = 'runs on the tariffsim server (`tariffsim serve`, routes /v1/runs)';

async function send(fetchFn: Fetch, url: string, init?: Parameters<Fetch>[1]) {
  try {
    return await fetchFn(url, init);
  } catch {
    throw new ApiUnavailable(`This ${NEEDS_SERVER}: no server answered at ${url}.`);
  }
}

async function problem(r: Awaited<ReturnType<Fetch>>, url: string): Promise<never> {
  const body = (await r.json().catch(() => null)) as { detail?: string; title?: string } | null;
  if (r.status === 404 && url.endsWith('/v1/runs')) throw new ApiUnavailable(`This ${NEEDS_SERVER}: this host has no /v1/runs.`);
  throw new ApiError(`${body?.detail ?? body?.title ?? `HTTP ${r.status}`} (${url})`);
}

/** Posts a run and waits for its result (polling every `pollMs`, at most `timeoutMs`). */
export async function runOnServer(body: Record<string, unknown>, opts: { fetch: Fetch; base?: string; pollMs?: number; timeoutMs?: number; onStatus?: (s: string) => void; sleep?: (ms: number) => Promise<void> }): Promise<unknown> {
  const base = opts.base ?? '';
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const url = `${base}/v1/runs`;
  const r = await send(opts.fetch, url, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body) });
  if (r.status === 200 || r.status === 201) return unwrap(await r.json());
  if (r.status !== 202) return problem(r, url);
  const loc = r.headers.get('location');
  const posted = (await r.json().catch(() => ({}))) as { id?: string };
  const runUrl = loc ? (loc.startsWith('http') || loc.startsWith('/') ? `${loc.startsWith('/') ? base : ''}${loc}` : `${url}/${loc}`) : `${url}/${posted.id}`;
  const t0 = Date.now();
  for (;;) {
    if (Date.now() - t0 > (opts.timeoutMs ?? 600_000)) throw new ApiError(`the run at ${runUrl} did not finish in time; it goes on on the server`);
    const s = await send(opts.fetch, runUrl, { headers: { accept: 'application/json' } });
    if (!s.ok) return problem(s, runUrl);
    const st = (await s.json()) as { status?: string; progress?: unknown; error?: { detail?: string } };
    opts.onStatus?.(`${st.status ?? '?'}${st.progress !== undefined ? ` (${JSON.stringify(st.progress)})` : ''}`);
    if (st.status === 'succeeded') {
      const res = await send(opts.fetch, `${runUrl}/result?format=json`, { headers: { accept: 'application/json' } });
      if (!res.ok) return problem(res, `${runUrl}/result`);
      return unwrap(await res.json());
    }
    if (st.status === 'failed' || st.status === 'cancelled') throw new ApiError(`the run ${st.status}${st.error?.detail ? `: ${st.error.detail}` : ''}`);
    await sleep(opts.pollMs ?? 1000);
  }
}

/** A result may come wrapped with its versions ({result, modelVersion, …}). */
function unwrap(x: unknown): unknown {
  const o = x as { result?: unknown };
  return o && typeof o === 'object' && 'result' in o ? o.result : x;
}
