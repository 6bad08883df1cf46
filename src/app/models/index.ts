// The scenario models by kind: one row per model (the registry's `model` column names the row).
import type { ModelKind } from '../registry.ts';
import { cpScenarioModel, type CpScenarioReport } from './cp.ts';
import { ossaScenarioModel, type OssaScenarioReport } from './ossa.ts';
import type { ScenarioModel } from './types.ts';

export type ScenarioReport = CpScenarioReport | OssaScenarioReport;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const SCENARIO_MODELS: Record<ModelKind, ScenarioModel<any, any, ScenarioReport>> = {
  cp: cpScenarioModel,
  ossa: ossaScenarioModel,
};
