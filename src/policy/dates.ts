// Calendar days as integers (days since 1970-01-01, UTC), so date comparisons and ranges are integer
// arithmetic. Pure: no Node APIs.
import { InputError, type InputLocation } from '../errors.ts';

/** Days since 1970-01-01 (UTC). */
export type Day = number;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

/** Parses a YYYY-MM-DD date; anything else (or an impossible date such as 2025-02-30) is an InputError at `where`. */
export function parseDay(text: string, where: InputLocation = {}, what = 'date'): Day {
  const m = ISO.exec(String(text).trim());
  if (m) {
    const y = Number(m[1]);
    const mo = Number(m[2]);
    const d = Number(m[3]);
    const t = Date.UTC(y, mo - 1, d);
    const back = new Date(t);
    if (back.getUTCFullYear() === y && back.getUTCMonth() === mo - 1 && back.getUTCDate() === d) return t / MS_PER_DAY;
  }
  throw new InputError(`${what} '${text}' is not a valid YYYY-MM-DD date`, where, 'write dates as e.g. 2025-04-15');
}

export function formatDay(day: Day): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** All days from `from` to `to` inclusive. */
export function dayRange(from: Day, to: Day): Day[] {
  const out: Day[] = [];
  for (let d = from; d <= to; d++) out.push(d);
  return out;
}
