// US imports for consumption in 2024 (Census, customs value), the weights of the statutory effective tariff
// rate: the data's shape. The reader (parquet through DuckDB, the CSV, the JSON cache) is Node-only:
// src/node/data/us-trade-2024.ts. Pure.

/** Folder of the trade files under the shared data. */
export const US_TRADE_2024_DIR = 'us-tariffs/trade';

export interface UsImports2024 {
  /** Provenance lines. */
  source: string[];
  /** Distinct HTS10 codes of the detailed rows; `detail.h` indexes this. */
  hts: string[];
  /** Census codes of the detailed partners; `detail.p` indexes this. */
  detailPartners: string[];
  detail: { p: Int32Array; h: Int32Array; value: Float64Array };
  /** Census codes of the other partners; `rest.p` indexes this. */
  restPartners: string[];
  rest: { p: Int32Array; hs2: Int32Array; value: Float64Array };
  /** For each bloc with a detailed file: each member's 2024 imports by HS2 (index 0–99), to split the bloc. */
  blocMembers: Record<string, Record<string, number[]>>;
  /** Total imports, USD. */
  total: number;
  /** Census codes skipped because a bloc file already covers them. */
  skipped: string[];
}
