// One-sector structural gravity GE (pure).
export { gravityDataFromPairs, type GravityData, type PairRows } from './data.ts';
export { solveGravityGE, type GeOptions, type GeResult } from './ge.ts';
