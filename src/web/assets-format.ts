// The JSON assets the web app loads (written at build time by src/web-build/assets.ts). Pure types and the
// reader that turns a stored matrix back into the policy layer's TariffMatrix.
import type { ActionDates } from '../policy/compile.ts';
import type { TariffMatrix } from '../policy/matrix.ts';

export interface MatrixAsset {
  /** The day (in-force matrices) or "date|announcedThrough" (announced cut-offs). */
  key: string;
  date: string;
  relativeTo: string;
  usAverage: { date: number; relativeTo: number };
  notes: string[];
  /** Tariffs (fractions) of the cells listed in PolicyAssets.tariffCells, same order. */
  values: number[];
}

export interface ActionAsset extends ActionDates {
  legal: string;
  /** Imposer, program, rate and targets, e.g. "USA IEEPA reciprocal 125% on China". */
  title: string;
  notes: string;
  sources: string[];
}

export interface PolicyAssets {
  format: 'tariffsim-web-policy/1';
  coverage: { from: string; to: string };
  /** Daily statutory effective US tariff rate from `from`, percent; byProgram in the order of `columns`, points. */
  etr: { columns: string[]; from: string; etr: number[]; byProgram: number[][] };
  actions: ActionAsset[];
  /** Indices bil(j, n, i) = (j·N + n)·N + i of the cells the policy layer changes. */
  tariffCells: number[];
  /** One matrix per day on which the tariffs in force change (sorted by date); a day uses the last one on or before it. */
  inForce: MatrixAsset[];
  /** Matrices of "everything announced through D" cut-offs used by the presets. */
  announced: MatrixAsset[];
  /** "Announced vs in force" (stored apart in announced.json, fetched when the toggle is first used, and merged
   *  in): distinct matrices of every action announced through a day as if in force. */
  announcedMatrices?: MatrixAsset[];
  /** From `key` on (sorted; a day uses the last entry on or before it), the actions announced through that day
   *  are all in force on `date` (PolicyView.inForceDay) and give announcedMatrices[matrix]: a scenario's
   *  `policy: {date, announcedThrough: day}`. */
  announcedDays?: AnnouncedDay[];
}

export interface AnnouncedDay {
  key: string;
  date: string;
  matrix: number;
}

/** announced.json: the "announced vs in force" part of PolicyAssets (merged into it by the page). */
export interface AnnouncedAssets {
  format: 'tariffsim-web-announced/1';
  announcedMatrices: MatrixAsset[];
  announcedDays: AnnouncedDay[];
}

/** The monthly timing model's report as the time view shows it (`tariffsim timeline` with its defaults). */
export interface TimeReport {
  from: string;
  to: string;
  fitThrough: string;
  groups: { code: string; name: string }[];
  /** US imports, US$ millions per month (not seasonally adjusted): model, actual (null without data), no-tariff path. */
  rows: { month: string; imports: { group: string; model: number; actual: number | null; noTariff: number }[]; total: { model: number; actual: number | null; noTariff: number } }[];
  /** Mean absolute percentage error of the months after the cutoff, percent. */
  backtest: { window: [string, string] | null; mape: { group: string; value: number }[]; total: number | null };
  /** Q1 2025 import surge over the no-tariff path, US$ millions; ratio model / measured. */
  surgeQ1: { model: number; measured: number; ratio: number } | null;
  /** H2 2025 effective tariff rate, percent. */
  etrH2: { model: number; actual: number; statutory: number; components: { name: string; points: number }[] } | null;
}

export interface TimeAsset {
  format: 'tariffsim-web-time/1';
  report: TimeReport | null;
  /** Why the report is missing (data absent at build time). */
  missing: string | null;
}

/** The "announced as if in force" entry of a day: the policy day and the matrix; null outside the range. */
export function announcedDay(assets: PolicyAssets, day: string): { key: string; date: string; matrix: MatrixAsset } | null {
  if (day < assets.coverage.from || day > assets.coverage.to) return null;
  let hit: AnnouncedDay | null = null;
  for (const e of assets.announcedDays ?? []) {
    if (e.key <= day) hit = e;
    else break;
  }
  return hit && assets.announcedMatrices ? { key: hit.key, date: hit.date, matrix: assets.announcedMatrices[hit.matrix] } : null;
}

export interface PresetAsset {
  id: string;
  file: string;
  /** The parsed scenario (defaults filled in), ready for scenarioFromObject. */
  spec: Record<string, unknown>;
}

/** The matrix in force on `date` (YYYY-MM-DD), or with an announced cut-off; null outside the covered range. */
export function matrixAsset(assets: PolicyAssets, date: string, announcedThrough?: string): MatrixAsset | null {
  if (date < assets.coverage.from || date > assets.coverage.to) return null;
  if (announcedThrough) {
    const exact = assets.announced.find((m) => m.key === `${date}|${announcedThrough}`);
    if (exact) return exact;
    const a = announcedDay(assets, announcedThrough);
    return a && a.date === date ? a.matrix : null;
  }
  let hit: MatrixAsset | null = null;
  for (const m of assets.inForce) {
    if (m.key <= date) hit = m;
    else break;
  }
  return hit;
}

/** The stored matrix as the policy layer's TariffMatrix on `date`, over the world's baseline tariffs. */
export function toTariffMatrix(assets: PolicyAssets, m: MatrixAsset, date: string, baseline: Float64Array): TariffMatrix {
  const tariff = Float64Array.from(baseline);
  const covered = new Uint8Array(baseline.length);
  assets.tariffCells.forEach((x, k) => {
    tariff[x] = m.values[k];
    covered[x] = 1;
  });
  return { tariff, date, relativeTo: m.relativeTo, mode: 'change', covered, usAverage: m.usAverage, notes: m.notes };
}
