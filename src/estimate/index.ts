// Public API of the estimation layer (pure).
export { parseCsvTable } from './csv.ts';
export { Demeaner, type DemeanMethod, type FixedEffectIndex, type DemeanState } from './demean.ts';
export { evaluateFilter, parseExpression } from './expr.ts';
export { buildDesign, estimate, type EstimateResult, type EstimateSpec } from './fit.ts';
export { parseFormula, type Formula } from './formula.ts';
export { fitOls } from './ols.ts';
export { fitPpml } from './ppml.ts';
export { coefficient, type DesignInput, type FitOptions, type FitResult } from './result.ts';
export { chunkBounds, SequentialRunner, sequentialRunner, type RowArg, type RowRunner } from './runner.ts';
export { makeTable, numericColumn, factorColumn, filterRows, type Table, type Column } from './table.ts';
export { elasticityFromTariff, partialEffectShock } from './to-ge.ts';
