// The solver's Web Worker: holds the world2024 baseline and the precomputed tariffs, runs scenario objects
// (and grids of them for the deal view) off the page's main thread.
import { WebEngine } from '../src/web/engine.ts';
import type { AnnouncedAssets, PolicyAssets, PresetAsset } from '../src/web/assets-format.ts';

let engine: WebEngine | null = null;

type In =
  | { type: 'init'; world: string; policy: PolicyAssets; presets: PresetAsset[] }
  | { type: 'run'; id: number; spec: Record<string, unknown>; standoff?: boolean }
  | { type: 'standoff'; id: number }
  | { type: 'announced'; id: number; announced: AnnouncedAssets }
  | { type: 'grid'; id: number; specs: Record<string, unknown>[] };

function describe(err: unknown): string {
  const e = err as { message?: string; hint?: string };
  return `${e?.message ?? String(err)}${e?.hint && !String(e.message).includes(e.hint) ? ` (${e.hint})` : ''}`;
}

self.onmessage = (ev: MessageEvent<In>) => {
  const m = ev.data;
  try {
    if (m.type === 'init') {
      engine = new WebEngine(m.world, m.policy, m.presets);
      self.postMessage({ type: 'ready' });
    } else if (m.type === 'run') {
      if (!engine) throw new Error('the model is not loaded yet');
      self.postMessage({ type: 'result', id: m.id, run: engine.run(m.spec, { standoff: m.standoff }) });
    } else if (m.type === 'announced') {
      if (!engine) throw new Error('the model is not loaded yet');
      Object.assign(engine.policy, { announcedMatrices: m.announced.announcedMatrices, announcedDays: m.announced.announcedDays });
      self.postMessage({ type: 'result', id: m.id, run: null });
    } else if (m.type === 'standoff') {
      if (!engine) throw new Error('the model is not loaded yet');
      self.postMessage({ type: 'result', id: m.id, run: engine.standoffOfLast() });
    } else if (m.type === 'grid') {
      if (!engine) throw new Error('the model is not loaded yet');
      const out = m.specs.map((spec, k) => {
        const run = engine!.solve(spec);
        self.postMessage({ type: 'progress', id: m.id, done: k + 1, total: m.specs.length });
        return Object.fromEntries(run.results.regions.map((r) => [r.code, r.realIncome]));
      });
      self.postMessage({ type: 'grid', id: m.id, cells: out });
    }
  } catch (err) {
    self.postMessage({ type: 'error', id: (m as { id?: number }).id ?? -1, message: describe(err) });
  }
};
