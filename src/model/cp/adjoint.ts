// Exact gradients of real income with respect to tariffs on the CP2015 model, by implicit differentiation of
// the equilibrium conditions (the adjoint method). Pure. Equations (CP1)–(CP8) and (A1)–(A6) in docs/cp2015.md.
//
// Unknowns u = (ln ŵ_n, ln P̂_n^j, X'_n^j); residuals r(u, τ') = 0:
//   r^P_nj = ln P̂_n^j + (1/θ^j) ln Σ_i a_ni^j (ĉ_i^j)^(−θ^j),  a_ni^j = π_ni^j (κ̂_ni^j)^(−θ^j)          (CP2)
//   r^X_nj = X'_n^j − Σ_k γ_n^{j,k} Y'_n^k − α_n^j I'_n                                                   (CP4)
//   r^L_n  = Σ_j γ_n^j Y'_n^j − ŵ_n w_n L_n  for n ≠ n₀;   r^L_{n₀} = Σ_n ν_n ŵ_n w_n L_n − Σ_n ν_n w_n L_n  (CP5), (CP7)
// with ln ĉ from (CP1), π' from (CP3), Y'_i^j = Σ_n π'_ni^j X'_n^j / (1 + τ'_ni^j) and R'_n from (CP4).
// One labour-market condition is implied by the others (Walras' law: Σ_n r^L_n = Σ_n D'_n = 0), so region n₀'s
// is replaced by the numéraire (CP7).
//
// Objective Φ = Σ_g ω_g ln Ŵ_g, ln Ŵ_g = ln I'_g − ln I_g − Σ_j α_g^j ln P̂_g^j (CP8). With the Lagrangian
// ℒ = Φ + μᵀ r:
//   (∂r/∂u)ᵀ μ = −(∂Φ/∂u)ᵀ                                                                             (A1)
//   dΦ/dτ' = ∂Φ/∂τ' + μᵀ ∂r/∂τ'                                                                           (A2)
// Both sides are vector–Jacobian products of the forward formulas (`pullback` below: the reverse pass of
// (CP1)–(CP8), O(J N² + N J²) per call). (A1) is solved by block elimination: for given labour multipliers μ^L,
// the goods-market block and the price block are linear fixed points with the contractions of the forward
// solver, transposed:
//   μ^X = T_Xᵀ μ^X − c^X,   (T_Xᵀ μ)_nj = (1 − Σ_i ψ_ni^j) Σ_k α_n^k μ_nk + Σ_i ψ_ni^j Σ_k γ_i^{k,j} μ_ik     (A3)
//   μ^P = T_Pᵀ μ^P − c^P,   (T_Pᵀ μ)_ik = Σ_j γ_i^{k,j} Σ_n π'_ni^j μ_nj                                     (A4)
// (c^X, c^P: the pullback of everything else into X' and ln P̂; ψ = π'/(1 + τ')), and what is left is the
// wage row, affine in μ^L: h(μ^L) = h₀ + H μ^L = 0 with H (N × N) built column by column                     (A5)
// (N + 1 pairs of block solves, independent of ω, so one H serves every objective at the same equilibrium).
// Then (A2) is one more pullback (A6). The gradient with respect to own-country entries τ'_nn is 0 (they are
// not policy), as is the gradient for flows that are zero at the baseline.
import { ConvergenceError } from '../../errors.ts';
import { Anderson } from '../anderson.ts';
import { gmres } from '../gmres.ts';
import { solveDense } from '../dense.ts';
import type { CpEconomy } from './economy.ts';
import { grossOutputOf } from './expenditure.ts';
import type { CpEquilibrium } from './solve.ts';

/** Convergence of the adjoint: the block solves' iterations and the residual of (A1) relative to ∂Φ/∂u. */
export interface CpAdjointReport {
  /** 'gmres' (the whole system at once) or 'block' (block elimination (A3)–(A5)). */
  method: 'gmres' | 'block';
  /** Matrix–vector products (GMRES) or block fixed-point iterations summed over the last gradient. */
  iterations: number;
  residual: number;
}

