// Region and industry lookups by name for the Ossa (2014) data. Pure.
import type { OssaData } from '../../data/ossa2014.ts';
import { InputError } from '../../errors.ts';

/** Index of a region by name (case-insensitive); an InputError listing the regions if absent. */
export function ossaRegionIndex(data: Pick<OssaData, 'regions' | 'source'>, name: string, field = 'region'): number {
  const i = data.regions.findIndex((r) => r.toLowerCase() === name.trim().toLowerCase());
  if (i < 0) {
    throw new InputError(`region '${name}' is not in the data`, { file: data.source, field }, `use one of: ${data.regions.join(', ')}`);
  }
  return i;
}

/** Index of an industry by code or name (case-insensitive); an InputError listing the codes if absent. */
export function ossaIndustryIndex(data: Pick<OssaData, 'industries' | 'source'>, key: string, field = 'industry'): number {
  const k = key.trim().toLowerCase();
  const i = data.industries.findIndex((x) => x.code.toLowerCase() === k || x.name.toLowerCase() === k);
  if (i < 0) {
    throw new InputError(`industry '${key}' is not in the data`, { file: data.source, field }, `use a code: ${data.industries.map((x) => x.code).join(', ')}`);
  }
  return i;
}
