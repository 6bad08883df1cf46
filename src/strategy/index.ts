// The strategy engine: optimal (best-response), Nash and cooperative tariffs, and two-country bargaining,
// against the abstract StrategicModel interface. Pure: parallelism is injected as a BestResponseMap.
export type * from './types.ts';
export { InfeasibleRestrictionError, StrategyConvergenceError } from './errors.ts';
export { instrumentSet, readInstruments, applyInstruments, type InstrumentSet } from './instruments.ts';
export { minimizeBox, type BoxProblem, type BoxOptions, type BoxResult } from './optimize.ts';
export { bestResponse, sequentialMap } from './best-response.ts';
export { computeNash, type NashOptions, type NashResult, type NashRound } from './nash.ts';
export { cooperativeTariffs, type CooperativeOptions, type CooperativeResult } from './cooperative.ts';
export { bargain, type BargainingOptions, type BargainingResult, type NashBargainingSolution, type DealMode } from './bargaining.ts';
export { SyntheticModel, simpleSyntheticWorld, type SyntheticWorld } from './synthetic.ts';
export { OssaStrategicModel } from './adapters/ossa.ts';
export { CpStrategicModel } from './adapters/cp.ts';
export { medianTariffs } from './summary.ts';
