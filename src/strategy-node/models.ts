// Model specifications that can cross a worker-thread boundary (plain data, structured-clonable), and the
// factory that rebuilds the StrategicModel inside a worker.
import type { OssaData } from '../data/ossa2014.ts';
import { OssaStrategicModel } from '../strategy/adapters/ossa.ts';
import { SyntheticModel, type SyntheticWorld } from '../strategy/synthetic.ts';
import type { StrategicModel } from '../strategy/types.ts';

export type ModelSpec =
  | { kind: 'ossa'; data: OssaData; politicalEconomy?: boolean }
  | { kind: 'synthetic'; world: SyntheticWorld };

export function buildModel(spec: ModelSpec): StrategicModel {
  switch (spec.kind) {
    case 'ossa':
      return new OssaStrategicModel(spec.data, { politicalEconomy: spec.politicalEconomy });
    case 'synthetic':
      return new SyntheticModel(spec.world);
  }
}