export interface CpAdjointOptions {
  /** 'auto' (default): GMRES, falling back to block elimination; 'block': block elimination only. */
  method?: 'auto' | 'block';
  /**
   * Weights ν_n of the numéraire the equilibrium was solved with, Σ_n ν_n ŵ_n w_n L_n = Σ_n ν_n w_n L_n (CP7).
   * Default all 1: world value added.
   */
  numeraire?: Float64Array;
}

interface Seeds {
  /** ω_g on ln Ŵ_g (length N) or null. */
  omega: Float64Array | null;
  mL: Float64Array;
  mP: Float64Array;
  mX: Float64Array;
}

interface Adjoints {
  w: Float64Array;
  P: Float64Array;
  X: Float64Array;
}

/**
 * The adjoint at one converged equilibrium. `gradient(ω)` returns dΣ_g ω_g ln Ŵ_g / dτ' (bil(j,n,i)); the
 * Schur matrix H of (A5) is built on first use and shared by every later objective.
 */
export class CpAdjoint {
  readonly e: CpEconomy;
  private readonly N: number;
  private readonly J: number;
  private readonly tau1: Float64Array; // 1 + τ'
  private readonly pi: Float64Array; // π'
  private readonly psi: Float64Array; // ψ = π'/(1 + τ')
  private readonly ns: Float64Array; // Σ_i ψ_ni^j
  private readonly X: Float64Array;
  private readonly Y: Float64Array;
  private readonly wVA: Float64Array;
  private readonly income: Float64Array;
  private readonly n0: number;
  private H: Float64Array | null = null;
  private iterations = 0;
  /** Last report (block iterations summed over all solves of the last gradient, residual of (A1)). */
  report: CpAdjointReport = { method: 'gmres', iterations: 0, residual: 0 };
  private readonly method: 'auto' | 'block';
  private readonly nu: Float64Array;
  private readonly aaX: Anderson;
  private readonly aaP: Anderson;
  private readonly scratch: { v: Float64Array; a: Float64Array; next: Float64Array; lc: Float64Array; lsBar: Float64Array; YBar: Float64Array; IBar: Float64Array };

  constructor(e: CpEconomy, eq: CpEquilibrium, options: CpAdjointOptions = {}) {
    const { N, J } = e;
    this.method = options.method ?? 'auto';
    this.nu = options.numeraire ? Float64Array.from(options.numeraire) : new Float64Array(N).fill(1);
    if (this.nu.length !== N) throw new RangeError(`CpAdjoint: numéraire weights have ${this.nu.length} entries, expected ${N}`);
    this.e = e;
    this.N = N;
    this.J = J;
    const size = J * N * N;
    this.tau1 = new Float64Array(size);
    this.psi = new Float64Array(size);
    this.pi = eq.piNew;
    for (let x = 0; x < size; x++) {
      this.tau1[x] = 1 + eq.shock.tauNew[x];
      this.psi[x] = eq.piNew[x] / this.tau1[x];
    }
    this.ns = new Float64Array(N * J);
    for (let j = 0; j < J; j++) {
      for (let n = 0; n < N; n++) {
        let s = 0;
        for (let i = 0; i < N; i++) s += this.psi[(j * N + n) * N + i];
        this.ns[n * J + j] = s;
      }
    }
    this.X = eq.X;
    this.Y = new Float64Array(N * J);
    grossOutputOf(e, this.psi, eq.X, this.Y);
    this.wVA = new Float64Array(N);
    let n0 = 0;
    for (let n = 0; n < N; n++) {
      this.wVA[n] = eq.wHat[n] * e.VA[n];
      if (e.VA[n] > e.VA[n0]) n0 = n;
    }
    this.n0 = n0;
    this.income = eq.income;
    const NJ = N * J;
    this.aaX = new Anderson(NJ, { memory: 10 });
    this.aaP = new Anderson(NJ, { memory: 10 });
    this.scratch = { v: new Float64Array(NJ), a: new Float64Array(N), next: new Float64Array(NJ), lc: new Float64Array(NJ), lsBar: new Float64Array(NJ), YBar: new Float64Array(NJ), IBar: new Float64Array(N) };
  }

