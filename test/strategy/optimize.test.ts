// The bound-constrained projected L-BFGS.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minimizeBox } from '../../src/strategy/optimize.ts';

test('bound-constrained quadratic: the solution is the projection of the unconstrained minimum', () => {
  // f = Σ c_i (x_i − a_i)², bounds [0, 1]; curvatures differ by 1e8 (with a matching preconditioner)
  const a = Float64Array.of(0.3, -0.5, 1.7, 0.9, 0.1);
  const c = Float64Array.of(1, 1e-8, 10, 1e-4, 1e3);
  const n = a.length;
  const r = minimizeBox(
    {
      fg: (x, g) => {
        let f = 0;
        for (let i = 0; i < n; i++) {
          f += c[i] * (x[i] - a[i]) ** 2;
          g[i] = 2 * c[i] * (x[i] - a[i]);
        }
        return f;
      },
      lower: new Float64Array(n),
      upper: new Float64Array(n).fill(1),
      scale: c.map((v) => 1 / (2 * v)),
    },
    new Float64Array(n).fill(0.5),
    { gradientTolerance: 1e-12 },
  );
  assert.ok(r.converged, r.reason);
  const expect = [0.3, 0, 1, 0.9, 0.1];
  expect.forEach((v, i) => assert.ok(Math.abs(r.x[i] - v) < 1e-9, `x[${i}] = ${r.x[i]}`));
});

test('Rosenbrock inside a box whose corner cuts off the unconstrained minimum', () => {
  const r = minimizeBox(
    {
      fg: (x, g) => {
        const [u, v] = x;
        g[0] = -2 * (1 - u) - 400 * u * (v - u * u);
        g[1] = 200 * (v - u * u);
        return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
      },
      lower: Float64Array.of(-2, -2),
      upper: Float64Array.of(0.8, 2),
    },
    Float64Array.of(-1.2, 1),
    { gradientTolerance: 1e-10, maxIterations: 5000, maxStep: 1 },
  );
  assert.ok(r.converged, r.reason);
  // with u ≤ 0.8 the minimum is at u = 0.8, v = 0.64
  assert.ok(Math.abs(r.x[0] - 0.8) < 1e-8 && Math.abs(r.x[1] - 0.64) < 1e-6, `${r.x}`);
});

test('an infinite objective outside a region makes the line search back off', () => {
  const r = minimizeBox(
    {
      fg: (x, g) => {
        if (x[0] > 0.7) return Infinity;
        g[0] = -1;
        return -x[0];
      },
      lower: Float64Array.of(0),
      upper: Float64Array.of(1),
    },
    Float64Array.of(0),
    { maxIterations: 200 },
  );
  assert.ok(r.x[0] <= 0.7 && r.x[0] > 0.69, `${r.x[0]}`);
});

test('lower > upper is rejected', () => {
  assert.throws(() => minimizeBox({ fg: () => 0, lower: Float64Array.of(1), upper: Float64Array.of(0) }, Float64Array.of(0)), /lower\[0\] = 1 > upper\[0\] = 0/);
});
