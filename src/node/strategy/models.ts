// Model specifications that can cross a worker-thread boundary (plain data, structured-clonable), and the
// factory that rebuilds the StrategicModel inside a worker.
import type { OssaData } from '../../data/ossa2014.ts';
import type { World } from '../../data/world.ts';
import { CpModel, type Closure } from '../../model/cp/model.ts';
import { CpStrategicModel, type CpGradient } from '../../strategy/adapters/cp.ts';
import { OssaStrategicModel } from '../../strategy/adapters/ossa.ts';
import { SyntheticModel, type SyntheticWorld } from '../../strategy/synthetic.ts';
import type { StrategicModel } from '../../strategy/types.ts';

export type ModelSpec =
  | { kind: 'ossa'; data: OssaData; politicalEconomy?: boolean }
  | { kind: 'synthetic'; world: SyntheticWorld }
  | { kind: 'cp'; world: World; closure: Closure; tolerance?: number; gradient?: CpGradient };

/**
 * Equilibrium tolerance for strategic use of the CP model: tight, so that objective values along a line search
 * (and finite-difference gradients, where used) are clean.
 */
export const CP_STRATEGY_TOLERANCE = 1e-13;

export function buildModel(spec: ModelSpec): StrategicModel {
  switch (spec.kind) {
    case 'ossa':
      return new OssaStrategicModel(spec.data, { politicalEconomy: spec.politicalEconomy });
    case 'synthetic':
      return new SyntheticModel(spec.world);
    case 'cp':
      return new CpStrategicModel(new CpModel(spec.world, { closure: spec.closure, solver: { tolerance: spec.tolerance ?? CP_STRATEGY_TOLERANCE } }), { gradient: spec.gradient });
  }
}