  /** dΣ_g ω_g ln Ŵ_g / dτ'_ni^j for every policy position, bil(j,n,i) (A1)–(A6). */
  gradient(omega: Float64Array, out?: Float64Array): Float64Array {
    const { N, J } = this;
    const NJ = N * J;
    this.iterations = 0;
    const zero = new Float64Array(N);
    // (A1) by GMRES on the whole system (fast); if it stalls, by block elimination (A3)–(A5).
    const viaKrylov = this.method === 'auto' ? this.krylov(omega) : null;
    const mu = viaKrylov ?? this.blockElimination(omega);
    const { mL, mP, mX } = mu;
    const grad = out ?? new Float64Array(J * N * N);
    const adj: Adjoints = { w: new Float64Array(N), P: new Float64Array(NJ), X: new Float64Array(NJ) };
    this.pullback({ omega, mL, mP, mX }, adj, grad);
    // Residual of (A1): every component of ∂ℒ/∂u should vanish; relative to the size of ∂Φ/∂u.
    const phiOnly: Adjoints = { w: new Float64Array(N), P: new Float64Array(NJ), X: new Float64Array(NJ) };
    this.pullback({ omega, mL: zero, mP: new Float64Array(NJ), mX: new Float64Array(NJ) }, phiOnly, null);
    let scale = 0;
    let res = 0;
    for (const k of ['w', 'P', 'X'] as const) {
      const s = k === 'X' ? this.X : null;
      for (let q = 0; q < adj[k].length; q++) {
        // X' is in levels: measure its adjoint per unit of relative change (∂ℒ/∂ln X' = X' ∂ℒ/∂X').
        const f = s ? s[q] : 1;
        scale = Math.max(scale, Math.abs(phiOnly[k][q] * f));
        res = Math.max(res, Math.abs(adj[k][q] * f));
      }
    }
    this.report = { method: viaKrylov ? 'gmres' : 'block', iterations: this.iterations, residual: scale > 0 ? res / scale : res };
    if (!(this.report.residual < 1e-8)) {
      throw new ConvergenceError('CP adjoint: the multipliers do not solve the adjoint system', this.iterations, { adjoint: this.report.residual });
    }
    for (let j = 0; j < J; j++) for (let n = 0; n < N; n++) grad[(j * N + n) * N + n] = 0;
    return grad;
  }

  /**
   * (A1) as one linear system in μ = (μ^L, μ^P, μ^X), solved by restarted GMRES on the matrix-free product
   * μ ↦ (∂r/∂u)ᵀ μ (one pullback), with rows and columns scaled so that every block is O(1): residuals of
   * region n's labour market per unit of its wage bill, goods markets per unit of X'_n^j, and X' measured in
   * relative changes. Returns null if GMRES does not reach the tolerance (the caller falls back to (A3)–(A5)).
   */
  private krylov(omega: Float64Array): Seeds | null {
    const { N, J, X, wVA, n0 } = this;
    const NJ = N * J;
    const dim = N + 2 * NJ;
    let maxX = 0;
    for (let q = 0; q < NJ; q++) maxX = Math.max(maxX, X[q]);
    const sx = new Float64Array(NJ);
    for (let q = 0; q < NJ; q++) sx[q] = Math.max(X[q], 1e-12 * maxX);
    let worldVA = 0;
    for (let n = 0; n < N; n++) worldVA += this.nu[n] * wVA[n];
    const rowL = Float64Array.from(wVA, (v, n) => 1 / (n === n0 ? worldVA : v));
    const seeds: Seeds = { omega: null, mL: new Float64Array(N), mP: new Float64Array(NJ), mX: new Float64Array(NJ) };
    const adj: Adjoints = { w: new Float64Array(N), P: new Float64Array(NJ), X: new Float64Array(NJ) };
    const gather = (o: Float64Array): void => {
      o.set(adj.w, 0);
      o.set(adj.P, N);
      for (let q = 0; q < NJ; q++) o[N + NJ + q] = adj.X[q] * sx[q];
    };
    const apply = (v: Float64Array, o: Float64Array): void => {
      for (let n = 0; n < N; n++) seeds.mL[n] = v[n] * rowL[n];
      for (let q = 0; q < NJ; q++) {
        seeds.mP[q] = v[N + q];
        seeds.mX[q] = v[N + NJ + q] / sx[q];
      }
      this.pullback(seeds, adj, null);
      gather(o);
    };
    // right-hand side: −∂Φ/∂u (scaled)
    const b = new Float64Array(dim);
    this.pullback({ omega, mL: new Float64Array(N), mP: new Float64Array(NJ), mX: new Float64Array(NJ) }, adj, null);
    gather(b);
    for (let q = 0; q < dim; q++) b[q] = -b[q];
    const v = new Float64Array(dim);
    const res = gmres(apply, b, v, { tolerance: 1e-13, restart: 120, maxIterations: 600 });
    this.iterations += res.iterations;
    if (!res.converged) return null;
    const out: Seeds = { omega, mL: new Float64Array(N), mP: new Float64Array(NJ), mX: new Float64Array(NJ) };
    for (let n = 0; n < N; n++) out.mL[n] = v[n] * rowL[n];
    for (let q = 0; q < NJ; q++) {
      out.mP[q] = v[N + q];
      out.mX[q] = v[N + NJ + q] / sx[q];
    }
    return out;
  }

