// The monthly timing model (docs/timing.md): public API of the folder. Pure: runs in a browser.
export { partialAdjustment, shareReached } from './adjust.ts';
export { expectedThreats, HORIZON, inventoryPath, motive, saturate } from './anticipation.ts';
export { anchorsOn, noTariffLevel, totalSeasonalFactor, trendSeason } from './baseline.ts';
export { BELIEFS, CARRIES, fitDuties, fitDynamics, LEADS, mape, SIGMAS, type FitEpisode, type FitOptions } from './fit.ts';
export { EXPORT_LAMBDA_STEP, fitExportSpeed, type ExportSpeedFit } from './exports.ts';
export { episodeMotive, simulateEpisode, type GroupPath } from './path.ts';
export * from './types.ts';
