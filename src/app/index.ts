// The application layer: one entry function per use case, JSON-ready reports, one dataset/model registry.
// Faces (CLI, HTTP API, web app) parse their input, call these with a `DataSources` of their own, and format the
// report. Pure: runs in a browser (test/app/browser-bundle.test.ts).
export { runScenario, scenarioDataset, type ScenarioOutcome, type ScenarioRunOptions } from './scenario.ts';
export { standoff, type StandoffInput, type StandoffReport } from './standoff.ts';
export { deal, type DealInput, type DealReport } from './deal.ts';
export { war, talks, type WarInput, type WarReport, type TalksInput, type TalksReport } from './war.ts';
export { estimateGravity, estimateReport, type EstimateInput, type EstimateReport } from './estimate.ts';
export { datasetRow, datasetRows, registerDataset, unregisterDataset, type DatasetRow, type DatasetSource, type ModelKind } from './registry.ts';
export { loadRow, type DataSources, type StrategyRunners } from './sources.ts';
export { SCENARIO_MODELS, type ScenarioReport } from './models/index.ts';
export { scenarioFromObject, parseScenario, type LoadedScenario } from '../scenario/load.ts';
export { gravityGe, gravityGeReport, type GravityGeInput, type GravityGeReport } from './gravity.ts';
export { summarizeBaseline, type BaselineSummary } from './data.ts';
export { policyActions, tariffOn, tariffLines, etrSeries, type PolicyActionEvent, type TariffOnInput, type TariffLinesInput, type TariffLines, type EtrSeries } from './policy.ts';
export { tariffsOnDay, type TariffsInput, type TariffsReport, type TariffProductsReport, type TariffGroupsReport, type TariffGroupRow } from './tariffs.ts';
export { effectiveRate, type EffectiveRateInput, type EffectiveRateReport, type EtrSeriesReport, type EtrDayReport, type EtrRealizedReport } from './etr.ts';
export { flagOf, type FieldOf } from './policy-inputs.ts';