  /** (A3)–(A5): μ^L from the N × N system H μ^L = −h₀, then μ^X and μ^P from the block fixed points. */
  private blockElimination(omega: Float64Array): Seeds {
    const { N, J } = this;
    const NJ = N * J;
    const H = this.schur();
    const h0 = new Float64Array(N);
    const mX = new Float64Array(NJ);
    const mP = new Float64Array(NJ);
    this.wageRow(omega, new Float64Array(N), mX, mP, h0);
    const mL = h0.map((v) => -v);
    if (!solveDense(H.slice(), mL, N)) {
      throw new ConvergenceError('CP adjoint: the wage block of the equilibrium Jacobian is singular', 0, { adjoint: NaN });
    }
    const hCheck = new Float64Array(N);
    this.wageRow(omega, mL, mX, mP, hCheck);
    return { omega, mL, mP, mX };
  }

  /** The N × N matrix H of (A5), column m = h(e_m) with ω = 0 (row-major, H[r*N + m]). */
  private schur(): Float64Array {
    if (this.H) return this.H;
    const { N, J } = this;
    const NJ = N * J;
    const H = new Float64Array(N * N);
    const mL = new Float64Array(N);
    const mX = new Float64Array(NJ);
    const mP = new Float64Array(NJ);
    const col = new Float64Array(N);
    for (let m = 0; m < N; m++) {
      mL.fill(0);
      mL[m] = 1;
      mX.fill(0);
      mP.fill(0);
      this.wageRow(null, mL, mX, mP, col);
      for (let r = 0; r < N; r++) H[r * N + m] = col[r];
    }
    this.H = H;
    return H;
  }

  /**
   * For given ω and μ^L: solves (A3) for μ^X and (A4) for μ^P (written into mX, mP; their contents are the warm
   * start) and writes the wage component of ∂ℒ/∂u into h.
   */
  private wageRow(omega: Float64Array | null, mL: Float64Array, mX: Float64Array, mP: Float64Array, h: Float64Array): void {
    const { N, J } = this;
    const NJ = N * J;
    const adj: Adjoints = { w: h, P: new Float64Array(NJ), X: new Float64Array(NJ) };
    // c^X: pullback into X' of everything but μ^X (μ^P does not reach X').
    this.pullback({ omega, mL, mP: new Float64Array(NJ), mX: new Float64Array(NJ) }, adj, null);
    const cX = adj.X.slice();
    this.fixedPoint(this.aaX, (m, o) => this.applyTX(m, o), cX, mX, 'goods market (A3)');
    // c^P: pullback into ln P̂ of everything but μ^P.
    this.pullback({ omega, mL, mP: new Float64Array(NJ), mX }, adj, null);
    const cP = adj.P.slice();
    this.fixedPoint(this.aaP, (m, o) => this.applyTP(m, o), cP, mP, 'price index (A4)');
    this.pullback({ omega, mL, mP, mX }, adj, null);
  }

