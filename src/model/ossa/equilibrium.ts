// Ossa (2014) counterfactual equilibrium in changes ("exact hat algebra"). Pure.
//
// Given counterfactual tariffs t'_ijs, find wage changes ŵ_i and expenditure changes Ê_j such that
// (Ossa 2014, §I–II; replication code myconditions.m):
//
//   P̂_js^(1−σ_s) = Σ_i γ_ijs (ŵ_i τ̂_ijs)^(1−σ_s)                       price index of industry s in j
//   X̂_ijs = ŵ_i^(1−σ_s) τ̂_ijs^(−σ_s) P̂_js^(σ_s−1) Ê_j                   trade at exporter prices
//   ŵ_i   = Σ_s δ_is Ŷ_is,   Ŷ_is = Σ_j α_ijs X̂_ijs                     labour-market clearing      (F1)
//   Ê_j E_j = LI_j ŵ_j + Σ_s Π_js Ŷ_js + Σ_i,s t'_ijs X_ijs X̂_ijs − NX'_j   income = spending        (F2)
//   Σ_i (LI_i / Σ LI) ŵ_i = 1                                           numéraire: world wage bill
//
// with τ̂ = (1 + t')/(1 + t). One F1 equation is implied by the others (Walras) and is replaced by the
// numéraire. Unknowns are solved in logs, z = (ln ŵ, ln Ê), by Newton's method with an analytic Jacobian.
//
// In levels we carry V_ijs = X_ijs X̂_ijs, so that Σ_s δ_is Ŷ_is = Σ_s κ_s Σ_j V_ijs / WB_i (κ = (σ−1)/σ).
//
// Index order: bil(s, j, i) = (s * N + j) * N + i (j importer, i exporter); lnA and price indexes are
// (s * N + j); unknowns z[0..N−1] = ln ŵ, z[N..2N−1] = ln Ê.
// Residual rows: r[0..N−2] = F1 for i = 1..N−1, r[N−1+j] = F2 for j, r[2N−1] = numéraire.
import { ConvergenceError, InputError } from '../../errors.ts';
import type { OssaBaseline } from './baseline.ts';
import { solveDense } from '../dense.ts';

export interface SolveOptions {
  /** Max-norm tolerance on the residuals (which are relative to expenditure / wages). Default 1e-14. */
  tol?: number;
  /** Default 60. */
  maxIterations?: number;
  /** Starting point (ln ŵ, ln Ê), length 2N; default the last solution of this solver, else zeros. */
  guess?: Float64Array;
  /** Counterfactual net exports NX'_j in data units; default zeros (Ossa's purged, balanced world). */
  netExports?: Float64Array;
}

export interface SolveInfo {
  iterations: number;
  residual: number;
}

/** Workspace and state of one Ossa equilibrium. Methods reuse buffers; copy what you keep. */
export class OssaEquilibrium {
  readonly base: OssaBaseline;
  readonly N: number;
  readonly S: number;
  /** Current counterfactual tariffs t', bil(s, j, i). */
  readonly tariff: Float64Array;
  /** z = (ln ŵ, ln Ê). */
  readonly z: Float64Array;
  /** V_ijs = X_ijs X̂_ijs (counterfactual flows in baseline money), bil(s, j, i). */
  readonly V: Float64Array;
  /** Counterfactual within-industry expenditure shares γ'_ijs, bil(s, j, i). */
  readonly share: Float64Array;
  /** ln A_js = ln Σ_i γ_ijs (ŵ_i τ̂_ijs)^(1−σ_s) = (1−σ_s) ln P̂_js, index s * N + j. */
  readonly lnA: Float64Array;
  /** Counterfactual sales Y'_is = Σ_j V_ijs, rs(i, s). */
  readonly salesC: Float64Array;
  /** Counterfactual tariff revenue R'_j = Σ_i,s t'_ijs V_ijs. */
  readonly revenueC: Float64Array;
  readonly residual: Float64Array;
  readonly jac: Float64Array;
  netExportsC: Float64Array;
  /** True once any equilibrium has been solved (the next solve warm-starts from it). */
  hasSolution = false;
  private readonly lnTauHat: Float64Array;
  private readonly tmpA: Float64Array;
  private readonly tmpB: Float64Array;
  private readonly laborSum: number;
  private solved = false;

