// Ossa (2014) "Trade Wars and Trade Talks with Data": multi-industry Krugman model with restricted entry
// (profit shifting), tariff revenue and political-economy weights. Pure.
export { calibrateOssa, type OssaBaseline } from './baseline.ts';
export { OssaEquilibrium, type SolveOptions, type SolveInfo } from './equilibrium.ts';
export { welfareGradient } from './gradient.ts';
export { consumerWelfareHat, governmentWelfareHat, type WelfareKind } from './welfare.ts';
export { OssaModel, type OssaModelOptions, type OssaOutcome } from './model.ts';
export { decomposeWelfare, type WelfareDecomposition } from './decomposition.ts';
export {
  runOssaCounterfactual,
  applyOssaChanges,
  ossaChangesFromShocks,
  type OssaTariffChange,
  type OssaCounterfactualResult,
  type OssaRegionResult,
  type TariffShockLike,
} from './counterfactual.ts';
export { summarizeOssaPolicy, medianTariffsOf, type OssaPolicySummary, type OssaRegionRow } from './summary.ts';
export { ossaRegionIndex, ossaIndustryIndex } from './lookup.ts';