  /** Solves μ = T(μ) − c by Anderson-accelerated iteration (T a contraction); μ holds the start and the result. */
  private fixedPoint(aa: Anderson, T: (m: Float64Array, out: Float64Array) => void, c: Float64Array, mu: Float64Array, what: string): void {
    const next = this.scratch.next;
    let scale = 0;
    for (let q = 0; q < c.length; q++) scale = Math.max(scale, Math.abs(c[q]));
    if (scale === 0) {
      mu.fill(0);
      return;
    }
    aa.reset();
    let d = Infinity;
    for (let it = 0; it < 2000; it++) {
      T(mu, next);
      d = 0;
      for (let q = 0; q < c.length; q++) {
        next[q] -= c[q];
        d = Math.max(d, Math.abs(next[q] - mu[q]));
      }
      this.iterations++;
      if (d <= 1e-13 * scale) {
        mu.set(next);
        return;
      }
      aa.step(mu, next, mu);
    }
    throw new ConvergenceError(`CP adjoint: the ${what} block did not converge`, 2000, { adjoint: d / scale });
  }

  /** (A3): (T_Xᵀ μ)_nj = (1 − Σ_i ψ_ni^j) Σ_k α_n^k μ_nk + Σ_i ψ_ni^j Σ_k γ_i^{k,j} μ_ik. */
  private applyTX(mu: Float64Array, out: Float64Array): void {
    const { N, J } = this;
    const { gammaIO, alpha } = this.e;
    const { v, a } = this.scratch;
    for (let i = 0; i < N; i++) {
      let s = 0;
      for (let k = 0; k < J; k++) s += alpha[i * J + k] * mu[i * J + k];
      a[i] = s;
      for (let j = 0; j < J; j++) v[i * J + j] = 0;
      for (let k = 0; k < J; k++) {
        const m = mu[i * J + k];
        if (m === 0) continue;
        const row = (i * J + k) * J;
        for (let j = 0; j < J; j++) v[i * J + j] += gammaIO[row + j] * m;
      }
    }
    const psi = this.psi;
    for (let j = 0; j < J; j++) {
      for (let n = 0; n < N; n++) {
        const base = (j * N + n) * N;
        let s = 0;
        for (let i = 0; i < N; i++) s += psi[base + i] * v[i * J + j];
        out[n * J + j] = (1 - this.ns[n * J + j]) * a[n] + s;
      }
    }
  }

  /** (A4): (T_Pᵀ μ)_ik = Σ_j γ_i^{k,j} Σ_n π'_ni^j μ_nj. */
  private applyTP(mu: Float64Array, out: Float64Array): void {
    const { N, J } = this;
    const { gammaIO } = this.e;
    const z = this.scratch.v;
    z.fill(0);
    const pi = this.pi;
    for (let j = 0; j < J; j++) {
      for (let n = 0; n < N; n++) {
        const m = mu[n * J + j];
        if (m === 0) continue;
        const base = (j * N + n) * N;
        for (let i = 0; i < N; i++) z[i * J + j] += pi[base + i] * m;
      }
    }
    for (let i = 0; i < N; i++) {
      for (let k = 0; k < J; k++) {
        const row = (i * J + k) * J;
        let s = 0;
        for (let j = 0; j < J; j++) s += gammaIO[row + j] * z[i * J + j];
        out[i * J + k] = s;
      }
    }
  }