  constructor(base: OssaBaseline) {
    this.base = base;
    const { N, S } = base;
    this.N = N;
    this.S = S;
    const K = S * N * N;
    this.tariff = Float64Array.from(base.tariff);
    this.z = new Float64Array(2 * N);
    this.V = new Float64Array(K);
    this.share = new Float64Array(K);
    this.lnA = new Float64Array(S * N);
    this.salesC = new Float64Array(N * S);
    this.revenueC = new Float64Array(N);
    this.residual = new Float64Array(2 * N);
    this.jac = new Float64Array(4 * N * N);
    this.netExportsC = new Float64Array(N);
    this.lnTauHat = new Float64Array(K);
    this.tmpA = new Float64Array(N);
    this.tmpB = new Float64Array(N);
    this.laborSum = base.laborIncome.reduce((a, b) => a + b, 0);
  }

  /** Sets the counterfactual tariffs (length S·N·N, fractions). Diagonal entries must be 0. */
  setTariffs(t: Float64Array): void {
    const { N, S } = this;
    if (t.length !== S * N * N) throw new InputError(`tariff vector has ${t.length} entries, expected ${S * N * N}`, { field: 'tariff' });
    for (let k = 0; k < t.length; k++) {
      const x = t[k];
      if (!(x > -1) || !Number.isFinite(x)) {
        const i = k % N;
        const j = Math.floor(k / N) % N;
        const s = Math.floor(k / (N * N));
        throw new InputError(`tariff of ${this.base.regions[j]} on ${this.base.regions[i]} in ${this.base.industries[s]} is ${x}; tariffs must be finite and > −1`, { field: 'tariff' });
      }
      this.tariff[k] = x;
      this.lnTauHat[k] = Math.log1p(x) - Math.log1p(this.base.tariff[k]);
    }
    for (let s = 0; s < S; s++) for (let j = 0; j < N; j++) this.tariff[(s * N + j) * N + j] = 0;
    this.solved = false;
  }

  /** Evaluates V, shares, ln A, sales, revenue and the residuals at the current z. Returns max |r|. */
  forward(): number {
    const { N, S, base, z, V, share, lnA, lnTauHat, tariff } = this;
    const { gamma, trade, sigma } = base;
    this.salesC.fill(0);
    this.revenueC.fill(0);
    for (let s = 0; s < S; s++) {
      const sg = sigma[s];
      const a = 1 - sg;
      for (let j = 0; j < N; j++) {
        const b0 = (s * N + j) * N;
        let A = 0;
        for (let i = 0; i < N; i++) {
          const k = b0 + i;
          const e = gamma[k] * Math.exp(a * (z[i] + lnTauHat[k]));
          share[k] = e;
          A += e;
        }
        const vj = z[N + j];
        for (let i = 0; i < N; i++) {
          const k = b0 + i;
          share[k] /= A;
          const x = trade[k] * Math.exp(a * z[i] - sg * lnTauHat[k] + vj) / A;
          V[k] = x;
          this.salesC[i * S + s] += x;
          if (i !== j) this.revenueC[j] += tariff[k] * x;
        }
        lnA[s * N + j] = Math.log(A);
      }
    }
    return this.residuals();
  }

  private residuals(): number {
    const { N, S, base, z, residual: r } = this;
    const { kappa, sigma, wageBill, laborIncome, expenditure } = base;
    let worst = 0;
    for (let i = 0; i < N; i++) {
      let wb = 0;
      let prof = 0;
      for (let s = 0; s < S; s++) {
        wb += kappa[s] * this.salesC[i * S + s];
        prof += this.salesC[i * S + s] / sigma[s];
      }
      const w = Math.exp(z[i]);
      if (i > 0) r[i - 1] = w - wb / wageBill[i]; // F1
      r[N - 1 + i] = Math.exp(z[N + i]) - (laborIncome[i] * w + prof + this.revenueC[i] - this.netExportsC[i]) / expenditure[i]; // F2
    }
    let num = -1;
    for (let i = 0; i < N; i++) num += (laborIncome[i] / this.laborSum) * Math.exp(z[i]);
    r[2 * N - 1] = num;
    for (let q = 0; q < 2 * N; q++) {
      const a = Math.abs(r[q]);
      if (!(a <= worst)) worst = Number.isNaN(a) ? Infinity : Math.max(worst, a);
    }
    return worst;
  }

