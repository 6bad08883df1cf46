// The model in the page: runs a scenario object on the embedded baseline with the precomputed tariffs in force
// (./assets-format.ts), through the same compile → solve → report steps as the CLI (src/scenario/run.ts,
// src/app/models/cp.ts), and the standoff measures against a reference deal (src/scenario/standoff.ts).
// Pure: runs in a Web Worker, in Node tests and in the bench.
import { InputError } from '../errors.ts';
import type { World } from '../data/world.ts';
import { parseWorld } from '../data/world-json.ts';
import { cpScenarioReport, type CpScenarioReport } from '../app/models/cp.ts';
import { scenarioFromObject } from '../scenario/load.ts';
import { prepareScenario, solvePreparedScenario, type ScenarioRun } from '../scenario/run.ts';
import { standoffReport, type StandoffReport } from '../scenario/standoff.ts';
import { matrixAsset, toTariffMatrix, type PolicyAssets, type PresetAsset } from './assets-format.ts';

export interface EngineRun {
  report: CpScenarioReport;
  /** Standoff measures of USA and CHN: this scenario against the reference deal (same closure). */
  standoff: StandoffReport | null;
  /** Trade-weighted tariffs applied in this run (the policy day plus lever overrides), percent of baseline goods trade, by pair "importer<exporter". */
  inForce: Record<string, number>;
  ms: number;
}

export const DEAL_REFERENCE = 'geneva-2025-05';

export class WebEngine {
  readonly world: World;
  readonly regions: string[];
  private readonly deals = new Map<string, ScenarioRun>();

  constructor(
    worldText: string,
    readonly policy: PolicyAssets,
    readonly presets: PresetAsset[],
  ) {
    this.world = parseWorld(worldText, 'world2024.json');
    this.regions = this.world.regions.map((r) => r.code);
  }

  /** Runs a scenario object (validated like a scenario file; errors name the field). */
  solve(obj: Record<string, unknown>, label = '<page state>'): ScenarioRun {
    const scenario = scenarioFromObject(obj, label);
    if (scenario.spec.dataset !== 'world2024') throw new InputError(`the web app runs on world2024, not ${scenario.spec.dataset}`, { field: 'dataset' });
    const p = scenario.spec.policy;
    let policy;
    if (p) {
      const m = matrixAsset(this.policy, p.date, p.announcedThrough);
      if (!m) throw new InputError(`no tariffs in force for ${p.date}${p.announcedThrough ? ` announced through ${p.announcedThrough}` : ''}`, { field: 'policy.date' }, `days ${this.policy.coverage.from} … ${this.policy.coverage.to}`);
      if (p.china === false) throw new InputError('the web app has the tariff matrices with China\'s tariffs only', { field: 'policy.china' });
      policy = toTariffMatrix(this.policy, m, p.date, this.world.tariff);
    }
    // The CLI's own solve step (src/scenario/run.ts), so the page's numbers follow any change to it.
    return solvePreparedScenario(scenario, prepareScenario(scenario, this.world, { policy }));
  }

  private last: ScenarioRun | null = null;

  /** Runs a scenario object; `standoff: false` leaves the standoff measures for a later `standoffOfLast()` (so a
   *  first load shows the scenario before the reference deal is solved). */
  run(obj: Record<string, unknown>, opts: { standoff?: boolean } = {}): EngineRun {
    const t0 = performance.now();
    const run = this.solve(obj);
    this.last = run;
    const report = cpScenarioReport(run);
    const standoff = opts.standoff === false ? null : this.standoffOf(run);
    return { report, standoff, inForce: this.inForce(run), ms: performance.now() - t0 };
  }

  /** The standoff measures of the last run (null before any run). */
  standoffOfLast(): StandoffReport | null {
    return this.last ? this.standoffOf(this.last) : null;
  }

  private standoffOf(run: ScenarioRun): StandoffReport | null {
    const closure = run.results.closure;
    let deal = this.deals.get(closure);
    const ref = this.presets.find((p) => p.id === DEAL_REFERENCE);
    if (!deal && ref) {
      deal = this.solve({ ...ref.spec, closure }, ref.file);
      this.deals.set(closure, deal);
    }
    return deal ? standoffReport(run, deal, 'USA', 'CHN') : null;
  }

  /** Trade-weighted average start tariff (percent) of importer n on exporter i over goods, baseline trade weights. */
  private inForce(run: ScenarioRun): Record<string, number> {
    const w = this.world;
    const N = w.regions.length;
    const J = w.sectors.length;
    const tau = run.compiled.counterfactual.tariff ?? w.tariff;
    const avg = (n: number, is: number[]) => {
      let s = 0;
      let t = 0;
      for (let j = 0; j < J; j++) {
        if (w.sectors[j].tradable === false) continue;
        for (const i of is) {
          const x = (j * N + n) * N + i;
          s += w.trade[x];
          t += w.trade[x] * tau[x];
        }
      }
      return s > 0 ? (100 * t) / s : 0;
    };
    const us = this.regions.indexOf('USA');
    const cn = this.regions.indexOf('CHN');
    const out: Record<string, number> = { 'USA<CHN': avg(us, [cn]), 'CHN<USA': avg(cn, [us]) };
    const others = this.regions.map((_, k) => k).filter((k) => k !== us && k !== cn);
    out['USA<others'] = avg(us, others);
    for (const k of others) out[`USA<${this.regions[k]}`] = avg(us, [k]);
    return out;
  }
}
