// Inputs, parameters and outputs of the monthly timing model (docs/timing.md). Pure.
//
// Index order: monthly arrays by group are flat, [(t − start)·G + g], g in GROUPS order; months are
// MonthIndex = year·12 + (month − 1) (src/data/timeseries.ts).

/** Partner groups of the monthly data (Census: Canada, Mexico, China, EU, the rest of the world). */
export const GROUPS = ['CAN', 'MEX', 'CHN', 'EU', 'ROW'] as const;
export type Group = (typeof GROUPS)[number];
export const G = GROUPS.length;
export const GROUP_NAMES: Record<Group, string> = { CAN: 'Canada', MEX: 'Mexico', CHN: 'China', EU: 'EU', ROW: 'rest of world' };

/** A step in the tariff schedule as importers can see it coming (eq. T4). */
export interface TariffStep {
  /** Label (action ids or a history row id). */
  id: string;
  /** Announcement, in months (MonthIndex + (day − 1)/days in month). */
  announced: number;
  /** Month whose average tariff the step enters (integer MonthIndex; a change on day d of a month of D days is two
   *  steps: (D − d + 1)/D of it in its month and the rest in the next). */
  month: number;
  /** When an expected step was called off before taking effect (months, fractional), else NaN. */
  cancelled: number;
  /** Change of each group's tariff, fraction (0.1 = +10 points), length G. */
  dTau: Float64Array;
  /** Seen only from its announcement, whatever the lead L (a scenario's switch). */
  unforeseen?: boolean;
}

/** Kinds of threat (data/timing/threats-2024-26.csv), each with its own subjective probability π_k (eq. T4c). */
export const THREAT_KINDS = ['campaign', 'statement'] as const;
export type ThreatKind = (typeof THREAT_KINDS)[number];

/**
 * A public threat or pledge of a tariff not (yet) in the policy data (eq. T4c): importers expect the step with
 * probability π_kind from the statement until it is resolved (enacted: the policy layer's action then carries
 * it; superseded; exempted; lapsed). Once its expected date has passed it is expected in the next month.
 */
export interface Threat {
  id: string;
  /** Index into THREAT_KINDS. */
  kind: number;
  /** Statement, in months (MonthIndex + (day − 1)/days in month). */
  stated: number;
  /** Threatened effective day, in months (fractional): like a schedule step it counts 1 − frac in its month and
   * the rest in the next. */
  expected: number;
  /** Resolution (months, fractional), NaN = unresolved in the data. */
  resolved: number;
  /** Resolved by enactment: an action of the schedule, announced at `resolved`, carries the step from then on
   *  (and, with the lead L, is known L months earlier: the threat stops counting then, eq. T4c). */
  enacted: boolean;
  /** Root of the restatement chain (its own id when it restates nothing): only the latest known row counts. */
  chain: string;
  /** Restatements between this row and its chain's root (0 for the root): of two rows of a chain stated the
   *  same day, the one that restates the other counts. */
  depth?: number;
  /** Threatened change of each group's tariff, fraction, length G (before π). */
  dTau: Float64Array;
}

/**
 * One episode of tariff changes: monthly group tariffs and the multi-sector model's long-run targets.
 * Before `start` nothing has changed (x = 0, no inventory).
 */
export interface Episode {
  name: string;
  start: number;
  n: number;
  /** Groups the episode is fitted on (e.g. only China for 2018–19). */
  fitGroups: number[];
  /** τ_g,t: trade-weighted tariff of group g in month t (fraction), [(t−start)·G + g]. */
  tariff: Float64Array;
  /** x*_g,t: long-run log change of imports from g under month t's tariffs (eq. T2), [(t−start)·G + g]. */
  target: Float64Array;
  /** x*_X,t: long-run log change of US exports, by month (NaN = no export target). */
  exportTarget: Float64Array;
  /** Statutory average tariff on all US imports, 2024 weights (fraction), by month. */
  statutory: Float64Array;
  steps: TariffStep[];
  /** Threats and pledges not in the schedule (eq. T4c), if any. */
  threats?: Threat[];
}

/** Seasonality and trend of ln imports by group (eq. T1), estimated on pre-2018 data. */
export interface Baseline {
  /** Monthly trend growth b_g (log points per month), length G. */
  trend: Float64Array;
  /** Seasonal factors s_g,m (log), [g·12 + m], m = 0 for January; they include the level of the fit window. */
  season: Float64Array;
  /** Month the trend is measured from (t0 of eq. T1). */
  origin: number;
  /** Level anchors a_g (log), length G, set on a pre-shock window (eq. T1). */
  anchor: Float64Array;
  anchorWindow: [number, number];
  estimationWindow: [number, number];
}

/** Export baseline: SA log level a_X + b_X (t − origin) (eq. T7). */
export interface ExportBaseline {
  level: number;
  trend: number;
  origin: number;
  window: [number, number];
}

/** Dynamic parameters, fitted on data through the cutoff (eq. T2–T5). */
export interface DynamicParams {
  /** λ_g: share of the gap to the long-run target closed each month (T2), by group (GROUPS order). */
  lambda: number[];
  /** κ_g: extra purchases per month per unit of expected net saving (T4b), by group (GROUPS order; all equal
   * unless fitted one per group). */
  kappa: number[];
  /** σ: saturation of front-running in the motive (T4b; Infinity = linear). */
  sigma: number;
  /** δ: share of the front-run inventory drawn down each month (T5). */
  drawdown: number;
  /** L: months by which importers see announcements ahead of time (T4). */
  lead: number;
  /** c: carrying cost of inventory, fraction of value per month (T4a; fitted on a grid). */
  carry: number;
  /** π_k: subjective probability of a threat of each kind (T4c; THREAT_KINDS order; fitted on a grid). */
  belief: number[];
}

/** Duty collection (eq. T6). */
export interface DutyParams {
  /** ρ0: collected / statutory on the pre-2025 tariffs (MFN and earlier actions). */
  rhoBase: number;
  /** ρ1: collected / statutory on the increase since the baseline. */
  rhoNew: number;
  /** ℓ: months between entry and collection. */
  lag: number;
}

export interface FitReport {
  params: DynamicParams;
  /** Sum of squared log errors and observations of the fit. */
  ssr: number;
  observations: number;
  /** Last month of data used. */
  cutoff: number;
  /** Number of fitted parameters k and the Bayesian information criterion n ln(SSR/n) + k ln n. */
  parameters: number;
  bic: number;
}