  /** Fills `jac` (row-major 2N×2N, ∂r/∂z) at the current state; call after `forward`. */
  jacobian(): Float64Array {
    const { N, S, base, z, V, share, tariff, jac: J } = this;
    const { kappa, sigma, wageBill, laborIncome, expenditure } = base;
    const n2 = 2 * N;
    J.fill(0);
    const f1 = (i: number): number => i - 1;
    const f2 = (j: number): number => N - 1 + j;
    for (let i = 0; i < N; i++) {
      const w = Math.exp(z[i]);
      if (i > 0) J[f1(i) * n2 + i] += w;
      J[f2(i) * n2 + N + i] += Math.exp(z[N + i]);
      J[f2(i) * n2 + i] -= (laborIncome[i] * w) / expenditure[i];
      J[(n2 - 1) * n2 + i] += (laborIncome[i] / this.laborSum) * w;
    }
    const c1 = this.tmpA;
    const c2 = this.tmpB;
    for (let s = 0; s < S; s++) {
      const a = 1 - sigma[s];
      for (let j = 0; j < N; j++) {
        const b0 = (s * N + j) * N;
        let crev = 0;
        const rj = f2(j);
        for (let i = 0; i < N; i++) {
          const k = b0 + i;
          const v = V[k];
          const x1 = i > 0 ? (-kappa[s] / wageBill[i]) * v : 0;
          const x2 = -v / (sigma[s] * expenditure[i]);
          const x3 = i !== j ? (-tariff[k] * v) / expenditure[j] : 0;
          c1[i] = x1;
          c2[i] = x2;
          crev += x3;
          // ∂V_k/∂ln ŵ_i (own cost) = (1−σ) V_k;  ∂V_k/∂ln Ê_j = V_k
          if (i > 0) {
            J[f1(i) * n2 + i] += a * x1;
            J[f1(i) * n2 + N + j] += x1;
          }
          J[f2(i) * n2 + i] += a * x2;
          J[f2(i) * n2 + N + j] += x2;
          J[rj * n2 + i] += a * x3;
          J[rj * n2 + N + j] += x3;
        }
        // through the price index: ∂V_k/∂ln ŵ_m −= (1−σ) γ'_mjs V_k for every exporter k in the block
        for (let m = 0; m < N; m++) {
          const p = -a * share[b0 + m];
          if (p === 0) continue;
          for (let i = 1; i < N; i++) J[f1(i) * n2 + m] += p * c1[i];
          for (let i = 0; i < N; i++) J[f2(i) * n2 + m] += p * c2[i];
          J[rj * n2 + m] += p * crev;
        }
      }
    }
    return J;
  }

  /**
   * Reverse-mode pass (vector–Jacobian product). Given the adjoints of the intermediate quantities
   * (ū = ∂/∂ln ŵ and v̄ = ∂/∂ln Ê direct terms, Ȳ on sales Y'_is, R̄ on revenue R'_j, ā on ln A_js),
   * accumulates ∂/∂z into `zBar` and ∂/∂t' into `tBar` (if given).
   */
  backward(seed: { uBar: Float64Array; vBar: Float64Array; yBar: Float64Array; rBar: Float64Array; aBar: Float64Array }, zBar: Float64Array, tBar?: Float64Array): void {
    const { N, S, base, V, share, tariff } = this;
    const { sigma } = base;
    for (let i = 0; i < N; i++) {
      zBar[i] += seed.uBar[i];
      zBar[N + i] += seed.vBar[i];
    }
    for (let s = 0; s < S; s++) {
      const sg = sigma[s];
      const a = 1 - sg;
      for (let j = 0; j < N; j++) {
        const b0 = (s * N + j) * N;
        let aTot = seed.aBar[s * N + j];
        const rb = seed.rBar[j];
        for (let i = 0; i < N; i++) {
          const k = b0 + i;
          const g = (seed.yBar[i * S + s] + (i !== j ? rb * tariff[k] : 0)) * V[k];
          aTot -= g;
          zBar[N + j] += g;
          zBar[i] += a * g;
          if (tBar && i !== j) tBar[k] += rb * V[k];
        }
        for (let i = 0; i < N; i++) {
          const k = b0 + i;
          const ap = aTot * a * share[k];
          zBar[i] += ap;
          if (tBar && i !== j) {
            const g = (seed.yBar[i * S + s] + rb * tariff[k]) * V[k];
            tBar[k] += (-sg * g + ap) / (1 + tariff[k]);
          }
        }
      }
    }
  }

