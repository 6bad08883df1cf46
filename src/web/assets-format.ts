// The JSON assets the web app loads (written at build time by src/web-build/assets.ts). Pure types and the
// reader that turns a stored matrix back into the policy layer's TariffMatrix.
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

export interface ActionAsset {
  id: string;
  imposer: string;
  program: string;
  announced: string;
  effective: string;
  /** First day no longer in force (exclusive), or null when open-ended. */
  end: string | null;
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
  if (announcedThrough) return assets.announced.find((m) => m.key === `${date}|${announcedThrough}`) ?? null;
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
