// The baseline builder's input: a world input–output table reduced to what a CP2015 calibration needs, in the
// project's index order (see ../world.ts). Every source (CP2015's replication files, WIOD 2011) is first
// converted to an IoInput; aggregation (./aggregate.ts) and re-targeting (./retarget.ts) work on IoInputs;
// `worldFromInput` turns one into a World with the CP2015 preprocessing.
//
//   trade       X_ni^j, bil(j,n,i): imports of n from i, net of tariffs. Only i ≠ n is read: the diagonal
//               (domestic sales) is rebuilt as GO − exports. Non-tradable sectors must carry zero trade.
//   tariff      τ_ni^j, bil(j,n,i), fractions.
//   grossOutput GO_n^j, rs(n,j), in `currencyUnit`.
//   vaShare     γ_n^j = value added / gross output, rs(n,j).
//   io          share of input k in the intermediate spending of using sector j in n, io(n,k,j); each column
//               sums to 1 or is all zero.
import { InputError } from '../../errors.ts';
import { IO_NEGATIVE_TOLERANCE, validateWorld, type World } from '../world.ts';

export interface IoInput extends Pick<World, 'name' | 'year' | 'currencyUnit' | 'regions' | 'sectors' | 'trade' | 'tariff' | 'vaShare' | 'io' | 'tariffSchedules' | 'notes'> {
  /** GO_n^j, rs(n,j); raised to cover exports by the preprocessing. */
  grossOutput: Float64Array;
}

/** Checks shapes and signs of an IoInput; throws an InputError naming `source`, the array and the cell. */
export function validateInput(inp: IoInput, source: string): void {
  const N = inp.regions.length;
  const J = inp.sectors.length;
  const expect: [string, Float64Array, number][] = [
    ['trade', inp.trade, J * N * N],
    ['tariff', inp.tariff, J * N * N],
    ['grossOutput', inp.grossOutput, N * J],
    ['vaShare', inp.vaShare, N * J],
    ['io', inp.io, N * J * J],
  ];
  for (const [name, a, len] of expect) {
    if (a.length !== len) throw new InputError(`${name} has ${a.length} entries, expected ${len} for ${N} regions × ${J} sectors`, { file: source, field: name });
    for (let x = 0; x < a.length; x++) {
      if (!Number.isFinite(a[x])) throw new InputError(`${name}[${x}] is ${a[x]}`, { file: source, field: name }, 'replace missing values with numbers');
    }
  }
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        const v = inp.trade[(j * N + n) * N + i];
        if (i === n) continue;
        if (v < 0) throw new InputError(`negative trade ${v}: importer ${inp.regions[n].code}, exporter ${inp.regions[i].code}, sector ${inp.sectors[j].name}`, { file: source, field: 'trade' });
        if (v > 0 && !inp.sectors[j].tradable) {
          throw new InputError(`trade recorded for non-tradable sector ${inp.sectors[j].name} (${inp.regions[i].code} → ${inp.regions[n].code})`, { file: source, field: 'trade' }, 'set the sector tradable or drop its trade');
        }
      }
    }
  }
  for (let x = 0; x < N * J; x++) {
    const where = `${inp.regions[Math.floor(x / J)].code}, ${inp.sectors[x % J].name}`;
    if (inp.grossOutput[x] < 0) throw new InputError(`negative gross output ${inp.grossOutput[x]} (${where})`, { file: source, field: 'grossOutput' });
    if (inp.vaShare[x] < 0 || inp.vaShare[x] > 1) throw new InputError(`value-added share ${inp.vaShare[x]} outside [0, 1] (${where})`, { file: source, field: 'vaShare' });
  }
  for (let x = 0; x < inp.io.length; x++) {
    if (inp.io[x] < -IO_NEGATIVE_TOLERANCE) throw new InputError(`negative input–output share ${inp.io[x]}`, { file: source, field: 'io' });
  }
}

/**
 * CP2015 preprocessing (the paper's Equilibrium/script.m), applied to any IoInput:
 *   1. GO_i^j := max(GO_i^j, Σ_{n≠i} X_ni^j); domestic sales X_ii^j = GO_i^j − exports;
 *   2. expenditure X_n^j = Σ_i X_ni^j (1 + τ_ni^j)                                         (tariff inclusive)
 *   3. α_n^j ∝ max(0, X_n^j − Σ_k γ_n^{j,k} GO_n^k), γ_n^{j,k} = io(n,j,k)(1 − γ_n^k)      (CP2015 eq. (12))
 *   4. w_n L_n = Σ_j γ_n^j GO_n^j;  D_n = imports − exports (net of tariffs).
 * Without clipping in step 3, Σ_j α-numerators = w_n L_n + R_n + D_n, so the data are an equilibrium already.
 */
export function worldFromInput(inp: IoInput, source: string): World {
  validateInput(inp, source);
  const N = inp.regions.length;
  const J = inp.sectors.length;
  const trade = inp.trade.slice();
  const go = inp.grossOutput.slice();
  for (let j = 0; j < J; j++) {
    for (let i = 0; i < N; i++) {
      let exports = 0;
      for (let n = 0; n < N; n++) if (n !== i) exports += trade[(j * N + n) * N + i];
      const g = Math.max(go[i * J + j], exports);
      go[i * J + j] = g;
      trade[(j * N + i) * N + i] = g - exports;
    }
  }
  const X = new Float64Array(N * J);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let i = 0; i < N; i++) s += trade[(j * N + n) * N + i] * (1 + inp.tariff[(j * N + n) * N + i]);
      X[n * J + j] = s;
    }
  }
  const alpha = new Float64Array(N * J);
  for (let n = 0; n < N; n++) {
    let total = 0;
    for (let j = 0; j < J; j++) {
      let inter = 0;
      for (let k = 0; k < J; k++) inter += inp.io[(n * J + j) * J + k] * (1 - inp.vaShare[n * J + k]) * go[n * J + k];
      const a = Math.max(0, X[n * J + j] - inter);
      alpha[n * J + j] = a;
      total += a;
    }
    if (!(total > 0)) throw new InputError(`final demand of ${inp.regions[n].name} is not positive after netting out intermediate use`, { file: source });
    for (let j = 0; j < J; j++) alpha[n * J + j] /= total;
  }
  const valueAdded = new Float64Array(N);
  for (let n = 0; n < N; n++) for (let j = 0; j < J; j++) valueAdded[n] += inp.vaShare[n * J + j] * go[n * J + j];
  const deficit = new Float64Array(N);
  for (let j = 0; j < J; j++) {
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < N; i++) {
        if (i === n) continue;
        const v = trade[(j * N + n) * N + i];
        deficit[n] += v;
        deficit[i] -= v;
      }
    }
  }
  const world: World = {
    name: inp.name,
    year: inp.year,
    currencyUnit: inp.currencyUnit,
    regions: inp.regions,
    sectors: inp.sectors,
    trade,
    tariff: inp.tariff.slice(),
    vaShare: inp.vaShare.slice(),
    io: inp.io.slice(),
    alpha,
    valueAdded,
    deficit,
    ...(inp.tariffSchedules ? { tariffSchedules: Object.fromEntries(Object.entries(inp.tariffSchedules).map(([k, v]) => [k, v.slice()])) } : {}),
    ...(inp.notes ? { notes: inp.notes.slice() } : {}),
  };
  validateWorld(world, source);
  return world;
}