  /** Adjoint seeds of the residual combination ψᵀ r (ψ of length 2N), added into `seed`. */
  residualSeed(psi: Float64Array, seed: { uBar: Float64Array; vBar: Float64Array; yBar: Float64Array; rBar: Float64Array; aBar: Float64Array }): void {
    const { N, S, base, z } = this;
    const { kappa, sigma, wageBill, laborIncome, expenditure } = base;
    for (let i = 0; i < N; i++) {
      const w = Math.exp(z[i]);
      if (i > 0) {
        const p = psi[i - 1];
        seed.uBar[i] += p * w;
        for (let s = 0; s < S; s++) seed.yBar[i * S + s] -= (p * kappa[s]) / wageBill[i];
      }
      const q = psi[N - 1 + i];
      seed.vBar[i] += q * Math.exp(z[N + i]);
      seed.uBar[i] -= (q * laborIncome[i] * w) / expenditure[i];
      for (let s = 0; s < S; s++) seed.yBar[i * S + s] -= q / (sigma[s] * expenditure[i]);
      seed.rBar[i] -= q / expenditure[i];
      seed.uBar[i] += (psi[2 * N - 1] * laborIncome[i] * w) / this.laborSum;
    }
  }

  /**
   * Solves the equilibrium for tariffs `t` by damped Newton. Throws ConvergenceError (with the iterations
   * and residuals) if the tolerance is not reached, and InputError for invalid tariffs.
   */
  solve(t: Float64Array, opts: SolveOptions = {}): SolveInfo {
    const { N } = this;
    const n2 = 2 * N;
    const tol = opts.tol ?? 1e-14;
    const maxIt = opts.maxIterations ?? 60;
    this.setTariffs(t);
    if (opts.netExports && opts.netExports.length !== N) {
      throw new InputError(`netExports has ${opts.netExports.length} entries, expected ${N}`, { field: 'netExports' });
    }
    this.netExportsC = opts.netExports ? Float64Array.from(opts.netExports) : new Float64Array(N);
    if (opts.guess) this.z.set(opts.guess);
    else if (!this.hasSolution) this.z.fill(0);
    let res = this.forward();
    if (!Number.isFinite(res)) {
      this.z.fill(0);
      res = this.forward();
    }
    const step = new Float64Array(n2);
    const z0 = new Float64Array(n2);
    let it = 0;
    while (res > tol) {
      if (it >= maxIt) {
        throw new ConvergenceError(`Ossa equilibrium did not reach tolerance ${tol} (Newton from ${opts.guess ? 'the given guess' : this.hasSolution ? 'the last solution' : 'ŵ = Ê = 1'})`, it, { maxResidual: res });
      }
      it++;
      this.jacobian();
      for (let q = 0; q < n2; q++) step[q] = -this.residual[q];
      if (!solveDense(this.jac.slice(), step, n2)) {
        throw new ConvergenceError('Ossa equilibrium: singular Jacobian in a Newton step', it, { maxResidual: res });
      }
      z0.set(this.z);
      const norm0 = l2(this.residual);
      let alpha = 1;
      let accepted = false;
      for (let ls = 0; ls < 40; ls++) {
        for (let q = 0; q < n2; q++) this.z[q] = z0[q] + alpha * step[q];
        const r1 = this.forward();
        if (Number.isFinite(r1) && l2(this.residual) <= (1 - 1e-4 * alpha) * norm0) {
          res = r1;
          accepted = true;
          break;
        }
        alpha *= 0.5;
      }
      if (!accepted) {
        this.z.set(z0);
        res = this.forward();
        if (res <= 1e-12) break; // stalled at rounding noise: accept
        throw new ConvergenceError('Ossa equilibrium: Newton line search failed after 40 step halvings', it, { maxResidual: res });
      }
    }
    this.solved = true;
    this.hasSolution = true;
    return { iterations: it, residual: res };
  }

  /** True when the state holds the equilibrium of the current tariffs. */
  get isSolved(): boolean {
    return this.solved;
  }

  /** ŵ_i (a copy). */
  wageHat(): Float64Array {
    return Float64Array.from(this.z.subarray(0, this.N), Math.exp);
  }

  /** Ê_j (a copy). */
  expenditureHat(): Float64Array {
    return Float64Array.from(this.z.subarray(this.N), Math.exp);
  }

  /** ln P̂_j = Σ_s μ_js ln P̂_js (Cobb–Douglas aggregate price index change). */
  lnPriceHat(out = new Float64Array(this.N)): Float64Array {
    const { N, S, base, lnA } = this;
    for (let j = 0; j < N; j++) {
      let p = 0;
      for (let s = 0; s < S; s++) p += (base.mu[j * S + s] * lnA[s * N + j]) / (1 - base.sigma[s]);
      out[j] = p;
    }
    return out;
  }
}

function l2(r: Float64Array): number {
  let s = 0;
  for (let q = 0; q < r.length; q++) s += r[q] * r[q];
  return Math.sqrt(s);
}