  /**
   * The reverse pass of (CP1)–(CP8): with seeds ω on ln Ŵ and μ on the residuals, writes ∂ℒ/∂(ln ŵ, ln P̂, X') into
   * `out` (overwritten) and, if `tauBar` is given, ∂ℒ/∂τ' into it (bil, overwritten).
   */
  private pullback(s: Seeds, out: Adjoints, tauBar: Float64Array | null): void {
    const { N, J, n0, psi, pi, X, wVA, ns, tau1, income } = this;
    const { gammaIO, gammaVA, alpha, theta } = this.e;
    const { w: wBar, P: PBar, X: XBar } = out;
    const { YBar, IBar, lsBar } = this.scratch;
    const lcBar = this.scratch.lc;
    wBar.fill(0);
    PBar.fill(0);
    XBar.fill(0);
    YBar.fill(0);
    IBar.fill(0);
    lcBar.fill(0);
    // (CP8) Φ = Σ_g ω_g (ln I'_g − Σ_j α_g^j ln P̂_g^j)
    if (s.omega) {
      for (let g = 0; g < N; g++) {
        const o = s.omega[g];
        if (o === 0) continue;
        IBar[g] += o / income[g];
        for (let j = 0; j < J; j++) PBar[g * J + j] -= o * alpha[g * J + j];
      }
    }
    // (CP5), (CP7) labour markets and the numéraire
    for (let n = 0; n < N; n++) {
      const m = s.mL[n];
      if (m === 0) continue;
      if (n === n0) {
        for (let q = 0; q < N; q++) wBar[q] += m * this.nu[q] * wVA[q];
      } else {
        for (let j = 0; j < J; j++) YBar[n * J + j] += m * gammaVA[n * J + j];
        wBar[n] -= m * wVA[n];
      }
    }
    // (CP4) goods markets: X'_n^j − Σ_k γ_n^{j,k} Y'_n^k − α_n^j I'_n
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < J; j++) {
        const m = s.mX[n * J + j];
        if (m === 0) continue;
        XBar[n * J + j] += m;
        IBar[n] -= m * alpha[n * J + j];
        const row = (n * J + j) * J;
        for (let k = 0; k < J; k++) YBar[n * J + k] -= m * gammaIO[row + k];
      }
    }
    // (CP4) income I'_n = ŵ_n w_n L_n + R'_n + D'_n;  R'_n = Σ_j X'_n^j (1 − Σ_i ψ_ni^j)
    for (let n = 0; n < N; n++) {
      wBar[n] += IBar[n] * wVA[n];
      for (let j = 0; j < J; j++) XBar[n * J + j] += IBar[n] * (1 - ns[n * J + j]);
    }
    // Y'_i^j = Σ_n ψ_ni^j X'_n^j and R'_n → ψ̄; ψ = π'/(1 + τ') → π̄', τ̄; π' = a ĉ^(−θ)/s → ā, c̄, s̄ (CP3);
    // (CP2) r^P = ln P̂ + ln s / θ → P̄, s̄.
    for (let j = 0; j < J; j++) {
      const th = theta[j];
      for (let n = 0; n < N; n++) {
        const base = (j * N + n) * N;
        const xn = X[n * J + j];
        const nsBar = -IBar[n] * xn;
        let sumQ = 0;
        for (let i = 0; i < N; i++) {
          const p = pi[base + i];
          if (p === 0) continue;
          const psiBar = nsBar + YBar[i * J + j] * xn;
          XBar[n * J + j] += YBar[i * J + j] * psi[base + i];
          const q = (psiBar / tau1[base + i]) * p; // ∂ℒ/∂ln π'
          sumQ += q;
          lcBar[i * J + j] -= th * q;
          if (tauBar) tauBar[base + i] = -(psiBar * psi[base + i]) / tau1[base + i] - (th * q) / tau1[base + i];
        }
        const mp = s.mP[n * J + j];
        PBar[n * J + j] += mp;
        const ls = mp / th - sumQ; // ∂ℒ/∂ln s_n^j
        lsBar[n * J + j] = ls;
        if (ls === 0) continue;
        for (let i = 0; i < N; i++) {
          const p = pi[base + i];
          if (p === 0) continue;
          lcBar[i * J + j] -= th * ls * p;
          if (tauBar) tauBar[base + i] -= (th * ls * p) / tau1[base + i];
        }
      }
    }
    if (tauBar) {
      // entries with π' = 0 were skipped above
      for (let x = 0; x < pi.length; x++) if (pi[x] === 0) tauBar[x] = 0;
    }
    // (CP1) ln ĉ_n^j = γ_n^j ln ŵ_n + Σ_k γ_n^{k,j} ln P̂_n^k
    for (let n = 0; n < N; n++) {
      for (let j = 0; j < J; j++) wBar[n] += gammaVA[n * J + j] * lcBar[n * J + j];
      for (let k = 0; k < J; k++) {
        const row = (n * J + k) * J;
        let acc = 0;
        for (let j = 0; j < J; j++) acc += gammaIO[row + j] * lcBar[n * J + j];
        PBar[n * J + k] += acc;
      }
    }
  }
}

/** dΣ_g ω_g ln Ŵ_g / dτ' at an equilibrium of economy `e` (bil(j,n,i)); see CpAdjoint. */
export function realIncomeGradient(e: CpEconomy, eq: CpEquilibrium, omega: Float64Array, out?: Float64Array, options?: CpAdjointOptions): Float64Array {
  return new CpAdjoint(e, eq, options).gradient(omega, out);
}
