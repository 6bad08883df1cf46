// Checks of a tariff lookup's inputs (`tariffsim tariffs`, GET /v1/policy/tariffs) against what the policy data
// cover, so a lookup never prints a confident number for a combination the data do not describe (issue 18):
// China's tariffs exist only on US goods, the US levies none on its own goods, and an HTS code must name a chapter
// and heading that exist. `field` names the input as the face calls it (default the CLI's flags).
import { InputError } from '../errors.ts';

/** HTS chapters: 01–97 (77 is reserved) and the special chapters 98–99. */
export function checkHtsChapter(code: string, field = '--hts'): void {
  const ch = Number(code.slice(0, 2));
  if (!(ch >= 1 && ch <= 99) || ch === 77) {
    throw new InputError(`HTS code '${code}' is in chapter ${code.slice(0, 2)}, which does not exist`, { field }, 'HTS chapters run from 01 to 97 (77 reserved), plus 98–99 for special provisions; e.g. --hts 9503 (toys)');
  }
}

/** Importer/partner pairs the policy data cover: US tariffs on any partner but itself, China's on US goods. */
export function checkPair(importer: string, partnerKey: string | null, field = '--partner'): void {
  if (importer === 'CHN' && partnerKey !== null && partnerKey !== 'USA') {
    throw new InputError(`China's tariffs in the policy data are its tariffs on US goods only, not on goods from ${partnerKey}`, { field }, 'use --importer CHN --partner USA, or drop --importer for US tariffs');
  }
  if (importer === 'USA' && partnerKey === 'USA') {
    throw new InputError('the US levies no tariffs on its own goods', { field }, 'name another partner, or use --importer CHN --partner USA for China\'s tariffs on US goods');
  }
}

/** A US HTS code must share its heading (first 4 digits) with a line of the 2024 US import data. */
export function checkHeading(code: string, lines: readonly string[], field = '--hts'): void {
  const heading = code.slice(0, Math.min(4, code.length));
  if (!lines.some((h) => h.startsWith(heading))) {
    throw new InputError(`HTS ${code}: no heading ${heading} exists in the 2024 US import data`, { field }, 'check the code (e.g. 9503 toys, 8703 cars, 120190 soybeans)');
  }
}
