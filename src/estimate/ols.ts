// Ordinary least squares with (optional) high-dimensional fixed effects: the within estimator, with the fixed
// effects partialled out by ./demean.ts (Frisch–Waugh–Lovell). Used for the log-linear gravity benchmark
// (Yotov et al. 2016, ch. 1, eq. (1-23)). Pure.
import { ConvergenceError, InputError } from '../errors.ts';
import { findCollinear } from './collinear.ts';
import { Demeaner } from './demean.ts';
import { assemble, squaredCorrelation, withDefaults, wls } from './ppml.ts';
import type { DesignInput, FitOptions, FitResult } from './result.ts';
import { sequentialRunner } from './runner.ts';
import { compact, compactFixedEffects, compactInt, findSeparated, type DropReport } from './separation.ts';
import { computeVcov, fixedEffectParams } from './vcov.ts';

export function fitOls(input: DesignInput, options: FitOptions = {}): FitResult {
  const opts = withDefaults(options);
  const nInput = input.y.length;
  if (nInput === 0) throw new InputError('no observations to estimate on', { field: input.outcomeName }, 'check the --where filter and missing values');
  let { y, X } = input;
  let fes = input.fixedEffects;
  let cluster = input.cluster;
  let used: Uint8Array = new Uint8Array(nInput).fill(1);
  let dropped: DropReport[] = [];
  if (fes.length && opts.dropSingletons) {
    const sep = findSeparated(null, fes, { checkZeros: false, dropSingletons: true });
    dropped = sep.drops;
    let nkeep = 0;
    for (let i = 0; i < nInput; i++) nkeep += sep.keep[i];
    if (nkeep < nInput) {
      used = sep.keep;
      y = compact(y, used, nkeep);
      X = X.map((x) => compact(x, used, nkeep));
      fes = compactFixedEffects(fes, used, nkeep);
      if (cluster) cluster = { name: cluster.name, codes: compactInt(cluster.codes, used, nkeep), size: cluster.size };
    }
  }
  const n = y.length;
  const runner = options.runner ?? sequentialRunner;
  const dm = new Demeaner(fes, n, { runner, method: opts.demeanMethod });
  const all = [y, ...X].map((x) => runner.share(x));
  const allT = all.map(() => runner.f64(n));
  const st = dm.demean(all, allT, dm.newState(all.length), { tol: opts.demeanTol, maxIter: opts.demeanMaxIter });
  if (!st.converged) throw new ConvergenceError('demeaning did not converge', st.iterations, { maxChange: st.maxChange });
  const yt = allT[0];
  let Xt = allT.slice(1);
  let names = input.names.slice();
  const col = findCollinear(all.slice(1), Xt, null, names, fes.length > 0, 1e-9, runner);
  if (col.reports.length) {
    if (opts.collinear === 'error') {
      const r = col.reports[0];
      throw new InputError(`regressor '${r.name}' ${r.reason}`, { field: r.name }, 'remove it from the formula, or pass --drop-collinear');
    }
    Xt = col.kept.map((j) => Xt[j]);
    names = col.kept.map((j) => names[j]);
  }
  const p = Xt.length;
  const beta = wls(Xt, yt, null, p, runner);
  const e = runner.f64(n);
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let xb = 0;
    for (let j = 0; j < p; j++) xb += Xt[j][i] * beta[j];
    e[i] = yt[i] - xb;
    fitted[i] = y[i] - e[i];
  }
  const clusterArg = cluster ? { codes: cluster.codes, size: cluster.size } : undefined;
  if (opts.vcov === 'cluster' && !clusterArg) throw new InputError('clustered standard errors need a cluster variable', { field: 'cluster' }, 'pass --cluster <column>');
  const feParams = fixedEffectParams(fes, opts.vcov === 'cluster' ? clusterArg : undefined);
  const vc = computeVcov({ method: 'ols', Xt, w: null, r: e, type: opts.vcov, cluster: clusterArg, ssc: opts.ssc, feParams, runner });
  return assemble({
    method: 'ols',
    names,
    beta,
    V: vc.V,
    n,
    nInput,
    dropped,
    collinear: col.reports,
    fes,
    vcovType: opts.vcov,
    ssc: opts.ssc,
    factorText: vc.factorText,
    clusters: vc.clusters,
    clusterName: cluster?.name,
    converged: true,
    iterations: 1,
    sweeps: st.iterations,
    eps: 0,
    r2: squaredCorrelation(y, fitted),
    used,
    fitted: opts.keepFitted ? fitted : undefined,
    notes: [],
  });
}
