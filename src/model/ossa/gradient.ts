// Exact gradient of welfare with respect to every tariff, by the adjoint (implicit-function) method. Pure.
//
// With equilibrium conditions r(z, t') = 0 and an objective Φ(z, t') = Σ_j ω_j ln G_j:
//   dΦ/dt' = ∂Φ/∂t' − ψᵀ ∂r/∂t',   where   (∂r/∂z)ᵀ ψ = (∂Φ/∂z)ᵀ.
// One 2N×2N transposed solve plus two reverse passes give all S·N·N partial derivatives, so a gradient
// costs about as much as two residual evaluations.
import { ConvergenceError } from '../../errors.ts';
import { solveDense } from '../dense.ts';
import type { OssaEquilibrium } from './equilibrium.ts';
import { addWelfareSeed, emptySeed, type WelfareKind } from './welfare.ts';

/**
 * Gradient of Σ_j weights_j ln(welfare_j) with respect to t' (length S·N·N; diagonal entries are 0) at the
 * equilibrium currently held by `eq` (call `eq.solve` first).
 */
export function welfareGradient(eq: OssaEquilibrium, weights: Float64Array, kind: WelfareKind = 'government', out?: Float64Array): Float64Array {
  const { N, S } = eq;
  const n2 = 2 * N;
  const grad = out ?? new Float64Array(S * N * N);
  grad.fill(0);
  const seedPhi = emptySeed(N, S);
  addWelfareSeed(eq, weights, kind, seedPhi);
  const zBar = new Float64Array(n2);
  eq.backward(seedPhi, zBar);
  const J = eq.jacobian().slice();
  const psi = zBar;
  if (!solveDense(J, psi, n2, true)) {
    throw new ConvergenceError('Ossa welfare gradient: singular equilibrium Jacobian', 0, { adjoint: NaN });
  }
  for (let q = 0; q < n2; q++) psi[q] = -psi[q];
  eq.residualSeed(psi, seedPhi);
  const zCheck = new Float64Array(n2);
  eq.backward(seedPhi, zCheck, grad);
  return grad;
}
