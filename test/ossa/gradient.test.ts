// The analytic Jacobian and the adjoint welfare gradient of the Ossa model against finite differences.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { loadOssa2014 } from '../../src/node/data/ossa2014.ts';
import { OssaModel } from '../../src/model/ossa/model.ts';
import { governmentWelfareHat, consumerWelfareHat } from '../../src/model/ossa/welfare.ts';
import { needsShared } from '../helpers/shared.ts';

const skip = needsShared('ossa2014');

describe('Ossa model derivatives', { skip }, () => {
  const data = skip ? undefined : loadOssa2014();

  test('Jacobian of the equilibrium conditions matches central differences', () => {
    const m = new OssaModel(data!);
    const t = m.factualTariffs();
    for (let k = 0; k < t.length; k += 5) if (k % 7 !== Math.floor(k / 7) % 7) t[k] += 0.2;
    m.solveEquilibrium(t);
    const eq = m.eq;
    const n2 = 14;
    const z0 = Float64Array.from(eq.z);
    eq.z.set(z0.map((v, q) => v + 0.01 * Math.sin(q + 1)));
    eq.forward();
    const J = Float64Array.from(eq.jacobian());
    const zc = Float64Array.from(eq.z);
    let worst = 0;
    for (let c = 0; c < n2; c++) {
      const h = 1e-6;
      eq.z.set(zc);
      eq.z[c] += h;
      eq.forward();
      const rp = Float64Array.from(eq.residual);
      eq.z[c] -= 2 * h;
      eq.forward();
      for (let r = 0; r < n2; r++) worst = Math.max(worst, Math.abs((rp[r] - eq.residual[r]) / (2 * h) - J[r * n2 + c]));
    }
    assert.ok(worst < 1e-7, `max |J − J_fd| = ${worst}`);
  });

  for (const pe of [false, true]) {
    for (const kind of ['government', 'consumer'] as const) {
      test(`adjoint gradient of Σ ω ln ${kind} welfare matches central differences${pe ? ' (political economy)' : ''}`, () => {
        const m = new OssaModel(data!, { politicalEconomy: pe });
        const N = 7;
        const t = m.factualTariffs();
        for (let k = 0; k < t.length; k++) if (k % N !== Math.floor(k / N) % N) t[k] += 0.3 * (1 + Math.sin(k));
        const w = Float64Array.of(0.5, 0, 1, 0, 0.2, 0, 1.5);
        const { gradient } = m.welfareAndGradient(t, w, kind);
        const phi = (tt: Float64Array): number => {
          m.solveEquilibrium(tt);
          const W = kind === 'government' ? governmentWelfareHat(m.eq) : consumerWelfareHat(m.eq);
          return W.reduce((a, x, j) => a + w[j] * Math.log(x), 0);
        };
        // the largest flows (well-resolved by finite differences) and a spread of others
        const ks = [1170, 1513, 289, 1140, 400, 777, 1000, 1601, 23, 650];
        for (const k of ks) {
          if (k % N === Math.floor(k / N) % N) continue;
          const h = 1e-5;
          const tp = Float64Array.from(t);
          tp[k] += h;
          const fp = phi(tp);
          tp[k] -= 2 * h;
          const fd = (fp - phi(tp)) / (2 * h);
          assert.ok(Math.abs(fd - gradient[k]) <= 1e-8 + 1e-5 * Math.abs(fd), `position ${k}: adjoint ${gradient[k]}, fd ${fd}`);
        }
      });
    }
  }
});
