// Reads the monthly US trade series of ../shared/data/us-tariffs/timeseries; the parsers are
// src/data/timeseries.ts. Node-only (file system).
import { join } from 'node:path';
import { parseTimeseries, type Timeseries } from '../../data/timeseries.ts';
import { sharedDataDir } from '../paths.ts';
import { readText } from './files.ts';

export function timeseriesDir(dataDir = sharedDataDir()): string {
  return join(dataDir, 'us-tariffs', 'timeseries');
}

/** Reads the three monthly files of ../shared/data/us-tariffs/timeseries. */
export function loadTimeseries(dir = timeseriesDir()): Timeseries {
  return parseTimeseries((f) => ({ text: readText(join(dir, f), 'the monthly series live in ../shared/data/us-tariffs/timeseries (or $TARIFFSIM_DATA/us-tariffs/timeseries)'), file: join(dir, f) }));
}
